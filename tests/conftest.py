"""Shared fixtures: a fresh file database bound to the models for each test."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# The suite speaks English until the Russian catalogue is complete: set before tmdesk is
# imported (it chooses its language then), and inherited by the desks run as processes.
os.environ["TMDESK_LANG"] = "en"

import pytest  # noqa: E402

from tmdesk import i18n  # noqa: E402
from tmdesk.services.workspace import Workspace, open_workspace  # noqa: E402

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
def workspace(tmp_path: Path) -> Workspace:
    """A migrated SQLite file database in tmp_path (file, not :memory:: workers need it)."""
    return open_workspace(tmp_path / "desk.db")
