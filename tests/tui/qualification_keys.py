"""Filling the default script (b2b-ru) with keys, as an agent does: shared by the Pilot
tests, the snapshots and the kill test's desk process."""

from __future__ import annotations

from textual.pilot import Pilot

# Keys typed into the question that has the focus; a one-key answer moves on by itself,
# typed text and a multiple choice by Enter. The form opens on the first question; hidden
# questions are skipped.
FIT_AND_NOW = [
    ("right_person", "1"),  # Да, это я (+10)
    ("activity", "1"),  # производство (+15)
    ("employees", "250"),  # (+10)
    ("district", "1"),  # ЦФО
    ("current_solution", "4"),  # пока никак (+10): hides bought_recently and pain
    ("need", "y"),  # (+20): shows need_details and timeline
    ("need_details", "цех"),
    ("timeline", "через 2 месяца"),  # 25.01.2027: within 90 days → actual now
    ("budget", "1"),  # утверждён (+20): shows budget_amount
    ("budget_amount", "5 000"),  # (+15)
    ("decision_process", "13"),  # директор, главный инженер
    ("meeting_agreed", "y"),  # (+10)
    ("comment", "после обеда"),
]
FIT_AND_NOW_SCORE = 10 + 15 + 10 + 10 + 20 + 20 + 15 + 10

DECISION_MAKER = ("Сидоров Пётр", "Главный инженер", "8 (495) 765-43-21", "")
DECISION_MAKER_E164 = "+74957654321"


def keys_for(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


def moves_on_by_itself(widget) -> bool:
    """A one-key answer (a single choice, yes / no) moves the focus on by itself; typed text
    and a multiple choice need Enter."""
    from tmdesk.tui.qualification.picks import PickField

    return isinstance(widget, PickField) and not widget.multiple


async def answer(
    pilot: Pilot, answers: list[tuple[str, str]], *, skip: tuple[str, ...] = ()
) -> None:
    """Type each answer into the focused question, then Enter where the form does not move
    on by itself; `skip` tabs past questions without answering them. Checks the focus is on
    the question meant."""
    for question_id, text in answers:
        focused = pilot.app.focused
        assert focused is not None and focused.id == f"answer-{question_id}", (question_id, focused)
        if question_id in skip:
            await pilot.press("tab")
            continue
        await pilot.press(*keys_for(text))
        await pilot.pause()  # the form has taken the answer in: shown and hidden questions
        if not moves_on_by_itself(focused):
            await pilot.press("enter")
        await pilot.pause()


async def add_person(pilot: Pilot, name: str, position: str, phone: str, email: str) -> None:
    """ctrl+n adds a person and puts the focus on the name; tab moves through the fields."""
    await pilot.press("ctrl+n")
    while not (
        pilot.app.focused is not None
        and pilot.app.focused.has_class("person-name")
        and not pilot.app.focused.value
    ):
        await pilot.pause(0.02)
    for text in (name, position, phone, email):
        await pilot.press(*keys_for(text))
        await pilot.press("tab")


async def submit_fit_and_now(pilot: Pilot) -> None:
    """On the open form: the answers of a fit lead that needs it now; the lead's contact,
    pre-filled as the first person, removed (not who decides here) and the decision maker
    added; then ctrl+s."""
    await answer(pilot, FIT_AND_NOW)
    await pilot.press("ctrl+r")
    await add_person(pilot, *DECISION_MAKER)
    await pilot.press("ctrl+s")


async def take_next_lead(pilot: Pilot) -> None:
    """ctrl+n on the queue until the call screen is open and ready (the notes have the
    focus). A key pressed while the queue is still starting is ignored, so press it again
    once nothing runs — under load the first one can land too early."""
    from textual.worker import WorkerState

    from tmdesk.tui.desk.call import CallScreen
    from tmdesk.tui.desk.queue import QueueScreen

    app = pilot.app
    busy = (WorkerState.PENDING, WorkerState.RUNNING)
    while not isinstance(app.screen, CallScreen):
        if (
            app.agent is not None
            and isinstance(app.screen, QueueScreen)
            and not any(worker.state in busy for worker in app.workers)
        ):
            await pilot.press("ctrl+n")
        await pilot.pause(0.1)
    while app.focused is None or app.focused.id != "notes":
        await pilot.pause(0.05)
