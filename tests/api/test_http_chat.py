"""POST /v1/chat/completions: careerkg as a model for OpenAI-speaking chat clients (extractive mode).

The clients are the real ``openai`` Python client and litellm, talking to a real uvicorn server.
"""

from __future__ import annotations

import re

import pytest

QUESTION = "What does a senior MLE earn in London?"


@pytest.fixture(scope="module")
def oai(live_server):
    import openai

    with openai.OpenAI(base_url=f"{live_server}/v1", api_key="unused", max_retries=0, timeout=60) as c:
        yield c


def expected(client, question: str) -> dict:
    return client.post("/ask", json={"question": question}).json()


def test_reply_is_the_cited_answer_with_sources(oai, client):
    resp = oai.chat.completions.create(model="careerkg", messages=[
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi!"},
        {"role": "user", "content": QUESTION}])
    want = expected(client, QUESTION)
    content = resp.choices[0].message.content
    assert resp.choices[0].finish_reason == "stop" and resp.choices[0].message.role == "assistant"
    assert content.startswith(want["answer"])
    assert "\n\nSources:\n[1] " in content
    extra = resp.model_extra
    assert extra["citations"] == want["citations"] and extra["careerkg"]["answer"] == want["answer"]
    for n in re.findall(r"\[(\d+)\]", want["answer"]):
        assert f"[{n}] " in content.split("Sources:")[1]


def test_streamed_reply_matches(oai, client):
    chunks = list(oai.chat.completions.create(model="careerkg-extractive", stream=True,
                                              messages=[{"role": "user", "content": QUESTION}]))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    want = expected(client, QUESTION)
    assert text.startswith(want["answer"]) and "Sources:" in text
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.model_extra["citations"] == want["citations"]
    assert len({c.id for c in chunks}) == 1


def test_litellm_as_the_client(live_server, client):
    import litellm

    want = expected(client, "Where is Featurespace based?")
    kw = {"model": "openai/careerkg", "api_base": f"{live_server}/v1", "api_key": "unused",
          "messages": [{"role": "user", "content": "Where is Featurespace based?"}], "num_retries": 0}
    resp = litellm.completion(**kw)
    assert resp.choices[0].message.content.startswith(want["answer"])
    streamed = "".join(c.choices[0].delta.content or "" for c in litellm.completion(stream=True, **kw))
    assert streamed.startswith(want["answer"])


def test_models_are_listed(oai):
    assert {m.id for m in oai.models.list()} == {"careerkg", "careerkg-extractive", "careerkg-llm"}


def test_bad_requests_are_openai_shaped_errors(oai, client):
    import openai

    with pytest.raises(openai.BadRequestError) as e:
        oai.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": QUESTION}])
    assert "unknown model" in str(e.value)
    r = client.post("/v1/chat/completions", json={"model": "careerkg", "messages": [
        {"role": "system", "content": "only a system message"}]})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_input"
    r = client.post("/v1/chat/completions", json={"model": "careerkg", "messages": []})
    assert r.status_code == 422


def test_content_parts_are_read_as_text(client):
    r = client.post("/v1/chat/completions", json={"model": "careerkg", "messages": [
        {"role": "user", "content": [{"type": "text", "text": "Where is Featurespace based?"}]}]})
    assert r.status_code == 200
    assert r.json()["careerkg"]["question"] == "Where is Featurespace based?"
