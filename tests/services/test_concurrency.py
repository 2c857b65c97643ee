"""Several agent processes on one database (SQLite; PostgreSQL too when TMDESK_TEST_PG is
set), and an agent killed while holding a lead.

These are real processes: this file is also the worker program (`python test_concurrency.py
agent …` / `holder …` / `restart …`, see the bottom), started with subprocess, so every
worker has its own interpreter, its own SQLite connection and its own locks, as N desks do.

The clock of the agent processes is NOW (a Wednesday, 10:00 in Moscow) plus the time elapsed
since a start signal the parent sends to all of them at once, measured with CLOCK_MONOTONIC,
which is one clock for every process on the machine. So `now=` values are consistent across
processes: a lead given back by one agent (a shared callback due in a second or two) can only
be claimed by another one at a later `now`, and the per-lead intervals claimed_at..at of the
call attempts must never overlap. Which agent gets which lead is left to the race; the
assertions are invariants that hold exactly whatever the interleaving.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import time
import traceback
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

# Wednesday 10:00 in Moscow: every zone of the generated leads is inside its calling window.
NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
HERE = Path(__file__).resolve()

AGENTS = 4
LEADS = 2_000
# per agent: a runaway guard only; the queue runs dry long before (about 2,500 claims in all)
MAX_ITERATIONS = 10_000

# What the agents record, with weights. Only a shared callback (due in a second or two) comes
# back while the test runs; no answer (2 h) and busy (20 min) retry long after it.
OUTCOMES = (
    ("no_answer", 25),
    ("busy", 15),
    ("wrong_number", 10),
    ("voicemail", 10),
    ("callback", 20),
    ("not_fit", 20),
)


# --- the worker programs ------------------------------------------------------------------


def _open(db: str):
    from tmdesk.services.workspace import open_workspace

    return open_workspace(db).settings


def _agent(db: str, agent_id: int, seed: int, iterations: int, log_path: str) -> int:
    """Claim, (renew, save a draft), record; until the queue is empty. Every event is logged."""
    from tmdesk.store.fields import utc_text

    with open(log_path, "a", encoding="utf-8", buffering=1) as log:

        def write(**event) -> None:
            log.write(json.dumps(event, ensure_ascii=False) + "\n")

        try:
            from tmdesk.services.calls import (
                claim_next_lead,
                record_disposition,
                renew_lease,
                save_notes_draft,
            )

            settings = _open(db)
            print("ready", flush=True)
            anchor = float(sys.stdin.readline())  # the parent's monotonic time at the start

            def clock() -> datetime:
                return NOW + timedelta(seconds=time.monotonic() - anchor)

            rng = random.Random(seed)
            names, weights = zip(*OUTCOMES, strict=True)
            errors = 0
            for iteration in range(iterations):
                try:
                    claimed_at = clock()
                    claim = claim_next_lead(agent_id, settings, now=claimed_at)
                    if claim is None:
                        write(event="empty", iteration=iteration, now=utc_text(claimed_at))
                        break
                    write(
                        event="claim",
                        lead_id=claim.lead_id,
                        bucket=claim.bucket,
                        claimed_at=utc_text(claimed_at),
                    )
                    if rng.random() < 0.3:
                        renew_lease(claim.lead_id, agent_id, settings, now=clock())
                    if rng.random() < 0.3:
                        save_notes_draft(claim.lead_id, agent_id, f"черновик {iteration}")
                    disposition = rng.choices(names, weights)[0]
                    now = clock()
                    extra = {}
                    if disposition == "callback":
                        extra = dict(shared=True, callback_at=now + rng.uniform(0.3, 2.0) * SECOND)
                    done = record_disposition(
                        claim.lead_id,
                        agent_id,
                        disposition,
                        settings,
                        note=f"звонок {iteration}",
                        now=now,
                        **extra,
                    )
                    write(
                        event="disposition",
                        lead_id=claim.lead_id,
                        attempt_id=done.attempt_id,
                        disposition=disposition,
                        status=done.status,
                        claimed_at=utc_text(claimed_at),
                        at=utc_text(now),
                    )
                except Exception:
                    errors += 1
                    write(event="error", text=traceback.format_exc())
                    if errors >= 5:
                        break
            else:
                write(event="cap", iteration=iterations)
        except BaseException:
            write(event="error", text=traceback.format_exc())
            return 1
    return 0


def _holder(db: str, agent_id: int) -> None:
    """Claim a lead, save a draft, start another save and get killed before it commits."""
    from tmdesk.services.calls import claim_next_lead, save_notes_draft
    from tmdesk.store.models import database

    settings = _open(db)
    claim = claim_next_lead(agent_id, settings, now=NOW)
    save_notes_draft(claim.lead_id, agent_id, "секретарь: ЛПР Иванов, перезвонить в 15:00")
    with database.atomic():  # the write lock is held while we are killed
        database.execute_sql(
            "UPDATE lead SET notes_draft = ? WHERE id = ?", ("never committed", claim.lead_id)
        )
        print(json.dumps({"lead_id": claim.lead_id}), flush=True)
        time.sleep(600)


def _restart(db: str, agent_id: int, seconds: float) -> None:
    """The same agent's desk started again: what does it get?"""
    from tmdesk.services.calls import claim_next_lead, lead_card

    settings = _open(db)
    claim = claim_next_lead(agent_id, settings, now=NOW + seconds * SECOND)
    card = lead_card(claim.lead_id)
    print(
        json.dumps(
            {
                "lead_id": claim.lead_id,
                "bucket": claim.bucket,
                "notes_draft": card.notes_draft,
                "status": card.status,
            }
        ),
        flush=True,
    )


def _run(*args: object, **popen) -> subprocess.Popen:
    # the checkout last on the path: tmdesk is found even when it is not installed
    path = os.pathsep.join(filter(None, (os.environ.get("PYTHONPATH"), str(HERE.parents[2]))))
    return subprocess.Popen(
        [sys.executable, str(HERE), *map(str, args)],
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": path},
        **popen,
    )


# --- fixtures -----------------------------------------------------------------------------


def moscow_call_list(path: Path, rows: int) -> Path:
    """Moscow landlines in the formats people write them, every one a valid number."""
    formats = ("8 (495) {a}-{b}-{c}", "+7 495 {a}{b}{c}", "8495{a}{b}{c}", "+7 (499) {a}-{b}-{c}")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Компания", "Контактное лицо", "Телефон", "Город"])
        for n in range(rows):
            digits = f"{1_000_000 + n:07d}"
            phone = formats[n % len(formats)].format(a=digits[:3], b=digits[3:5], c=digits[5:])
            writer.writerow([f"ООО «Компания {n}»", f"Контакт {n}", phone, "Москва"])
    return path


def import_leads(workspace, tmp_path: Path, rows: int) -> None:
    import phonenumbers

    from tmdesk.services.importing import import_call_list
    from tmdesk.store.models import Lead

    report = import_call_list(moscow_call_list(tmp_path / "load.csv", rows), list_name="load")
    assert (report.rows, report.imported) == (rows, rows), report.to_json()
    phones = [lead.phone_e164 for lead in Lead.select(Lead.phone_e164)]
    assert len(set(phones)) == rows
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(p)) for p in phones)
    assert {lead.zone_set.zones for lead in Lead.select().limit(5)} == {"Europe/Moscow"}


def read_log(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- N agents at once ---------------------------------------------------------------------


@pytest.mark.slow
def test_agent_processes_never_share_a_lead_nor_lose_a_call(workspace, tmp_path):
    _agents_at_once(workspace, tmp_path, AGENTS, LEADS)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["postgresql"])
def test_eight_agent_processes_on_postgresql_never_share_a_lead(workspace, tmp_path):
    """PostgreSQL's claim locks rows, not the database: more desks than cores at once,
    claiming for about half a minute on a two-core machine (10,000 leads run dry)."""
    _agents_at_once(workspace, tmp_path, 8, 5 * LEADS)


def _agents_at_once(workspace, tmp_path, count: int, leads: int) -> None:
    """`count` agent processes work the queue of `leads` leads dry; every invariant of a
    shared queue holds."""
    from tmdesk.services.users import add_user
    from tmdesk.store.fields import utc_text
    from tmdesk.store.models import CallAttempt, Lead

    import_leads(workspace, tmp_path, leads)
    agents = [add_user(f"agent{n}", f"Агент {n}").id for n in range(count)]
    db = workspace.target
    logs = [tmp_path / f"agent{n}.jsonl" for n in range(count)]
    workers = [
        _run("agent", db, agent, 1000 + n, MAX_ITERATIONS, logs[n], stdin=subprocess.PIPE)
        for n, agent in enumerate(agents)
    ]
    try:
        for worker in workers:  # every desk is open before anyone starts dialling
            assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
        anchor = time.monotonic()
        for worker in workers:
            worker.stdin.write(f"{anchor!r}\n")
            worker.stdin.flush()
        outputs = [worker.communicate(timeout=300) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()

    events = [
        [dict(e, agent=agent) for e in read_log(log)]
        for agent, log in zip(agents, logs, strict=True)
    ]
    # no exception at all in any worker ("database is locked" first of all)
    errors = [e["text"] for stream in events for e in stream if e["event"] == "error"]
    assert errors == [], errors[0]
    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0 and "Traceback" not in err, err
    # every agent worked, and each stopped because the queue was empty
    assert all(stream and stream[-1]["event"] == "empty" for stream in events), [
        stream[-1:] for stream in events
    ]
    claims = [e for stream in events for e in stream if e["event"] == "claim"]
    logged = [e for stream in events for e in stream if e["event"] == "disposition"]
    assert all(Counter(e["event"] for e in stream)["disposition"] > 0 for stream in events)
    assert len(claims) == len(logged) >= leads

    # no attempt lost, none invented: the attempt rows are exactly the logged dispositions
    attempts = {a.id: a for a in CallAttempt.select()}
    assert len(attempts) == len(logged)
    assert sorted(attempts) == sorted(e["attempt_id"] for e in logged)
    for entry in logged:
        row = attempts[entry["attempt_id"]]
        assert (row.lead_id, row.agent_id, row.disposition, row.status_after) == (
            entry["lead_id"],
            entry["agent"],
            entry["disposition"],
            entry["status"],
        )
        # the attempt was made on the claim this agent logged: nobody took the lead between
        assert (utc_text(row.claimed_at), utc_text(row.at)) == (entry["claimed_at"], entry["at"])

    # no lead was held by two agents at once: per lead, claim..disposition never overlap
    by_lead: dict[int, list] = defaultdict(list)
    for row in attempts.values():
        assert row.claimed_at <= row.at
        by_lead[row.lead_id].append(row)
    shared = 0
    for rows in by_lead.values():
        rows.sort(key=lambda a: a.claimed_at)
        for earlier, later in itertools.pairwise(rows):
            assert earlier.at < later.claimed_at, (earlier.__data__, later.__data__)
            assert earlier.status_after == "callback"  # the only outcome that comes back
        shared += len({a.agent_id for a in rows}) > 1
    assert shared > 0  # some leads did pass from one agent to another: the check had teeth
    assert len({(e["lead_id"], e["claimed_at"]) for e in claims}) == len(claims)

    # the lead rows agree with their attempts
    lead_rows = list(Lead.select())
    assert len(lead_rows) == leads
    for lead in lead_rows:
        rows = by_lead.get(lead.id, [])
        assert lead.attempts == len(rows), lead.id
        assert rows, f"lead {lead.id} was never served"
        last = max(rows, key=lambda a: a.id)
        assert last.claimed_at == max(a.claimed_at for a in rows)
        assert lead.status == last.status_after, lead.id
        assert (lead.claimed_by_id, lead.lease_until) == (None, None)
    statuses = Counter(lead.status for lead in lead_rows)
    assert statuses["in_progress"] == statuses["new"] == 0
    assert {"retry", "wrong_number", "not_fit"} <= set(statuses)


# --- an agent killed while holding a lead ---------------------------------------------------


def _killed_holder(workspace, tmp_path):
    """Two agents and three leads; anna's process claims one, saves a draft and is killed."""
    from tmdesk.services.users import add_user

    anna = add_user("anna", "Анна").id
    boris = add_user("boris", "Борис").id
    import_leads(workspace, tmp_path, 3)
    holder = _run("holder", workspace.target, anna)
    try:
        line = holder.stdout.readline()
        assert line, holder.stderr.read()
        lead_id = json.loads(line)["lead_id"]
        os.kill(holder.pid, signal.SIGKILL)
        assert holder.wait(timeout=10) == -signal.SIGKILL
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        holder.stdout.close()
        holder.stderr.close()
    return anna, boris, lead_id


DRAFT = "секретарь: ЛПР Иванов, перезвонить в 15:00"


@pytest.mark.slow
def test_a_killed_agents_lead_waits_for_its_lease_with_the_draft(workspace, tmp_path):
    from tmdesk.services.calls import claim_next_lead, lead_card, release_lead
    from tmdesk.store.models import Lead

    settings = workspace.settings
    _anna, boris, held = _killed_holder(workspace, tmp_path)
    killed_at = NOW + 10 * SECOND
    # the kill left no lock behind: the next claim does not wait for the busy timeout
    started = time.monotonic()
    other = claim_next_lead(boris, settings, now=killed_at + SECOND)
    assert time.monotonic() - started < 5
    assert other is not None and other.lead_id != held
    lead = Lead.get_by_id(held)
    assert (lead.status, lead.notes_draft) == ("in_progress", DRAFT)  # the open save is gone
    release_lead(other.lead_id, boris)
    # one second before the lease runs out it is still anna's
    almost = claim_next_lead(boris, settings, now=NOW + settings.lease - SECOND)
    assert almost.lead_id != held
    release_lead(almost.lead_id, boris)
    # after the lease it goes back to the pool, first in line, and the draft is still there
    taken = claim_next_lead(boris, settings, now=NOW + settings.lease + SECOND)
    assert (taken.lead_id, taken.bucket) == (held, "fresh")
    card = lead_card(held)
    assert (card.status, card.notes_draft, card.attempts) == ("in_progress", DRAFT, 0)
    assert Lead.get_by_id(held).claimed_by_id == boris


@pytest.mark.slow
def test_a_restarted_agent_gets_its_lead_back_with_the_draft(workspace, tmp_path):
    from tmdesk.store.models import Lead

    settings = workspace.settings
    anna, _boris, held = _killed_holder(workspace, tmp_path)
    again = _run("restart", workspace.target, anna, 30)  # 30 s later, within the lease
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert json.loads(out) == {
        "lead_id": held,
        "bucket": "in_progress",
        "notes_draft": DRAFT,
        "status": "in_progress",
    }
    lead = Lead.get_by_id(held)
    assert lead.claimed_by_id == anna
    assert lead.lease_until == NOW + 30 * SECOND + settings.lease  # a fresh lease


if __name__ == "__main__":
    mode, db, *rest = sys.argv[1:]
    if mode == "agent":
        agent_id, seed, iterations, log_path = rest
        sys.exit(_agent(db, int(agent_id), int(seed), int(iterations), log_path))
    elif mode == "holder":
        _holder(db, int(rest[0]))
    elif mode == "restart":
        _restart(db, int(rest[0]), float(rest[1]))
    else:
        sys.exit(f"unknown mode {mode!r}")
