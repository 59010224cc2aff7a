"""Pages for people: ask (``/``), guide library and viewer (``/guides``), entity pages, SPARQL editor, ``/docs``.

Server-rendered with Jinja2 (FastAPI's ``Jinja2Templates``, autoescaping on) plus a little
plain JavaScript from ``api/web/static``; every third-party file (YASGUI, Swagger UI) is
vendored there, so the pages work offline and nothing is fetched from a CDN.

``/entities/{kind}/{slug}`` and ``GET /sparql`` are shared with the JSON API: their page
routes (:class:`HTMLRoute`) match only when the browser asks for HTML (and, for ``/sparql``,
sends no query), so every other client reaches the API route of the same path unchanged.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.routing import Match

from careerkg.api.errors import public_message, status_for
from careerkg.api.web import views
from careerkg.api.web.data import document_claims, nearest_passages
from careerkg.api.web.sparql_examples import EXAMPLES, HISTORY_EXAMPLES, PREFIXES
from careerkg.errors import CareerKGError, NotFound

log = logging.getLogger("careerkg.api")

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=str(HERE / "templates"))

_HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_QUESTION = 1000


def _accept(scope) -> str:
    for k, v in scope.get("headers", ()):
        if k == b"accept":
            return v.decode("latin-1")
    return ""


def prefers_html(accept: str) -> bool:
    """True when an ``Accept`` header names HTML at least as highly as any other named type.

    ``*/*`` alone (curl, most HTTP libraries) is not a request for HTML.

    >>> prefers_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    True
    >>> prefers_html("application/json, text/html;q=0.5"), prefers_html("*/*"), prefers_html("")
    (False, False, False)
    """
    html_q, other_q = 0.0, 0.0
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        media = media.lower()
        if not media or media == "*/*":
            continue
        q = 1.0
        for p in params:
            k, _, v = p.partition("=")
            if k.strip().lower() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        if media in _HTML_TYPES:
            html_q = max(html_q, q)
        else:
            other_q = max(other_q, q)
    return html_q > 0 and html_q >= other_q


class HTMLRoute(APIRoute):
    """A page route that matches only requests preferring HTML; others fall through to the API route."""

    def matches(self, scope):
        match, child = super().matches(scope)
        if match is Match.NONE or not prefers_html(_accept(scope)):
            return Match.NONE, {}
        return match, child


class EditorRoute(HTMLRoute):
    """``GET /sparql`` from a browser *without* a ``query`` (or ``update``): the editor page."""

    def matches(self, scope):
        params = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        if "query" in params or "update" in params:
            return Match.NONE, {}
        return super().matches(scope)


router = APIRouter(include_in_schema=False)
negotiated = APIRouter(include_in_schema=False, route_class=HTMLRoute)
_GET = ["GET", "HEAD"]


def _runtime(request: Request):
    return getattr(request.app.state, "runtime", None)


def page(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
    """Render a template with the context every page needs."""
    ctx.setdefault("nav", "")
    return templates.TemplateResponse(request, name, ctx, status_code=status,
                                      headers={"Cache-Control": "no-store", "Vary": "Accept"})


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return page(request, "error.html", status=status, title="Error", code=status, message=public_message(message))


def _starting(request: Request) -> HTMLResponse:
    return error_page(request, 503, "The service is starting up; reload this page in a few seconds.")


# ------------------------------------------------------------------------------- ask
@router.api_route("/", methods=_GET, response_class=HTMLResponse)
async def ask_page(request: Request, q: str | None = None) -> HTMLResponse:
    """The ask page; ``/?q=...`` asks on load (the answer is rendered by the server)."""
    question = (q or "").strip()
    ctx: dict = {"nav": "ask", "title": "Ask", "q": question, "view": None, "error": None}
    if not question:
        return page(request, "ask.html", **ctx)
    if len(question) > MAX_QUESTION:
        ctx["error"] = f"The question is {len(question):,} characters long; the limit is {MAX_QUESTION:,}."
        return page(request, "ask.html", status=400, **ctx)
    rt = _runtime(request)
    if rt is None:
        return _starting(request)
    try:
        qa = rt.qa
        answer = await run_in_threadpool(qa.ask, question)
        view = await _answer_view(rt, asdict(answer))
    except ImportError:
        ctx["error"] = "Question answering is not available in this installation."
        return page(request, "ask.html", status=503, **ctx)
    except CareerKGError as exc:
        ctx["error"] = public_message(str(exc))
        return page(request, "ask.html", status=status_for(exc), **ctx)
    ctx["view"] = view
    return page(request, "ask.html", **ctx)


async def _answer_view(rt, ans: dict) -> views.AnswerView:
    """The page's view of a finished answer (``POST /ask``'s JSON shape); nearest passages for a bare abstention."""
    with rt.pipeline.lock.read():
        records = dict(rt.pipeline.manifest.docs)
    view = views.answer_view(ans, records)
    if view.abstained and not view.citations and view.question:
        view.nearest = await run_in_threadpool(nearest_passages, rt, view.question)
    return view


@router.post("/fragments/answer", response_class=HTMLResponse)
async def answer_fragment(request: Request) -> HTMLResponse:
    """The ask page's answer section for a finished answer the page already holds (the ``done`` event of a
    streamed ``POST /ask``): the same markup as ``GET /?q=``, and no answer is computed again.

    JSON only (``Content-Type: application/json``), so a cross-site form cannot have it rendered.
    """
    from pydantic import ValidationError

    from careerkg.api.schemas import AskResponse

    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return HTMLResponse('<p class="error" role="alert">Send the answer as JSON.</p>', status_code=415)
    try:
        ans = AskResponse.model_validate_json(await request.body())
    except ValidationError:
        return HTMLResponse('<p class="error" role="alert">Not an answer.</p>', status_code=422)
    if len(ans.question) > MAX_QUESTION:
        return HTMLResponse('<p class="error" role="alert">The question is too long.</p>', status_code=400)
    rt = _runtime(request)
    if rt is None:
        return HTMLResponse('<p class="error" role="alert">The service is starting up.</p>', status_code=503)
    view = await _answer_view(rt, ans.model_dump())
    return templates.TemplateResponse(request, "_answer.html", {"view": view},
                                      headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


# ------------------------------------------------------------------------------- guides
@router.api_route("/guides", methods=_GET, response_class=HTMLResponse)
async def guides_page(request: Request) -> HTMLResponse:
    """Every ingested guide; upload / re-ingest / delete controls appear once an API key is entered."""
    rt = _runtime(request)
    if rt is None:
        return _starting(request)
    p = rt.pipeline
    with p.lock.read():
        recs = sorted(p.manifest.docs.values(), key=lambda r: r.doc_id)
        rows = [views.record_view(r) for r in recs]
    settings = request.app.state.settings
    return page(request, "guides.html", nav="guides", title="Guides", guides=rows,
                writes_enabled=bool(settings.api_key), max_bytes=settings.max_document_bytes)


@router.api_route("/guides/{doc_id}", methods=_GET, response_class=HTMLResponse)
async def guide_page(request: Request, doc_id: str) -> HTMLResponse:
    """One guide's text with its claims highlighted by kind; ``#start-end`` highlights a span."""
    rt = _runtime(request)
    if rt is None:
        return _starting(request)
    p = rt.pipeline

    def load():
        with p.lock.read():
            rec = p.record(doc_id)
            text = p.text(doc_id)
            claims = document_claims(rt.graph, doc_id)
        return rec, text, claims

    try:
        rec, text, claims = await run_in_threadpool(load)
    except NotFound:
        return error_page(request, 404, f"No guide with the id {doc_id[:130]!r}.")
    except CareerKGError as exc:
        return error_page(request, status_for(exc), str(exc))
    counts = {k: 0 for k in views.CLAIM_KINDS}
    for _, _, k in claims:
        counts[k] += 1
    legend = [{"kind": k, "label": label, "count": counts[k]} for k, label in views.CLAIM_KINDS.items() if counts[k]]
    return page(request, "guide.html", nav="guides", title=rec.title or rec.doc_id, guide=views.record_view(rec),
                segments=views.text_segments(text, claims), legend=legend, labels=views.CLAIM_KINDS)


# ------------------------------------------------------------------------------- entities
@negotiated.api_route("/entities/{kind}/{slug}", methods=_GET, response_class=HTMLResponse)
async def entity_page(request: Request, kind: str, slug: str) -> HTMLResponse:
    """The entity card of ``GET /entities/{kind}/{slug}`` as a page (browsers only)."""
    from careerkg.api.routers.entities import card

    rt = _runtime(request)
    if rt is None:
        return _starting(request)
    try:
        c = await run_in_threadpool(card, rt, kind, slug)
    except NotFound:
        return error_page(request, 404, f"No entity {kind[:40]}/{slug[:120]}.")
    except CareerKGError as exc:
        return error_page(request, status_for(exc), str(exc))
    cites = {x.id: {**x.model_dump(), "href": views.guide_href(x.doc_id, x.start, x.end)} for x in c.citations}
    query = (PREFIXES + f"\nSELECT ?p ?o ?label WHERE {{\n  <{c.iri}> ?p ?o .\n"
             "  OPTIONAL { ?o skos:prefLabel ?label }\n} LIMIT 200\n")
    neighbours = [{**n.model_dump(), "href": views.entity_href(n.iri, n.kind)
                   if n.iri.startswith("https://w3id.org/careerkg/id/") else None} for n in c.neighbours]
    return page(request, "entity.html", nav="", title=c.label, card=c, cites=cites, neighbours=neighbours,
                sparql_query=query)


# ------------------------------------------------------------------------------- SPARQL editor
async def sparql_editor(request: Request) -> HTMLResponse:
    """YASGUI pointed at this service's ``/sparql``, with the researcher queries as examples."""
    examples = [{"name": k, "title": t, "query": q, "history": k in HISTORY_EXAMPLES} for k, (t, q) in EXAMPLES.items()]
    default = EXAMPLES["salaries_by_city"][1]
    return page(request, "sparql.html", nav="sparql", title="SPARQL", examples=examples, default_query=default)


negotiated.add_api_route("/sparql", sparql_editor, methods=_GET, response_class=HTMLResponse,
                         route_class_override=EditorRoute)


# ------------------------------------------------------------------------------- install
def _docs(app: FastAPI):
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url, title="careerkg API",
                                   swagger_js_url="/docs-static/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-static/swagger-ui.css",
                                   swagger_favicon_url="/docs-static/favicon-32x32.png")

    return docs


def install(app: FastAPI) -> None:
    """Mount the pages, their static files and ``/docs`` (Swagger UI 5, reads OpenAPI 3.1) on ``app``.

    Call it before the API routers are included: the HTML-only routes must be tried first.
    """
    app.include_router(negotiated)
    app.include_router(router)
    app.add_api_route("/docs", _docs(app), methods=_GET, include_in_schema=False, response_class=HTMLResponse)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.mount("/docs-static", StaticFiles(directory=str(STATIC_DIR / "swagger-ui")), name="docs-static")
