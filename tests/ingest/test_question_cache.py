"""The per-process question-vector cache (issue 13): the same exact question is encoded once, the cache is bounded."""

from __future__ import annotations

from careerkg.ingest.embed import Embedder


def test_same_question_twice_is_encoded_once_and_gets_the_same_vector():
    e = Embedder(cache_size=8)
    first = e.encode_one("What does a senior MLE earn in London?")
    again = e.encode_one("What does a senior MLE earn in London?")
    assert e.model_calls == 1 and e.cache_hits == 1
    assert again == first == e.encode(["What does a senior MLE earn in London?"])[0]  # exactly encode's vector
    again[0] = 99.0  # callers get a copy: the cached vector is not theirs to change
    assert e.encode_one("What does a senior MLE earn in London?") == first


def test_different_questions_are_encoded_each():
    e = Embedder(cache_size=8)
    a = e.encode_one("What does a senior MLE earn in London?")
    b = e.encode_one("What does a junior MLE earn in Leeds?")
    assert e.model_calls == 2 and e.cache_hits == 0 and a != b
    e.encode_one("what does a senior MLE earn in London?")  # the exact text is the key (the model is uncased)
    assert e.model_calls == 3


def test_cache_is_bounded_least_recently_used_first():
    e = Embedder(cache_size=2)
    for q in ("first question", "second question", "first question", "third question"):
        e.encode_one(q)
    assert e.model_calls == 3 and len(e._cache) == 2
    assert list(e._cache) == ["first question", "third question"]  # "second" was the least recently used
    e.encode_one("second question")
    assert e.model_calls == 4 and len(e._cache) == 2


def test_cache_off():
    e = Embedder(cache_size=0)
    e.encode_one("a question")
    e.encode_one("a question")
    assert e.model_calls == 2 and not e._cache


def test_runtime_embedder_takes_the_configured_cache_size(settings_factory):
    from careerkg.api.runtime import Runtime

    assert Runtime(settings_factory(question_cache=7)).embedder.cache_size == 7
