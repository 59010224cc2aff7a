"""Duplicate guides: identical text under two ids, and near-duplicates.

*Identical* means the same extracted text (the same ``sha256`` as the manifest keeps):
the same guide saved under two names, or an HTML page and its plain-text copy. The
pipeline refuses such a guide with :class:`careerkg.errors.Duplicate` naming the
document already holding the text, unless ``allow_duplicate`` is given.

*Near-duplicates* (a guide republished with a changed paragraph, a syndicated copy with
another header) are found with MinHash over word 5-shingles (``datasketch``, 128
permutations) and an LSH index at the threshold; each candidate pair's estimated Jaccard
similarity is reported, highest first. Nothing is refused for being similar.

Example:
    >>> a = "Senior ML engineers in London earn between 90,000 and 130,000 pounds a year. " * 3
    >>> [p.kind for p in near_duplicates({"a": a, "b": a + "Updated in May."})]
    ['near']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from careerkg.errors import Duplicate

SHINGLE_WORDS = 5
NUM_PERM = 128
DEFAULT_THRESHOLD = 0.8
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class DuplicatePair:
    """Two guides whose texts are the same (``exact``) or nearly so (``near``)."""

    doc_a: str
    doc_b: str
    similarity: float  # estimated Jaccard similarity of their word 5-shingles; 1.0 when exact
    kind: str  # "exact" or "near"


def duplicate_of(sha256: str, doc_id: str, known: dict[str, str]) -> str | None:
    """The id of another document whose text has ``sha256`` (``known``: doc_id -> sha256), or ``None``."""
    others = sorted(d for d, sha in known.items() if sha == sha256 and d != doc_id)
    return others[0] if others else None


def refuse_duplicate(sha256: str, doc_id: str, known: dict[str, str]) -> None:
    """Raise :class:`Duplicate` if another document already holds this exact text.

    Raises:
        Duplicate: naming the existing id and how to ingest anyway.
    """
    existing = duplicate_of(sha256, doc_id, known)
    if existing is not None:
        raise Duplicate(f"the text of {doc_id!r} is identical to the document {existing!r} already ingested "
                        f"(sha256 {sha256[:12]}); use --allow-duplicate (allow_duplicate=true) to ingest it anyway",
                        existing_id=existing)


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """Lower-cased word ``k``-shingles of a text (a text shorter than ``k`` words is one shingle)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) <= k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}


def minhash(text: str):
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch([s.encode("utf-8") for s in shingles(text)])
    return m


def near_duplicates(texts: dict[str, str], threshold: float = DEFAULT_THRESHOLD) -> list[DuplicatePair]:
    """Pairs of guides whose estimated Jaccard similarity is at least ``threshold``, most similar first.

    Args:
        texts: doc_id -> extracted text.
        threshold: between 0 and 1 (exclusive of 0).

    Returns:
        One :class:`DuplicatePair` per pair (``doc_a < doc_b``); identical texts are ``exact``.
    """
    from datasketch import MinHashLSH

    if not 0 < threshold <= 1:
        from careerkg.errors import InvalidInput

        raise InvalidInput(f"threshold must be in (0, 1], not {threshold}")
    hashes = {d: minhash(t) for d, t in sorted(texts.items()) if t.strip()}
    # candidates from an LSH index set a little below the threshold (fewer pairs missed; datasketch cannot
    # band 128 permutations above ~0.9), then each candidate's estimated similarity decides
    lsh = MinHashLSH(threshold=min(max(threshold * 0.9, 0.05), 0.9), num_perm=NUM_PERM)
    for d, m in hashes.items():
        lsh.insert(d, m)
    pairs: dict[tuple[str, str], DuplicatePair] = {}
    for d, m in hashes.items():
        for other in lsh.query(m):
            if other == d:
                continue
            a, b = sorted((d, other))
            if (a, b) in pairs:
                continue
            if texts[a] == texts[b]:
                pairs[(a, b)] = DuplicatePair(a, b, 1.0, "exact")
                continue
            sim = hashes[a].jaccard(hashes[b])
            if sim >= threshold:
                pairs[(a, b)] = DuplicatePair(a, b, round(sim, 3), "near")
    return sorted(pairs.values(), key=lambda p: (-p.similarity, p.doc_a, p.doc_b))


__all__ = ["DEFAULT_THRESHOLD", "DuplicatePair", "duplicate_of", "minhash", "near_duplicates", "refuse_duplicate",
           "shingles"]
