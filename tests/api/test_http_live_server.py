"""The real uvicorn server on 127.0.0.1, spoken to by SPARQLWrapper (the standard Python SPARQL client) and httpx."""

from __future__ import annotations

import csv
import io
import statistics
import threading
import time
from urllib.error import HTTPError

import ckg_testdata
import httpx
import pyoxigraph as ox
import pytest
from http_testdata import RUNAWAY
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

PREFIXES = "PREFIX schema: <https://schema.org/>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
ORGS_IN_CITIES = PREFIXES + """SELECT ?org ?name ?city WHERE {
  ?o a schema:Organization ; skos:prefLabel ?name ; schema:location ?c . ?c skos:prefLabel ?city .
  BIND(STR(?o) AS ?org)
} ORDER BY ?name ?city"""


@pytest.fixture
def sparql(live_server):
    return SPARQLWrapper(f"{live_server}/sparql")


def run(sw: SPARQLWrapper, query: str, fmt):
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    return sw.query()


def test_select_json(sparql):
    res = run(sparql, ORGS_IN_CITIES, JSON).convert()
    rows = [(b["name"]["value"], b["city"]["value"]) for b in res["results"]["bindings"]]
    assert ("DeepMind", "London") in rows


def test_select_xml(sparql):
    doc = run(sparql, ORGS_IN_CITIES, XML).convert()  # an xml.dom.minidom document
    values = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert "DeepMind" in values and "London" in values


def test_select_csv_and_tsv(sparql):
    rows = list(csv.reader(io.StringIO(run(sparql, ORGS_IN_CITIES, CSV).convert().decode("utf-8"))))
    assert rows[0] == ["org", "name", "city"] and any(r[1:] == ["DeepMind", "London"] for r in rows)
    lines = run(sparql, ORGS_IN_CITIES, TSV).convert().decode("utf-8").splitlines()
    assert lines[0] == "?org\t?name\t?city" and any('"DeepMind"\t"London"' in ln for ln in lines)


def test_ask(sparql):
    res = run(sparql, PREFIXES + f"ASK {{ <{ckg_testdata.CITY_LONDON}> a schema:City }}", JSON).convert()
    assert res["boolean"] is True
    res = run(sparql, PREFIXES + "ASK { <https://w3id.org/careerkg/id/city/atlantis> a schema:City }", XML).convert()
    assert res.getElementsByTagName("boolean")[0].firstChild.data == "false"


def test_construct_turtle(sparql):
    q = PREFIXES + "CONSTRUCT { ?o schema:location ?c } WHERE { ?o a schema:Organization ; schema:location ?c }"
    data = run(sparql, q, TURTLE).convert()
    triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    assert ox.NamedNode(ckg_testdata.CITY_LONDON) in {t.object for t in triples}


def test_posted_queries(sparql):
    sparql.setMethod(POST)
    res = run(sparql, ORGS_IN_CITIES, JSON).convert()
    assert res["results"]["bindings"]
    sparql.setRequestMethod(POSTDIRECTLY)
    res = run(sparql, ORGS_IN_CITIES, JSON).convert()
    assert res["results"]["bindings"]


def test_update_refused(sparql, live_server):
    sparql.setMethod(POST)
    sparql.setQuery("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }")
    with pytest.raises(HTTPError) as info:  # SPARQLWrapper passes 403 through as urllib's HTTPError
        sparql.query()
    assert info.value.code == 403
    assert b"read-only" in info.value.read()
    q = "ASK { <http://example.org/a> ?p ?o }"
    assert httpx.get(f"{live_server}/sparql", params={"query": q}).json()["boolean"] is False


def test_row_limit_header_and_cors_over_the_wire(live_server):
    r = httpx.get(f"{live_server}/sparql", params={"query": ORGS_IN_CITIES},
                  headers={"Origin": "https://yasgui.example"})
    assert r.status_code == 200
    assert r.headers["x-sparql-row-limit"] == "10000"
    assert r.headers["access-control-allow-origin"] == "*"
    assert "x-sparql-truncated" in r.headers["access-control-expose-headers"].lower()


def test_ask_stays_responsive_during_a_runaway_query(live_server):
    """A cross join runs until the 1.5 s timeout kills its worker; /ask meanwhile answers as fast as usual."""
    question = {"question": "What does a senior MLE earn in London?"}
    with httpx.Client(base_url=live_server, timeout=30) as http:
        idle = []
        for _ in range(3):
            t0 = time.perf_counter()
            assert http.post("/ask", json=question).status_code == 200
            idle.append(time.perf_counter() - t0)
        result = {}

        def runaway():
            t0 = time.perf_counter()
            result["resp"] = httpx.get(f"{live_server}/sparql", params={"query": RUNAWAY}, timeout=30)
            result["seconds"] = time.perf_counter() - t0

        t = threading.Thread(target=runaway)
        t.start()
        time.sleep(0.2)
        busy = []
        while t.is_alive() and len(busy) < 5:
            t0 = time.perf_counter()
            assert http.post("/ask", json=question).status_code == 200
            busy.append(time.perf_counter() - t0)
        t.join(30)
    assert result["resp"].status_code == 504
    assert result["seconds"] < 4.0
    assert busy, "the runaway query ended before /ask was tried"
    print(f"/ask idle median {statistics.median(idle) * 1000:.0f} ms, during runaway "
          f"median {statistics.median(busy) * 1000:.0f} ms (n={len(busy)})")
    assert statistics.median(busy) < max(1.5, 3 * statistics.median(idle))
