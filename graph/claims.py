"""The claims layer: every read of claims (salary, relation) with their evidence, for answers and entity cards.

Parameterised SPARQL only (values bound, never pasted). :class:`GraphLookups` serves the answer
composer (claims narrowed by role, level, place ...); :func:`claims_about` and
:func:`salaries_about` serve entity cards (every claim naming one entity).
"""

from __future__ import annotations

from dataclasses import dataclass

from careerkg.graph.store import GraphStore
from careerkg.graph.vocab import CKG, SCHEMA

CHUNK_PREFIX = "https://w3id.org/careerkg/id/chunk/"
DOC_PREFIX = "https://w3id.org/careerkg/id/doc/"

_EVIDENCE = """
  ?claim prov:wasDerivedFrom ?chunk ; nif:beginIndex ?start ; nif:endIndex ?end ; nif:anchorOf ?quote .
  ?chunk dcterms:isPartOf ?d .
"""

SALARY = """
SELECT ?claim ?role ?roleLabel ?seniority ?location ?locLabel ?min ?max ?unit ?currency ?d ?chunk ?start ?end ?quote
WHERE {
  ?claim a ckg:SalaryClaim ; ckg:role ?role ; schema:unitText ?unit .
  %(seniority)s
  %(location)s
  OPTIONAL { ?claim schema:currency ?currency }
  OPTIONAL { ?claim schema:minValue ?min }
  OPTIONAL { ?claim schema:maxValue ?max }
  OPTIONAL { ?role skos:prefLabel ?roleLabel }
""" + _EVIDENCE + "} LIMIT %(limit)d"

# the shape of the salary query: which parts are required (bound to the asked value) or optional
_SENIORITY_ANY = "OPTIONAL { ?claim ckg:seniority ?seniority }"
_SENIORITY_ASKED = "?claim ckg:seniority ?seniority ."
_SENIORITY_NONE = "FILTER NOT EXISTS { ?claim ckg:seniority ?anyLevel }"
_LOCATION_ANY = "OPTIONAL { ?claim ckg:location ?location OPTIONAL { ?location skos:prefLabel ?locLabel } }"
_LOCATION_ASKED = "?claim ckg:location ?location . OPTIONAL { ?location skos:prefLabel ?locLabel }"
_LOCATION_UK_WIDE = ("OPTIONAL { ?claim ckg:location ?location OPTIONAL { ?location skos:prefLabel ?locLabel } } "
                     "FILTER(!BOUND(?location) || ?location = ckg:UK)")

RELATIONS = """
SELECT ?claim ?s ?sLabel ?p ?o ?oLabel ?minMonths ?maxMonths ?d ?chunk ?start ?end ?quote WHERE {
  ?claim a ckg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?s skos:prefLabel ?sLabel }
  OPTIONAL { ?o skos:prefLabel ?oLabel }
  OPTIONAL { ?claim ckg:minMonths ?minMonths }
  OPTIONAL { ?claim ckg:maxMonths ?maxMonths }
""" + _EVIDENCE + "} LIMIT 200"

LOCATED_IN = str(SCHEMA.location)
IN_SECTOR = str(CKG.inSector)
REQUIRES_SKILL = str(CKG.requiresSkill)
TRANSITIONS_TO = str(CKG.transitionsTo)


@dataclass(frozen=True)
class Evidence:
    doc_id: str
    chunk_id: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class SalaryRow:
    role: str
    role_label: str
    seniority: str | None
    location: str | None
    location_label: str | None
    min_value: float | None
    max_value: float | None
    unit: str
    evidence: Evidence
    currency: str = "GBP"  # ISO 4217: a guide's US-dollar table stays in dollars


@dataclass(frozen=True)
class RelationRow:
    subject: str
    subject_label: str
    predicate: str
    object: str
    object_label: str
    min_months: float | None
    max_months: float | None
    evidence: Evidence


def _evidence(r: dict) -> Evidence:
    return Evidence(str(r["d"])[len(DOC_PREFIX):], str(r["chunk"])[len(CHUNK_PREFIX):], int(r["start"]),
                    int(r["end"]), r["quote"])


def _label(iri: str | None, label) -> str:
    if label:
        return str(label)
    if not iri:
        return ""
    tail = iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]
    return {"UK": "the UK", "UKOutsideLondon": "the UK outside London"}.get(tail, tail.replace("-", " ").title())


class GraphLookups:
    """Claims for the structured intents, each with its evidence span."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def salaries(self, role: str | None = None, *, seniority: str | None = None, location: str | None = None,
                 uk_wide: bool = False, general: bool = False, limit: int = 100) -> list[SalaryRow]:
        """Salary claims, narrowed in the query itself (bound values, never pasted text).

        Args:
            role: a role IRI, or None for every role.
            seniority: a ``SENIORITIES`` name: only claims at that level.
            location: a location IRI: only claims there.
            uk_wide: only claims for the UK as a whole (no location, or ``ckg:UK``).
            general: only claims without a seniority (figures for the role in general).
            limit: rows at most (answers show a handful; a large corpus holds thousands).
        """
        bindings: dict = {}
        if role:
            bindings["role"] = role
        if seniority:
            bindings["seniority"] = str(CKG[seniority])
        if location and not uk_wide:
            bindings["location"] = location
        level = _SENIORITY_ASKED if seniority else (_SENIORITY_NONE if general else _SENIORITY_ANY)
        query = SALARY % {"seniority": level,
                          "location": _LOCATION_UK_WIDE if uk_wide else (
                              _LOCATION_ASKED if location else _LOCATION_ANY), "limit": limit}
        rows = []
        for r in self.store.select(query, bindings or None):
            sen = r.get("seniority")
            rows.append(SalaryRow(r["role"], _label(r["role"], r.get("roleLabel")),
                                  sen.rsplit("#", 1)[-1] if sen else None, r.get("location"),
                                  _label(r.get("location"), r.get("locLabel")) if r.get("location") else None,
                                  r.get("min"), r.get("max"), r["unit"], _evidence(r), r.get("currency") or "GBP"))
        return rows

    def relations(self, predicate: str, *, subject: str | None = None, object: str | None = None) -> list[RelationRow]:
        """Claims with this predicate (about one subject and/or object when given)."""
        bindings = {"p": predicate}
        if subject:
            bindings["s"] = subject
        if object:
            bindings["o"] = object
        return [RelationRow(r["s"], _label(r["s"], r.get("sLabel")), r["p"], r["o"], _label(r["o"], r.get("oLabel")),
                            r.get("minMonths"), r.get("maxMonths"), _evidence(r))
                for r in self.store.select(RELATIONS, bindings)]


# -- entity cards: every claim that names one entity --------------------------------------

_CLAIMS = """
SELECT DISTINCT ?e ?claim ?s ?p ?o ?doc ?title ?chunk ?start ?end ?quote WHERE {
  ?claim a ckg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
         prov:wasDerivedFrom ?chunk ; nif:beginIndex ?start ; nif:endIndex ?end ; nif:anchorOf ?quote .
  FILTER(?s = ?e || ?o = ?e)
  ?chunk dcterms:isPartOf ?d . ?d dcterms:title ?title .
  BIND(STRAFTER(STR(?d), "/id/doc/") AS ?doc)
} ORDER BY ?doc ?start
"""

_SALARIES = """
SELECT DISTINCT ?e ?claim ?role ?seniority ?location ?min ?max ?unit ?doc ?title ?chunk ?start ?end ?quote WHERE {
  ?claim a ckg:SalaryClaim ; ckg:role ?role ; schema:unitText ?unit ;
         prov:wasDerivedFrom ?chunk ; nif:beginIndex ?start ; nif:endIndex ?end ; nif:anchorOf ?quote .
  OPTIONAL { ?claim ckg:seniority ?seniority }
  OPTIONAL { ?claim ckg:location ?location }
  OPTIONAL { ?claim schema:minValue ?min }
  OPTIONAL { ?claim schema:maxValue ?max }
  FILTER(?role = ?e || (BOUND(?location) && ?location = ?e))
  ?chunk dcterms:isPartOf ?d . ?d dcterms:title ?title .
  BIND(STRAFTER(STR(?d), "/id/doc/") AS ?doc)
} ORDER BY ?doc ?start
"""


def claims_about(store: GraphStore, iri: str) -> list[dict]:
    """Relation claims whose subject or object is ``iri``, with evidence and document title."""
    return store.select(_CLAIMS, {"e": iri})


def salaries_about(store: GraphStore, iri: str) -> list[dict]:
    """Salary claims for a role ``iri`` or in a place ``iri``, with evidence and document title."""
    return store.select(_SALARIES, {"e": iri})
