"""Question understanding: linked entities, seniority, location and intent.

Entities are linked with the same :class:`~graph.linker.EntityLinker` as ingest.
The intent is the nearest of a few example phrasings per intent in embedding
space, adjusted by the kinds of entities linked (an employer asked "where" is a
location question; a role with "earn" is a salary question). No rule knows a
particular question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from careerkg.model import Mention
from graph.vocab import CKG

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

_SENIORITY = [
    (re.compile(r"\b(junior|entry[- ]level|graduate|grad|beginner)s?\b", re.I), "Junior"),
    (re.compile(r"\b(mid[- ]?level|mid|intermediate)\b", re.I), "Mid"),
    (re.compile(r"\b(senior|sr\.?)\b", re.I), "Senior"),
    (re.compile(r"\b(lead|leads|head of)\b", re.I), "Lead"),
    (re.compile(r"\b(principal|staff)\b", re.I), "Principal"),
    (re.compile(r"\b(contractors?|contract|day[- ]rates?|per day|freelance)\b", re.I), "Contractor"),
]
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

    def understand(self, question: str, qvec: list[float]) -> Understanding:
        mentions = self.linker.link(question, discover=False)
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
                     r"|\bremuneration|\bhow much .*\bmake\b|\bpackage\b", q):
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
        seniority = next((lvl for rx, lvl in _SENIORITY if rx.search(question)), None)
        location = None
        cities = [m.entity.iri for m in mentions if m.entity.kind == "city"]
        if _OUTSIDE_LONDON.search(question):
            location = str(CKG.UKOutsideLondon)
        elif cities:
            location = cities[0]
        elif _UK.search(question):
            location = str(CKG.UK)
        return Understanding(question, intent, scores, mentions, seniority, location,
                             bool(_QUANTITY.search(question)))
