"""Guide history: a re-ingest keeps the superseded version's claims and text (issue 15, item 2).

Where history lives: the current graphs stay in the graph store (one named graph per guide, their
union is the default graph every answer and SPARQL query reads); a superseded version's graph is
copied, before the switch, into a second embedded Oxigraph store, the *versions store*
(``DATA_DIR/versions``), as ``https://w3id.org/careerkg/graph/{doc_id}/v{n}``, with

- ``prov:generatedAtTime`` (when it became current), ``prov:invalidatedAtTime`` (when a new version or
  the guide's removal superseded it), ``prov:wasRevisionOf`` the version it revised, and
  ``prov:specializationOf`` the guide's graph ``.../graph/{doc_id}``.

Keeping history apart is what keeps it out of current answers at no cost: filtering the default graph to
"current graphs only" (pyoxigraph ``default_graph=[...]``) made a claim lookup ~100x slower at 500
guides (815 ms against 7.9 ms for the union), and filters in every claim query would be easy to forget.
The superseded version's text, source and unit vectors stay under ``texts/``, ``sources/``, ``units/``
(named by their sha256), so its citations still resolve (``GET /documents/{id}/text?version=N``).

Crash safety: the manifest is the only commit point. The version graph is written before the manifest
switch; until the manifest names it (``Manifest.history``), :meth:`History.repair` treats it as an orphan
and drops it. Pruning (``CAREERKG_HISTORY_VERSIONS``) removes versions from the manifest first and their
graphs and files afterwards, so a crash in between leaves only orphans that repair removes.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF, XSD

from careerkg.errors import NotFound
from careerkg.model import ClaimChanges
from careerkg.settings import Settings
from careerkg.graph.changes import claim_iris, diff_claims, label_query
from careerkg.graph.rdf import N, T, lit
from careerkg.graph.store import GraphStore, OxigraphStore
from careerkg.graph.vocab import GRAPH_BASE, graph_iri
from careerkg.ingest.manifest import DocRecord, Manifest, VersionRecord

log = logging.getLogger("careerkg.ingest")


def version_graph(doc_id: str, version: int) -> str:
    """The named graph of a superseded version: ``https://w3id.org/careerkg/graph/{doc_id}/v{version}``."""
    return f"{graph_iri(doc_id)}/v{version}"


def parse_version_graph(iri: str) -> tuple[str, int] | None:
    """``(doc_id, version)`` of a version graph IRI, else None."""
    if not iri.startswith(GRAPH_BASE):
        return None
    doc_id, _, tail = iri[len(GRAPH_BASE):].rpartition("/v")
    return (doc_id, int(tail)) if doc_id and "/" not in doc_id and tail.isdigit() else None


def _time(iso: str) -> ox.Literal:
    return lit(iso, XSD.dateTime)


class History:
    """The superseded versions of guides: their graphs (versions store), records (manifest) and files.

    Args:
        settings: data dir and ``history_versions`` (versions kept per guide; 0 = none).
        graph: the current graphs (read: the version being superseded, labels).
        manifest: the manifest the pipeline commits with.
    """

    def __init__(self, settings: Settings, graph: GraphStore, manifest: Manifest) -> None:
        self.settings = settings
        self.data_dir = settings.data_dir
        self.graph = graph
        self.manifest = manifest
        self._store: OxigraphStore | None = None
        self._opening = threading.Lock()  # a reader (as-of answers) and the writer may both open it first

    # ------------------------------------------------------------------ the versions store
    @property
    def store(self) -> OxigraphStore:
        """The versions store, opened on first use (a data dir without history never creates it)."""
        with self._opening:
            if self._store is None:
                self._store = OxigraphStore(self.settings.versions_dir)
            return self._store

    def _has_store(self) -> bool:
        return self._store is not None or self.settings.versions_dir.is_dir()

    # ------------------------------------------------------------------ reading
    def records(self, doc_id: str) -> list[VersionRecord]:
        """The kept superseded versions of a guide, oldest first."""
        return list(self.manifest.history.get(doc_id, []))

    def kept_shas(self, doc_id: str) -> set[str]:
        return {h.sha256 for h in self.manifest.history.get(doc_id, [])}

    def next_version(self, doc_id: str) -> int:
        """The version number a guide added under ``doc_id`` gets (after a removal that kept its history)."""
        return max((h.version for h in self.manifest.history.get(doc_id, [])), default=0) + 1

    def versions(self, doc_id: str) -> list[dict]:
        """Every known version of a guide, newest first: the current one (if any) and the kept ones.

        Raises:
            NotFound: the guide is neither ingested nor has kept history.
        """
        rec = self.manifest.docs.get(doc_id)
        hist = self.records(doc_id)
        if rec is None and not hist:
            raise NotFound(f"no document {doc_id!r} and no kept history for it")
        out = [{"version": h.version, "current": False, "sha256": h.sha256, "title": h.title,
                "generated_at": h.generated_at, "invalidated_at": h.invalidated_at, "revision_of": h.revision_of,
                "chunks": h.chunks, "claims": h.claims, "chars": h.chars, "issued": h.issued, "removed": h.removed,
                "graph": version_graph(doc_id, h.version)} for h in hist]
        if rec is not None:
            out.append({"version": rec.version, "current": True, "sha256": rec.sha256, "title": rec.title,
                        "generated_at": rec.generated_at or rec.ingested_at, "invalidated_at": None,
                        "revision_of": hist[-1].version if hist else None, "chunks": rec.chunks,
                        "claims": rec.claims, "chars": rec.chars, "issued": rec.issued, "removed": False,
                        "graph": graph_iri(doc_id)})
        return sorted(out, key=lambda v: -v["version"])

    def text_file(self, doc_id: str, version: int) -> Path:
        """The kept text of one version (current or superseded); raises :class:`NotFound`."""
        rec = self.manifest.docs.get(doc_id)
        if rec is not None and rec.version == version:
            return self.data_dir / rec.text_file
        for h in self.manifest.history.get(doc_id, []):
            if h.version == version:
                return self.data_dir / h.text_file
        known = [v["version"] for v in self.versions(doc_id)]
        raise NotFound(f"{doc_id!r} has no version {version} (kept: {', '.join(map(str, sorted(known)))})")

    def text(self, doc_id: str, version: int) -> str:
        try:
            return self.text_file(doc_id, version).read_text("utf-8")
        except OSError:
            raise NotFound(f"the text of {doc_id!r} version {version} is missing; run `careerkg repair`") from None

    # ------------------------------------------------------------------ writing (called by the pipeline)
    def current_quads(self, doc_id: str) -> list[ox.Quad]:
        """The quads of a guide's current graph (as triples in the default graph)."""
        g = graph_iri(doc_id)
        res = self.graph.raw_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}",
                                   "application/n-triples")
        return [ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(res.body, format=ox.RdfFormat.N_TRIPLES)]

    def changes(self, old: DocRecord, old_quads: list[ox.Quad], new_version: int,
                new_quads: list[ox.Quad]) -> ClaimChanges:
        """The claims ``new_quads`` add, remove and change against the current version."""
        return diff_claims(old_quads, new_quads, from_version=old.version, to_version=new_version,
                           labels=self._labels(old_quads, new_quads))

    def _labels(self, *quads: list[ox.Quad]) -> dict[str, str]:
        query = label_query(set().union(*(claim_iris(q) for q in quads)))
        return {r["e"]: str(r["label"]) for r in self.graph.select(query)} if query else {}

    def version_quads(self, doc_id: str, version: int) -> list[ox.Quad]:
        """The quads of one version (current, or kept in the versions store) as triples; raises :class:`NotFound`."""
        known = {v["version"]: v for v in self.versions(doc_id)}
        if version not in known:
            raise NotFound(f"{doc_id!r} has no version {version} (kept: {', '.join(map(str, sorted(known)))})")
        if known[version]["current"]:
            return self.current_quads(doc_id)
        g = ox.NamedNode(version_graph(doc_id, version))
        return [ox.Quad(q.subject, q.predicate, q.object) for q in self.store.store.quads_for_pattern(None, None, None, g)
                if q.subject != g]

    def compare(self, doc_id: str, old: int | None = None, new: int | None = None) -> ClaimChanges:
        """What version ``new`` (default: the newest) changed in the claims of version ``old`` (default: the
        kept version before it); raises :class:`NotFound` for a version not kept."""
        numbers = [v["version"] for v in self.versions(doc_id)]  # newest first
        new = numbers[0] if new is None else new
        if old is None:
            old = next((n for n in numbers if n < new), None)
            if old is None:
                raise NotFound(f"{doc_id!r} has no kept version before version {new}")
        old_quads, new_quads = self.version_quads(doc_id, old), self.version_quads(doc_id, new)
        return diff_claims(old_quads, new_quads, from_version=old, to_version=new,
                           labels=self._labels(old_quads, new_quads))

    def supersede(self, old: DocRecord, at: str, old_quads: list[ox.Quad], *,
                  removed: bool = False) -> VersionRecord | None:
        """Before the switch: copy the current version's graph into the versions store (an orphan until
        :meth:`commit` names it in the manifest). None when no history is kept."""
        if self.settings.history_versions <= 0:
            return None
        hist = self.manifest.history.get(old.doc_id, [])
        vrec = VersionRecord(version=old.version, sha256=old.sha256, title=old.title, media_type=old.media_type,
                             source_file=old.source_file, text_file=old.text_file,
                             generated_at=old.generated_at or old.ingested_at,
                             invalidated_at=at, revision_of=hist[-1].version if hist else None, chunks=old.chunks,
                             claims=old.claims, chars=old.chars, issued=old.issued, source_name=old.source_name,
                             publisher=old.publisher, source_url=old.source_url, removed=removed)
        self.store.replace_graph(version_graph(old.doc_id, old.version), old_quads + self.prov_quads(old.doc_id, vrec))
        return vrec

    @staticmethod
    def prov_quads(doc_id: str, h: VersionRecord) -> list[ox.Quad]:
        g = N(version_graph(doc_id, h.version))
        out = [T(g, RDF.type, N(PROV.Entity)), T(g, PROV.specializationOf, N(graph_iri(doc_id))),
               T(g, PROV.generatedAtTime, _time(h.generated_at)), T(g, PROV.invalidatedAtTime, _time(h.invalidated_at))]
        if h.revision_of is not None:
            out.append(T(g, PROV.wasRevisionOf, N(version_graph(doc_id, h.revision_of))))
        return out

    def commit(self, doc_id: str, vrec: VersionRecord | None) -> list[VersionRecord]:
        """In the switch (the caller saves the manifest): name ``vrec`` and prune to the retention.

        Returns:
            The versions pruned (their graphs and files go after the save: :meth:`drop`).
        """
        hist = [h for h in self.manifest.history.get(doc_id, []) if vrec is None or h.version != vrec.version]
        if vrec is not None:
            hist.append(vrec)
        keep = max(0, self.settings.history_versions)
        pruned = hist[:len(hist) - keep] if len(hist) > keep else []
        if hist[len(pruned):]:
            self.manifest.history[doc_id] = hist[len(pruned):]
        else:
            self.manifest.history.pop(doc_id, None)
        return pruned

    def purge(self, doc_id: str) -> list[VersionRecord]:
        """Forget a guide's history in the manifest (the caller saves, then :meth:`drop`)."""
        return self.manifest.history.pop(doc_id, [])

    def drop(self, doc_id: str, versions: list[VersionRecord]) -> None:
        """Drop these versions' graphs (files go with the pipeline's kept-file clean-up)."""
        if versions and self._has_store():
            for h in versions:
                self.store.drop_graph(version_graph(doc_id, h.version))

    def drop_unnamed(self, doc_id: str) -> None:
        """Drop a guide's version graphs the manifest does not name (a failed write before the switch)."""
        if not self._has_store():
            return
        named = {h.version for h in self.manifest.history.get(doc_id, [])}
        for g in self.store.graph_names():
            parsed = parse_version_graph(g)
            if parsed and parsed[0] == doc_id and parsed[1] not in named:
                self.store.drop_graph(g)

    # ------------------------------------------------------------------ repair
    def repair(self, derive) -> list[str]:
        """Make the versions store and the manifest's history agree.

        Drops version graphs the manifest does not name (a crash before a switch, or mid-prune), forgets a
        version whose kept text is gone, and re-derives a named version's graph from its kept text with
        ``derive(doc_id, VersionRecord) -> quads`` when the graph is missing (the versions store lost).
        """
        m, notes = self.manifest, []
        changed = False
        for doc_id, hist in list(m.history.items()):
            keep = [h for h in hist if (self.data_dir / h.text_file).is_file()]
            for h in hist:
                if h not in keep:
                    notes.append(f"{doc_id}: forgot version {h.version} (its kept text is missing)")
            if len(keep) != len(hist):
                changed = True
                if keep:
                    m.history[doc_id] = keep
                else:
                    m.history.pop(doc_id)
        if changed:
            m.save()
        if not m.history and not self._has_store():
            return notes
        wanted = {version_graph(d, h.version): (d, h) for d, hs in m.history.items() for h in hs}
        names = set(self.store.graph_names())
        for g in sorted(names - set(wanted)):
            self.store.drop_graph(g)
            notes.append(f"dropped orphan version graph {g}")
        for g, (doc_id, h) in sorted(wanted.items()):
            if g not in names:
                self.store.replace_graph(g, derive(doc_id, h) + self.prov_quads(doc_id, h))
                notes.append(f"{doc_id}: re-derived the graph of version {h.version} from its kept text")
        return notes

    def summary(self) -> dict:
        """Counts: guides with kept versions, versions kept."""
        return {"guides": len(self.manifest.history), "versions": sum(len(v) for v in self.manifest.history.values())}
