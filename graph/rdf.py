"""Turning a document, its chunks and its extraction into RDF quads (DESIGN.md §4)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from careerkg.model import Chunk, Claim, Document, Entity, Extraction
from careerkg.graph.esco import match as esco_match
from careerkg.graph.vocab import CKG, KIND_CLASS, KIND_SCHEME, NIF, SCHEMA, mint

_IRI: dict[str, ox.NamedNode] = {}


def N(iri) -> ox.NamedNode:
    """A cached pyoxigraph NamedNode."""
    key = str(iri)
    node = _IRI.get(key)
    if node is None:
        node = _IRI[key] = ox.NamedNode(key)
    return node


def lit(value, datatype=None) -> ox.Literal:
    return ox.Literal(str(value), datatype=N(datatype)) if datatype else ox.Literal(str(value))


def integer(value: int) -> ox.Literal:
    return lit(int(value), XSD.integer)


def decimal(value: float) -> ox.Literal:
    return lit(f"{float(value):.2f}", XSD.decimal)


def T(s, p, o) -> ox.Quad:
    return ox.Quad(s if isinstance(s, (ox.NamedNode, ox.BlankNode)) else N(s), N(p), o)


def doc_iri(doc_id: str) -> str:
    return mint("doc", doc_id)


def chunk_iri(chunk_id: str) -> str:
    return mint("chunk", chunk_id)


def claim_iri(doc_id: str, claim: Claim) -> str:
    return mint("claim", f"{doc_id}-{claim.claim_id}")


def entity_quads(e: Entity) -> list[ox.Quad]:
    """Type, labels, scheme, category and sameAs of one entity."""
    s = N(e.iri)
    out = [T(s, RDF.type, N(KIND_CLASS[e.kind])), T(s, SKOS.prefLabel, lit(e.label)), T(s, RDFS.label, lit(e.label))]
    if e.kind in ("role", "skill", "sector"):
        out.append(T(s, RDF.type, N(SKOS.Concept)))
    if e.kind in KIND_SCHEME:
        out.append(T(s, SKOS.inScheme, N(KIND_SCHEME[e.kind])))
    out += [T(s, SKOS.altLabel, lit(a)) for a in e.aliases if a != e.label]
    if e.category:
        out.append(T(s, CKG.skillCategory, lit(e.category)))
    if e.same_as:
        out.append(T(s, OWL.sameAs, N(e.same_as)))
    if e.discovered:
        out.append(T(s, CKG.discovered, lit("true", XSD.boolean)))
    return out + esco_quads(e)


def esco_quads(e: Entity) -> list[ox.Quad]:
    """The ESCO link of a role or skill (``skos:exactMatch``/``skos:closeMatch``, ``ckg:matchConfidence``,
    ``ckg:matchMethod``, and the ESCO concept's ``rdfs:label``); nothing when there is none (graph/esco.py)."""
    m = esco_match(e.kind, e.label, tuple(e.aliases))
    if m is None:
        return []
    s, o = N(e.iri), N(m.iri)
    return [T(s, SKOS[m.relation], o), T(s, CKG.matchConfidence, decimal(m.confidence)),
            T(s, CKG.matchMethod, lit(m.method)), T(o, RDFS.label, lit(m.label))]


def _provenance(c: N, claim: Claim) -> list[ox.Quad]:
    return [
        T(c, PROV.wasDerivedFrom, N(chunk_iri(claim.chunk_id))),
        T(c, NIF.beginIndex, integer(claim.start)),
        T(c, NIF.endIndex, integer(claim.end)),
        T(c, NIF.anchorOf, lit(claim.evidence)),
        T(c, CKG.extractor, lit(claim.extractor)),
    ]


def claim_quads(doc_id: str, claim: Claim) -> list[ox.Quad]:
    """A salary claim node, or a plain triple plus its reified ``ckg:Claim`` node."""
    c = N(claim_iri(doc_id, claim))
    if claim.kind == "salary":
        out = [T(c, RDF.type, N(CKG.SalaryClaim)), T(c, RDF.type, N(SCHEMA.MonetaryAmount)),
               T(c, CKG.role, N(claim.subject)), T(c, SCHEMA.currency, lit(claim.currency)),
               T(c, SCHEMA.unitText, lit(claim.unit or "YEAR"))]
        if claim.seniority:
            out.append(T(c, CKG.seniority, N(CKG[claim.seniority])))
        if claim.location:
            out.append(T(c, CKG.location, N(claim.location)))
        if claim.min_value is not None:
            out.append(T(c, SCHEMA.minValue, decimal(claim.min_value)))
        if claim.max_value is not None:
            out.append(T(c, SCHEMA.maxValue, decimal(claim.max_value)))
        return out + _provenance(c, claim)
    if claim.kind == "statistic":
        return statistic_quads(c, claim) + _provenance(c, claim)
    out = []
    if claim.object is not None:
        out.append(T(claim.subject, claim.predicate, N(claim.object)))
    out += [T(c, RDF.type, N(CKG.Claim)), T(c, RDF.subject, N(claim.subject)),
            T(c, RDF.predicate, N(claim.predicate))]
    if claim.object is not None:
        out.append(T(c, RDF.object, N(claim.object)))
    if claim.min_months is not None:
        out.append(T(c, CKG.minMonths, decimal(claim.min_months)))
    if claim.max_months is not None:
        out.append(T(c, CKG.maxMonths, decimal(claim.max_months)))
    return out + _provenance(c, claim)


def statistic_quads(c: ox.NamedNode, claim: Claim) -> list[ox.Quad]:
    """A ``ckg:StatisticClaim`` (also ``schema:Observation`` and ``ckg:Claim``, without ``rdf:subject``):
    value, unit, what it measures, place, period."""
    out = [T(c, RDF.type, N(CKG.StatisticClaim)), T(c, RDF.type, N(SCHEMA.Observation)), T(c, RDF.type, N(CKG.Claim)),
           T(c, SCHEMA.value, decimal(claim.value)), T(c, SCHEMA.unitText, lit(claim.unit or "COUNT"))]
    if claim.max_value is not None:
        out += [T(c, SCHEMA.minValue, decimal(claim.value)), T(c, SCHEMA.maxValue, decimal(claim.max_value))]
    if claim.measures:
        out.append(T(c, CKG.measures, lit(claim.measures)))
    out += [T(c, CKG.measures, N(iri)) for iri in claim.about]
    if claim.location:
        out.append(T(c, CKG.location, N(claim.location)))
    if claim.period:
        out.append(T(c, CKG.period, lit(claim.period)))
    return out


def document_quads(doc: Document, version: int, chunks: list[Chunk], extraction: Extraction,
                   known: Iterable[str] = ()) -> list[ox.Quad]:
    """Everything a document contributes to its named graph.

    Args:
        doc: the loaded document.
        version: its version number in the manifest.
        chunks: its chunks (for ``ckg:Chunk`` nodes and mentions).
        extraction: mentions and claims.
        known: IRIs already described elsewhere (the gazetteer graph); other
            entities (discovered by NER/patterns) are described in this graph.
    """
    known = set(known)
    d = N(doc_iri(doc.doc_id))
    out = [T(d, RDF.type, N(SCHEMA.Article)), T(d, DCTERMS.title, lit(doc.title)),
           T(d, CKG.sha256, lit(doc.sha256)), T(d, CKG.version, integer(version)),
           T(d, DCTERMS.format, lit(doc.media_type))]
    out += document_metadata_quads(doc)
    for ch in chunks:
        c = N(chunk_iri(ch.chunk_id))
        out += [T(c, RDF.type, N(CKG.Chunk)), T(c, DCTERMS.isPartOf, d),
                T(c, NIF.beginIndex, integer(ch.start)), T(c, NIF.endIndex, integer(ch.end))]
    described: set[str] = set()
    seen: set[tuple[str, str]] = set()
    for m in extraction.mentions:
        e = m.entity
        if e.iri not in known and e.iri not in described:
            described.add(e.iri)
            out += entity_quads(e)
        ch = _chunk_for(chunks, m.start, m.end)
        if m.extractor == "head":
            continue  # a bare job noun ("lecturers") names its sentence's claims, not an entity questions link to
        if ch is not None and (ch.chunk_id, e.iri) not in seen:
            seen.add((ch.chunk_id, e.iri))
            out.append(T(chunk_iri(ch.chunk_id), SCHEMA.mentions, N(e.iri)))
    for claim in extraction.claims:
        out += claim_quads(doc.doc_id, claim)
    return list(dict.fromkeys(out))


def document_metadata_quads(doc: Document) -> list[ox.Quad]:
    """``dcterms:source`` (the source URL as an IRI, else the file name as a literal),
    ``dcterms:publisher`` and ``dcterms:issued`` (``xsd:date``) where known."""
    d = N(doc_iri(doc.doc_id))
    source_url = getattr(doc, "source_url", None)
    try:
        ox.NamedNode(source_url or "x:")
    except ValueError:  # not a valid IRI after all: keep it as text
        source_url = None
    out = [T(d, DCTERMS.source, N(source_url) if source_url else lit(doc.source_name))]
    if source_url:
        out.append(T(d, SCHEMA.url, N(source_url)))
    if getattr(doc, "publisher", None):
        out.append(T(d, DCTERMS.publisher, lit(doc.publisher)))
    if getattr(doc, "issued", None):
        out.append(T(d, DCTERMS.issued, lit(doc.issued, XSD.date)))
    return out


def _chunk_for(chunks: list[Chunk], start: int, end: int) -> Chunk | None:
    for ch in chunks:
        if ch.start <= start and end <= ch.end:
            return ch
    return None
