"""Evaluation over a JSONL file of questions (DESIGN.md §7)."""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from careerkg.errors import InvalidInput
from careerkg.model import Answer


@dataclass
class EvalCase:
    question: str
    answerable: bool
    must_include: list[str] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)
    min_docs: int = 1
    type: str = ""  # the answer type the question wants (amount, statistic, list, ...), for per-type figures
    unmet: list[dict] = field(default_factory=list)  # what an unanswerable question lacks, when annotated


@dataclass
class EvalResult:
    case: EvalCase
    passed: bool
    reasons: list[str]
    citations_ok: bool
    latency_ms: float
    answer: Answer


def load_cases(path: Path) -> list[EvalCase]:
    cases = []
    for i, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            cases.append(EvalCase(raw["question"], bool(raw.get("answerable", True)), list(raw.get("must_include", [])),
                                  list(raw.get("docs", [])), int(raw.get("min_docs", 1)), str(raw.get("type", "")),
                                  list(raw.get("unmet", []))))
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInput(f"{path}:{i}: not an evaluation case ({exc})") from None
    return cases


def judge(case: EvalCase, answer: Answer, text_of) -> tuple[bool, list[str], bool]:
    """Pass/fail with reasons, and whether every citation's quote equals the document text."""
    reasons = []
    citations_ok = True
    for c in answer.citations:
        try:
            if text_of(c.doc_id)[c.start:c.end] != c.quote:
                citations_ok = False
        except Exception:  # noqa: BLE001 - an unknown document is an integrity failure, reported below
            citations_ok = False
    if not citations_ok:
        reasons.append("a citation's quote does not match the document text")
    if not case.answerable:
        if not answer.abstained:
            reasons.append("should have abstained")
        return not reasons, reasons, citations_ok
    if answer.abstained:
        return False, ["abstained"], citations_ok
    for rx in case.must_include:
        if not re.search(rx, answer.answer, re.I):
            reasons.append(f"missing /{rx}/")
    cited = {c.doc_id for c in answer.citations}
    hits = cited & set(case.docs)
    if case.docs and len(hits) < max(1, case.min_docs):
        reasons.append(f"cites {len(hits)} of the expected documents (need {max(1, case.min_docs)})")
    return not reasons, reasons, citations_ok


def run_eval(qa, cases: list[EvalCase], text_of) -> tuple[list[EvalResult], dict]:
    results = []
    for case in cases:
        t = time.perf_counter()
        answer = qa.ask(case.question)
        ms = (time.perf_counter() - t) * 1000
        ok, reasons, cok = judge(case, answer, text_of)
        results.append(EvalResult(case, ok, reasons, cok, ms, answer))
    lat = sorted(r.latency_ms for r in results) or [0.0]
    unans = [r for r in results if not r.case.answerable]
    abstained = [r for r in results if r.answer.abstained]
    with_unmet = [r for r in unans if r.case.unmet and r.answer.abstained]
    types: dict[str, list[EvalResult]] = {}
    for r in results:
        types.setdefault(("unanswerable" if not r.case.answerable else (r.case.type or "untyped")), []).append(r)
    totals = {
        "questions": len(results),
        "passed": sum(r.passed for r in results),
        "pass_rate": round(sum(r.passed for r in results) / max(1, len(results)), 3),
        "citation_integrity": round(sum(r.citations_ok for r in results) / max(1, len(results)), 3),
        "abstention_accuracy": round(sum(r.answer.abstained for r in unans) / len(unans), 3) if unans else None,
        "false_abstentions": sum(1 for r in results if r.case.answerable and r.answer.abstained),
        # of the abstentions, how many were right (the question was unanswerable)
        "abstention_precision": round(sum(not r.case.answerable for r in abstained) / len(abstained), 3)
        if abstained else None,
        # of the unanswerable questions, how many abstained
        "abstention_recall": round(sum(r.answer.abstained for r in unans) / len(unans), 3) if unans else None,
        # of the annotated abstentions, how many named the constraint the question lacks
        "unmet_accuracy": round(sum(_unmet_ok(r) for r in with_unmet) / len(with_unmet), 3) if with_unmet else None,
        "per_type": {t: f"{sum(r.passed for r in rs)}/{len(rs)}" for t, rs in sorted(types.items())},
        "latency_p50_ms": round(statistics.median(lat), 1),
        "latency_p95_ms": round(lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))], 1),
    }
    return results, totals


_KIND_ALIASES = {"year": "period", "date": "period", "company": "employer", "organisation": "employer", "city": "place"}


def _unmet_ok(r: EvalResult) -> bool:
    """An abstention names the missing constraint: same kind, and the value where one is given."""
    got = {(u.get("constraint"), str(u.get("value", "")).lower()) for u in r.answer.unmet}
    for want in r.case.unmet:
        kind, value = want.get("constraint"), str(want.get("value", "")).lower()
        kind = _KIND_ALIASES.get(kind, kind)  # an annotator's "year" is the API's "period"
        if not any(k == kind and (not value or value in v or v in value) for k, v in got):
            return False
    return True
