"""Real ingests in child processes that are SIGKILLed at chosen points (used by test_crash_recovery.py).

Usage: ``python crash_child.py < jobs.jsonl`` — one JSON job a line::

    {"name": "n", "data_dir": "...", "mode": "ingest", "spec": "after:ChromaIndex.add:1", "args": [FILE, ...]}
    {"name": "n", "data_dir": "...", "mode": "remove", "spec": "after:Manifest.save:1", "args": [DOC_ID],
     "history": "keep"}
    {"name": "n", "data_dir": "...", "mode": "loop", "args": [VARIANTS_DIR], "delay": 1.7}
    optional: "copy_from": DIR (copied to data_dir first), "barrier": true (wait for earlier jobs first),
    "settings": {NAME: VALUE} (over the defaults, e.g. {"history_versions": 1})

``spec`` is ``WHEN:CLASS.METHOD:N`` (``before``/``after`` the N-th call, counted from the
moment the runtime is open) or ``none``. At that point the job's process sends itself
a real ``SIGKILL``: no ``finally``/``except`` runs, as when power is lost or the OOM
killer strikes. A ``loop`` job re-ingests ``VARIANTS_DIR/v*/`` round after round and is
SIGKILLed ``delay`` seconds after its runtime is open.

To pay the ~5-10 s of imports once, this process is a small fork server: it imports the
libraries and builds the entity linker (no torch op, no store opened), then forks one
process per job (two at a time). Each job process opens its own Chroma, Oxigraph and
embedding model, then ingests. One JSON result a line goes to stdout:
``{"name", "exit": code or null, "signal": number or null, "lines": [job output...]}``.
"""

from __future__ import annotations

import itertools
import json
import os
import select
import shutil
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from careerkg.settings import Settings, apply_offline_env  # noqa: E402

apply_offline_env()

PARALLEL = 2


def die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def arm(spec: str) -> None:
    """Patch ``CLASS.METHOD`` so that the process kills itself before/after its N-th call."""
    if spec == "none":
        return
    from careerkg.graph.store import OxigraphStore
    from careerkg.ingest.index import ChromaIndex
    from careerkg.ingest.manifest import Manifest
    from careerkg.ingest.pipeline import Pipeline

    when, target, n = spec.split(":")
    cls_name, meth = target.split(".")
    cls = {"ChromaIndex": ChromaIndex, "OxigraphStore": OxigraphStore, "Manifest": Manifest,
           "Pipeline": Pipeline}[cls_name]
    orig = getattr(cls, meth)
    calls = [0]

    def wrapper(*args, **kwargs):
        calls[0] += 1
        if when == "before" and calls[0] == int(n):
            die()
        result = orig(*args, **kwargs)
        if when == "after" and calls[0] == int(n):
            die()
        return result

    setattr(cls, meth, wrapper)


def run_job(job: dict, linker, ready_fd: int) -> None:
    """The body of one job process (stdout is its log file)."""
    import torch

    from careerkg.api.runtime import Runtime

    torch.set_num_threads(1)  # a forked child: stay out of any OpenMP pool state of the parent
    rt = Runtime(Settings(data_dir=Path(job["data_dir"]), **job.get("settings", {})))
    rt.__dict__["linker"] = linker
    pipeline = rt.pipeline  # opens the stores and runs repair()
    _ = rt.embedder.model
    print("READY", flush=True)
    os.write(ready_fd, b"READY\n")
    arm(job.get("spec", "none"))
    mode, args = job["mode"], job.get("args", [])
    if mode == "ingest":
        for f in args:
            r = pipeline.ingest_path(Path(f))
            print(json.dumps({"doc_id": r.doc_id, "status": r.status, "version": r.version, "reason": r.reason}),
                  flush=True)
    elif mode == "remove":
        for d in args:
            pipeline.remove(d, history=job.get("history", "purge"))
            print(json.dumps({"removed": d}), flush=True)
    elif mode == "loop":
        variants = sorted(p for p in Path(args[0]).iterdir() if p.is_dir())
        for v in itertools.cycle(variants[1:] + variants[:1]):
            for f in sorted(v.iterdir()):
                r = pipeline.ingest_path(f)
                print(json.dumps({"doc_id": r.doc_id, "status": r.status, "version": r.version}), flush=True)
    else:
        raise ValueError(f"unknown mode {mode!r}")


class Running:
    def __init__(self, job: dict, pid: int, fd: int, log: Path) -> None:
        self.job, self.pid, self.fd, self.log = job, pid, fd, log
        self.ready_at: float | None = None
        self.killed = False


def start(job: dict, linker) -> Running:
    if job.get("copy_from"):
        shutil.copytree(job["copy_from"], job["data_dir"])
    log = Path(job["data_dir"]).parent / f"{job['name']}.log"
    r, w = os.pipe()
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:  # the job process
        code = 0
        try:
            os.close(r)
            sys.stdout = open(log, "w", buffering=1, encoding="utf-8")
            sys.stderr = sys.stdout
            run_job(job, linker, w)
        except BaseException:  # noqa: BLE001 - report anything, then exit
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            os._exit(code)
    os.close(w)
    return Running(job, pid, r, log)


def serve(jobs: list[dict]) -> None:
    from careerkg.graph.gazetteer import load_gazetteer
    from careerkg.graph.linker import EntityLinker
    import careerkg.api.runtime  # noqa: F401  (imports torch, sentence-transformers, chromadb, spaCy, pyoxigraph)
    import careerkg.graph.store  # noqa: F401
    import careerkg.ingest.embed, careerkg.ingest.index, careerkg.ingest.pipeline  # noqa: F401,E401
    import sentence_transformers  # noqa: F401
    import chromadb  # noqa: F401

    linker = EntityLinker(load_gazetteer())
    running: list[Running] = []
    queue = list(jobs)
    while queue or running:
        while queue and len(running) < PARALLEL and not (queue[0].get("barrier") and running):
            running.append(start(queue.pop(0), linker))
        for run in list(running):
            delay = run.job.get("delay")
            if run.ready_at is None and select.select([run.fd], [], [], 0)[0]:
                if b"READY" in os.read(run.fd, 64):
                    run.ready_at = time.monotonic()
            if delay is not None and run.ready_at is not None and not run.killed \
                    and time.monotonic() - run.ready_at >= delay:
                os.kill(run.pid, signal.SIGKILL)
                run.killed = True
            pid, status = os.waitpid(run.pid, os.WNOHANG)
            if pid == 0:
                continue
            os.close(run.fd)
            running.remove(run)
            lines = run.log.read_text("utf-8", errors="replace").splitlines() if run.log.exists() else []
            print(json.dumps({"name": run.job["name"],
                              "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
                              "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
                              "lines": lines[-200:]}), flush=True)
        time.sleep(0.02)


if __name__ == "__main__":
    serve([json.loads(line) for line in sys.stdin if line.strip()])
