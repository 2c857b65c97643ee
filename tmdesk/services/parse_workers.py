"""Parse worker processes that yield the CPU to the desks and die with their importer.

An import is background work: its workers keep both cores busy, and the agents' desks on
the same machine must not queue behind them for the CPU (their claims waited 0.25 s at
p99 during a 1M-row import), so the workers run at a lower priority. Only the workers: the
importer itself holds the write lock while it writes a chunk, and slowing it would make
everyone wait for that lock.

A kill -9 of the importer runs none of its clean-up, so the workers see to it themselves:
on Linux the kernel sends them SIGKILL when their parent dies (prctl PR_SET_PDEATHSIG), and
a watchdog thread that notices the change of parent covers other systems and the moment
before prctl took effect.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

from tmdesk.i18n import use_language

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 0.5
WORKER_NICENESS = 10  # a nice(1) step above the desks: they preempt the workers


def start_worker(parent_pid: int, language: str | None = None) -> None:
    """Pool initializer: a lower priority, an end with `parent_pid`, and the importer's
    language (a spawned worker would otherwise choose its own from the environment, and
    its reasons for rejected rows would not speak the report's language)."""
    if language is not None:
        use_language(language, pin=True)
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
