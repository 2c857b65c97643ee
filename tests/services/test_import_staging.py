"""An import's leads stay hidden until its last transaction; cleaning up spares live imports.

(The same with real processes, kill -9 included: tests/faults/test_import_faults.py.)
"""

from __future__ import annotations

import csv
import os
from datetime import UTC, datetime

from tmdesk.services import calls, importing
from tmdesk.services.calls import claim_next_lead
from tmdesk.services.importing import import_call_list, remove_unfinished_imports
from tmdesk.services.lookup import search_leads
from tmdesk.services.queue import queue_summary
from tmdesk.services.reports import list_progress
from tmdesk.services.users import add_user
from tmdesk.store.models import AuditEvent, CallList, ImportRun, Lead

NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # Wednesday, 10:00 in Moscow


def write_csv(path, numbers):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Компания", "Телефон"])
        writer.writerows([f"ООО {n}", f"8 495 {n:07d}"] for n in numbers)
    return path


def test_leads_are_hidden_until_the_import_is_complete(workspace, tmp_path, monkeypatch):
    agent = add_user("anna", "Анна").id
    import_call_list(write_csv(tmp_path / "keep.csv", [1]), list_name="keep")
    seen = []
    write_chunk = importing._write_chunk

    def watching_write_chunk(sql, batch):
        write_chunk(sql, batch)
        seen.append(
            (
                Lead.select().count(),  # written…
                [p.name for p in list_progress(workspace.settings, now=NOW)],
                [p.total for p in list_progress(workspace.settings, now=NOW)],
                search_leads("+74950005000"),
            )
        )

    monkeypatch.setattr(importing, "_write_chunk", watching_write_chunk)
    report = import_call_list(write_csv(tmp_path / "big.csv", range(5_000, 10_000)), list_name="B")
    assert len(seen) == 5_000 // importing.WRITE_ROWS  # each its own transaction
    for written, names, totals, found in seen:
        assert written > 1 and (names, totals, found) == (["keep"], [1], [])  # …unseen
    assert report.imported == 5_000
    assert [p.name for p in list_progress(workspace.settings, now=NOW)] == ["B", "keep"] or [
        p.name for p in list_progress(workspace.settings, now=NOW)
    ] == ["keep", "B"]
    assert len(search_leads("+74950005000")) == 1
    assert claim_next_lead(agent, workspace.settings, now=NOW) is not None


def test_the_queue_does_not_serve_an_import_in_progress(workspace, tmp_path, monkeypatch):
    monkeypatch.setattr(calls, "PLAN_SECONDS", 0)  # a claim may reuse its plan for 1 s
    agent = add_user("anna", "Анна").id
    claims = []

    def progress(done, expected):
        claims.append(claim_next_lead(agent, workspace.settings, now=NOW))

    import_call_list(
        write_csv(tmp_path / "new.csv", range(3_000)), list_name="N", progress=progress
    )
    assert claims[:-1] == [None] * (len(claims) - 1)  # the last call comes before going live
    assert claim_next_lead(agent, workspace.settings, now=NOW) is not None


def test_cleaning_up_spares_an_import_still_running(workspace, tmp_path):
    removed = []

    def progress(done, expected):  # another desk opening the workspace meanwhile
        removed.append(remove_unfinished_imports())

    report = import_call_list(
        write_csv(tmp_path / "l.csv", range(5_000)), list_name="L", progress=progress
    )
    assert set(removed) == {0} and report.imported == Lead.select().count() == 5_000
    assert ImportRun.get().finished_at is not None and CallList.get().status == "active"


def test_the_import_is_audited_in_its_last_transaction(workspace, tmp_path):
    boss = add_user("boss", "Начальник", "supervisor").id
    report = import_call_list(write_csv(tmp_path / "l.csv", [1, 2, 2]), list_name="L", user_id=boss)
    (event,) = AuditEvent.select().where(AuditEvent.action == "import")
    assert event.user_id == boss
    assert event.details["list"] == "L" and event.details["import_run"] == report.import_run_id
    assert (event.details["imported"], event.details["duplicates"]) == (2, 1)


def test_a_dry_run_writes_nothing(workspace, tmp_path):
    report = import_call_list(write_csv(tmp_path / "l.csv", [1, 2, 2]), dry_run=True)
    assert (report.imported, report.duplicates) == (2, 1)
    assert not (CallList.select().exists() or ImportRun.select().exists() or Lead.select().exists())


def test_a_claim_plan_cached_before_an_import_never_serves_its_leads(workspace, tmp_path):
    agents = [add_user(f"agent{n}", f"Агент {n}").id for n in range(4)]
    import_call_list(write_csv(tmp_path / "first.csv", [1]), list_name="E")
    # the plan (lists, zone sets) is built here and reused for a second by the claims below
    assert claim_next_lead(agents[0], workspace.settings, now=NOW) is not None
    summary = queue_summary(agents[1], workspace.settings, now=NOW)
    claims, summaries = [], []

    def progress(done, expected):
        claims.append(claim_next_lead(agents[len(claims) % 3 + 1], workspace.settings, now=NOW))
        summaries.append(queue_summary(agents[1], workspace.settings, now=NOW))

    import_call_list(
        write_csv(tmp_path / "more.csv", range(2, 3_000)), list_name="E", progress=progress
    )
    assert claims == [None, None]  # the same list, but its new leads were not live yet
    assert summaries == [summary, summary]
    assert queue_summary(agents[1], workspace.settings, now=NOW).callable_now == 2_998


def test_parse_workers_yield_the_cpu_to_the_desks():
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from tmdesk.services.parse_workers import WORKER_NICENESS, start_worker

    mine = os.nice(0)
    with ProcessPoolExecutor(
        1, mp_context=get_context("spawn"), initializer=start_worker, initargs=(os.getpid(),)
    ) as pool:
        assert pool.submit(os.nice, 0).result(timeout=60) == mine + WORKER_NICENESS
