"""Files to the supervisor's browser: the export, the rejected rows of the latest import and
a backup, through the services, delivered with deliver_binary (caught here)."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from supervisor_data import settle, sign_in_as_supervisor, supervisor_desk
from textual.widgets import OptionList
from tui_helpers import make_desk, moscow_phone, text_of, wait_for
from web_data import qualify_now

from tmdesk.config import Settings
from tmdesk.services.handoff import default_file_name
from tmdesk.services.importing import import_call_list
from tmdesk.services.review import approve
from tmdesk.store.models import ExportBatch, Qualification
from tmdesk.tui.app import BrowserTab, make_app
from tmdesk.tui.supervisor.files import FilesScreen
from tmdesk.tui.supervisor.home import SupervisorScreen

SIZE = (120, 40)
ALL_DAY = Settings().with_(
    calling_window=Settings().calling_window.from_mapping({"mon-sun": "00:00-24:00"})
)


def browser_app(desk):
    app = make_app(desk.workspace, browser=BrowserTab("10.0.0.7"))
    delivered: list[tuple[Path, str, bytes]] = []

    def deliver_binary(path, *, save_filename=None, mime_type=None, **_ignored):
        delivered.append((Path(path), save_filename, Path(path).read_bytes()))

    app.deliver_binary = deliver_binary
    return app, delivered


async def open_files(pilot) -> None:
    await sign_in_as_supervisor(pilot)
    assert isinstance(pilot.app.screen, SupervisorScreen)
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FilesScreen)


async def choose(pilot, option_id: str) -> None:
    menu = pilot.app.screen.query_one("#files-menu", OptionList)
    menu.highlighted = menu.get_option_index(option_id)
    await pilot.press("enter")
    await settle(pilot)


async def test_export_rejects_and_backup_reach_the_browser(tmp_path):
    desk = make_desk(tmp_path / "t.db", tmp_path, settings=ALL_DAY)
    supervisor_desk(desk)
    source = tmp_path / "осень.csv"
    source.write_text(
        f"Компания,Телефон\nАльфа,{moscow_phone(1)}\nБета,{moscow_phone(2)}\nПусто,12\n",
        encoding="utf-8",
    )
    report = import_call_list(source, list_name="Осень", user_id=desk.users["sveta"].id)
    assert report.rejects_path and Path(report.rejects_path).name == "осень.rejects.csv"
    app, delivered = browser_app(desk)
    async with app.run_test(size=SIZE) as pilot:
        await open_files(pilot)
        await choose(pilot, "export-csv")  # nothing approved yet: the CLI's refusal
        assert text_of(app, "#files-status") == "nothing is ready for handoff"
        assert delivered == [] and ExportBatch.select().count() == 0

        lead_id = qualify_now(desk)
        qualification = Qualification.get(Qualification.lead == lead_id)
        approve(qualification.id, desk.users["sveta"].id)
        await choose(pilot, "export-csv")
        await wait_for(pilot, lambda: delivered)
        path, name, content = delivered[-1]
        assert name == default_file_name(1, "csv") == path.name == "handoff-00001.csv"
        rows = list(csv.DictReader(content.decode("utf-8-sig").splitlines()))
        assert [row for row in rows if "Альфа" in row.values()], rows
        assert len(rows) == 1
        assert "Sent handoff-00001.csv to your browser: batch 1, 1 lead" in text_of(
            app, "#files-status"
        )

        await choose(pilot, "rejects")
        await wait_for(pilot, lambda: len(delivered) == 2)
        path, name, content = delivered[-1]
        assert (
            name == Path(report.rejects_path).name
            and b"\xd0\x9f\xd1\x83\xd1\x81\xd1\x82\xd0\xbe" in content
        )  # Пусто

        await choose(pilot, "backup")
        await wait_for(pilot, lambda: len(delivered) == 3)
        path, name, content = delivered[-1]
        assert name.startswith("tmdesk-backup-") and name.endswith(".db")
        assert content.startswith(b"SQLite format 3")
        with sqlite3.connect(path) as copy:
            assert copy.execute("SELECT count(*) FROM lead").fetchone() == (2,)


async def test_a_terminal_desk_offers_no_files_part(tmp_path):
    desk = make_desk(tmp_path / "t.db", tmp_path)
    supervisor_desk(desk)
    app = desk.app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as_supervisor(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, SupervisorScreen)
        menu = app.screen.query_one("#workspace-menu", OptionList)
        assert "workspace-files" not in [
            menu.get_option_at_index(i).id for i in range(menu.option_count)
        ]
