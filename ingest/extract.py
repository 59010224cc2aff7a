"""Extraction: entity mentions and claims of one document (DESIGN.md §1, §4).

``Extractor.extract(doc, chunks)`` links entities with the shared :class:`EntityLinker`
(gazetteer + NER + patterns), then derives claims, each with the exact evidence span
(``doc.text[start:end] == evidence``) and the chunk holding it:

============== ================================ ======================================
kind           subject -> object                predicate
============== ================================ ======================================
salary         role (amount fields on Claim)    ``ckg:role``
located_in     org -> city                      ``schema:location``
in_sector      org -> sector                    ``ckg:inSector``
requires_skill role -> skill                    ``ckg:requiresSkill``
transition     role -> role (+ months)          ``ckg:transitionsTo``
statistic      value, unit, what it measures    ``ckg:measures`` (ingest/statistics.py)
============== ================================ ======================================

Extractor names on claims: ``table``, ``list``, ``prose``, ``card`` (salaries, skills),
``sentence``/``table``/``card`` (statistics),
``pattern`` (cue-word rules), ``section`` (org under a sector heading).
"""

from __future__ import annotations

from collections import Counter
from functools import cached_property

from careerkg.model import Chunk, Claim, Document, Entity, Extraction, Mention
from careerkg.graph.linker import EntityLinker, get_linker
from careerkg.graph.vocab import mint
from careerkg.ingest.layout import Layout
from careerkg.ingest.relations import CAREER_CHANGER, RelationExtractor
from careerkg.ingest.roles import RoleFinder
from careerkg.ingest.salary import SalaryExtractor
from careerkg.ingest.skills import SkillFinder
from careerkg.ingest.statistics import StatisticExtractor

DEFAULT_MAIN_ROLE = mint("role", "Machine Learning Engineer")


def chunk_for(chunks: list[Chunk], start: int, end: int) -> str:
    """Id of the first chunk fully containing ``[start, end)``, else the one overlapping most.

    Returns:
        The chunk id, or ``""`` when no chunk overlaps the span.
    """
    best, best_overlap = "", 0
    for ch in chunks:
        if ch.start <= start and end <= ch.end:
            return ch.chunk_id
        overlap = min(end, ch.end) - max(start, ch.start)
        if overlap > best_overlap:
            best, best_overlap = ch.chunk_id, overlap
    return best


def main_role(mentions: list[Mention]) -> str | None:
    """The role a guide is about: its most-mentioned known role (ties: Machine Learning Engineer first), or
    when it names none, its most-mentioned discovered title ("Java developer"); a bare job noun ("lecturers")
    is no guide's main role."""
    roles = [m for m in mentions if m.entity.kind == "role" and m.entity.iri != CAREER_CHANGER and m.extractor != "head"]
    counts = Counter(m.entity.iri for m in roles if not m.entity.discovered) or Counter(m.entity.iri for m in roles)
    if not counts:
        return None
    top = max(counts.values())
    tied = [iri for iri, n in counts.items() if n == top]
    return DEFAULT_MAIN_ROLE if DEFAULT_MAIN_ROLE in tied else tied[0]


class Extractor:
    """Mentions and claims of a document.

    Args:
        linker: the entity linker (default: the process-wide :func:`careerkg.graph.linker.get_linker`).
    """

    def __init__(self, linker: EntityLinker | None = None) -> None:
        self.linker = linker or get_linker()

    @cached_property
    def _role_heads(self) -> frozenset[str]:
        """The last word of every known role's label, lower case ("engineer", "scientist")."""
        return frozenset(e.label.split()[-1].lower() for e in self.linker.gazetteer.of_kind("role"))

    def extract(self, doc: Document, chunks: list[Chunk]) -> Extraction:
        """Link entities (gazetteer, NER, patterns, skills named in skill contexts) and extract claims.

        Args:
            doc: the loaded document.
            chunks: its chunks (doc offsets), used to set each claim's ``chunk_id``.

        Returns:
            The :class:`Extraction`; empty for an empty text.
        """
        text = doc.text
        mentions = self.linker.link(text, discover=True)
        if not text.strip():
            return Extraction()
        layout = Layout(text)  # a guide no list or NER entity names may still state skills and figures
        found = SkillFinder(text, layout, mentions, self.linker.gazetteer).find()
        found += RoleFinder(text, mentions + found, self._role_heads).find()
        if found:
            mentions = sorted(mentions + found, key=lambda m: (m.start, -m.end))
        role = main_role(mentions)
        if role is None and doc.title:  # a guide whose text names no role is about the role its title names
            role = main_role(self.linker.link(doc.title, discover=False))

        def chunk_of(s: int, e: int) -> str:
            return chunk_for(chunks, s, e)

        salary = SalaryExtractor(text, layout, mentions, role, chunk_of)
        claims = salary.extract()
        claims += RelationExtractor(text, layout, mentions, role, chunk_of).extract()
        claims += StatisticExtractor(text, layout, mentions, chunk_of, salary.used).extract()
        return Extraction(mentions=mentions + self._cities_in_names(mentions, claims), claims=claims)

    def _cities_in_names(self, mentions: list[Mention], claims: list[Claim]) -> list[Mention]:
        """A mention of each city that claims name only inside an institution's name ("Manchester" of
        "Manchester University NHS Foundation Trust"), so that the city is described in the guide's graph."""
        from careerkg.graph.places import city_in_name

        named = {m.entity.iri for m in mentions}
        wanted = {c.object for c in claims if c.kind == "located_in"} | {c.location for c in claims if c.location}
        out, done = [], set()
        for m in mentions:
            found = city_in_name(m.entity.label) if m.entity.kind == "org" else None
            if found is None:
                continue
            iri = mint("city", found[0])
            at = m.surface.find(found[1])
            if iri in named or iri in done or iri not in wanted or at < 0:
                continue
            done.add(iri)
            ent = self.linker.entity(iri) or Entity(iri=iri, kind="city", label=found[0], discovered=True)
            out.append(Mention(ent, m.start + at, m.start + at + len(found[1]), found[1], "name"))
        return out
