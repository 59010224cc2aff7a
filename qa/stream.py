"""An answer as a sequence of events, for Server-Sent Events and chat clients.

Events (``name``, ``data``), in order:

* ``delta`` ``{"text", "citations"}``: the next piece of the answer. Extractive answers come as
  whole statements; LLM answers as each generated sentence once it has passed
  :mod:`careerkg.qa.validate` (a sentence that fails is never sent). Joining every ``text`` since the
  last ``reset`` gives ``answer`` exactly.
* ``reset`` ``{"reason"}``: the LLM's sentences sent so far are withdrawn (the model failed,
  the stream was cut, or too little held to its sources); the extractive answer follows as
  ``delta`` events.
* ``citations``, ``facts``, ``conflicts``: lists, as in ``POST /ask``.
* ``done``: the whole answer object (``mode``, ``abstained``, ``notes``, ``timings_ms`` ...).

An error after the first event is the caller's to turn into an ``error`` event.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from careerkg.errors import InvalidInput, LLMError
from careerkg.model import Answer
from careerkg.qa.llm import accept, unavailable
from careerkg.qa.validate import MARKER, Validation, check_sentence, sentence_ends


@dataclass(frozen=True)
class Event:
    name: str
    data: object


def pieces(text: str) -> list[str]:
    """``text`` cut after each statement; the pieces join back to ``text`` exactly.

    >>> pieces("A is £5 [1]. B is in Leeds [2].")
    ['A is £5 [1].', ' B is in Leeds [2].']
    """
    cuts = [0, *sentence_ends(text), len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:]) if text[a:b]]


def _delta(text: str) -> Event:
    return Event("delta", {"text": text, "citations": sorted({int(n) for n in MARKER.findall(text)})})


class AnswerStream:
    """One question's answer, prepared (the extractive part done) and ready to be streamed.

    Args:
        qa: the :class:`careerkg.qa.service.QAService`.
        question, top_k, mode: as for :meth:`QAService.ask`.

    Raises:
        InvalidInput: as :meth:`QAService.ask` (before any event, so callers can answer with a status code).
    """

    def __init__(self, qa, question: str, *, top_k: int | None = None, mode: str | None = None) -> None:
        self.t0 = time.perf_counter()
        mode = mode or ("llm" if qa.settings.llm_model else "extractive")
        if mode not in ("extractive", "llm"):
            raise InvalidInput("mode must be 'extractive' or 'llm'")
        self.qa = qa
        self.mode = mode
        self.answer: Answer = qa.ask(question, top_k=top_k, mode="extractive")
        self.extractive_text = self.answer.answer

    def events(self) -> Iterator[Event]:
        """The events; the answer object is complete when ``done`` is sent."""
        a = self.answer
        timings = dict(a.timings_ms)
        first = None
        if self.mode == "llm" and not a.abstained:
            for ev in self._llm(timings):
                if first is None and ev.name == "delta":
                    first = (time.perf_counter() - self.t0) * 1000
                yield ev
        else:
            for piece in pieces(a.answer):
                if first is None:
                    first = (time.perf_counter() - self.t0) * 1000
                yield _delta(piece)
        yield Event("citations", [asdict(c) for c in a.citations])
        yield Event("facts", [asdict(f) for f in a.facts])
        yield Event("conflicts", [asdict(c) for c in a.conflicts])
        if first is not None:
            timings["first_delta"] = round(first, 2)
        timings["stream_total"] = round((time.perf_counter() - self.t0) * 1000, 2)
        a.timings_ms = timings
        yield Event("done", asdict(a))

    def _llm(self, timings: dict[str, float]) -> Iterator[Event]:
        """Generated sentences as they pass validation; the extractive answer after a ``reset`` otherwise."""
        a = self.answer
        quotes = {c.id: c.quote for c in a.citations}
        checks: list = []
        sent = 0
        t = time.perf_counter()
        buf = ""

        def judge(sentence: str) -> Event | None:
            nonlocal sent
            sentence = sentence.strip()
            if not sentence:
                return None
            check = check_sentence(sentence, quotes)
            checks.append(check)
            if not check.kept:
                return None
            sent += 1
            return _delta(sentence if sent == 1 else " " + sentence)

        try:
            for delta in self.qa.llm.stream(a.question, a):
                if "llm_first_token" not in timings:
                    timings["llm_first_token"] = round((time.perf_counter() - t) * 1000, 2)
                buf += delta
                ends = sentence_ends(buf)
                if ends:
                    done, buf = buf[:ends[-1]], buf[ends[-1]:]
                    for piece in pieces(done):
                        ev = judge(piece)
                        if ev:
                            yield ev
            ev = judge(buf)
            if ev:
                yield ev
        except LLMError as exc:
            timings["llm"] = round((time.perf_counter() - t) * 1000, 2)
            unavailable(a, exc)
            yield from self._fallback(a.notes[-1], sent)
            return
        timings["llm"] = round((time.perf_counter() - t) * 1000, 2)
        if not accept(a, Validation(checks), timings):
            yield from self._fallback(a.notes[-1], sent)

    def _fallback(self, reason: str, sent: int) -> Iterator[Event]:
        self.answer.answer = self.extractive_text
        self.answer.mode = "extractive"
        if sent:
            yield Event("reset", {"reason": reason})
        for piece in pieces(self.extractive_text):
            yield _delta(piece)
