"""Metadata through the pipeline: manifest record, the guide's graph, kept across re-ingests and rebuilds."""

from __future__ import annotations

import json

from careerkg.graph.vocab import graph_iri

GUIDE = b"ML Jobs in Bath\nSource: https://www.bathjobs.example/ml\n\nSenior ML engineers in Bath earn well.\n"
META_Q = """PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?p ?o WHERE { GRAPH ?g { ?d ?p ?o FILTER(?p IN (dcterms:title, dcterms:publisher, dcterms:source,
                                                     dcterms:issued)) } }"""


def graph_meta(rt, doc_id: str) -> dict[str, str]:
    rows = rt.graph.select(META_Q.replace("GRAPH ?g", f"GRAPH <{graph_iri(doc_id)}>"))
    return {str(r["p"]).rsplit("/", 1)[-1]: str(r["o"]) for r in rows}


def test_found_metadata_in_manifest_and_graph(runtime_factory):
    rt = runtime_factory()
    res = rt.pipeline.ingest_bytes(GUIDE, "bath-ml.txt")
    assert res.status == "added", res.reason
    rec = rt.pipeline.record("bath-ml")
    assert (rec.title, rec.publisher, rec.source_url, rec.issued) == (
        "ML Jobs in Bath", "bathjobs.example", "https://www.bathjobs.example/ml", None)
    assert graph_meta(rt, "bath-ml") == {"title": "ML Jobs in Bath", "publisher": "bathjobs.example",
                                         "source": "https://www.bathjobs.example/ml"}
    saved = json.loads(rt.settings.manifest_path.read_text("utf-8"))["docs"]["bath-ml"]
    assert saved["source_url"] == "https://www.bathjobs.example/ml" and saved["publisher"] == "bathjobs.example"


def test_given_metadata_kept_across_reingest_and_rebuild(runtime_factory):
    rt = runtime_factory()
    p = rt.pipeline
    meta = {"source_url": "https://www.applyo.co.uk/guide", "publisher": "Applyo", "issued": "2026-01-05"}
    assert p.ingest_bytes(GUIDE, "bath-ml.txt", metadata=meta).status == "added"
    assert p.ingest_bytes(GUIDE, "bath-ml.txt").status == "unchanged"
    rec = p.record("bath-ml")
    assert (rec.publisher, rec.source_url, rec.issued, rec.version) == ("Applyo", "https://www.applyo.co.uk/guide",
                                                                        "2026-01-05", 1)
    # a metadata change alone re-ingests at the same version
    res = p.ingest_bytes(GUIDE, "bath-ml.txt", metadata={"title": "Bath ML Guide"})
    assert (res.status, res.version) == ("updated", 1)
    assert p.record("bath-ml").title == "Bath ML Guide"
    assert p.record("bath-ml").publisher == "Applyo"
    assert graph_meta(rt, "bath-ml")["issued"] == "2026-01-05"
    # rebuild keeps what was given
    assert [r.status for r in p.rebuild()] == ["updated"]
    rec = p.record("bath-ml")
    assert (rec.title, rec.publisher, rec.source_url) == ("Bath ML Guide", "Applyo", "https://www.applyo.co.uk/guide")
    # "" clears a given value: the guide's own Source: line is used again
    p.ingest_bytes(GUIDE, "bath-ml.txt", metadata={"source_url": "", "publisher": ""})
    rec = p.record("bath-ml")
    assert (rec.publisher, rec.source_url) == ("bathjobs.example", "https://www.bathjobs.example/ml")


def test_bad_metadata_fails_without_writing(runtime_factory):
    rt = runtime_factory()
    res = rt.pipeline.ingest_bytes(GUIDE, "bath-ml.txt", metadata={"source_url": "javascript:alert(1)"})
    assert res.status == "failed" and "invalid source URL" in res.reason
    assert "bath-ml" not in rt.pipeline.manifest.docs


def test_ingest_paths_reads_sidecars(runtime_factory, tmp_path):
    rt = runtime_factory()
    guide = tmp_path / "bath-ml.txt"
    guide.write_bytes(GUIDE)
    (tmp_path / "bath-ml.meta.json").write_text(json.dumps({"publisher": "Bath Careers", "issued": "2026-02-01"}))
    [res] = rt.pipeline.ingest_paths([guide])
    assert res.status == "added", res.reason
    rec = rt.pipeline.record("bath-ml")
    assert (rec.publisher, rec.issued) == ("Bath Careers", "2026-02-01")
