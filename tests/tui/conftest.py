"""Fixtures for the TUI tests (see tui_helpers); async tests run on a fresh event loop each,
so no pytest-asyncio is needed."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest
from tui_helpers import Desk, make_desk

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A whole app under Pilot (async tests, snapshots) takes seconds: slow, out of the
    everyday `pytest -m "not slow"`; the display helpers stay in it."""
    for item in items:
        if HERE not in Path(item.path).parents or not isinstance(item, pytest.Function):
            continue
        if inspect.iscoroutinefunction(item.obj) or "snap_compare" in item.fixturenames:
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    return make_desk(tmp_path / "t.db", tmp_path)
