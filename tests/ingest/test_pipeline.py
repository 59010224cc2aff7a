"""The ingest pipeline on real stores: idempotence, exact replacement, failure, removal, repair.

Read-only checks run on the session's ``seeded_runtime``; everything that writes opens its
own runtime on ``tmp_path`` with the small synthetic guides of ``tests/data``.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

import pytest

import ckg_testdata as td
from careerkg.errors import InvalidInput, NotFound, StoreError
from careerkg.graph.vocab import graph_iri
from careerkg.ingest.pipeline import IngestResult


# ----------------------------------------------------------------------------- helpers
def snapshot(rt, doc_id: str) -> dict:
    """Everything stored about one document (manifest record, chunks, graph, files)."""
    p = rt.pipeline
    rec = p.manifest.docs.get(doc_id)
    files = sorted(str(f.relative_to(p.data_dir)) for sub in ("sources", "texts")
                   for f in (p.data_dir / sub / doc_id).glob("*"))
    return {"record": asdict(rec) if rec else None, "chunks": td.chunk_records(rt.index, doc_id),
            "graph": td.doc_triples(rt.graph, doc_id), "files": files}


def store_state(rt) -> dict:
    """The whole store: per-doc snapshots plus totals."""
    p = rt.pipeline
    return {"docs": {d: snapshot(rt, d) for d in sorted(p.manifest.docs)}, "generation": p.manifest.generation,
            "pending": dict(p.manifest.pending), "quads": rt.graph.count(), "vectors": rt.index.count(),
            "graphs": rt.graph.graph_names()}


def ingest_text(rt, name: str, text: str | bytes) -> IngestResult:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return rt.pipeline.ingest_bytes(data, name)


def assert_consistent(rt) -> None:
    """Index, graph, files and manifest agree: one version per document, the manifest's."""
    p = rt.pipeline
    assert not p.manifest.pending
    versions = rt.index.doc_versions()
    assert versions == {(d, r.sha256): r.chunks for d, r in p.manifest.docs.items()}
    shas = {r["g"]: r["sha"] for r in rt.graph.select("SELECT ?g ?sha WHERE { GRAPH ?g { ?d ckg:sha256 ?sha } }")}
    assert shas == {graph_iri(d): r.sha256 for d, r in p.manifest.docs.items()}
    for d, r in p.manifest.docs.items():
        kept = [f for h in p.history.records(d) for f in (h.source_file, h.text_file)]
        assert snapshot(rt, d)["files"] == sorted({r.source_file, r.text_file, *kept})
        text = (p.data_dir / r.text_file).read_text("utf-8")
        for cid, (chunk, meta) in td.chunk_records(rt.index, d).items():
            assert text[meta["start"]:meta["end"]] == chunk, cid


@pytest.fixture
def rt(runtime_factory):
    """A fresh runtime with three synthetic guides ingested."""
    rt = runtime_factory()
    for f in (td.FIXTURE_TXT, td.FIXTURE_MD, td.FIXTURE_HTML):
        res = rt.pipeline.ingest_path(f)
        assert res.status == "added", res
    return rt


CHANGED_TXT = td.FIXTURE_TXT.read_text("utf-8").replace(
    "between £95,000 and £140,000", "between £100,000 and £150,000") + "Wayve also hires ML engineers in London.\n"


# ----------------------------------------------------------------------------- seeded, read-only
def test_seeds_ingested(seeded_runtime):
    results = {r.doc_id: r for r in seeded_runtime.ingest_results}
    assert sorted(results) == sorted(td.SEED_IDS)
    assert all(r.status == "added" and r.version == 1 and r.chunks > 10 for r in results.values())
    recs = seeded_runtime.pipeline.manifest.docs
    assert sorted(recs) == sorted(td.SEED_IDS)
    assert sum(r.claims for r in recs.values()) > 100


@pytest.mark.parametrize("doc_id", td.SEED_IDS)
def test_offsets_invariant_on_every_stored_seed_chunk(seeded_runtime, doc_id):
    p = seeded_runtime.pipeline
    text = p.text(doc_id)
    assert text == (td.SEEDS_DIR / f"{doc_id}.txt").read_text("utf-8")
    chunks = td.chunk_records(seeded_runtime.index, doc_id)
    assert len(chunks) == p.record(doc_id).chunks
    for cid, (chunk, meta) in chunks.items():
        assert text[meta["start"]:meta["end"]] == chunk, cid
        assert meta["sha256"] == p.record(doc_id).sha256


def test_seeded_store_is_consistent(seeded_runtime):
    assert_consistent(seeded_runtime)


def test_unchanged_reingest_is_a_fast_noop(seeded_runtime, monkeypatch):
    rt = seeded_runtime
    before = store_state(rt)

    def boom(*a, **k):
        raise AssertionError("an unchanged re-ingest must not embed, extract or write")

    monkeypatch.setattr(rt.embedder, "encode", boom)
    monkeypatch.setattr(rt.extractor, "extract", boom)
    monkeypatch.setattr(rt.graph, "replace_graph", boom)
    monkeypatch.setattr(rt.index, "add", boom)
    t0 = time.perf_counter()
    results = [rt.pipeline.ingest_path(f) for f in td.SEED_FILES]
    per_doc = (time.perf_counter() - t0) / len(results)
    assert [r.status for r in results] == ["unchanged"] * len(td.SEED_FILES), [r.reason for r in results]
    assert [r.version for r in results] == [1] * len(results)
    assert store_state(rt) == before  # generation, chunk ids, quads: all unchanged
    assert per_doc < 0.5, f"unchanged re-ingest took {per_doc * 1000:.0f} ms per document (target 50 ms)"


def test_seed_source_copies_kept(seeded_runtime):
    p = seeded_runtime.pipeline
    for doc_id in td.SEED_IDS:
        rec = p.record(doc_id)
        assert (p.data_dir / rec.source_file).read_bytes() == (td.SEEDS_DIR / f"{doc_id}.txt").read_bytes()


# ----------------------------------------------------------------------------- replacement
def test_changed_document_replaces_exactly_its_chunks_and_graph(rt):
    p = rt.pipeline
    others = {d: snapshot(rt, d) for d in ("healthcare-ml-notes", "autonomy-ml-jobs")}
    old = snapshot(rt, "fintech-ml-roles")
    gen = p.manifest.generation

    res = ingest_text(rt, "fintech-ml-roles.txt", CHANGED_TXT)
    assert (res.status, res.version) == ("updated", 2), res
    new = snapshot(rt, "fintech-ml-roles")
    rec = p.record("fintech-ml-roles")
    assert rec.version == 2 and rec.sha256 != old["record"]["sha256"]
    assert p.manifest.generation == gen + 1
    # chunks: none of the old ids left, every new one of the new version
    assert not set(old["chunks"]) & set(new["chunks"])
    assert len(new["chunks"]) == rec.chunks
    assert all(meta["sha256"] == rec.sha256 for _, meta in new["chunks"].values())
    assert any("Wayve also hires" in text for text, _ in new["chunks"].values())
    # graph: the new version's, nothing of the old version's chunks
    assert new["graph"] != old["graph"]
    assert (f"<{td.doc_iri('fintech-ml-roles')}>", "<https://w3id.org/careerkg/ontology#sha256>",
            f'"{rec.sha256}"') in new["graph"]
    old_chunk_ids = set(old["chunks"])
    assert not [t for t in new["graph"] if any(c in t[0] or c in t[2] for c in old_chunk_ids)]
    assert p.text("fintech-ml-roles") == CHANGED_TXT
    # the new version's files, and the old version's kept as its history (tests/ingest/test_history.py)
    [kept] = p.history.records("fintech-ml-roles")
    assert new["files"] == sorted([rec.source_file, rec.text_file, kept.source_file, kept.text_file])
    # other documents untouched: same chunk ids, same chunks, same triples, same files
    for d, snap in others.items():
        assert snapshot(rt, d) == snap, d
    assert_consistent(rt)


def test_same_text_again_is_unchanged_and_force_keeps_version(rt):
    before = store_state(rt)
    res = rt.pipeline.ingest_path(td.FIXTURE_MD)
    assert (res.status, res.version) == ("unchanged", 1)
    assert store_state(rt) == before
    forced = rt.pipeline.ingest_bytes(td.FIXTURE_MD.read_bytes(), td.FIXTURE_MD.name, force=True)
    assert (forced.status, forced.version) == ("updated", 1)
    after = store_state(rt)
    assert after["generation"] == before["generation"] + 1
    for d in before["docs"]:
        b, a = dict(before["docs"][d]), dict(after["docs"][d])
        b["record"] = {k: v for k, v in b["record"].items() if k != "ingested_at"}
        a["record"] = {k: v for k, v in a["record"].items() if k != "ingested_at"}
        assert a == b, d


def test_no_entities_guide_ingests_with_zero_claims_and_says_so(rt):
    res = rt.pipeline.ingest_path(td.FIXTURE_NO_ENTITIES)
    assert res.status == "added" and res.claims == 0
    assert "no entities" in res.reason
    assert rt.pipeline.record("no-entities").claims == 0


# ----------------------------------------------------------------------------- failures
def _assert_untouched(rt, before: dict, doc_id: str, old_text: str) -> None:
    assert store_state(rt) == before
    p = rt.pipeline
    assert p.text(doc_id) == old_text
    # the old version is still what a query finds
    some = next(iter(before["docs"][doc_id]["chunks"].items()))
    hits = rt.index.query(rt.embedder.encode_one(some[1][0]), 3)
    assert hits[0].chunk_id == some[0]
    assert hits[0].sha256 == p.record(doc_id).sha256


def test_failing_embedder_leaves_old_version(rt, monkeypatch):
    before, old_text = store_state(rt), rt.pipeline.text("fintech-ml-roles")

    def fail(texts):
        raise StoreError("embedding model crashed")

    monkeypatch.setattr(rt.embedder, "encode", fail)
    res = ingest_text(rt, "fintech-ml-roles.txt", CHANGED_TXT)
    assert res.status == "failed" and "embedding model crashed" in res.reason
    monkeypatch.undo()
    _assert_untouched(rt, before, "fintech-ml-roles", old_text)


def test_failing_extractor_leaves_old_version(rt, monkeypatch):
    before, old_text = store_state(rt), rt.pipeline.text("fintech-ml-roles")

    def fail(doc, chunks):
        raise InvalidInput("extractor refused the text")

    monkeypatch.setattr(rt.extractor, "extract", fail)
    res = ingest_text(rt, "fintech-ml-roles.txt", CHANGED_TXT)
    assert res.status == "failed" and "extractor refused" in res.reason
    monkeypatch.undo()
    _assert_untouched(rt, before, "fintech-ml-roles", old_text)


def test_failing_graph_write_rolls_back(rt, monkeypatch):
    """A failure in the write phase (after new chunks were added) rolls the new version back."""
    before, old_text = store_state(rt), rt.pipeline.text("fintech-ml-roles")

    def fail(graph, quads):
        raise StoreError("disk full")

    monkeypatch.setattr(rt.graph, "replace_graph", fail)
    res = ingest_text(rt, "fintech-ml-roles.txt", CHANGED_TXT)
    assert res.status == "failed" and "disk full" in res.reason
    monkeypatch.undo()
    _assert_untouched(rt, before, "fintech-ml-roles", old_text)
    assert_consistent(rt)


def test_failing_first_ingest_leaves_nothing(rt, monkeypatch):
    before = store_state(rt)
    monkeypatch.setattr(rt.index, "add", lambda *a, **k: (_ for _ in ()).throw(StoreError("chroma down")))
    res = ingest_text(rt, "brand-new.txt", "Brand new guide\nRevolut hires ML engineers in London.\n")
    assert res.status == "failed" and "chroma down" in res.reason
    monkeypatch.undo()
    assert store_state(rt) == before
    assert not (rt.pipeline.data_dir / "sources" / "brand-new").exists() or \
        not any((rt.pipeline.data_dir / "sources" / "brand-new").iterdir())


@pytest.mark.parametrize("body, reason", [
    (b"", "empty"),
    (b"\x00\x01\x02binary\x00", "binary"),
    (b"Fintech \xff\xfe broken", "UTF-8"),
    (b"  \n\n  ", "empty"),
])
def test_invalid_new_body_leaves_old_version(rt, body, reason):
    before, old_text = store_state(rt), rt.pipeline.text("fintech-ml-roles")
    res = rt.pipeline.ingest_bytes(body, "fintech-ml-roles.txt")
    assert res.status == "failed" and reason in res.reason, res
    assert "\n" not in res.reason
    _assert_untouched(rt, before, "fintech-ml-roles", old_text)


def test_bad_files_each_fail_with_a_reason(rt, tmp_path, monkeypatch):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (bad / "latin1.md").write_bytes("Salaire: 50 000 \u20ac".encode("cp1252"))
    (bad / "guide.pdf").write_bytes(b"%PDF-1.7 fake")
    (bad / "no-extension").write_text("plain text")
    (bad / "scripts-only.html").write_text("<html><script>alert(1)</script></html>")
    huge = bad / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: instant, no 50 MB written
    reads: list[Path] = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real_read(self))
    before = store_state(rt)
    expected = {"empty.txt": "empty", "binary.txt": "binary", "latin1.md": "UTF-8", "guide.pdf": "unsupported",
                "no-extension": "unsupported", "scripts-only.html": "no text", "huge.txt": "limit"}
    for name, reason in expected.items():
        res = rt.pipeline.ingest_path(bad / name)
        assert res.status == "failed" and reason in res.reason, (name, res)
        assert res.reason and "\n" not in res.reason
    assert huge not in reads, "the 50 MB file must be refused by its size, before reading"
    assert store_state(rt) == before


# ----------------------------------------------------------------------------- removal
def test_remove_leaves_no_trace(rt):
    p = rt.pipeline
    others = {d: snapshot(rt, d) for d in ("healthcare-ml-notes", "autonomy-ml-jobs")}
    chunk_ids = td.chunk_ids(rt.index, "fintech-ml-roles")
    assert chunk_ids
    rec = p.remove("fintech-ml-roles")
    assert rec.doc_id == "fintech-ml-roles"
    assert "fintech-ml-roles" not in p.manifest.docs
    assert td.chunk_ids(rt.index, "fintech-ml-roles") == []
    assert graph_iri("fintech-ml-roles") not in rt.graph.graph_names()
    assert td.quads_mentioning(rt.graph, "fintech-ml-roles") == []
    assert not (p.data_dir / "sources" / "fintech-ml-roles").exists()
    assert not (p.data_dir / "texts" / "fintech-ml-roles").exists()
    assert "fintech-ml-roles" not in (p.data_dir / "manifest.json").read_text("utf-8")
    with pytest.raises(NotFound):
        p.text("fintech-ml-roles")
    with pytest.raises(NotFound):
        p.remove("fintech-ml-roles")
    for d, snap in others.items():
        # the one change to another guide: the salary conflicts it held with the removed guide's claims went
        gone = {t[0] for t in snap["graph"] if t[1].endswith("#between>") and "/claim/fintech-ml-roles-" in t[2]}
        snap["graph"] = {t for t in snap["graph"] if t[0] not in gone}
        assert snapshot(rt, d) == snap
    assert_consistent(rt)
    # and it can come back
    assert p.ingest_path(td.FIXTURE_TXT).status == "added"
    assert p.record("fintech-ml-roles").version == 1


# ----------------------------------------------------------------------------- crash repair
def _simulate_crash_mid_replace(rt, name: str, text: str) -> None:
    """Do what ``_commit`` does up to (not including) the manifest switch, as a crash would leave it."""
    from careerkg.model import Document, sha256_text
    from careerkg.graph.rdf import document_quads
    from careerkg.ingest.load import load_bytes

    p = rt.pipeline
    doc: Document = load_bytes(text.encode("utf-8"), name)
    assert doc.sha256 == sha256_text(text)
    chunks, extraction = p._prepare(doc)
    p.manifest.pending[doc.doc_id] = {"sha256": doc.sha256, "version": 99}
    p.manifest.save()
    p._write_file(f"sources/{doc.doc_id}/{doc.sha256}.txt", text.encode("utf-8"))
    p._write_file(f"texts/{doc.doc_id}/{doc.sha256}.txt", text.encode("utf-8"))
    rt.index.add(chunks, rt.embedder.encode([c.text for c in chunks]), sha256=doc.sha256, title=doc.title)
    rt.graph.replace_graph(graph_iri(doc.doc_id), document_quads(doc, 99, chunks, extraction, p.known_iris))


def test_repair_rolls_back_an_interrupted_replacement(rt):
    before = store_state(rt)
    _simulate_crash_mid_replace(rt, "fintech-ml-roles.txt", CHANGED_TXT)
    assert rt.pipeline.manifest.pending
    assert store_state(rt) != before
    notes = rt.pipeline.repair()
    assert any("stale chunks" in n for n in notes)
    assert any("rewrote graph" in n for n in notes)
    assert any("rolled back" in n for n in notes)
    assert_consistent(rt)
    after = store_state(rt)
    assert after["docs"] == before["docs"]
    assert after["quads"] == before["quads"]
    assert rt.pipeline.repair() == [], "a consistent store needs no repair"


def test_repair_on_reopen_after_crash(runtime_factory):
    from ckg_runtime import close_runtime

    rt = runtime_factory("crash")
    rt.pipeline.ingest_path(td.FIXTURE_TXT)
    rt.pipeline.ingest_path(td.FIXTURE_HTML)
    before = store_state(rt)
    _simulate_crash_mid_replace(rt, "autonomy-ml-jobs.txt", "Autonomy\nOxa hires ML engineers in Oxford.\n")
    # an orphan graph and orphan chunks of a document the manifest never recorded
    _simulate_crash_mid_replace(rt, "ghost.txt", "Ghost guide\nMonzo hires ML engineers in London.\n")
    assert set(rt.pipeline.manifest.pending) == {"autonomy-ml-jobs", "ghost"}
    close_runtime(rt)
    del rt
    rt2 = runtime_factory("crash")
    p = rt2.pipeline  # opening the pipeline runs repair()
    assert_consistent(rt2)
    assert store_state(rt2)["docs"] == before["docs"]
    assert td.chunk_ids(rt2.index, "ghost") == []
    assert graph_iri("ghost") not in rt2.graph.graph_names()
    assert not (p.data_dir / "sources" / "ghost").exists()
    assert p.repair() == []


def test_repair_restores_missing_chunks_and_graph(rt):
    before = store_state(rt)
    rt.index.delete_doc("healthcare-ml-notes")
    rt.graph.drop_graph(graph_iri("autonomy-ml-jobs"))
    notes = rt.pipeline.repair()
    assert any("healthcare-ml-notes: re-indexed" in n for n in notes)
    assert any("autonomy-ml-jobs: rewrote graph" in n for n in notes)
    assert_consistent(rt)
    after = store_state(rt)
    assert after["docs"] == before["docs"]


def test_rebuild_from_kept_sources(rt):
    before = store_state(rt)
    for sub in ("chroma",):
        assert (rt.pipeline.data_dir / sub).is_dir()
    results = rt.pipeline.rebuild()
    assert [r.status for r in results] == ["updated"] * 3
    after = store_state(rt)
    for d in before["docs"]:
        assert after["docs"][d]["chunks"] == before["docs"][d]["chunks"]
        assert after["docs"][d]["graph"] == before["docs"][d]["graph"]
        assert after["docs"][d]["record"]["version"] == before["docs"][d]["record"]["version"]


def test_manifest_file_is_valid_json_with_records(rt):
    raw = json.loads(rt.pipeline.settings.manifest_path.read_text("utf-8"))
    assert set(raw) == {"generation", "pending", "docs", "history"}
    assert raw["pending"] == {}
    assert sorted(raw["docs"]) == ["autonomy-ml-jobs", "fintech-ml-roles", "healthcare-ml-notes"]
    rec = raw["docs"]["healthcare-ml-notes"]
    assert rec["media_type"] == "text/markdown" and rec["source_file"].endswith(".md")
    assert rec["title"] == "Healthcare ML Careers: Notes for 2026"
