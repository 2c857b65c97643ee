"""Sign-in that holds over a network: agents' passwords, passwords required, wrong passwords
counted in the database per user and per address, and logged to the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tmdesk.config import WebSettings
from tmdesk.services import auth
from tmdesk.services.auth import AuthError
from tmdesk.services.sign_in_guard import SignInLocked
from tmdesk.services.users import add_user
from tmdesk.store.models import AuditEvent

NOW = datetime(2026, 3, 4, 7, 0, tzinfo=UTC)
LIMITS = WebSettings(max_failed_sign_ins=3, max_failed_per_address=5, lockout_minutes=10)


@pytest.fixture
def people(workspace):
    add_user("anna", "Анна", "agent")
    add_user("boris", "Борис", "agent")
    add_user("sveta", "Светлана", "supervisor")
    auth.set_password("sveta", "sveta-password")


def _fail(login: str, address: str, at: datetime) -> None:
    with pytest.raises(AuthError, match="wrong password"):
        auth.sign_in(login, "not-it", web=LIMITS, address=address, now=at)


def test_an_agent_with_a_password_must_give_it(people):
    assert auth.sign_in("anna", None).login == "anna"  # no password yet: picks the name
    auth.set_password("anna", "anna-password")
    assert auth.needs_password("anna")
    with pytest.raises(AuthError, match="wrong password for anna"):
        auth.sign_in("anna", None)
    assert auth.sign_in("anna", "anna-password").role == "agent"


def test_passwords_required_refuse_the_name_only_sign_in_and_say_how(people):
    required = WebSettings(require_passwords=True)
    assert auth.needs_password("boris", required=True)
    with pytest.raises(AuthError, match=r"`tmdesk users passwd boris`"):
        auth.sign_in("boris", None, web=required)
    with pytest.raises(AuthError, match="passwords only"):
        auth.sign_in("boris", None, in_browser=True)
    assert auth.sign_in("boris", None).login == "boris"  # a terminal desk without the rule


def test_wrong_passwords_lock_the_user_then_the_lock_ends(people):
    for minute in range(3):
        _fail("sveta", f"10.0.0.{minute}", NOW + timedelta(minutes=minute))
    # the right password does not help while locked: the check is not even made
    with pytest.raises(SignInLocked, match="try again in 8 minutes"):
        auth.sign_in(
            "sveta",
            "sveta-password",
            web=LIMITS,
            address="10.0.0.9",
            now=NOW + timedelta(minutes=2),
        )
    # refusals while locked do not prolong the wait
    later = NOW + timedelta(minutes=10, seconds=1)
    assert auth.sign_in("sveta", "sveta-password", web=LIMITS, now=later).login == "sveta"
    failed = AuditEvent.select().where(AuditEvent.action == "auth.failed").order_by(AuditEvent.id)
    assert [(e.details["login"], e.details["address"]) for e in failed] == [
        ("sveta", "10.0.0.0"),
        ("sveta", "10.0.0.1"),
        ("sveta", "10.0.0.2"),
    ]
    assert all(e.user.login == "sveta" for e in failed)
    assert AuditEvent.select().where(AuditEvent.action == "auth.locked").count() == 1


def test_one_address_trying_many_users_is_locked_out_but_others_are_not(people):
    auth.set_password("anna", "anna-password")
    auth.set_password("boris", "boris-password")
    for n, login in enumerate(["anna", "boris", "sveta", "anna", "nobody"]):
        at = NOW + timedelta(seconds=n)
        if login == "nobody":
            with pytest.raises(AuthError, match="no user"):
                auth.sign_in(login, "x", web=LIMITS, address="10.9.9.9", now=at)
        else:
            _fail(login, "10.9.9.9", at)
    with pytest.raises(SignInLocked, match="from this address"):
        auth.sign_in(
            "boris",
            "boris-password",
            web=LIMITS,
            address="10.9.9.9",
            now=NOW + timedelta(minutes=1),
        )
    # boris at his own PC is let in: one failure against him only
    assert auth.sign_in(
        "boris", "boris-password", web=LIMITS, address="10.0.0.5", now=NOW + timedelta(minutes=1)
    )
