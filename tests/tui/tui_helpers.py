"""Helpers of the TUI tests: a desk on a temporary file database, with a fixed clock.

The database is a file, never :memory: — the screens read it from thread workers, which
use their own connections. Leads come in through the real importer, from small CSV files.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from tmdesk.config import Settings
from tmdesk.services import queue as queue_service
from tmdesk.services.importing import ImportReport, import_call_list
from tmdesk.services.users import UserInfo, add_user
from tmdesk.services.workspace import Workspace, open_workspace
from tmdesk.tui.app import DeskApp, make_app

# Wednesday 10:00 in Moscow: the calling window is open from Kaliningrad to Kamchatka.
WEDNESDAY_10_MSK = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
# Wednesday 08:00 in Moscow: 17:00 in Kamchatka (open), 07:00 in Kaliningrad (closed).
WEDNESDAY_08_MSK = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)
# Sunday noon in Moscow: no calling window anywhere by default.
SUNDAY_NOON_MSK = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)

HEADERS = ("Компания", "Контакт", "Телефон", "Приоритет")


def moscow_phone(n: int) -> str:
    """A distinct valid Moscow landline for lead number n."""
    return f"+7 495 {1_000_000 + n:07d}"


@dataclass
class Lead:
    company: str
    phone: str
    contact: str = "Иван Петров"
    priority: int = 0


@dataclass
class Desk:
    """A workspace with three users (agents anna and boris, supervisor sveta)."""

    workspace: Workspace
    folder: Path
    users: dict[str, UserInfo]

    def import_leads(self, leads: Iterable[Lead], list_name: str = "Осень") -> ImportReport:
        path = self.folder / f"{list_name}-{len(list(self.folder.glob('*.csv')))}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS)
            for lead in leads:
                writer.writerow((lead.company, lead.contact, lead.phone, lead.priority))
        report = import_call_list(path, list_name=list_name)
        assert report.errors == (), report.errors
        return report

    def app(self, *, now: datetime = WEDNESDAY_10_MSK, agent: str | None = None) -> DeskApp:
        return make_app(self.workspace, agent_login=agent, clock=lambda: now)


def make_desk(db: Path, folder: Path, settings: Settings | None = None,
              config: Path | None = None) -> Desk:
    # queue_service caches the zone sets open now by settings object and highest zone set
    # id, not by database: a fresh database per test must not see the last test's cache.
    queue_service._zone_cache.clear()
    workspace = open_workspace(db, config, settings=settings)
    users = {user.login: user for user in (
        add_user("anna", "Anna Petrova"),
        add_user("boris", "Boris Ivanov"),
        add_user("sveta", "Svetlana Orlova", role="supervisor"),
    )}
    return Desk(workspace, folder, users)


async def settle(pilot: Pilot) -> None:
    """Wait until background reads are done and their results are on screen."""
    app = pilot.app
    for _round in range(20):
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            break
        await app.workers.wait_for_complete()
    await pilot.pause()


def text_of(app: DeskApp, selector: str) -> str:
    """The plain text of a Static on the current screen."""
    return str(app.screen.query_one(selector).content)


def column(app: DeskApp, key: str) -> list[str]:
    """The plain text of one column of the queue table, top to bottom."""
    table = app.screen.query_one("#queue-table")
    return [cell.plain for cell in table.get_column(key)]
