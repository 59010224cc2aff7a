"""``/ask`` computes at most ``CAREERKG_ASK_CONCURRENCY`` answers at once (issue 13); the rest wait their turn."""

from __future__ import annotations

import asyncio
import threading
import time

from careerkg.api.routers.ask import AskSlots


def test_at_most_n_answers_run_at_once_and_all_finish():
    running, peak, lock = 0, 0, threading.Lock()

    def work(i: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return i

    async def main():
        slots = AskSlots(2)
        return await asyncio.gather(*(slots.run(work, i) for i in range(8)))

    assert asyncio.run(main()) == list(range(8))
    assert peak == 2


def test_an_error_frees_its_slot():
    def boom():
        raise ValueError("bad question")

    async def main():
        slots = AskSlots(1)
        for _ in range(3):
            try:
                await slots.run(boom)
            except ValueError:
                pass
        return await slots.run(lambda: "answered")

    assert asyncio.run(main()) == "answered"
