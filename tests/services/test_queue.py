"""The queue summary: why each lead is (not) callable now, counted exactly."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.services.test_calls import import_rows
from tmdesk.services.calls import claim_next_lead, record_disposition
from tmdesk.services.dnc import add_numbers
from tmdesk.services.queue import preview_queue, queue_summary
from tmdesk.services.users import add_user
from tmdesk.store.models import CallList, Lead

NOW = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)  # 09:30 Moscow, 08:30 Kaliningrad


def test_every_lead_is_counted_once_under_its_reason(workspace, tmp_path):
    settings = workspace.settings.with_(max_attempts=3)
    anna, boris = add_user("anna", "Анна").id, add_user("boris", "Борис").id
    leads = import_rows(
        tmp_path,
        "main",
        [[f"Москва-{n}", f"8 495 100-00-{n:02d}", "Москва", "0"] for n in range(10)]
        + [["Калининград", "8 4012 10-00-03", "Калининград", "0"]],
    )
    paused = import_rows(tmp_path, "paused", [["Пауза", "8 495 200-00-01", "Москва", "0"]])
    CallList.update(status="paused").where(CallList.name == "paused").execute()

    held = claim_next_lead(boris, settings, now=NOW)  # being called by another agent
    mine = claim_next_lead(anna, settings, now=NOW)  # anna's own: callable for her
    record_disposition(mine.lead_id, anna, "busy", settings, now=NOW)  # waiting 20 min
    done = claim_next_lead(anna, settings, now=NOW)
    record_disposition(done.lead_id, anna, "wrong_number", settings, now=NOW)  # finished
    capped = claim_next_lead(anna, settings, now=NOW)
    record_disposition(capped.lead_id, anna, "no_answer", settings, now=NOW)
    Lead.update(attempts=5, next_call_at=NOW).where(Lead.id == capped.lead_id).execute()
    dnc_lead = claim_next_lead(anna, settings, now=NOW)
    record_disposition(dnc_lead.lead_id, anna, "dnc", settings, now=NOW)
    later = Lead.get(Lead.company == "Москва-9")
    add_numbers([later.phone_e164])  # on the DNC list after its import

    summary = queue_summary(anna, settings, now=NOW)
    assert summary.claimed_by_others == 1 and held.lead_id != mine.lead_id
    assert summary.waiting == 1
    assert summary.finished == 1
    assert summary.exhausted == 1
    assert summary.do_not_call == 2
    assert summary.outside_window == 1  # Kaliningrad at 08:30
    assert summary.paused_lists == 1
    # the rest of the 10 Moscow leads (held, waiting, finished, capped, two on DNC)
    assert summary.callable_now == 10 - 6
    total = sum(count for _label, count in summary.reasons())
    assert total == len(leads) + len(paused) == Lead.select().count()
    served = preview_queue(anna, settings, now=NOW, limit=50)
    assert len(served) == summary.callable_now
