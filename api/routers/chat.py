"""careerkg as a model for chat clients: an OpenAI-compatible ``POST /v1/chat/completions``.

The last user message is the question; the reply is the cited answer (its ``[n]`` markers, then
a numbered list of the sources), with the citations also as data: ``citations`` beside
``choices`` and the whole answer object in ``careerkg``. Model names: ``careerkg`` (the
service's default mode), ``careerkg-extractive``, ``careerkg-llm``. ``stream: true`` sends
``chat.completion.chunk`` events and ``data: [DONE]``, as OpenAI does; the citations and the
answer object come in the last chunk.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from careerkg.api.deps import RuntimeDep
from careerkg.api.routers.ask import error_event, event_response, prepare_stream, qa_of
from careerkg.api.schemas import error_responses
from careerkg.errors import InvalidInput

router = APIRouter(tags=["chat"])
MODELS = {"careerkg": None, "careerkg-extractive": "extractive", "careerkg-llm": "llm"}


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[dict[str, Any]] | None = None


class ChatRequest(BaseModel):
    """An OpenAI chat completion request; fields careerkg does not use (temperature ...) are accepted."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {"model": "careerkg", "messages": [{"role": "user", "content": "Where is Featurespace based?"}]}]})

    model: str = Field("careerkg", description="`careerkg`, `careerkg-extractive` or `careerkg-llm`.")
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False


class ChatChoice(BaseModel):
    index: int = 0
    message: dict[str, str]
    finish_reason: Literal["stop"] = "stop"


class ChatResponse(BaseModel):
    """An OpenAI ``chat.completion`` with careerkg's citations and answer beside it."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    citations: list[dict[str, Any]] = Field(description="The sources the reply's [n] markers point to.")
    careerkg: dict[str, Any] = Field(description="The whole answer object, as `POST /ask` returns it.")


def question_of(req: ChatRequest) -> tuple[str, str | None]:
    """The question (the last user message's text) and the answer mode the model name asks for."""
    if req.model not in MODELS:
        raise InvalidInput(f"unknown model {req.model!r}; use one of: {', '.join(MODELS)}")
    for m in reversed(req.messages):
        if m.role == "user":
            content = m.content
            if isinstance(content, list):
                content = " ".join(str(p.get("text", "")) for p in content if p.get("type") == "text")
            question = (content or "").strip()
            if not question:
                raise InvalidInput("the last user message has no text")
            return question, MODELS[req.model]
    raise InvalidInput("no user message: the last user message is the question")


def sources_text(citations: list[dict]) -> str:
    """The numbered sources as the reply ends with them."""
    if not citations:
        return ""
    lines = [f"[{c['id']}] {c['title'] or c['doc_id']} ({c['doc_id']}, characters {c['start']}–{c['end']}): "
             f"“{c['quote']}”" for c in citations]
    return "\n\nSources:\n" + "\n".join(lines)


def notes_text(notes: list[str]) -> str:
    return "".join(f"\n\nNote: {n}" for n in notes)


@router.get("/v1/models", summary="The models careerkg answers as (OpenAI-compatible)")
async def models() -> dict:
    return {"object": "list", "data": [{"id": m, "object": "model", "created": 0, "owned_by": "careerkg"}
                                       for m in MODELS]}


@router.post("/v1/chat/completions", response_model=ChatResponse, summary="Chat completion (OpenAI-compatible)",
             responses={**error_responses(400, 422, 503), 200: {
                 "description": "A chat completion (JSON), or with `stream: true` its chunks as Server-Sent Events",
                 "content": {"text/event-stream": {"schema": {"type": "string"}, "example": (
                     'data: {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content":'
                     ' "Featurespace is based in Cambridge [1]."}, "finish_reason": null}]}\n\ndata: [DONE]\n\n')}}}})
async def chat_completions(body: ChatRequest, rt: RuntimeDep):
    """The last user message answered with citations; the same answer as `POST /ask`, in OpenAI's shape.

    `stream: true` answers with `chat.completion.chunk` Server-Sent Events ending in `data: [DONE]`.
    """
    question, mode = question_of(body)
    qa = qa_of(rt)
    cid = "chatcmpl-" + uuid.uuid4().hex
    created = int(time.time())
    if body.stream:
        prepared = await prepare_stream(qa, question, None, mode)
        return event_response(_chunks(prepared.events(), cid, created, body.model))
    answer = asdict(await run_in_threadpool(qa.ask, question, mode=mode))
    content = answer["answer"] + notes_text(answer["notes"]) + sources_text(answer["citations"])
    return ChatResponse(id=cid, created=created, model=body.model,
                        choices=[ChatChoice(message={"role": "assistant", "content": content})],
                        citations=answer["citations"], careerkg=answer)


def _chunks(events, cid: str, created: int, model: str) -> Iterator[bytes]:
    """careerkg's stream events as OpenAI ``chat.completion.chunk`` events."""

    def chunk(delta: dict, finish: str | None = None, **extra) -> bytes:
        body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return b"data: " + json.dumps(body, ensure_ascii=False).encode() + b"\n\n"

    yield chunk({"role": "assistant", "content": ""})
    withdrawn: set[str] = set()
    try:
        for ev in events:
            if ev.name == "delta":
                yield chunk({"content": ev.data["text"]})
            elif ev.name == "reset":
                # chat clients cannot take text back: say so, then the extractive answer follows
                withdrawn.add(ev.data["reason"])
                yield chunk({"content": f"\n\n(Withdrawn: {ev.data['reason']})\n\n"})
            elif ev.name == "done":
                a = ev.data
                tail = notes_text([n for n in a["notes"] if n not in withdrawn]) + sources_text(a["citations"])
                if tail:
                    yield chunk({"content": tail})
                yield chunk({}, "stop", citations=a["citations"], careerkg=a)
    except Exception as exc:  # noqa: BLE001 - becomes an error chunk, never a cut socket
        yield error_event(exc).replace(b"event: error\n", b"")
    yield b"data: [DONE]\n\n"
