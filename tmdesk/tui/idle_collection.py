"""Python's full garbage collections, moved to moments when nobody waits for the desk.

A full collection walks every object the desk holds, Textual's widgets and styles among
them: 100–300 ms on a two-core machine. CPython starts one whenever allocations cross its
thresholds, and that is when the desk is busiest: a screen opening, the booking panel after
a qualification. While the desk runs, full collections start by themselves ten times more
rarely, and the desk runs one after no key has been pressed for a few seconds (the agent is
talking or listening). Young objects are collected as before, so memory stays bounded even
on a desk that is never idle; CPython's thresholds are given back when the desk stops.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_SECONDS = 3.0  # no key or click for this long: nobody is waiting for the desk
AT_MOST_EVERY = 30.0  # seconds between two full collections run here
RARELY = 10  # CPython's third threshold is multiplied by this while the desk runs


class IdleCollection:
    """`tick` (called every second or so) collects when the desk has been idle."""

    def __init__(
        self, last_activity: Callable[[], float], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._last_activity = last_activity
        self._clock = clock
        self._collected = clock()
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        if self._thresholds is None:
            self._thresholds = young, middle, full = gc.get_threshold()
            gc.set_threshold(young, middle, full * RARELY)

    def stop(self) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def tick(self) -> bool:
        """Collect now if the desk is idle and did not collect lately; whether it did."""
        now = self._clock()
        if now - self._last_activity() < IDLE_SECONDS or now - self._collected < AT_MOST_EVERY:
            return False
        gc.collect()
        self._collected = self._clock()
        return True
