"""Question understanding: linked entities, seniority, location and intent.

Entities are linked with the same :class:`~careerkg.graph.linker.EntityLinker` as ingest.
The intent is the nearest of a few example phrasings per intent in embedding
space, adjusted by the kinds of entities linked (an employer asked "where" is a
location question; a role with "earn" is a salary question). No rule knows a
particular question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from careerkg.model import Entity, Mention
from careerkg.graph.vocab import CKG
from careerkg.graph.places import get_places
from careerkg.qa.request import (COUNTED, ORDINALS, SENIORITY, Constraint, Request, answer_types, count_unit,
                                  levels_named, pay_basis, places_in, publisher_spans, source_spans)
from careerkg.qa.rolewords import (GENERIC_ROLE_WORDS, NOT_MODIFIER, ROLE_HEAD, TITLE_INITIALS, person_nouns,
                                   unknown_roles)
from careerkg.qa.spelling import common_words, english_counts
from careerkg.qa.text import APOSTROPHES

INTENT_EXAMPLES: dict[str, list[str]] = {
    "salary": [
        "How much does this job pay?", "What is the salary for this role?", "What do they earn?",
        "What is the pay range at senior level?", "What is the day rate for contractors?",
        "How much can I make in this job?", "What compensation should I expect?",
    ],
    "employers": [
        "Which companies hire for this role?", "Who are the main employers?", "Which firms are hiring?",
        "Name some organisations that employ these people", "Which companies work in this sector?",
        "Which employers are based in this city?",
    ],
    "location": [
        "Where is this company based?", "Where are the jobs located?", "In which city is the firm?",
        "Which city is the biggest hub?", "Where are the headquarters?",
    ],
    "skills": [
        "What skills do I need?", "Which tools should I learn?", "Which frameworks are used?",
        "What programming languages are expected?", "What technologies do employers ask for?",
        "Which libraries are standard for this task?",
    ],
    "transition": [
        "How long does it take to become one?", "How do I move into this role from another career?",
        "How can a data scientist switch to this job?", "What is the path from software engineering?",
        "How long is the transition?",
    ],
    "comparison": [
        "What is the difference between these two roles?", "How does this role compare to that one?",
        "Is this job better than the other one?",
    ],
    "open": [
        "What are good project ideas?", "What does the interview process look like?",
        "Do I need a PhD?", "What is the outlook for the market?", "What does a typical week involve?",
    ],
}

_OUTSIDE_LONDON = re.compile(r"\b(outside (of )?london|rest of (the )?uk|outside the capital|regions?|regional)\b", re.I)
_UK = re.compile(r"\b(uk|united kingdom|britain|nationally|national)\b", re.I)
_QUANTITY = re.compile(r"\b(how (many|much)|what (number|percentage|share))\b", re.I)


@dataclass
class Understanding:
    question: str
    intent: str
    intent_scores: dict[str, float]
    mentions: list[Mention] = field(default_factory=list)
    seniority: str | None = None
    location: str | None = None  # city IRI, ckg:UK or ckg:UKOutsideLondon
    wants_quantity: bool = False
    request: Request | None = None
    locations: tuple[str, ...] = ()  # every place asked about ("London compared with the rest of the UK")

    def iris(self, kind: str) -> list[str]:
        return list(dict.fromkeys(m.entity.iri for m in self.mentions if m.entity.kind == kind))


class QuestionUnderstanding:
    """Links entities and detects intent; example embeddings are computed once."""

    def __init__(self, linker, embedder) -> None:
        self.linker = linker
        self.embedder = embedder
        names, texts = [], []
        for intent, examples in INTENT_EXAMPLES.items():
            for ex in examples:
                names.append(intent)
                texts.append(ex)
        self._names = names
        self._examples = np.asarray(embedder.encode(texts), dtype=np.float32)
        self._abbrev = _abbreviation_patterns(linker)
        self._ner = None

    def _ner_doc(self, text: str):
        """spaCy NER over a question (tok2vec + ner only: a few ms)."""
        nlp = self.linker.nlp
        if self._ner is None:
            self._ner = [p for p in nlp.pipe_names if p not in ("tok2vec", "ner")]
        with nlp.select_pipes(disable=self._ner):
            return nlp(text)

    def _tags(self, text: str) -> dict[int, str]:
        """The question's parts of speech by where each word starts (spaCy's tagger: a few ms, run only when a
        role has a word before it to read)."""
        last = getattr(self, "_last_tags", None)  # one question asks for them per role and for its verbs: tag once
        if last is not None and last[0] == text:
            return last[1]
        nlp = self.linker.nlp
        with nlp.select_pipes(enable=[p for p in ("tok2vec", "tagger", "attribute_ruler") if p in nlp.pipe_names]):
            tags = {t.idx: t.pos_ for t in nlp(text)}
        self._last_tags = (text, tags)  # (one tuple, replaced whole: a reader on another thread sees old or new)
        return tags

    def _verbs(self, text: str) -> set[int]:
        """Where the question's verbs start."""
        return {i for i, pos in self._tags(text).items() if pos in ("VERB", "AUX")}

    def _field_before(self, text: str, m: Mention, taken: list[tuple[int, int]], proper: dict[str, str]) -> str | None:
        """A noun typed right before a known role that narrows it to a field ("a quantum software engineer",
        "a healthcare data scientist"): the evidence must name that field too. Not a level, a place, a name,
        a word of time or any word already read as something else."""
        head = m.surface.split()[-1].lower()
        if not (ROLE_HEAD.fullmatch(head) or head.rstrip("s") in person_nouns()):
            return None  # a field linked as a role ("the le wagon data science bootcamp") is no job
        w = re.search(r"(?<![\w'’-])([a-z][a-z-]{3,})\s+$", text[:m.start])
        if w is None or any(x < w.end(1) and w.start(1) < y for x, y in taken):
            return None
        word = w.group(1)
        if word in GENERIC_ROLE_WORDS or word in NOT_MODIFIER or word in proper or levels_named(word) or \
                get_places().lookup(word) is not None:
            return None
        pos = self._tags(text).get(w.start(1))
        # (tagged an adjective, a rare word that describes no person: "quantum", not "talented" or "remote")
        return word if pos in ("NOUN", "PROPN") or pos == "ADJ" and word not in common_words(3000) and not re.search(
            r"(?:ed|ous|ful|ive|able|ible|ing)$", word) else None

    def _more_mentions(self, text: str, mentions: list[Mention], labels: dict[str, list[str]]) -> list[Mention]:
        """Mentions the gazetteer misses: abbreviated roles ("ML eng") and entities discovered in guides."""
        taken = [(m.start, m.end) for m in mentions]
        out = list(mentions)

        def free(a: int, b: int) -> bool:
            return all(b <= x or y <= a for x, y in taken)

        for rx, ent in self._abbrev:
            for m in rx.finditer(text):
                if free(m.start(), m.end()):
                    out.append(Mention(ent, m.start(), m.end(), m.group(0), "abbreviation"))
                    taken.append((m.start(), m.end()))
        low = text.lower().translate(APOSTROPHES)  # "We've Got Coders" is the guides' "We’ve Got Coders"
        qwords = set(re.findall(r"\w+", low))
        for iri, names in self._label_index(labels, qwords):
            for name in names:
                first = re.match(r"\W*(\w+)", name.lower())
                if len(name) < 3 or not first or first.group(1) not in qwords:
                    continue
                name = name.translate(APOSTROPHES)
                kind = iri.split("/id/", 1)[-1].split("/", 1)[0]
                # a short name in its own case ("IT" is no "it"), or in any case when the word is no English
                # word and names an organisation ("tfl" is TfL)
                loose = len(name) < 5 and kind == "org" and name.lower() not in english_counts()
                hay, needle = (text.translate(APOSTROPHES), name) if len(name) < 5 and not loose else (low, name.lower())
                for m in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", hay):
                    a, b = m.start(), m.end()
                    inside = [(x, y) for x, y in taken if a <= x and y <= b and (x, y) != (a, b)]
                    if not free(a, b) and not (inside and all(a <= x and y <= b for x, y in taken
                                                              if not (y <= a or b <= x))):
                        continue
                    # the longer name wins: "Peakline Robotics" over the sector word "Robotics" inside it
                    out = [mm for mm in out if not (a <= mm.start and mm.end <= b)]
                    taken = [(x, y) for x, y in taken if not (a <= x and y <= b)]
                    ent = Entity(iri, kind, names[0], tuple(names[1:]), discovered=True)
                    out.append(Mention(ent, a, b, text[a:b], "graph"))
                    taken.append((a, b))
        # a clipped form of a discovered role's first word ("postdocs" for "Postdoctoral Researcher"): that role,
        # when it is the only one so named and the word is no common English word
        for m in re.finditer(r"\b[a-z]{5,}\b", low):
            if not free(m.start(), m.end()):
                continue
            word = m.group(0)[:-1] if m.group(0).endswith("s") else m.group(0)
            if word in common_words() or m.group(0) in common_words() or _negated(text, m.start()):
                continue
            hits = {iri: names for iri, names in labels.items() if "/id/role/" in iri and any(
                n.split()[0].lower().startswith(word) and len(n.split()[0]) > len(word) for n in names[:1])}
            if len(hits) == 1:
                iri, names = hits.popitem()
                known = self.linker.entity(iri)
                ent = known or Entity(iri, "role", names[0], tuple(names[1:]), discovered=True)
                out.append(Mention(ent, m.start(), m.end(), text[m.start():m.end()], "clipping"))
                taken.append((m.start(), m.end()))
        out.sort(key=lambda m: m.start)
        return out

    def _label_index(self, labels: dict[str, list[str]], qwords: set[str]):
        """Discovered entities whose labels start with a word of the question (indexed once per corpus)."""
        if getattr(self, "_labels_for", None) is not labels:
            index: dict[str, list[str]] = {}
            for iri, names in labels.items():
                known = self.linker.entity(iri)
                if known is not None and not known.discovered:
                    continue  # gazetteer entities are linked already
                for name in names:
                    first = re.match(r"\W*(\w+)", name.lower())
                    if first:
                        index.setdefault(first.group(1), []).append(iri)
            self._labels_for, self._label_first = labels, index
        iris = dict.fromkeys(i for w in qwords for i in self._label_first.get(w, ()))
        return [(i, labels[i]) for i in iris]

    def request(self, question: str, text: str, mentions: list[Mention], seniority: str | None,
                fixes: list[tuple[str, str]], proper: dict[str, str] | None = None) -> Request:
        """The question as a request: its answer type and every constraint it states (``proper``: names the
        guides only write capitalised, by their lower-case form)."""
        # NER is for names no list knows: run it only when a capitalised word is not already linked
        linked = [(m.start, m.end) for m in mentions]
        names = [m for m in re.finditer(r"\b[A-Z][\w&'.-]*", text)
                 if m.start() > 0 and not any(a <= m.start() < b for a, b in linked)]
        ents = self._ner_doc(text).ents if names else ()
        cons: list[Constraint] = []
        seen: set[tuple[str, str]] = set()

        def add(kind: str, value: str, iri: str | None = None) -> None:
            key = (kind, iri or value.lower())
            if key not in seen:
                seen.add(key)
                cons.append(Constraint(kind, value, iri))

        city_labels = {m.entity.label for m in mentions if m.entity.kind == "city"}
        sources = source_spans(text)  # the sources the question names, read once
        for m in mentions:
            if m.entity.kind == "role" and _negated(text, m.start):
                continue  # "hire from a PhD, without a postdoc": a role the question excludes is no constraint
            if m.entity.kind == "role":
                add("role", m.entity.label, m.entity.iri)
                field = self._field_before(text, m, [(x.start, x.end) for x in mentions
                                                     if x.entity.kind not in ("skill", "sector")] +
                                           [sp for _, sp in sources], proper or {})
                if field:
                    add("skill", field)
            elif m.entity.kind == "org":
                add("employer", m.entity.label, m.entity.iri)
            elif m.entity.kind == "skill" and not m.entity.discovered and not _excluded_place(text, m.surface) \
                    and not any(a <= m.start < b for _, (a, b) in sources):
                add("skill", m.entity.label, m.entity.iri)  # "job ads that mention Snowflake": evidence names it
                # (not "in the dbt case study": the source's name)
            elif m.entity.kind == "sector" and _COUNTED_AFTER.match(text, m.end):
                add("skill", m.entity.label, m.entity.iri)  # "fintech jobs": the jobs counted are fintech's
        for m in _ACRONYM_COUNTED.finditer(text) if answer_types(text)[0] in ("count", "percent") else ():
            if not any(a <= m.start() < b for a, b in ((x.start, x.end) for x in mentions)) \
                    and get_places().lookup(m.group(1)) is None and m.group(1) not in _COUNTRY_ACRONYMS:
                add("skill", m.group(1))  # "how many AI companies": an acronym no list links qualifies them too
        # a word typed in lower case that the guides only write as a name ("lloyds apprentices") is no role modifier
        named = [m.span() for m in _LOWER_WORD.finditer(text) if m.group(0) in (proper or {})]
        # "the chief executive of Universities UK": whose post it is, a name (no role "Director of Reed Specialist")
        posts = [m for m in _POST_OF.finditer(text)
                 if not any(x < m.end("org") and m.start("org") < y for x, y in linked) and _name_like(m.group("org"))]
        for r in unknown_roles(text, [(m.start, m.end) for m in mentions if m.entity.kind in ("role", "skill", "org")]
                               + named + [sp for _, sp in sources] + [m.span("org") for m in posts],
                               verbs=lambda: self._verbs(text)):
            # ("(guardian 2012)": a source)
            at = text.lower().find(r.lower())
            if at < 0 or not _negated(text, at):
                add("role", r)  # not "the ex-teacher on the data squad": who they were, not what is asked
        if seniority:
            add("seniority", seniority)
        basis = pay_basis(text)
        if basis:
            add("basis", basis)
        unit = count_unit(text)
        if unit:
            add("unit", unit)
        ner_places = [e.text for e in ents if e.label_ in ("GPE", "LOC")]
        places = places_in(text, ner_places, city_labels)
        for p in places:
            if not (p.kind == "country" and p.in_uk):  # "in the UK" is every guide's scope
                iri = next((m.entity.iri for m in mentions if m.entity.kind == "city" and m.entity.label == p.name),
                           None)
                add("place", p.name, iri)
        for m in mentions:
            if m.entity.kind == "city" and not any(c.kind == "place" and c.iri == m.entity.iri for c in cons):
                add("place", m.entity.label, m.entity.iri)
        # "Outside London, which cities ...": a place the question excludes is no constraint
        cons = [c for c in cons if not (c.kind == "place" and _excluded_place(text, c.value))]
        place_words = {w.lower() for c in cons if c.kind == "place" for w in c.value.split()}
        for e in ents:
            if e.label_ == "ORG" and not any(m.start < e.end_char and e.start_char < m.end for m in mentions) \
                    and e.text.lower() not in place_words and _name_like(e.text):
                name = re.sub(r"^(?:the|a|an)\s+|['’]s$", "", e.text, flags=re.I).strip()  # "the Royal Society's"
                if name and re.match(rf"\s+(?i:{_KINDS})\b", text[e.end_char:]):
                    # a programme's name, not an employer: "the AI & Automation apprenticeship"; "the UK Graduate
                    # route" is the "Graduate route" (one word is named with its kind below)
                    name = re.sub(r"^(?:UK|British|US|English|Scottish|Welsh)\s+", "", name)
                    if " " in name:
                        add("name", name)
                elif name:
                    add("employer", name)
        for m in posts:
            add("employer", re.sub(r"['’]s$", "", m.group("org")))
        for m in _INSTITUTION.finditer(text):  # "at the university of edinburgh" typed in lower case: a name
            words = m.group(0).split()
            if len(words) > 3 and (words[3] in common_words() or re.fullmatch(_KINDS, words[3], re.I)):
                words = words[:3]  # "the university of edinburgh earn", "the school of code bootcamp": the name
                # ends before an English word or the kind of thing it runs
            if m.group(0).islower() and not any(x < m.end() and m.start() < y for x, y in
                                                ((k.start, k.end) for k in mentions if k.entity.kind == "org")):
                add("employer", " ".join(w if w == "of" else w.capitalize() for w in words))
        for y in re.findall(r"\b(19[5-9]\d|20[0-9]\d)\b", text):
            add("period", y)
        for m in _PROGRAMME_YEAR.finditer(text):  # "salary in year 3": a year of a scheme or course
            n = m.group(1) or m.group(2)
            add("period", f"year {ORDINALS.get(n.lower(), n)}")
        spans = sources
        for s, _ in spans:
            add("source", s)
        linked = [(m.start, m.end) for m in mentions]
        for name, (a, b) in publisher_spans(text):
            cut = min([x for x, y in linked if a <= x < b] or [b])  # "ObiTech MLOps": up to the linked "MLOps"
            if not spans and text[a:cut].strip() and not any(x < a < y for x, y in linked):
                add("publisher", text[a:cut].strip())  # "the ObiTech ... figures": narrows to ObiTech if a guide is it
        # a name of two or more capitalised words that nothing above took ("the High Potential Individual
        # visa"): the guides must name it somewhere, else the question is about something they never mention
        taken = linked + [m.span() for c in cons for m in re.finditer(re.escape(c.value), text)] + \
            [sp for _, sp in spans]
        for m in _NAME_RUN.finditer(text):
            a, b = m.span()
            if a == 0 or any(x < b and a < y for x, y in taken):
                continue  # a sentence's first word is capitalised anyway; a name already a constraint
            # a person's name ("Dr Nadia Pollini's job title"): what the evidence says must be said of them
            # (not "Skilled Worker", English words NER took for a name)
            person = any(e.label_ == "PERSON" and e.start_char < b and a < e.end_char for e in ents) and \
                not all(w.lower() in common_words() for w in m.group(0).split())
            add("person" if person else "name", m.group(0))
        # a programme named by a capitalised word and its kind ("a Scale-up visa", "the NHS graduate scheme"): the
        # guides must name it, else the question is about a programme they never mention
        runs = [m.span() for m in _NAME_RUN.finditer(text)]
        for m in _NAMED_KIND.finditer(text):
            a, b = m.span()
            if a == 0 or any(x < b and a < y for x, y in taken + runs) or get_places().lookup(m.group("name")):
                continue  # "the Skilled Worker visa": the name "Skilled Worker" is asked for already
            add("name", m.group(0))
            taken.append((a, b))
        # one capitalised word that is no English word, no place and nothing linked ("Joblift", "Be.EV"):
        # a name too (a sentence's first word and short acronyms like "ML" are not)
        taken += [m.span() for m in _NAME_RUN.finditer(text)]
        for m in _ONE_NAME.finditer(text):
            a, b = m.span()
            word = m.group(0).rstrip(".")
            if a == 0 or re.search(r"[.?!:]\s*$", text[:a]) or any(x < b and a < y for x, y in taken):
                continue
            if (len(word) <= 3 and word.isupper()) or re.search(r"-[a-z]", word) or word.lower() in english_counts() \
                    or get_places().lookup(word) is not None:
                continue
            add("name", word)
        # the pay of a scheme ("school leaver programme salary", "pay on the graduate scheme"): evidence from a
        # guide naming the scheme (its English words; "nao school leaver programme" is the programme)
        for m in _SCHEME_PAY.finditer(text):
            g = "x" if m.group("x") else "y"
            words = m.group(g).split()
            while words and (words[0].lower() not in english_counts() or words[0].lower() in _NOT_SCHEME_WORD):
                words.pop(0)
            if len(words) >= 2 and not any(x < m.end(g) and m.start(g) < y for x, y in linked):
                add("name", " ".join(words))
        # a word written in lower case where only an organisation's name can stand ("when was wandisco
        # founded", "where is hackajob based"): a name when it is no English word
        for m in _NAME_SLOT.finditer(text):
            g = "name" if m.group("name") else "name2"
            a, b = m.span(g)
            words = m.group(g).split()
            if any(x < b and a < y for x, y in taken) or all(w.lower() in english_counts() for w in words):
                continue
            add("employer", m.group(g))
        # a word typed in lower case that the guides only ever write as a name ("tfl" for "TfL", "northcoders"):
        # that name
        taken += [m.span() for c in cons for m in re.finditer(re.escape(c.value), text, re.I)]
        words = list(_LOWER_WORD.finditer(text))
        for i, m in enumerate(words):
            if any(x < m.end() and m.start() < y for x, y in taken):
                continue
            nxt = words[i + 1] if i + 1 < len(words) else None
            glued = m.group(0) + nxt.group(0) if nxt and not text[m.end():nxt.start()].strip() else ""
            if glued in (proper or {}):  # "mediacity uk": the guides' "MediaCityUK"
                add("name", proper[glued])
                taken.append((m.start(), nxt.end()))
            elif m.group(0) in (proper or {}) and get_places().lookup(m.group(0)) is None and \
                    m.group(0) not in TITLE_INITIALS:
                add("name", proper[m.group(0)])
        # a named source is not also an employer constraint ("according to the Accenture Tracker")
        cons = [c for c in cons if not (c.kind == "employer" and any(
            c.value.lower() in text[a:b].lower() for _, (a, b) in spans))]
        first, more = answer_types(text)
        return Request(question, text, first, cons, fixes, places, more)

    def understand(self, question: str, qvec: list[float], *, labels: dict[str, list[str]] | None = None,
                   original: str | None = None, fixes: list[tuple[str, str]] = (),
                   proper: dict[str, str] | None = None) -> Understanding:
        """Intent, entities, level, place and the request of a (spelling-corrected) question."""
        mentions = self._more_mentions(question, self.linker.link(question, discover=False), labels or {})
        sims = self._examples @ np.asarray(qvec, dtype=np.float32)
        scores: dict[str, float] = {}
        for name, s in zip(self._names, sims):
            scores[name] = max(scores.get(name, -1.0), float(s))
        kinds = {m.entity.kind for m in mentions}
        q = question.lower()
        # entity kinds sharpen the embedding vote
        if "org" in kinds and re.search(r"\bwhere\b|\bbased\b|\blocated\b|\bheadquarter", q):
            scores["location"] += 0.15
        if "city" in kinds or "sector" in kinds:
            scores["employers"] += 0.05
        if "skill" in kinds:
            scores["skills"] += 0.05
        if re.search(r"£|\bsalar|\bpay|\bpaid\b|\bearn|\bcompensation|\bday rates?\b|\bwages?\b|\bincome"
                     r"|\bremuneration|\bhow much .*\bmake\b|\bpackage\b|\bmoney\b|\bcomp\b|\bmake\b", q):
            scores["salary"] += 0.15
        else:
            scores["salary"] -= 0.15  # no word about money: not a salary question
        if not re.search(r"\bhow long\b|\bbecom|\btransition|\bswitch|\bmov(e|ing) (in)?to\b|\bfrom\b|\bcareer "
                         r"change|\bpath|\broute|\bget (in)?to\b|\bbreak into\b|\bretrain", q):
            scores["transition"] -= 0.15  # nothing about changing career
        if not re.search(r"\bskill|\btool|\bframework|\blanguage|\blibrar|\btechnolog|\bknow|\blearn|\bstack\b"
                         r"|\bplatform|\bexpertise|\bproficien|\brequire|\bneed|\bexpect|\bused?\b|\btechnique"
                         r"|\bcertif|\bqualif|\bexperience with\b", q):
            scores["skills"] -= 0.15  # nothing about what one must know
        if re.search(r"\bdifferen|\bvs\.?\b|\bversus\b|\bcompare|\bcomparison\b", q):
            scores["comparison"] += 0.15
        if re.search(r"\bhow many\b", q):
            scores["salary"] -= 0.2  # a count, not an amount of money
        intent = max(scores, key=scores.get)
        if scores[intent] < 0.25:
            intent = "open"
        seniority = next((lvl for rx, lvl in SENIORITY if rx.search(question)), None)
        location = None
        cities = [m.entity.iri for m in mentions if m.entity.kind == "city"]
        if _OUTSIDE_LONDON.search(question):
            location = str(CKG.UKOutsideLondon)
        elif cities:
            location = cities[0]
        elif _UK.search(question):
            location = str(CKG.UK)
        locations = tuple(dict.fromkeys(cities + ([str(CKG.UKOutsideLondon)] if _OUTSIDE_LONDON.search(question)
                                                  else [])))
        req = self.request(original or question, question, mentions, seniority, list(fixes), proper or {})
        return Understanding(question, intent, scores, mentions, seniority, location,
                             bool(_QUANTITY.search(question)), req, locations)


_LOWER_WORD = re.compile(r"(?<![\w.&-])[a-z][a-z0-9]*(?:[.&-][a-z0-9]+)*")
_KINDS = r"visas?|schemes?|programmes?|programs?|apprenticeships?|fellowships?|bootcamps?|routes?"
_NAMED_KIND = re.compile(rf"(?<![\w'’-])(?P<name>(?!(?i:{_KINDS})\b)[A-Z][a-z][\w-]*(?:\s+[A-Z][a-z][\w-]*)*)(?<!['’]s)"
                         rf"\s+(?:{_KINDS})\b")
_NAME_RUN = re.compile(r"(?<![\w'’])[A-Z][a-z]+(?:[ \t]+(?:(?:in|of|for|and|&)[ \t]+)?[A-Z][a-z]+)+(?!\w|['’](?!s\b))")
_ONE_NAME = re.compile(r"(?<![\w'’.-])[A-Z][\w&.-]*[\w](?![\w'’-])")
# a scheme whose pay is asked ("school leaver programme salary", "salary on the graduate scheme")
_SCHEME_PAY = re.compile(r"(?P<x>(?:[a-z][\w-]*\s+){1,2}(?:programmes?|programs?|schemes?|apprenticeships?|internships?|"
                         r"placements?))\s+(?:salary|salaries|pay|wages?|stipend)\b"
                         r"|\b(?:salary|salaries|pay|wages?|stipend)\s+(?:on|for|of)\s+(?:the|a|an)\s+"
                         r"(?P<y>(?:[a-z][\w-]*\s+){1,2}(?:programmes?|programs?|schemes?|apprenticeships?|internships?|"
                         r"placements?))\b", re.I)
_NOT_SCHEME_WORD = frozenset("the a an my your our their this that what whats which whose how average avg typical starting "
                             "usual".split())
# the place of an organisation's name in a question about where it is, when it began or who runs it
# an institution named by its kind and place: "university of edinburgh", "bank of england"
_INSTITUTION = re.compile(r"\b(?:university|college|bank|institute|council|school) of [a-z]+(?: [a-z]+)?\b(?<!\bof the)",
                          re.I)
_NEGATED = re.compile(r"\b(?:without|not|no|except|excluding|other than|rather than|instead of|besides)\s+"
                      r"(?:(?:a|an|the|any|being)\s+)?$|\b(?:ex-|former\s+)$", re.I)


def _negated(text: str, start: int) -> bool:
    """The words before ``start`` exclude what follows: "without a postdoc", "other than data scientists", "the
    ex-teacher" (who someone was)."""
    return _NEGATED.search(text, max(0, start - 30), start) is not None


# what a count or share is of, right after a field that qualifies it ("AI companies", "fintech jobs")
_COUNTED_AFTER = re.compile(rf"[ \t]+{COUNTED}", re.I)
_ACRONYM_COUNTED = re.compile(rf"\b([A-Z]{{2,5}})(?=[ \t]+(?i:{COUNTED}))")
_COUNTRY_ACRONYMS = frozenset({"UK", "US", "USA", "EU", "UAE"})
# the year of a programme a question asks about: "in year 3", "year two", "in their third year"
_PROGRAMME_YEAR = re.compile(r"\byear\s+([1-7]|one|two|three|four|five|six|seven)\b(?![.,]\d)|"
                             r"\b(?:in|during)\s+(?:the|their|your|its)\s+(first|second|third|fourth|fifth|1st|2nd|3rd|"
                             r"4th|5th)\s+year\b", re.I)
# an organisation named by a post in it ("the chief executive of Universities UK", "head of AI at Monzo")
_POST_OF = re.compile(r"\b(?i:chief executive|ceo|head|director|founder|co-?founder|chair(?:man|woman|person)?|president|"
                      r"boss|leader|vice-chancellor)\s+(?i:of|at)\s+(?:the\s+)?"
                      r"(?P<org>[A-Z][\w&'’.-]*(?:\s+(?:(?:of|for|and|&)\s+)?[A-Z][\w&'’.-]*)*)")
_NAME_SLOT = re.compile(
    r"\b(?i:where|when)\s+(?i:is|are|was|were|did)\s+(?i:the\s+)?(?P<name>[a-z][\w.&-]*(?:\s+[a-z][\w.&-]*)?)\s+"
    r"(?i:based|headquartered|located|founded|started|set up|launched|established|open|opened|begin|began)\b"
    r"|\b(?i:who)\s+(?i:founded|co-?founded|started|set up|owns|runs|leads|heads)\s+(?i:the\s+)?"
    r"(?P<name2>[a-z][\w.&-]*(?:\s+[a-z][\w.&-]*)?)\s*\??\s*$")


def _excluded_place(text: str, place: str) -> bool:
    """The question names ``place`` (or a skill) only to exclude it ("outside London", "besides Python")."""
    return re.search(rf"\b(?:outside|beyond|except|excluding|other than|apart from|aside from|besides|instead of|not in)"
                     rf"\s+(?:of\s+)?(?:the\s+)?"
                     rf"{re.escape(place)}\b", text, re.I) is not None and \
        re.search(rf"\b(?:in|at|for|near)\s+(?:the\s+)?{re.escape(place)}\b", text, re.I) is None


def _name_like(text: str) -> bool:
    """An organisation name, not acronyms of the field ("ML", "AI / ML") or a lower-case phrase."""
    words = re.findall(r"[\w&.'-]+", text)
    return any(w[:1].isupper() for w in words) and not all(len(w) <= 3 and w.isupper() for w in words)


def _abbreviation_patterns(linker) -> list[tuple[re.Pattern, Entity]]:
    """Role aliases of two or more words, each word after the first allowed to be cut short
    ("ML eng" for "ML engineer", "data sci" for "data scientist")."""
    from careerkg.text import english_counts

    english = english_counts()
    out = []
    seen = set()
    for ent in linker.gazetteer.of_kind("role"):
        for alias in (ent.label, *ent.aliases):
            words = alias.split()
            if len(words) < 2 or alias.lower() in seen:
                continue
            seen.add(alias.lower())
            parts = [re.escape(words[0])]
            for w in words[1:]:
                head, tail = w[:3], w[3:]
                opt = "".join(f"(?:{re.escape(ch)}" for ch in tail) + ")?" * len(tail)
                # a word of its own is no cut ("ML research" is the work, not "ML researcher"; "data engine")
                words_of_own = [w[:i] for i in range(5, len(w)) if w[:i].lower() in english]
                avoid = f"(?!(?i:{'|'.join(map(re.escape, words_of_own))})s?(?!\\w))" if words_of_own else ""
                parts.append(avoid + re.escape(head) + opt)
            out.append((re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"s?(?!\w)", re.I), ent))
    return out
