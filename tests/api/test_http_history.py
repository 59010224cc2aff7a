"""Guide history over HTTP: PUT reports the claims a new version changed, /versions lists versions,
/text?version=N serves a kept version's text, DELETE keeps or purges history (issue 15, item 2)."""

from __future__ import annotations

import ckg_testdata as td
from http_testdata import AUTH

DOC = "history-guide"
HEADERS = {"Content-Type": "text/plain; charset=utf-8", **AUTH}
FIGURES = {1: ("£95,000", "£140,000"), 2: ("£100,000", "£150,000"), 3: ("£104,000", "£156,000")}


def version_text(v: int) -> str:
    lo, hi = FIGURES[v]
    return td.FIXTURE_TXT.read_text("utf-8").replace("between £95,000 and £140,000", f"between {lo} and {hi}")


def test_three_versions_over_http(writer):
    try:
        r = writer.put(f"/documents/{DOC}", content=version_text(1).encode(), headers=HEADERS)
        assert r.status_code == 201 and r.json()["changes"] is None
        r = writer.put(f"/documents/{DOC}", content=version_text(2).encode(), headers=HEADERS)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["version"] == 2
        ch = body["changes"]
        assert (ch["from_version"], ch["to_version"]) == (1, 2) and ch["added"] == [] and ch["removed"] == []
        [salary] = [c for c in ch["changed"] if c["kind"] == "salary"]
        assert salary["old"]["figure"].startswith("£95,000") and salary["new"]["figure"].startswith("£100,000")
        r = writer.put(f"/documents/{DOC}", content=version_text(3).encode(), headers=HEADERS)
        assert r.json()["version"] == 3
        # the old span still resolves against the version it came from
        old = writer.get(f"/documents/{DOC}/text", params={"version": 1})
        assert old.status_code == 200 and old.headers["x-document-version"] == "1"
        assert old.text[salary["old"]["start"]:salary["old"]["end"]] == salary["old"]["quote"]
        new = writer.get(f"/documents/{DOC}/text", params={"version": 2}).text
        assert new[salary["new"]["start"]:salary["new"]["end"]] == salary["new"]["quote"]
        assert writer.get(f"/documents/{DOC}/text").text == version_text(3)
        v = writer.get(f"/documents/{DOC}/versions").json()
        assert v["count"] == 3
        assert [(x["version"], x["current"]) for x in v["versions"]] == [(3, True), (2, False), (1, False)]
        assert v["versions"][1]["graph"] == f"https://w3id.org/careerkg/graph/{DOC}/v2"
        assert v["versions"][1]["text_url"] == f"/documents/{DOC}/text?version=2"
        assert v["versions"][2]["invalidated_at"] == v["versions"][1]["generated_at"]
        missing = writer.get(f"/documents/{DOC}/text", params={"version": 9})
        assert missing.status_code == 404 and "no version 9" in missing.json()["error"]["message"]
        assert writer.get(f"/documents/{DOC}/text", params={"version": 0}).status_code == 422
        c = writer.get(f"/documents/{DOC}/changes").json()  # v2 -> v3
        assert (c["from_version"], c["to_version"]) == (2, 3)
        assert [x["new"]["figure"] for x in c["changed"] if x["kind"] == "salary"] == ["£104,000 – £156,000 a year"]
        c = writer.get(f"/documents/{DOC}/changes", params={"from": 1, "to": 2}).json()
        assert c == ch
        assert writer.get(f"/documents/{DOC}/changes", params={"from": 1, "to": 9}).status_code == 404
        # current answers see only version 3
        hits = writer.post("/sparql", data={"query": 'SELECT ?q WHERE { ?c <http://persistence.uni-leipzig.org/'
                                                     'nlp2rdf/ontologies/nif-core#anchorOf> ?q '
                                                     'FILTER(CONTAINS(?q, "between £100,000 and £150,000")) }'},
                           headers={"Accept": "application/sparql-results+json"})
        assert hits.status_code == 200 and hits.json()["results"]["bindings"] == []
        # removal keeping history: the versions stay listed, the texts served
        r = writer.delete(f"/documents/{DOC}", params={"history": "keep"}, headers=AUTH)
        assert r.status_code == 200 and r.json()["version"] == 3
        assert writer.get(f"/documents/{DOC}").status_code == 404
        v = writer.get(f"/documents/{DOC}/versions").json()
        assert [(x["version"], x["removed"]) for x in v["versions"]] == [(3, True), (2, False), (1, False)]
        assert writer.get(f"/documents/{DOC}/text", params={"version": 3}).text == version_text(3)
        assert writer.delete(f"/documents/{DOC}", params={"history": "later"}, headers=AUTH).status_code == 422
    finally:
        r = writer.delete(f"/documents/{DOC}", params={"history": "purge"}, headers=AUTH)
    assert r.status_code in (200, 204)
    assert writer.get(f"/documents/{DOC}/versions").status_code == 404
    assert writer.delete(f"/documents/{DOC}", headers=AUTH).status_code == 404


def test_versions_of_an_unknown_guide_is_404(client):
    r = client.get("/documents/no-such-doc/versions")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    v = client.get(f"/documents/{td.CAREER_GUIDE}/versions").json()
    assert [(x["version"], x["current"]) for x in v["versions"]] == [(1, True)]
