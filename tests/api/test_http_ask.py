"""POST /ask: validation, the answer shape with resolvable citations, and a guide added then removed over HTTP."""

from __future__ import annotations

import ckg_testdata
import pytest
from http_testdata import AUTH

LEEDS_GUIDE = ckg_testdata.DATA_DIR / "leeds-ml-jobs.md"
LEEDS_ID = "leeds-ml-jobs"
LEEDS_QUESTION = "Which companies hire ML engineers in Leeds?"


def assert_citations_resolve(client, answer: dict) -> None:
    texts: dict[str, str] = {}
    for c in answer["citations"]:
        if c["doc_id"] not in texts:
            r = client.get(f"/documents/{c['doc_id']}/text")
            assert r.status_code == 200
            texts[c["doc_id"]] = r.text
        assert texts[c["doc_id"]][c["start"]:c["end"]] == c["quote"]
    markers = {int(n) for n in __import__("re").findall(r"\[(\d+)\]", answer["answer"])}
    assert markers <= {c["id"] for c in answer["citations"]}


def test_answer_with_citations(client):
    r = client.post("/ask", json={"question": "What does a senior MLE earn in London?"})
    assert r.status_code == 200, r.text
    a = r.json()
    assert set(a) >= {"question", "answer", "abstained", "mode", "citations", "facts", "conflicts", "entities"}
    assert a["abstained"] is False and a["mode"] == "extractive"
    assert a["citations"] and "£" in a["answer"]
    assert any(e["iri"] == ckg_testdata.CITY_LONDON for e in a["entities"])
    assert_citations_resolve(client, a)


def test_top_k_and_mode_are_accepted(client):
    r = client.post("/ask", json={"question": "Which skills do ML engineers need?", "top_k": 3, "mode": "extractive"})
    assert r.status_code == 200, r.text
    assert_citations_resolve(client, r.json())


@pytest.mark.parametrize("question", [LEEDS_QUESTION, "How many moons does Jupiter have?"])
def test_unanswerable_question_abstains(client, question):
    a = client.post("/ask", json={"question": question}).json()
    assert a["abstained"] is True
    # citations only for the nearest evidence, labelled as not answering the question
    assert (a["citations"] == []) != ("The nearest the guides hold" in a["answer"])


def test_abstention_names_the_unmet_constraint(client):
    a = client.post("/ask", json={"question": "What does a senior MLE earn in Inverness?"}).json()
    assert a["abstained"] is True
    assert a["unmet"] == [{"constraint": "place", "value": "Inverness"}]
    assert "Inverness" in a["answer"].split("The nearest")[0]


@pytest.mark.parametrize("body, where", [
    ({}, "question"),
    ({"question": ""}, "question"),
    ({"question": "   \n "}, "blank"),
    ({"question": "x" * 1001}, "1000"),
    ({"question": 42}, "question"),
    ({"question": ["a"]}, "question"),
    ({"question": "ok?", "top_k": 0}, "top_k"),
    ({"question": "ok?", "top_k": 51}, "top_k"),
    ({"question": "ok?", "top_k": "many"}, "top_k"),
    ({"question": "ok?", "mode": "poetry"}, "mode"),
    ({"question": "ok?", "colour": "blue"}, "colour"),
])
def test_invalid_requests_are_422(client, body, where):
    r = client.post("/ask", json=body)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "validation_error" and where in err["message"]


def test_non_json_body_is_415_and_malformed_json_400(client):
    r = client.post("/ask", content=b"question=hi", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415 and "error" in r.json()
    r = client.post("/ask", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "error" in r.json()


def test_put_a_guide_then_ask_then_delete_it(writer):
    before = writer.post("/ask", json={"question": LEEDS_QUESTION}).json()
    assert before["abstained"] is True
    r = writer.put(f"/documents/{LEEDS_ID}", content=LEEDS_GUIDE.read_bytes(),
                   headers={"Content-Type": "text/markdown", **AUTH})
    assert r.status_code == 201, r.text
    try:
        a = writer.post("/ask", json={"question": LEEDS_QUESTION}).json()
        assert a["abstained"] is False, a["answer"]
        assert LEEDS_ID in {c["doc_id"] for c in a["citations"]}
        assert "Asda" in a["answer"]
        assert_citations_resolve(writer, a)
        # the graph sees it too: SPARQL through the worker pool (a new snapshot after the write)
        q = ("PREFIX ckg: <https://w3id.org/careerkg/ontology#>\nSELECT (COUNT(*) AS ?n) WHERE { "
             "?c a ckg:SalaryClaim ; ckg:location <https://w3id.org/careerkg/id/city/leeds> }")
        salary = writer.post("/ask", json={"question": "What does a senior Machine Learning Engineer earn in "
                                                       "Leeds?"}).json()
        assert "70,000" in salary["answer"] and LEEDS_ID in {c["doc_id"] for c in salary["citations"]}
        n = writer.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]["n"]["value"]
        assert int(n) >= 1
    finally:
        assert writer.delete(f"/documents/{LEEDS_ID}", headers=AUTH).status_code == 200
    after = writer.post("/ask", json={"question": LEEDS_QUESTION}).json()
    assert after["abstained"] is True and "Leeds" in after["answer"].split("The nearest")[0]
    n = writer.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]["n"]["value"]
    assert int(n) == 0


def test_llm_failure_is_502_and_crash_is_opaque_500(client, seeded_runtime, monkeypatch):
    from careerkg.errors import LLMError

    def llm_down(*a, **kw):
        raise LLMError("the LLM server did not answer within 30 s")

    monkeypatch.setattr(seeded_runtime.qa, "ask", llm_down)
    r = client.post("/ask", json={"question": "What does a senior MLE earn?", "mode": "llm"})
    assert r.status_code == 502 and r.json()["error"] == {"code": "llm_error",
                                                          "message": "the LLM server did not answer within 30 s"}

    def crash(*a, **kw):
        raise RuntimeError("boom in /work/main/qa/service.py")

    monkeypatch.setattr(seeded_runtime.qa, "ask", crash)
    r = client.post("/ask", json={"question": "What does a senior MLE earn?"})
    assert r.status_code == 500
    assert r.json() == {"error": {"code": "internal_error",
                                  "message": "internal error; the server log has the details"}}


def test_huge_body_is_refused_before_it_is_read(client):
    big = b'{"question": "' + b"a" * 1_100_000 + b'"}'
    r = client.post("/ask", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"

    def chunks():  # no Content-Length
        yield b'{"question": "'
        for _ in range(12):
            yield b"a" * 100_000
        yield b'"}'

    r = client.post("/ask", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
