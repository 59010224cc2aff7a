"""Which guides a source the question names is: by its title, publisher, site or id, by its initials, by the
words of a long name in any order, or by the named parts of a source described at length.

:class:`SourceMatcher` answers for :class:`careerkg.qa.policy.Scope`, which holds a request's constraints.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from careerkg.graph.places import fold
from careerkg.text import acronyms
from careerkg.qa.guides import DocView
from careerkg.qa.request import YEAR, Constraint
from careerkg.qa.spelling import english_counts

# the words that say a source is a document ("the X report") or someone speaking for it ("X's CEO"), and
# determiners: no part of the source's name
_DOC_NOUNS = frozenset("""the a an guide guides article table report survey site website page list blog post figures ad
advert advertisement
analysis tracker research study ceo cto cfo founder cofounder co-founder chief executive spokesperson spokesman
spokeswoman boss chair chairman president md""".split())
_GENERIC = frozenset("""the a an of and for in on uk guide article table report survey site website page list blog
post data figures salary salaries pay analysis tracker research study""".split())


# where a long description of a source divides into named parts
_SOURCE_JOINS = re.compile(r"['’]s?\s+|\s*,\s*|\s+(?:of|for|by|behind|in|from|on|at|with|cited by|and|&)\s+", re.I)
_MONTH = re.compile(r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
                    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")



class SourceMatcher:
    """Source names held against the current guides.

    Args:
        docs: the current guides.
        words: folded word -> guides holding it (to skip most guides fast), or None.
        policy: thresholds (``source_match``).
        in_text: whether a guide's text names a constraint (its label or aliases).
    """

    def __init__(self, docs: dict[str, DocView], words: dict[str, set[str]] | None, policy,
                 in_text: Callable[[DocView, Constraint], bool]) -> None:
        self.docs, self.words, self.policy, self.in_text = docs, words, policy, in_text

    def matches(self, name: str, v: DocView, share: float = 0.75) -> bool:
        """A named source matches a guide whose title, publisher, site or id holds its distinctive words
        (fuzzy, case- and space-insensitive), or whose text cites it by that name."""
        # a year or a quarter names the edition, not the source ("Hired's 2022 report", "Experis' Q2 2015
        # report"); "'s" is no word of it
        raw = [w for w in re.findall(r"\w+", fold(re.sub(r"['’]s\b", "", name)))
               if w not in _DOC_NOUNS and not YEAR.fullmatch(w) and not re.fullmatch(r"[qh][1-4]", w)]
        words = [w for w in raw if w not in _GENERIC]
        if not words:
            return False
        # a site or id spelling the name as initials ("rss.org.uk" for "the Royal Statistical Society")
        short = set(re.findall(r"\w+", fold(" ".join([v.publisher, v.doc_id.replace("-", " "),
                                                                  urlsplit(v.source_url).hostname or ""]))))
        if any(a.lower() in short for a in acronyms(re.split(r"['’]s\b", name)[0].strip())):
            return True
        head = "\n".join([v.title, v.publisher, v.doc_id.replace("-", " "), v.source_url, v.text[:400]])
        tokens = set(re.findall(r"\w+", fold(head)))
        compact = re.sub(r"\W+", "", re.sub(r"['’]s\b", "", fold(head)))
        if len(raw) > 1 and len(words) < len(raw):
            # a name made partly of common words ("Women in Data"): the whole name, not its one rare word
            return "".join(raw) in compact
        found = sum(1 for w in words if w in tokens or (len(w) >= 4 and w in compact) or
                    (len(w) >= 5 and any(fuzz.ratio(w, t) >= self.policy.source_match for t in tokens)))
        if "".join(words) in compact and len("".join(words)) >= 4:
            return True
        return found >= max(1, round(share * len(words)))

    def named_parts_hit(self, value: str) -> set[str]:
        """A source described at length ("the review behind the ONS Data Science Campus", "Hays Technology's
        director in Scotland", "Tech Nation and Adzuna research cited by Caroline Dinenage"): the guides that
        match every named part of it (a capitalised word, or a word no English list holds); the describing
        words ("review", "director", "job ads"), dates and years narrow nothing. Empty when a named part
        matches no guide, or nothing in it is named."""
        parts = [p.strip(" '‘’\"“”") for p in _SOURCE_JOINS.split(value)]
        # (a word no English list holds that some guide writes is a name too: "dbt", "hesa")
        named, dropped = [], False
        for p in parts:
            words = re.findall(r"[\w-]+", p)
            keep = [w for w in words if w.lower() not in _DOC_NOUNS and w.lower() not in _GENERIC
                    and not YEAR.fullmatch(w) and not _MONTH.fullmatch(w) and not w.isdigit()
                    and (w[:1].isupper() or w.lower() not in english_counts() and (
                        self.words is None or fold(w) in self.words))]
            dropped |= len(keep) < len(words)
            if keep:
                named.append(" ".join(keep))
        if not named or len(parts) < 2 and not dropped:
            return set()
        hit = set(self.docs)
        for n in named:
            c = Constraint("source", n)
            hit = {d for d in hit if self.matches(n, self.docs[d], share=1.0) or self.in_text(self.docs[d], c)}
            if not hit:
                return set()
        return hit

    def cites_words(self, v: DocView, name: str) -> bool:
        """A name the guide writes holds every word of a source's name of two words or more, in any order, as
        capitalised words within a few words of each other ("senior salaries review": "the Review Body on Senior
        Salaries"). Read only around the guide's mentions of the name's longest word."""
        words = [w for w in re.findall(r"\w+", name.lower()) if w not in _GENERIC and w not in _DOC_NOUNS]
        if len(words) < 2 or self.words is not None and not all(v.doc_id in self.words.get(fold(w), ()) for w in words):
            return False
        key = max(words, key=len)
        for m in re.finditer(rf"\b{re.escape(key[:1].upper() + key[1:])}\b", v.text):
            near = v.text[max(0, m.start() - 60):m.end() + 60]
            if all(re.search(rf"\b{re.escape(w[:1].upper() + w[1:])}\b", near) for w in words):
                return True
        return False
