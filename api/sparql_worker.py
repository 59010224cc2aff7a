"""The SPARQL worker process: opens a read-only store checkpoint and answers queries sent over a socket.

Started by :class:`careerkg.api.sparql_pool.ProcessPool` as ``python -c`` (nothing of the parent is
forked or re-imported) through :class:`Worker`, its handle in the parent; the parent kills it when a
query runs past the timeout.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

import careerkg
from careerkg import errors as E
from careerkg.settings import child_process_env

log = logging.getLogger("careerkg.sparql")


def worker_main(fd: int, memory_limit: int | None) -> None:  # pragma: no cover - runs in the child
    """Serve queries sent over the socket ``fd`` until ``None``, EOF or the parent's death."""
    import signal
    from multiprocessing.connection import Connection

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent; it stops us
    parent = os.getppid()

    def watchdog() -> None:  # pyoxigraph releases the GIL while it evaluates, so this runs
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    try:
        os.nice(5)
    except OSError:
        pass
    if memory_limit:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        except (ImportError, ValueError, OSError):
            pass
    from careerkg.graph.sparql import run_query
    from careerkg.graph.store import OxigraphStore

    conn = Connection(fd)
    conn.send(("ready", os.getpid()))
    store, store_path = None, None
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        path, query, media_type, default_graphs, named_graphs, row_limit = msg
        try:
            if path != store_path:
                store = None  # close the previous snapshot before opening the next
                store = OxigraphStore(Path(path), read_only=True)
                store_path = path
            res = run_query(store, query, media_type, default_graphs=default_graphs, named_graphs=named_graphs,
                            row_limit=row_limit)
            reply = ("ok", res.body, res.media_type, res.truncated)
        except E.CareerKGError as exc:
            reply = ("error", type(exc).__name__, str(exc))
        except MemoryError:
            reply = ("error", "Overloaded", "the query needed more memory than a SPARQL worker may use")
        except Exception as exc:  # noqa: BLE001 - reported to the parent as a StoreError, never swallowed
            reply = ("error", "StoreError", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


# the folder holding the careerkg package: the checkout (whose api/ folder is careerkg.api), or site-packages
_PROJECT_ROOT = str(Path(careerkg.__file__).resolve().parents[1])


class Worker:
    """A worker process (``python -c``, not multiprocessing: nothing of the parent is re-imported or forked)."""

    def __init__(self, memory_limit: int | None) -> None:
        ours, theirs = socket.socketpair()
        env = child_process_env(_PROJECT_ROOT)
        code = ("import sys; from careerkg.api.sparql_worker import worker_main; "
                "worker_main(int(sys.argv[1]), int(sys.argv[2]))")
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", code, str(theirs.fileno()), str(memory_limit or 0)],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env,
                cwd=_PROJECT_ROOT, close_fds=True)
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.pid = self.proc.pid

    def wait_ready(self, timeout: float) -> bool:
        try:
            return self.conn.poll(timeout) and self.conn.recv()[0] == "ready"
        except (EOFError, OSError):
            return False

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()  # SIGKILL: the query stops consuming CPU now
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            log.error("SPARQL worker %d did not exit after SIGKILL", self.pid)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
            self.proc.wait(1)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
        self.kill()
