"""The knowledge graph as written by the pipeline: provenance, modelling, per-document graphs.

Seeded checks go through SPARQL on the session's ``seeded_runtime`` (read-only); the
replacement/removal checks use a fresh runtime with the synthetic guides.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import ckg_testdata as td
from careerkg.model import Chunk, Claim, Document, Entity, Extraction, Mention
from careerkg.graph.rdf import claim_iri, document_quads
from careerkg.graph.vocab import CKG_NS, GAZETTEER_GRAPH, ID_BASE, ONTOLOGY_GRAPH, graph_iri, mint

_PROVENANCE = """
SELECT ?c ?doc ?chunk ?start ?end ?quote ?x ?cs ?ce WHERE {
  ?c prov:wasDerivedFrom ?chunk ; nif:beginIndex ?start ; nif:endIndex ?end ; nif:anchorOf ?quote ;
     ckg:extractor ?x .
  ?chunk dcterms:isPartOf ?d ; nif:beginIndex ?cs ; nif:endIndex ?ce .
  BIND(STRAFTER(STR(?d), "/id/doc/") AS ?doc)
}
"""


def claims_of(store, doc_id: str) -> dict[str, tuple]:
    """claim IRI -> (type, start, end, quote) for the claims in one document's graph."""
    rows = store.select("""
        SELECT ?g ?c ?t ?s ?e ?q WHERE { GRAPH ?g { ?c a ?t ; nif:beginIndex ?s ; nif:endIndex ?e ; nif:anchorOf ?q .
          FILTER(?t IN (ckg:Claim, ckg:SalaryClaim)) } }""", {"g": graph_iri(doc_id)})
    return {r["c"]: (r["t"], int(r["s"]), int(r["e"]), r["q"]) for r in rows}


# ----------------------------------------------------------------------------- seeded store
def test_every_claim_anchor_equals_the_document_text(seeded_runtime):
    p = seeded_runtime.pipeline
    rows = seeded_runtime.graph.select(_PROVENANCE)
    claims = {r["c"] for r in rows}
    assert len(claims) == sum(p.record(d).claims for d in td.SEED_IDS), "every claim carries full provenance"
    texts = {d: p.text(d) for d in td.SEED_IDS}
    for r in rows:
        start, end = int(r["start"]), int(r["end"])
        text = texts[r["doc"]]
        assert 0 <= start < end <= len(text)
        assert text[start:end] == r["quote"], (r["c"], start, end)
        # the evidence lies in (or at least overlaps) the chunk it was derived from
        assert int(r["cs"]) < end and start < int(r["ce"]), r["c"]
        assert r["x"]


def test_no_claim_without_provenance(seeded_runtime):
    rows = seeded_runtime.graph.select("""
        SELECT ?c WHERE { ?c a ?t . FILTER(?t IN (ckg:Claim, ckg:SalaryClaim))
          FILTER NOT EXISTS { ?c prov:wasDerivedFrom ?ch ; nif:beginIndex ?b ; nif:endIndex ?e ;
                               nif:anchorOf ?a ; ckg:extractor ?x } }""")
    assert rows == []


def test_claims_and_their_chunks_share_the_document_graph(seeded_runtime):
    rows = seeded_runtime.graph.select("""
        SELECT ?g ?doc WHERE { GRAPH ?g { ?c prov:wasDerivedFrom ?ch . ?ch dcterms:isPartOf ?d }
          BIND(STRAFTER(STR(?d), "/id/doc/") AS ?doc) }""")
    assert rows
    assert all(r["g"] == graph_iri(r["doc"]) for r in rows)


def test_chunk_nodes_match_the_vector_index(seeded_runtime):
    rt = seeded_runtime
    for doc_id in td.SEED_IDS:
        rows = rt.graph.select("""
            SELECT ?d ?ch ?s ?e WHERE { ?ch a ckg:Chunk ; dcterms:isPartOf ?d ; nif:beginIndex ?s ; nif:endIndex ?e }""",
                               {"d": td.doc_iri(doc_id)})
        in_graph = {r["ch"]: (int(r["s"]), int(r["e"])) for r in rows}
        in_index = {mint("chunk", cid): (m["start"], m["end"]) for cid, (_, m) in td.chunk_records(rt.index, doc_id).items()}
        assert in_graph == in_index, doc_id


def test_document_nodes(seeded_runtime):
    p = seeded_runtime.pipeline
    rows = seeded_runtime.graph.select("""
        SELECT ?g ?d ?title ?sha ?version ?source WHERE { GRAPH ?g { ?d a schema:Article ; dcterms:title ?title ;
          ckg:sha256 ?sha ; ckg:version ?version ; dcterms:source ?source } }""")
    assert len(rows) == len(td.SEED_IDS)
    for r in rows:
        doc_id = r["d"][len(td.DOC):]
        rec = p.record(doc_id)
        assert r["g"] == graph_iri(doc_id)
        assert (r["title"], r["sha"], int(r["version"]), r["source"]) == (rec.title, rec.sha256, 1, f"{doc_id}.txt")


def test_salary_claims_are_well_formed(seeded_runtime):
    rows = seeded_runtime.graph.select("""
        SELECT ?c ?role ?min ?max ?unit ?cur ?loc ?sen ?roleType ?locType WHERE {
          ?c a ckg:SalaryClaim, schema:MonetaryAmount ; ckg:role ?role ; schema:unitText ?unit ; schema:currency ?cur .
          OPTIONAL { ?role a ?roleType . FILTER(?roleType = schema:Occupation) }
          OPTIONAL { ?c schema:minValue ?min } OPTIONAL { ?c schema:maxValue ?max }
          OPTIONAL { ?c ckg:location ?loc . OPTIONAL { ?loc a ?locType . FILTER(?locType IN (schema:City, ckg:Region)) } }
          OPTIONAL { ?c ckg:seniority ?sen } }""")
    assert len(rows) >= 20
    seniorities = {CKG_NS + s for s in ("Junior", "Mid", "Senior", "Lead", "Principal", "Contractor")}
    for r in rows:
        assert r["unit"] in ("YEAR", "DAY") and r["cur"] == "GBP", r
        assert r["min"] is not None or r["max"] is not None, r
        if r["min"] is not None and r["max"] is not None:
            assert 0 < r["min"] <= r["max"], r
        assert r["roleType"], f"{r['role']} is not a schema:Occupation"
        assert r["loc"] is None or r["locType"], f"{r['loc']} is neither a city nor a region"
        assert r["sen"] is None or r["sen"] in seniorities, r
    # one known row of the career guide's table, exactly as DESIGN.md models it
    hit = seeded_runtime.graph.select("""
        SELECT ?role ?loc ?c WHERE { ?c a ckg:SalaryClaim ; ckg:role ?role ; ckg:seniority ckg:Senior ; ckg:location ?loc ;
          schema:minValue 95000.0 ; schema:maxValue 145000.0 ; schema:unitText "YEAR" ; ckg:extractor "table" ;
          nif:anchorOf "| Senior MLE | 5–8 years | £95,000 – £145,000 | £80,000 – £125,000 |" }""",
                                      {"role": td.ROLE_MLE, "loc": td.CITY_LONDON})
    assert len(hit) == 1


def test_union_default_graph_joins_document_and_gazetteer_graphs(seeded_runtime):
    # the location fact lives in a document graph, the label in the gazetteer graph
    rows = seeded_runtime.graph.select("""
        SELECT DISTINCT ?city ?label WHERE { ?o schema:location ?city ; skos:prefLabel ?label }""",
                                       {"city": td.CITY_CAMBRIDGE})
    labels = {r["label"] for r in rows}
    assert {"Darktrace", "Featurespace"} <= labels
    graphs = seeded_runtime.graph.select("""
        SELECT DISTINCT ?o ?city ?g WHERE { GRAPH ?g { ?o schema:location ?city } }""",
                                         {"o": td.ORG_DARKTRACE, "city": td.CITY_CAMBRIDGE})
    assert graphs and all(r["g"] in {graph_iri(d) for d in td.SEED_IDS} for r in graphs)
    lab = seeded_runtime.graph.select("SELECT ?o ?g WHERE { GRAPH ?g { ?o skos:prefLabel \"Darktrace\" } }",
                                      {"o": td.ORG_DARKTRACE})
    assert [r["g"] for r in lab] == [GAZETTEER_GRAPH]


def test_reified_claims_match_plain_triples(seeded_runtime):
    missing = seeded_runtime.graph.select("""
        SELECT ?c WHERE { GRAPH ?g { ?c a ckg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
          FILTER NOT EXISTS { ?s ?p ?o } } }""")
    assert missing == []


def test_every_ckg_term_used_is_declared_in_the_ontology(seeded_runtime):
    rows = seeded_runtime.graph.select(f"""
        SELECT DISTINCT ?term WHERE {{
          {{ ?s ?term ?o }} UNION {{ ?s a ?term }} UNION {{ ?s ?p ?term }}
          FILTER(isIRI(?term) && STRSTARTS(STR(?term), "{CKG_NS}"))
          FILTER NOT EXISTS {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?term ?x ?y }} }} }}""")
    assert rows == []


def test_every_mentioned_entity_is_described(seeded_runtime):
    rows = seeded_runtime.graph.select("""
        SELECT DISTINCT ?e WHERE { ?ch schema:mentions ?e .
          FILTER NOT EXISTS { ?e skos:prefLabel ?l ; rdfs:label ?l2 ; a ?type } }""")
    assert rows == []
    bad = seeded_runtime.graph.select("""
        SELECT ?e WHERE { ?e skos:prefLabel ?a . FILTER NOT EXISTS { ?e rdfs:label ?a } }""")
    assert bad == []


def test_expected_graphs_exist(seeded_runtime):
    names = set(seeded_runtime.graph.graph_names())
    assert names == {ONTOLOGY_GRAPH, GAZETTEER_GRAPH} | {graph_iri(d) for d in td.SEED_IDS}


# ----------------------------------------------------------------------------- replacement and removal
CHANGED = td.FIXTURE_TXT.read_text("utf-8").replace("between £95,000 and £140,000", "between £100,000 and £150,000")


def _salaries(store, doc_id: str) -> set[tuple]:
    rows = store.select("""
        SELECT ?g ?min ?max ?q WHERE { GRAPH ?g { ?c a ckg:SalaryClaim ; nif:anchorOf ?q .
          OPTIONAL { ?c schema:minValue ?min } OPTIONAL { ?c schema:maxValue ?max } } }""", {"g": graph_iri(doc_id)})
    return {(r["min"], r["max"], r["q"]) for r in rows}


def test_changed_guide_replaces_exactly_its_claims(runtime_factory):
    rt = runtime_factory()
    p = rt.pipeline
    for f in (td.FIXTURE_TXT, td.FIXTURE_MD):
        assert p.ingest_path(f).ok
    old_claims = claims_of(rt.graph, "fintech-ml-roles")
    other_claims = claims_of(rt.graph, "healthcare-ml-notes")
    assert old_claims and other_claims
    assert (95000.0, 140000.0) in {s[:2] for s in _salaries(rt.graph, "fintech-ml-roles")}

    res = p.ingest_bytes(CHANGED.encode("utf-8"), "fintech-ml-roles.txt")
    assert res.status == "updated", res
    new_claims = claims_of(rt.graph, "fintech-ml-roles")
    salaries = _salaries(rt.graph, "fintech-ml-roles")
    assert (100000.0, 150000.0) in {s[:2] for s in salaries}
    assert (95000.0, 140000.0) not in {s[:2] for s in salaries}
    # the old figure is gone from the whole store, not just from this graph
    assert rt.graph.select("ASK { ?c a ckg:SalaryClaim ; schema:minValue 95000.0 ; schema:maxValue 140000.0 }") == \
        [{"ask": False}]
    # claims whose evidence lies before the edit are the same nodes; the changed one is a new node
    edit = td.FIXTURE_TXT.read_text("utf-8").index("between £95,000")
    changed = {c for c, v in old_claims.items() if "£95,000" in v[3]}
    assert changed and not changed & set(new_claims)
    before_edit = {c for c, v in old_claims.items() if v[2] <= edit}
    assert before_edit and before_edit <= set(new_claims)
    assert len(new_claims) == p.record("fintech-ml-roles").claims
    text = p.text("fintech-ml-roles")
    assert all(text[s:e] == q for _, s, e, q in new_claims.values())
    assert claims_of(rt.graph, "healthcare-ml-notes") == other_claims


def test_removed_guide_leaves_no_triple(runtime_factory):
    rt = runtime_factory()
    p = rt.pipeline
    for f in (td.FIXTURE_TXT, td.FIXTURE_HTML):
        assert p.ingest_path(f).ok
    keep = td.doc_triples(rt.graph, "autonomy-ml-jobs")
    static = {g: td.graph_triples(rt.graph, g) for g in (ONTOLOGY_GRAPH, GAZETTEER_GRAPH)}
    p.remove("fintech-ml-roles")
    doc = td.doc_iri("fintech-ml-roles")
    assert rt.graph.select("ASK { { ?s ?p ?d } UNION { ?d ?p ?o } }", {"d": doc}) == [{"ask": False}]
    assert rt.graph.select("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": graph_iri("fintech-ml-roles")}) == [{"ask": False}]
    assert rt.graph.select("""ASK { ?c prov:wasDerivedFrom ?ch . FILTER(CONTAINS(STR(?ch), "fintech-ml-roles")) }""") \
        == [{"ask": False}]
    assert td.quads_mentioning(rt.graph, "fintech-ml-roles") == []
    assert td.doc_triples(rt.graph, "autonomy-ml-jobs") == keep
    assert {g: td.graph_triples(rt.graph, g) for g in static} == static


# ----------------------------------------------------------------------------- RDF building (no stores)
def _triples(quads) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, str(q.object) if isinstance(q.object, ox.Literal) else q.object.value)
            for q in quads}


def test_document_quads_model_salary_and_plain_claims():
    text = "Darktrace is in Cambridge. Senior MLEs in London earn £95,000 – £145,000."
    doc = Document("demo", "Demo", text, "ab" * 32, "demo.txt", "text/plain")
    chunks = [Chunk("demo-abababab-0000", "demo", 0, 0, len(text), text)]
    org = Entity(td.ORG_DARKTRACE, "org", "Darktrace")
    new_org = Entity(ID_BASE + "org/brand-new-ai", "org", "Brand New AI", discovered=True)
    salary = Claim("salary", td.ROLE_MLE, CKG_NS + "role", None, 27, len(text), text[27:], "prose",
                   chunk_id=chunks[0].chunk_id, seniority="Senior", location=td.CITY_LONDON,
                   min_value=95000, max_value=145000, unit="YEAR")
    located = Claim("located_in", td.ORG_DARKTRACE, "https://schema.org/location", td.CITY_CAMBRIDGE, 0, 26,
                    text[:26], "pattern", chunk_id=chunks[0].chunk_id)
    extraction = Extraction(mentions=[Mention(org, 0, 9, "Darktrace", "gazetteer"),
                                      Mention(new_org, 10, 12, "is", "ner")], claims=[salary, located])
    t = _triples(document_quads(doc, 3, chunks, extraction, known={td.ORG_DARKTRACE}))
    S, NIF, RDF = "https://schema.org/", "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#", \
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    d, ch = td.doc_iri("demo"), mint("chunk", chunks[0].chunk_id)
    sc, lc = claim_iri("demo", salary), claim_iri("demo", located)
    dec = "^^<http://www.w3.org/2001/XMLSchema#decimal>"
    expected = {
        (d, RDF + "type", S + "Article"), (d, CKG_NS + "version", '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        (ch, RDF + "type", CKG_NS + "Chunk"), (ch, "http://purl.org/dc/terms/isPartOf", d),
        (ch, S + "mentions", td.ORG_DARKTRACE),
        (sc, RDF + "type", CKG_NS + "SalaryClaim"), (sc, RDF + "type", S + "MonetaryAmount"),
        (sc, CKG_NS + "role", td.ROLE_MLE), (sc, CKG_NS + "seniority", CKG_NS + "Senior"),
        (sc, CKG_NS + "location", td.CITY_LONDON), (sc, S + "minValue", f'"95000.00"{dec}'),
        (sc, S + "maxValue", f'"145000.00"{dec}'), (sc, S + "currency", '"GBP"'), (sc, S + "unitText", '"YEAR"'),
        (sc, "http://www.w3.org/ns/prov#wasDerivedFrom", ch), (sc, NIF + "anchorOf", f'"{text[27:]}"'),
        (sc, NIF + "beginIndex", '"27"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        (td.ORG_DARKTRACE, S + "location", td.CITY_CAMBRIDGE),
        (lc, RDF + "type", CKG_NS + "Claim"), (lc, RDF + "subject", td.ORG_DARKTRACE),
        (lc, RDF + "predicate", S + "location"), (lc, RDF + "object", td.CITY_CAMBRIDGE),
        (lc, CKG_NS + "extractor", '"pattern"'),
        # a discovered entity is described in the document's graph; a known one is not
        (new_org.iri, RDF + "type", S + "Organization"),
        (new_org.iri, CKG_NS + "discovered", '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'),
    }
    assert expected <= t, expected - t
    assert not [x for x in t if x[0] == td.ORG_DARKTRACE and x[1] != S + "location"]


def test_a_bare_job_noun_is_described_but_mentioned_by_no_chunk():
    """A bare noun ("lecturers", extractor ``head``) names its claims' role, which the graph describes; no chunk
    ``schema:mentions`` it, so questions do not link to it as an entity the guides name."""
    text = "New lecturers start at £25,000."
    doc = Document("lect", "Lect", text, "cd" * 32, "lect.txt", "text/plain")
    chunks = [Chunk("lect-cdcdcdcd-0000", "lect", 0, 0, len(text), text)]
    role = Entity(ID_BASE + "role/lecturer", "role", "Lecturer", discovered=True)
    extraction = Extraction(mentions=[Mention(role, 4, 13, "lecturers", "head")])
    t = _triples(document_quads(doc, 1, chunks, extraction, known=set()))
    assert (role.iri, "http://www.w3.org/2004/02/skos/core#prefLabel", '"Lecturer"') in t
    assert not [x for x in t if x[1] == "https://schema.org/mentions"]


# ----------------------------------------------------------------------------- researcher queries
def _bench_queries() -> dict[str, str]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_queries", td.ROOT / "bench" / "queries.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.QUERIES


@pytest.mark.parametrize("name", ["salaries_by_city", "employers_by_sector", "skills_by_role",
                                  "claims_with_provenance", "conflicts"])
def test_researcher_queries_answer_on_the_seeds(seeded_runtime, name):
    q = _bench_queries()[name]
    rows = list(seeded_runtime.graph.store.query(q, use_default_graph_as_union=True))
    assert rows, name
    if name == "claims_with_provenance":
        assert len(rows) == sum(seeded_runtime.pipeline.record(d).claims for d in td.SEED_IDS)
    if name == "conflicts":  # the guides disagree on senior pay, and the query says where
        assert [r for r in rows if r["level"] is not None and r["level"].value == "Senior"]
        assert all(r["docA"].value != r["docB"].value for r in rows)
