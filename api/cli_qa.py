"""Question commands of the CLI: ask and eval."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from api.cli import app, console, guarded, runtime


@app.command()
@guarded
def ask(question: str, as_json: Annotated[bool, typer.Option("--json", help="Print the answer object.")] = False,
        mode: Annotated[str, typer.Option(help="extractive or llm")] = "",
        top_k: Annotated[int, typer.Option(help="Passages retrieved.")] = 0) -> None:
    """Answer a question with numbered sources."""
    ans = runtime().qa.ask(question, top_k=top_k or None, mode=mode or None)
    if as_json:
        console.print_json(json.dumps(asdict(ans), ensure_ascii=False))
        return
    console.print(ans.answer, highlight=False)
    for note in ans.notes:
        console.print(f"[yellow]note:[/yellow] {note}", highlight=False)
    for c in ans.citations:
        console.print(f"[{c.id}] {c.doc_id} [{c.start}:{c.end}] \"{c.quote}\"", highlight=False, markup=False)
    for c in ans.conflicts:
        console.print(f"conflict: {c.about}: {' vs '.join(c.values)}", highlight=False)


@app.command("eval")
@guarded
def evaluate(path: Path, as_json: Annotated[bool, typer.Option("--json")] = False,
             show_answers: Annotated[bool, typer.Option("--answers", help="Print every answer.")] = False) -> None:
    """Run an evaluation file (JSONL: question, answerable, must_include, docs, min_docs)."""
    from qa.evaluate import load_cases, run_eval

    rt = runtime()
    results, totals = run_eval(rt.qa, load_cases(path), rt.pipeline.text)
    if as_json:
        console.print_json(json.dumps({"totals": totals, "results": [
            {"question": r.case.question, "passed": r.passed, "reasons": r.reasons, "latency_ms": round(r.latency_ms, 1),
             "abstained": r.answer.abstained, "answer": r.answer.answer} for r in results]}, ensure_ascii=False))
    else:
        for r in results:
            mark = "[green]PASS[/green]" if r.passed else "[red]FAIL[/red]"
            console.print(f"{mark} {r.latency_ms:6.0f} ms  {r.case.question}"
                          + (f"  — {'; '.join(r.reasons)}" if r.reasons else ""), highlight=False)
            if show_answers or not r.passed:
                console.print(f"      {r.answer.answer[:600]}", highlight=False, markup=False)
        console.print(" ".join(f"{k}={v}" for k, v in totals.items()), highlight=False)
    if totals["passed"] < totals["questions"]:
        raise typer.Exit(1)
