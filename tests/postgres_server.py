"""A fresh PostgreSQL database per test, copied from a migrated template (fast: a copy of a
small database takes a few milliseconds, migrating one takes a second).

`TMDESK_TEST_PG` names the server (e.g. postgresql://postgres@127.0.0.1:5432/postgres, a
role allowed to create databases). Without it the PostgreSQL runs are skipped with that
reason; with it and the server unreachable they fail.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# for a folder's conftest: @pytest.fixture(params=BACKENDS) def backend(request) -> …
BACKENDS = ("sqlite", "postgresql")
SERVER = os.environ.get("TMDESK_TEST_PG", "")
SKIP_REASON = "PostgreSQL runs: set TMDESK_TEST_PG to a server URL to run them"
PREFIX = "tmdesk_test_"
MIGRATIONS = Path(__file__).resolve().parents[1] / "tmdesk" / "store" / "migrations"


def database_url(name: str) -> str:
    parts = urlsplit(SERVER)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _connect(url: str = ""):
    import psycopg

    return psycopg.connect(url or SERVER, autocommit=True, connect_timeout=5)


def _template_name() -> str:
    """One template per state of the migrations, so a changed migration gets a new one."""
    digest = hashlib.sha256()
    for path in sorted(MIGRATIONS.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return f"{PREFIX}template_{digest.hexdigest()[:12]}"


_template: list[str] = []


def _ensure_template() -> str:
    if _template:
        return _template[0]
    name = _template_name()
    with _connect() as server:
        # one test process builds it; the others wait on the lock, then find it
        server.execute("SELECT pg_advisory_lock(hashtext('tmdesk test template'))")
        try:
            exists = server.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if not exists:
                building = f"{name}_building_{os.getpid()}"
                server.execute(f'DROP DATABASE IF EXISTS "{building}"')
                server.execute(f'CREATE DATABASE "{building}"')
                _migrate(database_url(building))
                server.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
                server.execute(f'ALTER DATABASE "{name}" IS_TEMPLATE true')
        finally:
            server.execute("SELECT pg_advisory_unlock(hashtext('tmdesk test template'))")
    _template.append(name)
    return name


def _migrate(url: str) -> None:
    from tmdesk.store import schema
    from tmdesk.store.db import make_database

    db = make_database(url)
    db.connect()
    try:
        schema.upgrade(db)
    finally:
        db.close()


def fresh_database() -> str:
    """The URL of a new database, migrated to head, copied from the template."""
    template = _ensure_template()
    name = f"{PREFIX}{uuid.uuid4().hex[:16]}"
    with _connect() as server:
        server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return database_url(name)


def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with _connect() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
