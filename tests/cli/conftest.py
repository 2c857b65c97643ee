from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tmdesk.cli import main


class Desk:
    """Runs `tmdesk --db <tmp> …` in-process and returns the click Result."""

    def __init__(self, db_path):
        self.db = str(db_path)
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True, env: dict | None = None,
                 config=None):
        options = ["--db", self.db] + (["--config", str(config)] if config else [])
        result = self.runner.invoke(main, [*options, *args], env=env, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output + result.stderr
        return result

    def json(self, *args: str, config=None):
        return json.loads(self(*args, "--json", config=config).stdout)


@pytest.fixture
def desk(tmp_path) -> Desk:
    return Desk(tmp_path / "cli.db")
