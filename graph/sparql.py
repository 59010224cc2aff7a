"""Read-only SPARQL: query-form detection, update refusal, content negotiation, the dataset, the service description.

* **Dataset** (SPARQL 1.1 Query §13, Protocol §2.1.4): without ``default-graph-uri`` /
  ``named-graph-uri`` and without ``FROM`` / ``FROM NAMED``, the default graph is the union of
  all named graphs (the store's own default graph is always empty) and every named graph is
  visible to ``GRAPH``. ``FROM`` / ``FROM NAMED`` make the dataset exactly the graphs they name;
  the protocol parameters override them, and either one alone leaves the other part empty.
* **Base IRI**: relative IRIs in a query resolve against :data:`BASE_IRI`
  (``https://w3id.org/careerkg/id/``, the namespace of every resource: ``<city/london>``
  is London), unless the query states its own ``BASE``.
* **Service description** (SPARQL 1.1 Service Description): :func:`service_description`.
* **History** (``history=true``): :func:`build_history_view` makes one store of the current graphs and
  the superseded versions' graphs (``.../graph/{doc_id}/v{n}``), on which the same dataset rules hold.

>>> query_form("PREFIX x: <http://x/> # comment\\nselect * { ?s ?p ?o }")
'SELECT'
>>> query_form("INSERT DATA { <a:b> <a:c> <a:d> }")
'UPDATE'
>>> has_dataset_clause("SELECT * FROM <g> { ?s ?p ?o }"), has_dataset_clause('ASK { ?from ?p "FROM <x>" }')
(True, False)
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pyoxigraph as ox

from careerkg.errors import Forbidden, InvalidInput, StoreError
from careerkg.graph.store import GRAPH_FORMATS, RESULT_FORMATS, GraphStore, OxigraphStore, RawResult
from careerkg.graph.vocab import ID_BASE

BASE_IRI = ID_BASE

_COMMENT = re.compile(r"(?m)(\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|<[^>\s]*>)|#[^\n]*")
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*", re.I)
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}

SOLUTION_TYPES = list(RESULT_FORMATS)
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
# strings and IRIs blanked, so that SERVICE is only found as a keyword
_LITERALS = re.compile(r"\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>")
_SERVICE = re.compile(r"(?<![\w?$:.\-])SERVICE(?![\w:.\-])", re.I)
_FROM = re.compile(r"(?<![\w?$:.@\-])FROM(?![\w:.\-])", re.I)


def _keywords_only(query: str) -> str:
    """The query with comments removed and every string and IRI blanked: what is left are keywords and names."""
    return _LITERALS.sub('""', _strip_comments(query))


def _strip_comments(query: str) -> str:
    return _COMMENT.sub(lambda m: m.group(1) or "", query)


def query_form(query: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, ``UPDATE`` or ``UNKNOWN``."""
    body = _strip_comments(query)
    body = body[_PROLOGUE.match(body).end():]
    m = _FORM.match(body.lstrip())
    if not m:
        return "UNKNOWN"
    word = m.group(1).upper()
    return "UPDATE" if word in _UPDATES else word


def check_read_only(query: str) -> str:
    """The query form; raises :class:`Forbidden` for SPARQL updates, :class:`InvalidInput` for empty text."""
    if not query or not query.strip():
        raise InvalidInput("empty SPARQL query")
    form = query_form(query)
    if form == "UPDATE":
        raise Forbidden("SPARQL updates are not allowed: this endpoint is read-only")
    if _SERVICE.search(_keywords_only(query)):
        raise Forbidden("federated queries (SERVICE) are not allowed: this endpoint never reaches the network")
    return form


def negotiate(form: str, accept: str | None, fmt: str | None = None) -> str:
    """Pick the response media type for a query form from an Accept header (or ``format=``)."""
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    offered = GRAPH_TYPES if graph_form else SOLUTION_TYPES
    aliases = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
               "ttl": "text/turtle", "nt": "application/n-triples", "ntriples": "application/n-triples",
               "jsonld": "application/ld+json", "json-ld": "application/ld+json", "rdfxml": "application/rdf+xml",
               "rdf+xml": "application/rdf+xml"}
    if graph_form:
        aliases.update({"json": "application/ld+json", "xml": "application/rdf+xml"})
    if fmt:
        media = aliases.get(fmt.lower(), fmt.lower())
        if media in offered:
            return media
        raise InvalidInput(f"cannot produce {fmt!r} for a {form} query; offered: {', '.join(offered)}")
    if not accept:
        return offered[0]
    ranges = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        ranges.append((-q, i, bits[0].lower()))
    for _, _, mr in sorted(ranges):
        if mr in ("*/*", "application/*", "text/*") or mr == "":
            prefix = mr.split("/")[0]
            for o in offered:
                if mr == "*/*" or o.startswith(prefix + "/"):
                    return o
        if mr == "application/json":
            return "application/sparql-results+json" if form not in ("CONSTRUCT", "DESCRIBE") else "application/ld+json"
        if mr == "application/xml":
            return "application/rdf+xml" if graph_form else "application/sparql-results+xml"
        if mr in offered:
            return mr
    raise NotAcceptable(f"cannot produce any of {accept!r} for a {form} query; offered: {', '.join(offered)}")


def names_rdf(accept: str | None) -> bool:
    """True when an ``Accept`` header names one of :data:`GRAPH_TYPES` with ``q`` above 0.

    >>> names_rdf("text/turtle;q=0.9, */*;q=0.1"), names_rdf("*/*"), names_rdf("application/rdf+xml;q=0")
    (True, False, False)
    """
    for part in (accept or "").split(","):
        media, *params = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in params:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if media.lower() in GRAPH_TYPES and q > 0:
            return True
    return False


class NotAcceptable(InvalidInput):
    code = "not_acceptable"


def has_dataset_clause(query: str) -> bool:
    """True when the query names its own dataset (``FROM`` or ``FROM NAMED``; only a dataset clause uses FROM)."""
    return bool(_FROM.search(_keywords_only(query)))


def run_query(store: GraphStore, query: str, media_type: str, *, row_limit: int | None = None,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              base_iri: str = BASE_IRI) -> RawResult:
    """Run a read-only query and serialise its result (no timeout: see ``api/sparql_pool.py``).

    Args:
        default_graphs, named_graphs: the protocol's ``default-graph-uri`` / ``named-graph-uri``
            (``None``: not given). When either is given the dataset is exactly these graphs.
        base_iri: what relative IRIs in the query resolve against (a query's own ``BASE`` wins).
    """
    check_read_only(query)
    if media_type not in RESULT_FORMATS and media_type not in GRAPH_FORMATS:
        raise InvalidInput(f"unsupported result type {media_type}")
    if isinstance(store, OxigraphStore):
        return store.raw_query(query, media_type, default_graphs=default_graphs, named_graphs=named_graphs,
                               row_limit=row_limit, base_iri=base_iri)
    # A SPARQL server: its union-default-graph option overrides FROM (``oxigraph serve`` does), so the
    # query's own dataset is sent as the protocol's; and it resolves relative IRIs against its own base.
    if default_graphs is None and named_graphs is None and has_dataset_clause(query):
        default_graphs, named_graphs = query_dataset(query, base_iri)
    if has_relative_iri(query):
        query = f"BASE <{base_iri}> {query}"  # same line: error positions keep their line numbers
    return store.raw_query(query, media_type, default_graphs=default_graphs, named_graphs=named_graphs,
                           row_limit=row_limit)


def build_history_view(store: OxigraphStore, versions_dir: Path, target: Path) -> None:
    """Write at ``target`` a store holding ``store``'s graphs and those of the versions store (history).

    A checkpoint of ``store`` (hard links, milliseconds) into which the versions store's quads are
    bulk-loaded: its cost is the size of the history, not of the current graphs, and it is queried at
    the speed of any store (open it with ``OxigraphStore(target, read_only=True)``). ``store`` and the
    versions store are only read (both may be read-only views); without ``versions_dir`` the view is
    the current graphs alone.
    """
    store.backup(target)
    if not versions_dir.is_dir():
        return
    try:
        versions = ox.Store.read_only(str(versions_dir))
        view = ox.Store(str(target))
        view.bulk_extend(iter(versions))
        view.flush()
    except (OSError, RuntimeError) as exc:
        raise StoreError(f"cannot combine the versions store {versions_dir} with the graph store: {exc}") from None
    finally:
        view = versions = None  # noqa: F841 - closes both RocksDB handles now


_TOKENS = re.compile(r"(?P<s>\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')"
                     r"|(?P<i><[^<>\"{}|^`\\\s]*>)|(?P<c>#[^\n]*)")
_SCHEME = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*:")
_KW = r"(?<![\w?$:.@\-])"
_DECL = re.compile(_KW + r"(?:BASE\s*<([^<>\s]*)>|PREFIX\s+([A-Za-z][\w.\-]*)?:\s*<([^<>\s]*)>)", re.I)
_DATASET_CLAUSE = re.compile(_KW + r"FROM\s+(NAMED\s+)?(?:<([^<>\s]*)>|([A-Za-z][\w.\-]*)?:((?:[\w\-.:%]|\\.)*))",
                             re.I)


def _code_only(query: str) -> str:
    """The query with comments and string contents blanked, IRIs kept, every offset unchanged."""
    def blank(m: re.Match) -> str:
        if m.group("i"):
            return m.group("i")
        text = m.group(0)
        return text[0] + " " * (len(text) - 2) + text[-1] if m.group("s") else " " * len(text)

    return _TOKENS.sub(blank, query)


def has_relative_iri(query: str) -> bool:
    """True when the query writes an IRI reference without a scheme (``<city/london>``, ``<>``).

    >>> has_relative_iri("ASK { <city/london> ?p ?o }"), has_relative_iri('ASK { <urn:x> ?p "<rel>" }')
    (True, False)
    """
    return any(not _SCHEME.match(m.group(0)) for m in _TOKENS.finditer(query) if m.group("i"))


def query_dataset(query: str, base_iri: str = BASE_IRI) -> tuple[list[str], list[str]]:
    """The graphs a query's ``FROM`` and ``FROM NAMED`` clauses name, as absolute IRIs.

    >>> query_dataset("PREFIX g: <http://g/> SELECT * FROM g:a FROM NAMED <b> { ?s ?p ?o }", "http://x/")
    (['http://g/a'], ['http://x/b'])

    Raises:
        InvalidInput: a clause uses a prefix the query does not declare.
    """
    code = _code_only(query)
    base, prefixes = base_iri, {}
    for m in _DECL.finditer(code):
        if m.group(1) is not None:
            base = urljoin(base, m.group(1))
        else:
            prefixes[m.group(2) or ""] = urljoin(base, m.group(3))
    defaults: list[str] = []
    named: list[str] = []
    for m in _DATASET_CLAUSE.finditer(code):
        if m.group(2) is not None:
            iri = urljoin(base, m.group(2))
        elif (m.group(3) or "") in prefixes:
            iri = prefixes[m.group(3) or ""] + re.sub(r"\\(.)", r"\1", m.group(4))
        else:
            raise InvalidInput(f"SPARQL syntax error: undeclared prefix '{m.group(3) or ''}:' in a FROM clause")
        (named if m.group(1) else defaults).append(iri)
    return defaults, named


# ---------------------------------------------------------------------------------- service description
SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMAT_IRIS = {  # W3C's unique identifiers for file formats (https://www.w3.org/ns/formats/)
    "application/sparql-results+json": "SPARQL_Results_JSON", "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV", "text/tab-separated-values": "SPARQL_Results_TSV", "text/turtle": "Turtle",
    "application/n-triples": "N-Triples", "application/ld+json": "JSON-LD", "application/rdf+xml": "RDF_XML",
}
SD_PREFIXES = {"sd": SD, "formats": "http://www.w3.org/ns/formats/", "entailment": "http://www.w3.org/ns/entailment/",
               "dcterms": "http://purl.org/dc/terms/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}


def result_format_iris() -> list[str]:
    """The ``formats:`` IRI of every result type the endpoint produces (solutions, then graphs)."""
    return [SD_PREFIXES["formats"] + _FORMAT_IRIS[m] for m in SOLUTION_TYPES + GRAPH_TYPES]


def service_description(endpoint: str, named_graphs: list[str] | None = None, *,
                        union_default_graph: bool = True) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of this read-only endpoint, as triples.

    Args:
        endpoint: the endpoint's absolute URL (``sd:endpoint``).
        named_graphs: the graphs of the default dataset (``sd:defaultDataset``); ``None`` leaves it out.
        union_default_graph: states ``sd:feature sd:UnionDefaultGraph``.
    """
    def sd(term: str) -> ox.NamedNode:
        return ox.NamedNode(SD + term)

    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    svc = ox.BlankNode("service")
    out = [ox.Triple(svc, a, sd("Service")),
           ox.Triple(svc, sd("endpoint"), ox.NamedNode(endpoint)),
           ox.Triple(svc, sd("supportedLanguage"), sd("SPARQL11Query")),
           ox.Triple(svc, sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
           ox.Triple(svc, ox.NamedNode(SD_PREFIXES["dcterms"] + "title"), ox.Literal("careerkg SPARQL endpoint")),
           ox.Triple(svc, ox.NamedNode(SD_PREFIXES["rdfs"] + "comment"), ox.Literal(
               "Read-only SPARQL 1.1 Query endpoint (updates and SERVICE are refused). Relative IRIs in a "
               f"query resolve against <{BASE_IRI}>. Without default-graph-uri, named-graph-uri, FROM or "
               "FROM NAMED the default graph is the union of all named graphs."))]
    out += [ox.Triple(svc, sd("resultFormat"), ox.NamedNode(f)) for f in result_format_iris()]
    if union_default_graph:
        out.append(ox.Triple(svc, sd("feature"), sd("UnionDefaultGraph")))
    if named_graphs is not None:
        ds, dg = ox.BlankNode("dataset"), ox.BlankNode("defaultGraph")
        out += [ox.Triple(svc, sd("defaultDataset"), ds), ox.Triple(ds, a, sd("Dataset")),
                ox.Triple(ds, sd("defaultGraph"), dg), ox.Triple(dg, a, sd("Graph"))]
        for i, g in enumerate(named_graphs):
            node = ox.BlankNode(f"graph{i}")
            out += [ox.Triple(ds, sd("namedGraph"), node), ox.Triple(node, a, sd("NamedGraph")),
                    ox.Triple(node, sd("name"), ox.NamedNode(g))]
    return out


def serialize_description(triples: list[ox.Triple], media_type: str) -> bytes:
    """Triples (a service description) in one of :data:`GRAPH_TYPES`."""
    fmt = GRAPH_FORMATS[media_type]
    prefixes = None if fmt == ox.RdfFormat.N_TRIPLES else SD_PREFIXES
    return ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
