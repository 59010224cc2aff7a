"""The manifest: doc_id -> sha256, version, kept source copy, counts.

It is the source of truth for which version of each document is current, and which
superseded versions are kept (``history``, see :mod:`careerkg.ingest.history`). It is
written atomically (temp file + ``os.replace``); ``pending`` records a replacement in
progress (a write-ahead note), so a crash mid-ingest is repaired on the next open.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from careerkg.errors import StoreError


@dataclass
class DocRecord:
    doc_id: str
    title: str
    sha256: str
    version: int
    source_name: str
    media_type: str
    source_file: str  # relative to the data dir
    text_file: str  # relative to the data dir
    chunks: int = 0
    claims: int = 0
    mentions: int = 0
    chars: int = 0
    ingested_at: str = ""
    publisher: str | None = None
    source_url: str | None = None
    issued: str | None = None  # ISO date
    given: dict[str, str] = field(default_factory=dict)  # metadata given explicitly (kept across re-ingests)
    generated_at: str = ""  # when this version (this text) became current; ingested_at changes with metadata


@dataclass
class VersionRecord:
    """A superseded version of a guide, kept: its text and source files, and its claims in the named graph
    ``https://w3id.org/careerkg/graph/{doc_id}/v{version}`` of the versions store."""

    version: int
    sha256: str
    title: str
    media_type: str
    source_file: str  # relative to the data dir
    text_file: str  # relative to the data dir
    generated_at: str  # when it became current (ISO time)
    invalidated_at: str  # when it was superseded or its guide removed (ISO time)
    revision_of: int | None = None  # the version it revised, if any
    chunks: int = 0
    claims: int = 0
    chars: int = 0
    issued: str | None = None
    source_name: str = ""
    publisher: str | None = None
    source_url: str | None = None
    removed: bool = False  # superseded by the guide's removal (history kept), not by a new version


@dataclass
class Manifest:
    path: Path
    docs: dict[str, DocRecord] = field(default_factory=dict)
    pending: dict[str, dict] = field(default_factory=dict)
    generation: int = 0
    history: dict[str, list[VersionRecord]] = field(default_factory=dict)  # oldest first

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        if not path.exists():
            return cls(path)
        try:
            raw = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot read manifest {path}: {exc}") from None
        docs = {k: DocRecord(**v) for k, v in raw.get("docs", {}).items()}
        history = {k: [VersionRecord(**v) for v in vs] for k, vs in raw.get("history", {}).items()}
        return cls(path, docs, raw.get("pending", {}), int(raw.get("generation", 0)), history)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"generation": self.generation, "pending": self.pending,
                "docs": {k: asdict(v) for k, v in sorted(self.docs.items())},
                "history": {k: [asdict(v) for v in vs] for k, vs in sorted(self.history.items()) if vs}}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".manifest-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
