"""Which dialog an outcome asks, what its answer records, and how the desk says it was done."""

from __future__ import annotations

from datetime import timedelta

from textual.screen import ModalScreen

from tmdesk.domain.choices import REASON_LABELS, stored_reason
from tmdesk.domain.dispositions import Disposition
from tmdesk.domain.phones import national_format
from tmdesk.i18n import _
from tmdesk.tui.desk.call_display import both_times, clock_label, disposition_label
from tmdesk.tui.desk.moments import callback_choices, recall_choices
from tmdesk.tui.desk.outcome_dialogs import (
    DncDialog,
    ReasonDialog,
    UndoMeetingDialog,
    WhenChoice,
    WhenContext,
    WhenDialog,
)
from tmdesk.tui.desk.work import AgentChoice, LeadCard, Recorded, UndoCancelsMeeting, Undone


def not_interested_reasons() -> list[str]:
    """The common reasons' labels, in the desk's language, for the dialog to offer."""
    return list(REASON_LABELS.values())


def reason_to_record(answer: str) -> str:
    """The dialog's answer as stored: a picked reason (with its typed details) as its code,
    anything typed as it was typed."""
    for code, label in REASON_LABELS.items():
        if answer == label or answer.startswith(label + ": "):
            return stored_reason(code, answer[len(label) + 2 :])
    return answer


def dialog_for(
    disposition: Disposition, card: LeadCard, context: WhenContext
) -> ModalScreen | None:
    """The question an outcome needs answered first; None records it at once."""
    company = " ".join(card.company.split())
    if disposition is Disposition.CALLBACK:
        return WhenDialog(
            _("Call back {company} when?").format(company=company),
            callback_choices(context.now, context.lead_zone),
            context,
            ask_who=True,
        )
    if disposition is Disposition.NURTURE:
        return WhenDialog(
            _("A fit, but not now: recall {company} when?").format(company=company),
            recall_choices(context.now, context.lead_zone),
            context,
            ask_who=False,
        )
    if disposition is Disposition.NOT_INTERESTED:
        return ReasonDialog(_("Not interested: why?"), not_interested_reasons())
    if disposition is Disposition.NOT_FIT:
        return ReasonDialog(
            _("Not a fit: why?"),
            [],
            note=_(
                "Say what does not fit (industry, size, region, what they use). The "
                "qualification script will ask this itself when it arrives."
            ),
        )
    if disposition is Disposition.DNC:
        return DncDialog(national_format(card.phone_e164), company)
    return None


def outcome_from(disposition: Disposition, answer: WhenChoice | str) -> AgentChoice:
    """The outcome to record from the answer of its dialog."""
    if isinstance(answer, WhenChoice):
        if disposition is Disposition.CALLBACK:
            return AgentChoice(disposition, callback_at=answer.at, shared=answer.shared)
        return AgentChoice(disposition, recall_at=answer.at)
    if disposition is Disposition.NOT_INTERESTED:
        return AgentChoice(disposition, reason=reason_to_record(answer))
    return AgentChoice(disposition, reason=answer)


def recorded_notice(
    recorded: Recorded,
    undo_key: str,
    undo_window: timedelta,
    agent_zone: str,
    lead_zone: str | None = None,
) -> str:
    """'Recorded: no answer — ctrl+z to undo (30 s)', and when the lead is served next (in the
    agent's time, and the lead's when it differs)."""
    lines = [
        _("Recorded: {label} — {key} to undo ({seconds} s)").format(
            label=disposition_label(recorded.disposition),
            key=undo_key,
            seconds=int(undo_window.total_seconds()),
        )
    ]
    if recorded.next_call_at is not None:
        when = both_times(recorded.next_call_at, agent_zone, lead_zone or agent_zone)
        lines.append(
            {
                "callback": _("Call back: {when}"),
                "nurture": _("Recall: {when}"),
            }.get(recorded.status, _("Back in the queue from {when}")).format(when=when)
        )
    return "\n".join(lines)


def undone_notice(undone: Undone) -> str:
    text = _("{label} was taken back: the lead is open again, with its notes.").format(
        label=undone.disposition.label.capitalize()
    )
    if undone.meetings_cancelled:
        text += "\n" + _("Its meeting was cancelled.")
    return text


def undo_meeting_dialog(asked: UndoCancelsMeeting, agent_zone: str) -> UndoMeetingDialog:
    """The question before an undo that cancels a meeting."""
    meeting = f"{clock_label(asked.starts_at, agent_zone)} · {asked.specialist}"
    return UndoMeetingDialog(" ".join(asked.company.split()), meeting)
