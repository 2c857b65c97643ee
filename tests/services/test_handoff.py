"""Handoff as a service: which leads are ready, their records, and export batches
(recorded, handed off once, repeatable byte for byte, all or nothing, owner-only files)."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, date, datetime, timedelta

import pytest
from handoff_helpers import (
    AGENDA,
    ANSWER_COMMENT,
    ATTENDEES,
    COMMENT,
    CONTACT,
    HOSTILE_COMPANY,
    INDUSTRY,
    MEETING_END,
    MEETING_START,
    NOTE,
    NOW,
    PLACE,
    POSITION,
    REVIEWED,
    make_handoff_desk,
)

from tmdesk.services import handoff_records
from tmdesk.services.export_formats import csv_file, ics_file, json_file, xlsx_file
from tmdesk.services.handoff import (
    HandoffError,
    batch_records,
    export_batch,
    list_batches,
    ready_records,
    ready_summary,
    repeat_batch,
)
from tmdesk.services.output_files import OutputFileError as ExportFileError
from tmdesk.store.dialect import is_postgres
from tmdesk.store.models import (
    AuditEvent,
    ExportBatch,
    ExportedLead,
    Lead,
    Meeting,
    Qualification,
    Specialist,
    database,
)

LATER = NOW + timedelta(days=1)


@pytest.fixture
def desk(workspace, tmp_path):
    return make_handoff_desk(workspace, tmp_path)


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def ids(records):
    return [r["lead_id"] for r in records]


def files_in(folder):
    return sorted(p.name for p in folder.iterdir())


# --- what is ready -------------------------------------------------------------------------


def test_ready_means_qualified_and_approved_unless_review_is_off(desk):
    settings = desk.settings
    assert ids(ready_records(settings)) == [desk.full, desk.other]
    assert ids(ready_records(settings, include_unreviewed=True)) == [
        desk.full,
        desk.plain,
        desk.other,
    ]
    assert ids(ready_records(settings.with_(review_required=False))) == [
        desk.full,
        desk.plain,
        desk.other,
    ]


def test_a_returned_or_requalified_lead_is_not_ready(desk):
    Qualification.update(status="returned").where(Qualification.lead == desk.other).execute()
    Lead.update(status="callback").where(Lead.id == desk.other).execute()
    # a newer submission replaces the approved one until it is approved in turn
    older = Qualification.get(Qualification.lead == desk.full)
    Qualification.insert(
        lead=desk.full,
        agent=desk.agent_id,
        script_key="b2b-ru",
        script_version="1",
        status="submitted",
        submitted_at=older.submitted_at + timedelta(days=1),
    ).execute()
    assert ready_records(desk.settings) == []
    assert ids(ready_records(desk.settings, include_unreviewed=True)) == [desk.full, desk.plain]


def test_the_record_holds_everything_the_desk_learned(desk):
    record = ready_records(desk.settings)[0]
    assert {
        k: record[k]
        for k in (
            "lead_id",
            "company",
            "contact",
            "position",
            "phone_e164",
            "phone_national",
            "phone_ext",
            "email",
            "city",
            "region",
            "time_zone",
            "inn",
            "website",
            "comment",
            "list",
        )
    } == {
        "lead_id": desk.full,
        "company": HOSTILE_COMPANY,
        "contact": CONTACT,
        "position": POSITION,
        "phone_e164": "+73832100001",
        "phone_national": "8 (383) 210-00-01",
        "phone_ext": "12",
        "email": "ceo@romashka.example",
        "city": "Новосибирск",
        "region": "Новосибирская обл.",
        "time_zone": "Asia/Novosibirsk",
        "inn": "5401000001",
        "website": "romashka.example",
        "comment": COMMENT,
        "list": "Сибирь; осень",
    }
    assert record["other_phones"] == [
        {
            "e164": "+79130000002",
            "national": "8 (913) 000-00-02",
            "ext": None,
            "raw": "+7 913 000-00-02",
        }
    ]
    assert record["extra"] == {"Отрасль": INDUSTRY}
    q = record["qualification"]
    assert (
        q["status"],
        q["script_key"],
        q["script_version"],
        q["fit"],
        q["knockouts"],
        q["actuality"],
        q["recall_on"],
        q["score"],
    ) == ("approved", "b2b-ru", "1", True, [], "now", None, 105)
    assert q["reviewed_by"] == {"login": "olga", "name": "Ольга Дымова"}
    assert q["reviewed_at"] == REVIEWED.isoformat()
    answers = {a["id"]: a for a in q["answers"]}
    # the supervisor's correction is what the specialist reads; the agent's answer stays
    assert {
        k: answers["employees"][k]
        for k in ("answer", "label", "answered", "answered_label", "corrected_by", "corrected_at")
    } == {
        "answer": "300",
        "label": "300",
        "answered": 250,
        "answered_label": "250",
        "corrected_by": "olga",
        "corrected_at": REVIEWED.isoformat(),
    }
    assert q["corrections"][0]["before"] == "250"
    assert (answers["timeline"]["answer"], answers["timeline"]["label"]) == (
        "2027-01-15",
        "15.01.2027",
    )
    assert answers["comment"]["answer"] == ANSWER_COMMENT
    assert answers["right_person"]["text"].startswith("Вы отвечаете за закупку")
    assert [
        (p["role"], p["name"], p["position"], p["phone_e164"], p["email"])
        for p in record["decision_makers"]
    ] == [
        (
            "decision_maker",
            "Иван Петров",
            "Генеральный директор",
            "+74951000009",
            "i.petrov@example.ru",
        ),
        ("influencer", "Ольга Сидорова", "Главный инженер, ОГМ", "+79161234567", ""),
    ]
    assert record["notes"] == [
        {
            "at": (NOW + timedelta(minutes=5)).isoformat(),
            "agent": "Анна Котова",
            "agent_login": "anna",
            "disposition": "qualified",
            "text": NOTE,
        }
    ]
    assert record["agent"] == {"login": "anna", "name": "Анна Котова"}
    assert record["qualified_at"] == (NOW + timedelta(minutes=5)).isoformat()
    meeting = record["meeting"]
    assert meeting["specialist"] == {
        "id": desk.specialist_id,
        "name": "Игорь Васильев",
        "email": "i.vasiliev@vendor.example",
        "phone_e164": "+73832000000",
        "time_zone": "Asia/Novosibirsk",
    }
    assert (meeting["starts_at"], meeting["ends_at"]) == (
        "2026-11-27T10:00:00+07:00",
        "2026-11-27T11:00:00+07:00",
    )
    assert (meeting["starts_at_utc"], meeting["ends_at_utc"]) == (
        MEETING_START.isoformat(),
        MEETING_END.isoformat(),
    )
    assert (meeting["kind"], meeting["place"], meeting["agenda"], meeting["status"]) == (
        "on_site",
        PLACE,
        AGENDA,
        "booked",
    )
    assert [a["email"] for a in meeting["attendees"]] == [a["email"] for a in ATTENDEES]
    assert meeting["booked_by"]["login"] == "anna"


def test_a_cancelled_meeting_is_not_handed_off(desk):
    Meeting.update(status="cancelled").where(Meeting.id == desk.meeting_id).execute()
    assert ready_records(desk.settings)[0]["meeting"] is None


def _clone_ready_leads(desk, n: int) -> None:
    """n more approved leads like "other", each with its people, a note and a meeting."""
    for i in range(n):
        lead = Lead.get_by_id(desk.other)
        lead_id = Lead.insert(
            call_list=lead.call_list_id,
            zone_set=lead.zone_set_id,
            company=f"Клон {i}",
            phone_e164=f"+7495300{i:04d}",
            status="qualified",
        ).execute()
        source = Qualification.get(Qualification.lead == desk.other)
        q_id = database.execute_sql(
            "INSERT INTO qualification (lead_id, agent_id, script_key, script_version, answers, "
            "fit, knockouts, actuality, score, status, submitted_at, created_at, updated_at) "
            "SELECT ?, agent_id, script_key, script_version, answers, fit, knockouts, "
            "actuality, score, 'approved', submitted_at, created_at, updated_at "
            "FROM qualification WHERE id = ? RETURNING id",
            (lead_id, source.id),
        ).fetchone()[0]
        database.execute_sql(
            "INSERT INTO decision_maker (qualification_id, role, name, position, phone_raw, "
            "phone_e164, email) SELECT ?, role, name, position, phone_raw, phone_e164, email "
            "FROM decision_maker WHERE qualification_id = ?",
            (q_id, source.id),
        )
        database.execute_sql(
            "INSERT INTO call_attempt (lead_id, agent_id, phone_e164, at, disposition, note, "
            "status_before, status_after) VALUES (?, ?, '+7', ?, 'qualified', 'ок', 'new', "
            "'qualified')",
            (lead_id, desk.agent_id, "2026-11-25 08:00:00.000000"),
        )
        Meeting.create(
            lead=lead_id,
            specialist=desk.specialist_id,
            starts_at=MEETING_END + timedelta(hours=2 * i + 1),
            ends_at=MEETING_END + timedelta(hours=2 * i + 2),
            booked_by=desk.agent_id,
        )


def test_records_take_a_few_queries_per_chunk_never_per_lead(desk, monkeypatch):
    executed = []
    real = database.obj.execute_sql

    def counting(sql, *args, **kwargs):
        executed.append(sql)
        return real(sql, *args, **kwargs)

    def queries() -> int:
        executed.clear()
        monkeypatch.setattr(database.obj, "execute_sql", counting)
        try:
            found = ready_records(desk.settings)
        finally:
            monkeypatch.setattr(database.obj, "execute_sql", real)
        return len(executed), found

    few, found = queries()
    assert len(found) == 2
    _clone_ready_leads(desk, 40)
    many, found = queries()
    assert len(found) == 42
    assert all(r["decision_makers"] and r["notes"] and r["meeting"] for r in found[2:])
    assert many == few <= 13, executed
    # read in chunks (memory stays flat): five more queries per chunk, never per lead
    monkeypatch.setattr(handoff_records, "CHUNK", 10)
    chunked, again = queries()
    assert again == found
    assert chunked == few + 4 * 5


# --- batches -------------------------------------------------------------------------------


def test_an_export_records_a_batch_and_hands_each_lead_off_once(desk, out):
    files = export_batch(desk.settings, "csv", out, user_id=desk.supervisor_id, now=LATER)
    assert len(files) == 1
    exported = files[0]
    assert (exported.lead_count, exported.meeting_count, exported.format) == (2, 1, "csv")
    assert exported.path == (out / f"handoff-{exported.batch_id:05d}.csv").resolve()
    assert files_in(out) == [exported.path.name]  # no temporary file left
    batch = ExportBatch.get_by_id(exported.batch_id)
    assert (batch.created_by_id, batch.format, batch.lead_count, batch.path, batch.created_at) == (
        desk.supervisor_id,
        "csv",
        2,
        str(exported.path),
        LATER,
    )
    assert batch.parameters["review_required"] is True
    stored = {row.lead_id: row.record for row in ExportedLead.select()}
    assert sorted(stored) == [desk.full, desk.other]
    assert stored[desk.full]["company"] == HOSTILE_COMPANY
    assert AuditEvent.get(AuditEvent.action == "handoff.export").details["batch"] == batch.id
    # handed off once: the next export finds nothing and records nothing
    assert export_batch(desk.settings, "csv", out, now=LATER) == []
    assert ExportBatch.select().count() == 1 and files_in(out) == [exported.path.name]
    # until something new is approved
    Qualification.update(status="approved").where(Qualification.lead == desk.plain).execute()
    again = export_batch(desk.settings, "json", out, now=LATER)
    assert [f.lead_count for f in again] == [1]
    assert ids(batch_records(again[0].batch_id)) == [desk.plain]


def test_all_since_takes_leads_handed_off_before(desk, out):
    export_batch(desk.settings, "csv", out, now=LATER)
    with pytest.raises(HandoffError, match="--since"):
        export_batch(desk.settings, "csv", out, include_exported=True)
    everything = export_batch(
        desk.settings, "json", out, include_exported=True, since=date(2026, 11, 25), now=LATER
    )
    assert everything[0].lead_count == 2
    # the day is the desk's (Moscow): the leads were qualified on the 25th there
    assert (
        export_batch(
            desk.settings, "json", out, include_exported=True, since=date(2026, 11, 26), now=LATER
        )
        == []
    )
    assert ExportedLead.select().where(ExportedLead.lead == desk.full).count() == 2


def test_since_alone_leaves_older_leads_for_later(desk, out):
    assert export_batch(desk.settings, "csv", out, since=date(2026, 11, 26)) == []
    assert ExportBatch.select().count() == 0


@pytest.mark.parametrize(
    "fmt, excel_ru",
    [("csv", False), ("csv", True), ("xlsx", False), ("json", False), ("ics", False)],
)
def test_a_batch_written_again_is_the_same_bytes(desk, out, tmp_path, monkeypatch, fmt, excel_ru):
    if excel_ru:  # Windows-1251 has no ＝
        Meeting.update(agenda="Показать КП").execute()
    first = export_batch(desk.settings, fmt, out, excel_ru=excel_ru, now=LATER)[0]
    original = first.path.read_bytes()
    # the database changes after the handoff: the batch still writes what was handed off
    Lead.update(company="Переименована").execute()
    Meeting.update(agenda="другая").execute()
    again = repeat_batch(first.batch_id, tmp_path / f"again.{fmt}")
    assert again.path.read_bytes() == original
    assert (again.repeated, again.lead_count, again.format) == (True, first.lead_count, fmt)
    # over the original file too (the default name) with force, still identical and owner-only
    monkeypatch.chdir(out)
    with pytest.raises(ExportFileError, match="already exists.*--force"):
        repeat_batch(first.batch_id)
    assert repeat_batch(first.batch_id, force=True).path == first.path
    assert first.path.read_bytes() == original
    assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
    assert AuditEvent.select().where(AuditEvent.action == "handoff.repeat").count() == 2


def test_a_batch_can_be_written_again_in_another_format(desk, out):
    first = export_batch(desk.settings, "xlsx", out, now=LATER)[0]
    calendar = repeat_batch(first.batch_id, out, fmt="ics")
    assert calendar.path.name == f"handoff-{first.batch_id:05d}.ics"
    assert (calendar.lead_count, calendar.meeting_count) == (2, 1)
    with pytest.raises(HandoffError, match="no export batch 99"):
        repeat_batch(99)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "ics"])
def test_export_files_are_owner_only_from_the_start(desk, out, fmt):
    previous = os.umask(0)  # even where the umask would let everyone read
    try:
        exported = export_batch(desk.settings, fmt, out, now=LATER)[0]
    finally:
        os.umask(previous)
    assert stat.S_IMODE(exported.path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "module",
    [csv_file, xlsx_file, json_file, ics_file],
    ids=lambda m: m.__name__.rsplit(".", 1)[-1],
)
def test_a_failure_mid_export_leaves_no_file_and_no_batch(desk, out, monkeypatch, module):
    fmt = module.__name__.rsplit(".", 1)[-1].removesuffix("_file")
    real_write = module.write
    written = []

    def failing_write(handle, records, meta):
        def stream():
            for number, record in enumerate(records):
                if number == 1:  # the first lead is written, the second fails
                    written.append(handle.tell())
                    raise OSError("disk full")
                yield record

        real_write(handle, stream(), meta)

    Meeting.create(
        lead=desk.other,
        specialist=desk.specialist_id,
        starts_at=MEETING_END,
        ends_at=MEETING_END + timedelta(hours=1),
        booked_by=desk.agent_id,
    )
    monkeypatch.setattr(module, "write", failing_write)
    with pytest.raises(ExportFileError, match="cannot write: disk full"):
        export_batch(desk.settings, fmt, out, now=LATER)
    assert written  # the writer was under way
    assert files_in(out) == []
    assert ExportBatch.select().count() == ExportedLead.select().count() == 0
    monkeypatch.undo()
    assert export_batch(desk.settings, fmt, out, now=LATER)[0].lead_count == 2


def test_a_folder_that_refuses_the_file_gets_a_message_and_no_batch(desk, out):
    with pytest.raises(ExportFileError, match=r"/proc/handoff\.csv: cannot write"):
        export_batch(desk.settings, "csv", "/proc/handoff.csv", now=LATER)
    assert ExportBatch.select().count() == 0


def test_a_failure_while_recording_removes_the_written_files(desk, out, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(AuditEvent, "create", broken)
    with pytest.raises(RuntimeError):
        export_batch(desk.settings, "json", out, per_specialist=True, now=LATER)
    assert files_in(out) == []
    assert ExportBatch.select().count() == ExportedLead.select().count() == 0


def test_leads_taken_by_another_export_meanwhile_are_not_handed_off_twice(desk, out, monkeypatch):
    from tmdesk.services import handoff

    real = handoff.write_records

    def write_while_another_export_records(fmt, handle, records, meta):
        other = ExportBatch.create(format="csv", lead_count=1, completed_at=LATER)
        ExportedLead.create(batch=other, lead=desk.full, record={"lead_id": desk.full})
        real(fmt, handle, records, meta)

    monkeypatch.setattr(handoff, "write_records", write_while_another_export_records)
    with pytest.raises(HandoffError, match="1 of these leads were just handed off"):
        export_batch(desk.settings, "csv", out, now=LATER)
    assert files_in(out) == [] and ExportBatch.select().count() == 1
    assert ExportedLead.select().count() == 1  # its pending rows removed


def test_one_file_and_batch_per_specialist(desk, out):
    maria = Specialist.create(name="Мария Орлова / Юг", time_zone="Europe/Moscow")
    Meeting.create(
        lead=desk.other,
        specialist=maria,
        starts_at=MEETING_START,
        ends_at=MEETING_END,
        booked_by=desk.agent_id,
    )
    Qualification.update(status="approved").where(Qualification.lead == desk.plain).execute()
    summary = ready_summary(desk.settings)
    assert (summary.leads, summary.with_meeting) == (3, 2)
    assert summary.by_specialist == (("Игорь Васильев", 1), ("Мария Орлова / Юг", 1), (None, 1))
    files = export_batch(desk.settings, "csv", out, per_specialist=True, now=LATER)
    assert [(f.specialist, f.lead_count) for f in files] == [
        ("Игорь Васильев", 1),
        ("Мария Орлова / Юг", 1),
        (None, 1),
    ]
    assert [f.path.name for f in files] == [
        f"handoff-{files[0].batch_id:05d}-Игорь-Васильев.csv",
        f"handoff-{files[1].batch_id:05d}-Мария-Орлова-Юг.csv",
        f"handoff-{files[2].batch_id:05d}-no-meeting.csv",
    ]
    assert files_in(out) == sorted(f.path.name for f in files)
    assert len({f.batch_id for f in files}) == 3
    assert ids(batch_records(files[1].batch_id)) == [desk.other]
    assert repeat_batch(files[1].batch_id, out, force=True).path == files[1].path
    with pytest.raises(HandoffError, match="needs a folder"):
        export_batch(desk.settings, "csv", out / "one.csv", per_specialist=True)


def test_one_specialist_and_the_calendar_take_only_leads_with_their_meeting(desk, out):
    with pytest.raises(HandoffError, match="no specialist 'нет такого' \\(known: Игорь"):
        export_batch(desk.settings, "csv", out, specialist="нет такого")
    calendar = export_batch(desk.settings, "ics", out, now=LATER)[0]
    assert (calendar.lead_count, calendar.meeting_count) == (1, 1)
    assert ids(batch_records(calendar.batch_id)) == [desk.full]
    assert ids(ready_records(desk.settings)) == [desk.other]  # left for a CSV or XLSX
    Meeting.update(lead=desk.other).where(Meeting.id == desk.meeting_id).execute()
    mine = export_batch(desk.settings, "xlsx", out, specialist="игорь", now=LATER)[0]
    assert (mine.specialist, mine.lead_count) == ("Игорь Васильев", 1)


def test_batches_are_listed_newest_first(desk, out):
    assert list_batches() == []
    first = export_batch(desk.settings, "csv", out, user_id=desk.supervisor_id, now=LATER)[0]
    Qualification.update(status="approved").where(Qualification.lead == desk.plain).execute()
    second = export_batch(desk.settings, "json", out, now=LATER + timedelta(hours=1))[0]
    found = list_batches()
    assert [(b.id, b.format, b.lead_count, b.created_by) for b in found] == [
        (second.batch_id, "json", 1, None),
        (first.batch_id, "csv", 2, "olga"),
    ]
    assert found[1].to_json()["path"] == str(first.path)
    assert json.dumps([b.to_json() for b in found])


def test_unknown_formats_and_options_are_refused(desk, out):
    with pytest.raises(HandoffError, match="unknown format 'pdf'"):
        export_batch(desk.settings, "pdf", out)
    with pytest.raises(HandoffError, match="CSV option"):
        export_batch(desk.settings, "xlsx", out, excel_ru=True)
    with pytest.raises(HandoffError, match="does not exist"):
        export_batch(desk.settings, "csv", out / "missing" / "x.csv")
    assert ExportBatch.select().count() == 0


def test_the_pick_table_is_per_connection_and_dropped(desk):
    ready_records(desk.settings)
    if is_postgres():
        assert database.execute_sql("SELECT to_regclass('pg_temp.handoff_pick')").fetchone() == (
            None,
        )
        return
    tables = database.execute_sql(
        "SELECT name FROM sqlite_temp_master WHERE type = 'table'"
    ).fetchall()
    assert ("handoff_pick",) not in tables


def test_instants_in_records_carry_their_offset(desk):
    record = ready_records(desk.settings)[0]
    for text in (
        record["qualified_at"],
        record["meeting"]["starts_at"],
        record["qualification"]["reviewed_at"],
    ):
        assert datetime.fromisoformat(text).tzinfo is not None
    assert datetime.fromisoformat(record["meeting"]["starts_at"]) == MEETING_START.astimezone(UTC)


@pytest.mark.parametrize(
    "e164",
    [
        "+74951234567",
        "+79161234567",
        "+73812123456",
        "+73519123456",
        "+78442123456",
        "+77012345678",
        "+77172123456",
        "+78001234567",
        "+79991234567",
    ],
)
def test_the_quick_national_form_is_libphonenumbers(e164):
    from tmdesk.domain.phones import national_format
    from tmdesk.services.handoff_records import _national

    assert _national.__wrapped__(e164) == national_format(e164)


EXPORTER = """
import sys
from pathlib import Path
from tmdesk.services.handoff import HandoffError, export_batch
from tmdesk.services.workspace import open_workspace

workspace = open_workspace(sys.argv[1])
Path(sys.argv[3]).touch()
while not Path(sys.argv[4]).exists():  # start together
    pass
try:
    files = export_batch(workspace.settings, "xlsx", sys.argv[2])
    print("wrote", sum(f.lead_count for f in files))
except HandoffError as error:
    print("refused", error)
"""


@pytest.mark.slow
def test_two_exports_at_once_hand_each_lead_off_once(desk, workspace, tmp_path, out):
    import subprocess
    import sys
    import time

    _clone_ready_leads(desk, 300)  # enough work for the two to overlap
    go = tmp_path / "go"
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                EXPORTER,
                str(workspace.target),
                str(out),
                str(tmp_path / f"ready{n}"),
                str(go),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(2)
    ]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready{n}").exists() for n in range(2)):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    go.touch()
    outputs = sorted(run.communicate(timeout=120)[0].strip() for run in runs)
    assert all(run.returncode == 0 for run in runs)
    # one hands the 302 leads off; the other found nothing left, or lost the race to
    # record them and was refused (in either case it wrote and recorded nothing)
    assert outputs[1] == "wrote 302", outputs
    assert outputs[0] == "wrote 0" or outputs[0].startswith(
        "refused 302 of these leads were just handed off"
    ), outputs
    assert ExportedLead.select().count() == 302
    assert len(list(out.iterdir())) == 1  # the refused export left no file


def test_a_pending_batch_is_invisible_to_every_reader(desk, out, monkeypatch):
    from tmdesk.services import export_staging
    from tmdesk.services.maintenance import check_database

    _clone_ready_leads(desk, 25)
    ready, summary = ids(ready_records(desk.settings)), ready_summary(desk.settings)
    write_rows, seen = export_staging.write_rows, []

    def watching_write_rows(rows):
        write_rows(rows)
        batch = rows[0][0]
        with pytest.raises(HandoffError, match=f"no export batch {batch}"):
            repeat_batch(batch, out / "again.csv")
        with pytest.raises(HandoffError, match=f"no export batch {batch}"):
            batch_records(batch)
        try:
            handoff_records.pick_ready(handoff_records.Selection())
            taken = handoff_records.already_exported()
        finally:
            handoff_records.release_pick()
        seen.append(
            (
                ExportedLead.select().where(ExportedLead.batch == batch).count(),
                ids(ready_records(desk.settings)) == ready,  # its leads are still ready
                ready_summary(desk.settings) == summary,
                (list_batches(), taken),
                # another desk opening the workspace, or `db check`, meanwhile
                (export_staging.remove_unfinished_exports(), check_database()),
            )
        )

    monkeypatch.setattr(export_staging, "WRITE_ROWS", 10)
    monkeypatch.setattr(export_staging, "write_rows", watching_write_rows)
    (exported,) = export_batch(desk.settings, "csv", out, now=LATER)
    assert len(ready) == exported.lead_count == 27
    assert [s[0] for s in seen] == [10, 20, 27]  # each chunk its own transaction
    assert all(s[1:] == (True, True, ([], []), (0, [])) for s in seen), seen
    assert ids(batch_records(exported.batch_id)) == sorted(ready)
    assert [b.id for b in list_batches()] == [exported.batch_id]
    assert ready_records(desk.settings) == []
