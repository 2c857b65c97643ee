"""The desk in a process of its own, for the kill test of the qualification form: sign in,
take a lead, open the form with F10, answer with keys (one date typed wrong), add a person,
wait until the draft is in the database, print "ready", then wait to be killed.

    python qualification_process.py DB LOGIN NOW_ISO
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import datetime

from qualification_keys import FIT_AND_NOW, add_person, answer, keys_for, take_next_lead

from tmdesk.services.qualification import load_draft
from tmdesk.services.workspace import open_workspace
from tmdesk.tui.app import make_app
from tmdesk.tui.qualification.form import QualificationPanel

TYPED_DATE = "31.02"  # not a date: kept as typed
PERSON = ("Сидоров Пётр", "Главный инженер", "8 495 765-43-21", "")


def draft_complete(lead_id: int, agent_id: int) -> bool:
    draft = load_draft(lead_id, agent_id)
    return (
        draft is not None
        and draft.answers.get("need") is True
        and draft.typed.get("timeline") == TYPED_DATE
        and [p.name for p in draft.decision_makers] == [PERSON[0]]
    )


async def main(db: str, login: str, now: datetime) -> None:
    app = make_app(open_workspace(db), agent_login=login, clock=lambda: now)
    async with app.run_test(size=(120, 40)) as pilot:
        await take_next_lead(pilot)
        await pilot.press("f10")
        while not app.screen.query(QualificationPanel):
            await pilot.pause(0.05)
        await answer(pilot, FIT_AND_NOW[:6])  # up to "need": yes
        await answer(pilot, [("need_details", "цех")])
        await pilot.press(*keys_for(TYPED_DATE))  # the purchase date, typed wrong
        await add_person(pilot, *PERSON)
        lead_id, agent_id = app.screen.lead_id, app.agent.id
        deadline = time.monotonic() + 60
        while not draft_complete(lead_id, agent_id):  # the typing pause saved it
            if time.monotonic() > deadline:
                print(
                    "the draft was not saved as typed:",
                    load_draft(lead_id, agent_id),
                    file=sys.stderr,
                    flush=True,
                )
                sys.exit(1)
            await pilot.pause(0.05)
        print("ready", lead_id, flush=True)
        while True:
            await asyncio.sleep(1)


if __name__ == "__main__":
    db, login, now = sys.argv[1:4]
    asyncio.run(main(db, login, datetime.fromisoformat(now)))
