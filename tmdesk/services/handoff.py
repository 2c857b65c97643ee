"""Handoff of ready leads to the development specialists, in recorded export batches.

An export takes every ready lead not handed off before (handoff_records says what ready
means), writes them to one file — or one file per specialist — and records a batch: who,
when, which format and file, and each lead's record as handed off. A lead is therefore
handed off once; `include_exported` (--all, with a --since date) takes earlier ones again.
`repeat_batch` writes a batch again from its stored records: the same bytes in the same
format (times inside the files are the batch's time), or the same leads in another one.
An .ics export takes only the leads with a booked meeting (the others would reach nobody);
the usual pair is an XLSX or CSV batch, then `--batch ID --format ics` for its meetings.

Safety: files are written to an owner-only temporary file and moved in place only when
complete, never over an existing file unless `force` (and never over a database: see
output_files);
the batch is completed only after the rename, and a failure anywhere removes the files and
records nothing. The database is never locked while a 100k-lead file is written, nor for
longer than a moment while its leads are recorded: they go into a pending batch, which no
reader sees, a chunk per transaction, and one short transaction completes it (see
export_staging), so agents keep working during an export.

Over 400 lines: export_batch and repeat_batch share the selection, the file naming and the
batch records; the records, staging and safe files are apart already.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tmdesk.config import Settings
from tmdesk.errors import TmdeskError
from tmdesk.i18n import LANGUAGES, _, current_language
from tmdesk.services import handoff_records
from tmdesk.services.auth import require_supervisor_or_open
from tmdesk.services.export_formats import EXTENSIONS, FORMATS, ExportMeta, write_records
from tmdesk.services.export_formats.ics_file import has_booked_meeting
from tmdesk.services.export_staging import (
    CompletedSnapshot,
    discard_batch,
    record_leads,
    remove_unfinished_exports,
    start_batch,
    taken_meanwhile,
)
from tmdesk.services.handoff_records import Selection
from tmdesk.services.output_files import check_target, discard, publish, write_temporary
from tmdesk.services.run_lock import RunLock
from tmdesk.store.dialect import lock_desk
from tmdesk.store.fields import parse_utc_text
from tmdesk.store.models import AuditEvent, ExportBatch, database


class HandoffError(TmdeskError):
    """The export cannot be done as asked (the message says why and what to do)."""


@dataclass(frozen=True)
class SpecialistRef:
    id: int
    name: str


@dataclass(frozen=True)
class ReadySummary:
    """What an export would take now."""

    leads: int
    by_specialist: tuple[tuple[str | None, int], ...]  # (name or None: no meeting, leads)

    @property
    def with_meeting(self) -> int:
        return sum(n for name, n in self.by_specialist if name is not None)


@dataclass(frozen=True)
class ExportedFile:
    """One file written: a new batch, or a batch written again."""

    batch_id: int
    path: Path
    format: str
    lead_count: int
    meeting_count: int  # leads with a booked meeting (the events of an .ics)
    specialist: str | None  # the specialist of a per-specialist file
    created_at: datetime  # the batch's time
    repeated: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "batch": self.batch_id,
            "path": str(self.path),
            "format": self.format,
            "leads": self.lead_count,
            "meetings": self.meeting_count,
            "specialist": self.specialist,
            "created_at": self.created_at.isoformat(),
            "repeated": self.repeated,
        }


@dataclass(frozen=True)
class BatchInfo:
    id: int
    created_at: datetime
    created_by: str | None  # login
    format: str
    path: str
    lead_count: int
    parameters: dict[str, Any] = field(default_factory=dict[str, Any])

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "format": self.format,
            "path": self.path,
            "leads": self.lead_count,
            "parameters": self.parameters,
        }


# --- options -------------------------------------------------------------------------------


def find_specialist(name: str) -> SpecialistRef:
    """A specialist by id, by name (any case), or by a part of the name that only one has."""
    rows = database.execute_sql("SELECT id, name FROM specialist ORDER BY name, id").fetchall()
    wanted = name.strip()
    if wanted.isdigit():
        found = [r for r in rows if r[0] == int(wanted)]
    else:
        key = wanted.casefold()
        found = [r for r in rows if r[1].casefold() == key] or [
            r for r in rows if key in r[1].casefold()
        ]
    if len(found) == 1:
        return SpecialistRef(*found[0])
    if found:
        raise HandoffError(
            _("specialist {name!r} is ambiguous: {names}").format(
                name=name, names=", ".join(r[1] for r in found)
            )
        )
    known = ", ".join(r[1] for r in rows[:12]) or _("none yet")
    raise HandoffError(_("no specialist {name!r} (known: {names})").format(name=name, names=known))


def _since_instant(since: date | datetime | None, time_zone: str) -> datetime | None:
    if since is None or isinstance(since, datetime):
        return since
    try:
        return datetime.combine(since, time(0), ZoneInfo(time_zone)).astimezone(UTC)
    except OverflowError:  # 0001-01-01 typed as --since
        raise HandoffError(
            _("--since {day} is outside the calendar the desk can work with").format(
                day=since.isoformat()
            )
        ) from None


def _selection(
    settings: Settings,
    *,
    include_unreviewed: bool,
    include_exported: bool,
    since: date | datetime | None,
    specialist: SpecialistRef | None,
    lead_ids: Sequence[int] | None = None,
    fmt: str = "csv",
) -> Selection:
    if include_exported and since is None:
        raise HandoffError(
            _("--all takes leads handed off before too: give --since DATE to say from when")
        )
    return Selection(
        review_required=settings.review_required,
        include_unreviewed=include_unreviewed,
        include_exported=include_exported,
        since=_since_instant(since, settings.agent_time_zone),
        specialist_id=specialist.id if specialist else None,
        lead_ids=tuple(lead_ids) if lead_ids is not None else None,
        booked_only=fmt == "ics",
    )


# --- what is ready -------------------------------------------------------------------------


def ready_summary(
    settings: Settings,
    *,
    include_unreviewed: bool = False,
    include_exported: bool = False,
    since: date | datetime | None = None,
    specialist: str | None = None,
    fmt: str = "csv",
) -> ReadySummary:
    """How many leads an export with these options would take, per specialist."""
    ref = find_specialist(specialist) if specialist else None
    selection = _selection(
        settings,
        include_unreviewed=include_unreviewed,
        include_exported=include_exported,
        since=since,
        specialist=ref,
        fmt=fmt,
    )
    try:
        total = handoff_records.pick_ready(selection)
        counts = handoff_records.picked_specialists()
    finally:
        handoff_records.release_pick()
    names = dict(database.execute_sql("SELECT id, name FROM specialist").fetchall())
    by = sorted(
        ((names.get(sid) if sid is not None else None, n) for sid, n in counts.items()),
        key=lambda item: (item[0] is None, item[0] or ""),
    )
    return ReadySummary(total, tuple(by))


def ready_records(
    settings: Settings,
    *,
    include_unreviewed: bool = False,
    include_exported: bool = False,
    since: date | datetime | None = None,
    specialist: str | None = None,
    lead_ids: Sequence[int] | None = None,
    fmt: str = "csv",
) -> list[dict[str, Any]]:
    """The records an export would hand off now (nothing is recorded)."""
    ref = find_specialist(specialist) if specialist else None
    selection = _selection(
        settings,
        include_unreviewed=include_unreviewed,
        include_exported=include_exported,
        since=since,
        specialist=ref,
        lead_ids=lead_ids,
        fmt=fmt,
    )
    try:
        if not handoff_records.pick_ready(selection):
            return []
        return handoff_records.picked_records()
    finally:
        handoff_records.release_pick()


# --- files ---------------------------------------------------------------------------------


def _export_language(language: str | None) -> str:
    """The language an export is written in: the one asked for, else the desk's."""
    if language is None:
        return current_language()
    if language not in LANGUAGES:
        raise HandoffError(
            _("unknown language {language!r} (known: {known})").format(
                language=language, known=", ".join(LANGUAGES)
            )
        )
    return language


def _slug(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", name, flags=re.UNICODE).strip("-.") or "specialist"


def default_file_name(batch_id: int, fmt: str, specialist: str | None = None) -> str:
    """handoff-00012.csv, handoff-00013-Иван-Петров.ics"""
    part = f"-{_slug(specialist)}" if specialist else ""
    return f"handoff-{batch_id:05d}{part}.{EXTENSIONS[fmt]}"


def _folder_and_file(
    out: Path | None, several: bool, force: bool = False
) -> tuple[Path, Path | None]:
    """(the folder to write in, the exact file asked for or None for default names)."""
    if out is None:
        return Path.cwd(), None
    try:
        out = Path(out).expanduser()
    except RuntimeError:  # "~nobody/x.csv"
        raise HandoffError(_("{path}: no such user's home folder").format(path=out)) from None
    if out.is_dir():
        return out, None
    if several:
        raise HandoffError(
            _("{path}: one file per specialist needs a folder for --out, not a file name").format(
                path=out
            )
        )
    if not out.parent.is_dir():
        raise HandoffError(
            _("{path}: the folder {folder} does not exist").format(path=out, folder=out.parent)
        )
    return out.parent, check_target(out, force=force)  # refused now, not after the writing


def _record_json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


# --- batches -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    """The leads of one file: every picked lead, or those of one specialist."""

    key: Any  # handoff_records.ANY, a specialist id, or None (no meeting)
    specialist: SpecialistRef | None
    leads: int
    label: str | None  # in the default file name of a per-specialist file


def _groups(per_specialist: bool, specialist: SpecialistRef | None) -> list[_Group]:
    counts = handoff_records.picked_specialists()
    if not per_specialist:
        return [_Group(handoff_records.ANY, specialist, sum(counts.values()), None)]
    names = dict(database.execute_sql("SELECT id, name FROM specialist").fetchall())
    groups = [
        _Group(
            sid,
            SpecialistRef(sid, names[sid]) if sid is not None else None,
            n,
            names[sid] if sid is not None else _("no meeting"),
        )
        for sid, n in counts.items()
    ]
    return sorted(
        groups, key=lambda g: (g.specialist is None, g.specialist.name if g.specialist else "")
    )


class _Spool:
    """Keeps the records of a file as they stream to its writer: the snapshot of each lead
    (for the batch, in an unnamed owner-only temporary file rather than in memory), the
    lead ids and how many have a booked meeting."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()
        self.lead_ids: list[int] = []
        self.meetings = 0

    def tee(self, records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for record in records:
            self.file.write(_record_json(record).encode("utf-8") + b"\n")
            self.lead_ids.append(record["lead_id"])
            self.meetings += has_booked_meeting(record)
            yield record

    def rows(self, batch_id: int) -> Iterator[tuple[int, int, str]]:
        self.file.seek(0)
        for lead_id, line in zip(self.lead_ids, self.file, strict=True):
            yield batch_id, lead_id, line.decode("utf-8").rstrip("\n")

    def close(self) -> None:
        with contextlib.suppress(OSError):  # a full disk was already reported; it is unnamed
            self.file.close()


class _Counted:
    """Records passed through while counting them, for a batch written again."""

    def __init__(self, records: Iterable[dict[str, Any]]) -> None:
        self.records, self.leads, self.meetings = records, 0, 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for record in self.records:
            self.leads += 1
            self.meetings += has_booked_meeting(record)
            yield record


def export_batch(
    settings: Settings,
    fmt: str = "csv",
    out: Path | str | None = None,
    *,
    user_id: int | None = None,
    specialist: str | None = None,
    per_specialist: bool = False,
    since: date | datetime | None = None,
    include_exported: bool = False,
    include_unreviewed: bool = False,
    excel_ru: bool = False,
    lead_ids: Sequence[int] | None = None,
    now: datetime | None = None,
    force: bool = False,
    language: str | None = None,
) -> list[ExportedFile]:
    """Hand off the ready leads: write the file(s) and record one batch per file.

    Returns [] (and records nothing) when no lead is ready. `out` is a file, or a folder
    for default names (handoff-<batch>.<ext>); default: the current folder. `since` is a
    day in the desk's time zone (or an instant). `lead_ids` narrows the export to those
    leads (the supervisor's workspace), still only the ready ones. Leads stream from the
    database to the file a chunk at a time, so 100k leads take little memory. `language`:
    of the headers and values (default: the desk's); the batch keeps it for repeats.
    """
    if fmt not in FORMATS:
        raise HandoffError(
            _("unknown format {fmt!r} (known: {known})").format(fmt=fmt, known=", ".join(FORMATS))
        )
    if excel_ru and fmt != "csv":
        raise HandoffError(_("--excel-ru is a CSV option (semicolons, Windows-1251)"))
    require_supervisor_or_open(user_id, _("hand off leads"))
    language = _export_language(language)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    ref = find_specialist(specialist) if specialist else None
    folder, exact = _folder_and_file(Path(out) if out is not None else None, per_specialist, force)
    selection = _selection(
        settings,
        include_unreviewed=include_unreviewed,
        include_exported=include_exported,
        since=since,
        specialist=ref,
        lead_ids=lead_ids,
        fmt=fmt,
    )
    meta = ExportMeta(created_at=now, excel_ru=excel_ru, language=language)
    parameters = {
        "format": fmt,
        "excel_ru": excel_ru,
        "language": language,
        "include_unreviewed": include_unreviewed,
        "include_exported": include_exported,
        "review_required": settings.review_required,
        "since": selection.since.isoformat() if selection.since else None,
        "per_specialist": per_specialist,
        "specialist": ref.name if ref else None,
        "lead_ids": list(lead_ids) if lead_ids is not None else None,
    }
    temporaries: list[Path] = []
    published: list[Path] = []
    spools: list[_Spool] = []
    locks: list[RunLock] = []
    remove_unfinished_exports()  # what a killed export left (one still running is kept)
    try:
        # The files first, with no lock held: agents keep claiming leads meanwhile.
        snapshot = CompletedSnapshot()  # before the pick: the batches it leaves out
        try:
            if not handoff_records.pick_ready(selection):
                return []
            groups = _groups(per_specialist, ref)
            for group in groups:
                spool = _Spool()
                spools.append(spool)
                records = spool.tee(handoff_records.iter_picked_records(group.key))
                temporaries.append(
                    write_temporary(
                        exact or folder / f"handoff.{EXTENSIONS[fmt]}",
                        functools.partial(write_records, fmt, records=records, meta=meta),
                    )
                )
                if len(spool.lead_ids) != group.leads:  # a writer must take every record
                    raise RuntimeError(
                        f"{fmt} writer took {len(spool.lead_ids)} of {group.leads} records"
                    )
        finally:
            handoff_records.release_pick()
        # Then the batches, pending (no reader sees them) while their leads are recorded
        # a chunk per transaction: a claim waits for one chunk at most.
        results, finals = [], []
        for group, spool, temporary in zip(groups, spools, temporaries, strict=True):
            batch_id, lock = start_batch(
                created_at=now,
                created_by=user_id,
                format=fmt,
                lead_count=group.leads,
                parameters={
                    **parameters,
                    "file_label": group.label,
                    "specialist": (
                        group.specialist.name if group.specialist else parameters["specialist"]
                    ),
                },
            )
            locks.append(lock)
            target = exact or folder / default_file_name(batch_id, fmt, group.label)
            record_leads(spool.rows(batch_id))
            finals.append((batch_id, temporary, target, group.leads))
            results.append(
                ExportedFile(
                    batch_id,
                    target.resolve(),
                    fmt,
                    group.leads,
                    spool.meetings,
                    group.specialist.name if group.specialist else None,
                    now,
                )
            )
        with database.atomic():  # IMMEDIATE and short: one export completes at a time
            lock_desk("handoff")  # (on PostgreSQL, by this lock)
            if not include_exported:
                _refuse_taken(snapshot, [lock.run_id for lock in locks])
            for batch_id, temporary, target, leads in finals:
                ExportBatch.update(
                    path=str(target.resolve()), completed_at=datetime.now(UTC)
                ).where(ExportBatch.id == batch_id).execute()
                AuditEvent.create(
                    at=now,
                    user=user_id,
                    action="handoff.export",
                    details={
                        "batch": batch_id,
                        "format": fmt,
                        "leads": leads,
                        "path": str(target),
                    },
                )
                publish(temporary, target, force=force)
                published.append(target)
        return results
    except BaseException:
        for temporary in temporaries:
            discard(temporary)
        for target in published:  # the batch rolled back: its files go too
            target.unlink(missing_ok=True)
        for lock in locks:  # the rows recorded so far, a short transaction at a time
            # the first error is the one to tell; rows left pending go with the next clean-up
            with contextlib.suppress(Exception):
                discard_batch(lock.run_id)
        raise
    finally:
        for spool in spools:
            spool.close()
        for lock in locks:
            lock.release()


def _refuse_taken(snapshot: CompletedSnapshot, own: list[int]) -> None:
    """Refuse when another export completed a batch with some of these leads meanwhile."""
    taken, batch = taken_meanwhile(snapshot, own)
    if taken:
        raise HandoffError(
            _(
                "{n} of these leads were just handed off by another export "
                "(batch {batch}); nothing was written — run the export again"
            ).format(n=taken, batch=batch)
        )


def batch_records(batch_id: int) -> list[dict[str, Any]]:
    """The records of a batch as handed off, by lead id."""
    return list(_iter_batch_records(batch_id))


def _iter_batch_records(batch_id: int) -> Iterator[dict[str, Any]]:
    _batch(batch_id)
    missing = database.execute_sql(
        "SELECT count(*), min(lead_id) FROM exported_lead WHERE batch_id = ? AND record IS NULL",
        (batch_id,),
    ).fetchone()
    if missing[0]:
        raise HandoffError(
            _(
                "batch {id} was recorded without the leads' records (lead {lead} "
                "and {n} more): it cannot be written again"
            ).format(id=batch_id, lead=missing[1], n=missing[0] - 1)
        )
    return (
        json.loads(record)
        for (record,) in database.execute_sql(
            "SELECT record FROM exported_lead WHERE batch_id = ? ORDER BY lead_id", (batch_id,)
        )
    )


def _batch(batch_id: int) -> ExportBatch:
    batch = ExportBatch.get_or_none(  # a pending batch is not handed off (yet)
        (ExportBatch.id == batch_id) & ExportBatch.completed_at.is_null(False)
    )
    if batch is None:
        raise HandoffError(
            _("no export batch {id} (`tmdesk export batches` lists them)").format(id=batch_id)
        )
    return batch


def repeat_batch(
    batch_id: int,
    out: Path | str | None = None,
    *,
    fmt: str | None = None,
    excel_ru: bool | None = None,
    user_id: int | None = None,
    force: bool = False,
    language: str | None = None,
) -> ExportedFile:
    """Write a batch again from its stored records: byte for byte the same file in its own
    format, language and options; `fmt` (`excel_ru`, `language`) write the same leads
    another way. A batch from before languages were kept is written in the desk's."""
    require_supervisor_or_open(user_id, _("hand off leads"))
    batch = _batch(batch_id)
    parameters: dict[str, Any] = batch.parameters or {}
    language = _export_language(language or parameters.get("language"))
    fmt = fmt or batch.format
    if fmt not in FORMATS:
        raise HandoffError(
            _("unknown format {fmt!r} (known: {known})").format(fmt=fmt, known=", ".join(FORMATS))
        )
    if excel_ru is None:
        excel_ru = bool(parameters.get("excel_ru")) and fmt == "csv"
    if excel_ru and fmt != "csv":
        raise HandoffError(_("--excel-ru is a CSV option (semicolons, Windows-1251)"))
    folder, exact = _folder_and_file(Path(out) if out is not None else None, False, force)
    specialist = parameters.get("specialist") if parameters.get("per_specialist") else None
    target = exact or folder / default_file_name(batch_id, fmt, parameters.get("file_label"))
    meta = ExportMeta(created_at=batch.created_at, excel_ru=excel_ru, language=language)
    records = _Counted(_iter_batch_records(batch_id))
    temporary = write_temporary(target, lambda handle: write_records(fmt, handle, records, meta))
    try:
        publish(temporary, target, force=force)
    except BaseException:
        discard(temporary)
        raise
    with database.atomic():
        AuditEvent.create(
            at=datetime.now(UTC),
            user=user_id,
            action="handoff.repeat",
            details={"batch": batch_id, "format": fmt, "path": str(target)},
        )
    return ExportedFile(
        batch_id,
        target.resolve(),
        fmt,
        records.leads,
        records.meetings,
        specialist,
        batch.created_at,
        repeated=True,
    )


def list_batches(*, limit: int = 100, offset: int = 0) -> list[BatchInfo]:
    """Recorded batches, newest first (not those still being recorded)."""
    rows = database.execute_sql(
        "SELECT b.id, b.created_at, u.login, b.format, b.path, b.lead_count, b.parameters "
        'FROM export_batch b LEFT JOIN "user" u ON u.id = b.created_by_id '
        "WHERE b.completed_at IS NOT NULL ORDER BY b.id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return [
        BatchInfo(
            batch_id,
            parse_utc_text(created),
            login,
            fmt,
            path,
            count,
            json.loads(parameters) if parameters else {},
        )
        for batch_id, created, login, fmt, path, count, parameters in rows
    ]
