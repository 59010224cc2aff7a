"""CLI writes through a running service: ``careerkg ingest`` as ``PUT /documents/{id}`` per guide."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from careerkg.errors import CareerKGError
from careerkg.model import IngestResult


def ingest_via(client, files: list[Path], *, force: bool = False, metadata: dict | None = None,
               progress: Callable[[IngestResult], None] | None = None,
               allow_duplicate: bool = False) -> list[IngestResult]:
    """PUT each guide (with its sidecar metadata and ``metadata`` over it) to the service."""
    from careerkg.graph.changes import changes_from_dict
    from careerkg.ingest.load import doc_id_for, media_type_for
    from careerkg.ingest.meta import read_sidecar

    results = []
    for path in files:
        t0 = time.perf_counter()
        doc_id = doc_id_for(path.name)
        try:
            media_type = media_type_for(path.name)
            meta = {**(read_sidecar(path) or {}), **(metadata or {})}
            params = {"source" if k in ("source_url", "source", "url") else k: v for k, v in meta.items() if v}
            if force:
                params["force"] = "true"
            if allow_duplicate:
                params["allow_duplicate"] = "true"
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise CareerKGError(f"cannot read file: {exc.strerror or exc}") from None
            body = client.json("PUT", f"/documents/{doc_id}", content=data, params=params,
                               headers={"Content-Type": f"{media_type}; charset=utf-8"})
            res = IngestResult(body["doc_id"], body["status"], str(path), body.get("reason", ""), body["version"],
                               body["chunks"], body["claims"], time.perf_counter() - t0,
                               changes=changes_from_dict(body.get("changes")))
        except CareerKGError as exc:
            msg = str(exc).replace(f" (from the service at {client.url})", "")
            res = IngestResult(doc_id, "failed", str(path), msg, seconds=time.perf_counter() - t0)
        results.append(res)
        if progress:
            progress(res)
    return results
