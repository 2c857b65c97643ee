"""Column types the store needs beyond peewee's own: UTC instants and JSON values.

Every instant is stored as fixed-width UTC text ("2026-11-26 16:14:33.000000") so that
raw SQL on the hot paths can compare them as strings and indexes stay usable.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from peewee import Field, TextField

_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def utc_text(value: datetime) -> str:
    """The stored form of an instant; naive datetimes are taken to be UTC already."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime(_FORMAT)


def parse_utc_text(text: str) -> datetime:
    if len(text) == 19:  # written by something else without microseconds
        text += ".000000"
    return datetime.strptime(text, _FORMAT).replace(tzinfo=UTC)


if TYPE_CHECKING:  # peewee's stubs make Field generic; at run time it is not
    _InstantField = Field[datetime]
else:
    _InstantField = Field


class UtcDateTimeField(_InstantField):
    """An instant, always handed back as an aware UTC datetime."""

    field_type = "TEXT"

    def db_value(self, value: datetime | str | None) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return utc_text(value)

    def python_value(self, value: datetime | str | None) -> datetime | None:
        if value is None or isinstance(value, datetime):
            return value
        return parse_utc_text(value)


class JsonField(TextField):
    """Plain JSON values (lists, dicts) kept verbatim, Cyrillic unescaped."""

    def db_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def python_value(self, value: str | None) -> Any:
        if value is None:
            return None
        return json.loads(value)
