"""A citable release: a dated snapshot of the graph as N-Quads, with a VoID description (issue 15, item 4).

``careerkg export --release [-o DIR]`` writes ``DIR/careerkg-YYYY-MM-DD/``:

* ``careerkg.nq``: every current named graph (one per guide, the gazetteer, the ontology), N-Quads;
* ``careerkg-history.nq`` (with ``--history``): the kept superseded versions' graphs
  (``.../graph/{doc_id}/v{n}``, see ``ingest/history.py``), apart, so that loading ``careerkg.nq`` alone
  gives exactly the current graph in any SPARQL store;
* ``void.ttl``: a VoID description of the dataset: ``dcterms:issued``, ``void:triples``,
  ``void:entities``, ``ckg``-free counts of documents, entities and claims as ``void:classPartition``s,
  each file as ``void:dataDump`` (with its SHA-256), and the ESCO links as a ``void:Linkset`` whose
  target carries the ESCO version used (``owl:versionInfo``).

The counts are computed on the exported quads themselves (loaded into a fresh in-memory Oxigraph), so a
researcher who loads the files and counts gets the same numbers.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from careerkg.errors import InvalidInput
from careerkg.graph.esco import ESCO_VERSION, SOURCE as ESCO_SOURCE
from careerkg.graph.vocab import ID_BASE, SPARQL_PREFIXES

DATA_FILE = "careerkg.nq"
HISTORY_FILE = "careerkg-history.nq"
VOID_FILE = "void.ttl"
ESCO_DATASET = "http://data.europa.eu/esco"
BASE = "https://w3id.org/careerkg/release/"

#: class -> what a partition counts; entities are our minted resources of these classes
ENTITY_CLASSES = {"schema:Occupation": "roles", "schema:DefinedTerm": "skills", "schema:Organization": "employers",
                  "schema:City": "cities"}
CLAIM_CLASSES = {"ckg:SalaryClaim": "salary claims", "ckg:StatisticClaim": "statistic claims",
                 "ckg:Claim": "claims (relations and statistics)"}

#: How a figure moved between versions, on a release loaded with its history (careerkg.nq + careerkg-history.nq):
#: every senior ML engineer salary in London that one guide stated, per version, with the time each version
#: was current (the current version has no prov times: it is the guide's own graph).
FIGURE_OVER_VERSIONS = """\
PREFIX ckg: <https://w3id.org/careerkg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
SELECT ?version ?from ?until ?min ?max ?quote WHERE {
  GRAPH ?g {
    ?c a ckg:SalaryClaim ; ckg:role <https://w3id.org/careerkg/id/role/machine-learning-engineer> ;
       ckg:seniority ckg:Senior ; ckg:location <https://w3id.org/careerkg/id/city/london> ;
       schema:minValue ?min ; schema:maxValue ?max ; nif:anchorOf ?quote .
    <https://w3id.org/careerkg/id/doc/fintech-ml-roles> ckg:version ?version .
  }
  FILTER(?g = <https://w3id.org/careerkg/graph/fintech-ml-roles> ||
         STRSTARTS(STR(?g), "https://w3id.org/careerkg/graph/fintech-ml-roles/v"))
  OPTIONAL { GRAPH ?g { ?g prov:generatedAtTime ?from ; prov:invalidatedAtTime ?until } }
} ORDER BY ?version
"""

_COUNT_DISTINCT = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}"
_ENTITY = f'?x a ?t . VALUES ?t {{ {" ".join(ENTITY_CLASSES)} skos:Concept }} FILTER(STRSTARTS(STR(?x), "{ID_BASE}"))'
_CLAIM = f'?x a ?t . VALUES ?t {{ {" ".join(CLAIM_CLASSES)} }}'


@dataclass(frozen=True)
class Release:
    """What ``write_release`` wrote, with the counts its VoID states."""

    directory: Path
    issued: str
    quads: int
    documents: int
    entities: int
    claims: int
    esco_links: int
    history_quads: int = 0
    history_graphs: int = 0
    files: dict[str, str] = field(default_factory=dict)  # name -> sha256


def _count(store: ox.Store, pattern: str) -> int:
    res = store.query(SPARQL_PREFIXES + _COUNT_DISTINCT.format(pattern=pattern), use_default_graph_as_union=True)
    return int(next(iter(res))["n"].value)


def dataset_counts(store: ox.Store) -> dict[str, int]:
    """Documents, entities, claims, ESCO links and per-class counts of a dataset (union of its graphs)."""
    counts = {"documents": _count(store, "?x a schema:Article"),
              "entities": _count(store, _ENTITY),
              "claims": _count(store, _CLAIM),
              "esco_links": _count(store, f'?e skos:exactMatch|skos:closeMatch ?x FILTER(STRSTARTS(STR(?x), '
                                          f'"{ESCO_DATASET}/"))')}
    for cls in list(ENTITY_CLASSES) + list(CLAIM_CLASSES):
        counts[cls] = _count(store, f'?x a {cls}' + (f' FILTER(STRSTARTS(STR(?x), "{ID_BASE}"))'
                                                     if cls in ENTITY_CLASSES else ""))
    return counts


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _lit(value, datatype: str | None = None) -> str:
    return str(ox.Literal(str(value), datatype=ox.NamedNode(datatype))) if datatype else str(ox.Literal(str(value)))


def void_turtle(r: Release, counts: dict[str, int], title: str) -> str:
    """The VoID description of a release (Turtle; file names resolve against ``BASE/YYYY-MM-DD/``)."""
    history = r.history_quads > 0
    xsd = "http://www.w3.org/2001/XMLSchema#"
    ds = f"<{BASE}{r.issued}>"
    parts = [f"{ds} a void:Dataset ;",
             f"    dcterms:title {_lit(title)} ;",
             f'    dcterms:issued {_lit(r.issued, xsd + "date")} ;',
             "    dcterms:description \"Roles, skills, employers, cities, sectors and salary and other claims "
             "extracted from UK machine-learning career guides, each claim traced to the exact span of its "
             "evidence (nif:beginIndex/nif:endIndex into the guide's text). One named graph per guide.\" ;",
             "    void:uriSpace \"https://w3id.org/careerkg/id/\" ;",
             "    void:vocabulary <https://w3id.org/careerkg/ontology#>, <https://schema.org/>, "
             "<http://www.w3.org/2004/02/skos/core#>, <http://www.w3.org/ns/prov#>, "
             "<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> ;",
             f"    void:dataDump <{DATA_FILE}> ;",
             f'    void:triples {_lit(r.quads, xsd + "integer")} ;',
             f'    void:entities {_lit(r.entities, xsd + "integer")} ;',
             f'    ckgr:documents {_lit(r.documents, xsd + "integer")} ;',
             f'    ckgr:claims {_lit(r.claims, xsd + "integer")} ;']
    counts = {"schema:Article": r.documents, **counts}
    partitions = [f'[ void:class {cls} ; void:entities {_lit(counts[cls], xsd + "integer")} ]'
                  for cls in ["schema:Article", *ENTITY_CLASSES, *CLAIM_CLASSES]]
    parts.append("    void:classPartition " + ",\n        ".join(partitions) + " ;")
    if history:
        parts.append(f"    void:subset <{BASE}{r.issued}/history> ;")
    parts.append(f"    void:subset <{BASE}{r.issued}/esco-links> .")
    out = [
        "@prefix void: <http://rdfs.org/ns/void#> .", "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix schema: <https://schema.org/> .", "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix ckg: <https://w3id.org/careerkg/ontology#> .", "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .", "@prefix spdx: <http://spdx.org/rdf/terms#> .",
        f"@prefix ckgr: <{BASE}terms#> .", "", *parts, ""]
    for name, sha in sorted(r.files.items()):
        out.append(f"<{name}> spdx:checksum [ spdx:algorithm spdx:checksumAlgorithm_sha256 ; "
                   f"spdx:checksumValue {_lit(sha)} ] .")
    out += ["", f"<{BASE}{r.issued}/esco-links> a void:Linkset ;",
            f"    void:subjectsTarget {ds} ;",
            f"    void:objectsTarget <{ESCO_DATASET}> ;",
            "    void:linkPredicate skos:exactMatch, skos:closeMatch ;",
            f'    void:triples {_lit(r.esco_links, xsd + "integer")} .',
            f"<{ESCO_DATASET}> a void:Dataset ; dcterms:title \"ESCO (European Skills, Competences, Qualifications "
            "and Occupations)\" ;",
            f"    owl:versionInfo {_lit(ESCO_VERSION)} ;",
            f"    rdfs:comment {_lit(f'Labels from {ESCO_SOURCE}; the version is inferred from its concept counts.')} ."]
    if history:
        out += ["", f"<{BASE}{r.issued}/history> a void:Dataset ;",
                "    dcterms:description \"Superseded versions of guides, one named graph each "
                "(https://w3id.org/careerkg/graph/{doc_id}/v{n}) with prov:generatedAtTime, prov:invalidatedAtTime "
                "and prov:wasRevisionOf. Load it beside careerkg.nq to ask how a figure moved between versions.\" ;",
                f"    void:dataDump <{HISTORY_FILE}> ;",
                f'    void:triples {_lit(r.history_quads, xsd + "integer")} ;',
                f'    ckgr:graphs {_lit(r.history_graphs, xsd + "integer")} .']
    out += ["", f"ckgr:documents a rdf:Property ; rdfs:label \"documents\" ; rdfs:comment \"How many guides "
            "(schema:Article) the dataset holds.\" .",
            "ckgr:claims a rdf:Property ; rdfs:label \"claims\" ; rdfs:comment \"How many distinct claim nodes "
            "(ckg:SalaryClaim, ckg:StatisticClaim, ckg:Claim) the dataset holds.\" .",
            "ckgr:graphs a rdf:Property ; rdfs:label \"graphs\" ; rdfs:comment \"How many named graphs.\" ."]
    return (f"@base <{BASE}{r.issued}/> .\n@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
            + "\n".join(out) + "\n")


def write_release(current: bytes, target: Path, *, issued: date | None = None, history: bytes | None = None,
                  title: str = "careerkg knowledge graph", overwrite: bool = False) -> Release:
    """Write a dated release directory under ``target`` and return what it holds.

    Args:
        current: N-Quads of the current graph store (every named graph).
        target: the folder the dated directory ``careerkg-YYYY-MM-DD`` goes in.
        issued: the release date (default: today, UTC).
        history: N-Quads of the kept history graphs, if they are part of the release.
        overwrite: replace a release of the same date.

    Raises:
        InvalidInput: a release of that date exists and ``overwrite`` is false.
    """
    from datetime import datetime, timezone

    day = (issued or datetime.now(timezone.utc).date()).isoformat()
    out = target / f"careerkg-{day}"
    if out.exists() and not overwrite:
        raise InvalidInput(f"{out} exists: a release of {day} was already written (use --overwrite)")
    out.mkdir(parents=True, exist_ok=True)
    store = ox.Store()
    store.load(current, format=ox.RdfFormat.N_QUADS)
    counts = dataset_counts(store)
    _write(out / DATA_FILE, current)
    files = {DATA_FILE: _sha256(out / DATA_FILE)}
    history_quads = history_graphs = 0
    if history is not None:
        hist = ox.Store()
        hist.load(history, format=ox.RdfFormat.N_QUADS)
        history_quads, history_graphs = len(hist), len(list(hist.named_graphs()))
        _write(out / HISTORY_FILE, history)
        files[HISTORY_FILE] = _sha256(out / HISTORY_FILE)
    else:
        (out / HISTORY_FILE).unlink(missing_ok=True)
    r = Release(out, day, len(store), counts["documents"], counts["entities"], counts["claims"], counts["esco_links"],
                history_quads, history_graphs, files)
    _write(out / VOID_FILE, void_turtle(r, counts, title).encode("utf-8"))
    return r
