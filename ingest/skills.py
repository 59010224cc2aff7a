"""Skills no list knows: names in skill contexts become skill entities (``schema:DefinedTerm``).

Two places name skills in a guide:

* a list after a skill cue: "tools like X, Y and Z", "technical skills may include X, Y and
  Z", "big data technologies like X and Y", "experience with X", "knowledge of X",
  "legacy skills ... such as X";
* the entries under a skills heading ("What skills do ML engineers need?", "Tech stack"),
  one short line or list item each, where a caption repeated down the run ("Essential")
  is a column value, not a skill.

A candidate is a name of at most four words that the gazetteer does not already know as
something else (role, employer, city, sector); generic words ("data", "tools", "skills") and
trailing generic heads ("machine learning fundamentals" -> "machine learning") are dropped.
Discovered skills get ``discovered=True`` and an IRI minted from the name, like discovered
employers, so the same name in two guides is one entity.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from functools import lru_cache

from careerkg.model import Entity, Mention
from careerkg.text import is_table_header
from careerkg.graph.gazetteer import Gazetteer
from careerkg.graph.vocab import mint
from careerkg.ingest.layout import Layout

_CUE = re.compile(
    r"(?:\b(?:tools|technologies|tech stack|stack|languages|frameworks|libraries|platforms|databases|skills|"
    r"tooling)\b[^.;:\n]{0,60}?\b(?:like|such as|including|include|e\.g\.)|"
    # "optimization strategies – quantization, sparsity, NAS": methods listed after a dash or a colon
    r"\b(?:techniques|methods|strategies|approaches|tools|technologies|frameworks|libraries)[ \t]*(?:[–—:]|[ \t]-(?=[ \t]))|"
    r"\b(?:experience|expertise|proficiency|proficient|familiarity|skilled|fluency|knowledge|understanding)\s+"
    r"(?:with|in|of)|\b(?:such as|e\.g\.)(?=\s+[A-Z]))[ \t]*[:(]?[ \t]*", re.I)
_ITEM_SPLIT = re.compile(r",[ \t]*(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or|&)[ \t]+|[ \t]*/[ \t]*")
_LIST_END = re.compile(r"[.;:!?\n()]|\s(?:as well as|to|for|on|at|using|which|that|who|when|where|because|but|so|is|are|"
                       r"was|were|will|can|could|should|would|may|might|has|have|had|in order|since|from|than|"
                       r"daily|every)\b", re.I)
# a table row whose label cell says its cells are skills or tools
_SKILL_ROW = re.compile(r"^\|[ \t]*(?:key[ \t]+)?(?:skills?|tools?|technologies|tech stack|languages|frameworks|platforms)"
                        r"(?:[ \t]+(?:learned|learnt|covered|taught|used|required|needed))?[ \t]*\|", re.I | re.M)
_HEADING = re.compile(r"\b(?:skills|tools|tech stack|technologies|languages|frameworks|technical requirements)\b", re.I)
_GENERIC = {"data", "tools", "tool", "skills", "skill", "things", "others", "more", "etc", "the like", "it", "them",
            "this", "that", "these", "those", "other", "various", "many", "several", "some", "all", "any", "both",
            "technology", "technologies", "experience", "knowledge", "software", "systems", "work", "a", "an",
            "the", "you", "your", "our", "their", "we", "they", "production", "teams", "people", "business", "tech"}
_TRAILING = re.compile(r"\s+(?:fundamentals|principles|concepts|basics|skills|techniques|knowledge|experience|solutions)$",
                       re.I)
_LEADING = re.compile(r"^(?:(?:a|an|the|strong|solid|good|deep|basic|hands-on|practical|some|modern|core|"
                      r"big data technologies like|tools like|technologies like)\s+)+", re.I)
_NAME = re.compile(r"^[\w#+.&' -]{1,40}$")
# heads of phrases that name a place, a field, a period or a person, not a skill
_NOT_HEAD = {"sector", "sectors", "industry", "industries", "field", "fields", "role", "roles", "team", "teams",
             "company", "companies", "business", "position", "positions", "area", "areas", "domain", "environment",
             "world", "market", "space", "years", "year", "months", "month", "program", "programme",
             "engineer", "engineers", "developer", "developers", "scientist", "scientists", "analyst", "analysts",
             "architect", "architects", "manager", "managers", "lead", "leads", "director", "designer", "consultant",
             "specialist", "specialists", "officer", "researcher", "researchers", "head", "intern", "graduate",
             "framework", "frameworks", "concept", "concepts", "language", "languages", "visa", "visas", "route",
             "routes", "qualification", "qualifications", "degree", "degrees", "scheme", "schemes", "certificate"}
_NOT_FIRST = {"said", "says", "say", "told", "tells", "for", "before", "after", "since", "during", "until", "compared",
              "about", "from", "than", "into", "onto", "towards", "while", "whilst", "whether",
              "what", "which", "who", "whom", "whose", "how", "where", "when", "why"}  # "what each role does": a clause
_SKILL_ING = re.compile(r"(?:learn|engineer|programm|test|comput|model|process|min|network|schedul|cach|stream|"
                        r"tun|debugg|cod|deploy|monitor|profil|visualis|visualiz|forecast|label|scal|build)ing$")
_FIGURE_WORDS = {"salary", "salaries", "median", "average", "pay", "rate", "rates", "score", "percentile", "total",
                 "count", "share", "growth", "vacancies", "postings", "jobs"}
# a language or tool written with # or + ("C#", "F#", "C++") after "with", "using", "in"; a
# CamelCase or upper-case tool name after "using", "with", "via", "query", "serve with", "export to"
_TECH_TOKEN = re.compile(
    r"\b(?:with|using|in|on)[ \t]+(?P<name>[A-Z][A-Za-z]?(?:#|\+\+))(?![\w#+])|"
    r"\b(?:using|uses|use|with|via|query(?:ing)?|quer(?:ies|y)\s+in|(?:serv|deploy|export|convert|ship|run)\w*"
    r"(?:[ \t]+\w+){0,2}?[ \t]+(?:with|to|on|in|via))[ \t]+(?P<tool>[A-Z][a-z]+[A-Z][A-Za-z]*|[A-Z]{3,6})(?![\w#+-])|"
    r"\b(?:in|on|into)[ \t]+(?P<camel>[A-Z][a-z]+[A-Z][a-z]+[A-Za-z]*)(?![\w#+-])")
_DATA_VERB = re.compile(r"\b(?:quer\w*|stor\w*|deploy\w*|train\w*|host\w*|load\w*|process\w*|analy[sz]\w*|"
                        r"model\w*|pipelines?|tables?|warehous\w*|orchestrat\w*|serv\w*|usage|data)\b", re.I)
# two or more capitalised names after a tool verb ("built in Grafana or Kibana", "using Terraform or
# CloudFormation"): tools (places and entities the gazetteer knows as something else are dropped in _add)
_TOOL_LIST = re.compile(r"\b(?:using|uses|use|built (?:in|with|on)|written in|managed (?:in|with)|via)[ \t]+"
                        r"(?P<list>[A-Z][\w.+#-]*(?:(?:,[ \t]*|[ \t]+(?:or|and)[ \t]+|,[ \t]*(?:or|and)[ \t]+)"
                        r"[A-Z][\w.+#-]*)+)")
# "AI skills", "GenAI skills": an upper-case or CamelCase term right before a lower-case "skills"
# "the role typically owns X, Y, Z and W": a verb of work followed by an enumeration of three or
# more short noun phrases names what the work is made of (an em dash or colon may open the list:
# "own the classical ML lifecycle — training pipelines, model registries, ...")
# lower case only ("Managing Director" is a title); "their own" is no verb
_WORK_VERB = re.compile(r"(?<!their )(?<!its )(?<!his )(?<!her )(?<!our )(?<!your )(?<!my )"
                        r"\b(?:owns?|owning|handles?|handling|covers?|covering|involves?|involving|spans?|"
                        r"focus(?:es|ing)? on|responsible for|works? on|working on|speciali[sz](?:e|es|ing) in|"
                        r"maintains?|maintaining|manages?|managing|using|applying|applies|apply)[ \t]+")
_WORK_LIST_END = re.compile(r"[.;!?\n]|\s(?:to|for|which|that|who|when|where|because|but|so|is|are|was|were|"
                            r"will|can|could|should|would|may|might|has|have|had|while|whereas)\b", re.I)
# "retrieval-augmented generation (RAG)": a lower-case term defined by its acronym
_DEFINED = re.compile(r"\b(?P<term>[a-z][a-z-]+(?:[ \t]+[a-z][a-z-]+){1,3})[ \t]+\((?P<acr>[A-Z][A-Za-z]{1,5})\)")
# "communication skills", "coding skills": a lower-case noun right before "skills" (adjectives such as
# "technical", "essential", "soft" and "new" name no skill)
_NOUN_SKILLS = re.compile(r"(?<![\w-])(?P<name>[a-z][a-z-]{2,}(?<!al)(?<!ive)(?<!ous)(?<!ful)(?<!ic)(?<!able)(?<!ible)(?<!ent)"
                          r"(?<!ant)(?<!ed)(?<!est)(?<!er))[ \t]+skills\b")
_NOT_SKILL_NOUN = {"soft", "hard", "key", "core", "new", "specialist", "required", "good", "strong", "basic", "top",
                   "these", "those", "other", "your", "their", "our", "the", "and", "or", "of", "with", "in", "for",
                   "what", "which", "many", "more", "most", "some", "any", "all", "such", "same", "right", "wrong",
                   "job", "work", "life", "people", "data", "tech", "entry", "desirable", "emerging", "must-have",
                   "boost", "improve", "develop", "build", "learn", "gain", "upgrade", "refresh", "sharpen", "hone"}
_BEFORE_SKILLS = re.compile(r"\b(?P<name>[A-Z]{2,}[A-Za-z0-9#+]*|[A-Z][a-z]+[A-Z]\w*)[ \t]+skills\b")


_ORG_BEFORE = re.compile(r"\b(?:recruiters?|compan(?:y|ies)|firms?|employers?|banks?|agencies|providers?|consultancies|"
                         r"organi[sz]ations?|universities|players|start-?ups|businesses|cities|places|countries|"
                         r"regions|funds?)\b[^.;:\n]{0,30}$", re.I)
_CUE_NOUNS = re.compile(r"\b(?:tools|technologies|stack|languages|frameworks|libraries|platforms|databases|skills|"
                        r"tooling|experience|expertise|proficiency|knowledge)\b", re.I)
# a coordinated run of names ("Java, Ruby, Python and PHP", "HTML/CSS/XML", "R, or C/C++"): when one of them
# is a known skill, the others are skills too
_TECH_NAME = r"(?:[A-Z][\w.+#]*(?:-[A-Za-z]\w*)*|[a-z]+[A-Z]\w*)"
_NAME_RUN = re.compile(rf"(?<![\w.+#/-])(?P<list>{_TECH_NAME}(?:(?:,[ \t]*(?:or[ \t]+|and[ \t]+)?|[ \t]+(?:or|and|&)[ \t]+|"
                       rf"[ \t]*/[ \t]*){_TECH_NAME})+)(?![\w+#])")
_RUN_SPLIT = re.compile(r",[ \t]*(?:or[ \t]+|and[ \t]+)?|[ \t]+(?:or|and|&)[ \t]+|[ \t]*/[ \t]*")
# the separators of a coordination of lower-case phrases ("prompt engineering, fine-tuning and safety alignment")
_COORD_SEP = r"(?:,[ \t]*(?:or[ \t]+|and[ \t]+)?|[ \t]+(?:or|and)[ \t]+)"
_PHRASE = r"(?:[a-z][a-z-]*|[A-Z]{2,5})(?:[ \t]+(?:[a-z][a-z-]*|[A-Z]{2,5})){0,2}"
_COORD_RIGHT = re.compile(rf"{_COORD_SEP}(?P<item>{_PHRASE})(?=[ \t]*(?:[,.;:)!?\n]|[ \t](?:and|or|to|for|in|at|is|are)\b|$))")
_COORD_LEFT = re.compile(rf"(?:(?<=[\s(:—–])|^)(?P<item>{_PHRASE}){_COORD_SEP}$")
# verbs that open a list of skills ("wants ledger tuning, ...", "love clean code, ...")
_LEAD_VERB = re.compile(r"(?:wants?|needs?|loves?|likes?|uses?|requires?|includes?|covers?|knows?|learns?|teaches|"
                        r"teach|offers?|seeks?|prefers?|combines?|has|have|had|gets?|builds?|brings?|mixes|mix)[ \t]+",
                        re.I)
# words that make a phrase a described thing or a clause, not the name of a skill
_FUNCTION_WORDS = {"and", "or", "the", "a", "an", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "into", "our",
                   "your", "their", "its", "his", "her", "my", "this", "that", "these", "those", "is", "are", "was",
                   "were", "be", "been", "has", "have", "had", "will", "can", "may", "it", "they", "we", "you", "who",
                   "which", "what", "more", "most", "less", "very", "also", "not", "no", "new", "other", "such",
                   "each", "every", "all", "some", "many", "much", "both", "than", "then", "there", "here", "so",
                   "just", "only", "about", "over", "under", "up", "out", "how", "why", "when", "where", "i", "he",
                   "she", "them", "us", "me", "one", "two", "three", "across", "between", "within", "including",
                   "like", "via", "per", "etc", "others", "elsewhere", "well", "time", "years", "months", "roles",
                   "jobs", "job", "salary", "salaries", "pay", "people", "staff", "companies", "firms", "related",
                   "similar", "relevant", "specific", "general", "various", "different"}
# heads of coordinated phrases that name a task or a thing, not a skill ("a take-home coding challenge")
_NOT_COORD_HEAD = {"challenge", "challenges", "question", "questions", "interview", "interviews", "project", "projects",
                   "course", "courses", "task", "tasks", "problem", "problems", "example", "examples", "opportunities"}



@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """spaCy's English stop words ("how", "as", "which"): no tool or skill is named by one alone."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)

class SkillFinder:
    """Skill mentions the gazetteer does not know, in one document.

    Args:
        text: the document text.
        layout: its :class:`Layout`.
        mentions: mentions already linked (doc offsets); new ones never overlap them.
        gazetteer: the gazetteer (a name it knows as another kind is not a skill).
    """

    def __init__(self, text: str, layout: Layout, mentions: list[Mention], gazetteer: Gazetteer) -> None:
        self.text, self.layout, self.gazetteer = text, layout, gazetteer
        self.spans = sorted((m.start, m.end) for m in mentions)
        self.skill_spans = {(m.start, m.end) for m in mentions if m.entity.kind == "skill"}
        self.found: dict[tuple[int, int], str] = {}
        self._found: list[tuple[int, int]] = []

    def find(self) -> list[Mention]:
        """New skill mentions, in text order."""
        for m in _CUE.finditer(self.text):
            if _ORG_BEFORE.search(self.text, max(0, m.start() - 60), m.start()) and \
                    not _CUE_NOUNS.search(self.text, m.start(), m.end()):
                continue  # "tech recruiters – such as Hays, ...": examples of organisations, not skills
            self._list_after(m.end())
        for m in _TECH_TOKEN.finditer(self.text):
            g = "name" if m.group("name") else "tool" if m.group("tool") else "camel"
            if g == "camel" and not _DATA_VERB.search(self.text, max(0, m.start() - 60), m.start()):
                continue  # "look the interviewer up on LinkedIn": a site, not a tool
            self._add(m.start(g), m.end(g), strict=True)
        for m in _TOOL_LIST.finditer(self.text):
            s = m.start("list")
            for item in _ITEM_SPLIT.finditer(self.text, s, m.end("list")):
                self._add(s, item.start(), strict=True)
                s = item.end()
            self._add(s, m.end("list"), strict=True)
        for m in _BEFORE_SKILLS.finditer(self.text):
            self._add(m.start("name"), m.end("name"), strict=True)
        for m in _WORK_VERB.finditer(self.text):
            self._work_list(m.end())
        for m in _NOUN_SKILLS.finditer(self.text):
            if m.group("name") not in _NOT_SKILL_NOUN:
                self._add(m.start("name"), m.end("name"), strict=False)
        for m in _DEFINED.finditer(self.text):
            words = re.split(r"[ \t-]+", m.group("term"))
            for k in range(len(words), 1, -1):  # "using machine learning (ML)": the last words that spell it
                if "".join(w[0] for w in words[-k:]).upper() == m.group("acr").upper():
                    self._add(m.end("term") - len(" ".join(words[-k:])) if "-" not in m.group("term") else
                              m.start("term") + m.group("term").find(words[-k]), m.end("term"), strict=False)
                    break
        self._under_headings()
        self._table_rows()
        self._runs_with_a_known_skill()
        self._phrases_beside_a_known_skill()
        out = []
        for (s, e), name in sorted(self.found.items()):
            out.append(Mention(self._entity(name), s, e, self.text[s:e], "pattern"))
        return out

    # -- candidates -------------------------------------------------------------------------

    def _taken(self, s: int, e: int) -> bool:
        i = bisect_left(self.spans, (s, s))
        for a, b in self.spans[max(0, i - 3):i + 3]:  # mentions do not overlap: neighbours suffice
            if a < e and s < b:
                return True
        j = bisect_left(self._found, (s, s))
        return any(a < e and s < b for a, b in self._found[max(0, j - 3):j + 3])

    @staticmethod
    def _place(name: str) -> bool:
        from careerkg.graph.places import get_places

        place = get_places().lookup(name)  # a city of 100,000+ or a country, not a small town named like a tool
        return place is not None and (place.kind != "city" or place.population >= 100_000)

    def _entity(self, name: str) -> Entity:
        known = self.gazetteer.by_alias(name, "skill")
        if known:
            return known[0]
        return Entity(iri=mint("skill", name), kind="skill", label=name, discovered=True)

    def _add(self, s: int, e: int, strict: bool) -> None:
        raw = self.text[s:e]
        e -= len(raw) - len(raw.rstrip())
        raw = raw.rstrip()
        lead = _LEADING.match(raw)
        if lead:
            s += lead.end()
        trail = _TRAILING.search(self.text[s:e])
        if trail:
            e = s + trail.start()
        while s < e and self.text[s] in " \t\"'“(":
            s += 1
        while e > s and self.text[e - 1] in " \t\"'”).,":
            e -= 1
        name = self.text[s:e]
        words = name.split()
        if not name or not _NAME.match(name) or not 1 <= len(words) <= 4 or name.lower() in _GENERIC:
            return
        if not re.search(r"[A-Za-z]", name):
            return  # "-", "2024"
        if len(words) == 1 and name.islower() and name in _stop_words():
            return  # "how", "as": a function word of a heading or a list's lead-in
        tech = bool(re.search(r"[A-Z#+]", name))
        if strict and not tech:
            return  # a lowercase phrase only where the context is unambiguous
        if not tech and len(words) > 1 and {w.lower() for w in words} & (_GENERIC | {"employers", "employer"}):
            return  # "the specific skills employers (are looking for)"
        if {w.lower() for w in words} & _FIGURE_WORDS:
            return  # "Median Salary": the caption of a figure
        if words[-1].lower() in _NOT_HEAD:
            return  # "tech sector", "technical architect"
        first = words[0].lower()
        if first in _NOT_FIRST:
            return  # "said Sam Hunt", "for an advertised PhD", "before December 31": a clause, not a name
        if first.endswith("ing") and not _SKILL_ING.search(first):
            return  # "following best practices"
        if (words[0].lower() in _GENERIC and not words[0].isupper()) or \
                any(e2.kind != "skill" for e2 in self.gazetteer.by_alias(name)):  # ("IT support": an acronym)
            return
        if tech and name[0].isupper() and self._place(name):
            return  # "including Glasgow (150%)"
        if self._taken(s, e):
            return
        self.found[(s, e)] = name
        insort(self._found, (s, e))

    def _table_rows(self) -> None:
        """The cells of a table row labelled as skills or tools ("| Tools covered | Excel, Power BI, SQL |",
        "| Key skills learned | Deep learning, NLP |"): each comma-separated item of each other cell."""
        for m in _SKILL_ROW.finditer(self.text):
            line_end = self.text.find("\n", m.end())
            line_end = len(self.text) if line_end < 0 else line_end
            if is_table_header(self.text, m.start(), line_end):
                continue  # "| Tools | Price | Licence |" above its separator: column names
            for cell in re.finditer(r"[^|\n]+", self.text[m.end():line_end]):
                s0, e0 = m.end() + cell.start(), m.end() + cell.end()
                pos = s0
                for item in _ITEM_SPLIT.finditer(self.text, s0, e0):
                    if item.group(0).strip() == "/":
                        continue  # "C/C++", "CI/CD": one name
                    self._add(pos, item.start(), strict=False)
                    pos = item.end()
                self._add(pos, e0, strict=False)

    def _list_after(self, pos: int) -> None:
        """The items of a list starting at ``pos`` (up to the end of the clause)."""
        end_m = _LIST_END.search(self.text, pos, min(len(self.text), pos + 200))
        end = end_m.start() if end_m else min(len(self.text), pos + 200)
        if end <= pos:
            return
        items, s = [], pos
        for m in _ITEM_SPLIT.finditer(self.text, pos, end):
            items.append((s, m.start()))
            s = m.end()
        items.append((s, end))
        cue = self.text[max(0, pos - 40):pos].lower()
        single = bool(re.search(r"(?:experience|expertise|proficiency|proficient|familiarity|skilled|fluency|"
                                r"knowledge|understanding)\s+(?:with|in|of)\s*$", cue))
        for i, (a, b) in enumerate(items):
            if single:  # "knowledge of X": only the first complement, and a lowercase one of 2-3 words
                if i > 0:
                    break
                head = re.search(r"\s(?:fundamentals|principles|concepts|basics|techniques)\b", self.text[a:b], re.I)
                if head:  # "an understanding of causal inference fundamentals helps"
                    b = a + head.start()
                phrase = self.text[a:b].strip()
                if not re.search(r"[A-Z#+]", phrase) and not 2 <= len(_TRAILING.sub("", _LEADING.sub("", phrase)).split()) <= 3:
                    continue
                self._add(a, b, strict=False)
            else:
                self._add(a, b, strict=len(items) < 2)

    def _work_list(self, pos: int) -> None:
        """An enumeration of at least three short noun phrases after a verb of work."""
        end_m = _WORK_LIST_END.search(self.text, pos, min(len(self.text), pos + 300))
        end = end_m.start() if end_m else min(len(self.text), pos + 300)
        opener = re.search(r"[—:]|\s-\s", self.text[pos:min(end, pos + 60)])
        if opener:
            pos += opener.end()
        close = re.search(r"\s[—–]\s|\s-\s", self.text[pos:end])  # "... drift monitoring — and tend to"
        if close:
            end = pos + close.start()
        items, s = [], pos
        for m in _ITEM_SPLIT.finditer(self.text, pos, end):
            if self.text[m.start():m.end()].strip() == "/":
                continue  # "CI/CD" is one item
            items.append((s, m.start()))
            s = m.end()
        items.append((s, end))
        short = [(a, b) for a, b in items if 1 <= len(self.text[a:b].split()) <= 4]
        if len(items) < 3 or len(short) < 3 or re.search(r"\b(?:like|such as|e\.g\.)\s", self.text[pos:end]):
            return  # "using key metrics like latency, throughput, and cost": examples of metrics, not skills
        for a, b in short:
            phrase = re.sub(r"\s*\([^)]*\)", "", self.text[a:b]).strip()
            first = phrase.split()[0] if phrase else ""
            if not first or (first[0].isupper() and first[1:].islower()):
                continue  # a proper name ("Monzo", "Leeds"): employers and places are not skills
            if first.lower() in {"the", "a", "an", "this", "that", "its", "their", "our", "your", "his", "her"}:
                continue  # "..., and the integration surface where ...": a described thing, not a named skill
            paren = self.text.find("(", a, b)
            self._add(a, paren if paren > a else b, strict=False)

    def _runs_with_a_known_skill(self) -> None:
        """The other names of a coordinated run holding a known or found skill ("with Java, Ruby, Python and
        PHP expertise": Ruby and PHP); "C/C++" stays one name when the run knows neither half."""
        known = self.skill_spans | set(self.found)
        for m in _NAME_RUN.finditer(self.text):
            items, s = [], m.start("list")
            for sep in _RUN_SPLIT.finditer(self.text, s, m.end("list")):
                items.append((s, sep.start()))
                s = sep.end()
            items.append((s, m.end("list")))
            if not any(k in known for k in items):
                continue
            for a, b in items:
                if (a, b) not in known:
                    self._add(a, b, strict=True)

    def _phrases_beside_a_known_skill(self) -> None:
        """Lower-case phrases coordinated with a known or found skill ("prompt engineering, fine-tuning and
        safety alignment", "machine learning and drone technology"): skills named beside a skill are skills.

        Each neighbour is a phrase of one to three words joined to the skill (or to a neighbour already
        taken) by a comma, "and" or "or" within the clause; a phrase with a function word ("the", "of",
        "our", "is") is a described thing or a clause, and ends the walk."""
        known = sorted(self.skill_spans | set(self.found))
        for s0, e0 in known:
            e = e0
            for _ in range(6):  # rightwards: ", fine-tuning, safety alignment"
                m = _COORD_RIGHT.match(self.text, e, min(len(self.text), e + 80))
                if not m or not self._coordinated(m.start("item"), m.end("item")):
                    break
                e = m.end("item")
            s = s0
            for _ in range(6):  # leftwards: "design thinking and innovation, data governance"
                window = self.text[max(0, s - 80):s]
                m = _COORD_LEFT.search(window)
                if not m:
                    break
                a = s - len(window) + m.start("item")
                b = s - len(window) + m.end("item")
                lead = _LEAD_VERB.match(self.text, a, b)
                if lead:  # "wants ledger tuning, prompt engineering": the verb opening the list is no part of it
                    a = lead.end()
                if not self._coordinated(a, b):
                    break
                s = a

    def _coordinated(self, a: int, b: int) -> bool:
        """Add the phrase at ``a:b`` as a skill when it may name one; False ends the coordination."""
        phrase = self.text[a:b]
        words = phrase.lower().split()
        plain = {w.lower() for w in phrase.split() if not w.isupper()}  # "IT support": an acronym is no pronoun
        if not words or plain & _FUNCTION_WORDS or words[-1] in _NOT_HEAD | _NOT_COORD_HEAD:
            return False
        if (a, b) in self.skill_spans or (a, b) in self.found:
            return True
        if self._taken(a, b):
            return False
        core = _TRAILING.sub("", _LEADING.sub("", phrase)).split()
        if len(core) == 1 and "-" not in core[0]:
            return False  # "fast and reliable", "physics, maths and engineering": qualities and subjects
        before = len(self.found)
        self._add(a, b, strict=False)
        return len(self.found) > before

    def _under_headings(self) -> None:
        """Entries under a skills heading: short lines or list items, until the run ends."""
        lines = self.layout.lines
        # a skills heading, or a list's lead-in ("Machine Learning Soft Skills Include:")
        heads = (ln for ln in lines if _HEADING.search(ln.content) and (
            ln.kind == "heading" or ln.kind == "prose" and ln.content.endswith(":") and len(ln.content.split()) <= 8))
        for head in heads:
            run = []
            for ln in lines[head.index + 1:head.index + 80]:
                if ln.kind == "prose" and len(ln.content.split()) > 8:
                    break
                if ln.kind == "item" or self.layout.is_label_line(ln):
                    run.append(ln)
                elif not self.layout.is_figure_line(ln):
                    break
            counts: dict[str, int] = {}
            for ln in run:
                counts[ln.content.lower()] = counts.get(ln.content.lower(), 0) + 1
            lines_all = self.layout.lines
            for ln in run:
                if counts[ln.content.lower()] > 1 or _HEADING.search(ln.content):
                    continue  # "Essential" repeated down the run: a column value; a sub-heading
                nxt = lines_all[ln.index + 1] if ln.index + 1 < len(lines_all) else None
                if nxt is not None and self.layout.is_figure_line(nxt):
                    continue  # the caption of the figure below it ("Median Salary" / "£70,000"), not a skill
                label = ln.content.split(":")[0] if ln.kind == "item" else ln.content
                if len(label.split()) <= 6:
                    self._add(ln.start, ln.start + len(label), strict=False)
