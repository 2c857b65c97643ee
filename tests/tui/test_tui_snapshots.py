"""Snapshots of the queue and the call screen at 120×40 (and 80×24), with a fixed clock and
fixed data.

Review a changed snapshot by eye (pytest --snapshot-report) before --snapshot-update.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import TextArea
from tui_helpers import (
    SUNDAY_NOON_MSK,
    WEDNESDAY_08_MSK,
    WEDNESDAY_10_MSK,
    Desk,
    Lead,
    make_desk,
    settle,
    text_of,
    type_text,
    wait_for,
)

from tmdesk.services.calls import claim_next_lead, record_disposition

SIZE = (120, 40)


@pytest.fixture
def desk_here(tmp_path: Path, monkeypatch) -> Desk:
    # A relative database path, so the title reads "t.db" on every machine.
    monkeypatch.chdir(tmp_path)
    return make_desk(Path("t.db"), tmp_path)


def mixed_leads(desk: Desk) -> None:
    desk.import_leads(
        [
            Lead("ООО «Камчатрыба»", "+7 4152 41-23-45", "Сергей Котов", priority=3),
            Lead("[bold]Acme[/] Trading", "+7 423 222-33-44", "Bob [Sales]", priority=2),
            Lead(
                "Общество с ограниченной ответственностью «Сибирский лес»",
                "+7 383 210-55-66",
                "Ольга Нечаева",
            ),
            Lead("Уралмаш-Сервис", "+7 343 350-11-22", "Павел Громов"),
            Lead("Янтарный берег", "+7 4012 55-66-77", "Инна Белова"),
            Lead("Торговый дом Арбат", "+7 495 123-45-67", "Мария Соколова"),
        ],
        list_name="Осень 2026",
    )
    desk.import_leads(
        [
            Lead("ИП Сидоров", "+7 4152 30-40-50", "Андрей Сидоров"),
        ],
        list_name="Выставка",
    )


def test_queue_screen(desk_here: Desk, snap_compare):
    """Wednesday 08:00 in Moscow: the east is open, Moscow and Kaliningrad not yet."""
    mixed_leads(desk_here)
    app = desk_here.app(agent="anna", now=WEDNESDAY_08_MSK)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_queue_screen_at_80_by_24(desk_here: Desk, snap_compare):
    """The smallest terminal: each lead's company is on screen beside its phone."""
    mixed_leads(desk_here)
    app = desk_here.app(agent="anna", now=WEDNESDAY_08_MSK)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_callbacks_list_at_80_by_24(desk_here: Desk, snap_compare):
    """F11 at the smallest terminal: contact, phone and what was agreed are not cut."""
    called_before(desk_here)
    settings, boris = desk_here.workspace.settings, desk_here.users["boris"].id
    claim = claim_next_lead(boris, settings, now=WEDNESDAY_10_MSK)
    record_disposition(
        claim.lead_id,
        boris,
        "callback",
        settings,
        now=WEDNESDAY_10_MSK,
        callback_at=WEDNESDAY_10_MSK + timedelta(days=2),
        note="Перезвонить после тендера, спросить про объёмы",
    )
    app = desk_here.app(agent="boris", now=WEDNESDAY_10_MSK)

    async def open_callbacks(pilot) -> None:
        await settle(pilot)
        await pilot.press("f11")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_callbacks)


def test_queue_screen_with_nothing_to_call(desk_here: Desk, snap_compare):
    """Sunday: no calling window anywhere, and the screen says why."""
    mixed_leads(desk_here)
    app = desk_here.app(agent="anna", now=SUNDAY_NOON_MSK)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def called_before(desk: Desk) -> None:
    """A Kamchatka lead tried by anna on Monday, promised a callback to boris on Tuesday."""
    desk.import_leads(
        [
            Lead(
                "ООО «Камчатрыба»",
                "+7 4152 41-23-45 доб. 12; 8 914 781-22-33",
                "Сергей Котов",
                priority=3,
                position="директор по закупкам",
                email="kotov@kamchatryba.ru",
                city="Петропавловск-Камчатский",
                comment="Работают с [конкурентом] до весны",
                industry="Рыбная промышленность",
            ),
            Lead("Торговый дом Арбат", "+7 495 123-45-67", "Мария Соколова"),
        ],
        list_name="Осень 2026",
    )
    settings = desk.workspace.settings
    anna, boris = desk.users["anna"].id, desk.users["boris"].id
    monday, tuesday = WEDNESDAY_10_MSK - timedelta(days=2), WEDNESDAY_10_MSK - timedelta(days=1)
    claim = claim_next_lead(anna, settings, now=monday)
    record_disposition(claim.lead_id, anna, "no_answer", settings, note="гудки", now=monday)
    claim = claim_next_lead(boris, settings, now=tuesday)
    record_disposition(
        claim.lead_id,
        boris,
        "callback",
        settings,
        shared=True,
        now=tuesday,
        callback_at=WEDNESDAY_10_MSK - timedelta(minutes=10),
        note="Секретарь: ЛПР вернётся из командировки в среду, звонить после 18",
    )


async def open_the_call(pilot) -> None:
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    notes = pilot.app.screen.query_one("#notes", TextArea)
    notes.cursor_blink = False
    await type_text(pilot, "ЛПР на месте, соединяют")
    await wait_for(pilot, lambda: "Draft saved" in text_of(pilot.app, "#draft-status"))
    await settle(pilot)


def test_call_screen(desk_here: Desk, snap_compare):
    """The lead card of a callback with its history, the notes typed and saved."""
    called_before(desk_here)
    app = desk_here.app(agent="anna", now=WEDNESDAY_10_MSK)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_the_call)


def test_call_screen_at_80_by_24(desk_here: Desk, snap_compare):
    """The smallest terminal the desk supports: everything needed to call is on screen."""
    called_before(desk_here)
    app = desk_here.app(agent="anna", now=WEDNESDAY_10_MSK)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_the_call)


def test_callback_dialog(desk_here: Desk, snap_compare):
    """Quick choices in the agent's time with the lead's beside it, and a typed time."""
    called_before(desk_here)
    app = desk_here.app(agent="anna", now=WEDNESDAY_10_MSK)

    async def ask_when(pilot) -> None:
        await open_the_call(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await type_text(pilot, "завтра 11:00")
        await settle(pilot)
        pilot.app.screen.query_one("#when-typed").cursor_blink = False

    assert snap_compare(app, terminal_size=SIZE, run_before=ask_when)
