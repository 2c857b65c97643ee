"""The same desk in a terminal (Textual's headless driver), for comparing with the browser:
sign in as LOGIN with PASSWORD, wait for the call screen (the lead the browser tab holds
comes back to the same agent), print the screen's text. The desk runs as a browser tab
runs it (web mode's keys), in a terminal.

    python web_terminal_screen.py DB CONFIG LOGIN PASSWORD COLS ROWS
"""

from __future__ import annotations

import asyncio
import io
import sys

from rich.console import Console

from tmdesk.services.workspace import open_workspace
from tmdesk.tui.app import BrowserTab, make_app
from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.password import PasswordDialog


async def main(db: str, config: str, login: str, password: str, cols: int, rows: int) -> None:
    # with the browser's keys (alt+f5 for wrong number …), so the key bars compare too
    app = make_app(open_workspace(db, config), agent_login=login, browser=BrowserTab("127.0.0.1"))
    async with app.run_test(size=(cols, rows)) as pilot:
        while not isinstance(app.screen, PasswordDialog):
            await pilot.pause(0.05)
        await pilot.press(*password, "enter")
        while not isinstance(app.screen, CallScreen) or app.focused is None:
            await pilot.pause(0.05)
        app.clear_notifications()  # "your notes are back": the browser has none
        await pilot.pause(0.5)
        console = Console(
            width=cols, height=rows, file=io.StringIO(), record=True, legacy_windows=False
        )
        console.print(app.screen._compositor.render_update(full=True))
        print(console.export_text(), end="")


if __name__ == "__main__":
    db, config, login, password, cols, rows = sys.argv[1:7]
    asyncio.run(main(db, config, login, password, int(cols), int(rows)))
