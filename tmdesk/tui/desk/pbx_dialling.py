"""The call screen's dialling through the office PBX (backend asterisk or zadarma).

ctrl+d asks the telephony service for the call (one service call in a worker of the call
screen); while the call is live the line reads its state every half second. An unanswered,
busy or unreachable end pre-selects the matching outcome: Enter records it, or, with
auto_record_seconds, it is recorded by itself after a visible countdown that Esc stops.
When the PBX cannot take the call, one line says why and the desk dials by hand.

`PbxCallLine` is the widget: it follows the call and holds the pre-selected outcome; it
asks the screen's workers for the call and its state with messages (`Ask`, `Read`) and
tells the screen what happened (`Unavailable`, `Ended`, `Offered`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual.message import Message
from textual.timer import Timer

from tmdesk.domain.dispositions import Disposition
from tmdesk.domain.telephony import CallState, preselected
from tmdesk.i18n import _
from tmdesk.tui.desk.call_state import CallStateLine, state_text
from tmdesk.tui.desk.work import PhoneCallInfo

if TYPE_CHECKING:
    from tmdesk.tui.app import DeskApp

POLL_SECONDS = 0.5
KEY_NAMES = {"enter": "Enter", "escape": "Esc"}  # as the agent reads them on the keyboard

# Enter is the key map's record-preselected (a priority binding, enabled only while an
# outcome waits); Esc stops it through the form's close key (close-qualification): a key
# map gives each key one action, so the two share it.


class PbxCallLine(CallStateLine):
    """The open lead's PBX call: its state line, the reads while it is live, and the
    outcome its end pre-selects (with the auto-record countdown)."""

    @dataclass
    class Ask(Message):
        """Ask the PBX to call the lead (the screen's worker does)."""

        lead_id: int

    @dataclass
    class Read(Message):
        """Read the call's state (the screen's worker does); no call id: the lead's last."""

        lead_id: int
        call_id: int | None

    @dataclass
    class Seen(Message):
        """The call's state as the database has it now (the answer to Ask or Read)."""

        lead_id: int
        info: PhoneCallInfo | None
        problem: str = ""

    @dataclass
    class Unavailable(Message):
        """The PBX cannot take the call: the screen dials by hand."""

    @dataclass
    class Ended(Message):
        """The call ended: the outcome it pre-selects, if the screen still waits for one."""

        choice: Disposition | None

    @dataclass
    class Offered(Message):
        """The pre-selected outcome changed (None: none): the screen marks its key."""

        choice: Disposition | None

    def __init__(self, extension: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.extension = extension
        self.lead_id = 0
        self.call: PhoneCallInfo | None = None
        self.choice: Disposition | None = None
        self.countdown: int | None = None
        self._poll: Timer | None = None
        self._since = 0.0
        self._seen: CallState | None = None

    @property
    def desk(self) -> DeskApp:
        return cast("DeskApp", self.app)

    # --- asking --------------------------------------------------------------------------

    def dial(self, lead_id: int) -> None:
        if self.call is not None and self.call.state.live:
            return  # one call at a time: ctrl+d again does not ring twice
        self.lead_id = lead_id
        self.reset()
        self.show(state_text(CallState.REQUESTED, 0))
        self.post_message(self.Ask(lead_id))

    def resume(self, lead_id: int, enabled: bool) -> None:
        """A lead (re)opened: a call made before a restart shows again, result and all."""
        self.lead_id = lead_id
        self.reset()
        if enabled:
            self.post_message(self.Read(lead_id, None))

    # --- following -----------------------------------------------------------------------

    def on_pbx_call_line_seen(self, message: Seen) -> None:
        message.stop()
        if message.lead_id != self.lead_id:
            return
        if message.problem:
            self.show(
                _("PBX unavailable: {problem}. Dial by hand.").format(problem=message.problem),
                problem=True,
            )
            self.post_message(self.Unavailable())
            return
        info = message.info
        if info is None:
            return
        self.call = info
        changed = info.state != self._seen
        if changed:
            self._seen, self._since = info.state, time.monotonic()
        if info.state.live:
            if self._poll is None:
                self._poll = self.set_interval(POLL_SECONDS, self.tick)
        else:
            self.stop_polling()
            # offered once, when the end is first seen: a late read must not bring back
            # what the agent stopped with Esc
            if changed and info.attempt_id is None:
                self.post_message(self.Ended(preselected(info.result)))
        self.show_call()

    def tick(self) -> None:
        if self.call is not None:
            self.post_message(self.Read(self.lead_id, self.call.id))

    def show_call(self) -> None:
        info = self.call
        if info is None:
            return
        seconds = int(time.monotonic() - self._since)  # since this state began
        text = state_text(info.state, seconds, info.result, info.talk_seconds, self.extension)
        if info.state is CallState.FAILED and info.cause:
            text += " (" + info.cause + ")"
        keymap = self.desk.keymap
        keys = tuple(
            KEY_NAMES.get(keymap[name], keymap[name])
            for name in ("record-preselected", "close-qualification")
        )
        self.show(text, choice=self.choice, countdown=self.countdown, keys=keys)

    def stop_polling(self) -> None:
        if self._poll is not None:
            self._poll.stop()
            self._poll = None

    def reset(self) -> None:
        self.stop_polling()
        self.offer(None)
        self.call, self._seen = None, None
        self.clear()

    # --- the pre-selected outcome ----------------------------------------------------------

    def offer(self, choice: Disposition | None) -> None:
        changed = choice is not self.choice
        self.choice = choice
        seconds = self.desk.settings.telephony.auto_record_seconds
        self.countdown = seconds if choice is not None and seconds > 0 else None
        if changed:  # the screen then rebuilds its footer: not on every lead for nothing
            self.post_message(self.Offered(choice))

    def stop(self) -> None:
        """Esc, or the agent chose otherwise: no pre-selected outcome any more."""
        self.offer(None)
        self.show_call()

    def count_down(self, *, elsewhere: bool) -> bool:
        """Every second while the screen is not busy; True when it is time to record the
        pre-selected outcome. `elsewhere`: the agent chose otherwise (the form, an
        outcome's dialog), so nothing is recorded by itself."""
        if self.countdown is None or self.choice is None:
            return False
        if elsewhere:
            self.stop()
            return False
        self.countdown -= 1
        if self.countdown <= 0:
            return True
        self.show_call()
        return False
