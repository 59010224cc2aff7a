"""Conflicts materialised at ingest (graph/conflicts.py; issue 13, item 4): written with the later guide's
graph, gone when either guide goes or agrees, never for a difference of scope, each pair once, and the
``conflicts`` researcher query equal to the pairwise self-join it replaces.

Guides are tiny synthetic texts (one salary sentence each) ingested into real stores on ``tmp_path``.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest

import ckg_testdata as td
from careerkg.graph.conflicts import CONFLICT_BASE, RULE, conflict_quads, stale_documents, strip_conflicts
from careerkg.graph.queries import CONFLICTS, CONFLICTS_PAIRWISE
from careerkg.graph.vocab import CKG_NS, graph_iri

SENIOR_LONDON = "Senior machine learning engineers in London earn £{lo:,} – £{hi:,} a year."
SENIOR_UK = "Across the UK, senior machine learning engineers earn £{lo:,} – £{hi:,} a year."
JUNIOR_LONDON = "Junior machine learning engineers in London earn £{lo:,} – £{hi:,} a year."


def guide(title: str, *sentences: str) -> bytes:
    return (f"# {title}\n\n" + "\n\n".join(sentences) + "\n").encode()


def ingest(rt, doc_id: str, *sentences: str, force: bool = False):
    res = rt.pipeline.ingest_bytes(guide(f"Pay guide {doc_id}", *sentences), f"{doc_id}.md", force=force)
    assert res.ok, res.reason
    return res


def conflicts(rt) -> list[dict]:
    return rt.graph.select(CONFLICTS)


def nodes(rt) -> dict[str, list[str]]:
    """Conflict node -> the graphs holding it."""
    held: dict[str, list[str]] = {}
    for r in rt.graph.select("SELECT ?k ?g WHERE { GRAPH ?g { ?k a ckg:Conflict } }"):
        held.setdefault(r["k"], []).append(r["g"])
    return held


def as_counter(rows: list[dict]) -> Counter:
    return Counter(tuple(sorted(r.items())) for r in rows)


@pytest.fixture
def rt(runtime_factory):
    return runtime_factory()


def test_a_conflict_is_written_into_the_later_guides_graph(rt):
    ingest(rt, "a", SENIOR_LONDON.format(lo=90_000, hi=120_000))
    assert conflicts(rt) == [] and nodes(rt) == {}
    ingest(rt, "b", SENIOR_LONDON.format(lo=100_000, hi=130_000))
    assert conflicts(rt) == [{"role": "Machine Learning Engineer", "level": "Senior", "location": "London",
                              "unit": "YEAR", "docA": "a", "minA": 90_000.0, "maxA": 120_000.0,
                              "docB": "b", "minB": 100_000.0, "maxB": 130_000.0}]
    held = nodes(rt)
    assert list(held.values()) == [[graph_iri("b")]]
    k = next(iter(held))
    assert k.startswith(CONFLICT_BASE)
    between = rt.graph.select("SELECT ?c ?g WHERE { ?k ckg:between ?c . GRAPH ?g { ?c a ckg:SalaryClaim } }", {"k": k})
    assert sorted(r["g"] for r in between) == [graph_iri("a"), graph_iri("b")]
    key = rt.graph.select("SELECT ?r ?loc ?s ?u WHERE { ?k ckg:role ?r ; ckg:location ?loc ; ckg:seniority ?s ; "
                          "schema:unitText ?u }", {"k": k})
    assert key == [{"r": td.ROLE_MLE, "loc": td.CITY_LONDON, "s": CKG_NS + "Senior", "u": "YEAR"}]


@pytest.mark.parametrize("removed", ["a", "b"])
def test_a_conflict_goes_when_either_guide_is_removed(rt, removed):
    ingest(rt, "a", SENIOR_LONDON.format(lo=90_000, hi=120_000))
    ingest(rt, "b", SENIOR_LONDON.format(lo=100_000, hi=130_000))
    assert len(conflicts(rt)) == 1
    rt.pipeline.remove(removed)
    assert conflicts(rt) == []
    assert nodes(rt) == {}  # with b's graph, or deleted from it in the update that dropped a's
    assert td.quads_mentioning(rt.graph, f"/claim/{removed}-") == []


def test_a_re_ingest_that_agrees_ends_the_conflict_and_one_that_disagrees_again_brings_it_back(rt):
    ingest(rt, "a", SENIOR_LONDON.format(lo=90_000, hi=120_000))
    ingest(rt, "b", SENIOR_LONDON.format(lo=100_000, hi=130_000))
    before = nodes(rt)
    # the earlier guide now gives the same figure: b's graph is not touched, its node no longer counts
    ingest(rt, "a", "Updated for 2026.", SENIOR_LONDON.format(lo=100_000, hi=130_000))
    assert conflicts(rt) == []
    assert nodes(rt) == before
    # and disagrees again: computed from a's side, held by a's graph
    ingest(rt, "a", SENIOR_LONDON.format(lo=95_000, hi=125_000))
    rows = conflicts(rt)
    assert [(r["docA"], r["minA"], r["docB"], r["minB"]) for r in rows] == [("a", 95_000.0, "b", 100_000.0)]
    assert sorted(gs[0] for gs in nodes(rt).values()) == [graph_iri("a"), graph_iri("b")]  # b's is inert
    ingest(rt, "b", SENIOR_LONDON.format(lo=100_000, hi=130_000), force=True)  # b rewritten: inert node gone
    assert len(conflicts(rt)) == 1 and list(nodes(rt).values()) == [[graph_iri("a")]]


def test_each_pair_is_held_once_whichever_side_is_rewritten(rt):
    ingest(rt, "a", SENIOR_LONDON.format(lo=90_000, hi=120_000))
    ingest(rt, "b", SENIOR_LONDON.format(lo=100_000, hi=130_000))
    ingest(rt, "a", SENIOR_LONDON.format(lo=90_000, hi=120_000), force=True)  # same text, rewritten
    assert len(conflicts(rt)) == 1
    assert list(nodes(rt).values()) == [[graph_iri("b")]]  # b already holds the pair: a does not repeat it
    ingest(rt, "b", SENIOR_LONDON.format(lo=100_000, hi=130_000), force=True)
    assert len(conflicts(rt)) == 1
    assert list(nodes(rt).values()) == [[graph_iri("b")]]


def test_a_difference_of_scope_is_not_a_conflict(rt):
    ingest(rt, "a", SENIOR_LONDON.format(lo=90_000, hi=120_000))
    ingest(rt, "uk", SENIOR_UK.format(lo=70_000, hi=95_000))  # UK-wide vs London
    ingest(rt, "junior", JUNIOR_LONDON.format(lo=45_000, hi=60_000))  # another level
    ingest(rt, "day", "Senior machine learning engineers in London earn £600 – £800 per day.")  # another basis
    assert conflicts(rt) == [] and nodes(rt) == {}


def test_the_same_figure_in_two_guides_is_not_a_conflict(rt):
    ingest(rt, "a", SENIOR_LONDON.format(lo=90_000, hi=120_000))
    ingest(rt, "b", "Recruiters agree.", SENIOR_LONDON.format(lo=90_000, hi=120_000))
    assert conflicts(rt) == [] and nodes(rt) == {}


def test_several_guides_give_every_pair_once(rt):
    for i, lo in enumerate((90_000, 100_000, 110_000)):
        ingest(rt, f"g{i}", SENIOR_LONDON.format(lo=lo, hi=lo + 30_000))
    rows = conflicts(rt)
    assert sorted((r["docA"], r["docB"]) for r in rows) == [("g0", "g1"), ("g0", "g2"), ("g1", "g2")]
    assert as_counter(rows) == as_counter(rt.graph.select(CONFLICTS_PAIRWISE))


def test_a_store_written_before_conflicts_were_materialised_gets_them_on_open(runtime_factory):
    from ckg_runtime import close_runtime

    rt = runtime_factory("old")
    for i, lo in enumerate((90_000, 100_000, 110_000)):
        ingest(rt, f"g{i}", SENIOR_LONDON.format(lo=lo, hi=lo + 30_000))
    want = as_counter(conflicts(rt))
    # as the code before this change wrote them: no conflict nodes, no ckg:conflictRule
    for doc_id in ("g0", "g1", "g2"):
        rt.graph.replace_graph(graph_iri(doc_id), strip_conflicts(rt.pipeline.history.current_quads(doc_id)))
    assert conflicts(rt) == [] and stale_documents(rt.graph) == ["g0", "g1", "g2"]
    close_runtime(rt)
    rt2 = runtime_factory("old")
    rt2.pipeline  # opening the write side (serve, ingest, repair) repairs: the conflicts are computed once
    assert as_counter(conflicts(rt2)) == want
    assert [len(gs) for gs in nodes(rt2).values()] == [1, 1, 1]
    assert stale_documents(rt2.graph) == []
    assert rt2.pipeline.repair() == []  # once only


def test_conflict_quads_mark_the_rule_even_without_salaries(rt):
    ingest(rt, "a", SENIOR_LONDON.format(lo=90_000, hi=120_000))
    out = conflict_quads(rt.graph, "plain", [])
    assert [(q.predicate.value, q.object) for q in out] == [(CKG_NS + "conflictRule", ox.Literal(RULE))]


def test_history_keeps_no_conflict_nodes(rt):
    ingest(rt, "a", SENIOR_LONDON.format(lo=90_000, hi=120_000))
    ingest(rt, "b", SENIOR_LONDON.format(lo=100_000, hi=130_000))
    ingest(rt, "b", SENIOR_LONDON.format(lo=105_000, hi=135_000))  # b v1 goes to history
    hist = rt.pipeline.history.store
    assert not [q for q in hist.store if q.subject.value.startswith(CONFLICT_BASE)]
    assert len(conflicts(rt)) == 1


def test_the_query_equals_the_pairwise_join_on_the_seeds(seeded_runtime):
    new = seeded_runtime.graph.select(CONFLICTS)
    assert new, "the seed guides disagree on pay"
    old = seeded_runtime.graph.select(CONFLICTS_PAIRWISE)
    # the same rows; the pairwise join repeats a row once per graph describing a discovered place, the new one not
    assert set(as_counter(new)) == set(as_counter(old))
    assert len(new) == sum(1 for _ in seeded_runtime.graph.select("SELECT ?k WHERE { ?k a ckg:Conflict }"))
    # each pair is held by one graph
    assert all(len(gs) == 1 for gs in nodes(seeded_runtime).values())


def test_one_row_per_conflict_when_a_discovered_place_is_described_by_both_guides(rt):
    ingest(rt, "a", "Senior machine learning engineers in Belfast earn £60,000 – £80,000 a year.")
    ingest(rt, "b", "Senior machine learning engineers in Belfast earn £65,000 – £85,000 a year.")
    rows = conflicts(rt)
    assert [(r["location"], r["docA"], r["docB"]) for r in rows] == [("Belfast", "a", "b")]
