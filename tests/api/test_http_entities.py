"""/entities: search and entity cards with citations that resolve to the document text."""

from __future__ import annotations

import ckg_testdata


def test_search_by_kind_and_substring(client):
    r = client.get("/entities", params={"kind": "city", "q": "LON"})
    assert r.status_code == 200
    rows = r.json()["entities"]
    assert rows and rows[0]["iri"] == ckg_testdata.CITY_LONDON
    assert rows[0]["url"] == "/entities/city/london" and rows[0]["mentions"] > 0
    assert all(e["kind"] == "city" for e in rows)


def test_search_by_alias_and_limit(client):
    rows = client.get("/entities", params={"q": "machine learning engineering"}).json()["entities"]
    assert [e["iri"] for e in rows] == [ckg_testdata.ROLE_MLE]  # found by an alias, not its label
    assert client.get("/entities", params={"limit": 3}).json()["count"] == 3


def test_search_rejects_unknown_kind(client):
    r = client.get("/entities", params={"kind": "planet"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"


def test_card_has_cited_claims_and_neighbours(client):
    r = client.get("/entities/role/machine-learning-engineer")
    assert r.status_code == 200
    card = r.json()
    assert card["iri"] == ckg_testdata.ROLE_MLE and card["label"]
    assert card["salaries"] and card["neighbours"]
    ids = {c["id"] for c in card["citations"]}
    for item in card["salaries"] + card["claims"]:
        assert item["citations"] and set(item["citations"]) <= ids
    texts = {}
    for c in card["citations"]:
        if c["doc_id"] not in texts:
            texts[c["doc_id"]] = client.get(f"/documents/{c['doc_id']}/text").text
        assert texts[c["doc_id"]][c["start"]:c["end"]] == c["quote"]


def test_city_card_lists_employers(client):
    card = client.get("/entities/city/london").json()
    assert card["same_as"] == "http://www.wikidata.org/entity/Q84"
    assert any(c["predicate_label"] == "schema:location" for c in card["claims"])


def test_unknown_entity_and_kind_are_404(client):
    for path in ("/entities/city/atlantis", "/entities/planet/mars"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert r.json()["error"]["code"] == "not_found"
