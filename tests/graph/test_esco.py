"""ESCO links (graph/esco.py): matching rules, the triples in the graph, and the researcher query through them."""

from __future__ import annotations

import gzip

import pytest

import ckg_testdata as td
from careerkg.model import Entity
from careerkg.graph import esco
from careerkg.graph.gazetteer import load_gazetteer
from careerkg.graph.rdf import entity_quads
from careerkg.graph.store import OxigraphStore
from careerkg.graph.vocab import GAZETTEER_GRAPH, mint

ESCO_DATA_SCIENTIST = "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"
ESCO_SOFTWARE_DEVELOPER = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"
ESCO_PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
ESCO_SQL_SERVER = "http://data.europa.eu/esco/skill/c062bab3-3ea0-4291-9220-a2d8fef4bead"


def test_labels_file_is_compact_and_complete():
    with gzip.open(esco.LABELS_PATH, "rt", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh]
    assert esco.LABELS_PATH.stat().st_size < 1_000_000
    assert all(len(r) == 5 and r[1].startswith("http://data.europa.eu/esco/") for r in rows)
    assert sum(r[0] == "occupation" for r in rows) > 2900  # nearly all 3,039 ESCO occupations


@pytest.mark.parametrize("kind,name,iri,relation,method", [
    ("role", "Data Scientist", ESCO_DATA_SCIENTIST, "exactMatch", "prefLabel"),
    ("skill", "Python", ESCO_PYTHON, "exactMatch", "prefLabel"),  # "Python (computer programming)"
    ("skill", "SQL Server", ESCO_SQL_SERVER, "exactMatch", "prefLabel"),
    # "data mining" (no alternative labels), not "data mining methods ... data mining method ..."
    ("skill", "Data mining", "http://data.europa.eu/esco/skill/25f0ea33-b4a2-4f31-b7b4-7d20e827b180", "exactMatch",
     "prefLabel"),
])
def test_exact_match_on_the_preferred_label(kind, name, iri, relation, method):
    m = esco.match(kind, name)
    assert (m.iri, m.relation, m.method, m.confidence) == (iri, relation, method, 1.0)


def test_sql_is_not_sql_server():
    m = esco.match("skill", "SQL")
    assert m is not None and m.iri != ESCO_SQL_SERVER and m.label == "SQL"


def test_alias_match_is_close_not_exact():
    m = esco.match("role", "Software Engineer", ("software developer",))
    assert (m.iri, m.relation, m.method, m.confidence) == (ESCO_SOFTWARE_DEVELOPER, "closeMatch", "alias", 0.8)


def test_fuzzy_match_is_close_with_lower_confidence():
    m = esco.match("role", "Data Scientists")  # a spelling ESCO does not have as a preferred label
    assert m is not None and m.iri == ESCO_DATA_SCIENTIST and m.relation == "closeMatch" and m.method == "fuzzy"
    assert 0.7 < m.confidence < 0.8


@pytest.mark.parametrize("kind,name,aliases", [
    ("role", "Machine Learning Engineer", ("MLE",)),  # no such ESCO occupation
    ("skill", "TensorFlow", ()),  # only an alternative label of "computer vision": not a link
    ("skill", "Statistics", ()),  # its preferred label's end cannot be shown from the source
    ("org", "Data Scientist", ()),  # only roles and skills are linked
    ("role", "", ()),
    ("skill", "!!!", ()),
])
def test_no_guess(kind, name, aliases):
    assert esco.match(kind, name, aliases) is None


def test_two_concepts_at_the_same_level_leave_it_unlinked():
    # each alias names a different ESCO occupation: ambiguous, so no link at all
    assert esco.match("role", "Zzyzx Worker", ("data scientist", "software developer")) is None


def test_entity_quads_carry_the_link_and_the_graph_reads_it_back():
    store = OxigraphStore(None)
    e = Entity(iri=mint("role", "Data Scientist"), kind="role", label="Data Scientist", aliases=("data science",))
    other = Entity(iri=mint("role", "Prompt Engineer"), kind="role", label="Prompt Engineer")
    store.replace_graph(GAZETTEER_GRAPH, entity_quads(e) + entity_quads(other))
    link = esco.link_of(store, e.iri)
    assert link == esco.EscoMatch(ESCO_DATA_SCIENTIST, "data scientist", "exactMatch", 1.0, "prefLabel")
    assert esco.link_of(store, other.iri) is None
    assert esco.linked_iris(store) == {e.iri}


def test_gazetteer_link_counts():
    """Figures for the report: how many gazetteer roles and skills are linked (see the README)."""
    gaz = load_gazetteer()
    for kind, at_least in (("role", 4), ("skill", 8)):
        links = [esco.match(kind, e.label, tuple(e.aliases)) for e in gaz.of_kind(kind)]
        assert sum(m is not None for m in links) >= at_least


# ----------------------------------------------------------------------------- seeded store
def test_seeded_graph_links_roles_and_the_esco_query_joins_through_them(seeded_runtime):
    g = seeded_runtime.graph
    assert esco.link_of(g, td.ROLE_DATA_SCIENTIST).iri == ESCO_DATA_SCIENTIST
    assert esco.link_of(g, td.ROLE_MLE) is None
    from bench.queries import ESCO_SKILLS_BY_OCCUPATION

    rows = list(g.store.query(ESCO_SKILLS_BY_OCCUPATION, use_default_graph_as_union=True))
    assert rows
    assert all(str(r["occupation"].value).startswith("http://data.europa.eu/esco/occupation/") for r in rows)
