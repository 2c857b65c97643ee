"""The agent's key budget, flow by flow: exactly the keys of the README's table, pressed as
an agent presses them, then the database.

How keys are counted (the README's "Keys per call" table): a one-key answer (a digit, a
letter, y/n/д/н) is an answer, and typed text is the answer itself, with the Enter that ends
it; every other key — opening the form, confirming a pre-filled fact, a multiple choice's
Enter, submitting, booking — is overhead, and the budget counts those.

The flows run on both databases (PostgreSQL with TMDESK_TEST_PG): the whole desk, the
qualified lead's booking included, as an agent at a team server's desk works it.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from booking_setup import add_specialists, wait_loaded
from postgres_server import BACKENDS
from qualification_keys import keys_for
from tui_helpers import (
    WEDNESDAY_10_MSK,
    Desk,
    Lead,
    make_desk,
    moscow_phone,
    offer_asked,
    settle,
    text_of,
    wait_for,
)

from tmdesk.services.booking import meeting_for_lead
from tmdesk.services.qualification import qualification_for
from tmdesk.store.models import CallAttempt
from tmdesk.tui.booking.panel import BookingPanel
from tmdesk.tui.desk.call import CallScreen

SIZE = (120, 40)
NOW = WEDNESDAY_10_MSK


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def desk(desk_target: str, tmp_path: Path) -> Desk:
    return make_desk(desk_target, tmp_path)


def two_leads(desk: Desk) -> None:
    desk.import_leads(
        [
            Lead("Альфа", moscow_phone(1), "Иван Петров", priority=2, position="Главный инженер"),
            Lead("Бета", moscow_phone(2), "Ольга Смирнова", priority=1),
        ]
    )


async def on_first_lead(pilot) -> None:
    await settle(pilot)
    await pilot.press("ctrl+n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CallScreen))
    await settle(pilot)


def typed(text: str) -> list[str]:
    return [*keys_for(text), "enter"]


# (keys, what they are): "answer" and "typed" are the answers; the rest is the budget
QUALIFIED_WITH_MEETING = [
    (["f10"], "open the form"),
    (["1"], "answer"),  # right person: yes, it's me
    (["1"], "answer"),  # activity: manufacturing
    (typed("250"), "typed"),  # employees
    (["1"], "answer"),  # district: ЦФО
    (["4"], "answer"),  # current solution: none yet
    (["y"], "answer"),  # a need: yes
    (typed("цех"), "typed"),  # the need
    (typed("через 2 месяца"), "typed"),  # timeline
    (["1"], "answer"),  # budget approved
    (typed("5 000"), "typed"),  # its amount
    (["1", "3"], "answer"),  # who decides: director, chief engineer
    (["enter"], "end a multiple choice"),
    (["y"], "answer"),  # a meeting agreed
    (typed("после обеда"), "typed"),  # comment
    (["1"], "confirm the contact as the decision maker"),
    (["ctrl+s"], "submit"),
    (["enter"], "open the booking on the best slot"),
    (["f10"], "book it, the video link to follow"),
]


async def test_no_answer_then_the_next_lead_is_one_key(desk: Desk):
    two_leads(desk)
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await on_first_lead(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: text_of(app, "#card-company") == "Бета")
    attempt = CallAttempt.get()
    assert (attempt.lead.company, attempt.disposition) == ("Альфа", "no_answer")
    assert desk.lead("Альфа").status == "retry"


async def test_a_callback_in_two_days_same_time_then_the_next_lead_is_two_keys(desk: Desk):
    two_leads(desk)
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await on_first_lead(pilot)
        await pilot.press("f6", "3")  # budget 3
        await wait_for(pilot, lambda: text_of(app, "#card-company") == "Бета")
    lead = desk.lead("Альфа")
    assert (lead.status, lead.next_call_at) == ("callback", NOW + timedelta(days=2))
    assert CallAttempt.get().disposition == "callback"


async def test_qualified_with_a_meeting_on_the_best_slot_is_six_keys_beyond_the_answers(
    desk: Desk,
):
    two_leads(desk)
    add_specialists(desk)
    lead_id = desk.lead_id("Альфа")
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await on_first_lead(pilot)
        for keys, what in QUALIFIED_WITH_MEETING:
            await pilot.press(*keys)
            await settle(pilot)
            if what == "submit":
                await wait_for(pilot, lambda: offer_asked(app))
            elif what == "open the booking on the best slot":
                panel = await wait_loaded(pilot)
                assert isinstance(panel, BookingPanel) and panel.chosen is not None
        await wait_for(pilot, lambda: text_of(app, "#card-company") == "Бета")

    record = qualification_for(lead_id)
    assert (record.verdict.fit, record.verdict.actuality) == (True, "now")
    assert [(p.role, p.name) for p in record.decision_makers] == [("decision_maker", "Иван Петров")]
    meeting = meeting_for_lead(lead_id)
    assert meeting is not None
    assert (meeting.kind, meeting.link_later, meeting.booked_by) == ("video", True, "anna")
    assert desk.lead("Альфа").status == "qualified"
    overhead = [k for keys, what in QUALIFIED_WITH_MEETING if what not in {"answer", "typed"}
                for k in keys]  # fmt: skip
    assert overhead == ["f10", "enter", "1", "ctrl+s", "enter", "f10"]  # the budget: <= 6
