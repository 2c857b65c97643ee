"""The call screen's dialling through the office PBX (backend asterisk or zadarma).

ctrl+d asks the telephony service for the call (one service call in a worker); while the
call is live the screen reads its state every half second. An unanswered, busy or
unreachable end pre-selects the matching outcome: Enter records it, or, with
auto_record_seconds, it is recorded by itself after a visible countdown that Esc stops.
When the PBX cannot take the call, one line says why and the desk dials by hand.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.timer import Timer

from tmdesk.domain.dispositions import Disposition
from tmdesk.domain.telephony import CallState, preselected
from tmdesk.i18n import _
from tmdesk.tui.desk.call_state import CallStateLine, state_text
from tmdesk.tui.desk.disposition_bar import DispositionKey
from tmdesk.tui.desk.work import (
    PhoneCallInfo,
    TelephonyUnavailable,
    call_info,
    last_call,
    request_call,
)

POLL_SECONDS = 0.5
KEY_NAMES = {"enter": "Enter", "escape": "Esc"}  # as the agent reads them on the keyboard

# Enter is the key map's record-preselected (a priority binding, enabled only while an
# outcome waits); Esc stops it through the form's close key (close-qualification): a key
# map gives each key one action, so the two share it.


class PbxDialling:
    """Mixed into the call screen (a Screen): needs `lead_id`, `agent`, `desk`, `busy`,
    `action_dispose` and `dial_by_hand` from it."""

    @dataclass
    class PbxCall(Message):
        """The call's state as the database has it now."""

        lead_id: int
        info: PhoneCallInfo | None
        problem: str = ""

    pbx_call: PhoneCallInfo | None = None
    pbx_choice: Disposition | None = None
    pbx_countdown: int | None = None
    _pbx_poll: Timer | None = None
    _pbx_since: float = 0.0
    _pbx_seen: CallState | None = None

    @property
    def pbx_enabled(self) -> bool:
        return self.desk.settings.telephony.through_service

    @property
    def pbx_line(self) -> CallStateLine:
        return self.query_one("#pbx-state", CallStateLine)

    # --- asking --------------------------------------------------------------------------

    def pbx_dial(self) -> None:
        if self.pbx_call is not None and self.pbx_call.state.live:
            return  # one call at a time: ctrl+d again does not ring twice
        self.pbx_reset()
        self.pbx_line.show(state_text(CallState.REQUESTED, 0))
        self.pbx_request(self.lead_id)

    @work(thread=True, group="pbx", exit_on_error=False)
    def pbx_request(self, lead_id: int) -> None:
        try:
            info = request_call(lead_id, self.agent.id, self.desk.settings)
        except TelephonyUnavailable as error:
            self.post_message(self.PbxCall(lead_id, None, str(error)))
        else:
            self.post_message(self.PbxCall(lead_id, info))

    @work(thread=True, exclusive=True, group="pbx-poll", exit_on_error=False)
    def pbx_read(self, lead_id: int, call_id: int | None) -> None:
        info = call_info(call_id) if call_id else last_call(lead_id, self.agent.id)
        self.post_message(self.PbxCall(lead_id, info))

    def pbx_resume(self) -> None:
        """A lead (re)opened: a call made before a restart shows again, result and all."""
        self.pbx_reset()
        if self.pbx_enabled:
            self.pbx_read(self.lead_id, None)

    # --- following -----------------------------------------------------------------------

    def on_pbx_dialling_pbx_call(self, message: PbxCall) -> None:
        if message.lead_id != self.lead_id:
            return
        if message.problem:
            self.pbx_line.show(
                _("PBX unavailable: {problem}. Dial by hand.").format(problem=message.problem),
                problem=True,
            )
            self.dial_by_hand()
            return
        info = message.info
        if info is None:
            return
        self.pbx_call = info
        changed = info.state != self._pbx_seen
        if changed:
            self._pbx_seen, self._pbx_since = info.state, time.monotonic()
        if info.state.live:
            if self._pbx_poll is None:
                self._pbx_poll = self.set_interval(POLL_SECONDS, self.pbx_tick)
        else:
            self.pbx_stop_polling()
            # offered once, when the end is first seen: a late read must not bring back
            # what the agent stopped with Esc
            if changed and info.attempt_id is None and not self.busy:
                self.pbx_offer(preselected(info.result))
        self.pbx_show()

    def pbx_tick(self) -> None:
        if self.pbx_call is not None:
            self.pbx_read(self.lead_id, self.pbx_call.id)

    def pbx_show(self) -> None:
        info = self.pbx_call
        if info is None:
            return
        seconds = int(time.monotonic() - self._pbx_since)  # since this state began
        text = state_text(
            info.state, seconds, info.result, info.talk_seconds, self.agent.extension or ""
        )
        if info.state is CallState.FAILED and info.cause:
            text += " (" + info.cause + ")"
        keymap = self.desk.keymap
        keys = tuple(
            KEY_NAMES.get(keymap[name], keymap[name])
            for name in ("record-preselected", "close-qualification")
        )
        self.pbx_line.show(text, choice=self.pbx_choice, countdown=self.pbx_countdown, keys=keys)

    def pbx_stop_polling(self) -> None:
        if self._pbx_poll is not None:
            self._pbx_poll.stop()
            self._pbx_poll = None

    def pbx_reset(self) -> None:
        self.pbx_stop_polling()
        self.pbx_offer(None)
        self.pbx_call, self._pbx_seen = None, None
        self.pbx_line.clear()

    # --- the pre-selected outcome ----------------------------------------------------------

    def pbx_offer(self, choice: Disposition | None) -> None:
        self.pbx_choice = choice
        seconds = self.desk.settings.telephony.auto_record_seconds
        self.pbx_countdown = seconds if choice is not None and seconds > 0 else None
        wanted = f"bar-dispo-{choice.value.replace('_', '-')}" if choice else ""
        for key in self.query(DispositionKey):
            key.set_class(key.id == wanted, "-preselected")
        self.refresh_bindings()

    def pbx_count_down(self) -> None:
        """Every second (from the screen's tick)."""
        if self.pbx_countdown is None or self.pbx_choice is None or self.busy:
            return
        if self.qualification is not None or self.app.screen is not self:
            # the agent chose otherwise (the form, an outcome's dialog): no auto-record
            self.action_pbx_stop()
            return
        self.pbx_countdown -= 1
        if self.pbx_countdown <= 0:
            self.action_pbx_confirm()
        else:
            self.pbx_show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        waiting = self.pbx_choice is not None and not self.busy
        if action == "pbx_confirm":
            return waiting
        if action == "close_qualification" and waiting:
            return True
        return super().check_action(action, parameters)

    async def action_close_qualification(self) -> None:
        if self.pbx_choice is not None:
            self.action_pbx_stop()
        else:
            await super().action_close_qualification()

    def action_pbx_confirm(self) -> None:
        choice = self.pbx_choice
        if choice is None or self.busy:
            return
        self.pbx_offer(None)
        self.action_dispose(choice.value)

    def action_pbx_stop(self) -> None:
        self.pbx_offer(None)
        self.pbx_show()
