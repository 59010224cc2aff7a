"""Expensive SPARQL against a real ``careerkg serve`` with a short timeout (issue 6, item 7).

Cross joins, ``(p|!p)*`` property paths, huge ``VALUES`` blocks, sorts and aggregates
over cross products, regexes over every literal: each must stop within the timeout plus
1 s (504 with the JSON error shape, or an answer if it finishes), the server must stay
up, and ``/ask`` latency measured while such queries run back to back must stay under
3x its idle value.
"""

from __future__ import annotations

import shutil
import statistics
import threading
import time

import httpx
import pytest

from bench.load import LiveServer

pytestmark = pytest.mark.slow

TIMEOUT = 2.0
PREFIXES = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
VALUES_50K = "VALUES ?v { " + " ".join(str(i) for i in range(50_000)) + " }"
EXPENSIVE = {
    "cross-join-3": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "cross-join-select": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i",
    "path-any-count": PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?x (rdfs:label|!rdfs:label)* ?y }",
    "path-any-sorted": PREFIXES + "SELECT ?x ?y WHERE { ?x (skos:prefLabel|!skos:prefLabel)* ?y } ORDER BY ?y ?x",
    "path-inverse-star": "SELECT (COUNT(*) AS ?n) WHERE { ?x (^<urn:p>|!<urn:p>)*/(<urn:q>|!<urn:q>)* ?y }",
    "huge-values-join": "SELECT (COUNT(*) AS ?n) WHERE { " + VALUES_50K + " ?s ?p ?o . ?s2 ?p2 ?o2 }",
    "huge-values-filter": "SELECT ?v ?o WHERE { " + VALUES_50K + " ?s ?p ?o FILTER(STR(?o) = STR(?v)) }",
    "regex-every-pair": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f "
                        "FILTER(REGEX(CONCAT(STR(?c), STR(?f)), \"(a|aa|a?)+x$\", \"i\")) }",
    "group-concat-cross": "SELECT (GROUP_CONCAT(STR(?c); separator=\",\") AS ?all) WHERE { ?a ?b ?c . ?d ?e ?f }",
    "construct-cross": "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f",
    "describe-everything": "DESCRIBE ?s WHERE { ?s ?p ?o . ?x ?y ?z }",
}


@pytest.fixture(scope="module")
def server(seeded_data_copy, tmp_path_factory):
    data = tmp_path_factory.mktemp("sparql-robust") / "data"
    shutil.copytree(seeded_data_copy, data)
    srv = LiveServer(data, env={"SPARQL_TIMEOUT": str(TIMEOUT), "SPARQL_WORKERS": "2"}).start()
    yield srv
    srv.stop()


def _sparql(http: httpx.Client, query: str) -> tuple[int, float, str]:
    graph_form = query.lstrip().startswith(("CONSTRUCT", "DESCRIBE"))
    accept = "text/turtle" if graph_form else "application/sparql-results+json"
    t = time.perf_counter()
    r = http.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query",
                                                                "Accept": accept})
    return r.status_code, time.perf_counter() - t, r.text[:300]


def _wait_for_workers(http: httpx.Client, deadline_s: float = 60) -> None:
    """After a timeout the killed worker is replaced; wait until a cheap query answers again."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if http.post("/sparql", content=b"ASK { ?s ?p ?o }",
                     headers={"Content-Type": "application/sparql-query"}).status_code == 200:
            return
        time.sleep(0.2)
    raise AssertionError("no SPARQL worker came back")


@pytest.mark.parametrize("name", sorted(EXPENSIVE))
def test_expensive_query_stops_within_timeout_plus_one_second(server, name):
    with httpx.Client(base_url=server.url, timeout=60) as http:
        _wait_for_workers(http)
        status, seconds, body = _sparql(http, EXPENSIVE[name])
        print(f"{name}: {status} in {seconds:.2f} s")
        assert seconds <= TIMEOUT + 1.0, (name, status, seconds, body)
        # 504: stopped at the timeout; 503: stopped earlier by the worker's memory cap (a fast,
        # quiet machine can fill it before the timeout). Either way the query was stopped.
        assert status in (200, 503, 504), (name, status, body)
        if status == 504:
            assert '"error"' in body and "timeout" in body
        if status == 503:
            assert '"overloaded"' in body and "memory" in body
        assert server.alive() and http.get("/health").status_code == 200


def test_oversized_query_is_refused_quickly(server):
    huge = "SELECT * WHERE { VALUES ?v { " + " ".join(str(i) for i in range(300_000)) + " } }"
    with httpx.Client(base_url=server.url, timeout=60) as http:
        t = time.perf_counter()
        r = http.post("/sparql", content=huge.encode(), headers={"Content-Type": "application/sparql-query"})
        assert r.status_code == 413 and time.perf_counter() - t < 2.0


def _ask_latencies(http: httpx.Client, questions: list[str], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            r = http.post("/ask", json={"question": q})
            assert r.status_code == 200, r.text
            out.append(time.perf_counter() - t)
    return out


def test_ask_latency_during_expensive_queries_stays_under_3x_idle(server):
    questions = ["What does a senior MLE earn in London?", "Which companies hire ML engineers in Cambridge?",
                 "What skills do ML engineers need?", "How long does it take to move from data science into ML?"]
    stop = threading.Event()
    sparql_results: list[tuple[int, float]] = []

    def hammer(names: list[str]) -> None:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            i = 0
            while not stop.is_set():
                status, seconds, _ = _sparql(http, EXPENSIVE[names[i % len(names)]])
                sparql_results.append((status, seconds))
                i += 1

    with httpx.Client(base_url=server.url, timeout=60) as http:
        _wait_for_workers(http)
        _ask_latencies(http, questions, 1)  # warm
        idle = _ask_latencies(http, questions, 4)
        threads = [threading.Thread(target=hammer, args=(names,), daemon=True)
                   for names in (["cross-join-3", "path-any-count"], ["huge-values-join", "regex-every-pair"])]
        for th in threads:
            th.start()
        time.sleep(1.0)  # both workers busy
        busy = _ask_latencies(http, questions, 8)
        stop.set()
        for th in threads:
            th.join(timeout=30)
    idle_p50, busy_p50 = statistics.median(idle), statistics.median(busy)
    print(f"/ask idle p50 {idle_p50 * 1000:.0f} ms (max {max(idle) * 1000:.0f}), during expensive SPARQL "
          f"p50 {busy_p50 * 1000:.0f} ms (max {max(busy) * 1000:.0f}); {len(sparql_results)} expensive queries: "
          f"{sorted({s for s, _ in sparql_results})}, slowest {max(t for _, t in sparql_results):.2f} s")
    assert sparql_results and all(s in (200, 503, 504) for s, _ in sparql_results)
    # each query alone stops within TIMEOUT + 1 s (tested above); here two of them run while
    # /ask is hammered on 2 cores, so allow a little more for the kill to be scheduled
    assert all(t <= TIMEOUT + 2.0 for s, t in sparql_results if s == 504)
    assert busy_p50 < 3 * idle_p50
