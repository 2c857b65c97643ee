"""The views opened from the queue or over the open call: my callbacks, today's calls, and
lead search. Esc goes back to where the agent was; a lead found here can be taken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from tmdesk.domain.phones import national_format
from tmdesk.i18n import _
from tmdesk.tui.desk.call_display import (
    clock_label,
    disposition_label,
    short_time,
    status_label,
)
from tmdesk.tui.desk.lead_preview import LeadPreviewScreen, SwitchLeadDialog
from tmdesk.tui.desk.queue_table import clip
from tmdesk.tui.desk.work import (
    OpenLead,
    callbacks_for,
    list_calls,
    search_leads,
    search_term,
    take_found_lead,
)
from tmdesk.tui.paged_list import PagedListScreen, Row
from tmdesk.tui.work import UserInfo, today

if TYPE_CHECKING:
    from tmdesk.tui.desk.call import CallScreen

SEARCH_DELAY = 0.5  # seconds after the last keystroke


def _cell(text: str, width: int = 40, style: str = "") -> Text:
    # Text, never str: a DataTable reads a str cell as markup
    return Text(clip(text, width), style=style)


class DeskListScreen(PagedListScreen):
    """A list of the agent's desk: Enter shows a lead's card, which offers to take it."""

    @dataclass
    class Taken(Message):
        opened: OpenLead

    def open_lead(self, lead_id: int) -> None:
        preview = LeadPreviewScreen(lead_id, self.agent.time_zone, self.agent.id)

        def closed(take: bool | None) -> None:
            if take:
                found = preview.card.company if preview.card else str(lead_id)
                self.take(lead_id, " ".join(found.split()))

        self.app.push_screen(preview, closed)

    def call_screen(self) -> CallScreen | None:
        """The call screen under this list, when a lead is open."""
        from tmdesk.tui.desk.call import CallScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, CallScreen):
                return screen
        return None

    def take(self, lead_id: int, found: str) -> None:
        call = self.call_screen()
        if call is None:
            self.take_lead(lead_id, self.desk.clock())
            return

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            while self.app.screen is not call:
                self.app.pop_screen()
            if choice == "release":
                call.switch_to(lead_id)
            else:
                call.finish_then(lead_id, found)

        holding = " ".join(call.lead.card.company.split())
        self.app.push_screen(SwitchLeadDialog(holding, found), chosen)

    @work(thread=True, exclusive=True, group="take", exit_on_error=False)
    def take_lead(self, lead_id: int, now: datetime) -> None:
        opened = take_found_lead(self.agent.id, lead_id, None, self.desk.settings, now)
        self.post_message(self.Taken(opened))

    def on_desk_list_screen_taken(self, message: Taken) -> None:
        from tmdesk.tui.desk.call import CallScreen

        self.app.pop_screen()  # back to the queue, which the call screen goes back to
        self.app.push_screen(CallScreen(self.agent, message.opened))


class CallbacksScreen(DeskListScreen):
    """The agent's own callbacks and recalls, due ones first, with the lead's local time.
    Under the table, the highlighted one in full: contact, phone and what was agreed are
    never cut, however narrow the terminal."""

    # At 80 columns: when, contact, phone, what was agreed and the company, the last three
    # cut to fit ("…"; the detail under the table has them whole); a due one's time is bold.
    NARROW_LEFT_OUT = frozenset({"state", "lead_time", "kind"})
    NARROW_SHRINK = frozenset({"contact", "note", "company"})

    def __init__(self, agent: UserInfo) -> None:
        super().__init__(agent)
        self._details: dict[int, str] = {}

    def title_text(self) -> str:
        return _("My callbacks and recalls · in your time ({zone}), the lead's beside it").format(
            zone=self.agent.time_zone
        )

    def columns(self) -> list[tuple[str, str]]:
        return [
            ("due", _("When")),
            ("state", ""),
            ("contact", _("Contact")),
            ("phone", _("Phone")),
            ("note", _("Agreed")),
            ("company", _("Company")),
            ("lead_time", _("Lead's time")),
            ("kind", _("Kind")),
        ]

    def compose_bottom(self) -> ComposeResult:
        yield Static("", id="callback-detail")

    def read(self, limit: int, offset: int, now: datetime) -> list[Row]:
        rows: list[Row] = []
        for entry in callbacks_for(self.agent.id, now, limit=limit, offset=offset):
            self._details[entry.lead_id] = "\n".join(
                [
                    " · ".join(
                        part
                        for part in (
                            " ".join(entry.company.split()),
                            " ".join(entry.contact.split()),
                            national_format(entry.phone_e164),
                        )
                        if part
                    ),
                    _("Agreed: {note}").format(note=" ".join(entry.note.split()) or "—"),
                ]
            )
            rows.append(
                (
                    entry.lead_id,
                    [
                        _cell(
                            clock_label(entry.due_at, self.agent.time_zone),
                            style="bold" if entry.due else "",
                        ),
                        _cell(_("due") if entry.due else "", style="bold" if entry.due else ""),
                        _cell(entry.contact, 22),
                        _cell(national_format(entry.phone_e164)),
                        _cell(entry.note, 40),
                        _cell(entry.company, 30),
                        _cell(short_time(entry.due_at, entry.zone)),
                        _cell(_("callback") if entry.kind == "callback" else _("recall")),
                    ],
                )
            )
        return rows

    @on(DataTable.RowHighlighted, "#list-table")
    def show_detail(self, event: DataTable.RowHighlighted) -> None:
        lead_id = (
            self._lead_ids[event.cursor_row] if event.cursor_row < len(self._lead_ids) else None
        )
        detail = self.query_one("#callback-detail", Static)
        detail.update(Content(self._details.get(lead_id, "") if lead_id is not None else ""))

    def empty_text(self) -> str:
        return _("No callbacks of yours. The callbacks you agree on a call come here.")


class CallsTodayScreen(DeskListScreen):
    """The calls the agent recorded today (in their own time zone)."""

    # At 80 columns the phone is left out (Enter shows the lead's card with it), and the
    # company and the note are cut to fit ("…").
    NARROW_LEFT_OUT = frozenset({"phone"})
    NARROW_SHRINK = frozenset({"company", "note"})

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


class SearchScreen(DeskListScreen):
    """Leads by phone (any format, also alternates or part of a number) or by name."""

    BINDINGS = [
        Binding("down", "to_results", show=False),
    ]

    # At 80 columns: who, the phone and the status, the names cut to fit ("…"); Enter shows
    # the lead's card with the list, the calls and when
    NARROW_LEFT_OUT = frozenset({"list", "attempts", "last", "next"})
    NARROW_SHRINK = frozenset({"company", "contact"})

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
