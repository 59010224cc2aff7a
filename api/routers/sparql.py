"""``GET|POST /sparql``: a read-only SPARQL 1.1 Protocol endpoint.

* the query as the ``query`` URL parameter (GET), an urlencoded form field (POST
  ``application/x-www-form-urlencoded``) or the body (POST ``application/sparql-query``);
* ``default-graph-uri`` / ``named-graph-uri`` (URL or form) set the dataset; without
  them the default graph is the union of all named graphs;
* results by ``Accept`` (or a ``format``/``output`` parameter when no specific Accept
  is sent): SELECT/ASK as SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT/DESCRIBE
  as Turtle (default), N-Triples, JSON-LD or RDF/XML; 406 otherwise;
* updates are refused with 403 however they are sent; a syntax error is 400 with the
  parser's message; federated ``SERVICE`` calls are refused (the endpoint never
  reaches the network);
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
from careerkg.graph.sparql import check_read_only, negotiate

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
    media = _media(form, request.headers.get("accept"), _format_param(params))
    t0 = time.perf_counter()
    res = await run_in_threadpool(runner.run, query, media, timeout=settings.sparql_timeout,
                                  row_limit=settings.sparql_row_limit,
                                  default_graphs=default_graphs, named_graphs=named_graphs)
    ms = (time.perf_counter() - t0) * 1000
    headers = {ROW_LIMIT_HEADER: str(settings.sparql_row_limit), TRUNCATED_HEADER: "true" if res.truncated else "false",
               "X-SPARQL-Query-Ms": f"{ms:.1f}", "Vary": "Accept", "Cache-Control": "no-store"}
    media_type = res.media_type + ("; charset=utf-8" if res.media_type.startswith("text/") else "")
    return Response(res.body, media_type=media_type, headers=headers)


def _query_params(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for k, v in request.query_params.multi_items():
        params.setdefault(k, []).append(v)
    return params


@router.get("/sparql", summary="SPARQL query (GET)", responses=_RESPONSES,
            openapi_extra={"parameters": [
                {"name": "query", "in": "query", "required": True, "schema": {"type": "string"},
                 "example": _EXAMPLE, "description": "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE)."},
                {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
                 "description": "Graphs whose merge is the default graph (default: union of all)."},
                {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
                 "description": "Graphs visible to GRAPH (default: all)."}]})
async def sparql_get(request: Request, runner: SparqlRunnerDep, settings: SettingsDep) -> Response:
    """Run a read-only query given as the ``query`` URL parameter."""
    params = _query_params(request)
    if "update" in params:
        raise Forbidden(_UPDATE_REFUSED)
    return await _answer(request, runner, settings, _one(params, "query"), params)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("the request body is not valid UTF-8") from None


@router.post("/sparql", summary="SPARQL query (POST form or body)", responses=_RESPONSES,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/sparql-query": {"schema": {"type": "string"}, "example": _EXAMPLE},
                 "application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["query"],
                                                                  "properties": {"query": {"type": "string"}}}}}}})
async def sparql_post(request: Request, runner: SparqlRunnerDep, settings: SettingsDep) -> Response:
    """Run a read-only query sent as an urlencoded ``query`` field or as an ``application/sparql-query`` body.

    ``application/sparql-update`` bodies and ``update`` form fields are refused (403).
    """
    ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    params = _query_params(request)
    if "update" in params or ctype == "application/sparql-update":
        raise Forbidden(_UPDATE_REFUSED)
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
