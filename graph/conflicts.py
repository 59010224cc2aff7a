"""Conflicting salary figures, materialised when a guide is ingested (DESIGN.md §8; issue 13, item 4).

**The rule.** Two salary claims conflict when they come from different guides, are about the same
role, level (or both none), place, period (or both none) and pay basis (``schema:unitText`` YEAR or
DAY, and ``schema:currency``), and state different figures (minimum or maximum). A difference of
scope is not a conflict: London against UK-wide, a senior figure against one for any level, a day
rate against a salary. A claim without a place has an unknown scope and conflicts with nothing.

**The node.** Each conflicting pair is one ``ckg:Conflict`` in the named graph of the guide written
later (the last written of the two, whose ingest found it)::

    ckgid:conflict/{hash of the two claim IRIs} a ckg:Conflict ;
        ckg:between <claim in the earlier guide>, <claim in this guide> ;
        ckg:role <role> ; ckg:location <place> ; schema:unitText "YEAR" ;
        ckg:seniority ckg:Senior ;      # when the claims have a level
        ckg:period "2026" .             # when the claims have a period

and the guide's document node says which rule its conflicts follow: ``ckg:conflictRule "1"``.

**Staying right when the other guide changes.** A conflict node is written with its guide's graph
and replaced or dropped with it; re-ingesting a guide replaces exactly its own graph (DESIGN.md §4).
Claim IRIs are derived from the claim's content (doc, role, level, place, figures, unit, offsets), so
a node names two exact figures, and:

- *the other guide is removed*: the update that drops its graph first deletes the conflict nodes
  other graphs hold about its claims (:func:`release_update`, ``drop_graph(before=...)``), so a
  removed guide leaves no trace;
- *the other guide is re-ingested*: its new graph holds the conflicts of its new claims against
  every current guide (:func:`conflict_quads`), except pairs whose node another current graph
  already holds (a claim that did not change keeps its IRI and its conflicts). A node about a
  claim that changed stays, inert, in the graph that holds it until that guide is next written:
  the ``conflicts`` query (:data:`careerkg.graph.queries.CONFLICTS`) counts a node only while both
  claims are in current graphs with the same currency (the one field a claim IRI does not hash).

So each current pair is held by exactly one graph: the query needs no ``DISTINCT`` and counts what
the pairwise self-join (:data:`careerkg.graph.queries.CONFLICTS_PAIRWISE`) counts.

Every write of a guide's graph (ingest, re-ingest, removal, repair) goes through these functions
under the pipeline's write mutex, so no other graph changes between the lookup and the write. A store written before this rule (no ``ckg:conflictRule`` on a document, or an older
one) is brought up to date once, guide by guide, by :meth:`careerkg.ingest.recovery.Recovery.repair`
when the pipeline opens (``careerkg serve``, ``ingest``, ``repair``; :func:`stale_documents`).

The lookup of the other guides' claims is bound by role and place (a ``VALUES`` block, answered from
Oxigraph's predicate-object index), never a scan of every pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import RDF

from careerkg.model import short_hash
from careerkg.graph.rdf import doc_iri
from careerkg.graph.store import GraphStore
from careerkg.graph.vocab import CKG, GRAPH_BASE, ID_BASE, SCHEMA, graph_iri

#: The version of the conflict rule; a guide whose graph carries another (or none) is recomputed on open.
RULE = "1"
CONFLICT_BASE = ID_BASE + "conflict/"

_TYPE, _SALARY = str(RDF.type), str(CKG.SalaryClaim)
_P = {"role": str(CKG.role), "level": str(CKG.seniority), "location": str(CKG.location),
      "unit": str(SCHEMA.unitText), "currency": str(SCHEMA.currency), "period": str(CKG.period),
      "min": str(SCHEMA.minValue), "max": str(SCHEMA.maxValue)}
_RULE_P = str(CKG.conflictRule)


@dataclass(frozen=True)
class SalaryFigure:
    """One salary claim as the rule sees it: what it is about (:attr:`key`) and its figures."""

    iri: str
    role: str
    location: str
    level: str = ""
    unit: str = "YEAR"
    currency: str = "GBP"
    period: str = ""
    min_value: float | None = None
    max_value: float | None = None

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        """Same key = same role, level, place, period and pay basis."""
        return (self.role, self.level, self.location, self.period, self.unit, self.currency)

    def disagrees_with(self, other: SalaryFigure) -> bool:
        return self.key == other.key and (self.min_value, self.max_value) != (other.min_value, other.max_value)


def conflict_iri(a: str, b: str) -> str:
    """The conflict between two claims (order does not matter): ``.../id/conflict/{hash}``."""
    return CONFLICT_BASE + short_hash(*sorted((a, b)))


def _number(term) -> float | None:
    try:
        return float(term.value)
    except (AttributeError, ValueError):
        return None


def salary_figures(quads: Iterable[ox.Quad]) -> list[SalaryFigure]:
    """The salary claims in ``quads`` that have a place (the others conflict with nothing)."""
    props: dict[str, dict[str, object]] = defaultdict(dict)
    salary: set[str] = set()
    for q in quads:
        if not isinstance(q.subject, ox.NamedNode):
            continue
        s, p = q.subject.value, q.predicate.value
        if p == _TYPE and q.object.value == _SALARY:
            salary.add(s)
        elif p in _P.values():
            props[s].setdefault(p, q.object)
    out = []
    for s in sorted(salary):
        p = props.get(s, {})
        if _P["role"] not in p or _P["location"] not in p:
            continue
        out.append(SalaryFigure(s, p[_P["role"]].value, p[_P["location"]].value,
                                p[_P["level"]].value if _P["level"] in p else "",
                                p[_P["unit"]].value if _P["unit"] in p else "YEAR",
                                p[_P["currency"]].value if _P["currency"] in p else "GBP",
                                p[_P["period"]].value if _P["period"] in p else "",
                                _number(p.get(_P["min"])), _number(p.get(_P["max"]))))
    return out


_LOOKUP = """
SELECT ?g ?c ?r ?loc ?sen ?unit ?cur ?period ?min ?max WHERE {
  VALUES (?r ?loc) { %(keys)s }
  GRAPH ?g { ?c ckg:role ?r ; ckg:location ?loc ; a ckg:SalaryClaim .
    OPTIONAL { ?c ckg:seniority ?sen } OPTIONAL { ?c schema:unitText ?unit } OPTIONAL { ?c schema:currency ?cur }
    OPTIONAL { ?c ckg:period ?period } OPTIONAL { ?c schema:minValue ?min } OPTIONAL { ?c schema:maxValue ?max } }
  FILTER(?g != %(own)s)
}"""

_HELD = """
SELECT DISTINCT ?k WHERE { VALUES ?k { %(nodes)s } GRAPH ?g { ?k a ckg:Conflict } FILTER(?g != %(own)s) }"""

_RELEASE = """DELETE { GRAPH ?h { ?k ?p ?o } } WHERE {
  GRAPH %(g)s { ?c a <%(salary)s> }
  GRAPH ?h { ?k <%(between)s> ?c . ?k a <%(conflict)s> . ?k ?p ?o }
  FILTER(?h != %(g)s)
}"""


def _values(rows: Iterable[tuple[str, ...]]) -> str:
    """Rows of IRIs as a ``VALUES`` body, each term serialised (and validated) by pyoxigraph."""
    return " ".join("(" + " ".join(str(ox.NamedNode(x)) for x in row) + ")" for row in rows)


def _others(store: GraphStore, doc_id: str, mine: list[SalaryFigure]) -> list[SalaryFigure]:
    """Current claims of *other* guides about the same roles and places as ``mine``."""
    keys = sorted({(f.role, f.location) for f in mine})
    own = str(ox.NamedNode(graph_iri(doc_id)))
    out = []
    for i in range(0, len(keys), 200):  # a few VALUES rows at a time keep the query small
        rows = store.select(_LOOKUP % {"keys": _values(keys[i:i + 200]), "own": own})
        for r in rows:
            if not str(r["g"]).startswith(GRAPH_BASE):
                continue
            sen = r.get("sen")
            out.append(SalaryFigure(r["c"], r["r"], r["loc"], str(sen) if sen else "", r.get("unit") or "YEAR",
                                    r.get("cur") or "GBP", r.get("period") or "", r.get("min"), r.get("max")))
    return out


def _held_elsewhere(store: GraphStore, doc_id: str, nodes: list[str]) -> set[str]:
    own = str(ox.NamedNode(graph_iri(doc_id)))
    held: set[str] = set()
    for i in range(0, len(nodes), 500):
        vals = " ".join(str(ox.NamedNode(k)) for k in nodes[i:i + 500])
        held |= {r["k"] for r in store.select(_HELD % {"nodes": vals, "own": own})}
    return held


def node_quads(k: str, a: SalaryFigure, b: SalaryFigure) -> list[ox.Quad]:
    """The triples of one conflict node (in the default graph; the store puts them in the guide's graph)."""
    s = ox.NamedNode(k)
    out = [ox.Quad(s, ox.NamedNode(_TYPE), ox.NamedNode(str(CKG.Conflict))),
           ox.Quad(s, ox.NamedNode(str(CKG.between)), ox.NamedNode(a.iri)),
           ox.Quad(s, ox.NamedNode(str(CKG.between)), ox.NamedNode(b.iri)),
           ox.Quad(s, ox.NamedNode(_P["role"]), ox.NamedNode(a.role)),
           ox.Quad(s, ox.NamedNode(_P["location"]), ox.NamedNode(a.location)),
           ox.Quad(s, ox.NamedNode(_P["unit"]), ox.Literal(a.unit))]
    if a.level:
        out.append(ox.Quad(s, ox.NamedNode(_P["level"]), ox.NamedNode(a.level)))
    if a.period:
        out.append(ox.Quad(s, ox.NamedNode(_P["period"]), ox.Literal(a.period)))
    return out


def find_conflicts(store: GraphStore, doc_id: str, quads: Iterable[ox.Quad]) -> list[tuple[str, SalaryFigure,
                                                                                              SalaryFigure]]:
    """``(conflict IRI, other guide's claim, this guide's claim)`` for each pair this guide must hold:
    its salary claims against the current claims of every other guide in ``store``, less the pairs
    another current graph already holds."""
    mine = salary_figures(quads)
    if not mine:
        return []
    by_key: dict[tuple, list[SalaryFigure]] = defaultdict(list)
    for f in mine:
        by_key[f.key].append(f)
    pairs = {}
    for other in _others(store, doc_id, mine):
        for f in by_key.get(other.key, ()):
            if f.disagrees_with(other):
                pairs[conflict_iri(other.iri, f.iri)] = (other, f)
    held = _held_elsewhere(store, doc_id, sorted(pairs)) if pairs else set()
    return [(k, a, b) for k, (a, b) in sorted(pairs.items()) if k not in held]


def conflict_quads(store: GraphStore, doc_id: str, quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """What a guide's graph adds for conflicts: one node per pair it must hold, and ``ckg:conflictRule``.

    Args:
        store: the graph store holding every *other* guide's current graph (this guide's old graph,
            if any, is ignored).
        doc_id: the guide being written.
        quads: the guide's new graph (without conflict nodes; see :func:`strip_conflicts`).

    Call it under the pipeline's write mutex, just before the guide's graph is replaced, so no other
    guide's graph changes in between.
    """
    quads = list(quads)
    out = [q for k, a, b in find_conflicts(store, doc_id, quads) for q in node_quads(k, a, b)]
    return out + [ox.Quad(ox.NamedNode(doc_iri(doc_id)), ox.NamedNode(_RULE_P), ox.Literal(RULE))]


def release_update(doc_id: str) -> str:
    """The SPARQL update deleting the conflict nodes other graphs hold about the claims in ``doc_id``'s
    graph: run it in the transaction that drops that graph (``drop_graph(graph, before=...)``)."""
    return _RELEASE % {"g": str(ox.NamedNode(graph_iri(doc_id))), "salary": _SALARY, "between": str(CKG.between),
                       "conflict": str(CKG.Conflict)}


def strip_conflicts(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """``quads`` without conflict nodes and without the ``ckg:conflictRule`` marker."""
    return [q for q in quads if not (isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(CONFLICT_BASE))
            and q.predicate.value != _RULE_P]


_STALE = """
SELECT ?g WHERE { GRAPH ?g { ?d a schema:Article ; ckg:sha256 ?sha .
  FILTER NOT EXISTS { ?d ckg:conflictRule ?rule FILTER(STR(?rule) = "%s") } } }""" % RULE


def stale_documents(store: GraphStore) -> list[str]:
    """Doc ids whose graph was written before the current conflict rule (no or another ``ckg:conflictRule``)."""
    return sorted(str(r["g"])[len(GRAPH_BASE):] for r in store.select(_STALE)
                  if str(r["g"]).startswith(GRAPH_BASE))
