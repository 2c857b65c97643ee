"""The audit trail: one row per action taken outside a call, with who took it.

The store refuses to change or delete a row once written, so a row is written inside the
same transaction as the change it records: both are kept, or neither.

Action names are "subject.verb": user.add, user.deactivate, user.password,
specialist.add|edit|remove|deactivate, dnc.add|remove|import, handoff.export|repeat,
list.paused|active|archived|priority|script, review.*, meeting.*, import.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tmdesk.store.models import AuditEvent


def record(
    action: str,
    *,
    user: int | None = None,
    lead: int | None = None,
    at: datetime | None = None,
    **details: Any,
) -> None:
    """Append one row: `user` is who acted (None on an open desk or for the desk itself),
    `lead` the lead it concerns, `details` anything a supervisor needs to read it later
    (JSON values)."""
    AuditEvent.create(
        at=at or datetime.now(UTC), user=user, lead=lead, action=action, details=details
    )
