"""The visible structure of a guide's plain text: lines, headings, list items, table rows, sentences.

Every span is ``[start, end)`` into the document text, trimmed of surrounding whitespace
(and of a list bullet), so ``text[start:end]`` is always an exact, quotable span.

>>> lay = Layout("Salaries\\n- Mid level: £60,000 – £80,000\\nThey vary. A lot.")
>>> [(ln.kind, ln.content) for ln in lay.lines]
[('heading', 'Salaries'), ('item', 'Mid level: £60,000 – £80,000'), ('prose', 'They vary. A lot.')]
>>> [lay.text[s:e] for s, e in lay.sentences(lay.lines[2])]
['They vary.', 'A lot.']
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property

from careerkg.text import BULLET, line_kind, sentence_cuts

# a figure line holds only figures: money, percentages, counts, with ~ + ( ) and a unit word at most
_FIGURE = r"(?:[£$€]|US\$)?[ ]?\d[\d,.]*(?:[ ]?(?:k|K|m|M|bn|million|billion))?(?:[ ]?%)?"
_FIGURE_LINE = re.compile(rf"^[~≈+\-−(]*[ ]?{_FIGURE}(?:[ ]?(?:–|—|-|to)[ ]?[~≈]?{_FIGURE})?\+?"
                          rf"(?:[ ]*\([~≈+\-−]*{_FIGURE}\))?(?:[ ]*(?:/|per|a)[ ]?(?:year|yr|annum|day|month|mo|hour|hr))?$")
_UNIT_LINE = re.compile(r"^(?:per|a|/)\s*(?:year|annum|day|month|hour)\b[\w ,.()/-]{0,20}$|^p\.?a\.?$|^gross$", re.I)
_LABEL_CUE = re.compile(r"salar|median|average|mean\b|range|premium|pay|rate|level|entry|junior|mid|senior|lead|"
                        r"principal|staff|graduate|/day|per day|contract|take-home|base|percentile|jobs|vacanc|"
                        r"roles|posts|postings|skills|share|growth|change|increase|rank", re.I)


class MentionList(list):
    """Mentions sorted by offset, with range look-ups by binary search (no scan of every mention
    per sentence or table row: a 10,000-row table stays linear)."""

    def __init__(self, mentions=()) -> None:
        super().__init__(sorted(mentions, key=lambda m: (m.start, -m.end)))
        self._starts = [m.start for m in self]

    def starting(self, s: int, e: int) -> list:
        """Mentions starting in ``[s, e)``."""
        return list.__getitem__(self, slice(bisect_left(self._starts, s), bisect_left(self._starts, e)))

    def within(self, s: int, e: int) -> list:
        """Mentions lying wholly inside ``[s, e)``."""
        return [m for m in self.starting(s, e) if m.end <= e]


@dataclass(frozen=True)
class Line:
    """One non-blank line: ``kind`` is heading, item, table, or prose."""

    index: int
    start: int  # trimmed content start (after any bullet)
    end: int
    kind: str
    content: str
    heading: int | None  # index (into Layout.lines) of the heading this line sits under


class Layout:
    """Lines and sentences of a text.

    Args:
        text: the document text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[Line] = []
        pos = 0
        heading: int | None = None
        for raw in text.split("\n"):
            line_start, pos = pos, pos + len(raw) + 1
            stripped = raw.strip()
            if not stripped:
                continue
            s = line_start + (len(raw) - len(raw.lstrip()))
            e = s + len(stripped)
            kind = line_kind(stripped)
            if kind == "item":
                s += BULLET.match(stripped).end()
            idx = len(self.lines)
            self.lines.append(Line(idx, s, e, kind, text[s:e], heading if kind != "heading" else None))
            if kind == "heading":
                heading = idx

    def headings_above(self, line: Line, n: int = 2) -> list[Line]:
        """The heading a line sits under and up to ``n - 1`` headings directly above that one."""
        out: list[Line] = []
        head = line if line.kind == "heading" else self.heading_of(line)
        while head is not None and len(out) < n:
            out.append(head)
            j = head.index - 1
            head = self.lines[j] if j >= 0 and self.lines[j].kind == "heading" else None
        return out

    # -- label/value cards ("£69K" / "Mid-level median", "Entry Level" / "£32,000–£45,000") ------------

    @staticmethod
    def is_figure_line(line: Line) -> bool:
        """A line that holds a figure and nothing else ("£69K", "+28% (~£115,200)", "92%", "170")."""
        return line.kind != "table" and len(line.content) <= 60 and _FIGURE_LINE.match(line.content) is not None

    @staticmethod
    def is_label_line(line: Line) -> bool:
        """A short caption: at most six words, no digits, not a sentence."""
        c = line.content
        return (line.kind in ("heading", "prose", "item") and len(c.split()) <= 6 and not any(ch.isdigit() for ch in c)
                and not c.endswith((".", "!", "?", ":")) and not _UNIT_LINE.match(c))

    @staticmethod
    def is_unit_line(line: Line) -> bool:
        """"per year, gross", "per day": a line that only qualifies the figure above it."""
        return _UNIT_LINE.match(line.content) is not None

    def card(self, line: Line, used: set[int], cue: re.Pattern | None = None,
             avoid: re.Pattern | None = None) -> tuple[Line | None, Line | None]:
        """(label line, unit line) of a figure line in a run of label/value cards.

        The label is the caption directly above or below the figure. A caption below that only
        states a unit ("per year, gross") qualifies the figure and the label is the one above;
        otherwise the caption with a figure-describing word wins ("average", "Senior median",
        "UK range"); on a tie the one below if no figure follows it, else the terser, else the
        one above; a caption already given to another figure
        (``used`` holds line indices) is never reused: "£69K" / "Mid-level median" / "£92K" /
        "Senior median" pairs each figure with the caption after it. ``cue`` replaces the
        figure-describing words (a salary reader asks for pay words); a caption matching
        ``avoid`` ranks below one that does not.
        """
        i = line.index
        prev = self.lines[i - 1] if i > 0 else None
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else None
        prev = prev if prev is not None and prev.index not in used and self.is_label_line(prev) else None
        unit = nxt if nxt is not None and self.is_unit_line(nxt) else None
        nxt = nxt if unit is None and nxt is not None and self.is_label_line(nxt) else None
        if unit is not None:
            return prev, unit
        if prev is None or nxt is None:
            return prev or nxt, None
        rx = cue or _LABEL_CUE
        def score(ln: Line) -> int:
            return (0 if avoid is not None and avoid.search(ln.content) else 2) + bool(rx.search(ln.content))

        sp, sn = score(prev), score(nxt)
        if sp != sn:
            return (prev if sp > sn else nxt), None
        after = self.lines[nxt.index + 1] if nxt.index + 1 < len(self.lines) else None
        if after is None or not self.is_figure_line(after):
            return nxt, None  # the caption below would be left without a figure
        if len(nxt.content.split()) < len(prev.content.split()):
            return nxt, None  # "Data engineer pay in the UK" / "£69K" / "Mid-level median": the terser caption
        return prev, None

    def heading_of(self, line: Line) -> Line | None:
        """The heading line a line sits under (None before the first heading)."""
        return self.lines[line.heading] if line.heading is not None else None

    def sentences(self, line: Line) -> list[tuple[int, int]]:
        """Sentence spans of one line (a table row or heading is one sentence)."""
        if line.kind in ("table", "heading"):
            return [(line.start, line.end)]
        return sentence_cuts(self.text, line.start, line.end)

    @cached_property
    def all_sentences(self) -> list[tuple[int, int, Line]]:
        """Every sentence of the text with its line, in order."""
        return [(s, e, ln) for ln in self.lines for s, e in self.sentences(ln)]

    def window(self, s: int, e: int, a: int, b: int, limit: int = 600) -> tuple[int, int]:
        """The evidence span for a figure at ``[a, b)`` of the sentence ``[s, e)``: the sentence
        itself, or for a sentence longer than ``limit`` characters (a 1 MB line without
        punctuation) about ``limit`` characters around the figure, cut at spaces."""
        if e - s <= limit:
            return s, e
        half = limit // 2
        ws, we = max(s, a - half), min(e, b + half)
        if ws > s:
            sp = self.text.find(" ", ws, a)
            ws = sp + 1 if sp >= 0 else ws
        if we < e:
            sp = self.text.rfind(" ", b, we)
            we = sp if sp >= 0 else we
        while ws < we and self.text[ws].isspace():
            ws += 1
        while we > ws and self.text[we - 1].isspace():
            we -= 1
        return ws, we

    @cached_property
    def _line_starts(self) -> list[int]:
        return [ln.start - (4 if ln.kind == "item" else 0) for ln in self.lines]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _, _ in self.all_sentences]

    def line_at(self, offset: int) -> Line | None:
        """The line containing a character offset (binary search: O(log n))."""
        i = bisect_right(self._line_starts, offset) - 1
        for j in (i, i + 1):
            if 0 <= j < len(self.lines):
                ln = self.lines[j]
                if ln.start <= offset < ln.end or (ln.kind == "item" and ln.start - 4 <= offset < ln.end):
                    return ln
        return None

    def sentence_at(self, offset: int) -> tuple[int, int] | None:
        """The sentence span containing a character offset (binary search: O(log n))."""
        i = bisect_right(self._sentence_starts, offset) - 1
        if i >= 0:
            s, e, _ = self.all_sentences[i]
            if s <= offset < e:
                return s, e
        return None
