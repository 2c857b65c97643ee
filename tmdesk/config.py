"""The desk's settings, read from a TOML file (`--config` / TMDESK_CONFIG).

Every setting has a default from DESIGN §3, so an empty or missing file is a working desk.
data/config.example.toml documents each key. Bad values are refused with the file, the
key and what is wrong; unknown keys too, since a typo silently ignored is a rule not applied.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tmdesk.domain.calling_window import WeeklyWindows
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _


class ConfigError(TmdeskError):
    """The configuration file cannot be used; the message says where and why."""


DEFAULT_RETRY = {
    "no_answer": timedelta(hours=2),
    "busy": timedelta(minutes=20),
    "voicemail": timedelta(days=1),
}


def _default_lead_hours() -> WeeklyWindows:
    return WeeklyWindows.from_mapping({"mon-fri": ["09:00-18:00"]})


@dataclass(frozen=True)
class MeetingSettings:
    """[meetings]: which slots the booking panel offers (DESIGN §3, meetings)."""

    min_notice: timedelta = timedelta(hours=2)  # no slot sooner than this from now
    horizon_days: int = 14  # how far ahead slots are offered
    step_minutes: int = 30  # slots start on these steps of the local clock (:00, :30)
    # the lead's business hours in the lead's zone: slots outside are marked, not hidden
    lead_hours: WeeklyWindows = field(default_factory=_default_lead_hours)


@dataclass(frozen=True)
class WebSettings:
    """[web]: the desk served to browsers (`tmdesk web`), and sign-in over a network."""

    require_passwords: bool = False  # refuse name-only sign-in everywhere, terminals too
    idle_minutes: float = 15  # a browser session signs out after this long untouched
    max_failed_sign_ins: int = 5  # wrong passwords per user in lockout_minutes …
    max_failed_per_address: int = 20  # … and per browser address
    lockout_minutes: float = 15
    dial_link: str = "tel:{e164}"  # web mode with only a dial_command: the softphone's link
    upload_dir: str = ""  # where uploaded call lists wait (default: next to the database)


def _web_settings(raw: dict[str, Any], fail) -> WebSettings:
    """The [web] table, checked; `fail(key, problem)` makes the ConfigError."""
    values: dict[str, Any] = {}
    for key, value in raw.items():
        label = f"web.{key}"
        if key == "require_passwords":
            if not isinstance(value, bool):
                raise fail(label, _("must be true or false, not {value!r}").format(value=value))
        elif key in ("idle_minutes", "lockout_minutes"):
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise fail(
                    label, _("must be a number of minutes > 0, not {value!r}").format(value=value)
                )
        elif key in ("max_failed_sign_ins", "max_failed_per_address"):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise fail(
                    label, _("must be a whole number ≥ 1, not {value!r}").format(value=value)
                )
        elif key == "dial_link":
            if not isinstance(value, str) or "{e164}" not in value or ":" not in value:
                raise fail(
                    label,
                    _(
                        "must be a link with {{e164}}, like 'tel:{{e164}}' or "
                        "'sip:{{e164}}@pbx.example.ru', not {value!r}"
                    ).format(value=value),
                )
        elif not isinstance(value, str):
            raise fail(label, _("must be text, not {value!r}").format(value=value))
        values[key] = value
    return WebSettings(**values)


@dataclass(frozen=True)
class Settings:
    source: Path | None = None
    default_region: str = "RU"
    agent_time_zone: str = "Europe/Moscow"
    calling_window: WeeklyWindows = field(default_factory=WeeklyWindows.default)
    max_attempts: int = 6
    max_attempts_per_day: int = 3
    min_gap: timedelta = timedelta(minutes=10)
    retry: dict[str, timedelta] = field(default_factory=lambda: dict(DEFAULT_RETRY))
    callback_grace: timedelta = timedelta(minutes=30)
    lease: timedelta = timedelta(minutes=5)
    undo_window: timedelta = timedelta(seconds=30)
    auto_advance: bool = True
    dial_command: str = ""
    review_required: bool = True
    keys: dict[str, str] = field(default_factory=dict)
    meetings: MeetingSettings = field(default_factory=MeetingSettings)
    web: WebSettings = field(default_factory=WebSettings)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|min|h|d)\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "min": "minutes", "h": "hours", "d": "days"}


def parse_duration(text: str | int) -> timedelta:
    """'20m', '2h', '1d', '45s'; a bare number means minutes."""
    if isinstance(text, int) and not isinstance(text, bool):
        return timedelta(minutes=text)
    match = _DURATION.match(str(text))
    if not match:
        raise ValueError(_("'{text}' is not a duration like 20m, 2h or 1d").format(text=text))
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


_SCHEMA: dict[str, set[str]] = {
    "desk": {
        "default_region",
        "agent_time_zone",
        "auto_advance",
        "undo_seconds",
        "lease_seconds",
        "dial_command",
    },
    "calling_window": set(),  # free keys: weekday ranges, checked by WeeklyWindows
    "attempts": {"max_per_lead", "max_per_day", "min_gap"},
    "retry": {"no_answer", "busy", "voicemail", "callback_grace"},
    "review": {"required"},
    "keys": set(),  # binding ids, checked against the key map by the caller
    "meetings": {"min_notice", "horizon_days", "step_minutes", "lead_hours"},
    "web": {
        "require_passwords",
        "idle_minutes",
        "max_failed_sign_ins",
        "max_failed_per_address",
        "lockout_minutes",
        "dial_link",
        "upload_dir",
    },
}


def load_settings(path: Path | str | None) -> Settings:
    """Settings from a TOML file, or the defaults when `path` is None."""
    if path is None:
        return Settings()
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(_("{path}: no such configuration file").format(path=path)) from None
    except UnicodeDecodeError:
        raise ConfigError(_("{path}: not UTF-8 text").format(path=path)) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from None
    return settings_from_mapping(raw, source=path)


def settings_from_mapping(raw: dict[str, Any], source: Path | None = None) -> Settings:
    where = str(source or "<settings>")

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{where}: {key}: {problem}")

    for section, value in raw.items():
        if section not in _SCHEMA:
            raise fail(
                section,
                _("unknown section (known: {names})").format(names=", ".join(sorted(_SCHEMA))),
            )
        if not isinstance(value, dict):
            raise fail(section, _("must be a table [{name}]").format(name=section))
        allowed = _SCHEMA[section]
        for key in value:
            if allowed and key not in allowed:
                raise fail(
                    f"{section}.{key}",
                    _("unknown key (known: {names})").format(names=", ".join(sorted(allowed))),
                )

    desk, attempts = raw.get("desk", {}), raw.get("attempts", {})
    retry_raw, review = raw.get("retry", {}), raw.get("review", {})
    settings = Settings(source=source)
    changes: dict[str, Any] = {}

    def typed(section: dict, key: str, kind: type, label: str):
        value = section[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise fail(label, _("must be a whole number ≥ 0, not {value!r}").format(value=value))
        if kind is bool and not isinstance(value, bool):
            raise fail(label, _("must be true or false, not {value!r}").format(value=value))
        if kind is str and not isinstance(value, str):
            raise fail(label, _("must be text, not {value!r}").format(value=value))
        return value

    def duration(section: dict, key: str, label: str) -> timedelta:
        try:
            return parse_duration(section[key])
        except ValueError as error:
            raise fail(label, str(error)) from None

    if "default_region" in desk:
        region = typed(desk, "default_region", str, "desk.default_region").upper()
        import phonenumbers  # only to check the code; cheap

        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise fail(
                "desk.default_region",
                _("'{code}' is not a region code like RU or KZ").format(code=region),
            )
        changes["default_region"] = region
    if "agent_time_zone" in desk:
        zone = typed(desk, "agent_time_zone", str, "desk.agent_time_zone")
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise fail(
                "desk.agent_time_zone",
                _("'{zone}' is not a time zone like Europe/Moscow").format(zone=zone),
            ) from None
        changes["agent_time_zone"] = zone
    if "auto_advance" in desk:
        changes["auto_advance"] = typed(desk, "auto_advance", bool, "desk.auto_advance")
    if "undo_seconds" in desk:
        changes["undo_window"] = timedelta(
            seconds=typed(desk, "undo_seconds", int, "desk.undo_seconds")
        )
    if "lease_seconds" in desk:
        seconds = typed(desk, "lease_seconds", int, "desk.lease_seconds")
        if seconds < 30:
            raise fail("desk.lease_seconds", _("must be at least 30"))
        changes["lease"] = timedelta(seconds=seconds)
    if "dial_command" in desk:
        changes["dial_command"] = typed(desk, "dial_command", str, "desk.dial_command")

    if "calling_window" in raw:
        try:
            changes["calling_window"] = WeeklyWindows.from_mapping(raw["calling_window"])
        except ValueError as error:  # the message names calling_window.<day> itself
            raise ConfigError(f"{where}: {error}") from None

    if "max_per_lead" in attempts:
        changes["max_attempts"] = typed(attempts, "max_per_lead", int, "attempts.max_per_lead")
    if "max_per_day" in attempts:
        changes["max_attempts_per_day"] = typed(
            attempts, "max_per_day", int, "attempts.max_per_day"
        )
    if "min_gap" in attempts:
        changes["min_gap"] = duration(attempts, "min_gap", "attempts.min_gap")

    retry = dict(DEFAULT_RETRY)
    for key in ("no_answer", "busy", "voicemail"):
        if key in retry_raw:
            retry[key] = duration(retry_raw, key, f"retry.{key}")
    changes["retry"] = retry
    if "callback_grace" in retry_raw:
        changes["callback_grace"] = duration(retry_raw, "callback_grace", "retry.callback_grace")

    if "required" in review:
        changes["review_required"] = typed(review, "required", bool, "review.required")

    keys = raw.get("keys", {})
    for binding, key in keys.items():
        if not isinstance(key, str) or not key.strip():
            raise fail(f"keys.{binding}", _("must be a key name like 'n' or 'ctrl+d'"))
    changes["keys"] = dict(keys)

    meetings_raw = raw.get("meetings", {})
    meetings: dict[str, Any] = {}
    if "min_notice" in meetings_raw:
        meetings["min_notice"] = duration(meetings_raw, "min_notice", "meetings.min_notice")
        if meetings["min_notice"] > timedelta(days=92):
            raise fail("meetings.min_notice", _("must be at most 92 days"))
    if "horizon_days" in meetings_raw:
        days = typed(meetings_raw, "horizon_days", int, "meetings.horizon_days")
        if not 1 <= days <= 92:
            raise fail("meetings.horizon_days", _("must be between 1 and 92 days"))
        meetings["horizon_days"] = days
    if "step_minutes" in meetings_raw:
        step = typed(meetings_raw, "step_minutes", int, "meetings.step_minutes")
        if not 5 <= step <= 240 or 1440 % step:  # steps must line up with midnight
            raise fail(
                "meetings.step_minutes",
                _("must be 5 to 240 minutes and divide a day (15, 30, 60, …), not {value}").format(
                    value=step
                ),
            )
        meetings["step_minutes"] = step
    if "lead_hours" in meetings_raw:
        try:
            meetings["lead_hours"] = WeeklyWindows.from_mapping(
                meetings_raw["lead_hours"], where="meetings.lead_hours"
            )
        except ValueError as error:  # the message names meetings.lead_hours.<day>
            raise ConfigError(f"{where}: {error}") from None
    changes["meetings"] = MeetingSettings(**meetings)
    changes["web"] = _web_settings(raw.get("web", {}), fail)
    return replace(settings, **changes)
