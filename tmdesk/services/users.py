"""Agents and supervisors: adding, listing, finding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import IntegrityError

from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.services import audit
from tmdesk.store.models import User

ROLES = ("agent", "supervisor")


class UserError(TmdeskError):
    pass


@dataclass(frozen=True)
class UserInfo:
    id: int
    login: str
    name: str
    role: str
    time_zone: str
    active: bool
    created_at: datetime
    extension: str | None = None  # the agent's phone on the office PBX

    def to_json(self) -> dict[str, Any]:
        return {
            "login": self.login,
            "name": self.name,
            "role": self.role,
            "time_zone": self.time_zone,
            "active": self.active,
            "extension": self.extension,
        }


def _info(user: User) -> UserInfo:
    return UserInfo(
        user.id,
        user.login,
        user.name,
        user.role,
        user.time_zone,
        user.active,
        user.created_at,
        user.extension,
    )


def _extension(extension: str | None) -> str | None:
    if extension is None or not extension.strip():
        return None
    extension = extension.strip()
    if not extension.isdigit():  # it goes into the PBX channel name: digits only
        raise UserError(_("an extension is digits like 101, not {value!r}").format(value=extension))
    return extension


def set_extension(login: str, extension: str | None) -> UserInfo:
    """The agent's phone on the office PBX ("" or None: none)."""
    value = _extension(extension)
    find_user(login)
    User.update(extension=value).where(User.login == login).execute()
    return find_user(login)


def add_user(
    login: str,
    name: str,
    role: str = "agent",
    time_zone: str = "Europe/Moscow",
    *,
    extension: str | None = None,
    actor: int | None = None,
) -> UserInfo:
    """A new user; `actor` is the supervisor adding them (for the audit trail)."""
    login = login.strip()
    if not login or any(ch.isspace() for ch in login):
        raise UserError(_("a login is one word without spaces, not {login!r}").format(login=login))
    if role not in ROLES:
        raise UserError(_("role must be agent or supervisor, not {role!r}").format(role=role))
    if not name.strip():
        raise UserError(_("a user needs a name (--name)"))
    try:
        with User._meta.database.atomic():
            user = User.create(
                login=login,
                name=name.strip(),
                role=role,
                time_zone=time_zone,
                extension=_extension(extension),
            )
            audit.record("user.add", user=actor, login=login, role=role)
    except IntegrityError:
        raise UserError(_("user {login!r} already exists").format(login=login)) from None
    return _info(user)


def list_users(include_inactive: bool = True) -> list[UserInfo]:
    query = User.select().order_by(User.role, User.login)
    if not include_inactive:
        query = query.where(User.active == True)  # noqa: E712 (peewee expression)
    return [_info(user) for user in query]


def find_user(login: str) -> UserInfo:
    user = User.get_or_none(User.login == login)
    if user is None:
        raise UserError(_("no user {login!r}; see `tmdesk users list`").format(login=login))
    return _info(user)
