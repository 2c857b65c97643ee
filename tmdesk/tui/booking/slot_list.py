"""The booking panel's left top: the matching specialists (the suggested one on top, why
they match, how busy their week is) and the shown one's next free slots, a digit each.
Attributes down (what to show), messages up (which specialist is shown, which slot picked)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tmdesk.domain.text import one_line
from tmdesk.i18n import _
from tmdesk.tui.booking.display import (
    load_label,
    matched_label,
    outside_hours_note,
    short_list,
    slot_label,
)
from tmdesk.tui.booking.work import Availability, Candidate, Slot

NEXT_SLOTS = 8  # the short list: enough for "this afternoon or tomorrow", one digit each


class SlotList(Vertical):
    """Specialists above, the next free slots of the highlighted one below."""

    DEFAULT_CSS = "SlotList { height: auto; }"

    @dataclass
    class SpecialistShown(Message):
        """The agent moved to another specialist: show their free time."""

        specialist_id: int

    @dataclass
    class Picked(Message):
        """A slot taken from the short list (Enter or its digit)."""

        slot: Slot

    def __init__(self, turn_keys: tuple[str, str], **kwargs) -> None:
        super().__init__(**kwargs)
        self._turn_keys = turn_keys  # the previous / next specialist keys, for the title
        self.shown: list[Slot] = []  # the short list, in order

    def compose(self) -> ComposeResult:
        back, on_ = self._turn_keys
        yield Static(
            Content(_("Specialists · {back} ◀ ▶ {on}").format(back=back, on=on_)),
            classes="booking-title",
        )
        yield OptionList(id="specialists", compact=True)
        yield Static("", id="slots-title", classes="booking-title")
        yield OptionList(id="slots", compact=True)
        yield Static("", id="slots-legend")

    def on_mount(self) -> None:
        self.query_one("#slots-legend", Static).display = False

    def reset(self) -> None:
        """Empty, for another lead."""
        self.query_one("#specialists", OptionList).clear_options()
        self.say("", clear=True)
        self.query_one("#slots-legend", Static).display = False

    def show_candidates(
        self, candidates: tuple[Candidate, ...], agent_zone: str, first: int | None
    ) -> None:
        specialists = self.query_one("#specialists", OptionList)
        specialists.clear_options()
        specialists.add_options(specialist_option(c, agent_zone) for c in candidates)
        if not candidates:
            self.say(_("No active specialist: ask your supervisor to add one."))
            return
        specialists.highlighted = next(
            (n for n, c in enumerate(candidates) if c.specialist.id == first), 0
        )

    def say(self, text: str, *, clear: bool = False) -> None:
        """A line instead of the slots' title ("Reading the free time of …")."""
        self.query_one("#slots-title", Static).update(Content(text))
        if clear:
            self.shown = []
            self.query_one("#slots", OptionList).clear_options()

    def show_slots(
        self,
        free: Availability,
        title: str,
        best: Slot | None,
        agent_zone: str,
        lead_zone: str | None,
    ) -> None:
        self.say(title)
        slots = self.query_one("#slots", OptionList)
        keep = slots.highlighted or 0
        slots.clear_options()
        self.shown = short_list(free.slots, best, NEXT_SLOTS)
        if not self.shown:
            slots.add_option(
                Option(
                    Content(_("No free time in the coming days: try another specialist.")),
                    disabled=True,
                )
            )
            return
        for n, slot in enumerate(self.shown, start=1):
            prompt = Content.assemble(
                (f"{n} ", "bold $text-accent"), slot_label(slot, agent_zone, lead_zone)
            )
            if not slot.in_lead_hours:
                prompt = Content.assemble(prompt, ("  ⚠", "$text-warning"))
            slots.add_option(Option(prompt))
        slots.highlighted = min(keep, len(self.shown) - 1)
        legend = self.query_one("#slots-legend", Static)
        legend.display = not all(slot.in_lead_hours for slot in self.shown)
        legend.update(Content("⚠ " + outside_hours_note()))

    def highlight(self, slot: Slot) -> None:
        if slot in self.shown:
            self.query_one("#slots", OptionList).highlighted = self.shown.index(slot)

    def step_specialist(self, step: int) -> None:
        specialists = self.query_one("#specialists", OptionList)
        count = specialists.option_count
        if count:
            specialists.highlighted = ((specialists.highlighted or 0) + step) % count

    def focus_slots(self) -> None:
        self.query_one("#slots", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#specialists")
    def specialist_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.SpecialistShown(int(event.option.id)))

    @on(OptionList.OptionSelected, "#specialists")
    def specialist_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.focus_slots()

    @on(OptionList.OptionSelected, "#slots")
    def slot_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.shown):
            self.post_message(self.Picked(self.shown[event.option_index]))

    def on_key(self, event: events.Key) -> None:
        # A digit on the short list takes that slot at once.
        slots = self.query_one("#slots", OptionList)
        if slots.has_focus and event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.shown):
                event.stop()
                event.prevent_default()
                slots.highlighted = index
                self.post_message(self.Picked(self.shown[index]))


def specialist_option(candidate: Candidate, agent_zone: str) -> Option:
    """'★ Орлов Дмитрий · suggested', why they match, how busy their week is."""
    parts: list[str | tuple[str, str]] = [
        ("★ ", "bold $text-warning") if candidate.suggested else "  ",
        (one_line(candidate.specialist.name), "bold"),
    ]
    if candidate.suggested:
        parts += [" · ", (_("suggested"), "$text-warning")]
    parts += [
        "\n  ",
        (matched_label(candidate), "$text-muted"),
        "\n  ",
        (load_label(candidate, agent_zone), "$text-muted"),
    ]
    if not candidate.has_free_slot:
        parts += [" · ", (_("no free time"), "$text-warning")]
    return Option(Content.assemble(*parts), id=str(candidate.specialist.id))
