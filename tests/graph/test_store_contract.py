"""One contract suite over both GraphStore backends: embedded Oxigraph and a real SPARQL server.

The server is ``oxigraph serve`` (PyPI ``oxigraph``) on a free 127.0.0.1 port, started
by the fixture and killed at teardown.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from careerkg.errors import InvalidInput
from careerkg.graph.remote import SparqlHttpStore, inline_bindings
from careerkg.graph.store import OxigraphStore

G1, G2 = "https://w3id.org/careerkg/graph/doc-a", "https://w3id.org/careerkg/graph/doc-b"
P = ox.NamedNode("http://example.org/p")


def quads(n: int, tag: str) -> list[ox.Quad]:
    return [ox.Quad(ox.NamedNode(f"http://example.org/{tag}/{i}"), P, ox.Literal(f"{tag} {i} \"quoted\" ünï")) for i in range(n)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph_bin() -> str | None:
    cand = Path(sys.executable).with_name("oxigraph")
    return str(cand) if cand.exists() else shutil.which("oxigraph")


@pytest.fixture(params=["embedded", "server"])
def store(request, tmp_path):
    if request.param == "embedded":
        yield OxigraphStore(tmp_path / "ox")
        return
    binary = _oxigraph_bin()
    if binary is None:
        pytest.fail("the oxigraph server binary is missing: `pip install oxigraph` (in the test extra)")
    port = _free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "srv"), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield SparqlHttpStore(base + "/query", base + "/update", timeout=10)
    finally:
        proc.kill()
        proc.wait(timeout=10)


def test_replace_graph_is_exact_and_repeatable(store):
    store.replace_graph(G1, quads(5, "a"))
    store.replace_graph(G2, quads(3, "b"))
    assert store.count() == 8
    store.replace_graph(G1, quads(2, "a2"))
    rows = store.select("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s", None)
    subjects = [r["s"] for r in rows]
    assert len(subjects) == 5 and not any("/a/" in s for s in subjects)
    assert sorted(store.graph_names()) == [G1, G2]


def test_drop_graph_and_missing_graph(store):
    store.replace_graph(G1, quads(2, "a"))
    store.drop_graph(G1)
    store.drop_graph(G1)  # no-op
    assert store.count() == 0 and store.graph_names() == []


def test_union_default_graph_and_bindings(store):
    store.replace_graph(G1, quads(2, "a"))
    store.replace_graph(G2, quads(2, "b"))
    rows = store.select("SELECT ?s ?o WHERE { ?s ?p ?o }")
    assert len(rows) == 4  # both named graphs, no GRAPH clause
    one = store.select("SELECT ?s ?o WHERE { ?s ?p ?o }", {"s": "http://example.org/b/1"})
    assert [r["o"] for r in one] == ['b 1 "quoted" ünï']


def test_literal_values_survive_the_round_trip(store):
    store.replace_graph(G1, [ox.Quad(ox.NamedNode("http://example.org/x"), P,
                                     ox.Literal("145000.00", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))])
    assert store.select("SELECT ?o WHERE { ?s ?p ?o }")[0]["o"] == 145000.0


def test_malformed_query_is_invalid_input(store):
    with pytest.raises(InvalidInput):
        store.select("SELEC ?x WHERE { ?x ?y ?z }")


def test_raw_query_formats(store):
    store.replace_graph(G1, quads(3, "a"))
    res = store.raw_query("SELECT ?s WHERE { ?s ?p ?o }", "text/csv")
    assert res.body.decode().splitlines()[0].strip() == "s" and len(res.body.decode().splitlines()) == 4
    ttl = store.raw_query("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle").body
    assert len(list(ox.parse(ttl, format=ox.RdfFormat.TURTLE))) == 3


def test_dump_nquads_round_trips(store):
    store.replace_graph(G1, quads(3, "a"))
    store.replace_graph(G2, quads(1, "b"))
    back = list(ox.parse(store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS))
    assert len(back) == 4 and {q.graph_name.value for q in back} == {G1, G2}


def test_inline_bindings_escape_values():
    q = inline_bindings("SELECT ?s WHERE { ?s ?p ?o }", {"o": 'x" } ; DROP ALL ; #'})
    assert 'VALUES (?o) { ("x\\" } ; DROP ALL ; #") }' in q
