"""`tmdesk specialists`, `tmdesk meetings` and `tmdesk slots` from the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tmdesk.services.booking import book_meeting
from tmdesk.services.users import add_user
from tmdesk.services.workspace import open_workspace
from tmdesk.store.models import CallList, Lead, Specialist, ZoneSet

ADD = (
    "specialists",
    "add",
    "Дмитрий Орлов",
    "--email",
    "d.orlov@demo-vendor.ru",
    "--phone",
    "8 (915) 402-18-33",
    "--time-zone",
    "Europe/Moscow",
    "--hours",
    "mon-fri 09:00-18:00, lunch 13:00-14:00; sat 10:00-14:00",
    "--days-off",
    "2026-12-31",
    "--days-off",
    "2027-01-01..2027-01-08",
    "--regions",
    "ЦФО, СЗФО",
    "--specialisations",
    "логистика",
    "--specialisations",
    "пищевое производство",
    "--meeting-minutes",
    "45",
    "--buffer-minutes",
    "10",
    "--max-per-day",
    "4",
)


def one_error_line(result) -> str:
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_add_list_edit_remove(desk):
    result = desk(*ADD)
    assert result.stdout.splitlines()[:2] == [
        "added specialist Дмитрий Орлов (id 1)",
        "  Europe/Moscow; mon-fri 09:00-13:00, 14:00-18:00; sat 10:00-14:00; meetings 45 min, "
        "buffer 10 min, per day 4",
    ]
    (listed,) = desk.json("specialists", "list")
    assert listed == {
        "id": 1,
        "name": "Дмитрий Орлов",
        "email": "d.orlov@demo-vendor.ru",
        "phone_e164": "+79154021833",
        "time_zone": "Europe/Moscow",
        "working_hours": {"mon-fri": ["09:00-13:00", "14:00-18:00"], "sat": ["10:00-14:00"]},
        "days_off": ["2026-12-31", "2027-01-01..2027-01-08"],
        "regions": ["ЦФО", "СЗФО"],
        "specialisations": ["логистика", "пищевое производство"],
        "meeting_minutes": 45,
        "buffer_minutes": 10,
        "max_per_day": 4,
        "active": True,
    }

    changed = desk.json(
        "specialists",
        "edit",
        "орлов",
        "--time-zone",
        "Asia/Yekaterinburg",
        "--days-off",
        "",
        "--max-per-day",
        "0",
        "--inactive",
    )
    assert (
        changed["time_zone"],
        changed["days_off"],
        changed["max_per_day"],
        changed["active"],
    ) == ("Asia/Yekaterinburg", [], None, False)
    assert changed["regions"] == ["ЦФО", "СЗФО"]  # what was not given stays
    assert "Дмитрий Орлов (inactive)" in desk("specialists", "list").stdout
    desk("specialists", "edit", "1", "--active", "--name", "Д. Орлов")
    assert Specialist.get_by_id(1).name == "Д. Орлов" and Specialist.get_by_id(1).active

    desk("specialists", "add", "Смирнова")
    assert desk("specialists", "remove", "смирнова").stdout.strip() == (
        "deleted specialist Смирнова (id 2)"
    )
    assert [s["name"] for s in desk.json("specialists", "list")] == ["Д. Орлов"]


def test_bad_input_gets_one_line_naming_the_option(desk):
    desk(*ADD)
    for args, message in (
        (("specialists", "add", "дмитрий орлов"), "already called 'Дмитрий Орлов'"),
        (
            ("specialists", "add", "X", "--hours", "mon-fri 9-18"),
            "--hours 'mon-fri 9-18': '9-18' is not a time range",
        ),
        (
            ("specialists", "add", "X", "--days-off", "2026-02-30"),
            "--days-off: '2026-02-30' is not a date",
        ),
        (("specialists", "add", "X", "--time-zone", "Moscow"), "--time-zone: 'Moscow'"),
        (("specialists", "add", "X", "--email", "orlov"), "--email"),
        (("specialists", "edit", "Никто", "--max-per-day", "2"), "no specialist called"),
        (("specialists", "remove", "99"), "no specialist with id 99"),
        (("slots", "Никто"), "no specialist called 'Никто'"),
    ):
        assert message in one_error_line(desk(*args, ok=False)), args
    result = desk("specialists", "edit", "1", ok=False)
    assert result.exit_code == 2 and "nothing to change" in result.stderr
    assert Specialist.select().count() == 1


def test_only_a_supervisor_changes_specialists(desk):
    add_user("anna", "Анна")
    for args in (ADD, ("specialists", "edit", "1", "--inactive"), ("specialists", "remove", "1")):
        result = desk(*args, ok=False, env={"TMDESK_USER": "anna"})
        assert "only a supervisor can" in one_error_line(result)
    assert Specialist.select().count() == 0
    desk("specialists", "list", env={"TMDESK_USER": "anna"})


def test_meetings_and_slots(desk):
    desk(*ADD)
    workspace = open_workspace(desk.db)
    agent = add_user("anna", "Анна").id
    zone_set = ZoneSet.create(zones="Asia/Novosibirsk")
    lead = Lead.create(
        call_list=CallList.create(name="l"),
        phone_e164="+73832000000",
        zone_set=zone_set,
        status="qualified",
        company="ООО «Сибирь»",
    )
    now = datetime.now(UTC)
    slots = desk.json("slots", "Дмитрий Орлов", "--lead", str(lead.id), "--limit", "5")
    assert len(slots) == 5
    first = datetime.fromisoformat(slots[0]["starts_at"])
    assert first >= now + timedelta(hours=2) - timedelta(minutes=1)  # the minimum notice
    assert datetime.fromisoformat(slots[0]["ends_at"]) - first == timedelta(minutes=45)
    assert {type(s["in_lead_hours"]) for s in slots} == {bool}
    meeting = book_meeting(lead.id, agent, 1, first, workspace.settings, kind="phone")
    (listed,) = desk.json("meetings", "--specialist", "орлов")
    assert (
        listed["id"],
        listed["lead_id"],
        listed["company"],
        listed["booked_by"],
        listed["kind"],
        listed["status"],
    ) == (meeting.id, lead.id, "ООО «Сибирь»", "anna", "phone", "booked")
    assert listed["starts_at"] == first.isoformat()
    text = desk("meetings").stdout
    assert "Дмитрий Орлов" in text and "ООО «Сибирь»" in text and "(anna)" in text
    day = first.astimezone(ZoneInfo("Europe/Moscow"))  # the desk's zone
    assert len(desk.json("meetings", "--from", f"{day:%Y-%m-%d}", "--to", f"{day:%Y-%m-%d}")) == 1
    after = day + timedelta(days=1)
    assert desk.json("meetings", "--from", f"{after:%Y-%m-%d}") == []
    assert desk.json("meetings", "--to", "2020-01-01", "--from", "2019-12-01") == []
    later = [s["starts_at"] for s in desk.json("slots", "1", "--limit", "40")]
    assert slots[0]["starts_at"] not in later
    result = desk("meetings", "--from", "2026-05-02", "--to", "2026-05-01", ok=False)
    assert result.exit_code == 2 and "--to is before --from" in result.stderr
