"""Another process holding a SQLite database's write lock, as a supervisor's long import does.

As a program (`python lock_holder.py DB`): BEGIN IMMEDIATE, print "locked", wait for a line
on stdin (or its end), COMMIT, print "released". Tests use `holding_write_lock(db)`, which
starts it, waits until the lock is held and gives back `release()`; the lock goes at the
latest when the block ends, so a failing test never leaves the process behind.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def holding_write_lock(db: Path | str) -> Iterator[Callable[[], None]]:
    holder = subprocess.Popen(
        [sys.executable, __file__, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    released = False

    def release() -> None:
        nonlocal released
        if not released:
            released = True
            holder.stdin.write("release\n")
            holder.stdin.flush()
            assert holder.stdout.readline().strip() == "released"

    try:
        assert holder.stdout.readline().strip() == "locked"
        yield release
        release()
        assert holder.wait(timeout=30) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def _hold(db: str) -> None:
    connection = sqlite3.connect(db, isolation_level=None, timeout=30)
    connection.execute("BEGIN IMMEDIATE")
    print("locked", flush=True)
    sys.stdin.readline()
    connection.execute("COMMIT")
    print("released", flush=True)


if __name__ == "__main__":
    _hold(sys.argv[1])
