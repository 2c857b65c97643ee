"""Twenty agents book the same or overlapping slots of one specialist at the same moment.

Real processes: this file is also the worker program (`python test_booking_race.py book DB
LEAD AGENT SPECIALIST MINUTES`), started with subprocess, so each worker has its own
interpreter, its own SQLite connection and its own locks, as twenty desks do. Every worker
opens the database, says "ready" and waits on stdin; the parent releases them all with one
line each, and each calls book_meeting once. Exactly one may win; the others must get the
"just taken" message, and the store must hold no overlapping booked meetings.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

HERE = Path(__file__).resolve()
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # Monday 10:00 in Moscow
SLOT = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 11:00 in Moscow
WORKERS = 20
# Starts around the slot, each within 40 minutes of every other: every pair of these
# hour-long meetings overlaps, so only one can be booked.
OFFSETS = (0, 0, 10, -10, 20, 30, 0, 15, -5, 25)


def _book(db: str, lead_id: int, agent_id: int, specialist_id: int, minutes: int) -> None:
    """One desk: open, wait for the start, book, print what happened as one JSON line."""
    try:
        from tmdesk.services.booking import SlotTaken, book_meeting
        from tmdesk.services.workspace import open_workspace

        settings = open_workspace(db).settings
        print("ready", flush=True)
        sys.stdin.readline()
        started = time.monotonic()
        try:
            meeting = book_meeting(
                lead_id,
                agent_id,
                specialist_id,
                SLOT + timedelta(minutes=minutes),
                settings,
                now=NOW,
            )
            result = {"booked": meeting.id}
        except SlotTaken as error:
            result = {"taken": str(error), "detail": error.detail}
        result["seconds"] = time.monotonic() - started
    except BaseException:
        result = {"error": traceback.format_exc()}
    print(json.dumps(result, ensure_ascii=False), flush=True)


def _run(*args: object) -> subprocess.Popen:
    # the checkout last on the path: tmdesk is found even when it is not installed
    path = os.pathsep.join(filter(None, (os.environ.get("PYTHONPATH"), str(HERE.parents[2]))))
    return subprocess.Popen(
        [sys.executable, str(HERE), *map(str, args)],
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": path},
    )


def _setup(count: int) -> tuple[int, list[tuple[int, int]]]:
    """One specialist; per worker an agent and a qualified lead of their own."""
    from tmdesk.services.specialists import add_specialist
    from tmdesk.services.users import add_user
    from tmdesk.store.models import CallList, Lead, Qualification, ZoneSet

    specialist = add_specialist(
        "Орлов", working_hours="mon-fri 09:00-18:00", buffer_minutes=15, max_per_day=8
    ).id
    call_list = CallList.create(name="гонка")
    zone_set = ZoneSet.create(zones="Europe/Moscow")
    pairs = []
    for n in range(count):
        agent = add_user(f"agent{n}", f"Агент {n}").id
        lead = Lead.create(
            call_list=call_list,
            phone_e164=f"+7495{n:07d}",
            zone_set=zone_set,
            status="qualified",
            company=f"ООО «Гонка {n}»",
        )
        Qualification.create(
            lead=lead,
            agent=agent,
            script_key="b2b-ru",
            script_version="1",
            fit=True,
            actuality="now",
            status="submitted",
            submitted_at=NOW,
        )
        pairs.append((lead.id, agent))
    return specialist, pairs


@pytest.mark.slow
def test_twenty_agents_booking_one_slot_get_one_meeting(workspace):
    from tmdesk.services.booking import SlotTaken, meetings_of
    from tmdesk.store.models import AuditEvent, Meeting

    specialist, pairs = _setup(WORKERS)
    offsets = list(itertools.islice(itertools.cycle(OFFSETS), WORKERS))
    workers = [
        _run("book", workspace.target, lead, agent, specialist, offset)
        for (lead, agent), offset in zip(pairs, offsets, strict=True)
    ]
    try:
        for worker in workers:  # every desk is open before anyone books
            assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
        started = time.monotonic()
        for worker in workers:
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outputs = [worker.communicate(timeout=60) for worker in workers]
        elapsed = time.monotonic() - started
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()

    results = []
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0 and "Traceback" not in err, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    errors = [r["error"] for r in results if "error" in r]
    assert errors == [], errors[0] if errors else None
    won = [r for r in results if "booked" in r]
    lost = [r for r in results if "taken" in r]
    assert len(won) == 1 and len(lost) == WORKERS - 1, results
    assert {r["taken"] for r in lost} == {str(SlotTaken())}
    # overlaps were found by the re-check inside the transaction, not left to the trigger
    assert all("overlaps another meeting" in r["detail"] for r in lost), lost

    booked = meetings_of(specialist)
    assert [m.id for m in booked] == [won[0]["booked"]]
    assert Meeting.select().count() == 1
    rows = list(Meeting.select().where(Meeting.status == "booked").order_by(Meeting.starts_at))
    for a, b in itertools.combinations(rows, 2):
        assert a.ends_at <= b.starts_at or b.ends_at <= a.starts_at
    winner = booked[0]
    assert winner.starts_at - SLOT in {timedelta(minutes=m) for m in OFFSETS}
    assert AuditEvent.select().where(AuditEvent.action == "meeting.book").count() == 1
    print(
        f"20 bookings decided in {elapsed:.2f} s; slowest book_meeting "
        f"{max(r['seconds'] for r in results) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    mode, db, *rest = sys.argv[1:]
    if mode != "book":
        sys.exit(f"unknown mode {mode!r}")
    _book(db, *map(int, rest))
