"""The gazetteer: known roles, skills, employers, cities and sectors, from ``gazetteer.yaml``.

>>> gaz = load_gazetteer()
>>> gaz.by_alias("MLE")[0].label
'Machine Learning Engineer'
>>> gaz.get("https://w3id.org/careerkg/id/city/london").same_as
'http://www.wikidata.org/entity/Q84'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from careerkg.model import ENTITY_KINDS, Entity
from careerkg.graph.vocab import mint

GAZETTEER_PATH = Path(__file__).with_name("gazetteer.yaml")

# YAML section -> entity kind
_SECTIONS: dict[str, str] = {"roles": "role", "skills": "skill", "orgs": "org", "cities": "city",
                             "sectors": "sector"}
_NO_PLURAL_ENDINGS = ("s", "ing", "ence", "background", "ics")


@dataclass(frozen=True)
class SurfaceForm:
    """One string the linker looks for, and how to match it.

    Attributes:
        text: the alias as written.
        iri: the entity it names.
        case_sensitive: match the exact capitalisation only.
        ambiguous: also an English word or letter (``Go``, ``R``): needs a context check.
    """

    text: str
    iri: str
    case_sensitive: bool
    ambiguous: bool


def _plural(alias: str) -> str | None:
    """Plural of a role alias (``ML engineer`` -> ``ML engineers``), or None."""
    if alias.lower().endswith(_NO_PLURAL_ENDINGS):
        return None
    return alias + "s"


class Gazetteer:
    """Entities from the gazetteer file, indexed by IRI and by alias.

    Args:
        entities: the entities.
        forms: every surface form to match (labels, aliases, generated plurals).
        not_org_names: lower-cased names that must never be discovered as organisations.
        not_org_words: lower-cased words that disqualify a discovered organisation name.
    """

    def __init__(self, entities: list[Entity], forms: list[SurfaceForm],
                 not_org_names: frozenset[str] = frozenset(),
                 not_org_words: frozenset[str] = frozenset()) -> None:
        self.entities: tuple[Entity, ...] = tuple(entities)
        self.forms: tuple[SurfaceForm, ...] = tuple(forms)
        self.not_org_names = not_org_names
        self.not_org_words = not_org_words
        self._by_iri: dict[str, Entity] = {e.iri: e for e in entities}
        self._by_alias: dict[str, list[Entity]] = {}
        for f in forms:
            bucket = self._by_alias.setdefault(f.text.lower(), [])
            ent = self._by_iri[f.iri]
            if ent not in bucket:
                bucket.append(ent)

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self):
        return iter(self.entities)

    def __contains__(self, iri: object) -> bool:
        return iri in self._by_iri

    def get(self, iri: str) -> Entity | None:
        """The entity with this IRI, or None."""
        return self._by_iri.get(iri)

    def by_alias(self, name: str, kind: str | None = None) -> list[Entity]:
        """Entities whose label or alias equals ``name`` (case-insensitive)."""
        found = self._by_alias.get(name.strip().lower(), [])
        return [e for e in found if kind is None or e.kind == kind]

    def of_kind(self, kind: str) -> list[Entity]:
        """All entities of one kind (role, skill, org, city, sector)."""
        return [e for e in self.entities if e.kind == kind]

    def search(self, query: str, kind: str | None = None, limit: int = 20) -> list[Entity]:
        """Entities whose label or an alias matches ``query``: exact, then prefix, then substring.

        Args:
            query: text to look for (case-insensitive); empty lists every entity.
            kind: restrict to one entity kind.
            limit: maximum number of results.

        Returns:
            Entities, best match first, ties by label.
        """
        q = query.strip().lower()
        scored: list[tuple[int, str, Entity]] = []
        for e in self.entities:
            if kind is not None and e.kind != kind:
                continue
            names = [e.label.lower(), *(a.lower() for a in e.aliases)]
            if not q:
                rank = 3
            elif q in names:
                rank = 0
            elif any(n.startswith(q) for n in names):
                rank = 1
            elif any(q in n for n in names):
                rank = 2
            else:
                continue
            scored.append((rank, e.label.lower(), e))
        scored.sort(key=lambda t: (t[0], t[1]))
        return [e for _, _, e in scored[:limit]]


def _entry_forms(entry: dict, kind: str, iri: str) -> list[SurfaceForm]:
    label = str(entry["label"])
    aliases = [str(a) for a in entry.get("aliases") or []]
    exact = {str(a) for a in entry.get("exact") or []}
    nocase = {str(a) for a in entry.get("nocase") or []}
    all_cs = bool(entry.get("case_sensitive", False))
    ambiguous = bool(entry.get("ambiguous", False))
    texts = [label, *aliases]
    if kind == "role":
        texts += [p for p in (_plural(t) for t in texts) if p]
    forms, seen = [], set()
    for t in texts:
        base = t[:-1] if kind == "role" and t not in aliases and t != label else t
        cs = all_cs or base in exact or t in exact or (len(base) <= 3 and base not in nocase)
        key = (t, cs)
        if key not in seen:
            seen.add(key)
            forms.append(SurfaceForm(t, iri, cs, ambiguous))
    if kind in ("skill", "role", "sector"):  # "infrastructure as code" is also written "infrastructure-as-code"
        for f in list(forms):
            joined = f.text.replace(" ", "-")
            if joined != f.text and (joined, f.case_sensitive) not in seen:
                seen.add((joined, f.case_sensitive))
                forms.append(SurfaceForm(joined, iri, f.case_sensitive, ambiguous))
    return forms


def parse_gazetteer(data: dict) -> Gazetteer:
    """Build a :class:`Gazetteer` from the parsed YAML mapping.

    Raises:
        ValueError: on an entry without a label or a duplicate IRI within a kind.
    """
    entities: list[Entity] = []
    forms: list[SurfaceForm] = []
    seen: set[str] = set()
    for section, kind in _SECTIONS.items():
        assert kind in ENTITY_KINDS
        for entry in data.get(section) or []:
            if not entry or not entry.get("label"):
                raise ValueError(f"gazetteer: entry without label in {section}: {entry!r}")
            label = str(entry["label"])
            iri = mint(kind, label)
            if iri in seen:
                raise ValueError(f"gazetteer: duplicate {kind} {label!r}")
            seen.add(iri)
            aliases = tuple(dict.fromkeys(str(a) for a in entry.get("aliases") or [] if str(a) != label))
            entities.append(Entity(iri=iri, kind=kind, label=label, aliases=aliases,
                                   category=entry.get("category") if kind == "skill" else None,
                                   same_as=entry.get("same_as") if kind == "city" else None))
            forms.extend(_entry_forms(entry, kind, iri))
    stop = data.get("not_orgs") or {}
    return Gazetteer(entities, forms,
                     frozenset(str(n).lower() for n in stop.get("names") or []),
                     frozenset(str(w).lower() for w in stop.get("stop_words") or []))


@lru_cache(maxsize=4)
def load_gazetteer(path: str | None = None) -> Gazetteer:
    """The gazetteer from ``path`` (default: ``graph/gazetteer.yaml``), loaded once and cached."""
    p = Path(path) if path else GAZETTEER_PATH
    with p.open(encoding="utf-8") as fh:
        return parse_gazetteer(yaml.safe_load(fh) or {})
