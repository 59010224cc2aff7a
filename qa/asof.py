"""As-of answers: ``POST /ask`` with ``"as_of": "2026-05-01"`` answers from the guides' versions current at
the end of that day (issue 15, item 3), and says so.

The versions are chosen from the manifest and its kept history (:func:`careerkg.ingest.asof.versions_at`);
when they are all today's current versions the ordinary answer is given; otherwise the answer comes from
an :class:`~careerkg.ingest.asof.AsOfCorpus` (those versions gathered in memory) through the same
:class:`~careerkg.qa.service.QAService` steps, so policy, citations and abstention are the same. A date
before any guide was ingested abstains. The answer's ``as_of`` names the date and each guide's version;
its citations index that version's text (``GET /documents/{id}/text?version=N``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from careerkg.model import Answer
from careerkg.ingest.asof import AsOfCorpus, end_of, versions_at

CACHED = 4  # corpora kept (each holds its versions' graphs and chunk vectors in memory)


class AsOfAnswers:
    """Answers as of a date for one :class:`~careerkg.qa.service.QAService` (its pipeline, understanding, LLM)."""

    def __init__(self, service) -> None:
        self.service = service
        self._cache: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def ask(self, question: str, day: date, *, top_k: int | None = None, mode: str | None = None) -> Answer:
        p = self.service.pipeline
        with p.lock.read():  # one state of manifest, stores and history while the versions are gathered
            versions = versions_at(p.manifest, end_of(day))
            everything_current = len(versions) == len(p.manifest.docs) and all(v.current for v in versions.values())
            qa = None if not versions or everything_current else self._service_for(p, versions)
        as_of = {"date": day.isoformat(), "versions": {d: v.version for d, v in sorted(versions.items())},
                 "current": everything_current}
        if not versions:
            answer = Answer(question, f"No guide had been ingested by {day.isoformat()}, so the guides said "
                                      "nothing then.", True, mode or "extractive",
                            unmet=[{"constraint": "as_of", "value": day.isoformat()}])
            answer.notes.append(f"As of {day.isoformat()}: no guide existed yet.")
            answer.as_of = as_of
            return answer
        answer = (self.service if qa is None else qa).ask(question, top_k=top_k, mode=mode)
        which = ", ".join(f"{d} v{v.version}" for d, v in sorted(versions.items()))
        answer.notes.insert(0, f"As of {day.isoformat()}: answered from the guides as they were then ({which})"
                            + ("; these are still the current versions." if everything_current else
                               "; citations index those versions' texts (GET /documents/{id}/text?version=N)."))
        answer.as_of = as_of
        return answer

    def _service_for(self, pipeline, versions):
        key = (pipeline.manifest.generation, tuple(sorted((d, v.version) for d, v in versions.items())))
        with self._lock:
            qa = self._cache.get(key)
            if qa is not None:
                self._cache.move_to_end(key)
                return qa
        qa = self.service.over(AsOfCorpus(pipeline, versions))
        with self._lock:
            self._cache[key] = qa
            while len(self._cache) > CACHED:
                self._cache.popitem(last=False)
        return qa
