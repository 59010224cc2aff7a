"""Job titles no list knows: "Java developer", "software architect", "tech workers" become role entities.

The gazetteer knows the machine-learning and data roles; guides about pay in general name
others ("Java developer – £33k-35k", "an average salary for tech workers of £80,000"). A
title is a job-head noun (developer, architect, programmer, statistician ...) with one to
three modifiers right before it ("front end web developer", "analyst programmer"), or a
collective head (workers, professionals) with a field before it ("tech workers",
"technology professionals"). Levels and determiners are not part of a title ("Senior
developer" is a developer at a level, and names no new role), nor are proper names written
mid-sentence ("Lloyds data scientists": an employer's), unless the name is a known skill
("Java developer"). A title overlapping a known role is the known role.

Discovered roles get ``discovered=True`` and an IRI minted from the singular title, so the
same title in two guides is one entity; they stand for the guide's main role only when the
guide names no known role (:func:`careerkg.ingest.extract.main_role`).
"""

from __future__ import annotations

import re

from careerkg.model import Entity, Mention
from careerkg.graph.vocab import mint
from careerkg.text import english_counts

# heads that make a title on their own with a modifier; collective heads need a field word before them
_HEADS = (r"developers?|engineers?|architects?|programmers?|analysts?|scientists?|statisticians?|researchers?|"
          r"designers?|testers?|administrators?|technicians?|consultants?|economists?|actuaries|actuary|"
          r"ethicists?|quants?|traders?|modellers?|modelers?|officers?|lecturers?|professors?|coders?|associates?|"
          r"teachers?|technologists?|fellows?|apprentices?|trainees?|interns?")
_COLLECTIVE = r"workers?|professionals?|specialists?|staff"
_BARE = re.compile(rf"\b(?i:{_HEADS})\b")
_TITLE = re.compile(rf"\b((?:[A-Za-z][\w/+#.-]*[ \t]+){{1,3}})((?i:{_HEADS}|{_COLLECTIVE}))\b")
_FIELDS = re.compile(r"^(?:tech|technology|it|digital|data|software|cyber|cybersecurity|security|ai|ml|analytics|"
                     r"engineering|computing|stem|science|research)$", re.I)
# "head of X": the field or function a head of runs (one or two words)
_HEAD_OF = re.compile(r"\b[Hh]ead of ([A-Za-z][\w/+&-]*(?:[ \t]+[A-Za-z][\w/+&-]*)?)")
# words after "head of X" that name the post, not the field ("a head of data position")
_POST_WORDS = frozenset("position positions role roles post posts job jobs salary salaries pay team teams".split())
# words that end a title's modifiers: determiners, levels, quantities, verbs and adjectives of degree
_STOP = frozenset("""a an the my your our their this that these those each every any some all both other others
many more most much few several such same own new old top best good great better average typical median mean
senior junior mid mid-level lead leading principal staff chief head graduate graduates entry entry-level
experienced skilled qualified aspiring budding would-be permanent contract contractor freelance freelancer
interim remote hybrid full-time part-time female male women men young older uk british european global
local international national regional london for of to as and or with at in on by from than then into via
is are was were be been being has have had do does did can could should would will may might must
hire hires hiring hired employ employs employed need needs needing want wants seek seeks seeking
become becoming became work works working worked pay pays paid earn earns earning get gets make makes
who whom whose which what where when why how not no nor but if so per vs versus about across between
i we you they he she it me us them one two three four five ten first second third while whereas like unlike
alongside including also just only even still already often usually typically role roles job jobs team teams squad
rewards traditional human self-taught high-level low-level effective efficient strong great excellent successful""".split())
# an -ing word is a verb before a title ("defining statistician") unless it names a field ("computing science")
_FIELD_ING = re.compile(r"(?:comput|engineer|market|learn|process|test|bank|account|trad|model|report|"
                        r"programm|network|mine|min)ing$", re.I)


_COMMON_WORD_COUNT = 1_000_000  # occurrences in symspellpy's English frequency list ("azure": 1.04 million)


def _title(words: list[str], head: str) -> str:
    if head.lower().endswith("ies"):
        head = head[:-3] + "y"
    elif head.lower().endswith("s") and not head.lower().endswith(("ss", "staff")):
        head = head[:-1]
    return " ".join(w if (w.isupper() or any(c.isupper() for c in w[1:])) else w.capitalize()
                    for w in words + [head])


class RoleFinder:
    """Role mentions for titles the gazetteer does not know.

    Args:
        text: the document text.
        mentions: the mentions already linked (gazetteer, NER, discovered skills).
        known_heads: the last words of the known roles' labels ("engineer", "analyst"): such a word alone
            is never a role of its own.
    """

    def __init__(self, text: str, mentions: list[Mention], known_heads: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.known_heads = known_heads
        self.mentions = mentions
        self.known = [(m.start, m.end) for m in mentions if m.entity.kind in ("role", "org", "city")]
        self.skills = [(m.start, m.end) for m in mentions if m.entity.kind == "skill"]

    def find(self) -> list[Mention]:
        """One mention per title found (kind ``role``, extractor ``pattern``)."""
        out: list[Mention] = []
        for m in _TITLE.finditer(self.text):
            head = m.group(2)
            words, starts = [], []
            pos = m.start(1)
            for w in m.group(1).split():
                pos = self.text.index(w, pos)
                words.append(w)
                starts.append(pos)
                pos += len(w)
            kept: list[str] = []
            first = m.start(2)
            for w, s in zip(reversed(words), reversed(starts)):  # the modifiers right before the head
                low = w.lower()
                if low in _STOP or w[-1] in ".,;:" or not re.search(r"[A-Za-z]", w) or \
                        self.text[s - 1:s] in ("'", "’") or \
                        not (self._plain(w, s) or self._title_case_word(w, head)) or \
                        (low.endswith("ing") and not _FIELD_ING.search(low)) or \
                        re.search(r"(?:ive|ous|ful|less|ly)$", low):
                    break
                kept.insert(0, w)
                first = s
            if not kept:
                continue
            if re.fullmatch(_COLLECTIVE, head, re.I) and not _FIELDS.match(kept[-1]):
                continue  # "workers" of any kind is no title; "tech workers" is
            end = m.end(2)
            if any(a < end and first < b for a, b in self.known):
                continue  # "senior data scientist": a known role (or an employer's name) already
            name = _title(kept, head)
            ent = Entity(iri=mint("role", name), kind="role", label=name, discovered=True)
            out.append(Mention(ent, first, end, self.text[first:end], "pattern"))
        if not out and not any(m.entity.kind == "role" for m in self.mentions):
            out = self._bare_heads()
        for m in _HEAD_OF.finditer(self.text):  # "a head of data position": a post no list knows
            words = m.group(1).split()
            while words and (words[-1].lower() in _STOP or words[-1].lower() in _POST_WORDS):
                words.pop()
            if len(words) > 1 and words[0][0].islower() and words[1][0].isupper():
                words = words[:1]  # "head of insights George Smith": the field, then a name ("AI Research" stays)
            if not words or any(w.lower() in _STOP for w in words) or not self._plain(words[0], m.start(1)):
                continue
            first, end = m.start(), m.start(1) + len(" ".join(words))
            if any(a < end and first < b for a, b in self.known) or any(o.start < end and first < o.end for o in out):
                continue
            name = "Head of " + " ".join(w if w.isupper() else w.lower() for w in words)
            ent = Entity(iri=mint("role", name), kind="role", label=name, discovered=True)
            out.append(Mention(ent, first, end, self.text[first:end], "pattern"))
        return out

    def _bare_heads(self) -> list[Mention]:
        """In a guide that names no role at all, a job noun on its own is a role where it is written ("new
        lecturers start at ...", "the average coder earns ...", "the median Programmer salary"): one entity
        per singular, extractor ``head``. Such a noun binds the sentence it is in, never the whole guide
        (:func:`careerkg.ingest.extract.main_role` skips it: a statistics table under "the median
        Programmer salary" may be every IT job's). A guide naming any role keeps bare nouns as words
        ("engineers" in a guide about machine learning engineers is that role, said short)."""
        out: list[Mention] = []
        for m in _BARE.finditer(self.text):
            name = _title([], m.group(0))
            if name.lower() in self.known_heads or any(a < m.end() and m.start() < b for a, b in self.known):
                continue  # "engineers": a known role said short, whichever it is
            ent = Entity(iri=mint("role", name), kind="role", label=name, discovered=True)
            out.append(Mention(ent, m.start(), m.end(), m.group(0), "head"))
        return out

    @staticmethod
    def _title_case_word(word: str, head: str) -> bool:
        """A common English word capitalised in a title written in Title Case ("Azure Technical Architects"):
        the head is capitalised too, and the word is no rarer than "azure" in English text."""
        return head[:1].isupper() and word[:1].isupper() and not word.isupper() and \
            english_counts().get(word.lower(), 0) >= _COMMON_WORD_COUNT

    def _plain(self, word: str, start: int) -> bool:
        """A modifier is a common word, an acronym ("IT", "BI"), a known skill ("Java"), or a capitalised
        word where capitals start a line or a sentence; a proper name mid-sentence is an employer's."""
        if not word[0].isupper() or word.isupper() and len(word) <= 5:
            return True
        if any(a <= start < b for a, b in self.skills):
            return True
        before = self.text[max(0, start - 3):start]
        return start == 0 or "\n" in before or bool(re.search(r"[.!?:•\-–*]\s*$", before))
