"""Opening and closing runtimes in tests (a module, not conftest: two conftest modules share one name)."""

from __future__ import annotations

import gc

from careerkg.settings import Settings


_VECTORS: dict[str, list[float]] = {}


def caching_embedder(settings: Settings):
    """The real embedding model, memoised per text for the whole session.

    Write tests ingest the same small guides into many fresh data dirs; every vector is
    still computed by the real model (once), later runtimes reuse it. Tests may still
    monkeypatch ``rt.embedder.encode`` to simulate a model failure.
    """
    from careerkg.ingest.embed import Embedder

    class CachingEmbedder(Embedder):
        def encode(self, texts: list[str]) -> list[list[float]]:
            todo = [t for t in dict.fromkeys(texts) if t not in _VECTORS]
            if todo:
                _VECTORS.update(zip(todo, super().encode(todo)))
            return [list(_VECTORS[t]) for t in texts]

    return CachingEmbedder(settings.embed_model, settings.embed_batch_size)


def open_runtime(settings: Settings, linker=None, *, cache_vectors: bool = False):
    """A :class:`Runtime` on ``settings``, reusing ``linker`` (already built) when given."""
    from careerkg.api.runtime import Runtime

    rt = Runtime(settings)
    if linker is not None:
        rt.__dict__["linker"] = linker  # cached_property slot: skip rebuilding the matcher
    if cache_vectors:
        rt.__dict__["embedder"] = caching_embedder(settings)
    return rt


def close_runtime(rt) -> None:
    """Drop a runtime's stores so the same data dir can be opened again (Oxigraph allows one writer)."""
    for name in ("qa", "network", "pipeline", "index", "graph"):
        rt.__dict__.pop(name, None)
    gc.collect()
