"""Sentence-aware chunking with exact ``[start, end)`` offsets.

A document is split into *units*: each table row, list item and heading is one
unit (kept whole); prose lines are split into sentences. Lines and sentences come from
the one text model, :mod:`careerkg.text`. Units are packed into chunks of a few sentences with a small
overlap; a heading starts a new chunk, and a table stays in one chunk where it fits.
Every chunk satisfies ``text[chunk.start:chunk.end] == chunk.text``.
"""

from __future__ import annotations

from dataclasses import dataclass

from careerkg.model import Chunk
from careerkg.text import line_kind, sentence_cuts


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    kind: str  # sentence | item | row | heading


_KIND = {"table": "row", "item": "item", "heading": "heading"}


def split_units(text: str) -> list[Unit]:
    """Split a text into units (sentences, list items, table rows, headings) with offsets: lines are
    read by :func:`careerkg.text.line_kind` and prose lines cut by :func:`careerkg.text.sentence_cuts`,
    as the extractors and the answer composer read them."""
    units: list[Unit] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        lstart = start + (len(line) - len(line.lstrip()))
        lend = start + len(line.rstrip())
        kind = line_kind(line)
        if kind == "prose":
            units += [Unit(a, b, "sentence") for a, b in sentence_cuts(text, lstart, lend)] or \
                [Unit(lstart, lend, "sentence")]
        else:
            units.append(Unit(lstart, lend, _KIND[kind]))
    return units


def chunk_text(doc_id: str, text: str, *, sha256: str = "", sentences: int = 4, overlap: int = 1,
               max_chars: int = 1200) -> list[Chunk]:
    """Chunk a document's text.

    Args:
        doc_id: the document id (prefix of every chunk id).
        text: the document's extracted text.
        sha256: the text's hash; part of chunk ids, so a new version never collides with the old.
        sentences: units per chunk (table rows of one table stay together up to ``max_chars``).
        overlap: units repeated at the start of the next chunk (not across headings or tables).
        max_chars: soft size limit of a chunk.

    Returns:
        Chunks in document order, each with ``text[start:end] == chunk.text``.
    """
    units = split_units(text)
    groups: list[list[Unit]] = []
    cur: list[Unit] = []

    def flush(keep_overlap: bool) -> None:
        nonlocal cur
        if cur:
            groups.append(cur)
            tail = cur[-overlap:] if (keep_overlap and overlap) else []
            cur = [u for u in tail if u.kind in ("sentence", "item")]
            if cur and len(cur) == len(groups[-1]):
                cur = []

    for u in units:
        if u.kind == "heading":
            # cur is always headings then other units, so "holds a non-heading" is cur[-1] (O(1):
            # 100,000 one-word lines are 100,000 headings, and a scan of cur per unit was quadratic)
            if cur and cur[-1].kind != "heading":
                flush(False)
            cur.append(u)
            continue
        size = (u.end - cur[0].start) if cur else 0
        prose_count = sum(1 for x in cur if x.kind != "heading")
        in_table = u.kind == "row" and cur and cur[-1].kind == "row"
        full = (prose_count >= sentences and not in_table) or (size > max_chars and prose_count > 0)
        if cur and cur[-1].kind == "row" and u.kind != "row" and prose_count > 0:
            full = True  # a table ends its chunk
        if u.kind == "row" and cur and cur[-1].kind != "row" and prose_count >= 2:
            full = True  # a table starts a new chunk (with its intro sentence if short)
        if full:
            flush(not in_table and u.kind != "row")
        cur.append(u)
    flush(False)
    prefix = f"{doc_id}-{sha256[:8]}" if sha256 else doc_id
    chunks = []
    for i, g in enumerate(groups):
        start, end = g[0].start, g[-1].end
        chunks.append(Chunk(chunk_id=f"{prefix}-{i:04d}", doc_id=doc_id, index=i, start=start, end=end,
                            text=text[start:end]))
    return chunks
