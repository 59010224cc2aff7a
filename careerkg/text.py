"""Sentences and evidence units of a text, with exact offsets (one splitter for ingest and answers).

An evidence unit is a span a citation may quote whole: a sentence of a paragraph, a table
row, a list item or a heading line. :func:`evidence_units` gives them for a whole document
(ingest stores one vector per unit); :func:`sentence_spans` splits any part of a text the
same way (the composer uses it on retrieved chunks), so units and answer sentences agree.

Example:
    >>> text = "Pay is high. London pays most.\\n| Senior | £95k |"
    >>> [text[a:b] for a, b in evidence_units(text)]
    ['Pay is high.', 'London pays most.', '| Senior | £95k |']
"""

from __future__ import annotations

import re

_SENT = re.compile(r"(?<=[.!?])[\"')\u201d\u2019]?\s+(?=[\"'(\u201c\u2018]?[A-Z0-9\u00a3])")
_ABBREV = re.compile(r"\b(e\.g|i\.e|etc|vs|approx|Dr|Mr|Mrs|Ms|St|No)\.$", re.I)
MAX_UNITS = 5000  # units kept per document (a 10,000-row table is cut here, not the ingest)
MAX_UNIT_CHARS = 1000  # a longer "sentence" (a 1 MB line) is cut into pieces of this size


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of a text (lines, then sentence ends), as offsets plus ``offset``."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        a = 0
        cuts = []
        if not line.lstrip().startswith("|"):  # a table row is one unit, whatever its cells say
            for m in _SENT.finditer(line):
                if _ABBREV.search(line[a:m.start()]):
                    continue
                cuts.append((a, m.start()))
                a = m.end()
        cuts.append((a, len(line)))
        for x, y in cuts:
            seg = line[x:y]
            x2 = x + len(seg) - len(seg.lstrip())
            y2 = y - (len(seg) - len(seg.rstrip()))
            if y2 - x2 >= 3:
                out.append((offset + start + x2, offset + start + y2))
    return out


def evidence_units(text: str) -> list[tuple[int, int]]:
    """The evidence units of a whole document, in order (at most :data:`MAX_UNITS`)."""
    out = []
    for a, b in sentence_spans(text):
        while b - a > MAX_UNIT_CHARS:
            out.append((a, a + MAX_UNIT_CHARS))
            a += MAX_UNIT_CHARS
        out.append((a, b))
        if len(out) >= MAX_UNITS:
            return out[:MAX_UNITS]
    return out


_STATES_FIGURE = re.compile(r"[£$€%]|\w:\s*[~≈]?\d|\d[\d,.]*\s*(?:k\b|years?|months?|weeks?|days?|hours?|minutes?|mins?)")


def is_heading_line(line: str) -> bool:
    """A short unpunctuated line that names a section ("Scotland", "Entry Level"), not a list item,
    a table row or a line stating a figure ("Salary: £28,500", "Data Analyst avg: £34,000")."""
    s = line.strip()
    return 0 < len(s) < 80 and not re.search(r"[.!?:;,)]$", s) and not s.startswith(("|", "-", "•", "*")) \
        and not re.match(r"\d+[.)]\s", s) and not _STATES_FIGURE.search(s)
