"""Citations as data: numbered exact spans, checked against the document text."""

from __future__ import annotations

from collections.abc import Callable

from careerkg.errors import NotFound
from careerkg.model import Citation


class CitationSet:
    """Assigns ``[n]`` numbers to spans; a span whose quote does not match its text is refused.

    Args:
        text_of: returns a document's current text (raises NotFound if unknown).
        title_of: returns a document's title.
    """

    def __init__(self, text_of: Callable[[str], str], title_of: Callable[[str], str]) -> None:
        self._text_of = text_of
        self._title_of = title_of
        self._ids: dict[tuple[str, int, int], int] = {}
        self.citations: list[Citation] = []

    def add(self, doc_id: str, chunk_id: str, start: int, end: int, quote: str | None = None) -> int | None:
        """Number a span (the same span twice gets the same number); ``None`` if it does not resolve."""
        key = (doc_id, int(start), int(end))
        if key in self._ids:
            return self._ids[key]
        try:
            text = self._text_of(doc_id)
        except NotFound:
            return None
        if not (0 <= key[1] < key[2] <= len(text)):
            return None
        actual = text[key[1]:key[2]]
        if quote is not None and actual != quote:
            return None
        n = len(self.citations) + 1
        self.citations.append(Citation(n, doc_id, self._title_of(doc_id), chunk_id, key[1], key[2], actual))
        self._ids[key] = n
        return n

    def get(self, n: int) -> Citation | None:
        return self.citations[n - 1] if 1 <= n <= len(self.citations) else None

    def renumber(self, used: list[int]) -> dict[int, int]:
        """Keep only citations in ``used`` (in order); returns old -> new numbers."""
        mapping = {}
        kept = []
        for old in used:
            if old in mapping or self.get(old) is None:
                continue
            c = self.get(old)
            mapping[old] = len(kept) + 1
            kept.append(Citation(len(kept) + 1, c.doc_id, c.title, c.chunk_id, c.start, c.end, c.quote))
        self.citations = kept
        self._ids = {(c.doc_id, c.start, c.end): c.id for c in kept}
        return mapping
