"""The desk in a process of its own, for the kill test: sign in, take a lead, type notes,
wait until the draft is in the database, print "ready", then wait to be killed.

    python desk_process.py DB LOGIN NOTES NOW_ISO
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from textual.worker import WorkerState

from tmdesk.services.calls import lead_card
from tmdesk.services.workspace import open_workspace
from tmdesk.tui.app import make_app
from tmdesk.tui.desk.call import CallScreen


async def main(db: str, login: str, notes: str, now: datetime) -> None:
    app = make_app(open_workspace(db), agent_login=login, clock=lambda: now)
    async with app.run_test(size=(120, 40)) as pilot:
        # ctrl+n is ignored while the queue is still starting: press again until it opens
        while not isinstance(app.screen, CallScreen):
            if app.agent is not None and not any(
                worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in app.workers
            ):
                await pilot.press("ctrl+n")
            await pilot.pause(0.1)
        while app.focused is None or app.focused.id != "notes":  # the lead is shown
            await pilot.pause(0.05)
        await pilot.press(*("space" if ch == " " else ch for ch in notes))
        lead_id = app.screen.lead_id
        while lead_card(lead_id).notes_draft != notes:  # the typing pause saved it
            await pilot.pause(0.05)
        print("ready", lead_id, flush=True)
        while True:
            await asyncio.sleep(1)


if __name__ == "__main__":
    db, login, notes, now = sys.argv[1:5]
    asyncio.run(main(db, login, notes, datetime.fromisoformat(now)))
