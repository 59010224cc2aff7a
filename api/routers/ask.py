"""``POST /ask``: a career question answered with citations into the guides, whole or streamed."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.sse import EventSourceResponse, format_sse_event
from pydantic import Field

from careerkg.api import schemas
from careerkg.api.deps import RuntimeDep
from careerkg.api.errors import public_message
from careerkg.api.schemas import AskResponse, error_responses
from careerkg.errors import CareerKGError, InvalidInput, StoreError

router = APIRouter(tags=["ask"])
log = logging.getLogger("careerkg.api")

STREAM_DOC = """Server-Sent Events, in order: `delta` `{"text", "citations"}` (extractive: whole statements;
LLM: each generated sentence once it has passed validation), possibly `reset` `{"reason"}` (the LLM's
sentences are withdrawn and the extractive answer follows), then `citations`, `facts`, `conflicts` (lists),
then `done` (the whole answer object, as the JSON response). A failure after the stream has started is an
`error` event `{"error": {"code", "message"}}` and ends the stream."""


class AskRequest(schemas.AskRequest):
    """A career question (``stream: true`` or ``Accept: text/event-stream`` streams the answer)."""

    stream: bool = Field(False, description="Answer as Server-Sent Events (as `Accept: text/event-stream`).")


def to_response(answer) -> AskResponse:
    """A :class:`careerkg.model.Answer` as the HTTP body."""
    return AskResponse.model_validate(asdict(answer))


def wants_events(request: Request) -> bool:
    """True when the client's ``Accept`` names ``text/event-stream``."""
    return "text/event-stream" in request.headers.get("accept", "").lower()


def sse(name: str, data) -> bytes:
    """One Server-Sent Event whose data is JSON."""
    return format_sse_event(event=name, data_str=json.dumps(data, ensure_ascii=False))


def error_event(exc: BaseException) -> bytes:
    """The ``error`` event for a failure after the stream started (the same shape as HTTP errors)."""
    if isinstance(exc, CareerKGError):
        code, message = exc.code, public_message(str(exc))
    else:
        log.exception("stream failed", exc_info=exc)
        code, message = "internal_error", "the answer could not be completed"
    return sse("error", {"error": {"code": code, "message": message}})


def event_bytes(events: Iterable) -> Iterator[bytes]:
    """Encode :class:`careerkg.qa.stream.Event` objects; any failure becomes an ``error`` event, never a cut socket."""
    try:
        for ev in events:
            yield sse(ev.name, ev.data)
    except Exception as exc:  # noqa: BLE001 - reported to the client as an event, and logged when unexpected
        yield error_event(exc)


def event_response(chunks: Iterable[bytes]) -> EventSourceResponse:
    return EventSourceResponse(chunks, headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def qa_of(rt):
    try:
        return rt.qa
    except ImportError:
        raise StoreError("question answering is not available in this installation") from None


class AskSlots:
    """At most ``n`` answers computed at once; the rest wait their turn (FIFO) in the event loop.

    An answer is mostly pure Python, so it needs the GIL: 16 answers at once in 16 threads ran no faster
    than 4 (the process stays at ~1 core either way) but took turns at the GIL with the ingest thread
    1 in 17, so a guide PUT under load took 30 s instead of a few. Fewer threads at once leave the ingest
    thread a fair share and cost readers nothing measurable (issue 13; BENCHMARKS.md).
    """

    def __init__(self, n: int) -> None:
        import asyncio

        self._sem = asyncio.Semaphore(max(1, n))

    async def run(self, fn, *args, **kwargs):
        async with self._sem:
            return await run_in_threadpool(fn, *args, **kwargs)


async def compute(request: Request, fn, *args, **kwargs):
    slots = getattr(request.app.state, "ask_slots", None)
    if slots is None:
        return await run_in_threadpool(fn, *args, **kwargs)
    return await slots.run(fn, *args, **kwargs)


async def prepare_stream(qa, question: str, top_k: int | None, mode: str | None, request: Request | None = None):
    """The extractive part of a streamed answer (errors here are ordinary HTTP errors)."""
    from careerkg.qa.stream import AnswerStream

    if request is not None:
        return await compute(request, AnswerStream, qa, question, top_k=top_k, mode=mode)
    return await run_in_threadpool(AnswerStream, qa, question, top_k=top_k, mode=mode)


ASK_DOC = """The answer, the citations its `[n]` markers point to (document, exact character span, quote),
facts and conflicts found in the graph, and the entities the question was linked to.

When the guides do not answer the question, `abstained` is true and the answer says so.
`mode: "llm"` needs `CAREERKG_LLM_MODEL`; the default is the deterministic extractive composer.
An LLM answer is accepted sentence by sentence: each sentence must cite an existing source and every
figure and name in it must appear in the quotes it cites; otherwise the extractive answer is returned
with a note.

With `"stream": true` or `Accept: text/event-stream`: """ + STREAM_DOC


@router.post("/ask", response_model=AskResponse, summary="Ask a career question", description=ASK_DOC,
             responses={**error_responses(400, 422, 502, 503),
                        200: {"description": "The answer (JSON), or a stream of events", "content": {
                            # one Server-Sent Event: its name and its data (a JSON text)
                            "text/event-stream": {"schema": {"type": "object", "properties": {
                                "event": {"type": "string"}, "data": {"type": "string"}, "id": {"type": "string"}}},
                                "example": (
                                'event: delta\ndata: {"text": "Senior MLEs in London earn £95,000 – £145,000 [1].",'
                                ' "citations": [1]}\n\n')}}}})
async def ask(body: AskRequest, rt: RuntimeDep, request: Request):
    qa = qa_of(rt)
    if (body.stream or wants_events(request)) and body.as_of is None:
        prepared = await prepare_stream(qa, body.question, body.top_k, body.mode, request)
        return event_response(event_bytes(prepared.events()))
    if body.stream:  # as_of answers come whole (JSON), not streamed
        raise InvalidInput("an as_of answer is not streamed: ask without stream")
    answer = await compute(request, qa.ask, body.question, top_k=body.top_k, mode=body.mode,
                           as_of=body.as_of_date())
    return to_response(answer)

