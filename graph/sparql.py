"""Read-only SPARQL: query-form detection, update refusal, content negotiation.

>>> query_form("PREFIX x: <http://x/> # comment\\nselect * { ?s ?p ?o }")
'SELECT'
>>> query_form("INSERT DATA { <a:b> <a:c> <a:d> }")
'UPDATE'
"""

from __future__ import annotations

import re

from careerkg.errors import Forbidden, InvalidInput
from careerkg.graph.store import GRAPH_FORMATS, RESULT_FORMATS, GraphStore, RawResult

_COMMENT = re.compile(r"(?m)(\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|<[^>\s]*>)|#[^\n]*")
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*", re.I)
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}

SOLUTION_TYPES = list(RESULT_FORMATS)
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
# strings and IRIs blanked, so that SERVICE is only found as a keyword
_LITERALS = re.compile(r"\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>")
_SERVICE = re.compile(r"(?<![\w?$:.\-])SERVICE(?![\w:.\-])", re.I)


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
    if _SERVICE.search(_LITERALS.sub('""', _strip_comments(query))):
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


class NotAcceptable(InvalidInput):
    code = "not_acceptable"


def run_query(store: GraphStore, query: str, media_type: str, *, row_limit: int | None = None,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> RawResult:
    """Run a read-only query and serialise its result (no timeout: see ``api/sparql_pool.py``)."""
    check_read_only(query)
    if media_type not in RESULT_FORMATS and media_type not in GRAPH_FORMATS:
        raise InvalidInput(f"unsupported result type {media_type}")
    return store.raw_query(query, media_type, default_graphs=default_graphs, named_graphs=named_graphs,
                           row_limit=row_limit)
