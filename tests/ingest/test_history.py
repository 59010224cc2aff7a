"""Guide history on real stores: three versions of a guide, what each re-ingest reports, the kept graphs and
texts, retention, removal that keeps or purges, a failed re-ingest, and repair (issue 15, item 2)."""

from __future__ import annotations

import shutil
from datetime import datetime

import pyoxigraph as ox
import pytest

import ckg_testdata as td
from careerkg.errors import InvalidInput, NotFound
from careerkg.graph.claims import GraphLookups
from careerkg.graph.vocab import graph_iri
from careerkg.ingest.history import parse_version_graph, version_graph

DOC = "fintech-ml-roles"
SENTENCE = "between £95,000 and £140,000"
FIGURES = {1: ("£95,000", "£140,000"), 2: ("£100,000", "£150,000"), 3: ("£104,000", "£156,000")}
PROV = "http://www.w3.org/ns/prov#"


def when(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def version_text(v: int) -> str:
    """Version ``v`` of the fintech fixture: the senior London figure changes; v3 swaps an employer."""
    text = td.FIXTURE_TXT.read_text("utf-8")
    lo, hi = FIGURES[v]
    text = text.replace(SENTENCE, f"between {lo} and {hi}")
    if v >= 2:
        text += "Revolut also hires ML engineers in London.\n"
    if v == 3:
        text = text.replace("Darktrace", "Graphcore")
    return text


def ingest(rt, v: int):
    return rt.pipeline.ingest_bytes(version_text(v).encode("utf-8"), f"{DOC}.txt")


def senior_london(rt) -> list:
    return [r for r in GraphLookups(rt.graph).salaries(td.ROLE_MLE, seniority="Senior", location=td.CITY_LONDON)
            if r.evidence.doc_id == DOC]


def version_graph_quads(rt, v: int) -> list[ox.Quad]:
    store = rt.pipeline.history.store.store
    return list(store.quads_for_pattern(None, None, None, ox.NamedNode(version_graph(DOC, v))))


@pytest.fixture
def three(runtime_factory):
    """A runtime with versions 1, 2 and 3 of the fintech guide ingested (and the results of each)."""
    rt = runtime_factory()
    results = [ingest(rt, v) for v in (1, 2, 3)]
    assert [(r.status, r.version) for r in results] == [("added", 1), ("updated", 2), ("updated", 3)]
    return rt, results


def test_each_reingest_reports_the_changed_figure_with_both_spans(three):
    rt, (r1, r2, r3) = three
    assert r1.changes is None  # a new guide has nothing to compare with
    c = r2.changes
    assert (c.from_version, c.to_version) == (1, 2) and c.unchanged > 0
    [change] = [x for x in c.changed if x.kind == "salary"]
    assert change.label == "salary: Machine Learning Engineer, Senior, London"
    assert change.about["location"] == td.CITY_LONDON
    assert change.old.figure == "£95,000 – £140,000 a year" and change.new.figure == "£100,000 – £150,000 a year"
    old_text, new_text = version_text(1), version_text(2)
    assert old_text[change.old.start:change.old.end] == change.old.quote and "£95,000" in change.old.quote
    assert new_text[change.new.start:change.new.end] == change.new.quote and "£100,000" in change.new.quote
    c3 = r3.changes
    assert [x.new.figure for x in c3.changed if x.kind == "salary"] == ["£104,000 – £156,000 a year"]
    # v3 swapped an employer: the claims about Darktrace are removed, those about Graphcore added
    assert any("darktrace" in x.label.lower() for x in c3.removed), c3.removed
    assert any("graphcore" in x.label.lower() for x in c3.added), c3.added
    for x in c3.removed:
        assert version_text(2)[x.old.start:x.old.end] == x.old.quote
    for x in c3.added:
        assert version_text(3)[x.new.start:x.new.end] == x.new.quote


def test_history_graphs_are_kept_with_provenance_and_current_answers_do_not_see_them(three):
    rt, _ = three
    p = rt.pipeline
    hist = p.history.records(DOC)
    assert [h.version for h in hist] == [1, 2] and [h.revision_of for h in hist] == [None, 1]
    assert hist[0].invalidated_at == hist[1].generated_at  # v2 became current when v1 was superseded
    assert hist[1].invalidated_at == p.record(DOC).ingested_at
    assert sorted(p.history.store.graph_names()) == [version_graph(DOC, 1), version_graph(DOC, 2)]
    for v in (1, 2):
        quads = version_graph_quads(rt, v)
        g = version_graph(DOC, v)
        meta = {(q.predicate.value, when(q.object.value) if "Time" in q.predicate.value else q.object.value)
                for q in quads if q.subject == ox.NamedNode(g)}
        assert (PROV + "specializationOf", graph_iri(DOC)) in meta
        assert (PROV + "generatedAtTime", when(hist[v - 1].generated_at)) in meta
        assert (PROV + "invalidatedAtTime", when(hist[v - 1].invalidated_at)) in meta
        assert ((PROV + "wasRevisionOf", version_graph(DOC, 1)) in meta) == (v == 2)
        anchors = [q.object.value for q in quads if q.predicate.value.endswith("#anchorOf")]
        assert any(FIGURES[v][0] in a for a in anchors)
        text = p.history.text(DOC, v)
        for q in quads:  # every kept claim's span indexes its own version's text
            if q.predicate.value.endswith("#anchorOf"):
                node = q.subject
                begin = next(int(x.object.value) for x in quads if x.subject == node and
                             x.predicate.value.endswith("#beginIndex"))
                end = next(int(x.object.value) for x in quads if x.subject == node and
                           x.predicate.value.endswith("#endIndex"))
                assert text[begin:end] == q.object.value
    # the current store holds only the current version: lookups and SPARQL's default graph see v3 alone
    rows = senior_london(rt)
    assert rows and all(FIGURES[3][0] in r.evidence.quote for r in rows)
    hits = rt.graph.select('SELECT ?q WHERE { ?c nif:anchorOf ?q FILTER(CONTAINS(?q, "£95,000") || '
                           'CONTAINS(?q, "£100,000")) }')
    assert hits == []
    assert not [g for g in rt.graph.graph_names() if parse_version_graph(g)]
    a = rt.qa.ask("What does a senior ML engineer earn in London?")
    assert FIGURES[1][0] not in a.answer and FIGURES[2][0] not in a.answer


def test_compare_any_two_kept_versions(three):
    rt, (_, r2, r3) = three
    h = rt.pipeline.history
    assert h.compare(DOC) == r3.changes  # the newest against the one before: what the re-ingest reported
    assert h.compare(DOC, 1, 2) == r2.changes
    c = h.compare(DOC, 1, 3)
    [salary] = [x for x in c.changed if x.kind == "salary"]
    assert (salary.old.figure, salary.new.figure) == ("£95,000 – £140,000 a year", "£104,000 – £156,000 a year")
    with pytest.raises(NotFound, match="no kept version before version 1"):
        h.compare(DOC, None, 1)
    with pytest.raises(NotFound, match="no version 5"):
        h.compare(DOC, 1, 5)


def test_versions_list_and_old_texts(three):
    rt, _ = three
    h = rt.pipeline.history
    versions = h.versions(DOC)
    assert [(v["version"], v["current"]) for v in versions] == [(3, True), (2, False), (1, False)]
    assert versions[0]["invalidated_at"] is None and versions[0]["revision_of"] == 2
    for v in (1, 2, 3):
        assert h.text(DOC, v) == version_text(v)
    with pytest.raises(NotFound, match="no version 7"):
        h.text(DOC, 7)
    with pytest.raises(NotFound):
        h.versions("no-such-doc")


def test_retention_keeps_the_newest_versions_and_removes_the_rest(runtime_factory):
    rt = runtime_factory(history_versions=1)
    for v in (1, 2, 3):
        ingest(rt, v)
    p = rt.pipeline
    assert [h.version for h in p.history.records(DOC)] == [2]
    assert p.history.store.graph_names() == [version_graph(DOC, 2)]
    kept = {p.record(DOC).sha256, p.history.records(DOC)[0].sha256}
    for sub in ("sources", "texts", "units"):
        names = {f.name[:64] for f in (p.data_dir / sub / DOC).iterdir()}
        assert names == kept, sub
    with pytest.raises(NotFound):
        p.history.text(DOC, 1)
    assert p.repair() == []


def test_no_history_when_retention_is_zero(runtime_factory):
    rt = runtime_factory(history_versions=0)
    ingest(rt, 1)
    r = ingest(rt, 2)
    assert r.changes is not None and r.changes.changed  # changes are still reported
    assert rt.pipeline.history.records(DOC) == []
    assert not rt.pipeline.settings.versions_dir.exists()
    assert len(list((rt.pipeline.data_dir / "texts" / DOC).iterdir())) == 1


def test_metadata_only_reingest_keeps_no_new_version(runtime_factory):
    rt = runtime_factory()
    ingest(rt, 1)
    r = rt.pipeline.ingest_bytes(version_text(1).encode(), f"{DOC}.txt", metadata={"publisher": "Someone"})
    assert (r.status, r.version, r.changes) == ("updated", 1, None)
    assert rt.pipeline.history.records(DOC) == []


def test_remove_keeping_history_then_readd_continues_the_numbering(three):
    rt, _ = three
    p = rt.pipeline
    rec = p.remove(DOC, history="keep")
    assert rec.version == 3
    assert DOC not in p.manifest.docs and graph_iri(DOC) not in rt.graph.graph_names()
    assert td.chunk_ids(rt.index, DOC) == []
    versions = p.history.versions(DOC)
    assert [(v["version"], v["removed"]) for v in versions] == [(3, True), (2, False), (1, False)]
    assert p.history.text(DOC, 3) == version_text(3)
    assert p.repair() == []
    r = ingest(rt, 1)
    assert (r.status, r.version) == ("added", 4)
    assert [v["version"] for v in p.history.versions(DOC)] == [4, 3, 2, 1]
    assert p.history.versions(DOC)[0]["revision_of"] == 3
    assert p.repair() == []


def test_remove_purges_history_by_default_and_for_a_removed_guide(three, runtime_factory):
    rt, _ = three
    p = rt.pipeline
    p.remove(DOC)
    assert p.history.records(DOC) == [] and p.history.store.graph_names() == []
    assert not (p.data_dir / "texts" / DOC).exists()
    with pytest.raises(NotFound):
        p.history.versions(DOC)
    other = runtime_factory("other")
    for v in (1, 2):
        ingest(other, v)
    other.pipeline.remove(DOC, history="keep")
    assert other.pipeline.remove(DOC, history="purge") is None
    assert other.pipeline.history.store.graph_names() == []
    assert not (other.pipeline.data_dir / "sources" / DOC).exists()
    with pytest.raises(NotFound):
        other.pipeline.remove(DOC)
    with pytest.raises(InvalidInput):
        other.pipeline.remove("healthcare-ml-notes", history="later")


def test_a_failed_reingest_leaves_history_as_it_was(three, monkeypatch):
    rt, _ = three
    p = rt.pipeline
    before = (p.history.records(DOC), p.history.store.graph_names(), p.record(DOC))

    def broken(*a, **k):
        raise InvalidInput("graph store refused the update")

    monkeypatch.setattr(rt.graph, "replace_graph", broken)  # fails at the switch, after the version graph
    res = rt.pipeline.ingest_bytes(version_text(1).encode(), f"{DOC}.txt")
    assert res.status == "failed"
    assert (p.history.records(DOC), p.history.store.graph_names(), p.record(DOC)) == before
    assert p.history.text(DOC, 3) == version_text(3)


def test_repair_drops_orphan_version_graphs_and_rederives_lost_ones(three, runtime_factory):
    from ckg_runtime import close_runtime

    rt, _ = three
    p = rt.pipeline
    p.history.store.replace_graph(version_graph(DOC, 9), version_graph_quads(rt, 1))  # a crash before a switch
    notes = p.repair()
    assert notes == [f"dropped orphan version graph {version_graph(DOC, 9)}"]
    kept = {v: {(q.subject, q.predicate, q.object) for q in version_graph_quads(rt, v)} for v in (1, 2)}
    data_dir = p.data_dir
    del p
    close_runtime(rt)
    shutil.rmtree(data_dir / "versions")  # the versions store lost: re-derived from the kept texts
    rt2 = runtime_factory()
    assert rt2.pipeline.history.store.graph_names() == [version_graph(DOC, 1), version_graph(DOC, 2)]
    for v in (1, 2):
        assert {(q.subject, q.predicate, q.object) for q in version_graph_quads(rt2, v)} == kept[v]
    assert rt2.pipeline.repair() == []
