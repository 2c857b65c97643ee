"""The do-not-call list for the supervisor: newest first, a page at a time, with a search;
add a number (with a reason), remove the highlighted one (a reason is asked), import a
file. Changes go through services.dnc, which writes the audit trail; the next claim of
any agent already skips an added number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widgets import DataTable, Input
from textual.worker import Worker

from tmdesk.domain.phones import national_format
from tmdesk.i18n import _
from tmdesk.tui.desk.queue_table import clip
from tmdesk.tui.paged_list import PAGE_SIZE, PagedListScreen, Row
from tmdesk.tui.supervisor.dialogs import Field, FormDialog
from tmdesk.tui.supervisor.display import clock_in
from tmdesk.tui.supervisor.keys import FittingFooter, supervisor_bindings
from tmdesk.tui.supervisor.work import dnc
from tmdesk.tui.work import UserInfo


def search_digits(text: str) -> str:
    """What to look for in the stored E.164 numbers: the digits typed, a Russian trunk
    '8' read as '7' when a whole national number is typed."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    return digits


def change_notice(change, verb: str) -> tuple[str, SeverityLevel]:
    """(message, severity) for a DncChange."""
    parts = []
    if change.changed:
        parts.append(verb.format(numbers=", ".join(national_format(n) for n in change.changed)))
    if change.unchanged:
        parts.append(
            _("unchanged: {numbers}").format(
                numbers=", ".join(national_format(n) for n in change.unchanged)
            )
        )
    for text, reason in change.invalid:
        parts.append(_("not a number: {text!r} ({reason})").format(text=text, reason=reason))
    severity: SeverityLevel = "information" if change.changed else "warning"
    return "; ".join(parts) or _("Nothing changed."), severity


class DncScreen(FittingFooter, PagedListScreen):
    """Numbers never called again; / finds one, a adds, r removes, i imports a file."""

    FOOTER_SPARE = ("quit", "import_file")  # at 80 columns in Russian: F1 lists them

    BINDINGS = [
        Binding("down", "to_results", show=False),
        *supervisor_bindings("dnc-add", "dnc-remove", "dnc-import", "dnc-search"),
    ]

    @dataclass
    class Changed(Message):
        notice: str
        severity: SeverityLevel

    def __init__(self, supervisor: UserInfo) -> None:
        super().__init__(supervisor)
        self.supervisor = supervisor
        self.search = ""
        self._numbers_by_offset: dict[int, list[str]] = {}
        self.numbers: list[str] = []  # the E.164 numbers of the page on screen
        self._importing = False
        self._to_results = False

    def title_text(self) -> str:
        return _("Do-not-call list · these numbers are never served to anyone")

    def compose_top(self) -> ComposeResult:
        search = Input(
            placeholder=_(
                "Find a number (any format, or a part of it) · / to type here, Enter: find"
            ),
            id="dnc-search",
        )
        # Reached with / only: otherwise an empty list would hand it the focus, and the
        # letter keys would be typed into it.
        search.can_focus = False
        yield search

    def columns(self) -> list[tuple[str, str]]:
        return [
            ("phone", _("Phone")),
            ("e164", _("International")),
            ("added", _("Added")),
            ("source", _("Source")),
            ("reason", _("Reason")),
        ]

    def read(self, limit: int, offset: int, now: datetime) -> list[Row]:
        entries = dnc.list_numbers(limit=limit, offset=offset, search=search_digits(self.search))
        self._numbers_by_offset[offset] = [entry.phone_e164 for entry in entries]
        zone = self.supervisor.time_zone
        return [
            (
                None,
                [
                    Text(national_format(entry.phone_e164)),
                    Text(entry.phone_e164),
                    Text(clock_in(entry.added_at, zone, with_day=True)),
                    Text(clip(entry.source, 10)),
                    Text(clip(entry.reason, 50)),
                ],
            )
            for entry in entries
        ]

    def empty_text(self) -> str:
        if self.search:
            return _("No number on the list contains {digits}.").format(
                digits=search_digits(self.search) or self.search
            )
        return _("The do-not-call list is empty. Press {key} to add a number.").format(
            key=self.desk.keymap["dnc-add"]
        )

    def loaded(self, rows: int) -> None:
        if self._to_results:
            self._to_results = False
            self.action_to_results()
        self.numbers = self._numbers_by_offset.pop(self.page * PAGE_SIZE, [])[:rows]
        self._numbers_by_offset.clear()

    def on_screen_resume(self) -> None:
        if self._importing:  # back from an import (not from a dialog: it reads itself)
            self._importing = False
            self.load(0)

    # --- search ----------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#dnc-search", Input)
        search.can_focus = True
        search.focus()

    @on(Input.Submitted, "#dnc-search")
    def find(self, event: Input.Submitted) -> None:
        event.stop()
        self.search = event.value.strip()
        self._to_results = True  # once the page is read (a loading table takes no focus)
        self.set_focus(None)
        self.load(0)

    def action_to_results(self) -> None:
        self.query_one("#dnc-search", Input).can_focus = False
        table = self.query_one("#list-table", DataTable)
        if table.display:
            table.focus()
        else:
            self.set_focus(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        searching = self.query_one("#dnc-search", Input).has_focus
        if action == "to_results":
            return searching
        if action in ("add_number", "remove_number", "import_file", "search") and searching:
            return False  # the letters are typed into the search field
        return super().check_action(action, parameters)

    # --- changes ---------------------------------------------------------------------------

    def highlighted(self) -> str | None:
        table = self.query_one("#list-table", DataTable)
        if table.display and 0 <= table.cursor_row < len(self.numbers):
            return self.numbers[table.cursor_row]
        return None

    def action_add_number(self) -> None:
        def given(values: dict[str, str] | None) -> None:
            if values:
                self.change("add", values["phone"], values["reason"])

        self.app.push_screen(
            FormDialog(
                _("Add a number to the do-not-call list"),
                [
                    Field(
                        "phone",
                        _("Phone (any format):"),
                        placeholder="8 (495) 123-45-67",
                        required=True,
                    ),
                    Field("reason", _("Reason:"), placeholder=_("e.g. asked never to be called")),
                ],
                hint=_(
                    "The number is skipped from the next claim on, in every list · "
                    "Enter: next field, then add · Esc: cancel"
                ),
                dialog_id="dnc-add-dialog",
            ),
            given,
        )

    def action_remove_number(self) -> None:
        number = self.highlighted()
        if number is None:
            return

        def given(values: dict[str, str] | None) -> None:
            if values:
                self.change("remove", number, values["reason"])

        self.app.push_screen(
            FormDialog(
                _("Take {phone} off the do-not-call list?").format(phone=national_format(number)),
                [
                    Field(
                        "reason",
                        _("Why may it be called again?"),
                        required=True,
                        placeholder=_("e.g. added by mistake"),
                    )
                ],
                hint=_("Enter: remove · Esc: keep it on the list"),
                dialog_id="dnc-remove-dialog",
            ),
            given,
        )

    def change(self, what: str, text: str, reason: str) -> None:
        self.changing(what, text, reason)

    @work(thread=True, exclusive=True, group="dnc-change", exit_on_error=False)
    def changing(self, what: str, text: str, reason: str) -> None:
        region = self.desk.settings.default_region
        now = self.desk.clock()
        if what == "add":
            change = dnc.add_numbers(
                [text], reason=reason, user_id=self.supervisor.id, region=region, now=now
            )
            notice = change_notice(change, _("added {numbers}: never served again"))
        else:
            change = dnc.remove_numbers(
                [text], reason=reason, user_id=self.supervisor.id, region=region, now=now
            )
            notice = change_notice(change, _("removed {numbers}"))
        self.post_message(self.Changed(*notice))

    def on_dnc_screen_changed(self, message: Changed) -> None:
        self.notify(
            message.notice, title=_("Do-not-call list"), severity=message.severity, markup=False
        )
        self.load(0)

    def work_failed(self, worker: Worker) -> None:
        if worker.group != "dnc-change":
            super().work_failed(worker)

    def action_import_file(self) -> None:
        from tmdesk.tui.supervisor.list_import import DncImportScreen

        self._importing = True
        self.app.push_screen(DncImportScreen(self.supervisor))
