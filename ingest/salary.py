"""Salary claims: money ranges in table rows, list items and prose sentences.

>>> parse_amount("45,000", None), parse_amount("85", "k"), parse_amount("1", "m")
(45000.0, 85000.0, 1000000.0)
>>> [(r.lo, r.hi, r.open_max) for r in find_ranges("between £45,000 and £65,000, or £110,000+")]
[(45000.0, 65000.0, False), (110000.0, None, True)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from careerkg.model import Claim, Mention
from graph.vocab import CKG
from ingest.layout import Layout, Line

UK = str(CKG.UK)
OUTSIDE_LONDON = str(CKG.UKOutsideLondon)
PREDICATE = str(CKG.role)
BANDS = {"YEAR": (10_000.0, 1_000_000.0), "DAY": (100.0, 5_000.0)}

_NUM = r"(?P<{n}neg>-)?(?P<{n}num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)[ ]?(?P<{n}mult>k|K|m|M|bn|billion|million|thousand)?(?![\w])"
_RANGE = re.compile(
    r"£[ ]?" + _NUM.format(n="a")
    + r"(?:(?P<plus1>\+)?[ ]*(?P<join>–|—|-|to|and)[ ]*£?[ ]?" + _NUM.format(n="b") + r")?(?P<plus>\+)?")
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}

_SENIORITY = (
    ("Junior", re.compile(r"\b(?:junior|entry[- ]?level|entry|graduates?|grad)\b", re.I)),
    ("Mid", re.compile(r"\bmid\b|\bintermediate\b", re.I)),
    ("Senior", re.compile(r"\bsenior\b", re.I)),
    ("Lead", re.compile(r"\bleads?\b(?!\s+to\b)", re.I)),
    ("Principal", re.compile(r"\b(?:principal|staff)\b", re.I)),
    ("Contractor", re.compile(r"\bcontract(?:or|ors|ing)?\b|\bday[- ]rates?\b|\bfreelance", re.I)),
)
_OUTSIDE = re.compile(r"outside (?:of )?(?:london|the capital)|rest of (?:the )?uk|\bregions?\b|"
                      r"\bregional\b|elsewhere in the uk|outside the south[- ]east", re.I)
_UK = re.compile(r"\b(?:UK|U\.K\.|United Kingdom|Britain)\b")
_SALARY_CUE = re.compile(r"salar|earn|\bpay|\bpaid|command|compensation|package|\brates?\b|"
                         r"\branges?\b|income|per (?:year|annum|day)|a year|p\.a\.", re.I)
_NOT_SALARY = re.compile(r"revenue|turnover|funding|invest|valuation|raised|market (?:size|worth)|"
                         r"budget|cost|price|fees?\b|grant", re.I)
_OPEN_MIN = re.compile(r"(?:exceed\w*|over|above|more than|upwards of|in excess of|at least|from|"
                       r"start\w*\s+at(?:\s+around)?|beyond)\s*$", re.I)
_UP_TO = re.compile(r"up to\s*$", re.I)
_SKIP = re.compile(r"\breach\w*\s+(?:well\s+)?(?:over|above|beyond)?\s*$|\bpremium\b", re.I)
_DAY = re.compile(r"^\+?\s*(?:per|a|/)\s*day|^\s*p/?d\b|^\s*daily", re.I)
_OTHER_UNIT = re.compile(r"^\+?\s*(?:per|an?|/)\s*(?:hour|hr|month|week)", re.I)
_YEARS = re.compile(r"(\d+)\s*(?:\+|(?:–|-|to)\s*\d+)\s*(?:years?|yrs)", re.I)
_PREP = re.compile(r"^\s*\+?\s*(?:at|in|for|outside|across)\b", re.I)


@dataclass(frozen=True)
class MoneyRange:
    """A money expression: ``lo``/``hi`` in pounds, ``open_max`` for "£110,000+"/"exceeding"."""

    start: int
    end: int
    lo: float | None
    hi: float | None
    open_max: bool
    invalid: bool = False


def parse_amount(num: str, mult: str | None) -> float:
    """``"45,000"`` -> 45000.0; ``("85", "k")`` -> 85000.0."""
    return float(num.replace(",", "")) * _MULT.get((mult or "").lower(), 1.0)


def find_ranges(text: str, start: int = 0, end: int | None = None) -> list[MoneyRange]:
    """Money ranges/values in ``text[start:end]`` (offsets into ``text``)."""
    out = []
    end = len(text) if end is None else end
    for m in _RANGE.finditer(text, start, end):
        invalid = bool(m.group("aneg") or m.group("bneg"))
        a = parse_amount(m.group("anum"), m.group("amult"))
        left = text[max(start, m.start() - 40):m.start()]
        if m.group("bnum") is not None:
            if m.group("join") == "and" and not re.search(r"between\s*$", left, re.I):
                # "£85,000 and £65,000" is two values, not a range: keep the first only
                out.append(_single(text, start, m.start(), m.start("join") - 1, a, False, invalid))
                continue
            b_mult = m.group("bmult") or (m.group("amult") if not re.search(r",", m.group("bnum")) else None)
            b = parse_amount(m.group("bnum"), b_mult)
            out.append(MoneyRange(m.start(), m.end(), a, b, False, invalid))
        else:
            out.append(_single(text, start, m.start(), m.end(), a, bool(m.group("plus")), invalid))
    return out


def _single(text: str, seg_start: int, s: int, e: int, v: float, plus: bool, invalid: bool) -> MoneyRange:
    left = text[max(seg_start, s - 40):s]
    if _SKIP.search(left):
        return MoneyRange(s, e, None, None, False, True)
    if plus or _OPEN_MIN.search(left):
        return MoneyRange(s, e, v, None, True, invalid)
    if _UP_TO.search(left):
        return MoneyRange(s, e, None, v, False, invalid)
    return MoneyRange(s, e, v, v, False, invalid)


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
        self.roles = [m for m in mentions if m.entity.kind == "role" and m.entity.label != "Career Changer"]
        self.cities = [m for m in mentions if m.entity.kind == "city"]
        self.default_location = UK if _UK.search(text) else None

    def extract(self) -> list[Claim]:
        """All salary claims (deduplicated; impossible values dropped)."""
        if self.main_role is None and not self.roles:
            return []
        claims: list[Claim] = []
        header: list[str] | None = None
        for line in self.layout.lines:
            if line.kind == "table":
                cells = [c.strip() for c in line.content.strip("|").split("|")]
                if not find_ranges(line.content):
                    if not all(set(c) <= set("-: ") for c in cells):
                        header = cells
                    continue
                claims += self._table_row(line, cells, header)
            elif "£" in line.content:
                header = None
                claims += self._sentences(line)
            else:
                header = None
        seen, out = set(), []
        for c in claims:
            if c.claim_id not in seen:
                seen.add(c.claim_id)
                out.append(c)
        return out

    # -- claim building ---------------------------------------------------------------

    def _role_in(self, s: int, e: int, before: int | None = None) -> str | None:
        inside = [m for m in self.roles if s <= m.start and m.end <= e]
        if before is not None:
            prior = [m for m in inside if m.end <= before]
            if prior:
                return prior[-1].entity.iri
        return inside[0].entity.iri if inside else self.main_role

    def _location_in(self, s: int, e: int) -> str | None:
        chunk = self.text[s:e]
        if _OUTSIDE.search(chunk):
            return OUTSIDE_LONDON
        for m in self.cities:
            if s <= m.start and m.end <= e:
                return m.entity.iri
        if _UK.search(chunk):
            return UK
        return None

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
        return [Claim(kind="salary", subject=role, predicate=PREDICATE, object=None, start=s, end=e,
                      evidence=self.text[s:e], extractor=how, chunk_id=self.chunk_of(s, e),
                      seniority=lvl, location=location or self.default_location,
                      min_value=lo, max_value=None if r.open_max else hi, unit=unit)
                for lvl in (levels or [None])]

    def _unit(self, r: MoneyRange, seg_end: int, context: str) -> str | None:
        after = self.text[r.end:min(seg_end, r.end + 20)]
        if _OTHER_UNIT.search(after):
            return None
        if _DAY.search(after) or re.search(r"day[- ]rate", context, re.I):
            return "DAY"
        return "YEAR"

    def _table_row(self, line: Line, cells: list[str], header: list[str] | None) -> list[Claim]:
        label = cells[0]
        levels = seniorities(label) or ([_years_seniority(" ".join(cells[1:]))] if _years_seniority(" ".join(cells[1:])) else [])
        levels = [lv for lv in levels if lv != "Contractor"] or levels
        role = self._role_in(line.start, line.start + line.content.find(label) + len(label) + 2)
        out: list[Claim] = []
        pos = line.start
        for i, cell in enumerate(cells):
            cell_start = self.text.find(cell, pos, line.end) if cell else pos
            pos = cell_start + len(cell)
            col = header[i] if header and i < len(header) else ""
            location = None
            if col:
                location = OUTSIDE_LONDON if _OUTSIDE.search(col) else None
                location = location or next((m.entity.iri for m in self.cities if m.surface.lower() == col.lower()), None)
                location = location or (UK if _UK.search(col) else None)
            for r in find_ranges(self.text, cell_start, cell_start + len(cell)):
                unit = self._unit(r, line.end, cell + " " + col)
                if unit:
                    out += self._claims(r, role, levels, location, unit, (line.start, line.end), "table")
        return out

    def _lead_in_location(self, line: Line) -> str | None:
        """Where a list item's list is about: the location named by the line introducing the list.

        The lead-in is the nearest line before the run of items that holds the item (a
        "Typical salaries in Leeds are:" sentence or a heading); None when it names no place.
        """
        i = line.index - 1
        while i >= 0 and self.layout.lines[i].kind == "item":
            i -= 1
        if i < 0:
            return None
        lead = self.layout.lines[i]
        if lead.kind == "heading" or (lead.kind == "prose" and lead.content.rstrip().endswith(":")):
            return self._location_in(lead.start, lead.end)
        return None

    def _sentences(self, line: Line) -> list[Claim]:
        heading = self.layout.heading_of(line)
        in_salary_section = bool(heading and _SALARY_CUE.search(heading.content))
        list_location = self._lead_in_location(line) if line.kind == "item" else None
        out: list[Claim] = []
        for s, e in self.layout.sentences(line):
            ranges = find_ranges(self.text, s, e)
            if not ranges:
                continue
            sent = self.text[s:e]
            if line.kind == "item":
                label_end = s + sent.find(":") if ":" in sent else ranges[0].start
                if not (in_salary_section or seniorities(self.text[s:label_end]) or _SALARY_CUE.search(sent)
                        or any(s <= m.start < label_end for m in self.roles)):
                    continue
            elif not _SALARY_CUE.search(sent):
                continue
            for i, r in enumerate(ranges):
                left_s = ranges[i - 1].end if i else (s if line.kind != "item" else s)
                right_e = ranges[i + 1].start if i + 1 < len(ranges) else e
                left, right = self.text[left_s:r.start], self.text[r.end:right_e]
                cut = re.search(r"[,;]", right)
                right_clause = right[:cut.start()] if cut else right
                if _NOT_SALARY.search(left) or _NOT_SALARY.search(right_clause):
                    continue
                use_right = bool(_PREP.match(right_clause))
                levels = (seniorities(right_clause) if use_right else []) or seniorities(left)
                location = (self._location_in(r.end, r.end + len(right_clause)) if use_right else None) \
                    or self._location_in(left_s, r.start)
                if location is None and len(ranges) == 1:
                    location = self._location_in(s, e)
                elif location is None:  # "In London, seniors are paid £A to £B, while principals start at £C"
                    location = self._location_in(s, ranges[0].start)
                location = location or list_location
                role = self._role_in(s, e, before=r.start)
                unit = self._unit(r, e, sent)
                if unit:
                    how = "list" if line.kind == "item" else "prose"
                    out += self._claims(r, role, [lv for lv in levels if unit == "DAY" or lv != "Contractor"],
                                        location, unit, (s, e), how)
        return out


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
        values = [v for v in (r.lo, r.hi) if v is not None]
        listed = text.lstrip().startswith(("-", "|", "•", "*"))  # a pay list item or table row
        if any(v < lo_band or v > hi_band for v in values) and (_SALARY_CUE.search(text) or listed) \
                and not _NOT_SALARY.search(text):
            return True
        if r.lo is not None and r.hi is not None and r.lo > r.hi:
            return True
    return bool(re.search(r"£\s*-|£\s*\d{8,}", text))
