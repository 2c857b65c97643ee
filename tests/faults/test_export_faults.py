"""`tmdesk export` and the rejects file of `tmdesk import` against a kill -9, a full disk
and targets they must not write (an existing file, the database, its -wal, a symlink)."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner
from files_helpers import (
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
from tmdesk.services.output_files import remove_leftovers
from tmdesk.services.workspace import open_workspace


@pytest.fixture
def env(tmp_path):
    return child_env(tmp_path)


@pytest.fixture
def ready_desk(tmp_path):
    path = tmp_path / "desk.db"
    open_workspace(path)
    seed_ready_leads(3_000)
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
