"""RDF vocabulary: the ``ckg:`` namespace, prefixes (bound once) and IRI minting.

>>> mint("org", "Weights & Biases")
'https://w3id.org/careerkg/id/org/weights-biases'
>>> str(CKG.SalaryClaim)
'https://w3id.org/careerkg/ontology#SalaryClaim'
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace, Namespace

ONTOLOGY_PATH = Path(__file__).with_name("ontology.ttl")

BASE = "https://w3id.org/careerkg/"
ID_BASE = BASE + "id/"
GRAPH_BASE = BASE + "graph/"
ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"
GAZETTEER_GRAPH = GRAPH_BASE + "gazetteer"


class CKG(DefinedNamespace):
    """The careerkg ontology (``https://w3id.org/careerkg/ontology#``); unknown terms raise."""

    _fail = True
    _NS = Namespace("https://w3id.org/careerkg/ontology#")

    # classes and concept schemes
    Chunk: URIRef
    Claim: URIRef
    SalaryClaim: URIRef
    StatisticClaim: URIRef
    Conflict: URIRef
    Seniority: URIRef
    Region: URIRef
    Roles: URIRef
    Skills: URIRef
    Sectors: URIRef
    # properties
    role: URIRef
    seniority: URIRef
    location: URIRef
    skillCategory: URIRef
    inSector: URIRef
    requiresSkill: URIRef
    transitionsTo: URIRef
    citedAsSource: URIRef
    minMonths: URIRef
    maxMonths: URIRef
    sha256: URIRef
    version: URIRef
    extractor: URIRef
    discovered: URIRef
    measures: URIRef
    period: URIRef
    matchConfidence: URIRef
    matchMethod: URIRef
    between: URIRef
    conflictRule: URIRef
    # individuals
    Junior: URIRef
    Mid: URIRef
    Senior: URIRef
    Lead: URIRef
    Principal: URIRef
    Contractor: URIRef
    UK: URIRef
    UKOutsideLondon: URIRef


SCHEMA = Namespace("https://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
CKG_NS = str(CKG._NS)

PREFIXES: dict[str, str] = {
    "ckg": CKG_NS,
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "nif": str(NIF),
    "ckgid": ID_BASE,
}

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

KIND_CLASS: dict[str, str] = {
    "role": str(SCHEMA.Occupation),
    "skill": str(SCHEMA.DefinedTerm),
    "org": str(SCHEMA.Organization),
    "city": str(SCHEMA.City),
    "sector": str(SKOS.Concept),
}
KIND_SCHEME: dict[str, str] = {"role": str(CKG.Roles), "skill": str(CKG.Skills), "sector": str(CKG.Sectors)}


def slugify(text: str) -> str:
    """Lower-case ASCII slug: ``"Rolls-Royce plc"`` -> ``"rolls-royce-plc"``."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-")
    return slug or "x"


def mint(kind: str, name: str) -> str:
    """The resource IRI ``https://w3id.org/careerkg/id/{kind}/{slug}``."""
    return f"{ID_BASE}{kind}/{slugify(name)}"


def graph_iri(doc_id: str) -> str:
    """The named graph holding everything extracted from one document."""
    return GRAPH_BASE + doc_id


def kind_of(iri: str) -> str | None:
    """``kind`` of a minted resource IRI, else ``None``."""
    if not iri.startswith(ID_BASE):
        return None
    return iri[len(ID_BASE):].split("/", 1)[0]


def slug_of(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def bind_prefixes(graph) -> None:
    """Bind the project prefixes on an rdflib graph/dataset."""
    for p, iri in PREFIXES.items():
        graph.bind(p, iri, override=True)
