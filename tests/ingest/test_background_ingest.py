"""Serving many at once (issue 13): ingest's heavy work on a low-priority thread, commits where they were.

Real model, real stores on ``tmp_path`` (``runtime_factory``); the fixtures of ``tests/data``.
"""

from __future__ import annotations

import threading

import pytest

import ckg_testdata as td
from careerkg.errors import StoreError
from careerkg.ingest.embed import on_ingest_thread
from careerkg.ingest.worker import thread_nice


# ----------------------------------------------------------------------------- low-priority ingest
def _spy(monkeypatch, obj, name: str, seen: list):
    real = getattr(obj, name)

    def spy(*args, **kwargs):
        import torch

        seen.append({"thread": threading.get_ident(), "nice": thread_nice(), "torch_threads": torch.get_num_threads(),
                     "ingest_thread": on_ingest_thread()})
        return real(*args, **kwargs)

    monkeypatch.setattr(obj, name, spy)


def test_serving_runs_extraction_off_the_caller_embedding_at_lower_priority_and_commits_at_normal(
        runtime_factory, monkeypatch):
    rt = runtime_factory()
    p = rt.pipeline
    p.serve_readers(nice=10, threads=1)
    extract, heavy, commit = [], [], []
    _spy(monkeypatch, p.extractor, "extract", extract)
    _spy(monkeypatch, rt.embedder, "encode", heavy)
    _spy(monkeypatch, rt.graph, "replace_graph", commit)
    before = thread_nice()
    res = p.ingest_path(td.FIXTURE_TXT)
    assert res.status == "added", res.reason
    assert heavy and all(h["nice"] >= 10 and h["torch_threads"] == 1 and h["ingest_thread"] for h in heavy), heavy
    # extraction (GIL-bound) on the ingest thread at normal priority, torch capped
    assert extract and all(h["nice"] == before and h["torch_threads"] == 1 and h["ingest_thread"] for h in extract)
    assert all(h["thread"] != threading.get_ident() for h in heavy + extract)
    # the atomic switch under the write lock stays on the caller's thread, at its priority
    assert commit and all(c["thread"] == threading.get_ident() and c["nice"] == before for c in commit)
    assert thread_nice() == before
    # the batch path (CLI-style ingest_paths) too
    heavy.clear()
    extract.clear()
    results = p.ingest_paths([td.FIXTURE_MD, td.FIXTURE_HTML])
    assert [r.status for r in results] == ["added", "added"]
    assert heavy and all(h["nice"] >= 10 and h["ingest_thread"] for h in heavy)
    assert extract and all(h["ingest_thread"] and h["thread"] != threading.get_ident() for h in extract)


def test_without_serving_the_work_runs_inline(runtime_factory, monkeypatch):
    rt = runtime_factory()
    heavy: list = []
    _spy(monkeypatch, rt.pipeline.extractor, "extract", heavy)
    assert rt.pipeline.ingest_path(td.FIXTURE_TXT).status == "added"
    assert heavy and heavy[0]["thread"] == threading.get_ident() and not heavy[0]["ingest_thread"]


def test_a_failure_on_the_ingest_thread_leaves_the_old_version(runtime_factory, monkeypatch):
    rt = runtime_factory()
    p = rt.pipeline
    p.serve_readers()
    assert p.ingest_path(td.FIXTURE_TXT).status == "added"
    old = (p.manifest.docs["fintech-ml-roles"].sha256, rt.index.count(), rt.graph.count())

    def boom(texts):
        raise StoreError("model gone")

    monkeypatch.setattr(rt.embedder, "encode", boom)
    res = p.ingest_bytes(td.FIXTURE_TXT.read_bytes() + b"\nA new line about Python.\n", "fintech-ml-roles.txt")
    assert res.status == "failed" and "model gone" in res.reason
    assert (p.manifest.docs["fintech-ml-roles"].sha256, rt.index.count(), rt.graph.count()) == old
    assert not p.manifest.pending


def test_the_app_configures_the_ingest_thread(runtime_factory):
    from fastapi.testclient import TestClient

    from careerkg.api.app import create_app

    rt = runtime_factory(ingest_nice=7, ingest_threads=1, api_key="k")
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        r = client.put("/documents/fintech-ml-roles", content=td.FIXTURE_TXT.read_bytes(),
                       headers={"Content-Type": "text/plain", "Authorization": "Bearer k"})
        assert r.status_code == 201, r.text
        assert rt.pipeline.embedding is not None and rt.pipeline.embedding.nice == 7
        nice = rt.pipeline.embedding.run(thread_nice)
    assert nice == 7


@pytest.mark.parametrize("nice", [0])
def test_nice_zero_leaves_priority_alone(nice):
    from careerkg.ingest.worker import BackgroundWork

    w = BackgroundWork(nice=nice, threads=1)
    try:
        assert w.run(thread_nice) == thread_nice()
        assert w.run(on_ingest_thread)
    finally:
        w.close()
