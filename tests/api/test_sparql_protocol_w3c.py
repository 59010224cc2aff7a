"""The W3C SPARQL 1.1 Protocol and Service Description tests, adapted to a read-only endpoint.

Source: the ``rdf-tests`` suite (https://github.com/w3c/rdf-tests),
``sparql/sparql11/protocol/manifest.ttl`` and ``sparql/sparql11/service-description/manifest.jsonld``.
Each test below is named after its manifest entry. Adaptations:

* the endpoint is ``/sparql`` (the manifest's ``/sparql/``; that path redirects here, which
  the manifest allows for every positive test: "2xx or 3xx");
* the manifest's graph data (``data1.rdf`` .. ``data3.rdf``: each document ``a foaf:Document``
  in its own named graph) is loaded into a store of its own, served by the same app code
  (``/sparql`` runner swapped through ``dependency_overrides``): through worker processes on
  snapshots of an embedded store, through threads, and through a real ``oxigraph serve``;
* ``query_multiple_dataset``: the manifest's request URL has its second ``named-graph-uri``
  escaped into the first one's value (``%26named-graph-uri%3D``); we send the two parameters
  the test's name and expected result mean;
* update tests: the endpoint is read-only, so every update is refused (403, or 415 for a body
  sent with a wrong media type) and the follow-up query shows nothing changed.

The same rules on the seeded graph are in ``test_http_sparql.py``.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from careerkg.api.app import create_app
from careerkg.api.deps import get_sparql_runner
from careerkg.api.sparql_pool import ProcessPool, ThreadRunner
from careerkg.graph.remote import SparqlHttpStore
from careerkg.graph.sparql import GRAPH_TYPES, SD, result_format_iris
from careerkg.graph.store import OxigraphStore

KASEI = "http://kasei.us/2009/09/sparql/data/"
DATA = {n: f"{KASEI}data{n}.rdf" for n in range(4)}
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FOAF_DOCUMENT = ox.NamedNode("http://xmlns.com/foaf/0.1/Document")
SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"
BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_TYPES = BOOLEAN_TYPES + ("text/csv", "text/tab-separated-values")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}
UPDATE_DIRECT = {"Content-Type": "application/sparql-update"}


def qs(*pairs: tuple[str, str]) -> str:
    """A query string, each value percent-encoded as the manifest does."""
    return "&".join(f"{k}={quote(v, safe='')}" for k, v in pairs)


def boolean(resp) -> bool:
    """The boolean of a SPARQL ASK result in JSON or XML."""
    assert resp.status_code < 400, resp.text
    ctype = resp.headers["content-type"].split(";")[0]
    assert ctype in BOOLEAN_TYPES, ctype
    if ctype.endswith("+json"):
        return json.loads(resp.content)["boolean"]
    return ET.fromstring(resp.content).find(SPARQL_RESULTS + "boolean").text == "true"


# ------------------------------------------------------------------ the manifest's data, served by the app
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def oxigraph_server(location: Path):
    """``oxigraph serve --union-default-graph`` on a free 127.0.0.1 port: a :class:`SparqlHttpStore` on it."""
    binary = Path(sys.executable).with_name("oxigraph")
    assert binary.exists(), "the oxigraph server binary is missing: `pip install oxigraph` (in the test extra)"
    port = free_port()
    proc = subprocess.Popen([str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "oxigraph serve did not start"
                time.sleep(0.1)
        yield SparqlHttpStore(base + "/query", base + "/update", timeout=10)
    finally:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="module", params=["processes", "threads", "server"])
def w3c(request, seeded_runtime, read_settings, tmp_path_factory):
    """The app on a store holding the manifest's three graphs; ``.client``, ``.store``, ``.runner``.

    ``processes``: the embedded store through worker processes on snapshots (the default
    deployment); ``threads``: the same store queried in threads; ``server``: a real
    ``oxigraph serve`` behind :class:`SparqlHttpStore` (``CAREERKG_SPARQL_ENDPOINT``).
    """
    root = tmp_path_factory.mktemp(f"w3c-{request.param}")
    with contextlib.ExitStack() as stack:
        store = stack.enter_context(oxigraph_server(root / "server")) if request.param == "server" \
            else OxigraphStore(root / "oxigraph")
        for n in (1, 2, 3):
            store.replace_graph(DATA[n], [ox.Quad(ox.NamedNode(DATA[n]), RDF_TYPE, FOAF_DOCUMENT)])
        if request.param == "processes":
            runner = ProcessPool(store, root / "snapshots", workers=1, generation=lambda: 0)
            assert runner.wait_ready(60)
        else:
            runner = ThreadRunner(store, workers=1)
        stack.callback(runner.close)
        app = create_app(read_settings.model_copy(update={"sparql_workers": 1}), runtime=seeded_runtime)
        app.dependency_overrides[get_sparql_runner] = lambda: runner
        with TestClient(app, raise_server_exceptions=False) as client:
            yield SimpleNamespace(client=client, store=store, runner=runner, kind=request.param)


# ------------------------------------------------------------------ protocol: queries
def test_query_post_form(w3c):
    r = w3c.client.post("/sparql?" + qs(("default-graph-uri", DATA[0])), content=b"query=ASK%20%7B%7D", headers=FORM)
    assert boolean(r) is True


ASK_BOTH_DEFAULT = f"ASK {{ <{DATA[1]}> a ?type . <{DATA[2]}> a ?type . }}"
ASK_BOTH_NAMED = f"ASK {{ GRAPH ?g1 {{ <{DATA[1]}> a ?type }} GRAPH ?g2 {{ <{DATA[2]}> a ?type }} }}"


def test_query_dataset_default_graphs_get(w3c):
    r = w3c.client.get("/sparql?" + qs(("query", ASK_BOTH_DEFAULT), ("default-graph-uri", DATA[1]),
                                       ("default-graph-uri", DATA[2])))
    assert boolean(r) is True


def test_query_dataset_default_graphs_post(w3c):
    r = w3c.client.post("/sparql?" + qs(("default-graph-uri", DATA[1]), ("default-graph-uri", DATA[2])),
                        content=ASK_BOTH_DEFAULT.encode(), headers=DIRECT)
    assert boolean(r) is True


def test_query_dataset_named_graphs_post(w3c):
    r = w3c.client.post("/sparql?" + qs(("named-graph-uri", DATA[1]), ("named-graph-uri", DATA[2])),
                        content=ASK_BOTH_NAMED.encode(), headers=DIRECT)
    assert boolean(r) is True


def test_query_dataset_named_graphs_get(w3c):
    r = w3c.client.get("/sparql?" + qs(("query", ASK_BOTH_NAMED), ("named-graph-uri", DATA[1]),
                                       ("named-graph-uri", DATA[2])))
    assert boolean(r) is True


def test_query_dataset_full(w3c):
    query = (f"ASK {{\n  <{DATA[3]}> a ?type\n  GRAPH ?g1 {{ <{DATA[1]}> a ?type }}\n"
             f"  GRAPH ?g2 {{ <{DATA[2]}> a ?type }}\n}}")
    r = w3c.client.post("/sparql?" + qs(("default-graph-uri", DATA[3]), ("named-graph-uri", DATA[1]),
                                        ("named-graph-uri", DATA[2])), content=query.encode(), headers=DIRECT)
    assert boolean(r) is True


def test_query_multiple_dataset(w3c):
    query = f"ASK FROM <{DATA[3]}> {{ GRAPH ?g1 {{ <{DATA[1]}> a ?type }} GRAPH ?g2 {{ <{DATA[2]}> a ?type }} }}"
    named = qs(("named-graph-uri", DATA[1]), ("named-graph-uri", DATA[2]))
    assert boolean(w3c.client.post("/sparql?" + named, content=query.encode(), headers=DIRECT)) is True
    # the protocol's dataset replaces the query's: FROM <data3> is not the default graph any more
    from_only = f"ASK FROM <{DATA[3]}> {{ <{DATA[3]}> a ?type }}"
    assert boolean(w3c.client.post("/sparql", content=from_only.encode(), headers=DIRECT)) is True
    assert boolean(w3c.client.post("/sparql?" + named, content=from_only.encode(), headers=DIRECT)) is False


def test_query_get(w3c):
    r = w3c.client.get("/sparql?" + qs(("query", "ASK {}"), ("default-graph-uri", DATA[0])))
    assert boolean(r) is True


def test_query_content_type_select(w3c):
    r = w3c.client.post("/sparql?" + qs(("default-graph-uri", DATA[0])), content=b"SELECT (1 AS ?value) {}",
                        headers=DIRECT)
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] in TABULAR_TYPES
    [row] = r.json()["results"]["bindings"]
    assert row["value"]["value"] == "1"


def test_query_content_type_ask(w3c):
    r = w3c.client.post("/sparql?" + qs(("default-graph-uri", DATA[0])), content=b"ASK {}", headers=DIRECT)
    assert r.status_code == 200 and boolean(r) is True


@pytest.mark.parametrize("query", ["DESCRIBE <http://example.org/>", "CONSTRUCT { <s> <p> 1 } WHERE {}"],
                         ids=["query_content_type_describe", "query_content_type_construct"])
def test_query_content_type_rdf(w3c, query):
    r = w3c.client.post("/sparql?" + qs(("default-graph-uri", DATA[0])), content=query.encode(), headers=DIRECT)
    assert r.status_code == 200, r.text
    ctype = r.headers["content-type"].split(";")[0]
    assert ctype in GRAPH_TYPES
    triples = list(ox.parse(r.content, format=ox.RdfFormat.from_media_type(ctype)))
    if query.startswith("CONSTRUCT"):  # the relative IRIs resolved against the endpoint's base
        assert [(t.subject.value, t.predicate.value, t.object.value) for t in triples] == \
               [("https://w3id.org/careerkg/id/s", "https://w3id.org/careerkg/id/p", "1")]


def test_query_post_direct(w3c):
    assert boolean(w3c.client.post("/sparql", content=b"ASK {}", headers=DIRECT)) is True


# ------------------------------------------------------------------ protocol: bad queries
def test_bad_query_method(w3c):
    r = w3c.client.put("/sparql?" + qs(("query", "ASK {}"), ("default-graph-uri", DATA[0])), content=b"",
                       headers=FORM)
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, HEAD, POST"
    assert r.json()["error"]["code"] == "method_not_allowed"


def test_bad_multiple_queries(w3c):
    r = w3c.client.get("/sparql?" + qs(("query", "ASK {}"), ("query", "SELECT * {}")))
    assert r.status_code == 400 and "one 'query'" in r.json()["error"]["message"]


@pytest.mark.parametrize("body, headers", [
    (b"ASK {}", {"Content-Type": "text/plain"}),
    (b"query=ASK%20%7B%7D", {}),
    (b"ASK {}", {}),
    ("ASK {}".encode("utf-16"), {"Content-Type": "application/sparql-query; charset=UTF-16"}),
], ids=["bad_query_wrong_media_type", "bad_query_missing_form_type", "bad_query_missing_direct_type",
        "bad_query_non_utf8"])
def test_bad_query_body(w3c, body, headers):
    r = w3c.client.post("/sparql", content=body, headers=headers)
    assert r.status_code == 415, r.text
    assert r.json()["error"]["code"] == "unsupported_media_type"


def test_bad_query_non_utf8_without_charset_is_400(w3c):
    r = w3c.client.post("/sparql", content="ASK {}".encode("utf-16"), headers=DIRECT)
    assert r.status_code == 400 and "UTF-8" in r.json()["error"]["message"]


def test_bad_query_syntax(w3c):
    r = w3c.client.get("/sparql?query=ASK%20%7B")
    assert r.status_code == 400 and "error at 1:6" in r.json()["error"]["message"]  # the parser's, position kept


# ------------------------------------------------------------------ protocol: updates, refused
def quads(store) -> set:
    return set(store.dump(ox.RdfFormat.N_QUADS).decode().splitlines())


PREFIXES = "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
INSERT_DATA = "INSERT DATA {\n" + "".join(
    f"  GRAPH <{DATA[n]}> {{ <{DATA[n]}> a foaf:Document }}\n" for n in (1, 2, 3)) + "} ;\n"
UPDATES = {  # manifest entry: (query string, body, follow-up ASK that an applied update would make true)
    "update_dataset_default_graph": (
        qs(("using-graph-uri", DATA[1])),
        PREFIXES + "CLEAR ALL ;\n" + INSERT_DATA
        + "INSERT { GRAPH <http://example.org/protocol-update-dataset-test/> { ?s a dc:BibliographicResource } }\n"
          "WHERE { ?s a foaf:Document }",
        "ASK { GRAPH <http://example.org/protocol-update-dataset-test/> { ?s ?p ?o } }"),
    "update_dataset_default_graphs": (
        qs(("using-graph-uri", DATA[1]), ("using-graph-uri", DATA[2])),
        PREFIXES + "CLEAR ALL ;\n" + INSERT_DATA
        + "INSERT { GRAPH <http://example.org/protocol-update-dataset-graphs-test/> "
          "{ ?s a dc:BibliographicResource } }\nWHERE { ?s a foaf:Document }",
        "ASK { GRAPH <http://example.org/protocol-update-dataset-graphs-test/> { ?s ?p ?o } }"),
    "update_dataset_named_graphs": (
        qs(("using-named-graph-uri", DATA[1]), ("using-named-graph-uri", DATA[2])),
        PREFIXES + "CLEAR ALL ;\n" + INSERT_DATA
        + "INSERT { GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/> "
          "{ ?s a dc:BibliographicResource } }\nWHERE { GRAPH ?g { ?s a foaf:Document } }",
        "ASK { GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/> { ?s ?p ?o } }"),
    "update_dataset_full": (
        qs(("using-graph-uri", DATA[1]), ("using-named-graph-uri", DATA[2])),
        PREFIXES + "CLEAR ALL ;\n" + INSERT_DATA
        + "INSERT { GRAPH <http://example.org/protocol-update-dataset-full-test/> "
          "{ ?s <http://example.org/in> ?in } }\nWHERE { { GRAPH ?g { ?s a foaf:Document } BIND(?g AS ?in) } UNION "
          "{ ?s a foaf:Document BIND(\"default\" AS ?in) } }",
        "ASK { GRAPH <http://example.org/protocol-update-dataset-full-test/> { ?s ?p ?o } }"),
    "update_post_direct": ("", "CLEAR ALL", "ASK { FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"),
    "update_base_uri": (
        "", "CLEAR GRAPH <http://example.org/protocol-base-test/> ;\nINSERT DATA { GRAPH "
            "<http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> <test> } }",
        "ASK { GRAPH <http://example.org/protocol-base-test/> { ?s ?p ?o } }"),
}


@pytest.mark.parametrize("name", list(UPDATES))
def test_update_direct_is_refused_and_changes_nothing(w3c, name):
    params, body, check = UPDATES[name]
    before = quads(w3c.store)
    r = w3c.client.post("/sparql" + (f"?{params}" if params else ""), content=body.encode(), headers=UPDATE_DIRECT)
    assert r.status_code == 403 and "read-only" in r.json()["error"]["message"]
    assert quads(w3c.store) == before
    assert boolean(w3c.client.post("/sparql", content=check.encode(), headers=DIRECT)) is False


def test_update_post_form_is_refused(w3c):
    before = quads(w3c.store)
    r = w3c.client.post("/sparql", content=b"update=CLEAR+ALL", headers=FORM)
    assert r.status_code == 403 and quads(w3c.store) == before
    ask = f"ASK {{ GRAPH <{DATA[1]}> {{ <{DATA[1]}> a ?t }} }}"
    assert boolean(w3c.client.post("/sparql", content=ask.encode(), headers=DIRECT)) is True


def test_update_base_uri_query_side(w3c):
    """The manifest's base test, asked of a query: ``<test>`` comes back as an absolute IRI."""
    r = w3c.client.post("/sparql", content=b"SELECT ?o WHERE { BIND(<test> AS ?o) }", headers=DIRECT)
    [row] = r.json()["results"]["bindings"]
    assert row["o"] == {"type": "uri", "value": "https://w3id.org/careerkg/id/test"}


@pytest.mark.parametrize("send, status", [
    (lambda c: c.get("/sparql?update=CLEAR%20ALL"), 403),
    (lambda c: c.post("/sparql", content=b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", headers=FORM), 403),
    (lambda c: c.post("/sparql", content=b"CLEAR NAMED", headers={"Content-Type": "text/plain"}), 415),
    (lambda c: c.post("/sparql", content=b"update=CLEAR%20NAMED"), 415),
    (lambda c: c.post("/sparql", content="CLEAR NAMED".encode("utf-16"),
                      headers={"Content-Type": "application/sparql-update; charset=UTF-16"}), 403),
    (lambda c: c.post("/sparql", content=b"update=CLEAR%20XYZ", headers=FORM), 403),
    (lambda c: c.post("/sparql?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
                      content=b"PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
                              b"DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
                              b"WHERE { ?person foaf:givenName 'Bill' }", headers=UPDATE_DIRECT), 403),
], ids=["bad_update_get", "bad_multiple_updates", "bad_update_wrong_media_type", "bad_update_missing_form_type",
        "bad_update_non_utf8", "bad_update_syntax", "bad_update_dataset_conflict"])
def test_bad_update(w3c, send, status):
    before = quads(w3c.store)
    r = send(w3c.client)
    assert r.status_code == status, r.text
    assert quads(w3c.store) == before


# ------------------------------------------------------------------ strict dataset on the manifest's data
def graphs_seen(client, query: str, *pairs: tuple[str, str]) -> list[str]:
    r = client.get("/sparql?" + qs(("query", query), *pairs))
    assert r.status_code == 200, r.text
    return sorted(b["g"]["value"] for b in r.json()["results"]["bindings"])


NAMED = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
DEFAULT = "SELECT DISTINCT (?s AS ?g) WHERE { ?s ?p ?o }"  # each document is the subject of its graph


def test_no_dataset_is_the_union_of_all_graphs(w3c):
    everything = [DATA[1], DATA[2], DATA[3]]
    assert graphs_seen(w3c.client, DEFAULT) == everything
    assert graphs_seen(w3c.client, NAMED) == everything


def test_named_graph_uri_alone_makes_an_empty_default_graph(w3c):
    assert graphs_seen(w3c.client, DEFAULT, ("named-graph-uri", DATA[1])) == []
    assert graphs_seen(w3c.client, NAMED, ("named-graph-uri", DATA[1])) == [DATA[1]]


def test_default_graph_uri_alone_makes_no_named_graphs(w3c):
    assert graphs_seen(w3c.client, DEFAULT, ("default-graph-uri", DATA[2])) == [DATA[2]]
    assert graphs_seen(w3c.client, NAMED, ("default-graph-uri", DATA[2])) == []


def test_from_and_from_named_alone(w3c):
    from_one = DEFAULT.replace("WHERE", f"FROM <{DATA[1]}> WHERE")
    assert graphs_seen(w3c.client, from_one) == [DATA[1]]
    assert graphs_seen(w3c.client, NAMED.replace("WHERE", f"FROM <{DATA[1]}> WHERE")) == []
    named_one = f"FROM NAMED <{DATA[3]}> WHERE"
    assert graphs_seen(w3c.client, DEFAULT.replace("WHERE", named_one)) == []
    assert graphs_seen(w3c.client, NAMED.replace("WHERE", named_one)) == [DATA[3]]
    # prefixed and relative graph names, and a comment and a string that only look like FROM clauses
    written = (f"BASE <{KASEI}>\nPREFIX k: <{KASEI}>\nSELECT DISTINCT ?g # FROM <data3.rdf>\n"
               "FROM k:data1.rdf FROM NAMED <data2.rdf> WHERE { { ?g ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } "
               "FILTER(?g != \"FROM <data3.rdf>\") }")
    assert graphs_seen(w3c.client, written) == [DATA[1], DATA[2]]


def test_unknown_graphs_make_an_empty_dataset(w3c):
    nowhere = "http://example.org/no-such-graph"
    assert graphs_seen(w3c.client, DEFAULT, ("default-graph-uri", nowhere)) == []
    assert graphs_seen(w3c.client, NAMED, ("named-graph-uri", nowhere)) == []


def test_graph_parameters_come_from_the_form_too(w3c):
    r = w3c.client.post("/sparql", data={"query": NAMED, "named-graph-uri": [DATA[2], DATA[3]]})
    assert sorted(b["g"]["value"] for b in r.json()["results"]["bindings"]) == [DATA[2], DATA[3]]
    r = w3c.client.post("/sparql", data={"query": DEFAULT, "named-graph-uri": [DATA[2]]})
    assert r.json()["results"]["bindings"] == []


# ------------------------------------------------------------------ service description
SD_NS = ox.NamedNode(SD + "Service")


def description(client, accept: str | None = None, path: str = "/sparql"):
    r = client.get(path, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.text
    ctype = r.headers["content-type"].split(";")[0]
    assert ctype in GRAPH_TYPES
    return ctype, list(ox.parse(r.content, format=ox.RdfFormat.from_media_type(ctype)))


def objects(triples, subject, predicate: str) -> list:
    return [t.object for t in triples if t.subject == subject and t.predicate.value == predicate]


def the_service(triples):
    [svc] = [t.subject for t in triples if t.predicate == RDF_TYPE and t.object == SD_NS]
    return svc


def test_sd_has_endpoint_triple(w3c):
    _, triples = description(w3c.client, "text/turtle")
    assert objects(triples, the_service(triples), SD + "endpoint") == [ox.NamedNode("http://testserver/sparql")]


@pytest.mark.parametrize("accept", [*GRAPH_TYPES, "application/sparql-results+json, text/turtle;q=0.5",
                                    "application/rdf+xml;q=0.5, application/ld+json"])
def test_sd_returns_rdf(w3c, accept):
    ctype, triples = description(w3c.client, accept)
    expected = {"application/sparql-results+json, text/turtle;q=0.5": "text/turtle",
                "application/rdf+xml;q=0.5, application/ld+json": "application/ld+json"}.get(accept, accept)
    assert ctype == expected and the_service(triples)


@pytest.mark.parametrize("fmt, ctype", [("ttl", "text/turtle"), ("nt", "application/n-triples"),
                                        ("jsonld", "application/ld+json"), ("rdfxml", "application/rdf+xml")])
def test_sd_by_format_parameter(w3c, fmt, ctype):
    r = w3c.client.get("/sparql", params={"format": fmt})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == ctype
    assert the_service(list(ox.parse(r.content, format=ox.RdfFormat.from_media_type(ctype))))


def test_sd_conforms_to_schema(w3c):
    """Every term is of the SD vocabulary, with the domain, range and cardinality the spec gives."""
    _, triples = description(w3c.client, "text/turtle")
    svc = the_service(triples)
    [endpoint] = objects(triples, svc, SD + "endpoint")
    assert isinstance(endpoint, ox.NamedNode)
    assert objects(triples, svc, SD + "supportedLanguage") == [ox.NamedNode(SD + "SPARQL11Query")]  # no Update
    assert sorted(o.value for o in objects(triples, svc, SD + "resultFormat")) == sorted(result_format_iris())
    assert len(result_format_iris()) == 8
    assert objects(triples, svc, SD + "feature") == [ox.NamedNode(SD + "UnionDefaultGraph")]
    [dataset] = objects(triples, svc, SD + "defaultDataset")
    assert objects(triples, dataset, RDF_TYPE.value) == [ox.NamedNode(SD + "Dataset")]
    [default] = objects(triples, dataset, SD + "defaultGraph")
    assert objects(triples, default, RDF_TYPE.value) == [ox.NamedNode(SD + "Graph")]
    names = []
    for g in objects(triples, dataset, SD + "namedGraph"):
        assert objects(triples, g, RDF_TYPE.value) == [ox.NamedNode(SD + "NamedGraph")]
        [name] = objects(triples, g, SD + "name")
        names.append(name.value)
    assert sorted(names) == [DATA[1], DATA[2], DATA[3]]
    sd_terms = {"Service", "endpoint", "supportedLanguage", "resultFormat", "feature", "defaultDataset", "Dataset",
                "defaultGraph", "Graph", "namedGraph", "NamedGraph", "name", "defaultEntailmentRegime",
                "SPARQL11Query", "UnionDefaultGraph"}
    used = {term.value[len(SD):] for t in triples for term in (t.predicate, t.object)
            if isinstance(term, ox.NamedNode) and term.value.startswith(SD)}
    assert used <= sd_terms, used - sd_terms


def test_sd_endpoint_follows_the_host_asked(w3c):
    r = w3c.client.get("/sparql", headers={"Accept": "application/n-triples", "Host": "kg.example:8443"})
    assert f"<{SD}endpoint> <http://kg.example:8443/sparql>" in r.text


def test_sd_head_and_no_query_with_graph_parameters(w3c):
    turtle = {"Accept": "text/turtle"}
    get, head = w3c.client.get("/sparql", headers=turtle), w3c.client.head("/sparql", headers=turtle)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"] == "text/turtle; charset=utf-8"
    r = w3c.client.get("/sparql?" + qs(("default-graph-uri", DATA[1])), headers=turtle)
    assert r.status_code == 400 and "missing SPARQL query" in r.json()["error"]["message"]


@pytest.mark.parametrize("accept", [None, "*/*", "application/sparql-results+json", "application/json",
                                    "text/turtle;q=0"])
def test_no_query_without_an_rdf_accept_is_400_missing_query(w3c, accept):
    r = w3c.client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_input"
    assert "missing SPARQL query" in r.json()["error"]["message"] and "text/turtle" in r.json()["error"]["message"]
