"""The shared data model: plain dataclasses every package imports.

Offsets are always ``[start, end)`` character offsets into a document's extracted
plain text (``Document.text``), so ``doc.text[start:end] == quote`` holds for every
chunk, mention, claim evidence and citation.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

EntityKind = Literal["role", "skill", "org", "city", "sector"]
ENTITY_KINDS: tuple[str, ...] = ("role", "skill", "org", "city", "sector")

Seniority = Literal["Junior", "Mid", "Senior", "Lead", "Principal", "Contractor"]
SENIORITIES: tuple[str, ...] = ("Junior", "Mid", "Senior", "Lead", "Principal", "Contractor")

ClaimKind = Literal["salary", "located_in", "in_sector", "requires_skill", "transition", "statistic"]


def sha256_text(text: str) -> str:
    """Hex sha256 of a text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def short_hash(*parts: object, n: int = 16) -> str:
    """A stable content-derived id fragment."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:n]


@dataclass(frozen=True)
class Document:
    """A loaded guide: its extracted plain text and metadata."""

    doc_id: str
    title: str
    text: str
    sha256: str
    source_name: str
    media_type: str  # text/plain, text/markdown, text/html
    publisher: str | None = None  # who published it (site name, or the source URL's host)
    source_url: str | None = None  # where it was published (http/https)
    issued: str | None = None  # ISO date it was published, when the guide says


@dataclass(frozen=True)
class Chunk:
    """A sentence-aligned span of a document; ``text == doc.text[start:end]``."""

    chunk_id: str
    doc_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity:
    """A linked entity (from the gazetteer or discovered in a document)."""

    iri: str
    kind: str
    label: str
    aliases: tuple[str, ...] = ()
    category: str | None = None  # skills: language, framework, tool, ...
    same_as: str | None = None  # cities: Wikidata IRI
    discovered: bool = False  # True when found by NER/patterns, not the gazetteer


@dataclass(frozen=True)
class Mention:
    """An entity mention at ``[start, end)`` of a text."""

    entity: Entity
    start: int
    end: int
    surface: str
    extractor: str  # gazetteer | ner | pattern | head (a bare job noun in a guide naming no role)


@dataclass(frozen=True)
class Claim:
    """A fact extracted from a document with the exact span of its evidence.

    ``kind == "salary"``: ``subject`` is the role IRI and the salary fields are set.
    ``kind == "statistic"``: ``value`` (with ``max_value`` for a range) in ``unit`` (COUNT,
    PERCENT, GBP, MONTH, ...), ``measures`` what it counts, ``about`` the entities named
    there, ``period`` when the text says; ``subject`` is the first of ``about`` or "".
    Other kinds are plain triples ``subject predicate object`` (IRIs), plus for
    transitions ``min_months``/``max_months`` when the text gives a duration.
    """

    kind: str
    subject: str
    predicate: str
    object: str | None
    start: int
    end: int
    evidence: str
    extractor: str
    chunk_id: str = ""
    seniority: str | None = None
    location: str | None = None  # city IRI, or ckg:UK / ckg:UKOutsideLondon
    min_value: float | None = None
    max_value: float | None = None
    currency: str = "GBP"
    unit: str | None = None  # YEAR | DAY
    min_months: float | None = None
    max_months: float | None = None
    value: float | None = None  # statistics
    measures: str | None = None
    period: str | None = None
    about: tuple[str, ...] = ()

    @property
    def claim_id(self) -> str:
        parts: tuple = (self.kind, self.subject, self.predicate, self.object, self.seniority,
                        self.location, self.min_value, self.max_value, self.unit, self.start, self.end)
        if self.kind == "statistic":
            parts += (self.value, self.measures, self.period)
        return short_hash(*parts)


@dataclass
class Extraction:
    """What the extractors found in one document."""

    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


@dataclass(frozen=True)
class Citation:
    """Citation ``[id]``: an exact span of a document's text."""

    id: int
    doc_id: str
    title: str
    chunk_id: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Fact:
    subject: str
    predicate: str
    object: str
    citations: tuple[int, ...]


@dataclass(frozen=True)
class Conflict:
    about: str
    values: tuple[str, ...]
    citations: tuple[int, ...]


@dataclass(frozen=True)
class EntityRef:
    iri: str
    label: str
    kind: str


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    mode: str
    citations: list[Citation] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    entities: list[EntityRef] = field(default_factory=list)
    intent: str = "open"
    notes: list[str] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    unmet: list[dict[str, str]] = field(default_factory=list)  # [{"constraint": "place", "value": "Inverness"}]
    as_of: dict | None = None  # asked as of a date: {"date", "versions": {doc_id: version}, "current": bool}


@dataclass(frozen=True)
class ClaimSide:
    """One version's side of a claim change: the figure as text and its evidence span in that version's text."""

    figure: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class ClaimChange:
    """A claim added, removed or changed by a re-ingest; ``about`` says what it is about (kind, role, level,
    place, unit or subject/predicate/object, as IRIs), ``label`` the same in words."""

    change: str  # added | removed | changed
    kind: str  # salary | statistic | fact
    label: str
    about: dict[str, str]
    old: ClaimSide | None = None
    new: ClaimSide | None = None


@dataclass(frozen=True)
class ClaimChanges:
    """What a new version of a guide changed in its claims, against the version it superseded."""

    from_version: int
    to_version: int
    added: list[ClaimChange] = field(default_factory=list)
    removed: list[ClaimChange] = field(default_factory=list)
    changed: list[ClaimChange] = field(default_factory=list)
    unchanged: int = 0


@dataclass(frozen=True)
class IngestResult:
    """Outcome of ingesting one guide (``status``: added, updated, unchanged, failed): what the pipeline
    returns, and what ``careerkg ingest`` reads back from a running service."""

    doc_id: str
    status: str
    source: str = ""
    reason: str = ""
    version: int = 0
    chunks: int = 0
    claims: int = 0
    seconds: float = 0.0
    duplicate_of: str = ""  # when refused as a duplicate: the id already holding the same text
    changes: ClaimChanges | None = None  # a new version of a guide: its claims added, removed and changed

    @property
    def ok(self) -> bool:
        return self.status != "failed"
