"""What the calls through the PBX leave for the supervisor: talk and ring time in the day
report and its JSON, and the qualifying call's recording in the handoff records."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import openpyxl
from supervisor_data import fixed_day
from telephony_helpers import (
    WEDNESDAY_10_MSK,
    desk_with_a_claimed_lead,
    linked_phone_call,
    make_desk,
)

from tmdesk.config import Settings
from tmdesk.services.calls import record_disposition, undo_last_disposition
from tmdesk.services.export_formats import ExportMeta, write_records
from tmdesk.services.handoff import ready_records
from tmdesk.services.reports import report
from tmdesk.store.models import CallAttempt, Lead, PhoneCall


def qualified_attempt(company: str) -> CallAttempt:
    lead = Lead.get(Lead.company == company)
    return CallAttempt.get((CallAttempt.lead == lead.id) & (CallAttempt.disposition == "qualified"))


def test_talk_and_ring_time_per_agent_and_in_total(tmp_path):
    desk = make_desk(tmp_path / "t.db", tmp_path)
    fixed_day(desk)
    anna = CallAttempt.select().where(CallAttempt.agent == desk.users["anna"].id)
    boris = CallAttempt.select().where(CallAttempt.agent == desk.users["boris"].id)
    linked_phone_call(anna[0], result="answered", ring_seconds=6, talk_seconds=222)
    linked_phone_call(anna[1], result="busy", ring_seconds=4)
    linked_phone_call(boris[0], result="answered", ring_seconds=10, talk_seconds=60)
    day = report(date(2026, 11, 25), time_zone="Europe/Moscow")
    figures = {row.login: (row.talk_seconds, row.ring_seconds) for row in day.agents}
    assert figures["anna"] == (222, 10) and figures["boris"] == (60, 10)
    assert (day.totals.talk_seconds, day.totals.ring_seconds) == (282, 20)
    data = day.to_json()
    assert data["totals"]["talk_seconds"] == 282 and data["totals"]["ring_seconds"] == 20
    assert report(date(2026, 11, 24), time_zone="Europe/Moscow").totals.talk_seconds == 0


def test_the_handoff_record_carries_the_qualifying_calls_recording(tmp_path):
    desk = make_desk(tmp_path / "t.db", tmp_path)
    fixed_day(desk)
    attempt = qualified_attempt("Лотос Фарм")
    linked_phone_call(
        attempt,
        result="answered",
        ring_seconds=6,
        talk_seconds=222,
        line="+74957770000",
        provider_call_id="1733470000.1",
        recording="/var/spool/asterisk/monitor/tmdesk-1.wav",
    )
    linked_phone_call(attempt, result="no_answer", ring_seconds=30)  # an earlier try, no recording
    records = {
        r["company"]: r for r in ready_records(desk.workspace.settings, include_unreviewed=True)
    }
    record = records["Лотос Фарм"]
    assert record["recordings"] == ["/var/spool/asterisk/monitor/tmdesk-1.wav"]
    assert [call["result"] for call in record["phone_calls"]] == ["answered", "no_answer"]
    assert record["phone_calls"][0]["line"] == "+74957770000"
    assert record["phone_calls"][0]["talk_seconds"] == 222
    assert list(record)[-2:] == ["phone_calls", "recordings"]  # added at the end
    others = [r for company, r in records.items() if company != "Лотос Фарм"]
    assert others and all(r["recordings"] == [] for r in others)
    # the spreadsheet formats carry them too, one cell per lead
    meta = ExportMeta(created_at=datetime(2026, 11, 25, 12, tzinfo=UTC))
    written = io.BytesIO()
    write_records("csv", written, [record, others[0]], meta)
    rows = list(csv.DictReader(io.StringIO(written.getvalue().decode("utf-8-sig"))))
    assert rows[0]["Call recordings"] == "/var/spool/asterisk/monitor/tmdesk-1.wav"
    assert rows[1]["Call recordings"] == ""
    written = io.BytesIO()
    write_records("xlsx", written, [record], meta)
    sheet = openpyxl.load_workbook(io.BytesIO(written.getvalue())).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Call recordings") + 1).value
    assert cell == "/var/spool/asterisk/monitor/tmdesk-1.wav"


def test_an_undone_outcome_gives_its_calls_to_the_one_recorded_again(tmp_path):
    settings = Settings()
    desk, lead_id = desk_with_a_claimed_lead(tmp_path, settings)
    anna = desk.users["anna"].id
    lead = Lead.get_by_id(lead_id)
    call = PhoneCall.create(
        lead=lead_id,
        agent=anna,
        phone_e164=lead.phone_e164,
        provider="asterisk",
        state="ended",
        result="busy",
        ring_seconds=4,
    )
    first = record_disposition(lead_id, anna, "busy", settings, now=WEDNESDAY_10_MSK)
    assert PhoneCall.get_by_id(call.id).attempt_id == first.attempt_id
    undo_last_disposition(anna, settings, now=WEDNESDAY_10_MSK + timedelta(seconds=5))
    again = record_disposition(
        lead_id, anna, "no_answer", settings, now=WEDNESDAY_10_MSK + timedelta(seconds=9)
    )
    assert PhoneCall.get_by_id(call.id).attempt_id == again.attempt_id != first.attempt_id
