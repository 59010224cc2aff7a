"""``POST /ask``: a career question answered with citations into the guides."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from api.deps import RuntimeDep
from api.schemas import AskRequest, AskResponse, error_responses
from careerkg.errors import StoreError

router = APIRouter(tags=["ask"])


def to_response(answer) -> AskResponse:
    """A :class:`careerkg.model.Answer` as the HTTP body."""
    return AskResponse.model_validate(asdict(answer))


@router.post("/ask", response_model=AskResponse, summary="Ask a career question",
             responses=error_responses(400, 422, 502, 503))
async def ask(body: AskRequest, rt: RuntimeDep) -> AskResponse:
    """The answer, the citations its ``[n]`` markers point to (document, exact character span, quote),
    facts and conflicts found in the graph, and the entities the question was linked to.

    When the guides do not answer the question, ``abstained`` is true and the answer says so.
    ``mode: "llm"`` needs ``CAREERKG_LLM_MODEL``; the default is the deterministic extractive composer.
    """
    try:
        qa = rt.qa
    except ImportError:
        raise StoreError("question answering is not available in this installation") from None
    answer = await run_in_threadpool(qa.ask, body.question, top_k=body.top_k, mode=body.mode)
    return to_response(answer)
