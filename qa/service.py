"""The question-answering service: understand -> graph lookups -> retrieval -> compose -> cite."""

from __future__ import annotations

import re
import time

from careerkg.errors import InvalidInput, LLMError
from careerkg.model import Answer, EntityRef
from careerkg.settings import Settings
from qa.citations import CitationSet
from qa.compose import Composer, Draft, Statement, continue_enumeration, has_number
from qa.lookup import GraphLookups
from qa.retrieve import Retriever
from qa.understand import QuestionUnderstanding

MAX_QUESTION = 1000
SUPPORT_MIN = 0.5  # idf-weighted share of the question's content words a sentence must cover
SENTENCE_MIN = 0.34
_MARKER = re.compile(r"\[(\d{1,3})\]")


class QAService:
    """Answers questions over the current documents, with exact citations.

    Args:
        settings: top_k default and LLM configuration.
        pipeline: gives document texts, titles, the manifest and the read lock.
        linker: the entity linker shared with ingest.
        graph, index, embedder: the stores and the model.
    """

    def __init__(self, settings: Settings, pipeline, linker, graph, index, embedder) -> None:
        self.settings = settings
        self.pipeline = pipeline
        self.embedder = embedder
        self.understanding = QuestionUnderstanding(linker, embedder)
        self.retriever = Retriever(index, graph, self._current)
        self.composer = Composer(GraphLookups(graph))
        from qa.llm import LLMClient

        self.llm = LLMClient(settings)  # tests swap in a client with litellm's mock_response

    def _current(self):
        m = self.pipeline.manifest
        return m.generation, {d: r.sha256 for d, r in m.docs.items()}

    def _title(self, doc_id: str) -> str:
        rec = self.pipeline.manifest.docs.get(doc_id)
        return rec.title if rec else doc_id

    def ask(self, question: str, *, top_k: int | None = None, mode: str | None = None) -> Answer:
        """Answer a question.

        Raises:
            InvalidInput: empty or over-long question, unknown mode.
        """
        question = (question or "").strip()
        if not question:
            raise InvalidInput("question is empty")
        if len(question) > MAX_QUESTION:
            raise InvalidInput(f"question is longer than {MAX_QUESTION} characters")
        mode = mode or ("llm" if self.settings.llm_model else "extractive")
        if mode not in ("extractive", "llm"):
            raise InvalidInput("mode must be 'extractive' or 'llm'")
        k = top_k or self.settings.top_k
        timings: dict[str, float] = {}
        t = time.perf_counter()
        qvec = self.embedder.encode_one(question)
        u = self.understanding.understand(question, qvec)
        timings["understand"] = (time.perf_counter() - t) * 1000
        with self.pipeline.lock.read():
            answer = self._answer(u, qvec, k, timings)
            if mode == "llm" and not answer.abstained:
                self._llm(answer, u, timings)
        answer.timings_ms = {k2: round(v, 2) for k2, v in timings.items()}
        return answer

    def _answer(self, u, qvec, k: int, timings: dict[str, float]) -> Answer:
        t = time.perf_counter()
        cites = CitationSet(self.pipeline.text, self._title)
        draft = Draft()
        corpus = self.retriever.corpus()
        missing = sorted({m.entity.label for m in u.mentions
                          if m.entity.kind in ("city", "org") and not corpus.mentions.get(m.entity.iri)})
        if missing:  # a place or employer no guide mentions: nothing in the sources is about it
            timings["graph"] = (time.perf_counter() - t) * 1000
            return Answer(u.question, self._abstention(f"None of the guides mentions {', '.join(missing)}.", u, corpus),
                          True, "extractive", entities=self._entities(u), intent=u.intent)
        if u.intent == "salary":
            self.composer.salary(u, cites, draft)
        elif u.intent in ("location", "employers", "skills", "transition"):
            self.composer.relations(u, cites, draft)
        if u.wants_quantity and not any(has_number(st.text) for st in draft.statements):
            cites, draft = CitationSet(self.pipeline.text, self._title), Draft()  # facts, but not the number asked
        timings["graph"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        entity_iris = [m.entity.iri for m in u.mentions]
        passages = self.retriever.retrieve(u.question, qvec, entity_iris=entity_iris, k=k)
        timings["retrieve"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        best = self.composer.sentences(u, passages, corpus.idf, corpus.vocab)
        dense = max((p.dense for p in passages), default=0.0)
        cov = best[0][0] if best else 0.0
        # lexical coverage of the question by one passage sentence, or semantic closeness of the passages
        support = max(cov, 0.6 * cov + 0.8 * max(0.0, dense - 0.2))
        reason = None
        if not draft.graph_backed:
            if support < SUPPORT_MIN:
                reason = "The guides do not contain a passage that answers this question."
        chosen = []
        if reason is None:
            want = 2 if draft.graph_backed else 3
            floor = 0.6 if draft.graph_backed else SENTENCE_MIN
            if not draft.graph_backed:
                floor = min(floor, cov)  # supported by the passages' closeness: take the best sentence
            for cov_i, p, a, b in best:
                if cov_i < floor or len(chosen) >= want:
                    continue
                if any(a < cb and ca < b for _, _, ca, cb in chosen) or any(
                        c.doc_id == p.doc_id and a < c.end and c.start < b for c in cites.citations):
                    continue  # already quoted, or already cited as a graph fact
                chosen.append((cov_i, p, a, b))
            if u.wants_quantity and not draft.graph_backed and not any(
                    has_number(p.text[a - p.start:b - p.start]) for _, p, a, b in chosen):
                reason = "The guides do not give that figure."
        if reason is not None:
            answer = Answer(u.question, self._abstention(reason, u, corpus), True, "extractive",
                            entities=self._entities(u), intent=u.intent)
            timings["compose"] = (time.perf_counter() - t) * 1000
            return answer
        for _, p, a, b in chosen:
            b = continue_enumeration(self.understanding.linker, self.pipeline.text(p.doc_id), a, b)
            n = cites.add(p.doc_id, p.chunk_id, a, b)
            if n is not None:
                draft.statements.append(Statement(f"{p.text[a - p.start:b - p.start]} [{n}]", [n]))
        used = [n for s in draft.statements for n in s.cites]
        mapping = cites.renumber(used)
        text = " ".join(_renumber(s.text, mapping) for s in draft.statements)
        facts = [type(f)(f.subject, f.predicate, f.object, tuple(mapping[n] for n in f.citations if n in mapping))
                 for f in draft.facts]
        conflicts = [type(c)(c.about, c.values, tuple(mapping[n] for n in c.citations if n in mapping))
                     for c in draft.conflicts]
        answer = Answer(u.question, text, False, "extractive", list(cites.citations), facts, conflicts,
                        self._entities(u), u.intent)
        timings["compose"] = (time.perf_counter() - t) * 1000
        return answer

    def _entities(self, u) -> list[EntityRef]:
        seen = {}
        for m in u.mentions:
            seen.setdefault(m.entity.iri, EntityRef(m.entity.iri, m.entity.label, m.entity.kind))
        return list(seen.values())

    def _abstention(self, reason: str, u, corpus) -> str:
        docs = len(self.pipeline.manifest.docs)
        cities = sorted({self._label(iri) for iri, chunks in corpus.mentions.items()
                         if iri.startswith("https://w3id.org/careerkg/id/city/") and chunks})
        cover = (f" The {docs} guides cover ML roles in the UK: salaries by level and location, employers, skills,"
                 f" and how to move into ML engineering")
        if cities and u.intent in ("salary", "employers", "location"):
            cover += f"; the places they discuss are {', '.join(cities[:12])}"
        return f"I can't answer that from the sources. {reason}{cover}."

    def _label(self, iri: str) -> str:
        ent = self.understanding.linker.entity(iri) if hasattr(self.understanding.linker, "entity") else None
        return ent.label if ent else iri.rsplit("/", 1)[-1].replace("-", " ").title()

    def _llm(self, answer: Answer, u, timings: dict[str, float]) -> None:
        t = time.perf_counter()
        try:
            text = self.llm.answer(u.question, answer)
        except LLMError as exc:
            answer.notes.append(f"LLM unavailable ({exc}); showing the extractive answer.")
            timings["llm"] = (time.perf_counter() - t) * 1000
            return
        markers = [int(n) for n in _MARKER.findall(text)]
        valid = {c.id for c in answer.citations}
        if not markers or any(n not in valid for n in markers):
            answer.notes.append("The LLM's answer cited sources that do not exist; showing the extractive answer.")
        else:
            answer.answer = text.strip()
            answer.mode = "llm"
        timings["llm"] = (time.perf_counter() - t) * 1000


def _renumber(text: str, mapping: dict[int, int]) -> str:
    return _MARKER.sub(lambda m: f"[{mapping[int(m.group(1))]}]" if int(m.group(1)) in mapping else "", text)
