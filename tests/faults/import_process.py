"""An import in a process of its own, for the fault tests.

    python import_process.py DB FILE LIST POOL PAUSE_AFTER MARKER WAIT_FOR

After PAUSE_AFTER rows it writes MARKER (JSON: its child processes, i.e. the parse workers)
and, when WAIT_FOR is not "-", waits until that file exists before going on: the test kills
it there, or lets two imports run side by side. At the end it prints the report as JSON.

    python import_process.py busy-worker MARKER

starts one parse worker the way the importer does and keeps it busy (sleeping in a task,
deaf to its pipes) after it wrote its pid to MARKER: only dying with its parent ends it.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (from /proc: Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def main(db: str, file: str, list_name: str, pool: str, pause_after: str, marker: str, wait: str):
    from tmdesk.services import importing
    from tmdesk.services.importing import import_call_list
    from tmdesk.services.workspace import open_workspace

    open_workspace(db)
    paused = False

    def progress(done: int, expected: int | None) -> None:
        nonlocal paused
        if paused or done < int(pause_after):
            return
        paused = True
        mark(marker, json.dumps(children(os.getpid())))
        while wait != "-" and not Path(wait).exists():
            time.sleep(0.05)

    importing.use_worker_pool = lambda expected: pool == "pool"  # the fault under test
    report = import_call_list(file, list_name=list_name, progress=progress)
    print(json.dumps(report.to_json(), ensure_ascii=False), flush=True)


def mark(marker: str, text: str) -> None:
    """Whole or not at all: the test polls for the file and reads it at once."""
    Path(marker + ".part").write_text(text)
    Path(marker + ".part").replace(marker)


def mark_and_sleep(marker: str) -> None:
    mark(marker, str(os.getpid()))
    time.sleep(600)


def busy_worker(marker: str) -> None:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from tmdesk.services.parse_workers import die_with_parent

    pool = ProcessPoolExecutor(
        1, mp_context=get_context("spawn"), initializer=die_with_parent, initargs=(os.getpid(),)
    )
    pool.submit(mark_and_sleep, marker)
    time.sleep(600)


if __name__ == "__main__":
    if sys.argv[1] == "busy-worker":
        busy_worker(sys.argv[2])
    else:
        main(*sys.argv[1:])
