"""Whether a database a bench built earlier still has the schema this tmdesk migrates to
(so `--reuse` rebuilds it after a migration instead of measuring an old layout)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def schema_of(path: Path) -> list[str]:
    """The database's DDL, without SQLite's own tables (sqlite_stat1 after an ANALYZE), and
    the migrations applied: one may change nothing here (PostgreSQL's only), yet a desk
    missing it migrates when opened, and the bench's agents must not race to do that."""
    conn = sqlite3.connect(str(path))
    try:
        ddl = conn.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
        )
        applied = conn.execute("SELECT 'migration ' || name FROM schema_migration")
        return sorted([row[0] for row in ddl] + [row[0] for row in applied])
    finally:
        conn.close()


def current_schema(workdir: Path) -> list[str]:
    """The schema this tmdesk migrates an empty database to."""
    from tmdesk.services.workspace import open_workspace
    from tmdesk.store.models import database

    empty = workdir / "empty.db"
    for stale in workdir.glob("empty.db*"):
        stale.unlink()
    open_workspace(empty)
    database.close()
    return schema_of(empty)
