"""Where an ingest's heavy work runs while the service answers questions (issue 13, "writes never stall readers").

A guide's extraction (spaCy, the linker) and its embedding (hundreds of sentences through the model) take
seconds of CPU. Run on the request's own thread they competed on equal terms with every ``/ask`` for the
machine's two cores, and the guide's encode held the embedder's lock that each question's encode needs:
with a PUT every 3 s, ``/ask`` p95 rose from ~0.5 s to 2.5 s.

The design, when serving (``careerkg serve`` calls :meth:`Pipeline.serve_readers`):

- one dedicated ingest thread (:class:`BackgroundWork`) runs the heavy part of every write: planning
  (chunking, extraction); a second one runs its embedding at lower priority (Linux per-thread nice,
  ``CAREERKG_INGEST_NICE``, default 10: about a tenth of a core's share against a nice-0 reader). Both
  cap torch to ``CAREERKG_INGEST_THREADS`` (default 1) intra-op threads, so readers always find a core.
  Extraction is pure Python and needs the GIL: a niced thread loses nearly every hand-off of the GIL
  to the readers' threads (measured: a seed PUT under 16 clients took 20-27 s at nice 5 or 10, 8.5 s
  at nice 0, with the same reader p95), so only the encode -- which leaves the GIL and wants a core --
  is niced. ``/ask`` computes at most ``CAREERKG_ASK_CONCURRENCY`` answers at once, which leaves the
  ingest thread a fair share of the GIL;
- the encodes use their own copy of the model (see :func:`careerkg.ingest.embed.mark_ingest_thread`), so
  a question's encode never queues behind a guide's;
- the commit (files, index upsert, the atomic graph switch under the write lock, the manifest) stays on
  the caller's thread at normal priority: the write lock, which blocks new readers while it is wanted,
  is never held by a low-priority thread (no priority inversion). Atomic per-guide ingest, the
  read/write lock and the write-ahead note for crash recovery are unchanged.

A small ``PUT /documents/{id}`` answers when its guide is committed (200/201); a large one (or one sent with
``Prefer: respond-async``) is queued and answers ``202`` with a job URL (:mod:`careerkg.jobs`), its job then
running this same write path. Without :meth:`Pipeline.serve_readers` (the local CLI, which opens the
stores itself and so has no readers in its process) the work runs inline at full speed, as before.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, TypeVar

log = logging.getLogger("careerkg")
T = TypeVar("T")


def lower_this_thread(nice: int, threads: int) -> None:
    """Lower the calling thread's CPU priority (Linux: nice is per thread), cap its torch threads, and mark it
    as the ingest thread (its encodes use the model's second copy)."""
    from careerkg.ingest.embed import mark_ingest_thread

    mark_ingest_thread()
    if nice > 0 and hasattr(os, "setpriority") and hasattr(threading, "get_native_id"):
        try:
            tid = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, tid, max(os.getpriority(os.PRIO_PROCESS, tid), min(nice, 19)))
        except OSError as exc:  # not permitted or not supported: the work still runs, at normal priority
            log.warning("cannot lower the ingest thread's priority: %s", exc)
    if threads > 0:
        try:
            import torch

            torch.set_num_threads(threads)  # OpenMP: this thread's (and its team's) intra-op threads only
        except ImportError:
            pass


def thread_nice() -> int:
    """The calling thread's nice value (Linux), 0 where unknown."""
    try:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    except (AttributeError, OSError):
        return 0


class BackgroundWork:
    """One long-lived thread at lower priority that runs submitted calls in order; callers wait for results."""

    def __init__(self, *, nice: int = 10, threads: int = 1) -> None:
        self.nice, self.threads = nice, threads
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="careerkg-ingest",
                                        initializer=lower_this_thread, initargs=(nice, threads))

    def run(self, fn: Callable[..., T], *args, **kwargs) -> T:
        """``fn(*args, **kwargs)`` on the ingest thread; its result, or its exception re-raised here."""
        return self._pool.submit(fn, *args, **kwargs).result()

    def submit(self, fn: Callable[..., T], *args, **kwargs):
        """Queue ``fn(*args, **kwargs)`` without waiting (a future)."""
        return self._pool.submit(fn, *args, **kwargs)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
