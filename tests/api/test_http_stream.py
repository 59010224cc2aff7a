"""POST /ask as Server-Sent Events (extractive mode): statements, then citations, facts, conflicts, done."""

from __future__ import annotations

import statistics
import time

import httpx
import pytest
from llm_testkit import read_events

from test_http_ask import assert_citations_resolve

QUESTIONS = ["What does a senior MLE earn in London?", "Where is Featurespace based?",
             "Which skills do ML engineers need?", "What does an ML engineer earn in Inverness?"]


def stream(client, body: dict, headers: dict | None = None):
    t0 = time.perf_counter()
    with client.stream("POST", "/ask", json=body, headers=headers or {}) as r:
        assert r.status_code == 200, r.read()
        assert r.headers["content-type"].startswith("text/event-stream")
        return list(read_events(r.iter_lines(), t0))


@pytest.mark.parametrize("question", QUESTIONS)
def test_stream_is_the_answer_in_events(client, question):
    events = stream(client, {"question": question}, {"Accept": "text/event-stream"})
    names = [e.event for e in events]
    deltas = [e for e in events if e.event == "delta"]
    assert deltas and names[:len(deltas)] == ["delta"] * len(deltas)
    assert names[len(deltas):] == ["citations", "facts", "conflicts", "done"]
    done = events[-1].data
    whole = client.post("/ask", json={"question": question}).json()
    for key in ("answer", "abstained", "mode", "citations", "facts", "conflicts", "unmet", "entities"):
        assert done[key] == whole[key], key
    assert "".join(d.data["text"] for d in deltas) == done["answer"]
    assert events[-4].data == done["citations"] and events[-3].data == done["facts"]
    for d in deltas:
        assert set(d.data["citations"]) <= {c["id"] for c in done["citations"]}
    assert_citations_resolve(client, done)
    assert done["timings_ms"]["first_delta"] > 0


def test_stream_flag_in_the_body_streams_too(client):
    events = stream(client, {"question": "Where is Featurespace based?", "stream": True})
    assert events[-1].event == "done" and events[0].event == "delta"


def test_stream_errors_before_the_first_event_are_http_errors(client):
    r = client.post("/ask", json={"question": " ", "stream": True})
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"
    r = client.post("/ask", json={"question": "x", "stream": "perhaps"})
    assert r.status_code == 422


def test_failure_mid_stream_is_an_error_event(client, seeded_runtime, monkeypatch):
    from careerkg.qa import stream as qstream

    def broken(self, *a, **k):
        raise RuntimeError("disk on fire at /srv/secret/path")

    monkeypatch.setattr(qstream.AnswerStream, "_llm", broken)
    monkeypatch.setattr(qstream, "pieces", lambda text: (_ for _ in ()).throw(RuntimeError("/srv/secret boom")))
    events = stream(client, {"question": "Where is Featurespace based?", "stream": True})
    assert [e.event for e in events] == ["error"]
    err = events[0].data["error"]
    assert err["code"] == "internal_error" and "secret" not in err["message"]


def test_json_answers_are_unchanged_without_the_flag(client):
    r = client.post("/ask", json={"question": "Where is Featurespace based?"}, headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")


def test_time_to_first_event_over_http(live_server):
    """Extractive: the first statement reaches a real HTTP client within 100 ms (median of warm requests)."""
    firsts = []
    with httpx.Client(base_url=live_server, timeout=30) as http:
        http.post("/ask", json={"question": QUESTIONS[0]})  # warm
        for _ in range(3):
            for q in QUESTIONS:
                t0 = time.perf_counter()
                with http.stream("POST", "/ask", json={"question": q},
                                 headers={"Accept": "text/event-stream"}) as r:
                    events = read_events(r.iter_lines(), t0)
                    first = next(events)
                    assert first.event == "delta"
                    firsts.append(first.at)
                    rest = list(events)
                assert rest[-1].event == "done"
    med = statistics.median(firsts)
    print(f"time to first event: median {med * 1000:.1f} ms, max {max(firsts) * 1000:.1f} ms over {len(firsts)}")
    assert med <= 0.100, firsts


def test_cli_ask_stream_through_the_service(live_server, client):
    """``careerkg --url URL ask --stream``: the answer as it arrives, then its sources; --json gives events."""
    import json

    from typer.testing import CliRunner

    from careerkg.api.cli import app

    q = "Where is Featurespace based?"
    want = client.post("/ask", json={"question": q}).json()
    res = CliRunner().invoke(app, ["--url", live_server, "ask", "--stream", q])
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.stdout.splitlines() if not ln.startswith("note: ")]
    assert lines[0] == want["answer"]
    assert lines[1:1 + len(want["citations"])] == [
        f"[{c['id']}] {c['doc_id']} [{c['start']}:{c['end']}] \"{c['quote']}\"" for c in want["citations"]]
    res = CliRunner().invoke(app, ["--url", live_server, "ask", "--stream", "--json", q])
    events = [json.loads(line) for line in res.stdout.splitlines()]
    assert [e["event"] for e in events][-4:] == ["citations", "facts", "conflicts", "done"]
    assert events[-1]["data"]["answer"] == want["answer"]
