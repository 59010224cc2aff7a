"""The researcher queries of :mod:`careerkg.graph.queries`, offered as ready-made examples in the SPARQL editor.

Those named in :data:`HISTORY_EXAMPLES` are sent with ``history=true`` (the superseded versions' graphs too).
"""

from __future__ import annotations

from careerkg.graph.queries import (CLAIMS_WITH_PROVENANCE, CONFLICTS, EMPLOYERS_BY_SECTOR,  # noqa: F401
                           ESCO_SKILLS_BY_OCCUPATION, PREFIXES, SALARIES_BY_CITY, SKILLS_BY_ROLE)

#: How each salary figure moved between the versions of a guide: one row per version (kept or current) of
#: every guide that has more than one, with when it was current (``prov:`` times of a kept version).
SALARIES_OVER_VERSIONS = PREFIXES + """# sent with history=true: past versions' graphs (.../graph/{doc_id}/v{n}) join the current ones
SELECT DISTINCT ?guide ?version ?from ?until ?role ?seniority ?city ?min ?max WHERE {
  GRAPH ?g {
    ?doc a schema:Article ; ckg:version ?version .
    ?c a ckg:SalaryClaim ; ckg:role ?r .
    OPTIONAL { ?c ckg:seniority ?s }
    OPTIONAL { ?c ckg:location ?loc }
    OPTIONAL { ?c schema:minValue ?min }
    OPTIONAL { ?c schema:maxValue ?max }
    OPTIONAL { ?g prov:generatedAtTime ?from ; prov:invalidatedAtTime ?until }
  }
  FILTER EXISTS { GRAPH ?other { ?doc ckg:version ?v2 } FILTER(?v2 != ?version) }
  BIND(STRAFTER(STR(?doc), "/doc/") AS ?guide)
  OPTIONAL { ?r skos:prefLabel ?role }
  OPTIONAL { ?s skos:prefLabel ?seniority }
  OPTIONAL { ?loc skos:prefLabel ?city }
} ORDER BY ?guide ?role ?seniority ?city ?version
"""

#: name -> (title, query)
EXAMPLES: dict[str, tuple[str, str]] = {
    'salaries_by_city': ('Salaries by city', SALARIES_BY_CITY),
    'employers_by_sector': ('Employers by sector', EMPLOYERS_BY_SECTOR),
    'skills_by_role': ('Skills each role needs', SKILLS_BY_ROLE),
    'claims_with_provenance': ('Every claim with its provenance', CLAIMS_WITH_PROVENANCE),
    'conflicts': ('Conflicting salary figures', CONFLICTS),
    'esco_skills_by_occupation': ('Skills by ESCO occupation', ESCO_SKILLS_BY_OCCUPATION),
    'salaries_over_versions': ('How salary figures moved between versions (history)', SALARIES_OVER_VERSIONS),
}

#: examples the editor sends with ``history=true``
HISTORY_EXAMPLES = frozenset({"salaries_over_versions"})
