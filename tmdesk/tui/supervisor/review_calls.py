"""The review's "Phone calls" section: each call through the PBX with its line, ring and
talk time and recording; `p` plays the newest recording with [telephony] play_command.
Mixed into the review detail screen; hidden while the lead has no such call."""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from tmdesk.domain.telephony import result_label
from tmdesk.i18n import _
from tmdesk.tui.desk.call_display import clock_label
from tmdesk.tui.keys import letter_key
from tmdesk.tui.supervisor.playing import PlayError, play_recording
from tmdesk.tui.supervisor.work import PhoneCallInfo, lead_phone_calls

PHONE_CALL_BINDINGS = [
    Binding(
        letter_key("p"), "play_recording", _("Play"), tooltip=_("Play the newest call recording.")
    )
]


def phone_calls_section() -> list[Static]:
    return [
        Static(
            Content(_("Phone calls")),
            classes="panel-title review-section",
            id="review-phone-calls-title",
        ),
        Static("", id="review-phone-calls"),
    ]


def call_line(call: PhoneCallInfo, zone: str) -> Content:
    result = result_label(call.result, call.talk_seconds) if call.result else call.state.value
    parts = [
        clock_label(call.requested_at, zone) if call.requested_at else "",
        call.agent_login,
        result,
    ]
    if call.ring_seconds is not None:  # the talk time is in the result: "answered, 3:42"
        parts.append(_("rang {seconds} s").format(seconds=call.ring_seconds))
    if call.line:
        parts.append(_("line {line}").format(line=call.line))
    line = Content(" · ".join(part for part in parts if part))
    if call.recording:
        line = Content.assemble(line, "\n   ", (_("recording: "), "$text-muted"), call.recording)
    return line


class ReviewPhoneCalls:
    """Needs `zone` and `desk` from the screen."""

    phone_calls: tuple[PhoneCallInfo, ...] = ()

    @dataclass
    class PhoneCallsRead(Message):
        calls: tuple[PhoneCallInfo, ...]

    def on_mount(self) -> None:  # Textual calls it beside the screen's own on_mount
        for widget in self.query("#review-phone-calls-title, #review-phone-calls"):
            widget.display = False

    @work(thread=True, exclusive=True, group="phone-calls", exit_on_error=False)
    def load_phone_calls(self, lead_id: int) -> None:
        self.post_message(self.PhoneCallsRead(lead_phone_calls(lead_id)))

    def on_review_phone_calls_phone_calls_read(self, message: PhoneCallsRead) -> None:
        self.phone_calls = message.calls
        for widget in self.query("#review-phone-calls-title, #review-phone-calls"):
            widget.display = bool(message.calls)
        self.query_one("#review-phone-calls", Static).update(
            Content("\n").join(call_line(call, self.zone) for call in message.calls)
        )

    def action_play_recording(self) -> None:
        recorded = [call for call in self.phone_calls if call.recording]
        if not recorded:
            self.notify(_("No recording of this lead's calls."), title=_("Recording"))
            return
        try:
            player = play_recording(
                self.desk.settings.telephony.play_command, recorded[0].recording
            )
        except PlayError as error:
            self.notify(str(error), title=_("Recording"), severity="error")
            return
        self.notify(
            _("Playing {recording} with {player}.").format(
                recording=recorded[0].recording, player=player
            ),
            title=_("Recording"),
        )
