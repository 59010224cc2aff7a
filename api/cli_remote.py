"""CLI writes through a running service: ``careerkg ingest`` as ``PUT /documents/{id}`` per guide.

A guide the service queues (``202 Accepted``: a large guide) is followed to the end of its job
(``GET /jobs/{id}``), so the CLI reports the same result either way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from careerkg.errors import CareerKGError, QueryTimeout
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
            if "job_id" in body:  # 202 Accepted: queued as a job
                body = await_job(client, body)
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


def await_job(client, job: dict, *, timeout: float = 3600.0) -> dict:
    """The body of a queued PUT once its job is done (polling ``GET /jobs/{id}``).

    Raises:
        CareerKGError: the job failed (its message says why; nothing already ingested changed).
        QueryTimeout: still not finished after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    delay = 0.2
    while job["status"] not in ("done", "failed"):
        if time.monotonic() > deadline:
            raise QueryTimeout(f"the service's job {job['url']} was still {job['status']} after {timeout:.0f} s")
        time.sleep(delay)
        delay = min(delay * 1.5, 2.0)
        job = client.json("GET", job["url"])
    if job["status"] == "failed":
        raise CareerKGError(job["error"]["message"])
    return job["result"]
