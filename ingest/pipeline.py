"""The ingest pipeline: load -> chunk -> extract -> embed -> write, per document.

Idempotent (unchanged text is a no-op) and atomic per document: everything that
can fail (loading, chunking, extraction, embedding) happens before anything is
written; then the new version is written beside the old one (chunk ids carry the
text hash), the document's named graph is replaced in one update, and the
manifest switch makes the new version current. A ``pending`` note in the manifest
lets :meth:`Pipeline.repair` finish or roll back a replacement cut short by a crash.
A new version keeps the one it supersedes as history (:mod:`careerkg.ingest.history`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from careerkg.concurrency import RWLock
from careerkg.errors import CareerKGError, Duplicate, InvalidInput, NotFound
from careerkg.model import Chunk, ClaimChanges, Document, Extraction, IngestResult
from careerkg.settings import Settings
from careerkg.graph.conflicts import conflict_quads, release_update, strip_conflicts
from careerkg.graph.rdf import document_quads, entity_quads
from careerkg.graph.store import GraphStore
from careerkg.graph.vocab import GAZETTEER_GRAPH, ONTOLOGY_GRAPH, ONTOLOGY_PATH, graph_iri
from careerkg.ingest.chunk import chunk_text
from careerkg.ingest.dedup import refuse_duplicate
from careerkg.ingest.embed import Embedder
from careerkg.ingest.history import History
from careerkg.ingest.index import VectorIndex
from careerkg.ingest.load import EXTENSION_FOR, MEDIA_TYPES, doc_id_for, load_bytes
from careerkg.ingest.manifest import DocRecord, Manifest
from careerkg.ingest.meta import read_sidecar
from careerkg.ingest.recovery import Recovery
from careerkg.ingest.units import chunk_vectors, pack, unit_file, unit_spans

log = logging.getLogger("careerkg.ingest")


class Extractor(Protocol):
    def extract(self, doc: Document, chunks: list[Chunk]) -> Extraction: ...


def _same_meta(rec: DocRecord, doc: Document, given: dict[str, str]) -> bool:
    return ((rec.title, rec.publisher, rec.source_url, rec.issued) == (doc.title, doc.publisher, doc.source_url,
                                                                        doc.issued) and rec.given == given)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Pipeline(Recovery):
    """Ingests, replaces and removes documents across the vector index, the graph and the manifest.

    Args:
        settings: paths and chunking parameters.
        index: the vector index.
        graph: the RDF store.
        embedder: the sentence embedder.
        extractor: entity/claim extraction.
        static_entities: gazetteer entities written to their own named graph.
    """

    def __init__(self, settings: Settings, index: VectorIndex, graph: GraphStore, embedder: Embedder,
                 extractor: Extractor, static_entities: Iterable = ()) -> None:
        self.settings = settings
        self.data_dir = settings.data_dir
        self.index = index
        self.graph = graph
        self.embedder = embedder
        self.extractor = extractor
        self.lock = RWLock()  # readers (QA) vs the commit phase of a write
        self._write_mutex = threading.Lock()  # one ingest at a time
        # heavy work (extraction, embedding) inline by default; on a low-priority thread once serving
        self.background = None
        self.embedding = None
        self.manifest = Manifest.load(settings.manifest_path)
        self.history = History(settings, graph, self.manifest)
        self._texts: dict[tuple[str, str], str] = {}
        self._static_entities = list(static_entities)
        self.known_iris = {e.iri for e in self._static_entities}
        self._write_static_graphs()
        self.repair()

    def serve_readers(self, *, nice: int = 10, threads: int = 1) -> None:
        """Run every later write's extraction on an ingest thread and its embedding on a low-priority thread
        with its own copy of the model, leaving commits where they were (see :mod:`careerkg.ingest.worker`)."""
        from careerkg.ingest.worker import BackgroundWork

        if self.background is None:
            # extraction is pure Python and lives on the GIL: a nice thread loses every hand-off of the GIL
            # to the readers (a PUT took 20-27 s under load at nice 5 or 10, 8.5 s at 0), so it runs at normal
            # priority; the encode, which leaves the GIL and wants a core of its own, runs niced
            self.background = BackgroundWork(nice=0, threads=threads)
            self.embedding = BackgroundWork(nice=nice, threads=threads)
            if self.settings.api_key:  # writes are on: load the ingest model copy now, at the encode's priority
                self.embedding.submit(self.embedder.encode, ["warm up"])

    def _heavy(self, fn: Callable, *args, **kwargs):
        """``fn(*args, **kwargs)`` on the ingest thread when serving, else here."""
        if self.background is None:
            return fn(*args, **kwargs)
        return self.background.run(fn, *args, **kwargs)

    def _embed(self, texts: list[str]) -> list[list[float]]:
        if self.background is None:
            return self.embedder.encode(texts)
        return self.embedding.run(self.embedder.encode, texts)

    def _plan_and_embed(self, doc: Document, *, force: bool, given: dict[str, str], allow_duplicate: bool):
        plan = self._plan(doc, force=force, given=given, allow_duplicate=allow_duplicate)
        if isinstance(plan, IngestResult):
            return plan
        chunks, extraction = plan
        spans = unit_spans(doc.text)
        vectors = self._embed([doc.text[a:b] for a, b in spans])
        return chunks, extraction, spans, vectors, chunk_vectors(chunks, spans, vectors, self._embed)

    # ---------------------------------------------------------------- static graphs
    def _write_static_graphs(self) -> None:
        import pyoxigraph as ox

        self.graph.replace_graph(ONTOLOGY_GRAPH, list(ox.parse(path=str(ONTOLOGY_PATH))))
        quads = [q for e in self._static_entities for q in entity_quads(e)]
        self.graph.replace_graph(GAZETTEER_GRAPH, list(dict.fromkeys(quads)))

    # ---------------------------------------------------------------- reading
    def record(self, doc_id: str) -> DocRecord:
        rec = self.manifest.docs.get(doc_id)
        if rec is None:
            raise NotFound(f"no document {doc_id!r}")
        return rec

    def text(self, doc_id: str, sha256: str | None = None) -> str:
        """The extracted text of a document (current version unless ``sha256`` is given)."""
        rec = self.record(doc_id)
        sha = sha256 or rec.sha256
        key = (doc_id, sha)
        cached = self._texts.get(key)
        if cached is None:
            path = self.data_dir / (rec.text_file if sha == rec.sha256 else f"texts/{doc_id}/{sha}.txt")
            try:
                cached = path.read_text("utf-8")
            except OSError:
                raise NotFound(f"no text for {doc_id!r} version {sha[:8]}") from None
            self._texts[key] = cached
        return cached

    # ---------------------------------------------------------------- writing
    def ingest_path(self, path: Path, *, force: bool = False, metadata: dict | None = None,
                    allow_duplicate: bool = False) -> IngestResult:
        """Ingest one file (checked by type and size before it is read); never raises for bad input.

        Metadata comes from ``metadata``, over a ``NAME.meta.json`` sidecar beside the file.
        """
        t0 = time.perf_counter()
        try:
            data = self._read(path)
            side = read_sidecar(path) or {}
        except CareerKGError as exc:
            return IngestResult(path.stem, "failed", str(path), str(exc), seconds=time.perf_counter() - t0)
        return self.ingest_bytes(data, path.name, source=str(path), force=force,
                                 metadata={**side, **(metadata or {})} if side or metadata else None,
                                 allow_duplicate=allow_duplicate)

    def ingest_bytes(self, data: bytes, name: str, *, media_type: str | None = None, doc_id: str | None = None,
                     source: str = "", force: bool = False, metadata: dict | None = None,
                     allow_duplicate: bool = False) -> IngestResult:
        """Ingest (add, replace or confirm unchanged) one guide from bytes.

        Args:
            metadata: ``title``, ``publisher``, ``source_url``, ``issued`` given explicitly; they win
                over what the guide says and are kept for this id across re-ingests (``""`` clears one).
            allow_duplicate: ingest even when another id already holds the same text (otherwise the
                result is ``failed`` with ``duplicate_of`` naming that id).

        Bad input yields a ``failed`` result and leaves every stored document as it was.
        """
        t0 = time.perf_counter()
        did = doc_id or name
        try:
            given = self._given(doc_id or doc_id_for(name), metadata)
            doc = load_bytes(data, name, max_bytes=self.settings.max_document_bytes, media_type=media_type,
                             doc_id=doc_id, metadata=given)
            did = doc.doc_id
            with self._write_mutex:
                res = self._ingest(doc, data, force=force, given=given, allow_duplicate=allow_duplicate)
        except CareerKGError as exc:
            return IngestResult(did, "failed", source or name, str(exc), seconds=time.perf_counter() - t0,
                                duplicate_of=exc.existing_id if isinstance(exc, Duplicate) else "")
        return replace(res, source=source or name, seconds=time.perf_counter() - t0)

    def _prepare(self, doc: Document):
        chunks = chunk_text(doc.doc_id, doc.text, sha256=doc.sha256, sentences=self.settings.chunk_sentences,
                            overlap=self.settings.chunk_overlap, max_chars=self.settings.chunk_max_chars)
        if not chunks:
            raise InvalidInput("no text to index")
        extraction = self.extractor.extract(doc, chunks)
        return chunks, extraction

    def _given(self, doc_id: str, metadata: dict | None) -> dict[str, str]:
        """Explicit metadata for ``doc_id``: what was given before, updated by ``metadata`` ("" removes a key)."""
        from careerkg.ingest.meta import ALIASES

        old = self.manifest.docs.get(doc_id)
        out = dict(old.given) if old else {}
        for k, v in (metadata or {}).items():
            k = ALIASES.get(k, k)
            if v is None or v == "":
                out.pop(k, None)
            else:
                out[k] = v
        return out

    def _ingest(self, doc: Document, raw: bytes, *, force: bool, given: dict[str, str],
                allow_duplicate: bool = False) -> IngestResult:
        plan = self._heavy(self._plan_and_embed, doc, force=force, given=given, allow_duplicate=allow_duplicate)
        if isinstance(plan, IngestResult):
            return plan
        chunks, extraction, spans, vectors, embeddings = plan
        return self._finish(doc, raw, chunks, embeddings, extraction, given, units=(spans, vectors))

    def _plan(self, doc: Document, *, force: bool, given: dict[str, str] | None = None, allow_duplicate: bool = False,
              planned: dict[str, str] | None = None):
        """``IngestResult`` when there is nothing to do, else the prepared ``(chunks, extraction)``.

        A guide whose text is unchanged but whose metadata changed is re-ingested (same version).
        A guide whose text another id already holds (in the manifest, or ``planned``: doc_id -> sha256
        of guides about to be written) raises :class:`Duplicate` unless ``allow_duplicate``; a guide
        that already had this text under its own id is never refused.
        """
        old = self.manifest.docs.get(doc.doc_id)
        if old and old.sha256 == doc.sha256 and not force and _same_meta(old, doc, given or {}):
            return IngestResult(doc.doc_id, "unchanged", version=old.version, chunks=old.chunks, claims=old.claims)
        if not allow_duplicate and not (old and old.sha256 == doc.sha256):
            refuse_duplicate(doc.sha256, doc.doc_id,
                             {**{d: r.sha256 for d, r in self.manifest.docs.items()}, **(planned or {})})
        return self._prepare(doc)

    def _finish(self, doc: Document, raw: bytes, chunks: list[Chunk], embeddings: list[list[float]],
                extraction: Extraction, given: dict[str, str] | None = None, units=None) -> IngestResult:
        old = self.manifest.docs.get(doc.doc_id)
        version = (old.version + (0 if old.sha256 == doc.sha256 else 1)) if old else self.history.next_version(doc.doc_id)
        rec, changes = self._commit(doc, raw, version, chunks, embeddings, extraction, given or {}, units)
        status = "added" if old is None else "updated"
        reason = "no entities or claims found" if not extraction.claims and not extraction.mentions else ""
        log.info("%s %s v%d: %d chunks, %d claims", status, doc.doc_id, version, rec.chunks, rec.claims)
        return IngestResult(doc.doc_id, status, reason=reason, version=version, chunks=rec.chunks, claims=rec.claims,
                            changes=changes)

    def ingest_paths(self, paths: list[Path], *, force: bool = False, batch_docs: int = 16,
                     progress: Callable[[IngestResult], None] | None = None,
                     metadata: dict | None = None, allow_duplicate: bool = False) -> list[IngestResult]:
        """Ingest many files, embedding the chunks of up to ``batch_docs`` guides in one model call.

        Each guide is still committed on its own (atomic per document, as :meth:`ingest_path`);
        batching only shares the model call, which pads and sorts by length far better.
        ``progress`` is called as each guide finishes; the returned list follows ``paths``.
        ``metadata`` is given for every guide, over each one's ``NAME.meta.json`` sidecar.
        A guide with the same text as another (ingested, or earlier in ``paths``) fails as a
        duplicate unless ``allow_duplicate``.
        """
        results: list[IngestResult] = []
        order = {str(p): i for i, p in enumerate(paths)}
        for i in range(0, len(paths), max(1, batch_docs)):
            group: list[tuple[Path, Document, bytes, list[Chunk], Extraction, float, dict]] = []
            planned: dict[str, str] = {}  # doc_id -> sha256 of this group's guides (not in the manifest yet)
            with self._write_mutex:
                for path in paths[i:i + batch_docs]:
                    t0 = time.perf_counter()
                    try:
                        data = self._read(path)
                        side = read_sidecar(path) or {}
                        given = self._given(doc_id_for(path.name), {**side, **(metadata or {})})
                        doc = load_bytes(data, path.name, max_bytes=self.settings.max_document_bytes,
                                         metadata=given)
                        plan = self._heavy(self._plan, doc, force=force, given=given,
                                           allow_duplicate=allow_duplicate, planned=planned)
                    except CareerKGError as exc:
                        plan = IngestResult(path.stem, "failed", str(path), str(exc),
                                            duplicate_of=exc.existing_id if isinstance(exc, Duplicate) else "")
                    if isinstance(plan, IngestResult):
                        res = IngestResult(plan.doc_id, plan.status, str(path), plan.reason, plan.version,
                                           plan.chunks, plan.claims, time.perf_counter() - t0, plan.duplicate_of)
                        results.append(res)
                        if progress:
                            progress(res)
                        continue
                    planned[doc.doc_id] = doc.sha256
                    group.append((path, doc, data, plan[0], plan[1], time.perf_counter() - t0, given))
                spans = {doc.doc_id: unit_spans(doc.text) for _, doc, *_ in group}
                texts = [doc.text[a:b] for _, doc, *_ in group for a, b in spans[doc.doc_id]]
                try:
                    vectors = self._embed(texts)
                except CareerKGError as exc:
                    vectors, error = None, str(exc)
                pos = 0
                for path, doc, data, chunks, extraction, prep, given in group:
                    t0 = time.perf_counter()
                    try:
                        if vectors is None:
                            raise InvalidInput(error)
                        n_units = len(spans[doc.doc_id])
                        units = (spans[doc.doc_id], vectors[pos:pos + n_units])
                        res = self._finish(doc, data, chunks,
                                           self._heavy(chunk_vectors, chunks, units[0], units[1], self._embed),
                                           extraction, given, units)
                    except CareerKGError as exc:
                        res = IngestResult(doc.doc_id, "failed", str(path), str(exc))
                    pos += len(spans[doc.doc_id])
                    res = replace(res, source=str(path), seconds=prep + time.perf_counter() - t0)
                    results.append(res)
                    if progress:
                        progress(res)
        return sorted(results, key=lambda r: order.get(r.source, len(order)))

    def _read(self, path: Path) -> bytes:
        """A guide file's bytes, checked by type and size before reading."""
        if path.suffix.lower() not in MEDIA_TYPES:
            raise InvalidInput(f"unsupported file type {path.suffix or '(none)'!r}; use .txt, .md or .html")
        try:
            size = path.stat().st_size
            if size > self.settings.max_document_bytes:
                raise InvalidInput(f"file is {size:,} bytes; the limit is {self.settings.max_document_bytes:,}")
            return path.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"cannot read file: {exc.strerror or exc}") from None

    def _commit(self, doc: Document, raw: bytes, version: int, chunks: list[Chunk],
                embeddings: list[list[float]], extraction: Extraction, given: dict[str, str],
                units=None) -> tuple[DocRecord, ClaimChanges | None]:
        m = self.manifest
        old = m.docs.get(doc.doc_id)
        ext = EXTENSION_FOR[doc.media_type]
        rec = DocRecord(doc_id=doc.doc_id, title=doc.title, sha256=doc.sha256, version=version,
                        source_name=doc.source_name, media_type=doc.media_type,
                        source_file=f"sources/{doc.doc_id}/{doc.sha256}{ext}",
                        text_file=f"texts/{doc.doc_id}/{doc.sha256}.txt", chunks=len(chunks),
                        claims=len(extraction.claims), mentions=len(extraction.mentions), chars=len(doc.text),
                        ingested_at=_now(), publisher=doc.publisher, source_url=doc.source_url, issued=doc.issued,
                        given=dict(given), generated_at=old.generated_at if old and old.sha256 == doc.sha256 else "")
        rec.generated_at = rec.generated_at or rec.ingested_at
        quads = document_quads(doc, version, chunks, extraction, self.known_iris)
        quads += conflict_quads(self.graph, doc.doc_id, quads)  # under the write mutex: no other graph moves
        new_text = old is not None and old.sha256 != doc.sha256
        changes = kept = None
        # 1. write-ahead note, then the new version's files (beside the old ones)
        m.pending[doc.doc_id] = {"sha256": doc.sha256, "version": version}
        m.save()
        switched = False
        try:
            self._write_file(rec.source_file, raw)
            self._write_file(rec.text_file, doc.text.encode("utf-8"))
            if units is not None:  # sentence / table-row vectors, beside the old version's
                self._write_file(unit_file(doc.doc_id, doc.sha256), pack(*units))
            # 2. new chunks beside the old (ids carry the hash); readers still filter to the old version
            self.index.add(chunks, embeddings, sha256=doc.sha256, title=doc.title)
            if new_text:  # the superseded version's graph into the versions store (an orphan until the switch)
                old_quads = strip_conflicts(self.history.current_quads(doc.doc_id))  # history: re-derivable
                changes = self.history.changes(old, old_quads, version, quads)
                kept = self.history.supersede(old, rec.ingested_at, old_quads)
            # 3. the switch: graph replaced atomically, then the manifest, under the write lock
            with self.lock.write():
                self.graph.replace_graph(graph_iri(doc.doc_id), quads)
                switched = True
                m.docs[doc.doc_id] = rec
                pruned = self.history.commit(doc.doc_id, kept) if new_text else []
                m.pending.pop(doc.doc_id, None)
                m.generation += 1
                m.save()
                self._texts[(doc.doc_id, doc.sha256)] = doc.text
        except BaseException:
            if not switched:  # nothing of the new version is visible yet: take it away again
                self._roll_back(doc, old)
            raise  # after the switch, the pending note lets repair() finish the job
        # 4. garbage: the old version's chunks, files not kept as history, pruned versions
        self.index.delete_doc(doc.doc_id, keep_sha256=doc.sha256)
        self.history.drop(doc.doc_id, pruned)
        if new_text:
            self._remove_files(doc.doc_id, keep=doc.sha256)
        return rec, changes

    def _roll_back(self, doc: Document, old: DocRecord | None) -> None:
        """Remove what a failed ``_commit`` wrote before the switch (chunks, files, version graph, pending note)."""
        self.history.drop_unnamed(doc.doc_id)
        if old is None:
            self.index.delete_doc(doc.doc_id)
            self._remove_files(doc.doc_id, keep=None)
        elif old.sha256 != doc.sha256:
            self.index.delete_doc(doc.doc_id, keep_sha256=old.sha256)
            self._remove_files(doc.doc_id, keep=old.sha256)
        self.manifest.pending.pop(doc.doc_id, None)
        self.manifest.save()

    def remove(self, doc_id: str, *, history: str = "purge") -> DocRecord | None:
        """Remove a guide and everything derived from it; raises :class:`NotFound`. ``history="keep"`` keeps its
        versions, and the current one as history; ``"purge"`` drops them (also for a removed guide: None)."""
        if history not in ("keep", "purge"):
            raise InvalidInput(f"history must be 'keep' or 'purge', not {history!r}")
        with self._write_mutex:
            rec = self.manifest.docs.get(doc_id) or (self.record(doc_id) if history == "keep" or not
                                                     self.history.records(doc_id) else None)
            keep = rec is not None and history == "keep"
            kept = (self.history.supersede(rec, _now(), strip_conflicts(self.history.current_quads(doc_id)),
                                           removed=True) if keep else None)
            with self.lock.write():
                self.manifest.docs.pop(doc_id, None)
                self.manifest.pending.pop(doc_id, None)
                dropped = self.history.commit(doc_id, kept) if history == "keep" else self.history.purge(doc_id)
                self.manifest.generation += 1
                self.manifest.save()
                self.graph.drop_graph(graph_iri(doc_id), before=release_update(doc_id))
            self.history.drop(doc_id, dropped)
            self.index.delete_doc(doc_id)
            self._remove_files(doc_id, keep=None)
            return rec
