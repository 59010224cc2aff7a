"""HTTP benchmark (not `bench/http.py`: that name would shadow the standard library's `http`): ``careerkg serve`` under load, and ``/sparql`` against the same queries in-process.

1. ingests the seeds into a temporary data dir (or uses ``--data-dir``);
2. opens a read-only checkpoint of the store in this process, to run the researcher
   queries (``bench/scale.py``'s set) *in-process*, serialised as SPARQL JSON like the
   endpoint does;
3. starts ``careerkg serve`` on a free 127.0.0.1 port (a separate process, as in
   production) and measures
   - ``POST /ask`` over the dev questions at 1 and 16 concurrent connections:
     p50 / p95 latency and requests/s;
   - ``GET /sparql`` for each researcher query, interleaved with the same query
     in-process: p50 / p95, the added milliseconds and the ratio of the HTTP p50 to
     the in-process p50 (target <= 1.5; queries of a millisecond or less cannot meet
     it, the HTTP round trip alone is ~2 ms: the floor is printed);
4. stops the server.

Usage::

    .venv/bin/python bench/http_api.py                      # ~1-2 minutes on 2 cores
    .venv/bin/python bench/http_api.py --requests 400 --rounds 30
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from careerkg.settings import Settings, apply_offline_env  # noqa: E402

apply_offline_env()

import httpx  # noqa: E402

from bench.scale import researcher_queries  # noqa: E402

JSON_RESULTS = "application/sparql-results+json"


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p * (len(v) - 1))))] if v else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CAREERKG = str(Path(sys.executable).with_name("careerkg"))


def ingest(data_dir: Path) -> None:
    """``careerkg ingest seeds`` in a child process (which then lets go of the stores)."""
    t0 = time.perf_counter()
    subprocess.run([CAREERKG, "ingest", str(ROOT / "seeds")], env=dict(os.environ, CAREERKG_DATA_DIR=str(data_dir)),
                   check=True, stdout=subprocess.DEVNULL)
    print(f"ingested the seeds in {time.perf_counter() - t0:.1f} s")


def local_store(data_dir: Path, into: Path):
    """A read-only checkpoint of the store, opened in this process (beside the server, as the workers do)."""
    from careerkg.graph.store import OxigraphStore

    store = OxigraphStore(Settings(data_dir=data_dir).graph_dir)
    store.backup(into)
    del store
    gc.collect()
    return OxigraphStore(into, read_only=True)


def start_server(data_dir: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, CAREERKG_DATA_DIR=str(data_dir), CAREERKG_LOG_LEVEL="warning")
    proc = subprocess.Popen([CAREERKG, "serve", "--port", str(port), "--log-level", "warning"], env=env, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("careerkg serve exited during start-up")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    proc.kill()
    raise SystemExit("careerkg serve did not start within 120 s")


async def load(base: str, questions: list[str], concurrency: int, total: int) -> tuple[list[float], float]:
    """``total`` POST /ask requests over ``concurrency`` connections; latencies (ms) and wall time (s)."""
    latencies: list[float] = []
    counter = iter(range(total))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        async def worker() -> None:
            for i in counter:
                q = questions[i % len(questions)]
                t0 = time.perf_counter()
                r = await client.post("/ask", json={"question": q})
                latencies.append((time.perf_counter() - t0) * 1000)
                if r.status_code != 200:
                    raise SystemExit(f"/ask answered {r.status_code}: {r.text[:200]}")

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return latencies, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, help="an ingested data dir (default: seeds into a temp dir)")
    ap.add_argument("--requests", type=int, default=160, help="/ask requests per concurrency level")
    ap.add_argument("--rounds", type=int, default=20, help="runs of each SPARQL query")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    tmp = None
    data_dir = args.data_dir
    if data_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="careerkg-bench-http-")
        data_dir = Path(tmp.name) / "data"
        ingest(data_dir)
    from careerkg.graph.sparql import run_query

    queries = researcher_queries()
    scratch = tempfile.TemporaryDirectory(prefix="careerkg-bench-local-")
    local = local_store(data_dir, Path(scratch.name) / "oxigraph")
    questions = [json.loads(line)["question"] for line in (ROOT / "tests/data/dev_qa.jsonl").open()]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(data_dir, port)
    report: dict = {"ask": {}, "sparql": {}}
    try:
        with httpx.Client(base_url=base, timeout=60) as http:
            for q in questions[:5]:  # warm up
                http.post("/ask", json={"question": q})
            print(f"\nPOST /ask over {len(questions)} dev questions ({args.requests} requests per level)")
            print(f"{'connections':>11} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7}")
            for conc in (1, 16):
                lat, wall = asyncio.run(load(base, questions, conc, args.requests))
                row = {"p50_ms": pct(lat, 0.5), "p95_ms": pct(lat, 0.95), "rps": len(lat) / wall}
                report["ask"][conc] = row
                print(f"{conc:>11} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['rps']:>7.1f}")
            print(f"\nGET /sparql vs the same query in-process ({args.rounds} interleaved runs each, SPARQL JSON)")
            print(f"{'query':<24} {'rows':>5} {'local p50':>10} {'http p50':>9} {'http p95':>9} {'+ms':>6} "
                  f"{'ratio':>6}")
            floor = []
            for _ in range(args.rounds):
                t0 = time.perf_counter()
                http.get("/sparql", params={"query": "ASK {}"}).raise_for_status()
                floor.append((time.perf_counter() - t0) * 1000)
            for name, q in queries.items():
                r = http.get("/sparql", params={"query": q}, headers={"Accept": JSON_RESULTS})
                r.raise_for_status()
                rows = len(r.json()["results"]["bindings"])
                run_query(local, q, JSON_RESULTS, row_limit=10000)
                times, ltimes = [], []
                for _ in range(args.rounds):  # interleaved, so machine noise hits both sides alike
                    t0 = time.perf_counter()
                    run_query(local, q, JSON_RESULTS, row_limit=10000)
                    ltimes.append((time.perf_counter() - t0) * 1000)
                    t0 = time.perf_counter()
                    http.get("/sparql", params={"query": q}, headers={"Accept": JSON_RESULTS}).raise_for_status()
                    times.append((time.perf_counter() - t0) * 1000)
                lp50, hp50 = statistics.median(ltimes), statistics.median(times)
                row = {"rows": rows, "local_p50_ms": lp50, "http_p50_ms": hp50, "http_p95_ms": pct(times, 0.95),
                       "overhead_ms": hp50 - lp50, "ratio": hp50 / lp50 if lp50 else float("nan")}
                report["sparql"][name] = row
                print(f"{name:<24} {rows:>5} {lp50:>10.2f} {hp50:>9.2f} {row['http_p95_ms']:>9.2f} "
                      f"{row['overhead_ms']:>6.2f} {row['ratio']:>6.2f}")
            report["sparql_floor_ms"] = statistics.median(floor)
            print(f"(HTTP floor: 'ASK {{}}' through the endpoint, p50 {statistics.median(floor):.2f} ms)")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        del local
        scratch.cleanup()
        if tmp is not None:
            tmp.cleanup()
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
