"""Answer quality on text nobody tuned on: prints pass rate, abstention precision/recall, unmet accuracy and
per-type figures for the development set, the rephrasings of seed questions and the real guides' questions.

    .venv/bin/python bench/answers.py            # ingests seeds + tests/data/realworld into a temp dir

The seeds-only sets (dev, rephrasings) run over the five seeds; the real-guide questions over seeds + real guides.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from careerkg.settings import Settings, apply_offline_env  # noqa: E402

apply_offline_env()

from careerkg.api.runtime import Runtime  # noqa: E402
from careerkg.qa.evaluate import load_cases, run_eval  # noqa: E402

KEYS = ("questions", "passed", "pass_rate", "citation_integrity", "abstention_precision", "abstention_recall",
        "false_abstentions", "unmet_accuracy", "latency_p50_ms", "latency_p95_ms")


def report(name: str, rt: Runtime, files: list[Path]) -> None:
    cases = [c for f in files for c in load_cases(f)]
    results, totals = run_eval(rt.qa, cases, rt.pipeline.text)
    print(f"\n== {name}")
    print("  " + "  ".join(f"{k}={totals[k]}" for k in KEYS))
    print("  per type: " + ", ".join(f"{t} {v}" for t, v in totals["per_type"].items()))
    if "-v" in sys.argv:
        for r in results:
            if not r.passed:
                print(f"  FAIL {r.case.question} -- {'; '.join(r.reasons)}")


def main() -> None:
    data = ROOT / "tests" / "data"
    real = data / "realworld"
    if "--real" in sys.argv:  # another directory of guides and question files (e.g. a subset)
        real = Path(sys.argv[sys.argv.index("--real") + 1])
    with tempfile.TemporaryDirectory() as tmp:
        rt = Runtime(Settings(data_dir=Path(tmp) / "seeds"))
        rt.pipeline.ingest_paths(sorted((ROOT / "seeds").glob("*.txt")))
        report("development set (seeds)", rt, [data / "dev_qa.jsonl"])
        report("rephrasings of seed questions (seeds)", rt, [data / "rephrasings.jsonl"])
        rt.pipeline.ingest_paths(sorted(real.glob("*.txt")))
        report("real guides' questions, sets A+B (seeds + real guides)", rt,
               [real / "questions_a.jsonl", real / "questions_b.jsonl"])
        report("real guides' questions, set C (written before careerkg ran on it)", rt, [real / "questions_c.jsonl"])
        for s in "defghijklmnopqr":
            if (real / f"questions_{s}.jsonl").exists():
                report(f"real guides' questions, set {s.upper()} (written before careerkg ran on it)", rt,
                       [real / f"questions_{s}.jsonl"])


if __name__ == "__main__":
    main()
