"""Full garbage collections wait for a desk nobody is waiting for."""

from __future__ import annotations

import gc

from tmdesk.tui.idle_collection import (
    AT_LEAST_EVERY,
    AT_MOST_EVERY,
    IDLE_SECONDS,
    NEVER,
    IdleCollection,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_full_collection_runs_only_when_the_desk_is_idle_and_not_too_often(monkeypatch):
    clock, collected = Clock(), []
    monkeypatch.setattr(gc, "collect", lambda *args: collected.append(clock.now) or 0)
    last_key = [clock.now]
    collection = IdleCollection(lambda: last_key[0], clock)

    clock.now += AT_MOST_EVERY + 1
    last_key[0] = clock.now - IDLE_SECONDS / 2  # a key a moment ago: the agent waits
    assert not collection.tick()
    clock.now += IDLE_SECONDS  # quiet since
    assert collection.tick()
    assert collected == [clock.now]
    clock.now += AT_MOST_EVERY / 2  # still quiet, but it collected a moment ago
    assert not collection.tick()
    clock.now += AT_MOST_EVERY
    assert collection.tick()
    assert len(collected) == 2


def test_a_desk_never_idle_still_collects_every_ten_minutes(monkeypatch):
    clock, collected = Clock(), []
    monkeypatch.setattr(gc, "collect", lambda *args: collected.append(clock.now) or 0)
    collection = IdleCollection(lambda: clock.now, clock)  # a key this very moment, always
    clock.now += AT_LEAST_EVERY - 1
    assert not collection.tick()
    clock.now += 1
    assert collection.tick()
    assert collected == [clock.now]
    clock.now += AT_MOST_EVERY + 1  # busy again: the ten minutes start over
    assert not collection.tick()


def test_full_collections_wait_for_the_desk_while_it_runs_and_the_thresholds_come_back():
    before = gc.get_threshold()
    collection = IdleCollection(lambda: 0.0)
    collection.start()
    try:
        assert gc.get_threshold() == (before[0], before[1], NEVER)
        collection.start()  # twice: the thresholds it gives back are still CPython's
        assert gc.get_threshold() == (before[0], before[1], NEVER)
    finally:
        collection.stop()
    assert gc.get_threshold() == before


async def test_the_desk_gives_the_thresholds_back_when_it_stops(tmp_path):
    from tui_helpers import make_desk, settle

    before = gc.get_threshold()
    desk = make_desk(tmp_path / "t.db", tmp_path)
    app = desk.app(agent="anna")
    async with app.run_test() as pilot:
        await settle(pilot)
        assert gc.get_threshold()[2] == NEVER
    assert gc.get_threshold() == before
