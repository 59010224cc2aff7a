"""Background jobs: work queued by one caller, run one at a time on one thread, polled by id.

``PUT /documents/{id}`` queues a large guide (or one sent with ``Prefer: respond-async``) here and
answers ``202 Accepted`` with ``/jobs/{job_id}``; the job runs the same atomic per-guide ingest as a
synchronous PUT (see :mod:`careerkg.api.routers.documents`). This module knows nothing of HTTP or of
ingest: a :class:`JobQueue` runs one function over queued payloads, each job under a key (the guide's id).

Rules:

- **One at a time, in arrival order**, on one thread of normal priority (the write path's own
  threads do the heavy work; readers keep answering).
- **Coalescing.** A payload submitted with ``merge`` for a key whose job is still *queued* joins
  that job: ``merge(old, new)`` becomes its payload, the same job is returned and its ``requests``
  counts the submissions it carries. A key whose job is *running* gets a new job behind it. So a
  key has at most one queued job, and the queue is bounded by the number of keys (and ``max_queued``).
- **Bounded memory.** The last ``keep`` jobs (default 1,000) are kept; older *finished* jobs are
  forgotten first (an unknown id is :class:`~careerkg.errors.NotFound`); queued and running jobs are
  never dropped. A finished job lets go of its payload. More than ``max_queued`` queued jobs:
  :class:`~careerkg.errors.Overloaded`.
- **In memory only.** A restart forgets every job: queued payloads are lost (never started, so
  nothing of them was written) and their ids are unknown afterwards. Closing the queue fails the
  queued jobs and lets the running one finish.

Example:
    >>> q = JobQueue(lambda n: n * 2)
    >>> job, joined = q.submit("a", 21)
    >>> q.wait(job.job_id, 10).result, joined
    (42, False)
    >>> q.close()
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Literal

from careerkg.errors import CareerKGError, NotFound, Overloaded

log = logging.getLogger("careerkg.jobs")

JobStatus = Literal["queued", "running", "done", "failed"]
FINISHED = ("done", "failed")
KEEP_JOBS = 1000
MAX_QUEUED = 100


class JobCrashed(CareerKGError):
    """A job stopped on an unexpected error (the server log has the traceback)."""

    code = "internal_error"


class JobAbandoned(Overloaded):
    """The queue was closed (the service stopped) before the job ran: nothing of it was written."""

    code = "abandoned"


@dataclass
class Job:
    """One unit of queued work and what became of it (a copy: the queue's own record moves on)."""

    job_id: str
    key: str
    created: datetime
    status: JobStatus = "queued"
    started: datetime | None = None
    finished: datetime | None = None
    requests: int = 1  # submissions carried (more than 1 when later ones were coalesced into it)
    position: int | None = None  # queued: how many queued jobs run before it
    result: Any = None  # done: what the function returned
    error: CareerKGError | None = None  # failed: why
    payload: Any = None


def _now() -> datetime:
    return datetime.now(timezone.utc)


class JobQueue:
    """Runs ``run(payload)`` for each submitted job, one at a time, on a thread of its own.

    Args:
        run: the work; returns the job's result, raises :class:`CareerKGError` to fail it (any other
            exception fails it too, as :class:`JobCrashed`, and is logged with its traceback).
        keep: how many jobs are remembered (finished ones are forgotten oldest first).
        max_queued: more queued jobs than this and :meth:`submit` raises :class:`Overloaded`.
    """

    def __init__(self, run: Callable[[Any], Any], *, keep: int = KEEP_JOBS, max_queued: int = MAX_QUEUED,
                 name: str = "careerkg-jobs") -> None:
        self._run = run
        self.keep, self.max_queued = keep, max_queued
        self._cond = threading.Condition()
        self._jobs: OrderedDict[str, Job] = OrderedDict()  # oldest first
        self._queue: deque[str] = deque()
        self._closed = False
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ submitting and reading
    def submit(self, key: str, payload: Any, *, merge: Callable[[Any, Any], Any] | None = None) -> tuple[Job, bool]:
        """Queue ``payload`` under ``key``; with ``merge``, join the key's queued job if it has one.

        Returns:
            The job (a copy) and whether the payload joined an already queued job.

        Raises:
            Overloaded: the queue is full or closed.
        """
        with self._cond:
            if self._closed:
                raise Overloaded("the service is shutting down; send the request again once it is back")
            if merge is not None:
                for jid in self._queue:
                    job = self._jobs[jid]
                    if job.key == key:
                        job.payload = merge(job.payload, payload)
                        job.requests += 1
                        return self._copy(job), True
            if len(self._queue) >= self.max_queued:
                raise Overloaded(f"{len(self._queue)} jobs are already queued; try again later")
            job = Job(uuid.uuid4().hex, key, _now(), payload=payload)
            self._jobs[job.job_id] = job
            self._queue.append(job.job_id)
            self._forget_old()
            self._cond.notify_all()
            return self._copy(job), False

    def get(self, job_id: str) -> Job:
        """The job (a copy); raises :class:`NotFound` for an id never given or already forgotten."""
        with self._cond:
            job = self._jobs.get(job_id)
            if job is None:
                raise NotFound(f"no job {job_id[:64]!r} (jobs are kept in memory: the last {self.keep:,}, "
                               "until the service restarts)")
            return self._copy(job)

    def pending(self, key: str) -> Job | None:
        """The newest queued or running job of ``key``, if any (a copy)."""
        with self._cond:
            for job in reversed(self._jobs.values()):
                if job.key == key and job.status not in FINISHED:
                    return self._copy(job)
        return None

    def recent(self, limit: int = 100, *, key: str | None = None, status: str | None = None) -> list[Job]:
        """Up to ``limit`` jobs, newest first, optionally of one key and/or one status (copies)."""
        out: list[Job] = []
        with self._cond:
            for job in reversed(self._jobs.values()):
                if len(out) >= limit:
                    break
                if (key is None or job.key == key) and (status is None or job.status == status):
                    out.append(self._copy(job))
        return out

    def counts(self) -> dict[str, int]:
        """How many remembered jobs are in each status."""
        out = dict.fromkeys(("queued", "running", "done", "failed"), 0)
        with self._cond:
            for job in self._jobs.values():
                out[job.status] += 1
        return out

    def wait(self, job_id: str, timeout: float | None = None) -> Job:
        """The job once finished, or as it is when ``timeout`` seconds have passed."""
        with self._cond:
            self._cond.wait_for(lambda: self._jobs.get(job_id) is None or self._jobs[job_id].status in FINISHED,
                                timeout)
        return self.get(job_id)

    def close(self, timeout: float = 60.0) -> None:
        """Accept no more jobs, fail the queued ones (:class:`JobAbandoned`), let the running one finish
        (up to ``timeout`` seconds)."""
        with self._cond:
            self._closed = True
            for jid in self._queue:
                job = self._jobs[jid]
                self._finish(job, error=JobAbandoned("the service stopped before this job ran; nothing of it "
                                                     "was written: send the PUT again"))
            if self._queue:
                log.warning("%d queued job(s) abandoned at shutdown", len(self._queue))
            self._queue.clear()
            self._cond.notify_all()
        self._thread.join(timeout)

    # ------------------------------------------------------------------ the worker
    def _work(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._queue or self._closed)
                if not self._queue:  # closed
                    return
                job = self._jobs[self._queue.popleft()]
                job.status, job.started = "running", _now()
                payload = job.payload
            result = error = None
            try:
                result = self._run(payload)
            except CareerKGError as exc:
                error = exc
            except Exception:  # noqa: BLE001 - logged with its traceback; the job fails, the worker goes on
                log.exception("job %s (%s) stopped on an unexpected error", job.job_id, job.key)
                error = JobCrashed("internal error; the server log has the details")
            with self._cond:
                self._finish(job, result=result, error=error)
                self._forget_old()
                self._cond.notify_all()
            if error is not None:
                log.warning("job %s (%s) failed: %s", job.job_id, job.key, error)

    def _finish(self, job: Job, *, result: Any = None, error: CareerKGError | None = None) -> None:
        job.status = "failed" if error is not None else "done"
        job.finished = _now()
        job.result, job.error, job.payload = result, error, None

    def _forget_old(self) -> None:
        excess = len(self._jobs) - self.keep
        if excess <= 0:
            return
        for jid in [j for j, job in self._jobs.items() if job.status in FINISHED][:excess]:
            del self._jobs[jid]

    def _copy(self, job: Job) -> Job:
        position = None
        if job.status == "queued":
            position = next((i for i, jid in enumerate(self._queue) if jid == job.job_id), None)
        return replace(job, position=position, payload=None)
