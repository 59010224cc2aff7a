"""The vector index: a small protocol and its Chroma implementation.

Chroma runs embedded (``PersistentClient`` under the data dir) by default, or as a
server chosen by ``CAREERKG_CHROMA_URL``; both go through :class:`ChromaIndex`.
Embeddings are always computed by our :class:`~careerkg.ingest.embed.Embedder` and passed
in, and the collection is opened with our embedding function, so Chroma never
falls back to its default (downloading) model. Telemetry is off.
"""

from __future__ import annotations

import threading

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

from careerkg.errors import InvalidInput, StoreError
from careerkg.model import Chunk
from careerkg.ingest.embed import Embedder

COLLECTION = "careerkg_chunks"


@dataclass(frozen=True)
class Hit:
    """A chunk returned by a vector query (``score``: cosine similarity)."""

    chunk_id: str
    doc_id: str
    sha256: str
    start: int
    end: int
    text: str
    title: str
    score: float


class VectorIndex(Protocol):
    """Where chunk vectors live.

    ``add`` upserts (the same chunk id twice keeps one copy); ``delete_doc`` with
    ``keep_sha256`` removes a document's chunks of every *other* version; deleting
    what is not there is a no-op. ``query`` may return chunks of any version: the
    caller filters by the manifest. Unusable input (as many vectors as chunks, one
    dimension, ``k >= 1``) raises ``InvalidInput`` and writes nothing; a failing store
    (a Chroma server gone away) raises ``StoreError``, embedded and server alike.
    """

    def add(self, chunks: list[Chunk], embeddings: list[list[float]], *, sha256: str, title: str) -> None: ...

    def delete_doc(self, doc_id: str, keep_sha256: str | None = None) -> int: ...

    def query(self, embedding: list[float], k: int) -> list[Hit]: ...

    def all_chunks(self) -> list[Hit]: ...

    def doc_versions(self) -> dict[tuple[str, str], int]: ...

    def count(self) -> int: ...


class _EF:
    """Chroma embedding function backed by our Embedder (so Chroma never picks its own)."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def __call__(self, input):  # noqa: A002 - Chroma's signature
        import numpy as np

        return [np.asarray(v, dtype=np.float32) for v in self._embedder.encode(list(input))]

    def embed_query(self, input):  # noqa: A002
        return self(input)

    @staticmethod
    def name() -> str:
        return "careerkg-sentence-transformers"

    def get_config(self) -> dict:
        return {"model": self._embedder.model_name or "all-MiniLM-L6-v2"}

    @staticmethod
    def build_from_config(config: dict) -> "_EF":
        return _EF(Embedder(config.get("model", "")))

    def is_legacy(self) -> bool:
        return False

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]

    def validate_config_update(self, old, new) -> None:
        return None

    @staticmethod
    def validate_config(config) -> None:
        return None


_PAGE = 5000  # records per get/delete call (SQLite allows 32,766 variables per statement)

def _hit(cid: str, meta: dict, text: str, score: float) -> Hit:
    return Hit(chunk_id=cid, doc_id=meta["doc_id"], sha256=meta["sha256"], start=int(meta["start"]),
               end=int(meta["end"]), text=text, title=meta.get("title", ""), score=score)


class ChromaIndex:
    """:class:`VectorIndex` on Chroma (embedded path or server URL)."""

    def __init__(self, embedder: Embedder, *, path: Path | None = None, url: str = "") -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        self.embedder = embedder
        self.where = url or str(path)
        # the chunk count, cached between this object's own writes when embedded (only this process
        # writes an embedded index); every query needs it and Chroma's count() is a SQLite round trip
        self._cache_count = not url
        self._count: int | None = None
        self._writes = 0
        self._count_lock = threading.Lock()
        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if url:
                u = urlparse(url)
                self.client = chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000,
                                                  ssl=u.scheme == "https", settings=chroma_settings)
            else:
                assert path is not None, "ChromaIndex needs a path or a url"
                path.mkdir(parents=True, exist_ok=True)
                self.client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            self.collection = self.client.get_or_create_collection(
                COLLECTION, embedding_function=_EF(embedder), metadata={"hnsw:space": "cosine"})
        except Exception as exc:  # chromadb raises many unrelated types; report one clear error
            raise StoreError(f"cannot open the Chroma vector index ({url or path}): {exc}") from exc

    @contextmanager
    def _errors(self, what: str):
        """Chroma's errors as ours: the same types whether embedded or over HTTP."""
        import httpx
        from chromadb.errors import ChromaError, DuplicateIDError, InvalidArgumentError

        try:
            yield
        except (InvalidArgumentError, DuplicateIDError) as exc:
            raise InvalidInput(f"vector index: cannot {what}: {exc}") from exc
        except (ChromaError, httpx.HTTPError, OSError) as exc:  # a server gone away, a disk failing
            raise StoreError(f"the Chroma vector index ({self.where}) failed to {what}: {exc}") from exc

    def add(self, chunks: list[Chunk], embeddings: list[list[float]], *, sha256: str, title: str) -> None:
        if len(embeddings) != len(chunks):
            raise InvalidInput(f"vector index: {len(chunks)} chunks but {len(embeddings)} vectors")
        if not chunks:
            return
        if len({len(v) for v in embeddings}) != 1 or len({c.chunk_id for c in chunks}) != len(chunks):
            raise InvalidInput("vector index: the vectors of one add differ in dimension, or a chunk id repeats")
        self._changed()
        step = 1000  # below Chroma's max batch (5461 embedded and served)
        for i in range(0, len(chunks), step):
            part = chunks[i:i + step]
            with self._errors("add vectors"):
                self.collection.upsert(
                    ids=[c.chunk_id for c in part],
                    embeddings=embeddings[i:i + step],
                    documents=[c.text for c in part],
                    metadatas=[{"doc_id": c.doc_id, "sha256": sha256, "start": c.start, "end": c.end,
                                "index": c.index, "title": title} for c in part],
                )
        self._changed()

    def delete_doc(self, doc_id: str, keep_sha256: str | None = None) -> int:
        where: dict = {"doc_id": doc_id}
        if keep_sha256:
            where = {"$and": [{"doc_id": doc_id}, {"sha256": {"$ne": keep_sha256}}]}
        with self._errors("delete a document's vectors"):
            ids = [i for page in self._pages(where=where, include=[]) for i in page["ids"]]
            if ids:
                self._changed()
                for k in range(0, len(ids), _PAGE):
                    self.collection.delete(ids=ids[k:k + _PAGE])
                self._changed()
        return len(ids)

    def _pages(self, **kw):
        """``collection.get`` a page at a time: one call for 100,000 records overflows SQLite's
        variable limit ("too many SQL variables") in the embedded backend."""
        offset = 0
        while True:
            page = self.collection.get(limit=_PAGE, offset=offset, **kw)
            yield page
            if len(page["ids"]) < _PAGE:
                return
            offset += _PAGE

    def query(self, embedding: list[float], k: int) -> list[Hit]:
        if k < 1:
            raise InvalidInput(f"vector index: k must be at least 1, not {k}")
        n = self.count()
        if n == 0:
            return []
        with self._errors("query"):
            res = self.collection.query(query_embeddings=[embedding], n_results=min(k, n),
                                        include=["metadatas", "documents", "distances"])
        return [_hit(cid, meta, text, 1.0 - float(dist)) for cid, meta, text, dist in
                zip(res["ids"][0], res["metadatas"][0], res["documents"][0], res["distances"][0])]

    def all_chunks(self) -> list[Hit]:
        with self._errors("read the chunks"):
            return [_hit(cid, meta, text, 0.0) for page in self._pages(include=["metadatas", "documents"])
                    for cid, meta, text in zip(page["ids"], page["metadatas"], page["documents"])]

    def doc_versions(self) -> dict[tuple[str, str], int]:
        counts: dict[tuple[str, str], int] = {}
        with self._errors("read the versions"):
            metas = [m for page in self._pages(include=["metadatas"]) for m in page["metadatas"]]
        for meta in metas:
            key = (meta["doc_id"], meta["sha256"])
            counts[key] = counts.get(key, 0) + 1
        return counts

    def _changed(self) -> None:
        with self._count_lock:
            self._writes += 1
            self._count = None

    def count(self) -> int:
        n = self._count
        if n is not None:
            return n
        seen = self._writes
        with self._errors("count"):
            n = int(self.collection.count())
        with self._count_lock:
            if self._cache_count and seen == self._writes:  # no write of ours began meanwhile
                self._count = n
        return n
