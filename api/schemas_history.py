"""Response models of guide history: versions, and the claims a re-ingest changed (issue 15, item 2)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from careerkg.api.schemas import IngestOut


class ClaimSideOut(BaseModel):
    """One version's side of a changed claim: its figure and evidence span in that version's text."""

    figure: str = Field(examples=["£95,000 – £140,000 a year"])
    start: int
    end: int
    quote: str


class ClaimChangeOut(BaseModel):
    change: str = Field(description="added, removed or changed")
    kind: str = Field(description="salary, statistic or fact")
    label: str = Field(examples=["salary: Machine Learning Engineer, Senior, London"])
    about: dict[str, str] = Field(description="What the claim is about, as IRIs (role, seniority, location, "
                                              "unit ... or subject, predicate, object).")
    old: ClaimSideOut | None = Field(None, description="In the superseded version (offsets into its text: "
                                                       "GET /documents/{id}/text?version=from_version).")
    new: ClaimSideOut | None = Field(None, description="In the new version.")


class ClaimChangesOut(BaseModel):
    """What the new version changed in the guide's claims."""

    from_version: int
    to_version: int
    added: list[ClaimChangeOut]
    removed: list[ClaimChangeOut]
    changed: list[ClaimChangeOut]
    unchanged: int


class IngestChangesOut(IngestOut):
    """The outcome of a PUT; ``changes`` when a new version of the text replaced an older one."""

    changes: ClaimChangesOut | None = None


class VersionOut(BaseModel):
    """One version of a guide: the current one or a kept (superseded) one."""

    version: int
    current: bool
    sha256: str
    title: str
    generated_at: str = Field(description="When this version became current (prov:generatedAtTime).")
    invalidated_at: str | None = Field(description="When a newer version or the guide's removal superseded it "
                                                   "(prov:invalidatedAtTime); null for the current version.")
    revision_of: int | None = Field(description="The version it revised (prov:wasRevisionOf), if kept.")
    chunks: int
    claims: int
    chars: int
    issued: str | None = None
    removed: bool = Field(False, description="Superseded by the guide's removal (history kept).")
    graph: str = Field(description="Named graph of its claims: the current graph, or "
                                   "https://w3id.org/careerkg/graph/{doc_id}/v{n} in the versions store.")
    text_url: str = Field(description="Its text, which its citations' offsets index.")


class VersionList(BaseModel):
    doc_id: str
    count: int
    versions: list[VersionOut] = Field(description="Newest first.")
