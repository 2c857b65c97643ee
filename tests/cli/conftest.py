from __future__ import annotations

import json
from functools import cache

import pytest
from click.testing import CliRunner
from postgres_server import BACKENDS

from tmdesk.cli import main
from tmdesk.services.auth import hash_password
from tmdesk.services.users import add_user
from tmdesk.services.workspace import open_workspace
from tmdesk.store.models import User

# The supervisor every CLI test runs as: with a password set, the desk is no longer open
# to anyone, as on a real install (supervisor commands check TMDESK_USER/TMDESK_PASSWORD).
SUPERVISOR = "chief"
SUPERVISOR_PASSWORD = "chief-password"
SUPERVISOR_ENV = {"TMDESK_USER": SUPERVISOR, "TMDESK_PASSWORD": SUPERVISOR_PASSWORD}


@cache
def _supervisor_hash() -> str:
    return hash_password(SUPERVISOR_PASSWORD)  # scrypt once per test process


def supervise(db_path) -> dict[str, str]:
    """Give the database its supervisor with a password; the environment that signs in."""
    open_workspace(db_path)
    user = add_user(SUPERVISOR, "Главный супервайзер", "supervisor")
    User.update(password_hash=_supervisor_hash()).where(User.id == user.id).execute()
    return dict(SUPERVISOR_ENV)


class Desk:
    """Runs `tmdesk --db <tmp> …` in-process, as the supervisor, and returns the Result."""

    def __init__(self, db_path):
        self.db = str(db_path)
        self.runner = CliRunner()
        self.env = supervise(db_path)

    def __call__(
        self,
        *args: str,
        ok: bool = True,
        env: dict | None = None,
        config=None,
        input: str | None = None,
    ):
        options = ["--db", self.db] + (["--config", str(config)] if config else [])
        result = self.runner.invoke(
            main, [*options, *args], env=self.env | (env or {}), input=input, catch_exceptions=False
        )
        if ok:
            assert result.exit_code == 0, result.output + result.stderr
        return result

    def json(self, *args: str, config=None):
        return json.loads(self(*args, "--json", config=config).stdout)


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """The CLI's tests that use `desk` run on every backend (see tests/conftest.py)."""
    return request.param


@pytest.fixture
def desk(desk_target) -> Desk:
    return Desk(desk_target)
