"""Keys come from the key map: ids on every Binding, and the user's remapping works."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import HelpPanel
from tui_helpers import Desk, Lead, column, make_desk, moscow_phone, settle, type_text

from tmdesk.config import Settings
from tmdesk.services.keymap import ACTIONS_BY_ID, KeymapError
from tmdesk.tui.app import DeskApp
from tmdesk.tui.booking.panel import BookingPanel
from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.desk.lead_preview import LeadPreviewScreen, SwitchLeadDialog
from tmdesk.tui.desk.lists import SearchScreen
from tmdesk.tui.desk.queue import QueueScreen
from tmdesk.tui.sign_in import SignInScreen
from tmdesk.tui.supervisor.call_lists import CallListsScreen
from tmdesk.tui.supervisor.dnc import DncScreen
from tmdesk.tui.supervisor.figures import FiguresScreen
from tmdesk.tui.supervisor.home import SupervisorScreen
from tmdesk.tui.supervisor.review import ReviewScreen
from tmdesk.tui.supervisor.review_detail import ReviewDetailScreen

SIZE = (160, 48)
# the screens and dialogs with key map ids besides the queue and the call screen
WORKSPACE_SCREENS = (
    SupervisorScreen,
    ReviewScreen,
    ReviewDetailScreen,
    FiguresScreen,
    CallListsScreen,
    DncScreen,
    BookingPanel,
    LeadPreviewScreen,
    SwitchLeadDialog,
)


def test_every_desk_action_has_a_binding_with_its_id():
    bindings = (
        DeskApp.BINDINGS
        + QueueScreen.BINDINGS
        + CallScreen.BINDINGS
        + [binding for screen in WORKSPACE_SCREENS for binding in screen.BINDINGS if binding.id]
    )
    assert {b.id for b in bindings} == set(ACTIONS_BY_ID)
    assert all(b.tooltip for b in bindings)
    assert {b.id for b in QueueScreen.BINDINGS} == {
        "next-lead",
        "refresh",
        "page-down",
        "page-up",
        "callbacks",
        "calls-today",
        "search",
        "undo",
        "supervisor-workspace",
    }


async def test_a_remapped_outcome_key_works_and_is_shown_in_the_bar(tmp_path):
    desk = make_desk(
        tmp_path / "t.db", tmp_path, settings=Settings().with_(keys={"dispo-busy": "f12"})
    )
    desk.import_leads([Lead("Альфа", moscow_phone(1), priority=1), Lead("Бета", moscow_phone(2))])
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert str(app.screen.query_one("#bar-dispo-busy").content) == "f12 Busy"
        await pilot.press("f3")  # no longer busy
        await settle(pilot)
        assert desk.lead("Альфа").status == "in_progress"
        await pilot.press("f12")
        await settle(pilot)
        assert desk.lead("Альфа").status == "retry"


async def remapped_refresh(desk: Desk) -> None:
    desk.import_leads([Lead("Альфа", moscow_phone(1))])
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert column(app, "company") == ["Альфа"]
        desk.import_leads([Lead("Бета", moscow_phone(2))], list_name="Зима")

        await pilot.press("ctrl+r")  # the default key no longer refreshes
        await settle(pilot)
        assert column(app, "company") == ["Альфа"]

        await pilot.press("f6")
        await settle(pilot)
        assert column(app, "company") == ["Альфа", "Бета"]
        # and the footer shows the key that works
        shown = {key: active.binding.id for key, active in app.screen.active_bindings.items()}
        assert shown.get("f6") == "refresh" and "ctrl+r" not in shown


async def test_a_key_remapped_in_settings_works(tmp_path):
    await remapped_refresh(
        make_desk(tmp_path / "t.db", tmp_path, settings=Settings().with_(keys={"refresh": "f6"}))
    )


async def test_a_key_remapped_in_the_config_file_works(tmp_path):
    config = tmp_path / "tmdesk.toml"
    config.write_text('[keys]\nrefresh = "f6"\n', encoding="utf-8")
    await remapped_refresh(make_desk(tmp_path / "t.db", tmp_path, config=config))


def test_a_clashing_remap_is_refused_before_the_desk_starts(tmp_path):
    desk = make_desk(tmp_path / "t.db", tmp_path, settings=Settings().with_(keys={"refresh": "f1"}))
    with pytest.raises(KeymapError, match="f1"):
        desk.app()


async def test_a_remapped_app_key_works_on_every_screen(tmp_path):
    desk = make_desk(
        tmp_path / "t.db",
        tmp_path,
        settings=Settings().with_(keys={"sign-out": "ctrl+g", "quit": "ctrl+x"}),
    )
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        await pilot.press("ctrl+q")  # Textual's own quit key is gone with the remap
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+x")
        await pilot.pause()
        assert not app.is_running


async def test_f1_shows_and_hides_the_keys(desk: Desk):
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.query(HelpPanel)
        await pilot.press("f1")
        await pilot.pause()
        assert not app.screen.query(HelpPanel)


async def palette_prompts(pilot, query: str) -> list[str]:
    """Open the command palette, type a query, and read what it offers."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    await type_text(pilot, query)
    await pilot.pause(0.3)  # the palette searches in the background
    options = pilot.app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_palette_lists_the_keys_of_the_screen_and_runs_one(tmp_path):
    desk = make_desk(tmp_path / "t.db", tmp_path, settings=Settings().with_(keys={"search": "f6"}))
    desk.import_leads([Lead("Альфа", moscow_phone(1))])
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        found = await palette_prompts(pilot, "search")
        # the queue's own action, with the key the user set and its tooltip
        assert any("Search" in text and "f6" in text and "phone" in text for text in found)
        await pilot.press("escape")
        # the call screen's actions are not offered on the queue
        assert not any("Release" in text for text in await palette_prompts(pilot, "release"))
        await pilot.press("escape")
        await palette_prompts(pilot, "search")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
