"""Recognising the columns of a call list: which header feeds which lead field.

A header is reduced to its words (case-folded, 'ё' → 'е', punctuation, '_' and digits
dropped: "Телефон 2", "phone_2_number", "Тел." → "телефон", "phone number", "тел"). It maps to
a field when the words are a known name of that field ("Название компании", "E-mail"), or
when they are a head word of the field plus words that only qualify it ("Рабочий телефон",
"phone_work", "Email клиента", "ФИО ЛПР"); a phone head word wins over any other ("Телефон
компании" is a phone). Several columns may feed one field, in column order: the importer
takes every phone column as a phone cell, joins first/last name columns into the contact,
and keeps unmapped columns as extra data under their header names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tmdesk.i18n import _
from tmdesk.services.call_list_files import CallListFileError

FIELDS: tuple[str, ...] = (
    "company",
    "phone",
    "contact",
    "position",
    "email",
    "city",
    "region",
    "inn",
    "website",
    "comment",
    "priority",
    "timezone",
)

# field -> names; a one-word name is also a head word (see the module docstring)
_NAMES: dict[str, tuple[str, ...]] = {
    "phone": (
        "Телефон",
        "Тел",
        "Телефоны",
        "Мобильный",
        "Моб",
        "Моб. телефон",
        "Сотовый",
        "Номер",
        "Номер телефона",
        "Phone",
        "Phone number",
        "Phones",
        "Telephone",
        "Tel",
        "Mobile",
        "Cell",
        "Cellphone",
    ),
    "email": (
        "Email",
        "E-mail",
        "Emails",
        "Эл. почта",
        "Эл. адрес",
        "Почта",
        "Электронная почта",
        "Mail",
        "E-mail address",
        "Email address",
    ),
    "website": ("Сайт", "Веб-сайт", "Вебсайт", "Website", "Web site", "Site", "URL", "Web"),
    "inn": ("ИНН", "INN", "Tax ID", "TIN"),
    "timezone": ("Часовой пояс", "Timezone", "Time zone", "TZ", "Пояс"),
    "city": ("Город", "City", "Населенный пункт", "Town"),
    "region": ("Регион", "Область", "Субъект", "Субъект РФ", "Region", "State", "Province"),
    "position": ("Должность", "Position", "Title", "Job title", "Job"),
    "priority": ("Приоритет", "Priority"),
    "comment": (
        "Комментарий",
        "Комментарии",
        "Примечание",
        "Примечания",
        "Заметки",
        "Заметка",
        "Comment",
        "Comments",
        "Note",
        "Notes",
        "Background",
    ),
    "contact": (
        "Контактное лицо",
        "Контакт",
        "ФИО",
        "Имя",
        "Фамилия",
        "Отчество",
        "Имя Отчество",
        "Name",
        "Contact",
        "Contact name",
        "Contact person",
        "Full name",
        "First name",
        "Last name",
        "Middle name",
        "Surname",
    ),
    "company": (
        "Компания",
        "Организация",
        "Наименование",
        "Название",
        "Название компании",
        "Наименование компании",
        "Название организации",
        "Наименование организации",
        "Полное наименование",
        "Краткое наименование",
        "Фирма",
        "Юр. лицо",
        "Юрлицо",
        "Клиент",
        "Company",
        "Company name",
        "Organization",
        "Organisation",
        "Organization name",
        "Account",
        "Account name",
        "Business",
        "Business name",
    ),
}
# words that only say whose or which one: "Рабочий телефон", "email_home", "ИНН компании"
_QUALIFIERS = frozenset(
    """
    work home other main office direct business personal private primary secondary alt
    alternate additional number num no nr contact mobile cell company client customer
    lead the of address рабочий рабочая рабочее домашний домашняя мобильный сотовый
    городской контактный контактная контактное доп дополнительный дополнительная основной
    основная номер личный личная компании организации клиента контакта лица лицо лпр рф
""".split()
)
_PRIORITY = (
    "phone",
    "email",
    "website",
    "inn",
    "timezone",
    "city",
    "region",
    "position",
    "priority",
    "comment",
    "contact",
    "company",
)


def _words(header: str) -> tuple[str, ...]:
    text = header.casefold().replace("ё", "е")
    return tuple(w for w in re.split(r"[\W\d_]+", text) if w)


_EXACT = {" ".join(_words(n)): f for f, names in _NAMES.items() for n in names}
_HEADS = {
    f: frozenset(w for n in names if len(ws := _words(n)) == 1 for w in ws)
    for f, names in _NAMES.items()
}


def _field_for(header: str) -> str | None:
    words = _words(header)
    if not words:
        return None
    exact = _EXACT.get(" ".join(words)) or _EXACT.get("".join(words))
    if exact:
        return exact
    for field in _PRIORITY:
        heads = _HEADS[field]
        if any(w in heads for w in words) and all(w in heads or w in _QUALIFIERS for w in words):
            return field
    return None


class ColumnMapError(CallListFileError):
    """A header/--map problem; `str()` is one line without the file name."""


@dataclass(frozen=True)
class ColumnMap:
    fields: dict[str, tuple[int, ...]]  # field -> 0-based column indexes, in column order
    extra: tuple[int, ...]  # columns kept on the lead as extra data by header name

    def describe(self, headers: Sequence[str]) -> list[str]:
        """One line per column, in order: "Телефон → phone", "Цена → extra", "№ → skip"."""
        target = {i: f for f, cols in self.fields.items() for i in cols}
        target.update((i, "extra") for i in self.extra)
        names = column_names(headers)
        return [
            f"{names[i] or _label(headers, i)} → {target.get(i, 'skip')}"
            for i in range(len(headers))
        ]


def _label(headers: Sequence[str], i: int) -> str:
    return headers[i] if headers[i] else f"(column {i + 1})"


def column_names(headers: Sequence[str]) -> tuple[str, ...]:
    """The headers, a repeated one told apart by its number: "Цена", "Цена (2)"."""
    seen: dict[str, int] = {}
    names = []
    for header in headers:
        key = header.strip().casefold()
        seen[key] = seen.get(key, 0) + 1
        names.append(f"{header} ({seen[key]})" if key and seen[key] > 1 else header)
    return tuple(names)


# fields that take every column they are given (phones, joined names, notes); any other
# field takes one column, so a repeated header of it is kept as extra, not dropped
_TAKE_ALL = frozenset({"phone", "contact", "email", "comment"})


def map_columns(
    headers: Sequence[str],
    overrides: Mapping[str, str] | None = None,
    *,
    require_phone: bool = True,
) -> ColumnMap:
    """Map header names to FIELDS. `overrides` come from `--map COLUMN=FIELD`: COLUMN is a
    header name (case-insensitive; every column of that name) or a 1-based column number,
    FIELD is one of FIELDS, 'extra' or 'skip'. Columns not overridden keep their automatic
    mapping. Raises ColumnMapError for an unknown column or field, or when no column is a
    phone column."""
    target: dict[int, str] = {}
    seen: set[str] = set()
    for i, header in enumerate(headers):
        field = _field_for(header) or "extra"
        key = header.strip().casefold()
        if key in seen and field not in _TAKE_ALL:  # "Компания" twice: the second as extra
            field = "extra"
        seen.add(key)
        target[i] = field
    columns = ", ".join(f"{i + 1} {_label(headers, i)!r}" for i in range(len(headers)))
    for column, wanted in (overrides or {}).items():
        field = wanted.strip().casefold()
        if field not in (*FIELDS, "extra", "skip"):
            raise ColumnMapError(
                _("unknown field {field!r} in --map {column}={field}; fields: {fields}").format(
                    field=wanted, column=column, fields=", ".join((*FIELDS, "extra", "skip"))
                )
            )
        key = column.strip().casefold()
        hits = [i for i, h in enumerate(headers) if h.strip().casefold() == key]
        if not hits and key.isdigit() and 1 <= int(key) <= len(headers):
            hits = [int(key) - 1]
        if not hits:
            raise ColumnMapError(
                _("unknown column {column!r} in --map {column}={field}; columns: {columns}").format(
                    column=column, field=wanted, columns=columns
                )
            )
        for i in hits:
            target[i] = field
    if require_phone and "phone" not in target.values():
        raise ColumnMapError(
            _("no phone column; use --map COLUMN=phone (columns: {columns})").format(
                columns=columns
            )
        )
    fields = {f: tuple(i for i, t in target.items() if t == f) for f in FIELDS}
    return ColumnMap(
        fields={f: cols for f, cols in fields.items() if cols},
        extra=tuple(i for i, t in target.items() if t == "extra"),
    )
