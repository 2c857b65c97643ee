"""Call lists from the workspace: importing a file with a progress bar, and pause, resume,
priority, script and archive with keys only."""

from __future__ import annotations

import csv
from pathlib import Path

from supervisor_data import settle, sign_in_as_supervisor, supervisor_desk
from textual.widgets import DataTable, Input, ProgressBar
from tui_helpers import Desk, Lead, moscow_phone, text_of, type_text, wait_for

from tmdesk.store.models import AuditEvent, CallList
from tmdesk.store.models import Lead as LeadRecord
from tmdesk.tui.supervisor.call_lists import CallListsScreen
from tmdesk.tui.supervisor.dialogs import ChoiceDialog, ConfirmDialog
from tmdesk.tui.supervisor.list_import import CallListImportScreen

SIZE = (120, 40)
ROWS = 4_000


def big_list(path: Path) -> dict[str, int]:
    """ROWS rows: mostly good Moscow numbers, and some of each kind the report counts."""
    expected = dict(rows=ROWS, imported=0, duplicates=0, invalid=0, empty=0, dnc=0)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Компания", "Контакт", "Телефон"])
        for n in range(ROWS):
            if n % 500 == 300:
                writer.writerow(["", "", ""])
                expected["empty"] += 1
            elif n % 100 == 42:
                writer.writerow([f"Фирма {n}", "Иван", "12-34"])
                expected["invalid"] += 1
            elif n % 250 == 7:
                writer.writerow([f"Фирма {n}", "Иван", moscow_phone(n - 7)])  # line n-5 again
                expected["duplicates"] += 1
            else:
                writer.writerow([f"Фирма {n}", "Иван", moscow_phone(n)])
                expected["imported"] += 1
    return expected


async def open_lists(pilot) -> None:
    await sign_in_as_supervisor(pilot)
    await pilot.press("l")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CallListsScreen)


async def test_import_a_file_from_the_workspace_with_a_progress_bar(desk: Desk):
    supervisor_desk(desk)
    path = desk.folder / "выставка.csv"
    expected = big_list(path)
    app = desk.app()
    async with app.run_test(size=SIZE) as pilot:
        await open_lists(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CallListImportScreen)

        await type_text(pilot, str(path))
        await pilot.press("enter")
        await settle(pilot)
        name = screen.query_one("#import-second", Input)
        assert name.has_focus and name.value == "выставка"  # the file's name by default
        await pilot.press("ctrl+u")
        await type_text(pilot, "Выставка 2026")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.finished, timeout=60)
        await settle(pilot)

        bar = screen.query_one("#import-progress", ProgressBar)
        assert bar.total == ROWS and bar.progress == ROWS
        seen = [done for done, _total in screen.progress_seen]
        # the bar moved while the import ran (2,000-row chunks), never backwards
        assert len(seen) >= 2 and seen == sorted(seen) and seen[-1] == ROWS
        report = screen.report
        assert {key: getattr(report, key) for key in expected} == expected
        assert (
            report.imported + report.duplicates + report.invalid + report.dnc + report.empty
        ) == report.rows
        text = text_of(app, "#import-report")
        assert (
            "rows {rows}: imported {imported}, duplicates {duplicates}, invalid {invalid}, "
            "do-not-call {dnc}, empty {empty}"
        ).format(**expected) in text
        assert "line 44: " in text  # the first invalid row, with its line (header is line 1)

        call_list = CallList.get(CallList.name == "Выставка 2026")
        assert call_list.created_by.login == "sveta"
        assert (
            LeadRecord.select().where(LeadRecord.call_list == call_list).count()
            == expected["imported"]
        )

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CallListsScreen)
        table = app.screen.query_one("#lists-table", DataTable)
        assert [cell.plain for cell in table.get_column("name")] == ["Выставка 2026"]
        assert table.get_column("total") and list(table.get_column("total"))[0].plain == str(
            expected["imported"]
        )


async def test_a_missing_file_is_named_and_nothing_starts(desk: Desk):
    supervisor_desk(desk)
    app = desk.app()
    async with app.run_test(size=SIZE) as pilot:
        await open_lists(pilot)
        await pilot.press("i")
        await settle(pilot)
        await type_text(pilot, str(desk.folder / "nope.csv"))
        await pilot.press("enter")
        await settle(pilot)
        assert "There is no file" in text_of(app, "#picker-error")
        assert not app.screen.query_one("#import-second").display


async def test_pause_resume_priority_script_and_archive_with_keys(desk: Desk):
    supervisor_desk(desk)
    desk.import_leads([Lead("Альфа", moscow_phone(1))], list_name="Осень")
    desk.import_leads([Lead("Бета", moscow_phone(2))], list_name="Зима")
    app = desk.app()
    async with app.run_test(size=SIZE) as pilot:
        await open_lists(pilot)

        def lists() -> dict[str, tuple]:
            return {
                row.name: (row.status, row.priority, row.script_key) for row in CallList.select()
            }

        await pilot.press("p")
        await settle(pilot)
        assert lists()["Осень"][0] == "paused"
        await pilot.press("p")
        await settle(pilot)
        assert lists()["Осень"][0] == "active"

        await pilot.press("down", "plus")  # Зима up: it moves to the top
        await settle(pilot)
        await pilot.press("plus")
        await settle(pilot)
        assert lists()["Зима"][1] == 2
        table = app.screen.query_one("#lists-table", DataTable)
        assert [cell.plain for cell in table.get_column("name")] == ["Зима", "Осень"]
        assert table.cursor_row == 0  # the cursor follows the list
        await pilot.press("minus")
        await settle(pilot)
        assert lists()["Зима"][1] == 1
        assert LeadRecord.get(LeadRecord.company == "Бета").list_priority == 1

        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "enter")  # the first script after "the default"
        await settle(pilot)
        assert lists()["Зима"][2] is not None

        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # not after all
        await settle(pilot)
        assert lists()["Зима"][0] == "active"
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert lists()["Зима"][0] == "archived"

        actions = [
            event.action
            for event in AuditEvent.select().order_by(AuditEvent.id)
            if event.action.startswith("list.")
        ]
        assert actions == [
            "list.paused",
            "list.active",
            "list.priority",
            "list.priority",
            "list.priority",
            "list.script",
            "list.archived",
        ]
