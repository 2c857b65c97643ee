"""The desk's footer composes its keys again only when they change: a key pressed that
changes nothing the footer shows leaves its keys as they are (the same widgets), and a key
that disables an action dims it in the footer, as Textual's own footer does."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from tmdesk.tui.desk.desk_footer import SteadyFooter


class Keys(App[None]):
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("f2", "save", "Save"),
        Binding("f3", "lock", "Lock"),
        Binding("f4", "nothing", "Nothing"),
    ]
    locked = False

    def compose(self) -> ComposeResult:
        yield Input(id="first")
        yield Input(id="second")
        yield SteadyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "save" and self.locked else True

    def action_lock(self) -> None:
        self.locked = not self.locked
        self.refresh_bindings()

    def action_nothing(self) -> None:
        self.refresh_bindings()  # says the bindings may have changed; none did


def shown(app: App[None]) -> dict[str, bool]:
    """The footer's keys, each enabled or not."""
    return {key.key: "-disabled" not in key.classes for key in app.screen.query(FooterKey)}


async def test_the_footer_keeps_its_keys_while_they_stay_the_same_and_shows_a_change():
    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert shown(app) == {"f2": True, "f3": True, "f4": True}
        before = list(app.screen.query(FooterKey))

        await pilot.press("f4")  # bindings refreshed, nothing changed
        await pilot.press("tab")  # the focus moved: the same keys apply
        await pilot.pause()
        assert list(app.screen.query(FooterKey)) == before  # not composed again

        await pilot.press("f3")  # save is locked: dimmed in the footer
        await pilot.pause()
        assert shown(app) == {"f2": False, "f3": True, "f4": True}

        await pilot.press("f3")
        await pilot.pause()
        assert shown(app) == {"f2": True, "f3": True, "f4": True}
