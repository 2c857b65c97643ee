"""Writers of the handoff files: CSV, XLSX, JSON and iCalendar, one small module each.

Every writer takes the lead records of a batch (plain dicts, the snapshot stored with the
batch; streamed, read once) and an ExportMeta, and writes bytes to an open binary file.
They never read the database, so repeating a batch from its stored records writes the same
bytes. Anything time-dependent inside a file (XLSX document dates, .ics DTSTAMP) is the
batch's time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from tmdesk.errors import TmdeskError
from tmdesk.i18n import _, speaking

FORMATS = ("csv", "xlsx", "json", "ics")
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "json": "json", "ics": "ics"}


class ExportFormatError(TmdeskError):
    """The records cannot be written in the format asked for (the message says which lead,
    which field and what to do instead)."""


@dataclass(frozen=True)
class ExportMeta:
    created_at: datetime  # the batch's time (aware UTC): DTSTAMP, XLSX document dates
    excel_ru: bool = False  # CSV for Russian Excel: ';' and Windows-1251
    language: str | None = None  # headers and values in this language; None: the desk's


def write_records(
    fmt: str, handle: BinaryIO, records: Iterable[Mapping[str, Any]], meta: ExportMeta
) -> None:
    """Write `records` (a list, or a stream read once) to `handle` in `fmt`."""
    if fmt == "csv":
        from tmdesk.services.export_formats import csv_file as writer
    elif fmt == "xlsx":
        from tmdesk.services.export_formats import xlsx_file as writer  # type: ignore[no-redef]
    elif fmt == "json":
        from tmdesk.services.export_formats import json_file as writer  # type: ignore[no-redef]
    elif fmt == "ics":
        from tmdesk.services.export_formats import ics_file as writer  # type: ignore[no-redef]
    else:
        raise ExportFormatError(
            _("unknown format {fmt!r} (known: {known})").format(fmt=fmt, known=", ".join(FORMATS))
        )
    with speaking(meta.language):  # this export's language, in this thread only
        writer.write(handle, records, meta)
