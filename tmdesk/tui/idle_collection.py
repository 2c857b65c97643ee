"""Python's full garbage collections, moved to moments when nobody waits for the desk.

A full collection walks every object the desk holds, Textual's widgets and styles among
them: 130–400 ms on a two-core machine. CPython starts one whenever allocations cross its
thresholds, and that is when the desk is busiest: a screen opening, the booking panel after
a qualification. While the desk runs, full collections do not start by themselves: the desk
runs one after no key has been pressed for a few seconds (the agent is talking or
listening), and, on a desk that is never idle, one every ten minutes whatever it is doing.
Young objects are collected as before, so short-lived garbage never waits; what waits is
garbage that lived through two young collections, until the next quiet moment. CPython's
thresholds are given back when the desk stops. (With full collections ten times rarer, as
before, a booking loop without a pause still met one every twenty bookings or so: 130–400
ms on one key.)
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_SECONDS = 3.0  # no key or click for this long: nobody is waiting for the desk
AT_MOST_EVERY = 30.0  # seconds between two full collections run here
AT_LEAST_EVERY = 600.0  # seconds: a desk never idle collects anyway
NEVER = 1_000_000_000  # CPython's third threshold while the desk runs: no full one by itself


class IdleCollection:
    """`tick` (called every second or so) collects when the desk has been idle, or has not
    collected for ten minutes."""

    def __init__(
        self, last_activity: Callable[[], float], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._last_activity = last_activity
        self._clock = clock
        self._collected = clock()
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        if self._thresholds is None:
            self._thresholds = young, middle, _full = gc.get_threshold()
            gc.set_threshold(young, middle, NEVER)

    def stop(self) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def tick(self) -> bool:
        """Collect now if the desk is idle and did not collect lately, or has not collected
        for AT_LEAST_EVERY seconds; whether it did."""
        now = self._clock()
        since = now - self._collected
        busy = now - self._last_activity() < IDLE_SECONDS
        if since < AT_LEAST_EVERY and (busy or since < AT_MOST_EVERY):
            return False
        gc.collect()
        self._collected = self._clock()
        return True
