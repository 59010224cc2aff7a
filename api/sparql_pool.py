"""Running ``/sparql`` queries so that a runaway query can be stopped.

pyoxigraph cannot cancel a running query, so endpoint queries on the embedded
store run in a few worker *processes* (``CAREERKG_SPARQL_WORKERS``), each opening a
read-only RocksDB checkpoint of the store:

* after every write (the manifest ``generation`` changed) the next query takes a
  checkpoint with :meth:`OxigraphStore.backup` into
  ``data_dir/snapshots/<pid>-<id>/gen-N`` (hard links, ~milliseconds), under the
  pipeline's read lock so the snapshot is exactly one generation: a query sees a
  document's old or new version, never a mix;
* a query that runs past its timeout gets its worker killed (``SIGKILL``: the CPU
  is free at once) and a fresh worker is started in the background; the client
  gets :class:`~careerkg.errors.QueryTimeout` (504);
* when every worker is busy for longer than a short wait the query is refused
  with :class:`~careerkg.errors.Overloaded` (503) instead of queueing forever;
* workers run at a lower CPU priority (``nice``) and under an address-space limit,
  so a heavy query slows ``/ask`` as little as possible and an exploding one dies
  alone;
* snapshots nobody uses any more are deleted; so are those of dead processes;
* a query asked with ``history`` runs on a *history view* instead: a checkpoint of the store
  into which the versions store's graphs (``DATA_DIR/versions``, superseded versions) are
  bulk-loaded, made once per write generation on the first such query (~0.4 s for 100k + 20k
  quads here) and then queried like any snapshot; queries without ``history`` take the usual path.

Workers are fresh interpreters (``python -c``, talking over a socket pair): never
``fork`` (the parent holds torch, tokenizer and RocksDB threads), and unlike
multiprocessing's ``spawn`` nothing of the parent's ``__main__`` is re-imported.
A worker exits when its parent dies, even in the middle of a query. For a remote store (``CAREERKG_SPARQL_ENDPOINT``)
or an in-memory one, :class:`ThreadRunner` calls the store in a thread with a
timeout; a remote server is stopped by the HTTP client's own timeout.
"""

from __future__ import annotations

import itertools
import logging
import os
import queue
import shutil
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

from careerkg import errors as E
from careerkg.api.sparql_worker import Worker as _Worker
from careerkg.graph.sparql import NotAcceptable, build_history_view, run_query
from careerkg.graph.store import RawResult

log = logging.getLogger("careerkg.sparql")

DEFAULT_MEMORY_LIMIT = 3 * 1024**3  # address space per worker (bytes)
_ERRORS: dict[str, type[E.CareerKGError]] = {
    c.__name__: c for c in (E.InvalidInput, E.NotFound, E.TooLarge, E.StoreError, E.Overloaded, E.Forbidden,
                            NotAcceptable)}


class QueryRunner(Protocol):
    """Runs a read-only query and returns the serialised result; thread-safe.

    ``default_graphs`` / ``named_graphs`` are the protocol's ``default-graph-uri`` /
    ``named-graph-uri`` (``None``: not given); see :func:`careerkg.graph.sparql.run_query`
    for the dataset they make and the base IRI.
    """

    kind: str

    def run(self, query: str, media_type: str, *, timeout: float, row_limit: int | None,
            default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
            history: bool = False) -> RawResult:
        """``history``: the dataset also holds the superseded versions' graphs (``.../graph/{doc_id}/v{n}``)."""
        ...

    def graph_names(self) -> list[str]:
        """The named graphs of the default dataset (for the service description)."""
        ...

    def close(self) -> None: ...


@dataclass
class _Snapshot:
    path: Path
    generation: int
    users: int = 0
    retired: bool = False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ProcessPool:
    """Endpoint queries on read-only checkpoints of an embedded :class:`OxigraphStore`, in killable processes.

    Args:
        store: the live store (only :meth:`~careerkg.graph.store.OxigraphStore.backup` is used).
        snapshots_root: where checkpoints go (``data_dir/snapshots``).
        workers: number of worker processes.
        generation: returns the current write generation (``pipeline.manifest.generation``).
        lock: the pipeline's readers-writer lock; a checkpoint is taken under its read side.
        acquire_timeout: seconds to wait for a free worker before :class:`Overloaded`.
        memory_limit: address-space limit per worker in bytes (``None``: no limit).
        versions_dir: the versions store (history) read by ``history`` queries; default: the
            ``versions`` folder beside ``snapshots_root`` (``DATA_DIR/versions``).
    """

    kind = "processes"

    def __init__(self, store, snapshots_root: Path, *, workers: int = 2, generation: Callable[[], int],
                 lock=None, acquire_timeout: float = 2.0, memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
                 versions_dir: Path | None = None) -> None:
        self._store = store
        self._versions_dir = versions_dir if versions_dir is not None else snapshots_root.parent / "versions"
        self._generation = generation
        self._lock = lock
        self.size = workers
        self.acquire_timeout = acquire_timeout
        self._memory_limit = memory_limit
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._all_lock = threading.Lock()
        self._snap_lock = threading.Lock()
        self._current: _Snapshot | None = None
        self._hist_lock = threading.Lock()  # builds of the history view; never held by plain queries
        self._current_hist: _Snapshot | None = None
        self._seq = itertools.count(1)
        self._closed = False
        self._starting = 0
        self._ready = threading.Event()  # set once a first worker is ready
        self.killed = 0  # workers stopped because their query timed out or crashed
        snapshots_root.mkdir(parents=True, exist_ok=True)
        self._clean_stale(snapshots_root)
        self._dir = snapshots_root / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._dir.mkdir()
        for _ in range(workers):
            self._spawn_async()

    # ------------------------------------------------------------ workers
    def _spawn_async(self) -> None:
        threading.Thread(target=self._spawn, name="careerkg-sparql-spawn", daemon=True).start()

    def _spawn(self) -> None:
        with self._all_lock:
            if self._closed:
                return
            self._starting += 1
        try:
            self._start_one()
        finally:
            with self._all_lock:
                self._starting -= 1

    def _start_one(self) -> None:
        t0 = time.perf_counter()
        w = _Worker(self._memory_limit)
        with self._all_lock:
            self._all.add(w)
        if not w.wait_ready(60):
            if not self._closed:
                log.error("a SPARQL worker did not start (exit code %s)", w.proc.poll())
            self._discard(w)
            return
        if self._closed:
            self._discard(w)
            return
        log.debug("SPARQL worker %d ready in %.2f s", w.pid, time.perf_counter() - t0)
        self._idle.put(w)
        self._ready.set()

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Block until at least one worker can take a query (start-up)."""
        return self._ready.wait(timeout)

    def _discard(self, w: _Worker) -> None:
        with self._all_lock:
            self._all.discard(w)
        w.kill()

    def _replace(self, w: _Worker) -> None:
        self.killed += 1
        self._discard(w)
        self._spawn_async()

    def _acquire(self) -> _Worker:
        if self._closed:
            raise E.Overloaded("the SPARQL service is shutting down")
        # while a worker is starting (start-up, or replacing a killed one) it is worth the wait
        wait = self.acquire_timeout if not self._starting else max(self.acquire_timeout, 20.0)
        try:
            return self._idle.get(timeout=wait)
        except queue.Empty:
            raise E.Overloaded(f"all {self.size} SPARQL workers are busy; try again shortly") from None

    # ------------------------------------------------------------ snapshots
    @staticmethod
    def _clean_stale(root: Path) -> None:
        for d in root.iterdir():
            pid = d.name.split("-", 1)[0]
            if d.is_dir() and pid.isdigit() and not _pid_alive(int(pid)):
                shutil.rmtree(d, ignore_errors=True)

    def _take_snapshot(self, history: bool = False) -> _Snapshot:
        def take() -> _Snapshot:
            gen = self._generation()
            path = self._dir / f"{'hist' if history else 'gen'}-{gen}-{next(self._seq)}"
            if history:
                build_history_view(self._store, self._versions_dir, path)
            else:
                self._store.backup(path)
            return _Snapshot(path, gen)

        if self._lock is None:
            return take()
        with self._lock.read():  # exactly one generation of both stores
            return take()

    def _checkout(self, history: bool = False) -> _Snapshot:
        if history:
            return self._checkout_history()
        with self._snap_lock:
            cur = self._current
            if cur is None or cur.generation != self._generation():
                new = self._timed_snapshot(False)
                if cur is not None:
                    cur.retired = True
                    self._maybe_delete(cur)
                self._current = cur = new
            cur.users += 1
            return cur

    def _checkout_history(self) -> _Snapshot:
        """The history view of the current generation; built outside ``_snap_lock`` (plain queries go on)."""
        with self._hist_lock:  # one build at a time
            cur = self._current_hist
            if cur is None or cur.generation != self._generation():
                new = self._timed_snapshot(True)
                with self._snap_lock:
                    if cur is not None:
                        cur.retired = True
                        self._maybe_delete(cur)
                    self._current_hist = cur = new
            with self._snap_lock:
                cur.users += 1
            return cur

    def _timed_snapshot(self, history: bool) -> _Snapshot:
        t0 = time.perf_counter()
        try:
            new = self._take_snapshot(history)
        except OSError as exc:
            raise E.StoreError(f"cannot snapshot the graph store: {exc}") from exc
        log.info("SPARQL %s gen %d in %.1f ms", "history view" if history else "snapshot", new.generation,
                 (time.perf_counter() - t0) * 1000)
        return new

    def _checkin(self, snap: _Snapshot) -> None:
        with self._snap_lock:
            snap.users -= 1
            self._maybe_delete(snap)

    @staticmethod
    def _maybe_delete(snap: _Snapshot) -> None:
        if snap.retired and snap.users <= 0:
            shutil.rmtree(snap.path, ignore_errors=True)

    def snapshot_count(self) -> int:
        return sum(1 for _ in self._dir.iterdir()) if self._dir.exists() else 0

    # ------------------------------------------------------------ queries
    def run(self, query: str, media_type: str, *, timeout: float, row_limit: int | None,
            default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
            history: bool = False) -> RawResult:
        """Run one query; raises QueryTimeout, Overloaded, InvalidInput (parser message) or StoreError."""
        worker = self._acquire()
        snap = None
        try:
            snap = self._checkout(history)
            deadline = time.monotonic() + timeout
            worker.conn.send((str(snap.path), query, media_type, default_graphs, named_graphs, row_limit))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                log.warning("SPARQL query stopped after %.1f s (worker %d killed): %.200r",
                            timeout, worker.pid, query)
                self._replace(worker)
                worker = None
                raise E.QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped "
                                     "(CAREERKG_SPARQL_TIMEOUT); narrow it or add a LIMIT")
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            code = None
            if worker is not None:
                try:
                    code = worker.proc.wait(2)
                except subprocess.TimeoutExpired:
                    pass
            log.error("SPARQL worker died (exit code %s) on %.200r", code, query)
            if worker is not None:
                self._replace(worker)
                worker = None
            raise E.Overloaded("the query was stopped: it needed more memory than a SPARQL worker may use, "
                               "or its worker crashed") from None
        finally:
            if snap is not None:
                self._checkin(snap)
            if worker is not None:
                self._idle.put(worker)
        if reply[0] == "ok":
            return RawResult(reply[1], reply[2], reply[3])
        cls = _ERRORS.get(reply[1], E.StoreError)
        if cls is E.StoreError:
            log.error("SPARQL worker error: %s", reply[2])
        raise cls(reply[2])

    def graph_names(self) -> list[str]:
        return self._store.graph_names()

    def close(self) -> None:
        self._closed = True
        with self._all_lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()
        shutil.rmtree(self._dir, ignore_errors=True)

    def describe(self) -> dict:
        with self._all_lock:
            alive = sum(1 for w in self._all if w.alive())
        return {"runner": self.kind, "workers": self.size, "alive": alive, "idle": self._idle.qsize()}


class ThreadRunner:
    """Queries in threads with a timeout: for remote SPARQL servers (whose client times out) and in-memory stores.

    A timed-out query on an in-memory store keeps running in its thread until it
    ends (pyoxigraph cannot cancel it); the client is answered at the timeout all
    the same, and at most ``workers`` such queries run at once.
    """

    kind = "threads"

    def __init__(self, store, *, workers: int = 2, acquire_timeout: float = 2.0) -> None:
        self._store = store
        self.size = workers
        self.acquire_timeout = acquire_timeout
        self._slots = threading.BoundedSemaphore(workers)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="careerkg-sparql")

    def run(self, query: str, media_type: str, *, timeout: float, row_limit: int | None,
            default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
            history: bool = False) -> RawResult:
        if history:
            raise E.InvalidInput("history=true needs the embedded on-disk graph store; this service reads a "
                                 "SPARQL server (CAREERKG_SPARQL_ENDPOINT) or an in-memory store")
        if not self._slots.acquire(timeout=self.acquire_timeout):
            raise E.Overloaded(f"all {self.size} SPARQL slots are busy; try again shortly")
        fut = self._executor.submit(run_query, self._store, query, media_type, default_graphs=default_graphs,
                                    named_graphs=named_graphs, row_limit=row_limit)
        fut.add_done_callback(lambda _f: self._slots.release())
        try:
            return fut.result(timeout=timeout)
        except FutureTimeout:
            raise E.QueryTimeout(f"the query ran longer than {timeout:g} s (CAREERKG_SPARQL_TIMEOUT); "
                                 "narrow it or add a LIMIT") from None

    def graph_names(self) -> list[str]:
        return self._store.graph_names()

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def describe(self) -> dict:
        return {"runner": self.kind, "workers": self.size}
