"""``/entities``: search by label or alias, and entity cards with cited claims and neighbours."""

from __future__ import annotations

from fastapi import APIRouter, Query

from careerkg.api.deps import RuntimeDep
from careerkg.api.schemas import (CitationOut, ClaimOut, EntityCardOut, EntityRow, EntitySearch, EscoLinkOut,
                                  NeighbourOut, SalaryOut, error_responses)
from careerkg.model import ENTITY_KINDS
from careerkg.graph.entities import entity_card, search_entities
from careerkg.graph.esco import link_of, linked_iris
from careerkg.graph.vocab import PREFIXES, slug_of
from careerkg.qa.citations import CitationSet

router = APIRouter(prefix="/entities", tags=["entities"])

_KINDS = "|".join(ENTITY_KINDS)


def _compact(iri: str) -> str:
    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and p != "ckgid":
            return f"{p}:{iri[len(ns):]}"
    return iri


class _Citations:
    """Numbers evidence spans through the one citation layer (:class:`careerkg.qa.citations.CitationSet`):
    only spans that resolve to the document's current text are kept."""

    def __init__(self, pipeline) -> None:
        def title(doc_id: str) -> str:
            rec = pipeline.manifest.docs.get(doc_id)
            return rec.title if rec else doc_id

        self._set = CitationSet(pipeline.text, title)

    @property
    def items(self) -> list[CitationOut]:
        return [CitationOut(id=c.id, doc_id=c.doc_id, title=c.title, chunk_id=c.chunk_id, start=c.start, end=c.end,
                            quote=c.quote) for c in self._set.citations]

    def cite(self, row: dict) -> list[int]:
        doc, start, end, quote = row.get("doc"), row.get("start"), row.get("end"), row.get("quote")
        if not doc or start is None or end is None or quote is None:
            return []
        n = self._set.add(doc, slug_of(row.get("chunk") or ""), int(start), int(end), quote)
        return [] if n is None else [n]


@router.get("", response_model=EntitySearch, summary="Search entities by label or alias",
            responses=error_responses(400))
def search(rt: RuntimeDep,
           kind: str | None = Query(None, pattern=f"^({_KINDS})$", description="role, skill, org, city or sector"),
           q: str | None = Query(None, max_length=200, description="Case-insensitive substring of a label or alias",
                                 examples=["london"]),
           limit: int = Query(50, ge=1, le=500),
           unlinked: bool = Query(False, description="Only roles and skills with no ESCO link")) -> EntitySearch:
    """Entities of a kind (or all) whose label or alias contains ``q``, most mentioned first; with
    ``unlinked=true``, only the roles and skills that have no ESCO link (none found, or an ambiguous one)."""
    with rt.pipeline.lock.read():
        if unlinked:
            linked = linked_iris(rt.graph)
            rows = [r for r in search_entities(rt.graph, kind, q, limit=1_000_000)
                    if r.kind in ("role", "skill") and r.iri not in linked][:limit]
        else:
            rows = search_entities(rt.graph, kind, q, limit=limit)
    out = [EntityRow(iri=r.iri, kind=r.kind, slug=slug_of(r.iri), label=r.label, mentions=r.mentions,
                     url=f"/entities/{r.kind}/{slug_of(r.iri)}") for r in rows]
    return EntitySearch(count=len(out), entities=out)


@router.get("/{kind}/{slug}", response_model=EntityCardOut, summary="An entity card",
            responses=error_responses(404))
def card(rt: RuntimeDep, kind: str, slug: str) -> EntityCardOut:
    """Labels and aliases, facts and salary claims each with citations into the guides, and neighbours
    in the entity network (networkx projection of the graph)."""
    p = rt.pipeline
    with p.lock.read():
        c = entity_card(rt.graph, kind, slug)
        esco = link_of(rt.graph, c.iri) if kind in ("role", "skill") else None
        gen = p.manifest.generation
        neighbours = rt.network.neighbours(c.iri, generation=gen)
        g = rt.network.graph(gen)
        cites = _Citations(p)

        def label(iri: str | None) -> str:
            if not iri:
                return ""
            if iri in g:
                return g.nodes[iri].get("label") or slug_of(iri)
            return _compact(iri) if not iri.startswith("https://w3id.org/careerkg/id/") else slug_of(iri)

        claims = []
        for r in c.claims:
            ids = cites.cite(r)
            if not ids:
                continue
            claims.append(ClaimOut(subject=r["s"], subject_label=label(r["s"]), predicate=r["p"],
                                   predicate_label=_compact(r["p"]), object=str(r["o"]),
                                   object_label=label(str(r["o"])), citations=ids))
        salaries = []
        for r in c.salaries:
            ids = cites.cite(r)
            if not ids:
                continue
            sen = r.get("seniority")
            salaries.append(SalaryOut(role=r["role"], role_label=label(r["role"]),
                                      seniority=sen.rsplit("#", 1)[-1] if isinstance(sen, str) else None,
                                      location=r.get("location"), location_label=label(r.get("location")) or None,
                                      min_value=r.get("min"), max_value=r.get("max"), unit=r.get("unit"),
                                      citations=ids))
    return EntityCardOut(iri=c.iri, kind=c.kind, slug=slug_of(c.iri), label=c.label, aliases=c.aliases,
                         category=c.category, same_as=c.same_as,
                         esco=EscoLinkOut(**esco.__dict__) if esco else None, mentions=c.mentions, claims=claims,
                         salaries=salaries, citations=cites.items,
                         neighbours=[NeighbourOut(iri=n.iri, label=n.label, kind=n.kind, relation=n.relation,
                                                  weight=n.weight) for n in neighbours])
