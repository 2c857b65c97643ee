"""The steps of the call loop as the desk's thread workers run them (no widgets here).

Each function is one unit of database work over the services: take the next lead and read
its card, take back a lead after a restart, record an outcome and move on, undo. Workers call
them and post the result to the screen as a message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tmdesk.config import Settings
from tmdesk.domain.dispositions import Disposition
from tmdesk.services.busy import BusyRetry, BusyWait, is_busy, retry_while_busy
from tmdesk.services.calls import (
    CallError,
    LeadCard,
    Recorded,
    Undone,
    claim_next_lead,
    lead_card,
    record_disposition,
    release_lead,
    renew_lease,
    save_notes_draft,
    undo_last_disposition,
)
from tmdesk.services.lookup import open_lead_of
from tmdesk.services.taking import Takeable, can_take, switch_lead, take_lead


@dataclass(frozen=True)
class OpenLead:
    """A lead the agent holds, as the call screen shows it."""

    card: LeadCard
    bucket: str  # the queue rule that served it; "in_progress" after a restart, "undone"


@dataclass(frozen=True)
class AgentChoice:
    """What the agent chose: a disposition and what its dialog asked for."""

    disposition: Disposition
    reason: str = ""
    callback_at: datetime | None = None
    shared: bool = False
    recall_at: datetime | None = None


@dataclass(frozen=True)
class Draft:
    """The notes typed for a lead."""

    lead_id: int
    text: str


def take_next_lead(agent_id: int, settings: Settings, now: datetime) -> OpenLead | None:
    claim = claim_next_lead(agent_id, settings, now=now)
    if claim is None:
        return None
    return OpenLead(lead_card(claim.lead_id), claim.bucket)


def resume_open_lead(agent_id: int, settings: Settings, now: datetime) -> OpenLead | None:
    """The lead the agent still holds after a crash, with a fresh lease; None if none."""
    lead_id = open_lead_of(agent_id)
    if lead_id is None:
        return None
    try:
        renew_lease(lead_id, agent_id, settings, now=now)
    except CallError:
        return None  # lost meanwhile: back in the pool
    return OpenLead(lead_card(lead_id), "in_progress")


def keep_lease(lead_id: int, agent_id: int, settings: Settings, now: datetime) -> None:
    """Renew the lead's lease; CallError when it was lost. A database busy with another
    process's write is no failure: the lease outlasts several renewals, the next one tries
    again."""
    try:
        renew_lease(lead_id, agent_id, settings, now=now)
    except Exception as error:
        if not is_busy(error):
            raise


def keep_draft(draft: Draft, agent_id: int) -> bool:
    """Save the typed notes; False when another process's write kept the database busy
    (the notes stay on screen and are saved at a later try)."""
    try:
        save_notes_draft(draft.lead_id, agent_id, draft.text)
    except Exception as error:
        if not is_busy(error):
            raise
        return False
    return True


def record_and_advance(
    agent_id: int,
    lead_id: int,
    outcome: AgentChoice,
    note: str,
    dialled_at: datetime | None,
    settings: Settings,
    now: datetime,
    *,
    on_busy: Callable[[BusyWait], None] | None = None,
    retry: BusyRetry | None = None,
    next_lead: int | None = None,
) -> tuple[Recorded, OpenLead | None, Exception | None]:
    """Record the outcome; with auto-advance take the next lead. A failure to take the next
    lead is handed back (the outcome is recorded all the same).

    While another process holds the database (a large import), the outcome is tried again
    as `retry` says, `on_busy` hearing of each wait; DatabaseBusy when it never went
    through. The next lead is taken only once the outcome is saved: `next_lead` when the
    agent chose one (found by search, finishing this one first), else the queue's next."""
    recorded = retry_while_busy(
        lambda: record_disposition(
            lead_id,
            agent_id,
            outcome.disposition,
            settings,
            note=note,
            reason=outcome.reason,
            callback_at=outcome.callback_at,
            shared=outcome.shared,
            recall_at=outcome.recall_at,
            dialled_at=dialled_at,
            now=now,
        ),
        on_wait=on_busy,
        policy=retry,
    )
    if next_lead is None and not settings.auto_advance:
        return recorded, None, None
    try:
        following = retry_while_busy(
            lambda: (
                take_next_lead(agent_id, settings, now)
                if next_lead is None
                else take_found_lead(agent_id, next_lead, None, settings, now)
            ),
            policy=retry,
        )
        return recorded, following, None
    except Exception as error:  # noqa: BLE001 - reported by the screen, the outcome stands
        return recorded, None, error


def undo_and_reopen(
    agent_id: int,
    settings: Settings,
    now: datetime,
    draft: Draft | None,
    *,
    cancel_meeting: bool = False,
) -> tuple[Undone, OpenLead]:
    """Undo the agent's last outcome; the lead open now (if any) keeps its typed notes.
    UndoCancelsMeeting when it would cancel a meeting and `cancel_meeting` is not given."""
    if draft is not None:
        save_notes_draft(draft.lead_id, agent_id, draft.text)
    undone = undo_last_disposition(agent_id, settings, now=now, cancel_meeting=cancel_meeting)
    return undone, OpenLead(lead_card(undone.lead_id), "undone")


def give_back(agent_id: int, draft: Draft) -> None:
    """Release the lead untouched, keeping what was typed."""
    save_notes_draft(draft.lead_id, agent_id, draft.text)
    release_lead(draft.lead_id, agent_id)


def look_at_lead(
    agent_id: int, lead_id: int, settings: Settings, now: datetime
) -> tuple[LeadCard, Takeable]:
    """A lead's card, and whether the agent may take it now (found by search or a list)."""
    return lead_card(lead_id), can_take(lead_id, agent_id, settings, now)


def take_found_lead(
    agent_id: int, lead_id: int, holding: Draft | None, settings: Settings, now: datetime
) -> OpenLead:
    """Take the lead the agent found; the lead they hold (if any) goes back with its notes
    saved, in the same transaction. CallError when it cannot be taken."""
    if holding is None:
        bucket = take_lead(lead_id, agent_id, settings, now)
    else:
        bucket = switch_lead(lead_id, agent_id, holding.lead_id, holding.text, settings, now)
    return OpenLead(lead_card(lead_id), bucket)
