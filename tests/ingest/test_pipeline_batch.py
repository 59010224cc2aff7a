"""Pipeline.ingest_paths: many guides, one model call per group, still atomic per guide."""

from __future__ import annotations

import ckg_testdata as td


def test_batch_ingest_shares_the_model_call_and_reports_each_file(runtime_factory, tmp_path):
    rt = runtime_factory()
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\xff\xfe not utf-8 \xff")
    calls = []
    encode = rt.embedder.encode
    rt.embedder.encode = lambda texts: calls.append(len(texts)) or encode(texts)
    files = [td.FIXTURE_TXT, bad, td.FIXTURE_MD, td.FIXTURE_HTML]
    results = rt.pipeline.ingest_paths(files, batch_docs=8)
    assert [r.status for r in results] == ["added", "failed", "added", "added"]  # in the order given
    assert "UTF-8" in results[1].reason
    assert len(calls) == 1, "the three good guides are embedded in one call"
    docs = rt.pipeline.manifest.docs
    assert set(docs) == {"fintech-ml-roles", "healthcare-ml-notes", "autonomy-ml-jobs"}
    for doc_id, rec in docs.items():
        assert len(td.chunk_ids(rt.index, doc_id)) == rec.chunks
    again = rt.pipeline.ingest_paths(files)
    assert [r.status for r in again] == ["unchanged", "failed", "unchanged", "unchanged"]
    assert sum(calls[1:]) == 0, "nothing is embedded when nothing changed"


def test_batch_model_failure_fails_the_group_and_keeps_old_versions(runtime_factory, tmp_path):
    from careerkg.errors import StoreError

    rt = runtime_factory()
    first = rt.pipeline.ingest_paths([td.FIXTURE_TXT])
    assert first[0].status == "added"
    before = td.chunk_ids(rt.index, "fintech-ml-roles")
    changed = tmp_path / "fintech-ml-roles.txt"
    changed.write_text(td.FIXTURE_TXT.read_text() + "\nA new closing line about Monzo.\n")

    def broken(texts):
        raise StoreError("model failed")

    rt.embedder.encode = broken
    res = rt.pipeline.ingest_paths([changed, td.FIXTURE_MD])
    assert [r.status for r in res] == ["failed", "failed"] and "model failed" in res[0].reason
    assert td.chunk_ids(rt.index, "fintech-ml-roles") == before
    assert set(rt.pipeline.manifest.docs) == {"fintech-ml-roles"}
