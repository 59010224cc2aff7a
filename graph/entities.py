"""Entity search and entity cards, answered from the graph with SPARQL (bound values only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from careerkg.errors import InvalidInput, NotFound
from careerkg.model import ENTITY_KINDS
from careerkg.graph.claims import claims_about, salaries_about
from careerkg.graph.store import GraphStore
from careerkg.graph.vocab import ID_BASE, kind_of, mint

_SEARCH = """
SELECT ?e ?label ?prefix ?q (COUNT(DISTINCT ?ch) AS ?mentions) WHERE {
  ?e skos:prefLabel ?label .
  FILTER(STRSTARTS(STR(?e), STR(?prefix)))
  OPTIONAL { ?e skos:altLabel ?alt }
  FILTER(?q = "" || CONTAINS(LCASE(?label), ?q) || (BOUND(?alt) && CONTAINS(LCASE(?alt), ?q)))
  OPTIONAL { ?ch schema:mentions ?e }
} GROUP BY ?e ?label ?prefix ?q ORDER BY DESC(?mentions) ?label
"""

_LABELS = """
SELECT ?e ?label ?alt ?category ?same WHERE {
  ?e skos:prefLabel ?label .
  OPTIONAL { ?e skos:altLabel ?alt }
  OPTIONAL { ?e ckg:skillCategory ?category }
  OPTIONAL { ?e owl:sameAs ?same }
}
"""

@dataclass(frozen=True)
class EntityRow:
    iri: str
    kind: str
    label: str
    mentions: int


@dataclass
class EntityCard:
    iri: str
    kind: str
    label: str
    aliases: list[str] = field(default_factory=list)
    category: str | None = None
    same_as: str | None = None
    claims: list[dict] = field(default_factory=list)
    salaries: list[dict] = field(default_factory=list)
    mentions: int = 0


def search_entities(store: GraphStore, kind: str | None = None, q: str | None = None,
                    limit: int = 50) -> list[EntityRow]:
    """Entities whose label or alias contains ``q`` (case-insensitive), most mentioned first."""
    if kind and kind not in ENTITY_KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; use one of {', '.join(ENTITY_KINDS)}")
    prefix = f"{ID_BASE}{kind}/" if kind else ID_BASE
    rows = store.select(_SEARCH, {"prefix": prefix, "q": (q or "").strip().lower()})
    out = []
    for r in rows:
        k = kind_of(r["e"])
        if k in ENTITY_KINDS:
            out.append(EntityRow(r["e"], k, r["label"], int(r["mentions"] or 0)))
        if len(out) >= limit:
            break
    return out


def entity_card(store: GraphStore, kind: str, slug: str) -> EntityCard:
    """Labels, aliases, claims and salary claims (with their evidence) of one entity."""
    if kind not in ENTITY_KINDS:
        raise NotFound(f"unknown entity kind {kind!r}")
    iri = mint(kind, slug)
    if iri.rsplit("/", 1)[-1] != slug:
        raise NotFound(f"no entity {kind}/{slug}")
    rows = store.select(_LABELS, {"e": iri})
    if not rows:
        raise NotFound(f"no entity {kind}/{slug}")
    card = EntityCard(iri, kind, rows[0]["label"])
    card.aliases = sorted({r["alt"] for r in rows if r.get("alt")})
    card.category = next((r["category"] for r in rows if r.get("category")), None)
    card.same_as = next((r["same"] for r in rows if r.get("same")), None)
    card.claims = claims_about(store, iri)
    card.salaries = salaries_about(store, iri)
    m = store.select("SELECT ?e (COUNT(DISTINCT ?ch) AS ?n) WHERE { ?ch schema:mentions ?e } GROUP BY ?e", {"e": iri})
    card.mentions = int(m[0]["n"]) if m and m[0].get("n") is not None else 0
    return card
