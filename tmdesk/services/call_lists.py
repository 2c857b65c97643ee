"""Managing call lists: pause, resume, archive, priority and qualification script.

Supervisor actions only, each written to the audit trail. A paused or archived list is
skipped by the queue at the next claim; its leads keep their state for when it resumes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tmdesk.domain.statuses import ListStatus
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.services import audit
from tmdesk.services.auth import require_supervisor
from tmdesk.services.qualification import available_scripts
from tmdesk.store.models import CallList, database

STATUSES = (ListStatus.ACTIVE, ListStatus.PAUSED, ListStatus.ARCHIVED)


class CallListError(TmdeskError):
    """The list change cannot be made (unknown list, bad script key, …)."""


@dataclass(frozen=True)
class ListInfo:
    list_id: int
    name: str
    status: str
    priority: int
    script_key: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.list_id,
            "name": self.name,
            "status": self.status,
            "priority": self.priority,
            "script_key": self.script_key,
        }


def _info(row: CallList) -> ListInfo:
    return ListInfo(row.id, row.name, row.status, row.priority, row.script_key)


def _row(list_id: int) -> CallList:
    row = CallList.get_or_none(CallList.id == list_id)
    if row is None:
        raise CallListError(_("no call list {id}; see `tmdesk lists`").format(id=list_id))
    return row


def find_list(name_or_id: str | int) -> ListInfo:
    """A list by its name, or by its number when no list has that name."""
    text = str(name_or_id).strip()
    row = CallList.get_or_none(CallList.name == text)
    if row is None and text.isdigit():
        row = CallList.get_or_none(CallList.id == int(text))
    if row is None:
        raise CallListError(_("no call list {name!r}; see `tmdesk lists`").format(name=text))
    return _info(row)


def _audit(
    row: CallList, supervisor_id: int, action: str, before: Any, after: Any, now: datetime | None
) -> None:
    audit.record(
        action,
        user=supervisor_id,
        at=now,
        list_id=row.id,
        list=row.name,
        before=before,
        after=after,
    )


def _set_status(
    list_id: int, supervisor_id: int, status: str, doing: str, now: datetime | None
) -> ListInfo:
    require_supervisor(supervisor_id, doing)
    with database.atomic():
        row = _row(list_id)
        if row.status != status:
            before = row.status
            CallList.update(status=status).where(CallList.id == row.id).execute()
            _audit(row, supervisor_id, f"list.{status}", before, status, now)
    return _info(_row(list_id))


def pause_list(list_id: int, supervisor_id: int, *, now: datetime | None = None) -> ListInfo:
    """Stop serving the list's leads (callbacks included) until it is resumed."""
    return _set_status(list_id, supervisor_id, ListStatus.PAUSED, _("pause call lists"), now)


def resume_list(list_id: int, supervisor_id: int, *, now: datetime | None = None) -> ListInfo:
    """Serve a paused (or archived) list's leads again."""
    return _set_status(list_id, supervisor_id, ListStatus.ACTIVE, _("resume call lists"), now)


def archive_list(list_id: int, supervisor_id: int, *, now: datetime | None = None) -> ListInfo:
    """Put the list away: never served, no more imports into it (its history stays)."""
    return _set_status(list_id, supervisor_id, ListStatus.ARCHIVED, _("archive call lists"), now)


def set_list_priority(
    list_id: int, supervisor_id: int, priority: int, *, now: datetime | None = None
) -> ListInfo:
    """Higher is served first. The leads carry a copy (Lead.list_priority) so that one index
    orders the whole queue: it is rewritten in the same transaction."""
    require_supervisor(supervisor_id, _("change list priorities"))
    try:
        priority = int(priority)
    except (TypeError, ValueError):
        raise CallListError(
            _("a priority is a whole number, not {value!r}").format(value=priority)
        ) from None
    with database.atomic():
        row = _row(list_id)
        if row.priority != priority:
            before = row.priority
            CallList.update(priority=priority).where(CallList.id == row.id).execute()
            database.execute_sql(
                "UPDATE lead SET list_priority = ? WHERE call_list_id = ?", (priority, row.id)
            )
            _audit(row, supervisor_id, "list.priority", before, priority, now)
    return _info(_row(list_id))


def set_list_script(
    list_id: int, supervisor_id: int, key: str | None, *, now: datetime | None = None
) -> ListInfo:
    """The qualification script the list's calls use (None: the default script). Only a
    script that loads without problems can be chosen."""
    require_supervisor(supervisor_id, _("change list scripts"))
    key = (key or "").strip() or None
    if key is not None:
        scripts = available_scripts()
        usable = {s.key for s in scripts if not s.problems}
        if key not in usable:
            broken = [s for s in scripts if s.key == key and s.problems]
            if broken:
                raise CallListError(
                    _("script {key} has {n} problem(s): tmdesk script check {path}").format(
                        key=key, n=broken[0].problems, path=broken[0].path
                    )
                )
            raise CallListError(
                _("no script {key!r} (available: {keys})").format(
                    key=key, keys=", ".join(sorted(usable)) or "-"
                )
            )
    with database.atomic():
        row = _row(list_id)
        if row.script_key != key:
            before = row.script_key
            CallList.update(script_key=key).where(CallList.id == row.id).execute()
            _audit(row, supervisor_id, "list.script", before, key, now)
    return _info(_row(list_id))
