"""Discovery: employers and cities no list knows, found in a document by how its text uses them.

:class:`Discovery` proposes names from list patterns ("companies like X, Y and Z", "fintech (X,
Y)", "at X, Y, or Z"), from a run of names holding a known employer, from what the text calls them
("X, a Sheffield startup", "startup X", "chief executive of X", "Brighton's X") and from spaCy's
NER, and keeps an organisation only when the text uses it as an employer
(:meth:`Discovery.employer_usage`: it hires, pays, is based somewhere, runs graduate schemes;
people work or have roles at it), never when it is a degree grade, a job title, a place, a visa
route or SQL in a code block; a single word of a longer name never stands for it alone, and a
trailing city is not part of a name ("Two Sigma London" is Two Sigma, and London). Discovered
entities get ``discovered=True`` and an IRI minted from the name, so the same name in two guides
is one entity.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.tokens import Doc, Span

from careerkg.text import common_words
from careerkg.model import Entity, Mention
from careerkg.graph.gazetteer import Gazetteer
from careerkg.graph.vocab import mint

_COUNTRIES = {"uk", "u.k.", "united kingdom", "the united kingdom", "britain", "great britain",
              "england", "scotland", "wales", "northern ireland", "us", "usa", "u.s.",
              "united states", "america", "china", "europe", "eu", "india", "germany", "france",
              "the south west", "south west", "the north", "the midlands"}
_CITY_PREV = {"in", "near", "across", "around", "outside", "from", "based", "to"}
# a capitalised name of up to four words; a dot only inside a word ("Checkout.com", not "ElevenLabs. No")
# a number closing a name ("Version 1", "Channel 4"), not a quantity after one ("Monzo 10 years ago")
_NUM_TAIL = (r"(?:[ \t]+\d{1,2}(?![\w%:/£$€-]|[.,]\d|[ \t]+(?:years?|months?|weeks?|days?|hours?|per|percent|million|"
             r"billion|times|of|to|jobs?|roles?|people|staff|employees|new|more|less|[a-z]+s)\b))?")
_LIST_NAME = (r"[A-Z](?:[\w'’&\-]|\.(?=\w))*(?:[ \t]+(?:(?:&|of|for|and)[ \t]+)?[A-Z](?:[\w'’&\-]|\.(?=\w))*){0,3}"
              + _NUM_TAIL)
_NAME = r"[A-Z](?:[\w'’&\-]|\.(?=\w))*(?:[ \t]+(?:(?:&|of|for)[ \t]+)?[A-Z](?:[\w'’&\-]|\.(?=\w))*){0,3}" \
    + _NUM_TAIL
# how a name is used when it names an employer: what comes right after it, or right before it
_ORG_NOUNS = (r"(?:company|companies|startup|start-up|firm|scale-up|spin-out|spin-off|spinout|unicorn|consultancy|"
              r"bank|insurer|retailer|employer|chipmaker|manufacturer|platform|provider|marketplace|agency|"
              r"broadcaster|charity|organisation|organization|institute|hub|lab|laboratory|regulator|watchdog|"
              r"body|centre|center)")
_AFTER_CUE = re.compile(
    r"[ \t]*(?:\([^()\n]{1,60}\)[ \t]*)?(?:,[ \t]*(?:an?|the)[ \t]+[^,.;\n]{1,50}?,[ \t]*)?"
    r"(?:,[ \t]*(?=which|that|who))?"
    r"(?:(?:is|are|was|has|have|had|also|now|currently|actively|recently|still|which|that|who|will|to)[ \t]+){0,3}"
    r"(?:hir(?:es|ing|ed)|recruit(?:s|ing|ed)|employ(?:s|ing|ed)|pays?|paid|offer(?:s|ed)?|based|headquartered|"
    r"rais(?:es|ed)[ \t]+(?:[$£€]|US\$)|secured[ \t]+(?:[$£€]|US\$)|"
    r"opened|opens|(?:graduate|apprentice\w*|intern\w*|school[ \t]+leaver|trainee)[ \t]+(?:salary|salaries|scheme|schemes|"
    r"programmes?|programs?|"
    r"roles?|jobs?|intake)|careers?[ \t]+(?:site|page)|vacancies|"
    # where it put its offices: "X chose Manchester as the site for its northern headquarters"
    r"(?:chose|picked|selected|moved[ \t]+to|relocated[ \t]+to)[^.;\n]{1,60}?\b(?:headquarters|HQ|offices?|base|"
    r"hub|campus))\b|"
    # an apposition that says what it is: "X, a semi-conductor company that ...", "X: an Edinburgh-created unicorn"
    rf"[ \t]*[,:][ \t]*(?:an?|the)[ \t]+(?:[\w’'-]+[ \t]+){{0,3}}?{_ORG_NOUNS}\b(?![’']s)", re.I)
_POSS_CUE = re.compile(r"[’']s[ \t]+(?:[\w-]+[ \t]+){0,2}?(?:teams?|offices?|engineers|staff|employees|workforce|"
                       r"graduate|hiring|headquarters|HQ|labs?|careers|trainee|apprentice\w*|school[ \t]+leaver)\b",
                       re.I)
_BEFORE_CUE = re.compile(
    r"(?:\b(?:at|join(?:s|ed|ing)?|work(?:s|ed|ing)?[ \t]+(?:at|for|in)|roles?[ \t]+at|jobs?[ \t]+at|engineers?[ \t]+at|"
    r"hired[ \t]+by|recruited[ \t]+by|employed[ \t]+by|the[ \t]+likes[ \t]+of|"
    r"(?:firm|company|startup|start-up|scale-up|"
    r"bank|employer|consultancy|retailer|insurer|unicorn|lab|spin-out|spin-off|spinout)(?:[ \t]+[–—-])?|"
    # who runs it: "co-founder and chief executive of X", "the CTO of X"
    r"(?:founder|co-founder|chief[ \t]+executive|CEO|CTO|COO|CFO|chair(?:man|woman)?|president|managing[ \t]+director)"
    r"[ \t]+(?:of|at))[ \t]+(?:the[ \t]+)?)$", re.I)
_TITLE_OF = re.compile(r"(?:(?:co-)?founder|chief[ \t]+\w+[ \t]+officer|chief[ \t]+executive|CEO|CTO|COO|CFO|CIO|"
                       r"chair(?:man|woman)?|president|(?:managing[ \t]+)?director|head[ \t]+of[ \t]+\w+)"
                       r"[ \t]+of[ \t]+",
                       re.I)
# "Graphcore, a company that ...", "Skyscanner: an Edinburgh-created unicorn": an apposition that says it is a company
_APPOS = re.compile(rf"(?P<name>{_NAME})[ \t]*[,:][ \t]*(?:an?|the)[ \t]+(?:[\w’'-]+[ \t]+){{0,3}}?{_ORG_NOUNS}\b"
                    r"(?![’']s)")  # "Jean Innes, the institute’s chief executive": a person of it
# "startup Five AI", "spin-off – Ultrahaptics": a name right after a noun that says it is a company
_NOUN_NAME = re.compile(rf"\b(?:startup|start-up|scale-up|spin-out|spin-off|spinout|unicorn|(?:the|a)[ \t]+company|"
                        rf"social[ \t]+enterprise|charity)[ \t]*(?:,[ \t]*|[ \t]+(?:[–—-][ \t]+)?)"
                        rf"(?P<name>(?-i:{_NAME}))", re.I)  # (the name itself is capitalised: "Faculty", not "hires")
# "trading group XTX Markets", "quant hedge funds A and B": names right after a lower-case noun that says
# they are companies
_GROUP_LIST = re.compile(rf"\b(?:groups?|funds?|firms?|houses?|conglomerates?|lenders?|insurers?|fintechs?)[ \t]+"
                         rf"(?P<list>{_NAME}(?:(?:,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+){_NAME})*)")
# "Some of these Manchester start-ups ... The likes of Be.EV, which ...": examples of companies just named
_LIKES_OF = re.compile(rf"\b(?i:the likes of)[ \t]+(?P<list>{_LIST_NAME}(?:(?:,[ \t]*(?:and[ \t]+|or[ \t]+)?|"
                       rf"[ \t]+(?:and|or)[ \t]+){_LIST_NAME})*)")
_COMPANY_WORDS = re.compile(r"\b(?:companies|firms|start-?ups|scale-?ups|employers|unicorns|businesses)\b", re.I)
_NAME_CUE = re.compile(rf"(?P<name>{_NAME})(?:[ \t]*\([^()\n]{{1,60}}\))?(?:,[ \t]*an?[ \t]+[^,.;\n]{{1,40}}?,)?"
                       rf"[ \t]+(?:(?:graduate|apprentice\w*|intern\w*)[ \t]+"
                       rf"(?:salary|salaries|scheme|schemes|programmes?)\b|(?:is[ \t]+)?(?:hires|hiring|recruits|employs|"
                       rf"is[ \t]+headquartered|is[ \t]+based)\b)")
# words that make a capitalised phrase something other than an employer
_GRADES = {"merit", "distinction", "pass", "first", "honours", "credit", "fail"}
_SQL = {"select", "from", "where", "group", "by", "order", "join", "left", "right", "inner", "outer", "having",
        "limit", "insert", "update", "delete", "create", "table", "union", "distinct", "as", "on", "count", "sum",
        "avg", "null", "case", "when", "then", "else", "end", "into", "values"}
_TITLE_HEADS = {"engineer", "engineers", "developer", "developers", "scientist", "scientists", "analyst", "analysts",
                "manager", "managers", "lead", "leads", "director", "directors", "architect", "architects",
                "designer", "designers", "consultant", "consultants", "officer", "officers", "head", "intern",
                "interns", "graduate", "graduates", "apprentice", "apprentices", "programmer", "programmers",
                "technician", "technicians", "administrator", "administrators", "recruiter", "recruiters",
                "commissioner", "minister", "secretary", "mayor", "ombudsman", "registrar"}
_NOT_NAME_START = {"our", "your", "their", "the", "this", "that", "these", "those", "its", "his", "her", "my",
                   "average", "typical", "starting", "median", "most", "many", "some", "every", "all", "each",
                   "other", "new", "senior", "junior", "entry", "when", "if", "while", "for", "in", "at", "with",
                   "what", "which", "how", "why", "who", "where", "it"}
# the last word of a firm's name ("Jump Trading", "Quadrature Capital", "Peakline Robotics")
_ORG_HEAD = re.compile(r"\b(?:Trading|Capital|Securities|Group|Holdings|Partners|Labs?|Technologies|Systems|Solutions|"
                       r"Bank|Consulting|Analytics|Markets|Ventures|Energy|Robotics|Software|Insurance|Investments|"
                       r"Associates|Studios|Networks|Therapeutics|Pharmaceuticals|Logistics|Airways|Motors|Foods|"
                       r"(?:Asset|Capital|Investment|Fund) Management)$")
# a table whose first column lists organisations
_ORG_TABLE_HEAD = re.compile(r"^\|[ \t]*(?i:institutions?|universit(?:y|ies)|employers?|compan(?:y|ies)|firms?|"
                             r"organi[sz]ations?|banks?|trusts?|recruiters?|providers?|businesses|startups?)[ \t]*\|.*\n"
                             r"(?:\|[-:| \t]*\|[ \t]*\n)?", re.M)
_TABLE_ROW = re.compile(r"^\|[ \t]*(?P<cell>[^|\n]*?)[ \t]*\|[^\n]*", re.M)
_NOT_ORG_NEXT = re.compile(r"^[ \t]*(?:visas?|route|endorsement|criteria|category|award|qualification|"
                           r"certificate|degree|apprenticeship standard)\b", re.I)
_SOURCE_CUE = re.compile(r"\b(?:authored|written|published|compiled|according to|report|survey|data from|"
                         r"research(?:ed)? by|analysis by)\b", re.I)
_CODE_LINE = re.compile(r"[{}=`]|;[ \t]*$|\b(?:SELECT|FROM|WHERE|GROUP BY|ORDER BY)\b")
_LIST = rf"{_LIST_NAME}(?:(?:,[ \t]*(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or)[ \t]+){_LIST_NAME})*"
_LIST_PATTERNS = (
    re.compile(rf"\b(?i:companies|company|firms|employers|startups|scale-ups|organisations|"
               rf"organizations|labs|players|banks|retailers|businesses),?[ \t]+"
               rf"(?:[^.;:\n]{{0,40}}?[ \t])?(?:like|such as|including|include|includes|from)[ \t]+(?:the[ \t]+)?"
               rf"(?P<list>{_LIST})"),  # "11 UK employers including the BBC, BT Group, Deloitte ..."
    re.compile(rf"\b(?:especially|particularly|notably|including)?[ \t]*\bat[ \t]+(?P<list>{_LIST})"),
    # "the technical apprenticeship with A, B and C": who runs the programme
    re.compile(rf"\b(?i:apprenticeships?|schemes?|programmes?|programs?|placements?|internships?)[ \t]+"
               rf"(?i:with|at|run by|offered by)[ \t]+(?P<list>{_LIST})"),
)
_PAREN = re.compile(rf"\((?P<list>{_LIST})\)")
# "big companies from Facebook, Twitter and Thoughtworks to The Guardian, Accenture and NASA": the second list
_FROM_TO = re.compile(rf"\b(?i:companies|firms|employers|organisations|organizations|businesses),?[ \t]+"
                      rf"(?:[^.;:\n]{{0,40}}?[ \t])?from[ \t]+(?:the[ \t]+)?{_LIST}[ \t]+to[ \t]+(?P<list>{_LIST})")
# a labelled line of names: "Employers involved in creating the standard:" and, on the next line, "BBC, Ministry of
# Defence (MOD), Corndel, ..."
_LABEL_LIST = re.compile(r"^[ \t]*(?i:employers|companies|organi[sz]ations|partners|clients|member firms|firms|"
                         r"sponsors|funders|recruiters)\b(?![^:\n]{0,80}\b(?i:ask|asks|look|looks|looking|need|needs|want|"
                         r"wants|require|requires|expect|expects|seek|seeks|value|values|range)\b)[^:\n]{0,80}:[ \t]*\n+[ \t]*"
                         r"(?P<line>[^\n]+)$", re.M)  # (not what they ask for: "Companies often ask for:")
# "Anthropic's London office" in a list of employers: the item names Anthropic
_POSS_OFFICE = (r"[’'][sS][ \t]+(?:[A-Z][\w-]*[ \t]+)?(?:office|offices|team|teams|lab|labs|hub|headquarters|HQ|arm|"
                r"unit|division|studio)\b")
_RUN_NAME = rf"(?:{_LIST_NAME}{_POSS_OFFICE}|{_LIST_NAME})"
_NAME_RUN = re.compile(rf"(?<![\w'’.&-])(?P<list>{_RUN_NAME}(?:,[ \t]*{_RUN_NAME}){{1,}}(?:,?[ \t]+(?:and|or)[ \t]+"
                       rf"{_RUN_NAME})?)")
_ITEM_SPLIT = re.compile(r",[ \t]*(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or)[ \t]+")


def _abbreviates(text: str, m: re.Match) -> bool:
    """``(GES)`` after "Government Economic Service", ``(GORS)`` after "Government Operational Research":
    an acronym of the capitalised words right before it, not a list of examples."""
    inner = m.group("list")
    if not inner.isupper() or " " in inner or len(inner) < 2:
        return False
    caps = ""
    for w in reversed(re.findall(r"[\w'’&-]+", text[max(0, m.start() - 80):m.start()])):
        if w[0].isupper():
            caps = w[0] + caps
        elif w not in ("of", "for", "and", "&", "the"):
            break
    return any(inner.startswith(caps[k:]) for k in range(len(caps) - 1))


class Discovery:
    """Finds employers and cities the gazetteer does not know.

    Args:
        gazetteer: the known entities (a name known as another kind is never an employer).
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._other_names = {f.text.lower() for f in gazetteer.forms if gazetteer.get(f.iri).kind != "org"}
        self._sector_aliases = [f.text.lower() for f in gazetteer.forms if gazetteer.get(f.iri).kind == "sector"]
        self.discovered: dict[str, Entity] = {}

    def _clean(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Trim articles, possessives and punctuation from a candidate span."""
        while True:
            span = text[start:end]
            if span.lower().startswith("the "):
                start += 4
            elif (lead := re.match(r"(?:Startup|Start-up|Scale-up|Spin-out|Firm|Company|Fintech|Unicorn)[ \t]+(?=[A-Z])",
                                   span)):
                start += lead.end()  # "Startup Brightwerk hires ...": the company noun opening a sentence
            elif span.endswith(("'s", "’s")):
                end -= 2
            elif (poss := re.search(r"[’'][sS][ \t]+[A-Z][\w-]*$", span)) and _ORG_HEAD.search(span[:poss.start()]):
                end = start + poss.start()  # "Och-Ziff Asset Management’s European (arm)": the firm (not "Lloyd's
                # Register", "Moody's Analytics": names with a possessive inside)
            elif span and span[-1] in ",.;:)(- " or span and span[0] in "(- ":
                start, end = (start + 1, end) if span[0] in "(- " else (start, end - 1)
            else:
                return start, end

    def _org_name_ok(self, name: str, strong: bool = False, said_company: bool = False) -> bool:
        gaz = self.gazetteer
        low = name.lower()
        words = name.split()
        if not name or "\n" in name or not name[0].isupper() or len(words) > 4:
            return False
        if (any(ch.isdigit() for ch in name) and not strong) or low in gaz.not_org_names or low in _COUNTRIES:
            return False
        parts = re.split(r"[\s/]+", name)
        if said_company and len(parts) > 1:
            parts = parts[:1]  # a name the text calls a company may go on in common words ("startup Five AI")
        if any(w.lower().strip(",.()'’") in gaz.not_org_words for w in parts):
            return False
        if low in self._other_names:
            return False
        lows = [w.lower().strip(",.()'’") for w in words]
        if lows[0] in _NOT_NAME_START or lows[0].split("-")[0] in _NOT_NAME_START or lows[-1] in _TITLE_HEADS or \
                set(lows) <= _GRADES | {"class", "degree"}:
            return False  # "Our", degree grades ("Merit", "First Class"; not "Entrepreneur First"), job titles
        if name.isupper() and set(lows) & _SQL:
            return False  # SQL keywords from a code block ("GROUP BY")
        if self._is_place(name):
            return False
        return all(w[0].isupper() or w in {"&", "of", "and", "for"} or w.isdigit() and i == len(words) - 1
                   for i, w in enumerate(words))  # "Version 1": a number may close a name

    @staticmethod
    def _is_place(name: str) -> bool:
        """A name GeoNames knows as a city, country or UK region ("Cambridge", "Scotland")."""
        from careerkg.graph.places import get_places

        return get_places().lookup(name) is not None

    def employer_usage(self, text: str, start: int, end: int) -> bool:
        """True when the words around ``text[start:end]`` use it as an employer: it hires, pays,
        is based or headquartered somewhere, runs graduate schemes, has teams or offices, or
        people work at it ("join X", "roles at X", "consultancy firm X")."""
        after = text[end:end + 120]
        if _NOT_ORG_NEXT.match(after):
            return False
        if _AFTER_CUE.match(after) or _POSS_CUE.match(after):
            return True
        before = _BEFORE_CUE.search(text[max(0, start - 40):start])
        if before is None:
            poss = re.search(r"(?<![\w'’])([A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?)[’']s[ \t]+$",
                             text[max(0, start - 30):start])
            # "Brighton’s Brandwatch": a company of a city (a city's district or landmark is a place, not an ORG)
            return poss is not None and self._is_place(poss.group(1))
        # "a report authored by A at X": X is where the author works, said of a source, not an employer
        return not (before.group(0).strip().lower() == "at" and _SOURCE_CUE.search(text[max(0, start - 100):start]))

    def _register(self, kind: str, name: str) -> Entity:
        iri = mint(kind, name)
        known = self.gazetteer.get(iri)
        if known is not None:
            return known
        ent = self.discovered.get(iri) or Entity(iri=iri, kind=kind, label=name, discovered=True)
        self.discovered[iri] = ent
        return ent

    def discover(self, doc: Doc, taken: set[int], kinds: dict[int, str] | None = None) -> list[Mention]:
        """Employers and cities the gazetteer does not know in ``doc`` (``taken``: token indices already
        linked; ``kinds``: their entity kinds)."""
        text = doc.text
        kinds = kinds or {}
        city_tokens = {i for i, k in kinds.items() if k == "city"}
        lowered_words = {t.text for t in doc if t.text.islower()}
        found: dict[tuple[int, int], tuple[str, str, str]] = {}  # span -> (kind, name, extractor)

        def free(start: int, end: int, strong: bool = False) -> tuple[int, int] | None:
            """The span without a trailing city ("Two Sigma London" -> "Two Sigma"), if no other
            token of it is already linked (for a name used as an employer, a sector word after
            its first word may be: "Peakline Robotics")."""
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                return None
            last = span.end
            while last > span.start and (last - 1) in city_tokens:
                last -= 1
            inner = set(range(span.start, last)) & taken
            if last == span.start or inner and not (strong and span.start not in inner
                                                    and all(kinds.get(i) in ("sector", "skill") for i in inner)):
                return None
            if last < span.end:
                end = doc[last - 1].idx + len(doc[last - 1])
            return start, min(end, span.end_char)

        def add(s: int, e: int, how: str, strong: bool = False, said_company: bool = False) -> None:
            s, e = self._clean(text, s, e)
            title = _TITLE_OF.match(text, s, e)
            if title and title.end() < e:
                s = title.end()  # "CTO of Ultrahaptics": the company, not the post
            if s >= e:
                return
            span = free(s, e, strong)
            if span is None or re.search(r"\b(?:in|near|around|outside|across)\s+$", text[max(0, s - 12):s]):
                return  # "DeepMind in King's Cross": a place
            s, e = self._clean(text, *span)
            if " " not in text[s:e] and text[s:e].lower() in common_words(5000) and (
                    re.search(r"(?:^|[.!?:]\s+|\n\s*)$", text[max(0, s - 4):s])
                    or re.match(r"[ \t]+(?:the|a|an)[ \t]+[A-Z]", text[e:e + 8])):
                return  # a common word opening a line or sentence ("Tech hiring surges as firms ..."), or the first
                # word of a longer name ("Compare" of "Compare the Market")
            if s < e and (s, e) not in found and self._org_name_ok(text[s:e], strong, said_company) \
                    and not _NOT_ORG_NEXT.match(text[e:e + 40]):
                found[(s, e)] = ("org", text[s:e], how)

        # 1. list patterns: "companies like X, Y and Z", "at X, Y, or Z", "sector (X, Y)"
        ner_orgs = {(e.start_char, e.end_char) for e in doc.ents if e.label_ == "ORG"}
        for pat in (*_LIST_PATTERNS, _PAREN):
            for m in pat.finditer(text):
                if pat is _PAREN and (not self._after_sector(doc, m.start()) or _abbreviates(text, m)):
                    continue
                items = self._list_items(text, m.start("list"), m.end("list"))
                if pat is _LIST_PATTERNS[1] and len(items) < 2 and not (items and items[0] in ner_orgs):
                    continue
                for s, e in items:  # after "companies like": "Samsung AI Centre" is a name with "AI" in it
                    add(s, e, "pattern", strong=pat is not _LIST_PATTERNS[1] and pat is not _PAREN,
                        said_company=pat is _LIST_PATTERNS[0])
        for m in _FROM_TO.finditer(text):
            for s, e in self._list_items(text, m.start("list"), m.end("list")):
                add(s, e, "pattern", strong=True, said_company=True)
        for m in _LABEL_LIST.finditer(text):
            for s, e in self._list_items(text, m.start("line"), m.end("line")):
                paren = re.search(r"[ \t]*\([^()]*\)[ \t]*$", text[s:e])  # "Ministry of Defence (MOD)"
                add(s, s + paren.start() if paren else e, "pattern", strong=True, said_company=True)
        # 1b. a run of three or more names one of which is a known employer ("Cohere, Google DeepMind,
        # Synthesia and ElevenLabs"): the others are employers too, unless one of them is known as
        # something else (a place, a skill, a role: then the run is not a list of employers)
        for m in _NAME_RUN.finditer(text):
            items = self._list_items(text, m.start("list"), m.end("list"))
            if len(items) < 3:
                continue
            known = set()
            for s, e in items:
                span = doc.char_span(s, e, alignment_mode="expand")
                known |= {kinds.get(i) for i in range(span.start, span.end)} if span is not None else set()
                if found.get((s, e), ("",))[0] == "org":
                    known.add("org")
            if "org" in known and not known & {"city", "skill", "role"}:
                for s, e in items:
                    add(s, e, "pattern")
        # 2. a name used as an employer: "X graduate salary", "X hires ...", "startup X"
        for m in _NAME_CUE.finditer(text):
            add(m.start("name"), m.end("name"), "pattern", strong=True)
        for m in (*_NOUN_NAME.finditer(text), *_APPOS.finditer(text)):
            if m.group("name")[0].isupper():
                add(m.start("name"), m.end("name"), "pattern", strong=True, said_company=True)
        for m in _GROUP_LIST.finditer(text):
            for s, e in self._list_items(text, m.start("list"), m.end("list")):
                add(s, e, "pattern", strong=True, said_company=True)
        for m in _LIKES_OF.finditer(text):  # only where the sentence before names companies
            if _COMPANY_WORDS.search(text, max(0, m.start() - 160), m.start()):
                for s, e in self._list_items(text, m.start("list"), m.end("list")):
                    add(s, e, "pattern", strong=True, said_company=True)
        # 2b. a table listing organisations: the first cell of each row under a header "Institution",
        # "Employer", "Company" ... (a city in such a name is part of it: "Imperial College London")
        for m in _ORG_TABLE_HEAD.finditer(text):
            pos = m.end()
            while (row := _TABLE_ROW.match(text, pos)) is not None:  # the rows right below, up to the table's end
                pos = row.end() + 1
                cell = row.group("cell")
                if not cell or not cell[0].isupper() or len(cell.split()) > 10 or any(ch.isdigit() for ch in cell):
                    continue
                s, e = row.start("cell"), row.end("cell")
                span = doc.char_span(s, e, alignment_mode="expand")
                if span is None or (s, e) in found or any(
                        kinds.get(i, "city") != "city" for i in set(range(span.start, span.end)) & taken):
                    continue
                found[(s, e)] = ("org", cell, "table")
        # 3. NER organisations, validated by how the name is used somewhere in the text
        usage: dict[str, bool] = {}
        newlines = [m.start() for m in re.finditer("\n", text)]
        code_line: dict[int, bool] = {}
        for ent in doc.ents:
            if ent.label_ == "PERSON" and _ORG_HEAD.search(ent.text) is None:
                continue  # "Jump Trading" read as a person: a name whose last word names a kind of firm is one
            if ent.label_ not in ("ORG", "GPE", "PERSON"):
                continue
            s, e = self._clean(text, ent.start_char, ent.end_char)
            if s >= e or (s, e) in found:
                continue
            poss = re.search(r"[’']s\b", text[s:e])
            if ent.label_ == "ORG" and poss and poss.start() > 0:
                if self._is_place(text[s:s + poss.start()]) and poss.end() < e - s:
                    place = (s, s + poss.start())  # "Brighton’s Brandwatch": the company of a place
                    if place not in found and free(*place) == place and self._city_ok(ent, text[place[0]:place[1]]):
                        found[place] = ("city", text[place[0]:place[1]], "ner")
                    s += poss.end() + 1
                else:
                    e = s + poss.start()  # "Accenture’s UK Tech Talent Tracker": the owner
            name = text[s:e]
            if ent.label_ == "GPE" or self._is_place(name):  # NER reads "a Sheffield startup" as ORG
                if (s, e) not in found and free(s, e) == (s, e) and self._city_ok(ent, name):
                    found[(s, e)] = ("city", name, "ner")
                continue
            k = bisect_right(newlines, s)
            if k not in code_line:  # once per line: a 1 MB line is searched once, not once per name
                line_s = newlines[k - 1] + 1 if k else 0
                line_e = newlines[k] if k < len(newlines) else len(text)
                code_line[k] = _CODE_LINE.search(text, line_s, line_e) is not None
            if code_line[k]:
                continue  # a code block
            if len(name.split()) == 1 and name.lower() in lowered_words:
                continue  # a capitalised common word ("Invest", "Linear")
            if re.search(r"\b(?:in|near|around|outside|across)\s+$", text[max(0, s - 12):s]):
                continue  # "DeepMind in King's Cross": a place
            if name not in usage:  # once per name: a name repeated 10,000 times is scanned once
                usage[name] = any(self.employer_usage(text, m.start(), m.end())
                                  for m in re.finditer(rf"(?<![\w&]){re.escape(name)}(?![\w&])", text))
            if usage[name]:
                add(s, e, "ner", strong=True)
        # a single word of a longer organisation name never stands for it alone ("Robotics")
        multi = [n.lower().split() for _, n, _ in found.values() if len(n.split()) > 1]
        for key, (kind, name, how) in list(found.items()):
            if kind == "org" and len(name.split()) == 1 and any(name.lower() in words for words in multi):
                del found[key]
        # a name the text uses as an organisation and GeoNames does not know is no place where NER read one
        # ("an apprentice working in Ofsted" beside "an apprenticeship at Ofsted")
        orgs = {name for kind, name, _ in found.values() if kind == "org"}
        for key, (kind, name, how) in list(found.items()):
            if kind == "city" and name in orgs and not self._is_place(name):
                del found[key]
        mentions = []
        for (s, e), (kind, name, how) in found.items():
            mentions.append(Mention(self._register(kind, name), s, e, text[s:e], how))
        return self._repeat_mentions(doc, mentions, taken, set(found))

    def _repeat_mentions(self, doc: Doc, mentions: list[Mention], taken: set[int],
                         spans: set[tuple[int, int]]) -> list[Mention]:
        """Further occurrences of discovered names that NER missed."""
        text = doc.text
        extra = []
        for ent in {m.entity for m in mentions}:
            for m in re.finditer(rf"(?<![\w&]){re.escape(ent.label)}(?![\w&])", text):
                if (m.start(), m.end()) in spans:
                    continue
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is None or not taken.isdisjoint(range(span.start, span.end)):
                    continue
                if any(s < m.end() and m.start() < e for s, e in spans):
                    continue
                spans.add((m.start(), m.end()))
                extra.append(Mention(ent, m.start(), m.end(), m.group(0), "ner"))
        return mentions + extra

    def _after_sector(self, doc: Doc, paren_start: int) -> bool:
        """True when ``(`` follows a sector alias within three words ("fintech (", "defence AI (")."""
        before = doc.text[max(0, paren_start - 60):paren_start]
        words = before.split()[-4:]
        tail = " ".join(words).lower()
        return any(re.search(rf"(?<![\w-]){re.escape(a)}(?![\w-])", tail) for a in self._sector_aliases)

    @staticmethod
    def _list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
        items, pos = [], start
        for m in _ITEM_SPLIT.finditer(text, start, end):
            items.append((pos, m.start()))
            pos = m.end()
        items.append((pos, end))
        owner = re.compile(_POSS_OFFICE + r"\s*$")
        items = [(s, m.start()) if (m := owner.search(text, s, e)) else (s, e) for s, e in items]
        return [(s, e) for s, e in items if e > s]

    def _city_ok(self, ent: Span, name: str) -> bool:
        low = name.lower()
        if low in _COUNTRIES or low in self._other_names or not name[0].isupper() or "\n" in name:
            return False
        if len(name.split()) > 3 or any(ch.isdigit() for ch in name):
            return False
        if any(w.lower() in self.gazetteer.not_org_words for w in name.split()):
            return False
        from careerkg.graph.places import get_places

        place = get_places().lookup(name)
        prev = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if prev in _CITY_PREV:  # "in Didcot": a place after a place word, unless its words are English ("across Big Tech")
            return place is not None or not any(w.lower() in common_words() for w in re.findall(r"[A-Za-z]+", name))
        return place is not None and place.kind == "city" and place.in_uk  # "a Sheffield startup": a UK city
