"""The extractive composer: graph facts and the best retrieved sentences, every statement cited.

Nothing here invents text: salary figures are printed from claim values whose
evidence is cited; other statements are sentences quoted from the documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from careerkg.model import Conflict, Fact
from graph.vocab import CKG
from qa.citations import CitationSet
from qa.lookup import IN_SECTOR, LOCATED_IN, REQUIRES_SKILL, TRANSITIONS_TO, GraphLookups, RelationRow, SalaryRow
from qa.retrieve import Passage
from qa.text import QUESTION_WORDS, sentence_spans, tokens
from qa.understand import Understanding

SENIORITY_WORDS = {"Junior": "junior", "Mid": "mid-level", "Senior": "senior", "Lead": "lead",
                   "Principal": "principal/staff", "Contractor": "contract"}
UK, OUTSIDE = str(CKG.UK), str(CKG.UKOutsideLondon)


@dataclass
class Statement:
    text: str
    cites: list[int]


@dataclass
class Draft:
    statements: list[Statement] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    graph_backed: bool = False


def money(v: float | None) -> str:
    return f"£{v:,.0f}" if v is not None else ""


def salary_range(row: SalaryRow) -> str:
    if row.min_value is not None and row.max_value is not None:
        rng = f"{money(row.min_value)} – {money(row.max_value)}"
    elif row.min_value is not None:
        rng = f"{money(row.min_value)}+"
    else:
        rng = f"up to {money(row.max_value)}"
    return rng + (" per day" if row.unit == "DAY" else "")


def _where(row: SalaryRow) -> str:
    if row.location == OUTSIDE:
        return "outside London"
    if row.location == UK or not row.location:
        return "in the UK"
    return f"in {row.location_label}"


class Composer:
    def __init__(self, lookups: GraphLookups) -> None:
        self.lookups = lookups

    # ------------------------------------------------------------ graph facts
    def salary(self, u: Understanding, cites: CitationSet, draft: Draft) -> None:
        roles = u.iris("role")
        rows = [r for r in self.lookups.salaries() if not roles or r.role in roles]
        if roles and not rows:
            return
        if u.seniority:
            exact = [r for r in rows if r.seniority == u.seniority]
            if not exact and u.seniority == "Lead":
                exact = [r for r in rows if r.seniority in ("Lead", "Principal")]
            rows = exact
        if u.location and u.location != UK:
            if u.location == OUTSIDE:
                rows = [r for r in rows if r.location == OUTSIDE]
            else:
                rows = [r for r in rows if r.location == u.location]
        elif not u.seniority:
            # no level and no specific place: the figures for the role in general
            general = [r for r in rows if r.seniority is None]
            rows = general or rows
        if not rows:
            return
        rows.sort(key=lambda r: (r.evidence.doc_id, r.evidence.start))
        groups: dict[tuple, list[tuple[SalaryRow, int]]] = {}
        for r in rows[:24]:
            n = cites.add(r.evidence.doc_id, r.evidence.chunk_id, r.evidence.start, r.evidence.end, r.evidence.quote)
            if n is None:
                continue
            level = SENIORITY_WORDS.get(r.seniority or "", "")
            who = f"{level} {r.role_label}".strip() if level else r.role_label
            text = f"{who[0].upper() + who[1:]} {_where(r)}: {salary_range(r)} [{n}]."
            draft.statements.append(Statement(text, [n]))
            draft.facts.append(Fact(who, f"salary {_where(r)}", salary_range(r), (n,)))
            groups.setdefault((r.role_label, r.seniority, r.location or UK, r.unit), []).append((r, n))
        for (role, sen, loc, unit), items in groups.items():
            values = {}
            for r, n in items:
                values.setdefault(salary_range(r), []).append((r.evidence.doc_id, n))
            docs = {d for v in values.values() for d, _ in v}
            if len(values) > 1 and len(docs) > 1:
                level = SENIORITY_WORDS.get(sen or "", "")
                about = f"{level} {role} salary {_where(items[0][0])}".strip()
                draft.conflicts.append(Conflict(about, tuple(values), tuple(n for v in values.values() for _, n in v)))
        if len({r.evidence.doc_id for r, _ in (x for v in groups.values() for x in v)}) > 1 and draft.conflicts:
            draft.statements.append(Statement("The guides give different ranges; each figure is shown with its source.", []))
        draft.graph_backed = bool(draft.statements)

    def relations(self, u: Understanding, cites: CitationSet, draft: Draft) -> None:
        orgs, cities, sectors = u.iris("org"), u.iris("city"), u.iris("sector")
        roles, skills = u.iris("role"), u.iris("skill")
        rows: list[RelationRow] = []
        if u.intent == "location" and orgs:
            rows = [r for r in self.lookups.relations(LOCATED_IN) if r.subject in orgs]
        elif u.intent == "employers" and (cities or sectors):
            if cities:
                rows += [r for r in self.lookups.relations(LOCATED_IN) if r.object in cities]
            if sectors:
                rows += [r for r in self.lookups.relations(IN_SECTOR) if r.object in sectors]
        elif u.intent == "skills" and roles and not skills:
            rows = [r for r in self.lookups.relations(REQUIRES_SKILL) if r.subject in roles]
        elif u.intent == "transition":
            rows = [r for r in self.lookups.relations(TRANSITIONS_TO)
                    if (not roles or r.object in roles or r.subject in roles)]
            if len(roles) > 1:
                rows = [r for r in rows if r.subject in roles and r.object in roles] or rows
        if not rows:
            return
        by_statement: dict[str, list[int]] = {}
        for r in rows[:30]:
            n = cites.add(r.evidence.doc_id, r.evidence.chunk_id, r.evidence.start, r.evidence.end, r.evidence.quote)
            if n is None:
                continue
            text = self._relation_text(r)
            by_statement.setdefault(text, [])
            if n not in by_statement[text]:
                by_statement[text].append(n)
            draft.facts.append(Fact(r.subject_label, _PRED_NAMES.get(r.predicate, r.predicate),
                                    self._object_text(r), (n,)))
        for text, ns in list(by_statement.items())[:15]:
            draft.statements.append(Statement(f"{text} {''.join(f'[{n}]' for n in ns)}.", ns))
        draft.graph_backed = draft.graph_backed or bool(by_statement)

    @staticmethod
    def _object_text(r: RelationRow) -> str:
        if r.predicate == TRANSITIONS_TO and (r.min_months or r.max_months):
            lo, hi = r.min_months, r.max_months
            span = f"{lo:g}–{hi:g} months" if lo and hi else f"{(lo or hi):g}+ months"
            return f"{r.object_label} in {span}"
        return r.object_label

    def _relation_text(self, r: RelationRow) -> str:
        if r.predicate == LOCATED_IN:
            return f"{r.subject_label} is based in {r.object_label}"
        if r.predicate == IN_SECTOR:
            return f"{r.subject_label} works in {r.object_label}"
        if r.predicate == REQUIRES_SKILL:
            return f"{r.subject_label}s are expected to know {r.object_label}"
        return f"{r.subject_label} → {self._object_text(r)}"

    # ------------------------------------------------------------ passages
    def sentences(self, u: Understanding, passages: list[Passage], idf, vocab: set[str],
                  limit: int = 3) -> list[tuple[float, Passage, int, int]]:
        """Best sentences of the passages by idf-weighted coverage of the question's content words."""
        q = [t for t in dict.fromkeys(tokens(u.question)) if t not in QUESTION_WORDS]
        if not q:
            q = list(dict.fromkeys(tokens(u.question)))
        unknown_idf = max((idf(t) for t in vocab), default=5.0) if vocab else 5.0
        weights = {t: (idf(t) if t in vocab else unknown_idf) for t in q}
        total = sum(weights.values()) or 1.0
        names = [m.surface.lower() for m in u.mentions]
        scored = []
        for rank, p in enumerate(passages):
            for a, b in sentence_spans(p.text, p.start):
                s = p.text[a - p.start:b - p.start]
                st = set(tokens(s))
                cov = sum(w for t, w in weights.items() if t in st) / total
                ent = sum(1 for n in names if n and n in s.lower())
                score = cov + 0.05 * ent - 0.02 * rank + 0.1 * p.dense
                if len(s) < 25 or s.endswith("?"):
                    score -= 0.3  # headings and questions are not answers
                scored.append((score, cov, p, a, b))
        scored.sort(key=lambda x: -x[0])
        return [(cov, p, a, b) for _, cov, p, a, b in scored[:limit * 3]]


_PRED_NAMES = {LOCATED_IN: "located in", IN_SECTOR: "in sector", REQUIRES_SKILL: "requires skill",
               TRANSITIONS_TO: "transitions to"}

_NUMBER = re.compile(r"\d")


def has_number(text: str) -> bool:
    return bool(_NUMBER.search(text))
