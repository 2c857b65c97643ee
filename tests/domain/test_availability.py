"""Free slots of a development specialist: table-driven, with DST weeks and three zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tmdesk.domain.availability import (
    LeadHours,
    WorkRules,
    free_slots,
    hours_text,
    parse_days_off,
    parse_hours,
    slot_problem,
    working_week,
)
from tmdesk.domain.routing import (
    LeadFacts,
    Load,
    match_region,
    match_specialisation,
    round_robin,
    round_robin_order,
)

MOSCOW = "Europe/Moscow"
LUNCH = {"mon-fri": ["09:00-13:00", "14:00-18:00"]}
MONDAY = date(2026, 11, 23)


def msk(day: date, clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(MOSCOW))


def rules(hours=None, zone=MOSCOW, **kw) -> WorkRules:
    return WorkRules(zone=zone, hours=working_week(hours or LUNCH), **kw)


def local_starts(slots, zone=MOSCOW, fmt="%H:%M") -> list[str]:
    return [s.starts_at.astimezone(ZoneInfo(zone)).strftime(fmt) for s in slots]


def half_hours(first: str, last: str) -> list[str]:
    start, end = msk(MONDAY, first), msk(MONDAY, last)
    found = []
    while start <= end:
        found.append(f"{start:%H:%M}")
        start += timedelta(minutes=30)
    return found


MORNING = half_hours("09:00", "12:00")  # 12:30 would run into lunch
AFTERNOON = half_hours("14:00", "17:00")


def booked(day: date, *spans: str) -> list[tuple[datetime, datetime]]:
    pairs = []
    for span in spans:
        a, b = span.split("-")
        pairs.append((msk(day, a).astimezone(UTC), msk(day, b).astimezone(UTC)))
    return pairs


# (case, rules, booked, now (Moscow, Monday), min_notice, expected Monday starts)
CASES = [
    ("lunch is cut out", rules(), [], "08:00", timedelta(0), MORNING + AFTERNOON),
    (
        "buffer on both sides",
        rules(buffer_minutes=15),
        booked(MONDAY, "11:00-12:00"),
        "08:00",
        timedelta(0),
        ["09:00", "09:30"] + AFTERNOON,
    ),
    (
        "no buffer: back to back",
        rules(),
        booked(MONDAY, "11:00-12:00"),
        "08:00",
        timedelta(0),
        ["09:00", "09:30", "10:00", "12:00"] + AFTERNOON,
    ),
    (
        "a buffer reaching past lunch",
        rules(buffer_minutes=30),
        booked(MONDAY, "14:00-15:00"),
        "08:00",
        timedelta(0),
        MORNING + half_hours("15:30", "17:00"),
    ),
    ("not in the past", rules(), [], "15:05", timedelta(0), half_hours("15:30", "17:00")),
    ("minimum notice", rules(), [], "09:10", timedelta(hours=2), ["11:30", "12:00"] + AFTERNOON),
    ("notice past the day", rules(), [], "09:00", timedelta(hours=9), []),
    ("day off", rules(days_off=((MONDAY, MONDAY),)), [], "08:00", timedelta(0), []),
    (
        "cap reached",
        rules(max_per_day=2),
        booked(MONDAY, "09:00-10:00", "16:00-17:00"),
        "08:00",
        timedelta(0),
        [],
    ),
    (
        "under the cap",
        rules(max_per_day=3, buffer_minutes=15),
        booked(MONDAY, "09:00-10:00", "16:00-17:00"),
        "08:00",
        timedelta(0),
        ["10:30", "11:00", "11:30", "12:00", "14:00", "14:30"],
    ),
    (
        "a meeting of 90 minutes",
        rules(meeting_minutes=90),
        [],
        "08:00",
        timedelta(0),
        MORNING[:-1] + AFTERNOON[:-1],
    ),
    (
        "steps stay on :00/:30",
        rules({"mon": ["08:45-11:00"]}),
        [],
        "08:00",
        timedelta(0),
        ["09:00", "09:30", "10:00"],
    ),
]


@pytest.mark.parametrize(
    "case, spec, busy, clock, notice, expected", CASES, ids=[c[0] for c in CASES]
)
def test_slots_of_a_monday(case, spec, busy, clock, notice, expected):
    now = msk(MONDAY, clock)
    end_of_day = msk(MONDAY + timedelta(days=1), "00:00") - now
    slots = free_slots(spec, busy, now, min_notice=notice, horizon=end_of_day)
    assert local_starts(slots) == expected
    for slot in slots:
        assert slot.ends_at - slot.starts_at == timedelta(minutes=spec.meeting_minutes)
        assert slot.starts_at.tzinfo is UTC and slot.in_lead_hours  # no lead given


def test_day_off_ranges_capped_days_and_weekends_skip_to_the_next_open_day():
    now = msk(MONDAY, "08:00")
    week = timedelta(days=7)
    off = rules(days_off=((MONDAY, MONDAY + timedelta(days=2)),))
    assert {
        s.starts_at.astimezone(ZoneInfo(MOSCOW)).date()
        for s in free_slots(off, [], now, horizon=week)
    } == {date(2026, 11, 26), date(2026, 11, 27)}
    capped = rules(max_per_day=1)
    busy = booked(MONDAY, "10:00-11:00") + booked(MONDAY + timedelta(days=1), "10:00-11:00")
    first = free_slots(capped, busy, now, horizon=week, limit=1)
    assert local_starts(first, fmt="%a %H:%M") == ["Wed 09:00"]
    # Friday afternoon: the next slot is Monday's
    friday = msk(date(2026, 11, 27), "17:30")
    assert local_starts(
        free_slots(rules(), [], friday, horizon=week, limit=1), fmt="%a %d %H:%M"
    ) == ["Mon 30 09:00"]


def test_the_horizon_and_the_limit():
    now = msk(MONDAY, "08:00")
    two_days = free_slots(rules(), [], now, horizon=timedelta(days=2))
    assert {s.starts_at.astimezone(ZoneInfo(MOSCOW)).day for s in two_days} == {23, 24}
    assert len(two_days) == 2 * len(MORNING + AFTERNOON)
    assert free_slots(rules(), [], now, horizon=timedelta(days=2), limit=3) == two_days[:3]
    hourly = free_slots(rules(), [], now, horizon=timedelta(hours=16), step_minutes=60)
    assert local_starts(hourly) == [
        "09:00",
        "10:00",
        "11:00",
        "12:00",
        "14:00",
        "15:00",
        "16:00",
        "17:00",
    ]


# --- DST ---------------------------------------------------------------------------------

NEW_YORK, BERLIN = "America/New_York", "Europe/Berlin"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "zone, night, expected_utc",
    [
        # spring forward 02:00 → 03:00: 02:00 and 02:30 do not exist and are never offered
        (NEW_YORK, date(2026, 3, 8), ["05:00", "05:30", "06:00", "06:30", "07:00"]),
        # fall back 02:00 → 01:00: 01:00 and 01:30 happen twice, and both are offered
        (
            NEW_YORK,
            date(2026, 11, 1),
            ["04:00", "04:30", "05:00", "05:30", "06:00", "06:30", "07:00", "07:30", "08:00"],
        ),
        (BERLIN, date(2026, 3, 29), ["23:00", "23:30", "00:00", "00:30", "01:00"]),
        (
            BERLIN,
            date(2026, 10, 25),
            ["22:00", "22:30", "23:00", "23:30", "00:00", "00:30", "01:00", "01:30", "02:00"],
        ),
    ],
)
def test_a_night_shift_across_the_dst_change(zone, night, expected_utc):
    spec = rules({"sun": ["00:00-04:00"]}, zone=zone)
    start = datetime.combine(night, datetime.min.time(), ZoneInfo(zone))
    slots = free_slots(spec, [], start - timedelta(hours=1), horizon=timedelta(hours=12))
    assert [f"{s.starts_at:%H:%M}" for s in slots] == expected_utc
    for slot in slots:  # a real hour each, inside 00:00-04:00 local
        assert slot.ends_at - slot.starts_at == timedelta(hours=1)
        end = slot.ends_at.astimezone(ZoneInfo(zone))
        assert end.date() == night and end.hour < 4 or (end.hour, end.minute) == (4, 0)


@pytest.mark.parametrize(
    "zone, friday, monday, before, after",
    [
        (NEW_YORK, date(2026, 3, 6), date(2026, 3, 9), "14:00", "13:00"),  # EST → EDT
        (NEW_YORK, date(2026, 10, 30), date(2026, 11, 2), "13:00", "14:00"),  # EDT → EST
        (BERLIN, date(2026, 3, 27), date(2026, 3, 30), "08:00", "07:00"),  # CET → CEST
        (BERLIN, date(2026, 10, 23), date(2026, 10, 26), "07:00", "08:00"),  # CEST → CET
    ],
)
def test_the_working_day_keeps_its_local_hours_across_a_dst_weekend(
    zone, friday, monday, before, after
):
    spec = rules({"mon-fri": ["09:00-17:00"]}, zone=zone)
    now = datetime.combine(friday, datetime.min.time(), ZoneInfo(zone))
    slots = free_slots(spec, [], now, horizon=timedelta(days=4))
    days = {}
    for slot in slots:
        local = slot.starts_at.astimezone(ZoneInfo(zone))
        assert "09:00" <= f"{local:%H:%M}" <= "16:00"
        days.setdefault(local.date(), []).append(slot)
    assert set(days) == {friday, monday}
    assert len(days[friday]) == len(days[monday]) == 15
    assert f"{days[friday][0].starts_at:%H:%M}" == before
    assert f"{days[monday][0].starts_at:%H:%M}" == after


def test_lead_hours_follow_the_leads_own_dst():
    """A Berlin specialist and a New York lead: 6 h apart, 5 h for the three weeks when
    New York has moved its clocks and Berlin has not."""
    spec = rules({"mon-fri": ["09:00-17:00"]}, zone=BERLIN)
    lead = LeadHours((NEW_YORK,), working_week({"mon-fri": ["09:00-18:00"]}))
    firsts = {}
    for monday in (date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 30)):
        now = datetime.combine(monday, datetime.min.time(), ZoneInfo(BERLIN))
        slots = free_slots(spec, [], now, horizon=timedelta(hours=20), lead=lead)
        inside = [s for s in slots if s.in_lead_hours]
        firsts[monday] = local_starts(inside, BERLIN)
        for slot in slots:  # the oracle: the whole meeting within 09:00-18:00 in New York
            a, b = (t.astimezone(ZoneInfo(NEW_YORK)) for t in (slot.starts_at, slot.ends_at))
            assert slot.in_lead_hours == (a.hour >= 9 and (b.hour, b.minute) <= (18, 0))
    assert firsts[date(2026, 3, 2)] == ["15:00", "15:30", "16:00"]
    assert firsts[date(2026, 3, 9)] == ["14:00", "14:30", "15:00", "15:30", "16:00"]
    assert firsts[date(2026, 3, 30)] == ["15:00", "15:30", "16:00"]


# --- three zones ---------------------------------------------------------------------------


def test_a_moscow_specialist_and_a_novosibirsk_lead():
    """Novosibirsk is 4 h ahead: its 09:00-18:00 is 05:00-14:00 in Moscow."""
    lead = LeadHours(("Asia/Novosibirsk",), working_week({"mon-fri": ["09:00-18:00"]}))
    now = msk(MONDAY, "08:00")
    slots = free_slots(rules(), [], now, horizon=timedelta(hours=16), lead=lead)
    assert local_starts([s for s in slots if s.in_lead_hours]) == MORNING
    assert local_starts([s for s in slots if not s.in_lead_hours]) == AFTERNOON
    first = slots[0].starts_at
    assert f"{first:%H:%M}" == "06:00"
    assert f"{first.astimezone(ZoneInfo('Asia/Novosibirsk')):%H:%M}" == "13:00"


def test_a_specialist_in_almaty_and_a_moscow_lead():
    """Almaty is UTC+5 (since March 2024), two hours ahead of Moscow."""
    almaty = "Asia/Almaty"
    assert datetime(2026, 11, 23, tzinfo=ZoneInfo(almaty)).utcoffset() == timedelta(hours=5)
    spec = rules({"mon-fri": ["10:00-14:00", "15:00-19:00"]}, zone=almaty)
    lead = LeadHours((MOSCOW,), working_week({"mon-fri": ["09:00-18:00"]}))
    now = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo(almaty))
    slots = free_slots(spec, [], now, horizon=timedelta(hours=14), lead=lead)
    assert local_starts(slots, almaty)[:2] == ["10:00", "10:30"]
    assert f"{slots[0].starts_at:%H:%M}" == "05:00"
    assert local_starts([s for s in slots if not s.in_lead_hours], almaty) == ["10:00", "10:30"]
    assert local_starts(slots, almaty)[-1] == "18:00"  # ends 19:00 there, 17:00 in Moscow
    assert slots[-1].in_lead_hours


def test_a_lead_with_two_candidate_zones_must_be_inside_both():
    lead = LeadHours(
        ("Europe/Moscow", "Asia/Novosibirsk"), working_week({"mon-fri": ["09:00-18:00"]})
    )
    now = msk(MONDAY, "08:00")
    slots = free_slots(rules(), [], now, horizon=timedelta(hours=16), lead=lead)
    assert local_starts([s for s in slots if s.in_lead_hours]) == MORNING


# --- the re-check before booking -------------------------------------------------------------


@pytest.mark.parametrize(
    "clock, busy, spec, kind",
    [
        ("10:00", [], rules(), None),
        ("17:30", [], rules(), "hours"),  # runs past 18:00
        ("12:30", [], rules(), "hours"),  # runs into lunch
        ("09:00", [], rules(), "past"),  # now is 09:30
        ("10:30", [], rules(), "notice"),  # < 2 h from now
        ("15:00", booked(MONDAY, "16:00-17:00"), rules(buffer_minutes=15), "taken"),
        ("14:00", booked(MONDAY, "15:00-16:00"), rules(buffer_minutes=0), None),
        ("14:00", booked(MONDAY, "15:00-16:00"), rules(buffer_minutes=1), "taken"),
        ("16:00", booked(MONDAY, "12:00-13:00"), rules(max_per_day=1), "cap"),
        ("16:00", [], rules(days_off=((MONDAY, MONDAY),)), "day_off"),
    ],
)
def test_slot_problem(clock, busy, spec, kind):
    now = msk(MONDAY, "09:30")
    problem = slot_problem(
        spec,
        busy,
        msk(MONDAY, clock),
        now,
        min_notice=timedelta(hours=2) if clock == "10:30" else timedelta(0),
    )
    assert (problem.kind if problem else None) == kind
    if problem:
        assert problem.message and problem.taken == (kind in ("taken", "cap"))


def test_free_slots_and_slot_problem_agree():
    spec = rules(buffer_minutes=15, max_per_day=3)
    busy = booked(MONDAY, "10:00-11:00", "14:30-15:30")
    now = msk(MONDAY, "08:00")
    offered = {s.starts_at for s in free_slots(spec, busy, now, horizon=timedelta(hours=16))}
    for minutes in range(0, 16 * 60, 30):
        at = (now + timedelta(minutes=minutes)).astimezone(UTC)
        assert (slot_problem(spec, busy, at, now) is None) == (at in offered), at


# --- working hours and days off as typed -----------------------------------------------------


@pytest.mark.parametrize(
    "text, mapping",
    [
        ("mon-fri 09:00-18:00", {"mon-fri": ["09:00-18:00"]}),
        (
            "mon-fri 09:00-18:00, lunch 13:00-14:00; sat 10:00-14:00",
            {"mon-fri": ["09:00-13:00", "14:00-18:00"], "sat": ["10:00-14:00"]},
        ),
        (
            "mon-thu 08:30-12:30, 13:30-17:30; fri 08:30-12:30",
            {"mon-thu": ["08:30-12:30", "13:30-17:30"], "fri": ["08:30-12:30"]},
        ),
        (
            "Mon,Wed 9:00-12:00 ; sun off",
            {"mon": ["09:00-12:00"], "wed": ["09:00-12:00"], "sun": []},
        ),
        (
            "mon-fri 09:00-19:00, break 11:00-11:15, обед 13:00-14:00",
            {"mon-fri": ["09:00-11:00", "11:15-13:00", "14:00-19:00"]},
        ),
    ],
)
def test_hours_as_typed(text, mapping):
    assert parse_hours(text) == mapping
    working_week(mapping)  # the stored form is valid as it is


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "no working hours"),
        ("09:00-18:00", "does not start with the days"),
        ("mon-fir 09:00-18:00", "unknown day 'mon-fir'"),
        ("mon-fri 9-18", "'9-18' is not a time range"),
        ("mon-fri 18:00-09:00", "does not end after it starts"),
        ("mon-fri 09:00-18:00, lunch 19:00-20:00", "the break 19:00-20:00 is outside"),
        ("mon 09:00-12:00; mon 13:00-14:00", "mon is given twice"),
        ("mon-fri 09:00-18:00; wed,sat 10:00-12:00", "wed is given twice"),
        ("mon-fri 09:00-18:00, lunch", "'lunch' needs its time"),
        ("mon-fri 25:00-26:00", "not a time range"),
    ],
)
def test_hours_errors_name_the_value(text, message):
    with pytest.raises(ValueError, match=message) as error:
        parse_hours(text)
    assert str(error.value).startswith("--hours")


def test_hours_read_back():
    assert hours_text({"mon-fri": ["09:00-13:00", "14:00-18:00"], "sat": "10:00-14:00"}) == (
        "mon-fri 09:00-13:00, 14:00-18:00; sat 10:00-14:00"
    )
    assert hours_text({"mon": "09:00-24:00"}) == "mon 09:00-24:00"


def test_days_off():
    assert parse_days_off("2027-01-01..2027-01-08, 2026-12-31") == (
        "2026-12-31",
        "2027-01-01..2027-01-08",
    )
    assert parse_days_off(["2026-12-31", "2026-12-31..2026-12-31"]) == ("2026-12-31",)
    for bad, message in (
        ("2026-02-30", "'2026-02-30' is not a date"),
        ("31.12.2026", "'31.12.2026' is not a date"),
        ("2027-01-08..2027-01-01", "ends before it starts"),
        ("2027-01-01..", "'' is not a date"),
    ):
        with pytest.raises(ValueError, match=message):
            parse_days_off(bad)


# --- routing ---------------------------------------------------------------------------------

T0 = datetime(2026, 11, 20, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    "loads, expected",
    [
        ([Load(1, 3, T0), Load(2, 1, T0), Load(3, 2, None)], 2),  # fewest this week
        ([Load(1, 2, T0), Load(2, 2, T0 - timedelta(days=1)), Load(3, 2, T0)], 2),  # least recent
        ([Load(1, 0, T0), Load(2, 0, None), Load(3, 0, None)], 2),  # never booked first, then id
        ([Load(1, 0, None, available=False), Load(2, 4, T0)], 2),  # at the cap / no free slot
        ([Load(1, 0, None, available=False)], None),
        ([], None),
    ],
)
def test_round_robin(loads, expected):
    assert round_robin(loads) == expected


def test_round_robin_order_is_the_turn_order():
    loads = [Load(5, 1, T0), Load(4, 0, T0), Load(3, 0, None), Load(2, 1, None)]
    assert [load.specialist_id for load in round_robin_order(loads)] == [3, 4, 2, 5]


@pytest.mark.parametrize(
    "regions, facts, expected",
    [
        (["ЦФО"], LeadFacts(districts=("cfo", "Центральный ФО")), "ЦФО"),
        (
            ["Центральный федеральный округ"],
            LeadFacts(districts=("cfo",)),
            "Центральный федеральный округ",
        ),
        (["ЮФО", "СКФО"], LeadFacts(districts=("yufo", "Южный и Северо-Кавказский ФО")), "ЮФО"),
        (["СКФО"], LeadFacts(districts=("yufo",)), "СКФО"),
        (["УФО"], LeadFacts(districts=("cfo",)), None),
        (
            ["Новосибирская область"],
            LeadFacts(places=("Новосибирская обл.",)),
            "Новосибирская область",
        ),
        (["новосибирская область"], LeadFacts(places=("Новосибирск",)), "новосибирская область"),
        (["Омская область"], LeadFacts(places=("Новосибирск",)), None),
    ],
)
def test_region_matching(regions, facts, expected):
    assert match_region(regions, facts) == expected


@pytest.mark.parametrize(
    "specialisations, activity, expected",
    [
        (
            ["металлообработка"],
            ("manufacturing", "Производство, машиностроение, металлообработка"),
            "металлообработка",
        ),
        (["Пищевое производство"], ("food", "Пищевое производство"), "Пищевое производство"),
        (["logistics"], ("logistics", "Логистика, склады"), "logistics"),
        (["производство"], ("food", "Пищевое производство"), None),  # a word is not an item
        (["логистика"], ("food", "Пищевое производство"), None),
    ],
)
def test_specialisation_matching(specialisations, activity, expected):
    assert match_specialisation(specialisations, LeadFacts(activities=activity)) == expected
