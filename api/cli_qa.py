"""Question commands of the CLI: ask and eval."""

from __future__ import annotations

import enum
import json
import re
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from careerkg.api.cli import app, client, console, default_of, guarded, runtime, service
from careerkg.api.cli_output import print_json

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _as_of(value: str | None) -> date | None:
    """``--as-of``: a calendar date written ``YYYY-MM-DD``; anything else is a usage error (exit 2)."""
    if value is None:
        return None
    try:
        if not _ISO_DAY.fullmatch(value.strip()):
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"{value[:40]!r} is not a date: write it YYYY-MM-DD (e.g. 2026-05-01)") from None


Mode = enum.Enum("Mode", {"extractive": "extractive", "llm": "llm"}, type=str)


@app.command()
@guarded
def ask(question: Annotated[str, typer.Argument(help="The question, in quotes.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the answer object as JSON (with --stream:"
                                                             " one JSON event per line).")] = False,
        mode: Annotated[Mode | None, typer.Option(help="Answer composer (llm needs CAREERKG_LLM_MODEL).",
                                                  show_default="extractive")] = None,
        top_k: Annotated[int | None, typer.Option(help="Passages retrieved.", min=1, max=50,
                                                  show_default=default_of("top_k"))] = None,
        stream: Annotated[bool, typer.Option("--stream", help="Print the answer as it arrives (statements, or the"
                                                              " LLM's sentences once checked), then its sources.")]
        = False,
        as_of: Annotated[date | None, typer.Option("--as-of", metavar="YYYY-MM-DD", parser=_as_of,
                                                   help="Answer from the guides' versions current at the end of "
                                                        "this day (UTC), as POST /ask does with as_of.")] = None
        ) -> None:
    """Answer a question with numbered sources.

    Through the running service when there is one (answers in milliseconds), else
    in this process (loads the model and stores first).
    """
    mode = mode.value if mode is not None else None
    if as_of is not None and stream:
        raise typer.BadParameter("not with --stream: an as-of answer comes whole", param_hint="'--as-of'")
    svc = service()
    if stream:
        events = (_remote_events(client(svc), question, top_k, mode) if svc is not None
                  else _local_events(question, top_k, mode))
        _print_stream(events, as_json)
        return
    if svc is not None:
        body = {k: v for k, v in (("question", question), ("top_k", top_k), ("mode", mode),
                                  ("as_of", as_of.isoformat() if as_of else None)) if v is not None}
        ans = client(svc).json("POST", "/ask", json=body)
    else:
        ans = asdict(runtime().qa.ask(question, top_k=top_k, mode=mode, as_of=as_of))
    if as_json:
        print_json(ans)
        return
    console.print(ans["answer"], highlight=False, markup=False)
    _print_tail(ans)


def _print_tail(ans: dict) -> None:
    for note in ans.get("notes") or []:
        console.print(f"note: {note}", highlight=False, markup=False)
    for c in ans.get("citations") or []:
        console.print(f"[{c['id']}] {c['doc_id']} [{c['start']}:{c['end']}] \"{c['quote']}\"", highlight=False,
                      markup=False)
    for c in ans.get("conflicts") or []:
        console.print(f"conflict: {c['about']}: {' vs '.join(c['values'])}", highlight=False, markup=False)


def _local_events(question: str, top_k: int | None, mode: str | None):
    from careerkg.qa.stream import AnswerStream

    for ev in AnswerStream(runtime().qa, question, top_k=top_k, mode=mode).events():
        yield ev.name, ev.data


def _remote_events(c, question: str, top_k: int | None, mode: str | None):
    """``POST /ask`` as Server-Sent Events: ``(event, data)`` pairs as they arrive."""
    import httpx

    from careerkg.errors import StoreError

    body = {k: v for k, v in (("question", question), ("top_k", top_k), ("mode", mode)) if v is not None}
    try:
        with c.http.stream("POST", "/ask", json=body, headers={"Accept": "text/event-stream"}) as r:
            if r.status_code >= 400:
                r.read()
                c.request("POST", "/ask", json=body)  # raises the service's error as the other commands do
            name, data = "message", []
            for line in r.iter_lines():
                if line == "":
                    if data:
                        yield name, json.loads("\n".join(data))
                    name, data = "message", []
                elif line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].removeprefix(" "))
    except httpx.HTTPError as exc:
        raise StoreError(f"the stream from the service at {c.url} broke off: {exc}") from None


def _print_stream(events, as_json: bool) -> None:
    """Write each event as it arrives: text as it comes, then notes, sources and conflicts."""
    import sys

    from careerkg.errors import CareerKGError

    out = sys.stdout
    for name, data in events:
        if as_json:
            out.write(json.dumps({"event": name, "data": data}, ensure_ascii=False) + "\n")
            out.flush()
            continue
        if name == "delta":
            out.write(data["text"])
        elif name == "reset":
            out.write(f"\n(withdrawn: {data['reason']})\n")
        elif name == "done":
            out.write("\n")
            out.flush()
            _print_tail(data)
        elif name == "error":
            out.write("\n")
            out.flush()
            raise CareerKGError(data["error"]["message"])
        out.flush()


@app.command("eval")
@guarded
def evaluate(path: Path, as_json: Annotated[bool, typer.Option("--json")] = False,
             show_answers: Annotated[bool, typer.Option("--answers", help="Print every answer.")] = False) -> None:
    """Run an evaluation file (JSONL: question, answerable, must_include, docs, min_docs)."""
    from careerkg.qa.evaluate import load_cases, run_eval

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
