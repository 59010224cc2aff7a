"""A question read as a request: the kind of answer it wants and the constraints it states.

Constraints (role, seniority, place, employer, period, source, person) come from the
entity linker, spaCy's NER over the question, the GeoNames place table and a few
grammatical patterns ("according to X", "in 2019", "who founded X"). None of these
rules names a word of a particular question: a place is found because it is a place,
a year because it is a year, a source because the question says "according to".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from careerkg.graph.places import Place, get_places
from careerkg.qa.rolewords import GENERIC_ROLE_WORDS, NOT_MODIFIER, NOT_ROLE_SUBJECT, ROLE_HEAD, person_nouns
from careerkg.qa.spelling import common_words

# answer types
AMOUNT, COUNT, PERCENT, DURATION, DATE, PERSON, PLACE = "amount", "count", "percent", "duration", "date", "person", "place"
LIST, YESNO, EXPLANATION, CHANGE = "list", "yesno", "explanation", "change"
ANSWER_TYPES = (AMOUNT, COUNT, PERCENT, DURATION, DATE, PERSON, PLACE, LIST, YESNO, EXPLANATION, CHANGE)
TYPED = frozenset({AMOUNT, COUNT, PERCENT, DURATION, DATE, CHANGE})  # answers that must hold a figure


@dataclass(frozen=True)
class Constraint:
    """Something the question asks the answer to hold to.

    Attributes:
        kind: role | seniority | place | employer | skill | period | source | publisher | name | basis | unit
            | person (what the evidence must hold; "figure" and "person" also name what an abstention lacks).
        value: the value as the question states it ("Inverness", "2019", "Applyo").
        iri: the linked entity, when the graph knows it.
    """

    kind: str
    value: str
    iri: str | None = None


@dataclass
class Request:
    question: str  # as asked
    text: str  # with spelling corrected
    answer_type: str
    constraints: list[Constraint] = field(default_factory=list)
    corrections: list[tuple[str, str]] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    # a two-part question ("What time is the stand-up, and how long does it last?"): each part's type
    part_types: tuple[str, ...] = ()

    def of(self, kind: str) -> list[Constraint]:
        return [c for c in self.constraints if c.kind == kind]

    @property
    def answer_types(self) -> tuple[str, ...]:
        """The answer type and those of further parts, each once."""
        return tuple(dict.fromkeys((self.answer_type, *self.part_types)))


_Q = re.IGNORECASE
_PERCENT_Q = re.compile(r"\b(what|which) (percentage|proportion|share|percent|fraction)\b|\bhow many per ?cent\b"
                        r"|\bwhat %|\bpercentage of\b|\bproportion of\b", _Q)
_DURATION_Q = re.compile(r"\bhow long\b|\bhow recent(ly)?\b|\bhow many (years|months|weeks|days|hours|minutes)\b|\bduration\b"
                         r"|\bhow much (experience|time)\b", _Q)
_CHANGE_Q = re.compile(r"\bby how much\b|\bhow much (more|less|higher|lower|faster|extra)\b|\bhow (fast|quickly)\b"
                       r"|\bpremium\b|\buplift\b|\bon top of\b|\badds?\b.{0,30}\bto\b"
                       r"|\b(grow|grew|grown|growing|growth|risen|rise|rising|rose|increase[ds]?|increasing|drop(ped)?|fall|fallen|fell|"
                       r"falling|declined?|declining)\b", _Q)
_COUNT_Q = re.compile(r"\bhow many\b|\bnumber of\b|\bhow much demand\b", _Q)
_DATE_Q = re.compile(r"^\s*when\b|\bwhat (year|date|month|time)\b|\bwhich (year|month)\b|\bsince when\b"
                     r"|\b(deadline|closing date|start date|cut-?off date)\b", _Q)
_AMOUNT_Q = re.compile(r"£|\$|€|\bsalar|\bpay\b|\bpays\b|\bpaid\b|\bearn|\bcompensation|\b(day|daily|hourly) rates?\b|\bwages?\b"
                       r"|\bincome\b|\bremuneration|\bhow much (do|does|did|will|would|can|could|is|are|should)\b"
                       r"|\bpackage\b|\bcomp\b|\bgoing rate|\bthreshold\b|\bcharge\b|\btake home\b"
                       r"|\bcost\b|\bfees?\b|\bbonus|\bmoney\b|\bhow much\b.{0,40}\bmake\b|\bmake\b.{0,25}\b(a|per) (year|month|day|week)\b|\binvest(ment|ed)?\b|\bfunding\b|\bfunds?\b"
                       r"|\braised?\b|\bturnover\b|\brevenue\b|\bspend\b|\bprice\b|\bworth\b|\bvalued?\b|\bbudget\b"
                       r"|\bstipends?\b|\ballowances?\b|\bbursar(y|ies)\b|\bgrants?\b", _Q)
_PERSON_Q = re.compile(r"\bwho (founded|runs|leads|owns|heads|started|created|manages|co-founded|wrote|authored|said|"
                       r"chairs|chaired|headed|owned|managed|directed|(is|was) the (?:[\w-]+ )?(ceo|founder|head|director|chief|author|writer|editor|chair\w*|president))\b|"
                       r"\b(ceo|founders?|chief executive|managing director)\b", _Q)
_PLACE_Q = re.compile(r"^\s*where\b(?!\s+(?:should|can|could|do|would|might)\s+(?:i|you|we|one|people)\b)"
                      # "where have its alumnae gone on to work", "where did X work before": for whom, not where
                      r"(?!\s+(?:have|has|had|did)\b[^?]*\b(?:work|worked|working)\b(?:\s+before)?\s*\??\s*$)|\bwhich (city|cities|town|towns|region|regions|country|countries|location|"
                      r"locations|hub|hubs|area|areas)\b|\bwhat (city|town|region|country|location)\b"
                      r"|\b(which|what) parts? of\b", _Q)
# nouns a question uses for organisations it wants named
_ORG_NOUNS_Q = (r"companies|employers|firms|organi[sz]ations|businesses|start-?ups|scale-?ups|banks|labs|recruiters|"
                r"agencies|consultancies")
_LIST_Q = re.compile(r"\b(which|what|name|list)\b(?: \w+){0,3}? (" + _ORG_NOUNS_Q + r"|skills|tools|frameworks|"
                     r"languages|libraries|technologies|platforms|certifications|certificates|qualifications|courses|degrees|sectors|industries|"
                     r"roles|jobs|titles|techniques|topics|projects|requirements|steps|options|routes|schemes|"
                     r"benefits|ways)\b|\bwho (hires|employs|recruits|is hiring)\b|\bname (some|a few)\b", _Q)
_YESNO_Q = re.compile(r"^\s*(is|are|was|were|do|does|did|can|could|should|will|would|has|have|had|must|am)\b", _Q)

_PEOPLE_WHO = re.compile(r"\bhow many\b(?:\s+[\w-]+){0,3}?\s+(?:people|ppl|workers|employees|staff|professionals|"
                         r"respondents|candidates|graduates|students|women|men)\s+(?:\w+ly\s+)?(?:who\b|want|wants|say|said|"
                         r"prefer|think|believe|feel|expect|plan|would|are|were|have|had|use|work)\b", _Q)
YEAR = re.compile(r"\b(19[5-9]\d|20[0-9]\d)\b")
_SOURCE = re.compile(
    r"\b(?:according to|per|as per|based on|(?<!does )(?<!do )(?<!did )says?|said by|from)\s+"
    r"(?:the\s+)?(?P<a>[^,?;:]+?)"
    r"(?:'s)?(?:\s+(?:guide|article|table|report|survey|site|website|page|data|figures|post|blog))?\s*(?:[,?;:]|$)"
    r"|\bin\s+(?:the\s+)?(?P<b>(?:(?!\bin\s)[^,?;:(])+?)(?:'s|’s)?\s+(?:guide|article|table|report|survey|site|website|page|blog"
    r"|post|list|case study|success story)\b"
    # "the Later Levels blogger", "the FT's writer": a guide named by its author's role (a job title in Title Case,
    # "a Technical Writer", is no source)
    r"|\bthe\s+(?P<c>(?-i:[A-Z][\w.&'’-]*)(?:\s+(?-i:[A-Z][\w.&'’-]*)){0,3})(?:'s|’s)?\s+"
    r"(?-i:blogger|author|writer|columnist|journalist|reporter)s?\b", _Q)


_RATE_NOUN = re.compile(r"\b(?:employees?|heads?|persons?|people|workers?|staff|members?|hires?|roles?|jobs?|days?|"
                        r"hours?|weeks?|months?|years?|annum|capita|cent|student|learner|place|vacancy)$", _Q)


def _named_place(name: str) -> bool:
    """A place a user would name in brackets ("(london)"): in the UK, or a city of 100,000 people or more (not
    Hays, Kansas, for "(hays survey)")."""
    pl = get_places().lookup(name)
    return pl is not None and (pl.in_uk or (pl.population or 0) >= 100_000)


# what a bracket qualifies a figure with, not who gives it: "(approx)", "(before tax)", "(per year)"
_BRACKET_FILLER = frozenset("""approx approximately roughly about around est estimated estimate ish circa before after tax
taxes gross net pre post incl including excl excluding inc ex per a an the year years annum annual month monthly week
weekly day daily hour hourly average avg median mean typical base basic total only just roughly pay salary
please thanks thx uk""".split())
_BRACKET_SOURCE = re.compile(r"\(([^()]{2,60})\)\s*[?.!]*\s*$")
_GENERIC_TAIL = re.compile(r"(?:['’]s?|\s+(?:salary|salaries|pay|data|figures|guide|article|table|report|survey|site|"
                           r"website|page|list|blog|post|analysis|tracker|research|study))+\s*$", _Q)
_PREP_PLACE = re.compile(r"\b(?<!outside )(?:in|at|near|around|for|from|(?<!according )to|across|within|based in|live in|"
                         r"compared (?:with|to)|versus|vs\.?|than|relative to)\s+"
                         r"((?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|upon|on|of|and the|the))*)")
_AND_PLACE = re.compile(r"(?:,|\band\b|\bor\b)\s+([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?)")
_LOWER_PREP_PLACE = re.compile(r"\b(?:in|at|near|around|from|across)\s+([a-z][a-z'-]+(?:\s+[a-z][a-z'-]+)?)")
_NOT_SOURCE = re.compile(r"^(a|an|my|your|their|scratch|home|today|now|here|there|\d+|what|which|how|when|where|who|"
                         r"day|days|year|annum|hour|month|week|cent|head|person|capita|"
                         r"about|that|on|to|for|in|it|this|so|yes|no|"
                         r"data science|software engineering|academia|research|uni|university|school|\w+ing|"
                         r"another|other|one|two)\b", _Q)


def asks_length(text: str) -> bool:
    """The question asks how long something lasts ("how long can the visa be granted for"), not how long ago."""
    return _ASKS_LENGTH.search(text) is not None


_ASKS_LENGTH = re.compile(r"\bhow\s+long\b(?!\s+ago\b)", re.I)


def asks_why(question: str) -> bool:
    """The question asks for a reason ("why ...", "how come ...", "According to X, why ...")."""
    return re.match(r"\s*(?:(?:according to|as per|per|in|based on)\b[^?,;:]{0,60}[,;:]\s*)?(?:why|how come)\b",
                    question, _Q) is not None


_WHO_IS = re.compile(r"\s*who(?:['’]?s|\s+(?:is|was))\s+(?:the|their|its|[\w-]+['’]?s)\s+(?:[\w-]+['’]s\s+)?(?P<x>[\w-]+(?:\s+[\w-]+){0,2})(?=\s|\?|$)",
                     re.I)
_WHICH_ONE = re.compile(r"\s*(?:which|what)\s+(?:(?!(?:do|does|did|can|could|will|would|should|is|are|was|were)\b)"
                        r"[\w-]+\s+){0,2}?(?P<noun>[a-z]+)\s+(?:announced|said|says|told|wrote|led|leads|ran|runs|heads|"
                        r"owns|founded|co-founded|started|launched|signed|appointed|chaired|chairs|introduced|unveiled|"
                        r"confirmed|warned|claimed|predicted|set up)\b", re.I)


_HOW_LONG = re.compile(r"\s*how long (?:is|are|does|do|did|will|would|should|was|were) (?:the |a |an |my |your |their )?"
                       r"(?P<x>[\w' -]+?)(?=(?:\s+\w+ly)?\s+(?:last|lasts|take|takes|run|runs|be|in|at|for|of|on|with|if|when|"
                       r"full[- ]time|part[- ]time)\b|\s*[?,]|\s*$)", re.I)


# what a count or share is of, when a field or skill qualifies it ("AI companies", "fintech jobs")
COUNTED = (r"(?:companies|firms|startups|start-ups|businesses|jobs|roles|vacancies|postings|job ads|ads|adverts|"
           r"openings|hubs|investment|funding)\b")
# what a count may be of, by kind: a question counting companies is answered by a count of firms
COUNT_KINDS = (
    frozenset("companies firms businesses startups start-ups scale-ups scaleups employers organisations "
              "organizations spinouts spin-outs spinoffs spin-offs".split()),
    frozenset("jobs roles vacancies positions openings posts postings ads adverts advertisements opportunities "
              "listings hires".split()),
    frozenset("people ppl employees staff workers professionals personnel headcount employ employs employing "
              "employed team".split()),
)
_COUNT_UNITS = frozenset("hours days weeks months years minutes times".split())


_COUNT_STOP = frozenset("""are r were was is do does did have has had will would can could should in at for of on per
across there work working to between before after a an the that who which""".split())
_PEOPLE_WORDS = frozenset("ppl people staff personnel women men children".split())


def _counted(question: str) -> tuple[str | None, str]:
    """The noun a "how many ..." question counts and the words before it."""
    m = re.search(r"\bhow many\s+(?:(?:more|extra|new|additional)\s+)?", question, re.I)
    if m is None:
        return None, ""
    words = []
    for w in re.findall(r"[\w&'-]+", question[m.end():])[:7]:
        if w.lower() in _COUNT_STOP:
            break
        words.append(w)
    nounish = [i for i, w in enumerate(words) if w.lower() in _PEOPLE_WORDS or any(w.lower() in k for k in COUNT_KINDS)
               or (w.lower().endswith("s") and not w.lower().endswith("ss") and len(w) > 3)]
    if not nounish:
        return None, ""
    i = nounish[-1]
    noun = words[i].lower()
    return (None if noun in _COUNT_UNITS else noun), " ".join(words[:i])


def counted_noun(question: str) -> str | None:
    """The noun a "how many X ..." question counts ("how many tech companies are there": companies); None for
    units of time (``count_unit`` holds those) and for questions of another shape."""
    return _counted(question)[0]


def counted_name(question: str) -> str:
    """The words before the counted noun of a "how many ..." question ("Government Statistical Group")."""
    return _counted(question)[1]


def lasting_thing(question: str) -> str | None:
    """The head noun of what a "how long is/does X last" question measures ("the apprenticeship" ->
    "apprenticeship"); None for "how long does it take ..." and questions of another shape."""
    m = _HOW_LONG.match(question)
    if m is None:
        return None
    words = [w for w in m.group("x").split() if not w.lower().endswith("ly")]  # "usually", "typically"
    if not words or words[0].lower() in NOT_ROLE_SUBJECT:
        return None  # "how long do I need to study": no thing that lasts
    head = words[-1].lower()
    if head in NOT_MODIFIER or head in GENERIC_ROLE_WORDS or len(head) < 3:
        return None
    return head


def asks_person(question: str) -> bool:
    """The question asks who someone is: "who founded X", "who is the CEO of X", "which minister announced ..."
    (one person named by a job, then what they did); "how many founders ..." counts them."""
    if re.match(r"\s*how (?:many|much|long|often)\b", question, _Q):
        return False
    if _PERSON_Q.search(question):
        return True
    def one_person(noun: str) -> bool:  # one person by a job ("which minister"), not a group ("recruiters")
        return (noun in person_nouns() or ROLE_HEAD.fullmatch(noun) is not None) and \
            not (noun.endswith("s") and not noun.endswith("ss"))

    m = _WHICH_ONE.match(question)
    if m is not None and one_person(m.group("noun").lower()):
        return True
    # "who is the hiring manager for X", "whos the programme lead": a post named by a job noun
    m = _WHO_IS.match(question)
    words = [w.lower() for w in m.group("x").split()] if m else []
    return any(one_person(w) for w in words) and not set(words) & {"typical", "ideal", "average", "best", "perfect"}


# a title in the question ("LinkedIn's Jobs on the Rise list", "the Data Fellowship Apprenticeship"): its words
# name a thing, they say nothing of what is asked
_TITLE_RUN = re.compile(r"(?<=\s)[A-Z][a-z]+(?:\s+(?:(?:on|of|in|for|and|the|to|at)\s+){0,2}[A-Z][a-z]+)+")


def _without_titles(question: str) -> str:
    """The question with the words of its titles blanked (not a question typed all in Title Case)."""
    words = re.findall(r"[A-Za-z]+", question)
    if sum(w[0].isupper() for w in words) * 2 > len(words):
        return question
    return _TITLE_RUN.sub(lambda m: re.sub(r"\w", "x", m.group(0)), question)


def answer_type(question: str) -> str:
    """The kind of answer a question wants (one of :data:`ANSWER_TYPES`)."""
    q = _without_titles(question.strip())
    if _YESNO_Q.search(q):
        return YESNO
    if asks_why(q) or re.search(r"\bdifference between\b|\bhow does .+ compare\b", q, _Q):
        return EXPLANATION
    if asks_person(q):
        return PERSON
    if re.search(r"\b(?:pay|wage|salary|earnings|bonus)\s+gaps?\b", q, _Q):
        return CHANGE  # a gap is a difference: a percentage, or an amount
    if re.match(r"\s*who\b", q, _Q):  # "who funds / decides / hires ...": not a figure, whatever words follow
        return EXPLANATION
    if _CHANGE_Q.search(q) and not _PLACE_Q.search(q) and (_AMOUNT_Q.search(q) or re.match(r"\s*how much\b", q, _Q) or re.search(
            r"\b(demand|jobs?|vacanc|postings?|ads?|roles?|equity|bonus|package)|\bhow much (more|less|extra)\b",
            q, _Q)):
        return CHANGE
    if _PERCENT_Q.search(q):
        return PERCENT
    if _DURATION_Q.search(q):
        return DURATION
    if _DATE_Q.search(q):
        return DATE
    if _COUNT_Q.search(q) and not re.search(r"\bhow many (companies|employers|firms|skills|tools|ways|steps)\b",
                                            q, _Q):
        return COUNT
    if _LIST_Q.search(q):
        return LIST
    if re.match(r"\s*where\b.*\b(?:used|applied|deployed|useful)\W*$", q, _Q):
        return EXPLANATION  # "where is computer vision used": what it is used for, not a place
    if _PLACE_Q.search(q):
        return PLACE
    if _AMOUNT_Q.search(q):
        return AMOUNT
    if re.search(r"\bhow much\b", q, _Q):
        return COUNT
    return EXPLANATION


_PART = re.compile(r",?\s+and\s+(?=(?:(?:over|for|in|at|by|from|to|with|since|until)\s+)?(?:how|what|when|which|who|"
                   r"where|why)\b)", _Q)  # "..., and over how long?"


_ORGS_Q = re.compile(r"\b(?:which|what|name|list)\b(?: [\w-]+){0,3}? (?:" + _ORG_NOUNS_Q + r")\b|"
                     r"\bwho (?:hires|employs|recruits|is hiring)\b", _Q)


def asks_organisations(question: str) -> bool:
    """The question asks for organisations by name ("which companies ...", "which AI startups ...")."""
    return _ORGS_Q.search(question) is not None


def answer_types(question: str) -> tuple[str, tuple[str, ...]]:
    """The answer type of a question and those of its further parts: "What time is the stand-up, and how
    long does it last?" is a date, then a duration (a one-part question: its type, and no more)."""
    parts = _PART.split(question)
    if len(parts) == 1:
        first = answer_type(question)
        # "how many tech people want an office job": people who hold a view, counted by a survey as a share too
        return first, ((PERCENT,) if first == COUNT and _PEOPLE_WHO.search(question) else ())
    # a part with no figure word of its own ("and what was it two years earlier?") asks the same kind again
    more = tuple(t for t in (answer_type(p) for p in parts[1:]) if t not in (EXPLANATION, YESNO))
    return answer_type(parts[0]), more


# what a pay figure is, when it is not a gross yearly salary: take-home pay, a day rate, an hourly or
# monthly figure (the first that a question names; evidence must say the same)
_BASIS_Q = {"net": re.compile(r"\btake[- ]?home\b|\bafter tax\b|\bnet (pay|salary|income)\b", _Q),
            "day": re.compile(r"\bday[- ]?rates?\b|\bper day\b|\ba day\b|\bdaily\b", _Q),
            "hour": re.compile(r"\bhourly\b|\bper hour\b|\ban hour\b", _Q),
            "month": re.compile(r"\b(per|a|each|every) month\b|\bmonthly\b", _Q)}
BASIS_TEXT = {"net": re.compile(r"\btake[- ]?home\b|\bafter tax\b|\bnet\b", _Q),
              "day": re.compile(r"\bday[- ]?rates?\b|\bper day\b|/\s?day\b|\ba day\b|\bdaily\b|\bp/?d\b", _Q),
              "hour": re.compile(r"\bhourly\b|\bper hour\b|/\s?h(ou)?r\b|\ban hour\b|\bp/?h\b", _Q),
              "month": re.compile(r"\bper month\b|\bmonthly\b|/\s?mo(nth)?\b|\ba month\b|\bpcm\b", _Q)}


_COUNT_UNIT = re.compile(r"\bhow many (hour|day|week|month|year|minute)s?\b", _Q)
UNIT_TEXT = {u: re.compile(rf"\b{u}s?\b", _Q) for u in ("day", "week", "month", "year")}
UNIT_TEXT["hour"] = re.compile(r"\bhours?\b|\bhrs?\b", _Q)
UNIT_TEXT["minute"] = re.compile(r"\bminutes?\b|\bmins?\b", _Q)


def count_unit(question: str) -> str | None:
    """The unit a "how many hours/weeks/years ..." question counts in (evidence must be in it)."""
    m = _COUNT_UNIT.search(question)
    return m.group(1).lower() if m else None


def pay_basis(question: str) -> str | None:
    """The pay basis a question asks about when it is not a year: "day" (day rates) or "hour" (only a
    question about pay has one: "the daily stand-up" is not a day rate)."""
    if not (_AMOUNT_Q.search(question) or re.search(r"\brates?\b|\bcharges?\b", question, _Q)):
        return None
    return next((b for b, rx in _BASIS_Q.items() if rx.search(question)), None)


_EDITION = re.compile(r"\b((?:19|20)\d\d)\s+(?:[\w-]+\s+)?(?:report|survey|edition|review|study|index|tracker|rankings?)\b"
                      r"|\b(?:report|survey|edition|review|study|index|tracker|rankings?|"
                      r"(?-i:(?!(?:In|On|By|For|Since|From|Of|At|To|Until|Before|After|During)\b)[A-Z][\w&’'-]*))"
                      r"\s+((?:19|20)\d\d)\b"
                      r"(?![/-]\d)", _Q)


def edition_years(question: str) -> set[str]:
    """Years that name an edition of a source ("the Tech Nation 2015 report", "BCS Diversity report 2020",
    "(tech nation 2015)"): the guide is that edition; its sentences may speak of other years."""
    out = {m.group(1) or m.group(2) for m in _EDITION.finditer(question)
           if m.group(1) or not m.group(0)[0].islower() or re.match(r"(?i)report|survey|edition|review|study|index|"
                                                                      r"tracker|ranking", m.group(0))}
    m = _BRACKET_SOURCE.search(question)
    if m and source_phrases(question):
        out |= set(YEAR.findall(m.group(1))) - set(re.findall(r"\b((?:19|20)\d\d)[/-]\d", m.group(1)))
    return out


def source_phrases(question: str) -> list[str]:
    """What the question names as its source ("according to Applyo" -> "Applyo")."""
    return [name for name, _ in source_spans(question)]


def source_spans(question: str) -> list[tuple[str, tuple[int, int]]]:
    """Named sources with the span of the phrase that names them ("what does X say the ... is": X is the
    source, named by :func:`publisher_spans`; what follows "say" is the question)."""
    out = []
    for m in _SOURCE.finditer(question):
        if re.match(r"says?\b", m.group(0), _Q) and _SAYS.search(question[:m.start() + 4]):
            continue
        name = (m.group("a") or m.group("b") or m.group("c") or "").strip(" .'\"")
        if re.search(r"\baccording to\b", name, _Q):
            name = re.split(r"\baccording to\b", name, flags=_Q)[-1].strip()
        # "according to indeed whats the salary ..." -> "indeed": a source name ends where the question begins
        name = re.split(r"\s+(?:what|whats|what's|how|hows|which|who|where|when|is|are|do|does|did|can|should)\b",
                        name, maxsplit=1, flags=_Q)[0].strip()
        name = re.sub(r"^(the|a)\s+", "", name, flags=_Q)
        # "the article on the 4 Day Week Foundation's tech pilot": what the document is about names it
        name = re.sub(r"^(?:article|report|guide|post|blog|piece|story|study|survey|page)\s+(?:on|about|by|from)\s+"
                      r"(?:the\s+)?", "", name, flags=_Q)
        # "Read Signs' piece on Anthropic's £630k salaries": the publisher, before what its piece is about
        name = re.split(r"['’]s?\s+(?:article|report|guide|post|blog|piece|story|study|survey|page)\s+(?:on|about)\s",
                        name, maxsplit=1, flags=_Q)[0]
        # "the Guardian in 2012", "the Guardian's 2012 article": the year is the period, asked for apart (not a
        # year inside a quoted title: "HEE's 'Data driven healthcare in 2030' report")
        name = name if re.search(r"(?:^|\s)['‘“\"]\w", name) else re.sub(r"(?:\s+(?:in|from|of)|['’]s)\s+(?:19|20)\d\d(?:[/-]\d\d(?:\d\d)?)?\b.*$", "", name, flags=_Q)
        if re.match(r"(?:its|their|his|her)\b", name, _Q):
            continue  # "according to its 2020 report": the name it points back to is a constraint already
        stripped = _GENERIC_TAIL.sub("", name).strip(" '’")
        # "Women in Data": a tail word after a preposition is part of the name
        if re.search(r"\s(?:in|of|for|and|&)$", stripped, _Q):
            g = "a" if m.group("a") else "b"
            tail = re.match(r"\s+([\w-]+)", question[m.end(g):])
            name = (name.strip(" '’") + (" " + tail.group(1) if tail and not name.endswith(tail.group(1)) else ""))
        else:
            name = stripped
        name = name.split("(")[0].strip()  # "according to BCS (2020)": the year in brackets is the period
        if not name or _NOT_SOURCE.match(name) or len(name) > 60 or YEAR.fullmatch(name):
            continue
        if re.match(r"per\b", m.group(0), _Q) and _RATE_NOUN.search(name):
            continue  # "pay per UK employee", "per head", "per day": a rate, not a source
        if m.group("a") and not re.match(r"(?i)according|per|as per|said|says?", m.group(0).strip()) \
                and not re.search(r"(guide|article|table|report|survey|site|website|page|blog)\b", m.group(0), _Q):
            continue  # "from X" alone is a starting point ("from data science"), not a source
        out.append((name, m.span()))
    # "median tech salary in edinburgh (adzuna 2021)", "... office job? (hays survey)": a name in brackets closing
    # the question is where the user read it (its year is the period; "(2-5 yrs)", "(the X effect)" are no source)
    m = _BRACKET_SOURCE.search(question)
    if m and not out:
        name = _GENERIC_TAIL.sub("", " " + re.sub(r"\s*\b(?:19|20)\d\d(?:[/-]\d\d(?:\d\d)?)?\b\s*", " ",
                                                  m.group(1)).strip()).strip(" '’")
        if name and re.search(r"[a-z]{2}", name, _Q) and not _NOT_SOURCE.match(name) \
                and not _named_place(name) \
                and not all(w in _BRACKET_FILLER for w in re.findall(r"[a-z]+", name.lower())) \
                and not re.match(r"(?:the|a|an|in|at|for|e\.?g|i\.?e|incl\w*|excl\w*|not|or)\b", name, _Q) \
                and not re.search(r"\d|\b(?:yrs?|years?|months?|level|senior|junior|mid)\b", name, _Q):
            out.append((name, m.span()))
    return out


# the levels a question (or a piece of evidence) names, in order of precedence
SENIORITY = [
    (re.compile(r"\b(junior|jr\.?|entry[- ]level|graduate|grad|beginner|starting out|just starting|newly qualified|first job|"
                r"starting (?:salary|salaries|pay|level|point|rate)|starter|new (?:entrant|recruit|hire|joiner)|"
                r"first appointment|start(?:s|ing)? (?:on|at) (?:a )?(?:salary|pay|wage))s?\b", re.I), "Junior"),
    (re.compile(r"\b(mid[- ]?level|mid|intermediate)\b", re.I), "Mid"),
    (re.compile(r"\b(senior|sr\.?)\b", re.I), "Senior"),
    (re.compile(r"\b(lead|leads|head of)\b", re.I), "Lead"),
    (re.compile(r"\b(principal|staff)\b", re.I), "Principal"),
    (re.compile(r"\b(contractors?|contract|day[- ]rates?|per day|freelance)\b", re.I), "Contractor"),
]


_EXPERIENCE = re.compile(r"\b(\d{1,2})\s*(?:[-–—]\s*\d{1,2}\s*|\+\s*)?(?:years?|yrs?)\b", re.I)


ORDINALS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
            "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5",
            "1st": "1", "2nd": "2", "3rd": "3", "4th": "4", "5th": "5"}


def programme_year_named(text: str, n: str) -> bool:
    """The text names year ``n`` of a programme: "in year 2", "year two", "second year", "2nd-year", "year fours"
    (not "a two-year scheme": a length)."""
    words = [w for w, d in ORDINALS.items() if d == n] + [n]
    alt = "|".join(re.escape(w) for w in words)
    ordinal = "|".join(re.escape(w) for w in words if not w.isdigit() and w not in ("one", "two", "three", "four", "five",
                                                                                   "six", "seven"))
    return re.search(rf"\byear\s+(?:{alt})s?\b(?![.,]\d)|\b(?:{ordinal})[\s-]+year\b", text, re.I) is not None


def levels_named(text: str) -> set[str]:
    """Every seniority level a text names ("Lead / Principal Analyst": Lead and Principal), or, when it
    names none, the level its experience band implies ("2–5 years": Mid)."""
    found = {lvl for rx, lvl in SENIORITY if rx.search(text)}
    if not found:
        m = _EXPERIENCE.search(text)
        if m:
            y = int(m.group(1))
            found.add("Junior" if y < 2 else "Mid" if y < 5 else "Senior" if y < 8 else "Principal")
    return found


# the adjective of a nation or country names the place ("Scottish tech firms", "German salaries")
DEMONYMS = {"scottish": "Scotland", "welsh": "Wales", "northern irish": "Northern Ireland", "irish": "Ireland",
             "american": "United States", "german": "Germany", "french": "France", "dutch": "Netherlands",
             "spanish": "Spain", "italian": "Italy", "indian": "India", "canadian": "Canada",
             "australian": "Australia", "polish": "Poland", "swiss": "Switzerland", "swedish": "Sweden"}
_DEMONYM = re.compile(r"\b(?:northern[ -]irish|" + "|".join(k for k in DEMONYMS if " " not in k) + r")\b(?!\s+(?:language|"
                      r"speakers?|speaking|translat\w*|cit(?:y|ies)|towns?))", re.I)  # "which Scottish city": the answer


def places_in(question: str, ner_places: list[str], known_city_labels: set[str]) -> list[Place]:
    """Places the question names: after a preposition, tagged GPE/LOC by NER, or a known city."""
    table = get_places()
    found: dict[str, Place] = {}
    cands = list(ner_places)
    for m in _PREP_PLACE.finditer(question):
        words = m.group(1).split()
        for n in range(min(len(words), table.max_words), 0, -1):  # longest first: "New York", "North East"
            cands.append(" ".join(words[:n]))
    loose: list[str] = []
    named_sources = {x.lower() for x in source_phrases(question)}  # "according to Harnham" is no place
    cands = [c for c in cands if c.strip(" .,'’").lower() not in named_sources]
    # no capitals but acronyms ("the newcastle AI phd"): lower-case place names after a preposition
    if re.sub(r"\b[A-Z]{2,5}s?\b", "", question) == re.sub(r"\b[A-Z]{2,5}s?\b", "", question).lower():
        for m in _LOWER_PREP_PLACE.finditer(question):
            cands += [m.group(1), m.group(1).split()[0]]
        # ... or anywhere ("ml eng pay newcastle"), when the word is no common English word
        loose = [w for w in re.findall(r"[a-z][a-z'-]{3,}", question) if w not in common_words()
                 and w not in named_sources]
    for m in _DEMONYM.finditer(question):  # "Scottish tech firms": Scotland
        cands.append(DEMONYMS[m.group(0).lower().replace("-", " ")])
    for c in cands:
        c = c.strip(" .,'’")
        p = table.lookup(c) or (table.near(c) if c[:1].isupper() and " " not in c else None)
        if p is None and c.lower().startswith("the "):
            p = table.lookup(c[4:])
        if p is None:
            continue
        if c.islower() and c.split()[0] in common_words() and c.title() not in known_city_labels \
                and not (p.kind in ("country", "region") or (p.in_uk and p.population >= 100_000)):
            continue  # "in demand", "in march", "in nice" ...: a lower-case common word is not a place,
            # unless it names a country, a UK region or a UK city of 100,000+ ("in glasgow", "in wales")
        if any(p.name in f or c in f for f in found):
            continue
        found[c] = p
    for w in loose:
        p = table.lookup(w)
        if p is not None and (p.kind in ("country", "region") or (p.in_uk and p.population >= 100_000)) \
                and not any(p.name == q.name for q in found.values()):
            found[w] = p
    if found:  # "in Leeds and Hull", "in Leeds, Hull or York": names coordinated with a place (exact names)
        for m in _AND_PLACE.finditer(question):
            for c in (m.group(1), m.group(1).split()[0]):
                p = table.lookup(c)
                if p is not None and not any(p.name == q.name for q in found.values()):
                    found[c] = p
                    break
    return list(found.values())


_PUBLISHER = re.compile(r"\b(?:the|in|from|by|on|at)\s+(?P<name>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,2})(?:['’]s)?"
                        r"(?:\s+[\w-]+){0,3}?\s+(?:figures|numbers|data|table|tables|guide|survey|report|article|"
                        r"ranges|page|benchmarks?|programmes?|programs?|schemes?|courses?|apprenticeships?|"
                        r"tracker|analysis|study|list)\b")


_SAYS = re.compile(r"\b(?:does|do|did)\s+(?:the\s+)?(?P<name>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,2})(?:['’]s)?"
                   r"(?:\s+[\w-]+){0,2}?\s+(?:say|state|give|list|show|quote|report)\b")


def publisher_spans(question: str) -> list[tuple[str, tuple[int, int]]]:
    """Names used for a source ("the ObiTech MLOps salary figures", "in the Applyo table", "what does
    Applyo say"): a source when a guide's title, publisher or site is named so, else just a word."""
    return [(m.group("name"), m.span("name")) for rx in (_PUBLISHER, _SAYS) for m in rx.finditer(question)]
