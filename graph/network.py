"""A networkx projection of the knowledge graph.

Entities are nodes; relations extracted as claims (located in, in sector, requires
skill, transitions to, salary at a location) are edges weighted by how many claims
support them; entities mentioned in the same chunk are joined by weaker
``mentioned_with`` edges. Used for neighbours, paths and central entities.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import networkx as nx

from careerkg.errors import InvalidInput, NotFound
from careerkg.graph.store import GraphStore
from careerkg.graph.vocab import kind_of

_CLAIM_EDGES = """
SELECT ?s ?p ?o (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?c a ckg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
} GROUP BY ?s ?p ?o
"""
_SALARY_EDGES = """
SELECT ?s ?o (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?c a ckg:SalaryClaim ; ckg:role ?s ; ckg:location ?o . ?o a schema:City .
} GROUP BY ?s ?o
"""
_COMENTIONS = """
SELECT ?a ?b (COUNT(DISTINCT ?ch) AS ?n) WHERE {
  ?ch schema:mentions ?a . ?ch schema:mentions ?b . FILTER(STR(?a) < STR(?b))
} GROUP BY ?a ?b
"""
_LABELS = "SELECT ?e ?label WHERE { ?e skos:prefLabel ?label . FILTER(STRSTARTS(STR(?e), \"https://w3id.org/careerkg/id/\")) }"

_REL_NAMES = {
    "https://schema.org/location": "located_in",
    "https://w3id.org/careerkg/ontology#inSector": "in_sector",
    "https://w3id.org/careerkg/ontology#requiresSkill": "requires_skill",
    "https://w3id.org/careerkg/ontology#transitionsTo": "transitions_to",
}


@dataclass(frozen=True)
class Neighbour:
    iri: str
    label: str
    kind: str
    relation: str
    weight: int


class KnowledgeNetwork:
    """Lazily built projection; call :meth:`refresh` after the store changed."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._graph: nx.Graph | None = None
        self._generation = -1
        self._lock = threading.Lock()

    def graph(self, generation: int = 0) -> nx.Graph:
        with self._lock:
            if self._graph is None or generation != self._generation:
                self._graph = self._build()
                self._generation = generation
            return self._graph

    def _build(self) -> nx.Graph:
        g = nx.Graph()
        for row in self.store.select(_LABELS):
            g.add_node(row["e"], label=row["label"], kind=kind_of(row["e"]) or "")

        def add(a, b, rel, n, cost):
            for x in (a, b):
                if x not in g:
                    g.add_node(x, label=x.rsplit("/", 1)[-1], kind=kind_of(x) or "")
            if g.has_edge(a, b) and g[a][b]["relation"] != "mentioned_with":
                g[a][b]["weight"] += n
                return
            g.add_edge(a, b, relation=rel, weight=n, cost=cost / n, source=a)

        for row in self.store.select(_CLAIM_EDGES):
            add(row["s"], row["o"], _REL_NAMES.get(row["p"], row["p"]), int(row["n"]), 1.0)
        for row in self.store.select(_SALARY_EDGES):
            if not self_has_claim_edge(g, row["s"], row["o"]):
                add(row["s"], row["o"], "salary_in", int(row["n"]), 1.0)
        for row in self.store.select(_COMENTIONS):
            a, b = row["a"], row["b"]
            if not g.has_edge(a, b):
                add(a, b, "mentioned_with", int(row["n"]), 4.0)
        return g

    def resolve(self, name: str, generation: int = 0) -> str:
        """An entity IRI from an IRI, a label or an alias-like label (case-insensitive)."""
        g = self.graph(generation)
        if name in g:
            return name
        low = name.strip().lower()
        exact = [n for n, d in g.nodes(data=True) if d.get("label", "").lower() == low]
        if exact:
            return max(exact, key=g.degree)
        partial = [n for n, d in g.nodes(data=True) if low and low in d.get("label", "").lower()]
        if partial:
            return max(partial, key=g.degree)
        raise NotFound(f"no entity called {name!r} in the graph")

    def neighbours(self, iri: str, limit: int = 20, generation: int = 0) -> list[Neighbour]:
        g = self.graph(generation)
        if iri not in g:
            return []
        out = []
        for nb in g.neighbors(iri):
            e, d = g[iri][nb], g.nodes[nb]
            out.append(Neighbour(nb, d.get("label", ""), d.get("kind", ""), e["relation"], e["weight"]))
        out.sort(key=lambda n: (n.relation == "mentioned_with", -n.weight, n.label))
        return out[:limit]

    def path(self, a: str, b: str, generation: int = 0) -> list[tuple[str, str, str]]:
        """Cheapest path from ``a`` to ``b`` as ``(iri, label, relation-to-next)`` steps.

        The relation reads from this step to the next; ``"<-"`` in front of it means the
        claim points the other way (``Python <-requires_skill MLE``).
        """
        g = self.graph(generation)
        try:
            nodes = nx.shortest_path(g, a, b, weight="cost")
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            raise NotFound("no path between these entities") from None
        steps = []
        for i, n in enumerate(nodes):
            rel = ""
            if i + 1 < len(nodes):
                edge = g[n][nodes[i + 1]]
                forward = edge.get("source", n) == n or edge["relation"] == "mentioned_with"
                rel = edge["relation"] if forward else "<-" + edge["relation"]
            steps.append((n, g.nodes[n].get("label", ""), rel))
        return steps

    def central(self, kind: str = "skill", n: int = 10, generation: int = 0) -> list[tuple[str, str, float]]:
        """The ``n`` most central entities of a kind (weighted degree centrality)."""
        g = self.graph(generation)
        if g.number_of_nodes() == 0:
            return []
        if kind not in {d.get("kind") for _, d in g.nodes(data=True)}:
            raise InvalidInput(f"no entities of kind {kind!r}")
        deg = dict(g.degree(weight="weight"))
        total = sum(deg.values()) or 1
        ranked = sorted(((x, d.get("label", ""), deg[x] / total) for x, d in g.nodes(data=True)
                         if d.get("kind") == kind), key=lambda t: -t[2])
        return ranked[:n]


def self_has_claim_edge(g: nx.Graph, a: str, b: str) -> bool:
    return g.has_edge(a, b) and g[a][b]["relation"] != "mentioned_with"
