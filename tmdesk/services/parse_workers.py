"""An import yields the CPU to the desks; its parse worker processes die with it.

An import is background work: the importer and its workers keep both cores busy, and the
agents' desks on the same machine must not queue behind them for the CPU (their claims
waited 0.25 s at p99 during a 1M-row import). So the workers, and the importing thread
itself while it imports, run at a lower priority. The importing thread holds the write lock
while it writes a chunk, but a desk that wants the lock sleeps in SQLite's busy handler and
so leaves the CPU to it.

A kill -9 of the importer runs none of its clean-up, so the workers see to it themselves:
on Linux the kernel sends them SIGKILL when their parent dies (prctl PR_SET_PDEATHSIG), and
a watchdog thread that notices the change of parent covers other systems and the moment
before prctl took effect.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 0.5
WORKER_NICENESS = 10  # a nice(1) step above the desks: they preempt the workers


@contextlib.contextmanager
def background_priority() -> Iterator[None]:
    """Run the calling thread at the workers' lower priority until the block ends (Linux
    gives each thread its own nice value; elsewhere, or when refused, nothing changes)."""
    thread = threading.get_native_id()
    try:
        before = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(19, before + WORKER_NICENESS))
    except (OSError, AttributeError):
        yield
        return
    try:
        yield
    finally:
        # raising it back needs privileges; without them the thread stays lower (a desk's
        # import runs in a worker thread of its own, which ends with the import)
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, thread, before)


def start_worker(parent_pid: int) -> None:
    """Pool initializer: a lower priority, and an end with `parent_pid`."""
    try:
        os.nice(WORKER_NICENESS)
    except OSError:
        pass  # not allowed here: the worker just runs at the importer's priority
    die_with_parent(parent_pid)


def die_with_parent(parent_pid: int) -> None:
    """Pool initializer, run in each worker: end this process when `parent_pid` ends."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watchdog still does it
    if os.getppid() != parent_pid:  # the parent was gone before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid,), name="parent-watch", daemon=True).start()


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
