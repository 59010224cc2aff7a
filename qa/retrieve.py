"""Hybrid retrieval: dense (Chroma) + lexical (BM25) + a boost for chunks mentioning linked entities.

The three rankings are fused with reciprocal rank fusion. Only chunks of each
document's *current* version (per the manifest) are returned. The BM25 index and
the chunk table are rebuilt when the manifest generation changes.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass, field

import bm25s

from careerkg.graph.store import GraphStore
from careerkg.ingest.index import Hit, VectorIndex
from careerkg.qa.text import tokens

RRF_K = 60

_MENTIONS = """
SELECT ?e ?chunk WHERE { ?chunk schema:mentions ?e }
"""
# every entity the guides mention, with its labels: entities discovered at ingest become linkable in questions
_LABELS = """
SELECT DISTINCT ?e ?label WHERE { ?chunk schema:mentions ?e . { ?e skos:prefLabel ?label } UNION { ?e skos:altLabel ?label } }
"""
# "WANdisco" is one word, not "Ndisco"; an acronym is a word too ("siem" typed for SIEM is no typo of "seem")
_RAW_WORD = re.compile(r"[A-Za-z][a-z]+|[A-Z]+[a-z]+|\b[A-Z]{3,}\b")


@dataclass
class Passage:
    """A retrieved chunk with its fused score and the rankings it came from."""

    chunk_id: str
    doc_id: str
    title: str
    start: int
    end: int
    text: str
    score: float
    ranks: dict[str, int] = field(default_factory=dict)
    dense: float = 0.0


@dataclass
class _Corpus:
    generation: int
    chunks: list[Hit]
    by_id: dict[str, int]
    bm25: bm25s.BM25 | None
    vocab: set[str]
    df: dict[str, int]
    mentions: dict[str, set[str]]  # entity IRI -> chunk ids
    words: Counter = field(default_factory=Counter)  # lower-case words of the guides (spelling)
    labels: dict[str, list[str]] = field(default_factory=dict)  # entity IRI -> labels, every mentioned entity

    def chunk_at(self, doc_id: str, pos: int) -> Hit | None:
        """The current chunk of ``doc_id`` that holds offset ``pos`` (the first, where chunks overlap)."""
        import bisect

        i = bisect.bisect_right(self.chunks, (doc_id, pos), key=lambda h: (h.doc_id, h.start)) - 1
        while i >= 0 and self.chunks[i].doc_id == doc_id:
            h = self.chunks[i]
            if h.start <= pos < h.end:
                return h
            i -= 1
        return None

    def idf(self, token: str) -> float:
        n = len(self.chunks) or 1
        return math.log(1 + (n - self.df.get(token, 0) + 0.5) / (self.df.get(token, 0) + 0.5))


class Retriever:
    """Fused dense + BM25 + entity retrieval over current chunks."""

    def __init__(self, index: VectorIndex, graph: GraphStore, current: callable) -> None:
        """``current()`` returns ``(generation, {doc_id: sha256})`` from the manifest."""
        self.index = index
        self.graph = graph
        self.current = current
        self._corpus: _Corpus | None = None
        self._lock = threading.Lock()

    def corpus(self) -> _Corpus:
        generation, shas = self.current()
        c = self._corpus
        if c is not None and c.generation == generation:
            return c
        with self._lock:
            c = self._corpus
            if c is None or c.generation != generation:
                c = self._corpus = self._build(generation, shas)
        return c

    def _build(self, generation: int, shas: dict[str, str]) -> _Corpus:
        chunks = [h for h in self.index.all_chunks() if shas.get(h.doc_id) == h.sha256]
        chunks.sort(key=lambda h: (h.doc_id, h.start))
        toks = [tokens(h.text) for h in chunks]
        df: dict[str, int] = {}
        for t in toks:
            for w in set(t):
                df[w] = df.get(w, 0) + 1
        bm = None
        if chunks:
            bm = bm25s.BM25()
            bm.index([t or ["_empty_"] for t in toks], show_progress=False)
        mentions: dict[str, set[str]] = {}
        prefix = "https://w3id.org/careerkg/id/chunk/"
        for row in self.graph.select(_MENTIONS):
            mentions.setdefault(row["e"], set()).add(row["chunk"][len(prefix):])
        words: Counter = Counter()
        for h in chunks:
            words.update(w.lower() for w in _RAW_WORD.findall(h.text))
        labels: dict[str, list[str]] = {}
        for row in self.graph.select(_LABELS):
            labels.setdefault(row["e"], []).append(str(row["label"]))
        return _Corpus(generation, chunks, {h.chunk_id: i for i, h in enumerate(chunks)}, bm, set(df), df, mentions,
                       words, labels)

    def retrieve(self, question: str, qvec: list[float], *, entity_iris: list[str], k: int = 5,
                 depth: int = 30, docs: set[str] | None = None) -> list[Passage]:
        """The ``k`` best current passages for a question (only from ``docs`` when given)."""
        c = self.corpus()
        if not c.chunks:
            return []
        if docs is not None:
            keep = {h.chunk_id for h in c.chunks if h.doc_id in docs}
            depth = depth * 3  # the named guides' chunks are a part of every ranking
        else:
            keep = None
        rankings: dict[str, list[str]] = {}
        dense_scores: dict[str, float] = {}
        dense = [h for h in self.index.query(qvec, depth * 2) if h.chunk_id in c.by_id][:depth]
        rankings["dense"] = [h.chunk_id for h in dense]
        dense_scores = {h.chunk_id: h.score for h in dense}
        qt = [t for t in tokens(question) if t in c.vocab]
        if qt and c.bm25 is not None:
            ids, scores = c.bm25.retrieve([qt], k=min(depth, len(c.chunks)), show_progress=False)
            rankings["bm25"] = [c.chunks[i].chunk_id for i, s in zip(ids[0], scores[0]) if s > 0]
        if entity_iris:
            counts: dict[str, int] = {}
            for iri in entity_iris:
                for cid in c.mentions.get(iri, ()):
                    if cid in c.by_id:
                        counts[cid] = counts.get(cid, 0) + 1
            if counts:
                # chunks naming more of the question's entities first, then by dense score
                order = sorted(counts, key=lambda x: (-counts[x], -dense_scores.get(x, 0.0)))
                rankings["entity"] = order[:depth]
        fused: dict[str, float] = {}
        ranks: dict[str, dict[str, int]] = {}
        weights = {"dense": 1.0, "bm25": 1.0, "entity": 0.7}
        for name, ranking in rankings.items():
            for r, cid in enumerate(ranking):
                fused[cid] = fused.get(cid, 0.0) + weights[name] / (RRF_K + r + 1)
                ranks.setdefault(cid, {})[name] = r + 1
        if keep is not None:
            fused = {cid: s for cid, s in fused.items() if cid in keep}
        best = sorted(fused, key=lambda x: -fused[x])[:k]
        out = []
        for cid in best:
            h = c.chunks[c.by_id[cid]]
            out.append(Passage(cid, h.doc_id, h.title, h.start, h.end, h.text, fused[cid], ranks[cid],
                               dense_scores.get(cid, 0.0)))
        return out
