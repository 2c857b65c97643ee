"""Imports that never block the floor: leads written in short transactions, hidden until done.

An import writes its leads a chunk at a time, each chunk its own short transaction, so
agents' claims wait for at most one chunk. The leads carry their final values from the
start; what hides them is their import run: while `import_run.finished_at` is NULL the run
is unfinished and every reader leaves its leads out (the queue, the lists' progress, search
and the importers' duplicate checks, through `hidden_run_ids()`). A list created by an
import has the status 'importing' until then, so it is not listed either. One short
transaction at the end (`finish_run`) sets `finished_at`: every lead becomes live at once,
whatever the size of the file.

A running import holds its run's lock (run_lock.RunLock), which the kernel drops when the
process dies (kill -9 included), so `remove_unfinished_imports()` — run
by the next import, by workspace open and by `db check` — can tell an abandoned run from
one still being written, and removes only the abandoned ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tmdesk.domain.statuses import ListStatus
from tmdesk.services.run_lock import DELETE_ROWS, RunLock, delete_run_rows
from tmdesk.store.dialect import lock_desk
from tmdesk.store.models import CallList, ImportRun, database

# a new list stays unlisted and unserved until its first import is complete
IMPORTING = ListStatus.IMPORTING
# the name of an import's lock file: <database>-import-<run>.lock (see run_lock)
IMPORT = "import"


def _id_list(ids: Iterable[int]) -> str:
    # literals, like the queue's other lists of ids: SQLite plans IN (?, ?) worse
    return ",".join(str(int(i)) for i in ids) or "NULL"


def hidden_run_ids() -> tuple[int, ...]:
    """Import runs still being written (or abandoned): their leads are not live yet."""
    rows = database.execute_sql("SELECT id FROM import_run WHERE finished_at IS NULL")
    return tuple(row[0] for row in rows)


def live_lead_condition(lead: str = "lead") -> str:
    """SQL that keeps only live leads, as of when the statement runs: a subquery, not a list
    of ids, so that a statement cached for a while (the claim's) never serves an import
    started since (SQLite reads the few unfinished runs once per statement, by index)."""
    return (
        f"coalesce({lead}.import_run_id, 0) NOT IN "
        "(SELECT id FROM import_run INDEXED BY import_run_unfinished WHERE finished_at IS NULL)"
    )


# --- removing what an import left -----------------------------------------------------------


def _delete_run_rows(run_id: int) -> None:
    """The run's leads in short transactions, then the run and a list only it created."""
    if run_id not in hidden_run_ids():  # live (or gone): never touched here
        return
    delete_run_rows("lead", "import_run_id", run_id)
    with database.atomic():
        list_id = database.execute_sql(
            "SELECT call_list_id FROM import_run WHERE id = ? AND finished_at IS NULL", (run_id,)
        ).fetchone()
        database.execute_sql(
            "DELETE FROM import_run WHERE id = ? AND finished_at IS NULL", (run_id,)
        )
        if list_id is not None:
            _drop_unused_importing_list(list_id[0])


def _drop_unused_importing_list(list_id: int) -> None:
    database.execute_sql(
        "DELETE FROM call_list WHERE id = ? AND status = ? AND NOT EXISTS "
        "(SELECT 1 FROM import_run WHERE call_list_id = call_list.id)",
        (list_id, IMPORTING),
    )


def discard_run(lock: RunLock) -> None:
    """Remove a failed run's rows (its own process, still holding its lock)."""
    try:
        _delete_run_rows(lock.run_id)
    finally:
        lock.release()


def remove_unfinished_imports() -> int:
    """Remove the leads, runs and new lists of imports whose process died; returns how many
    runs were removed. Runs still being written (their lock is held) are left alone."""
    if not database.table_exists("import_run"):  # a database not created yet
        return 0
    removed = 0
    for run_id in hidden_run_ids():
        lock = RunLock.take(IMPORT, run_id)
        if lock is None:
            continue
        discard_run(lock)
        removed += 1
    orphans = database.execute_sql(  # a new list whose only run is gone
        "SELECT id FROM call_list WHERE status = ? AND NOT EXISTS "
        "(SELECT 1 FROM import_run WHERE call_list_id = call_list.id)",
        (IMPORTING,),
    ).fetchall()
    for (list_id,) in orphans:
        with database.atomic():
            _drop_unused_importing_list(list_id)
    return removed


# --- numbers another import made live meanwhile ---------------------------------------------


class LiveSnapshot:
    """Which runs were live at a moment of an import: the leads it has compared its numbers
    with. Leads only ever become live by a run finishing, so the runs finished since are
    all an import has left to compare with."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.hidden = hidden_run_ids()
        row = database.execute_sql("SELECT coalesce(max(id), 0) FROM import_run").fetchone()
        self.max_run = row[0]

    def live_since(self, lead: str) -> str | None:
        """SQL for the leads of runs that went live after the snapshot; None when none did."""
        newly = [
            run_id
            for (run_id,) in database.execute_sql(
                "SELECT id FROM import_run WHERE finished_at IS NOT NULL AND "
                f"(id IN ({_id_list(self.hidden)}) OR id > ?)",
                (self.max_run,),
            )
            if run_id != self.run_id
        ]
        return f"{lead}.import_run_id IN ({_id_list(newly)})" if newly else None


def numbers_live_elsewhere(run_id: int, live: str) -> list[tuple[int, int, str, str, str]]:
    """This run's leads whose number is on a live lead of a list that is not archived:
    (lead id, source line, number, status, that list's name)."""
    rows: list[tuple[int, int, str, str, str]] = database.execute_sql(
        "SELECT l.id, l.source_line, l.phone_e164, l.status, min(c.name) FROM lead l INDEXED BY "
        "lead_import_run JOIN lead o INDEXED BY lead_phone_e164 ON o.phone_e164 = "
        "l.phone_e164 AND o.id != l.id JOIN call_list c ON c.id = o.call_list_id "
        f"WHERE l.import_run_id = ? AND c.status != 'archived' AND {live} GROUP BY l.id",
        (run_id,),
    ).fetchall()
    return rows


def delete_leads(ids: list[int]) -> None:
    for start in range(0, len(ids), DELETE_ROWS):
        part = ids[start : start + DELETE_ROWS]
        with database.atomic():
            database.execute_sql(f"DELETE FROM lead WHERE id IN ({_id_list(part)})")


def start_run(
    list_name: str, default_region: str, user_id: int | None, **run_fields: Any
) -> tuple[CallList, ImportRun, RunLock]:
    """Create the run (and a new list, unlisted) and take its lock, in one transaction:
    no other process can see the run before its lock is held."""
    from tmdesk.i18n import _
    from tmdesk.services.importing import CallListImportError

    with database.atomic():
        lock_desk("import")  # PostgreSQL: one new list of a name
        call_list = CallList.get_or_none(CallList.name == list_name)
        if call_list is None:
            call_list = CallList.create(
                name=list_name, default_region=default_region, created_by=user_id, status=IMPORTING
            )
        elif call_list.status == ListStatus.ARCHIVED:
            raise CallListImportError(
                _("list {name!r} is archived; import into a new list").format(name=list_name)
            )
        run = ImportRun.create(call_list=call_list, user=user_id, **run_fields)
        lock = RunLock.take(IMPORT, run.id)
        if lock is None:  # a stale lock file of a removed run with the same id
            raise CallListImportError(_("cannot lock the import; try again"))
    return call_list, run, lock
