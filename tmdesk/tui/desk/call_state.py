"""The PBX call's live state under the dial panel: ringing, talking, how it ended, and the
outcome it pre-selects (with the auto-record countdown)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tmdesk.domain.dispositions import Disposition
from tmdesk.domain.telephony import CallResult, CallState, minutes_seconds, result_label
from tmdesk.i18n import _


def state_text(
    state: CallState,
    seconds: int,
    result: CallResult | None = None,
    talk_seconds: int | None = None,
    extension: str = "",
) -> str:
    if state is CallState.REQUESTED:
        return _("Asking the PBX to call…")
    if state is CallState.DIALLING:
        return _("Your phone {extension} rings: pick it up").format(extension=extension)
    if state is CallState.RINGING:
        return _("Ringing {seconds} s").format(seconds=seconds)
    if state is CallState.TALKING:
        return _("Talking {time}").format(time=minutes_seconds(seconds))
    return _("Ended: {result}").format(
        result=result_label(result or CallResult.FAILED, talk_seconds)
    )


class CallStateLine(Static):
    """One line; hidden until a call goes through the PBX."""

    def on_mount(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.update("")
        self.display = False

    def show(
        self,
        text: str,
        *,
        choice: Disposition | None = None,
        countdown: int | None = None,
        problem: bool = False,
        keys: tuple[str, str] = ("Enter", "Esc"),  # records it, stops it
    ) -> None:
        parts: list = [(text, "bold")]
        if choice is not None:
            if countdown is not None:
                hint = _(" · recording “{outcome}” in {seconds} s · {record} now · {stop} stops")
            else:
                hint = _(" · {record} records “{outcome}” · {stop}: another outcome")
            hint = hint.format(
                outcome=choice.label, seconds=countdown, record=keys[0], stop=keys[1]
            )
            parts.append((hint, "$text-accent"))
        self.update(Content.assemble(*parts))
        self.set_class(problem, "-problem")
        self.display = True
