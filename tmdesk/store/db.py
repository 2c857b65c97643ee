"""Opening the desk's database: a SQLite file (default) or a PostgreSQL server URL.

SQLite is opened the way several agent processes can share it: WAL so readers never wait,
a busy timeout so writers queue instead of failing, and IMMEDIATE transactions so every
writing transaction takes the write lock at BEGIN (a deferred BEGIN that upgrades later
fails at once with "database is locked" when another process got there first).

PostgreSQL (`postgresql://` or `postgres://`, through psycopg 3, the extra `postgres`) runs
the same SQL: its database object translates the desk's SQLite-style raw statements
(tmdesk.store.dialect).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from peewee import Database, ImproperlyConfigured, SqliteDatabase
from peewee import DatabaseError as PeeweeDatabaseError
from playhouse.db_url import connect

from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.store.models import database
from tmdesk.store.postgres import DeskPostgresDatabase

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


POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(target: str | Path) -> bool:
    return str(target).startswith(POSTGRES_SCHEMES)


def shown_url(target: str | Path) -> str:
    """The target as messages show it: a URL without its password."""
    text = str(target)
    if not is_url(text):
        return text
    parts = urlsplit(text)
    if parts.password is None:
        return text
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def sqlite_path(target: str | Path) -> Path | None:
    """The file behind a target, or None for a non-SQLite URL."""
    text = str(target)
    if text.startswith("sqlite:///"):
        return Path(text.removeprefix("sqlite:///"))
    return None if is_url(text) else Path(text)


POLL_SECONDS = 0.001  # how often a claim tries for the write lock while another holds it


class DeskSqliteDatabase(SqliteDatabase):
    """SQLite as the desk opens it, plus one connection per thread for the claim.

    SQLite's own busy handler sleeps 1, 2, 5, 10, … up to 100 ms between tries, so a claim
    waiting behind an import's chunk woke late and often missed the moment between two
    chunks (the import then took the lock again): the floor's claims waited up to 0.6 s.
    The claim instead tries BEGIN IMMEDIATE every millisecond (`begin_polling`) on a
    connection without a busy timeout. A connection of its own spares the hot path the two
    PRAGMAs that switching the timeout off and on again would cost on every claim.
    """

    def __init__(self, database: str, *, busy_timeout_ms: int) -> None:
        super().__init__(
            database,
            pragmas=SQLITE_PRAGMAS | {"busy_timeout": busy_timeout_ms},
            timeout=busy_timeout_ms / 1000,
            lock_type="IMMEDIATE",
            check_same_thread=False,
        )
        self.busy_timeout_ms = busy_timeout_ms
        self._claiming = threading.local()

    def claim_connection(self) -> sqlite3.Connection:
        """This thread's connection for the claim (the ordinary one for an in-memory
        database, which a second connection would not see)."""
        if self.database == ":memory:":
            ordinary: sqlite3.Connection = self.connection()  # type: ignore[no-untyped-call]
            return ordinary
        connection: sqlite3.Connection | None = getattr(self._claiming, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                self.database,
                timeout=self.busy_timeout_ms / 1000,  # the pragmas may wait like any writer
                isolation_level=None,
                check_same_thread=False,
            )
            for name, value in SQLITE_PRAGMAS.items():
                if name != "busy_timeout":
                    connection.execute(f"PRAGMA {name} = {value}")
            connection.execute("PRAGMA busy_timeout = 0")  # begin_polling does the waiting
            self._claiming.connection = connection
        return connection

    def begin_polling(self, connection: sqlite3.Connection) -> None:
        """BEGIN IMMEDIATE on the claim's connection, trying every millisecond until the
        busy timeout; then "database is locked" as an ordinary BEGIN would raise."""
        if connection is not getattr(self._claiming, "connection", None):
            connection.execute("BEGIN IMMEDIATE")  # the ordinary connection waits by itself
            return
        deadline = time.monotonic() + self.busy_timeout_ms / 1000
        while True:
            try:
                connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                if time.monotonic() >= deadline:
                    raise
            time.sleep(POLL_SECONDS)

    def close(self) -> bool:
        connection = getattr(self._claiming, "connection", None)
        if connection is not None:
            self._claiming.connection = None
            connection.close()
        closed: bool = super().close()
        return closed


def _postgres(url: str) -> DeskPostgresDatabase:
    if find_spec("psycopg") is None:
        raise DatabaseUnavailable(
            _(
                "{url}: PostgreSQL needs the driver psycopg, which is not installed; install "
                "the extra: pip install 'tmdesk[postgres]'"
            ).format(url=shown_url(url))
        )
    if url.startswith("postgres://"):  # libpq reads both; one spelling for the caches' keys
        url = "postgresql://" + url.removeprefix("postgres://")
    return DeskPostgresDatabase(url)


def make_database(target: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Database:
    """An unconnected database object for a path or URL; `busy_timeout_ms`: how long a
    SQLite writer waits for another one's lock before "database is locked"."""
    path = sqlite_path(target)
    if path is not None:
        return DeskSqliteDatabase(str(path), busy_timeout_ms=busy_timeout_ms)
    if is_postgres_url(target):
        return _postgres(str(target))
    try:
        database: Database = connect(str(target))
    except (ImproperlyConfigured, RuntimeError) as error:
        raise DatabaseUnavailable(
            _(
                "{url}: not a database this desk can open ({reason}); give a SQLite file "
                "or a postgresql:// URL"
            ).format(url=shown_url(target), reason=error)
        ) from None
    return database


def bind(db: Database) -> Database:
    """Point the models at `db` (and remember it as the current database)."""
    database.initialize(db)
    return db


class DatabaseUnavailable(TmdeskError):
    """The database file cannot be used; the message names it and says what to do."""


PRIVATE_MODE = 0o600


def _read_only() -> str:
    return _(
        "{path} is read-only for you; ask its owner for write access (chmod u+rw), "
        "or work on a copy"
    )


def _not_a_database() -> str:
    return _(
        "{path} is not a tmdesk database (not a SQLite file); check --db, or restore "
        "the file from a backup"
    )


def _refuse_unusable(path: Path, *, create: bool) -> None:
    """Catch what SQLite would report obscurely (or not at all) before it opens the file."""
    if path.is_dir():
        raise DatabaseUnavailable(
            _("{path} is a folder, not a database file; give the file, e.g. {example}").format(
                path=path, example=path / "tmdesk.db"
            )
        )
    if not path.exists():
        if not create:
            raise DatabaseUnavailable(
                _(
                    "{path}: no such database; create a desk there with `tmdesk db init {path}`, "
                    "or try one with `tmdesk demo`"
                ).format(path=path)
            )
        return
    if not create and path.stat().st_size == 0:  # e.g. what a failed copy left
        raise DatabaseUnavailable(
            _(
                "{path} is an empty file, not a desk; remove it, then create a desk with "
                "`tmdesk db init {path}`"
            ).format(path=path)
        )
    if not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseUnavailable(_read_only().format(path=path))
    if not os.access(path.parent, os.W_OK):
        raise DatabaseUnavailable(
            _(
                "{path}: its folder is read-only for you, and SQLite needs to write its -wal "
                "and -shm files there; ask for write access to {folder}"
            ).format(path=path, folder=path.parent)
        )
    if not _is_sqlite(path):
        raise DatabaseUnavailable(_not_a_database().format(path=path))


def _is_sqlite(path: Path) -> bool:
    """Asked through SQLite, never by reading the file: closing any descriptor of a file
    drops all of this process's POSIX locks on it, SQLite's too. A process with the desk
    already open (a second workspace, a test) then held no lock, and another process
    closing its connection took itself for the last one and reset the WAL under us (reads
    failed with "disk I/O error")."""
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            probe.execute("PRAGMA schema_version").fetchone()
        finally:
            probe.close()
    except sqlite3.DatabaseError as error:
        return "not a database" not in str(error)
    return True


def explain_failure(error: BaseException, path: str | Path) -> DatabaseUnavailable | None:
    """One sentence for a SQLite failure (None: not one we can explain)."""
    if not isinstance(error, (PeeweeDatabaseError, sqlite3.DatabaseError)):
        return None
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        message = _(
            "{path} stayed locked by another program for over {seconds} s; try again, and if it "
            "persists find what holds it (`fuser {path}`)"
        )
    elif "full" in text or "too large" in text:
        message = _("{path}: the disk is full; free some space and try again (nothing was saved)")
    elif "readonly" in text or "read-only" in text:
        message = _read_only()
    elif "not a database" in text:
        message = _not_a_database()
    elif "malformed" in text or "corrupt" in text:
        message = _(
            "{path} is damaged ({reason}); restore the newest backup, or save what can be "
            "read with `sqlite3 {path} .recover`"
        )
    elif "i/o error" in text:
        message = _(
            "{path} could not be written ({reason}): the disk may be full or failing; free "
            "some space, check the disk, and try again"
        )
    elif "unable to open" in text:
        message = _("{path} cannot be opened ({reason}); check the file and its folder")
    else:
        return None
    return DatabaseUnavailable(
        message.format(path=path, seconds=BUSY_TIMEOUT_MS // 1000, reason=error)
    )


def unreachable_server(error: BaseException, target: str | Path) -> DatabaseUnavailable:
    """One line for a server that refused or could not be reached (libpq's first line)."""
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return DatabaseUnavailable(
        _("{url}: cannot connect to the PostgreSQL server ({reason})").format(
            url=shown_url(target), reason=reason
        )
    )


def _create_private(path: Path) -> None:
    """A new database file is the owner's alone whatever the umask: SQLite gives its -wal
    and -shm the database file's mode."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE))
    except FileExistsError:
        return
    except OSError as error:  # no such folder, no permission, a full disk
        raise DatabaseUnavailable(
            _("{path}: cannot create the database: {reason}").format(
                path=path, reason=error.strerror or error
            )
        ) from None
    os.chmod(path, PRIVATE_MODE)


def _match_companions(path: Path) -> None:
    """-wal and -shm may predate us (an older tmdesk, another umask): never let them be
    more readable than the database itself."""
    with contextlib.suppress(OSError):
        mode = path.stat().st_mode & 0o666
        for tail in ("-wal", "-shm"):
            companion = path.with_name(path.name + tail)
            if companion.exists() and companion.stat().st_mode & 0o777 != mode:
                os.chmod(companion, mode)


def open_database(
    target: str | Path,
    *,
    create_dirs: bool = True,
    create: bool = True,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> Database:
    """Bind the models to the database at `target`, creating its folder if needed.

    A SQLite file is created owner-only (0600); with create=False a missing file is refused
    with how to make one. The schema is not touched here: see tmdesk.store.schema.prepare.
    """
    path = sqlite_path(target)
    if path is not None and str(path) == ":memory:":
        path = None
    if path is not None:
        path = path.expanduser()
        _refuse_unusable(path, create=create)
        if create_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
        _create_private(path)
    db = make_database(target if path is None else path, busy_timeout_ms=busy_timeout_ms)
    try:
        db.connect(reuse_if_open=True)
    except (PeeweeDatabaseError, sqlite3.DatabaseError) as error:
        db.close()
        if path is None and is_postgres_url(target):
            raise unreachable_server(error, target) from None
        raise explain_failure(error, path or target) or error from None
    if path is not None:
        _match_companions(path)
    return bind(db)
