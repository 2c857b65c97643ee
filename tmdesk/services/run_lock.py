"""The proof that a run (an import, an export) is still being written by a live process.

A running import or export holds an exclusive flock on `<database>-<kind>-<id>.lock`. The
kernel drops it when the process dies (kill -9 included), so whoever cleans up can tell an
abandoned run from one still being written, and removes only the abandoned ones — a
chunk of rows per transaction (`delete_run_rows`), so that the floor never notices.

On PostgreSQL the lock is a session advisory lock on a connection of the run's own: the
server drops it when that connection ends, the process's death included.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path
from typing import Any

from tmdesk.store.dialect import is_postgres, rows_in
from tmdesk.store.models import database
from tmdesk.store.postgres import advisory_session

# the first key of a run's advisory lock, per kind (the second is the run's id)
_ADVISORY_KINDS = {"import": 7301, "export": 7302}


def _lock_path(kind: str, run_id: int) -> Path:
    name = getattr(database.obj, "database", "") or ""
    if name and name != ":memory:" and not str(name).startswith("file:"):
        return Path(f"{name}-{kind}-{run_id}.lock")
    return Path(tempfile.gettempdir()) / f"tmdesk-{kind}-{os.getpid()}-{run_id}.lock"


class RunLock:
    """An flock the kernel drops at death: held by the process writing the run."""

    def __init__(self, kind: str, run_id: int, handle: int, session: Any = None):
        self.kind, self.run_id, self._handle = kind, run_id, handle
        self._session = session

    @classmethod
    def take(cls, kind: str, run_id: int) -> RunLock | None:
        """The run's lock, or None when its process is still alive and holds it."""
        if is_postgres():
            session = advisory_session(_ADVISORY_KINDS[kind], run_id)
            return None if session is None else cls(kind, run_id, -1, session)
        path = _lock_path(kind, run_id)
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            return None
        return cls(kind, run_id, handle)

    def release(self) -> None:
        if self._session is not None:
            self._session.close()  # the server drops the lock with the session
            return
        # unlinked while still held: nobody can take a lock on a file about to vanish
        _lock_path(self.kind, self.run_id).unlink(missing_ok=True)
        os.close(self._handle)


# a dead run's rows removed per transaction: short enough for the floor never to notice
DELETE_ROWS = 5_000


def delete_run_rows(table: str, run_column: str, run_id: int) -> None:
    """Delete the rows of `table` whose `run_column` is `run_id`, in short transactions
    (the table and column are names of ours, not data)."""
    while True:
        with database.atomic():
            removed = database.execute_sql(
                f"DELETE FROM {table} WHERE {rows_in(table, f'{run_column} = ? LIMIT ?')}",
                (run_id, DELETE_ROWS),
            ).rowcount
        if removed < DELETE_ROWS:
            break
