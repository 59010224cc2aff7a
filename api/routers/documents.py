"""``/documents``: what is ingested, the text citation offsets index, and guide upload/removal.

Reads take the pipeline's read lock, so during a re-ingest they see the old or the
new version of a document, never a mix. Writes need ``Authorization: Bearer
$CAREERKG_API_KEY`` and run the same atomic pipeline as ``careerkg ingest``.
Superseded versions are kept (``/versions``, ``/text?version=N``; see ``ingest/history.py``).

Synchronous or queued (issue 13): a PUT whose guide's extracted text is longer than
``CAREERKG_ASYNC_PUT_CHARS`` (20,000 characters), or that sends ``Prefer: respond-async``
(RFC 7240; answered with ``Preference-Applied: respond-async``), or whose guide already has a job
queued or running, answers ``202 Accepted`` with ``Location: /jobs/{job_id}`` and is ingested by
the job queue (:mod:`careerkg.jobs`, one job at a time, on the same atomic write path). Everything
that can be known without ingesting (id, Content-Type, size, encoding, empty text, metadata, the
same text under another id) is refused with its 4xx before anything is queued. A PUT of a guide
whose job is still queued joins that job (its body wins). Other PUTs answer 200/201 when committed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse

from careerkg.api.deps import RuntimeDep, SettingsDep, WriterDep, read_body
from careerkg.api.errors import UnsupportedMediaType
from careerkg.api.routers.jobs import JobOut, JobsDep, job_out
from careerkg.api.schemas import DocumentList, DocumentOut, error_responses
from careerkg.api.schemas_history import ClaimChangesOut, IngestChangesOut, VersionList, VersionOut
from careerkg.errors import Duplicate, InvalidInput
from careerkg.ingest.dedup import refuse_duplicate
from careerkg.ingest.load import EXTENSION_FOR, load_bytes

router = APIRouter(prefix="/documents", tags=["documents"])

DOC_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,119}$"
DocId = Path(description="Document id: lower-case letters, digits and '-' (the file stem slug).",
              examples=["ml-engineer-jobs-uk-2026-career-guide"])
_ID = re.compile(DOC_ID_PATTERN)
_UTF8 = {"utf-8", "utf8", "us-ascii", "ascii"}


def _out(rec) -> DocumentOut:
    d = asdict(rec)
    return DocumentOut(**{k: d[k] for k in DocumentOut.model_fields if k in d},
                       text_url=f"/documents/{rec.doc_id}/text")


def _check_id(doc_id: str) -> str:
    if not _ID.match(doc_id):
        raise InvalidInput(f"invalid document id {doc_id[:130]!r}: use 1-120 lower-case letters, digits and '-', "
                           "starting with a letter or digit")
    return doc_id


@router.get("", response_model=DocumentList, summary="List ingested guides")
def list_documents(rt: RuntimeDep) -> DocumentList:
    p = rt.pipeline
    with p.lock.read():
        recs = sorted(p.manifest.docs.values(), key=lambda r: r.doc_id)
        gen = p.manifest.generation
    return DocumentList(count=len(recs), generation=gen, documents=[_out(r) for r in recs])


@router.get("/{doc_id}", response_model=DocumentOut, summary="One guide's record",
            responses=error_responses(404))
def get_document(rt: RuntimeDep, doc_id: str = DocId) -> DocumentOut:
    p = rt.pipeline
    with p.lock.read():
        return _out(p.record(doc_id))


@router.get("/{doc_id}/text", response_class=PlainTextResponse, summary="The extracted text citations index",
            responses={200: {"content": {"text/plain": {}},
                             "description": "UTF-8 text; every citation satisfies text[start:end] == quote "
                                            "(offsets count Unicode code points)."},
                       # errors stay JSON although success is text/plain
                       404: {"description": "Unknown document",
                             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}})
def get_text(rt: RuntimeDep, doc_id: str = DocId,
             version: Annotated[int | None, Query(ge=1, description="A kept version's text (see /versions): the "
                                                  "offsets of that version's citations index it. Default: current.")
                                ] = None) -> PlainTextResponse:
    p = rt.pipeline
    with p.lock.read():
        if version is None:
            rec = p.record(doc_id)
            text, sha, version = p.text(doc_id), rec.sha256, rec.version
        else:
            text = p.history.text(doc_id, version)  # NotFound for an unknown version
            sha = next(v["sha256"] for v in p.history.versions(doc_id) if v["version"] == version)
    return PlainTextResponse(text, media_type="text/plain; charset=utf-8",
                             headers={"ETag": f'"{sha}"', "X-Document-Version": str(version)})


@router.get("/{doc_id}/versions", response_model=VersionList, summary="A guide's versions: current and kept",
            responses=error_responses(404))
def list_versions(rt: RuntimeDep, doc_id: str = DocId) -> VersionList:
    """Newest first. Superseded versions are kept (``CAREERKG_HISTORY_VERSIONS`` per guide) with their text and
    claims (named graph ``https://w3id.org/careerkg/graph/{doc_id}/v{n}`` in the versions store); a guide
    removed with ``history=keep`` still lists them."""
    p = rt.pipeline
    with p.lock.read():
        versions = p.history.versions(doc_id)
    out = [VersionOut(**v, text_url=f"/documents/{doc_id}/text" + ("" if v["current"] else f"?version={v['version']}"))
           for v in versions]
    return VersionList(doc_id=doc_id, count=len(out), versions=out)


@router.get("/{doc_id}/changes", response_model=ClaimChangesOut, summary="What a version changed in the claims",
            responses=error_responses(404, 422))
def get_changes(rt: RuntimeDep, doc_id: str = DocId,
                old: Annotated[int | None, Query(alias="from", ge=1, description="The older version (default: the "
                                                 "kept version before `to`).")] = None,
                new: Annotated[int | None, Query(alias="to", ge=1, description="The newer version (default: the "
                                                 "newest).")] = None) -> ClaimChangesOut:
    """The claims version ``to`` added, removed and changed against version ``from`` (old -> new figure, each
    with its span in its own version's text), as a re-ingest reports them; both must be kept (``/versions``)."""
    p = rt.pipeline
    with p.lock.read():
        changes = p.history.compare(doc_id, old, new)
    return ClaimChangesOut.model_validate(asdict(changes))


def _media_type(content_type: str | None) -> str:
    if not content_type:
        raise UnsupportedMediaType("send the guide with Content-Type text/plain, text/markdown or text/html")
    base, *params = [p.strip() for p in content_type.split(";")]
    base = base.lower()
    if base in ("text/x-markdown", "text/md"):
        base = "text/markdown"
    if base not in EXTENSION_FOR:
        raise UnsupportedMediaType(f"unsupported Content-Type {base!r}; use text/plain, text/markdown or text/html")
    for p in params:
        k, _, v = p.partition("=")
        if k.strip().lower() == "charset" and v.strip().strip('"').lower() not in _UTF8:
            raise UnsupportedMediaType(f"unsupported charset {v.strip()!r}: guides must be UTF-8")
    return base


_PUT_BODY = {"content": {t: {"schema": {"type": "string"}, "example": "# ML jobs in Exeter\n\nSenior ML engineers..."}
                         for t in ("text/markdown", "text/plain", "text/html")}, "required": True}


@dataclass(frozen=True)
class Upload:
    """One PUT's guide and options: what the ingest needs, now or in a job."""

    doc_id: str
    data: bytes
    media_type: str
    metadata: dict[str, str]
    force: bool = False
    allow_duplicate: bool = False

    @property
    def name(self) -> str:
        return f"{self.doc_id}{EXTENSION_FOR[self.media_type]}"


def coalesce(queued: Upload, later: Upload) -> Upload:
    """A later PUT joining the guide's queued job: its body and ``allow_duplicate`` win, the metadata given is
    merged (the later value of a key wins, as two PUTs in a row would leave it), ``force`` if either asked."""
    return replace(later, metadata={**queued.metadata, **later.metadata}, force=queued.force or later.force)


def ingest_upload(rt, up: Upload) -> dict:
    """Ingest one upload through the atomic pipeline; the JSON body of a synchronous PUT.

    Raises:
        Duplicate: another id holds the same text (and ``allow_duplicate`` is off).
        InvalidInput: the guide could not be ingested (the reason says why); nothing stored changed.
    """
    p = rt.pipeline
    res = p.ingest_bytes(up.data, up.name, media_type=up.media_type, doc_id=up.doc_id,
                         source=f"PUT /documents/{up.doc_id}", metadata=up.metadata or None,
                         force=up.force, allow_duplicate=up.allow_duplicate)
    if res.status == "failed" and res.duplicate_of:
        raise Duplicate(res.reason, existing_id=res.duplicate_of)
    if res.status == "failed":
        raise InvalidInput(res.reason or "the guide could not be ingested")
    with p.lock.read():
        rec = p.manifest.docs.get(up.doc_id)
    body = IngestChangesOut(doc_id=res.doc_id, status=res.status, reason=res.reason, version=res.version,
                            chunks=res.chunks, claims=res.claims, seconds=round(res.seconds, 4),
                            document=_out(rec) if rec else None,
                            changes=asdict(res.changes) if res.changes else None)
    return body.model_dump(mode="json")


def precheck(rt, up: Upload, max_bytes: int) -> int:
    """Refuse what can be known without ingesting; the length of the guide's extracted text.

    Raises:
        InvalidInput: empty, binary, not UTF-8, no text left after extraction, bad metadata.
        TooLarge: over ``max_bytes``.
        Duplicate: another id already holds the same text (unless ``allow_duplicate``).
    """
    doc = load_bytes(up.data, up.name, max_bytes=max_bytes, media_type=up.media_type, doc_id=up.doc_id,
                     metadata=up.metadata)
    if not up.allow_duplicate:
        p = rt.pipeline
        with p.lock.read():
            known = {d: r.sha256 for d, r in p.manifest.docs.items()}
        if known.get(up.doc_id) != doc.sha256:
            refuse_duplicate(doc.sha256, up.doc_id, known)
    return len(doc.text)


def prefers_async(values: list[str]) -> bool:
    """Whether ``Prefer`` header values (RFC 7240: comma-separated, parameters after ';') ask for respond-async."""
    return any(pref.split(";", 1)[0].split("=", 1)[0].strip().lower() == "respond-async"
               for value in values for pref in value.split(","))


_ACCEPTED = {"model": JobOut, "description": (
    "Queued as a job: the guide is longer than CAREERKG_ASYNC_PUT_CHARS characters (20,000 by default), the "
    "request sent `Prefer: respond-async`, or the guide already has a job queued or running. Poll `Location` "
    "(`GET /jobs/{job_id}`) until `status` is `done` (its `result` is the 200/201 body) or `failed` (its "
    "`error`: the 4xx the PUT would have answered; nothing already ingested changed). A PUT of a guide whose job "
    "is still queued joins that job (same job id, `requests` counts them; the last body wins)."),
    "headers": {"Location": {"description": "/jobs/{job_id}", "schema": {"type": "string"}},
                "Preference-Applied": {"description": "respond-async, when the request asked for it",
                                       "schema": {"type": "string"}}}}


@router.put("/{doc_id}", response_model=IngestChangesOut, dependencies=[WriterDep],
            summary="Add or re-ingest one guide",
            openapi_extra={"requestBody": _PUT_BODY},
            responses={201: {"model": IngestChangesOut, "description": "Added"},
                       202: _ACCEPTED,
                       **error_responses(400, 401, 403, 413, 415, 503),
                       409: {**error_responses(409)[409],
                             "description": "Same text as another document (the message names its id)"}})
async def put_document(request: Request, rt: RuntimeDep, settings: SettingsDep, jobs: JobsDep, doc_id: str = DocId,
                       source: Annotated[str | None, Query(description="The guide's source URL (http/https); "
                                                           "publisher defaults to its host.",
                                                           examples=["https://www.applyo.co.uk/salary"])] = None,
                       publisher: Annotated[str | None, Query(description="Who published the guide.")] = None,
                       title: Annotated[str | None, Query(description="The guide's title (default: from the "
                                                          "guide's heading or HTML title).")] = None,
                       issued: Annotated[str | None, Query(description="Publication date (YYYY-MM-DD).",
                                                           examples=["2026-05-02"])] = None,
                       force: Annotated[bool, Query(description="Re-ingest even when text and metadata are "
                                                    "unchanged.")] = False,
                       allow_duplicate: Annotated[bool, Query(description="Ingest even when another document "
                                                              "already has the same text (otherwise 409).")] = False,
                       prefer: Annotated[str | None, Header(description="`respond-async` (RFC 7240): queue the "
                                                            "guide as a job and answer 202 whatever its size.",
                                                            examples=["respond-async"])] = None,
                       ) -> Response:
    """The body is the guide itself (UTF-8). 201 when added, 200 when updated or unchanged, 202 when queued.

    Ingest is atomic: when it fails (empty text, bad encoding, ...) the previous
    version stays fully in place and the error says why. ``source``, ``publisher``,
    ``title`` and ``issued`` win over what the guide says about itself and are kept for later re-ingests
    (an empty value clears one). A guide whose extracted text another id already holds is refused
    with 409 (``duplicate``, the message names that id) unless ``allow_duplicate=true``.
    A new text makes a new version; the one it replaces is kept as history (``/versions``), and
    ``changes`` lists the claims added, removed and changed (old -> new figure, with both spans).

    A guide longer than ``CAREERKG_ASYNC_PUT_CHARS`` characters of extracted text (20,000 by default),
    or sent with ``Prefer: respond-async``, is queued: ``202 Accepted``, ``Location: /jobs/{job_id}``
    (see ``GET /jobs/{job_id}``). Bad input is still refused at once (4xx), before anything is queued.
    """
    _check_id(doc_id)
    metadata = {k: v for k, v in (("source_url", source), ("publisher", publisher), ("title", title),
                                  ("issued", issued)) if v is not None}
    media_type = _media_type(request.headers.get("content-type"))
    data = await read_body(request, settings.max_document_bytes, "the guide (CAREERKG_MAX_DOCUMENT_BYTES)")
    up = Upload(doc_id, data, media_type, metadata, force, allow_duplicate)
    chars = await run_in_threadpool(precheck, rt, up, settings.max_document_bytes)
    asked = prefers_async(request.headers.getlist("prefer"))  # every Prefer header (`prefer` documents it)
    if asked or chars > settings.async_put_chars or jobs.pending(doc_id) is not None:
        job, _ = jobs.submit(doc_id, up, merge=coalesce)
        headers = {"Location": f"/jobs/{job.job_id}"}
        if asked:
            headers["Preference-Applied"] = "respond-async"
        return JSONResponse(job_out(job).model_dump(mode="json"), status_code=202, headers=headers)
    body = await run_in_threadpool(ingest_upload, rt, up)
    status = 201 if body["status"] == "added" else 200
    headers = {"Location": f"/documents/{doc_id}"} if status == 201 else None
    return JSONResponse(body, status_code=status, headers=headers)


@router.delete("/{doc_id}", response_model=DocumentOut | None, dependencies=[WriterDep],
               summary="Remove one guide and everything derived from it",
               responses={**error_responses(401, 403, 404, 422),
                          204: {"description": "history=purge on a removed guide: its kept history is gone"}})
async def delete_document(rt: RuntimeDep, doc_id: str = DocId,
                          history: Annotated[Literal["keep", "purge"], Query(
                              description="purge (default): its kept versions go too; keep: they stay, with the "
                                          "current version kept as history (GET /documents/{id}/versions, "
                                          "/text?version=N). purge on a guide removed with keep drops its "
                                          "history (204).")] = "purge") -> Response:
    """Returns the record of the removed guide.

    Runs at once, between jobs: a PUT of the same guide still queued as a job (``GET /jobs?doc_id=``) is not
    cancelled and adds the guide again when it runs."""
    rec = await run_in_threadpool(rt.pipeline.remove, doc_id, history=history)
    if rec is None:
        return Response(status_code=204)
    return JSONResponse(_out(rec).model_dump(mode="json"))
