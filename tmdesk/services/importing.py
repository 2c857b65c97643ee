"""Importing a call list (CSV or XLSX) with every row accounted for.

Each data row ends as exactly one of: imported (a callable lead), duplicate (its number is
already in this file or in an active list), invalid (no usable phone), dnc (stored as a
lead with status dnc, never served) or empty. Rejected rows (invalid and duplicates) are
written to a rejects CSV with their line and reason.

Leads are written in short transactions and stay hidden until one last short transaction
makes them live (see import_staging): an import of any size never makes the floor wait, and
a failure or a kill leaves nothing visible (the leftovers are removed by the next import,
workspace open or `db check`). Phone parsing is the costly part, so large files are parsed
by worker processes while this process reads the file and writes the rows (see
_RowPreparer).

Over 400 lines: preparing rows (in workers), accounting for each in the report and writing
the leads are one import run; reading files and staging are apart already
(call_list_files, import_staging).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any, NamedTuple, TextIO, cast

from tmdesk.domain.numbering_plan import NumberingPlan, NumberRange
from tmdesk.domain.phones import Phone, PhoneCell, PhoneType, parse_phone_cell
from tmdesk.domain.statuses import LeadStatus, ListStatus
from tmdesk.domain.timezones import RegionDirectory, default_directory, resolve_zones
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _, current_language
from tmdesk.services import output_files
from tmdesk.services.auth import require_supervisor_or_open
from tmdesk.services.call_list_columns import ColumnMap, column_names, map_columns
from tmdesk.services.call_list_files import CallListFile, SourceRow, open_call_list
from tmdesk.services.import_staging import (
    IMPORTING,
    LiveSnapshot,
    delete_leads,
    discard_run,
    live_lead_condition,
    numbers_live_elsewhere,
    remove_unfinished_imports,
    start_run,
)
from tmdesk.services.parse_workers import start_worker
from tmdesk.store.dialect import execute_many, lock_desk, storable_rows
from tmdesk.store.fields import utc_text
from tmdesk.store.models import AuditEvent, CallList, ImportRun, ZoneSet, database, utc_now
from tmdesk.store.models import NumberRange as RangeRow

CHUNK_ROWS = 2_000
# Leads written per transaction: another writer (an agent's claim) waits for at most one
# (~0.1 s; 0.5 s on a machine loaded 3-fold).
WRITE_ROWS = 1_000
# after each written chunk the lock is left free this long, so a desk that polls for it
# (a claim tries every millisecond: see DeskSqliteDatabase) gets in between two chunks
# instead of waiting for the import's next chunk too; 1,000 gaps cost a 1M-row import 2 s
LOCK_GAP_SECONDS = 0.002
# Below this many rows a worker pool costs more to start than it saves.
POOL_THRESHOLD_ROWS = 40_000
# The unpacked size of an XLSX sheet (or its shared strings) read at most: a 2 MB zip bomb
# must be refused from its directory, not unpacked into gigabytes of memory.
MAX_SHEET_MB = 512
# Fields that several columns add up to (first name + last name); the rest take the
# first filled column (a file with both "company" and "company_name").
_JOINERS = {"contact": " ", "email": ", ", "comment": "\n"}
TEXT_FIELDS = (
    "company",
    "contact",
    "position",
    "email",
    "city",
    "region",
    "inn",
    "website",
    "comment",
)


class CallListImportError(TmdeskError):
    """The file cannot be imported as a whole (nothing was made live)."""


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class ImportReport:
    file: str
    list_name: str
    rows: int
    imported: int
    duplicates: int
    invalid: int
    dnc: int
    empty: int
    errors: tuple[RowProblem, ...]
    columns: tuple[str, ...]  # "Телефон → phone" lines
    encoding: str | None
    delimiter: str | None
    dry_run: bool
    rejects_path: str | None
    import_run_id: int | None
    call_list_id: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "invalid": self.invalid,
            "dnc": self.dnc,
            "empty": self.empty,
            "errors": [problem.to_json() for problem in self.errors],
            "file": self.file,
            "list": self.list_name,
            "dry_run": self.dry_run,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rejects": self.rejects_path,
            "import_run": self.import_run_id,
        }


class PreparedRow(NamedTuple):
    """A row after the pure work (phones, zones); the database decides the rest.

    A named tuple: thousands of them cross between processes per second.
    """

    line: int
    outcome: str  # lead | invalid | empty
    reason: str = ""
    values: tuple[Any, ...] = ()  # the lead's columns, see _LEAD_COLUMNS
    e164: str = ""
    zones: str = ""


PRIORITY_MAX = 1_000_000_000
_INTEGER = re.compile(r"[+-]?[0-9]+")

# The place of a lead still to be looked up with the geocoder.
GEOCODE = "\x00geocode"

# The columns the importer writes, in the order of PreparedRow.values + the fixed tail.
_LEAD_COLUMNS = (
    "source_line",
    "company",
    "contact",
    "position",
    "email",
    "city",
    "region",
    "inn",
    "website",
    "comment",
    "extra",
    "phone_raw",
    "phone_e164",
    "phone_ext",
    "alternates",
    "phone_region",
    "phone_kind",
    "place",
    "zone_source",
    "priority",
)
_PLACE = _LEAD_COLUMNS.index("place")  # in PreparedRow.values
_TAIL_COLUMNS = (
    "call_list_id",
    "import_run_id",
    "zone_set_id",
    "status",
    "list_priority",
    "attempts",
    "created_at",
    "updated_at",
)


class _RowPreparer:
    """The pure, picklable part of importing a row: runs in worker processes for big files."""

    def __init__(
        self,
        headers: tuple[str, ...],
        columns: ColumnMap,
        default_region: str,
        plan_ranges: tuple[NumberRange, ...],
    ):
        self.headers = headers
        self.names = column_names(headers)  # "Цена", "Цена (2)": no extra value overwritten
        self.columns = columns
        self.default_region = default_region
        self.plan_ranges = plan_ranges
        self._plan: NumberingPlan | None = None
        # fields with one column are read straight from it (the common case, ~10 a row)
        self._single = {name: cols[0] for name, cols in columns.fields.items() if len(cols) == 1}
        self._multi = {name for name, cols in columns.fields.items() if len(cols) > 1}
        self._directory: RegionDirectory | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_plan"] = state["_directory"] = None  # rebuilt in the worker
        return state

    def _setup(self) -> None:
        if self._directory is None:
            self._directory = default_directory()
            self._plan = NumberingPlan(self.plan_ranges) if self.plan_ranges else None

    def prepare(self, rows: list[tuple[int, tuple[str, ...], frozenset[int]]]) -> list[PreparedRow]:
        """(line, cells, lossy) triples: plain tuples pickle several times faster."""
        self._setup()
        return [self.prepare_row(SourceRow(*row)) for row in rows]

    def _text(self, cells: tuple[str, ...], name: str) -> str:
        """The field's text, verbatim; several columns: joined, or the first filled one."""
        indexes = self.columns.fields.get(name, ())
        if not indexes:
            return ""
        if len(indexes) == 1:  # the common case, kept cheap: it runs ~10 times a row
            index = indexes[0]
            return cells[index] if index < len(cells) and cells[index].strip() else ""
        parts = [cells[i] for i in indexes if i < len(cells) and cells[i].strip()]
        joiner = _JOINERS.get(name)
        if joiner is None:
            return parts[0] if parts else ""
        return joiner.join(parts)

    def prepare_row(self, row: SourceRow) -> PreparedRow:
        cells = row.cells
        if not any(cell.strip() for cell in cells):
            return PreparedRow(row.line, "empty")
        phone_columns = self.columns.fields.get("phone", ())
        for index in phone_columns:
            if index in row.lossy and index < len(cells) and cells[index].strip():
                return PreparedRow(
                    row.line,
                    "invalid",
                    _(
                        "{column}: the phone is stored as a number in Excel and may have lost "
                        "digits ({value}); format the column as text and export again"
                    ).format(column=self._header(index), value=cells[index]),
                )
        if not phone_columns:
            return PreparedRow(
                row.line,
                "invalid",
                _("no phone column in the file; map one with --map COLUMN=phone"),
            )
        phone_cells = [cells[i] for i in phone_columns if i < len(cells) and cells[i].strip()]
        if not phone_cells:
            return PreparedRow(row.line, "invalid", _("no phone number"))
        parsed = [parse_phone_cell(cell, self.default_region) for cell in phone_cells]
        alternates: list[Phone]
        if len(parsed) == 1 and not parsed[0].alternates:
            primary, alternates = parsed[0].primary, []
        else:
            primary, alternates = _pick_phones(parsed)
        if primary is None:
            rejected = [p for cell in parsed for p in cell.rejected]
            reason = (
                rejected[0].reason if rejected and rejected[0].reason else _("not a phone number")
            )
            raw = rejected[0].raw if rejected else phone_cells[0]
            return PreparedRow(row.line, "invalid", f"{raw!r}: {reason}")

        city, region = self._text(cells, "city"), self._text(cells, "region")
        zones, zone_source, place = self._zones_and_place(
            primary, city, region, self._text(cells, "timezone")
        )
        extra = {}
        for index in self.columns.extra:
            if index < len(cells) and cells[index] != "":
                extra[self._header(index)] = cells[index]
        for index in range(len(self.headers), len(cells)):  # ragged rows keep their tail
            if cells[index] != "":
                extra[_("column {n}").format(n=index + 1)] = cells[index]
        priority_text = self._text(cells, "priority")
        priority = _priority(priority_text) if priority_text else 0
        if priority is None:  # kept as text: the lead is still worth calling
            priority = 0
            key = (
                _("priority (not a number)")
                if not _INTEGER.fullmatch(priority_text.strip())
                else _("priority (out of range 0–{top})").format(top=PRIORITY_MAX)
            )
            extra[key] = priority_text
        values = (
            row.line,
            *[
                self._text(cells, name)
                if name in self._multi
                else (
                    cells[i]
                    if (i := self._single.get(name, -1)) >= 0
                    and i < len(cells)
                    and cells[i].strip()
                    else ""
                )
                for name in TEXT_FIELDS
            ],
            json.dumps(extra, ensure_ascii=False) if extra else None,
            "; ".join(phone_cells),
            primary.e164,
            primary.extension,
            json.dumps(
                [{"e164": p.e164, "ext": p.extension, "raw": p.raw} for p in alternates],
                ensure_ascii=False,
            )
            if alternates
            else None,
            primary.region,
            str(primary.kind),
            place,
            zone_source,
            priority,
        )
        # a valid phone (parse_phone_cell returns no other) always has its E.164 form
        e164 = cast(str, primary.e164)
        return PreparedRow(row.line, "lead", values=values, e164=e164, zones=zones)

    def _header(self, index: int) -> str:
        if index < len(self.names) and self.names[index]:
            return self.names[index]
        return _("column {n}").format(n=index + 1)

    def _zones_and_place(
        self, phone: Phone, city: str, region: str, zone_text: str
    ) -> tuple[str, str, str]:
        e164 = cast(str, phone.e164)  # a valid phone's
        if zone_text:
            zones = _explicit_zone(zone_text)
            if zones:
                return zones, "region", ", ".join(p for p in (city, region) if p)
        resolution = resolve_zones(
            e164, region_text=region, city_text=city, plan=self._plan, directory=self._directory
        )
        if city or region:
            place = ", ".join(p for p in (city, region) if p)
        elif resolution.source == "plan" and self._plan is not None:
            place = self._plan.region_for(e164) or ""
        elif phone.kind in (PhoneType.MOBILE, PhoneType.UNKNOWN):
            place = ""  # libphonenumber only knows the country of a mobile number
        else:
            # a landline with no city given: its area's name comes from libphonenumber's
            # geocoder, looked up by the writing process (see _LeadWriter) so that worker
            # processes never load its ~100 MB of data
            place = GEOCODE
        return "|".join(resolution.zones), resolution.source, place


def _priority(text: str) -> int | None:
    """A lead's priority from its cell: a whole number 0…PRIORITY_MAX, else None (SQLite
    stores at most 64 bits, and a negative priority means nothing to the queue)."""
    text = text.strip()
    if not _INTEGER.fullmatch(text):  # int() would take "1_000" and Arabic-Indic digits
        return None
    value = int(text)
    return value if 0 <= value <= PRIORITY_MAX else None


def _pick_phones(parsed: list[PhoneCell]) -> tuple[Phone | None, list[Phone]]:
    primary: Phone | None = None
    alternates: list[Phone] = []
    seen: set[str | None] = set()
    for cell in parsed:
        for phone in ([cell.primary] if cell.primary else []) + list(cell.alternates):
            if phone.e164 in seen:
                continue
            seen.add(phone.e164)
            if primary is None:
                primary = phone
            else:
                alternates.append(phone)
    return primary, alternates


@lru_cache(maxsize=256)
def _explicit_zone(text: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    return text.strip()


@lru_cache(maxsize=100_000)
def _geocoded_by_prefix(prefix: str, e164: str) -> str:
    # geocoder data is keyed by at most 9 leading digits, so the prefix decides the answer
    import phonenumbers
    from phonenumbers import geocoder  # ~300 ms and ~100 MB: only the importer pays it

    return geocoder.description_for_number(phonenumbers.parse(e164), "ru")


def _geocoded_place(e164: str) -> str:
    from phonenumbers.geodata import GEOCODE_LONGEST_PREFIX

    return _geocoded_by_prefix(e164[1 : 1 + GEOCODE_LONGEST_PREFIX], e164)


# --- reading ------------------------------------------------------------------------------


def _chunks(rows: Iterator[SourceRow], size: int) -> Iterator[list[SourceRow]]:
    chunk: list[SourceRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _prepared_chunks(
    source: CallListFile, preparer: _RowPreparer, use_pool: bool
) -> Iterator[list[PreparedRow]]:
    """Prepared rows in file order; with a pool, a bounded number of chunks in flight."""
    chunks = _chunks(source.rows(), CHUNK_ROWS)
    plain = ([(row.line, row.cells, row.lossy) for row in chunk] for chunk in chunks)
    if not use_pool:
        yield from map(preparer.prepare, plain)
        return
    workers = max(1, (os.cpu_count() or 2))
    # spawn: the caller may be a threaded TUI, and forking a threaded process is unsafe
    with ProcessPoolExecutor(
        workers,
        mp_context=get_context("spawn"),
        initializer=start_worker,
        initargs=(os.getpid(), current_language()),
    ) as pool:
        pending: deque[Future[Any]] = deque()
        for chunk in plain:
            pending.append(pool.submit(preparer.prepare, chunk))
            if len(pending) >= workers * 3:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


# --- writing ------------------------------------------------------------------------------


class _RejectsWriter:
    """The rejected rows with the original columns plus line and reason (UTF-8 with BOM).

    An existing file is refused before the import starts unless `replace` (never a
    database or a symlink: see output_files); rows go to an owner-only temporary file
    beside it, moved in place when the import commits.
    """

    def __init__(
        self, path: Path, headers: tuple[str, ...], delimiter: str | None, replace: bool = False
    ):
        self.path = output_files.check_target(path, force=replace)
        self.replace = replace
        self.headers = headers
        self.delimiter = delimiter or ";"  # XLSX: as Russian-locale Excel expects
        self._file: TextIO | None = None
        self._writer: Any = None  # a csv writer, once the first row is rejected
        self._temp: Path | None = None

    def write(self, row: SourceRow, reason: str) -> None:
        if self._writer is None:
            self._temp = output_files.create_temporary(self.path)
            self._file = open(self._temp, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
            self._writer = csv.writer(self._file, delimiter=self.delimiter)
            self._writer.writerow([*self.headers, _("line"), _("reason")])
        cells = list(row.cells) + [""] * (len(self.headers) - len(row.cells))
        try:
            self._writer.writerow([*cells, row.line, reason])
        except OSError as error:  # a full disk
            raise output_files.refused(self.path, error) from None

    def commit(self) -> str | None:
        if self._file is None or self._temp is None:  # (set together)
            return None
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
        except OSError as error:
            raise output_files.refused(self.path, error) from None
        output_files.publish(self._temp, self.path, force=self.replace)
        return str(self.path)

    def discard(self) -> None:
        if self._file is not None and self._temp is not None:  # (set together)
            with contextlib.suppress(OSError):
                self._file.close()
            output_files.discard(self._temp)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _ZoneSets:
    def __init__(self, create: bool = True):
        self.ids = {row.zones: row.id for row in ZoneSet.select()}
        self.create = create

    def id_for(self, zones: str) -> int:
        if zones not in self.ids:
            if not self.create:  # a dry run: nothing written
                return 0
            # another import may add the same zones at the same moment
            ZoneSet.insert(zones=zones).on_conflict_ignore().execute()
            self.ids[zones] = ZoneSet.get(ZoneSet.zones == zones).id
        return self.ids[zones]


def zone_set_ids(zone_texts: Iterable[str]) -> dict[str, int]:
    """Ids of zone sets ("Asia/Omsk|Asia/Novosibirsk"), created when new."""
    sets = _ZoneSets()
    return {text: sets.id_for(text) for text in set(zone_texts)}


def _placeholders(count: int) -> str:
    return ",".join("?" * count)


def _existing_numbers(
    numbers: list[str], run_id: int | None
) -> dict[str, tuple[str, int | None, int | None, int]]:
    """For numbers already on a live lead of a list that is not archived, or on a lead of
    this run: e164 → (list, line, run, id). Other imports still running are not looked at:
    the last transaction of the later one settles numbers they share."""
    found: dict[str, tuple[str, int | None, int | None, int]] = {}
    live = live_lead_condition()
    if run_id is not None:
        live = f"({live} OR lead.import_run_id = {int(run_id)})"
    cursor = database.execute_sql(
        "SELECT lead.phone_e164, call_list.name, lead.source_line, lead.import_run_id, lead.id "
        "FROM lead JOIN call_list ON call_list.id = lead.call_list_id "
        f"WHERE call_list.status != 'archived' AND {live} AND lead.phone_e164 IN "
        f"({_placeholders(len(numbers))})",
        numbers,
    )
    for e164, list_name, line, run, lead_id in cursor:
        if run == run_id:  # this file's own earlier line wins over another list's
            found[e164] = (list_name, line, run, lead_id)
        else:
            found.setdefault(e164, (list_name, line, run, lead_id))
    return found


def _dnc_numbers(numbers: list[str]) -> set[str]:
    cursor = database.execute_sql(
        f"SELECT phone_e164 FROM dnc_entry WHERE phone_e164 IN ({_placeholders(len(numbers))})",
        numbers,
    )
    return {row[0] for row in cursor}


def use_worker_pool(expected_rows: int | None) -> bool:
    """Parse in worker processes: only a large file on a machine with cores to spare."""
    return (expected_rows or 0) >= POOL_THRESHOLD_ROWS and (os.cpu_count() or 1) > 1


def import_call_list(
    path: Path | str,
    *,
    list_name: str | None = None,
    default_region: str = "RU",
    overrides: Mapping[str, str] | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    dry_run: bool = False,
    rejects_path: Path | str | None = None,
    replace_rejects: bool = False,
    user_id: int | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    max_sheet_mb: int = MAX_SHEET_MB,
) -> ImportReport:
    """Import `path` into the list `list_name` (created if new; default: the file's stem).

    progress(rows_done, rows_expected) is called after each chunk. The leads are written a
    chunk at a time and stay hidden until the last, short transaction (see import_staging).
    `max_sheet_mb` caps the unpacked size of an XLSX sheet (a zip bomb is refused unread).
    """
    if not dry_run:  # a dry run writes nothing: anyone may check a file
        require_supervisor_or_open(user_id, _("import call lists"))
    path = Path(path)
    list_name = (list_name or path.stem).strip()
    if not list_name:
        raise CallListImportError(_("a list needs a name (--list)"))
    default_region = default_region.upper()
    if not dry_run:
        remove_unfinished_imports()
    with open_call_list(
        path, sheet=sheet, encoding=encoding, max_sheet_bytes=max_sheet_mb * 2**20
    ) as source:
        # a file without a phone column still gets every row accounted for (all invalid)
        columns = map_columns(source.headers, overrides, require_phone=False)
        expected = source.approximate_rows()
        plan = tuple(
            NumberRange(r.prefix, r.start, r.end, r.operator, r.region)
            for r in RangeRow.select().iterator()
        )
        preparer = _RowPreparer(source.headers, columns, default_region, plan)
        use_pool = use_worker_pool(expected)
        rejects = _RejectsWriter(
            Path(rejects_path) if rejects_path else path.with_name(f"{path.stem}.rejects.csv"),
            source.headers,
            source.delimiter,
            # FILE.rejects.csv beside the input is this import's own, replaced on a re-run;
            # a file named with --rejects only with --force; a dry run writes none
            replace_rejects or not rejects_path or dry_run,
        )
        counts = dict(rows=0, imported=0, duplicates=0, invalid=0, dnc=0, empty=0)
        problems: list[RowProblem] = []
        run_id = list_id = lock = written = None
        try:
            if dry_run:
                writer = _LeadWriter(_dry_run_list(list_name), None)
            else:
                call_list, run, lock = start_run(
                    list_name,
                    default_region,
                    user_id,
                    file_name=str(path),
                    file_sha256=_file_digest(path),
                    kind=source.kind,
                    encoding=source.encoding,
                    delimiter=source.delimiter,
                    sheet=source.sheet,
                    columns=columns.describe(source.headers),
                )
                run_id, list_id = run.id, call_list.id
                started = LiveSnapshot(run_id)  # before any number is compared
                writer = _LeadWriter(call_list, run_id)
            rows_by_line: dict[int, SourceRow] = {}
            for prepared in _prepared_chunks(_remember(source, rows_by_line), preparer, use_pool):
                for outcome, row, reason in writer.write(prepared):
                    counts["rows"] += 1
                    counts[outcome] += 1
                    if reason:
                        problems.append(RowProblem(row.line, reason))
                        rejects.write(rows_by_line[row.line], reason)
                for row in prepared:
                    rows_by_line.pop(row.line, None)
                if progress:
                    progress(counts["rows"], expected)
            if dry_run:
                rejects.discard()
            else:
                written = _make_live(source, run, started, writer, counts, problems, rejects)
                live, lock = lock, None  # live now: nothing below may discard it
                assert live is not None  # start_run took it
                live.release()
        except BaseException:
            rejects.discard()
            if lock is not None:
                discard_run(lock)
            raise
    assert (
        sum(counts[k] for k in ("imported", "duplicates", "invalid", "dnc", "empty"))
        == counts["rows"]
    ), counts
    return ImportReport(
        file=str(path),
        list_name=list_name,
        errors=tuple(sorted(problems, key=lambda problem: problem.line)),
        columns=tuple(columns.describe(source.headers)),
        encoding=source.encoding,
        delimiter=source.delimiter,
        dry_run=dry_run,
        rejects_path=written,
        import_run_id=run_id,
        call_list_id=list_id,
        **counts,
    )


def _dry_run_list(list_name: str) -> CallList:
    call_list = CallList.get_or_none(CallList.name == list_name)
    if call_list is not None and call_list.status == ListStatus.ARCHIVED:
        raise CallListImportError(
            _("list {name!r} is archived; import into a new list").format(name=list_name)
        )
    return call_list or CallList(name=list_name)


class _Retry(Exception):
    """Another import went live between the last check and the final transaction."""


def _make_live(
    source: CallListFile,
    run: ImportRun,
    started: LiveSnapshot,
    writer: _LeadWriter,
    counts: dict[str, int],
    problems: list[RowProblem],
    rejects: _RejectsWriter,
) -> str | None:
    """Drop the numbers another import made live meanwhile, then make the run live.

    Each chunk was compared with the leads live when it was written, so only the runs that
    finished since `started` (taken before the first chunk) are compared again, outside any
    transaction; usually there are none. The last transaction only makes sure no run went
    live since that comparison (else it goes round again), so it stays short at any size.
    Two overlapping imports: each number ends on one lead, and the later one reports it as
    a duplicate. Returns the rejects file written, if any."""
    compared = started
    while True:
        now = LiveSnapshot(run.id)
        since = compared.live_since("o")
        late = numbers_live_elsewhere(run.id, since) if since else []
        if late:
            _reject_late(source, late, writer, counts, problems, rejects)
        compared = now
        try:
            with database.atomic():
                lock_desk("import")  # PostgreSQL: one import goes live at a time
                if compared.live_since("o"):
                    raise _Retry
                call_list = CallList.get_by_id(run.call_list_id)
                if call_list.status == ListStatus.ARCHIVED:
                    raise CallListImportError(
                        _("list {name!r} was archived during the import").format(
                            name=call_list.name
                        )
                    )
                written = rejects.commit()
                finished = dict(counts, finished_at=utc_now(), rejects_path=written)
                ImportRun.update(**finished).where(ImportRun.id == run.id).execute()
                if call_list.status == IMPORTING:
                    CallList.update(status=ListStatus.ACTIVE).where(
                        CallList.id == call_list.id
                    ).execute()
                AuditEvent.create(
                    user=run.user_id,
                    action="import",
                    details={
                        "list_id": call_list.id,
                        "list": call_list.name,
                        "import_run": run.id,
                        "file": run.file_name,
                        **counts,
                    },
                )
            return written
        except _Retry:
            continue


def _reject_late(
    source: CallListFile,
    late: list[tuple[int, int, str, str, str]],
    writer: _LeadWriter,
    counts: dict[str, int],
    problems: list[RowProblem],
    rejects: _RejectsWriter,
) -> None:
    """Turn this run's leads whose number went live elsewhere into duplicates."""
    delete_leads([lead_id for lead_id, *_rest in late])
    reasons = {}
    for _lead, line, phone, _status, list_name in late:
        counts["dnc" if line in writer.dnc_lines else "imported"] -= 1
        counts["duplicates"] += 1
        reasons[line] = _("{phone} is already in list {name!r}").format(phone=phone, name=list_name)
        problems.append(RowProblem(line, reasons[line]))
    for row in source.rows():  # a second pass, for the rejects file's original cells
        if row.line in reasons:
            rejects.write(row, reasons[row.line])


def _remember(source: CallListFile, rows_by_line: dict[int, SourceRow]) -> Any:
    """A view of the source that keeps each row until it is written (for the rejects file)."""

    class _Remembering:
        kind = source.kind

        def rows(self) -> Iterator[SourceRow]:
            for row in source.rows():
                rows_by_line[row.line] = row
                yield row

    return _Remembering()


def _write_chunk(sql: str, batch: list[tuple[Any, ...]]) -> None:
    """One chunk of leads in its own short transaction: the floor waits for at most this."""
    with database.atomic():
        execute_many(sql, storable_rows(batch))
    time.sleep(LOCK_GAP_SECONDS)


class _LeadWriter:
    """Decides duplicates and DNC against the database and inserts leads with executemany.

    Without a run (a dry run) nothing is written: the file's own numbers are remembered.
    """

    def __init__(self, call_list: CallList, run_id: int | None):
        self.list_id = call_list.id
        self.list_priority = call_list.priority
        self.run_id = run_id
        self.dry_run = run_id is None
        self.zone_sets = _ZoneSets(create=not self.dry_run)
        self.now = utc_text(utc_now())
        columns = _LEAD_COLUMNS + _TAIL_COLUMNS
        self.sql = f"INSERT INTO lead ({', '.join(columns)}) VALUES ({_placeholders(len(columns))})"
        self.dry_lines: dict[str, int] = {}  # e164 → line: a dry run's own numbers
        self.dnc_lines: set[int] = set()  # lines stored as dnc (rare), for late duplicates

    def write(self, prepared: list[PreparedRow]) -> Iterator[tuple[str, PreparedRow, str]]:
        numbers = sorted({row.e164 for row in prepared if row.outcome == "lead"})
        existing = _existing_numbers(numbers, self.run_id) if numbers else {}
        dnc = _dnc_numbers(numbers) if numbers else set()
        batch, outcomes = [], []
        seen_here: dict[str, int] = self.dry_lines if self.dry_run else {}
        for row in prepared:
            if row.outcome != "lead":
                outcomes.append((row.outcome, row, row.reason))
                continue
            first_line = seen_here.get(row.e164)
            if first_line is None and row.e164 in existing:
                list_name, line, run_id, _lead = existing[row.e164]
                if run_id == self.run_id and not self.dry_run:
                    first_line = line
                else:
                    outcomes.append(
                        (
                            "duplicates",
                            row,
                            _("{phone} is already in list {name!r}").format(
                                phone=row.e164, name=list_name
                            ),
                        )
                    )
                    continue
            if first_line is not None:
                outcomes.append(
                    (
                        "duplicates",
                        row,
                        _("{phone} repeats line {line}").format(phone=row.e164, line=first_line),
                    )
                )
                continue
            seen_here[row.e164] = row.line
            status = LeadStatus.DNC if row.e164 in dnc else LeadStatus.NEW
            if status == LeadStatus.DNC:
                self.dnc_lines.add(row.line)
            outcomes.append(("dnc" if status == "dnc" else "imported", row, ""))
            if self.dry_run:
                continue
            values = row.values
            if values[_PLACE] == GEOCODE:
                values = (*values[:_PLACE], _geocoded_place(row.e164), *values[_PLACE + 1 :])
            batch.append(
                (
                    *values,
                    self.list_id,
                    self.run_id,
                    self.zone_sets.id_for(row.zones),
                    status,
                    self.list_priority,
                    0,
                    self.now,
                    self.now,
                )
            )
        for start in range(0, len(batch), WRITE_ROWS):
            _write_chunk(self.sql, batch[start : start + WRITE_ROWS])
        return iter(outcomes)
