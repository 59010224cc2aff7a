"""Guide history in the CLI: ``docs history ID`` and how an ingest prints the claims a new version changed."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from careerkg.api.cli import client, docs_app, get_settings, guarded, service
from careerkg.api.cli_output import console, emit, print_json

VERSION_COLUMNS = ["version", "current", "generated_at", "invalidated_at", "chunks", "claims", "title"]
SHOWN_CHANGES = 20


def _span(side) -> str:
    return f"{side.figure or 'stated'} [{side.start}-{side.end}]"


def print_changes(changes, indent: str = "          ", limit: int | None = SHOWN_CHANGES) -> None:
    """The claims a new version added, removed and changed (old -> new figure, both spans), up to ``limit`` lines."""
    if changes is None:
        return
    c = changes
    console.print(f"{indent}v{c.from_version} -> v{c.to_version}: {len(c.added)} added, {len(c.removed)} removed, "
                  f"{len(c.changed)} changed, {c.unchanged} unchanged", markup=False)
    lines = [f"changed  {x.label}: {_span(x.old)} -> {_span(x.new)}" for x in c.changed]
    lines += [f"added    {x.label}: {_span(x.new)} {x.new.quote!r}" for x in c.added]
    lines += [f"removed  {x.label}: {_span(x.old)} {x.old.quote!r}" for x in c.removed]
    for line in lines[:limit]:
        console.print(f"{indent}{line}", markup=False)
    if limit is not None and len(lines) > limit:
        console.print(f"{indent}... and {len(lines) - limit} more (careerkg docs changes ID)", markup=False)


@docs_app.command("history")
@guarded
def docs_history(doc_id: str,
                 version: Annotated[int | None, typer.Option(help="Print this version's kept text.")] = None,
                 as_json: Annotated[bool, typer.Option("--json", help="Print every field as JSON.")] = False) -> None:
    """List a guide's versions, newest first: the current one and the kept ones (CAREERKG_HISTORY_VERSIONS),
    with when each became current and was superseded. Works for a guide removed with --keep-history."""
    svc = service()
    if svc is not None:
        c = client(svc)
        if version is not None:
            sys.stdout.write(c.request("GET", f"/documents/{doc_id}/text", params={"version": version}).text + "\n")
            return
        rows = c.json("GET", f"/documents/{doc_id}/versions")["versions"]
    else:
        from careerkg.ingest.history import History
        from careerkg.ingest.manifest import Manifest

        s = get_settings()
        history = History(s, None, Manifest.load(s.manifest_path))  # the manifest and kept files: no store
        if version is not None:
            sys.stdout.write(history.text(doc_id, version) + "\n")
            return
        rows = history.versions(doc_id)
    for r in rows:
        r["current"] = "yes" if r["current"] is True else "" if r["current"] is False else r["current"]
    emit(rows, VERSION_COLUMNS, as_json=as_json, ids=("version",))


@docs_app.command("changes")
@guarded
def docs_changes(doc_id: str,
                 old: Annotated[int | None, typer.Option("--from", help="The older version (default: the kept "
                                                         "version before --to).")] = None,
                 new: Annotated[int | None, typer.Option("--to", help="The newer version (default: the newest).")
                                ] = None,
                 as_json: Annotated[bool, typer.Option("--json", help="Print every change as JSON.")] = False) -> None:
    """What a version changed in a guide's claims: added, removed, changed (old -> new figure, both spans)."""
    from dataclasses import asdict

    from careerkg.graph.changes import changes_from_dict

    svc = service()
    if svc is not None:
        params = {k: v for k, v in (("from", old), ("to", new)) if v is not None}
        changes = changes_from_dict(client(svc).json("GET", f"/documents/{doc_id}/changes", params=params))
    else:
        from careerkg.api.cli import runtime

        changes = runtime().pipeline.history.compare(doc_id, old, new)
    if as_json:
        print_json(asdict(changes))
    else:
        print_changes(changes, indent="", limit=None)
