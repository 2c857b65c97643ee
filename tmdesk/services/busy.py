"""Writes that wait out a busy database instead of failing.

SQLite lets one process write at a time; the others wait for the busy timeout (see
tmdesk/store/db.py) and then fail with "database is locked". A supervisor's large import
can hold the lock for longer than that, and an agent's outcome must not be refused for it:
`retry_while_busy` tries the write again every second until it goes through, for up to two
minutes, reporting each wait so that the desk can say it is saving. After that it raises
DatabaseBusy, and the desk keeps the outcome for the agent to try again.

Each try is a whole transaction that failed at BEGIN (IMMEDIATE) or rolled back, so trying
again never writes anything twice.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from peewee import OperationalError

from tmdesk.errors import TmdeskError
from tmdesk.i18n import _

T = TypeVar("T")


class DatabaseBusy(TmdeskError):
    """Another process held the database's write lock for the whole retry period."""


@dataclass(frozen=True)
class BusyRetry:
    """How long a write keeps trying while the database is busy."""

    interval: float = 1.0  # seconds between tries (each try also waits the busy timeout)
    cap: float = 120.0  # seconds after the first try: then DatabaseBusy


@dataclass(frozen=True)
class BusyWait:
    """A try that found the database busy: the write will be tried again."""

    tries: int  # failed tries so far
    waited: float  # seconds since the first try began


def is_busy(error: BaseException) -> bool:
    """The database was locked by another writer (peewee's error, or sqlite3's on the raw
    connection the claim uses)."""
    if not isinstance(error, OperationalError | sqlite3.OperationalError):
        return False
    text = str(error)
    return "database is locked" in text or "database is busy" in text


def retry_while_busy(
    write: Callable[[], T],
    *,
    on_wait: Callable[[BusyWait], object] | None = None,
    policy: BusyRetry | None = None,
) -> T:
    """write(), tried again while the database is busy; DatabaseBusy after policy.cap."""
    policy = policy or BusyRetry()
    started = time.monotonic()
    tries = 0
    while True:
        try:
            return write()
        except (OperationalError, sqlite3.OperationalError) as error:
            if not is_busy(error):
                raise
            tries += 1
            waited = time.monotonic() - started
            if waited >= policy.cap:
                raise DatabaseBusy(
                    _(
                        "the database stayed busy for {seconds} s (another process is writing, "
                        "e.g. a large import); nothing was saved yet"
                    ).format(seconds=round(waited))
                ) from None
            if on_wait is not None:
                on_wait(BusyWait(tries, waited))
            time.sleep(policy.interval)
