"""Pydantic models of the HTTP edge (requests, responses, examples for ``/docs``).

The rest of the project speaks the dataclasses of :mod:`careerkg.model`; these
models only describe what crosses HTTP.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

EXAMPLE_QUESTION = "What does a senior MLE earn in London?"


class ErrorDetail(BaseModel):
    code: str = Field(examples=["invalid_input"])
    message: str = Field(examples=["SPARQL syntax error: error at 1:25: expected one of LATERAL, SERVICE, [_]"])


class ErrorBody(BaseModel):
    """The one shape of every failure."""

    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict]:
    """OpenAPI ``responses=`` entries for the given error statuses."""
    text = {400: "Bad input", 401: "Missing or wrong bearer token", 403: "Not allowed", 404: "Unknown resource",
            406: "Cannot produce the requested media type", 413: "Body over the size limit",
            415: "Unsupported Content-Type", 422: "Request validation failed", 502: "The LLM failed",
            503: "Overloaded or a store is unavailable", 504: "Query timed out"}
    return {s: {"model": ErrorBody, "description": text.get(s, "Error")} for s in statuses}


# ---------------------------------------------------------------- /ask
class AskRequest(BaseModel):
    """A career question."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"question": EXAMPLE_QUESTION},
        {"question": "Which companies hire ML engineers in Cambridge?", "top_k": 8, "mode": "extractive"},
    ]})

    question: str = Field(min_length=1, max_length=1000, description="The question (1 to 1,000 characters).")
    top_k: int | None = Field(None, ge=1, le=50, description="Passages retrieved (default: CAREERKG_TOP_K).")
    mode: Literal["extractive", "llm"] | None = Field(
        None, description="`extractive` (deterministic, default) or `llm` (needs CAREERKG_LLM_MODEL).")
    as_of: str | None = Field(None, description="Answer from the guides' versions current at the end of this day "
                                                "(UTC), `YYYY-MM-DD`; the answer says so in `as_of` and `notes`, "
                                                "and abstains for a day before any guide existed.",
                              examples=["2026-05-01"])

    @field_validator("as_of")
    @classmethod
    def _iso_date(cls, v: str | None) -> str | None:
        if v is None:
            return v
        try:
            if len(v) != 10:
                raise ValueError
            return date.fromisoformat(v).isoformat()
        except ValueError:
            raise ValueError("as_of must be a date YYYY-MM-DD") from None

    def as_of_date(self) -> date | None:
        return date.fromisoformat(self.as_of) if self.as_of else None

    @field_validator("question")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("question must not be blank")
        return v.strip()


class CitationOut(BaseModel):
    id: int = Field(examples=[1])
    doc_id: str = Field(examples=["ml-engineer-jobs-uk-2026-career-guide"])
    title: str
    chunk_id: str
    start: int = Field(description="Start offset (inclusive) into GET /documents/{doc_id}/text.")
    end: int = Field(description="End offset (exclusive).")
    quote: str = Field(description="Exactly text[start:end].")


class FactOut(BaseModel):
    subject: str
    predicate: str
    object: str
    citations: list[int]


class ConflictOut(BaseModel):
    about: str
    values: list[str]
    citations: list[int]


class EntityRefOut(BaseModel):
    iri: str
    label: str
    kind: str


class UnmetOut(BaseModel):
    """A constraint of the question that the guides do not meet."""

    constraint: str = Field(description="place | period | role | employer | source | person | figure")
    value: str


class AsOfOut(BaseModel):
    """The date an answer was asked as of, and the version of each guide it was answered from."""

    date: str = Field(examples=["2026-05-01"])
    versions: dict[str, int] = Field(description="doc_id -> the version current then (its text: "
                                                 "GET /documents/{doc_id}/text?version=N).")
    current: bool = Field(description="True when those are all still the current versions.")


class AskResponse(BaseModel):
    """An answer whose every statement carries ``[n]`` markers resolved in ``citations``."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "question": EXAMPLE_QUESTION,
        "answer": "Senior MLEs in London earn £95,000 – £145,000 [1].",
        "abstained": False, "mode": "extractive",
        "citations": [{"id": 1, "doc_id": "ml-engineer-jobs-uk-2026-career-guide", "title": "ML Engineer Jobs UK",
                       "chunk_id": "ml-engineer-jobs-uk-2026-career-guide-3", "start": 2311, "end": 2376,
                       "quote": "| Senior MLE | 5–8 years | £95,000 – £145,000 | £80,000 – £125,000 |"}],
        "facts": [], "conflicts": [],
        "entities": [{"iri": "https://w3id.org/careerkg/id/role/machine-learning-engineer",
                      "label": "Machine Learning Engineer", "kind": "role"}],
        "intent": "salary", "notes": [], "timings_ms": {"total": 42.0}}]})

    question: str
    answer: str
    abstained: bool
    mode: str
    citations: list[CitationOut] = []
    facts: list[FactOut] = []
    conflicts: list[ConflictOut] = []
    entities: list[EntityRefOut] = []
    intent: str = "open"
    notes: list[str] = []
    timings_ms: dict[str, float] = {}
    unmet: list[UnmetOut] = Field(default_factory=list, description=(
        "Constraints of the question no evidence meets (empty unless the answer abstains): a place, period,"
        " role, employer or source no guide covers, or the figure / person the question asks for."))
    as_of: AsOfOut | None = Field(None, description="Asked with `as_of`: the date and the guides' versions used.")


# ---------------------------------------------------------------- /documents
class DocumentOut(BaseModel):
    """One ingested guide (its current version)."""

    doc_id: str = Field(examples=["ml-engineer-jobs-uk-2026-career-guide"])
    title: str
    sha256: str
    version: int
    source_name: str
    media_type: str
    chunks: int
    claims: int
    mentions: int
    chars: int
    ingested_at: str
    publisher: str | None = Field(None, description="Who published the guide (site name, or the source URL's host).",
                                  examples=["applyo.co.uk"])
    source_url: str | None = Field(None, description="Where the guide was published.")
    issued: str | None = Field(None, description="Publication date (ISO), when the guide gives one.",
                               examples=["2026-05-02"])
    text_url: str = Field(description="Where the extracted text that citation offsets index is served.")


class DocumentList(BaseModel):
    count: int
    generation: int = Field(description="Increases with every add, update or removal.")
    documents: list[DocumentOut]


class IngestOut(BaseModel):
    """The outcome of a PUT."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "doc_id": "ml-jobs-in-exeter", "status": "added", "reason": "", "version": 1, "chunks": 7, "claims": 12,
        "seconds": 0.41, "document": None}]})

    doc_id: str
    status: Literal["added", "updated", "unchanged"]
    reason: str = ""
    version: int
    chunks: int
    claims: int
    seconds: float
    document: DocumentOut | None = None


# ---------------------------------------------------------------- /entities
class EntityRow(BaseModel):
    iri: str = Field(examples=["https://w3id.org/careerkg/id/city/london"])
    kind: str = Field(examples=["city"])
    slug: str = Field(examples=["london"])
    label: str = Field(examples=["London"])
    mentions: int = Field(description="Chunks that mention the entity.")
    url: str = Field(examples=["/entities/city/london"])


class EntitySearch(BaseModel):
    count: int
    entities: list[EntityRow]


class ClaimOut(BaseModel):
    """A fact about the entity as extracted from one sentence."""

    subject: str
    subject_label: str
    predicate: str
    predicate_label: str
    object: str
    object_label: str
    citations: list[int]


class SalaryOut(BaseModel):
    role: str
    role_label: str
    seniority: str | None = None
    location: str | None = None
    location_label: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    currency: str = "GBP"
    unit: str | None = None
    citations: list[int]


class NeighbourOut(BaseModel):
    iri: str
    label: str
    kind: str
    relation: str
    weight: int


class EscoLinkOut(BaseModel):
    """The entity's link to ESCO (roles: occupations, skills: skills); see graph/esco.py."""

    iri: str = Field(examples=["http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"])
    label: str = Field(examples=["data scientist"])
    relation: str = Field(description="exactMatch | closeMatch (SKOS)", examples=["exactMatch"])
    confidence: float = Field(ge=0, le=1, examples=[1.0])
    method: str = Field(description="prefLabel | alias | fuzzy", examples=["prefLabel"])


class EntityCardOut(BaseModel):
    """Labels, facts and salary claims with citations, and neighbours in the entity network."""

    iri: str
    kind: str
    slug: str
    label: str
    aliases: list[str]
    category: str | None = None
    same_as: str | None = None
    esco: EscoLinkOut | None = Field(None, description="Link to an ESCO occupation or skill; absent when unlinked.")
    mentions: int
    claims: list[ClaimOut]
    salaries: list[SalaryOut]
    citations: list[CitationOut]
    neighbours: list[NeighbourOut]


# ---------------------------------------------------------------- /health
class HealthOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "status": "ok", "counts": {"documents": 5, "chunks": 310, "quads": 21000, "generation": 5},
        "versions": {"careerkg": "0.1.0", "pyoxigraph": "0.5.13", "chromadb": "1.5.9",
                     "sentence-transformers": "6.2.0"},
        "stores": {"graph": "embedded Oxigraph", "vectors": "embedded Chroma"},
        "llm": {"configured": False, "model": None}, "sparql": {"timeout_s": 10.0, "row_limit": 10000,
                                                                 "workers": 2}}]})

    status: Literal["ok", "degraded"]
    counts: dict[str, int]
    versions: dict[str, str]
    stores: dict[str, str]
    llm: dict[str, str | bool | None]
    sparql: dict[str, float | int | str]
    writes_enabled: bool
