"""As-of answers on real stores (issue 15, item 3): three versions of a guide ingested at known times, asked
as of each date: each version's figure, cited verbatim against that version's text; a date before any guide
abstains; over HTTP a malformed date is 422."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

import ckg_testdata as td

DOC = "fintech-ml-roles"
QUESTION = "What does a senior ML engineer earn in London?"
FIGURES = {1: ("£95,000", "£140,000"), 2: ("£100,000", "£150,000"), 3: ("£104,000", "£156,000")}
WHEN = {1: "2026-01-10T12:00:00+00:00", 2: "2026-03-10T12:00:00+00:00", 3: "2026-06-10T12:00:00+00:00"}


def version_text(v: int) -> str:
    lo, hi = FIGURES[v]
    return td.FIXTURE_TXT.read_text("utf-8").replace("between £95,000 and £140,000", f"between {lo} and {hi}")


@pytest.fixture
def dated(runtime_factory, monkeypatch):
    """Version 1 of the fintech guide (with the healthcare guide) on 10 January 2026, v2 on 10 March, v3 on
    10 June: the clock of the pipeline is set for each ingest."""
    import careerkg.ingest.pipeline as pipeline_module

    rt = runtime_factory()
    for v in (1, 2, 3):
        monkeypatch.setattr(pipeline_module, "_now", lambda v=v: WHEN[v])
        if v == 1:
            assert rt.pipeline.ingest_path(td.FIXTURE_MD).status == "added"
        res = rt.pipeline.ingest_bytes(version_text(v).encode("utf-8"), f"{DOC}.txt")
        assert res.version == v, res
    return rt


def fintech_citations(rt, answer, version: int) -> list:
    texts = {DOC: rt.pipeline.history.text(DOC, version)}
    out = []
    for c in answer.citations:
        text = texts.get(c.doc_id) or rt.pipeline.text(c.doc_id)
        assert text[c.start:c.end] == c.quote, c  # verbatim against that version's text
        if c.doc_id == DOC:
            out.append(c)
    return out


@pytest.mark.parametrize("day,version", [("2026-02-01", 1), ("2026-03-10", 2), ("2026-05-01", 2),
                                         ("2026-07-01", 3)])
def test_each_date_answers_from_that_version(dated, day, version):
    a = dated.qa.ask(QUESTION, as_of=date.fromisoformat(day))
    assert not a.abstained, a.answer
    assert a.as_of["date"] == day and a.as_of["versions"][DOC] == version
    assert a.as_of["current"] is (version == 3)
    assert a.notes[0].startswith(f"As of {day}: answered from the guides as they were then")
    cites = fintech_citations(dated, a, version)
    assert cites and any(FIGURES[version][0] in c.quote for c in cites), (a.answer, cites)
    assert FIGURES[version][0] in a.answer
    for other in set(FIGURES) - {version}:
        assert FIGURES[other][0] not in a.answer


def test_a_guide_ingested_later_is_not_there_before(dated):
    a = dated.qa.ask("What does a senior ML engineer earn in London?", as_of=date(2026, 2, 1))
    assert set(a.as_of["versions"]) == {DOC, "healthcare-ml-notes"}
    dated.pipeline.ingest_path(td.FIXTURE_HTML)  # today: not there as of February
    a = dated.qa.ask("What does a senior ML engineer earn in London?", as_of=date(2026, 2, 1))
    assert "autonomy-ml-jobs" not in a.as_of["versions"]
    assert all(c.doc_id != "autonomy-ml-jobs" for c in a.citations)


def test_before_any_guide_abstains(dated):
    a = dated.qa.ask(QUESTION, as_of=date(2025, 12, 31))
    assert a.abstained and a.citations == []
    assert "No guide had been ingested by 2025-12-31" in a.answer
    assert a.unmet == [{"constraint": "as_of", "value": "2025-12-31"}]
    assert a.as_of == {"date": "2025-12-31", "versions": {}, "current": False}


def test_current_answers_are_unchanged_without_as_of(dated):
    a = dated.qa.ask(QUESTION)
    assert a.as_of is None and FIGURES[3][0] in a.answer and FIGURES[1][0] not in a.answer


def test_http_as_of_and_malformed_dates(dated):
    from careerkg.api.app import create_app

    with TestClient(create_app(dated.settings, runtime=dated), raise_server_exceptions=False) as client:
        r = client.post("/ask", json={"question": QUESTION, "as_of": "2026-02-01"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["as_of"]["versions"][DOC] == 1 and FIGURES[1][0] in body["answer"]
        for c in body["citations"]:
            if c["doc_id"] == DOC:
                text = client.get(f"/documents/{DOC}/text", params={"version": 1}).text
                assert text[c["start"]:c["end"]] == c["quote"]
        for bad in ("2026-13-01", "01/02/2026", "2026-2-1", "yesterday", "2026-02-01T00:00:00", 20260201):
            r = client.post("/ask", json={"question": QUESTION, "as_of": bad})
            assert r.status_code == 422, (bad, r.text)
            assert r.json()["error"]["code"] in ("validation_error", "invalid_input"), r.json()
        r = client.post("/ask", json={"question": QUESTION, "as_of": "1999-01-01"})
        assert r.status_code == 200 and r.json()["abstained"] is True
        r = client.post("/ask", json={"question": QUESTION, "as_of": "2026-02-01", "stream": True})
        assert r.status_code == 400
        assert client.post("/ask", json={"question": QUESTION}).json()["as_of"] is None
