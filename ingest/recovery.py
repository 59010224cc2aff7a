"""Recovery for the pipeline: make stores, files and manifest agree again; rebuild from kept sources.

A mixin of :class:`careerkg.ingest.pipeline.Pipeline` (kept apart so each file holds one role).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable

from careerkg.model import Document, IngestResult
from careerkg.graph.conflicts import conflict_quads, release_update, stale_documents, strip_conflicts
from careerkg.graph.rdf import document_quads
from careerkg.graph.vocab import CKG, GAZETTEER_GRAPH, GRAPH_BASE, ONTOLOGY_GRAPH, graph_iri
from careerkg.ingest.units import pack, unit_file, unit_spans

log = logging.getLogger("careerkg.ingest")
_BETWEEN = str(CKG.between)


class Recovery:
    """``repair`` and ``rebuild``; expects the attributes a :class:`~careerkg.ingest.pipeline.Pipeline` has."""

    def repair(self) -> list[str]:
        """Make the index, the graph and the files agree with the manifest.

        Removes chunks and named graphs of versions the manifest does not name
        (a crashed replacement, a removed document), and re-derives a current
        document's chunks or graph from its kept text when they are missing.

        Returns:
            One line per repair made.
        """
        notes: list[str] = []
        m = self.manifest
        with self._write_mutex:
            notes += self.history.repair(self._derive_version)
            for (doc_id, sha), n in self.index.doc_versions().items():
                rec = m.docs.get(doc_id)
                if rec is None or rec.sha256 != sha:
                    self.index.delete_doc(doc_id, keep_sha256=rec.sha256 if rec else None)
                    notes.append(f"{doc_id}: removed {n} stale chunks ({sha[:8]})")
            versions = {(d, s): n for (d, s), n in self.index.doc_versions().items()}
            shas = {row["g"]: row["sha"] for row in self.graph.select(
                "SELECT ?g ?sha WHERE { GRAPH ?g { ?d ckg:sha256 ?sha } }")}
            for g in self.graph.graph_names():
                if not g.startswith(GRAPH_BASE) or g in (ONTOLOGY_GRAPH, GAZETTEER_GRAPH):
                    continue
                doc_id = g[len(GRAPH_BASE):]
                if doc_id not in m.docs:
                    self.graph.drop_graph(g, before=release_update(doc_id))
                    notes.append(f"{doc_id}: dropped orphan graph")
            for doc_id, rec in m.docs.items():
                graph_ok = shas.get(graph_iri(doc_id)) == rec.sha256
                chunks_ok = versions.get((doc_id, rec.sha256), 0) == rec.chunks
                if not (self.data_dir / unit_file(doc_id, rec.sha256)).exists():  # older data dirs, or cut short
                    text = self.text(doc_id)
                    spans = unit_spans(text)
                    self._write_file(unit_file(doc_id, rec.sha256),
                                     pack(spans, self.embedder.encode([text[a:b] for a, b in spans])))
                    notes.append(f"{doc_id}: wrote {len(spans)} unit vectors")
                if graph_ok and chunks_ok:
                    continue
                doc = Document(doc_id, rec.title, self.text(doc_id), rec.sha256, rec.source_name, rec.media_type,
                               rec.publisher, rec.source_url, rec.issued)
                chunks, extraction = self._prepare(doc)
                if not chunks_ok:
                    self.index.delete_doc(doc_id)
                    self.index.add(chunks, self.embedder.encode([c.text for c in chunks]), sha256=rec.sha256,
                                   title=rec.title)
                    notes.append(f"{doc_id}: re-indexed {len(chunks)} chunks")
                if not graph_ok:
                    quads = document_quads(doc, rec.version, chunks, extraction, self.known_iris)
                    self.graph.replace_graph(graph_iri(doc_id), quads + conflict_quads(self.graph, doc_id, quads))
                    notes.append(f"{doc_id}: rewrote graph")
            notes += self._materialise_conflicts()
            for doc_id in list(m.pending):
                rec = m.docs.get(doc_id)
                self.history.drop_unnamed(doc_id)
                self._remove_files(doc_id, keep=rec.sha256 if rec else None)
                notes.append(f"{doc_id}: rolled back an interrupted ingest")
            if m.pending:
                m.pending.clear()
                m.save()
            notes += self._remove_stale_files()
        for n in notes:
            log.warning("repair: %s", n)
        return notes

    def _materialise_conflicts(self) -> list[str]:
        """Compute the ``ckg:Conflict`` nodes of every current guide whose graph predates the conflict rule
        (a store written before conflicts were materialised, or under an older rule: :mod:`careerkg.graph.conflicts`).

        Guide by guide, each against every other current graph (a pair an earlier guide of the loop already
        holds is skipped, so each pair is written once); the guide's graph is replaced in one update with its
        own quads (old conflict nodes stripped) plus its conflicts.
        """
        stale = [d for d in stale_documents(self.graph) if d in self.manifest.docs]
        found = 0
        for doc_id in stale:
            quads = strip_conflicts(self.history.current_quads(doc_id))
            added = conflict_quads(self.graph, doc_id, quads)
            found += sum(1 for q in added if q.predicate.value == _BETWEEN) // 2
            self.graph.replace_graph(graph_iri(doc_id), quads + added)
        return [f"computed the salary conflicts of {len(stale)} guide(s) written before they were materialised: "
                f"{found} conflict(s)"] if stale else []

    def _write_file(self, rel: str, data: bytes) -> None:
        path = self.data_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)

    def _remove_files(self, doc_id: str, keep: str | None) -> None:
        """Delete a guide's kept files but those of version ``keep`` and of its kept history."""
        keep_shas = ({keep} if keep else set()) | self.history.kept_shas(doc_id)
        for sub in ("sources", "texts", "units"):
            folder = self.data_dir / sub / doc_id
            if not folder.is_dir():
                continue
            if not keep_shas:
                shutil.rmtree(folder, ignore_errors=True)
                continue
            for f in folder.iterdir():
                if not f.name.startswith(tuple(keep_shas)):
                    f.unlink(missing_ok=True)
        for key in [k for k in self._texts if k[0] == doc_id and k[1] not in keep_shas]:
            self._texts.pop(key, None)

    def _derive_version(self, doc_id: str, h) -> list:
        """A kept version's graph re-derived from its kept text (the versions store was lost)."""
        doc = Document(doc_id, h.title, (self.data_dir / h.text_file).read_text("utf-8"), h.sha256,
                       h.source_name or doc_id, h.media_type, h.publisher, h.source_url, h.issued)
        chunks, extraction = self._prepare(doc)
        return document_quads(doc, h.version, chunks, extraction, self.known_iris)

    def _remove_stale_files(self) -> list[str]:
        """Delete kept files the manifest does not name (SIGKILL after a switch or mid-removal) and temp files."""
        notes = []
        for sub in ("sources", "texts", "units"):
            folder = self.data_dir / sub
            for d in sorted(folder.iterdir()) if folder.is_dir() else ():
                rec = self.manifest.docs.get(d.name)
                keep = tuple(({rec.sha256} if rec else set()) | self.history.kept_shas(d.name))
                stale = [f for f in d.iterdir() if not keep or not f.name.startswith(keep) or f.name.endswith(".tmp")]
                for f in stale:
                    f.unlink(missing_ok=True)
                if not keep:
                    shutil.rmtree(d, ignore_errors=True)
                if stale:
                    notes.append(f"{d.name}: removed {len(stale)} stale file(s) from {sub}/")
        for f in self.data_dir.glob(".manifest-*.json"):  # a manifest save cut short before its rename
            f.unlink(missing_ok=True)
            notes.append(f"removed {f.name}")
        return notes

    def rebuild(self, progress: Callable[[IngestResult], None] | None = None) -> list[IngestResult]:
        """Re-derive every document from its kept source copy (index and graph rewritten)."""
        results = []
        for doc_id, rec in sorted(self.manifest.docs.items()):
            src = self.data_dir / rec.source_file
            try:
                data = src.read_bytes()
            except OSError as exc:
                res = IngestResult(doc_id, "failed", str(src), f"kept source missing: {exc.strerror}")
            else:
                # guides already accepted stay accepted, even if a new extractor makes two texts equal
                res = self.ingest_bytes(data, rec.source_name, media_type=rec.media_type, doc_id=doc_id,
                                        source=str(src), force=True, allow_duplicate=True)
            results.append(res)
            if progress:
                progress(res)
        return results
