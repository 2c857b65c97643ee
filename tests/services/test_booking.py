"""Booking meetings: routing and round robin, the slot re-check, reschedule, cancel, audit."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from peewee import IntegrityError

from tmdesk.services import booking
from tmdesk.services.booking import (
    Attendee,
    BookingError,
    SlotTaken,
    book_meeting,
    booking_options,
    cancel_meeting,
    free_slots,
    meeting_for_lead,
    meetings_of,
    reschedule_meeting,
)
from tmdesk.services.specialists import (
    SpecialistError,
    add_specialist,
    edit_specialist,
    find_specialist,
    list_specialists,
    remove_specialist,
)
from tmdesk.services.users import add_user
from tmdesk.store.models import (
    AuditEvent,
    CallList,
    DecisionMaker,
    Lead,
    Meeting,
    Qualification,
    ZoneSet,
    database,
)

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # Monday 10:00 in Moscow
TAKEN = "This slot was just taken — pick another one."


def msk(day: int, clock: str, month: int = 11) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime(2026, month, day, hour, minute, tzinfo=MOSCOW)


_leads = 0


def make_lead(
    *,
    status="qualified",
    zones="Europe/Moscow",
    region="",
    city="",
    place="",
    district=None,
    activity=None,
    people=(),
    agent=None,
    company=None,
) -> int:
    """A lead with a submitted qualification answering the routing questions."""
    global _leads
    _leads += 1
    call_list, _ = CallList.get_or_create(name="список")
    zone_set, _ = ZoneSet.get_or_create(zones=zones)
    lead = Lead.create(
        call_list=call_list,
        phone_e164=f"+7495{_leads:07d}",
        zone_set=zone_set,
        status=status,
        region=region,
        city=city,
        place=place,
        company=company or f"ООО «Компания {_leads}»",
    )
    answers = [
        {"id": "need", "text": "Есть ли задача?", "answer": True, "label": "Да"},
        {
            "id": "need_details",
            "text": "Расскажите о задаче",
            "answer": "новый цех",
            "label": "новый цех",
        },
        {"id": "timeline", "text": "Когда закупка?", "answer": "2027-01-15", "label": "15.01.2027"},
        {"id": "budget", "text": "Бюджет?", "answer": "approved", "label": "Да, утверждён"},
        {"id": "budget_amount", "text": "Какой бюджет, тыс. ₽?", "answer": 1500, "label": "1500"},
    ]
    if district:
        answers.append(
            {"id": "district", "text": "Где площадка?", "answer": district[0], "label": district[1]}
        )
    if activity:
        answers.append(
            {
                "id": "activity",
                "text": "Чем занимается?",
                "answer": activity[0],
                "label": activity[1],
            }
        )
    if agent is not None:
        qualification = Qualification.create(
            lead=lead,
            agent=agent,
            script_key="b2b-ru",
            script_version="1",
            answers=answers,
            fit=True,
            actuality="now",
            score=75,
            status="submitted",
            submitted_at=NOW,
        )
        for role, name, position in people:
            DecisionMaker.create(
                qualification=qualification,
                role=role,
                name=name,
                position=position,
                phone_e164="+79161234567",
                email="lpr@example.ru",
            )
    return lead.id


@pytest.fixture
def desk(workspace):
    agent = add_user("anna", "Анна", time_zone="Asia/Yekaterinburg").id
    other = add_user("boris", "Борис").id
    return workspace.settings, agent, other


def specialist(name="Орлов", **kw) -> int:
    kw.setdefault("working_hours", "mon-fri 09:00-18:00, lunch 13:00-14:00")
    return add_specialist(name, **kw).id


# --- options: who matches, whose turn, agenda, attendees --------------------------------------


def test_options_match_on_the_qualification_and_the_lead(desk):
    settings, agent, _other = desk
    orlov = specialist("Орлов", regions="ЦФО, СЗФО", specialisations="логистика")
    smirnova = specialist(
        "Смирнова",
        time_zone="Asia/Yekaterinburg",
        regions="УФО",
        specialisations="металлообработка",
    )
    vasiliev = specialist("Васильев", time_zone="Asia/Novosibirsk", regions="Новосибирская область")
    lead = make_lead(
        agent=agent,
        zones="Asia/Novosibirsk|Asia/Omsk",
        city="Бердск",
        district=("sfo", "Сибирский ФО"),
        activity=("manufacturing", "Производство, машиностроение, металлообработка"),
        people=[
            ("decision_maker", "Иванов Иван", "Директор"),
            ("influencer", "Петров Пётр", "Главный инженер"),
        ],
    )
    options = booking_options(lead, agent, settings, now=NOW)
    assert (options.agent_zone, options.lead_zone) == ("Asia/Yekaterinburg", "Asia/Novosibirsk")
    assert options.lead_zones == ("Asia/Novosibirsk", "Asia/Omsk")
    found = {c.specialist.id: c for c in options.candidates}
    assert set(found) == {smirnova, vasiliev}  # Орлов matches nothing
    assert found[vasiliev].matched_on == ("region: Новосибирская область",)
    assert found[smirnova].matched_on == ("specialisation: металлообработка",)
    assert [c.suggested for c in options.candidates] == [True, False]
    assert options.suggested.specialist.id == smirnova  # never booked, lower id
    assert orlov not in found
    assert options.agenda.splitlines() == [
        "Fit: yes, score 75, actual now",
        "Need: Да; Расскажите о задаче: новый цех",
        "Timeline: 15.01.2027",
        "Budget: Да, утверждён; Какой бюджет, тыс. ₽: 1500",
        "Decision makers: Иванов Иван, decision maker (ЛПР), Директор; "
        "Петров Пётр, influencer (ЛВР), Главный инженер",
    ]
    assert options.attendees == (
        Attendee("Иванов Иван", "decision_maker", "Директор", "+79161234567", "lpr@example.ru"),
        Attendee("Петров Пётр", "influencer", "Главный инженер", "+79161234567", "lpr@example.ru"),
    )
    assert options.current is None


def test_a_specialist_matching_on_both_is_suggested_before_one_matching_on_one(desk):
    settings, agent, _other = desk
    by_region = specialist("Регионов", regions="ЦФО")
    both = specialist("Обоих", regions="ЦФО", specialisations="логистика")
    lead = make_lead(
        agent=agent, district=("cfo", "Центральный ФО"), activity=("logistics", "Логистика, склады")
    )
    for _ in range(2):  # even with more meetings this week, the better match goes first
        book_meeting(
            make_lead(agent=agent),
            agent,
            both,
            free_slots(both, settings, now=NOW)[0].starts_at,
            settings,
            now=NOW,
        )
    options = booking_options(lead, agent, settings, now=NOW)
    assert [c.specialist.id for c in options.candidates] == [both, by_region]
    assert options.candidates[0].suggested and options.candidates[0].booked_next_week == 2


def test_nobody_matching_offers_every_active_specialist(desk):
    settings, agent, _other = desk
    a = specialist("А", regions="ДФО")
    b = specialist("Б", regions="УФО")
    edit_specialist(specialist("В", regions="ЦФО"), active=False)
    lead = make_lead(agent=agent, district=("cfo", "Центральный ФО"))
    options = booking_options(lead, agent, settings, now=NOW)
    assert [(c.specialist.id, c.matched_on, c.suggested) for c in options.candidates] == [
        (a, (), True),
        (b, (), False),
    ]


def test_round_robin_over_a_week_of_bookings(desk):
    """Twelve leads of one region, booked one after another as the panel suggests: the
    three specialists take turns (fewest this week, then least recently booked)."""
    settings, agent, _other = desk
    ids = [specialist(name, regions="ЦФО") for name in ("Первый", "Второй", "Третий")]
    # before the week: the third booked a month ago, the first ten days ago, the second never
    for index, days in ((2, 30), (0, 10)):
        start = NOW - timedelta(days=days - 1)
        Meeting.insert(
            lead=make_lead(agent=agent),
            specialist=ids[index],
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            booked_by=agent,
            booked_at=NOW - timedelta(days=days),
        ).execute()
    picks = []
    for n in range(12):
        now = NOW + timedelta(minutes=n)
        lead = make_lead(agent=agent, district=("cfo", "Центральный ФО"))
        options = booking_options(lead, agent, settings, now=now)
        chosen = options.suggested
        # the pick is the round-robin rule, checked against the database directly
        week = Counter(
            m.specialist_id
            for m in Meeting.select().where(
                Meeting.status == "booked",
                Meeting.starts_at >= now,
                Meeting.starts_at < now + timedelta(days=7),
            )
        )
        last = {
            s: max(
                (m.booked_at for m in Meeting.select().where(Meeting.specialist == s)), default=None
            )
            for s in ids
        }
        expected = min(ids, key=lambda s: (week[s], last[s] is not None, last[s] or NOW, s))
        assert chosen.specialist.id == expected
        assert chosen.booked_next_week == week[expected]
        slot = free_slots(expected, settings, lead_id=lead, now=now)[0]
        book_meeting(lead, agent, expected, slot.starts_at, settings, now=now)
        picks.append(ids.index(expected))
    assert picks == [1, 2, 0] * 4  # never booked, then the longest ago
    assert Counter(picks) == {0: 4, 1: 4, 2: 4}


def test_the_daily_cap_is_respected(desk):
    settings, agent, _other = desk
    capped = specialist("Занятой", regions="ЦФО", max_per_day=2, buffer_minutes=0)
    spare = specialist("Свободный", regions="ЦФО")
    for start in (msk(24, "10:00"), msk(24, "15:00")):
        book_meeting(make_lead(agent=agent), agent, capped, start, settings, now=NOW)
    # no slot of his on Tuesday any more; Monday and Wednesday still open
    days = {
        s.starts_at.astimezone(MOSCOW).day for s in free_slots(capped, settings, now=NOW, days=3)
    }
    assert 24 not in days and {23, 25} <= days
    with pytest.raises(SlotTaken) as error:
        book_meeting(make_lead(agent=agent), agent, capped, msk(24, "17:00"), settings, now=NOW)
    assert str(error.value) == TAKEN and "cap" in error.value.detail
    # three meetings for the other one this week: it is the capped one's turn…
    for start in (msk(25, "10:00"), msk(25, "15:00"), msk(26, "10:00")):
        book_meeting(make_lead(agent=agent), agent, spare, start, settings, now=NOW)
    lead = make_lead(agent=agent, district=("cfo", "ЦФО"))
    turn = booking_options(lead, agent, settings, now=NOW)
    assert [(c.specialist.id, c.booked_next_week) for c in turn.candidates] == [
        (capped, 2),
        (spare, 3),
    ]
    assert turn.suggested.specialist.id == capped
    # …except for a slot on Tuesday, where he is at his cap
    assert (
        booking_options(lead, agent, settings, now=NOW, at=msk(24, "12:00")).suggested.specialist.id
        == spare
    )
    assert (
        booking_options(lead, agent, settings, now=NOW, at=msk(25, "12:00")).suggested.specialist.id
        == capped
    )


# --- booking, rescheduling, cancelling ---------------------------------------------------------


def test_book_reschedule_cancel_with_audit(desk):
    settings, agent, other = desk
    orlov = specialist("Орлов")
    lead = make_lead(agent=agent)
    people = (Attendee("Иванов", "decision_maker", "Директор", "+79161234567", "i@x.ru"),)
    meeting = book_meeting(
        lead,
        agent,
        orlov,
        msk(24, "11:00"),
        settings,
        kind="on_site",
        place="Москва, офис клиента",
        agenda="Знакомство",
        attendees=people,
        now=NOW,
    )
    assert (meeting.starts_at, meeting.ends_at) == (
        datetime(2026, 11, 24, 8, tzinfo=UTC),
        datetime(2026, 11, 24, 9, tzinfo=UTC),
    )
    assert (meeting.booked_by, meeting.status, meeting.kind, meeting.attendees) == (
        "anna",
        "booked",
        "on_site",
        people,
    )
    row = Meeting.get_by_id(meeting.id)
    assert row.qualification_id == Qualification.get(Qualification.lead == lead).id
    assert meeting_for_lead(lead) == meeting

    with pytest.raises(BookingError, match="already has a meeting.*reschedule"):
        book_meeting(lead, agent, orlov, msk(25, "11:00"), settings, now=NOW)

    moved = reschedule_meeting(
        meeting.id, other, msk(25, "15:30"), settings, now=NOW + timedelta(hours=1)
    )
    assert moved.rescheduled_from == meeting.id and moved.booked_by == "boris"
    assert (moved.place, moved.agenda, moved.attendees) == (meeting.place, meeting.agenda, people)
    assert moved.ends_at - moved.starts_at == timedelta(hours=1)
    old = Meeting.get_by_id(meeting.id)
    assert (old.status, old.cancel_reason) == ("cancelled", "rescheduled")
    assert meeting_for_lead(lead).id == moved.id

    with pytest.raises(BookingError, match="reason is required"):
        cancel_meeting(moved.id, agent, "  ")
    cancelled = cancel_meeting(
        moved.id, agent, "клиент  перенёс закупку", now=NOW + timedelta(hours=2)
    )
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "клиент перенёс закупку")
    assert meeting_for_lead(lead) is None
    with pytest.raises(BookingError, match="is cancelled, not booked"):
        cancel_meeting(moved.id, agent, "ещё раз")

    events = [
        (e.action, e.user_id, e.lead_id, e.details)
        for e in AuditEvent.select()
        .where(AuditEvent.action.startswith("meeting."))
        .order_by(AuditEvent.id)
    ]
    assert [e[:3] for e in events] == [
        ("meeting.book", agent, lead),
        ("meeting.reschedule", other, lead),
        ("meeting.cancel", agent, lead),
    ]
    assert events[0][3]["meeting_id"] == meeting.id
    assert events[0][3]["starts_at"] == "2026-11-24 08:00:00.000000"
    assert events[1][3]["rescheduled_from"] == meeting.id
    assert events[1][3]["meeting_id"] == moved.id
    assert events[2][3]["reason"] == "клиент перенёс закупку"
    # a new meeting may be booked once the old one is cancelled
    again = book_meeting(lead, agent, orlov, msk(26, "10:00"), settings, now=NOW)
    assert meeting_for_lead(lead).id == again.id


def test_slot_taken_by_overlap_or_buffer_and_a_failed_reschedule_changes_nothing(desk):
    settings, agent, _other = desk
    orlov = specialist("Орлов", buffer_minutes=15)
    first = book_meeting(make_lead(agent=agent), agent, orlov, msk(24, "11:00"), settings, now=NOW)
    for start in (msk(24, "11:00"), msk(24, "11:30"), msk(24, "10:30"), msk(24, "12:00")):
        with pytest.raises(SlotTaken) as error:
            book_meeting(make_lead(agent=agent), agent, orlov, start, settings, now=NOW)
        assert str(error.value) == TAKEN
    book_meeting(
        make_lead(agent=agent), agent, orlov, msk(24, "09:30"), settings, now=NOW, minutes=75
    )  # ends 10:45: the buffer exactly
    second = book_meeting(make_lead(agent=agent), agent, orlov, msk(24, "14:00"), settings, now=NOW)
    before = list(Meeting.select().order_by(Meeting.id).tuples())
    with pytest.raises(SlotTaken):
        reschedule_meeting(second.id, agent, msk(24, "11:30"), settings, now=NOW)
    assert list(Meeting.select().order_by(Meeting.id).tuples()) == before
    assert meeting_for_lead(second.lead_id).id == second.id
    # moving a meeting within its own old time is fine: the old row no longer counts
    assert reschedule_meeting(
        first.id, agent, msk(24, "11:30"), settings, now=NOW
    ).starts_at == msk(24, "11:30")


@pytest.mark.parametrize(
    "start, message",
    [
        (msk(24, "08:00"), "outside the working hours"),
        (msk(24, "13:00"), "outside the working hours"),  # lunch
        (msk(24, "17:30"), "outside the working hours"),  # would end 18:30
        (msk(28, "11:00"), "outside the working hours"),  # Saturday
        (msk(23, "09:00"), "in the past"),
        (msk(23, "11:00"), "sooner than the minimum notice of 2 h"),
        (msk(31, "11:00", month=12), "2026-12-31 is a day off"),
    ],
)
def test_refused_slots_say_why(desk, start, message):
    settings, agent, _other = desk
    orlov = specialist("Орлов", days_off="2026-12-31")
    with pytest.raises(BookingError, match=message) as error:
        book_meeting(make_lead(agent=agent), agent, orlov, start, settings, now=NOW)
    assert not isinstance(error.value, SlotTaken)
    assert str(error.value).startswith("Орлов: ")
    booked = AuditEvent.select().where(AuditEvent.action.startswith("meeting."))
    assert Meeting.select().count() == 0 and booked.count() == 0


def test_who_may_get_a_meeting(desk):
    settings, agent, _other = desk
    orlov = specialist("Орлов")
    start = msk(24, "11:00")
    with pytest.raises(BookingError, match="lead 999 does not exist"):
        book_meeting(999, agent, orlov, start, settings, now=NOW)
    with pytest.raises(BookingError, match=r"not qualified \(status not_fit\)"):
        book_meeting(
            make_lead(status="not_fit", agent=agent), agent, orlov, start, settings, now=NOW
        )
    with pytest.raises(BookingError, match=r"not qualified \(status in_progress\)"):
        book_meeting(make_lead(status="in_progress"), agent, orlov, start, settings, now=NOW)
    # in the call, the qualification just submitted: bookable
    book_meeting(
        make_lead(status="in_progress", agent=agent), agent, orlov, start, settings, now=NOW
    )
    with pytest.raises(BookingError, match="kind must be one of"):
        book_meeting(make_lead(agent=agent), agent, orlov, start, settings, kind="lunch")
    with pytest.raises(BookingError, match="needs a time zone"):
        book_meeting(make_lead(agent=agent), agent, orlov, datetime(2026, 11, 24, 12), settings)
    edit_specialist(orlov, active=False)
    with pytest.raises(BookingError, match="inactive"):
        book_meeting(make_lead(agent=agent), agent, orlov, msk(25, "11:00"), settings, now=NOW)
    assert free_slots(orlov, settings, now=NOW) == []


def test_the_store_refuses_an_overlap_even_when_the_check_is_skipped(desk, monkeypatch):
    settings, agent, _other = desk
    orlov = specialist("Орлов", buffer_minutes=0)
    first = book_meeting(make_lead(agent=agent), agent, orlov, msk(24, "11:00"), settings, now=NOW)
    # raw SQL that forgets to check: the trigger of migration 0002
    with pytest.raises(IntegrityError, match="overlaps|meeting_no_overlap"), database.atomic():
        Meeting.insert(
            lead=make_lead(agent=agent),
            specialist=orlov,
            starts_at=msk(24, "11:30"),
            ends_at=msk(24, "12:30"),
            booked_by=agent,
        ).execute()
    # the service with its own check switched off maps the trigger's refusal to SlotTaken
    monkeypatch.setattr(booking.availability, "slot_problem", lambda *a, **k: None)
    with pytest.raises(SlotTaken) as error:
        book_meeting(make_lead(agent=agent), agent, orlov, msk(24, "11:30"), settings, now=NOW)
    assert "overlaps" in error.value.detail or "meeting_no_overlap" in error.value.detail
    assert [m.id for m in meetings_of(orlov)] == [first.id]
    assert AuditEvent.select().where(AuditEvent.action == "meeting.book").count() == 1


def test_free_slots_and_meetings_of(desk):
    settings, agent, _other = desk
    orlov = specialist("Орлов", buffer_minutes=15)
    lead = make_lead(agent=agent, zones="Asia/Novosibirsk")
    before = free_slots(orlov, settings, lead_id=lead, now=NOW, days=2)
    assert before[0].starts_at == msk(23, "12:00")  # 10:00 + 2 h notice
    assert [(s.starts_at.astimezone(MOSCOW).hour, s.in_lead_hours) for s in before[:3]] == [
        (12, True),
        (14, False),
        (14, False),
    ]  # 14:30 Moscow ends 19:30 in Novosibirsk
    booked = book_meeting(lead, agent, orlov, msk(24, "11:00"), settings, now=NOW)
    after = {s.starts_at for s in free_slots(orlov, settings, now=NOW, days=2)}
    gone = {s.starts_at for s in before} - after
    assert gone == {msk(24, c) for c in ("10:00", "10:30", "11:00", "11:30", "12:00")}
    assert free_slots(orlov, settings, now=NOW, limit=2) == free_slots(orlov, settings, now=NOW)[:2]
    assert len(free_slots(orlov, settings, now=NOW)) > len(before)  # 14 days by default
    other = book_meeting(make_lead(agent=agent), agent, orlov, msk(25, "15:00"), settings, now=NOW)
    assert [m.id for m in meetings_of(orlov)] == [booked.id, other.id]
    assert [m.id for m in meetings_of(start=msk(25, "00:00"))] == [other.id]
    assert [m.id for m in meetings_of(end=msk(24, "11:30"))] == [booked.id]
    assert meetings_of(orlov, start=msk(26, "00:00")) == []
    cancel_meeting(other.id, agent, "нет")
    assert [m.id for m in meetings_of(orlov)] == [booked.id]
    assert [m.status for m in meetings_of(orlov, statuses=("booked", "cancelled"))] == [
        "booked",
        "cancelled",
    ]


# --- specialists ---------------------------------------------------------------------------


def test_specialists_are_checked_and_unique_among_the_active(desk):
    _settings, agent, _other = desk
    info = add_specialist(
        "  Дмитрий   Орлов ",
        email="d.orlov@x.ru",
        phone="8 915 402-18-33",
        working_hours="mon-fri 09:00-18:00, lunch 13:00-14:00; sat 10:00-14:00",
        days_off=["2027-01-01..2027-01-08", "2026-12-31"],
        regions="ЦФО, СЗФО, цфо",
        specialisations=["логистика"],
        max_per_day=0,
    )
    assert (info.name, info.phone_e164, info.max_per_day) == ("Дмитрий Орлов", "+79154021833", None)
    assert info.working_hours == {"mon-fri": ["09:00-13:00", "14:00-18:00"], "sat": ["10:00-14:00"]}
    assert info.days_off == ("2026-12-31", "2027-01-01..2027-01-08")
    assert info.regions == ("ЦФО", "СЗФО")
    for kw, message in (
        (dict(name="ДМИТРИЙ ОРЛОВ"), "already called 'Дмитрий Орлов'"),
        (dict(name="X", email="нет"), "--email: 'нет' is not an e-mail"),
        (dict(name="X", phone="123"), "--phone: '123' is not a valid number"),
        (dict(name="X", time_zone="Europe/Moskva"), "--time-zone"),
        (dict(name="X", working_hours="mon-fri 9:00"), "--hours"),
        (dict(name="X", days_off="2026-13-01"), "'2026-13-01' is not a date"),
        (dict(name="X", meeting_minutes=0), "--meeting-minutes"),
        (dict(name="X", buffer_minutes=-5), "--buffer-minutes"),
        (dict(name=" "), "needs a name"),
        (dict(name="42"), "only digits"),
    ):
        with pytest.raises(SpecialistError, match=message):
            add_specialist(**kw)
    assert find_specialist("дмитрий орлов").id == info.id == find_specialist(str(info.id)).id
    assert find_specialist("орлов").id == info.id  # a part naming one active specialist
    # an inactive namesake does not block the name
    edit_specialist(info.id, active=False)
    twin = add_specialist("Дмитрий Орлов")
    assert find_specialist("Дмитрий Орлов").id == twin.id
    with pytest.raises(SpecialistError, match="already called"):
        edit_specialist(info.id, active=True)
    changed = edit_specialist(twin.id, name="Дмитрий Орлов-младший", buffer_minutes=0, days_off=[])
    assert (changed.name, changed.buffer_minutes, changed.days_off) == (
        "Дмитрий Орлов-младший",
        0,
        (),
    )
    assert [s.id for s in list_specialists()] == [twin.id, info.id]  # active first


def test_remove_deletes_or_makes_inactive(desk):
    settings, agent, _other = desk
    idle = specialist("Без встреч")
    busy = specialist("Со встречами")
    book_meeting(make_lead(agent=agent), agent, busy, msk(24, "11:00"), settings, now=NOW)
    gone = remove_specialist("без встреч")
    assert gone.deleted and "deleted" in gone.message()
    kept = remove_specialist(busy, now=NOW)
    assert (kept.deleted, kept.meetings, kept.upcoming, kept.specialist.active) == (
        False,
        1,
        1,
        False,
    )
    assert "inactive" in kept.message() and "1 booked meeting(s) ahead" in kept.message()
    assert [s.id for s in list_specialists()] == [busy]
    with pytest.raises(SpecialistError, match="no specialist with id"):
        remove_specialist(idle)


def test_a_meeting_being_moved_frees_its_own_time_for_the_new_one(desk):
    settings, agent, _other = desk
    orlov = specialist("Орлов")
    lead = make_lead(agent=agent)
    meeting = book_meeting(lead, agent, orlov, msk(24, "11:00"), settings, now=NOW)
    later = msk(24, "11:30").astimezone(UTC)
    assert later not in {s.starts_at for s in free_slots(orlov, settings, now=NOW)}
    offered = {s.starts_at for s in free_slots(orlov, settings, now=NOW, moving=meeting.id)}
    assert later in offered and meeting.starts_at in offered
    moved = reschedule_meeting(meeting.id, agent, later, settings, now=NOW)
    assert moved.starts_at == later


@pytest.mark.parametrize(
    "disposition, reason, kept",
    [
        ("not_interested", "купили у другого", False),
        ("no_answer", "", True),
    ],
)
def test_an_outcome_that_ends_the_deal_cancels_the_meeting(desk, disposition, reason, kept):
    from tmdesk.services.calls import record_disposition

    settings, agent, _other = desk
    orlov = specialist("Орлов")
    lead = make_lead(agent=agent, status="in_progress")
    meeting = book_meeting(lead, agent, orlov, msk(24, "11:00"), settings, now=NOW)
    # the lead is back on the agent's screen (an undo, a supervisor's return)
    Lead.update(claimed_by=agent, claimed_at=NOW, lease_until=NOW + timedelta(minutes=5)).where(
        Lead.id == lead
    ).execute()
    record_disposition(
        lead, agent, disposition, settings, reason=reason, now=NOW + timedelta(minutes=1)
    )
    row = Meeting.get_by_id(meeting.id)
    if kept:
        assert row.status == "booked" and meeting_for_lead(lead) is not None
    else:
        assert (row.status, row.cancel_reason) == (
            "cancelled",
            "the lead's outcome became not_interested",
        )
        assert (
            AuditEvent.select()
            .where(AuditEvent.action == "meeting.cancel", AuditEvent.lead == lead)
            .count()
            == 1
        )
