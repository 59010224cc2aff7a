"""Salary claims: money ranges in table rows, list items and prose sentences.

>>> parse_amount("45,000", None), parse_amount("85", "k"), parse_amount("1", "m")
(45000.0, 85000.0, 1000000.0)
>>> [(r.lo, r.hi, r.open_max) for r in find_ranges("between £45,000 and £65,000, or £110,000+")]
[(45000.0, 65000.0, False), (110000.0, None, True)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from careerkg.model import Claim, Mention
from careerkg.graph.places import city_in_name
from careerkg.graph.vocab import CKG, mint
from careerkg.ingest.layout import Layout, Line, MentionList

UK = str(CKG.UK)
OUTSIDE_LONDON = str(CKG.UKOutsideLondon)
PREDICATE = str(CKG.role)
BANDS = {"YEAR": (10_000.0, 1_000_000.0), "DAY": (100.0, 5_000.0)}

_NUM = (r"(?P<{n}neg>-)?(?P<{n}num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
        r"(?:[ ]?(?P<{n}mult>billion|million|thousand|bn|k|K|m|M)(?![a-z0-9])|(?![\w]))")
_CUR = r"(?P<{n}cur>US\$|\$|£|€)"
_RANGE = re.compile(
    _CUR.format(n="a") + r"[ ]?" + _NUM.format(n="a")
    + r"(?:(?P<plus1>\+)?[ ]*(?P<join>–|—|-|to|and|rising to|increasing to)[ ]*"
    + _CUR.format(n="b") + r"?[ ]?" + _NUM.format(n="b")
    + r")?(?P<plus>\+)?")
# figures without a symbol: only in tables whose currency is stated, or "salary: 28,000"
_BARE = re.compile(
    r"(?<![\w£$€.,])(?P<anum>\d{1,3}(?:,\d{3})+|\d{2,3}(?:\.\d)?(?=[kK]))(?P<amult>[kK])?(?![\w%])"
    r"(?:[ ]*(?P<join>–|—|-|to)[ ]*(?P<bnum>\d{1,3}(?:,\d{3})+|\d{2,3}(?:\.\d)?(?=[kK]))(?P<bmult>[kK])?(?![\w%]))?"
    r"(?P<plus>\+)?")
_LABELLED = re.compile(r"\b(?:salary|salaries|pay)\s*(?::|of|is)\s*(?P<num>\d{1,3}(?:,\d{3})+)(?![\d,]|\s*(?:%|per\s*cent))",
                       re.I)
_BETWEEN_BARE = re.compile(r"\bbetween\s+(?P<num>\d{1,3}(?:,\d{3})+)\s+and\s*$", re.I)
CURRENCY_OF_SYMBOL = {"£": "GBP", "$": "USD", "US$": "USD", "€": "EUR"}
_STATED_CURRENCY = re.compile(
    r"\b(?:in|are|is|quoted in|expressed in|shown in|given in)\s+(?:the\s+)?(?:(?P<usd>US dollars?|U\.S\. dollars?|"
    r"USD|American dollars?)|(?P<eur>euros?|EUR)|(?P<gbp>pounds(?: sterling)?|GBP|sterling))\b", re.I)
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}

_SENIORITY = (
    ("Junior", re.compile(r"\b(?:junior|entry[- ]?level|entry|graduates?|grad)\b", re.I)),
    # "mid" but not a time ("as of mid-2026", "mid-March", "mid year")
    ("Mid", re.compile(r"\bmid\b(?![- ]?(?:\d|year|month|week|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
                       r"spring|summer|autumn|winter|decade|century))|\bintermediate\b", re.I)),
    ("Senior", re.compile(r"\bsenior\b", re.I)),
    ("Lead", re.compile(r"\bleads?\b(?!\s+to\b)", re.I)),
    ("Principal", re.compile(r"\b(?:principal|staff)\b", re.I)),
    ("Contractor", re.compile(r"\bcontract(?:or|ors|ing)?\b|\bday[- ]rates?\b|\bfreelance", re.I)),
)
_OUTSIDE = re.compile(r"outside (?:of )?(?:london|the capital)|rest of (?:the )?uk|\bregions?\b|"
                      r"\bregional\b|elsewhere in the uk|outside the south[- ]east", re.I)
_UK = re.compile(r"\b(?:UK|U\.K\.|United Kingdom|Britain)\b")
_SALARY_CUE = re.compile(r"salar|earn|\bpay|\bpaid|command|compensation|package|\brates?\b|"
                         r"\branges?\b|income|per (?:year|annum|day)|a year|p\.a\.|\bmedian\b|\baverage\b|"
                         r"\boffer(?:s|ed)?\b|\bbase\b|\bcharg\w*|/\s*day\b|\bper day\b|\ba day\b", re.I)
_NOT_SALARY = re.compile(r"revenue|turnover|funding|invest|valuation|raised|market (?:size|worth)|"
                         r"budget|cost(?![- ]of[- ]living)|price|fees?\b|grant|bonus", re.I)
# pay thresholds of immigration rules are not what a role pays
_NOT_PAY_CONTEXT = re.compile(r"going rates?|salary (?:threshold|requirement|floor)|new entrant|\bvisa\b|"
                              r"\bsponsor(?:ship|ed|s)?\b|\bSOC\b|certificate of sponsorship|immigration", re.I)
# a past or future value in a change: "up from £62,000", "rose by 38% from £53,449 to £73,559",
# "typically increasing to £33,000 in the second year"
_CHANGE = re.compile(r"\b(?:up|down|increase[sd]?|increasing|rise|rising|rose|risen|grew|grown|growth|jump\w*|"
                     r"fell|fallen|falling|drop\w*|decrease\w*|declin\w*|climb\w*|surge\w*)\b(?:[^.;:£$€]|\.(?=\d)){0,40}?"
                     r"\bfrom\s*[~≈]?\s*$|\b(?:increasing|rising|growing|going up|moving up|climbing)\s+to\s*$", re.I)
# a benchmark across all jobs named right before a figure: "the UK average of £28,600", "the national
# median salary is £35,000"
_ALL_JOBS_AVERAGE = re.compile(r"\b(?:UK|U\.K\.|national|nationwide|country's|overall|UK-wide|British)\s+"
                               r"(?:average|median|mean)(?:\s+(?:salary|wage|pay|earnings|income))?\s+"
                               r"(?:of|is|was|at|stands at|sits at)\s*[~≈]?\s*$|"
                               r"\b(?:average|median|mean)\s+(?:UK|U\.K\.|national|British)\s+"
                               r"(?:salary|wage|pay|earnings|income)\s+(?:of|is|was|at)\s*[~≈]?\s*$", re.I)
# "£69K mid-level", "£92K senior": the level written right after the figure
_LEVEL_AFTER = re.compile(r"^\s*(?:for\s+)?(?:a\s+|an\s+)?(?:junior|entry[- ]level|graduate|mid(?:-level)?|senior|"
                          r"lead|principal|staff)\b", re.I)
_MONTHLY = re.compile(r"/\s*mo(?:nth)?\b|\bper month\b|\bmonthly\b|\bnet\b|take-home|\bhourly\b|/\s*h(?:ou)?r\b", re.I)
_HAS_MONEY = re.compile(r"[£$€]\s?\d|\b(?:salary|salaries|pay)\s*(?::|of|is)\s*\d", re.I)
_LABEL_PAY = re.compile(r"\b(?:range|premium|median|average|mean|percentile)\b", re.I)
_PLACE_CAND = re.compile(r"\b(?:US|USA|[A-Z][a-zà-ÿ]+(?:[ -][A-Z][a-zà-ÿ]+){0,2})\b")
_CARD_PAY = re.compile(r"salar|median|average|mean\b|range|premium|\bpay|rate\b|level|entry|junior|mid|senior|"
                       r"lead|principal|staff|graduate|/day|per day|contract|base|percentile", re.I)
_DAY_LABEL = re.compile(r"/\s*day\b|\bper day\b|\bday[- ]rates?\b|\bdaily\b", re.I)
_OPEN_MIN = re.compile(r"(?:exceed\w*|over|above|more than|upwards of|in excess of|at least|from|break\w*|"
                       r"top(?:s|ping|ped)|surpass\w*|north of|"
                       r"start\w*\s+at(?:\s+around)?|beyond)\s*$", re.I)
_MINIMUM = re.compile(r"\bminimum\b|\bat least\b|\bno less than\b", re.I)
_UP_TO = re.compile(r"up to\s*$", re.I)
_DIFFERENCE = re.compile(r"\s*(?:\([^)]{0,20}\)\s*)?(?:less|more|lower|higher|cheaper|above|below)\s+than\b", re.I)
_THRESHOLD = re.compile(r"\s*(?:mark|threshold|barrier|ceiling|bracket)\b", re.I)
_RESPECTIVELY_WORD = re.compile(r"\brespectively\b", re.I)
_RESPECTIVELY = re.compile(r"\W{0,3}\s*respectively\b", re.I)
_SKIP = re.compile(r"\breach\w*\s+(?:well\s+)?(?:over|above|beyond)?\s*$|\bpremium\b", re.I)
_DAY = re.compile(r"^\+?\s*(?:per|a|/)\s*day|^\s*\(?p/?d\b|^\s*daily", re.I)
_OTHER_UNIT = re.compile(r"^\+?\s*(?:per|an?|/)\s*(?:hour|hr|month|week)|^\s*\(?p/?h\b", re.I)
# a currency stated in a row's label or a column's header: "United Kingdom (£)", "Salary (USD)"
_LABEL_CURRENCY = re.compile(r"\(\s*(?:(?P<gbp>£|GBP)|(?P<usd>\$|USD)|(?P<eur>€|EUR))\s*\)", re.I)
_YEARS = re.compile(r"(\d+)\s*(?:\+|(?:–|-|to)\s*\d+)\s*(?:years?|yrs)", re.I)
# what a figure is for, written after it: "£550 for a general data scientist", "£400 a day for juniors"
_PREP = re.compile(r"^\s*\+?\s*(?:(?:a|an|per)\s+(?:day|year|annum|month|hour)\s+)?(?:at|in|for|outside|across)\b",
                   re.I)


@dataclass(frozen=True)
class MoneyRange:
    """A money expression: ``lo``/``hi`` in its currency, ``open_max`` for "£110,000+"/"exceeding".

    ``currency`` is ISO 4217 from the symbol (``£`` GBP, ``$`` USD, ``€`` EUR), or None for a
    figure written without one (its currency comes from the context).
    """

    start: int
    end: int
    lo: float | None
    hi: float | None
    open_max: bool
    invalid: bool = False
    currency: str | None = "GBP"


def parse_amount(num: str, mult: str | None) -> float:
    """``"45,000"`` -> 45000.0; ``("85", "k")`` -> 85000.0."""
    return float(num.replace(",", "")) * _MULT.get((mult or "").lower(), 1.0)


def _pair(anum: str, amult: str | None, bnum: str, bmult: str | None) -> tuple[float, float]:
    """Both ends of a range, a multiplier written once applying to both: "£90-125k", "£40K-60"."""
    b_mult = bmult or (amult if "," not in bnum else None)
    b = parse_amount(bnum, b_mult)
    a_mult = amult or (bmult if "," not in anum and parse_amount(anum, bmult) <= b else None)
    return parse_amount(anum, a_mult), b


def find_ranges(text: str, start: int = 0, end: int | None = None, bare: bool = False) -> list[MoneyRange]:
    """Money ranges/values in ``text[start:end]`` (offsets into ``text``).

    Args:
        text: the text.
        start: where to start looking.
        end: where to stop (default: the end of ``text``).
        bare: also read figures written without a currency symbol ("120,000 – 150,000", "90k")
            as money (for table cells whose currency the document states); their ``currency``
            is None.
    """
    out = []
    end = len(text) if end is None else end
    for m in _RANGE.finditer(text, start, end):
        invalid = bool(m.group("aneg") or m.group("bneg"))
        cur = CURRENCY_OF_SYMBOL[m.group("acur")]
        a = parse_amount(m.group("anum"), m.group("amult"))
        left = text[max(start, m.start() - 40):m.start()]
        if m.group("bnum") is not None:
            if m.group("join") == "and" and not re.search(r"between\s*$", left, re.I):
                # "£85,000 and £65,000" is two values, not a range: keep the first only, both when each is
                # somebody's ("earning £90k and £62.5k, respectively")
                out.append(_single(text, start, m.start(), m.start("join") - 1, a, False, invalid, cur))
                if _RESPECTIVELY.match(text, m.end(), end):
                    out.append(_single(text, start, m.start("bcur") if m.group("bcur") else m.start("bnum"), m.end(),
                                       parse_amount(m.group("bnum"), m.group("bmult") or m.group("amult")),
                                       False, invalid, CURRENCY_OF_SYMBOL[m.group("bcur")] if m.group("bcur") else cur))
                continue
            if re.match(r"\s*(?:%|per ?cent|percent)", text[m.end():m.end() + 12], re.I):
                # "£34,750 - 28 per cent higher": a figure, then a share, not a range
                out.append(_single(text, start, m.start(), m.start("join") - 1, a, False, invalid, cur))
                continue
            a, b = _pair(m.group("anum"), m.group("amult"), m.group("bnum"), m.group("bmult"))
            out.append(MoneyRange(m.start(), m.end(), a, b, False, invalid, cur))
        else:
            between = _BETWEEN_BARE.search(left)
            if between:  # "between 23,000 and £27,000"
                s0 = m.start() - len(left) + between.start("num")
                out.append(MoneyRange(s0, m.end(), parse_amount(between.group("num"), None), a, False, invalid, cur))
                continue
            out.append(_single(text, start, m.start(), m.end(), a, bool(m.group("plus")), invalid, cur))
    taken = [(r.start, r.end) for r in out]
    for m in _LABELLED.finditer(text, start, end):  # "graduate salary: 28,000"
        s0, e0 = m.span("num")
        if not any(a <= s0 < b for a, b in taken):
            out.append(MoneyRange(s0, e0, parse_amount(m.group("num"), None), parse_amount(m.group("num"), None),
                                  False, False, None))
    if bare:
        for m in _BARE.finditer(text, start, end):
            if any(a <= m.start() < b for a, b in taken):
                continue
            a = parse_amount(m.group("anum"), m.group("amult"))
            if m.group("bnum") is not None:
                a, b = _pair(m.group("anum"), m.group("amult"), m.group("bnum"), m.group("bmult"))
                out.append(MoneyRange(m.start(), m.end(), a, b, False, False, None))
            else:
                out.append(_single(text, start, m.start(), m.end(), a, bool(m.group("plus")), False, None))
    return sorted(out, key=lambda r: r.start)


def _single(text: str, seg_start: int, s: int, e: int, v: float, plus: bool, invalid: bool,
            currency: str | None = "GBP") -> MoneyRange:
    left = text[max(seg_start, s - 40):s]
    if _SKIP.search(left):
        return MoneyRange(s, e, None, None, False, True, currency)
    if plus or _OPEN_MIN.search(left):
        return MoneyRange(s, e, v, None, True, invalid, currency)
    if _UP_TO.search(left):
        return MoneyRange(s, e, None, v, False, invalid, currency)
    return MoneyRange(s, e, v, v, False, invalid, currency)


def seniorities(text: str) -> list[str]:
    """Seniority levels named in a text, in :data:`careerkg.model.SENIORITIES` order."""
    return [name for name, rx in _SENIORITY if rx.search(text)]


def _years_seniority(text: str) -> str | None:
    m = _YEARS.search(text)
    if not m:
        return None
    y = int(m.group(1))
    return "Junior" if y < 2 else "Mid" if y < 5 else "Senior" if y < 8 else "Principal"


class SalaryExtractor:
    """Salary claims from one document.

    Reads pipe tables (a level per row, a place or a role per column), rows flattened to
    plain lines ("Junior AI Engineer 0-2 years £50,000 – £70,000", cells run together),
    label/value cards ("Entry Level" / "£32,000–£45,000" / "per year, gross"; "£69K" /
    "Mid-level median"), list items and prose sentences. Figures in a change ("up from
    £62,000"), immigration pay thresholds (going rates), pay of a skill rather than a role,
    and figures about a place outside the UK are not salary claims. A figure's currency is
    its symbol's, or for a figure without one the currency the document last stated
    ("All figures are in US dollars").

    Args:
        text: the document text.
        layout: its :class:`Layout`.
        mentions: entity mentions in the text (doc offsets).
        main_role: IRI of the guide's main role (used when a span names no role).
        chunk_of: maps an evidence span to its chunk id.
    """

    def __init__(self, text: str, layout: Layout, mentions: list[Mention], main_role: str | None,
                 chunk_of: Callable[[int, int], str]) -> None:
        self.text, self.layout, self.main_role, self.chunk_of = text, layout, main_role, chunk_of
        self.roles = MentionList(m for m in mentions if m.entity.kind == "role" and m.entity.label != "Career Changer")
        self.cities = MentionList(m for m in mentions if m.entity.kind == "city")
        self.skills = MentionList(m for m in mentions if m.entity.kind == "skill")
        self.orgs = MentionList(m for m in mentions if m.entity.kind == "org")
        self.city_by_surface: dict[str, str] = {}
        for m in self.cities:
            self.city_by_surface.setdefault(m.surface.lower(), m.entity.iri)
        self._lead_in: dict[int, str | None] = {}
        self.default_location = UK if _UK.search(text) else None
        if layout.lines:  # a guide whose title names one city ("Tech salaries in London 2026") is about it
            title = layout.lines[0]
            named = {m.entity.iri for m in self.cities.within(title.start, title.end)}
            if len(named) == 1:
                self.default_location = named.pop()
        self.stated = [(m.start(), "USD" if m.group("usd") else "EUR" if m.group("eur") else "GBP")
                       for m in _STATED_CURRENCY.finditer(text)]
        self.used: set[tuple[int, int]] = set()  # spans of the figures that became salary claims
        self.title_about_pay = bool(layout.lines) and layout.lines[0].index == 0 and \
            re.search(r"salar|\bpay\b|\bwages?\b|earnings", layout.lines[0].content, re.I) is not None

    def extract(self) -> list[Claim]:
        """All salary claims (deduplicated; impossible values dropped)."""
        if self.main_role is None and not self.roles:
            return []
        claims: list[Claim] = []
        header: tuple[Line, list[str]] | None = None
        used_labels: set[int] = set()
        for line in self.layout.lines:
            if line.kind == "table":
                cells = [c.strip() for c in line.content.strip("|").split("|")]
                bare = self._bare_ok(line, header) or bool(cells and _LABEL_CURRENCY.search(cells[0]))
                if not find_ranges(line.content, bare=bare):
                    if not all(set(c) <= set("-: ") for c in cells):
                        header = (line, cells)
                    continue
                claims += self._table_row(line, cells, header)
                continue
            header = None
            if not _HAS_MONEY.search(line.content):
                continue
            if self.layout.is_figure_line(line):
                claims += self._card(line, used_labels)
            elif self._row_like(line):
                claims += self._flat_row(line)
            else:
                claims += self._sentences(line)
        seen, out = set(), []
        for c in claims:
            if c.claim_id not in seen:
                seen.add(c.claim_id)
                out.append(c)
        return out

    # -- context ----------------------------------------------------------------------

    def currency_at(self, offset: int) -> str:
        """The currency the document last stated before ``offset`` (GBP when it states none)."""
        cur = "GBP"
        for pos, c in self.stated:
            if pos > offset:
                break
            cur = c
        return cur

    def _bare_ok(self, line: Line, header: tuple[Line, list[str]] | None) -> bool:
        """Figures without a symbol are money in a table whose header or preceding text names a currency."""
        if header is not None and re.search(r"[£$€]|\b(?:GBP|USD|EUR|salary|pay)\b", header[0].content, re.I):
            return True
        return any(pos < line.start for pos, _ in self.stated)

    def _not_pay_context(self, line: Line) -> bool:
        """The line, the two lines above it or its heading speak of immigration pay thresholds."""
        near = [self.layout.lines[i] for i in range(max(0, line.index - 2), line.index + 1)]
        near += self.layout.headings_above(line, 2)
        return any(_NOT_PAY_CONTEXT.search(ln.content) for ln in near)

    def _role_in(self, s: int, e: int, before: int | None = None) -> str | None:
        inside = self.roles.within(s, e)
        if before is not None:
            prior = [m for m in inside if m.end <= before]
            if prior:
                return prior[-1].entity.iri
        return inside[0].entity.iri if inside else self.main_role

    def _location_in(self, s: int, e: int) -> str | None:
        chunk = self.text[s:e]
        if _OUTSIDE.search(chunk):
            return OUTSIDE_LONDON
        for m in self.cities.within(s, e):
            return m.entity.iri
        for m in self.orgs.within(s, e):  # "| Imperial College London | £40,919 |": the institution's city
            found = city_in_name(m.entity.label)
            if found is not None:
                return mint("city", found[0])
        if _UK.search(chunk):
            return UK
        return None

    def _nearest_location(self, s: int, e: int) -> str | None:
        """The place of a figure from the words before it: the city nearest to it when several cities
        that are no coordinated list come first ("not London but rather Oxford ... at £88,108")."""
        location = self._location_in(s, e)
        cities = self.cities.within(s, e)
        if len(cities) > 1 and location == cities[0].entity.iri and len(self._city_list(s, e, location)) == 1:
            return cities[-1].entity.iri
        return location

    def _city_list(self, s: int, e: int, location: str | None) -> list[str | None]:
        """Every city of a coordinated list before a figure ("Manchester, Edinburgh, and Cambridge
        now offer £65,000"), else just ``location``."""
        cities = self.cities.within(s, e)
        if location is None or len(cities) < 2 or cities[0].entity.iri != location:
            return [location]
        run = [cities[0]]
        for prev, nxt in zip(cities, cities[1:]):
            if not re.fullmatch(r",?\s*(?:and|or|&)?\s*", self.text[prev.end:nxt.start]):
                break
            run.append(nxt)
        return list(dict.fromkeys(m.entity.iri for m in run))

    def _abroad(self, s: int, e: int) -> bool:
        """True when ``text[s:e]`` names a country or city outside the UK and no UK place."""
        return foreign_place(self.text[s:e]) is not None

    def _skill_pay(self, s: int, fig: int) -> bool:
        """A figure about a skill's pay: a skill named before it, and no role or level."""
        if self.roles.starting(s, fig) or seniorities(self.text[s:fig]):
            return False
        return bool(self.skills.starting(s, fig))

    # -- claim building ---------------------------------------------------------------

    def _claims(self, r: MoneyRange, role: str | None, levels: list[str], location: str | None,
                unit: str, ev: tuple[int, int], how: str) -> list[Claim]:
        if r.invalid or role is None:
            return []
        lo, hi = r.lo, r.hi
        band_lo, band_hi = BANDS[unit]
        values = [v for v in (lo, hi) if v is not None]
        if not values or any(not band_lo <= v < band_hi for v in values):
            return []
        if lo is not None and hi is not None and lo > hi:
            return []
        if unit == "DAY" and not levels:
            levels = ["Contractor"]
        s, e = ev
        currency = r.currency or self.currency_at(r.start)
        if location is None:
            if self._abroad(s, e):
                return []  # a figure about another country is not a UK salary
            location = self.default_location if currency == "GBP" else None
        self.used.add((r.start, r.end))
        return [Claim(kind="salary", subject=role, predicate=PREDICATE, object=None, start=s, end=e,
                      evidence=self.text[s:e], extractor=how, chunk_id=self.chunk_of(s, e),
                      seniority=lvl, location=location, currency=currency,
                      min_value=lo, max_value=None if r.open_max else hi, unit=unit)
                for lvl in (levels or [None])]

    def _unit(self, r: MoneyRange, seg_end: int, context: str) -> str | None:
        after = self.text[r.end:min(seg_end, r.end + 20)]
        if _OTHER_UNIT.search(after):
            return None
        if _DAY.search(after) or re.search(r"day[- ]rate", context, re.I):
            return "DAY"
        return "YEAR"

    @staticmethod
    def _cells(line: Line) -> list[tuple[int, int]]:
        """``[start, end)`` of each cell of a pipe-table row (trimmed)."""
        out, pos = [], line.start
        content = line.content
        inner_start = pos + (1 if content.startswith("|") else 0)
        inner_end = line.end - (1 if content.endswith("|") and len(content) > 1 else 0)
        s = inner_start
        for i in range(inner_start, inner_end + 1):
            if i == inner_end or line.content[i - line.start] == "|":
                a, b = s, i
                raw = content[a - line.start:b - line.start]
                a += len(raw) - len(raw.lstrip())
                b -= len(raw) - len(raw.rstrip())
                out.append((a, max(a, b)))
                s = i + 1
        return out

    def _table_row(self, line: Line, cells: list[str], header: tuple[Line, list[str]] | None) -> list[Claim]:
        if self._not_pay_context(line) or (header and _NOT_PAY_CONTEXT.search(header[0].content)):
            return []
        label = cells[0]
        levels = seniorities(label) or ([_years_seniority(" ".join(cells[1:]))] if _years_seniority(" ".join(cells[1:])) else [])
        levels = [lv for lv in levels if lv != "Contractor"] or levels
        spans = self._cells(line)
        row_role = self._role_in(spans[0][0], spans[0][1]) if spans else self.main_role
        # a row labelled by a place or an organisation whose name holds one ("| Imperial College London | ...")
        row_place = self._location_in(*spans[0]) if spans else None
        row_place = row_place if row_place not in (UK, OUTSIDE_LONDON) else None
        head_spans = self._cells(header[0]) if header else []
        head = list(header[1]) if header else []
        while head and not head[-1]:
            head.pop()
        filled = len(spans)
        while filled and spans[filled - 1][0] == spans[filled - 1][1]:
            filled -= 1  # the row's trailing empty cells ("| London | £50,000 | |")
        if head and filled == len(head) + 1:
            # a header without the rows' label column (its corner cell dropped when HTML was flattened):
            # "Junior (0-3 years) | Mid-level (4-8 years) | ..." over "United Kingdom (£) | - | 84,500 | ..."
            head, head_spans = [""] + head, [(0, 0)] + head_spans
        cur = _LABEL_CURRENCY.search(label)
        row_currency = None if cur is None else "USD" if cur.group("usd") else "EUR" if cur.group("eur") else "GBP"
        out: list[Claim] = []
        bare = self._bare_ok(line, header) or row_currency is not None
        for i, (cs, ce) in enumerate(spans):
            cell = self.text[cs:ce]
            col = head[i] if i < len(head) else ""
            location, role = None, row_role
            if col:
                location = OUTSIDE_LONDON if _OUTSIDE.search(col) else None
                location = location or self.city_by_surface.get(col.lower())
                location = location or (UK if _UK.search(col) else None)
                if i < len(head_spans) and i > 0:  # one column per role: "| Level | ML Engineer | Data Scientist |"
                    hs, he = head_spans[i]
                    if location is None and self.cities.within(hs, he):  # one per place: "| London (2026) |"
                        location = self.cities.within(hs, he)[0].entity.iri
                    col_roles = self.roles.within(hs, he)
                    if col_roles and not self.roles.starting(spans[0][0], spans[0][1]):
                        role = col_roles[0].entity.iri
            location = location or row_place
            cell_role = self.roles.within(cs, ce)
            if cell_role and i > 0:
                role = cell_role[0].entity.iri
            cell_levels = levels
            if i > 0 and seniorities(cell) and not seniorities(label):
                cell_levels = [lv for lv in seniorities(cell) if lv != "Contractor"]  # "Junior Data Engineer<br/>£40-60K"
            elif i > 0 and col and not levels and (seniorities(col) or _years_seniority(col)):
                cell_levels = seniorities(col)[:1] or [_years_seniority(col)]  # one column per level
            for r in find_ranges(self.text, cs, ce, bare=bare):
                if row_currency is not None and (r.currency is None or bare and not re.search(r"[£$€]", cell)):
                    r = replace(r, currency=row_currency)
                unit = self._unit(r, line.end, cell + " " + col)
                if unit:
                    out += self._claims(r, role, cell_levels, location, unit,
                                        self.layout.window(line.start, line.end, r.start, r.end, 2000), "table")
        return out

    def _row_like(self, line: Line) -> bool:
        """A table row flattened to a line: short, not a sentence, a level, role or pay heading as its label."""
        if line.kind not in ("prose", "heading"):
            return False
        content = line.content
        if content.endswith((".", "!", "?")) or len(self.layout.sentences(line)) > 1:
            return False
        first = _HAS_MONEY.search(content)
        label = content[:first.start()] if first else content
        if len(label.split()) > 12 or len(content.split()) > 22:
            return False
        if seniorities(label) or _YEARS.search(label):
            return True
        s = line.start
        if self.roles.starting(s, s + len(label)):
            return True
        heads = self.layout.headings_above(line, 2)
        return any(_SALARY_CUE.search(h.content) for h in heads)

    def _flat_row(self, line: Line) -> list[Claim]:
        if self._not_pay_context(line):
            return []
        ranges = find_ranges(self.text, line.start, line.end, bare=self._bare_ok(line, None))
        if not ranges:
            return []
        label_end = ranges[0].start
        label = self.text[line.start:label_end]
        if _NOT_SALARY.search(label) or _MONTHLY.search(label):
            return []
        levels = seniorities(label) or ([_years_seniority(label)] if _years_seniority(label) else [])
        role = self._role_in(line.start, label_end)
        if role == self.main_role:
            heads = self.layout.headings_above(line, 2)
            head_roles = [m for h in heads for m in self.roles.within(h.start, h.end)]
            role = head_roles[0].entity.iri if head_roles and not self.roles.starting(line.start, label_end) \
                else role
        location = self._location_in(line.start, line.end) or self._lead_in_location(line) or \
            self._heading_location(line)
        out: list[Claim] = []
        for r in ranges:
            if _CHANGE.search(self.text, max(line.start, r.start - 60), r.start):
                continue
            unit = self._unit(r, line.end, label)
            if unit:
                lv = [x for x in levels if unit == "DAY" or x != "Contractor"]
                out += self._claims(r, role, lv, location, unit, (line.start, line.end), "table")
        return out

    def _card(self, line: Line, used: set[int]) -> list[Claim]:
        """A figure line with its caption above or below ("Entry Level" / "£32,000–£45,000")."""
        label, unit_line = self.layout.card(line, used, cue=_CARD_PAY, avoid=_MONTHLY)
        if label is None:
            return []
        used.add(label.index)  # the caption belongs to this figure, salary or not
        ranges = find_ranges(self.text, line.start, line.end)
        if not ranges:
            return []
        caption = label.content + " " + (unit_line.content if unit_line else "")
        if _NOT_SALARY.search(caption) or _MONTHLY.search(caption) or self._not_pay_context(label):
            return []
        heads = self.layout.headings_above(label if label.index < line.index else line, 2)
        if not (_SALARY_CUE.search(caption) or seniorities(caption) or _LABEL_PAY.search(caption)
                or any(_SALARY_CUE.search(h.content) for h in heads)):
            return []
        parts = [label, line] + ([unit_line] if unit_line else [])
        s, e = min(p.start for p in parts), max(p.end for p in parts)
        levels = [lv for lv in seniorities(caption) if lv != "Contractor"]
        unit = "DAY" if _DAY_LABEL.search(caption) else "YEAR"
        if unit == "DAY":
            levels = ["Contractor"]
        location = self._location_in(label.start, label.end)
        role = self._role_in(label.start, label.end)
        out: list[Claim] = []
        for r in ranges:
            if _OTHER_UNIT.search(self.text[r.end:line.end]):
                continue
            out += self._claims(r, role, levels, location, unit, (s, e), "card")
        return out

    def _lead_in_location(self, line: Line) -> str | None:
        """Where a list item's list is about: the location named by the line introducing the list.

        The lead-in is the nearest line before the run of items that holds the item (a
        "Typical salaries in Leeds are:" sentence or a heading); None when it names no place.
        """
        i = line.index - 1
        if i >= 0 and self.layout.lines[i].kind == "item" and i in self._lead_in:
            self._lead_in[line.index] = self._lead_in[i]  # a giant list is walked once
            return self._lead_in[i]
        while i >= 0 and self.layout.lines[i].kind == "item":
            i -= 1
        found = self._lead_in_of(i)
        self._lead_in[line.index] = found
        return found

    def _heading_location(self, line: Line) -> str | None:
        """The place a short heading names for the lines under it ("Manchester" / "Data Analyst avg:
        £36,000–£48,000" / "Senior Analyst: £50,000–£65,000")."""
        heading = self.layout.heading_of(line)
        if heading is None or len(heading.content.split()) > 4:
            return None
        return self._location_in(heading.start, heading.end)

    def _lead_in_of(self, i: int) -> str | None:
        if i < 0:
            return None
        lead = self.layout.lines[i]
        if lead.kind == "heading" or (lead.kind == "prose" and lead.content.rstrip().endswith(":")):
            return self._location_in(lead.start, lead.end)
        return None

    def _respective(self, s: int, e: int, ranges: list[MoneyRange]) -> dict[int, str]:
        """"data architects and data engineers earning £90k and £62.5k, respectively": each figure after the
        last role named is the pay of the roles named since the figure before them, in order (start -> role)."""
        if not _RESPECTIVELY_WORD.search(self.text, s, e):
            return {}
        roles = self.roles.within(s, e)
        if not roles:
            return {}
        last = roles[-1].end
        figures = [r for r in ranges if r.start >= last]
        since = max((r.end for r in ranges if r.end <= roles[-1].start), default=s)
        named = [m for m in roles if m.start >= since]
        if len(figures) < 2 or len(named) != len(figures):
            return {}
        return {r.start: m.entity.iri for r, m in zip(figures, named)}

    def _sentences(self, line: Line) -> list[Claim]:
        heading = self.layout.heading_of(line)
        in_salary_section = bool(heading and _SALARY_CUE.search(heading.content))
        # a guide whose title is about pay ("Tech workers ... see average salary jump to £80,000") states pay
        # in sentences that do not repeat the cue ("... followed by £87,976 in Cambridge")
        about_pay = in_salary_section or self.title_about_pay
        list_location = self._lead_in_location(line) if line.kind == "item" else None
        if list_location is None and len(line.content.split()) <= 12:
            list_location = self._heading_location(line)
        out: list[Claim] = []
        for s, e in self.layout.sentences(line):
            ranges = find_ranges(self.text, s, e)
            if not ranges:
                continue
            sent = self.text[s:e]
            if _NOT_PAY_CONTEXT.search(sent):
                continue
            if line.kind == "item":
                label_end = s + sent.find(":") if ":" in sent else ranges[0].start
                if not (in_salary_section or seniorities(self.text[s:label_end]) or _SALARY_CUE.search(sent)
                        or self.roles.starting(s, label_end)):
                    continue
            elif not (_SALARY_CUE.search(sent) or about_pay and line.kind == "prose"):
                continue
            respective = self._respective(s, e, ranges)
            for i, r in enumerate(ranges):
                ws, we = self.layout.window(s, e, r.start, r.end)  # the sentence, or a window of a huge one
                j = i - 1 if i and re.fullmatch(r"\s*\(\s*", self.text[ranges[i - 1].end:r.start]) else i
                left_s = max(ranges[j - 1].end if j else s, ws)  # "£7000 ($10,560)": the words before both
                right_e = min(ranges[i + 1].start if i + 1 < len(ranges) else e, we)
                left, right = self.text[left_s:r.start], self.text[r.end:right_e]
                cut = re.search(r"[,;]", right)
                right_clause = right[:cut.start()] if cut else right
                if _NOT_SALARY.search(left) or _NOT_SALARY.search(right_clause):
                    continue
                if _CHANGE.search(self.text, max(s, r.start - 60), r.start):
                    continue
                if _DIFFERENCE.match(right):
                    continue  # "£15k (24%) less than the average": a gap between two figures, not a pay
                if _THRESHOLD.match(right):
                    continue  # "salary hikes over the £40,000 mark": a line figures cross, no one's pay
                if _ALL_JOBS_AVERAGE.search(self.text, max(s, r.start - 60), r.start):
                    continue  # "above the UK average of £28,600": every job's average, not the role's pay
                if not self.roles.starting(ws, we) and self._skill_pay(left_s, r.start):
                    continue  # "jobs citing Kubernetes pay an average of £85,000": a skill's pay
                if r.lo is not None and r.lo == r.hi and _MINIMUM.search(left):
                    r = MoneyRange(r.start, r.end, r.lo, None, True, r.invalid, r.currency)  # "the minimum ... is £X"
                use_right = bool(_PREP.match(right_clause))
                level_after = _LEVEL_AFTER.match(right_clause)
                levels = (seniorities(right_clause) if use_right or level_after else []) or seniorities(left)
                location = (self._location_in(r.end, r.end + len(right_clause)) if use_right else None) \
                    or self._nearest_location(left_s, r.start)
                if location is None and len(ranges) == 1:
                    location = self._location_in(ws, we)
                elif location is None:  # "In London, seniors are paid £A to £B, while principals start at £C"
                    location = self._location_in(ws, min(we, max(ws, ranges[0].start)))
                location = location or list_location
                after = self.roles.within(r.end, r.end + len(right_clause)) if use_right else []
                role = after[0].entity.iri if after else respective.get(r.start) or \
                    self._role_in(ws, we, before=r.start)
                if after and i:  # "..., to £550 for a general data scientist": the words before it belong to
                    # the last figure; the sentence's lead ("graduate salary: £35,000 for ..., £45,000 for ...") to all
                    levels = seniorities(right_clause) or seniorities(self.text[max(s, ws):ranges[0].start])
                unit = self._unit(r, e, self.text[ws:we])
                if unit:
                    how = "list" if line.kind == "item" else "prose"
                    for loc in self._city_list(left_s, r.start, location):
                        out += self._claims(r, role, [lv for lv in levels if unit == "DAY" or lv != "Contractor"],
                                            loc, unit, (ws, we), how)
        return out


def foreign_place(text: str) -> str | None:
    """The first place outside the UK a text names, unless it also names a UK place.

    Countries anywhere, cities after a preposition ("in Berlin", "across Paris"); places come
    from GeoNames (:mod:`careerkg.graph.places`), so no list of foreign places is kept here.
    """
    from careerkg.graph.places import get_places

    places = get_places()
    foreign, uk = None, bool(_UK.search(text))
    for m in _PLACE_CAND.finditer(text):
        words = m.group(0).split()
        i = 0
        while i < len(words):
            for n in range(min(3, len(words) - i), 0, -1):
                name = " ".join(words[i:i + n])
                p = places.lookup(name)
                if p is None:
                    continue
                if p.in_uk:
                    uk = True
                elif p.kind == "country" or i > 0 and words[i - 1].lower() in ("in", "across", "from", "at") or \
                        i == 0 and re.search(r"\b(?:in|across|from|to|at)\s+$", text[max(0, m.start() - 8):m.start()]):
                    foreign = foreign or name
                i += n - 1
                break
            i += 1
    return None if uk else foreign


_DIFFERENCE_AFTER = re.compile(r"\s*(?:more|less|extra|higher|lower|up(?!\s+to\b)|down|increase|rise|drop|cut)\b", re.I)
# a sign glued to the money inside a sentence ("(-£5,000)", "a +£2k uplift"; not a list item's "- £45,000")
_DIFFERENCE_BEFORE = re.compile(r"(?:(?<=[(\w,;:] )|(?<=\())[-+−]$|\b(?:rise|increase|drop|fall|cut|jump|boost|uplift|up|"
                                r"down)s?\s+(?:of|by)\s+(?:up\s+to\s+|around\s+|about\s+)?$", re.I)


def is_difference(text: str, r: MoneyRange) -> bool:
    """The money ``r`` in ``text`` is a change of pay, not pay ("£50 more per day", "(-£5,000)", "a rise of £2,000")."""
    return _DIFFERENCE_AFTER.match(text, r.end) is not None or \
        _DIFFERENCE_BEFORE.search(text, max(0, r.start - 30), r.start) is not None


def without_differences(text: str) -> str:
    """``text`` with its money that is a change of pay blanked (same length)."""
    for r in find_ranges(text):
        if is_difference(text, r):
            text = text[:r.start] + " " * (r.end - r.start) + text[r.end:]
    return text


def implausible_money(text: str) -> bool:
    """True when a text states a pay figure no salary claim could hold (negative, reversed, or
    outside every plausible yearly/daily band), e.g. "£5 a year" or "£1,000,000,000,000"."""
    if "£" not in text:
        return False
    lo_band = min(b[0] for b in BANDS.values())
    hi_band = max(b[1] for b in BANDS.values())
    for r in find_ranges(text):
        if r.invalid:
            return True
        if is_difference(text, r):
            continue  # a change of pay, not pay: "£50 more per day than in 2021", "(-£5,000)", "a rise of £2,000"
        values = [v for v in (r.lo, r.hi) if v is not None]
        listed = text.lstrip().startswith(("-", "|", "•", "*"))  # a pay list item or table row
        if any(v < lo_band or v > hi_band for v in values) and (_SALARY_CUE.search(text) or listed) \
                and not _NOT_SALARY.search(text):
            return True
        if r.lo is not None and r.hi is not None and r.lo > r.hi:
            return True
    return bool(re.search(r"£\s*-|£\s*\d{8,}", text))
