"""`tmdesk export` and the rejects file of `tmdesk import` against a kill -9, a full disk
and targets they must not write (an existing file, the database, its -wal, a symlink).

An export records its leads in short transactions under a pending batch: a kill -9 leaves
the pending rows, which the next export, workspace open or `db check` removes (never those
of an export still running), and an agent's claim from another process goes through while
an export records its leads."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from files_helpers import (
    REPO,
    child_env,
    kill_when,
    leftovers,
    one_line_error,
    run,
    seed_ready_leads,
    snapshot,
    start,
)

from tmdesk.cli import main
from tmdesk.services.importing import import_call_list
from tmdesk.services.output_files import remove_leftovers
from tmdesk.services.workspace import open_workspace

READY = 3_000  # the ready leads of ready_desk


@pytest.fixture
def env(tmp_path):
    return child_env(tmp_path)


@pytest.fixture
def ready_desk(tmp_path):
    path = tmp_path / "desk.db"
    open_workspace(path)
    seed_ready_leads(READY)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_killed_export_changes_nothing_and_the_next_run_cleans_up(ready_desk, tmp_path, env, fmt):
    out = tmp_path / "out"
    out.mkdir()
    before = snapshot(ready_desk)
    process = start(ready_desk, "export", "--format", fmt, "--out", str(out), env=env)

    def writing() -> bool:  # well into the file: xlsx has openpyxl's spool beside it
        names = leftovers(out)
        if fmt == "xlsx":
            return any(name.endswith(".d") and any((out / name).iterdir()) for name in names)
        return any((out / name).stat().st_size > 100_000 for name in names)

    kill_when(process, writing)
    assert snapshot(ready_desk) == before  # no batch recorded
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == []
    assert leftovers(out)  # what a kill -9 cannot clean up itself…
    assert list((tmp_path / "tmp").iterdir()) == []  # …but nothing of it in /tmp
    again = run(ready_desk, "export", "--format", "csv", "--out", str(out), env=env)
    assert again.returncode == 0, again.stderr
    assert leftovers(out) == []  # …and the next run removed it
    (written,) = out.iterdir()
    assert written.name == "handoff-00001.csv"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_full_disk_during_an_export_is_one_line_and_no_file(ready_desk, tmp_path, env, fmt):
    out = tmp_path / "out"
    out.mkdir()
    before = snapshot(ready_desk)
    result = run(ready_desk, "export", "--format", fmt, "--out", str(out), env=env, fsize=1_000_000)
    line = one_line_error(result)
    assert str(out) in line and "free some space" in line
    assert list(out.iterdir()) == [] and list((tmp_path / "tmp").iterdir()) == []
    assert snapshot(ready_desk) == before


class _Cli:
    def __init__(self, db):
        self.db, self.runner = str(db), CliRunner()

    def __call__(self, *args: str):
        return self.runner.invoke(main, ["--db", self.db, *args], catch_exceptions=False)


def _refusal(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()[-1]


def test_export_refuses_what_it_must_not_write(ready_desk, tmp_path):
    cli = _Cli(ready_desk)
    notes = tmp_path / "notes.csv"
    notes.write_text("keep me", encoding="utf-8")
    assert "already exists" in _refusal(cli("export", "--out", str(notes)))
    assert notes.read_text(encoding="utf-8") == "keep me"
    # the case from the field: the database itself, even with --force
    assert "the desk's own database" in _refusal(cli("export", "--out", str(ready_desk)))
    assert "own database" in _refusal(cli("export", "--force", "--out", f"{ready_desk}-wal"))
    assert "own database" in _refusal(cli("export", "--force", "--out", f"{ready_desk}-shm"))
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    assert "SQLite database" in _refusal(cli("export", "--force", "--out", str(other)))
    link = tmp_path / "link.csv"
    link.symlink_to(notes)
    assert "symbolic link" in _refusal(cli("export", "--force", "--out", str(link)))
    assert notes.read_text(encoding="utf-8") == "keep me"
    with sqlite3.connect(ready_desk) as check:
        assert check.execute("SELECT count(*) FROM export_batch").fetchone() == (0,)
    check.close()
    done = cli("export", "--force", "--out", str(notes))
    assert done.exit_code == 0, done.output
    assert notes.read_text(encoding="utf-8-sig").startswith("batch") or notes.stat().st_size > 7
    assert stat.S_IMODE(notes.stat().st_mode) == 0o600
    again = cli("export", "--batch", "1", "--out", str(notes))
    assert "already exists" in _refusal(again)
    assert cli("export", "--batch", "1", "--out", str(notes), "--force").exit_code == 0
    assert leftovers(tmp_path) == []


def test_import_rejects_refuse_what_they_must_not_overwrite(tmp_path):
    db = tmp_path / "desk.db"
    open_workspace(db)
    cli = _Cli(db)
    calls = tmp_path / "calls.csv"
    calls.write_text("Компания,Телефон\nРомашка,+7 495 123-45-67\nБрак,12\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    rejects.write_text("keep me", encoding="utf-8")
    assert "already exists" in _refusal(
        cli("import", str(calls), "--list", "a", "--rejects", str(rejects))
    )
    assert rejects.read_text(encoding="utf-8") == "keep me"
    assert "own database" in _refusal(
        cli("import", str(calls), "--list", "a", "--rejects", str(db), "--force")
    )
    assert "own database" in _refusal(
        cli("import", str(calls), "--list", "a", "--rejects", f"{db}-wal", "--force")
    )
    link = tmp_path / "link.csv"
    link.symlink_to(rejects)
    assert "symbolic link" in _refusal(
        cli("import", str(calls), "--list", "a", "--rejects", str(link), "--force")
    )
    with sqlite3.connect(db) as check:  # refused before anything was imported
        assert check.execute("SELECT count(*) FROM lead").fetchone() == (0,)
    check.close()
    done = cli("import", str(calls), "--list", "a", "--rejects", str(rejects), "--force")
    assert done.exit_code == 0, done.output
    text = rejects.read_text(encoding="utf-8-sig")
    assert "Брак" in text and "keep me" not in text
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o600
    # the default rejects file beside the input is the import's own: a re-run replaces it
    again = cli("import", str(calls), "--list", "b")
    assert again.exit_code == 0, again.output
    assert "Брак" in (tmp_path / "calls.rejects.csv").read_text(encoding="utf-8-sig")
    assert leftovers(tmp_path) == []


def test_only_leftovers_of_dead_runs_are_removed(tmp_path):
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        names = [
            f".handoff.csv.tmdesk-tmp-{alive.pid}.0",  # an export still running: kept
            f".handoff.csv.tmdesk-tmp-{dead.pid}.0",
            f".nightly.db.tmdesk-tmp-{dead.pid}.3-journal",
            "handoff.csv.tmdesk-tmp-1",  # not hidden: not ours
            "notes.txt",
        ]
        for name in names:
            (tmp_path / name).write_text("x", encoding="utf-8")
        (tmp_path / f".handoff.xlsx.tmdesk-tmp-{dead.pid}.1.d").mkdir()
        (tmp_path / f".handoff.xlsx.tmdesk-tmp-{dead.pid}.1.d" / "openpyxl.x").touch()
        remove_leftovers(tmp_path)
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([names[0], names[3], names[4]])
    finally:
        alive.kill()
        alive.wait()


# --- the pending batch of a running export ---------------------------------------------------

EXPORTER = Path(__file__).with_name("export_process.py")

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
