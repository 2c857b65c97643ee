"""The desk changes its language after the import: labels of keys (ours and Textual's), the
command palette and its commands follow the language spoken when they are shown."""

from __future__ import annotations

import html
import re

from textual.command import CommandList, CommandPalette
from textual.widgets import HelpPanel, Input
from tui_helpers import Desk, settle, type_text

from tmdesk import i18n
from tmdesk.tui.textual_words import missing


def footer_labels(app) -> set[str]:
    return {active.binding.description for active in app.screen.active_bindings.values()}


async def test_key_labels_follow_the_language_of_the_moment(desk: Desk, russian):
    app = desk.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        labels = footer_labels(app)
        assert {"Выход", "Клавиши", "Команды"} <= labels  # ours, and Textual's ctrl+p
        assert "Удалить символ слева" in labels  # Textual's Input, shown by F1
        i18n.use_language("en")
        assert {"Quit", "Keys", "palette", "Delete character left"} <= footer_labels(app)


async def test_the_command_palette_speaks_russian(desk: Desk, russian):
    app = desk.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Тема", "Выход", "Клавиши", "Снимок экрана"} <= titles
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        assert str(app.screen.query_one(Input).placeholder) == "Что вы хотите сделать?"


def test_every_label_of_textuals_keys_is_in_the_catalogue():
    """A Textual upgrade that adds a key label shows it here (add it to textual_words)."""
    assert missing() == []


async def test_the_palette_says_no_matches_in_the_desks_language(desk: Desk, russian):
    app = desk.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "щщщ")
        await pilot.pause(0.8)  # Textual waits half a second before saying so
        shown = app.screen.query_one(CommandList)
        prompts = [str(shown.get_option_at_index(i).prompt) for i in range(shown.option_count)]
        assert any("Ничего не найдено" in prompt for prompt in prompts), prompts
        assert not any("No matches" in prompt for prompt in prompts)


async def test_the_keys_panel_heads_textuals_input_keys_in_the_desks_language(desk: Desk, russian):
    app = desk.app()  # the sign-in: its login field has the focus
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert app.screen.query(HelpPanel)
        shown = _screen_text(app)
        assert "Поле ввода" in shown and "Input" not in shown
        i18n.use_language("en")
        assert app.screen.focused.BINDING_GROUP_TITLE == "Input"


def _screen_text(app) -> str:
    """The words on the screen, as the SVG screenshot has them (spaces as spaces)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
