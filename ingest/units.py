"""Evidence-unit vectors: one embedding per sentence / table row of a guide, stored beside Chroma.

At ingest every unit of :func:`careerkg.text.evidence_units` is encoded in the same model
call as the chunks and written, before the manifest switch, to
``DATA_DIR/units/{doc_id}/{sha256}.npz`` (starts, ends, float16 vectors; a new version beside
the old one, the old one removed with the rest of it). Question time then costs one question
encode plus a matrix product over the current guides' units (:class:`UnitMatrix`).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from careerkg.text import evidence_units

log = logging.getLogger(__name__)


def unit_file(doc_id: str, sha256: str) -> str:
    """The unit file of one version, relative to the data dir."""
    return f"units/{doc_id}/{sha256}.npz"


unit_spans = evidence_units  # the spans a guide's unit vectors are computed for


def pack(spans: list[tuple[int, int]], vectors) -> bytes:
    """The bytes of a unit file."""
    buf = io.BytesIO()
    arr = np.asarray(vectors, dtype=np.float16).reshape(len(spans), -1) if spans else np.zeros((0, 0), np.float16)
    np.savez(buf, starts=np.asarray([a for a, _ in spans], dtype=np.int32),
             ends=np.asarray([b for _, b in spans], dtype=np.int32), vecs=arr)
    return buf.getvalue()


def chunk_vectors(chunks, spans: list[tuple[int, int]], unit_vecs, encode) -> list[list[float]]:
    """Chunk vectors derived from the unit vectors they hold (normalised mean), so a guide's text is
    encoded once, sentence by sentence; a chunk holding no whole unit is encoded with ``encode``."""
    import bisect

    vecs = np.asarray(unit_vecs, dtype=np.float32).reshape(len(spans), -1) if spans else None
    starts = [a for a, _ in spans]
    out: list[list[float] | None] = []
    missing = []
    for i, c in enumerate(chunks):
        lo, hi = bisect.bisect_left(starts, c.start), bisect.bisect_left(starts, c.end)
        idx = [j for j in range(lo, hi) if spans[j][1] <= c.end]
        if not idx or vecs is None:
            out.append(None)
            missing.append(i)
            continue
        v = vecs[idx].mean(axis=0)
        out.append((v / max(float(np.linalg.norm(v)), 1e-9)).tolist())
    if missing:
        for i, v in zip(missing, encode([chunks[i].text for i in missing])):
            out[i] = list(v)
    return out


@dataclass
class UnitMatrix:
    """Every current guide's units in one matrix, for one manifest generation."""

    generation: int
    doc_ids: list[str]
    starts: np.ndarray
    ends: np.ndarray
    vecs: np.ndarray  # float32, rows normalised

    @classmethod
    def load(cls, data_dir: Path, generation: int, docs: dict[str, str]) -> "UnitMatrix":
        """Load the unit files of ``docs`` (doc_id -> sha256); a guide without one is left out."""
        ids, starts, ends, vecs = [], [], [], []
        for doc_id, sha in sorted(docs.items()):
            path = Path(data_dir) / unit_file(doc_id, sha)
            try:
                with np.load(path) as z:
                    s, e, v = z["starts"], z["ends"], z["vecs"]
            except (OSError, KeyError, ValueError):
                log.debug("no unit vectors for %s", doc_id)
                continue
            if len(s) == 0:
                continue
            ids += [doc_id] * len(s)
            starts.append(s)
            ends.append(e)
            vecs.append(v.astype(np.float32))
        if not ids:
            return cls(generation, [], np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros((0, 1), np.float32))
        m = np.vstack(vecs)
        m /= np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)
        return cls(generation, ids, np.concatenate(starts), np.concatenate(ends), m)

    def search(self, qvec, k: int, docs: set[str] | None = None, keep=None,
               depth: int = 400) -> list[tuple[float, str, int, int]]:
        """The ``k`` units closest to ``qvec``: ``(cosine, doc_id, start, end)``, best first.

        Args:
            docs: only units of these guides.
            keep: ``keep(doc_id, start, end)`` says whether a unit may be returned (e.g. it holds a
                figure of the kind asked); the ``depth`` closest units are tried.
        """
        if not self.doc_ids:
            return []
        sims = self.vecs @ np.asarray(qvec, dtype=np.float32)
        if docs is not None:
            mask = np.fromiter((d in docs for d in self.doc_ids), dtype=bool, count=len(self.doc_ids))
            sims = np.where(mask, sims, -1.0)
        n = min(max(k, depth if keep else k), len(sims))
        top = np.argpartition(-sims, n - 1)[:n]
        top = top[np.argsort(-sims[top])]
        out = []
        for i in top:
            if sims[i] <= -1:
                break
            hit = (float(sims[i]), self.doc_ids[i], int(self.starts[i]), int(self.ends[i]))
            if keep is None or keep(*hit[1:]):
                out.append(hit)
                if len(out) >= k:
                    break
        return out
