"""The LLM path with a real local model server: latency, throughput, validation, answer quality.

Starts ``llama_cpp.server`` with SmolLM2-135M-Instruct (the ``llm`` extra), ingests the seeds into a
temporary data dir (or uses ``--data-dir``), then for each development question that the
extractive composer answers:

* streams the model's reply (time to first token, to the whole reply, tokens/s, where one
  streamed chunk is one token on llama.cpp) and checks it with :mod:`careerkg.qa.validate`
  (share of generated sentences kept), once with the prompt alone and once with the
  citation grammar (:func:`careerkg.qa.llm.citation_grammar`) that forces ``[n]`` after every sentence;
* runs ``careerkg eval`` (qa.evaluate) in extractive mode, in LLM mode, and in LLM mode with the grammar.

SmolLM2-135M is a stand-in far too weak to answer well: the figures say what careerkg's checks
let through and what the plumbing costs, not what a real model would score.

Usage: .venv/bin/python bench/llm.py [--limit N] [--max-tokens 120] [--data-dir DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from careerkg.settings import Settings, apply_offline_env  # noqa: E402

apply_offline_env()


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p * (len(v) - 1))))] if v else 0.0


class LLMMode:
    """``qa`` whose ``ask`` always asks for an LLM answer (what ``careerkg eval`` runs)."""

    def __init__(self, qa) -> None:
        self.qa = qa

    def ask(self, question: str):
        return self.qa.ask(question, mode="llm")


def stream_once(client, answer) -> dict:
    from careerkg.errors import LLMError
    from careerkg.qa.validate import validate

    t = time.perf_counter()
    first, parts, error = None, [], ""
    try:
        for d in client.stream(answer.question, answer):
            if first is None:
                first = time.perf_counter() - t
            parts.append(d)
    except LLMError as exc:
        error = str(exc)
    total = time.perf_counter() - t
    text = "".join(parts)
    v = validate(text, answer.citations)
    gen = total - (first or 0)
    return {"question": answer.question, "ttft_s": first, "total_s": total, "tokens": len(parts),
            "tokens_per_s": (len(parts) - 1) / gen if len(parts) > 1 and gen > 0 else None,
            "sentences": len(v.sentences), "kept": v.kept_count, "accepted": not v.too_little(),
            "error": error, "reply": text}


def summarise(runs: list[dict]) -> dict:
    ttft = [r["ttft_s"] for r in runs if r["ttft_s"] is not None]
    tot = [r["total_s"] for r in runs]
    tps = [r["tokens_per_s"] for r in runs if r["tokens_per_s"]]
    sent = sum(r["sentences"] for r in runs)
    kept = sum(r["kept"] for r in runs)
    return {"replies": len(runs), "errors": sum(bool(r["error"]) for r in runs),
            "ttft_p50_s": statistics.median(ttft) if ttft else None, "ttft_p95_s": pct(ttft, 0.95),
            "total_p50_s": statistics.median(tot) if tot else None, "total_p95_s": pct(tot, 0.95),
            "tokens_per_s_p50": statistics.median(tps) if tps else None,
            "sentences": sent, "kept": kept, "kept_share": kept / sent if sent else 0.0,
            "answers_accepted": sum(r["accepted"] for r in runs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="at most this many questions (0: all)")
    ap.add_argument("--max-tokens", type=int, default=120)
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--questions", type=Path, default=ROOT / "tests" / "data" / "dev_qa.jsonl")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    from llm_testkit import start_server

    from careerkg.api.runtime import Runtime
    from careerkg.qa.evaluate import load_cases, run_eval
    from careerkg.qa.llm import LLMClient, citation_grammar
    from careerkg.qa.stream import AnswerStream

    tmp = tempfile.TemporaryDirectory()
    data_dir = args.data_dir or Path(tmp.name) / "data"
    t = time.perf_counter()
    srv = start_server(Path(tmp.name) / "logs")
    server_start = time.perf_counter() - t
    try:
        base = Settings(data_dir=data_dir)
        rt = Runtime(base)
        if not rt.pipeline.manifest.docs:
            for p in sorted((ROOT / "seeds").glob("*.txt")):
                rt.pipeline.ingest_path(p)
        qa = rt.qa
        cases = load_cases(args.questions)
        if args.limit:
            cases = cases[:args.limit]
        settings = srv.settings(base, llm_timeout=300)
        plain = LLMClient(settings, max_tokens=args.max_tokens)
        grammar = LLMClient(settings, max_tokens=args.max_tokens, extra_body=citation_grammar)
        answers = [a for a in (qa.ask(c.question, mode="extractive") for c in cases) if not a.abstained]
        first_event = []  # extractive streaming, in-process: from the request to the first statement
        for _ in range(3):
            for c in cases:
                t = time.perf_counter()
                events = AnswerStream(qa, c.question, mode="extractive").events()
                next(events)
                first_event.append((time.perf_counter() - t) * 1000)
                list(events)
        runs = {"prompt": [stream_once(plain, a) for a in answers],
                "grammar": [stream_once(grammar, a) for a in answers]}
        text_of = rt.pipeline.text
        _, ext_totals = run_eval(qa, cases, text_of)
        evals = {}
        for name, client in (("llm", plain), ("llm_grammar", grammar)):
            qa.llm = client
            results, totals = run_eval(LLMMode(qa), cases, text_of)
            totals["llm_answers_shown"] = sum(r.answer.mode == "llm" for r in results)
            evals[name] = totals
    finally:
        srv.stop()
        tmp.cleanup()
    out = {"model": "SmolLM2-135M-Instruct Q4_1 (llama-cpp-python 0.3.36, 2 threads)", "questions": len(cases),
           "answered_extractively": len(answers), "server_start_s": server_start, "max_tokens": args.max_tokens,
           "extractive_first_event_ms": {"p50": statistics.median(first_event), "p95": pct(first_event, 0.95)},
           "stream": {k: summarise(v) for k, v in runs.items()},
           "eval": {"extractive": ext_totals, **evals}}
    if args.json:
        print(json.dumps(out, indent=2, default=str))
        return
    print(f"{out['model']}: {len(cases)} dev questions, {len(answers)} answered (abstentions never reach the model);"
          f" server up in {server_start:.1f} s; max_tokens {args.max_tokens}")
    fe = out["extractive_first_event_ms"]
    print(f"  extractive stream, first statement (in-process): p50 {fe['p50']:.1f} ms, p95 {fe['p95']:.1f} ms")
    for k, s in out["stream"].items():
        print(f"  {k:8s} ttft p50 {s['ttft_p50_s']:.2f} s p95 {s['ttft_p95_s']:.2f} s | whole reply p50 "
              f"{s['total_p50_s']:.2f} s p95 {s['total_p95_s']:.2f} s | {s['tokens_per_s_p50'] or 0:.0f} tokens/s | "
              f"sentences kept {s['kept']}/{s['sentences']} ({s['kept_share']:.0%}) | LLM answers accepted "
              f"{s['answers_accepted']}/{s['replies']} | errors {s['errors']}")
    for name, e in out["eval"].items():
        print(f"  eval {name:12s} pass {e['passed']}/{e['questions']}, citation integrity {e['citation_integrity']},"
              f" abstention accuracy {e['abstention_accuracy']}, p50 {e['latency_p50_ms']:.0f} ms,"
              f" p95 {e['latency_p95_ms']:.0f} ms" + (f", LLM answers shown {e['llm_answers_shown']}"
                                                        if "llm_answers_shown" in e else ""))


if __name__ == "__main__":
    main()
