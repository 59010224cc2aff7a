"""The ``careerkg`` command line (Typer).

Commands open only what they use: ``docs`` reads the manifest, ``sparql``/``export``/
``entities``/``graph`` the graph store, and only ``ask``, ``ingest``, ``rebuild`` and
``repair`` load the embedding model. While ``careerkg serve`` runs on the data dir (it
announces itself in ``DATA_DIR/service.json``), or when ``--url``/``CAREERKG_URL`` names
a service, commands go through its HTTP API instead of the stores it holds: reads
freely, writes with ``CAREERKG_API_KEY``.

Lists print as a table on a terminal, as TSV with a header line when piped, and as
JSON with ``--json``. Exit codes: 0 success, 1 an error or a failed guide, 2 a usage error.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated

import typer

from careerkg.api.cli_output import console, emit, err, print_json
from careerkg.errors import CareerKGError
from careerkg.settings import Settings, get_settings

HELP = """careerkg: career guides as a knowledge graph with cited answers.

Exit codes: 0 success, 1 an error (or a guide that failed to ingest), 2 a usage error."""
app = typer.Typer(help=HELP, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None)
docs_app = typer.Typer(help="List, show and remove ingested guides.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(docs_app, name="docs")
_state: dict[str, str | None] = {"url": None}


def default_of(name: str) -> str:
    """``8000 from CAREERKG_PORT``: a setting's real default as ``--help`` shows it."""
    value = Settings.model_fields[name].default
    return f"{value} from CAREERKG_{name.upper()}"


def _version(value: bool) -> None:
    if value:
        from importlib import metadata

        try:
            v = metadata.version("careerkg")
        except metadata.PackageNotFoundError:
            v = "unknown"
        console.print(f"careerkg {v}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Print the version and exit.")] = False,
         url: Annotated[str | None, typer.Option(
             "--url", metavar="URL", show_default="the service announced in the data dir, else none (CAREERKG_URL)",
             help="Talk to the careerkg service at URL instead of opening the data dir.")] = None) -> None:
    """careerkg: career guides as a knowledge graph with cited answers."""
    _state["url"] = url


def runtime():
    from careerkg.api.runtime import Runtime

    return Runtime(get_settings())


def service():
    """The running service to talk to (``--url``, ``CAREERKG_URL`` or announced in the data dir), or ``None``."""
    from careerkg.api.service import discover

    return discover(get_settings(), _state["url"])


def client(svc):
    from careerkg.api.service import ServiceClient

    return ServiceClient(svc, api_key=get_settings().api_key)


def fail(message: str, code: int = 1) -> None:
    err.print(f"error: {message}", markup=False)
    raise typer.Exit(code)


def guarded(fn):
    """Turn project errors into a one-line message and exit code 1 (no traceback)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except CareerKGError as exc:
            fail(" ".join(str(exc).split()))

    return wrapper


def writes_need_key(svc, what: str) -> None:
    """Fail with what to do when a write must go through the service and no key is set."""
    if get_settings().api_key:
        return
    who = f"a careerkg service (pid {svc.pid}) at {svc.url}" if svc.pid else f"the careerkg service at {svc.url}"
    fail(f"{who} is serving this data dir, so {what} goes through its API, which needs its key: run this command "
         "again with CAREERKG_API_KEY set to the key the service was started with (start it with "
         "CAREERKG_API_KEY=<key> careerkg serve), or stop the service and run it again")


def summary(results) -> str:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return ", ".join(f"{counts.get(k, 0)} {k}" for k in ("added", "updated", "unchanged", "failed"))


def _collect(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Guide files under ``paths`` (``NAME.meta.json`` sidecars are metadata, not guides)."""
    from careerkg.ingest.meta import is_sidecar

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


def print_result(r) -> None:
    if r.status == "failed":
        err.print(f"failed  {r.source}: {r.reason}", markup=False)
    else:
        extra = f" ({r.reason})" if r.reason else ""
        console.print(f"{r.status:<9} {r.doc_id}  v{r.version}  {r.chunks} chunks, {r.claims} claims"
                      f"  {r.seconds * 1000:.0f} ms{extra}", markup=False)
        from careerkg.api.cli_history import print_changes

        print_changes(r.changes)


@app.command()
@guarded
def ingest(paths: Annotated[list[Path], typer.Argument(help="Guide files or folders (.txt .md .html).")],
           force: Annotated[bool, typer.Option("--force", help="Re-ingest even when the text is unchanged.")] = False,
           source_url: Annotated[str | None, typer.Option(
               "--source-url", help="Where the guide was published (one guide only); publisher defaults to its host.",
               metavar="URL")] = None,
           publisher: Annotated[str | None, typer.Option(help="Who published the guide(s).", metavar="NAME")] = None,
           title: Annotated[str | None, typer.Option(help="The guide's title (one guide only).")] = None,
           allow_duplicate: Annotated[bool, typer.Option(
               "--allow-duplicate", help="Ingest a guide even when another id already has the same text "
                                         "(otherwise it fails, naming that id).")] = False) -> None:
    """Add or update guides; unchanged ones are skipped. Exit code 1 if any file failed.

    Metadata (title, publisher, source_url, issued) can also sit beside a guide in
    NAME.meta.json; the options win over it. While `careerkg serve` runs on the data
    dir, guides are sent to it (PUT /documents/ID) with CAREERKG_API_KEY. A guide whose
    text another id already has fails as a duplicate unless --allow-duplicate.
    """
    files, missing = _collect(paths)
    metadata = {k: v for k, v in (("source_url", source_url), ("publisher", publisher), ("title", title))
                if v is not None}
    if (source_url or title) and len(files) > 1:
        fail(f"--source-url and --title describe one guide, but {len(files)} files were given")
    svc = service()
    if svc is not None:
        writes_need_key(svc, "ingesting")
        from careerkg.api.cli_remote import ingest_via

        results = ingest_via(client(svc), files, force=force, metadata=metadata, progress=print_result,
                             allow_duplicate=allow_duplicate)
    else:
        results = _ingest_here(files, force, metadata, allow_duplicate)
    for m in missing:
        err.print(f"failed  {m}: no such file or folder", markup=False)
    console.print(f"{summary(results)}{f', {len(missing)} missing' if missing else ''}", markup=False)
    if any(r.status == "failed" for r in results) or missing:
        raise typer.Exit(1)


def _ingest_here(files: list[Path], force: bool, metadata: dict, allow_duplicate: bool = False) -> list:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("loading the model and stores", total=len(files))
        pipeline = runtime().pipeline
        progress.update(task, description="ingesting")

        def advance(res) -> None:
            print_result(res)
            progress.update(task, description=f"ingesting {Path(res.source).name}")
            progress.advance(task)

        return pipeline.ingest_paths(files, force=force, progress=advance, metadata=metadata or None,
                                     allow_duplicate=allow_duplicate)


DOC_COLUMNS = ["doc_id", "version", "chunks", "claims", "publisher", "title"]


def _records() -> list[dict]:
    from dataclasses import asdict

    from careerkg.ingest.manifest import Manifest

    svc = service()
    if svc is not None:
        return client(svc).json("GET", "/documents")["documents"]
    m = Manifest.load(get_settings().manifest_path)  # the manifest alone: no store, no model
    return [asdict(r) for r in sorted(m.docs.values(), key=lambda r: r.doc_id)]


@docs_app.command("list")
@guarded
def docs_list(as_json: Annotated[bool, typer.Option("--json", help="Print every field as JSON.")] = False) -> None:
    """List ingested guides (id, version, chunks, claims, publisher, title)."""
    emit(_records(), DOC_COLUMNS, as_json=as_json)


@docs_app.command("show")
@guarded
def docs_show(doc_id: str, text: Annotated[bool, typer.Option("--text", help="Print the extracted text.")] = False
              ) -> None:
    """Show one guide's record as JSON (title, publisher, source URL, counts ...), optionally its text."""
    from dataclasses import asdict

    from careerkg.errors import NotFound
    from careerkg.ingest.manifest import Manifest

    svc = service()
    if svc is not None:
        c = client(svc)
        print_json(c.json("GET", f"/documents/{doc_id}"))
        if text:
            sys.stdout.write(c.request("GET", f"/documents/{doc_id}/text").text + "\n")
        return
    s = get_settings()
    rec = Manifest.load(s.manifest_path).docs.get(doc_id)
    if rec is None:
        raise NotFound(f"no document {doc_id!r}")
    print_json(asdict(rec))
    if text:
        try:
            sys.stdout.write((s.data_dir / rec.text_file).read_text("utf-8") + "\n")
        except OSError:
            raise NotFound(f"no text for {doc_id!r}; run `careerkg repair`") from None


@docs_app.command("remove")
@guarded
def docs_remove(doc_ids: list[str],
                keep_history: Annotated[bool, typer.Option(
                    "--keep-history/--purge-history",
                    help="Keep the guides' versions (and the current one) as history, or purge them. Purging a "
                         "guide removed with --keep-history drops its history.")] = False) -> None:
    """Remove guides and everything derived from them (their history too unless --keep-history)."""
    history = "keep" if keep_history else "purge"
    svc = service()
    if svc is not None:
        writes_need_key(svc, "removing")
        c = client(svc)
        recs = [c.request("DELETE", f"/documents/{d}", params={"history": history}) for d in doc_ids]
        recs = [r.json() if r.status_code == 200 else None for r in recs]
    else:
        from dataclasses import asdict

        p = runtime().pipeline
        recs = [(lambda r: asdict(r) if r else None)(p.remove(d, history=history)) for d in doc_ids]
    for d, rec in zip(doc_ids, recs):
        if rec is None:
            console.print(f"purged the history of {d}", markup=False)
            continue
        console.print(f"removed {rec['doc_id']} (v{rec['version']}, {rec['chunks']} chunks, {rec['claims']} claims"
                      f"{'; history kept' if keep_history else ''})", markup=False)


DUPLICATE_COLUMNS = ["doc_a", "doc_b", "similarity", "kind"]


def _texts() -> dict[str, str]:
    """doc_id -> extracted text: through the running service, else from the data dir's kept texts."""
    from careerkg.ingest.manifest import Manifest

    svc = service()
    if svc is not None:
        c = client(svc)
        ids = [d["doc_id"] for d in c.json("GET", "/documents")["documents"]]
        return {d: c.request("GET", f"/documents/{d}/text").text for d in ids}
    s = get_settings()
    out = {}
    for doc_id, rec in sorted(Manifest.load(s.manifest_path).docs.items()):
        try:
            out[doc_id] = (s.data_dir / rec.text_file).read_text("utf-8")
        except OSError:
            err.print(f"skipped {doc_id}: its text is missing; run `careerkg repair`", markup=False)
    return out


@docs_app.command("duplicates")
@guarded
def docs_duplicates(as_json: Annotated[bool, typer.Option("--json", help="Print the pairs as JSON.")] = False,
                    threshold: Annotated[float, typer.Option(
                        min=0.05, max=1.0, help="Least estimated Jaccard similarity (word 5-shingles, MinHash) "
                                                "for a pair to be listed.")] = 0.8) -> None:
    """List pairs of guides with the same text (exact) or nearly the same (near), most similar first."""
    from dataclasses import asdict

    from careerkg.ingest.dedup import near_duplicates

    pairs = near_duplicates(_texts(), threshold=threshold)
    emit([asdict(p) for p in pairs], DUPLICATE_COLUMNS, as_json=as_json, ids=("doc_a", "doc_b"))


def _not_while_served(what: str) -> None:
    svc = service()
    if svc is not None:
        fail(f"the careerkg service at {svc.url}{f' (pid {svc.pid})' if svc.pid else ''} is serving this data dir; "
             f"stop it, run `careerkg {what}`, then start it again (it also repairs at every start)")


@app.command()
@guarded
def rebuild() -> None:
    """Rebuild the index and the graph from the kept source copies."""
    _not_while_served("rebuild")
    results = runtime().pipeline.rebuild(progress=print_result)
    console.print(summary(results), markup=False)
    if any(r.status == "failed" for r in results):
        raise typer.Exit(1)


@app.command()
@guarded
def repair() -> None:
    """Check that index, graph and manifest agree; fix what a crash left behind."""
    _not_while_served("repair")
    notes = runtime().pipeline.repair()
    for n in notes:
        console.print(f"repaired  {n}", markup=False)
    console.print("consistent" if not notes else f"repaired: {len(notes)} fixes", markup=False)


@app.command()
def serve(host: Annotated[str | None, typer.Option(help="Interface to listen on.",
                                                   show_default=default_of("host"))] = None,
          port: Annotated[int | None, typer.Option(help="Port to listen on.", show_default=default_of("port"))] = None,
          workers: Annotated[int, typer.Option(help="uvicorn worker processes (embedded stores need 1).")] = 1,
          log_level: Annotated[str | None, typer.Option(help="uvicorn log level.",
                                                        show_default=default_of("log_level"))] = None) -> None:
    """Run the HTTP API (uvicorn); the CLI talks to it while it runs."""
    import uvicorn

    from careerkg.api.service import discover

    s = get_settings()
    s = s.model_copy(update={k: v for k, v in (("host", host), ("port", port), ("log_level", log_level))
                             if v is not None})
    if workers > 1 and not (s.sparql_endpoint and s.chroma_url):
        fail("--workers > 1 needs server stores (CAREERKG_SPARQL_ENDPOINT and CAREERKG_CHROMA_URL): "
             "embedded Oxigraph and Chroma can be opened by one process only")
    running = discover(s.model_copy(update={"url": ""}))
    if running is not None:
        fail(f"{s.data_dir} is already served by pid {running.pid} at {running.url}")
    if workers > 1:
        uvicorn.run("careerkg.api.app:create_app", factory=True, host=s.host, port=s.port, workers=workers,
                    log_level=s.log_level)
        return
    from careerkg.api.app import create_app

    uvicorn.run(create_app(s, announce=True), host=s.host, port=s.port, log_level=s.log_level)


from careerkg.api import cli_graph as _cli_graph  # noqa: E402,F401  (registers graph commands)
from careerkg.api import cli_qa as _cli_qa  # noqa: E402,F401  (registers ask/eval)
from careerkg.api import cli_history as _cli_history  # noqa: E402,F401  (registers docs history)
