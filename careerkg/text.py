"""The one text model: lines, sentences and evidence units of a text, with exact offsets.

:func:`line_kind` says what a line is (table row, list item, heading, prose) and
:func:`sentence_cuts` splits a line into sentences; the chunker (``ingest/chunk.py``), the
extractors' :class:`~careerkg.ingest.layout.Layout` and the answer composer all use these two,
so chunks, claim evidence and answer sentences agree.

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
from functools import lru_cache
from pathlib import Path

_SENT = re.compile(r"(?<=[.!?])[\"')\u201d\u2019]?\s+(?=[\"'(\u201c\u2018]?[A-Z0-9\u00a3])")
# two lines run together where HTML was flattened: "Duration: 4 yearsSalary: £26,500", "11 November 2025We support"
_GLUED = re.compile(r"\d[\d,.]*\s?[a-z]{2,12}(?=[A-Z][a-z]{2,}:\s)|\b(?:19|20)\d\d(?=[A-Z][a-z]+\s)")
_ABBREV = re.compile(r"\b(?:e\.g|i\.e|etc|vs|approx|Dr|Mr|Mrs|Ms|St|No)\.$", re.I)
MAX_UNITS = 5000  # units kept per document (a 10,000-row table is cut here, not the ingest)
MAX_UNIT_CHARS = 1000  # a longer "sentence" (a 1 MB line) is cut into pieces of this size


# a list bullet: "- ", "* ", "• ", "· ", "1. ", "2) "
BULLET = re.compile(r"^(?:[-*+•–·]\s+|\d{1,3}[.)]\s+)")


def is_table_row(line: str) -> bool:
    """A pipe-table row: "| a | b |", or one flattened from HTML without its first pipe ("United Kingdom (£) | - |
    84,500 |": three pipes or more, the last closing the line)."""
    s = line.strip()
    return (s.startswith("|") and s.count("|") >= 2) or (s.endswith("|") and s.count("|") >= 3 and "\n" not in s)


# the figures closing a space-aligned table row: "Rank 98 96 99", "Median % change year-on-year -27.27% +29.41% -"
_FIGURE_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
ROW_VALUES = re.compile(rf"(?:[ ]+(?:[+\-−]?(?:[£$€])?(?:{_FIGURE_NUMBER})%?|-))+$")


def is_stats_row(line: str) -> bool:
    """A space-aligned table row: a label, then two or more figures ("Rank 98 96 99")."""
    line = line.strip()
    if len(line) > 2000:
        return False
    m = ROW_VALUES.search(line)
    if not m or m.start() == 0:
        return False
    return len([v for v in m.group(0).split() if v != "-"]) >= 2 and len(line) - len(m.group(0)) <= 120


def stats_header(before: str) -> str:
    """The header of the space-aligned table whose row follows ``before``: the short lines (up to three) above
    its first row ("6 months to" / "1 Nov 2025" / "Same period 2024 Same period 2023")."""
    lines = before.split("\n")
    if lines and not lines[-1].strip():
        lines.pop()
    def row_like(line: str) -> bool:  # "10th Percentile - - £37,250": a row with cells left empty
        m = ROW_VALUES.search(line.strip()) if len(line) < 2000 else None
        return m is not None and m.start() > 0 and len(m.group(0).split()) >= 2

    i = len(lines) - 1
    while i >= 0 and (row_like(lines[i]) or not lines[i].strip()):
        i -= 1
    head = []
    while i >= 0 and len(head) < 3 and lines[i].strip() and len(lines[i]) < 80 and not row_like(lines[i]):
        head.insert(0, lines[i].strip())
        i -= 1
    return " ".join(head)


def line_kind(line: str) -> str:
    """What one line of a guide is: ``table`` (a pipe-table row), ``item`` (a bulleted or numbered list
    item), ``heading`` (:func:`is_heading_line`) or ``prose``. The chunker, the extractors' layout and
    the answer composer all read lines this way."""
    s = line.strip()
    if is_table_row(s):
        return "table"
    if BULLET.match(s):
        return "item"
    return "heading" if is_heading_line(s) else "prose"


def sentence_cuts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (one line), trimmed, a closing quote or bracket kept with its
    sentence ("... said: “Pay rose.”"). An abbreviation ("e.g.", "Dr.") ends no sentence."""
    out, a = [], start
    cuts = [(m.start(), m.start() + len(m.group(0).rstrip()), m.end()) for m in _SENT.finditer(text, start, end)
            if not _ABBREV.search(text, max(start, m.start() - 8), m.start())]
    cuts += [(m.end(), m.end(), m.end()) for m in _GLUED.finditer(text, start, end)]
    for _, stop, nxt in sorted(cuts):
        if stop > a:
            out.append((a, stop))
            a = nxt
    out.append((a, end))
    trimmed = []
    for x, y in out:
        seg = text[x:y]
        x2, y2 = x + len(seg) - len(seg.lstrip()), y - (len(seg) - len(seg.rstrip()))
        if y2 > x2:
            trimmed.append((x2, y2))
    return trimmed


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of a text (lines, then sentence ends), as offsets plus ``offset``; a table row is
    one unit, whatever its cells say, and a fragment under three characters is no unit."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        cuts = [(start, start + len(line))] if is_table_row(line) else \
            sentence_cuts(text, start, start + len(line))
        for x, y in cuts:
            seg = text[x:y]
            x2, y2 = x + len(seg) - len(seg.lstrip()), y - (len(seg) - len(seg.rstrip()))
            if y2 - x2 >= 3:
                out.append((offset + x2, offset + y2))
    return out


def evidence_units(text: str) -> list[tuple[int, int]]:
    """The evidence units of a whole document, in order of their start (at most :data:`MAX_UNITS`):
    its sentences, and each label/value card whole (:func:`card_spans`)."""
    out = []
    for a, b in sentence_spans(text):
        while b - a > MAX_UNIT_CHARS:
            out.append((a, a + MAX_UNIT_CHARS))
            a += MAX_UNIT_CHARS
        out.append((a, b))
        if len(out) >= MAX_UNITS:
            return out[:MAX_UNITS]
    cards = card_spans(text)
    if cards:
        out = sorted(set(out) | set(cards))[:MAX_UNITS]
    return out


_FIGURE_ONLY = re.compile(r"[~≈+\-−]?\s*(?:[£$€]\s?)?\d[\d,.]*\s*(?:[kKmM]|bn)?(?:\s*[–—-]\s*(?:[£$€]\s?)?\d[\d,.]*"
                          r"\s*(?:[kKmM]|bn)?)?\s*[%+]?")
_CARD_LINES = 200_000  # a document with more lines than this gets no card units (they are for pages, not dumps)


def card_spans(text: str) -> list[tuple[int, int]]:
    """Label/value cards: a line holding only a figure ("72%", "£550–750") with the short caption
    lines around it (up to two above, one below: "SQL" / "Essential" / "72%"; "£550–750" / "Senior
    contractor/day"), as one span, so that a question naming the caption finds the figure."""
    lines, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((pos, pos + len(line), line.strip()))
        pos += len(line) + 1
        if len(lines) > _CARD_LINES:
            return []

    def figure(t: str) -> bool:
        return len(t) <= 30 and _FIGURE_ONLY.fullmatch(t) is not None

    def caption(t: str) -> bool:
        return len(t.split()) <= 8 and len(t) <= 60 and not figure(t) and not re.search(r"[.!?:]$", t) \
            and not is_table_row(t)

    def value(t: str) -> bool:  # "2:2", "1 year", "Typically 2 years", "Level 6": a short value with a digit
        return len(t) <= 25 and len(t.split()) <= 4 and any(ch.isdigit() for ch in t) and not figure(t) \
            and not re.search(r"[.!?:;,]$", t) and not t.startswith(("|", "-", "*", "•"))

    out, below = [], False
    for i, (a, b, t) in enumerate(lines):
        if value(t) and i > 0 and caption(lines[i - 1][2]) and not value(lines[i - 1][2]) \
                and not re.search(r"\d", lines[i - 1][2]):
            out.append((lines[i - 1][0], b))  # "Entry requirements" / "2:2": the caption above only
            continue
        if not figure(t):
            continue
        first = last = i
        while first > i - 2 and first > 0 and caption(lines[first - 1][2]):
            first -= 1
        if first == 0 or not figure(lines[first - 1][2]):
            below = first == i  # a run of cards starts: "100000" / "Lines of code": its captions are below
        if below:  # "100000" / "Lines of code" / "migrated by ..." / "30+" / "Analysts": up to two below
            first = i
            while last < i + 2 and last + 1 < len(lines) and caption(lines[last + 1][2]):
                last += 1
        elif i + 1 < len(lines) and caption(lines[i + 1][2]):
            last = i + 1  # "SQL" / "Essential" / "72%" / ...: captions above, and one below
        if (first, last) != (i, i):
            out.append((lines[first][0], lines[last][1]))
    return out


_STATES_FIGURE = re.compile(r"[£$€%]|\w:\s*[~≈]?\d|\d[\d,.]*\s*(?:k\b|years?|months?|weeks?|days?|hours?|minutes?|mins?)")


_CLAUSE = re.compile(r",\s+(?:there\s+(?:are|is|were|was)|(?:it|this|they|we|[a-z]+)\s+(?:is|are|was|were|has|have|had))\b")


def is_heading_line(line: str) -> bool:
    """A short unpunctuated line, or a short question, naming a section ("Scotland", "Entry Level"), not a list item
    (bulleted, or a bare one starting in lower case: "using Python for data mining"), a table row or a
    line stating a figure ("Salary: £28,500", "Data Analyst avg: £34,000"), or a sentence cut before its full
    stop, a clause with a verb after a comma and a figure ("As at May 2019, there are 270 ...")."""
    s = line.strip()
    if s.endswith("?") and len(s.split()) <= 12 and s[:1].isupper():
        s = s[:-1]  # a section asked as a question ("What Skills Do ML Engineers Need in 2026?")
    return 0 < len(s) < 80 and not s[0].islower() and not re.search(r"[.!?:;,)]$", s) \
        and not s.startswith(("|", "-", "•", "*")) and not re.match(r"\d+[.)]\s", s) and not _STATES_FIGURE.search(s) \
        and not (_CLAUSE.search(s) and re.search(r"\d", s))  # "As at May 2019, there are 270 ...": a clause


# a sentence that opens by pointing back ("The latter ...", "This role ...", "They ...") is about what
# the sentence before it names
ANAPHOR = re.compile(r"\s*(?:the (?:latter|former)|this|these|those|they|it|its|their|both|such|he|she)\b", re.I)


def previous_sentence(text: str, start: int) -> str:
    """The sentence (or line) ending right before ``start``."""
    before = text[max(0, start - 400):start].rstrip()
    cut = max(before.rfind("\n"), *(before.rfind(p, 0, len(before) - 1) for p in (". ", "! ", "? ")))
    return before[cut + 1:].strip()


_SMALL_WORDS = frozenset("of for and the in on at to".split())


@lru_cache(maxsize=4096)
def acronyms(name: str) -> tuple[str, ...]:
    """What a name is shortened to: its words' initials, a word in capitals kept whole, for a name of three or more
    words ("UK AI Safety Institute" -> "UKAISI", and without its first word "AISI"; "Office for National
    Statistics" -> "ONS"); a name of two words joined by "of" or "for" keeps that word's initial ("Ministry of
    Justice" -> "MOJ", written "MoJ"; "Office for Students" -> "OFS"). Empty for other names."""
    tokens = [w.strip("'’-") for w in re.findall(r"[\w'’-]+", name)]
    tokens = tokens[1:] if tokens[:1] in (["The"], ["the"]) else tokens
    words = [w for w in tokens if w and w.lower() not in _SMALL_WORDS]
    if len(words) == 2 and len(tokens) == 3 and tokens[1].lower() in ("of", "for") and \
            all(w[:1].isupper() for w in words):
        return ("".join(w[0].upper() for w in tokens),)
    if len(words) < 3:
        return ()
    parts = [w if w.isupper() else w[0].upper() for w in words]
    out = ["".join(parts)]
    if len(words) > 3 and words[0].isupper():
        out.append("".join(parts[1:]))
    return tuple(a for a in out if len(a) >= 3)


_NAME_WITH_SMALL_WORDS = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*(?:[ \t]+(?:(?:of|for|and|the|on|in|at|to)[ \t]+)*"
                                    r"[A-Z][\w'’-]*)+")


def spelled_out(text: str) -> dict[str, str]:
    """The names of three words or more in ``text`` by the acronyms that shorten them ("HESA" -> "Higher Education
    Statistics Agency"): read once per guide version (linear in the text)."""
    out: dict[str, str] = {}
    for m in _NAME_WITH_SMALL_WORDS.finditer(text):
        for a in acronyms(m.group(0)):
            out.setdefault(a, m.group(0))
    return out


def expansion(acronym: str, text: str) -> str | None:
    """The name in ``text`` that ``acronym`` shortens, or None (see :func:`spelled_out`)."""
    return spelled_out(text).get(acronym) if re.fullmatch(r"[A-Z]{3,8}", acronym) else None


def table_header(before: str) -> str:
    """The header of the table whose row follows ``before``: the lines above its ``|---|`` separator, however
    many (a header flattened from HTML puts one cell per line: "| Level 3 |\nLevel 4 |\nLevel 6 |"), else
    the table's first row."""
    lines = before.split("\n")
    if lines and not lines[-1].strip():
        lines.pop()  # the row's own line, begun
    for i in range(len(lines) - 1, -1, -1):
        if not lines[i].strip() or "|" not in lines[i]:
            break  # a blank or prose line: the table (and its header) starts below it
        if re.fullmatch(r"\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*", lines[i]):
            head = []
            for ln in reversed(lines[:i]):
                if not ln.strip() or not (ln.lstrip().startswith("|") or ln.rstrip().endswith("|")):
                    break
                head.append(ln)
            return " ".join(reversed(head))
    rows = []
    for ln in reversed(lines):  # no separator: the first row of the table the row is in
        if not is_table_row(ln):
            break
        rows.append(ln)
    return rows[-1] if rows else ""


# the rest of a table header and its separator row, right after a header line
_SEPARATOR_SOON = re.compile(r"(?:\n[^\n|]*\|[^\n]*){0,4}?\n[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+")


def is_table_header(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is a table's header row (or one cell line of a header flattened from HTML): its
    separator ``|---|`` follows within a few lines. Labels, not an answer."""
    return is_table_row(text[start:end]) and _SEPARATOR_SOON.match(text, end) is not None


@lru_cache(maxsize=1)
def english_counts() -> dict[str, int]:
    """The 82,765 words of symspellpy's English frequency dictionary (shipped in the wheel), with counts."""
    import symspellpy

    path = Path(symspellpy.__file__).with_name("frequency_dictionary_en_82_765.txt")
    words = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            w, _, n = line.rstrip("\n").partition(" ")
            if w:
                words[w] = int(n or 0)
    return words


@lru_cache(maxsize=8)
def common_words(n: int = 20000) -> frozenset[str]:
    """The ``n`` most frequent English words (a lower-case one of the first 20,000 is a word before it is a
    place; a job noun among the first 1,000 names a thing first: "guide", "model", "head")."""
    return frozenset(list(english_counts())[:n])
