"""The networkx projection: exact edges on a hand-built graph, then neighbours/paths on the seeds."""

from __future__ import annotations

import pytest

import ckg_testdata as td
from careerkg.errors import InvalidInput, NotFound
from careerkg.model import Claim, Entity
from careerkg.graph.network import KnowledgeNetwork
from careerkg.graph.rdf import N, T, chunk_iri, claim_quads, entity_quads
from careerkg.graph.store import OxigraphStore
from careerkg.graph.vocab import CKG_NS, ID_BASE, SCHEMA, graph_iri

LOC = "https://schema.org/location"
SKILL_PYTHON = ID_BASE + "skill/python"


def _claim(kind, s, p, o, doc, n=0, **kw) -> Claim:
    return Claim(kind, s, p, o, n, n + 5, "xxxxx", "test", chunk_id=f"{doc}-c{n}", **kw)


@pytest.fixture
def small():
    """Two documents' worth of claims and mentions in an in-memory store."""
    store = OxigraphStore(None)
    ents = [Entity(td.ORG_DARKTRACE, "org", "Darktrace"), Entity(td.CITY_CAMBRIDGE, "city", "Cambridge"),
            Entity(td.CITY_LONDON, "city", "London"), Entity(td.ROLE_MLE, "role", "Machine Learning Engineer"),
            Entity(td.ROLE_DATA_SCIENTIST, "role", "Data Scientist"), Entity(SKILL_PYTHON, "skill", "Python"),
            Entity(td.ORG_FEATURESPACE, "org", "Featurespace")]
    store.replace_graph("https://w3id.org/careerkg/graph/gazetteer", [q for e in ents for q in entity_quads(e)])
    a = [_claim("located_in", td.ORG_DARKTRACE, LOC, td.CITY_CAMBRIDGE, "a", 0),
         _claim("requires_skill", td.ROLE_MLE, CKG_NS + "requiresSkill", SKILL_PYTHON, "a", 10),
         _claim("salary", td.ROLE_MLE, CKG_NS + "role", None, "a", 20, location=td.CITY_LONDON,
                min_value=1, max_value=2, unit="YEAR")]
    b = [_claim("located_in", td.ORG_DARKTRACE, LOC, td.CITY_CAMBRIDGE, "b", 0),
         _claim("transition", td.ROLE_DATA_SCIENTIST, CKG_NS + "transitionsTo", td.ROLE_MLE, "b", 10)]
    mentions = [T(N(chunk_iri("b-c30")), SCHEMA.mentions, N(td.ORG_FEATURESPACE)),
                T(N(chunk_iri("b-c30")), SCHEMA.mentions, N(td.CITY_CAMBRIDGE)),
                T(N(chunk_iri("b-c31")), SCHEMA.mentions, N(td.ORG_FEATURESPACE)),
                T(N(chunk_iri("b-c31")), SCHEMA.mentions, N(td.CITY_CAMBRIDGE)),
                T(N(chunk_iri("b-c31")), SCHEMA.mentions, N(td.ORG_DARKTRACE))]
    store.replace_graph(graph_iri("a"), [q for c in a for q in claim_quads("a", c)])
    store.replace_graph(graph_iri("b"), [q for c in b for q in claim_quads("b", c)] + mentions)
    return store


def test_edges_and_weights(small):
    g = KnowledgeNetwork(small).graph()
    e = g[td.ORG_DARKTRACE][td.CITY_CAMBRIDGE]
    assert (e["relation"], e["weight"]) == ("located_in", 2)  # one claim in each document
    assert g[td.ROLE_MLE][SKILL_PYTHON]["relation"] == "requires_skill"
    assert g[td.ROLE_DATA_SCIENTIST][td.ROLE_MLE]["relation"] == "transitions_to"
    assert g[td.ROLE_MLE][td.CITY_LONDON]["relation"] == "salary_in"
    co = g[td.ORG_FEATURESPACE][td.CITY_CAMBRIDGE]
    assert (co["relation"], co["weight"]) == ("mentioned_with", 2)  # two chunks mention both
    # a co-mention never overrides a claim edge
    assert g[td.ORG_DARKTRACE][td.CITY_CAMBRIDGE]["relation"] == "located_in"
    assert g.nodes[td.ORG_DARKTRACE] == {"label": "Darktrace", "kind": "org"}


def test_neighbours_claims_first(small):
    net = KnowledgeNetwork(small)
    nbs = net.neighbours(td.CITY_CAMBRIDGE)
    assert [(n.label, n.relation) for n in nbs] == [("Darktrace", "located_in"), ("Featurespace", "mentioned_with")]
    assert net.neighbours(ID_BASE + "org/nobody") == []


def test_path_prefers_claims_over_comentions(small):
    net = KnowledgeNetwork(small)
    steps = net.path(td.ROLE_DATA_SCIENTIST, SKILL_PYTHON)
    assert [s[1] for s in steps] == ["Data Scientist", "Machine Learning Engineer", "Python"]
    assert [s[2] for s in steps] == ["transitions_to", "requires_skill", ""]
    with pytest.raises(NotFound):
        net.path(td.ROLE_MLE, td.ORG_FEATURESPACE)  # disconnected components


def test_resolve(small):
    net = KnowledgeNetwork(small)
    assert net.resolve("darktrace") == td.ORG_DARKTRACE
    assert net.resolve(td.CITY_LONDON) == td.CITY_LONDON
    assert net.resolve("Scientist") == td.ROLE_DATA_SCIENTIST  # partial label
    with pytest.raises(NotFound):
        net.resolve("Atlantis Robotics")


def test_central_and_refresh_by_generation(small):
    net = KnowledgeNetwork(small)
    assert [c[1] for c in net.central("city", 2)] == ["Cambridge", "London"]
    with pytest.raises(InvalidInput):
        net.central("spaceship")
    first = net.graph(generation=1)
    small.drop_graph(graph_iri("b"))
    assert net.graph(generation=1) is first, "cached while the generation is unchanged"
    rebuilt = net.graph(generation=2)
    assert not rebuilt.has_edge(td.ROLE_DATA_SCIENTIST, td.ROLE_MLE)
    assert rebuilt[td.ORG_DARKTRACE][td.CITY_CAMBRIDGE]["weight"] == 1


# ----------------------------------------------------------------------------- seeds
def test_seeded_neighbours_of_darktrace(seeded_runtime):
    net = KnowledgeNetwork(seeded_runtime.graph)
    iri = net.resolve("Darktrace")
    assert iri == td.ORG_DARKTRACE
    nbs = {n.iri: n for n in net.neighbours(iri, limit=50)}
    assert nbs[td.CITY_CAMBRIDGE].relation == "located_in"
    assert nbs[td.CITY_CAMBRIDGE].weight >= 1
    first = net.neighbours(iri, limit=3)
    assert first[0].relation != "mentioned_with"


def test_seeded_path_data_scientist_to_mle(seeded_runtime):
    net = KnowledgeNetwork(seeded_runtime.graph)
    steps = net.path(net.resolve("Data Scientist"), net.resolve("Machine Learning Engineer"))
    assert steps[0][0] == td.ROLE_DATA_SCIENTIST and steps[-1][0] == td.ROLE_MLE
    assert len(steps) == 2 and steps[0][2] == "transitions_to"


def test_seeded_central_skills(seeded_runtime):
    top = KnowledgeNetwork(seeded_runtime.graph).central("skill", 10)
    assert len(top) == 10
    assert SKILL_PYTHON in {iri for iri, _, _ in top}
    assert [c for _, _, c in top] == sorted((c for _, _, c in top), reverse=True)
