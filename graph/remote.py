"""A :class:`~careerkg.graph.store.GraphStore` on any SPARQL 1.1 query + update endpoint.

``oxigraph serve``, Fuseki, GraphDB, Virtuoso, Neptune ...: chosen by
``CAREERKG_SPARQL_ENDPOINT`` (and ``CAREERKG_SPARQL_UPDATE_ENDPOINT`` when updates go
elsewhere). The server must use the union of its named graphs as the default graph
for queries (``oxigraph serve --union-default-graph``; Fuseki ``unionDefaultGraph``),
as the embedded store does. Replacing a document's graph is one update request
(``DROP SILENT GRAPH`` + ``INSERT DATA``), which SPARQL 1.1 servers apply atomically.
"""

from __future__ import annotations

import json

import httpx
import pyoxigraph as ox

from careerkg.errors import InvalidInput, QueryTimeout, StoreError
from careerkg.graph.store import RawResult, Value, inline_bindings, replace_update
from careerkg.graph.vocab import SPARQL_PREFIXES

def _term(b: dict):
    t = b["type"]
    if t == "uri":
        return ox.NamedNode(b["value"])
    if t == "bnode":
        return ox.BlankNode(b["value"])
    if "xml:lang" in b:
        return ox.Literal(b["value"], language=b["xml:lang"])
    if "datatype" in b:
        return ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"]))
    return ox.Literal(b["value"])


class SparqlHttpStore:
    """GraphStore over HTTP (SPARQL 1.1 Protocol)."""

    def __init__(self, endpoint: str, update_endpoint: str = "", *, timeout: float = 10.0) -> None:
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self.client = httpx.Client(timeout=timeout)

    def _post(self, url: str, data: dict, accept: str) -> httpx.Response:
        try:
            r = self.client.post(url, data=data, headers={"Accept": accept})
        except httpx.TimeoutException:
            raise QueryTimeout(f"SPARQL endpoint {url} timed out") from None
        except httpx.HTTPError as exc:
            raise StoreError(f"SPARQL endpoint {url} unreachable: {exc}") from None
        if r.status_code == 400:
            raise InvalidInput(f"SPARQL error: {r.text[:300]}")
        if r.status_code >= 300:
            raise StoreError(f"SPARQL endpoint {url} answered {r.status_code}: {r.text[:200]}")
        return r

    def update(self, update: str) -> None:
        self._post(self.update_endpoint, {"update": update}, "*/*")

    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        self.update(replace_update(graph, quads))

    def drop_graph(self, graph: str, *, before: str = "") -> None:
        self.update((f"{before} ;\n" if before else "") + f"DROP SILENT GRAPH <{graph}>")

    def graph_names(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(r["g"] for r in rows)

    def _solutions(self, query: str) -> tuple[list[str], list[dict]]:
        r = self._post(self.endpoint, {"query": query}, "application/sparql-results+json")
        data = json.loads(r.content)
        if "boolean" in data:
            return ["ask"], [{"ask": {"type": "literal", "value": "true" if data["boolean"] else "false",
                                      "datatype": "http://www.w3.org/2001/XMLSchema#boolean"}}]
        return data["head"]["vars"], data["results"]["bindings"]

    def select(self, query: str, bindings: dict[str, Value] | None = None) -> list[dict[str, Value]]:
        from careerkg.graph.store import term_value

        names, rows = self._solutions(SPARQL_PREFIXES + inline_bindings(query, bindings))
        return [{n: term_value(_term(row[n])) if n in row else None for n in names} for row in rows]

    def raw_query(self, query: str, media_type: str, *, default_graphs: list[str] | None = None,
                  named_graphs: list[str] | None = None, row_limit: int | None = None) -> RawResult:
        """Pass-through to the server (its own limits apply; ``row_limit`` is not enforced here)."""
        data: dict = {"query": query}
        if default_graphs:
            data["default-graph-uri"] = default_graphs
        if named_graphs:
            data["named-graph-uri"] = named_graphs
        r = self._post(self.endpoint, data, media_type)
        return RawResult(r.content, r.headers.get("content-type", media_type).split(";")[0])

    def count(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"]) if rows else 0

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        names, rows = self._solutions("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        if fmt.supports_datasets:
            quads = [ox.Quad(_term(r["s"]), _term(r["p"]), _term(r["o"]), _term(r["g"])) for r in rows]
            return ox.serialize(quads, format=fmt) or b""
        triples = {ox.Triple(_term(r["s"]), _term(r["p"]), _term(r["o"])) for r in rows}
        return ox.serialize(sorted(triples, key=str), format=fmt) or b""
