"""Widgets removed from a screen that stays, and the header of a closed screen, are freed:
Textual keeps them referenced from its watchers and signals until `let_go` drops that."""

from __future__ import annotations

import gc
import weakref

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static, TextArea

from tmdesk.tui.dead_widgets import let_go


class Headed(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield TextArea("agenda")


class Desk(App[None]):
    def compose(self) -> ComposeResult:
        yield Vertical(id="host")
        yield Footer()


async def test_removed_fields_and_a_closed_screens_header_are_freed():
    app = Desk()
    async with app.run_test() as pilot:
        # a form opened and closed on a screen that stays (the call screen's qualification)
        form = Vertical(Input(), TextArea())
        await app.query_one("#host").mount(form)
        await pilot.pause()
        fields = [weakref.ref(field) for field in form.children]
        await form.remove()
        del form
        await app.query_one("#host").mount(Static("the lead again"))  # laid out anew
        await pilot.pause()
        await app.push_screen(Headed())
        await pilot.pause()
        header = weakref.ref(app.screen.query_one(Header))
        app.pop_screen()
        await pilot.pause()
        gc.collect()
        # Textual alone keeps them: the screen's signal, the app's title and theme watchers
        assert all(ref() is not None for ref in [*fields, header])

        assert let_go(app) >= 3
        gc.collect()
        assert all(ref() is None for ref in [*fields, header])
        assert let_go(app) == 0


async def test_what_removed_widgets_painted_is_freed():
    app = Desk()
    async with app.run_test() as pilot:
        lines = Vertical(*(Static(f"line {n}") for n in range(10)))  # all on screen
        await app.query_one("#host").mount(lines)
        await pilot.pause()  # painted: Textual's colour cache has met each line's renderer
        renderers = [weakref.ref(line._styles_cache) for line in lines.children]
        await lines.remove()
        del lines
        await app.query_one("#host").mount(Static("the lead again"))  # laid out anew
        await pilot.pause()
        gc.collect()
        assert all(ref() is not None for ref in renderers)  # the cache keeps them all

        let_go(app)
        gc.collect()
        # the ten renderers, each with the lines it painted, are freed
        assert all(ref() is None for ref in renderers)
