"""Load test: many clients asking a real ``careerkg serve`` while guides are re-ingested.

A fresh data dir gets the seeds (and ``--guides N`` generated guides) through
``careerkg ingest``; then ``careerkg serve`` runs on 127.0.0.1. For ``--seconds``:

- ``--clients`` threads (default 16) loop over: ``POST /ask`` (8 in 10 requests; dev
  questions plus template questions), ``GET /documents/{id}/text`` of a guide being
  changed (1 in 10) and a researcher SPARQL query (1 in 10);
- one writer ``PUT``s a changed version of one of ``--mutate`` seeds every
  ``--put-every`` seconds (a salary figure and an edition line change per version), with
  ``Prefer: respond-async``: each PUT is answered ``202 Accepted`` with a job, which the writer
  polls (``GET /jobs/{id}``) while it goes on PUTting; a PUT of a guide whose job is still queued
  joins that job. ``--sync-puts``: plain PUTs, each answered when committed, the next sent
  ``--put-every`` seconds after the last one returned (the behaviour before jobs).

Counted: 5xx, other non-2xx, transport errors (timeouts, resets) on reads; every
answer's citations are checked against the texts of the known versions: all the
citations of one document in one answer must match one version of it
(``text[start:end] == quote``), and every text served must be one known version
whose ``ETag`` is its sha256. Printed: requests/s, p50/p95/p99 per endpoint, PUT latency (the
time to ``202``: accept latency), and each job's completion time (server-side, created ->
finished) and run time (started -> finished). After the readers stop, the writer waits up to
``--drain`` seconds for the jobs still open.

Usage::

    .venv/bin/python bench/load.py                 # 120 s, 16 clients
    .venv/bin/python bench/load.py --seconds 600   # 10 minutes
    .venv/bin/python bench/load.py --seconds 20 --clients 4 --json out.json
    .venv/bin/python bench/load.py --seconds 60 --sync-puts    # PUTs answered when committed

:class:`LiveServer` (a real ``careerkg serve`` in a subprocess) is reused by the
robustness tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def careerkg_command() -> list[str]:
    exe = Path(sys.executable).with_name("careerkg")
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "import sys; from careerkg.api.cli import app; sys.argv[0] = 'careerkg'; app()"]


class LiveServer:
    """``careerkg serve`` on 127.0.0.1 in a subprocess (its log goes to ``log``).

    Args:
        data_dir: the data dir it serves.
        env: extra ``CAREERKG_*`` settings (e.g. ``{"API_KEY": "k", "SPARQL_TIMEOUT": "2"}``).
        log: where the server's stdout/stderr go (default: beside the data dir).
    """

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None, log: Path | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "CAREERKG_DATA_DIR": str(self.data_dir), "CAREERKG_LOG_LEVEL": "warning",
                    **{f"CAREERKG_{k}": str(v) for k, v in (env or {}).items()}}
        self.log = log or self.data_dir.parent / f"server-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 240.0) -> "LiveServer":
        self._fh = open(self.log, "wb")
        self.proc = subprocess.Popen([*careerkg_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                     env=self.env, stdout=self._fh, stderr=subprocess.STDOUT, cwd=str(ROOT))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"careerkg serve exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"careerkg serve did not answer /health within {timeout:.0f} s:\n{self.tail()}")

    def tail(self, n: int = 4000) -> str:
        try:
            return self.log.read_text("utf-8", errors="replace")[-n:]
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._fh.close()

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def ingest_cli(data_dir: Path, paths: list[Path]) -> None:
    env = {**os.environ, "CAREERKG_DATA_DIR": str(data_dir)}
    proc = subprocess.run([*careerkg_command(), "ingest", *map(str, paths)], env=env, capture_output=True, text=True,
                          cwd=str(ROOT))
    if proc.returncode:
        raise RuntimeError(f"careerkg ingest failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")


# ---------------------------------------------------------------------------------- versions

_MONEY = re.compile(r"£(\d{2,3}),000")


def variant(text: str, k: int) -> str:
    """Version ``k`` of a guide: its first £NN,000 figure raised by k thousand, plus an edition line."""
    if k == 0:
        return text
    text = _MONEY.sub(lambda m: f"£{int(m.group(1)) + k},000", text, count=1)
    return text.rstrip("\n") + f"\nEdition {k}: figures reviewed for this edition.\n"


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p * (len(v) - 1))))] if v else float("nan")


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.lat: dict[str, list[float]] = defaultdict(list)
        self.status: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.transport: dict[str, int] = defaultdict(int)
        self.inconsistent: list[str] = []
        self.unknown_text: list[str] = []
        self.citations_checked = 0
        self.abstained = 0

    def record(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.lat[kind].append(seconds * 1000)
            self.status[kind][status] += 1


class LoadTest:
    def __init__(self, url: str, *, api_key: str, mutate: dict[str, list[str]], stable: dict[str, str],
                 questions: list[str], queries: list[str], seconds: float, clients: int, put_every: float,
                 sync_puts: bool = False, drain: float = 180.0) -> None:
        self.url, self.api_key = url, api_key
        self.sync_puts, self.drain = sync_puts, drain
        self.jobs: dict[str, dict] = {}  # job_id -> {"doc", "sent", "puts", then the finished job}
        self.jobs_lock = threading.Lock()
        self.writer_done = threading.Event()
        self.mutate = mutate  # doc_id -> texts of every version (index = version k)
        self.texts = {d: {hashlib.sha256(t.encode()).hexdigest(): t for t in ts} for d, ts in mutate.items()}
        for d, t in stable.items():
            self.texts[d] = {hashlib.sha256(t.encode()).hexdigest(): t}
        self.questions, self.queries = questions, queries
        self.seconds, self.clients, self.put_every = seconds, clients, put_every
        self.stats = Stats()
        self.stop = threading.Event()
        self.puts: list[tuple[int, float, str]] = []

    def check_answer(self, body: dict) -> None:
        by_doc: dict[str, list[dict]] = defaultdict(list)
        for c in body.get("citations", []):
            by_doc[c["doc_id"]].append(c)
        for doc_id, cites in by_doc.items():
            versions = self.texts.get(doc_id)
            if versions is None:
                continue
            ok = [sha for sha, t in versions.items() if all(t[c["start"]:c["end"]] == c["quote"] for c in cites)]
            with self.stats.lock:
                self.stats.citations_checked += len(cites)
                if not ok:
                    self.stats.inconsistent.append(f"{doc_id}: {[(c['start'], c['end'], c['quote'][:60]) for c in cites]}")

    def client(self, i: int) -> None:
        rng = random.Random(i)
        mutated = sorted(self.mutate)
        with httpx.Client(base_url=self.url, timeout=60) as http:
            while not self.stop.is_set():
                r = rng.random()
                t = time.perf_counter()
                try:
                    if r < 0.8:
                        kind = "ask"
                        resp = http.post("/ask", json={"question": rng.choice(self.questions)})
                        if resp.status_code == 200:
                            body = resp.json()
                            self.check_answer(body)
                            if body.get("abstained"):
                                with self.stats.lock:
                                    self.stats.abstained += 1
                    elif r < 0.9:
                        kind = "text"
                        d = rng.choice(mutated)
                        resp = http.get(f"/documents/{d}/text")
                        if resp.status_code == 200:
                            sha = hashlib.sha256(resp.text.encode()).hexdigest()
                            if sha not in self.texts[d] or resp.headers.get("etag", "").strip('"') != sha:
                                with self.stats.lock:
                                    self.stats.unknown_text.append(f"{d}: {sha[:8]} etag {resp.headers.get('etag')}")
                    else:
                        kind = "sparql"
                        resp = http.post("/sparql", content=rng.choice(self.queries),
                                         headers={"Content-Type": "application/sparql-query",
                                                  "Accept": "application/sparql-results+json"})
                except httpx.HTTPError as exc:
                    with self.stats.lock:
                        self.stats.transport[type(exc).__name__] += 1
                    continue
                self.stats.record(kind, resp.status_code, time.perf_counter() - t)

    def writer(self) -> None:
        docs = sorted(self.mutate)
        k = 0
        headers = {"Content-Type": "text/plain", "Authorization": f"Bearer {self.api_key}"}
        if not self.sync_puts:
            headers["Prefer"] = "respond-async"
        try:
            with httpx.Client(base_url=self.url, timeout=120) as http:
                while not self.stop.wait(self.put_every):
                    d = docs[k % len(docs)]
                    versions = self.mutate[d]
                    text = versions[1 + (k // len(docs)) % (len(versions) - 1)]
                    t = time.perf_counter()
                    try:
                        resp = http.put(f"/documents/{d}", content=text.encode(), headers=headers)
                        self.puts.append((resp.status_code, time.perf_counter() - t, d))
                        if resp.status_code == 202:
                            job = resp.json()
                            with self.jobs_lock:
                                entry = self.jobs.setdefault(job["job_id"], {"doc": d, "sent": t, "puts": 0})
                                entry["puts"] += 1
                    except httpx.HTTPError as exc:
                        self.puts.append((-1, time.perf_counter() - t, f"{d}: {type(exc).__name__}"))
                    k += 1
        finally:
            self.writer_done.set()

    def poller(self) -> None:
        """Follows every job the writer was given until it is done or failed (``--drain`` s after the run)."""
        auth = {"Authorization": f"Bearer {self.api_key}"}
        deadline = None
        with httpx.Client(base_url=self.url, timeout=60) as http:
            while True:
                with self.jobs_lock:
                    open_ = [j for j, e in self.jobs.items() if "status" not in e]
                if self.writer_done.is_set():
                    deadline = deadline or time.monotonic() + self.drain
                    if not open_ or time.monotonic() > deadline:
                        return
                for jid in open_:
                    try:
                        job = http.get(f"/jobs/{jid}", headers=auth).json()
                    except (httpx.HTTPError, ValueError):
                        continue
                    if job.get("status") in ("done", "failed"):
                        with self.jobs_lock:
                            self.jobs[jid].update(job, seen=time.perf_counter())
                time.sleep(0.25)

    @staticmethod
    def _span(job: dict, a: str, b: str) -> float:
        return (datetime.fromisoformat(job[b]) - datetime.fromisoformat(job[a])).total_seconds()

    def put_report(self) -> dict:
        accepted = 202 if not self.sync_puts else None
        ok = [x[1] * 1000 for x in self.puts if x[0] in (200, 201, 202)]
        out = {"mode": "sync" if self.sync_puts else "async (Prefer: respond-async)", "count": len(self.puts),
               "ok": len(ok), "failed": [x for x in self.puts if x[0] not in (200, 201, 202)][:5],
               "p50_ms": round(statistics.median(ok), 1) if ok else None,
               "p95_ms": round(pct(ok, 0.95), 1) if ok else None,
               "max_ms": round(max(ok), 1) if ok else None}
        if accepted is None:
            return out
        with self.jobs_lock:
            jobs = list(self.jobs.values())
        done = [j for j in jobs if j.get("status") == "done"]
        complete = [self._span(j, "created", "finished") for j in done]
        run = [self._span(j, "started", "finished") for j in done]
        wait = [self._span(j, "created", "started") for j in done]
        out["jobs"] = {"count": len(jobs), "done": len(done),
                       "failed": sum(1 for j in jobs if j.get("status") == "failed"),
                       "failed_examples": [j.get("error") for j in jobs if j.get("status") == "failed"][:3],
                       "unfinished": sum(1 for j in jobs if "status" not in j),
                       "puts_joined_a_queued_job": sum(j["puts"] - 1 for j in jobs),
                       "complete_p50_s": round(statistics.median(complete), 2) if complete else None,
                       "complete_max_s": round(max(complete), 2) if complete else None,
                       "run_p50_s": round(statistics.median(run), 2) if run else None,
                       "run_max_s": round(max(run), 2) if run else None,
                       "queued_p50_s": round(statistics.median(wait), 2) if wait else None,
                       "each": [{"doc": j["doc"], "puts": j["puts"], "status": j.get("status"),
                                 "queued_s": round(self._span(j, "created", "started"), 2),
                                 "run_s": round(self._span(j, "started", "finished"), 2)}
                                for j in jobs if j.get("status") in ("done", "failed")]}
        return out

    def run(self) -> dict:
        threads = [threading.Thread(target=self.client, args=(i,), daemon=True) for i in range(self.clients)]
        threads.append(threading.Thread(target=self.writer, daemon=True))
        if not self.sync_puts:
            threads.append(threading.Thread(target=self.poller, daemon=True))
        t0 = time.perf_counter()
        for th in threads:
            th.start()
        time.sleep(self.seconds)
        self.stop.set()
        for th in threads[:self.clients]:
            th.join(timeout=180)
        wall = time.perf_counter() - t0
        for th in threads[self.clients:]:  # the writer, and the jobs still open (up to --drain s)
            th.join(timeout=self.drain + 180)
        s = self.stats
        out: dict = {"seconds": round(wall, 1), "clients": self.clients, "endpoints": {}}
        total = 0
        for kind, lat in sorted(s.lat.items()):
            total += len(lat)
            out["endpoints"][kind] = {"requests": len(lat), "per_s": round(len(lat) / wall, 2),
                                      "p50_ms": round(statistics.median(lat), 1), "p95_ms": round(pct(lat, 0.95), 1),
                                      "p99_ms": round(pct(lat, 0.99), 1), "max_ms": round(max(lat), 1),
                                      "status": dict(sorted(s.status[kind].items()))}
        out["requests_per_s"] = round(total / wall, 2)
        out["status_5xx"] = sum(n for st in s.status.values() for code, n in st.items() if code >= 500)
        out["status_other_non_2xx"] = sum(n for st in s.status.values() for code, n in st.items()
                                          if 300 <= code < 500)
        out["transport_errors"] = dict(s.transport)
        out["citations_checked"] = s.citations_checked
        out["inconsistent_answers"] = len(s.inconsistent)
        out["inconsistent_examples"] = s.inconsistent[:5]
        out["unknown_texts"] = len(s.unknown_text)
        out["unknown_text_examples"] = s.unknown_text[:5]
        out["abstained"] = s.abstained
        out["puts"] = self.put_report()
        return out


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (the server's SPARQL and ingest worker processes)."""
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                ppid = int(Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += kids.get(p, [])
    return out


def resources(pid: int) -> tuple[float, int]:
    """(RSS in MiB, open file descriptors) of a process and its descendants, from /proc."""
    rss, fds = 0.0, 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1]) / 1024
            fds += len(os.listdir(f"/proc/{p}/fd"))
        except OSError:
            continue
    return rss, fds


class Sampler(threading.Thread):
    """Samples the server's RSS and file descriptors every ``every`` seconds while the load runs."""

    def __init__(self, pid: int, every: float = 5.0) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.samples, self.stop = pid, every, [], threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.every):
            self.samples.append(resources(self.pid))

    def report(self) -> dict:
        if len(self.samples) < 4:
            return {}
        rss, fds = [x[0] for x in self.samples], [x[1] for x in self.samples]
        k = max(1, len(rss) // 10)  # first and last tenth of the run (warm-up excluded from the base)
        base, end = statistics.median(rss[k:2 * k]), statistics.median(rss[-k:])
        return {"rss_mib_first": round(base, 1), "rss_mib_last": round(end, 1), "rss_mib_max": round(max(rss), 1),
                "rss_growth_pct": round(100 * (end - base) / base, 1), "fds_first": fds[k], "fds_last": fds[-1],
                "fds_max": max(fds), "samples": len(rss)}


def questions() -> list[str]:
    from careerkg.qa.evaluate import load_cases

    qs = [c.question for c in load_cases(ROOT / "tests" / "data" / "dev_qa.jsonl")]
    qs += ["What does a senior MLE earn in London?", "What is the day rate for ML contractors?",
           "Which companies hire ML engineers in Cambridge?", "What skills do ML engineers need?",
           "How long does it take to move from data science into ML engineering?"]
    return qs


def research_queries() -> list[str]:
    try:
        from bench.queries import QUERIES
        return list(QUERIES.values())
    except ImportError:
        from bench.scale import FALLBACK_QUERIES
        return list(FALLBACK_QUERIES.values())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--put-every", type=float, default=3.0, help="seconds between PUTs of a changed guide")
    ap.add_argument("--mutate", type=int, default=3, help="how many seed guides are re-ingested in turn")
    ap.add_argument("--guides", type=int, default=0, help="generated guides ingested besides the seeds")
    ap.add_argument("--sync-puts", action="store_true", help="plain PUTs answered when committed (no jobs)")
    ap.add_argument("--drain", type=float, default=180, help="seconds to wait for open jobs after the run")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    from careerkg.ingest.load import load_path

    tmp = tempfile.TemporaryDirectory(prefix="ckg-load-")
    base = Path(tmp.name)
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    paths: list[Path] = list(seeds)
    if a.guides:
        from bench.corpus import generate_corpus, write_corpus

        gdir, _ = write_corpus(generate_corpus(a.guides, 7), base / "corpus")
        paths.append(gdir)
    t = time.perf_counter()
    ingest_cli(base / "data", paths)
    print(f"ingested {len(seeds)} seeds + {a.guides} generated guides in {time.perf_counter() - t:.0f} s", flush=True)
    mutate = {}
    for p in seeds[:a.mutate]:
        text = load_path(p).text
        mutate[p.stem] = [variant(text, k) for k in range(4)]
    stable = {p.stem: load_path(p).text for p in seeds[a.mutate:]}
    key = "load-test-key"
    with LiveServer(base / "data", env={"API_KEY": key}) as server:
        print(f"serving at {server.url}; {a.clients} clients for {a.seconds:.0f} s, a PUT every {a.put_every} s",
              flush=True)
        lt = LoadTest(server.url, api_key=key, mutate=mutate, stable=stable, questions=questions(),
                      queries=research_queries(), seconds=a.seconds, clients=a.clients, put_every=a.put_every,
                      sync_puts=a.sync_puts, drain=a.drain)
        sampler = Sampler(server.proc.pid)
        sampler.start()
        out = lt.run()
        sampler.stop.set()
        out["resources"] = sampler.report()
        health = httpx.get(server.url + "/health", timeout=10)
        out["alive_after"] = server.alive() and health.status_code == 200
        docs = httpx.get(server.url + "/documents", timeout=10).json()["documents"]
        shas = {d["doc_id"]: d["sha256"] for d in docs}
        out["final_versions_known"] = all(shas.get(d) in lt.texts[d] for d in mutate)
    print(json.dumps(out, indent=1))
    e = out["endpoints"].get("ask", {})
    print(f"\nask: {e.get('per_s')} req/s, p50 {e.get('p50_ms')} ms, p95 {e.get('p95_ms')} ms, p99 {e.get('p99_ms')} ms; "
          f"all requests {out['requests_per_s']} req/s; 5xx {out['status_5xx']}, other non-2xx "
          f"{out['status_other_non_2xx']}, transport errors {sum(out['transport_errors'].values())}; "
          f"inconsistent answers {out['inconsistent_answers']} of {out['citations_checked']} citations checked; "
          f"unknown texts {out['unknown_texts']}")
    p = out["puts"]
    print(f"PUTs ({p['mode']}): {p['ok']}/{p['count']} ok, answered in p50 {p['p50_ms']} / p95 {p['p95_ms']} / max "
          f"{p['max_ms']} ms")
    j = p.get("jobs")
    if j:
        print(f"jobs: {j['count']} ({j['puts_joined_a_queued_job']} PUTs joined a queued job), {j['done']} done, "
              f"{j['failed']} failed, {j['unfinished']} unfinished; created -> finished p50 {j['complete_p50_s']} s, "
              f"max {j['complete_max_s']} s; running p50 {j['run_p50_s']} s, max {j['run_max_s']} s; "
              f"queued p50 {j['queued_p50_s']} s")
    r = out.get("resources") or {}
    if r:
        print(f"server RSS {r['rss_mib_first']} -> {r['rss_mib_last']} MiB ({r['rss_growth_pct']:+.1f} %, max "
              f"{r['rss_mib_max']}); file descriptors {r['fds_first']} -> {r['fds_last']} (max {r['fds_max']})")
    if a.json:
        a.json.write_text(json.dumps(out, indent=1))
    bad = out["status_5xx"] or out["transport_errors"] or out["inconsistent_answers"] or out["unknown_texts"] \
        or not out["alive_after"] or not out["final_versions_known"] or (j or {}).get("failed")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
