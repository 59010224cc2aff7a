"""ESCO links at the edges: the entity card's ``esco`` field, ``GET /entities?unlinked=true`` and
``careerkg entities --unlinked`` (graph/esco.py)."""

from __future__ import annotations

import json

import ckg_testdata as td
from test_cli import quick_runtime, run, seeded_cli  # noqa: F401  (fixtures; cli_env is in conftest)

ESCO_DATA_SCIENTIST = "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"


def test_card_shows_the_esco_link(client):
    card = client.get("/entities/role/data-scientist").json()
    assert card["esco"] == {"iri": ESCO_DATA_SCIENTIST, "label": "data scientist", "relation": "exactMatch",
                            "confidence": 1.0, "method": "prefLabel"}


def test_card_without_a_link_has_none(client):
    assert client.get("/entities/role/machine-learning-engineer").json()["esco"] is None
    assert client.get("/entities/city/london").json()["esco"] is None  # only roles and skills are linked


def test_unlinked_lists_roles_and_skills_without_a_link(client):
    rows = client.get("/entities", params={"unlinked": "true", "limit": 500}).json()["entities"]
    iris = {e["iri"] for e in rows}
    assert td.ROLE_MLE in iris and td.ROLE_DATA_SCIENTIST not in iris
    assert {e["kind"] for e in rows} <= {"role", "skill"}
    skills = client.get("/entities", params={"unlinked": "true", "kind": "skill", "limit": 500}).json()["entities"]
    assert skills and all(e["kind"] == "skill" for e in skills)
    assert "https://w3id.org/careerkg/id/skill/python" not in {e["iri"] for e in skills}


def test_cli_entities_unlinked(seeded_cli):
    r = run("entities", "--unlinked", "--kind", "role", "--json")
    assert r.code == 0, r.err
    iris = {row["iri"] for row in json.loads(r.out)}
    assert td.ROLE_MLE in iris and td.ROLE_DATA_SCIENTIST not in iris
    assert run("entities", "--kind", "role", "--json").out.count(td.ROLE_DATA_SCIENTIST) == 1
