"""The RDF store: a small protocol, embedded Oxigraph, and a remote SPARQL 1.1 endpoint.

Every document's triples live in its own named graph; replacing a document's graph
is one SPARQL update (``DROP SILENT GRAPH`` + ``INSERT DATA``), which Oxigraph and any
SPARQL 1.1 server apply atomically. Queries see the union of all graphs as the
default graph, and ``GRAPH ?g`` still works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol

import pyoxigraph as ox

from careerkg.errors import InvalidInput, StoreError
from careerkg.graph.vocab import SPARQL_PREFIXES

Value = str | float | int | bool | None

RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#decimal", "http://www.w3.org/2001/XMLSchema#integer",
    "http://www.w3.org/2001/XMLSchema#double", "http://www.w3.org/2001/XMLSchema#float",
    "http://www.w3.org/2001/XMLSchema#long", "http://www.w3.org/2001/XMLSchema#int",
}


def term_value(term) -> Value:
    """A pyoxigraph term as a plain Python value (IRI -> str, numeric literal -> float)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        if term.datatype.value in _NUMERIC:
            try:
                return float(term.value)
            except ValueError:
                return term.value
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#boolean":
            return term.value == "true"
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def to_term(value: Value):
    """A Python value as a pyoxigraph term (str starting with http(s) -> IRI)."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, str) and value.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(value)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false",
                          datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, (int, float)):
        return ox.Literal(repr(float(value)) if isinstance(value, float) else str(value),
                          datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    return ox.Literal(str(value))


_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


def inline_bindings(query: str, bindings: dict[str, Value] | None) -> str:
    """Bind variables with a ``VALUES`` block at the start of the WHERE group.

    The values are serialised as RDF terms by pyoxigraph (IRIs validated, literals escaped), so
    no caller text is ever pasted into a query. A one-row ``VALUES`` first in the group lets
    the engine start from the bound entity: on 385k quads a salary lookup took 14 ms this way
    against 869 ms with pyoxigraph's ``substitutions=`` (applied after evaluation).
    """
    if not bindings:
        return query
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(str(to_term(v)) for v in bindings.values())
    m = _WHERE.search(query)
    at = m.end() if m else query.find("{") + 1  # "ASK { ... }", "SELECT * { ... }": the first group
    if at <= 0:
        raise InvalidInput("a query with bindings needs a group pattern { ... }")
    return f"{query[:at]} VALUES ({names}) {{ ({terms}) }} {query[at:]}"


def replace_update(graph: str, quads: Iterable[ox.Quad]) -> str:
    """The SPARQL update that atomically replaces one named graph by ``quads``."""
    body = " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in quads)
    update = f"DROP SILENT GRAPH <{graph}> ;\n"
    if body:
        update += f"INSERT DATA {{ GRAPH <{graph}> {{\n{body} .\n}} }}"
    return update


@dataclass(frozen=True)
class RawResult:
    """A serialised query result for the SPARQL endpoint."""

    body: bytes
    media_type: str
    truncated: bool = False


class GraphStore(Protocol):
    """Where the RDF lives.

    ``replace_graph`` is atomic: readers see the old graph or the new one, never a
    mix; replacing a missing graph creates it, ``drop_graph`` of a missing graph is a
    no-op; ``drop_graph(before=...)`` applies that SPARQL update first, in the same
    transaction (removing a guide deletes the conflict nodes other graphs hold about its
    claims with it: :func:`careerkg.graph.conflicts.release_update`). ``select`` runs over
    the union of all graphs; ``bindings`` are bound as RDF terms by a ``VALUES`` block
    (:func:`inline_bindings`), never pasted text.
    """

    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None: ...

    def drop_graph(self, graph: str, *, before: str = "") -> None: ...

    def graph_names(self) -> list[str]: ...

    def select(self, query: str, bindings: dict[str, Value] | None = None) -> list[dict[str, Value]]: ...

    def raw_query(self, query: str, media_type: str, *, default_graphs: list[str] | None = None,
                  named_graphs: list[str] | None = None, row_limit: int | None = None) -> RawResult: ...

    def count(self) -> int: ...

    def dump(self, fmt: ox.RdfFormat) -> bytes: ...


class OxigraphStore:
    """:class:`GraphStore` on an embedded Oxigraph (on disk, or in memory if ``path`` is None)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        try:
            if path is None:
                self.store = ox.Store()
            elif read_only:
                self.store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(path))
        except (OSError, RuntimeError) as exc:  # RuntimeError: RocksDB corruption / unreadable files
            hint = " (is another careerkg process, e.g. `careerkg serve`, using this data dir?)" \
                if "lock" in str(exc).lower() else ""
            raise StoreError(f"cannot open the Oxigraph store at {path}: {exc}{hint}") from None

    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        g = ox.NamedNode(graph)
        try:
            self.store.update(replace_update(graph, [ox.Quad(q.subject, q.predicate, q.object, g) for q in quads]))
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"graph update failed: {exc}") from exc

    def drop_graph(self, graph: str, *, before: str = "") -> None:
        self.store.update((f"{before} ;\n" if before else "") + f"DROP SILENT GRAPH <{graph}>")

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def _query(self, query: str, **kw):
        try:
            if kw.get("default_graph") is None:
                kw.pop("default_graph", None)
                kw.setdefault("use_default_graph_as_union", True)
            return self.store.query(query, **kw)
        except SyntaxError as exc:
            raise InvalidInput(f"SPARQL syntax error: {exc}") from None
        except RuntimeError as exc:
            raise InvalidInput(f"SPARQL query error: {exc}") from None
        except OSError as exc:
            raise StoreError(f"SPARQL query failed: {exc}") from exc

    def select(self, query: str, bindings: dict[str, Value] | None = None) -> list[dict[str, Value]]:
        res = self._query(SPARQL_PREFIXES + inline_bindings(query, bindings))
        if isinstance(res, ox.QueryBoolean):
            return [{"ask": bool(res)}]
        names = [v.value for v in res.variables]
        return [{n: term_value(sol[n]) for n in names} for sol in res]

    def raw_query(self, query: str, media_type: str, *, default_graphs: list[str] | None = None,
                  named_graphs: list[str] | None = None, row_limit: int | None = None,
                  base_iri: str | None = None) -> RawResult:
        """Run a query for the SPARQL endpoint and serialise the result.

        The dataset (SPARQL 1.1 Protocol): when ``default_graphs`` or ``named_graphs`` is given it
        is exactly those graphs (the other one, if ``None``, is empty; they override the query's
        ``FROM``/``FROM NAMED``); else the query's own ``FROM``/``FROM NAMED``; else the union of
        all graphs as the default graph, with every named graph. ``base_iri`` resolves relative IRIs.
        """
        from careerkg.graph.sparql import has_dataset_clause

        kw: dict = {"base_iri": base_iri}
        if default_graphs is not None or named_graphs is not None:
            kw["default_graph"] = [ox.NamedNode(g) for g in default_graphs or ()]
            kw["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
        elif has_dataset_clause(query):
            kw["use_default_graph_as_union"] = False  # pyoxigraph's union flag would override FROM
        res = self._query(query, prefixes=None, **kw)
        return serialize_result(res, media_type, row_limit)

    def count(self) -> int:
        return len(self.store)

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        if fmt.supports_datasets:
            return self.store.dump(format=fmt)
        # triple formats get the union of all graphs
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in self.store}
        return ox.serialize(sorted(triples, key=str), format=fmt, prefixes=_prefix_map()) or b""

    def backup(self, target: Path) -> None:
        """A consistent on-disk snapshot (RocksDB checkpoint) for read-only readers."""
        self.store.flush()
        self.store.backup(str(target))


def _prefix_map() -> dict[str, str]:
    from careerkg.graph.vocab import PREFIXES

    return dict(PREFIXES)


def serialize_result(res, media_type: str, row_limit: int | None = None) -> RawResult:
    """Serialise pyoxigraph query results in ``media_type``, keeping at most ``row_limit`` rows.

    Raises:
        InvalidInput: the media type cannot represent this kind of result.
    """
    from careerkg.graph.results import serialize_rows

    if isinstance(res, (ox.QueryBoolean, ox.QuerySolutions)):
        fmt = RESULT_FORMATS.get(media_type)
        if fmt is None:
            raise InvalidInput(f"cannot produce {media_type} for a SELECT/ASK query")
        if isinstance(res, ox.QueryBoolean):
            return RawResult(res.serialize(format=fmt), media_type)
        names = [v.value for v in res.variables]
        rows, truncated = [], False
        for sol in res:
            if row_limit is not None and len(rows) >= row_limit:
                truncated = True
                break
            rows.append([sol[n] for n in names])
        return RawResult(serialize_rows(names, rows, media_type), media_type, truncated)
    fmt = GRAPH_FORMATS.get(media_type)
    if fmt is None:
        raise InvalidInput(f"cannot produce {media_type} for a CONSTRUCT/DESCRIBE query")
    triples, truncated = [], False
    for t in res:
        if row_limit is not None and len(triples) >= row_limit:
            truncated = True
            break
        triples.append(t)
    prefixes = None if fmt == ox.RdfFormat.N_TRIPLES else _prefix_map()
    return RawResult(ox.serialize(triples, format=fmt, prefixes=prefixes) or b"", media_type, truncated)
