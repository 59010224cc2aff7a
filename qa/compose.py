"""The extractive composer: graph facts and the best retrieved sentences, every statement cited.

Nothing here invents text: salary figures are printed from claim values whose
evidence is cited; other statements are sentences quoted from the documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from careerkg.model import Conflict, Fact
from careerkg.text import ANAPHOR, card_spans, is_heading_line, is_stats_row, is_table_row, previous_sentence, \
    sentence_spans, stats_header, table_header
from careerkg.graph.claims import (IN_SECTOR, LOCATED_IN, REQUIRES_SKILL, TRANSITIONS_TO, GraphLookups, RelationRow,
                                   SalaryRow)
from careerkg.graph.linker import get_linker
from careerkg.graph.vocab import CKG
from careerkg.ingest.salary import implausible_money
from careerkg.qa.citations import CitationSet
from careerkg.qa.figures import is_location_line
from careerkg.qa.persons import person_relation, states_relation
from careerkg.qa.request import LIST, PERSON, PLACE, asks_why
from careerkg.qa.retrieve import Passage
from careerkg.qa.text import QUESTION_WORDS, token_set, tokens
from careerkg.qa.understand import Understanding

SENIORITY_WORDS = {"Junior": "junior", "Mid": "mid-level", "Senior": "senior", "Lead": "lead",
                   "Principal": "principal/staff", "Contractor": "contract"}
UK, OUTSIDE = str(CKG.UK), str(CKG.UKOutsideLondon)


# a superlative or a ranking a question asks about
# "Start: Early September 2026": a short label and a short value (not a title, "Quick answer: data engineer salaries ...")
_LABEL_VALUE = re.compile(r"[A-Z]\w*(?: \w+){0,2}:\s+\S+(?: \S+){0,3}$")
_RANKING = re.compile(r"\b(?:most|least)\s+[a-z][\w-]+|\b(?:first|second|third|fourth|fifth)[- ](?:highest|largest|biggest|"
                      r"best|most|lowest)\b|\b(?:highest|lowest|largest|biggest|smallest|best|worst|fastest|"
                      r"slowest|cheapest|best-paid|highest-paid|top-paying)\b|\brank(?:ed|ing|s)?\b", re.I)


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


_SYMBOL = {"GBP": "£", "USD": "$", "EUR": "€"}


def money(v: float | None, currency: str = "GBP") -> str:
    """A figure in its own currency ("£95,000", "$120,000"; an unknown code is written after it)."""
    if v is None:
        return ""
    sym = _SYMBOL.get(currency)
    return f"{sym}{v:,.0f}" if sym else f"{v:,.0f} {currency}"


def salary_range(row: SalaryRow) -> str:
    cur = row.currency or "GBP"
    if row.min_value is not None and row.max_value is not None and row.min_value == row.max_value:
        rng = f"around {money(row.min_value, cur)}"
    elif row.min_value is not None and row.max_value is not None:
        rng = f"{money(row.min_value, cur)} – {money(row.max_value, cur)}"
    elif row.min_value is not None:
        rng = f"{money(row.min_value, cur)}+"
    else:
        rng = f"up to {money(row.max_value, cur)}"
    return rng + (" per day" if row.unit == "DAY" else "")


def _where(row: SalaryRow) -> str:
    if row.location == OUTSIDE:
        return "outside London"
    if not row.location and row.currency != "GBP":
        return "(figures in " + row.currency + ")"  # a guide's foreign table: no UK place is claimed
    if row.location == UK or not row.location:
        return "in the UK"
    return f"in {row.location_label}"


# three or more items of one to three words in a run: "OpenCV, PyTorch, TensorFlow", "Scala, Java and Python"
_ITEM = r"(?:[\w+#/.()%&'’-]+\s+){0,2}[\w+#/.()%&'’-]+"
_ENUMERATION = re.compile(rf"(?<![\w-]){_ITEM},\s+{_ITEM}(?:,\s+{_ITEM})*,?\s+(?:and|or)\s+{_ITEM}"
                          rf"|(?<![\w-]){_ITEM},\s+{_ITEM},\s+{_ITEM}")


_CAUSE = re.compile(r"\b(?:because|due to|as a result|(?:a |the )?result of|owing to|caused by|thanks to|driven by|"
                    r"(?:the )?reasons? (?:for|why|is|was)|led to|leads? to|means? that|so that)\b", re.I)


def gives_cause(text: str) -> bool:
    """The text gives a cause or reason ("because", "due to", "a result of", "driven by", "the reason is")."""
    return _CAUSE.search(text) is not None


def enumerates(text: str) -> bool:
    """The text lists three or more short items ("tools like OpenCV, PyTorch, TensorFlow", "Scala, Java and
    Python"); an apposition of a longer phrase ("My team, the Data Engineering squad, are ...") lists nothing."""
    return _ENUMERATION.search(text) is not None


def _head(label: str | None) -> str:
    """The last word of a role's label as a question token ("Programmers" -> "programm")."""
    words = tokens(label or "")
    return words[-1] if words else ""


class Composer:
    def __init__(self, lookups: GraphLookups, policy=None) -> None:
        from careerkg.qa.policy import DEFAULT_POLICY

        self.lookups = lookups
        self.policy = policy or DEFAULT_POLICY

    # ------------------------------------------------------------ graph facts
    def salary(self, u: Understanding, cites: CitationSet, draft: Draft, scope=None) -> None:
        """Salary claims meeting every constraint: one statement per figure (citing every guide that gives
        it), a conflict only where guides disagree on the same role, level, place and pay basis."""
        roles = u.iris("role")
        if u.iris("org") or u.iris("skill") or u.iris("sector"):
            return  # salary claims carry no employer, skill or sector: they cannot answer for one

        def fetch(**kw) -> list[SalaryRow]:
            """Claims for the asked roles at the asked level (narrowed in SPARQL, not here)."""
            got = [r for role in (roles or [None]) for r in self.lookups.salaries(role, seniority=u.seniority, **kw)]
            if not got and u.seniority == "Lead":  # "lead" figures are often given as "lead / principal"
                got = [r for role in (roles or [None]) for r in self.lookups.salaries(role, seniority="Principal", **kw)]
            return got

        if len(u.locations) > 1:  # "London compared with the rest of the UK": each place's figures
            rows = [r for loc in u.locations for r in fetch(location=loc)]
        elif u.location and u.location not in (UK, OUTSIDE):
            rows = fetch(location=u.location)
        elif u.location == OUTSIDE:
            rows = fetch(location=OUTSIDE)
        elif u.seniority:
            rows = fetch()
        else:  # no level and no specific place: the figures for the role in general
            rows = fetch(general=True) or fetch()
        if not roles:  # a question naming no role: no figure of a bare job noun ("Programmer") it does not name
            known = get_linker().gazetteer
            asked = token_set(u.question)
            rows = [r for r in rows if known.get(r.role) is not None or len(r.role_label.split()) > 1
                    or _head(r.role_label) in asked]
        if scope is not None:
            rows = [r for r in rows if not scope.satisfies(
                r.evidence.doc_id, r.evidence.start, r.evidence.end, role_iri=r.role,
                location=r.location_label or "United Kingdom", unit=r.unit, seniority=r.seniority)]
        if not rows:
            return
        # the asked place first, then the rest; within each, guide order
        rows.sort(key=lambda r: (r.location not in (u.locations or (u.location,)), r.evidence.doc_id, r.evidence.start))
        figures: dict[tuple, list[tuple[SalaryRow, int]]] = {}
        for r in rows[:self.policy.salary_rows]:
            n = cites.add(r.evidence.doc_id, r.evidence.chunk_id, r.evidence.start, r.evidence.end, r.evidence.quote)
            if n is not None:
                figures.setdefault((r.role_label, r.seniority, _where(r), r.unit, salary_range(r)), []).append((r, n))
        scopes: dict[tuple, list[tuple]] = {}
        for key in figures:
            scopes.setdefault(key[:4], []).append(key)
        for skey, keys in scopes.items():
            role, sen, where, unit = skey
            level = SENIORITY_WORDS.get(sen or "", "")
            who = f"{level} {role}".strip()
            if len(keys) > 1 and len({r.evidence.doc_id for k in keys for r, _ in figures[k]}) > 1:
                # guides disagree about the same role, level, place and pay basis
                parts = [f"{k[4]} {''.join(f'[{n}]' for n in dict.fromkeys(n for _, n in figures[k]))}" for k in keys]
                ns = list(dict.fromkeys(n for k in keys for _, n in figures[k]))
                draft.statements.append(Statement(
                    f"The guides disagree on {who} pay {where}: {' vs '.join(parts)}.", ns))
                draft.conflicts.append(Conflict(f"{who} salary {where}",
                                                tuple(f"{k[4]} ({where})" for k in keys), tuple(ns)))
            else:
                for k in keys:
                    ns = list(dict.fromkeys(n for _, n in figures[k]))  # one quote holding two claims is cited once
                    marks = "".join(f"[{n}]" for n in ns)
                    draft.statements.append(Statement(f"{who[0].upper() + who[1:]} {where}: {k[4]} {marks}.", ns))
            for k in keys:
                for n in dict.fromkeys(n for _, n in figures[k]):
                    draft.facts.append(Fact(who, f"salary {where}", k[4], (n,)))
        draft.graph_backed = bool(draft.statements)

    def relations(self, u: Understanding, cites: CitationSet, draft: Draft, scope=None) -> None:
        orgs, cities, sectors = u.iris("org"), u.iris("city"), u.iris("sector")
        roles, skills = u.iris("role"), u.iris("skill")
        rows: list[RelationRow] = []
        if u.intent in ("location", "employers") and orgs:
            rows = [r for o in orgs for r in self.lookups.relations(LOCATED_IN, subject=o)]
            if u.intent == "employers" or not rows:
                rows += [r for o in orgs for r in self.lookups.relations(IN_SECTOR, subject=o)]
        elif u.intent in ("location", "employers") and (cities or sectors):
            if cities:
                rows += [r for c in cities for r in self.lookups.relations(LOCATED_IN, object=c)]
            if sectors:
                rows += [r for sec in sectors for r in self.lookups.relations(IN_SECTOR, object=sec)]
        elif u.intent == "skills" and roles and not skills:
            rows = [r for role in roles for r in self.lookups.relations(REQUIRES_SKILL, subject=role)]
        elif u.intent == "transition":
            rows = [r for r in self.lookups.relations(TRANSITIONS_TO)
                    if (not roles or r.object in roles or r.subject in roles)]
            if len(roles) > 1:
                rows = [r for r in rows if r.subject in roles and r.object in roles]
            else:
                # without a starting role, keep transitions whose evidence speaks to the question
                q = {t for t in tokens(u.question) if t not in QUESTION_WORDS}
                rows = [r for r in rows if q & set(tokens(r.evidence.quote))]
        if scope is not None:
            rows = [r for r in rows if not scope.satisfies(
                r.evidence.doc_id, r.evidence.start, r.evidence.end,
                role_iri=r.subject if r.predicate == REQUIRES_SKILL else None,
                location=r.object_label if r.predicate == LOCATED_IN else None)]  # the claim says where
        if not rows:
            return
        if u.intent == "skills":
            rows = self._relevant_skills(u, rows)
        groups: dict[tuple[str, str], list[tuple[str, list[int]]]] = {}
        durations: dict[tuple[str, str], set[str]] = {}
        for r in rows[:self.policy.relation_rows]:
            n = cites.add(r.evidence.doc_id, r.evidence.chunk_id, r.evidence.start, r.evidence.end, r.evidence.quote)
            if n is None:
                continue
            draft.facts.append(Fact(r.subject_label, _PRED_NAMES.get(r.predicate, r.predicate),
                                    self._object_text(r), (n,)))
            head, item = self._group(r, u.intent)
            if r.predicate == TRANSITIONS_TO and (r.min_months or r.max_months):
                durations.setdefault((head, item), set()).add(self._object_text(r).rsplit(" in ", 1)[1])
            items = groups.setdefault((r.predicate, head), [])
            for name, ns in items:
                if name == item:
                    if n not in ns:
                        ns.append(n)
                    break
            else:
                items.append((item, [n]))
        for (pred, head), items in list(groups.items())[:6]:
            listed = ", ".join(
                f"{name}{' in ' + ' or '.join(sorted(durations[(head, name)])) if (head, name) in durations else ''} "
                f"{''.join(f'[{n}]' for n in ns)}" for name, ns in items[:12])
            sep = " " if head.endswith(" in") else ": "
            draft.statements.append(Statement(f"{head}{sep}{listed}.", [n for _, ns in items[:12] for n in ns]))
        draft.graph_backed = draft.graph_backed or bool(groups)

    def _group(self, r: RelationRow, intent: str) -> tuple[str, str]:
        """(statement head, list item) so that related facts read as one sentence."""
        if r.predicate == LOCATED_IN and intent == "location":
            return f"{r.subject_label} is based in", r.object_label
        if r.predicate == LOCATED_IN:
            return f"Employers the guides place in {r.object_label}", r.subject_label
        if r.predicate == IN_SECTOR:
            return f"Employers the guides name in {r.object_label}", r.subject_label
        if r.predicate == REQUIRES_SKILL:
            return f"Skills the guides expect of a {r.subject_label}", r.object_label
        return f"Moving into {r.object_label}", f"from {r.subject_label}"

    @staticmethod
    def _relevant_skills(u: Understanding, rows: list[RelationRow]) -> list[RelationRow]:
        """Skills whose evidence speaks to the question's own words first (e.g. 'deployment')."""
        q = {t for t in tokens(u.question) if t not in QUESTION_WORDS}
        q -= set(tokens("skill skills expected expect need know learn required requirements"))
        docs: dict[str, set[str]] = {}
        for r in rows:
            docs.setdefault(r.object, set()).add(r.evidence.doc_id)

        def key(r: RelationRow):
            overlap = len(q & set(tokens(r.evidence.quote)))
            return (-overlap, -len(docs[r.object]), r.object_label)

        ranked = sorted(rows, key=key)
        if q and any(q & set(tokens(r.evidence.quote)) for r in ranked):
            ranked = [r for r in ranked if q & set(tokens(r.evidence.quote))]
        return ranked

    @staticmethod
    def _object_text(r: RelationRow) -> str:
        if r.predicate == TRANSITIONS_TO and (r.min_months or r.max_months):
            lo, hi = r.min_months, r.max_months
            span = f"{lo:g}–{hi:g} months" if lo and hi else f"{(lo or hi):g}+ months"
            return f"{r.object_label} in {span}"
        return r.object_label

    # ------------------------------------------------------------ passages
    def sentences(self, u: Understanding, passages: list[Passage], idf, vocab: set[str],
                  units: dict[tuple[str, int, int], float] | None = None,
                  extra: list[Passage] = (), limit: int = 3,
                  fits=None, context_of=None) -> list[tuple[float, float, Passage, int, int]]:
        """Candidate answer spans, best first: ``(coverage, similarity, passage, start, end)``.

        Candidates are the sentences (and table rows, judged with their header row) of the retrieved
        passages, pairs of consecutive sentences of one paragraph, and ``extra`` units found by their
        own vectors. A sentence that is itself a question (an FAQ entry) hands its coverage to the
        sentence that answers it; headings are not answers. Coverage is the idf-weighted share of the
        question's content words a span holds; similarity the cosine of its unit vector (``units``).
        ``fits(text)`` keeps only spans of the kind of answer asked (a duration, an amount ...);
        ``context_of(doc_id, start)`` gives a span's section heading and guide title, whose words count
        half (a line "Salary: £28,500" in a guide titled "TfL Software Development Graduate").
        """
        units = units or {}
        # the words naming a source ("according to Hired's 2022 report") chose the guides: they count a third,
        # so that a sentence about how the report was made does not outrank the figure asked for, while a
        # sentence quoting a source the guide cites ("SJD Accountancy found ...") still gains from it
        named = u.request.of("source") + u.request.of("publisher")
        source_words = set(tokens(" ".join(c.value for c in named) + (" report survey guide" if named else "")))
        # "how long", "how often": the kind of answer asked, which ``fits`` holds the spans to, not a word of it
        q = [t for t in dict.fromkeys(tokens(_ASKS_KIND.sub("how", u.question))) if t not in QUESTION_WORDS]
        if not q:
            q = list(dict.fromkeys(tokens(u.question)))
        unknown_idf = max((idf(t) for t in vocab), default=5.0) if vocab else 5.0
        weights = {t: (idf(t) if t in vocab else unknown_idf) * (self.policy.source_word_weight
                                                                  if t in source_words else 1.0) for t in q}
        total = sum(weights.values()) or 1.0
        names = [m.surface.lower() for m in u.mentions]
        w_sem = self.policy.similarity_weight
        # "who wrote / founded / runs X": a sentence stating that relation ("By Elaine Burke") is a candidate
        # however few of the question's words it shares
        relation = person_relation(u.request.text) if u.request.answer_type == PERSON else None
        asks_place = u.request.answer_type == PLACE

        # a superlative or ranking the question asks about ("the most affordable", "third-highest", "best-paid")
        # is what the answering sentence must say: a sentence that says it ranks above one that only shares words
        ranks = [r.lower()[:4] if r.lower().startswith("rank") else r.lower() for r in _RANKING.findall(u.request.text)]

        asks_list = u.request.answer_type == LIST
        asks_cause = asks_why(u.request.text)

        def ranked(text: str) -> float:
            low = text.lower()
            bonus = self.policy.ranking_bonus if ranks and any(re.search(rf"\b{re.escape(r)}", low) for r in ranks) \
                else 0.0
            if asks_cause and gives_cause(text):  # "why ...": a sentence that gives a cause ("a result of")
                bonus += self.policy.cause_bonus
            # a question asking for a list: a sentence that enumerates ("tools like OpenCV, PyTorch, TensorFlow")
            # before one that names the topic and lists nothing
            return bonus + (self.policy.list_bonus if asks_list and enumerates(text) else 0.0)

        def cover(text: str, context: str = "") -> float:
            st = token_set(text)
            ct = token_set(context) - st if context else frozenset()
            return sum(w if t in st else 0.5 * w for t, w in weights.items() if t in st or t in ct) / total

        def context(p: Passage, a: int, s: str) -> str:
            if is_table_row(s):
                return table_header(p.text[:a - p.start]) + " " + s
            if is_stats_row(s):  # "Rank 98 96 99" under "6 months to" / "1 Nov 2025" / "Same period 2024 ..."
                return stats_header(p.text[:a - p.start]) + " " + s
            # a line of items under its lead-in ("Employers involved in creating the standard:" / "BBC, Ministry of
            # Defence (MOD), ...") is read with it
            lead = _LEAD_IN.search(p.text, max(0, a - p.start - 300), a - p.start)
            return f"{lead.group(1)} {s}" if lead else s

        scored = []
        seen: set[tuple[str, int, int]] = set()
        n_passages = len(passages)
        for rank, p in enumerate([*passages, *extra]):
            spans = sentence_spans(p.text, p.start)
            if rank >= n_passages and "\n" in p.text.strip() and not is_table_row(p.text.split("\n", 1)[0]):
                spans = [(p.start, p.end)] + spans  # a label/value card found whole: "SQL / Essential / 72%"
            elif rank < n_passages and "\n" in p.text:
                # the label/value cards of a retrieved passage ("30+" / "Analysts" / "collaborating thanks to
                # dbt"), whose lines are no sentences on their own
                have = set(spans)
                spans += [(p.start + a, p.start + b) for a, b in card_spans(p.text)
                          if (p.start + a, p.start + b) not in have]
            texts = [p.text[a - p.start:b - p.start] for a, b in spans]
            covs = [cover(context(p, a, t), context_of(p.doc_id, a) if context_of else "")
                    for (a, _), t in zip(spans, texts)]
            sims = [units.get((p.doc_id, a, b), 0.0) for a, b in spans]
            prior = 0.1 * p.dense - 0.02 * min(rank, len(passages))
            for i, ((a, b), s) in enumerate(zip(spans, texts)):
                if (p.doc_id, a, b) in seen:
                    continue
                seen.add((p.doc_id, a, b))
                if _INJECTION.search(s) or implausible_money(s):
                    continue  # instructions aimed at a model, or pay figures no guide could mean
                if s.endswith("?") or (s.endswith(":") and "\n" not in s and i + 1 < len(spans)
                                        and p.text[b - p.start:spans[i + 1][0] - p.start].count("\n")):
                    # FAQ: the question's words describe the answer that follows it; a lead-in line, the line of
                    # items after it ("Employers involved in creating the standard:" / "BBC, Ministry of ...")
                    if i + 1 < len(spans) and not texts[i + 1].endswith("?"):
                        na, nb = spans[i + 1]
                        cov = max(covs[i], covs[i + 1]) * 0.95
                        sim = max(sims[i], sims[i + 1])
                        # (a lead-in is quoted with its items: what they are a list of)
                        scored.append((cov + w_sem * sim + prior, cov, sim, p, a if s.endswith(":") else na, nb))
                    continue
                if is_heading_line(s) and "\n" not in s.strip() and not is_stats_row(s) \
                        and not _LABEL_VALUE.match(s) and not (asks_place and is_location_line(s)):
                    continue  # a heading is no answer (a card's lines, "30+" / "Analysts", a table row, "Rank 98 96
                    # 99", a label line, "Start: Early September 2026", and where a job is, are)
                ent = sum(1 for n in names if n and n in s.lower())
                if relation is not None and states_relation(relation, s):
                    ent += 4
                scored.append((covs[i] + w_sem * sims[i] + prior + 0.05 * ent + ranked(s), covs[i], sims[i], p, a, b))
                if i + 1 < len(spans) and spans[i + 1][0] >= b and _same_paragraph(p, b, spans[i + 1][0]) \
                        and not texts[i + 1].endswith("?") and not is_heading_line(texts[i + 1]):
                    pair = cover(s + " " + texts[i + 1]) * 0.9
                    if pair > max(covs[i], covs[i + 1]):
                        sim = max(sims[i], sims[i + 1])
                        scored.append((pair + w_sem * sim + prior, pair, sim, p, a, spans[i + 1][1]))
        if fits is not None:
            scored = [x for x in scored if fits(x[3].text[x[4] - x[3].start:x[5] - x[3].start])]
        scored.sort(key=lambda x: -x[0])
        return [(cov, sim, p, a, b) for _, cov, sim, p, a, b in scored[:limit * 6]]


def antecedent_start(text: str, a: int) -> int:
    """Where a span starting with a pointer back ("The latter ...", "They ...") should start: at the
    sentence it points to, when that sentence is in the same paragraph; else ``a``."""
    if not ANAPHOR.match(text, a, a + 12):
        return a
    prev = previous_sentence(text, a)
    pos = text.rfind(prev, max(0, a - 400), a) if prev else -1
    if pos < 0 or "\n\n" in text[pos:a] or is_heading_line(prev):
        return a
    return pos


def continue_enumeration(linker, text: str, a: int, b: int) -> int:
    """Extend the span ``text[a:b]`` (a document's text) over what continues it in the same paragraph:
    the list after a sentence ending in ':', or following sentences that open with another entity of
    a kind the span names ("Rust has gained traction ... Go is also common ..."). Returns the new end."""
    window = text[b:b + 2500]
    spans = sentence_spans(window, b)
    if text[b - 1:b] == ":" or (":\n" in text[a:b] and re.match(r"\s*(?:[-*•]|\d+[.)])",
                                                                 text[text.rfind("\n", a, b) + 1:b])):
        # (or a lead-in quoted with its first item: the items after it too, each to the end of its line)
        line_end = text.find("\n", b)
        end = b if text[b - 1:b] == ":" else (len(text) if line_end < 0 else line_end)
        for _ in range(10):
            m = re.match(r"(?:[ \t]*\n)+[ \t]*(?:[-*•]|\d+[.)])[^\n]*", text[end:end + 1500])
            if not m:
                break
            end += m.end()
        return end if end > b else b
    kinds = {m.entity.kind: m.entity.iri for m in linker.link(text[a:b], discover=False)}
    kinds.pop("role", None)
    end = b
    for na, nb in spans[:2]:
        if "\n" in text[end:na]:
            break
        head = [m for m in linker.link(text[na:nb], discover=False) if m.start < 40]
        if not any(m.entity.kind in kinds and m.entity.iri != kinds[m.entity.kind] for m in head):
            break
        end = nb
    return end


_ASKS_KIND = re.compile(r"\bhow\s+(?:long|often|far|soon|old)\b", re.I)

_INJECTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions|prompts?|rules|context)\b|\bsystem prompt\b"
    r"|\byou are now\b|\bnew instructions\b|\bas an ai\b|\bjailbreak", re.I)


def _same_paragraph(p: Passage, end: int, start: int) -> bool:
    return "\n" not in p.text[end - p.start:start - p.start]


_PRED_NAMES = {LOCATED_IN: "located in", IN_SECTOR: "in sector", REQUIRES_SKILL: "requires skill",
               TRANSITIONS_TO: "transitions to"}

_NUMBER = re.compile(r"\d")
_LEAD_IN = re.compile(r"(?:^|\n)([^\n]{3,120}:)[ \t]*\n(?:[ \t]*\n)*[ \t]*\Z")


def has_number(text: str) -> bool:
    """True when the text states a number (citation markers do not count)."""
    return bool(_NUMBER.search(re.sub(r"\[\d+\]", "", text)))
