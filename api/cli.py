"""The ``careerkg`` command line (Typer)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from careerkg.errors import CareerKGError
from careerkg.settings import get_settings

app = typer.Typer(help="careerkg: career guides as a knowledge graph with cited answers.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
docs_app = typer.Typer(help="List, show and remove ingested guides.", no_args_is_help=True)
app.add_typer(docs_app, name="docs")
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def runtime():
    from api.runtime import Runtime

    return Runtime(get_settings())


def fail(message: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


def guarded(fn):
    """Turn project errors into a one-line message and exit code 1 (no traceback)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except CareerKGError as exc:
            fail(str(exc))

    return wrapper


def _collect(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Guide files under ``paths`` (``NAME.meta.json`` sidecars are metadata, not guides)."""
    from ingest.meta import is_sidecar

    files, missing = [], []
    for p in paths:
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")
                            and not is_sidecar(f))
        elif p.is_file() and is_sidecar(p):
            continue
        elif p.is_file():
            files.append(p)
        else:
            missing.append(str(p))
    return files, missing


@app.command()
@guarded
def ingest(paths: Annotated[list[Path], typer.Argument(help="Guide files or folders (.txt .md .html).")],
           force: Annotated[bool, typer.Option(help="Re-ingest even when the text is unchanged.")] = False,
           source_url: Annotated[str | None, typer.Option(
               "--source-url", help="Where the guide was published (one guide only); publisher defaults to its host.",
               metavar="URL")] = None,
           publisher: Annotated[str | None, typer.Option(help="Who published the guide(s).", metavar="NAME")] = None,
           title: Annotated[str | None, typer.Option(help="The guide's title (one guide only).")] = None) -> None:
    """Add or update guides; unchanged ones are skipped. Exit code 1 if any file failed.

    Metadata (title, publisher, source_url, issued) can also sit beside a guide in
    NAME.meta.json; the options win over it.
    """
    files, missing = _collect(paths)
    metadata = {k: v for k, v in (("source_url", source_url), ("publisher", publisher), ("title", title))
                if v is not None}
    if (source_url or title) and len(files) > 1:
        fail(f"--source-url and --title describe one guide, but {len(files)} files were given")
    rt = runtime()
    pipeline = rt.pipeline
    results = []
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("ingesting", total=len(files))

        def advance(res) -> None:
            results.append(res)
            progress.update(task, description=f"ingesting {Path(res.source).name}")
            progress.advance(task)

        pipeline.ingest_paths(files, force=force, progress=advance, metadata=metadata or None)
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
        if r.status == "failed":
            err.print(f"[red]failed[/red]  {r.source}: {r.reason}", highlight=False)
        else:
            extra = f" ({r.reason})" if r.reason else ""
            console.print(f"{r.status:<9} {r.doc_id}  v{r.version}  {r.chunks} chunks, {r.claims} claims"
                          f"  {r.seconds * 1000:.0f} ms{extra}", highlight=False)
    for m in missing:
        err.print(f"[red]failed[/red]  {m}: no such file or folder", highlight=False)
    summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("added", "updated", "unchanged", "failed"))
    console.print(f"{summary}{f', {len(missing)} missing' if missing else ''}")
    if counts.get("failed") or missing:
        raise typer.Exit(1)


@docs_app.command("list")
@guarded
def docs_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List ingested guides."""
    from dataclasses import asdict

    recs = sorted(runtime().pipeline.manifest.docs.values(), key=lambda r: r.doc_id)
    if as_json:
        console.print_json(json.dumps([asdict(r) for r in recs]))
        return
    table = Table("doc_id", "version", "chunks", "claims", "title")
    for r in recs:
        table.add_row(r.doc_id, str(r.version), str(r.chunks), str(r.claims), r.title[:60])
    console.print(table)


@docs_app.command("show")
@guarded
def docs_show(doc_id: str, text: Annotated[bool, typer.Option(help="Print the extracted text.")] = False) -> None:
    """Show one guide's record (and optionally its text)."""
    from dataclasses import asdict

    p = runtime().pipeline
    console.print_json(json.dumps(asdict(p.record(doc_id))))
    if text:
        sys.stdout.write(p.text(doc_id) + "\n")


@docs_app.command("remove")
@guarded
def docs_remove(doc_ids: list[str]) -> None:
    """Remove guides and everything derived from them."""
    p = runtime().pipeline
    for d in doc_ids:
        rec = p.remove(d)
        console.print(f"removed {rec.doc_id} (v{rec.version}, {rec.chunks} chunks, {rec.claims} claims)")


@app.command()
@guarded
def rebuild() -> None:
    """Rebuild the index and the graph from the kept source copies."""
    p = runtime().pipeline
    failed = 0
    for r in p.rebuild():
        failed += not r.ok
        console.print(f"{r.status:<9} {r.doc_id}  {r.chunks} chunks, {r.claims} claims {r.reason}", highlight=False)
    if failed:
        raise typer.Exit(1)


@app.command()
@guarded
def repair() -> None:
    """Check that index, graph and manifest agree; fix what a crash left behind."""
    p = runtime().pipeline
    console.print("consistent" if not p.repair() else "repaired")


@app.command()
def serve(host: Annotated[str, typer.Option()] = "", port: Annotated[int, typer.Option()] = 0,
          workers: Annotated[int, typer.Option(help="uvicorn worker processes (embedded stores need 1).")] = 1,
          log_level: Annotated[str, typer.Option()] = "") -> None:
    """Run the HTTP API (uvicorn)."""
    import uvicorn

    s = get_settings()
    if workers > 1 and not (s.sparql_endpoint and s.chroma_url):
        fail("--workers > 1 needs server stores (CAREERKG_SPARQL_ENDPOINT and CAREERKG_CHROMA_URL): "
             "embedded Oxigraph and Chroma can be opened by one process only")
    uvicorn.run("api.app:create_app", factory=True, host=host or s.host, port=port or s.port, workers=workers,
                log_level=log_level or s.log_level)


from api import cli_graph as _cli_graph  # noqa: E402,F401  (registers graph commands)
from api import cli_qa as _cli_qa  # noqa: E402,F401  (registers ask/eval)
