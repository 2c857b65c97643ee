"""Shared fixtures: a fresh database bound to the models for each test.

`workspace` is a SQLite file by default. Where a folder's conftest makes `backend`
parametrised (BACKENDS), each test that uses it runs on SQLite and on PostgreSQL: a fresh
database copied from a migrated template on the server TMDESK_TEST_PG names (skipped with
the reason when it is not set).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# The suite speaks English until the Russian catalogue is complete: set before tmdesk is
# imported (it chooses its language then), and inherited by the desks run as processes.
os.environ["TMDESK_LANG"] = "en"

import postgres_server  # noqa: E402
import pytest  # noqa: E402

from tmdesk import i18n  # noqa: E402
from tmdesk.services.workspace import Workspace, open_workspace  # noqa: E402
from tmdesk.store.models import database  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
# Extracts of real third-party files (provenance in its README.md); read-only inputs.
REALDATA = Path(__file__).resolve().parent / "data" / "realdata"
_copies: list[Path] = []


def realdata(name: str) -> Path:
    """A fresh copy of a real third-party file, in a temporary folder of this process.

    A copy, because the importer writes FILE.rejects.csv beside its input: the repository's
    files must stay as their publishers saved them.
    """
    if not _copies:
        _copies.append(Path(tempfile.mkdtemp(prefix="tmdesk-realdata-")))
    return Path(shutil.copy2(REALDATA / name, _copies[0] / name))


@pytest.fixture(autouse=True)
def _english_again():
    """A test that switches the language (--lang ru, a Russian configuration) switches it
    for itself only."""
    yield
    i18n.use_language("en")


@pytest.fixture
def russian():
    """Speak Russian for one test (the suite speaks English): screens and messages built
    during the test are Russian (pinned, as by --lang: opening a workspace reads the
    settings, which would choose again); the language goes back to English after it."""
    i18n.use_language("ru", pin=True)
    yield
    i18n.use_language("en")


@pytest.fixture
def backend() -> str:
    """SQLite unless the folder's conftest runs its tests on every backend."""
    return "sqlite"


@pytest.fixture
def desk_target(backend: str, tmp_path: Path):
    """Where a test's desk lives: a SQLite file in tmp_path (a file, not :memory:: workers
    need it), or the URL of a fresh PostgreSQL database, dropped afterwards."""
    if backend == "sqlite":
        yield str(tmp_path / "desk.db")
        return
    if not postgres_server.SERVER:
        pytest.skip(postgres_server.SKIP_REASON)
    url = postgres_server.fresh_database()
    try:
        yield url
    finally:
        if getattr(database.obj, "database", None) == url:
            database.obj.close()
        postgres_server.drop_database(url)


def migrated_sqlite(path: Path) -> None:
    """A freshly migrated SQLite desk at `path`: a copy of one migrated once per test
    process (migrating takes some 100 ms, a copy a few)."""
    if not _template:
        folder = Path(tempfile.mkdtemp(prefix="tmdesk-template-"))
        open_workspace(folder / "template.db")
        database.obj.close()  # checkpointed: the whole desk is in the one file
        _template.append(folder / "template.db")
    shutil.copy2(_template[0], path)


_template: list[Path] = []


@pytest.fixture
def workspace(desk_target: str) -> Workspace:
    """A migrated database bound to the models (see desk_target)."""
    if not desk_target.startswith("postgres"):
        migrated_sqlite(Path(desk_target))
    return open_workspace(desk_target)


def pytest_terminal_summary(terminalreporter) -> None:
    """Say once, in the summary, why the PostgreSQL runs were skipped (without -rs)."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if postgres_server.SKIP_REASON in str(report.longrepr)
    ]
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} skipped: {postgres_server.SKIP_REASON}", yellow=True
        )
