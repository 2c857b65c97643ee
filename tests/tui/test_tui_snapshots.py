"""Snapshots of the queue screen at 120×40, with a fixed clock and fixed data.

Review a changed snapshot by eye (pytest --snapshot-report) before --snapshot-update.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import SUNDAY_NOON_MSK, WEDNESDAY_08_MSK, Desk, Lead, make_desk, settle

SIZE = (120, 40)


@pytest.fixture
def desk_here(tmp_path: Path, monkeypatch) -> Desk:
    # A relative database path, so the title reads "t.db" on every machine.
    monkeypatch.chdir(tmp_path)
    return make_desk(Path("t.db"), tmp_path)


def mixed_leads(desk: Desk) -> None:
    desk.import_leads([
        Lead("ООО «Камчатрыба»", "+7 4152 41-23-45", "Сергей Котов", priority=3),
        Lead("[bold]Acme[/] Trading", "+7 423 222-33-44", "Bob [Sales]", priority=2),
        Lead("Общество с ограниченной ответственностью «Сибирский лес»", "+7 383 210-55-66",
             "Ольга Нечаева"),
        Lead("Уралмаш-Сервис", "+7 343 350-11-22", "Павел Громов"),
        Lead("Янтарный берег", "+7 4012 55-66-77", "Инна Белова"),
        Lead("Торговый дом Арбат", "+7 495 123-45-67", "Мария Соколова"),
    ], list_name="Осень 2026")
    desk.import_leads([
        Lead("ИП Сидоров", "+7 4152 30-40-50", "Андрей Сидоров"),
    ], list_name="Выставка")


def test_queue_screen(desk_here: Desk, snap_compare):
    """Wednesday 08:00 in Moscow: the east is open, Moscow and Kaliningrad not yet."""
    mixed_leads(desk_here)
    app = desk_here.app(agent="anna", now=WEDNESDAY_08_MSK)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_queue_screen_with_nothing_to_call(desk_here: Desk, snap_compare):
    """Sunday: no calling window anywhere, and the screen says why."""
    mixed_leads(desk_here)
    app = desk_here.app(agent="anna", now=SUNDAY_NOON_MSK)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)
