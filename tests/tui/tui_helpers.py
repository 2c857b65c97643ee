"""Helpers of the TUI tests: a desk on a temporary file database, with a fixed clock.

The database is a file, never :memory: — the screens read it from thread workers, which
use their own connections. Leads come in through the real importer, from small CSV files.
"""

from __future__ import annotations

import asyncio
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
from tmdesk.store.models import Lead as LeadRecord
from tmdesk.tui.app import DeskApp, make_app
from tmdesk.tui.booking.offer import BookingOffer

# Wednesday 10:00 in Moscow: the calling window is open from Kaliningrad to Kamchatka.
WEDNESDAY_10_MSK = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
# Wednesday 08:00 in Moscow: 17:00 in Kamchatka (open), 07:00 in Kaliningrad (closed).
WEDNESDAY_08_MSK = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)
# Sunday noon in Moscow: no calling window anywhere by default.
SUNDAY_NOON_MSK = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)

HEADERS = ("Компания", "Контакт", "Телефон", "Приоритет")
# written only when some lead has a value for them
OPTIONAL_HEADERS = {
    "position": "Должность",
    "email": "Email",
    "city": "Город",
    "comment": "Комментарий",
    "industry": "Отрасль",
}


def moscow_phone(n: int) -> str:
    """A distinct valid Moscow landline for lead number n."""
    return f"+7 495 {1_000_000 + n:07d}"


@dataclass
class Lead:
    company: str
    phone: str
    contact: str = "Иван Петров"
    priority: int = 0
    position: str = ""
    email: str = ""
    city: str = ""
    comment: str = ""
    industry: str = ""  # an extra column the importer keeps as it is


@dataclass
class Desk:
    """A workspace with three users (agents anna and boris, supervisor sveta)."""

    workspace: Workspace
    folder: Path
    users: dict[str, UserInfo]

    def import_leads(self, leads: Iterable[Lead], list_name: str = "Осень") -> ImportReport:
        leads = list(leads)
        path = self.folder / f"{list_name}-{len(list(self.folder.glob('*.csv')))}.csv"
        optional = [name for name in OPTIONAL_HEADERS if any(getattr(lead, name) for lead in leads)]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS + tuple(OPTIONAL_HEADERS[name] for name in optional))
            for lead in leads:
                writer.writerow(
                    (
                        lead.company,
                        lead.contact,
                        lead.phone,
                        lead.priority,
                        *(getattr(lead, name) for name in optional),
                    )
                )
        # as a supervisor would (once one has a password, no one else may import)
        supervisor = next(
            (user.id for user in self.users.values() if user.role == "supervisor"), None
        )
        report = import_call_list(path, list_name=list_name, user_id=supervisor)
        assert report.errors == (), report.errors
        return report

    def app(self, *, now: datetime = WEDNESDAY_10_MSK, agent: str | None = None) -> DeskApp:
        app = make_app(self.workspace, agent_login=agent, clock=lambda: now)
        # a notice shown for 5 s may be gone before a test on a loaded machine reads it
        app.NOTIFICATION_TIMEOUT = 600
        return app

    def lead_id(self, company: str) -> int:
        return LeadRecord.get(LeadRecord.company == company).id

    def lead(self, company: str) -> LeadRecord:
        return LeadRecord.get(LeadRecord.company == company)


def make_desk(
    db: Path | str, folder: Path, settings: Settings | None = None, config: Path | None = None
) -> Desk:
    # queue_service caches the zone sets open now by settings object and highest zone set
    # id, not by database: a fresh database per test must not see the last test's cache.
    queue_service._zone_cache.clear()
    workspace = open_workspace(db, config, settings=settings)
    users = {
        user.login: user
        for user in (
            add_user("anna", "Anna Petrova"),
            add_user("boris", "Boris Ivanov"),
            add_user("sveta", "Svetlana Orlova", role="supervisor"),
        )
    }
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


def offer_asked(app: DeskApp) -> bool:
    """The booking is offered on the call screen, the offer holding the keys."""
    return isinstance(app.focused, BookingOffer) and app.focused.asking


def text_of(app: DeskApp, selector: str) -> str:
    """The plain text of a Static on the current screen."""
    return str(app.screen.query_one(selector).content)


def column(app: DeskApp, key: str) -> list[str]:
    """The plain text of one column of the queue table, top to bottom."""
    table = app.screen.query_one("#queue-table")
    return [cell.plain for cell in table.get_column(key)]


async def wait_for(pilot: Pilot, condition, timeout: float = 10.0) -> None:
    """Pause until `condition()` holds (real time passes: timers and debounces run)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.05)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type text key by key, as a user does."""
    await pilot.press(*("space" if ch == " " else ch for ch in text))


def screen_texts(app: DeskApp) -> str:
    """Every Static's text on the current screen, one per line."""
    from textual.widgets import Static

    return "\n".join(str(static.content) for static in app.screen.query(Static))


def notifications(app: DeskApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def said(app: DeskApp) -> list[str]:
    """Every notification the app gives, kept: a notice expires after its timeout, and a
    loaded machine can take longer than that to reach the assertion."""
    told: list[str] = []
    notify = app.notify

    def keep(message, *args, **kwargs):
        told.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = keep  # type: ignore[method-assign]
    return told
