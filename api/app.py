"""The FastAPI app: assembled here, one router per resource, services built once at start-up.

``careerkg serve`` runs ``uvicorn careerkg.api.app:create_app --factory``. Tests call
:func:`create_app` with their own :class:`~careerkg.settings.Settings` (and may pass a
:class:`~careerkg.api.runtime.Runtime` they built, to share one ingested data dir between apps).
"""

from __future__ import annotations

import logging
import time
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException as StarletteHTTPException

from careerkg.api import errors
from careerkg.api.http_rules import HeadAsGet
from careerkg.api.routers import ask, documents, entities, health, jobs, sparql
from careerkg.api.web import pages as web_pages
from careerkg.jobs import JobQueue
from careerkg.settings import Settings, get_settings

log = logging.getLogger("careerkg.api")

DESCRIPTION = """
Career guides about machine-learning jobs in the UK, as a knowledge graph and a retrieval
index, answering questions with citations that point at the exact sentence they rest on.

* `POST /ask` — a question in, an answer with `[n]` citations (document, character span, quote) out.
* `GET|POST /sparql` — a read-only SPARQL 1.1 Protocol endpoint over the graph (union of all
  documents' named graphs as the default graph).
* `/documents` — what is ingested, and the text citation offsets index; `PUT`/`DELETE` need
  `Authorization: Bearer $CAREERKG_API_KEY`. A large guide (or `Prefer: respond-async`) is queued:
  `202 Accepted`, `Location: /jobs/{job_id}`.
* `/jobs` — queued guide uploads: status, then the PUT's result or its error (bearer token).
* `/entities` — entity search and cards (claims with citations, neighbours).

Every error is `{"error": {"code": ..., "message": ...}}`: malformed JSON is 400, a body of
the wrong media type 415, validation errors 422. `HEAD` works wherever `GET` does.
"""

OPENAPI_TAGS = [
    {"name": "ask", "description": "Questions answered from the guides, with citations."},
    {"name": "sparql", "description": "SPARQL 1.1 Protocol, read-only."},
    {"name": "documents", "description": "Ingested guides; upload and removal (bearer token)."},
    {"name": "jobs", "description": "Guide uploads queued by PUT /documents (202 Accepted); bearer token."},
    {"name": "entities", "description": "Roles, skills, employers, cities and sectors."},
    {"name": "health", "description": "Liveness, counts and versions."},
]


class BodyLimit:
    """Refuse request bodies over a size limit while they are read (413), with or without Content-Length."""

    def __init__(self, app, *, default: int, documents: int) -> None:
        self.app = app
        self.default = default
        self.documents = documents

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.documents if scope.get("path", "").startswith("/documents") else self.default
        for k, v in scope.get("headers", ()):
            if k == b"content-length" and v.isdigit() and int(v) > limit:
                resp = errors.error_response(413, "too_large", f"request body over the limit of {limit:,} bytes")
                return await resp(scope, receive, send)
        seen = 0

        async def limited():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    raise StarletteHTTPException(413, f"request body over the limit of {limit:,} bytes")
            return msg

        return await self.app(scope, limited, send)


def _make_runner(rt, settings: Settings):
    from careerkg.api.sparql_pool import ProcessPool, ThreadRunner
    from careerkg.graph.store import OxigraphStore

    g = rt.graph
    if not settings.sparql_endpoint and isinstance(g, OxigraphStore) and g.path is not None:
        pipeline = rt.pipeline
        pool = ProcessPool(g, rt.settings.data_dir / "snapshots", workers=settings.sparql_workers,
                           generation=lambda: pipeline.manifest.generation, lock=pipeline.lock)
        if not pool.wait_ready(60):
            log.error("no SPARQL worker started within 60 s; /sparql answers 503 until one does")
        return pool
    return ThreadRunner(g, workers=settings.sparql_workers)


def _start(rt) -> None:
    """Load everything once: stores, model, linker, pipeline (repair), QA."""
    t0 = time.perf_counter()
    rt.pipeline  # noqa: B018 - opens index, graph, gazetteer, linker, extractor; repairs
    # writes extract and embed on a low-priority thread with its own model copy: readers are never starved
    rt.pipeline.serve_readers(nice=rt.settings.ingest_nice, threads=rt.settings.ingest_threads)
    rt.embedder.encode_one("warm up")
    try:
        rt.qa  # noqa: B018
    except ImportError as exc:  # qa not installed in this checkout: /ask answers 503
        log.error("question answering unavailable: %s", exc)
    log.info("careerkg services ready in %.1f s", time.perf_counter() - t0)


def create_app(settings: Settings | None = None, *, runtime=None, announce: bool = False) -> FastAPI:
    """Build the app.

    Args:
        settings: configuration (default: from ``CAREERKG_*`` environment variables).
        runtime: an already opened :class:`careerkg.api.runtime.Runtime` to serve (tests share one);
            by default the app opens its own at start-up.
        announce: write ``service.json`` into the data dir once ready (removed at shutdown),
            so that the CLI talks to this process instead of opening the stores it holds
            (``careerkg serve`` sets it).
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from careerkg.api.runtime import Runtime

        rt = runtime if runtime is not None else Runtime(settings)
        await run_in_threadpool(_start, rt)
        app.state.runtime = rt
        app.state.ask_slots = ask.AskSlots(settings.ask_concurrency)
        app.state.sparql = await run_in_threadpool(_make_runner, rt, settings)
        app.state.jobs = JobQueue(partial(documents.ingest_upload, rt))  # queued PUTs, one at a time
        if announce:
            from careerkg.api import service

            service.announce(settings)
        try:
            yield
        finally:
            if announce:
                service.withdraw(settings)
            runner, app.state.sparql = app.state.sparql, None
            await run_in_threadpool(runner.close)
            queue, app.state.jobs = app.state.jobs, None
            await run_in_threadpool(queue.close)

    app = FastAPI(title="careerkg", version=_version(), description=DESCRIPTION, openapi_tags=OPENAPI_TAGS,
                  lifespan=lifespan, docs_url=None, redoc_url=None,
                  responses={422: {"model": errors_model(), "description": "Request validation failed"}})
    app.state.settings = settings
    app.state.runtime = None
    app.state.sparql = None
    app.state.jobs = None
    errors.install(app)
    web_pages.install(app)  # pages first: their HTML-only routes share paths with the API
    for r in (ask.router, sparql.router, documents.router, jobs.router, entities.router, health.router):
        app.include_router(r)
    from careerkg.api.routers.chat import router as chat_router  # OpenAI-compatible /v1/chat/completions (issue 14)
    app.include_router(chat_router)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                       allow_headers=["Accept", "Content-Type"], expose_headers=sparql.EXPOSED_HEADERS,
                       max_age=3600)
    app.add_middleware(HeadAsGet)
    app.add_middleware(BodyLimit, default=sparql.MAX_QUERY_BYTES,
                       documents=max(settings.max_document_bytes, sparql.MAX_QUERY_BYTES))

    return app


def errors_model():
    from careerkg.api.schemas import ErrorBody

    return ErrorBody


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("careerkg")
    except metadata.PackageNotFoundError:
        return "0.0.0"

