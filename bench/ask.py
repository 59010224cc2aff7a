"""Warm in-process latency of ``ask`` over the dev questions, with the split by stage.

Usage: .venv/bin/python bench/ask.py [--rounds 5] [--data-dir DIR]
(without --data-dir the seeds are ingested into a temporary directory first)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from careerkg.settings import Settings, apply_offline_env  # noqa: E402

apply_offline_env()


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p * (len(v) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--questions", type=Path, default=ROOT / "tests" / "data" / "dev_qa.jsonl")
    args = ap.parse_args()
    from careerkg.api.runtime import Runtime
    from careerkg.qa.evaluate import load_cases

    tmp = None
    if args.data_dir is None:
        tmp = tempfile.TemporaryDirectory()
        args.data_dir = Path(tmp.name) / "data"
    rt = Runtime(Settings(data_dir=args.data_dir))
    if not rt.pipeline.manifest.docs:
        for p in sorted((ROOT / "seeds").glob("*.txt")):
            rt.pipeline.ingest_path(p)
    cases = load_cases(args.questions)
    qa = rt.qa
    for c in cases:  # warm-up: model, BM25 index, spaCy, caches
        qa.ask(c.question)
    total: list[float] = []
    stages: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for c in cases:
            t = time.perf_counter()
            a = qa.ask(c.question)
            total.append((time.perf_counter() - t) * 1000)
            for k, v in a.timings_ms.items():
                stages.setdefault(k, []).append(v)
    print(f"ask, warm, in-process: {len(total)} calls ({len(cases)} questions x {args.rounds} rounds)")
    print(f"  p50 {statistics.median(total):.1f} ms   p95 {pct(total, 0.95):.1f} ms   "
          f"(targets 30 / 100 ms: p50 ratio {statistics.median(total) / 30:.2f}, p95 ratio {pct(total, 0.95) / 100:.2f})")
    whole = sum(statistics.mean(v) for v in stages.values())
    for k, v in stages.items():
        print(f"  {k:<10} mean {statistics.mean(v):6.1f} ms  p95 {pct(v, 0.95):6.1f} ms  "
              f"share {statistics.mean(v) / whole:5.1%}")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
