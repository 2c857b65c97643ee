"""Taking one named lead (found by search or in the callbacks list), not the queue's next.

A client who calls back in is worked at once: the agent takes the lead they found, whether
or not its calling window or its callback time has come. Everything else the claim promises
holds (docs/architecture.md §3): one `UPDATE … WHERE` in one write transaction, so a lead is
never held twice; never a lead on the do-not-call list, in a paused list or finished; never
another agent's personal callback before its grace period ran out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tmdesk.config import Settings
from tmdesk.i18n import _
from tmdesk.services.calls import CallError, release_lead, save_notes_draft
from tmdesk.store.fields import utc_text
from tmdesk.store.models import database

# The conditions of a lead this agent may take now, over `lead` (named parameters :agent,
# :overdue); each with the sentence that says why not.
_TAKEABLE = (
    ("lead.claimed_by_id IS NULL", _("another agent is calling it")),
    ("lead.status IN ('new', 'retry', 'callback', 'nurture')", _("it is finished ({status})")),
    (
        "NOT EXISTS (SELECT 1 FROM dnc_entry WHERE dnc_entry.phone_e164 = lead.phone_e164)",
        _("its number is on the do-not-call list"),
    ),
    (
        "lead.call_list_id IN (SELECT id FROM call_list WHERE status = 'active')",
        _("its call list is paused or archived"),
    ),
    (
        "NOT (lead.status = 'callback' AND lead.callback_owner_id IS NOT NULL AND "
        "lead.callback_owner_id != :agent AND lead.next_call_at > :overdue)",
        _("it is another agent's callback"),
    ),
)


@dataclass(frozen=True)
class Takeable:
    """Whether the agent may take the lead now; `reason` says why not."""

    lead_id: int
    yours: bool  # the agent holds it already
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.yours or self.reason is None


def _parameters(agent_id: int, settings: Settings, now: datetime) -> dict[str, object]:
    return {"agent": agent_id, "overdue": utc_text(now - settings.callback_grace)}


def can_take(lead_id: int, agent_id: int, settings: Settings, now: datetime) -> Takeable:
    """Whether `take_lead` would take this lead now, and if not why."""
    checks = ", ".join(f"({condition})" for condition, _reason in _TAKEABLE)
    row = database.execute_sql(
        f"SELECT lead.status, lead.claimed_by_id, {checks} FROM lead WHERE lead.id = :id",
        _parameters(agent_id, settings, now) | {"id": lead_id},
    ).fetchone()
    if row is None:
        return Takeable(lead_id, False, _("lead {id} does not exist").format(id=lead_id))
    status, holder, *passed = row
    if status == "in_progress" and holder == agent_id:
        return Takeable(lead_id, True, None)
    for ok, (_condition, reason) in zip(passed, _TAKEABLE, strict=True):
        if not ok:
            return Takeable(lead_id, False, reason.format(status=status))
    return Takeable(lead_id, False, None)


def take_lead(lead_id: int, agent_id: int, settings: Settings, now: datetime) -> str:
    """Claim this lead for the agent (a fresh lease); the queue rule it would have come by
    ("fresh", "retry", "callback_own", "callback_shared", or "in_progress" when the agent
    held it already). CallError saying why when it cannot be taken."""
    where = " AND ".join(condition for condition, _reason in _TAKEABLE)
    parameters = _parameters(agent_id, settings, now) | {
        "id": lead_id,
        "now": utc_text(now),
        "lease": utc_text(now + settings.lease),
    }
    with database.atomic("IMMEDIATE"):
        row = database.execute_sql(
            "UPDATE lead SET claimed_from = status, status = 'in_progress', "
            "claimed_by_id = :agent, claimed_at = :now, lease_until = :lease, "
            f"released_by_id = NULL, updated_at = :now WHERE id = :id AND {where} "
            "RETURNING claimed_from, callback_owner_id",
            parameters,
        ).fetchone()
        if row is None:
            checked = can_take(lead_id, agent_id, settings, now)
            if checked.yours:
                database.execute_sql(
                    "UPDATE lead SET lease_until = :lease WHERE id = :id", parameters
                )
                return "in_progress"
            raise CallError(
                _("This lead cannot be taken now: {reason}.").format(reason=checked.reason)
            )
    was, owner = row
    if was in ("new", "retry"):
        return "fresh" if was == "new" else "retry"
    return "callback_own" if owner == agent_id else "callback_shared"


def switch_lead(
    lead_id: int, agent_id: int, holding: int, notes: str, settings: Settings, now: datetime
) -> str:
    """Take `lead_id` and give back the lead the agent holds (`holding`) with its notes saved,
    in one transaction: when the new lead cannot be taken, the agent keeps the one they have."""
    with database.atomic("IMMEDIATE"):
        if holding != lead_id:
            save_notes_draft(holding, agent_id, notes)
            release_lead(holding, agent_id, skip=False)
        return take_lead(lead_id, agent_id, settings, now)
