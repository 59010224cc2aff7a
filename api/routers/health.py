"""``GET /health``: liveness, counts, store versions, whether an LLM is configured."""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from careerkg.api.deps import RuntimeDep, SettingsDep
from careerkg.api.schemas import HealthOut, error_responses
from careerkg.errors import CareerKGError

router = APIRouter(tags=["health"])

_PACKAGES = ("careerkg", "pyoxigraph", "chromadb", "sentence-transformers", "fastapi", "spacy", "litellm")


@lru_cache
def versions() -> dict[str, str]:
    out = {}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _counts(rt) -> tuple[dict[str, int], bool]:
    p = rt.pipeline
    with p.lock.read():
        docs = list(p.manifest.docs.values())
        generation = p.manifest.generation
    counts = {"documents": len(docs), "chunks": sum(d.chunks for d in docs), "claims": sum(d.claims for d in docs),
              "generation": generation}
    ok = True
    try:
        counts["vectors"] = rt.index.count()
    except CareerKGError:
        ok = False
    try:
        counts["quads"] = rt.graph.count()
    except CareerKGError:
        ok = False
    return counts, ok


@router.get("/health", response_model=HealthOut, summary="Liveness, counts and versions",
            responses=error_responses(503))
async def health(request: Request, rt: RuntimeDep, settings: SettingsDep) -> HealthOut:
    """Counts of documents, chunks, vectors and quads; store and library versions; LLM and SPARQL settings."""
    counts, ok = await run_in_threadpool(_counts, rt)
    runner = getattr(request.app.state, "sparql", None)
    sparql: dict = {"timeout_s": settings.sparql_timeout, "row_limit": settings.sparql_row_limit}
    if runner is not None:
        sparql.update(runner.describe())
    return HealthOut(
        status="ok" if ok else "degraded",
        counts=counts,
        versions=versions(),
        stores={"graph": "SPARQL endpoint" if settings.sparql_endpoint else "embedded Oxigraph",
                "vectors": "Chroma server" if settings.chroma_url else "embedded Chroma"},
        llm={"configured": bool(settings.llm_model), "model": settings.llm_model or None},
        sparql=sparql,
        writes_enabled=bool(settings.api_key),
    )
