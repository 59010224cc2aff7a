"""``GET|POST /sparql``: a read-only SPARQL 1.1 Protocol endpoint.

* the query as the ``query`` URL parameter (GET), an urlencoded form field (POST
  ``application/x-www-form-urlencoded``) or the body (POST ``application/sparql-query``);
* the dataset is strict (SPARQL 1.1 Protocol §2.1.4): ``default-graph-uri`` /
  ``named-graph-uri`` (URL or form) make it exactly the graphs they name and override
  ``FROM`` / ``FROM NAMED``; either alone leaves the other part empty; with neither and no
  ``FROM``, the default graph is the union of all named graphs and every named graph is visible;
* ``history=true`` (URL or form) adds the superseded versions' graphs
  (``https://w3id.org/careerkg/graph/{doc_id}/v{n}``, from ``DATA_DIR/versions``) to the dataset, with
  the same rules: the union default graph then merges current and past graphs, so ``GRAPH ?g`` (or
  ``named-graph-uri``) is how a query tells versions apart; without it only current graphs are seen;
* relative IRIs resolve against ``https://w3id.org/careerkg/id/`` (``<city/london>``);
* ``GET /sparql`` with no query and an ``Accept`` naming Turtle, N-Triples, JSON-LD or RDF/XML
  (or ``format=ttl`` ...) is the SPARQL 1.1 Service Description; a browser asking for HTML gets
  the editor page (``api/web/pages.py``); any other client is told the query is missing (400);
* results by ``Accept`` (or a ``format``/``output`` parameter when no specific Accept
  is sent): SELECT/ASK as SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT/DESCRIBE
  as Turtle (default), N-Triples, JSON-LD or RDF/XML; 406 otherwise;
* updates are refused with 403 however they are sent; a syntax error is 400 with the
  parser's message; a body in another charset than UTF-8 is 415; federated ``SERVICE``
  calls are refused (the endpoint never reaches the network); any other method is 405
  with ``Allow: GET, HEAD, POST`` (:mod:`careerkg.api.http_rules`);
* each query runs under ``CAREERKG_SPARQL_TIMEOUT`` (504 when it runs past it, and
  it is stopped) and returns at most ``CAREERKG_SPARQL_ROW_LIMIT`` rows or triples:
  ``X-SPARQL-Row-Limit`` states the cap, ``X-SPARQL-Truncated: true`` says it cut.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from careerkg.api.deps import SettingsDep, SparqlRunnerDep, read_body
from careerkg.api.errors import UnsupportedMediaType
from careerkg.api.schemas import error_responses
from careerkg.errors import Forbidden, InvalidInput
from careerkg.graph.sparql import (GRAPH_TYPES, check_read_only, names_rdf, negotiate, serialize_description,
                                   service_description)

router = APIRouter(tags=["sparql"])

MAX_QUERY_BYTES = 1_000_000
ROW_LIMIT_HEADER = "X-SPARQL-Row-Limit"
TRUNCATED_HEADER = "X-SPARQL-Truncated"
EXPOSED_HEADERS = [ROW_LIMIT_HEADER, TRUNCATED_HEADER, "X-SPARQL-Query-Ms"]
_UPDATE_REFUSED = "SPARQL updates are not allowed: this endpoint is read-only"
_FORMAT_PARAMS = ("format", "output", "results")

_EXAMPLE = ("PREFIX schema: <https://schema.org/>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "SELECT ?org ?name ?city WHERE {\n  ?org a schema:Organization ; skos:prefLabel ?name ;"
            " schema:location ?c .\n  ?c skos:prefLabel ?city .\n} LIMIT 20")

_HISTORY_DOC = ("true: the dataset also holds the superseded versions' graphs "
                "(https://w3id.org/careerkg/graph/{doc_id}/v{n}, with prov:generatedAtTime / prov:invalidatedAtTime); "
                "default false: current graphs only.")
_HISTORY_PARAM = {"name": "history", "in": "query", "schema": {"type": "boolean", "default": False},
                  "description": _HISTORY_DOC}

_RESULT_CONTENT = {t: {} for t in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                                   "text/tab-separated-values", "text/turtle", "application/n-triples",
                                   "application/ld+json", "application/rdf+xml")}
_RESPONSES = {200: {"content": _RESULT_CONTENT,
                    "description": "Query results. Headers: X-SPARQL-Row-Limit (the cap), X-SPARQL-Truncated."},
              **error_responses(400, 403, 406, 413, 415, 503, 504)}


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name) or []
    if len(values) > 1:
        raise InvalidInput(f"give one {name!r} parameter, not {len(values)}")
    return values[0] if values else None


def _format_param(params: dict[str, list[str]]) -> list[str]:
    return [v for name in _FORMAT_PARAMS for v in params.get(name, []) if v.strip()]


def _media(form: str, accept: str | None, fmt_values: list[str]) -> str:
    """Accept decides unless it is absent or only ``*/*``; then ``format=``/``output=`` may choose."""
    specific = accept and any(r.split(";")[0].strip() not in ("*/*", "") for r in accept.split(","))
    if not specific and fmt_values:
        for v in fmt_values:
            try:
                return negotiate(form, None, v)
            except InvalidInput:
                continue
        return negotiate(form, None, fmt_values[0])  # raises with the reason
    return negotiate(form, accept)


def _history(params: dict[str, list[str]]) -> bool:
    value = (_one(params, "history") or "false").strip().lower()
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off", ""):
        return False
    raise InvalidInput(f"history must be true or false, not {value[:40]!r}")


def _graphs(params: dict[str, list[str]], name: str) -> list[str] | None:
    values = params.get(name) or []
    for v in values:
        try:
            ox.NamedNode(v)
        except ValueError as exc:
            raise InvalidInput(f"invalid {name} {v[:200]!r}: {exc}") from None
    return values or None


async def _answer(request: Request, runner, settings, query: str | None, params: dict[str, list[str]]) -> Response:
    if query is None:
        raise InvalidInput("missing SPARQL query: send it as the 'query' parameter, as a form field or as an "
                           "application/sparql-query body")
    form = check_read_only(query)
    default_graphs, named_graphs = _graphs(params, "default-graph-uri"), _graphs(params, "named-graph-uri")
    history = _history(params)
    media = _media(form, request.headers.get("accept"), _format_param(params))
    t0 = time.perf_counter()
    res = await run_in_threadpool(runner.run, query, media, timeout=settings.sparql_timeout,
                                  row_limit=settings.sparql_row_limit,
                                  default_graphs=default_graphs, named_graphs=named_graphs, history=history)
    ms = (time.perf_counter() - t0) * 1000
    headers = {ROW_LIMIT_HEADER: str(settings.sparql_row_limit), TRUNCATED_HEADER: "true" if res.truncated else "false",
               "X-SPARQL-Query-Ms": f"{ms:.1f}", "Vary": "Accept", "Cache-Control": "no-store"}
    media_type = res.media_type + ("; charset=utf-8" if res.media_type.startswith("text/") else "")
    return Response(res.body, media_type=media_type, headers=headers)


def _endpoint_url(request: Request) -> str:
    """The endpoint's absolute URL as the client reached it (scheme, host and path; no query)."""
    return str(request.url.replace(query="", fragment=""))


async def _describe(request: Request, runner, params: dict[str, list[str]]) -> Response:
    """The service description, when the client names an RDF type (``Accept`` or ``format=``); else 400."""
    accept, fmt = request.headers.get("accept"), _format_param(params)
    media = None
    if names_rdf(accept) or fmt:
        try:
            media = _media("CONSTRUCT", accept, fmt)
        except InvalidInput:  # NotAcceptable too: nothing RDF that we write
            media = None
    if media is None:
        raise InvalidInput("missing SPARQL query: send it as the 'query' parameter, as a form field or as an "
                           "application/sparql-query body (GET /sparql without one is the service description "
                           f"for an Accept naming {', '.join(GRAPH_TYPES)})")
    graphs = await run_in_threadpool(runner.graph_names)
    body = serialize_description(service_description(_endpoint_url(request), graphs), media)
    media_type = media + ("; charset=utf-8" if media.startswith("text/") else "")
    return Response(body, media_type=media_type, headers={"Vary": "Accept", "Cache-Control": "no-store"})


def _query_params(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for k, v in request.query_params.multi_items():
        params.setdefault(k, []).append(v)
    return params


@router.get("/sparql", summary="SPARQL query (GET)", responses=_RESPONSES,
            openapi_extra={"parameters": [
                {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
                 "example": _EXAMPLE, "description": "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE). "
                 "Without it (and without graph parameters) the answer is the SPARQL 1.1 Service Description."},
                {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
                 "description": "Graphs whose merge is the default graph. Given alone: no named graphs. "
                                "Neither given: the query's FROM / FROM NAMED, else the union of all graphs."},
                {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
                 "description": "Graphs visible to GRAPH. Given alone: an empty default graph."},
                _HISTORY_PARAM]})
async def sparql_get(request: Request, runner: SparqlRunnerDep, settings: SettingsDep) -> Response:
    """Run a read-only query given as the ``query`` URL parameter; with none, the service description."""
    params = _query_params(request)
    if "update" in params:
        raise Forbidden(_UPDATE_REFUSED)
    if "query" not in params and not params.keys() & {"default-graph-uri", "named-graph-uri"}:
        return await _describe(request, runner, params)
    return await _answer(request, runner, settings, _one(params, "query"), params)


def _content_type(header: str | None) -> tuple[str, str | None]:
    """``("application/sparql-query", "utf-8")`` from ``application/sparql-query; charset=UTF-8``."""
    media, *params = (header or "").split(";")
    charset = None
    for p in params:
        k, _, v = p.partition("=")
        if k.strip().lower() == "charset":
            charset = v.strip().strip('"').lower()
    return media.strip().lower(), charset


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("the request body is not valid UTF-8") from None


@router.post("/sparql", summary="SPARQL query (POST form or body)", responses=_RESPONSES,
             openapi_extra={"parameters": [_HISTORY_PARAM], "requestBody": {"required": True, "content": {
                 "application/sparql-query": {"schema": {"type": "string"}, "example": _EXAMPLE},
                 "application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["query"],
                                                                  "properties": {"query": {"type": "string"}, "history": {
                                                                      "type": "boolean", "description": _HISTORY_DOC}}}}}}})
async def sparql_post(request: Request, runner: SparqlRunnerDep, settings: SettingsDep) -> Response:
    """Run a read-only query sent as an urlencoded ``query`` field or as an ``application/sparql-query`` body.

    ``application/sparql-update`` bodies and ``update`` form fields are refused (403).
    """
    ctype, charset = _content_type(request.headers.get("content-type"))
    params = _query_params(request)
    if "update" in params or ctype == "application/sparql-update":
        raise Forbidden(_UPDATE_REFUSED)
    if charset not in (None, "utf-8", "utf8"):
        raise UnsupportedMediaType(f"unsupported charset {charset[:40]!r}: SPARQL requests are UTF-8")
    if ctype == "application/x-www-form-urlencoded":
        form = parse_qs(_decode(await read_body(request, MAX_QUERY_BYTES)), keep_blank_values=True)
        if "update" in form:
            raise Forbidden(_UPDATE_REFUSED)
        if "query" in params and "query" in form:
            raise InvalidInput("give the query once: as a form field or as a URL parameter")
        merged = {**params}
        for k, v in form.items():
            merged.setdefault(k, []).extend(v)
        return await _answer(request, runner, settings, _one(merged, "query"), merged)
    if ctype == "application/sparql-query":
        if "query" in params:
            raise InvalidInput("with an application/sparql-query body, do not also send a 'query' parameter")
        return await _answer(request, runner, settings, _decode(await read_body(request, MAX_QUERY_BYTES)), params)
    raise UnsupportedMediaType(f"unsupported Content-Type {ctype or '(none)'!r}: POST the query as "
                               "application/x-www-form-urlencoded or application/sparql-query")
