"""The views opened from the queue: my callbacks, today's calls, and lead search."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import DataTable, Input

from tmdesk.domain.phones import national_format
from tmdesk.i18n import _
from tmdesk.tui.desk.call_display import (
    clock_label,
    disposition_label,
    short_time,
    status_label,
)
from tmdesk.tui.desk.queue_table import clip
from tmdesk.tui.desk.work import callbacks_for, list_calls, search_leads, search_term
from tmdesk.tui.paged_list import PagedListScreen, Row
from tmdesk.tui.work import today

SEARCH_DELAY = 0.5  # seconds after the last keystroke


def _cell(text: str, width: int = 40, style: str = "") -> Text:
    # Text, never str: a DataTable reads a str cell as markup
    return Text(clip(text, width), style=style)


class CallbacksScreen(PagedListScreen):
    """The agent's own callbacks and recalls, due ones first, with the lead's local time."""

    def title_text(self) -> str:
        return _("My callbacks and recalls · in your time ({zone}), the lead's beside it").format(
            zone=self.agent.time_zone
        )

    def columns(self) -> list[tuple[str, str]]:
        return [
            ("due", _("When")),
            ("state", ""),
            ("lead_time", _("Lead's time")),
            ("kind", _("Kind")),
            ("company", _("Company")),
            ("contact", _("Contact")),
            ("phone", _("Phone")),
            ("note", _("Agreed")),
        ]

    def read(self, limit: int, offset: int, now: datetime) -> list[Row]:
        rows: list[Row] = []
        for entry in callbacks_for(self.agent.id, now, limit=limit, offset=offset):
            rows.append(
                (
                    entry.lead_id,
                    [
                        _cell(clock_label(entry.due_at, self.agent.time_zone)),
                        _cell(_("due") if entry.due else "", style="bold" if entry.due else ""),
                        _cell(short_time(entry.due_at, entry.zone)),
                        _cell(_("callback") if entry.kind == "callback" else _("recall")),
                        _cell(entry.company, 30),
                        _cell(entry.contact, 22),
                        _cell(national_format(entry.phone_e164)),
                        _cell(entry.note, 40),
                    ],
                )
            )
        return rows

    def empty_text(self) -> str:
        return _("No callbacks of yours. The callbacks you agree on a call come here.")


class CallsTodayScreen(PagedListScreen):
    """The calls the agent recorded today (in their own time zone)."""

    def title_text(self) -> str:
        return _("My calls today")

    def columns(self) -> list[tuple[str, str]]:
        return [
            ("at", _("Time")),
            ("company", _("Company")),
            ("phone", _("Phone")),
            ("outcome", _("Outcome")),
            ("note", _("Note")),
        ]

    def read(self, limit: int, offset: int, now: datetime) -> list[Row]:
        zone = self.agent.time_zone
        calls = list_calls(
            today(zone, now), zone, agent_login=self.agent.login, limit=limit, offset=offset
        )
        return [
            (
                call.lead_id,
                [
                    _cell(clock_label(call.at, zone)),
                    _cell(call.company, 34),
                    _cell(national_format(call.phone_e164)),
                    _cell(disposition_label(call.disposition)),
                    _cell(call.note, 50),
                ],
            )
            for call in calls
        ]

    def empty_text(self) -> str:
        return _("No calls recorded today yet.")


class SearchScreen(PagedListScreen):
    """Leads by phone (any format, also alternates or part of a number) or by name."""

    BINDINGS = [
        Binding("down", "to_results", show=False),
    ]

    def __init__(self, agent) -> None:
        super().__init__(agent)
        self.text = ""
        self._typing: Timer | None = None
        self._to_results = False

    def title_text(self) -> str:
        return _("Search leads")

    def compose_top(self) -> ComposeResult:
        yield Input(
            placeholder=_("A phone in any format, or part of a company or contact name"),
            id="search-text",
        )

    def initial_focus(self) -> Input:
        return self.query_one("#search-text", Input)

    def columns(self) -> list[tuple[str, str]]:
        return [
            ("company", _("Company")),
            ("contact", _("Contact")),
            ("phone", _("Phone")),
            ("status", _("Status")),
            ("list", _("List")),
            ("attempts", _("Calls")),
            ("last", _("Last call")),
            ("next", _("Next call")),
        ]

    def read(self, limit: int, offset: int, now: datetime) -> list[Row]:
        zone = self.agent.time_zone
        found = search_leads(
            self.text, self.desk.settings.default_region, limit=limit, offset=offset
        )
        return [
            (
                lead.lead_id,
                [
                    _cell(lead.company, 34),
                    _cell(lead.contact, 22),
                    _cell(national_format(lead.phone_e164)),
                    _cell(status_label(lead.status)),
                    _cell(lead.list_name, 16),
                    Text(str(lead.attempts), justify="right"),
                    _cell(clock_label(lead.last_attempt_at, zone) if lead.last_attempt_at else ""),
                    _cell(clock_label(lead.next_call_at, zone) if lead.next_call_at else ""),
                ],
            )
            for lead in found
        ]

    def empty_text(self) -> str:
        term = search_term(self.text, self.desk.settings.default_region)
        if term.kind == "empty":
            return _("Type a phone number (any format) or part of a company or contact name.")
        if term.kind == "phone":
            return _("No lead has the number {phone}.").format(phone=national_format(term.value))
        if term.kind == "digits":
            return _("No lead's number contains {digits}.").format(digits=term.value)
        return _("No company or contact contains “{text}”.").format(text=term.value)

    @on(Input.Changed, "#search-text")
    def typed(self, event: Input.Changed) -> None:
        if self._typing is not None:
            self._typing.stop()
        self._typing = self.set_timer(SEARCH_DELAY, lambda: self.search(event.value))

    @on(Input.Submitted, "#search-text")
    def submitted(self, event: Input.Submitted) -> None:
        if self._typing is not None:
            self._typing.stop()
        self._to_results = True  # Enter: search now, then move to the results
        self.text = event.value
        self.load(0)

    def search(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.load(0)

    def loaded(self, rows: int) -> None:
        if self._to_results and rows:
            self.query_one("#list-table", DataTable).focus()
        self._to_results = False

    def action_to_results(self) -> None:
        self.query_one("#list-table", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_results":
            return self.query_one("#search-text", Input).has_focus
        return super().check_action(action, parameters)
