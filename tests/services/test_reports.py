"""The supervisor's figures on a small fixed history, against counts done by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tmdesk.config import Settings
from tmdesk.services.reports import ReportError, list_progress, local_hours, report
from tmdesk.services.users import add_user
from tmdesk.store.models import (
    CallAttempt,
    CallList,
    ImportRun,
    Lead,
    Meeting,
    Qualification,
    Specialist,
    ZoneSet,
)

MSK = ZoneInfo("Europe/Moscow")
DAY = date(2026, 11, 25)  # a Wednesday


def msk(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=MSK).astimezone(UTC)


class History:
    def __init__(self):
        self.anna = add_user("anna", "Анна Котова").id
        self.boris = add_user("boris", "Борис Лебедев").id
        self.vera = add_user("vera", "Вера Миронова").id  # works today, calls nobody
        add_user("gleb", "Глеб (уволен)")
        from tmdesk.services.auth import deactivate_user

        deactivate_user("gleb")  # inactive and idle: not listed
        self.sveta = add_user("sveta", "Светлана", "supervisor").id
        self.zone_set = ZoneSet.create(zones="Europe/Moscow").id
        self.call_list = CallList.create(name="Тест").id
        self.specialist = Specialist.create(name="Дмитрий").id
        self.leads = 0

    def lead(self, status: str = "new", **fields) -> int:
        self.leads += 1
        return Lead.create(
            call_list=self.call_list,
            zone_set=self.zone_set,
            phone_e164=f"+7495{self.leads:07d}",
            company=f"ООО {self.leads}",
            status=status,
            **fields,
        ).id

    def call(
        self, agent: int, at: datetime, disposition: str, handle: int | None, undone: bool = False
    ) -> int:
        lead = self.lead()
        CallAttempt.create(
            lead=lead,
            agent=agent,
            phone_e164="+74950000000",
            at=at,
            claimed_at=None if handle is None else at - timedelta(seconds=handle),
            disposition=disposition,
            status_before="new",
            status_after=disposition,
            undone_at=at + timedelta(seconds=5) if undone else None,
        )
        return lead

    def qualification(
        self, agent: int, at: datetime, fit: bool, actuality: str, status: str = "submitted"
    ) -> None:
        Qualification.create(
            lead=self.lead(),
            agent=agent,
            script_key="b2b-ru",
            script_version="1",
            fit=fit,
            actuality=actuality,
            recall_on="2027-03-01" if actuality == "later" else None,
            status=status,
            submitted_at=at,
        )

    def meeting(
        self,
        agent: int,
        booked: datetime,
        starts: datetime,
        status: str = "booked",
        moved_from: int | None = None,
    ) -> int:
        return Meeting.create(
            lead=self.lead(),
            specialist=self.specialist,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            status=status,
            booked_by=agent,
            booked_at=booked,
            rescheduled_from=moved_from,
        ).id


@pytest.fixture
def history(workspace) -> History:
    """Wednesday 25 November 2026 in Moscow, call by call (handle time in seconds)."""
    h = History()
    # anna: seven calls count; an undone one and one after midnight do not
    h.call(h.anna, msk(25, 9, 0, 30), "no_answer", 30)
    h.call(h.anna, msk(25, 9, 3), "qualified", 120)
    h.call(h.anna, msk(25, 9, 11, 30), "not_fit", 90)
    h.call(h.anna, msk(25, 10, 0, 20), "busy", 20)
    h.call(h.anna, msk(25, 10, 9), "nurture", 240)
    h.call(h.anna, msk(25, 10, 21), "qualified", 60, undone=True)
    h.call(h.anna, msk(25, 11, 0), "wrong_number", None)  # claim unknown: no handle time
    h.call(h.anna, msk(25, 23, 30), "voicemail", 60)  # 20:30 UTC: still Wednesday
    h.call(h.anna, msk(26, 0, 30), "no_answer", 45)  # 21:30 UTC: Thursday in Moscow
    # boris: four calls count; one late on Tuesday does not
    h.call(h.boris, msk(24, 23, 50), "busy", 10)  # 20:50 UTC on Tuesday
    h.call(h.boris, msk(25, 0, 10), "voicemail", 30)  # 21:10 UTC on Tuesday
    h.call(h.boris, msk(25, 9, 32), "callback", 120)
    h.call(h.boris, msk(25, 9, 40, 40), "no_answer", 40)
    h.call(h.boris, msk(25, 14, 5), "qualified", 300)
    # meetings: anna 1 (another cancelled outright), boris 2 (one of them moved later)
    h.meeting(h.anna, msk(25, 9, 5), msk(27, 10))
    h.meeting(h.anna, msk(25, 10, 10), msk(27, 12), status="cancelled")
    h.meeting(h.boris, msk(25, 14, 6), msk(27, 14))
    moved = h.meeting(h.boris, msk(25, 14, 10), msk(27, 16), status="cancelled")
    h.meeting(h.sveta, msk(25, 15, 0), msk(28, 16), moved_from=moved)  # the same meeting
    h.meeting(h.anna, msk(24, 17, 0), msk(27, 9))  # booked on Tuesday
    # qualifications: fit 3 (actual now 2); a returned one and Tuesday's do not count
    h.qualification(h.anna, msk(25, 9, 3), True, "now")
    h.qualification(h.anna, msk(25, 9, 11, 30), False, "unknown")
    h.qualification(h.anna, msk(25, 10, 9), True, "later")
    h.qualification(h.boris, msk(25, 14, 5), True, "now", status="approved")
    h.qualification(h.boris, msk(25, 9, 50), True, "now", status="returned")
    h.qualification(h.boris, msk(24, 18, 0), True, "now")
    return h


def _row(figures):
    return (
        figures.login,
        figures.calls,
        figures.reached,
        figures.qualified,
        figures.not_fit,
        figures.nurture,
        figures.meetings,
    )


def test_every_counter_of_the_day_per_agent_and_in_total(history):
    result = report(DAY, time_zone="Europe/Moscow")
    assert (result.start, result.end) == (DAY, DAY)
    anna, boris, vera = result.agents
    # calls, reached (not no answer / busy / voicemail), qualified, not fit, nurture, meetings
    assert _row(anna) == ("anna", 7, 4, 1, 1, 1, 1)
    assert _row(boris) == ("boris", 4, 2, 1, 0, 0, 2)
    assert _row(vera) == ("vera", 0, 0, 0, 0, 0, 0)
    assert _row(result.totals) == ("", 11, 6, 2, 1, 1, 3)
    assert result.totals.name == "Total" and anna.name == "Анна Котова"

    assert anna.contact_rate == pytest.approx(4 / 7)
    assert boris.contact_rate == pytest.approx(0.5)
    assert result.totals.contact_rate == pytest.approx(6 / 11)
    assert vera.contact_rate is None and vera.meetings_per_reached is None

    assert anna.meetings_per_reached == pytest.approx(1 / 4)
    assert boris.meetings_per_reached == pytest.approx(1.0)
    assert result.totals.meetings_per_reached == pytest.approx(3 / 6)

    # handle time: claim to disposition, over the calls whose claim is known
    assert anna.avg_handle_seconds == pytest.approx((30 + 120 + 90 + 20 + 240 + 60) / 6)
    assert boris.avg_handle_seconds == pytest.approx((30 + 120 + 40 + 300) / 4)
    assert result.totals.avg_handle_seconds == pytest.approx(1050 / 10)
    assert vera.avg_handle_seconds is None

    assert (anna.first_call, anna.last_call) == (msk(25, 9, 0, 30), msk(25, 23, 30))
    assert (boris.first_call, boris.last_call) == (msk(25, 0, 10), msk(25, 14, 5))
    assert (result.totals.first_call, result.totals.last_call) == (msk(25, 0, 10), msk(25, 23, 30))
    assert vera.first_call is None


def test_the_funnel_and_the_charts(history):
    result = report(DAY, time_zone="Europe/Moscow")
    funnel = result.funnel
    assert (funnel.dialled, funnel.reached, funnel.fit, funnel.actual, funnel.meetings) == (
        11,
        6,
        3,
        2,
        3,
    )
    hours = dict(result.by_hour)
    assert [hour for hour, _counts in result.by_hour] == list(range(24))  # 00:10 … 23:30
    assert hours[0] == {"voicemail": 1}
    assert hours[9] == {"callback": 1, "no_answer": 2, "not_fit": 1, "qualified": 1}
    assert hours[10] == {"busy": 1, "nurture": 1}
    assert hours[11] == {"wrong_number": 1}
    assert hours[14] == {"qualified": 1}
    assert hours[23] == {"voicemail": 1}
    assert all(hours[h] == {} for h in (1, 8, 12, 13, 15, 22))
    assert dict(result.by_agent) == {
        "anna": {
            "busy": 1,
            "no_answer": 1,
            "not_fit": 1,
            "nurture": 1,
            "qualified": 1,
            "voicemail": 1,
            "wrong_number": 1,
        },
        "boris": {"callback": 1, "no_answer": 1, "qualified": 1, "voicemail": 1},
    }


def test_a_meeting_moved_and_then_cancelled_did_not_happen(history):
    before = report(DAY, time_zone="Europe/Moscow").totals.meetings
    first = history.meeting(history.anna, msk(25, 16, 0), msk(30, 10), status="cancelled")
    again = history.meeting(
        history.anna, msk(25, 16, 5), msk(30, 12), status="cancelled", moved_from=first
    )
    assert report(DAY, time_zone="Europe/Moscow").totals.meetings == before
    history.meeting(history.boris, msk(25, 16, 9), msk(30, 14), moved_from=again)
    after = report(DAY, time_zone="Europe/Moscow")  # moved twice and still on: once, anna's
    assert after.totals.meetings == before + 1
    assert {f.login: f.meetings for f in after.agents}["anna"] == 1 + 1


def test_days_are_the_supervisors_days(history):
    # 23:30 in Moscow is Wednesday, 00:30 is Thursday
    thursday = report(date(2026, 11, 26), time_zone="Europe/Moscow")
    assert [(f.login, f.calls) for f in thursday.agents] == [("anna", 1), ("boris", 0), ("vera", 0)]
    assert thursday.agents[0].first_call == msk(26, 0, 30)
    assert dict(thursday.by_hour) == {0: {"no_answer": 1}}
    # in Yekaterinburg (two hours ahead) anna's 23:30 and boris's 00:10 and 23:50 (Moscow)
    # fall on other days
    ekb = report(DAY, time_zone="Asia/Yekaterinburg")
    assert [(f.login, f.calls) for f in ekb.agents] == [("anna", 6), ("boris", 5), ("vera", 0)]
    assert dict(ekb.by_hour)[2] == {"voicemail": 1}  # boris's 00:10 in Moscow
    # a range is inclusive and adds up
    week = report(date(2026, 11, 24), date(2026, 11, 26), time_zone="Europe/Moscow")
    assert week.totals.calls == 13 and week.totals.meetings == 4
    assert (week.funnel.fit, week.funnel.actual) == (4, 3)
    json = week.to_json()
    assert (json["date"], json["from"], json["to"]) == (None, "2026-11-24", "2026-11-26")


def test_the_json_has_the_design_shape(history):
    data = report(DAY, time_zone="Europe/Moscow").to_json()
    assert data["date"] == "2026-11-25" and data["time_zone"] == "Europe/Moscow"
    assert {"calls", "reached", "qualified", "not_fit", "meetings"} <= set(data["totals"])
    assert [a["login"] for a in data["agents"]] == ["anna", "boris", "vera"]
    anna = data["agents"][0]
    assert anna["contact_rate"] == 0.5714 and anna["avg_handle_seconds"] == 93.3
    assert anna["first_call"] == "2026-11-25T09:00:30+03:00"
    assert data["funnel"] == {
        "dialled": 11,
        "reached": 6,
        "fit": 3,
        "actual": 2,
        "meetings": 3,
        "unknown": 0,
        "returned": 1,  # boris's of 09:50
    }
    assert data["by_hour"][9] == {
        "hour": 9,
        "dispositions": {"callback": 1, "no_answer": 2, "not_fit": 1, "qualified": 1},
    }


def test_bad_ranges_and_zones_are_refused(workspace):
    with pytest.raises(ReportError, match="ends"):
        report(DAY, DAY - timedelta(days=1), time_zone="Europe/Moscow")
    with pytest.raises(ReportError, match="Mars/Olympus"):
        report(DAY, time_zone="Mars/Olympus")
    empty = report(DAY, time_zone="Europe/Moscow")
    assert empty.agents == () and empty.totals.calls == 0 and empty.by_hour == ()


def test_local_hours_follow_clock_changes():
    autumn = local_hours(date(2026, 10, 25), date(2026, 10, 25), "Europe/Berlin")
    assert len(autumn) == 25 and [h for h, *_ in autumn].count(2) == 2
    spring = local_hours(date(2026, 3, 29), date(2026, 3, 29), "Europe/Berlin")
    assert len(spring) == 23 and 2 not in [h for h, *_ in spring]
    india = local_hours(DAY, DAY, "Asia/Kolkata")
    assert india[0][1] == datetime(2026, 11, 24, 18, 30, tzinfo=UTC) and india[0][0] == 0


def test_list_progress(history):
    now = msk(25, 12)
    h = history
    second = CallList.create(name="Второй", priority=5, status="paused", script_key="b2b-en").id
    ImportRun.create(
        call_list=second, file_name="b.csv", file_sha256="0", kind="csv", invalid=3, finished_at=now
    )
    ImportRun.create(
        call_list=second, file_name="c.csv", file_sha256="0", kind="csv", invalid=2, finished_at=now
    )

    def lead(status, **fields):
        Lead.create(
            call_list=second,
            zone_set=h.zone_set,
            phone_e164="+74951112233",
            status=status,
            **fields,
        )

    for _ in range(4):
        lead("new")
    lead("retry", next_call_at=now - timedelta(minutes=5), attempts=2)  # due
    lead("retry", next_call_at=now + timedelta(hours=2), attempts=1)  # later
    lead("retry", next_call_at=now - timedelta(hours=1), attempts=6)  # over the cap
    lead("callback", next_call_at=now - timedelta(minutes=1))  # due
    lead("callback", next_call_at=now + timedelta(days=1))
    lead("nurture", next_call_at=now - timedelta(days=1))  # recall came due
    lead("nurture", next_call_at=now + timedelta(days=90))
    lead("in_progress")
    lead("exhausted")
    lead("qualified")
    lead("dnc")
    progress = {p.name: p for p in list_progress(Settings(), now=now)}
    row = progress["Второй"]
    assert (row.status, row.priority, row.script_key) == ("paused", 5, "b2b-en")
    assert row.total == 15
    # new 4 + retries 3 − 1 over the cap + callbacks 2 + in progress 1 + 1 recall due
    assert row.remaining == 10
    assert row.due_now == 4 + 1 + 1 + 1  # new, due retry, due callback, due recall
    assert (row.callbacks, row.exhausted, row.invalid) == (2, 2, 5)
    assert list(progress) == ["Второй", "Тест"]  # higher priority first
