"""History and releases in the CLI, on real stores (issue 15, items 2 and 4): ``ingest`` prints what a new
version changed, ``docs history``, ``docs remove --keep-history``, and ``export --release`` whose N-Quads and
VoID load into a fresh pyoxigraph Store and rdflib Dataset with the counts the VoID states."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pyoxigraph as ox
import pytest
import rdflib

import ckg_testdata as td
from test_cli import assert_one_line_error, quick_runtime, run  # noqa: F401  (quick_runtime: autouse fixture)

DOC = "fintech-ml-roles"
VOID = "http://rdfs.org/ns/void#"


@pytest.fixture
def versions_dir(tmp_path):
    """Three versions of the fintech guide as files (the senior London figure changes each time)."""
    out = {}
    for v, (lo, hi) in {1: ("£95,000", "£140,000"), 2: ("£100,000", "£150,000"), 3: ("£104,000", "£156,000")}.items():
        f = tmp_path / f"v{v}" / td.FIXTURE_TXT.name
        f.parent.mkdir()
        f.write_text(td.FIXTURE_TXT.read_text("utf-8").replace("between £95,000 and £140,000",
                                                               f"between {lo} and {hi}"), "utf-8")
        out[v] = f
    return out


def test_ingest_prints_changes_and_docs_history_lists_versions(tmp_path, cli_env, versions_dir):
    cli_env(tmp_path / "data")
    assert run("ingest", str(versions_dir[1]), str(td.FIXTURE_MD)).code == 0
    r = run("ingest", str(versions_dir[2]))
    assert r.code == 0, r.err
    assert "v1 -> v2: 0 added, 0 removed, 1 changed" in r.out
    assert ("changed  salary: Machine Learning Engineer, Senior, London: £95,000 – £140,000 a year [268-351] -> "
            "£100,000 – £150,000 a year [268-352]") in r.out
    assert run("ingest", str(versions_dir[3])).code == 0
    r = run("docs", "history", DOC, "--json")
    assert r.code == 0
    rows = json.loads(r.out)
    assert [(x["version"], x["current"]) for x in rows] == [(3, "yes"), (2, ""), (1, "")]
    assert rows[1]["graph"] == f"https://w3id.org/careerkg/graph/{DOC}/v2"
    r = run("docs", "history", DOC, "--version", "1")
    assert r.code == 0 and "between £95,000 and £140,000" in r.out
    assert_one_line_error(run("docs", "history", DOC, "--version", "7"), "no version 7")
    assert_one_line_error(run("docs", "history", "nope"), "no document 'nope'")
    r = run("docs", "changes", DOC, "--from", "1", "--to", "3")
    assert r.code == 0, r.err
    assert "v1 -> v3: 0 added, 0 removed, 1 changed" in r.out and "-> £104,000 – £156,000 a year" in r.out
    c = json.loads(run("docs", "changes", DOC, "--json").out)
    assert (c["from_version"], c["to_version"]) == (2, 3)
    assert_one_line_error(run("docs", "changes", DOC, "--from", "7"), "no version 7")
    r = run("docs", "remove", DOC, "--keep-history")
    assert r.code == 0 and "history kept" in r.out
    rows = json.loads(run("docs", "history", DOC, "--json").out)
    assert [(x["version"], x["removed"]) for x in rows] == [(3, True), (2, False), (1, False)]
    r = run("docs", "remove", DOC)
    assert r.code == 0 and f"purged the history of {DOC}" in r.out
    assert_one_line_error(run("docs", "history", DOC), "no document")
    assert run("repair").out.strip().endswith("consistent")


def _void_value(void: rdflib.Graph, subject, prop: str) -> int:
    [v] = list(void.objects(subject, rdflib.URIRef(VOID + prop)))
    return int(v)


def test_release_loads_into_fresh_stores_with_the_counts_of_its_void(tmp_path, cli_env, versions_dir):
    cli_env(tmp_path / "data")
    assert run("ingest", str(versions_dir[1]), str(td.FIXTURE_MD), str(td.FIXTURE_HTML)).code == 0
    assert run("ingest", str(versions_dir[2])).code == 0
    out = tmp_path / "releases"
    r = run("export", "--release", "--history", "-o", str(out))
    assert r.code == 0, r.err
    day = datetime.now(timezone.utc).date().isoformat()
    rel = out / f"careerkg-{day}"
    assert sorted(f.name for f in rel.iterdir()) == ["careerkg-history.nq", "careerkg.nq", "void.ttl"]
    assert f"wrote release {day}" in r.out and "3 documents" in r.out

    void = rdflib.Graph().parse(rel / "void.ttl", format="turtle")
    ds = rdflib.URIRef(f"https://w3id.org/careerkg/release/{day}")
    assert (ds, rdflib.RDF.type, rdflib.URIRef(VOID + "Dataset")) in void
    assert str(void.value(ds, rdflib.DCTERMS.issued)) == day
    assert void.value(ds, rdflib.DCTERMS.issued).datatype == rdflib.XSD.date
    esco = rdflib.URIRef("http://data.europa.eu/esco")
    assert str(void.value(esco, rdflib.OWL.versionInfo)) == "1.2"

    # pyoxigraph: the release alone is the current graph (no version graph), with the VoID's counts
    store = ox.Store()
    store.load(path=str(rel / "careerkg.nq"), format=ox.RdfFormat.N_QUADS)
    assert len(store) == _void_value(void, ds, "triples")
    assert not [g for g in store.named_graphs() if g.value.rsplit("/", 1)[-1].startswith("v")]

    def count(q: str) -> int:
        return int(next(iter(store.query(q, use_default_graph_as_union=True)))["n"].value)

    docs = count("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <https://schema.org/Article> }")
    assert docs == 3 == int(void.value(ds, rdflib.URIRef(f"https://w3id.org/careerkg/release/terms#documents")))
    claims = count("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c <http://persistence.uni-leipzig.org/nlp2rdf/"
                   "ontologies/nif-core#anchorOf> ?q }")  # every claim carries its evidence
    assert claims == int(void.value(ds, rdflib.URIRef("https://w3id.org/careerkg/release/terms#claims"))) > 10
    entities = count('SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e <http://www.w3.org/2004/02/skos/core#prefLabel> '
                     '?l FILTER(STRSTARTS(STR(?e), "https://w3id.org/careerkg/id/")) }')
    assert entities == _void_value(void, ds, "entities") > 100
    links = count("SELECT (COUNT(*) AS ?n) WHERE { ?e <http://www.w3.org/2004/02/skos/core#exactMatch>|"
                  "<http://www.w3.org/2004/02/skos/core#closeMatch> ?x }")
    assert links == _void_value(void, rdflib.URIRef(f"https://w3id.org/careerkg/release/{day}/esco-links"),
                                "triples") > 0

    # rdflib: the same files load into a Dataset; the history file holds version 1 with its provenance
    dataset = rdflib.Dataset()
    dataset.parse(rel / "careerkg.nq", format="nquads")
    assert sum(1 for _ in dataset.quads((None, None, None, None))) == len(store)
    dataset.parse(rel / "careerkg-history.nq", format="nquads")
    v1 = rdflib.URIRef(f"https://w3id.org/careerkg/graph/{DOC}/v1")
    g = dataset.graph(v1)
    assert g.value(v1, rdflib.PROV.invalidatedAtTime) is not None
    assert any("£95,000" in str(o) for o in g.objects(None, rdflib.URIRef(
        "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf")))
    hist = rdflib.URIRef(f"https://w3id.org/careerkg/release/{day}/history")
    assert _void_value(void, hist, "triples") == len(g)

    # loaded together, the release answers how a figure moved between versions
    from careerkg.graph.release import FIGURE_OVER_VERSIONS

    store.load(path=str(rel / "careerkg-history.nq"), format=ox.RdfFormat.N_QUADS)
    rows = [(int(r["version"].value), float(r["min"].value), r["until"] is not None)
            for r in store.query(FIGURE_OVER_VERSIONS)]
    assert rows == [(1, 95000.0, True), (2, 100000.0, False)], rows

    # checksums, and a second release of the same day needs --overwrite
    import hashlib

    spdx = "http://spdx.org/rdf/terms#"
    for name in ("careerkg.nq", "careerkg-history.nq"):
        node = void.value(rdflib.URIRef(f"https://w3id.org/careerkg/release/{day}/{name}"),
                          rdflib.URIRef(spdx + "checksum"))
        assert str(void.value(node, rdflib.URIRef(spdx + "checksumValue"))) == \
            hashlib.sha256((rel / name).read_bytes()).hexdigest()
    assert_one_line_error(run("export", "--release", "-o", str(out)), "exists", "--overwrite")
    r = run("export", "--release", "-o", str(out), "--overwrite")
    assert r.code == 0 and not (rel / "careerkg-history.nq").exists()
    assert_one_line_error(run("export", "--history"), "--history goes with --release")
