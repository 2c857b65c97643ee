"""Opening the desk: which database, which settings, schema ready.

Both the CLI and the TUI start here, so they agree on defaults: `--db` / TMDESK_DB, else
a SQLite file in the user data directory; `--config` / TMDESK_CONFIG, else the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

from tmdesk.config import Settings, load_settings
from tmdesk.services.busy import BusyRetry
from tmdesk.store import schema
from tmdesk.store.db import BUSY_TIMEOUT_MS, open_database, sqlite_path


@dataclass(frozen=True)
class Workspace:
    target: str  # the database path or URL, as opened
    settings: Settings
    schema: schema.SchemaStatus
    # how the desk's outcomes wait out a database another process is writing
    save_retry: BusyRetry = BusyRetry()

    @property
    def sqlite_file(self) -> Path | None:
        return sqlite_path(self.target)


def default_database_path() -> Path:
    return platformdirs.user_data_path("tmdesk", appauthor=False) / "tmdesk.db"


def open_workspace(
    db: str | Path | None = None,
    config: str | Path | None = None,
    *,
    settings: Settings | None = None,
    migrate: bool = True,
    busy_timeout: float = BUSY_TIMEOUT_MS / 1000,
    save_retry: BusyRetry | None = None,
) -> Workspace:
    """Load the settings, bind the store to the database and bring its schema to head.

    With migrate=False the schema is only inspected (for `tmdesk db …` commands).
    `busy_timeout` (seconds) is how long one write waits for another process's; the
    outcomes of the desk then retry as `save_retry` says.
    """
    settings = settings or load_settings(config)
    target = str(db) if db else str(default_database_path())
    database = open_database(target, busy_timeout_ms=round(busy_timeout * 1000))
    status = schema.prepare(database) if migrate else schema.status(database)
    return Workspace(
        target=target, settings=settings, schema=status, save_retry=save_retry or BusyRetry()
    )
