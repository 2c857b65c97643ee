"""Reviewing qualifications with keys only: approve, return with a comment (the agent gets
the lead back as a due callback showing it), correct an answer, filter, change days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from booking_setup import URALMASH, add_specialists, qualify
from supervisor_data import (
    WEDNESDAY_18_MSK,
    fixed_day,
    settle,
    sign_in_as_supervisor,
    supervisor_desk,
)
from textual.widgets import DataTable, OptionList
from tui_helpers import WEDNESDAY_10_MSK, Desk, column, notifications, text_of, type_text, wait_for

from tmdesk.services.booking import book_meeting, meeting_for_lead
from tmdesk.services.queue import preview_queue
from tmdesk.store.models import AuditEvent, Qualification
from tmdesk.tui.booking.panel import BookingPanel
from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.desk.call_display import clock_label
from tmdesk.tui.desk.queue import QueueScreen
from tmdesk.tui.supervisor.dialogs import ChoiceDialog, FormDialog
from tmdesk.tui.supervisor.review import ReviewScreen
from tmdesk.tui.supervisor.review_detail import ReviewDetailScreen

SIZE = (120, 40)
# newest first, as the fixed day submits them
NEWEST_FIRST = ["Лотос Фарм", "Искра Энерго", "Альфа-Строй", "Дельта Агро", "Вега Пласт"]


def companies(app) -> list[str]:
    table = app.screen.query_one("#list-table", DataTable)
    return [cell.plain for cell in table.get_column("company")] if table.display else []


async def open_review(pilot) -> None:
    await sign_in_as_supervisor(pilot)
    await pilot.press("r")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReviewScreen)


async def test_approve_from_the_detail(desk: Desk):
    ids = fixed_day(desk)
    app = desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        assert companies(app) == NEWEST_FIRST
        assert "5 in all" in text_of(app, ".list-title")

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewDetailScreen)
        assert "Лотос Фарм" in text_of(app, "#card-company")
        answers = [str(answer.content) for answer in app.screen.query(".review-answer")]
        assert len(answers) == 12 and "Сколько человек работает в компании" in answers[2]
        assert "Иван Петров" in text_of(app, "#review-people")

        await pilot.press("a")
        await settle(pilot)

        assert isinstance(app.screen, ReviewScreen)  # done with it: back to the queue
        assert companies(app) == NEWEST_FIRST[1:]
        row = Qualification.get_by_id(ids["Лотос Фарм"])
        assert row.status == "approved" and row.reviewed_by.login == "sveta"
        assert row.reviewed_at == WEDNESDAY_18_MSK
        assert AuditEvent.select().where(AuditEvent.action == "review.approve").count() == 1
        assert any("Approved: Лотос Фарм" in message for message in notifications(app))

        await pilot.press("s")  # the reviewed ones too
        await settle(pilot)
        assert companies(app) == NEWEST_FIRST
        assert column_texts(app, "status")[0] == "approved"


def column_texts(app, key: str) -> list[str]:
    return [cell.plain for cell in app.screen.query_one("#list-table", DataTable).get_column(key)]


async def test_return_with_a_comment_brings_the_lead_back_to_the_agent(desk: Desk):
    ids = fixed_day(desk)
    comment = "Уточни, кто подписывает договор"
    app = desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("down", "down")  # Альфа-Строй, boris's
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)

        await pilot.press("enter")  # a comment is required
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        assert "required" in text_of(app, "#form-error")

        await type_text(pilot, comment)
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, ReviewScreen)
        row = Qualification.get_by_id(ids["Альфа-Строй"])
        assert row.status == "returned" and row.review_comment == comment
        lead = row.lead
        assert (lead.status, lead.callback_owner.login, lead.callback_note) == (
            "callback",
            "boris",
            comment,
        )
        first = preview_queue(
            desk.users["boris"].id, desk.workspace.settings, limit=1, now=WEDNESDAY_18_MSK
        )[0]
        assert (first.lead_id, first.bucket) == (lead.id, "callback_own")

        # boris signs in: the lead is first in his queue, and the call shows the comment
        await pilot.press("ctrl+o")
        await settle(pilot)
        await type_text(pilot, "boris")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert column(app, "company")[0] == "Альфа-Строй"
        assert column(app, "bucket")[0] == "my callback"

        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        assert text_of(app, ".card-returned") == comment


async def test_correct_an_answer_keeps_the_agents_original(desk: Desk):
    ids = fixed_day(desk)
    app = desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "down", "enter")  # the third answer: employees
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press("ctrl+u")  # clear the field (it holds the answer now)
        await type_text(pilot, "300")
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, ReviewDetailScreen)
        row = Qualification.get_by_id(ids["Лотос Фарм"])
        employees = next(a for a in row.answers if a["id"] == "employees")
        assert employees["answer"] == 250  # as the agent answered
        assert [(c["field"], c["before"], c["after"], c["by"]) for c in row.corrections] == [
            ("employees", "250", "300", "sveta")
        ]
        answer = str(list(app.screen.query(".review-answer"))[2].content)
        assert "250" in answer and "300" in answer and "corrected by sveta" in answer
        # the trail is a sentence with the question's text, not the event's name and JSON
        assert (
            "sveta corrected “Сколько человек работает в компании (примерно)?”: 250 → 300."
            in text_of(app, "#review-trail")
        )
        assert row.status == "submitted"  # still waiting for approval


async def test_filters_and_days(desk: Desk):
    fixed_day(desk)
    app = desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)

        await pilot.press("v")  # qualified only
        await settle(pilot)
        assert companies(app) == ["Лотос Фарм", "Альфа-Строй", "Вега Пласт"]
        await pilot.press("v")  # nurture
        await settle(pilot)
        assert companies(app) == ["Дельта Агро"]
        await pilot.press("v", "v")  # not a fit, then every verdict again
        await settle(pilot)
        assert companies(app) == NEWEST_FIRST

        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "down", "enter")  # every agent, anna, boris
        await settle(pilot)
        assert companies(app) == ["Альфа-Строй", "Дельта Агро"]
        assert "Boris Ivanov" in text_of(app, ".list-title")

        await pilot.press("left")  # from every day, the first step is today
        await settle(pilot)
        assert "Wed 25.11.2026" in text_of(app, ".list-title")
        assert companies(app) == ["Альфа-Строй", "Дельта Агро"]
        await pilot.press("left")  # Tuesday: nothing
        await settle(pilot)
        assert companies(app) == []
        assert "Tue 24.11.2026" in text_of(app, ".list-title")
        assert "Nothing waiting for review on Tue 24.11.2026" in text_of(app, "#list-empty")
        await pilot.press("right", "right")  # no days to come
        await settle(pilot)
        assert "Wed 25.11.2026" in text_of(app, ".list-title")
        await pilot.press("left", "left", "t")
        await settle(pilot)
        assert companies(app) == ["Альфа-Строй", "Дельта Агро"]


async def test_rebook_the_meeting_from_the_review(desk: Desk):
    """The meeting key opens the booking panel on the booked meeting; moving it there shows
    the new time in the review, booked by the supervisor."""
    supervisor_desk(desk)
    desk.import_leads([URALMASH])
    specialists = add_specialists(desk)
    lead_id = qualify(desk)  # anna, at 10:00
    anna = desk.users["anna"].id
    first = book_meeting(
        lead_id,
        anna,
        specialists["aigul"].id,
        datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
        desk.workspace.settings,
        now=WEDNESDAY_10_MSK,
    )
    app = desk.app(now=WEDNESDAY_10_MSK + timedelta(minutes=30))
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        assert companies(app) == [URALMASH.company]
        assert column_texts(app, "meeting") == ["Wed 25.11 13:00"]
        await pilot.press("enter")
        await settle(pilot)
        assert "Wed 25.11 13:00 with Сейтказиева Айгуль" in text_of(app, "#review-meeting")
        # the trail says it in words, at the supervisor's (Moscow) time, not 10:00 UTC
        trail = text_of(app, "#review-trail")
        assert "anna booked a meeting with Сейтказиева Айгуль for Wed 25.11 13:00." in trail
        assert "{" not in trail and "meeting.book" not in trail

        await pilot.press("m")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, BookingPanel)
                and app.screen.view is not None
                and slots(app)
                and not slots(app)[0].startswith("Reading")
            ),
        )
        await settle(pilot)
        await pilot.press("2")  # the second free slot
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, ReviewDetailScreen)
        moved = meeting_for_lead(lead_id)
        assert moved.rescheduled_from == first.id and moved.booked_by == "sveta"
        assert moved.starts_at != first.starts_at
        assert clock_label(moved.starts_at, "Europe/Moscow") in text_of(app, "#review-meeting")
        moved_to = clock_label(moved.starts_at, "Europe/Moscow")
        assert f"sveta moved the meeting to {moved_to}, with" in text_of(app, "#review-trail")


def slots(app) -> list[str]:
    options = app.screen.query_one("#slots", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_table_keeps_the_keyboard_across_days(desk: Desk):
    """After ←/→ or t the arrows and Enter work on the table at once, with no Tab."""
    fixed_day(desk)
    app = desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        table = app.screen.query_one("#list-table", DataTable)
        await pilot.press("left")  # Tuesday: nothing, the table is hidden
        await settle(pilot)
        await pilot.press("right")
        await settle(pilot)
        assert app.focused is table
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewDetailScreen)
        assert "Искра Энерго" in text_of(app, "#card-company")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("left", "t")
        await settle(pilot)
        assert app.focused is table


async def test_the_queue_opens_on_all_the_work_the_workspace_counts(desk: Desk):
    """Waiting work from two days: the workspace says 5 waiting and the queue opens on
    those 5 (across days, the day beside the time); t, ←/→ pick one day, w all again."""
    ids = fixed_day(desk)
    Qualification.update(submitted_at=WEDNESDAY_18_MSK - timedelta(days=1)).where(
        Qualification.id == ids["Вега Пласт"]
    ).execute()
    app = desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as_supervisor(pilot)
        assert "5 qualifications waiting for review" in text_of(app, "#workspace-today")
        await pilot.press("r")
        await settle(pilot)
        assert "every day" in text_of(app, ".list-title")
        assert "5 in all" in text_of(app, ".list-title")
        assert sorted(companies(app)) == sorted(NEWEST_FIRST)
        assert column_texts(app, "at")[-1] == "24.11 18:00"

        await pilot.press("t")
        await settle(pilot)
        assert "Wed 25.11.2026" in text_of(app, ".list-title")
        assert "Вега Пласт" not in companies(app)
        await pilot.press("w")
        await settle(pilot)
        assert "5 in all" in text_of(app, ".list-title")
        assert app.focused is app.screen.query_one("#list-table", DataTable)
