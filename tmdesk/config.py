"""The desk's settings, read from a TOML file (`--config` / TMDESK_CONFIG).

Every setting has a default (docs/architecture.md §8), so an empty or missing file is a
working desk. data/config.example.toml documents each key. SCHEMA below says, per key, which
setting it fills and how it is read (type, bounds, unit). Bad values are refused with the
file, the key and what is wrong; unknown keys too, since a typo silently ignored is a rule
not applied.

Over 400 lines: the settings, the value readers and SCHEMA describe every key together, so
a key, its setting and its check are read side by side.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tmdesk.domain.calling_window import WeeklyWindows
from tmdesk.domain.timezones import DEFAULT_ZONE
from tmdesk.errors import TmdeskError
from tmdesk.i18n import LANGUAGES, N_, _


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
    """[meetings]: which slots the booking panel offers (docs/architecture.md §7)."""

    min_notice: timedelta = timedelta(hours=2)  # no slot sooner than this from now
    horizon_days: int = 14  # how far ahead slots are offered
    step_minutes: int = 30  # slots start on these steps of the local clock (:00, :30)
    # the lead's business hours in the lead's zone: slots outside are marked, not hidden
    lead_hours: WeeklyWindows = field(default_factory=_default_lead_hours)


BACKENDS = ("command", "asterisk", "zadarma")


@dataclass(frozen=True)
class TelephonySettings:
    """[telephony]: click-to-call through the office PBX (see the README's Telephony)."""

    backend: str = "command"  # command (dial_command, no service) | asterisk | zadarma
    ami_host: str = "127.0.0.1"
    ami_port: int = 5038
    ami_username: str = ""
    ami_secret: str = ""
    ami_secret_env: str = ""  # the secret from this environment variable instead
    context: str = "from-tmdesk"  # the dialplan context of the lead's leg
    caller_id: str = ""  # the registered line the call goes out on
    caller_ids: dict[str, str] = field(default_factory=dict)  # per call list name
    agent_channel: str = "PJSIP/{extension}"
    ring_timeout: int = 30  # seconds the agent's own phone rings
    recording_variable: str = "TMDESK_RECORDING"  # set by the dialplan's MixMonitor
    api_key: str = ""
    api_secret_env: str = ""
    api_url: str = "https://api.zadarma.com"
    listen: str = "127.0.0.1:8085"
    play_command: str = ""  # e.g. "mpv {url}"
    auto_record_seconds: int = 0  # 0: an unanswered end only pre-selects the outcome

    @property
    def through_service(self) -> bool:
        return self.backend != "command"

    def secret(self, name: str, env_name: str) -> str:
        """A secret given in the file or, better, named by an environment variable."""
        import os

        return os.environ.get(env_name, "") if env_name else name


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


@dataclass(frozen=True)
class Settings:
    source: Path | None = None
    default_region: str = "RU"
    agent_time_zone: str = DEFAULT_ZONE
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
    language: str = ""  # "ru" | "en"; empty: --lang, then the environment decide
    keys: dict[str, str] = field(default_factory=dict)
    meetings: MeetingSettings = field(default_factory=MeetingSettings)
    telephony: TelephonySettings = field(default_factory=TelephonySettings)
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


# --- readers: a TOML value in, a setting out, or ValueError saying what is wrong ---------

Reader = Callable[[Any], Any]


class _Named(ValueError):
    """A problem whose message already names its key (calling windows name the weekday)."""


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(_("must be a whole number, not {value!r}").format(value=value))
    return value


def whole(low: int, high: int, unit: str = "") -> Reader:
    """A whole number in [low, high]; `unit` (marked with N_) only words the refusal."""

    def read(value: Any) -> int:
        number = _whole(value)
        if not low <= number <= high:
            raise ValueError(
                _("must be between {low} and {high}{unit}, not {value}").format(
                    low=low, high=high, unit=f" {_(unit)}" if unit else "", value=number
                )
            )
        return number

    return read


def seconds(low: int, high: int) -> Reader:
    """A whole number of seconds in [low, high], as a timedelta."""
    number = whole(low, high, N_("seconds"))
    return lambda value: timedelta(seconds=number(value))


def duration(high: timedelta, high_text: str) -> Reader:
    """'20m', '2h', '1d' or minutes; never negative, at most `high` (worded `high_text`)."""

    def read(value: Any) -> timedelta:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValueError(_("'{text}' is not a duration like 20m, 2h or 1d").format(text=value))
        if isinstance(value, int) and value < 0:
            raise ValueError(_("must not be negative, not {value}").format(value=value))
        try:
            got = parse_duration(value)
        except OverflowError:  # timedelta's own limit, far beyond any bound below
            got = timedelta.max
        if got > high:
            raise ValueError(_("must be at most {high}").format(high=_(high_text)))
        return got

    return read


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(_("must be true or false, not {value!r}").format(value=value))
    return value


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(_("must be text, not {value!r}").format(value=value))
    return value


def region(value: Any) -> str:
    import phonenumbers  # only to check the code; cheap

    code = text(value).upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(_("'{code}' is not a region code like RU or KZ").format(code=code))
    return code


def zone(value: Any) -> str:
    name = text(value)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            _("'{zone}' is not a time zone like Europe/Moscow").format(zone=name)
        ) from None
    return name


def day_step(value: Any) -> int:
    step = _whole(value)
    if not 5 <= step <= 240 or 1440 % step:  # steps must line up with midnight
        raise ValueError(
            _("must be 5 to 240 minutes and divide a day (15, 30, 60, …), not {value}").format(
                value=step
            )
        )
    return step


def windows(where: str) -> Reader:
    """Weekday → "HH:MM-HH:MM" windows; the message names `where`.<day> itself."""

    def read(value: Any) -> WeeklyWindows:
        try:
            return WeeklyWindows.from_mapping(value, where=where)
        except ValueError as error:
            raise _Named(str(error)) from None

    return read


def key_map(value: dict[str, Any]) -> dict[str, str]:
    """Binding id → key name; the ids are checked against the key map by the caller."""
    for binding, key in value.items():
        if not isinstance(key, str) or not key.strip():
            raise _Named(f"keys.{binding}: " + _("must be a key name like 'n' or 'ctrl+d'"))
    return dict(value)


def choice(names: tuple[str, ...]) -> Reader:
    def read(value: Any) -> str:
        if text(value) not in names:
            raise ValueError(
                _("must be one of {names}, not {value!r}").format(
                    names=", ".join(names), value=value
                )
            )
        return str(value)

    return read


def language(value: Any) -> str:
    """A language the desk speaks, or "" to let --lang and the environment decide."""
    return "" if text(value) == "" else choice(LANGUAGES)(value)


def with_extension(value: Any) -> str:
    if "{extension}" not in text(value):
        raise ValueError(_("must contain {extension}"))
    return str(value)


def lines_by_list(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError(_("must be a table of list name = caller id"))
    return dict(value)


def minutes(value: Any) -> float:
    """A positive number of minutes (fractions allowed), at most a day."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1440:
        raise ValueError(
            _("must be a number of minutes above 0 and at most 1440, not {value!r}").format(
                value=value
            )
        )
    return float(value)


def softphone_link(value: Any) -> str:
    link = text(value)
    if "{e164}" not in link or ":" not in link:
        raise ValueError(
            _(
                "must be a link with {{e164}}, like 'tel:{{e164}}' or "
                "'sip:{{e164}}@pbx.example.ru', not {value!r}"
            ).format(value=value)
        )
    return link


# --- the schema: [section] key → (Settings attribute, reader) ----------------------------
# "retry.busy" sets one item of Settings.retry; "meetings.x" one field of MeetingSettings.
# A new key is one line here (and its field in Settings, with the default).

_DAY = timedelta(days=1)
SCHEMA: dict[str, dict[str, tuple[str, Reader]]] = {
    "desk": {
        "default_region": ("default_region", region),
        "agent_time_zone": ("agent_time_zone", zone),
        "auto_advance": ("auto_advance", flag),
        "undo_seconds": ("undo_window", seconds(0, 3600)),
        "lease_seconds": ("lease", seconds(30, 86400)),
        "dial_command": ("dial_command", text),
        "language": ("language", language),
    },
    "attempts": {
        "max_per_lead": ("max_attempts", whole(1, 1000)),
        "max_per_day": ("max_attempts_per_day", whole(1, 100)),
        "min_gap": ("min_gap", duration(7 * _DAY, N_("7 days"))),
    },
    "retry": {
        "no_answer": ("retry.no_answer", duration(92 * _DAY, N_("92 days"))),
        "busy": ("retry.busy", duration(92 * _DAY, N_("92 days"))),
        "voicemail": ("retry.voicemail", duration(92 * _DAY, N_("92 days"))),
        "callback_grace": ("callback_grace", duration(92 * _DAY, N_("92 days"))),
    },
    "review": {
        "required": ("review_required", flag),
    },
    "meetings": {
        "min_notice": ("meetings.min_notice", duration(92 * _DAY, N_("92 days"))),
        "horizon_days": ("meetings.horizon_days", whole(1, 92, N_("days"))),
        "step_minutes": ("meetings.step_minutes", day_step),
        "lead_hours": ("meetings.lead_hours", windows("meetings.lead_hours")),
    },
    "telephony": {
        "backend": ("telephony.backend", choice(BACKENDS)),
        "ami_host": ("telephony.ami_host", text),
        "ami_port": ("telephony.ami_port", whole(1, 65535)),
        "ami_username": ("telephony.ami_username", text),
        "ami_secret": ("telephony.ami_secret", text),
        "ami_secret_env": ("telephony.ami_secret_env", text),
        "context": ("telephony.context", text),
        "caller_id": ("telephony.caller_id", text),
        "caller_ids": ("telephony.caller_ids", lines_by_list),
        "agent_channel": ("telephony.agent_channel", with_extension),
        "ring_timeout": ("telephony.ring_timeout", whole(5, 300, N_("seconds"))),
        "recording_variable": ("telephony.recording_variable", text),
        "api_key": ("telephony.api_key", text),
        "api_secret_env": ("telephony.api_secret_env", text),
        "api_url": ("telephony.api_url", text),
        "listen": ("telephony.listen", text),
        "play_command": ("telephony.play_command", text),
        "auto_record_seconds": ("telephony.auto_record_seconds", whole(0, 600, N_("seconds"))),
    },
    "web": {
        "require_passwords": ("web.require_passwords", flag),
        "idle_minutes": ("web.idle_minutes", minutes),
        "max_failed_sign_ins": ("web.max_failed_sign_ins", whole(1, 1000)),
        "max_failed_per_address": ("web.max_failed_per_address", whole(1, 10000)),
        "lockout_minutes": ("web.lockout_minutes", minutes),
        "dial_link": ("web.dial_link", softphone_link),
        "upload_dir": ("web.upload_dir", text),
    },
}
# sections whose keys are free (weekdays, binding ids): read as one table
WHOLE_SECTIONS: dict[str, tuple[str, Reader]] = {
    "calling_window": ("calling_window", windows("calling_window")),
    "keys": ("keys", key_map),
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
    """Settings from the parsed TOML; the first bad section, key or value is refused."""
    where = str(source or "<settings>")
    values: dict[str, Any] = {}  # Settings attribute (dotted: inside one) → value

    def read(label: str, reader: Reader, value: Any, target: str) -> None:
        try:
            values[target] = reader(value)
        except _Named as error:
            raise ConfigError(f"{where}: {error}") from None
        except ValueError as error:
            raise ConfigError(f"{where}: {label}: {error}") from None

    known = sorted([*SCHEMA, *WHOLE_SECTIONS])
    for section, table in raw.items():
        if section not in SCHEMA and section not in WHOLE_SECTIONS:
            problem = _("unknown section (known: {names})").format(names=", ".join(known))
            raise ConfigError(f"{where}: {section}: {problem}")
        if not isinstance(table, dict):
            problem = _("must be a table [{name}]").format(name=section)
            raise ConfigError(f"{where}: {section}: {problem}")
        if section in WHOLE_SECTIONS:
            target, reader = WHOLE_SECTIONS[section]
            read(section, reader, table, target)
            continue
        for key, value in table.items():
            if key not in SCHEMA[section]:
                names = ", ".join(sorted(SCHEMA[section]))
                problem = _("unknown key (known: {names})").format(names=names)
                raise ConfigError(f"{where}: {section}.{key}: {problem}")
            target, reader = SCHEMA[section][key]
            read(f"{section}.{key}", reader, value, target)
    return _apply(Settings(source=source), values)


def _apply(settings: Settings, values: dict[str, Any]) -> Settings:
    """Settings with `values` set; "a.b" sets item b of dict a, or field b of dataclass a."""
    top = {name: value for name, value in values.items() if "." not in name}
    for name, value in values.items():
        if "." in name:
            outer, inner = name.split(".", 1)
            current = top.get(outer, getattr(settings, outer))
            if isinstance(current, dict):
                top[outer] = {**current, inner: value}
            else:
                top[outer] = replace(current, **{inner: value})
    return replace(settings, **top)
