"""Answers kept per corpus generation: a question asked again before any guide changes is not worked out again.

An answer depends on the question, ``top_k``, the mode and the guides. The guides are named by the manifest's
generation, which every commit (ingest, re-ingest, removal, repair) raises; an entry made at another generation
is never returned, so a cached answer cites one whole version of each guide exactly as a fresh one does (it was
computed under the read lock at its generation). LLM answers and answers as of a date are not kept.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict

from careerkg.model import Answer


class AnswerCache:
    """A least-recently-used map ``(question, top_k, mode) -> (generation, answer)``; ``size`` 0 keeps nothing."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, tuple[int, Answer]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple, generation: int) -> Answer | None:
        """A copy of the answer kept for ``key`` at ``generation`` (the caller may change it), or None."""
        if not self.size:
            return None
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] != generation:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
        return copy.deepcopy(item[1])

    def put(self, key: tuple, generation: int, answer: Answer) -> None:
        """Keep a copy of ``answer``, made from the guides at ``generation``."""
        if not self.size:
            return
        kept = copy.deepcopy(answer)
        with self._lock:
            held = self._items.get(key)
            if held is not None and held[0] > generation:
                return  # a slow answer of an older generation never replaces a newer one
            self._items[key] = (generation, kept)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
