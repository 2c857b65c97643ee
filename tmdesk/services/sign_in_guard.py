"""Wrong passwords, counted in the database so every desk process (each browser tab is one)
sees the same count: after too many failures for one user, or from one address, within
the lockout window, sign-in waits. Failures are audit rows ("auth.failed"); attempts
refused while waiting are logged as "auth.locked" and do not prolong the wait.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from tmdesk.config import WebSettings
from tmdesk.errors import TmdeskError
from tmdesk.i18n import ngettext
from tmdesk.store.models import AuditEvent

FAILED = "auth.failed"
LOCKED = "auth.locked"


class SignInLocked(TmdeskError):
    """Too many wrong passwords lately; str() says for how long to wait."""


def _failures_since(since: datetime) -> list[tuple[datetime, dict[str, Any]]]:
    # `at` is indexed; the window holds a handful of rows, filtered here by login/address
    query = (
        AuditEvent.select(AuditEvent.at, AuditEvent.details)
        .where(AuditEvent.action == FAILED, AuditEvent.at >= since)
        .order_by(AuditEvent.at)
    )
    return [(row.at, row.details or {}) for row in query]


def check_not_locked(
    login: str, address: str | None, limits: WebSettings, *, user_id: int | None, now: datetime
) -> None:
    """SignInLocked (and an "auth.locked" audit row) while `login` or `address` is over its
    limit of failures within the window."""
    window = timedelta(minutes=limits.lockout_minutes)
    failures = _failures_since(now - window)
    for key, value, limit in (
        ("login", login, limits.max_failed_sign_ins),
        ("address", address, limits.max_failed_per_address),
    ):
        if not value:
            continue
        times = [at for at, details in failures if details.get(key) == value]
        if len(times) < limit:
            continue
        # the wait ends when the oldest failure that counts leaves the window
        wait = times[-limit] + window - now
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        AuditEvent.create(
            at=now, user=user_id, action=LOCKED, details={"login": login, "address": address or ""}
        )
        raise SignInLocked(
            ngettext(
                "too many wrong passwords for {login}; try again in {n} minute",
                "too many wrong passwords for {login}; try again in {n} minutes",
                minutes,
            ).format(login=login, n=minutes)
            if key == "login"
            else ngettext(
                "too many wrong passwords from this address; try again in {n} minute",
                "too many wrong passwords from this address; try again in {n} minutes",
                minutes,
            ).format(n=minutes)
        )


def record_failure(
    login: str, address: str | None, reason: str, *, user_id: int | None, now: datetime | None
) -> None:
    AuditEvent.create(
        at=now or datetime.now(UTC),
        user=user_id,
        action=FAILED,
        details={"login": login, "address": address or "", "reason": reason},
    )
