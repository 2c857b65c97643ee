"""A claim waiting behind another writer tries for the lock every millisecond.

SQLite's own busy handler backs off to 100 ms sleeps, so a claim queued behind an import's
chunks woke late and missed the short gaps between them (docs/architecture.md §3). These
tests hold the write lock from a second connection, as another process would, and watch the
claim's own sleeps: each one is a try that found the lock taken.
"""

from __future__ import annotations

import sqlite3

import pytest
import test_calls

from tmdesk.services.calls import claim_next_lead
from tmdesk.store import db as store_db
from tmdesk.store.db import POLL_SECONDS, DeskSqliteDatabase, make_database
from tmdesk.store.models import Lead, database

NOW = test_calls.NOW
desk = test_calls.desk  # the fixture: a desk of four leads, two agents


@pytest.fixture
def backend() -> str:
    """SQLite's write lock is what these tests are about."""
    return "sqlite"


class Holder:
    """Another writer: holds the write lock until `release_after` of our sleeps."""

    def __init__(self, path: str, release_after: int | None):
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("BEGIN IMMEDIATE")
        self.release_after = release_after
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if len(self.sleeps) == self.release_after:
            self.connection.execute("COMMIT")


@pytest.fixture
def holder(monkeypatch):
    holders: list[Holder] = []

    def hold(path: str, release_after: int | None = None) -> Holder:
        holder = Holder(path, release_after)
        monkeypatch.setattr(store_db.time, "sleep", holder.sleep)
        holders.append(holder)
        return holder

    yield hold
    for holder in holders:
        holder.connection.close()


def test_a_claim_gets_the_lock_at_the_first_try_after_the_other_writer_commits(desk, holder):
    settings, anna, _boris, leads = desk
    other = holder(database.obj.database, release_after=3)
    found = claim_next_lead(anna, settings, now=NOW)
    assert other.sleeps == [POLL_SECONDS] * 3  # tried, slept 1 ms, tried … got it
    assert found is not None and found.lead_id in leads.values()
    assert Lead.get_by_id(found.lead_id).claimed_by_id == anna


def test_the_claim_still_gives_up_after_the_busy_timeout(tmp_path, holder, monkeypatch):
    path = tmp_path / "locked.db"
    sqlite3.connect(path).close()
    db = make_database(path, busy_timeout_ms=20)
    assert isinstance(db, DeskSqliteDatabase)
    clock = iter(range(1000))
    monkeypatch.setattr(store_db.time, "monotonic", lambda: next(clock) / 1000)
    connection = db.claim_connection()
    other = holder(str(path))  # never lets go
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        db.begin_polling(connection)
    assert 15 <= len(other.sleeps) <= 20  # ~every millisecond of the 20 ms timeout
    db.close()


def test_an_in_memory_desk_claims_on_its_only_connection():
    db = make_database(":memory:")
    assert isinstance(db, DeskSqliteDatabase)
    db.connect()
    assert db.claim_connection() is db.connection()
    db.close()
