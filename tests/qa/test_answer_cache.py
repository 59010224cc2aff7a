"""Answers kept until a guide changes (issue 13): the same question at the same generation is not worked out
again, a write makes it be, and what callers do to an answer never reaches the kept one."""

from __future__ import annotations

from dataclasses import asdict

from careerkg.model import Answer
from careerkg.qa.cache import AnswerCache

QUESTION = "What does a senior data engineer earn in Leeds?"


def guide(lo: int, hi: int) -> bytes:
    return (f"# Data engineering pay in Leeds\n\nSenior data engineers in Leeds earn £{lo:,} to £{hi:,} a year.\n\n"
            "Junior data engineers start lower.\n").encode()


def body(a: Answer) -> dict:
    d = asdict(a)
    d.pop("timings_ms")
    return d


def test_same_question_same_generation_is_answered_from_the_cache_and_a_write_recomputes(runtime_factory):
    rt = runtime_factory()
    assert rt.pipeline.ingest_bytes(guide(60_000, 75_000), "leeds.md").ok
    first = rt.qa.ask(QUESTION)
    assert "cached" not in first.timings_ms and "60,000" in first.answer
    again = rt.qa.ask(QUESTION)
    assert "cached" in again.timings_ms and body(again) == body(first)
    again.answer = "changed by the caller"
    again.citations.clear()
    again.notes.append("a note of the caller's")
    assert body(rt.qa.ask(QUESTION)) == body(first)  # the kept answer is a copy
    assert rt.qa.answers.hits == 2

    assert rt.pipeline.ingest_bytes(guide(70_000, 85_000), "leeds.md").ok  # a new version: a new generation
    after = rt.qa.ask(QUESTION)
    assert "cached" not in after.timings_ms and "70,000" in after.answer and "60,000" not in after.answer
    assert all(c.quote == rt.pipeline.text(c.doc_id)[c.start:c.end] for c in after.citations)
    other_k = rt.qa.ask(QUESTION, top_k=2)  # top_k is part of what is asked
    assert "cached" not in other_k.timings_ms


def test_cache_off_answers_every_time(runtime_factory):
    rt = runtime_factory(answer_cache=0)
    assert rt.pipeline.ingest_bytes(guide(60_000, 75_000), "leeds.md").ok
    a, b = rt.qa.ask(QUESTION), rt.qa.ask(QUESTION)
    assert "cached" not in a.timings_ms and "cached" not in b.timings_ms and body(a) == body(b)
    assert rt.qa.answers.hits == 0


def test_cache_is_bounded_and_keyed_by_generation():
    c = AnswerCache(2)
    for q in ("a", "b", "a", "c"):
        c.put((q, 5, "extractive"), 1, Answer(q, f"answer {q}", False, "extractive"))
    assert c.get(("b", 5, "extractive"), 1) is None  # the least recently used went
    assert c.get(("a", 5, "extractive"), 1).answer == "answer a"
    assert c.get(("a", 5, "extractive"), 2) is None  # made at another generation


def test_an_older_answer_never_replaces_a_newer_one():
    c = AnswerCache(4)
    key = ("q", 5, "extractive")
    c.put(key, 3, Answer("q", "made at generation 3", False, "extractive"))
    c.put(key, 2, Answer("q", "a slow answer of generation 2", False, "extractive"))
    assert c.get(key, 3).answer == "made at generation 3"
