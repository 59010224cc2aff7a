"""Duplicate guides: identical text under a second id is refused naming the first (unless allowed);
near-duplicates are found by MinHash (ingest/dedup.py)."""

from __future__ import annotations

import ckg_testdata as td
from careerkg.ingest.dedup import near_duplicates, shingles

GUIDE = td.FIXTURE_TXT.read_bytes()
PAGE = td.DATA_DIR / "html" / "bristol-ml-jobs-guide.html"


def test_same_text_under_another_id_is_refused_naming_the_existing_id(runtime_factory):
    rt = runtime_factory()
    p = rt.pipeline
    assert p.ingest_bytes(GUIDE, "fintech-ml-roles.txt").status == "added"
    before = (dict(p.manifest.docs), rt.index.count(), rt.graph.count())
    res = p.ingest_bytes(GUIDE, "fintech-copy.txt")
    assert res.status == "failed" and res.duplicate_of == "fintech-ml-roles"
    assert "'fintech-ml-roles'" in res.reason and "--allow-duplicate" in res.reason
    assert (dict(p.manifest.docs), rt.index.count(), rt.graph.count()) == before  # nothing written
    # the same id again is a re-ingest, not a duplicate
    assert p.ingest_bytes(GUIDE, "fintech-ml-roles.txt").status == "unchanged"
    assert p.ingest_bytes(GUIDE, "fintech-ml-roles.txt", force=True).status == "updated"
    # explicitly allowed: ingested, and re-ingesting it later is not refused either
    allowed = p.ingest_bytes(GUIDE, "fintech-copy.txt", allow_duplicate=True)
    assert allowed.status == "added" and allowed.duplicate_of == ""
    assert p.ingest_bytes(GUIDE, "fintech-copy.txt", force=True).status == "updated"


def test_html_page_and_its_plain_text_copy_are_the_same_guide(runtime_factory):
    rt = runtime_factory()
    p = rt.pipeline
    page = p.ingest_bytes(PAGE.read_bytes(), PAGE.name)
    assert page.status == "added"
    text = p.text(page.doc_id)
    res = p.ingest_bytes(text.encode("utf-8"), "bristol-copy.txt")
    assert (res.status, res.duplicate_of) == ("failed", page.doc_id)


def test_batch_refuses_a_duplicate_within_the_same_batch(runtime_factory, tmp_path):
    rt = runtime_factory()
    folder = tmp_path / "guides"
    folder.mkdir()
    (folder / "a-guide.txt").write_bytes(GUIDE)
    (folder / "b-same-guide.txt").write_bytes(GUIDE)
    (folder / "c-other.md").write_bytes(td.FIXTURE_MD.read_bytes())
    files = sorted(folder.iterdir())
    results = rt.pipeline.ingest_paths(files)
    assert [(r.doc_id, r.status, r.duplicate_of) for r in results] == [
        ("a-guide", "added", ""), ("b-same-guide", "failed", "a-guide"), ("c-other", "added", "")]
    assert set(rt.pipeline.manifest.docs) == {"a-guide", "c-other"}
    again = rt.pipeline.ingest_paths(files, allow_duplicate=True)
    assert [r.status for r in again] == ["unchanged", "added", "unchanged"]


def test_near_duplicates_found_and_ranked():
    base = td.FIXTURE_TXT.read_text("utf-8")
    edited = base.replace("\n", "\nAn extra sentence about hiring in Leeds this spring.\n", 1)
    texts = {"original": base, "edited": edited, "exact-copy": base, "other": td.FIXTURE_MD.read_text("utf-8")}
    pairs = near_duplicates(texts, threshold=0.8)
    assert [(p.doc_a, p.doc_b, p.kind) for p in pairs] == [("exact-copy", "original", "exact"),
                                                           ("edited", "exact-copy", "near"),
                                                           ("edited", "original", "near")]
    assert pairs[0].similarity == 1.0 and 0.8 <= pairs[1].similarity < 1.0
    assert near_duplicates({"a": base, "b": texts["other"]}) == []


def test_shingles_are_word_five_grams():
    assert shingles("One two three four five six") == {"one two three four five", "two three four five six"}
    assert shingles("Too short") == {"too short"}
    assert shingles("") == set()


def test_rebuild_keeps_accepted_duplicates_even_when_the_extractor_changes(runtime_factory, monkeypatch):
    import careerkg.ingest.load

    rt = runtime_factory()
    p = rt.pipeline
    data = PAGE.read_bytes()
    assert p.ingest_bytes(data, "page-a.html").status == "added"
    assert p.ingest_bytes(data, "page-b.html", allow_duplicate=True).status == "added"
    extract = careerkg.ingest.load.main_text

    def revised(html):  # a new extractor version: the same new text for both
        text, found = extract(html)
        return text + "\nRevised by a new extractor.", found

    monkeypatch.setattr(careerkg.ingest.load, "main_text", revised)
    results = p.rebuild()
    assert [(r.doc_id, r.status) for r in results] == [("page-a", "updated"), ("page-b", "updated")]
    assert p.text("page-a") == p.text("page-b") and p.text("page-b").endswith("Revised by a new extractor.")
