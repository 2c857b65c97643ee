"""Exports that never block the floor: a batch's leads recorded in short transactions,
hidden until the batch is complete.

A batch is created pending (`export_batch.completed_at` NULL) and its `exported_lead` rows
(each lead's record as handed off) are written a chunk at a time, each chunk its own short
transaction, so an agent's claim waits for at most one chunk. Every reader leaves pending
batches out (`handed_off`, the batch lists and repeats), so their leads are still ready
for everyone else. One short last transaction completes the batch.

A running export holds each of its pending batches' locks (run_lock.RunLock), which the
kernel drops when the process dies, so `remove_unfinished_exports()` — run by the next
export, by workspace open and by `db check` — removes the rows of a killed export and never
those of one still being written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from tmdesk.services.run_lock import RunLock, delete_run_rows
from tmdesk.store.dialect import execute_many
from tmdesk.store.models import ExportBatch, database

# the name of an export's lock file: <database>-export-<batch>.lock (see run_lock)
EXPORT = "export"
# handed-off leads recorded per transaction: another writer (a claim) waits for one chunk
WRITE_ROWS = 1_000


def _id_list(ids: Iterable[int]) -> str:
    return ",".join(str(int(i)) for i in ids) or "NULL"


def handed_off(lead: str) -> str:
    """SQL true when the lead `lead` (an id expression) is in a complete batch."""
    return (
        "EXISTS (SELECT 1 FROM exported_lead e JOIN export_batch b ON b.id = e.batch_id "
        f"WHERE e.lead_id = {lead} AND b.completed_at IS NOT NULL)"
    )


def pending_batch_ids() -> tuple[int, ...]:
    rows = database.execute_sql("SELECT id FROM export_batch WHERE completed_at IS NULL")
    return tuple(row[0] for row in rows)


class CompletedSnapshot:
    """Which batches were complete when an export chose its leads: those it has already
    left out. Batches only ever complete, so the ones completed since are all it has left
    to check its leads against."""

    def __init__(self) -> None:
        self.pending = pending_batch_ids()
        self.max_batch = database.execute_sql(
            "SELECT coalesce(max(id), 0) FROM export_batch"
        ).fetchone()[0]

    def completed_since(self, own: Iterable[int]) -> list[int]:
        return [
            batch_id
            for (batch_id,) in database.execute_sql(
                "SELECT id FROM export_batch WHERE completed_at IS NOT NULL AND "
                f"(id IN ({_id_list(self.pending)}) OR id > ?) AND id NOT IN ({_id_list(own)})",
                (self.max_batch,),
            )
        ]


def taken_meanwhile(snapshot: CompletedSnapshot, own: list[int]) -> tuple[int, int | None]:
    """(how many leads of the batches `own` another batch completed since `snapshot` holds,
    the first such batch). Cheap when no batch completed meanwhile, the usual case."""
    others = snapshot.completed_since(own)
    if not others:
        return 0, None
    count, first = database.execute_sql(
        "SELECT count(DISTINCT e.lead_id), min(e.batch_id) FROM exported_lead e "
        f"WHERE e.batch_id IN ({_id_list(others)}) AND e.lead_id IN "
        f"(SELECT lead_id FROM exported_lead WHERE batch_id IN ({_id_list(own)}))"
    ).fetchone()
    return int(count), first


def start_batch(**fields: Any) -> tuple[int, RunLock]:
    """Create a pending batch and take its lock in one transaction: no other process can
    see the batch before its lock is held."""
    with database.atomic():
        batch_id = ExportBatch.insert(completed_at=None, **fields).execute()
        lock = RunLock.take(EXPORT, batch_id)
        if lock is None:  # a lock file left by a removed batch of the same id, still held
            raise RuntimeError(f"export batch {batch_id} is locked by another process")
    return batch_id, lock


def write_rows(rows: list[tuple[int, int, str]]) -> None:
    """One chunk of (batch, lead, record) rows, in a transaction of its own."""
    with database.atomic():
        execute_many("INSERT INTO exported_lead (batch_id, lead_id, record) VALUES (?, ?, ?)", rows)


def record_leads(rows: Iterator[tuple[int, int, str]]) -> None:
    while chunk := list(islice(rows, WRITE_ROWS)):
        write_rows(chunk)


def discard_batch(batch_id: int) -> bool:
    """Remove a pending batch and its rows in short transactions (its lock must be held);
    a complete batch is never touched. Whether it was removed."""
    if batch_id not in pending_batch_ids():
        return False
    delete_run_rows("exported_lead", "batch_id", batch_id)
    with database.atomic():
        database.execute_sql(
            "DELETE FROM export_batch WHERE id = ? AND completed_at IS NULL", (batch_id,)
        )
    return True


def remove_unfinished_exports() -> int:
    """Remove the pending batches (and their rows) of exports whose process died; returns
    how many. Batches still being written (their lock is held) are left alone."""
    if not database.table_exists("export_batch") or "completed_at" not in {
        column.name for column in database.get_columns("export_batch")
    }:  # a database not created or not migrated yet
        return 0
    removed = 0
    for batch_id in pending_batch_ids():
        lock = RunLock.take(EXPORT, batch_id)
        if lock is None:
            continue
        try:
            removed += discard_batch(batch_id)
        finally:
            lock.release()
    return removed
