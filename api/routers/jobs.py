"""``/jobs``: guides queued by ``PUT /documents/{id}`` (``202 Accepted``) and what became of them.

A job is ``queued``, ``running``, ``done`` (``result`` is the body a synchronous PUT returns) or
``failed`` (``error`` is ``{code, message, status}``: the error and HTTP status a synchronous PUT
would have answered). Jobs live in this process's memory (:mod:`careerkg.jobs`): the last 1,000,
forgotten at a restart. Reading them needs the same bearer key as writing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from careerkg.api.deps import WriterDep
from careerkg.api.errors import public_message, status_for
from careerkg.api.schemas import error_responses
from careerkg.api.schemas_history import IngestChangesOut
from careerkg.errors import Overloaded
from careerkg.jobs import Job, JobQueue

router = APIRouter(prefix="/jobs", tags=["jobs"], dependencies=[WriterDep])


def get_jobs(request: Request) -> JobQueue:
    """The app's :class:`~careerkg.jobs.JobQueue` (built at start-up)."""
    jobs = getattr(request.app.state, "jobs", None)
    if jobs is None:
        raise Overloaded("the service is starting up; try again shortly")
    return jobs


JobsDep = Annotated[JobQueue, Depends(get_jobs)]


class JobError(BaseModel):
    code: str = Field(description="The error code a synchronous PUT would have answered (e.g. duplicate, "
                                  "invalid_input; abandoned when the service stopped before the job ran).")
    message: str
    status: int = Field(description="The HTTP status a synchronous PUT would have answered.")


class JobOut(BaseModel):
    """A queued guide upload and what became of it."""

    job_id: str
    status: Literal["queued", "running", "done", "failed"]
    doc_id: str
    url: str = Field(description="This job: poll it until status is done or failed.")
    document_url: str = Field(description="The guide, once the job is done.")
    created: datetime
    started: datetime | None = None
    finished: datetime | None = None
    seconds: float | None = Field(None, description="Run time (finished - started).")
    position: int | None = Field(None, description="Queued: how many queued jobs run before this one.")
    requests: int = Field(1, description="PUTs this job carries: a PUT of the guide while its job was still "
                                         "queued joined it (the last body wins, metadata merged).")
    result: IngestChangesOut | None = Field(None, description="done: the body a synchronous PUT returns.")
    error: JobError | None = Field(None, description="failed: why; nothing already ingested changed.")


class JobList(BaseModel):
    count: int
    counts: dict[str, int] = Field(description="Remembered jobs by status.")
    jobs: list[JobOut]


def job_out(job: Job, *, with_result: bool = True) -> JobOut:
    err = None
    if job.error is not None:
        err = JobError(code=job.error.code, message=public_message(str(job.error) or job.error.code),
                       status=status_for(job.error))
    seconds = round((job.finished - job.started).total_seconds(), 3) if job.finished and job.started else None
    return JobOut(job_id=job.job_id, status=job.status, doc_id=job.key, url=f"/jobs/{job.job_id}",
                  document_url=f"/documents/{job.key}", created=job.created, started=job.started,
                  finished=job.finished, seconds=seconds, position=job.position, requests=job.requests,
                  result=job.result if with_result else None, error=err)


@router.get("", response_model=JobList, summary="Recent jobs, newest first",
            responses=error_responses(401, 403))
def list_jobs(jobs: JobsDep,
              status: Annotated[Literal["queued", "running", "done", "failed"] | None,
                                Query(description="Only jobs in this status.")] = None,
              doc_id: Annotated[str | None, Query(description="Only jobs of this guide.")] = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> JobList:
    """The jobs this process remembers (the last 1,000), without their ``result`` (``GET /jobs/{id}`` has it)."""
    found = jobs.recent(limit, key=doc_id, status=status)
    return JobList(count=len(found), counts=jobs.counts(), jobs=[job_out(j, with_result=False) for j in found])


@router.get("/{job_id}", response_model=JobOut, summary="One job: its status, then its result or error",
            responses=error_responses(401, 403, 404))
def get_job(jobs: JobsDep, job_id: str = Path(description="The id in the Location of a 202 answer.")) -> JobOut:
    return job_out(jobs.get(job_id))
