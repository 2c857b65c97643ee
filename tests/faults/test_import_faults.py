"""Imports against the floor, with real processes: killed with -9, run side by side, and
agents claiming while a long import writes.

The importer runs in tests/faults/import_process.py; the test process plays the readers
(lists' progress, search, the queue) and the agents.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tmdesk.services.calls import claim_next_lead
from tmdesk.services.importing import import_call_list
from tmdesk.services.lookup import search_leads
from tmdesk.services.maintenance import check_database
from tmdesk.services.queue import queue_summary
from tmdesk.services.reports import list_progress
from tmdesk.services.users import add_user
from tmdesk.services.workspace import open_workspace
from tmdesk.store.models import AuditEvent, Lead, database

pytestmark = pytest.mark.slow

PROCESS = Path(__file__).with_name("import_process.py")
NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # Wednesday, 10:00 in Moscow
HEADER = ["Компания", "Телефон", "Город"]


def write_csv(path: Path, numbers) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows([f"ООО {n}", f"8 495 {n:07d}", "Москва"] for n in numbers)
    return path


def start_import(db, file, list_name, *, pool=False, pause_after=4_000, marker, wait="-"):
    return subprocess.Popen(
        [
            sys.executable,
            str(PROCESS),
            str(db),
            str(file),
            list_name,
            "pool" if pool else "plain",
            str(pause_after),
            str(marker),
            str(wait),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )


def wait_for(path: Path, process: subprocess.Popen) -> None:
    while not path.exists():
        assert process.poll() is None, "the import ended before it got there"
        time.sleep(0.05)


def raw_leads(db) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT count(*) FROM lead").fetchone()[0]


def list_of(lead_id: int) -> str:
    return Lead.get_by_id(lead_id).call_list.name


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def all_end(pids: list[int]) -> bool:
    """Whether the processes end within 20 s; those that do not are killed (no leftovers)."""
    for _ in range(400):
        if not any(alive(pid) for pid in pids):
            return True
        time.sleep(0.05)
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    return False


def what_readers_see(settings, agent_id):
    progress = list_progress(settings, now=NOW)
    summary = queue_summary(agent_id, settings, now=NOW)
    found = search_leads("+74950010000")  # a number of the killed import's file
    return progress, summary, found


def _next_import(workspace, tmp_path):
    import_call_list(write_csv(tmp_path / "next.csv", [9_999_999]), list_name="next")


def _workspace_open(workspace, tmp_path):
    open_workspace(workspace.target)


def _db_check(workspace, tmp_path):
    assert check_database() == []


@pytest.mark.parametrize(
    "clean_up, pool",
    [(_next_import, True), (_workspace_open, False), (_db_check, False)],
    ids=["next-import", "workspace-open", "db-check"],
)
def test_a_kill_9_mid_import_leaves_nothing_visible_and_is_cleaned_up(
    workspace, tmp_path, clean_up, pool
):
    settings = workspace.settings
    agent = add_user("anna", "Анна").id
    import_call_list(write_csv(tmp_path / "keep.csv", range(1, 51)), list_name="keep")
    before = what_readers_see(settings, agent)
    leads_before = raw_leads(workspace.target)
    big = write_csv(tmp_path / "big.csv", range(10_000, 40_000))
    marker = tmp_path / "paused"
    process = start_import(workspace.target, big, "big", pool=pool, marker=marker, wait="never")
    wait_for(marker, process)
    workers = json.loads(marker.read_text())
    assert raw_leads(workspace.target) > leads_before  # chunks were written…
    assert what_readers_see(settings, agent) == before  # …and nobody sees them
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)

    assert what_readers_see(settings, agent) == before
    claimed = claim_next_lead(agent, settings, now=NOW)
    assert claimed is not None and list_of(claimed.lead_id) == "keep"
    if pool:
        assert workers, "the pool had started its workers"
    assert all_end(workers)  # the parse workers follow their parent

    clean_up(workspace, tmp_path)
    extra = 1 if clean_up is _next_import else 0
    assert raw_leads(workspace.target) == leads_before + extra
    with sqlite3.connect(workspace.target) as connection:
        assert connection.execute("SELECT name FROM call_list WHERE name = 'big'").fetchall() == []
        assert connection.execute("SELECT count(*) FROM import_run").fetchone()[0] == 1 + extra
    assert not list(tmp_path.glob(".rejects-*.csv"))
    assert not list(tmp_path.glob("*.lock"))


def test_two_overlapping_imports_at_once_put_each_number_on_one_lead(workspace, tmp_path):
    # 4,000 shared numbers, the first rows of both files
    first = write_csv(tmp_path / "first.csv", [*range(8_000, 12_000), *range(8_000)])
    second = write_csv(tmp_path / "second.csv", range(8_000, 20_000))
    markers = tmp_path / "first-paused", tmp_path / "second-paused"
    # each pauses after its shared rows until the other has written them too: both hold the
    # shared numbers, unseen by the other, so the one finishing later finds them only in
    # its last step
    processes = [
        start_import(workspace.target, file, file.stem, marker=mine, wait=other, pause_after=4_000)
        for file, mine, other in ((first, *markers), (second, *reversed(markers)))
    ]
    reports = []
    for process in processes:
        out, _ = process.communicate(timeout=300)
        assert process.returncode == 0
        reports.append(json.loads(out))

    with sqlite3.connect(workspace.target) as connection:
        repeated = connection.execute(
            "SELECT phone_e164 FROM lead GROUP BY 1 HAVING count(*) > 1"
        ).fetchall()
        total = connection.execute("SELECT count(*) FROM lead").fetchone()[0]
        finished = connection.execute(
            "SELECT call_list.name FROM import_run JOIN call_list ON call_list.id = "
            "import_run.call_list_id ORDER BY finished_at"
        ).fetchall()
    assert repeated == [] and total == 20_000
    assert sum(r["imported"] for r in reports) == 20_000
    assert all(
        sum(r[k] for k in ("imported", "duplicates", "invalid", "dnc", "empty")) == r["rows"]
        for r in reports
    )
    later = {r["list"]: r for r in reports}[finished[-1][0]]
    earlier = {r["list"]: r for r in reports}[finished[0][0]]
    assert (earlier["duplicates"], later["duplicates"]) == (0, 4_000)
    assert all("is already in list" in e["reason"] for e in later["errors"])
    with open(later["rejects"], encoding="utf-8-sig") as handle:
        assert sum(1 for _ in handle) == 1 + 4_000
    audit = [(e.details["list"], e.details["duplicates"]) for e in AuditEvent.select()]
    assert sorted(audit) == sorted((r["list"], r["duplicates"]) for r in reports)


def test_agents_claim_while_a_long_import_writes(workspace, tmp_path):
    settings = workspace.settings
    agents = [add_user(f"agent{n}", f"Агент {n}").id for n in range(30)]
    import_call_list(write_csv(tmp_path / "keep.csv", range(1, 101)), list_name="keep")
    big = write_csv(tmp_path / "big.csv", range(10_000, 130_000))
    marker = tmp_path / "started"
    process = start_import(workspace.target, big, "big", marker=marker, pause_after=4_000)
    try:
        wait_for(marker, process)
        # a desk that gives up after 5 s instead of 30: a whole-file transaction would fail it
        database.execute_sql("PRAGMA busy_timeout = 5000")
        claims = []
        for agent in agents:
            claims.append(claim_next_lead(agent, settings, now=NOW))  # no "database is locked"
        still_importing = process.poll() is None
    finally:
        process.wait(timeout=300)
    assert still_importing, "the import must still be running while the agents claim"
    assert process.returncode == 0
    assert all(claim is not None and list_of(claim.lead_id) == "keep" for claim in claims)
    assert len({claim.lead_id for claim in claims}) == len(agents)


def test_a_busy_parse_worker_dies_with_its_importer(tmp_path):
    marker = tmp_path / "worker"
    parent = subprocess.Popen([sys.executable, str(PROCESS), "busy-worker", str(marker)])
    try:
        wait_for(marker, parent)
        worker = int(marker.read_text())
        assert alive(worker)
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=60)
    assert all_end([worker])  # killed by the kernel at once; the watchdog would take 0.5 s
