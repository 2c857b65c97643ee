"""An outcome waits out a database another process is writing, instead of being refused."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from lock_holder import holding_write_lock
from peewee import OperationalError

from tmdesk.services import busy
from tmdesk.services.busy import BusyRetry, DatabaseBusy, is_busy, retry_while_busy
from tmdesk.services.calls import claim_next_lead, lead_card, record_disposition
from tmdesk.services.importing import import_call_list
from tmdesk.services.users import add_user
from tmdesk.services.workspace import open_workspace
from tmdesk.store.models import CallAttempt

NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # Wednesday 10:00 in Moscow


class FakeTime:
    """A clock that moves only when the retry sleeps (stands in for busy.time)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time(monkeypatch):
    time = FakeTime()
    monkeypatch.setattr(busy, "time", time)
    return time


def test_a_busy_write_is_tried_again_every_interval_until_it_goes_through(fake_time):
    time, waits = fake_time, []
    results = iter(
        [OperationalError("database is locked"), sqlite3.OperationalError("database is locked")]
    )

    def write():
        error = next(results, None)
        if error is not None:
            raise error
        return "saved"

    assert (
        retry_while_busy(
            write,
            on_wait=waits.append,
            policy=BusyRetry(interval=1.0, cap=120.0),
        )
        == "saved"
    )
    assert [(w.tries, w.waited) for w in waits] == [(1, 0.0), (2, 1.0)]
    assert time.sleeps == [1.0, 1.0]


def test_the_retry_gives_up_after_its_cap_and_other_errors_are_not_retried(fake_time):
    time, waits = fake_time, []

    def locked():
        raise OperationalError("database is locked")

    with pytest.raises(DatabaseBusy, match="stayed busy for 5 s"):
        retry_while_busy(
            locked,
            on_wait=waits.append,
            policy=BusyRetry(interval=1.0, cap=5.0),
        )
    assert len(waits) == 5 and time.now == 5.0

    def broken():
        raise OperationalError("no such table: lead")

    with pytest.raises(OperationalError, match="no such table"):
        retry_while_busy(broken)
    assert not is_busy(ValueError("database is locked"))


@pytest.fixture
def held_lead(tmp_path):
    """An agent holding a lead, on a database whose writers wait only 0.1 s for a lock."""
    workspace = open_workspace(tmp_path / "busy.db", busy_timeout=0.1)
    agent = add_user("anna", "Анна").id
    source = tmp_path / "list.csv"
    source.write_text("Компания;Телефон\nАльфа;8 495 100-00-01\n", encoding="utf-8")
    import_call_list(source, list_name="main")
    claim = claim_next_lead(agent, workspace.settings, now=NOW)
    return workspace, agent, claim.lead_id


def _record(workspace, agent, lead_id):
    return lambda: record_disposition(
        lead_id, agent, "no_answer", workspace.settings, note="гудки", now=NOW
    )


@pytest.mark.slow
def test_an_outcome_is_saved_once_another_process_releases_the_lock(held_lead, tmp_path):
    workspace, agent, lead_id = held_lead
    waits = []
    with holding_write_lock(tmp_path / "busy.db") as release:

        def waiting(wait):
            waits.append(wait)
            assert CallAttempt.select().count() == 0  # readers are never blocked (WAL)
            if wait.tries == 2:
                release()  # the import commits

        recorded = retry_while_busy(
            _record(workspace, agent, lead_id),
            on_wait=waiting,
            policy=BusyRetry(interval=0.05, cap=60),
        )
    assert [w.tries for w in waits] == [1, 2]
    (attempt,) = CallAttempt.select()
    assert (attempt.id, attempt.disposition, attempt.note) == (
        recorded.attempt_id,
        "no_answer",
        "гудки",
    )
    assert lead_card(lead_id).status == "retry"


@pytest.mark.slow
def test_past_the_cap_nothing_is_saved_and_the_lead_stays_with_its_agent(held_lead, tmp_path):
    workspace, agent, lead_id = held_lead
    with holding_write_lock(tmp_path / "busy.db") as release:
        with pytest.raises(DatabaseBusy, match="nothing was saved yet"):
            retry_while_busy(
                _record(workspace, agent, lead_id), policy=BusyRetry(interval=0.05, cap=0.3)
            )
        assert CallAttempt.select().count() == 0
        release()
    card = lead_card(lead_id)
    assert card.status == "in_progress"  # still the agent's: trying again works
    retry_while_busy(_record(workspace, agent, lead_id))
    assert CallAttempt.select().count() == 1
