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
from dataclasses import dataclass
from functools import cached_property

_BULLET = re.compile(r"^(?:[-*•–]\s+|\d{1,2}[.)]\s+)")
_SENT_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z£\"“(0-9])")
_NO_SPLIT_BEFORE = re.compile(r"(?:\b(?:e\.g|i\.e|vs|etc|Dr|Mr|Ms|Mrs|St|approx|No)\.)$")


@dataclass(frozen=True)
class Line:
    """One non-blank line: ``kind`` is heading, item, table, or prose."""

    index: int
    start: int  # trimmed content start (after any bullet)
    end: int
    kind: str
    content: str
    heading: int | None  # index (into Layout.lines) of the heading this line sits under


def _is_heading(content: str) -> bool:
    words = content.split()
    if not words or len(words) > 12 or "£" in content:
        return False
    return not content.endswith((".", ",", ";")) and not content.startswith("|")


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
            if stripped.startswith("|") and stripped.count("|") >= 2:
                kind = "table"
            elif _BULLET.match(stripped):
                kind = "item"
                s += _BULLET.match(stripped).end()
            elif _is_heading(stripped):
                kind = "heading"
            else:
                kind = "prose"
            idx = len(self.lines)
            self.lines.append(Line(idx, s, e, kind, text[s:e], heading if kind != "heading" else None))
            if kind == "heading":
                heading = idx

    def heading_of(self, line: Line) -> Line | None:
        """The heading line a line sits under (None before the first heading)."""
        return self.lines[line.heading] if line.heading is not None else None

    def sentences(self, line: Line) -> list[tuple[int, int]]:
        """Sentence spans of one line (a table row or heading is one sentence)."""
        if line.kind in ("table", "heading"):
            return [(line.start, line.end)]
        out, s = [], line.start
        for m in _SENT_END.finditer(self.text, line.start, line.end):
            if _NO_SPLIT_BEFORE.search(self.text, max(line.start, m.start() - 8), m.start()):
                continue
            end = m.start() + len(m.group(0).rstrip())  # keep closing quote/bracket
            out.append((s, end))
            s = m.end()
        if s < line.end:
            out.append((s, line.end))
        return [(a, b) for a, b in out if b > a]

    @cached_property
    def all_sentences(self) -> list[tuple[int, int, Line]]:
        """Every sentence of the text with its line, in order."""
        return [(s, e, ln) for ln in self.lines for s, e in self.sentences(ln)]

    def line_at(self, offset: int) -> Line | None:
        """The line containing a character offset."""
        for ln in self.lines:
            if ln.start <= offset < ln.end or (ln.kind == "item" and ln.start - 4 <= offset < ln.end):
                return ln
        return None

    def sentence_at(self, offset: int) -> tuple[int, int] | None:
        """The sentence span containing a character offset."""
        for s, e, _ in self.all_sentences:
            if s <= offset < e:
                return s, e
        return None
