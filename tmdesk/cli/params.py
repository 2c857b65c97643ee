"""Dates and numbers on the command line, refused in one line when the desk cannot use them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from tmdesk.errors import TmdeskError
from tmdesk.i18n import _

FIRST_YEAR, LAST_YEAR = 1900, 2999  # beyond these a date is a typo, and overflows time zones


class InputOutOfRange(TmdeskError):
    """A date or number the desk cannot use, named with its option (one line, exit 1)."""


def _refuse(param: click.Parameter | None, value: Any, reason: str) -> InputOutOfRange:
    name = "/".join(param.opts) if param is not None and param.opts else ""
    if isinstance(param, click.Argument):
        name = param.human_readable_name
    return InputOutOfRange(
        _("{name} {value} {reason}").format(name=name, value=value, reason=reason).strip()
    )


class Day(click.DateTime):
    """YYYY-MM-DD within years the desk can compute with."""

    name = "date"

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d"])

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        day: datetime = super().convert(value, param, ctx)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise _refuse(
                param,
                value,
                _("is outside the calendar (years {first}–{last})").format(
                    first=FIRST_YEAR, last=LAST_YEAR
                ),
            )
        return day


class Whole(click.IntRange):
    """A whole number within bounds; SQLite holds 64-bit integers, so a larger number
    would crash the query instead of being refused."""

    def __init__(self, low: int, high: int = 2**63 - 1) -> None:
        super().__init__(low, high)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            number: int = super().convert(value, param, ctx)
            return number
        except click.BadParameter:
            raise _refuse(
                param,
                value,
                _("must be a whole number from {low} to {high}").format(
                    low=self.min, high=self.max
                ),
            ) from None


DAY = Day()
ID = Whole(1)
