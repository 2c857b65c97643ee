"""An export records its leads in short transactions under a pending batch, with real
processes: a kill -9 leaves the pending rows, which the next export, workspace open or
`db check` removes (never those of an export still running), and an agent's claim from
another process goes through while a large export records its leads."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from files_helpers import REPO, child_env, run, seed_ready_leads

from tmdesk.services.importing import import_call_list
from tmdesk.services.workspace import open_workspace

EXPORTER = Path(__file__).with_name("export_process.py")
READY = 3_000

CLAIMER = """
import sys
from datetime import UTC, datetime
from tmdesk.services.calls import claim_next_lead
from tmdesk.services.workspace import open_workspace

workspace = open_workspace(sys.argv[1])
agent = workspace_agent = int(sys.argv[2])
now = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # Wednesday, 10:00 in Moscow
print(claim_next_lead(agent, workspace.settings, now=now).lead_id)
"""


@pytest.fixture
def env(tmp_path):
    return child_env(tmp_path)


@pytest.fixture
def ready_desk(tmp_path):
    path = tmp_path / "desk.db"
    open_workspace(path)
    seed_ready_leads(READY)
    return path


def _query(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(sql, params).fetchall()
    connection.close()
    return rows


def _rows(db: Path, batch: int) -> int:
    return _query(db, "SELECT count(*) FROM exported_lead WHERE batch_id = ?", batch)[0][0]


def _pending(db: Path) -> list[int]:
    return [r[0] for r in _query(db, "SELECT id FROM export_batch WHERE completed_at IS NULL")]


def _start_paused(db: Path, out: Path, tmp_path: Path, env: dict, pause_after: int = 3):
    """An export paused after `pause_after` transactions of its rows: (process, batch, go)."""
    marker, go = tmp_path / "paused", tmp_path / "go"
    process = subprocess.Popen(
        [sys.executable, str(EXPORTER), str(db), str(out), str(pause_after), str(marker), str(go)],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the export never reached its leads' rows"
        time.sleep(0.02)
    return process, int(marker.read_text()), go


def _cleaner(name: str, db: Path, tmp_path: Path, env: dict):
    """A command that removes what a killed export left: db check, any command that opens
    the workspace (listing the batches), or the next export."""
    args = {
        "check": ("db", "check"),
        "open": ("export", "batches", "--json"),
        "export": ("export", "--out", str(tmp_path / "next")),
    }[name]
    (tmp_path / "next").mkdir(exist_ok=True)
    result = run(db, *args, env=env)
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.slow
@pytest.mark.parametrize("cleaner", ["check", "open", "export"])
def test_a_killed_exports_rows_are_removed_and_a_running_ones_never(
    ready_desk, tmp_path, env, cleaner
):
    out = tmp_path / "out"
    out.mkdir()
    process, batch, _go = _start_paused(ready_desk, out, tmp_path, env)
    try:
        assert _rows(ready_desk, batch) == 300 and _pending(ready_desk) == [batch]
        # while it runs: nothing of it is removed, and no batch is listed
        assert run(ready_desk, "db", "check", env=env).returncode == 0
        listed = _cleaner("open", ready_desk, tmp_path, env)
        assert json.loads(listed.stdout) == []
        assert _rows(ready_desk, batch) == 300 and _pending(ready_desk) == [batch]
    finally:
        process.kill()
        process.communicate(timeout=30)
    assert _rows(ready_desk, batch) == 300  # what a kill -9 cannot clean up itself…
    assert list(ready_desk.parent.glob("desk.db-export-*.lock"))
    _cleaner(cleaner, ready_desk, tmp_path, env)
    assert _pending(ready_desk) == []  # …the next one does
    assert not list(ready_desk.parent.glob("desk.db-export-*.lock"))
    assert [p for p in out.iterdir() if not p.name.startswith(".")] == []  # never published
    if cleaner == "export":  # and the leads it held are handed off by the next export (its
        # batch may take the freed id)
        ((done, leads),) = _query(ready_desk, "SELECT id, lead_count FROM export_batch")
        assert leads == _rows(ready_desk, done) == READY
        assert len(list((tmp_path / "next").iterdir())) == 1
    else:
        assert _query(ready_desk, "SELECT count(*) FROM exported_lead") == [(0,)]


@pytest.mark.slow
def test_a_claim_goes_through_while_an_export_records_its_leads(ready_desk, tmp_path, env):
    calls = tmp_path / "calls.csv"
    calls.write_text("Компания,Телефон\nРомашка,+7 495 123-45-67\n", encoding="utf-8")
    import_call_list(calls, list_name="today")
    ((agent,),) = _query(ready_desk, "SELECT id FROM user WHERE login = 'anna'")
    ((lead,),) = _query(ready_desk, "SELECT id FROM lead WHERE company = 'Ромашка'")
    out = tmp_path / "out"
    out.mkdir()
    process, batch, go = _start_paused(ready_desk, out, tmp_path, env, pause_after=5)
    try:
        # the export is in the middle of its rows; were it holding the write lock, the claim
        # would fail after its busy timeout and the export would wait for `go` for ever
        claim = subprocess.run(
            [sys.executable, "-c", CLAIMER, str(ready_desk), str(agent)],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert claim.returncode == 0, claim.stderr
        assert int(claim.stdout) == lead and _rows(ready_desk, batch) == 500
    finally:
        go.touch()
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert int(stdout) == READY and _pending(ready_desk) == [] and _rows(ready_desk, batch) == READY
