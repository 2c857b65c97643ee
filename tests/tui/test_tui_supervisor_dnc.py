"""The do-not-call list from the workspace: a number added there is never served again;
removing one asks why; a file of numbers goes in with a report."""

from __future__ import annotations

import csv

from supervisor_data import settle, sign_in_as_supervisor, supervisor_desk
from textual.widgets import DataTable
from tui_helpers import (
    WEDNESDAY_10_MSK,
    Desk,
    Lead,
    moscow_phone,
    notifications,
    text_of,
    type_text,
    wait_for,
)

from tmdesk.services.calls import claim_next_lead
from tmdesk.services.users import add_user
from tmdesk.store.models import AuditEvent, DncEntry
from tmdesk.tui.supervisor.dialogs import FormDialog
from tmdesk.tui.supervisor.dnc import DncScreen, search_digits
from tmdesk.tui.supervisor.list_import import DncImportScreen

SIZE = (120, 40)


async def open_dnc(pilot) -> None:
    await sign_in_as_supervisor(pilot)
    await pilot.press("d")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DncScreen)


def phones_shown(app) -> list[str]:
    table = app.screen.query_one("#list-table", DataTable)
    return [cell.plain for cell in table.get_column("e164")] if table.display else []


async def test_a_number_added_in_the_workspace_is_never_served(desk: Desk):
    supervisor_desk(desk)
    desk.import_leads(
        [
            Lead("Альфа", moscow_phone(1), priority=3),
            Lead("Бета", moscow_phone(2), priority=2),
            Lead("Гамма", moscow_phone(3), priority=1),
        ]
    )
    app = desk.app()
    async with app.run_test(size=SIZE) as pilot:
        await open_dnc(pilot)
        assert phones_shown(app) == []
        assert "The do-not-call list is empty" in text_of(app, "#list-empty")

        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await type_text(pilot, "8 (495) 100-00-01")  # Альфа, the first lead anyone gets
        await pilot.press("enter")
        await type_text(pilot, "просили не звонить")
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, DncScreen)
        assert phones_shown(app) == ["+74951000001"]
        assert any("added 8 (495) 100-00-01" in message for message in notifications(app))
        entry = DncEntry.get(DncEntry.phone_e164 == "+74951000001")
        assert (entry.reason, entry.added_by.login) == ("просили не звонить", "sveta")
        assert AuditEvent.select().where(AuditEvent.action == "dnc.add").count() == 1

    # every agent takes leads until nothing is left: Альфа is never among them
    settings = desk.workspace.settings
    agents = [desk.users["anna"].id, desk.users["boris"].id, add_user("gleb", "Gleb").id]
    served = [claim_next_lead(agent, settings, now=WEDNESDAY_10_MSK) for agent in agents]
    assert [claim.lead_id if claim else None for claim in served] == [
        desk.lead_id("Бета"),
        desk.lead_id("Гамма"),
        None,
    ]


async def test_removing_a_number_asks_why(desk: Desk):
    supervisor_desk(desk)
    app = desk.app()
    async with app.run_test(size=SIZE) as pilot:
        await open_dnc(pilot)
        for phone in ("+7 495 100-00-05", "+7 495 100-00-06"):
            await pilot.press("a")
            await settle(pilot)
            await type_text(pilot, phone)
            await pilot.press("enter", "enter")
            await settle(pilot)
        assert sorted(phones_shown(app)) == ["+74951000005", "+74951000006"]

        await pilot.press("slash")  # find one
        await type_text(pilot, "100-00-06")
        await pilot.press("enter")
        await settle(pilot)
        assert phones_shown(app) == ["+74951000006"]

        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press("enter")  # no reason: refused
        await settle(pilot)
        assert "required" in text_of(app, "#form-error")
        await type_text(pilot, "добавлен по ошибке")
        await pilot.press("enter")
        await settle(pilot)

        assert phones_shown(app) == []
        assert [e.phone_e164 for e in DncEntry.select()] == ["+74951000005"]
        removal = AuditEvent.get(AuditEvent.action == "dnc.remove")
        assert removal.details["reason"] == "добавлен по ошибке"


async def test_import_numbers_from_a_file(desk: Desk):
    supervisor_desk(desk)
    path = desk.folder / "отказники.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Телефон"])
        writer.writerows([["8 495 100-00-07"], ["+7 (495) 100-00-08"], ["не номер"]])
    app = desk.app()
    async with app.run_test(size=SIZE) as pilot:
        await open_dnc(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DncImportScreen)
        await type_text(pilot, str(path))
        await pilot.press("enter", "enter")  # the reason offered: "imported from …"
        await wait_for(pilot, lambda: screen.finished)
        await settle(pilot)
        assert "2 numbers added · 0 already listed · 1 not a number" in text_of(
            app, "#import-report"
        )
        assert sorted(e.phone_e164 for e in DncEntry.select()) == ["+74951000007", "+74951000008"]
        await pilot.press("escape")
        await settle(pilot)
        assert sorted(phones_shown(app)) == ["+74951000007", "+74951000008"]


def test_search_digits_reads_a_national_number_as_international():
    assert search_digits("8 (495) 100-00-01") == "74951000001"
    assert search_digits("100-00") == "10000"
    assert search_digits("+7 495") == "7495"
