"""The desk in a process of its own, dialling through the PBX: sign in, take a lead, ctrl+d,
wait until the lead's number rings, print "ringing LEAD_ID", then wait to be killed.

    python pbx_desk_process.py DB CONFIG LOGIN NOW_ISO
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from textual.worker import WorkerState

from tmdesk.services.workspace import open_workspace
from tmdesk.tui.app import make_app
from tmdesk.tui.desk.call import CallScreen


async def main(db: str, config: str, login: str, now: datetime) -> None:
    app = make_app(open_workspace(db, config), agent_login=login, clock=lambda: now)
    async with app.run_test(size=(120, 40)) as pilot:
        while not isinstance(app.screen, CallScreen):
            if app.agent is not None and not any(
                worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in app.workers
            ):
                await pilot.press("ctrl+n")
            await pilot.pause(0.1)
        while app.focused is None or app.focused.id != "notes":  # the lead is shown
            await pilot.pause(0.05)
        await pilot.press("ctrl+d")
        while not str(app.screen.query_one("#pbx-state").content).startswith("Ringing"):
            await pilot.pause(0.05)
        print("ringing", app.screen.lead_id, flush=True)
        while True:
            await asyncio.sleep(1)


if __name__ == "__main__":
    db, config, login, now = sys.argv[1:5]
    asyncio.run(main(db, config, login, datetime.fromisoformat(now)))
