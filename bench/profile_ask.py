"""Where an answer's CPU goes: pyinstrument over in-process ``ask`` on the seeds (issue 13).

The dev questions and the rephrasings (97 distinct), once to warm up, then ``--rounds`` times under the
profiler; prints wall and CPU ms per answer and pyinstrument's call tree (or writes it to ``--out``).

    .venv/bin/pip install -e '.[profile]'     # pyinstrument
    .venv/bin/python bench/profile_ask.py [--rounds 3] [--no-cache] [--out prof.txt]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from careerkg.settings import Settings, apply_offline_env  # noqa: E402

apply_offline_env()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-cache", action="store_true", help="without the question-vector cache")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    import pyinstrument

    from careerkg.api.runtime import Runtime

    qs = [json.loads(line)["question"] for f in ("dev_qa.jsonl", "rephrasings.jsonl")
          for line in (ROOT / "tests" / "data" / f).read_text("utf-8").splitlines() if line.strip()]
    qs = list(dict.fromkeys(qs))
    with tempfile.TemporaryDirectory() as tmp:
        rt = Runtime(Settings(data_dir=Path(tmp) / "data", question_cache=0 if a.no_cache else 2048))
        rt.pipeline.ingest_paths(sorted((ROOT / "seeds").glob("*.txt")))
        qa = rt.qa
        for q in qs:
            qa.ask(q)
        p = pyinstrument.Profiler(interval=0.0005)
        t, c = time.perf_counter(), time.process_time()
        p.start()
        for _ in range(a.rounds):
            for q in qs:
                qa.ask(q)
        p.stop()
        n = a.rounds * len(qs)
        print(f"{n} answers: wall {1000 * (time.perf_counter() - t) / n:.1f} ms, CPU "
              f"{1000 * (time.process_time() - c) / n:.1f} ms per answer")
        text = p.output_text(unicode=False, color=False)
        if a.out:
            a.out.write_text(text)
        else:
            print(text)


if __name__ == "__main__":
    main()
