"""POST /ask streamed in LLM mode, and /v1/chat/completions as careerkg-llm, against the real model server.

The model (SmolLM2-135M via llama.cpp, tests/llm_testkit.py) is a stand-in too weak to answer well:
the assertions are careerkg's guarantees, whatever it says.
"""

from __future__ import annotations

import time

import pytest
from llm_testkit import read_events, shared_server

from careerkg.qa.llm import LLMClient, citation_grammar
from careerkg.qa.validate import check_sentence, validate

QUESTION = "What does a senior MLE earn in London?"


@pytest.fixture
def llm_on(seeded_runtime, tmp_path_factory):
    srv = shared_server(tmp_path_factory.mktemp("llama"))
    qa = seeded_runtime.qa
    original = qa.llm
    qa.llm = LLMClient(srv.settings(seeded_runtime.settings, llm_timeout=180), max_tokens=60,
                       extra_body=citation_grammar)
    yield qa
    qa.llm = original


def test_llm_stream_sends_only_checked_sentences(client, llm_on):
    extractive = client.post("/ask", json={"question": QUESTION}).json()
    t0 = time.perf_counter()
    with client.stream("POST", "/ask", json={"question": QUESTION, "mode": "llm", "stream": True}) as r:
        assert r.status_code == 200
        events = list(read_events(r.iter_lines(), t0))
    names = [e.event for e in events]
    assert names[-4:] == ["citations", "facts", "conflicts", "done"] and "error" not in names
    done = events[-1].data
    quotes = {c["id"]: c["quote"] for c in done["citations"]}
    assert done["citations"] == extractive["citations"]
    resets = [i for i, e in enumerate(events) if e.event == "reset"]
    # the LLM's sentences: those withdrawn by a reset, or all of them when the LLM answer stood
    generated = events[:resets[-1]] if resets else (events if done["mode"] == "llm" else [])
    for e in generated:
        if e.event == "delta":  # sent only once it had passed validation
            assert check_sentence(e.data["text"].strip(), quotes).kept, e.data
    shown = "".join(e.data["text"] for e in events[(resets[-1] + 1 if resets else 0):] if e.event == "delta")
    assert shown == done["answer"]
    if done["mode"] == "llm":
        assert not validate(done["answer"], [type("C", (), {"id": k, "quote": v}) for k, v in quotes.items()]).dropped
    else:
        assert done["answer"] == extractive["answer"] and "extractive answer" in done["notes"][-1]
    assert done["timings_ms"]["llm_first_token"] > 0
    assert done["timings_ms"]["llm_sentences_kept"] + done["timings_ms"]["llm_sentences_dropped"] >= 1 or \
        "LLM unavailable" in done["notes"][-1]
    print(f"\nLLM stream: {done['mode']}, {done['timings_ms']}, notes {done['notes']}")


def test_chat_completion_in_llm_mode(client, llm_on):
    r = client.post("/v1/chat/completions", json={"model": "careerkg-llm",
                                                  "messages": [{"role": "user", "content": QUESTION}]})
    assert r.status_code == 200
    body = r.json()
    a = body["careerkg"]
    content = body["choices"][0]["message"]["content"]
    assert content.startswith(a["answer"]) and body["citations"] == a["citations"]
    assert a["mode"] in ("llm", "extractive")
    if a["mode"] == "extractive":
        assert f"Note: {a['notes'][-1]}" in content
