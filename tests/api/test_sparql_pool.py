"""The query runners behind /sparql, without HTTP: snapshots, stale clean-up, thread runner timeouts."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from careerkg.api.sparql_pool import ProcessPool, ThreadRunner
from careerkg.errors import InvalidInput, Overloaded, QueryTimeout
from careerkg.graph.store import OxigraphStore

JSON = "application/sparql-results+json"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def small_store(path=None, n=400) -> OxigraphStore:
    store = OxigraphStore(path)
    g = ox.NamedNode("http://example.org/g")
    store.store.extend([ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                                ox.Literal(str(i)), g) for i in range(n)])
    return store


def count(res) -> int:
    import json

    return int(json.loads(res.body)["results"]["bindings"][0]["n"]["value"])


def test_pool_snapshots_follow_the_generation_and_old_ones_go(tmp_path):
    store = small_store(tmp_path / "ox")
    gen = {"n": 1}
    (tmp_path / "snaps" / "999999999-dead").mkdir(parents=True)  # left by a dead process
    pool = ProcessPool(store, tmp_path / "snaps", workers=1, generation=lambda: gen["n"])
    try:
        assert not (tmp_path / "snaps" / "999999999-dead").exists()
        assert pool.wait_ready(60)
        q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        assert count(pool.run(q, JSON, timeout=10, row_limit=None)) == 400
        store.store.add(ox.Quad(ox.NamedNode("http://example.org/new"), ox.NamedNode("http://example.org/p"),
                                ox.Literal("x"), ox.NamedNode("http://example.org/g")))
        assert count(pool.run(q, JSON, timeout=10, row_limit=None)) == 400  # same generation: same snapshot
        gen["n"] = 2
        assert count(pool.run(q, JSON, timeout=10, row_limit=None)) == 401
        assert pool.snapshot_count() == 1
        with pytest.raises(InvalidInput, match="syntax error"):
            pool.run("SELECT ?x WHERE {", JSON, timeout=10, row_limit=None)
        with pytest.raises(QueryTimeout):
            pool.run(RUNAWAY, JSON, timeout=0.5, row_limit=None)
        assert pool.killed == 1
        assert count(pool.run(q, JSON, timeout=30, row_limit=None)) == 401  # waits for the replacement
    finally:
        pool.close()
    assert not any((tmp_path / "snaps").iterdir())


def test_thread_runner_times_out_and_limits_concurrency():
    runner = ThreadRunner(small_store(None, n=200), workers=1, acquire_timeout=0.1)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~1.5 s: it cannot be stopped
    try:
        res = runner.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON, timeout=5, row_limit=10)
        assert count(res) == 200
        t0 = time.perf_counter()
        with pytest.raises(QueryTimeout):
            runner.run(slow, JSON, timeout=0.3, row_limit=None)
        assert time.perf_counter() - t0 < 1.0
        with pytest.raises(Overloaded):  # the runaway still holds the only slot (threads cannot be killed)
            runner.run("ASK {}", JSON, timeout=1, row_limit=None)
    finally:
        runner.close()  # the slow query ends on its own
