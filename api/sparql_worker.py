"""The SPARQL worker process: opens a read-only store checkpoint and answers queries sent over a socket.

Started by :class:`careerkg.api.sparql_pool.ProcessPool` as ``python -c`` (nothing of the parent is
forked or re-imported); the parent kills it when a query runs past the timeout.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from careerkg import errors as E


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
