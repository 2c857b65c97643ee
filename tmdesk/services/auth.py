"""Roles and passwords: who may do what on the desk.

Agents sign in by picking their name; supervisors also give a password, and so does anyone
who has one. In a browser, or with [web] require_passwords, everyone needs a password. Passwords are
kept only as salted scrypt hashes (stdlib hashlib), with the cost parameters inside the
stored text so they can be raised later without breaking old hashes:
"scrypt$n$r$p$salt_b64$hash_b64".

Until some active supervisor has a password the desk is "open" (bootstrap): a fresh
install must be able to create its first users. The CLI warns about it every time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from tmdesk.config import WebSettings
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.services import audit
from tmdesk.services.sign_in_guard import check_not_locked, record_failure
from tmdesk.services.users import UserInfo, _info, add_user
from tmdesk.store.models import User, database

MIN_PASSWORD = 8
# scrypt's "interactive login" cost: ~16 MB and a few dozen ms per check
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32


class AuthError(TmdeskError):
    """Wrong password, inactive user, unknown login."""


class NotAllowed(TmdeskError):
    """The user's role does not allow the action; str() says which action."""


# --- hashing -------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=256 * n * r * p + 1024 * 1024,
        dklen=length,
    )


def hash_password(password: str) -> str:
    """The stored form of a password, with a fresh random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether `password` matches the stored hash (constant-time comparison)."""
    if not stored or password is None:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p), len(expected))
    except (ValueError, TypeError):  # a damaged hash never matches
        return False
    return hmac.compare_digest(actual, expected)


# --- users ---------------------------------------------------------------------------------


def _user(login: str) -> User:
    user = User.get_or_none(User.login == (login or "").strip())
    if user is None:
        raise AuthError(_("no user {login!r}; see `tmdesk users list`").format(login=login))
    return user


def open_desk() -> bool:
    """True while no active supervisor has a password: then anyone may act as supervisor
    (the bootstrap of a fresh install)."""
    return not (
        User.select()
        .where(
            User.role == "supervisor",
            User.active == True,  # noqa: E712
            User.password_hash.is_null(False),
        )
        .exists()
    )


def needs_password(login: str, *, required: bool = False) -> bool:
    """Whether signing in as `login` asks for a password: supervisors, anyone who has one,
    everyone when passwords are `required` (in a browser, [web] require_passwords)."""
    user = _user(login)
    return required or user.role == "supervisor" or bool(user.password_hash)


def logins_with_password() -> frozenset[str]:
    """The users who sign in with a password (so the sign-in asks them for it)."""
    return frozenset(
        u.login for u in User.select(User.login).where(User.password_hash.is_null(False))
    )


def has_password(login: str) -> bool:
    return bool(_user(login).password_hash)


def set_password(
    login: str, password: str, *, by_user_id: int | None = None, now: datetime | None = None
) -> None:
    """Give a user a (new) password; only its salted hash is stored. Agents need one to
    sign in from a browser."""
    user = _user(login)
    if len(password or "") < MIN_PASSWORD:
        raise AuthError(_("a password needs at least {n} characters").format(n=MIN_PASSWORD))
    hashed = hash_password(password)
    with database.atomic():
        User.update(password_hash=hashed).where(User.id == user.id).execute()
        audit.record("user.password", user=by_user_id, at=now, login=user.login)


def sign_in(
    login: str,
    password: str | None,
    *,
    web: WebSettings | None = None,
    in_browser: bool = False,
    address: str | None = None,
    now: datetime | None = None,
) -> UserInfo:
    """The user signing in. A user with a password must give it (wrong ones are counted and
    rate-limited, see sign_in_guard); agents without one pick their name, unless passwords
    are required (`in_browser`, or `web.require_passwords`). A supervisor without one gets
    in only on an open desk (no supervisor has a password yet)."""
    web = web or WebSettings()
    now = now or datetime.now(UTC)
    user = User.get_or_none(User.login == (login or "").strip())
    if user is None:
        if address:  # guessing logins from a browser counts against the address
            record_failure(login, address, "unknown user", user_id=None, now=now)
        raise AuthError(_("no user {login!r}; see `tmdesk users list`").format(login=login))
    if not user.active:
        raise AuthError(_("{login} is deactivated; ask a supervisor").format(login=user.login))
    if user.password_hash:
        check_not_locked(user.login, address, web, user_id=user.id, now=now)
        if not verify_password(password or "", user.password_hash):
            record_failure(user.login, address, "wrong password", user_id=user.id, now=now)
            raise AuthError(_("wrong password for {login}").format(login=user.login))
    elif in_browser or web.require_passwords:
        raise AuthError(
            _(
                "{login} has no password yet, and this desk signs in with passwords only; "
                "a supervisor sets one with `tmdesk users passwd {login}`"
            ).format(login=user.login)
        )
    elif user.role == "supervisor" and not open_desk():
        raise AuthError(
            _(
                "{login} has no password yet; another supervisor sets one with "
                "`tmdesk users passwd {login}`"
            ).format(login=user.login)
        )
    return _info(user)


def require_supervisor(user_id: int | None, action: str) -> None:
    """NotAllowed unless `user_id` is an active supervisor."""
    user = User.get_or_none(User.id == user_id) if user_id is not None else None
    if user is None or user.role != "supervisor" or not user.active:
        raise NotAllowed(_("only a supervisor can {action}").format(action=action))


def require_supervisor_or_open(user_id: int | None, action: str) -> None:
    """For services the CLI and the workspace both call: a supervisor, or nobody named
    while the desk is still open (a fresh install, scripts before the first password)."""
    if user_id is None and open_desk():
        return
    require_supervisor(user_id, action)


def deactivate_user(
    login: str, *, by_user_id: int | None = None, now: datetime | None = None
) -> UserInfo:
    """Stop a user from signing in (their history stays). The last active supervisor with
    a password is kept: without one the desk would be open to anyone again."""
    user = _user(login)
    if not user.active:
        return _info(user)
    if user.role == "supervisor" and user.password_hash:
        others = (
            User.select()
            .where(
                User.role == "supervisor",
                User.active == True,  # noqa: E712
                User.password_hash.is_null(False),
                User.id != user.id,
            )
            .exists()
        )
        if not others:
            raise NotAllowed(
                _("{login} is the last supervisor with a password; add another one first").format(
                    login=user.login
                )
            )
    with database.atomic():
        User.update(active=False).where(User.id == user.id).execute()
        audit.record("user.deactivate", user=by_user_id, at=now, login=user.login)
    return _info(User.get_by_id(user.id))


def add_supervisor(
    login: str,
    name: str,
    password: str,
    time_zone: str = "Europe/Moscow",
    *,
    by_user_id: int | None = None,
    now: datetime | None = None,
) -> UserInfo:
    """A new supervisor with their password, in one transaction (never one without it)."""
    if len(password or "") < MIN_PASSWORD:
        raise AuthError(_("a password needs at least {n} characters").format(n=MIN_PASSWORD))
    with database.atomic():
        user = add_user(login, name, "supervisor", time_zone, actor=by_user_id)
        set_password(user.login, password, by_user_id=by_user_id, now=now)
    return user
