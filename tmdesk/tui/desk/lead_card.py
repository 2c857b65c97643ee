"""The lead card of the call screen: who to call, on which number, whether now, what happened.

Every value typed by people (names, notes, comments, extra columns) is shown as Content,
never as markup: "ООО [Ромашка]" stays as written.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tmdesk.domain.calling_window import WeeklyWindows, window_state
from tmdesk.domain.choices import reason_text
from tmdesk.domain.phones import international_format, national_format
from tmdesk.domain.text import one_line
from tmdesk.i18n import _, ngettext
from tmdesk.tui.desk.call_display import (
    clock_label,
    lead_zone,
    window_label,
)
from tmdesk.tui.desk.work import LeadCard, PastCall
from tmdesk.tui.display import bucket_label, local_time_label


def phone_text(e164: str, ext: str | None, *, both_forms: bool = True) -> str:
    """'8 (495) 123-45-67 ext. 12', and the international form on a line of its own (a
    number is never broken across lines on a narrow screen)."""
    national = national_format(e164)
    if ext:
        national += " · " + _("ext. {ext}").format(ext=ext)
    return f"{national}\n{international_format(e164)}" if both_forms else national


def place_text(city: str, region: str, place: str) -> str:
    """City and region as written in the list, then what the number's region adds."""
    parts: list[str] = []
    for text in (city, region, *place.split(",")):
        text = one_line(text)
        if text and text.casefold() not in {part.casefold() for part in parts}:
            parts.append(text)
    return " · ".join(parts)


def card_rows(card: LeadCard, max_attempts: int) -> list[tuple[str, str, str]]:
    """(row id, label, value) of the card's fields, empty ones left out. The window row is
    filled in separately, as it changes with the clock."""
    who = " · ".join(
        one_line(part) for part in (card.contact, card.position, card.email) if part.strip()
    )
    rows = [
        ("contact", _("Contact"), who),
        ("phone", _("Phone"), phone_text(card.phone_e164, card.phone_ext)),
        (
            "alternates",
            _("Also"),
            "\n".join(phone_text(e164, ext, both_forms=False) for e164, ext in card.alternates),
        ),
        ("window", _("Local time"), ""),
        ("place", _("Place"), place_text(card.city, card.region, card.place)),
        ("list", _("List"), one_line(card.list_name)),
        (
            "attempts",
            _("Calls"),
            _("{made} so far").format(made=card.attempts)
            + " "
            + ngettext("(at most {cap} dial)", "(at most {cap} dials)", max_attempts).format(
                cap=max_attempts
            ),
        ),
        ("returned", _("To fix"), (card.returned_comment or "").strip()),
        (
            "callback-note",
            _("Agreed"),
            "" if card.returned_comment else (card.callback_note or "").strip(),
        ),
        ("comment", _("Comment"), card.comment.strip()),
    ]
    rows += [
        (f"extra-{n}", one_line(key), str(value).strip())
        for n, (key, value) in enumerate(card.extra.items())
    ]
    return [row for row in rows if row[2] or row[0] == "window"]


def past_call_content(call: PastCall, zone: str) -> Content:
    head = Content.assemble(
        (clock_label(call.at, zone), "bold"),
        "  ",
        one_line(call.agent),
        "  ",
        (call.disposition.label, "$text-accent"),
    )
    if call.reason:
        head = Content.assemble(
            head, " — ", _("reason: {reason}").format(reason=one_line(reason_text(call.reason)))
        )
    note = "\n".join("  " + line for line in call.note.strip().splitlines() if line.strip())
    return Content.assemble(head, "\n", note) if note else head


class LeadCardView(VerticalScroll):
    """Shows one LeadCard; `show_window` refreshes the local time and the calling window.
    It takes the focus (Tab from the notes) so the arrows and PageUp/PageDown scroll it."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="card-title-row"):
            yield Static("", id="card-company")
            yield Static("", id="card-bucket")
        yield Vertical(id="card-rows")
        yield Static(Content(_("Earlier calls")), id="card-history-title", classes="panel-title")
        yield Vertical(id="card-history")

    async def show(self, card: LeadCard, bucket: str, max_attempts: int, agent_zone: str) -> None:
        self.card = card
        self.query_one("#card-company", Static).update(
            Content(one_line(card.company) or _("(no company name)"))
        )
        self.query_one("#card-bucket", Static).update(Content(bucket_label(bucket)))
        await self._show_rows(card_rows(card, max_attempts))
        history = self.query_one("#card-history", Vertical)
        if card.history:
            await _show_lines(
                history, [past_call_content(call, agent_zone) for call in card.history], ""
            )
        else:
            await _show_lines(history, [Content(_("No earlier calls."))], "-none")
        self.scroll_home(animate=False)

    async def _show_rows(self, rows: list[tuple[str, str, str]]) -> None:
        """The next lead usually has the same rows as the last one: their text is replaced
        in place, as mounting fresh widgets (styles, layout) is most of an agent's wait for
        the next lead. Rows are named by their field, not given ids."""
        box = self.query_one("#card-rows", Vertical)
        shown = list(box.children)
        if [row.name for row in shown] == [row_id for row_id, _label, _value in rows]:
            for row, (_row_id, label, value) in zip(shown, rows, strict=True):
                label_widget, value_widget = row.query(Static)
                label_widget.update(Content(label))
                value_widget.update(Content(value))
            return
        await box.remove_children()
        await box.mount_all(
            Horizontal(
                Static(Content(label), classes="card-label"),
                Static(Content(value), classes=f"card-value card-{row_id}"),
                classes="card-row",
                name=row_id,
            )
            for row_id, label, value in rows
        )

    def window_text(
        self, now: datetime, windows: WeeklyWindows, agent_zone: str
    ) -> tuple[str, bool]:
        card = self.card
        state = window_state(now, card.zones, windows)
        zone = lead_zone(card.zones)
        local = local_time_label(state.local_times[0], card.zones)
        return f"{local} · {window_label(state, now, zone, agent_zone)}", state.allowed

    def show_window(self, now: datetime, windows: WeeklyWindows, agent_zone: str) -> None:
        if not hasattr(self, "card"):
            return
        text, allowed = self.window_text(now, windows, agent_zone)
        for value in self.query(".card-window").results(Static):
            value.update(Content(text))
            value.set_class(not allowed, "-closed")


async def _show_lines(box: Vertical, lines: list[Content], classes: str) -> None:
    """One Static per line in `box`: the ones already there are reused."""
    shown = list(box.children)
    for widget, content in zip(shown, lines, strict=False):
        assert isinstance(widget, Static)
        widget.update(content)
        widget.set_classes(f"past-call {classes}".strip())
    if len(shown) > len(lines):
        await box.remove_children(shown[len(lines) :])
    elif len(lines) > len(shown):
        await box.mount_all(
            Static(content, classes=f"past-call {classes}".strip())
            for content in lines[len(shown) :]
        )
