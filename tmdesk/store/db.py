"""Opening the desk's database: a SQLite file (default) or a peewee database URL.

SQLite is opened the way several agent processes can share it: WAL so readers never wait,
a busy timeout so writers queue instead of failing, and IMMEDIATE transactions so every
writing transaction takes the write lock at BEGIN (a deferred BEGIN that upgrades later
fails at once with "database is locked" when another process got there first).
"""

from __future__ import annotations

from pathlib import Path

from peewee import Database, SqliteDatabase
from playhouse.db_url import connect

from tmdesk.store.models import database

BUSY_TIMEOUT_MS = 30_000

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
    "synchronous": "normal",  # durable in WAL across application crashes
    "cache_size": -32_000,  # KiB
    "temp_store": "memory",
}


def is_url(target: str | Path) -> bool:
    return "://" in str(target)


def sqlite_path(target: str | Path) -> Path | None:
    """The file behind a target, or None for a non-SQLite URL."""
    text = str(target)
    if text.startswith("sqlite:///"):
        return Path(text.removeprefix("sqlite:///"))
    return None if is_url(text) else Path(text)


def make_database(target: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Database:
    """An unconnected database object for a path or URL; `busy_timeout_ms`: how long a
    SQLite writer waits for another one's lock before "database is locked"."""
    path = sqlite_path(target)
    if path is not None:
        return SqliteDatabase(
            str(path),
            pragmas=SQLITE_PRAGMAS | {"busy_timeout": busy_timeout_ms},
            timeout=busy_timeout_ms / 1000,
            lock_type="IMMEDIATE",
            check_same_thread=False,
        )
    return connect(str(target))


def bind(db: Database) -> Database:
    """Point the models at `db` (and remember it as the current database)."""
    database.initialize(db)
    return db


def open_database(
    target: str | Path, *, create_dirs: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS
) -> Database:
    """Bind the models to the database at `target`, creating its folder if needed.

    The schema is not touched here: see tmdesk.store.schema.prepare.
    """
    path = sqlite_path(target)
    if path is not None and create_dirs:
        path.expanduser().parent.mkdir(parents=True, exist_ok=True)
    db = make_database(
        target if path is None else path.expanduser(), busy_timeout_ms=busy_timeout_ms
    )
    db.connect(reuse_if_open=True)
    return bind(db)
