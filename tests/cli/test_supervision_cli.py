"""Supervisor commands from the command line: who may run them, report, review, lists."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from tests.cli.conftest import SUPERVISOR, SUPERVISOR_PASSWORD
from tmdesk.cli import main
from tmdesk.services.workspace import open_workspace
from tmdesk.store.models import (
    AuditEvent,
    CallAttempt,
    CallList,
    Lead,
    Qualification,
    User,
)

MSK = ZoneInfo("Europe/Moscow")


def msk(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=MSK).astimezone(UTC)


def write_list(path, phones):
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Компания", "Телефон"])
        writer.writerows([f"ООО Лид {n}", phone] for n, phone in enumerate(phones, 1))
    return path


@pytest.fixture
def worked(desk, tmp_path):
    """anna (agent) called three leads on Wednesday and submitted one qualification."""
    desk("users", "add", "anna", "--name", "Анна Котова")
    desk(
        "import",
        str(
            write_list(
                tmp_path / "calls.csv", ["+7 495 100-00-01", "+7 495 100-00-02", "+7 495 100-00-03"]
            )
        ),
        "--list",
        "Осень",
    )
    open_workspace(desk.db)
    anna = User.get(User.login == "anna").id
    leads = [lead.id for lead in Lead.select().order_by(Lead.id)]
    for lead, (at, dispo, handle) in zip(
        leads,
        [
            (msk(25, 9, 0), "no_answer", 30),
            (msk(25, 9, 10), "qualified", 300),
            (msk(25, 23, 30), "not_interested", 90),
        ],
        strict=True,
    ):
        CallAttempt.create(
            lead=lead,
            agent=anna,
            phone_e164="+74951000000",
            at=at,
            claimed_at=at - timedelta(seconds=handle),
            disposition=dispo,
            status_before="new",
            status_after=dispo,
        )
    Lead.update(status="qualified").where(Lead.id == leads[1]).execute()
    qid = Qualification.create(
        lead=leads[1],
        agent=anna,
        script_key="b2b-ru",
        script_version="1",
        fit=True,
        actuality="now",
        status="submitted",
        submitted_at=msk(25, 9, 10),
        answers=[{"id": "staff", "text": "Сотрудников?", "answer": "50"}],
    ).id
    return desk, qid, leads


def test_an_agent_cannot_run_supervisor_commands(worked):
    desk, qid, _leads = worked
    as_anna = {"TMDESK_USER": "anna", "TMDESK_PASSWORD": ""}
    for args, action in [
        (("dnc", "add", "+7 495 222-33-44"), "change the do-not-call list"),
        (("review", "approve", str(qid)), "approve qualifications"),
        (("review", "return", str(qid), "--comment", "x"), "return qualifications"),
        (("lists", "pause", "Осень"), "pause call lists"),
        (("users", "add", "boris", "--name", "Борис"), "add users"),
        (("users", "passwd", SUPERVISOR, "--password-stdin"), "set passwords"),
    ]:
        result = desk(*args, env=as_anna, ok=False, input="new-password\n")
        assert result.exit_code == 1, args
        assert result.stderr == f"Error: only a supervisor can {action}\n", args
    assert Qualification.get_by_id(qid).status == "submitted"
    assert CallList.get(CallList.name == "Осень").status == "active"


def test_a_wrong_or_missing_password_or_user_is_refused(worked):
    desk, qid, _leads = worked
    wrong = desk("review", "approve", str(qid), env={"TMDESK_PASSWORD": "chief-passwort"}, ok=False)
    assert (wrong.exit_code, wrong.stderr) == (1, f"Error: wrong password for {SUPERVISOR}\n")
    nobody = desk("review", "approve", str(qid), env={"TMDESK_USER": ""}, ok=False)
    assert nobody.exit_code == 1 and "--user LOGIN" in nobody.stderr
    # no TMDESK_PASSWORD and no terminal to ask in: refused, not hung
    silent = CliRunner().invoke(
        main,
        ["--db", desk.db, "--user", SUPERVISOR, "review", "approve", str(qid)],
        env={"TMDESK_PASSWORD": None},
    )
    assert silent.exit_code == 1 and "password needed" in silent.stderr
    assert Qualification.get_by_id(qid).status == "submitted"
    # --user works as TMDESK_USER does
    ok = CliRunner().invoke(
        main,
        ["--db", desk.db, "--user", SUPERVISOR, "review", "approve", str(qid)],
        env={"TMDESK_PASSWORD": SUPERVISOR_PASSWORD, "TMDESK_USER": None},
    )
    assert ok.exit_code == 0, ok.stderr
    assert Qualification.get_by_id(qid).status == "approved"


def test_a_fresh_desk_is_open_with_a_warning_until_a_password_is_set(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "fresh.db")
    env = {"TMDESK_USER": None, "TMDESK_PASSWORD": None}
    assert runner.invoke(main, ["db", "init", db]).exit_code == 0
    first = runner.invoke(
        main,
        [
            "--db",
            db,
            "users",
            "add",
            "olga",
            "--name",
            "Ольга",
            "--role",
            "supervisor",
            "--password-stdin",
        ],
        input="olga-password\n",
        env=env,
    )
    assert first.exit_code == 0, first.stderr
    assert "no supervisor has a password yet" in first.stderr
    assert "tmdesk users passwd" in first.stderr
    closed = runner.invoke(main, ["--db", db, "users", "add", "anna", "--name", "Анна"], env=env)
    assert closed.exit_code == 1 and "say who you are" in closed.stderr
    signed = runner.invoke(
        main,
        ["--db", db, "--user", "olga", "users", "add", "anna", "--name", "Анна"],
        env={"TMDESK_PASSWORD": "olga-password", "TMDESK_USER": None},
    )
    assert signed.exit_code == 0 and signed.stderr == ""


def test_passwd_and_deactivate(worked):
    desk, _qid, _leads = worked
    desk(
        "users",
        "add",
        "olga",
        "--name",
        "Ольга",
        "--role",
        "supervisor",
        "--password-stdin",
        input="olga-password\n",
    )
    short = desk("users", "passwd", "olga", "--password-stdin", input="short\n", ok=False)
    assert short.exit_code == 1 and "at least 8" in short.stderr
    desk("users", "passwd", "olga", "--password-stdin", input="olga-new-password\n")
    as_olga = {"TMDESK_USER": "olga", "TMDESK_PASSWORD": "olga-new-password"}
    assert "anna deactivated" in desk("users", "deactivate", "anna", env=as_olga).stdout
    assert [u["active"] for u in desk.json("users", "list") if u["login"] == "anna"] == [False]
    old = desk(
        "dnc",
        "add",
        "+7 495 222-33-44",
        env={**as_olga, "TMDESK_PASSWORD": "olga-password"},
        ok=False,
    )
    assert old.exit_code == 1 and "wrong password for olga" in old.stderr
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions.count("user.password") == 2 and "user.deactivate" in actions


def test_report_json_csv_and_text(worked):
    desk, _qid, _leads = worked
    data = desk.json("report", "--date", "2026-11-25", "--time-zone", "Europe/Moscow")
    assert data["date"] == "2026-11-25" and data["time_zone"] == "Europe/Moscow"
    assert set(data) >= {"date", "totals", "agents", "funnel", "by_hour", "by_agent"}
    (anna,) = data["agents"]
    assert anna["login"] == "anna"
    for figures in (anna, data["totals"]):
        assert (
            figures["calls"],
            figures["reached"],
            figures["qualified"],
            figures["not_fit"],
            figures["meetings"],
        ) == (3, 2, 1, 0, 0)
        assert figures["contact_rate"] == 0.6667 and figures["avg_handle_seconds"] == 140.0
    assert anna["last_call"] == "2026-11-25T23:30:00+03:00"
    # the same calls seen from Yekaterinburg: 23:30 in Moscow is already Thursday there
    ekb = desk.json("report", "--date", "2026-11-25", "--time-zone", "Asia/Yekaterinburg")
    assert ekb["totals"]["calls"] == 2
    # --user's zone is the default zone
    User.update(time_zone="Asia/Yekaterinburg").where(User.login == SUPERVISOR).execute()
    assert desk.json("report", "--date", "2026-11-25")["time_zone"] == "Asia/Yekaterinburg"
    ranged = desk.json("report", "--from", "2026-11-24", "--to", "2026-11-26")
    assert (ranged["date"], ranged["from"], ranged["to"]) == (None, "2026-11-24", "2026-11-26")
    assert ranged["totals"]["calls"] == 3
    rows = list(csv.DictReader(io.StringIO(desk("report", "--date", "2026-11-25", "--csv").stdout)))
    assert [(r["login"], r["name"], r["calls"]) for r in rows] == [
        ("anna", "Анна Котова", "2"),
        ("", "Total", "2"),
    ]
    text = desk("report", "--date", "2026-11-25", "--time-zone", "Europe/Moscow").stdout
    assert "anna" in text and "67%" in text and "2:20" in text and "funnel" in text
    both = desk("report", "--date", "2026-11-25", "--from", "2026-11-24", ok=False)
    assert both.exit_code == 2
    bad = desk("report", "--time-zone", "Mars/Olympus", ok=False)
    assert bad.exit_code == 1 and "Mars/Olympus" in bad.stderr


def test_review_list_approve_and_return(worked):
    desk, qid, leads = worked
    listed = desk.json("review", "list", "--date", "2026-11-25", "--time-zone", "Europe/Moscow")
    assert [(i["qualification_id"], i["agent"], i["verdict"], i["status"]) for i in listed] == [
        (qid, "anna", "qualified", "submitted")
    ]
    assert desk.json("review", "list", "--date", "2026-11-24") == []
    assert desk.json("review", "list", "--all-days", "--agent", "anna")[0]["company"] == "ООО Лид 2"
    shown = json.loads(desk("review", "show", str(qid), "--json").stdout)
    assert shown["answers"][0]["text"] == "Сотрудников?"
    result = desk("review", "return", str(qid), "--comment", "Проверьте численность")
    assert "returned" in result.stdout and "anna" in result.stdout
    lead = Lead.get_by_id(leads[1])
    assert (lead.status, lead.callback_note) == ("callback", "Проверьте численность")
    again = desk("review", "approve", str(qid), "999", ok=False)
    assert again.exit_code == 1
    assert "already returned" in again.stderr and "no submitted qualification 999" in again.stderr


def test_lists_pause_priority_script_and_progress(worked):
    desk, _qid, leads = worked
    (row,) = desk.json("lists")
    assert (row["name"], row["status"], row["total"], row["remaining"]) == ("Осень", "active", 3, 2)
    assert "Осень: paused" in desk("lists", "pause", "Осень").stdout
    assert desk.json("lists")[0]["status"] == "paused"
    desk("lists", "resume", str(row["id"]))
    assert "priority 7" in desk("lists", "priority", "Осень", "7").stdout
    assert {lead.list_priority for lead in Lead.select()} == {7}
    assert "script b2b-en" in desk("lists", "script", "Осень", "b2b-en").stdout
    bad = desk("lists", "script", "Осень", "no-such-script", ok=False)
    assert bad.exit_code == 1 and "available: b2b-en, b2b-ru" in bad.stderr
    unknown = desk("lists", "pause", "Нет такого", ok=False)
    assert unknown.exit_code == 1 and "no call list" in unknown.stderr
    desk("lists", "archive", "Осень")
    final = desk.json("lists")[0]
    assert (final["status"], final["priority"], final["script_key"]) == ("archived", 7, "b2b-en")
    actions = [
        e.action
        for e in AuditEvent.select()
        .where(AuditEvent.action.startswith("list."))
        .order_by(AuditEvent.id)
    ]
    assert actions == [
        "list.paused",
        "list.active",
        "list.priority",
        "list.script",
        "list.archived",
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (("report", "--date", "9999-12-31"), "9999-12-31 is outside the calendar"),
        (("review", "list", "--date", "0001-01-01"), "0001-01-01 is outside the calendar"),
        (("review", "list", "--time-zone", "Mars/Base"), "unknown time zone 'Mars/Base'"),
        (("export", "--all", "--since", "0001-01-01"), "--since 0001-01-01 is outside"),
    ],
)
def test_impossible_input_gets_one_line_not_a_traceback(desk, args, message):
    result = desk(*args, ok=False)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output + result.stderr


def test_user_and_specialist_commands_write_the_audit_trail_with_the_supervisor(desk, tmp_path):
    chief = User.get(User.login == SUPERVISOR).id
    desk("users", "add", "vera", "--name", "Вера")
    desk("specialists", "add", "Пётр Орлов", "--regions", "ЦФО")
    desk("specialists", "edit", "Орлов", "--max-per-day", "3")
    desk("specialists", "remove", "Орлов")
    numbers = tmp_path / "dnc.csv"
    numbers.write_text("Телефон\n+7 495 333-44-55\n", encoding="utf-8")
    desk("dnc", "import", str(numbers))
    events = {
        e.action: e
        for e in AuditEvent.select().where(AuditEvent.user == chief).order_by(AuditEvent.id)
    }
    assert {
        "user.add",
        "specialist.add",
        "specialist.edit",
        "specialist.remove",
        "dnc.import",
    } <= set(events)
    assert events["user.add"].details == {"login": "vera", "role": "agent"}
    assert events["specialist.edit"].details["after"] == {"max_per_day": 3}
    assert events["dnc.import"].details["numbers"] == ["+74953334455"]


def test_preset_codes_are_shown_in_the_desk_s_language_and_json_keeps_them(worked):
    desk, qid, _leads = worked
    text = desk("--lang", "ru", "review", "list", "--date", "2026-11-25").stdout
    assert "квалифицирован" in text and "ждёт" in text and "submitted" not in text
    shown = desk("--lang", "ru", "review", "show", str(qid)).stdout
    assert "(anna, квалифицирован, ждёт, " in shown
    calls = desk("--lang", "ru", "calls", "--date", "2026-11-25").stdout
    assert "недозвон" in calls and "no_answer" not in calls
    listed = desk.json("--lang", "ru", "review", "list", "--date", "2026-11-25")
    assert (listed[0]["verdict"], listed[0]["status"]) == ("qualified", "submitted")
