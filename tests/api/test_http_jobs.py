"""Queued PUTs (issue 13, item 2): 202 Accepted + /jobs/{id} for large guides or ``Prefer: respond-async``.

The real app over the ``writer`` runtime (real stores and model on a copy of the seeded data dir);
tests that add a guide remove it. The job queue itself (:mod:`careerkg.jobs`) is tested alone at the end.
"""

from __future__ import annotations

import threading
import time

import ckg_testdata
import pytest
from http_testdata import AUTH

from careerkg.errors import InvalidInput, NotFound, StoreError
from careerkg.jobs import JobQueue

LEEDS = (ckg_testdata.DATA_DIR / "leeds-ml-jobs.md").read_text("utf-8")
LEEDS_QUESTION = "Which companies hire ML engineers in Leeds?"
SMALL = b"# ML in Truro\n\nA Machine Learning Engineer in Truro needs Python and SQL.\n"
MD = {"Content-Type": "text/markdown", **AUTH}
ASYNC = {**MD, "Prefer": "respond-async"}


def large_guide() -> str:
    """The Leeds guide followed by two seeds' text: a real guide of over 20,000 characters."""
    seeds = {p.stem: p for p in ckg_testdata.SEED_FILES}
    extra = [seeds["ml-jobs-uk-2026-next-three-years"], seeds["uk-ml-boom-what-you-need-to-know"]]
    text = LEEDS.rstrip("\n") + "\n\n" + "\n\n".join(p.read_text("utf-8") for p in extra)
    assert len(text) > 20_000
    return text


def poll(client, url: str, timeout: float = 180.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        r = client.get(url, headers=AUTH)
        assert r.status_code == 200, r.text
        job = r.json()
        if job["status"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline, f"job still {job['status']} after {timeout:.0f} s"
        time.sleep(0.1)


def jobs_count(client) -> int:
    return sum(client.get("/jobs", headers=AUTH).json()["counts"].values())


def test_a_large_guide_is_queued_then_served_and_answered(writer):
    doc_id = "leeds-ml-jobs-long"
    t = time.perf_counter()
    r = writer.put(f"/documents/{doc_id}", content=large_guide().encode(), headers=MD)
    accepted = time.perf_counter() - t
    assert r.status_code == 202, r.text
    body = r.json()
    assert r.headers["location"] == f"/jobs/{body['job_id']}" == body["url"]
    assert {"job_id", "status", "doc_id", "url"} <= set(body) and body["doc_id"] == doc_id
    assert body["status"] in ("queued", "running", "done")
    assert "preference-applied" not in r.headers  # queued for its size, nobody asked
    try:
        job = poll(writer, r.headers["location"])
        assert job["status"] == "done", job["error"]
        assert job["created"] <= job["started"] <= job["finished"] and job["seconds"] >= 0
        res = job["result"]
        assert res["status"] == "added" and res["doc_id"] == doc_id and res["version"] == 1
        assert res["document"]["chars"] > 20_000 and res["chunks"] > 10
        print(f"large guide: accepted in {accepted * 1000:.0f} ms, ingested in {job['seconds']:.1f} s")
        doc = writer.get(f"/documents/{doc_id}").json()
        assert doc["sha256"] == res["document"]["sha256"]
        assert writer.get(f"/documents/{doc_id}/text").text.startswith("# Machine learning jobs in Leeds")
        a = writer.post("/ask", json={"question": LEEDS_QUESTION}).json()
        assert a["abstained"] is False and "Asda" in a["answer"], a["answer"]
        cited = [c for c in a["citations"] if c["doc_id"] == doc_id]
        text = writer.get(f"/documents/{doc_id}/text").text
        assert cited and all(text[c["start"]:c["end"]] == c["quote"] for c in cited)
        listed = writer.get("/jobs", params={"doc_id": doc_id}, headers=AUTH).json()
        assert [j["job_id"] for j in listed["jobs"]] == [body["job_id"]]
        assert listed["jobs"][0]["result"] is None  # the list leaves results out; /jobs/{id} has them
    finally:
        assert writer.delete(f"/documents/{doc_id}", headers=AUTH).status_code == 200


def test_prefer_respond_async_queues_a_small_guide(writer):
    before = jobs_count(writer)
    r = writer.put("/documents/truro-guide", content=SMALL, headers={**MD, "Prefer": "wait=5, Respond-Async"})
    assert r.status_code == 202, r.text
    assert r.headers["preference-applied"] == "respond-async"
    try:
        job = poll(writer, r.headers["location"])
        assert job["status"] == "done" and job["result"]["status"] == "added"
        assert job["result"]["document"]["title"] == "ML in Truro" and job["requests"] == 1
        assert jobs_count(writer) == before + 1
        # without the header the same small guide is synchronous again: 200, no job
        r = writer.put("/documents/truro-guide", content=SMALL + b"Falmouth is nearby.\n", headers=MD)
        assert r.status_code == 200 and r.json()["status"] == "updated" and r.json()["version"] == 2
        assert "preference-applied" not in r.headers
        assert jobs_count(writer) == before + 1
    finally:
        assert writer.delete("/documents/truro-guide", headers=AUTH).status_code == 200


def test_a_small_guide_stays_synchronous(writer):
    before = jobs_count(writer)
    r = writer.put("/documents/truro-sync", content=SMALL, headers={**MD, "Prefer": "return=minimal"})
    try:
        assert r.status_code == 201, r.text
        assert r.headers["location"] == "/documents/truro-sync" and r.json()["status"] == "added"
        assert jobs_count(writer) == before
    finally:
        writer.delete("/documents/truro-sync", headers=AUTH)


@pytest.mark.parametrize("body, status, code", [(b"caf\xe9 jobs in Leeds", 400, "invalid_input"),
                                                (b"   \n", 400, "invalid_input"),
                                                (b"<script>x()</script>", 400, "invalid_input")])
def test_bad_guides_are_refused_before_queuing(writer, body, status, code):
    before = jobs_count(writer)
    ctype = "text/html" if body.startswith(b"<") else "text/plain"
    r = writer.put("/documents/bad-async", content=body, headers={**AUTH, "Content-Type": ctype,
                                                                   "Prefer": "respond-async"})
    assert r.status_code == status and r.json()["error"]["code"] == code, r.text
    assert "preference-applied" not in r.headers and "location" not in r.headers
    assert jobs_count(writer) == before
    assert writer.get("/documents/bad-async").status_code == 404


def test_same_text_as_another_guide_is_409_before_queuing(writer):
    seed = next(p for p in ckg_testdata.SEED_FILES if p.stem == ckg_testdata.CAREER_GUIDE)
    before = jobs_count(writer)
    r = writer.put("/documents/career-guide-copy", content=seed.read_bytes(), headers={**ASYNC,
                                                                                         "Content-Type": "text/plain"})
    assert r.status_code == 409 and ckg_testdata.CAREER_GUIDE in r.json()["error"]["message"], r.text
    assert jobs_count(writer) == before


def test_a_job_that_fails_at_ingest_changes_nothing(writer, writable_runtime, monkeypatch):
    r = writer.put("/documents/truro-fail", content=SMALL, headers=MD)
    assert r.status_code == 201, r.text
    try:
        old = writer.get("/documents/truro-fail").json()
        counts = (writable_runtime.index.count(), writable_runtime.graph.count())

        def model_gone(texts):
            raise StoreError("the embedding model is gone")

        monkeypatch.setattr(writable_runtime.embedder, "encode", model_gone)
        r = writer.put("/documents/truro-fail", content=SMALL + b"Bodmin is nearby.\n", headers=ASYNC)
        assert r.status_code == 202, r.text
        job = poll(writer, r.headers["location"])
        monkeypatch.undo()
        assert job["status"] == "failed" and job["result"] is None
        assert job["error"]["status"] == 400 and "embedding model is gone" in job["error"]["message"]
        assert writer.get("/documents/truro-fail").json() == old
        assert writer.get("/documents/truro-fail/text").text == SMALL.decode()
        assert (writable_runtime.index.count(), writable_runtime.graph.count()) == counts
        assert not writable_runtime.pipeline.manifest.pending
        # the failure is the job's: the next PUT goes through
        r = writer.put("/documents/truro-fail", content=SMALL + b"Bodmin is nearby.\n", headers=ASYNC)
        assert poll(writer, r.headers["location"])["result"]["version"] == 2
    finally:
        monkeypatch.undo()
        writer.delete("/documents/truro-fail", headers=AUTH)


def test_a_put_while_the_guide_is_queued_joins_its_job(writer, writable_runtime, monkeypatch):
    """The queue is held by a first job; meanwhile two PUTs of one guide share one job (the last body wins),
    and a guide with the same text under another id, queued before either ran, fails as a duplicate."""
    p = writable_runtime.pipeline
    real = p.ingest_bytes
    gate, holding = threading.Event(), threading.Event()

    def held(data, name, **kw):
        if kw.get("doc_id") == "hold-queue":
            holding.set()
            assert gate.wait(120)
        return real(data, name, **kw)

    monkeypatch.setattr(p, "ingest_bytes", held)
    v1, v2 = SMALL + b"Version one.\n", SMALL + b"Version two, in St Ives.\n"
    ids = ("hold-queue", "truro-joined", "truro-copy")
    try:
        first = writer.put("/documents/hold-queue", content=b"# Hold\n\nA Data Scientist in Hull uses R.\n",
                           headers=ASYNC).json()
        assert holding.wait(60)
        a = writer.put("/documents/truro-joined", content=v1, headers=ASYNC)
        assert a.status_code == 202 and a.json()["status"] == "queued" and a.json()["position"] == 0
        # no Prefer header, a small guide: still queued, because its guide has a job pending
        b = writer.put("/documents/truro-joined", content=v2, headers=MD, params={"title": "Truro v2"})
        assert b.status_code == 202 and "preference-applied" not in b.headers
        assert b.json()["job_id"] == a.json()["job_id"] and b.json()["requests"] == 2
        dup = writer.put("/documents/truro-copy", content=v2, headers=ASYNC)
        assert dup.status_code == 202 and dup.json()["position"] == 1
        gate.set()
        assert poll(writer, first["url"])["status"] == "done"
        joined = poll(writer, a.headers["location"])
        assert joined["status"] == "done" and joined["requests"] == 2
        assert joined["result"]["version"] == 1 and joined["result"]["document"]["title"] == "Truro v2"
        assert writer.get("/documents/truro-joined/text").text == v2.decode()
        failed = poll(writer, dup.headers["location"])
        assert failed["status"] == "failed" and failed["error"]["code"] == "duplicate"
        assert failed["error"]["status"] == 409 and "truro-joined" in failed["error"]["message"]
        assert writer.get("/documents/truro-copy").status_code == 404
    finally:
        gate.set()
        monkeypatch.undo()
        for d in ids:
            writer.delete(f"/documents/{d}", headers=AUTH)


def test_the_cli_follows_a_queued_put_to_its_result(writer, tmp_path):
    """``careerkg ingest`` through a running service (cli_remote) polls the job of a large guide."""
    from careerkg.api.cli_remote import ingest_via
    from careerkg.errors import CareerKGError

    class Client:  # the ServiceClient calls cli_remote makes, over the app
        url = "http://testserver"

        def json(self, method, path, **kw):
            r = writer.request(method, path, headers={**kw.pop("headers", {}), **AUTH}, **kw)
            if r.status_code >= 400:
                raise CareerKGError(r.json()["error"]["message"])
            return r.json()

    guide = tmp_path / "leeds-ml-jobs-cli.md"
    guide.write_text(large_guide(), "utf-8")
    try:
        [res] = ingest_via(Client(), [guide])
        assert (res.doc_id, res.status, res.version, res.reason) == ("leeds-ml-jobs-cli", "added", 1, "")
        assert res.chunks > 10 and writer.get("/documents/leeds-ml-jobs-cli").status_code == 200
    finally:
        writer.delete("/documents/leeds-ml-jobs-cli", headers=AUTH)


def test_unknown_job_is_404_and_jobs_need_the_key(writer, client):
    r = writer.get("/jobs/0123456789abcdef", headers=AUTH)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert writer.get("/jobs").status_code == 401
    assert writer.get("/jobs/0123456789abcdef").status_code == 401
    assert client.get("/jobs", headers=AUTH).status_code == 403  # writes off: no jobs either
    assert writer.head("/jobs", headers=AUTH).status_code == 200


def test_openapi_documents_the_202_and_the_jobs(client):
    spec = client.get("/openapi.json").json()
    put = spec["paths"]["/documents/{doc_id}"]["put"]
    accepted = put["responses"]["202"]
    assert accepted["content"]["application/json"]["schema"]["$ref"].endswith("/JobOut")
    assert {"Location", "Preference-Applied"} <= set(accepted["headers"])
    assert "respond-async" in accepted["description"]
    assert any(prm["name"] == "prefer" and prm["in"] == "header" for prm in put["parameters"])
    assert {"200", "201", "202", "409"} <= set(put["responses"])
    job = spec["paths"]["/jobs/{job_id}"]["get"]
    assert "404" in job["responses"] and "/jobs" in spec["paths"]
    out = spec["components"]["schemas"]["JobOut"]["properties"]
    assert out["status"]["enum"] == ["queued", "running", "done", "failed"]


# ------------------------------------------------------------------------------ the queue alone
def test_queue_runs_one_at_a_time_in_order_and_keeps_a_bounded_history():
    ran: list[int] = []
    active, most = [0], [0]
    lock = threading.Lock()

    def work(n: int) -> int:
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        time.sleep(0.01)
        ran.append(n)
        with lock:
            active[0] -= 1
        if n == 3:
            raise InvalidInput("three is bad")
        return n * 10

    q = JobQueue(work, keep=4)
    try:
        jobs = [q.submit(f"k{n}", n)[0] for n in range(6)]
        done = [q.wait(j.job_id, 10) for j in jobs[-4:]]
        assert ran == list(range(6)) and most[0] == 1
        assert [j.status for j in done] == ["done", "failed", "done", "done"]
        assert done[1].error is not None and str(done[1].error) == "three is bad" and done[0].result == 20
        with pytest.raises(NotFound):  # only the last 4 are kept
            q.get(jobs[0].job_id)
        assert [j.key for j in q.recent()] == ["k5", "k4", "k3", "k2"]
        assert q.recent(status="failed")[0].key == "k3"
    finally:
        q.close()


def test_queue_joins_a_queued_job_not_a_running_one_and_abandons_queued_work_on_close():
    gate, started = threading.Event(), threading.Event()

    def work(payload: str) -> str:
        started.set()
        assert gate.wait(10)
        return payload

    q = JobQueue(work)
    merge = lambda old, new: f"{old}+{new}"  # noqa: E731
    running, _ = q.submit("g", "a", merge=merge)
    assert started.wait(10)
    behind, joined = q.submit("g", "b", merge=merge)  # the running job is not joined
    assert not joined and behind.job_id != running.job_id and behind.position == 0
    again, joined = q.submit("g", "c", merge=merge)
    assert joined and again.job_id == behind.job_id and again.requests == 2
    other, _ = q.submit("h", "d")
    assert q.pending("g").job_id == behind.job_id
    closer = threading.Thread(target=q.close)
    closer.start()
    time.sleep(0.1)
    gate.set()
    closer.join(10)
    assert q.get(running.job_id).result == "a"
    for j in (behind, other):
        got = q.get(j.job_id)
        assert got.status == "failed" and got.error.code == "abandoned"
    with pytest.raises(Exception, match="shutting down"):
        q.submit("g", "e")
