"""The answer policy: one place for the thresholds, and the test every piece of evidence must pass.

:class:`AnswerPolicy` names each number the composer and the abstention use.
:class:`Scope` holds a request's constraints against the current guides: which guides a
named source allows, which constraints no allowed guide mentions at all (the answer
abstains and names them), and whether one piece of evidence (a sentence, a table row or
a claim's evidence, with its section heading and its guide's title) meets them all. Which guides a
named source is, :mod:`careerkg.qa.sources` says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from careerkg.graph.places import fold
from careerkg.text import (ANAPHOR, acronyms, is_table_row, previous_sentence, sentence_spans,
                           table_header)
from careerkg.qa.figures import (FIGURE_TYPES, asks_pay, figure_sentences, fits_type, is_location_line,
                                 money_kind_missing, names_any_place, names_place, only_rates, states_location)
from careerkg.qa.evidence import (LENGTH_LABEL, counted_job, counts, experience_years, figure_context,
                                  level_cell_has_figure, lines_above_label, years_fit)
from careerkg.qa.guides import DocView, contains, names_organisation
from careerkg.qa.sources import SourceMatcher
from careerkg.qa.unmet import NAMED_ORGANISATIONS
from careerkg.qa.spelling import common_words, english_counts
from careerkg.qa.persons import FOUNDING, states_relation
from careerkg.qa.request import (AMOUNT, BASIS_TEXT, COUNT, COUNTED, DATE, DEMONYMS, DURATION, LIST,
                                 PERCENT, PLACE, UNIT_TEXT, YEAR, Constraint, Request, asks_organisations, counted_name,
                                 counted_noun, edition_years, lasting_thing, levels_named, programme_year_named)


@dataclass(frozen=True)
class AnswerPolicy:
    """Thresholds of the extractive answer (all in one place; no other module holds one).

    Attributes:
        support_min: a text answer needs a passage sentence covering at least this idf-weighted
            share of the question's content words (or the same support from dense similarity).
        typed_support_min: ``support_min`` for questions asking for a figure of one kind (amount, count,
            percentage, duration, date), whose candidate spans must already hold such a figure.
        sentence_min: a sentence below this coverage is not quoted (unless it is the best one).
        graph_sentence_min: beside graph facts, only sentences at least this close are added.
        dense_floor: dense similarity below this adds no support.
        dense_weight: weight of dense similarity (above the floor) in the support score.
        coverage_weight: weight of lexical coverage when dense similarity adds support.
        text_statements: most quoted sentences in a text answer.
        graph_statements: most quoted sentences added beside graph facts.
        similarity_weight: weight of a span's unit-vector cosine beside its lexical coverage, in ranking
            and in the support it gives.
        similarity_floor: a unit cosine below this adds no support.
        similarity_support: a unit cosine at which a span is supported on its own (``support_min``).
        unit_candidates: spans found by their own vectors (besides the retrieved passages' sentences).
        ranking_bonus: added to the rank of a sentence that says the superlative or ranking the question
            asks about ("the most affordable", "third-highest").
        list_bonus: added to the rank of a sentence that enumerates three or more items, for a question asking
            for a list.
        cause_bonus: added to the rank of a sentence that gives a cause ("because", "a result of"), for a
            question asking why.
        source_word_weight: weight of the words naming a source in a sentence's lexical coverage (they
            chose the guides already; a sentence about the report itself is no answer).
        common_skill_share: a skill the question names that at least this share of the guides name (a third) is
            their common ground ("machine learning"), not a constraint.
        source_match: fuzzy score (0-100) a named source needs against a guide's title,
            publisher, host or id to select it.
        salary_rows: most salary claims listed in one answer.
        relation_rows: most relation claims read for one answer.
        lede_chars: how much of a guide's opening is its title and lede, where it names what it is about (an
            organisation named there is the subject of the guide's sentences; 600: a photo caption may come first).
    """

    support_min: float = 0.5
    typed_support_min: float = 0.3
    sentence_min: float = 0.34
    graph_sentence_min: float = 0.6
    dense_floor: float = 0.2
    dense_weight: float = 0.8
    coverage_weight: float = 0.6
    text_statements: int = 3
    graph_statements: int = 2
    ranking_bonus: float = 0.15
    list_bonus: float = 0.15
    cause_bonus: float = 0.15
    source_word_weight: float = 0.33
    common_skill_share: float = 0.33
    source_match: float = 85.0
    similarity_weight: float = 0.5
    similarity_floor: float = 0.3
    similarity_support: float = 0.7
    unit_candidates: int = 40
    salary_rows: int = 10
    relation_rows: int = 40
    lede_chars: int = 600


DEFAULT_POLICY = AnswerPolicy()



# people named by their level, as those paid: "pay graduates", "what do interns earn"
_LEVEL_PEOPLE = re.compile(r"\b(?:graduates|juniors|seniors|interns|apprentices|trainees|school leavers|new starters|"
                           r"freshers|new hires)\b(?!\s+(?:scheme|programme|program|visa|route|roles?|jobs?))", re.I)

# a level before a job noun the linker left as no role ("a senior programmer", "junior testers"): whose pay is asked
_LEVEL_JOB = re.compile(r"\b(?:junior|senior|graduate|entry[- ]level|mid[- ]level|lead|principal|staff)\s+"
                        r"(?:[a-z][\w-]*\s+)?(?:engineer|scientist|analyst|developer|architect|researcher|manager|"
                        r"consultant|specialist|designer|administrator|technician|programmer|tester|officer)s?\b", re.I)

# a question asking which one organisation did something ("which company offered ...", "which training provider")
_ASKS_AN_ORG = re.compile(r"\s*(?:which|what)\s+(?:[\w-]+\s+){0,2}?(?:company|employer|firm|organi[sz]ation|business|"
                          r"start-?up|bank|recruiter|agency|consultancy|university|provider|college)\b"
                          r"(?!\s+(?:size|type|culture|sector|name|salary|pay|rate|fee|policy|scheme|programme)s?\b)", re.I)

# a question asking the class of degree a scheme wants, and the classes of UK degrees that answer it
# what a person has that only a sentence about them gives ("Dr X's job title", "his salary")
_ATTRIBUTES = frozenset("""title job role position post name age salary pay background career degree view views opinion
nationality email qualification qualifications experience""".split())
# "in what year did ...", "which year was ...": a year is asked for, not a month or a day
_ASKS_YEAR = re.compile(r"\b(?:what|which)\s+year\b(?!\s+of\b)", re.I)
_ASKS_DEGREE_CLASS = re.compile(r"\bdegree\s+(?:classification|class|grade|result)s?\b|\bclass(?:ification)? of degree\b"
                                r"|\bwhat (?:class|classification)\b", re.I)
_DEGREE_CLASS = re.compile(r"(?<![\d.:])[123]:[12](?!\d)|\b2\.[12]\b|\bfirst[- ]class\b|\b(?:upper|lower) second\b|"
                           r"\bthird[- ]class\b|\b(?:a|any) (?:first|2:1|2:2)\b|\bclass(?:ification)? (?:of )?degree\b|"
                           r"\bdegree class(?:ification)?\b|\bhonours\b", re.I)

# events a "when did X ..." question may ask the date of, with the words evidence states each by (verb or noun)
_EVENTS = {
    "opening": r"\bopen(?:s|ed|ing)?\b",
    "launch": r"\blaunch(?:es|ed|ing)?\b|\bintroduc(?:e|es|ed|ing|tion)\b|\bunveil\w*|\brolled out\b",
    "announcement": r"\bannounc(?:e|es|ed|ing|ement)\b",
    "start": r"\bstart(?:s|ed|ing)?\b|\bbegin(?:s|ning)?\b|\bbegan\b|\bcommenc\w+",
    "closing": r"\bclos(?:e|es|ed|ing|ure)\b|\bdeadline\b",
    "introduction": r"\bintroduc(?:e|es|ed|ing|tion)\b|\blaunch(?:es|ed|ing)?\b",
    "release": r"\breleas(?:e|es|ed|ing)\b", "acquisition": r"\bacquir(?:e|es|ed|ing)\b|\bacquisition\b|\bbought\b",
    "move": r"\bmov(?:e|es|ed|ing)\b|\brelocat\w+",
}
# (not publication: a guide's date line, "14 July 2023", says when it was published without saying so)
_EVENT_WORDS = {"opening": r"open(?:s|ed)?", "launch": r"launch(?:es|ed)?",
                "announcement": r"announc(?:e|es|ed)", "start": r"start(?:s|ed)?|begin|began",
                "closing": r"close(?:s|d)?", "introduction": r"introduc(?:e|es|ed)", "release": r"releas(?:e|es|ed)",
                "acquisition": r"acquir(?:e|es|ed)|buy|bought", "move": r"move(?:s|d)?|relocate(?:s|d)?"}


def asked_event(question: str) -> tuple[str, str] | None:
    """The event a "when did X open / was X published" question asks the date of, and the pattern evidence states
    it by (None when the question names no such event: "when is the deadline" asks for a date as such)."""
    named = re.search(r"\b(closing|start|starting|opening|launch|release)\s+date\b", question, re.I)
    if named:  # "what's the closing date for applications": that event's date, however the question is put
        event = {"starting": "start"}.get(named.group(1).lower(), named.group(1).lower())
        return event, _EVENTS[event]  # ("when is the deadline" asks for a date as such: "apply by 30 June")
    if not re.match(r"\s*(?:when|what\s+(?:date|year|day|month))\b", question, re.I):
        return None
    for event, verb in _EVENT_WORDS.items():
        if re.search(rf"\b(?:{verb})\b", question, re.I):
            return event, _EVENTS[event]
    return None


# where one clause of a sentence ends (a list's items, an apposition)
_CLAUSE = re.compile(r"[,;:()\u2014\u2013]|\band\b")

# words a graph answer's template itself speaks to ("which companies hire", "what skills", "how much ... earn")
TEMPLATE_WORDS = frozenset("""company companies employer employers firm firms organisation organisations organization
organizations business businesses hire hires hiring recruit recruits employ employs based located location where
headquartered headquarters city cities town skill skills tool tools framework frameworks language languages learn
need needs know require required requirements expect expected use technology technologies library libraries stack
salary salaries pay paid earn earns money comp package range average typical level levels year years per annum
move switch become transition take takes long career path get into well top best main most major common popular
important essential key good great big biggest leading known work works working ask asks demand demanded
""".split())

_BRITAIN = re.compile(r"\b(?:UK|U\.K\.|Britain|British|United Kingdom)\b", re.I)
# a figure said of the world or of Europe as a whole, which no UK figure is
_WORLDWIDE = re.compile(r"\b(?:globally|worldwide|world-wide|across the (?:world|globe)|around the world|European|"
                        r"across Europe|Europe-wide)\b", re.I)

@dataclass
class Scope:
    """A request's constraints held against the current guides.

    Args:
        request: the parsed question.
        docs: the current guides.
        aliases: entity IRI -> its label and aliases (to find a linked constraint in text).
        policy: thresholds.
    """

    request: Request
    docs: dict[str, DocView]
    aliases: dict[str, tuple[str, ...]]
    policy: AnswerPolicy = DEFAULT_POLICY
    words: dict[str, set[str]] | None = None  # folded word -> guides holding it (to skip most guides fast)
    allowed: set[str] = field(default_factory=set)
    unmet: list[Constraint] = field(default_factory=list)
    narrowed_by: list[Constraint] = field(default_factory=list)  # constraints that left guides out
    common: set[int] = field(default_factory=set)  # ids of skill constraints most guides meet (no constraint)
    org_names: dict[str, tuple[str, ...]] | None = None  # folded org names by first word (None: unchecked)

    def __post_init__(self) -> None:
        # what the question measures, read once: the thing a "how long" question times, a founding date asked
        self._thing = lasting_thing(self.request.text) if self.request.answer_type == DURATION else None
        self._founding = self.request.answer_type == DATE and states_relation(FOUNDING, self.request.text)
        self._event = asked_event(self.request.text) if self.request.answer_type == DATE and not self._founding \
            else None
        self._counted = counted_noun(self.request.text) if self.request.answer_type == COUNT else None
        self._counted_name = counted_name(self.request.text) if self._counted else ""
        self._in_uk = _BRITAIN.search(self.request.text) is not None  # the question names the UK itself
        # a job counted ("how many bioinformaticians"), which a count of people of any job may stand for
        self._counted_job = counted_job(self._counted) if self._counted else None
        self._asks_orgs = self.request.answer_type == LIST and asks_organisations(self.request.text) or \
            _ASKS_AN_ORG.match(self.request.text) is not None  # "which company offered X": one, by its name
        # the edition of a source the question names ("the Tech Nation 2015 report"; not a survey no guide is)
        # years of experience the pay asked about comes with ("after 10 years experience", "with 2-5 yrs")
        self._years = experience_years(self.request.text) if re.search(
            r"\bexperience|\bexperienced|\bafter\s+\d|\bwith\s+\d|under (?:their|my|your) belt", self.request.text,
            re.I) else []
        lo, hi = self._years[0] if self._years else (0, 0)
        self._years_level = next(iter(levels_named(f"{(lo + min(hi, lo + 5)) / 2:g} years")), None)
        self._editions = edition_years(self.request.text) if any(
            self.request.of(k) for k in ("source", "employer", "name")) else set()
        self._role_sentences: dict[tuple[str, int], list[str]] = {}  # a guide's sentences naming a role (asked once)
        self._main_places: dict[tuple[str, str], bool] = {}
        self._spelled_roles: dict[str, tuple[str, ...]] = {}
        self._degree_class = _ASKS_DEGREE_CLASS.search(self.request.text) is not None
        self._asks_year = _ASKS_YEAR.search(self.request.text) is not None
        # "Rishi Sunak's AI safety summit": the thing of theirs asked about, by its last word ("summit")
        self._possessed = {c.value: m.group(1) for c in self.request.of("person") for m in [re.search(
            rf"{re.escape(c.value)}['’]s\s+(?:[\w-]+\s+){{0,3}}?([\w-]+)(?=\s+(?:is|was|were|are|held|based|at|in|"
            rf"on|for|of|to|and|by)\b|\s*[?.,!]|\s*$)", self.request.text)] if m}
        self.allowed = set(self.docs)
        self.common = self._common_skills()
        self.sources = SourceMatcher(self.docs, self.words, self.policy, self._in_text)
        for c in self.request.of("source"):
            # the source's own guides and the guides citing it ("Research by ... Adzuna shows ...")
            # "Randstad's Ruth Jacobs": a person of an organisation, named apart ("Ruth Jacobs, managing director of
            # Randstad")
            # "Robert Walters and Vacancysoft": two sources, each named by the guide
            parts = [Constraint("source", x.strip(" '‘’\"“”")) for x in re.split(r"['’]s\s+|\s+(?:and|&)\s+", c.value)
                     if x.strip(" '‘’\"“”")]
            hit = {d for d, v in self.docs.items() if self.sources.matches(c.value, v) or self._in_text(v, c)
                   or len(parts) > 1 and all(self._in_text(v, x) for x in parts)}
            # "HESA": the guides naming the Higher Education Statistics Agency too; "the senior salaries review",
            # when no guide names it so: the "Review Body on Senior Salaries" (its own words, in any order)
            acronym = c.value.upper() if re.fullmatch(r"[a-z]{3,8}", c.value) and \
                c.value not in english_counts() else c.value  # "hesa" typed in lower case
            if re.fullmatch(r"[A-Z]{3,8}", acronym):
                hit |= {d for d, v in self.docs.items() if acronym in v.spelled_out}
            if not hit:
                hit = {d for d, v in self.docs.items() if self.sources.cites_words(v, c.value)}
            if not hit:
                hit = self.sources.named_parts_hit(c.value)
            if hit:
                self.allowed &= hit
            else:
                self.unmet.append(c)
        for c in self.request.of("publisher"):  # a name used for a source: narrows when a guide is it
            hit = {d for d in self.allowed if self.sources.matches(c.value, self.docs[d])} or \
                ({d for d in self.allowed if self._in_text(self.docs[d], c)} if " " in c.value else
                 {d for d in self.allowed if self._in_text(self.docs[d], c) and self.docs[d].names_as_name(c.value)})
            if hit:
                self.allowed &= hit
        if not self.unmet:
            # evidence comes from guides that name every constrained thing (place, employer, role, period);
            # of several places, any one (each must be named by some guide)
            places = self.request.of("place")
            several = len(places) > 1
            any_place: set[str] = set()
            for c in self.request.constraints:
                if c.kind in ("source", "seniority", "publisher") or id(c) in self.common:
                    continue
                texts = BASIS_TEXT if c.kind == "basis" else UNIT_TEXT if c.kind == "unit" else None
                if c.kind == "period" and c.value.startswith("year "):  # "in year 2": "in the second year"
                    hit = {d for d in self.allowed if programme_year_named(self.docs[d].text, c.value.split()[1])}
                else:
                    hit = {d for d in self.allowed if (texts[c.value].search(self.docs[d].text) is not None
                                                        if texts else self._doc_mentions(self.docs[d], c))}
                if not hit:
                    self.unmet.append(c)
                elif several and c.kind == "place":
                    any_place |= hit
                elif not self.unmet:
                    if hit != self.allowed:
                        self.narrowed_by.append(c)
                    self.allowed = hit
            if several and not self.unmet:
                self.allowed &= any_place

    # -- constraints ----------------------------------------------------------------------

    def _tied_to_role(self, v: DocView, sentence: str, c: Constraint) -> bool:
        """A name the sentence gives is named, somewhere in its guide, in a sentence naming the role ("Asda is
        headquartered in Leeds" beside "Companies like ..., Asda and BJSS hire machine learning engineers")."""
        key = (v.doc_id, id(c))
        if key not in self._role_sentences:
            self._role_sentences[key] = [v.text[a:b] for a, b in sentence_spans(v.text)
                                         if self._mentions(v.text[a:b], c)]
        names = [n for n in re.findall(r"\b[A-Z][\w&.'’-]+(?:[ \t]+(?:&[ \t]+)?[A-Z][\w&.'’-]+)*", sentence)
                 if len(n) > 2 and not all(w.lower() in common_words() for w in re.findall(r"\w+", n))]
        return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", s) for n in names for s in self._role_sentences[key])

    def _names_org(self, text: str) -> bool:
        """The text names an organisation other than those the question names (:func:`names_organisation`)."""
        return names_organisation(text, self.org_names or {}, besides=self.request.text)

    def _common_skills(self) -> set[int]:
        """Skills the question names that most guides name too ("machine learning" in a corpus about machine
        learning jobs): the common ground of the corpus, which distinguishes no evidence (ids of constraints)."""
        out: set[int] = set()
        skills = self.request.of("skill")
        if not skills or self.words is None or len(self.docs) < 4:
            return out
        for c in skills:
            keys = re.findall(r"\w+", fold(c.value))
            holding = set(self.docs)
            for k in keys:
                holding &= self.words.get(k, set())
            if keys and len(holding) >= self.policy.common_skill_share * len(self.docs) and not re.search(
                    rf"\b{re.escape(c.value)}\s+{COUNTED}", self.request.text, re.I):
                out.add(id(c))  # but not in "how many AI companies": which companies are counted
        return out

    def _names(self, c: Constraint) -> tuple[str, ...]:
        names = self.aliases.get(c.iri, ()) + (c.value,) if c.iri else (c.value,)
        if c.kind == "place":  # "Scottish coders are paid £51,215": Scotland's pay
            names += tuple(adj for adj, place in DEMONYMS.items() if place == c.value)
        if c.kind == "role":  # a post is "Director of Technology" or "director, technology"
            names += tuple(re.sub(r"\s+of\s+", ", ", n, count=1) for n in names if re.search(r"\w\s+of\s+\w", n))
            if c.iri is None:
                names += self._spelled_out_role(c.value)
        if c.kind == "person":  # "Dr Nadia Pollini" is "Pollini" after the first time
            names += tuple(n.split()[-1] for n in names if len(n.split()) > 1 and len(n.split()[-1]) >= 4)
        if c.kind in ("employer", "name"):  # "the UK AI Safety Institute" is "AISI" in its guide
            names += tuple(a for n in names for a in acronyms(n) if a.lower() not in english_counts())  # not "CASE"
            # a name written in camel case is also written as words ("OpenAI" as "Open AI")
            names += tuple(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", n) for n in names if re.search(r"[a-z][A-Z]", n))
        return names

    def _spelled_out_role(self, value: str) -> tuple[str, ...]:
        """A role no list knows typed with its field's initials ("cv engineer"): the roles the guides write with
        words of those initials before the same head ("computer vision engineer"), read once per question."""
        words = value.split()
        if len(words) < 2 or not re.fullmatch(r"[A-Za-z]{2,4}", words[0]) or \
                len(words[0]) == 4 and words[0].lower() in english_counts():  # "data engineer" is no "d. a. t. a."
            return ()
        if value not in self._spelled_roles:
            head = re.escape(fold(" ".join(words[1:])))
            rx = re.compile(r"\b" + r"\s+".join(rf"{ch}[a-z]+" for ch in words[0].lower()) + rf"\s+{head}s?\b")
            found: dict[str, None] = {}
            for v in self.docs.values():
                if self.words is not None and not all(v.doc_id in self.words.get(k, ()) for k in
                                                      re.findall(r"\w+", fold(" ".join(words[1:])))):
                    continue
                for m in rx.finditer(v.folded):
                    found[re.sub(r"\s+", " ", m.group(0)).removesuffix("s")] = None
            self._spelled_roles[value] = tuple(found)[:3]
        return self._spelled_roles[value]

    def _mentions(self, text: str, c: Constraint) -> bool:
        return any(contains(text, n) for n in self._names(c) if len(n) >= 2)

    def _in_text(self, v: DocView, c: Constraint) -> bool:
        """The guide's text names it (the word index rules most guides out before any text is read)."""
        for n in self._names(c):
            if len(n) < 2:
                continue
            keys = re.findall(r"\w+", fold(n))
            if self.words is not None and not all(v.doc_id in self.words.get(k, ()) for k in keys):
                continue
            if contains(v.folded, n, folded=True):
                return True
        return False

    def _doc_mentions(self, v: DocView, c: Constraint) -> bool:
        """The guide names it in its text, its title or its id ("nottingham-..." for Nottingham)."""
        return self._in_text(v, c) or self._mentions(v.title + "\n" + v.doc_id.replace("-", " "), c) or \
            re.sub(r"\W+", "", fold(c.value)) in re.sub(r"\W+", "", fold(v.doc_id))

    def _distinctive(self, word: str) -> bool:
        """A word at most a third of the current guides use (every word is, without the word index)."""
        if self.words is None or not self.docs:
            return True
        return len(self.words.get(fold(word), ())) * 3 <= len(self.docs)

    def _place_ok(self, c: Constraint, context: str, about: str, location: str | None,
                  v: DocView | None = None) -> bool:
        if location is not None:
            return any(contains(location, n) for n in self._names(c))
        if self._mentions(context + "\n" + about, c):
            return True
        # a guide about one place ("... in Northern Ireland" from its opening on, again and again): its
        # sentences that name no place of their own are about that place
        # (a place the question names itself, "UK students", is no other place: "UK: £13,000")
        return v is not None and self._main_place(v, c) and not names_place(context, besides=self.request.text)

    def _main_place(self, v: DocView, c: Constraint) -> bool:
        """The guide is about this place: named in its opening and three times in all, or given as its
        "Location" (a course page's or a job advert's "Location: Loughborough" / "Location" then the name).
        Read once per guide and place for a question."""
        key = (v.doc_id, c.value)
        if key not in self._main_places:
            self._main_places[key] = self._is_main_place(v, c)
        return self._main_places[key]

    def _is_main_place(self, v: DocView, c: Constraint) -> bool:
        names = [n for n in self._names(c) if len(n) >= 3]
        if any(re.search(rf"(?im)^[ \t]*(?:location|based in|campus|office|where)[ \t]*:?[ \t]*\n?[ \t]*"
                         rf"{re.escape(n)}\b", v.text) for n in names):
            return True
        opening = v.text[:400]
        if not any(contains(opening, n) for n in names):
            return False
        return sum(v.count(n) for n in names) >= 3

    def places_met(self, doc_id: str, start: int, end: int, location: str | None = None) -> set[str]:
        """The asked places a piece of evidence is about (for a question naming several)."""
        v = self.docs.get(doc_id)
        if v is None:
            return set()
        context = f"{v.text[start:end]}\n{v.heading(start)}"
        about = f"{v.title}\n{v.doc_id.replace('-', ' ')}"
        return {c.value for c in self.request.of("place") if self._place_ok(c, context, about, location, v)}

    def context(self, doc_id: str, start: int) -> str:
        """The section heading above a span and what its guide is: its title, id and publisher (what scopes the
        span's meaning: a line "Salary: £31,000" in "tfl-data-science-graduate" is TfL's)."""
        v = self.docs.get(doc_id)
        if v is None:
            return ""
        about = f"{v.heading(start)}\n{v.title}\n{v.doc_id.replace('-', ' ')}\n{v.publisher}"
        if ANAPHOR.match(v.text, start, start + 12):  # "The latter pays more": the sentence it points back to
            return f"{about}\n{previous_sentence(v.text, start)}"
        return about

    def _says_where(self, sentence: str, c: Constraint, before: str | None = None) -> bool:
        """The sentence says where the organisation is: a place in the clause naming it or the clause after
        ("DeepMind, a London-based lab"; not "... Anthropic's London office, Cohere, Synthesia and ElevenLabs"),
        or, naming it not at all, a place with "based", "headquartered", "offices" ... (a guide about it)."""
        cuts = [0, *(m.end() for m in _CLAUSE.finditer(sentence)), len(sentence)]
        clauses = [sentence[a:b] for a, b in zip(cuts, cuts[1:])]
        named = [i for i, cl in enumerate(clauses) if self._mentions(cl, c)]
        if not named:
            return states_location(sentence) or is_location_line(sentence)  # an advert's "Cambridge, ..., UK"
        near = [" ".join(clauses[i:i + 2]) for i in named]
        # "Companies like Darktrace, Featurespace, and Arm's ML team are based here": where "here" is, before
        return any(names_any_place(t) for t in near) or \
            (before is not None and any(re.search(r"\b(?:here|there)\b", t) for t in near) and names_any_place(before))

    def satisfies(self, doc_id: str, start: int, end: int, *, role_iri: str | None = None,
                  location: str | None = None, unit: str | None = None,
                  seniority: str | None = None) -> list[Constraint]:
        """The constraints a piece of evidence fails (empty: it may answer).

        A level ("senior") binds figures only: a pay figure for another level, or for no level
        ("Data Analyst avg"), does not answer "what does a senior analyst earn"; for other answers
        the level is context. Two or more places ("London compared with Manchester") are met by
        evidence for any one of them (the answer as a whole must cover each: :meth:`places_met`).

        Args:
            doc_id, start, end: the evidence span.
            role_iri, location, unit, seniority: what a claim itself says (a salary claim's role,
                place, pay basis (YEAR or DAY) and level), which decide instead of the text around it.
        """
        if doc_id not in self.allowed:
            return list(self.request.of("source")) + self.narrowed_by or [Constraint("source", doc_id)]
        v = self.docs[doc_id]
        sentence = v.text[start:end]
        figure_type = self.request.answer_type if self.request.answer_type in FIGURE_TYPES else None
        if figure_type and role_iri is None:
            sentence = figure_sentences(figure_type, sentence)
            if not self.request.of("basis") and asks_pay(self.request.text) and only_rates(sentence):
                return [Constraint("basis", "year")]  # "what salary range ...": day rates do not answer it
        heading, before = v.heading(start), previous_sentence(v.text, start)  # read once per piece of evidence
        if is_table_row(sentence):  # a table row is read under its header ("| Level 3 Data Technician | ...")
            heading = f"{heading}\n{table_header(v.text[max(0, start - 2000):start])}"
        wide = f"{sentence}\n{heading}"
        if ANAPHOR.match(sentence):  # "The latter pays 15-25% more": what it refers to is the sentence before
            wide += "\n" + before
        # of sentences quoted together, those holding the figure say whom, where and when it is about ("... the
        # same role in London and Manchester. ... data architects earning £90k": Manchester is not the £90k's
        # place); who found or said it (an employer, a skill's table) may be the sentence before
        context = f"{figure_context(v.text, start, sentence, figure_type)}\n{heading}" \
            if figure_type and role_iri is None else wide
        above = lines_above_label(v.text, start, sentence, before)  # "UK: £13,000" under "Fees for 2024-25"
        if above is not None:
            context, wide = f"{context}\n{above}", f"{wide}\n{above}"
        about = f"{v.title}\n{v.doc_id.replace('-', ' ')}"  # what the whole guide is about
        failed = []
        places = self.request.of("place")
        for c in self.request.constraints:
            if c.kind in ("source", "publisher", "name") or (c.kind == "seniority" and (
                    self.request.answer_type != AMOUNT or not self.request.of("role")
                    and not _LEVEL_PEOPLE.search(self.request.text) and not _LEVEL_JOB.search(self.request.text))):
                continue  # a level qualifies a role's pay ("Graduate visa fee" names no role: no level), or is
                # who is paid ("what does X pay graduates")
            if c.kind == "seniority":
                # a claim's own level decides, but "Contractor" is a pay basis: the caption says the level
                # (the guide's title when the evidence names no level: "Salary: £31,000" on "Data Science Graduate")
                named = {seniority} if seniority and seniority != "Contractor" else \
                    levels_named(context) or levels_named(v.title)
                ok = c.value in named or (c.value in ("Lead", "Principal") and bool(named & {"Lead", "Principal"})) or \
                    (c.value == "Contractor" and (unit == "DAY" or BASIS_TEXT["day"].search(context) is not None))
                if ok and role_iri is None and is_table_row(sentence):
                    # a row under a header naming each level in a column: the level's own cell holds a figure
                    # ("Junior (0-3 years) | Mid-level ..." over "United Kingdom (£) | - | 84,500 ...": no junior pay)
                    ok = level_cell_has_figure(table_header(v.text[max(0, start - 2000):start]), sentence, c.value)
            elif c.kind == "place" and len(places) > 1:
                if c is not places[0]:
                    continue  # the places are tested together, once
                ok = any(self._place_ok(p, context, about, location, v) for p in places)
                if not ok:
                    failed.extend(places)
                continue
            elif c.kind == "person":  # "Dr Nadia Pollini's job title": what is said of her names her (or says
                # it in the sentence after one that does)
                # (not a heading: a caption "Dr X" heads no text; the sentence before when it leads into a quote
                # ("Dr Sarah Main said:") or the sentence goes on from it ("She added ...", "This week's meeting ..."))
                led = before.rstrip().endswith(":") or ANAPHOR.match(sentence) or re.match(r"\W*(?:his|her)\b",
                                                                                             sentence, re.I)
                ok = self._mentions(sentence + ("\n" + before if led else ""), c) or (
                    c.value in self._possessed and self._possessed[c.value].lower() not in _ATTRIBUTES
                    and contains(sentence, self._possessed[c.value]))  # (or of their thing; not of "her job title")
            elif c.kind == "unit":  # "how many hours a week": a figure in hours, not months
                ok = UNIT_TEXT[c.value].search(sentence) is not None
            elif c.kind == "basis":  # a day rate is not a yearly salary
                ok = (unit == c.value.upper()) if unit is not None else \
                    BASIS_TEXT[c.value].search(context) is not None
            elif c.kind == "role":
                if role_iri is not None:
                    ok = role_iri == c.iri
                else:
                    # (a guide's main role stands for its sentences, but not when organisations are asked for:
                    # "which companies hire data scientists" needs a sentence tying them to the role)
                    ok = self._mentions(context + "\n" + v.title, c) or (
                        c.iri is not None and v.main_role == c.iri and (
                            not self._asks_orgs or self._tied_to_role(v, sentence, c)
                            or self._mentions(about, c)))  # (a guide about the role: its id says so)
                    if not ok and (c.iri is None or self._asks_orgs) and len(c.value.split()) > 1:
                        # a role no list knows ("LLMOps engineer"), or one organisations are asked for, is named
                        # by its distinctive words ("comparable LLMOps roles", "top UK employers for MLOps")
                        # once its guide names the whole role; a word most
                        # guides use ("data" of "data director") distinguishes nothing
                        words = [w for w in c.value.split()[:-1] if self._distinctive(w)]
                        ok = bool(words) and all(contains(context, w) for w in words) and self._in_text(v, c)
            elif c.kind == "place":
                ok = self._place_ok(c, context, about, location, v)
            elif c.kind == "period" and c.value.startswith("year "):  # a programme's year: "in year 2", "second year"
                ok = programme_year_named(context, c.value.split()[1])
            elif c.kind == "period":  # the evidence names the year, or names none in a guide (titled or dated)
                # about that year: "by 2023" in a guide titled "... 2024" is about 2023
                # (an edition the question names, "the Tech Nation 2015 report": every sentence of that guide, "Research
                # began in early 2014" too)
                ok = self._mentions(context, c) or \
                    ((YEAR.search(context) is None or c.value in self._editions) and
                     (v.year == c.value or self._mentions(f"{v.title}\n{v.doc_id.replace('-', ' ')}", c)))
            elif c.kind == "skill":  # a skill the question names is named by the evidence or its heading; of
                # several ("MLOps tools for experiment tracking"), any one (the others may be a category)
                skills = [k for k in self.request.of("skill") if id(k) not in self.common]
                if not skills:
                    continue
                if c is not skills[0]:
                    continue
                ok = any(self._mentions(wide, k) for k in skills)
                if not ok:
                    failed.extend(skills)
                continue
            else:  # an employer: the evidence, its section or the guide as a whole (its title, id or lede) is
                # about it ("Pay rise of 6.75% offered ... / ... the civil service's Fast Stream graduate scheme")
                # (a count is of what its own passage names: a guide whose byline names X ("CEO of Healx")
                # does not count X's staff in "Cambridge ... employing around 68,000")
                full = v.spelled_out.get(c.value) if c.value.isupper() else None  # "UKRI": "UK Research and Innovation"
                ok = self._mentions(wide + "\n" + about, c) or bool(full and contains(wide + "\n" + about, full)) or \
                    re.sub(r"\W+", "", fold(c.value)) in re.sub(r"\W+", "", fold(v.doc_id)) or \
                    (figure_type != COUNT and self._mentions(v.text[:self.policy.lede_chars], c))
            if not ok:
                failed.append(c)
        if self._asks_orgs and self.org_names is not None \
                and not self._names_org(sentence):
            failed.append(Constraint("employer", NAMED_ORGANISATIONS))  # "which companies ...": names, not a count
        if self.request.answer_type == PLACE and location is None and \
                any(not self._says_where(sentence, c, f"{heading}\n{before}")
                    for c in self.request.of("employer")):
            failed.append(Constraint("figure", "place"))  # "where is X based": a list naming X beside London is no
        if self._thing and not self._mentions(f"{wide}\n{about}", Constraint("name", self._thing)) \
                and not (LENGTH_LABEL.match(sentence) and self._mentions(v.text, Constraint("name", self._thing))):
            failed.append(Constraint("figure", "duration"))  # "how long is the apprenticeship": its length, in a
            # passage about it, or a label line giving the length ("| Duration | ...") in a guide naming it
        if self._asks_year and not YEAR.search(context):
            failed.append(Constraint("figure", "year"))  # "announced ... in November" says no year
        if self._degree_class and not _DEGREE_CLASS.search(context):
            failed.append(Constraint("figure", "degree classification"))  # "what degree classification do you
            # need": a 2:1, a first, a 2:2 ..., not any sentence about the scheme
        if self._counted and not counts(self._counted, sentence, self._counted_name) and not (
                PERCENT in self.request.answer_types and fits_type(PERCENT, sentence)):  # a share of those counted
            failed.append(Constraint("count", self._counted))  # "how many companies": a count of companies
        elif self._counted_job and not self._mentions(f"{wide}\n{about}\n{v.text[:self.policy.lede_chars]}",
                                                      Constraint("name", self._counted_job)):
            # people of a job are counted as "people" in a passage or guide about that job ("22,050 people" in a
            # guide on civil servants), not in one about everyone ("Scottish tech firms employ 135,000 people" is
            # no count of bioinformaticians)
            failed.append(Constraint("count", self._counted))
        if self._in_uk and _WORLDWIDE.search(sentence) and not _BRITAIN.search(sentence):
            failed.append(Constraint("place", "UK"))  # "250,000 new jobs globally by 2030" is no UK figure
        if self._founding and not states_relation(FOUNDING, sentence):
            failed.append(Constraint("figure", "founding date"))  # "when was X founded": not any year X is named in
        if self._event and not re.search(self._event[1], context, re.I):
            failed.append(Constraint("figure", f"date of {self._event[0]}"))  # "when did the office open": a date
            # the evidence gives for that event, not a year the passage happens to name ("by 2030")
        if figure_type == AMOUNT and self._years:
            # pay after 20 years, or a starter's pay, is no answer to "after 10 years experience"
            stated, named = experience_years(context), levels_named(context) - {"Contractor"}
            if not (years_fit(self._years, stated) if stated else not named or self._years_level in named):
                failed.append(Constraint("seniority", f"{self._years[0][0]:g} years' experience"))
        if figure_type == AMOUNT and role_iri is None:
            kind = money_kind_missing(self.request.text, sentence, context, v.title)
            if kind:
                failed.append(Constraint("figure", kind))  # a seed round is no salary, a salary table no stipend
        return failed
