"""The demo database: built once from a fixed seed, reused after, and true to the desk's rules."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from tmdesk.domain.calling_window import WeeklyWindows, window_state
from tmdesk.services.demo import DemoError, demo_database_path, ensure_demo, load_recipe
from tmdesk.services.queue import preview_queue
from tmdesk.services.users import add_user
from tmdesk.services.workspace import default_database_path, open_workspace
from tmdesk.store.models import (
    CallAttempt,
    CallList,
    DecisionMaker,
    DncEntry,
    ImportRun,
    Lead,
    Meeting,
    Qualification,
    Specialist,
    User,
    ZoneSet,
    database,
)

# The tests share one demo database per worker; keep them on one worker.
pytestmark = pytest.mark.xdist_group("demo")

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # a Thursday, 15:00 in Moscow
MOSCOW = ZoneInfo("Europe/Moscow")
MAIN, EAST = "Демо: B2B Россия", "Демо: Сибирь и Дальний Восток"
SUMMARY = re.compile(
    r"demo database at (?P<path>.+): (?P<users>\d+) users, (?P<specialists>\d+) specialists, "
    r"(?P<leads>\d+) leads in (?P<lists>\d+) lists \(import: rows (?P<rows>\d+), imported "
    r"(?P<imported>\d+), duplicates (?P<duplicates>\d+), invalid (?P<invalid>\d+), dnc "
    r"(?P<dnc>\d+), empty (?P<empty>\d+)\), (?P<calls>\d+) calls over 7 days$"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    summary = ensure_demo(open_workspace(path), now=NOW)
    return path, summary


@pytest.fixture
def demo(built):
    """The module's demo database, bound again (other tests bind other databases)."""
    path, summary = built
    workspace = open_workspace(path)
    yield workspace, summary
    database.close()


def _counts(summary: str) -> dict[str, int]:
    match = SUMMARY.match(summary)
    assert match, summary
    return {k: int(v) for k, v in match.groupdict().items() if k != "path"}


def _table_fingerprint() -> dict[str, list]:
    tables = (
        "user",
        "specialist",
        "call_list",
        "import_run",
        "zone_set",
        "lead",
        "call_attempt",
        "qualification",
        "decision_maker",
        "meeting",
        "dnc_entry",
    )
    return {t: database.execute_sql(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def test_demo_path_is_beside_the_desk_database():
    assert demo_database_path() == default_database_path().with_name("demo.db")


def test_second_run_reuses_the_demo_and_changes_nothing(demo):
    workspace, _summary = demo
    before = _table_fingerprint()
    again = ensure_demo(workspace, now=NOW + timedelta(days=3))
    assert again == f"demo database at {workspace.target} (reused)"
    assert _table_fingerprint() == before


def test_summary_counts_match_the_database(demo):
    workspace, summary = demo
    counts = _counts(summary)
    assert summary.startswith(f"demo database at {workspace.target}: ")
    assert counts["users"] == User.select().count() == 4
    assert sorted((u.login, u.role) for u in User.select()) == [
        ("anna", "agent"),
        ("boris", "agent"),
        ("supervisor", "supervisor"),
        ("vera", "agent"),
    ]
    assert all(u.time_zone == "Europe/Moscow" and u.name for u in User.select())
    assert counts["specialists"] == Specialist.select().count() == 4
    assert counts["leads"] == Lead.select().count()
    assert counts["lists"] == CallList.select().count() == 2
    assert counts["calls"] == CallAttempt.select().count()
    runs = list(ImportRun.select())
    assert len(runs) == 2
    for name in ("rows", "imported", "duplicates", "invalid", "dnc", "empty"):
        assert counts[name] == sum(getattr(run, name) for run in runs), name
    for run in runs:
        assert run.imported + run.duplicates + run.invalid + run.dnc + run.empty == run.rows
        assert Lead.select().where(Lead.import_run == run).count() == run.imported + run.dnc
    assert counts["imported"] + counts["dnc"] == counts["leads"]


def test_lists_and_specialists_are_set_up_as_the_recipe_says(demo):
    lists = {c.name: c for c in CallList.select()}
    assert set(lists) == {MAIN, EAST}
    assert lists[EAST].priority > lists[MAIN].priority
    assert 300 <= Lead.select().where(Lead.call_list == lists[MAIN]).count()
    assert 60 <= Lead.select().where(Lead.call_list == lists[EAST]).count() <= 100
    assert {lead.list_priority for lead in Lead.select().where(Lead.call_list == lists[EAST])} == {
        lists[EAST].priority
    }
    zones = {s.time_zone for s in Specialist.select()}
    assert {"Europe/Moscow", "Asia/Yekaterinburg", "Asia/Novosibirsk"} <= zones
    for specialist in Specialist.select():
        assert specialist.email and specialist.phone_e164.startswith("+7")
        assert specialist.regions and specialist.specialisations
        assert (specialist.meeting_minutes, specialist.buffer_minutes, specialist.max_per_day) == (
            60,
            15,
            4,
        )
        WeeklyWindows.from_mapping(specialist.working_hours)  # a valid week


def test_leads_span_russias_time_zones(demo):
    zone_sets = Counter(lead.zone_set.zones for lead in Lead.select(Lead, ZoneSet).join(ZoneSet))
    assert len(zone_sets) >= 8
    assert zone_sets["Europe/Kaliningrad"] > 0 and zone_sets["Asia/Kamchatka"] > 0
    sources = Counter(lead.zone_source for lead in Lead.select())
    assert sources["region"] > sources["phone"] > 0  # some rows leave Город/Регион empty


def test_import_report_shows_rejected_rows_and_do_not_call(demo):
    run = ImportRun.get(ImportRun.call_list == CallList.get(CallList.name == MAIN))
    assert run.invalid > 0 and run.duplicates > 0 and run.empty > 0 and run.dnc >= 1
    assert run.encoding and run.delimiter == ";"
    east = ImportRun.get(ImportRun.call_list == CallList.get(CallList.name == EAST))
    assert east.duplicates > 0  # numbers already in the main list among them
    manual = {entry.phone_e164 for entry in DncEntry.select().where(DncEntry.source == "manual")}
    assert len(manual) >= 3
    listed = Lead.select().where(Lead.phone_e164.in_(list(manual)))
    assert listed.count() >= 1
    assert all(lead.status == "dnc" and lead.attempts == 0 for lead in listed)


def test_import_files_are_kept_beside_the_database(built):
    path, _summary = built
    files = sorted(p.name for p in path.with_name(f"{path.stem}-files").iterdir())
    assert "demo-b2b-russia.csv" in files and "demo-b2b-russia.rejects.csv" in files
    raw = path.with_name(f"{path.stem}-files").joinpath("demo-b2b-russia.csv").read_bytes()
    assert raw.startswith("\ufeffКомпания;Контактное лицо;Должность;Телефон;".encode())


def test_every_lead_matches_its_call_history(demo):
    attempts = defaultdict(list)
    for attempt in CallAttempt.select().order_by(CallAttempt.at, CallAttempt.id):
        attempts[attempt.lead_id].append(attempt)
    assert attempts
    for lead in Lead.select():
        made = attempts.get(lead.id, [])
        assert lead.status != "in_progress" and lead.claimed_by_id is None
        assert lead.attempts == len(made), lead.id
        if not made:
            assert lead.status in ("new", "dnc")
            continue
        assert made[-1].status_after == lead.status, lead.id
        assert lead.last_attempt_at == made[-1].at
        assert made[0].status_before == "new"
        for earlier, later in pairwise(made):
            assert later.status_before == earlier.status_after
        if lead.status in ("retry", "callback", "nurture"):
            assert lead.next_call_at is not None and lead.next_call_at > made[-1].at
        if lead.status == "exhausted":
            assert lead.attempts >= 6
        if lead.status == "callback":
            assert lead.callback_note and made[-1].callback_at == lead.next_call_at


def test_dispositions_set_the_next_call_as_the_retry_policy_says(demo):
    workspace, _summary = demo
    retry = workspace.settings.retry
    exact = 0
    for attempt in CallAttempt.select():
        lead = attempt.lead
        is_last = attempt.at == lead.last_attempt_at
        if attempt.status_after == "retry" and is_last:
            # later when the per-day cap is reached
            assert lead.next_call_at >= attempt.at + retry[attempt.disposition]
            exact += lead.next_call_at == attempt.at + retry[attempt.disposition]
        if attempt.disposition == "dnc":
            entry = DncEntry.get(DncEntry.phone_e164 == attempt.phone_e164)
            assert entry.source == f"call:{attempt.id}" and entry.added_by_id == attempt.agent_id
        if attempt.disposition in ("not_interested", "not_fit"):
            assert attempt.reason
    assert exact > 0
    shares = Counter(a.disposition for a in CallAttempt.select())
    assert shares["no_answer"] == max(shares.values())
    assert shares["no_answer"] + shares["busy"] > sum(shares.values()) * 0.4
    assert set(shares) <= {
        "no_answer",
        "busy",
        "voicemail",
        "wrong_number",
        "callback",
        "not_interested",
        "not_fit",
        "nurture",
        "qualified",
        "dnc",
    }
    owners = Counter(
        lead.callback_owner_id is None for lead in Lead.select().where(Lead.status == "callback")
    )
    assert owners[True] > 0 and owners[False] > 0  # shared and personal callbacks
    assert all(lead.callback_owner_id for lead in Lead.select().where(Lead.status == "nurture"))


def test_calls_happen_in_the_week_before_inside_working_hours_and_calling_windows(demo):
    workspace, _summary = demo
    windows = workspace.settings.calling_window
    week_start = datetime.combine(
        NOW.astimezone(MOSCOW).date() - timedelta(days=7), time(0), MOSCOW
    )
    today = datetime.combine(NOW.astimezone(MOSCOW).date(), time(0), MOSCOW)
    per_agent_day = Counter()
    by_agent = defaultdict(list)
    query = (
        CallAttempt.select(CallAttempt, Lead, ZoneSet)
        .join(Lead)
        .join(ZoneSet)
        .order_by(CallAttempt.claimed_at)
    )
    for attempt in query:
        assert week_start <= attempt.claimed_at < attempt.at < today
        assert attempt.claimed_at <= attempt.dialled_at <= attempt.at
        local = attempt.claimed_at.astimezone(MOSCOW)
        assert local.weekday() < 5 and time(9) <= local.time() < time(18), local
        zones = tuple(z for z in attempt.lead.zone_set.zones.split("|") if z)
        assert window_state(attempt.claimed_at, zones, windows).allowed, (attempt.id, zones)
        per_agent_day[attempt.agent_id, local.date()] += 1
        by_agent[attempt.agent_id].append(attempt)
    assert per_agent_day and all(50 <= n <= 120 for n in per_agent_day.values()), per_agent_day
    for calls in by_agent.values():  # one call at a time
        for earlier, later in pairwise(calls):
            assert later.claimed_at >= earlier.at
    for lead_id, times in _attempt_times().items():  # at most 3 a day, 10 min apart
        for i, at in enumerate(times):
            assert sum(1 for t in times[:i] if at - t < timedelta(hours=24)) < 3, lead_id
            assert i == 0 or at - times[i - 1] >= timedelta(minutes=10)


def _attempt_times() -> dict[int, list[datetime]]:
    times = defaultdict(list)
    for attempt in CallAttempt.select().order_by(CallAttempt.claimed_at):
        times[attempt.lead_id].append(attempt.claimed_at)
    return times


def test_qualified_leads_have_qualifications_people_and_meetings(demo):
    qualified = list(Lead.select().where(Lead.status == "qualified"))
    assert qualified
    for lead in qualified:
        (qualification,) = lead.qualifications
        assert (qualification.script_key, qualification.script_version) == ("b2b-ru", "1")
        assert qualification.fit is True and qualification.actuality == "now"
        assert qualification.status in ("submitted", "approved")
        assert qualification.submitted_at == lead.last_attempt_at
        assert all({"id", "text", "answer"} <= set(a) for a in qualification.answers)
        assert qualification.answers and 0 < qualification.score <= 100
        roles = [dm.role for dm in qualification.decision_makers]
        assert "decision_maker" in roles
        assert set(roles) <= {"decision_maker", "influencer", "approver"}
        if qualification.status == "approved":
            assert qualification.reviewed_by.login == "supervisor"
            assert qualification.reviewed_at < NOW
    statuses = Counter(q.status for q in Qualification.select())
    assert statuses["submitted"] > 0 and statuses["approved"] > 0
    assert DecisionMaker.select().count() >= len(qualified)
    with_meeting = Meeting.select(Meeting.lead).distinct().count()
    assert 0.25 * len(qualified) <= with_meeting <= 0.75 * len(qualified)
    agents = {u.id for u in User.select().where(User.role == "agent")}
    for meeting in Meeting.select():
        assert meeting.lead.status == "qualified" and meeting.booked_by_id in agents
        assert meeting.qualification.lead_id == meeting.lead_id


def test_meetings_fit_the_specialists_week_without_double_booking(demo):
    booked = defaultdict(list)
    for meeting in Meeting.select().order_by(Meeting.starts_at):
        specialist = meeting.specialist
        zone = ZoneInfo(specialist.time_zone)
        start, end = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
        assert NOW < meeting.starts_at < NOW + timedelta(days=8)
        assert end - start == timedelta(minutes=specialist.meeting_minutes)
        hours = WeeklyWindows.from_mapping(specialist.working_hours).days[start.weekday()]
        assert any(a <= start.time() and end.time() <= b for a, b in hours), (start, hours)
        booked[specialist.id].append((meeting.starts_at, meeting.ends_at, start.date()))
    for specialist_id, meetings in booked.items():
        specialist = Specialist.get_by_id(specialist_id)
        buffer = timedelta(minutes=specialist.buffer_minutes)
        for (_s1, e1, _d1), (s2, _e2, _d2) in pairwise(meetings):
            assert e1 + buffer <= s2
        per_day = Counter(day for _s, _e, day in meetings)
        assert max(per_day.values()) <= specialist.max_per_day


def test_most_leads_are_still_new(demo):
    statuses = Counter(lead.status for lead in Lead.select())
    assert statuses["new"] > sum(statuses.values()) / 2
    assert {"retry", "callback", "qualified", "not_interested", "nurture"} <= set(statuses)


def test_a_fixed_seed_gives_the_same_companies_on_a_fresh_database(demo, tmp_path):
    def listed():
        return [
            (lead.company, lead.contact, lead.phone_e164, lead.city)
            for lead in Lead.select().order_by(Lead.id)
        ]

    first = listed()
    other = open_workspace(tmp_path / "other.db")
    # another day: the history moves with the calendar, the lists do not
    ensure_demo(other, now=NOW + timedelta(days=5))
    try:
        assert listed() == first
        assert len(set(c for c, *_rest in first)) > 0.9 * len(first)
    finally:
        database.close()


def test_refuses_a_database_that_holds_other_data(tmp_path):
    workspace = open_workspace(tmp_path / "desk.db")
    try:
        add_user("ivan", "Иван Петров")
        with pytest.raises(DemoError, match="already holds"):
            ensure_demo(workspace, now=NOW)
        assert CallList.select().count() == 0 and User.select().count() == 1
    finally:
        database.close()


def test_the_recipe_covers_kaliningrad_to_kamchatka():
    recipe = load_recipe()
    names = {city.name for city in recipe.cities}
    assert {"Калининград", "Москва", "Новосибирск", "Петропавловск-Камчатский"} <= names
    assert len(recipe.cities) >= 40


def test_the_demo_service_does_not_import_textual():
    code = "import sys, tmdesk.services.demo; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_agents_have_a_queue_on_the_demo(demo):
    workspace, _summary = demo
    anna = User.get(User.login == "anna")
    entries = preview_queue(anna.id, workspace.settings, limit=30, now=NOW)
    assert len(entries) == 30
    buckets = [entry.bucket for entry in entries]
    assert set(buckets) <= {"callback_own", "callback_shared", "retry", "fresh"}
    assert "fresh" in buckets or "retry" in buckets
