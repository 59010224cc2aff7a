"""The GraphStore contract on embedded Oxigraph (on disk and in memory).

Every test runs over each backend in ``BACKENDS``; a remote SPARQL endpoint store
implementing :class:`careerkg.graph.store.GraphStore` can be added there and must pass the same tests.
"""

from __future__ import annotations

import json
import threading

import pyoxigraph as ox
import pytest

from careerkg.errors import Forbidden, InvalidInput, StoreError
from careerkg.graph.sparql import check_read_only, query_form, run_query
from careerkg.graph.store import OxigraphStore, term_value, to_term

EX = "http://example.org/"
G1, G2, G3 = EX + "graph/one", EX + "graph/two", EX + "graph/three"
BACKENDS = ["oxigraph-disk", "oxigraph-memory"]


def q(s, p, o, g=None) -> ox.Quad:
    obj = o if isinstance(o, (ox.Literal, ox.NamedNode)) else ox.NamedNode(EX + o)
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + p), obj, ox.NamedNode(g) if g else ox.DefaultGraph())


def triples_of(store, graph: str) -> set[tuple[str, str, str]]:
    return {(str(x.subject), str(x.predicate), str(x.object))
            for x in store.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    if request.param == "oxigraph-disk":
        return OxigraphStore(tmp_path / "oxigraph")
    return OxigraphStore(None)


@pytest.fixture
def filled(store):
    store.replace_graph(G1, [q("darktrace", "locatedIn", "cambridge"), q("darktrace", "label", ox.Literal("Darktrace"))])
    store.replace_graph(G2, [q("cambridge", "label", ox.Literal("Cambridge")),
                             q("featurespace", "locatedIn", "cambridge")])
    return store


def test_replace_creates_and_replaces_exactly(filled):
    assert filled.graph_names() == [G1, G2]
    before_g2 = triples_of(filled, G2)
    new = [q("darktrace", "locatedIn", "london"), q("darktrace", "sector", "cybersecurity")]
    filled.replace_graph(G1, new)
    assert triples_of(filled, G1) == {(str(x.subject), str(x.predicate), str(x.object)) for x in new}
    assert triples_of(filled, G2) == before_g2, "other graphs untouched"
    assert filled.count() == 4


def test_replace_ignores_the_graph_given_in_quads(filled):
    # quads carrying another graph name are written into the graph being replaced
    filled.replace_graph(G3, [q("a", "b", "c", G1)])
    assert triples_of(filled, G3) == {(f"<{EX}a>", f"<{EX}b>", f"<{EX}c>")}
    assert len(triples_of(filled, G1)) == 2


def test_replace_with_nothing_empties_and_drop_is_idempotent(filled):
    filled.replace_graph(G1, [])
    assert triples_of(filled, G1) == set()
    filled.drop_graph(G2)
    filled.drop_graph(G2)
    filled.drop_graph(EX + "never-existed")
    assert filled.count() == 0
    assert filled.graph_names() == []


def test_failed_replace_leaves_the_old_graph(filled, monkeypatch):
    import careerkg.graph.store as gs

    before = triples_of(filled, G1)
    # the update text is broken after the DROP: the whole update must fail as one
    monkeypatch.setattr(gs, "replace_update", lambda g, quads: f"DROP SILENT GRAPH <{g}> ;\nINSERT DATA {{ GRAPH <{g}> {{ <{EX}a> <{EX}b> }} }}")
    with pytest.raises(StoreError):
        filled.replace_graph(G1, [q("x", "y", "z")])
    assert triples_of(filled, G1) == before


def test_literals_survive_replace(store):
    tricky = ox.Literal('He said "£95,000 – £145,000"\nthen\\left {braces} <tags> é 💼')
    typed = ox.Literal("95000.00", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    lang = ox.Literal("Londres", language="fr")
    store.replace_graph(G1, [q("s", "p", tricky), q("s", "n", typed), q("s", "l", lang), ox.Quad(
        ox.BlankNode("b1"), ox.NamedNode(EX + "p"), ox.Literal("blank"), ox.DefaultGraph())])
    objs = {x.object for x in store.store.quads_for_pattern(None, None, None, ox.NamedNode(G1))}
    assert tricky in objs and lang in objs
    assert 95000.0 in {term_value(o) for o in objs}  # decimals are kept by value (canonical form)
    assert store.count() == 4


def test_replace_is_atomic_for_concurrent_readers(store):
    old = [q(f"s{i}", "p", "o") for i in range(300)]
    new = [q(f"t{i}", "p", "o") for i in range(500)]
    store.replace_graph(G1, old)
    seen: set[int] = set()
    stop = threading.Event()

    def read():
        while not stop.is_set():
            rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")
            seen.add(int(rows[0]["n"]))

    t = threading.Thread(target=read)
    t.start()
    try:
        for i in range(20):
            store.replace_graph(G1, new if i % 2 == 0 else old)
    finally:
        stop.set()
        t.join()
    assert seen <= {300, 500}, f"a reader saw a half-replaced graph: {seen}"


def test_default_graph_is_the_union(filled):
    # the join spans two named graphs
    rows = filled.select(f"SELECT ?org ?label WHERE {{ ?org <{EX}locatedIn> ?c . ?c <{EX}label> ?label }} ORDER BY ?org")
    assert rows == [{"org": EX + "darktrace", "label": "Cambridge"}, {"org": EX + "featurespace", "label": "Cambridge"}]


def test_graph_variable_works(filled):
    rows = filled.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s <{EX}locatedIn> <{EX}cambridge> }} }} ORDER BY ?g")
    assert [r["g"] for r in rows] == [G1, G2]
    rows = filled.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}")
    assert rows == [{"n": 2.0}]


def test_select_bindings_are_terms_not_text(filled):
    rows = filled.select(f"SELECT ?s ?c WHERE {{ ?s <{EX}locatedIn> ?c }}", {"c": EX + "cambridge"})
    assert sorted(r["s"] for r in rows) == [EX + "darktrace", EX + "featurespace"]
    # an injection attempt is just a literal that matches nothing
    rows = filled.select(f"SELECT ?s ?l WHERE {{ ?s <{EX}label> ?l }}", {"l": '" } ?s ?p ?o { "'})
    assert rows == []


def test_select_ask_and_project_prefixes(filled):
    assert filled.select(f"ASK {{ <{EX}darktrace> <{EX}locatedIn> <{EX}cambridge> }}") == [{"ask": True}]
    # project prefixes (ckg:, schema:, ...) are available without declaring them
    assert filled.select("SELECT ?x WHERE { ?x a schema:Organization }") == []


@pytest.mark.parametrize("bad", ["SELEC ?s WHERE { ?s ?p ?o }", "SELECT ?s WHERE { ?s ?p }",
                                 "SELECT * WHERE { ?s undefined:p ?o }", "", "}"])
def test_malformed_sparql_is_invalid_input(filled, bad):
    with pytest.raises(InvalidInput):
        filled.select(bad)
    with pytest.raises(InvalidInput):
        run_query(filled, bad, "application/sparql-results+json")


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://a/b> <http://a/c> <http://a/d> }",
    "PREFIX x: <http://x/>\n# a comment with SELECT in it\nDELETE WHERE { ?s ?p ?o }",
    "drop all",
    "CLEAR DEFAULT",
    "LOAD <http://example.org/data.ttl>",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "BASE <http://x/> CREATE GRAPH <g>",
])
def test_updates_are_refused(filled, update):
    assert query_form(update) == "UPDATE"
    with pytest.raises(Forbidden):
        check_read_only(update)
    count = filled.count()
    with pytest.raises(Forbidden):
        run_query(filled, update, "application/sparql-results+json")
    assert filled.count() == count


def test_read_queries_pass_the_check():
    assert check_read_only("# SELECT in a comment\nPREFIX s: <https://schema.org/> ask { ?a ?b ?c }") == "ASK"
    assert check_read_only("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"
    assert check_read_only('SELECT * WHERE { ?s ?p "INSERT DATA" }') == "SELECT"
    with pytest.raises(InvalidInput):
        check_read_only("   ")


@pytest.mark.parametrize("media", ["application/sparql-results+json", "application/sparql-results+xml",
                                   "text/csv", "text/tab-separated-values"])
def test_raw_select_formats(filled, media):
    res = run_query(filled, f"SELECT ?s WHERE {{ ?s <{EX}locatedIn> ?o }} ORDER BY ?s", media)
    assert res.media_type == media and not res.truncated
    body = res.body.decode("utf-8")
    assert "darktrace" in body and "featurespace" in body
    if media == "application/sparql-results+json":
        data = json.loads(body)
        assert data["head"]["vars"] == ["s"]
        assert [b["s"]["value"] for b in data["results"]["bindings"]] == [EX + "darktrace", EX + "featurespace"]


def test_raw_row_limit_truncates(filled):
    res = run_query(filled, "SELECT * WHERE { ?s ?p ?o }", "text/csv", row_limit=2)
    assert res.truncated
    assert len(res.body.decode().strip().splitlines()) == 3  # header + 2 rows


def test_raw_construct_and_wrong_type(filled):
    res = run_query(filled, f"CONSTRUCT {{ ?s <{EX}in> ?o }} WHERE {{ ?s <{EX}locatedIn> ?o }}", "text/turtle")
    triples = list(ox.parse(res.body, format=ox.RdfFormat.TURTLE))
    assert len(triples) == 2
    with pytest.raises(InvalidInput):
        run_query(filled, "SELECT * WHERE { ?s ?p ?o }", "text/turtle")
    with pytest.raises(InvalidInput):
        run_query(filled, "CONSTRUCT WHERE { ?s ?p ?o }", "text/csv")


def test_raw_query_explicit_dataset(filled):
    body = run_query(filled, "SELECT ?s WHERE { ?s ?p ?o }", "text/csv", default_graphs=[G2]).body.decode()
    assert "featurespace" in body and "darktrace" not in body


@pytest.mark.parametrize("fmt", [ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.TURTLE,
                                 ox.RdfFormat.N_TRIPLES, ox.RdfFormat.JSON_LD])
def test_dump_parses_back(filled, fmt):
    data = filled.dump(fmt)
    parsed = list(ox.parse(data, format=fmt))
    if fmt.supports_datasets:
        assert {(str(x.subject), str(x.predicate), str(x.object), str(x.graph_name)) for x in parsed} == \
            {(str(x.subject), str(x.predicate), str(x.object), str(x.graph_name)) for x in filled.store}
    else:  # triple formats carry the union
        assert len(parsed) == 4


def test_disk_store_persists_and_is_single_writer(tmp_path):
    path = tmp_path / "ox"
    s = OxigraphStore(path)
    s.replace_graph(G1, [q("a", "b", "c")])
    with pytest.raises(StoreError, match="another careerkg process"):
        OxigraphStore(path)
    s.backup(tmp_path / "snapshot")  # consistent snapshot for read-only readers
    s.replace_graph(G2, [q("d", "e", "f")])
    ro = OxigraphStore(tmp_path / "snapshot", read_only=True)
    assert ro.count() == 1
    with pytest.raises(StoreError):
        OxigraphStore(tmp_path / "missing", read_only=True)
    del s, ro
    import gc

    gc.collect()
    assert OxigraphStore(path).count() == 2


def test_term_conversions():
    assert term_value(ox.NamedNode(EX + "a")) == EX + "a"
    assert term_value(ox.Literal("12.50", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))) == 12.5
    assert term_value(ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))) is True
    assert term_value(ox.Literal("plain")) == "plain"
    assert term_value(None) is None
    assert to_term(EX + "a") == ox.NamedNode(EX + "a")
    assert to_term("not an iri") == ox.Literal("not an iri")
    assert to_term(3) == ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
