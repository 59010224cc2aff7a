"""Graph commands of the CLI: sparql, export, entities, graph neighbours|path|central."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api.cli import app, console, fail, guarded, runtime

graph_app = typer.Typer(help="Explore the entity network (networkx projection).", no_args_is_help=True)
app.add_typer(graph_app, name="graph")

EXPORT_TYPES = {"ttl": "text/turtle", "nq": "application/n-quads", "nt": "application/n-triples",
                "jsonld": "application/ld+json", "trig": "application/trig"}


@app.command()
@guarded
def sparql(query: Annotated[str, typer.Argument(help="A SPARQL query, or a file holding one.")],
           fmt: Annotated[str, typer.Option("--format", help="table, json, csv, tsv, xml, ttl, nt")] = "table",
           limit: Annotated[int, typer.Option(help="Rows shown at most.")] = 1000) -> None:
    """Run a read-only SPARQL query over the union of all graphs."""
    from careerkg.errors import InvalidInput
    from graph.sparql import check_read_only, run_query

    p = Path(query)
    if len(query) < 4096 and p.suffix in (".rq", ".sparql", ".txt") and p.is_file():
        query = p.read_text("utf-8")
    check_read_only(query)
    media = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values",
             "xml": "application/sparql-results+xml", "ttl": "text/turtle", "nt": "application/n-triples",
             "table": "application/sparql-results+json"}.get(fmt)
    if media is None:
        fail(f"unknown format {fmt!r}")
    store = runtime().graph
    try:
        res = run_query(store, query, media, row_limit=limit)
    except InvalidInput as exc:
        if media != "application/sparql-results+json":
            raise
        if "CONSTRUCT" in str(exc) or "DESCRIBE" in str(exc):
            res = run_query(store, query, "text/turtle", row_limit=limit)
        else:
            raise
    if fmt != "table" or res.media_type != "application/sparql-results+json":
        sys.stdout.write(res.body.decode("utf-8"))
        return
    data = json.loads(res.body)
    if "boolean" in data:
        console.print(str(data["boolean"]).lower())
        return
    cols = data["head"]["vars"]
    table = Table(*cols)
    for b in data["results"]["bindings"]:
        table.add_row(*[b.get(c, {}).get("value", "") for c in cols])
    console.print(table)
    console.print(f"{len(data['results']['bindings'])} rows{' (truncated)' if res.truncated else ''}")


@app.command()
@guarded
def export(fmt: Annotated[str, typer.Option("--format", help="ttl, nq, nt, jsonld, trig")] = "nq",
           output: Annotated[Path | None, typer.Option("-o", help="File to write (default: stdout).")] = None) -> None:
    """Export the whole graph (documents, gazetteer and ontology)."""
    import pyoxigraph as ox

    from graph.store import GRAPH_FORMATS

    if fmt not in EXPORT_TYPES:
        fail(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_TYPES)}")
    data = runtime().graph.dump(GRAPH_FORMATS.get(EXPORT_TYPES[fmt], ox.RdfFormat.N_QUADS))
    if output:
        output.write_bytes(data)
        console.print(f"wrote {len(data):,} bytes to {output}")
    else:
        sys.stdout.buffer.write(data)


@app.command()
@guarded
def entities(kind: Annotated[str, typer.Option(help="role, skill, org, city or sector")] = "",
             q: Annotated[str, typer.Option(help="Label or alias to search for.")] = "") -> None:
    """List entities in the graph with their kind and how many chunks mention them."""
    from graph.entities import search_entities

    rows = search_entities(runtime().graph, kind=kind or None, q=q or None, limit=500)
    table = Table("kind", "label", "mentions", "iri")
    for r in rows:
        table.add_row(r.kind, r.label, str(r.mentions), r.iri)
    console.print(table)


@graph_app.command("neighbours")
@guarded
def neighbours(name: str, limit: int = 20) -> None:
    """Entities related to one entity (by claims first, then co-mentions)."""
    net = runtime().network
    iri = net.resolve(name)
    table = Table("relation", "kind", "label", "weight")
    for n in net.neighbours(iri, limit):
        table.add_row(n.relation, n.kind, n.label, str(n.weight))
    console.print(f"neighbours of {iri}")
    console.print(table)


@graph_app.command("path")
@guarded
def path(source: str, target: str) -> None:
    """The cheapest chain of relations between two entities."""
    net = runtime().network
    steps = net.path(net.resolve(source), net.resolve(target))
    parts = []
    for _, label, rel in steps:
        parts.append(label)
        if rel:
            parts.append(f"<--{rel[2:]}--" if rel.startswith("<-") else f"--{rel}-->")
    console.print(" ".join(parts), highlight=False, markup=False)


@graph_app.command("central")
@guarded
def central(kind: str = "skill", n: int = 10) -> None:
    """The most central entities of a kind."""
    table = Table("label", "centrality", "iri")
    for iri, label, c in runtime().network.central(kind, n):
        table.add_row(label, f"{c:.4f}", iri)
    console.print(table)
