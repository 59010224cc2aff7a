"""Statistic claims: counts, percentages, money that is not a salary, durations, ranks.

A statistic is a figure with a unit and what it measures: "448,484 job postings (1.7% of
all UK postings)", "London had 1,008 permanent jobs citing ML", "a 452% increase in demand",
"typically 24 months", "Rank 26 59 82" under period column headers, "9" / "Essential Skills".
Each becomes a ``Claim(kind="statistic")`` with ``value`` (``max_value`` for "3 to 4"),
``unit`` (COUNT, PERCENT, GBP/USD/EUR, MINUTE, HOUR, DAY, WEEK, MONTH, YEAR, RANK),
``measures`` (the words that say what is counted), ``about`` (entities named there),
``location`` and ``period`` when the text gives them, and the evidence span (the sentence,
the table row, or the caption and figure lines of a card).

Not statistics: years and dates, list numbering and codes ("Level 4", "SOC 2134",
"Figure 1.1"), experience bands ("0–2 years", "8+ years"), time references ("18 months
ago", "the 6 months to 29 Dec 2025" is a period), and figures already read as salaries.

>>> [(v, u) for v, _, u, _ in figures("An estimated 448,484 job postings (1.7% of all UK postings)")]
[(448484.0, 'COUNT'), (1.7, 'PERCENT')]
>>> [(v, hi, u) for v, hi, u, _ in figures("typically 24 months; 3 to 4 good offers; up 15 per cent")]
[(24.0, None, 'MONTH'), (3.0, 4.0, 'COUNT'), (15.0, None, 'PERCENT')]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Callable

from careerkg.model import Claim, Mention
from careerkg.text import ROW_VALUES, is_stats_row
from careerkg.graph.vocab import CKG
from careerkg.ingest.layout import Layout, Line, MentionList
from careerkg.ingest.salary import CURRENCY_OF_SYMBOL, OUTSIDE_LONDON, UK

PREDICATE = str(CKG.measures)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12}
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_DUR_UNIT = {"min": "MINUTE", "hour": "HOUR", "hr": "HOUR", "day": "DAY", "week": "WEEK", "month": "MONTH",
             "year": "YEAR", "yr": "YEAR"}
_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|" \
          r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_N = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FIG = re.compile(
    rf"(?:(?P<cur>US\$|[£$€])[ ]?[~≈]?|(?<![\w.,£$€/:–—]))(?P<sign>[+\-−](?=\d))?(?P<num>{_N}|"
    rf"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b)"
    rf"(?:[ ]?(?P<mult>million|billion|thousand|bn|m|k|K)(?![a-z]))?"
    rf"(?:[ ]*(?:–|—|-|to)[ ]*(?P<cur2>[£$€])?(?P<num2>{_N}|\b(?:two|three|four|five|six|seven|eight|nine|ten|"
    rf"eleven|twelve)\b)(?:[ ]?(?P<mult2>million|billion|bn|m|k|K)(?![a-z]))?)?"
    rf"(?P<plus>\+)?"
    rf"(?:[ ]*(?P<pct>%|per[ ]?cent\b|percent\b)|[ ]*[-‑]?[ ]*(?P<dur>min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|"
    rf"years?|yrs?)(?![a-z])(?P<apos>['’])?)?", re.I)
_COUNT_NOUN = re.compile(r"[ ]+(?:[A-Za-z][\w-]*[ ]+){0,3}?[a-z][a-z-]*[a-rt-z]s\b|-strong\b")  # used with match(pos)
_WORD_COUNT_NOUN = re.compile(r"[ ]+(?:[a-z][\w-]*[ ]+)?[a-z][a-z-]*[a-rt-z]s\b")
_COUNT_CUE = re.compile(r"\b(?:jobs?|postings?|vacanc\w+|roles?|ads|adverts?|openings?|professionals|workers|"
                        r"people|candidates|applicants|grants|employees|hires|students|apprentices|salaries quoted|"
                        r"demand)\b", re.I)
_NOT_BEFORE = re.compile(r"(?:\b(?:level|grade|stage|step|phase|figure|fig\.|chapter|section|placement|soc|"
                         r"code|page|table|version|v|no\.|number|top|tier|band|key stage|ielts|gcse|a-level|"
                         r"score of|aged?|at)\s*|[#@]\s*)$", re.I)
_AFTER_SKIP = re.compile(r"^\s*(?:ago\b|min read|read\b|(?:to|up to|leading up to|ending|ended)\s+(?:\d|"
                         + _MONTHS + r"|the|date)|:\d)", re.I)
_DATE_AROUND = re.compile(rf"^\s*{_MONTHS}\b|^\s*(?:st|nd|rd|th)\b", re.I)
_DATE_BEFORE = re.compile(rf"\b{_MONTHS}\s*$|\b(?:in|since|by|from|until|of|during|for)\s+$", re.I)
_TAKES = re.compile(r"\b(?:takes?|took|lasts?|lasted|requires?|spend|spent|runs? for)\s+(?:about |around |roughly |"
                    r"between |typically |usually )?$", re.I)
_FRACTION = re.compile(r"\b(?:nearly |almost |around |about |roughly |over |just under )?a (?P<f>half|third|quarter|"
                       r"fifth|tenth) of\b", re.I)
_FRACTIONS = {"half": 50.0, "third": 33.3, "quarter": 25.0, "fifth": 20.0, "tenth": 10.0}
_PERIOD = re.compile(
    rf"\b(?:in|during|since|between|from|by|for|over)\s+(?:(?:the\s+)?(?:{_MONTHS}\s+)?(?:19|20)\d{{2}})"
    rf"(?:\s*(?:–|—|-|to|and)\s*(?:(?:{_MONTHS}\s+)?(?:mid-)?(?:19|20)\d{{2}}))?|"
    rf"\b(?:in\s+)?the\s+(?:six|twelve|three|\d+)\s+months\s+(?:to|leading up to|ending)\s+[^,.;\n]+|"
    rf"\byear[- ]on[- ]year\b|\bin a year\b|\blast year\b|\bthis year\b|\b(?:19|20)\d{{2}}\b", re.I)
_CLAUSE = re.compile(r"[,;:()]|\s[–—]\s|\bwhile\b|\bwhilst\b|\bcompared\b")
_PERIOD_HEAD = re.compile(rf"(?:\d+ months to\s+)?\d{{1,2}} {_MONTHS} (?:19|20)\d{{2}}|"
                          rf"(?:same period|year to|in)\s+(?:19|20)\d{{2}}|\b(?:19|20)\d{{2}}\b", re.I)
_ROW_VALUES = ROW_VALUES
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_MAX_VALUE = {"PERCENT": 1e5, "MINUTE": 1e6, "HOUR": 1e5, "DAY": 1e5, "WEEK": 1e4, "MONTH": 1e4, "YEAR": 1e3,
              "RANK": 1e7}


def _num(text: str, mult: str | None) -> float:
    low = text.lower()
    v = float(_WORDS[low]) if low in _WORDS else float(text.replace(",", ""))
    return v * _MULT.get((mult or "").lower(), 1.0)


def figures(text: str, start: int = 0, end: int | None = None,
            count_context: bool = False) -> list[tuple[float, float | None, str, tuple[int, int]]]:
    """Figures of ``text[start:end]``: ``(value, max value or None, unit, (start, end))``.

    Args:
        text: the text.
        start: where to start.
        end: where to stop (default: the end).
        count_context: a bare figure with thousands separators is a count even without a
            noun after it (the sentence speaks of jobs, postings, ...: "up from 1,213 to 6,699").
    """
    end = len(text) if end is None else end
    out = []
    for m in _FIG.finditer(text, start, end):
        num, cur, dur, pct = m.group("num"), m.group("cur"), m.group("dur"), m.group("pct")
        word = num.lower() in _WORDS
        if word and not (dur or pct or num.lower() != "one"
                         and _WORD_COUNT_NOUN.match(text, m.end(), min(end, m.end() + 40))):
            continue  # "two placement rotations", "three per cent" count; "No one knows", "One caveat ..." do not
        left = text[max(start, m.start() - 16):m.start()]
        right = text[m.end():m.end() + 24]
        if _NOT_BEFORE.search(left) and not (cur or pct) or _AFTER_SKIP.match(right) or _DATE_AROUND.match(right):
            continue
        nxt = text[m.end():m.end() + 1]
        if nxt.isalnum() and not pct and not dur:
            continue  # glued to a word: "2134Programmers"
        if not text[max(start, m.start() - 3):m.start()].strip() and nxt in (".", ")") and not cur:
            continue  # list numbering: "1. Executive summary"
        v = _num(num, m.group("mult") or (m.group("mult2") if not cur else None))
        hi = _num(m.group("num2"), m.group("mult2") or m.group("mult")) if m.group("num2") else None
        if m.group("sign") in ("-", "−"):
            v = -v
        if cur:
            unit = CURRENCY_OF_SYMBOL[cur]
        elif pct:
            unit = "PERCENT"
        elif dur:
            key = dur.lower().rstrip("s")
            unit = _DUR_UNIT.get(key[:3] if key.startswith("min") else key, "YEAR")
            if hi is not None or m.group("plus"):
                if unit == "YEAR" and not _TAKES.search(left):
                    continue  # an experience band "0–2 years", "8+ years", "5-10 years experience" (but
                    # "a degree takes three to four years" is how long something lasts)
        elif _YEAR.match(num) and not m.group("mult"):
            continue
        elif m.group("mult") or _COUNT_NOUN.match(text, m.end(), min(end, m.end() + 60)) \
                or (count_context and "," in num):
            unit = "COUNT"
        else:
            continue
        if _DATE_BEFORE.search(left) and _YEAR.match(num) and not (pct or cur or dur):
            continue
        if not all(abs(x) <= _MAX_VALUE.get(unit, 1e12) for x in (v, hi) if x is not None):
            continue  # "£99999999999999", "1e309": nothing absurd
        if hi is not None and hi < v:
            hi = None
        if hi is not None and re.search(r"\bfrom\s*[~≈]?\s*$", left, re.I):  # "up from 1,213 to 6,699": two values
            b = m.start("num2") - (1 if m.group("cur2") else 0)
            out += [(v, None, unit, (m.start(), m.end("num"))), (hi, None, unit, (b, m.end()))]
            continue
        out.append((v, hi, unit, (m.start(), m.end())))
    for m in _FRACTION.finditer(text, start, end):
        out.append((_FRACTIONS[m.group("f").lower()], None, "PERCENT", m.span()))
    return sorted(out, key=lambda f: f[3][0])


class StatisticExtractor:
    """Statistic claims of one document.

    Args:
        text: the document text.
        layout: its :class:`Layout`.
        mentions: entity mentions (doc offsets).
        chunk_of: maps an evidence span to its chunk id.
        salary_spans: spans of figures already read as salaries (not statistics).
    """

    def __init__(self, text: str, layout: Layout, mentions: list[Mention], chunk_of: Callable[[int, int], str],
                 salary_spans: set[tuple[int, int]] = frozenset()) -> None:
        self.text, self.layout, self.chunk_of = text, layout, chunk_of
        self.mentions = MentionList(m for m in mentions if m.entity.kind in ("role", "skill", "org", "sector", "city"))
        self.cities = MentionList(m for m in mentions if m.entity.kind == "city")
        self._periods: dict[tuple[int, int], list[str | None]] = {}
        self._rows: dict[int, bool] = {}
        self.salary = sorted(salary_spans)

    def extract(self) -> list[Claim]:
        """All statistic claims, in document order, deduplicated."""
        out: list[Claim] = []
        used: set[int] = set()
        for line in self.layout.lines:
            if self.layout.is_figure_line(line):
                out += self._card(line, used)
            elif line.kind != "table" and self._stats_row(line):
                out += self._row(line)
            elif line.kind == "table":
                out += self._pipe_row(line)
            else:
                for s, e in self.layout.sentences(line):
                    out += self._sentence(s, e)
        seen, uniq = set(), []
        for c in out:
            if c.claim_id not in seen:
                seen.add(c.claim_id)
                uniq.append(c)
        return uniq

    # -- helpers ----------------------------------------------------------------------------

    def _is_salary(self, span: tuple[int, int]) -> bool:
        i = bisect_left(self.salary, (span[0], span[0]))
        return any(s < span[1] and span[0] < e for s, e in self.salary[max(0, i - 2):i + 2])

    def _location(self, s: int, e: int) -> str | None:
        chunk = self.text[s:e]
        for m in self.cities.within(s, e):
            return m.entity.iri
        if re.search(r"outside (?:of )?london|rest of (?:the )?uk", chunk, re.I):
            return OUTSIDE_LONDON
        if re.search(r"\b(?:UK|U\.K\.|United Kingdom|Britain)\b", chunk):
            return UK
        return None

    def _claim(self, value: float, hi: float | None, unit: str, measures: str, ms: tuple[int, int],
               ev: tuple[int, int], how: str, period: str | None, location: str | None) -> Claim:
        about = tuple(dict.fromkeys(m.entity.iri for m in self.mentions.within(ms[0], ms[1])))
        s, e = ev
        return Claim(kind="statistic", subject=about[0] if about else "", predicate=PREDICATE, object=None,
                     start=s, end=e, evidence=self.text[s:e], extractor=how, chunk_id=self.chunk_of(s, e),
                     location=location, unit=unit, value=value, max_value=hi, min_value=value if hi else None,
                     measures=" ".join(measures.split())[:200] or None, period=period, about=about)

    def _period(self, s: int, e: int) -> str | None:
        m = _PERIOD.search(self.text, s, e)
        return " ".join(m.group(0).split()) if m else None

    def _measures_span(self, s: int, e: int, fig: tuple[int, int]) -> tuple[int, int]:
        """The clause around a figure: from the clause break before it to the one after it."""
        a = max(s, fig[0] - 200)  # a bounded window: a 1 MB sentence stays linear
        for m in _CLAUSE.finditer(self.text, a, fig[0]):
            a = m.end()
        b = min(e, fig[1] + 200)
        m = _CLAUSE.search(self.text, fig[1], b)
        if m:
            b = m.start()
        if b - a < 12:  # "(26%)": take the clause before the bracket too
            a, b = max(s, fig[0] - 100), min(e, fig[1] + 100)
        return a, b

    # -- sentences --------------------------------------------------------------------------

    def _sentence(self, s: int, e: int) -> list[Claim]:
        sent = self.text[s:e]
        out = []
        line = self.layout.line_at(s)
        context = bool(_COUNT_CUE.search(self.text, line.start, line.end) if line else _COUNT_CUE.search(sent))
        period = location = None
        for i, (v, hi, unit, span) in enumerate(figures(self.text, s, e, count_context=context)):
            if self._is_salary(span):
                continue
            if i == 0:  # once per sentence
                period, location = self._period(s, e), self._location(s, e)
            ms = self._measures_span(s, e, span)
            ev = self.layout.window(s, e, span[0], span[1])  # the sentence, or a window of a huge one
            out.append(self._claim(v, hi, unit, self.text[ms[0]:ms[1]], ms, ev, "sentence", period, location))
        return out

    # -- tables -----------------------------------------------------------------------------

    def _stats_row(self, line: Line) -> bool:
        """A space-aligned table row: a label then two or more figures ("Rank 26 59 82")."""
        if line.index in self._rows:
            return self._rows[line.index]
        self._rows[line.index] = ok = self._is_stats_row(line)
        return ok

    @staticmethod
    def _is_stats_row(line: Line) -> bool:
        return is_stats_row(line.content)

    def _column_periods(self, line: Line, n: int) -> list[str | None]:
        """Period of each value column, from header lines above the table ("Same period 2024")."""
        i = line.index - 1
        while i >= 0 and self._stats_row(self.layout.lines[i]):
            i -= 1
        key = (i, n)
        if key not in self._periods:  # once per table: a 10,000-row table is walked once
            self._periods[key] = self._header_periods(i, n)
        return self._periods[key]

    def _header_periods(self, i: int, n: int) -> list[str | None]:
        header = []
        j = i
        while j >= 0 and i - j < 3 and not self._stats_row(self.layout.lines[j]) and \
                len(self.layout.lines[j].content) < 80:
            header.insert(0, self.layout.lines[j].content)
            j -= 1
        found = [" ".join(p.group(0).split()) for p in _PERIOD_HEAD.finditer("\n".join(header))]
        return found if len(found) == n else [None] * n

    def _row(self, line: Line) -> list[Claim]:
        m = _ROW_VALUES.search(line.content)
        label_end = line.start + m.start()
        label = self.text[line.start:label_end]
        cells = []
        pos = label_end
        for tok in m.group(0).split():
            at = self.text.find(tok, pos, line.end)
            cells.append((tok, at))
            pos = at + len(tok)
        periods = self._column_periods(line, len(cells))
        rank = bool(re.match(r"^\s*rank\b", label, re.I))
        out = []
        for (tok, at), period in zip(cells, periods):
            if tok == "-":
                continue
            found = figures(self.text, at, at + len(tok))
            if found:
                v, hi, unit, span = found[0]
            elif re.fullmatch(r"[+\-−]?[\d,.]+", tok):
                v, hi, unit, span = _num(tok.lstrip("+-−"), None) * (-1 if tok[0] in "-−" else 1), None, "COUNT", \
                    (at, at + len(tok))
            else:
                continue
            if self._is_salary(span):
                continue
            if rank and unit == "COUNT":
                unit = "RANK"
            out.append(self._claim(v, hi, unit, label, (line.start, label_end), (line.start, line.end), "table",
                                   period, self._location(line.start, label_end)))
        return out

    def _pipe_row(self, line: Line) -> list[Claim]:
        cells = [c.strip() for c in line.content.strip("|").split("|")]
        if len(cells) < 2 or all(set(c) <= set("-: ") for c in cells):
            return []
        out = []
        label_end = self.text.find("|", line.start + 1, line.end)
        label_end = label_end if label_end > 0 else line.end
        for v, hi, unit, span in figures(self.text, label_end, line.end):
            if self._is_salary(span) or unit not in ("PERCENT", "COUNT"):
                continue
            out.append(self._claim(v, hi, unit, cells[0][:200], (line.start, min(label_end, line.start + 200)),
                                   self.layout.window(line.start, line.end, span[0], span[1], 2000), "table",
                                   None, self._location(line.start, min(line.end, line.start + 2000))))
        return out

    # -- cards ------------------------------------------------------------------------------

    def _card(self, line: Line, used: set[int]) -> list[Claim]:
        label, unit_line = self.layout.card(line, used)
        if label is not None:
            used.add(label.index)  # also when its figure is a salary: the caption is taken
        found = [f for f in figures(self.text, line.start, line.end) if not self._is_salary(f[3])]
        if not found:
            bare = re.fullmatch(r"[~≈]?(\d{1,3}(?:,\d{3})*|\d+)", line.content)
            if not bare or label is None or _YEAR.match(bare.group(1)):
                return []
            s0 = line.start + bare.start(1)
            found = [(_num(bare.group(1), None), None, "COUNT", (s0, s0 + len(bare.group(1))))]
        if label is None:
            return []
        parts = [label, line] + ([unit_line] if unit_line else [])
        s, e = min(p.start for p in parts), max(p.end for p in parts)
        return [self._claim(v, hi, unit, label.content, (label.start, label.end), (s, e), "card", None,
                            self._location(label.start, label.end)) for v, hi, unit, _ in found]
