"""`tmdesk db backup` against what really happens: writers that never stop, a kill -9, a
full disk, and targets it must not write (an existing file, a database, a symlink)."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import pytest
from files_helpers import (
    child_env,
    fill,
    kill_when,
    leftovers,
    one_line_error,
    run,
    snapshot,
    start,
)

from tmdesk.services.maintenance import backup_to_folder
from tmdesk.services.workspace import open_workspace


@pytest.fixture
def desk(tmp_path):
    path = tmp_path / "desk.db"
    open_workspace(path)
    return path


@pytest.fixture
def env(tmp_path):
    return child_env(tmp_path)


def _valid_copy(path) -> int:
    """The copy passes SQLite's integrity check; returns its users, to compare."""
    with sqlite3.connect(path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        users = copy.execute("SELECT count(*) FROM user").fetchone()[0]
    copy.close()
    return users


@pytest.mark.slow
def test_a_backup_finishes_while_a_writer_commits_all_the_time(desk, tmp_path, env):
    fill(desk, 40)
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys
            from tmdesk.store.db import open_database
            from tmdesk.store.models import User
            open_database({str(desk)!r})
            print("writing", flush=True)
            n = 0
            while True:  # as fast as it can: far more than ~10 commits a second
                with User._meta.database.atomic():
                    User.create(login=f"u{{n}}", name="x")
                n += 1
            """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "writing"
        copies = []
        for n in range(3):
            result = run(desk, "db", "backup", str(tmp_path / f"copy{n}.db"), env=env)
            assert result.returncode == 0, result.stderr
            assert f"copy{n}.db" in result.stdout and "bytes" in result.stdout
            copies.append(_valid_copy(tmp_path / f"copy{n}.db"))
        assert writer.poll() is None  # it really wrote throughout
    finally:
        writer.kill()
        writer.wait()
    assert copies == sorted(copies) and copies[-1] > copies[0]  # each a later snapshot
    assert leftovers(tmp_path) == []


@pytest.mark.slow
def test_a_killed_backup_leaves_the_database_and_no_file_and_the_next_run_cleans_up(
    desk, tmp_path, env
):
    fill(desk, 60)
    before = snapshot(desk)
    target = tmp_path / "nightly.db"
    process = start(desk, "db", "backup", str(target), env=env)
    kill_when(process, lambda: leftovers(tmp_path))
    assert process.returncode == -9
    assert not target.exists()  # never a partial file under the real name
    assert snapshot(desk) == before
    stale = leftovers(tmp_path)
    assert stale and all(".nightly.db.tmdesk-tmp-" in name for name in stale)
    again = run(desk, "db", "backup", str(target), env=env)
    assert again.returncode == 0, again.stderr
    assert leftovers(tmp_path) == []  # the dead run's temporary file is gone
    assert _valid_copy(target) == 0
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.slow
def test_a_full_disk_is_one_line_and_leaves_no_file(desk, tmp_path, env):
    fill(desk, 8)
    target = tmp_path / "nightly.db"
    result = run(desk, "db", "backup", str(target), env=env, fsize=2_000_000)
    line = one_line_error(result)
    assert line.startswith(f"Error: {target}") and "free some space" in line
    assert not target.exists() and leftovers(tmp_path) == []
    assert snapshot(desk)


def test_a_backup_is_owner_only_and_checked(desk, tmp_path, env):
    previous = os.umask(0)
    try:
        result = run(desk, "db", "backup", str(tmp_path / "private.db"), env=env)
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((tmp_path / "private.db").stat().st_mode) == 0o600
    assert _valid_copy(tmp_path / "private.db") == 0


def test_backup_refuses_what_it_must_not_write(desk, tmp_path, env):
    def refused(*args: str) -> str:
        return one_line_error(run(desk, "db", "backup", *args, env=env))

    notes = tmp_path / "notes.txt"
    notes.write_text("keep me", encoding="utf-8")
    assert "already exists" in refused(str(notes)) and "--force" in refused(str(notes))
    assert notes.read_text(encoding="utf-8") == "keep me"
    assert "the desk's own database" in refused(str(desk))
    assert "the desk's own database" in refused(str(desk) + "-wal", "--force")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    assert "SQLite database" in refused(str(other), "--force")
    link = tmp_path / "link.db"
    link.symlink_to(tmp_path / "elsewhere.db")
    assert "symbolic link" in refused(str(link), "--force")
    assert not (tmp_path / "elsewhere.db").exists()
    # --force replaces a file that is not a database
    forced = run(desk, "db", "backup", str(notes), "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert _valid_copy(notes) == 0
    assert leftovers(tmp_path) == []


def test_dated_backups_in_a_folder_keep_the_newest(desk, tmp_path, env):
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a backup", encoding="utf-8")
    made = [
        backup_to_folder(folder, 2, now=datetime(2026, 12, day, 3, 15, tzinfo=UTC))
        for day in (1, 2, 3)
    ]
    assert made[0].path.name == "tmdesk-20261201T031500Z.db"
    assert made[2].removed == (made[0].path,)
    assert sorted(p.name for p in folder.iterdir()) == [
        "notes.txt",
        "tmdesk-20261202T031500Z.db",
        "tmdesk-20261203T031500Z.db",
    ]
    result = run(desk, "db", "backup", "--dir", str(folder), "--keep", "1", env=env)
    assert result.returncode == 0, result.stderr
    dated = sorted(p.name for p in folder.glob("tmdesk-*.db"))
    assert len(dated) == 1 and dated[0] in result.stdout and dated[0] > made[2].path.name
    assert "removed the old backup" in result.stdout
    missing = run(desk, "db", "backup", "--dir", str(tmp_path / "nope"), env=env)
    assert "no such folder" in one_line_error(missing)
