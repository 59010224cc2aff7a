"""/sparql through TestClient: the SPARQL 1.1 Protocol, read-only, capped, with a timeout that stops the query;
strict datasets, the base IRI, the service description and ``Allow`` on the seeded graph."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import xml.etree.ElementTree as ET

import ckg_testdata
import pyoxigraph as ox
import pytest
from http_testdata import RUNAWAY

from careerkg.graph.sparql import SD, has_dataset_clause

PREFIXES = "PREFIX schema: <https://schema.org/>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
CITIES = PREFIXES + "SELECT DISTINCT ?c ?label WHERE { ?c a schema:City ; skos:prefLabel ?label } ORDER BY ?label"
ASK_LONDON = PREFIXES + f"ASK {{ <{ckg_testdata.CITY_LONDON}> a schema:City }}"
CONSTRUCT = PREFIXES + f"CONSTRUCT {{ ?o schema:location <{ckg_testdata.CITY_LONDON}> }} " \
                       f"WHERE {{ ?o schema:location <{ckg_testdata.CITY_LONDON}> }}"
SPARQL_JSON = "application/sparql-results+json"
GUIDE_GRAPH = f"https://w3id.org/careerkg/graph/{ckg_testdata.CAREER_GUIDE}"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def labels(resp) -> list[str]:
    return [b["label"]["value"] for b in resp.json()["results"]["bindings"]]


def rows(resp) -> list[dict]:
    assert resp.status_code == 200, resp.text
    return resp.json()["results"]["bindings"]


def test_get_select_defaults_to_json_with_row_limit_headers(client):
    r = client.get("/sparql", params={"query": CITIES})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == SPARQL_JSON
    assert r.headers["x-sparql-row-limit"] == "10000" and r.headers["x-sparql-truncated"] == "false"
    assert "London" in labels(r) and "Cambridge" in labels(r)


@pytest.mark.parametrize("accept", ["application/sparql-results+xml", "text/csv", "text/tab-separated-values",
                                    "application/json", "text/html, */*;q=0.1"])
def test_select_content_negotiation(client, accept):
    r = client.get("/sparql", params={"query": CITIES}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    ctype = r.headers["content-type"]
    if accept.endswith("+xml"):
        root = ET.fromstring(r.content)
        ns = "{http://www.w3.org/2005/sparql-results#}"
        assert "London" in [e.text for e in root.iter(ns + "literal")]
    elif accept == "text/csv":
        assert ctype.startswith("text/csv")
        rows = list(csv.reader(io.StringIO(r.text)))
        assert rows[0] == ["c", "label"] and ["https://w3id.org/careerkg/id/city/london", "London"] in rows
    elif accept == "text/tab-separated-values":
        lines = r.text.splitlines()
        assert lines[0] == "?c\t?label" and f"<{ckg_testdata.CITY_LONDON}>\t\"London\"" in lines
    else:
        assert ctype == SPARQL_JSON


def test_format_parameter_when_accept_is_generic(client):
    r = client.get("/sparql", params={"query": CITIES, "format": "csv"}, headers={"Accept": "*/*"})
    assert r.headers["content-type"].startswith("text/csv")


def test_ask_and_construct(client):
    r = client.get("/sparql", params={"query": ASK_LONDON})
    assert r.status_code == 200 and r.json()["boolean"] is True
    for accept, fmt in (("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                        ("application/ld+json", ox.RdfFormat.JSON_LD), ("application/rdf+xml", ox.RdfFormat.RDF_XML)):
        r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
        assert r.status_code == 200, (accept, r.text)
        assert r.headers["content-type"].startswith(accept)
        triples = list(ox.parse(r.content, format=fmt))
        assert triples and all(t.object.value == ckg_testdata.CITY_LONDON for t in triples)


def test_post_form_and_direct_body(client):
    r = client.post("/sparql", data={"query": CITIES})
    assert r.status_code == 200 and "London" in labels(r)
    r = client.post("/sparql", content=CITIES.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200 and "London" in labels(r)
    r = client.post("/sparql", content=CITIES.encode(), headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_default_and_named_graph_uri(client):
    g = f"https://w3id.org/careerkg/graph/{ckg_testdata.CAREER_GUIDE}"
    count = PREFIXES + "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a schema:Article }"
    everything = client.get("/sparql", params={"query": count}).json()
    one = client.get("/sparql", params={"query": count, "default-graph-uri": g}).json()
    assert int(everything["results"]["bindings"][0]["n"]["value"]) == len(ckg_testdata.SEED_IDS)
    assert int(one["results"]["bindings"][0]["n"]["value"]) == 1
    named = client.post("/sparql", data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                         "named-graph-uri": [g]}).json()
    assert [b["g"]["value"] for b in named["results"]["bindings"]] == [g]


UPDATE = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"


@pytest.mark.parametrize("send", [
    lambda c: c.get("/sparql", params={"query": UPDATE}),
    lambda c: c.get("/sparql", params={"update": UPDATE}),
    lambda c: c.post("/sparql", data={"query": UPDATE}),
    lambda c: c.post("/sparql", data={"update": UPDATE}),
    lambda c: c.post("/sparql", content=UPDATE.encode(), headers={"Content-Type": "application/sparql-query"}),
    lambda c: c.post("/sparql", content=UPDATE.encode(), headers={"Content-Type": "application/sparql-update"}),
    lambda c: c.get("/sparql", params={"query": "# comment\nPREFIX x: <http://x/>\nDROP ALL"}),
    lambda c: c.get("/sparql", params={"query": "LOAD <http://example.org/data.ttl>"}),
    lambda c: c.get("/sparql", params={"query": "CLEAR ALL"}),
], ids=["get-query", "get-update", "form-query", "form-update", "body-query", "body-update", "drop", "load", "clear"])
def test_updates_are_refused_every_way(client, send):
    before = client.get("/health").json()["counts"]["quads"]
    r = send(client)
    assert r.status_code == 403, r.text
    assert r.json()["error"]["code"] == "forbidden" and "read-only" in r.json()["error"]["message"]
    assert client.get("/health").json()["counts"]["quads"] == before


def test_federated_service_is_refused(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 403 and "SERVICE" in r.json()["error"]["message"]


@pytest.mark.parametrize("query, words", [
    ("SELECT * WHERE { ?s ?p }", "syntax error"),
    ("SELEKT * WHERE { ?s ?p ?o }", "syntax error"),
    ("", "empty"),
])
def test_malformed_query_is_400_with_parser_message(client, query, words):
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 400
    assert words in r.json()["error"]["message"]


def test_missing_or_repeated_query_is_400(client):
    assert client.get("/sparql").status_code == 400
    r = client.get("/sparql", params=[("query", CITIES), ("query", CITIES)])
    assert r.status_code == 400 and "one 'query'" in r.json()["error"]["message"]


def test_unproducible_media_type_is_406(client):
    r = client.get("/sparql", params={"query": CITIES}, headers={"Accept": "text/turtle"})
    assert r.status_code == 406 and r.json()["error"]["code"] == "not_acceptable"
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert r.status_code == 406


def test_row_limit_truncates_and_says_so(client, read_app, override):
    with override(read_app, sparql_row_limit=3):
        r = client.get("/sparql", params={"query": CITIES})
        assert r.headers["x-sparql-row-limit"] == "3" and r.headers["x-sparql-truncated"] == "true"
        assert len(r.json()["results"]["bindings"]) == 3
        q = PREFIXES + "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c a schema:City ; skos:prefLabel ?l }"
        r = client.get("/sparql", params={"query": q}, headers={"Accept": "application/n-triples"})
        assert r.headers["x-sparql-truncated"] == "true" and len(r.text.strip().splitlines()) == 3


def wait_idle(pool, seconds: float = 30) -> None:
    """Until every worker is started and free (a killed one is replaced in the background)."""
    deadline = time.monotonic() + seconds
    while pool.describe()["idle"] < pool.size and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pool.describe()["idle"] == pool.size


def test_runaway_query_times_out_and_is_killed_while_service_answers(client, read_app):
    pool = read_app.state.sparql
    wait_idle(pool)
    killed = pool.killed
    result = {}

    def runaway():
        t0 = time.perf_counter()
        result["resp"] = client.get("/sparql", params={"query": RUNAWAY})
        result["seconds"] = time.perf_counter() - t0

    t = threading.Thread(target=runaway)
    t.start()
    time.sleep(0.3)
    t0 = time.perf_counter()
    assert client.get("/health").status_code == 200
    assert client.get("/sparql", params={"query": ASK_LONDON}).json()["boolean"] is True  # the other worker
    assert time.perf_counter() - t0 < 2.0
    t.join(30)
    r = result["resp"]
    assert r.status_code == 504, r.text
    assert r.json()["error"]["code"] == "timeout" and "1.5 s" in r.json()["error"]["message"]
    assert 1.4 < result["seconds"] < 4.0
    assert pool.killed == killed + 1
    # a fresh worker replaces the killed one, and queries go on
    assert client.get("/sparql", params={"query": ASK_LONDON}).status_code == 200
    wait_idle(pool)


def test_all_workers_busy_is_503(client, read_app):
    pool = read_app.state.sparql
    wait_idle(pool)  # no replacement starting: the pool would wait for it rather than refuse
    old = pool.acquire_timeout
    pool.acquire_timeout = 0.2
    threads = [threading.Thread(target=client.get, args=("/sparql",), kwargs={"params": {"query": RUNAWAY}})
               for _ in range(pool.size)]
    try:
        for t in threads:
            t.start()
        time.sleep(0.5)
        r = client.get("/sparql", params={"query": ASK_LONDON})
        assert r.status_code == 503 and r.json()["error"]["code"] == "overloaded"
        assert r.headers["retry-after"]
    finally:
        pool.acquire_timeout = old
        for t in threads:
            t.join(30)
    wait_idle(pool)
    assert client.get("/sparql", params={"query": ASK_LONDON}).status_code == 200


def test_json_body_is_valid_sparql_results(client):
    body = json.loads(client.get("/sparql", params={"query": CITIES}).content)
    assert body["head"]["vars"] == ["c", "label"]
    assert all(b["c"]["type"] == "uri" for b in body["results"]["bindings"])


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
@pytest.mark.parametrize("value", ["", "not an iri", "AAA"])
def test_invalid_graph_iri_is_400(client, param, value):
    r = client.get("/sparql", params={"query": CITIES, param: value})
    assert r.status_code == 400 and param in r.json()["error"]["message"]


# ------------------------------------------------------------ SPARQL 1.1 to the letter on the seeded graph
# (the W3C protocol and service-description manifests: test_sparql_protocol_w3c.py)


def test_seeded_browser_still_gets_the_editor(client):
    r = client.get("/sparql", headers=BROWSER)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "yasgui" in r.text.lower()


def test_seeded_description_lists_every_graph(client, seeded_runtime):
    r = client.get("/sparql", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/n-triples"
    triples = list(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))
    [endpoint] = [t.object.value for t in triples if t.predicate.value == SD + "endpoint"]
    assert endpoint == "http://testserver/sparql"
    names = sorted(t.object.value for t in triples if t.predicate.value == SD + "name")
    assert names == seeded_runtime.graph.graph_names() and GUIDE_GRAPH in names


def test_seeded_union_default_graph_is_the_merge_of_the_named_graphs(client, seeded_runtime):
    assert not list(seeded_runtime.graph.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    union = rows(client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                                                         "WHERE { ?s ?p ?o } }"}))
    merged = rows(client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                                                          "WHERE { GRAPH ?g { ?s ?p ?o } } }"}))
    assert int(union[0]["n"]["value"]) == int(merged[0]["n"]["value"]) > 1000


def test_seeded_relative_iris_resolve_against_the_resource_namespace(client):
    ask = PREFIXES + "ASK { <city/london> a schema:City }"
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True
    own_base = "BASE <http://example.org/>\n" + ask
    assert client.get("/sparql", params={"query": own_base}).json()["boolean"] is False
    relative_base = "BASE <city/>\n" + PREFIXES + "ASK { <london> a schema:City }"
    assert client.get("/sparql", params={"query": relative_base}).json()["boolean"] is True


def test_seeded_strict_dataset(client):
    articles = PREFIXES + "SELECT DISTINCT ?d WHERE { ?d a schema:Article }"
    assert len(rows(client.get("/sparql", params={"query": articles}))) == len(ckg_testdata.SEED_IDS)
    assert rows(client.get("/sparql", params={"query": articles, "named-graph-uri": GUIDE_GRAPH})) == []
    from_guide = articles.replace("WHERE", f"FROM <{GUIDE_GRAPH}> WHERE")
    [one] = rows(client.get("/sparql", params={"query": from_guide}))
    assert one["d"]["value"].endswith(ckg_testdata.CAREER_GUIDE)
    in_graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert rows(client.get("/sparql", params={"query": in_graphs, "default-graph-uri": GUIDE_GRAPH})) == []
    assert rows(client.get("/sparql", params={"query": "SELECT DISTINCT ?g FROM <" + GUIDE_GRAPH + "> WHERE "
                                              "{ GRAPH ?g { ?s ?p ?o } }"})) == []


@pytest.mark.parametrize("method, path, allow", [
    ("PUT", "/sparql", "GET, HEAD, POST"),
    ("DELETE", "/sparql", "GET, HEAD, POST"),
    ("PATCH", f"/documents/{ckg_testdata.CAREER_GUIDE}", "GET, HEAD, PUT, DELETE"),
    ("POST", "/health", "GET, HEAD"),
    ("GET", "/ask", "POST"),
])
def test_405_lists_every_allowed_method(client, method, path, allow):
    r = client.request(method, path)
    assert r.status_code == 405 and r.headers["allow"] == allow
    assert r.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize("query, expected", [
    ("SELECT * FROM <g> { ?s ?p ?o }", True),
    ("select * from named <g> where { graph ?g { ?s ?p ?o } }", True),
    ("PREFIX from: <http://x/> SELECT * { ?s from:p ?from }", False),
    ('SELECT * { ?s ?p "FROM <x>" } # FROM <y>', False),
    ("SELECT * { ?s <http://x/FROM> ?o }", False),
    ("SELECT * { ?s ?p 'x'@from }", False),
])
def test_has_dataset_clause(query, expected):
    assert has_dataset_clause(query) is expected
