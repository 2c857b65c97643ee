"""The desk changes its language after the import: labels of keys (ours and Textual's), the
command palette and its commands follow the language spoken when they are shown."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input
from tui_helpers import Desk, settle

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
