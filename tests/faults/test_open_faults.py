"""Every way the database can fail to open or to take a write ends in one line naming the
file and what to do, exit 1; new files are private; out-of-range input is refused by name."""

from __future__ import annotations

import ctypes
import os
import re
import sqlite3
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner
from files_helpers import child_env, one_line_error, run

from tmdesk.cli import main
from tmdesk.services import workspace as workspace_module
from tmdesk.services.workspace import open_workspace
from tmdesk.store import db as store_db
from tmdesk.store.db import explain_failure, open_database

# prctl(2) and capabilities(7): what root needs to write a file its mode forbids
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 24, 1, 2, 3


@pytest.fixture
def env(tmp_path):
    return child_env(tmp_path)


@pytest.fixture
def desk(tmp_path):
    path = tmp_path / "desk.db"
    open_workspace(path)
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO user (login, name, role, time_zone, active, created_at) "
            "VALUES ('anna', 'Анна', 'agent', 'Europe/Moscow', 1, '2026-12-01 09:00:00')"
        )
        connection.execute("CREATE TABLE ballast (body BLOB)")
        connection.executemany(
            "INSERT INTO ballast VALUES (randomblob(3000))", ([] for _ in range(2_000))
        )
    connection.close()
    return path


def _error(env, db, *args: str) -> str:
    return one_line_error(run(db, *args, env=env))


def test_a_missing_database_is_refused_with_how_to_create_one(tmp_path, env):
    typo = tmp_path / "dsek.db"
    line = _error(env, typo, "users", "list")
    assert str(typo) in line and f"tmdesk db init {typo}" in line and "tmdesk demo" in line
    assert not typo.exists()
    created = run(None, "db", "init", str(typo), env=env)
    assert created.returncode == 0, created.stderr
    assert stat.S_IMODE(typo.stat().st_mode) == 0o600
    assert run(typo, "users", "list", env=env).returncode == 0
    assert "already exists" in _error(env, None, "db", "init", str(typo))


def test_the_default_location_is_created_private(tmp_path, env):
    previous = os.umask(0)  # the child inherits it: the modes must not depend on it
    try:
        result = run(None, "users", "list", env=env)
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "tmp" / "data" / "tmdesk"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "tmdesk.db").stat().st_mode) == 0o600


def test_new_database_files_are_private_whatever_the_umask(tmp_path):
    previous = os.umask(0)
    try:
        path = tmp_path / "open.db"
        open_workspace(path)
        store_db.database.execute_sql("CREATE TABLE t (x)")
        for name in ("open.db", "open.db-wal", "open.db-shm"):
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
        # a -wal left more open by an older version is brought back to the file's mode
        os.chmod(tmp_path / "open.db-wal", 0o644)
        open_database(path)
        assert stat.S_IMODE((tmp_path / "open.db-wal").stat().st_mode) == 0o600
    finally:
        os.umask(previous)


def test_db_check_warns_when_others_can_read(desk, env):
    os.chmod(desk, 0o644)
    result = run(desk, "db", "check", env=env)
    assert result.returncode == 0 and result.stdout.strip() == "ok"
    assert f"{desk} is open to other users" in result.stderr and "chmod 600" in result.stderr
    os.chmod(desk, 0o600)
    os.chmod(desk.parent, 0o700)
    assert run(desk, "db", "check", env=env).stderr == ""


def test_what_is_not_a_database_is_one_line(tmp_path, desk, env):
    assert "is a folder" in _error(env, tmp_path, "users", "list")
    text = tmp_path / "notes.db"
    text.write_text("company,phone\n", encoding="utf-8")
    assert f"{text} is not a tmdesk database" in _error(env, text, "users", "list")
    empty = tmp_path / "empty.db"
    empty.touch()
    assert "empty file" in _error(env, empty, "users", "list")
    assert empty.stat().st_size == 0  # not silently made a desk
    half = tmp_path / "half.db"
    half.write_bytes(desk.read_bytes()[: 20 * 4096])  # a copy cut short
    line = _error(env, half, "users", "list")
    assert str(half) in line and "damaged" in line and "backup" in line


def _corrupt(path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        # whole pages, headers included: damage inside a page's free space or a blob's bytes
        # is invisible to integrity_check, so the test would depend on the page layout
        first = size // 3 // 4096 * 4096
        for offset in range(first, first + 60 * 4096, 4096):
            handle.seek(offset)
            handle.write(os.urandom(4096))


def test_a_damaged_database_is_reported_not_a_traceback(desk, env):
    _corrupt(desk)
    check = run(desk, "db", "check", env=env)
    assert check.returncode == 1 and "Traceback" not in check.stderr, check.stderr
    *problems, verdict = check.stderr.strip().splitlines()
    # SQLite either lists the broken pages or cannot even walk them: then we say what to do
    assert problems and re.fullmatch(r"Error: \d+ problem\(s\) found", verdict)
    if len(problems) == 1 and "damaged" in problems[0]:
        assert problems[0].startswith(f"{desk} is damaged") and "newest backup" in problems[0]


def _without_root_rights() -> None:
    """In the child: drop the capabilities that let root write any file (as a desk user
    has none of them), so a read-only file is read-only for root too."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_a_read_only_database_is_one_line(desk, env):
    os.chmod(desk, 0o400)
    result = subprocess.run(
        [sys.executable, "-m", "tmdesk", "--db", str(desk), "users", "list"],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=_without_root_rights if os.geteuid() == 0 else None,
        timeout=120,
    )
    assert f"{desk} is read-only for you" in one_line_error(result)


def test_sqlites_own_read_only_and_locked_errors_become_sentences(desk):
    reader = sqlite3.connect(f"file:{desk}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        reader.execute("DELETE FROM user")
    reader.close()
    assert f"{desk} is read-only for you" in str(explain_failure(caught.value, desk))
    assert explain_failure(ValueError("locked"), desk) is None  # only database errors


def test_a_database_locked_past_the_timeout_is_one_line(desk, monkeypatch):
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(workspace_module, "BUSY_TIMEOUT_MS", 200)  # what the CLI opens with
    monkeypatch.setitem(store_db.SQLITE_PRAGMAS, "busy_timeout", 200)
    holder = sqlite3.connect(desk, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = CliRunner().invoke(
            main, ["--db", str(desk), "users", "add", "vera", "--name", "Вера"]
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1 and result.exception is not None
    line = result.stderr.strip().splitlines()[-1]
    assert f"{desk} stayed locked by another program" in line


def test_a_full_disk_under_a_write_is_one_line(desk, env):
    result = run(desk, "dnc", "add", "+74951234567", env=env, fsize=6_000)
    line = one_line_error(result)
    assert str(desk) in line and "free some space" in line
    with sqlite3.connect(desk) as connection:
        assert connection.execute("SELECT count(*) FROM dnc_entry").fetchone() == (0,)
    connection.close()


@pytest.mark.parametrize(
    "args, words",
    [
        (("meetings", "--from", "0001-01-01"), "--from 0001-01-01 is outside the calendar"),
        (("meetings", "--to", "9999-12-31"), "--to 9999-12-31 is outside the calendar"),
        (("calls", "--date", "0001-01-01"), "--date 0001-01-01 is outside the calendar"),
        (("lists", "priority", "1", "99999999999999999999999"), "PRIORITY 9999"),
        (("review", "show", "99999999999999999999"), "QUALIFICATION_ID 9999"),
        (("export", "--batch", "99999999999999999999"), "--batch 9999"),
        (("slots", "x", "--lead", "99999999999999999999"), "--lead 9999"),
        (("dnc", "list", "--limit", "99999999999999999999"), "--limit 9999"),
        (("specialists", "add", "X", "--max-per-day", "99999999999"), "--max-per-day 9999"),
    ],
)
def test_dates_and_numbers_out_of_range_are_refused_by_name(desk, args, words):
    result = CliRunner().invoke(main, ["--db", str(desk), *args])
    assert result.exit_code == 1, result.output
    line = result.stderr.strip().splitlines()[-1]
    assert words in line and "Traceback" not in result.output
