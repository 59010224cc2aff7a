"""The researcher queries of :mod:`careerkg.graph.queries`, offered as ready-made examples in the SPARQL editor."""

from __future__ import annotations

from careerkg.graph.queries import (CLAIMS_WITH_PROVENANCE, CONFLICTS, EMPLOYERS_BY_SECTOR,  # noqa: F401
                           ESCO_SKILLS_BY_OCCUPATION, PREFIXES, SALARIES_BY_CITY, SKILLS_BY_ROLE)

#: name -> (title, query)
EXAMPLES: dict[str, tuple[str, str]] = {
    'salaries_by_city': ('Salaries by city', SALARIES_BY_CITY),
    'employers_by_sector': ('Employers by sector', EMPLOYERS_BY_SECTOR),
    'skills_by_role': ('Skills each role needs', SKILLS_BY_ROLE),
    'claims_with_provenance': ('Every claim with its provenance', CLAIMS_WITH_PROVENANCE),
    'conflicts': ('Conflicting salary figures', CONFLICTS),
    'esco_skills_by_occupation': ('Skills by ESCO occupation', ESCO_SKILLS_BY_OCCUPATION),
}
