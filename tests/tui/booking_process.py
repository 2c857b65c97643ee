"""Another agent's connection, in a process of its own: book one slot and say how it went.

    python booking_process.py DB LEAD_ID AGENT_ID SPECIALIST_ID STARTS_AT_ISO NOW_ISO

Prints "booked" or "taken".
"""

from __future__ import annotations

import sys
from datetime import datetime

from tmdesk.services.booking import SlotTaken, book_meeting
from tmdesk.services.workspace import open_workspace


def main(
    db: str, lead_id: str, agent_id: str, specialist_id: str, starts_at: str, now: str
) -> None:
    workspace = open_workspace(db)
    try:
        book_meeting(
            int(lead_id),
            int(agent_id),
            int(specialist_id),
            datetime.fromisoformat(starts_at),
            workspace.settings,
            now=datetime.fromisoformat(now),
        )
    except SlotTaken:
        print("taken")
    else:
        print("booked")


if __name__ == "__main__":
    main(*sys.argv[1:])
