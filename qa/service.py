"""The question-answering service: it coordinates the steps and holds nothing of its own.

spell -> understand (request: answer type + constraints) -> scope (which guides and evidence may
answer) -> graph facts -> retrieval -> sentence selection -> cite, or abstain naming what is unmet.
The thresholds live in :class:`careerkg.qa.policy.AnswerPolicy`.
"""

from __future__ import annotations

import re
import time

from careerkg.errors import InvalidInput
from careerkg.model import Answer, EntityRef
from careerkg.settings import Settings
from careerkg.text import is_table_header, is_table_row, previous_sentence
from careerkg.graph.places import fold, get_places
from careerkg.qa.cache import AnswerCache
from careerkg.qa.citations import CitationSet
from careerkg.qa.compose import Composer, Draft, Statement, antecedent_start, continue_enumeration
from careerkg.graph.claims import GraphLookups
from careerkg.qa.figures import fits_any, fits_type
from careerkg.qa.guides import DocView, proper_nouns, word_keys
from careerkg.qa.policy import DEFAULT_POLICY, TEMPLATE_WORDS, AnswerPolicy, Scope
from careerkg.qa.persons import names_person
from careerkg.qa.request import PERSON, PLACE, TYPED, Constraint, asks_length, asks_why
from careerkg.ingest.units import UnitMatrix
from careerkg.qa.retrieve import Passage, Retriever
from careerkg.qa.spelling import Speller, common_words
from careerkg.qa.text import QUESTION_WORDS, tokens
from careerkg.qa.understand import QuestionUnderstanding
from careerkg.qa.unmet import nearest_lack, reason

MAX_QUESTION = 1000
_TEMPLATE_STEMS = frozenset(t for w in TEMPLATE_WORDS for t in tokens(w))
_MARKER = re.compile(r"\[(\d{1,3})\]")


class QAService:
    """Answers questions over the current documents, with exact citations.

    Args:
        settings: top_k default and LLM configuration.
        pipeline: gives document texts, titles, the manifest and the read lock.
        linker: the entity linker shared with ingest.
        graph, index, embedder: the stores and the model.
        policy: the answer policy's thresholds.
    """

    def __init__(self, settings: Settings, pipeline, linker, graph, index, embedder,
                 policy: AnswerPolicy = DEFAULT_POLICY) -> None:
        self.settings = settings
        self.pipeline = pipeline
        self.embedder = embedder
        self.policy = policy
        self.understanding = QuestionUnderstanding(linker, embedder)
        self.retriever = Retriever(index, graph, self._current)
        self.composer = Composer(GraphLookups(graph), policy)
        self._per_generation: tuple | None = None  # (generation, speller, guides, word index, orgs, proper nouns)
        self._units: UnitMatrix | None = None
        self.answers = AnswerCache(settings.answer_cache)
        from careerkg.qa.asof import AsOfAnswers
        from careerkg.qa.llm import LLMClient

        self.llm = LLMClient(settings)  # tests swap in a client with litellm's mock_response
        self.as_of = AsOfAnswers(self)

    def over(self, corpus) -> "QAService":
        """The same service (understanding, policy, LLM) answering from another corpus: the guides as they
        were at a date (:class:`careerkg.ingest.asof.AsOfCorpus`)."""
        qa = object.__new__(QAService)
        qa.settings, qa.pipeline, qa.embedder, qa.policy = self.settings, corpus, self.embedder, self.policy
        qa.understanding, qa.llm, qa.as_of = self.understanding, self.llm, None
        qa.retriever = Retriever(corpus.index, corpus.graph, qa._current)
        qa.composer = Composer(GraphLookups(corpus.graph), self.policy)
        qa._per_generation, qa._units = None, None
        qa.answers = AnswerCache(0)  # an old corpus has no generation of its own
        return qa

    def _current(self):
        m = self.pipeline.manifest
        return m.generation, {d: r.sha256 for d, r in m.docs.items()}

    def _title(self, doc_id: str) -> str:
        rec = self.pipeline.manifest.docs.get(doc_id)
        return rec.title if rec else doc_id

    def _generation_state(self, corpus) -> tuple[Speller, dict[str, DocView]]:
        """The speller and the guides' views, rebuilt when the corpus changes."""
        state = self._per_generation
        if state is not None and state[0] == corpus.generation:
            return state[1], state[2]
        linker = self.understanding.linker
        protected = {w for f in linker.gazetteer.forms for w in re.findall(r"[A-Za-z]+", f.text)}
        docs: dict[str, DocView] = {}
        role_counts: dict[str, dict[str, int]] = {}
        for iri, chunk_ids in corpus.mentions.items():
            if "/id/role/" not in iri:
                continue
            for cid in chunk_ids:
                i = corpus.by_id.get(cid)
                if i is not None:
                    d = corpus.chunks[i].doc_id
                    role_counts.setdefault(d, {})[iri] = role_counts.setdefault(d, {}).get(iri, 0) + 1
        for doc_id, rec in self.pipeline.manifest.docs.items():
            try:
                text = self.pipeline.text(doc_id)
            except Exception:  # noqa: BLE001 - a guide being replaced right now is skipped, not fatal
                continue
            counts = role_counts.get(doc_id, {})
            # a known role is the guide's main role before a title discovered in it (as at ingest)
            counts = {i: n for i, n in counts.items() if linker.gazetteer.get(i) is not None} or counts
            docs[doc_id] = DocView(doc_id, rec.title or doc_id, text, getattr(rec, "publisher", None) or "",
                                   getattr(rec, "source_url", None) or "",
                                   max(counts, key=counts.get) if counts else None)
        words: dict[str, set[str]] = {}
        for doc_id, v in docs.items():
            for w in word_keys(v.text):
                words.setdefault(w, set()).add(doc_id)
        orgs: dict[str, tuple[str, ...]] = {}
        for iri, names in corpus.labels.items():
            if "/id/org/" in iri:
                for n in names:
                    key = re.findall(r"\w+", fold(n))
                    if key:
                        orgs[key[0]] = orgs.get(key[0], ()) + (fold(n),)
        proper = proper_nouns(docs)
        # a name's possessive typed without its apostrophe ("dysons") is no typo of the name
        speller = Speller(dict(corpus.words), protected | {k for k, v in proper.items() if k != v.lower()})
        self._per_generation = (corpus.generation, speller, docs, words, orgs, proper)
        return speller, docs

    def ask(self, question: str, *, top_k: int | None = None, mode: str | None = None, as_of=None) -> Answer:
        """Answer a question (``as_of``: a date; from the guides' versions current then, see :mod:`careerkg.qa.asof`).

        Raises:
            InvalidInput: empty or over-long question, unknown mode.
        """
        if as_of is not None and self.as_of is not None:
            return self.as_of.ask(question, as_of, top_k=top_k, mode=mode)
        question = (question or "").strip()
        if not question:
            raise InvalidInput("question is empty")
        if len(question) > MAX_QUESTION:
            raise InvalidInput(f"question is longer than {MAX_QUESTION} characters")
        mode = mode or ("llm" if self.settings.llm_model else "extractive")
        if mode not in ("extractive", "llm"):
            raise InvalidInput("mode must be 'extractive' or 'llm'")
        k = top_k or self.settings.top_k
        t = time.perf_counter()
        key = (question, k, mode)
        if mode == "extractive":  # an LLM's answer is worth writing again: it is not kept
            hit = self.answers.get(key, self.pipeline.manifest.generation)
            if hit is not None:
                hit.timings_ms = {"cached": round((time.perf_counter() - t) * 1000, 2)}
                return hit
        timings: dict[str, float] = {}
        corpus = self.retriever.corpus()
        speller, docs = self._generation_state(corpus)
        places = get_places()
        text, fixes = speller.correct(question, is_place=lambda w: w in places)
        qvec = self.embedder.encode_one(text)
        u = self.understanding.understand(text, qvec, labels=corpus.labels, original=question, fixes=fixes,
                                          proper=self._per_generation[5])
        timings["understand"] = (time.perf_counter() - t) * 1000
        with self.pipeline.lock.read():  # one whole version of every guide for the evidence
            answer = self._answer(u, qvec, k, timings, docs)
            # kept only when everything it was made from is of one generation (a write between reading the
            # question and taking the lock mixes two: such an answer is given once, never kept)
            state = self._per_generation
            consistent = self.pipeline.manifest.generation == corpus.generation and state is not None \
                and state[0] == corpus.generation
        if mode == "llm" and not answer.abstained:
            # the model only rewrites quotes already taken and checked: writers need not wait for it
            self._llm(answer, u, timings)
        if fixes:
            answer.notes.append("Read as: " + ", ".join(f"{a} → {b}" for a, b in fixes))
        answer.timings_ms = {k2: round(v, 2) for k2, v in timings.items()}
        if mode == "extractive" and consistent:
            self.answers.put(key, corpus.generation, answer)
        return answer

    # ------------------------------------------------------------------ the answer
    def _answer(self, u, qvec, k: int, timings: dict[str, float], docs: dict[str, DocView]) -> Answer:
        t = time.perf_counter()
        scope = self._scope(u.request, u, docs)
        if scope.unmet:  # a constraint no guide (of the named source) mentions at all
            timings["graph"] = (time.perf_counter() - t) * 1000
            return self._abstain(u, scope.unmet, qvec, k, docs, timings)
        answer, unmet = self._compose(u, qvec, k, scope, timings)
        if answer is None:
            return self._abstain(u, unmet, qvec, k, docs, timings)
        return answer

    def _scope(self, req, u, docs: dict[str, DocView]) -> Scope:
        """The request held against the current guides, with this generation's word and organisation indexes."""
        _, _, _, words, orgs, _ = self._per_generation
        return Scope(req, docs, self._aliases(u), self.policy, words, org_names=orgs)

    def _compose(self, u, qvec, k: int, scope: Scope, timings: dict[str, float]):
        """The answer from evidence meeting every constraint, or ``(None, unmet)``."""
        t = time.perf_counter()
        req = u.request
        cites = CitationSet(self.pipeline.text, self._title)
        draft = Draft()
        if u.intent == "salary" and req.answer_type == "amount":
            self.composer.salary(u, cites, draft, scope)
        elif (u.intent in ("location", "employers", "skills") and req.answer_type in ("list", "place", "explanation")
              and not asks_why(req.text) and not req.of("person")) or (u.intent == "transition" and
                                                                        req.answer_type == "duration"):
            # a "why ..." question asks for a reason, one about a person ("Dr X's job title") for what is said of
            # them: a list of facts about the things it names is no answer
            self.composer.relations(u, cites, draft, scope)
        if draft.graph_backed and (not any(fits_any(req.answer_types, st.text) for st in draft.statements)
                                   or (u.intent != "salary" and self._uncovered(u, cites))
                                   or req.answer_type == PLACE and draft.facts and all(
                    re.search(rf"\b{re.escape(f.object)}\b", req.text, re.I) for f in draft.facts)):
            # (or places the question names itself: "where in Belfast ..." is not answered by "X is in Belfast")
            # facts, but not what was asked (a figure of another kind, or a word of the question they never touch)
            cites, draft = CitationSet(self.pipeline.text, self._title), Draft()
        timings["graph"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        corpus = self.retriever.corpus()
        entity_iris = [m.entity.iri for m in u.mentions]
        passages = self.retriever.retrieve(u.question, qvec, entity_iris=entity_iris, k=k,
                                           docs=scope.allowed if scope.allowed != set(scope.docs) else None)
        timings["retrieve"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        units, extra = self._unit_candidates(qvec, scope, corpus, req.answer_types)
        # "how long can the visa be granted for" asks for a length: "in the past 8 months alone" is none (but
        # "how recent must the degree be" is answered by "in the past 5 years")
        windows = not asks_length(req.text)
        best = self.composer.sentences(u, passages, corpus.idf, corpus.vocab, units, extra,
                                       fits=lambda text: fits_any(req.answer_types, text, windows=windows),
                                       context_of=lambda d, a: scope.context(d, a))
        pol = self.policy

        def support(cov: float, sim: float, dense: float) -> float:
            """Lexical coverage of the question by one span, or its semantic closeness (unit or passage)."""
            by_sim = pol.support_min * max(0.0, sim - pol.similarity_floor) / (pol.similarity_support
                                                                               - pol.similarity_floor)
            close = max(by_sim, pol.dense_weight * max(0.0, dense - pol.dense_floor))
            return max(cov, pol.coverage_weight * cov + close)

        top = max((support(c, sm, p.dense) for c, sm, p, *_ in best), default=0.0)
        chosen, failed = [], []
        # a question wanting a figure of one kind, or a place, reads only spans holding one: less support will do
        gate = pol.typed_support_min if req.answer_type in TYPED | {PLACE} else pol.support_min
        if draft.graph_backed or top >= gate:
            want = pol.graph_statements if draft.graph_backed else pol.text_statements
            floor = pol.graph_sentence_min if draft.graph_backed else min(pol.sentence_min, top)
            # when every span that clears the floor fails the question's constraints, the first statement may
            # be any span with the support to answer at all ("in the office two days per week" is no length of
            # the programme; "This four-year programme ..." is)
            bars = [floor] if draft.graph_backed or gate >= floor else [floor, gate]
            for n_pass, bar in enumerate(bars):
                if chosen:
                    break
                for cov_i, sim_i, p, a, b in best:
                    sup = support(cov_i, sim_i, p.dense)
                    if sup < bar or len(chosen) >= want or (n_pass and sup >= floor):
                        continue  # (the second pass reads only the spans below the floor: the others failed)
                    text = p.text[a - p.start:b - p.start]
                    if any(a < cb and ca < b for _, _, ca, cb in chosen) or any(
                            c.doc_id == p.doc_id and a < c.end and c.start < b for c in cites.citations) or any(
                            _same_words(text, cp.text[ca - cp.start:cb - cp.start]) for _, cp, ca, cb in chosen):
                        continue  # already quoted (a page repeating a sentence is quoted once), or cited as a fact
                    if is_table_header(self.pipeline.text(p.doc_id), a, b):
                        continue  # a table's header row: labels, not an answer
                    miss = scope.satisfies(p.doc_id, a, b)
                    if not miss and not fits_any(req.answer_types, text, windows=windows):
                        miss = [Constraint("figure", req.answer_type)]
                    if not miss and req.answer_type == PERSON and not names_person(
                            req, text, self.understanding._ner_doc,
                            previous_sentence(self.pipeline.text(p.doc_id), a)):
                        miss = [Constraint("person", "a person")]
                    if miss:
                        failed.append(miss)
                        continue
                    chosen.append((cov_i, p, a, b))
        if chosen and (len(req.of("place")) > 1 or len(req.answer_types) > 1):
            chosen = self._each_part(scope, best, chosen, support)
        if not draft.graph_backed and not chosen:
            timings["compose"] = (time.perf_counter() - t) * 1000
            unmet = nearest_lack(failed[:5]) if failed else ([Constraint("figure", req.answer_type)]
                                              if req.answer_type in ("amount", "count", "percent", "duration", "date")
                                              else [])
            return None, unmet
        spans = [(p.doc_id, a, b) for _, p, a, b in chosen]
        for _, p, a, b in chosen:
            doc_text = self.pipeline.text(p.doc_id)
            b = continue_enumeration(self.understanding.linker, doc_text, a, b)
            a2 = antecedent_start(doc_text, a)  # "The latter pays more": said with what it points back to
            if not any(d == p.doc_id and a2 < y and x < a and (x, y) != (a, b) for d, x, y in spans):
                a = a2  # unless what it points back to is quoted already
            n = cites.add(p.doc_id, p.chunk_id, a, b)
            if n is not None:  # the guide's text: a list continued past the chunk's end is said in full
                draft.statements.append(Statement(f"{doc_text[a:b]} [{n}]", [n]))
        answer = self._finish(u, draft, cites, abstained=False)
        timings["compose"] = (time.perf_counter() - t) * 1000
        return answer, []

    def _each_part(self, scope: Scope, best, chosen, support):
        """For a question naming several places, or asking two things ("what time ..., and how long
        ..."), the best further span for each place or part the chosen spans miss."""
        req = scope.request
        needs = [(lambda d, a, b, t, pl=c.value: pl in scope.places_met(d, a, b)) for c in req.of("place")] \
            if len(req.of("place")) > 1 else []
        if len(req.answer_types) > 1:
            needs += [(lambda d, a, b, t, ty=ty: fits_type(ty, t)) for ty in req.answer_types]
        for need in needs:
            if any(need(p.doc_id, a, b, p.text[a - p.start:b - p.start]) for _, p, a, b in chosen):
                continue
            for cov_i, sim_i, p, a, b in best:
                text = p.text[a - p.start:b - p.start]
                if support(cov_i, sim_i, p.dense) < self.policy.sentence_min * 0.5 or \
                        not need(p.doc_id, a, b, text) or scope.satisfies(p.doc_id, a, b) or \
                        not fits_any(req.answer_types, text) or any(a < cb and ca < b for _, _, ca, cb in chosen):
                    continue
                chosen.append((cov_i, p, a, b))
                break
        return chosen

    def _finish(self, u, draft: Draft, cites: CitationSet, *, abstained: bool, lead: str = "") -> Answer:
        used = [n for s in draft.statements for n in s.cites]
        mapping = cites.renumber(used)
        text = " ".join(_renumber(s.text, mapping) for s in draft.statements)
        facts = [type(f)(f.subject, f.predicate, f.object, tuple(mapping[n] for n in f.citations if n in mapping))
                 for f in draft.facts]
        conflicts = [type(c)(c.about, c.values, tuple(mapping[n] for n in c.citations if n in mapping))
                     for c in draft.conflicts]
        return Answer(u.request.question, (lead + " " + text).strip(), abstained, "extractive", list(cites.citations),
                      facts, conflicts, self._entities(u), u.intent)

    def _abstain(self, u, unmet: list[Constraint], qvec, k: int, docs: dict[str, DocView],
                 timings: dict[str, float]) -> Answer:
        """An abstention naming what is missing, then the nearest evidence the guides hold (labelled)."""
        t = time.perf_counter()
        lead = f"I can't answer that from the sources. {reason(unmet, [c.value for c in u.request.of('source')])}"
        nearest = None
        relaxable = [c for c in unmet if c.kind in ("place", "period", "role", "source", "employer", "basis", "skill")]
        if relaxable and len(u.request.constraints) > len(relaxable) - 1:
            req = u.request
            kept = [c for c in req.constraints if c not in relaxable]
            saved = req.constraints
            req.constraints = kept
            try:
                scope = self._scope(req, u, docs)
                if not scope.unmet:
                    nearest, _ = self._compose(u, qvec, k, scope, {})
            finally:
                req.constraints = saved
        if nearest is not None and nearest.citations:
            answer = nearest
            answer.answer = f"{lead} The nearest the guides hold, not an answer to the question: {nearest.answer}"
            answer.abstained = True
            answer.conflicts = []
        else:
            answer = Answer(u.request.question, f"{lead} {self._cover(u)}", True, "extractive",
                            entities=self._entities(u), intent=u.intent)
        answer.unmet = [{"constraint": c.kind, "value": c.value} for c in unmet]
        timings["compose"] = timings.get("compose", 0.0) + (time.perf_counter() - t) * 1000
        return answer

    def _unit_candidates(self, qvec, scope: Scope, corpus, answer_types: tuple[str, ...]):
        """Units closest to the question by their own vectors: cosine per span, and passages for those
        the retrieved chunks miss (so the right table row or sentence is found wherever it stands).
        For a question wanting a figure, the closest units *holding such a figure* are taken."""
        matrix = self._unit_matrix()
        docs = scope.allowed if scope.allowed != set(scope.docs) else None
        def holds_figure(d: str, a: int, b: int) -> bool:
            try:
                return fits_any(answer_types, self.pipeline.text(d)[a:b])
            except Exception:  # noqa: BLE001 - a guide removed since the matrix was loaded
                return False

        keep = holds_figure if all(t in TYPED for t in answer_types) else None
        found = matrix.search(qvec, self.policy.unit_candidates, docs)
        lead = found[:self.policy.unit_candidates // 2]
        if keep is not None:
            typed = matrix.search(qvec, self.policy.unit_candidates, docs, keep=keep)
            lead = sorted({(d, a, b): (s, d, a, b) for s, d, a, b in lead + typed}.values(), reverse=True)
            found = found + typed
        sims = {(d, a, b): s for s, d, a, b in found}
        extra = []
        for s, d, a, b in lead:
            chunk = corpus.chunk_at(d, a)
            if chunk is None:
                continue
            try:
                text = self.pipeline.text(d)
            except Exception:  # noqa: BLE001 - a guide removed since the matrix was loaded
                continue
            start = a
            if is_table_row(text[a:b]):  # a table row: the passage starts at its table's header row
                while start > 0:
                    prev = text.rfind("\n", 0, start - 1) + 1
                    if not is_table_row(text[prev:start]):
                        break
                    start = prev
            if text[a:b].rstrip().endswith(":"):  # a lead-in ("Employers involved in creating the standard:"):
                # the passage goes on over the line of items it introduces
                m = re.match(r"[ \t]*\n(?:[ \t]*\n)*[^\n]+", text[b:b + 2000])
                b = b + m.end() if m else b
            extra.append(Passage(chunk.chunk_id, d, chunk.title, start, b, text[start:b], 0.0, {"unit": 1}, s))
        return sims, extra

    def _unit_matrix(self) -> UnitMatrix:
        gen, shas = self._current()
        m = self._units
        if m is None or m.generation != gen:
            m = self._units = UnitMatrix.load(self.pipeline.data_dir, gen, shas)
        return m

    def _uncovered(self, u, cites: CitationSet) -> list[str]:
        """Content words of the question that neither the cited evidence nor the answer's template speaks to."""
        named = " ".join(m.surface for m in u.mentions) + " " + " ".join(c.value for c in u.request.constraints)
        skip = set(tokens(named)) | _TEMPLATE_STEMS | QUESTION_WORDS
        quoted = set(tokens(" ".join(c.quote for c in cites.citations)))
        common = common_words(3000)  # too general to show that facts miss the point
        return [t for w, t in ((w, tokens(w)) for w in re.findall(r"[A-Za-z]+", u.question)) if t
                for t in t if t not in skip and t not in quoted and w.lower() not in common]

    def _cover(self, u) -> str:
        docs = len(self.pipeline.manifest.docs)
        return (f"The {docs} guides cover ML and data roles in the UK: salaries by level and location, employers,"
                f" skills, and how to move into these roles.")

    def _aliases(self, u) -> dict[str, tuple[str, ...]]:
        out = {}
        for m in u.mentions:
            ent = self.understanding.linker.entity(m.entity.iri) or m.entity
            out[m.entity.iri] = (ent.label, *ent.aliases)
        return out

    def _entities(self, u) -> list[EntityRef]:
        seen = {}
        for m in u.mentions:
            seen.setdefault(m.entity.iri, EntityRef(m.entity.iri, m.entity.label, m.entity.kind))
        return list(seen.values())

    def _llm(self, answer: Answer, u, timings: dict[str, float]) -> None:
        """The LLM's answer, kept sentence by sentence where it holds to its quotes (qa.llm, qa.validate);
        otherwise the extractive answer with a note. ``LLMError`` never escapes."""
        from careerkg.qa.llm import llm_answer

        llm_answer(self.llm, u.question, answer, timings)


def _same_words(a: str, b: str) -> bool:
    """One span's words hold the other's, word for word (a sentence a page repeats, alone or with the next one)."""
    x, y = (" " + " ".join(re.findall(r"\w+", t.lower())) + " " for t in (a, b))
    return min(len(x), len(y)) > 20 and (x in y or y in x)


def _renumber(text: str, mapping: dict[int, int]) -> str:
    return _MARKER.sub(lambda m: f"[{mapping[int(m.group(1))]}]" if int(m.group(1)) in mapping else "", text)


