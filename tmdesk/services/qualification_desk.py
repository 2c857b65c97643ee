"""The qualification form's units of database work, as the desk's thread workers run them
(no widgets here): open the form for a lead, save a draft, submit and move on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tmdesk.config import Settings
from tmdesk.domain.dispositions import Disposition
from tmdesk.domain.scripts import AnswerValue, Person, Script
from tmdesk.services.busy import BusyRetry, BusyWait, retry_while_busy
from tmdesk.services.calls import Recorded, returned_comment
from tmdesk.services.desk import OpenLead, take_next_lead
from tmdesk.services.qualification import (
    QualificationDraft,
    Submitted,
    load_draft,
    save_draft,
    say_values,
    script_for_lead,
    submit_qualification,
)


@dataclass(frozen=True)
class QualificationForm:
    """What the form of one lead shows: its script, the placeholder values, the draft."""

    lead_id: int
    script: Script
    values: dict[str, str]
    draft: QualificationDraft | None
    returned: str | None = None  # the supervisor's comment, when they returned the lead


def open_form(lead_id: int, agent_id: int) -> QualificationForm:
    script = script_for_lead(lead_id)
    return QualificationForm(
        lead_id,
        script,
        say_values(lead_id, agent_id, script),
        load_draft(lead_id, agent_id),
        returned_comment(lead_id),
    )


def form_with_draft(lead_id: int, agent_id: int) -> QualificationForm | None:
    """The form of a lead the agent had started (after a restart, a callback); else None."""
    if load_draft(lead_id, agent_id) is None:
        return None
    return open_form(lead_id, agent_id)


@dataclass(frozen=True)
class FormDraft:
    """Everything the form holds at one moment, as saved while typing."""

    lead_id: int
    script: Script
    answers: Mapping[str, AnswerValue]
    typed: Mapping[str, str]
    people: tuple[Person, ...] = field(default=())


def store_draft(agent_id: int, draft: FormDraft, now: datetime) -> None:
    save_draft(
        draft.lead_id,
        agent_id,
        draft.script,
        dict(draft.answers),
        draft.people,
        typed=dict(draft.typed),
        now=now,
    )


def submit_and_advance(
    agent_id: int,
    lead_id: int,
    script: Script,
    answers: Mapping[str, Any],
    people: Sequence[Person],
    note: str,
    dialled_at: datetime | None,
    settings: Settings,
    now: datetime,
    *,
    hold_qualified: bool = False,
    on_busy: Callable[[BusyWait], None] | None = None,
    retry: BusyRetry | None = None,
) -> tuple[Submitted, Recorded, OpenLead | None, Exception | None]:
    """Submit (QualificationError when the script refuses it), then, with auto-advance,
    take the next lead; a failure to take it is handed back (the submission stands).
    `hold_qualified`: a qualified lead stays on screen (a meeting is offered first), so the
    next one is taken later. A busy database is waited out as in record_and_advance."""
    submitted = retry_while_busy(
        lambda: submit_qualification(
            lead_id,
            agent_id,
            settings,
            script,
            answers,
            tuple(people),
            note=note,
            dialled_at=dialled_at,
            now=now,
        ),
        on_wait=on_busy,
        policy=retry,
    )
    recorded = Recorded(
        submitted.attempt_id,
        lead_id,
        Disposition(submitted.status),
        submitted.status,
        submitted.next_call_at,
    )
    if not settings.auto_advance or (hold_qualified and submitted.status == "qualified"):
        return submitted, recorded, None, None
    try:
        following = retry_while_busy(lambda: take_next_lead(agent_id, settings, now), policy=retry)
        return submitted, recorded, following, None
    except Exception as error:  # noqa: BLE001 - reported by the screen, the outcome stands
        return submitted, recorded, None, error
