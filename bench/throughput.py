"""Serving many at once (issue 13): ``/ask`` throughput against trivial endpoints of the same server, CPU per
answer, and ``/ask`` latency with and without guide writes -- all in one run, on one ``careerkg serve``.

The seeds are ingested into a temporary data dir (``careerkg ingest``), then one server runs on 127.0.0.1
and, one phase after another, ``--seconds`` each (asyncio clients, one connection per client):

1. ``GET /health`` and ``GET /documents/{id}`` at ``--clients`` (the trivial endpoints);
2. ``POST /ask`` with 1 client, then with ``--clients``: req/s, p50/p95/p99, the server process's CPU time
   per answer (user + system, from ``psutil``);
3. ``POST /ask`` at ``--clients`` while a writer ``PUT``s a changed version of a seed every ``--put-every``
   seconds: p95 against phase 2's, and every answer's citations checked against the known versions.

Questions: the development set and the rephrasings (97 distinct questions, in a shuffled cycle), so after
the first pass they repeat and are answered from the answer cache until a write changes a guide;
``--no-answer-cache`` starts the server with ``CAREERKG_ANSWER_CACHE=0`` (every answer worked out, question
vectors still cached), ``--no-cache`` with both caches off, to measure the cost of questions never seen before.

Usage::

    .venv/bin/python bench/throughput.py                 # 20 s per phase, 16 clients
    .venv/bin/python bench/throughput.py --no-cache --json out.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load import LiveServer, LoadTest, ingest_cli, pct, variant  # noqa: E402


def question_mix() -> list[str]:
    qs = []
    for f in ("dev_qa.jsonl", "rephrasings.jsonl"):
        for line in (ROOT / "tests" / "data" / f).read_text("utf-8").splitlines():
            if line.strip():
                qs.append(json.loads(line)["question"])
    qs = list(dict.fromkeys(qs))
    random.Random(13).shuffle(qs)
    return qs


def server_cpu(pid: int) -> float:
    import psutil

    t = psutil.Process(pid).cpu_times()
    return t.user + t.system


async def hammer(url: str, clients: int, seconds: float, request, check=None) -> dict:
    """``clients`` connections each looping ``request(http, i)`` for ``seconds``; latency and status counts."""
    lat: list[float] = []
    status: dict[int, int] = {}
    errors: dict[str, int] = {}
    stop = time.perf_counter() + seconds

    async def one(i: int) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=httpx.Limits(max_connections=1)) as http:
            n = 0
            while time.perf_counter() < stop:
                t = time.perf_counter()
                try:
                    resp = await request(http, i * 1000 + n)
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    continue
                lat.append((time.perf_counter() - t) * 1000)
                status[resp.status_code] = status.get(resp.status_code, 0) + 1
                if check and resp.status_code == 200:
                    check(resp.json())
                n += 1

    t0 = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(clients)))
    wall = time.perf_counter() - t0
    return {"clients": clients, "seconds": round(wall, 1), "requests": len(lat), "per_s": round(len(lat) / wall, 1),
            "p50_ms": round(statistics.median(lat), 1) if lat else None, "p95_ms": round(pct(lat, 0.95), 1),
            "p99_ms": round(pct(lat, 0.99), 1), "status": dict(sorted(status.items())), "transport_errors": errors}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=20, help="seconds per phase")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--put-every", type=float, default=3.0)
    ap.add_argument("--mutate", type=int, default=3, help="seed guides re-ingested in turn in the write phase")
    ap.add_argument("--no-cache", action="store_true", help="server without the question-vector and answer caches")
    ap.add_argument("--no-answer-cache", action="store_true", help="server without the answer cache")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    from careerkg.ingest.load import load_path

    tmp = tempfile.TemporaryDirectory(prefix="ckg-tput-")
    base = Path(tmp.name)
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    ingest_cli(base / "data", seeds)
    mutate = {p.stem: [variant(load_path(p).text, k) for k in range(4)] for p in seeds[:a.mutate]}
    stable = {p.stem: load_path(p).text for p in seeds[a.mutate:]}
    qs = question_mix()
    key = "throughput-key"
    env = {"API_KEY": key, **({"QUESTION_CACHE": "0"} if a.no_cache else {}),
           **({"ANSWER_CACHE": "0"} if a.no_cache or a.no_answer_cache else {})}
    out: dict = {"clients": a.clients, "seconds_per_phase": a.seconds, "question_cache": not a.no_cache,
                 "answer_cache": not (a.no_cache or a.no_answer_cache),
                 "questions": len(qs)}
    with LiveServer(base / "data", env=env) as server:
        pid = server.proc.pid
        checker = LoadTest(server.url, api_key=key, mutate=mutate, stable=stable, questions=qs, queries=[],
                           seconds=0, clients=0, put_every=a.put_every)

        def ask(http, n):
            return http.post("/ask", json={"question": qs[n % len(qs)]})

        def run(clients, request, check=None, seconds=a.seconds):
            c0, t0 = server_cpu(pid), time.perf_counter()
            r = asyncio.run(hammer(server.url, clients, seconds, request, check))
            r["server_cpu_s"] = round(server_cpu(pid) - c0, 2)
            r["server_cpu_cores"] = round(r["server_cpu_s"] / (time.perf_counter() - t0), 2)
            if r["requests"]:
                r["cpu_ms_per_request"] = round(1000 * r["server_cpu_s"] / r["requests"], 1)
            return r

        run(4, ask, seconds=min(a.seconds, 10))  # warm-up: every question once or more, caches, lazy imports
        doc = seeds[-1].stem
        out["health"] = run(a.clients, lambda http, n: http.get("/health"))
        out["document"] = run(a.clients, lambda http, n: http.get(f"/documents/{doc}"))
        out["ask_1"] = run(1, ask, checker.check_answer)
        out["ask"] = run(a.clients, ask, checker.check_answer)
        puts: list[tuple[int, float]] = []
        stop = time.perf_counter() + a.seconds

        async def writer() -> None:
            docs = sorted(mutate)
            k = 0
            async with httpx.AsyncClient(base_url=server.url, timeout=120) as http:
                while time.perf_counter() + a.put_every < stop:
                    await asyncio.sleep(a.put_every)
                    d = docs[k % len(docs)]
                    text = mutate[d][1 + (k // len(docs)) % 3]
                    t = time.perf_counter()
                    resp = await http.put(f"/documents/{d}", content=text.encode(), headers={
                        "Content-Type": "text/plain", "Authorization": f"Bearer {key}"})
                    puts.append((resp.status_code, (time.perf_counter() - t) * 1000))
                    k += 1

        async def with_writes():
            w = asyncio.create_task(writer())
            r = await hammer(server.url, a.clients, a.seconds, ask, checker.check_answer)
            await w
            return r

        c0, t0 = server_cpu(pid), time.perf_counter()
        r = asyncio.run(with_writes())
        r["server_cpu_s"] = round(server_cpu(pid) - c0, 2)
        r["server_cpu_cores"] = round(r["server_cpu_s"] / (time.perf_counter() - t0), 2)
        ok = [ms for st, ms in puts if st in (200, 201)]
        r["puts"] = {"count": len(puts), "ok": len(ok), "p50_ms": round(statistics.median(ok), 1) if ok else None,
                     "max_ms": round(max(ok), 1) if ok else None}
        out["ask_with_writes"] = r
        out["citations_checked"] = checker.stats.citations_checked
        out["inconsistent_answers"] = len(checker.stats.inconsistent)
        out["alive_after"] = server.alive()
    ask16, h = out["ask"], out["health"]
    out["ratios"] = {
        "ask_to_health": round(ask16["per_s"] / h["per_s"], 4) if h["per_s"] else None,
        "ask_to_document": round(ask16["per_s"] / out["document"]["per_s"], 4) if out["document"]["per_s"] else None,
        "ask_16_to_1": round(ask16["per_s"] / out["ask_1"]["per_s"], 2) if out["ask_1"]["per_s"] else None,
        "p95_with_writes_to_without": round(r["p95_ms"] / ask16["p95_ms"], 2) if ask16["p95_ms"] else None,
        "p99_with_writes_to_without": round(r["p99_ms"] / ask16["p99_ms"], 2) if ask16["p99_ms"] else None,
    }
    print(json.dumps(out, indent=1))
    rt = out["ratios"]
    print(f"\n/health {h['per_s']} req/s, /documents/{{id}} {out['document']['per_s']} req/s; "
          f"/ask 1 client {out['ask_1']['per_s']} req/s (p50 {out['ask_1']['p50_ms']} ms), "
          f"{a.clients} clients {ask16['per_s']} req/s (p50 {ask16['p50_ms']}, p95 {ask16['p95_ms']}, "
          f"p99 {ask16['p99_ms']} ms), ratio to /health {rt['ask_to_health']}, to /documents/{{id}} "
          f"{rt['ask_to_document']}; CPU {ask16.get('cpu_ms_per_request')} ms per answer "
          f"({ask16['server_cpu_cores']} cores busy)\nwith a PUT every {a.put_every} s: {r['per_s']} req/s, "
          f"p50 {r['p50_ms']}, p95 {r['p95_ms']}, p99 {r['p99_ms']} ms; p95 ratio {rt['p95_with_writes_to_without']}"
          f" (target <= 3), p99 ratio {rt['p99_with_writes_to_without']}; PUTs {r['puts']['ok']}/"
          f"{r['puts']['count']} ok, p50 {r['puts']['p50_ms']} ms; inconsistent answers {out['inconsistent_answers']}"
          f" of {out['citations_checked']} citations checked")
    if a.json:
        a.json.write_text(json.dumps(out, indent=1))
    errors = sum(sum(v.get("transport_errors", {}).values()) + sum(n for s, n in v.get("status", {}).items()
                                                                      if s >= 500)
                 for v in out.values() if isinstance(v, dict))
    return 1 if errors or out["inconsistent_answers"] or not out["alive_after"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
