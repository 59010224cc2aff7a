"""Six typical researcher queries against the DESIGN.md §4 vocabulary, as constants.

Each query is a complete SPARQL 1.1 string (prefixes declared), so it can be sent as is
to ``POST /sparql``, ``careerkg sparql``, pyoxigraph or rdflib. The default graph is the
union of every named graph (as careerkg serves it); ``GRAPH ?g`` reaches each document.

    >>> from careerkg.graph.queries import QUERIES
    >>> sorted(QUERIES)
    ['claims_with_provenance', 'conflicts', 'employers_by_sector', 'esco_skills_by_occupation', 'salaries_by_city', 'skills_by_role']

Used by ``bench/graph.py`` (Oxigraph vs rdflib), ``bench/scale.py``, ``bench/http_api.py`` (through
``bench/queries.py``) and the SPARQL editor's ready-made examples (``api/web/sparql_examples.py``).
"""

from __future__ import annotations

PREFIXES = """\
PREFIX ckg: <https://w3id.org/careerkg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
"""

#: Every salary figure stated for a city, with role, level, range and unit (cheapest first per city). A place or
#: role found in many guides is labelled in each guide's graph: the labels are read once each, or the union
#: default graph would repeat every figure once per graph labelling its place.
SALARIES_BY_CITY = PREFIXES + """
SELECT ?city ?role ?seniority ?min ?max ?unit WHERE {
  ?c a ckg:SalaryClaim ; ckg:role ?r ; ckg:location ?loc ; schema:unitText ?unit .
  { SELECT DISTINCT ?loc ?city WHERE { ?loc a schema:City ; skos:prefLabel ?city } }
  { SELECT DISTINCT ?r ?role WHERE { ?r skos:prefLabel ?role } }
  OPTIONAL { ?c ckg:seniority ?s . ?s skos:prefLabel ?seniority }
  OPTIONAL { ?c schema:minValue ?min }
  OPTIONAL { ?c schema:maxValue ?max }
} ORDER BY ?city ?unit ?min ?max
"""
# (a place or role found in many guides is labelled in each guide's graph: the labels are read once each, or
# the union default graph would repeat every figure once per graph labelling its place)

#: Employers per sector, with their names and how many cities they are located in.
#: (No GROUP_CONCAT over an OPTIONAL variable: rdflib 7.6 raises NotBoundError on it.)
EMPLOYERS_BY_SECTOR = PREFIXES + """
SELECT ?sector (COUNT(DISTINCT ?org) AS ?employers) (COUNT(DISTINCT ?city) AS ?cities)
       (GROUP_CONCAT(DISTINCT ?name; separator=", ") AS ?names) WHERE {
  ?org ckg:inSector ?sec ; skos:prefLabel ?name .
  ?sec skos:prefLabel ?sector .
  OPTIONAL { ?org schema:location ?city }
} GROUP BY ?sector ORDER BY DESC(?employers) ?sector
"""

#: Skills each role requires, by how many claims (and documents) say so.
SKILLS_BY_ROLE = PREFIXES + """
SELECT ?role ?skill (COUNT(DISTINCT ?c) AS ?claims) (COUNT(DISTINCT ?g) AS ?docs) WHERE {
  GRAPH ?g { ?c a ckg:Claim ; rdf:subject ?r ; rdf:predicate ckg:requiresSkill ; rdf:object ?s }
  ?r skos:prefLabel ?role .
  ?s skos:prefLabel ?skill .
} GROUP BY ?role ?skill ORDER BY ?role DESC(?claims) ?skill
"""

#: Every claim with its provenance: document, chunk, exact span, quote and extractor.
CLAIMS_WITH_PROVENANCE = PREFIXES + """
SELECT ?claim ?type ?doc ?title ?chunk ?start ?end ?quote ?extractor WHERE {
  VALUES ?type { ckg:Claim ckg:SalaryClaim }
  ?claim a ?type ; prov:wasDerivedFrom ?chunk ; nif:beginIndex ?start ; nif:endIndex ?end ;
         nif:anchorOf ?quote ; ckg:extractor ?extractor .
  ?chunk dcterms:isPartOf ?doc .
  ?doc dcterms:title ?title .
} ORDER BY ?doc ?start ?claim
"""

#: Every conflict with both sources: two guides' salary claims about the same role, level (or none), place,
#: period and pay basis with different figures (the rule: :mod:`careerkg.graph.conflicts`). Reads the
#: ``ckg:Conflict`` nodes written at ingest (each pair once), counting a node while both claims are in
#: current graphs with the same currency; ``docA`` is the guide whose graph IRI sorts first.
#: Each sub-select reads one predicate and they are joined on their shared variables: Oxigraph evaluates
#: a sub-select once and hash-joins it, where the same patterns written as one group are joined by an
#: index lookup per row (7x-35x slower here). Labels are DISTINCT: a place NER found is described in every
#: guide's graph that names it, and the pairwise join below repeats a row per copy of its label (2.2x the
#: rows at 1,000 generated guides). Linear in the conflicts, where the pairwise join is quadratic in the
#: claims, but still far from 1 s at 1,000 guides (BENCHMARKS.md, "Materialised conflicts").
CONFLICTS = PREFIXES + """
SELECT ?role ?level ?location ?unit ?docA ?minA ?maxA ?docB ?minB ?maxB WHERE {
  { SELECT ?k ?a WHERE { ?k ckg:between ?a } }
  { SELECT ?k ?b WHERE { ?k ckg:between ?b } }
  { SELECT ?a ?gA WHERE { GRAPH ?gA { ?a a ckg:SalaryClaim } } }
  { SELECT ?b ?gB WHERE { GRAPH ?gB { ?b a ckg:SalaryClaim } } }
  FILTER(STR(?gA) < STR(?gB))
  { SELECT ?a ?curA WHERE { ?a schema:currency ?curA } }
  { SELECT ?b ?curB WHERE { ?b schema:currency ?curB } }
  FILTER(?curA = ?curB)
  { SELECT ?k ?r WHERE { ?k ckg:role ?r } }
  { SELECT ?k ?loc WHERE { ?k ckg:location ?loc } }
  { SELECT ?k ?unit WHERE { ?k schema:unitText ?unit } }
  OPTIONAL { SELECT ?k ?s WHERE { ?k ckg:seniority ?s } }
  OPTIONAL { SELECT ?a ?minA WHERE { ?a schema:minValue ?minA } }
  OPTIONAL { SELECT ?a ?maxA WHERE { ?a schema:maxValue ?maxA } }
  OPTIONAL { SELECT ?b ?minB WHERE { ?b schema:minValue ?minB } }
  OPTIONAL { SELECT ?b ?maxB WHERE { ?b schema:maxValue ?maxB } }
  { SELECT DISTINCT ?r ?role WHERE { ?r skos:prefLabel ?role } }
  { SELECT DISTINCT ?loc ?location WHERE { ?loc skos:prefLabel ?location } }
  BIND(COALESCE(STRAFTER(STR(?s), "#"), "") AS ?level)
  BIND(STRAFTER(STR(?gA), "/graph/") AS ?docA)
  BIND(STRAFTER(STR(?gB), "/graph/") AS ?docB)
} ORDER BY ?role ?level ?location ?docA ?docB
"""

#: The same rows computed pairwise (every salary claim joined with every other in its role, place and unit):
#: the definition :data:`CONFLICTS` is tested against; quadratic (4.4 s at 100 guides, over 210 s at 1,000).
#: It does not compare currency or period (no seed claim differs in those alone).
CONFLICTS_PAIRWISE = PREFIXES + """
SELECT ?role ?level ?location ?unit ?docA ?minA ?maxA ?docB ?minB ?maxB WHERE {
  GRAPH ?gA { ?a a ckg:SalaryClaim ; ckg:role ?r ; ckg:location ?loc ; schema:unitText ?unit .
              OPTIONAL { ?a ckg:seniority ?sa } OPTIONAL { ?a schema:minValue ?minA }
              OPTIONAL { ?a schema:maxValue ?maxA }
              BIND(COALESCE(STRAFTER(STR(?sa), "#"), "") AS ?levelA) }
  GRAPH ?gB { ?b a ckg:SalaryClaim ; ckg:role ?r ; ckg:location ?loc ; schema:unitText ?unit .
              OPTIONAL { ?b ckg:seniority ?sb } OPTIONAL { ?b schema:minValue ?minB }
              OPTIONAL { ?b schema:maxValue ?maxB }
              BIND(COALESCE(STRAFTER(STR(?sb), "#"), "") AS ?levelB) }
  FILTER(STR(?gA) < STR(?gB) && ?levelA = ?levelB)
  FILTER(COALESCE(?minA, -1) != COALESCE(?minB, -1) || COALESCE(?maxA, -1) != COALESCE(?maxB, -1))
  ?r skos:prefLabel ?role .
  ?loc skos:prefLabel ?location .
  BIND(?levelA AS ?level)
  BIND(STRAFTER(STR(?gA), "/graph/") AS ?docA)
  BIND(STRAFTER(STR(?gB), "/graph/") AS ?docB)
} ORDER BY ?role ?level ?location ?docA ?docB
"""

#: Roles linked to an ESCO occupation, the skills the guides say they need and each skill's ESCO concept
#: where it has one: joins our graph to labour-market data through skos:exactMatch/skos:closeMatch.
ESCO_SKILLS_BY_OCCUPATION = PREFIXES + """
SELECT ?occupation ?role ?skill ?escoSkill (COUNT(DISTINCT ?c) AS ?claims) WHERE {
  ?c a ckg:Claim ; rdf:subject ?r ; rdf:predicate ckg:requiresSkill ; rdf:object ?s .
  ?r skos:exactMatch|skos:closeMatch ?occupation ; skos:prefLabel ?role .
  ?s skos:prefLabel ?skill .
  OPTIONAL { ?s skos:exactMatch|skos:closeMatch ?escoSkill }
} GROUP BY ?occupation ?role ?skill ?escoSkill ORDER BY ?role DESC(?claims) ?skill
"""

QUERIES: dict[str, str] = {
    "salaries_by_city": SALARIES_BY_CITY,
    "employers_by_sector": EMPLOYERS_BY_SECTOR,
    "skills_by_role": SKILLS_BY_ROLE,
    "claims_with_provenance": CLAIMS_WITH_PROVENANCE,
    "conflicts": CONFLICTS,
    "esco_skills_by_occupation": ESCO_SKILLS_BY_OCCUPATION,
}
