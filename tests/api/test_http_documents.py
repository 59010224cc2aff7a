"""/documents: reads, the text citation offsets index, and writes with bearer auth and bad bodies."""

from __future__ import annotations

import ckg_testdata
import pytest
from http_testdata import API_KEY, AUTH

GUIDE = b"# ML in Sheffield\n\nA Machine Learning Engineer in Sheffield needs Python and PyTorch.\n"


def test_list_and_get(client):
    body = client.get("/documents").json()
    assert body["count"] == len(ckg_testdata.SEED_IDS)
    assert [d["doc_id"] for d in body["documents"]] == sorted(ckg_testdata.SEED_IDS)
    doc = client.get(f"/documents/{ckg_testdata.CAREER_GUIDE}").json()
    assert doc["version"] == 1 and doc["chunks"] > 0 and len(doc["sha256"]) == 64
    assert doc["text_url"] == f"/documents/{ckg_testdata.CAREER_GUIDE}/text"


def test_text_is_the_extracted_text(client, seeded_runtime):
    r = client.get(f"/documents/{ckg_testdata.CAREER_GUIDE}/text")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.text == seeded_runtime.pipeline.text(ckg_testdata.CAREER_GUIDE)
    assert "£" in r.text  # decoded as UTF-8, offsets count code points
    assert r.headers["etag"].strip('"') == client.get(f"/documents/{ckg_testdata.CAREER_GUIDE}").json()["sha256"]


@pytest.mark.parametrize("path", ["/documents/no-such-doc", "/documents/no-such-doc/text"])
def test_unknown_document_is_404(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.json() == {"error": {"code": "not_found", "message": "no document 'no-such-doc'"}}


def test_writes_are_off_without_a_configured_key(client):
    for call in (lambda: client.put("/documents/x", content=GUIDE, headers={"Content-Type": "text/markdown", **AUTH}),
                 lambda: client.delete(f"/documents/{ckg_testdata.CAREER_GUIDE}", headers=AUTH)):
        r = call()
        assert r.status_code == 403
        assert "CAREERKG_API_KEY" in r.json()["error"]["message"]
    assert client.get("/documents").json()["count"] == len(ckg_testdata.SEED_IDS)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-key"}, {"Authorization": API_KEY},
                                     {"Authorization": f"Basic {API_KEY}"}, {"Authorization": "Bearer "}])
def test_missing_or_wrong_key_is_401(writer, headers):
    r = writer.put("/documents/sheffield-guide", content=GUIDE, headers={"Content-Type": "text/markdown", **headers})
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert r.json()["error"]["code"] == "unauthorized"
    r = writer.delete(f"/documents/{ckg_testdata.CAREER_GUIDE}", headers=headers)
    assert r.status_code == 401
    assert writer.get("/documents/sheffield-guide").status_code == 404
    assert writer.get(f"/documents/{ckg_testdata.CAREER_GUIDE}").status_code == 200


def test_put_add_unchanged_update_delete(writer):
    headers = {"Content-Type": "text/markdown; charset=utf-8", **AUTH}
    r = writer.put("/documents/sheffield-guide", content=GUIDE, headers=headers)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "added" and body["version"] == 1 and body["chunks"] >= 1
    assert r.headers["location"] == "/documents/sheffield-guide"
    assert body["document"]["media_type"] == "text/markdown" and body["document"]["title"] == "ML in Sheffield"
    try:
        r = writer.put("/documents/sheffield-guide", content=GUIDE, headers=headers)
        assert r.status_code == 200 and r.json()["status"] == "unchanged" and r.json()["version"] == 1
        r = writer.put("/documents/sheffield-guide", content=GUIDE + b"\nLeeds is nearby.\n", headers=headers)
        assert r.status_code == 200 and r.json()["status"] == "updated" and r.json()["version"] == 2
        assert writer.get("/documents/sheffield-guide/text").text.endswith("Leeds is nearby.\n")
    finally:
        r = writer.delete("/documents/sheffield-guide", headers=AUTH)
    assert r.status_code == 200 and r.json()["doc_id"] == "sheffield-guide"
    assert writer.get("/documents/sheffield-guide").status_code == 404
    assert writer.delete("/documents/sheffield-guide", headers=AUTH).status_code == 404


def test_put_html_and_plain_text(writer):
    for ctype, data, title in (("text/html", b"<html><head><title>Hull ML</title></head><body><p>Python jobs.</p>"
                                b"<script>x()</script></body></html>", "Hull ML"),
                               ("text/plain", b"York ML notes\nPython and SQL.\n", "York ML notes")):
        r = writer.put("/documents/format-check", content=data, headers={"Content-Type": ctype, **AUTH})
        assert r.status_code in (200, 201), r.text
        assert r.json()["document"]["title"] == title
        assert "x()" not in writer.get("/documents/format-check/text").text
    assert writer.delete("/documents/format-check", headers=AUTH).status_code == 200


def test_oversized_body_is_413(writer, write_app, override):
    with override(write_app, max_document_bytes=1000):
        r = writer.put("/documents/too-big", content=b"a" * 1001, headers={"Content-Type": "text/plain", **AUTH})
        assert r.status_code == 413
        assert r.json()["error"]["code"] == "too_large"

        def chunks():  # no Content-Length: the limit is enforced while reading
            for _ in range(20):
                yield b"b" * 100

        r = writer.put("/documents/too-big", content=chunks(), headers={"Content-Type": "text/plain", **AUTH})
        assert r.status_code == 413
    assert writer.get("/documents/too-big").status_code == 404


@pytest.mark.parametrize("body, ctype, status, words", [
    (b"caf\xe9 jobs in Leeds", "text/plain", 400, "UTF-8"),
    (b"", "text/plain", 400, "empty"),
    (b"\x00\x01binary", "text/plain", 400, "binary"),
    (GUIDE, "application/pdf", 415, "Content-Type"),
    (GUIDE, None, 415, "Content-Type"),
    (GUIDE, "text/plain; charset=latin-1", 415, "UTF-8"),
])
def test_bad_bodies_change_nothing(writer, body, ctype, status, words):
    before = writer.get("/documents").json()
    headers = dict(AUTH)
    if ctype:
        headers["Content-Type"] = ctype
    r = writer.put(f"/documents/{ckg_testdata.CAREER_GUIDE}", content=body, headers=headers)
    assert r.status_code == status, r.text
    assert words in r.json()["error"]["message"]
    assert writer.get("/documents").json() == before


def test_invalid_document_id_is_400(writer):
    r = writer.put("/documents/Not_Valid", content=GUIDE, headers={"Content-Type": "text/plain", **AUTH})
    assert r.status_code == 400
    assert "invalid document id" in r.json()["error"]["message"]


def test_reads_during_reingest_see_old_or_new_never_a_mix(writer, write_app):
    """While a guide is replaced again and again, every read (text, record, SPARQL) sees one whole version."""
    import hashlib
    import threading

    versions = [b"# Bath ML\n\nA Machine Learning Engineer in Bath uses Python.\n",
                b"# Bath ML\n\nA Data Scientist in Bath uses SQL and Python every day.\n"]
    shas = {hashlib.sha256(v.decode().encode()).hexdigest() for v in versions}
    headers = {"Content-Type": "text/markdown", **AUTH}
    assert writer.put("/documents/bath-guide", content=versions[0], headers=headers).status_code == 201
    query = ("PREFIX ckg: <https://w3id.org/careerkg/ontology#>\nSELECT ?sha WHERE { "
             "<https://w3id.org/careerkg/id/doc/bath-guide> ckg:sha256 ?sha }")
    errors: list[str] = []
    done = threading.Event()

    def rewrite():
        try:
            for i in range(1, 9):
                r = writer.put("/documents/bath-guide", content=versions[i % 2], headers=headers)
                if r.status_code != 200:
                    errors.append(f"PUT {r.status_code} {r.text}")
        finally:
            done.set()

    t = threading.Thread(target=rewrite)
    t.start()
    reads = 0
    try:
        while not done.is_set() or reads < 5:
            r = writer.get("/documents/bath-guide/text")
            assert r.status_code == 200
            assert hashlib.sha256(r.text.encode()).hexdigest() == r.headers["etag"].strip('"')
            assert r.headers["etag"].strip('"') in shas
            rec = writer.get("/documents/bath-guide").json()
            assert rec["sha256"] in shas
            rows = writer.get("/sparql", params={"query": query}).json()["results"]["bindings"]
            assert [b["sha"]["value"] for b in rows] in [[s] for s in shas]
            reads += 1
    finally:
        t.join(60)
        writer.delete("/documents/bath-guide", headers=AUTH)
    assert not errors
    assert reads >= 5
    assert write_app.state.sparql.snapshot_count() <= 2  # snapshots nobody uses are deleted


def test_put_with_source_publisher_title_shown_by_get(writer):
    headers = {"Content-Type": "text/markdown", **AUTH}
    r = writer.put("/documents/sheffield-meta", content=GUIDE, headers=headers,
                   params={"source": "https://www.sheffieldjobs.example/ml", "title": "Sheffield ML Notes"})
    assert r.status_code == 201, r.text
    doc = r.json()["document"]
    assert (doc["title"], doc["publisher"], doc["source_url"]) == (
        "Sheffield ML Notes", "sheffieldjobs.example", "https://www.sheffieldjobs.example/ml")
    listed = {d["doc_id"]: d for d in writer.get("/documents").json()["documents"]}
    assert listed["sheffield-meta"]["publisher"] == "sheffieldjobs.example"
    # the same body again keeps what was given
    r = writer.put("/documents/sheffield-meta", content=GUIDE, headers=headers, params={"publisher": "Sheffield Hub"})
    assert r.status_code == 200 and r.json()["status"] == "updated"
    got = writer.get("/documents/sheffield-meta").json()
    assert (got["title"], got["publisher"], got["source_url"]) == (
        "Sheffield ML Notes", "Sheffield Hub", "https://www.sheffieldjobs.example/ml")
    r = writer.put("/documents/sheffield-meta", content=GUIDE, headers=headers, params={"source": "not-a-url"})
    assert r.status_code == 400 and "invalid source URL" in r.json()["error"]["message"]
    assert writer.delete("/documents/sheffield-meta", headers=AUTH).status_code == 200


def test_seed_records_have_metadata_fields(client):
    doc = client.get(f"/documents/{ckg_testdata.CAREER_GUIDE}").json()
    assert doc["title"] == "Machine Learning Engineer Jobs UK — 2026 Career Guide"
    assert {"publisher", "source_url", "issued"} <= set(doc)


def test_put_same_text_under_another_id_is_409_unless_allowed(writer):
    page = (ckg_testdata.DATA_DIR / "html" / "bristol-ml-jobs-guide.html").read_bytes()
    html = {"Content-Type": "text/html; charset=utf-8", **AUTH}
    assert writer.put("/documents/bristol-page", content=page, headers=html).status_code == 201
    try:
        text = writer.get("/documents/bristol-page/text").text
        assert "Contract ML engineers in Bristol earn £500 – £650 per day." in text
        assert "cookies" not in text and "©" not in text and "Home | Jobs" not in text
        for doc_id, body, headers in (("bristol-copy", page, html),
                                      ("bristol-text", text.encode(), {"Content-Type": "text/plain", **AUTH})):
            r = writer.put(f"/documents/{doc_id}", content=body, headers=headers)
            assert r.status_code == 409, r.text
            err = r.json()["error"]
            assert err["code"] == "duplicate" and "'bristol-page'" in err["message"]
            assert writer.get(f"/documents/{doc_id}").status_code == 404
        r = writer.put("/documents/bristol-copy", content=page, headers=html, params={"allow_duplicate": "true"})
        assert r.status_code == 201 and r.json()["status"] == "added"
    finally:
        for doc_id in ("bristol-page", "bristol-copy"):
            writer.delete(f"/documents/{doc_id}", headers=AUTH)
