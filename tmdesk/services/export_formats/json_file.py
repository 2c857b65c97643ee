"""JSON (docs/architecture.md §10): a list of lead objects, every value verbatim, UTF-8."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from typing import Any, BinaryIO

from tmdesk.services.export_formats import ExportMeta


def write(handle: BinaryIO, records: Iterable[Mapping[str, Any]], meta: ExportMeta) -> None:
    # Streamed one lead at a time, byte for byte what json.dump(list, indent=2) writes: an
    # element dumped alone and indented one level is the same text (JSON strings hold no
    # raw newline).
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n")
    try:
        text.write("[")
        first = True
        for record in records:
            item = json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            text.write(("\n  " if first else ",\n  ") + item)
            first = False
        text.write("]\n" if first else "\n]\n")
        text.flush()
    finally:
        text.detach()
