"""Shared fixtures: a fresh file database bound to the models for each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tmdesk.services.workspace import Workspace, open_workspace

REPO = Path(__file__).resolve().parents[1]
REALDATA = REPO.parent / "shared" / "realdata"


def realdata(name: str) -> Path:
    """A real third-party file from ../shared/realdata, or skip when it is not there."""
    path = REALDATA / name
    if not path.exists():
        pytest.skip(f"{path} is absent (real third-party files live beside the checkout)")
    return path


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """A migrated SQLite file database in tmp_path (file, not :memory:: workers need it)."""
    return open_workspace(tmp_path / "desk.db")
