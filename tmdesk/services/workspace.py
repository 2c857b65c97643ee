"""Opening the desk: which database, which settings, schema ready.

Both the CLI and the TUI start here, so they agree on defaults: `--db` / TMDESK_DB, else
a SQLite file in the user data directory; `--config` / TMDESK_CONFIG, else the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

from tmdesk.config import Settings, load_settings
from tmdesk.services.import_staging import remove_unfinished_imports
from tmdesk.store import schema
from tmdesk.store.db import open_database, sqlite_path


@dataclass(frozen=True)
class Workspace:
    target: str  # the database path or URL, as opened
    settings: Settings
    schema: schema.SchemaStatus

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
) -> Workspace:
    """Load the settings, bind the store to the database and bring its schema to head.

    With migrate=False the schema is only inspected (for `tmdesk db …` commands).
    """
    settings = settings or load_settings(config)
    target = str(db) if db else str(default_database_path())
    database = open_database(target)
    status = schema.prepare(database) if migrate else schema.status(database)
    remove_unfinished_imports()  # what a killed import left (a run still alive is kept)
    return Workspace(target=target, settings=settings, schema=status)
