"""Real tmdesk processes for the file fault tests: run one, kill one with SIGKILL, or run
one on a "full disk" (RLIMIT_FSIZE in the child: writing past the limit fails with EFBIG,
as on a full disk; Python ignores SIGXFSZ, so the process sees the error)."""

from __future__ import annotations

import importlib.util
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEMP_MARK = ".tmdesk-tmp-"


def child_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a child: its own TMPDIR (tmp_path/tmp), to see what lands in
    "/tmp", and its own user data folder; English, as the tests read its messages."""
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMDESK_")}
    return env | {"TMPDIR": str(tmp), "XDG_DATA_HOME": str(tmp / "data"), "TMDESK_LANG": "en"}


def _limit(fsize: int | None):
    if fsize is None:
        return None

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return apply


def command(db: Path | None, *args: str) -> list[str]:
    return [sys.executable, "-m", "tmdesk", *(["--db", str(db)] if db else []), *args]


def run(db: Path | None, *args: str, env: dict, fsize: int | None = None):
    return subprocess.run(
        command(db, *args),
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        preexec_fn=_limit(fsize),
        timeout=300,
    )


def kill_when(process: subprocess.Popen, ready, timeout: float = 120) -> None:
    """SIGKILL the process as soon as ready() holds (it must not finish first)."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, f"finished before the kill: {process.communicate()}"
        assert time.monotonic() < deadline, "never reached the moment to kill"
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def start(db: Path, *args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        command(db, *args), env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if TEMP_MARK in p.name)


def one_line_error(result) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    errors = [line for line in lines if not line.startswith("warning:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def fill(db: Path, megabytes: int) -> None:
    """Make the database big enough that copying it takes a moment."""
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE IF NOT EXISTS ballast (body BLOB)")
        connection.executemany(
            "INSERT INTO ballast VALUES (randomblob(4000))", ([] for _ in range(megabytes * 250))
        )
    connection.close()


def snapshot(db: Path) -> list[tuple]:
    """What the database holds, to prove a killed command changed nothing."""
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        counts = [
            (t, connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables
        ]
    connection.close()
    return counts


def seed_ready_leads(leads: int) -> None:
    """Ready leads straight into the bound database, as the export benchmark builds them."""
    if str(REPO / "bench") not in sys.path:  # the bench imports its helpers by bare name
        sys.path.insert(0, str(REPO / "bench"))
    spec = importlib.util.spec_from_file_location("export_bench", REPO / "bench/export_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.build(leads, 0.3)
