"""Graph commands of the CLI: sparql, export, entities, graph neighbours|path|central.

They open the graph store only (no model, no vector index). While a service runs on
the data dir they read beside it: ``sparql`` and ``entities`` through its HTTP API,
``export`` and ``graph`` on a read-only view of the embedded store (or through its
``/sparql`` endpoint when the service is elsewhere).
"""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from careerkg.api.cli import app, client, fail, get_settings, guarded, runtime, service
from careerkg.api.cli_output import console, emit, err
from careerkg.model import ENTITY_KINDS

graph_app = typer.Typer(help="Explore the entity network (networkx projection).", no_args_is_help=True,
                        rich_markup_mode=None)
app.add_typer(graph_app, name="graph")

EXPORT_TYPES = {"ttl": "text/turtle", "nq": "application/n-quads", "nt": "application/n-triples",
                "jsonld": "application/ld+json", "trig": "application/trig"}
SPARQL_TYPES = {"table": "application/sparql-results+json", "json": "application/sparql-results+json",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "xml": "application/sparql-results+xml",
                "ttl": "text/turtle", "nt": "application/n-triples"}
Kind = enum.Enum("Kind", {k: k for k in ENTITY_KINDS}, type=str)  # --kind lists its choices
SparqlFormat = enum.Enum("SparqlFormat", {k: k for k in SPARQL_TYPES}, type=str)
ExportFormat = enum.Enum("ExportFormat", {k: k for k in EXPORT_TYPES}, type=str)


def _v(value):
    return value.value if isinstance(value, enum.Enum) else value


def graph_store():
    """The graph to read: this data dir's store, or beside a running service a read-only view / its endpoint."""
    svc = service()
    if svc is None:
        return runtime().graph
    s = get_settings()
    if s.sparql_endpoint:
        return runtime().graph  # a SPARQL server: any number of readers
    if svc.local and s.graph_dir.is_dir():
        from careerkg.graph.store import OxigraphStore

        return OxigraphStore(s.graph_dir, read_only=True)
    from careerkg.graph.remote import SparqlHttpStore

    return SparqlHttpStore(f"{svc.url}/sparql", timeout=s.sparql_timeout + 5)


@app.command()
@guarded
def sparql(query: Annotated[str, typer.Argument(help="A SPARQL query, or a file (.rq .sparql .txt) holding one.")],
           fmt: Annotated[SparqlFormat, typer.Option("--format", help="Output format (table is TSV when piped).")
                          ] = SparqlFormat.table,
           limit: Annotated[int, typer.Option(help="Rows shown at most.")] = 1000,
           history: Annotated[bool, typer.Option("--history", help="Also query the superseded versions' graphs "
                                                 "(https://w3id.org/careerkg/graph/{doc_id}/v{n}), as /sparql does "
                                                 "with history=true.")] = False) -> None:
    """Run a read-only SPARQL query over the union of all graphs.

    The current graphs; with --history also the superseded versions' graphs.
    """
    from careerkg.graph.sparql import check_read_only

    p = Path(query)
    if len(query) < 4096 and p.suffix in (".rq", ".sparql", ".txt") and p.is_file():
        query = p.read_text("utf-8")
    check_read_only(query)
    fmt = _v(fmt)
    media = SPARQL_TYPES[fmt]
    svc = service()
    if svc is not None:
        accept = f"{media}, text/turtle;q=0.5" if fmt == "table" else media
        data = {"query": query, **({"history": "true"} if history else {})}
        r = client(svc).request("POST", "/sparql", data=data, headers={"Accept": accept})
        body, media_type = r.content, r.headers.get("content-type", media).split(";")[0]
        truncated = r.headers.get("x-sparql-truncated") == "true"
    else:
        body, media_type, truncated = _run_here(query, media, limit, history)
    if fmt != "table" or media_type != "application/sparql-results+json":
        sys.stdout.write(body.decode("utf-8"))
        return
    data = json.loads(body)
    if "boolean" in data:
        console.print(str(data["boolean"]).lower())
        return
    cols = data["head"]["vars"]
    bindings = data["results"]["bindings"][:limit]
    emit([{c: b.get(c, {}).get("value", "") for c in cols} for b in bindings], cols, ids=cols)
    if sys.stdout.isatty():
        console.print(f"{len(bindings)} rows{' (truncated)' if truncated else ''}")


def _run_here(query: str, media: str, limit: int, history: bool = False):
    if not history:
        return _run_on(graph_store(), query, media, limit)
    import tempfile

    from careerkg.graph.sparql import build_history_view
    from careerkg.graph.store import OxigraphStore

    store = graph_store()
    if not isinstance(store, OxigraphStore) or store.path is None:
        fail("--history needs the embedded graph store (not CAREERKG_SPARQL_ENDPOINT)")
    with tempfile.TemporaryDirectory(prefix="careerkg-history-") as tmp:
        build_history_view(store, get_settings().versions_dir, Path(tmp) / "view")
        return _run_on(OxigraphStore(Path(tmp) / "view", read_only=True), query, media, limit)


def _run_on(store, query: str, media: str, limit: int):
    from careerkg.errors import InvalidInput
    from careerkg.graph.sparql import run_query

    try:
        res = run_query(store, query, media, row_limit=limit)
    except InvalidInput as exc:
        if media != "application/sparql-results+json" or not ("CONSTRUCT" in str(exc) or "DESCRIBE" in str(exc)):
            raise
        res = run_query(store, query, "text/turtle", row_limit=limit)
    return res.body, res.media_type, res.truncated


@app.command()
@guarded
def export(fmt: Annotated[ExportFormat, typer.Option("--format", help="RDF format (nq, trig keep the named graphs).")
                          ] = ExportFormat.nq,
           output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default: stdout); "
                                                       "with --release, the folder the release goes in (default: .).")]
           = None,
           release: Annotated[bool, typer.Option("--release", help="Write a citable dated snapshot: the folder "
                                                 "careerkg-YYYY-MM-DD with careerkg.nq (N-Quads) and void.ttl (VoID: "
                                                 "issued date, counts of documents, entities and claims, the ESCO "
                                                 "version used, file checksums).")] = False,
           history: Annotated[bool, typer.Option("--history", help="With --release: add the kept superseded "
                                                 "versions' graphs as careerkg-history.nq.")] = False,
           overwrite: Annotated[bool, typer.Option("--overwrite", help="With --release: replace a release of the "
                                                   "same date.")] = False) -> None:
    """Export the whole graph (documents, gazetteer and ontology), or with --release a dated, citable snapshot."""
    import pyoxigraph as ox

    from careerkg.graph.store import GRAPH_FORMATS

    if release:
        _release(output or Path("."), history, overwrite)
        return
    if history:
        fail("--history goes with --release")
    data = graph_store().dump(GRAPH_FORMATS.get(EXPORT_TYPES[_v(fmt)], ox.RdfFormat.N_QUADS))
    if output:
        output.write_bytes(data)
        console.print(f"wrote {len(data):,} bytes to {output}")
    else:
        sys.stdout.buffer.write(data)


def _release(target: Path, history: bool, overwrite: bool) -> None:
    import pyoxigraph as ox

    from careerkg.graph.release import write_release
    from careerkg.graph.store import OxigraphStore

    s = get_settings()
    current = graph_store().dump(ox.RdfFormat.N_QUADS)
    kept = None
    if history:
        kept = b""
        if s.versions_dir.is_dir():  # read-only: a running service may hold the store
            kept = OxigraphStore(s.versions_dir, read_only=True).dump(ox.RdfFormat.N_QUADS)
    r = write_release(current, target, history=kept, overwrite=overwrite)
    console.print(f"wrote release {r.issued} to {r.directory}: {r.quads:,} quads, {r.documents} documents, "
                  f"{r.entities:,} entities, {r.claims:,} claims, {r.esco_links:,} ESCO links"
                  + (f"; history: {r.history_graphs} graphs, {r.history_quads:,} quads" if history else ""),
                  markup=False)


@app.command()
@guarded
def entities(kind: Annotated[Kind | None, typer.Option(help="Only this kind.")] = None,
             q: Annotated[str | None, typer.Option(help="Label or alias to search for.")] = None,
             limit: Annotated[int, typer.Option(help="Rows at most.")] = 500,
             unlinked: Annotated[bool, typer.Option("--unlinked", help="Only roles and skills with no ESCO link "
                                                    "(none found, or an ambiguous one).")] = False,
             as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """List entities in the graph with their kind and how many chunks mention them."""
    kind = _v(kind)
    svc = service()
    if svc is not None:
        params = {k: v for k, v in (("kind", kind), ("q", q), ("limit", min(limit, 500)),
                                    ("unlinked", "true" if unlinked else None)) if v}
        rows = client(svc).json("GET", "/entities", params=params)["entities"]
    else:
        from careerkg.graph.entities import search_entities
        from careerkg.graph.esco import linked_iris

        store = graph_store()
        found = search_entities(store, kind=kind, q=q, limit=1_000_000 if unlinked else limit)
        if unlinked:
            linked = linked_iris(store)
            found = [r for r in found if r.kind in ("role", "skill") and r.iri not in linked][:limit]
        rows = [{"kind": r.kind, "label": r.label, "mentions": r.mentions, "iri": r.iri} for r in found]
    emit(rows, ["kind", "label", "mentions", "iri"], as_json=as_json)


_BY_ALIAS = """SELECT DISTINCT ?e WHERE {
  VALUES ?p { skos:prefLabel rdfs:label skos:altLabel }
  ?e ?p ?l FILTER(LCASE(STR(?l)) = LCASE(?name)) }"""


def _resolve(net, store, name: str) -> str:
    """An entity IRI from an IRI, a label or any alias (``MLE``), then a partial label."""
    from careerkg.errors import NotFound

    g = net.graph()
    if name in g:
        return name
    hits = [r["e"] for r in store.select(_BY_ALIAS, {"name": name.strip()}) if r["e"] in g]
    if hits:
        return max(hits, key=g.degree)
    try:
        return net.resolve(name)
    except NotFound:
        raise NotFound(f"no entity called {name!r} in the graph (try `careerkg entities --q {name.split()[0]}`)") \
            from None


def _network():
    from careerkg.graph.network import KnowledgeNetwork

    store = graph_store()
    return KnowledgeNetwork(store), store


@graph_app.command("neighbours")
@guarded
def neighbours(name: Annotated[str, typer.Argument(help="Entity label, alias or IRI.")],
               limit: Annotated[int, typer.Option(help="Neighbours at most.")] = 20,
               as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """Entities related to one entity (by claims first, then co-mentions)."""
    net, store = _network()
    iri = _resolve(net, store, name)
    rows = [{"relation": n.relation, "kind": n.kind, "label": n.label, "weight": n.weight, "iri": n.iri}
            for n in net.neighbours(iri, limit)]
    if not as_json:
        err.print(f"neighbours of {iri}", markup=False)
    emit(rows, ["relation", "kind", "label", "weight", "iri"], as_json=as_json)


@graph_app.command("path")
@guarded
def path(source: Annotated[str, typer.Argument(help="Entity label, alias or IRI.")],
         target: Annotated[str, typer.Argument(help="Entity label, alias or IRI.")]) -> None:
    """The cheapest chain of relations between two entities."""
    net, store = _network()
    steps = net.path(_resolve(net, store, source), _resolve(net, store, target))
    parts = []
    for _, label, rel in steps:
        parts.append(label)
        if rel:
            parts.append(f"<--{rel[2:]}--" if rel.startswith("<-") else f"--{rel}-->")
    console.print(" ".join(parts), highlight=False, markup=False)


@graph_app.command("central")
@guarded
def central(kind: Annotated[Kind, typer.Option(help="Kind of entity.")] = Kind.skill,
            n: Annotated[int, typer.Option(help="How many.")] = 10,
            as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """The most central entities of a kind."""
    net, _ = _network()
    rows = [{"label": label, "centrality": round(c, 4), "iri": iri} for iri, label, c in net.central(_v(kind), n)]
    emit(rows, ["label", "centrality", "iri"], as_json=as_json)
