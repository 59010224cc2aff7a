"""What the guides said at a date: the versions current then, as a read-only corpus to answer from (issue 15,
item 3).

A version is current from when it became current (``generated_at``) until a newer version or the
guide's removal replaced it (``invalidated_at``); "current at a date" means at the end of that day (UTC).
:class:`AsOfCorpus` gathers those versions from the current stores and the history (kept texts, unit
vectors and the versions store) into memory, shaped like what :class:`careerkg.qa.service.QAService`
reads from the pipeline (``manifest.docs``, ``text``, ``lock``, ``data_dir``), with an in-memory graph
(the ontology, the gazetteer and each chosen version's graph under the guide's graph IRI) and an
in-memory vector index; nothing is written. Citations then index each chosen version's text
(``GET /documents/{id}/text?version=N``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

import numpy as np
import pyoxigraph as ox

from careerkg.concurrency import RWLock
from careerkg.errors import NotFound
from careerkg.graph.store import OxigraphStore
from careerkg.graph.vocab import GAZETTEER_GRAPH, ONTOLOGY_GRAPH, graph_iri
from careerkg.ingest.chunk import chunk_text
from careerkg.ingest.history import version_graph
from careerkg.ingest.index import Hit
from careerkg.ingest.units import chunk_vectors, unit_file


@dataclass(frozen=True)
class VersionAt:
    """The version of one guide that was current at a moment (``title``, ``publisher`` ... as QA reads them)."""

    doc_id: str
    version: int
    sha256: str
    title: str
    text_file: str
    current: bool  # still the current version (its graph is in the current store)
    publisher: str | None = None
    source_url: str | None = None
    issued: str | None = None


def _moment(iso: str) -> datetime:
    t = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def end_of(day: date) -> datetime:
    """The end of a day (UTC): the moment "current at that date" refers to."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=timezone.utc)


def versions_at(manifest, at: datetime) -> dict[str, VersionAt]:
    """doc_id -> the version current at ``at`` (guides that did not exist then, or were removed, are absent)."""
    out: dict[str, VersionAt] = {}
    for doc_id in sorted(set(manifest.docs) | set(manifest.history)):
        for h in manifest.history.get(doc_id, []):
            if _moment(h.generated_at) < at <= _moment(h.invalidated_at):
                out[doc_id] = VersionAt(doc_id, h.version, h.sha256, h.title, h.text_file, False, h.publisher,
                                        h.source_url, h.issued)
        rec = manifest.docs.get(doc_id)
        if rec is not None and doc_id not in out and _moment(rec.generated_at or rec.ingested_at) < at:
            out[doc_id] = VersionAt(doc_id, rec.version, rec.sha256, rec.title, rec.text_file, True, rec.publisher,
                                    rec.source_url, rec.issued)
    return out


class MemoryIndex:
    """A read-only :class:`~careerkg.ingest.index.VectorIndex` in memory (cosine over normalised vectors)."""

    def __init__(self, hits: list[Hit], vectors: list[list[float]]) -> None:
        self.hits = hits
        m = np.asarray(vectors, dtype=np.float32).reshape(len(hits), -1) if hits else np.zeros((0, 1), np.float32)
        self.matrix = m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)

    def query(self, embedding: list[float], k: int) -> list[Hit]:
        if not self.hits:
            return []
        sims = self.matrix @ np.asarray(embedding, dtype=np.float32)
        top = np.argsort(-sims)[:k]
        return [Hit(**{**self.hits[i].__dict__, "score": float(sims[i])}) for i in top]

    def all_chunks(self) -> list[Hit]:
        return list(self.hits)

    def doc_versions(self) -> dict[tuple[str, str], int]:
        out: dict[tuple[str, str], int] = {}
        for h in self.hits:
            out[(h.doc_id, h.sha256)] = out.get((h.doc_id, h.sha256), 0) + 1
        return out

    def count(self) -> int:
        return len(self.hits)


@dataclass
class _Manifest:
    docs: dict[str, VersionAt]
    generation: int
    history: dict = field(default_factory=dict)


_GENERATIONS = iter(range(-1, -1_000_000_000, -1))  # never a real manifest generation
_GEN_LOCK = threading.Lock()


class AsOfCorpus:
    """The guides as they were at a moment, in memory: what QA reads from a pipeline, plus a graph and an index.

    Args:
        pipeline: the live pipeline (its manifest, graph store, history, embedder and settings are read).
        versions: the versions to gather (:func:`versions_at`).
    """

    def __init__(self, pipeline, versions: dict[str, VersionAt]) -> None:
        s = pipeline.settings
        self.settings, self.data_dir, self.versions = s, pipeline.data_dir, versions
        self.lock = RWLock()
        with _GEN_LOCK:
            self.manifest = _Manifest(dict(versions), next(_GENERATIONS))
        self._texts: dict[str, str] = {}
        for d, v in versions.items():
            try:
                self._texts[d] = (self.data_dir / v.text_file).read_text("utf-8")
            except OSError:
                raise NotFound(f"the text of {d!r} version {v.version} is missing; run `careerkg repair`") from None
        self.graph = OxigraphStore(None)
        quads = []
        for g in (ONTOLOGY_GRAPH, GAZETTEER_GRAPH):
            quads += _graph_quads(pipeline.graph, g, g)
        for d, v in versions.items():
            if v.current:
                quads += _graph_quads(pipeline.graph, graph_iri(d), graph_iri(d))
            else:
                quads += _graph_quads(pipeline.history.store, version_graph(d, v.version), graph_iri(d))
        self.graph.store.extend(quads)
        hits, vecs = [], []
        for d, v in versions.items():
            chunks = chunk_text(d, self._texts[d], sha256=v.sha256, sentences=s.chunk_sentences,
                                overlap=s.chunk_overlap, max_chars=s.chunk_max_chars)
            spans, unit_vecs = _units(self.data_dir, d, v.sha256)
            vecs += chunk_vectors(chunks, spans, unit_vecs, pipeline.embedder.encode)
            hits += [Hit(c.chunk_id, d, v.sha256, c.start, c.end, c.text, v.title, 0.0) for c in chunks]
        self.index = MemoryIndex(hits, vecs)

    def text(self, doc_id: str, sha256: str | None = None) -> str:
        text = self._texts.get(doc_id)
        if text is None:
            raise NotFound(f"no document {doc_id!r} at that date")
        return text


def _graph_quads(store, graph: str, into: str) -> list[ox.Quad]:
    """The quads of ``graph`` in ``store``, renamed into the graph ``into``."""
    res = store.raw_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                          "application/n-triples")
    g = ox.NamedNode(into)
    return [ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(res.body, format=ox.RdfFormat.N_TRIPLES)]


def _units(data_dir, doc_id: str, sha256: str):
    try:
        with np.load(data_dir / unit_file(doc_id, sha256)) as z:
            return [(int(a), int(b)) for a, b in zip(z["starts"], z["ends"])], z["vecs"].astype(np.float32)
    except (OSError, KeyError, ValueError):
        return [], None
