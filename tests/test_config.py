"""The configuration file: defaults, every key, and clear refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tmdesk.config import ConfigError, Settings, load_settings, parse_duration

EXAMPLE = __import__("pathlib").Path(__file__).resolve().parents[1] / "data" / "config.example.toml"


def test_no_file_means_the_defaults_of_the_design():
    settings = load_settings(None)
    assert settings.max_attempts == 6 and settings.max_attempts_per_day == 3
    assert settings.retry == {
        "no_answer": timedelta(hours=2),
        "busy": timedelta(minutes=20),
        "voicemail": timedelta(days=1),
    }
    assert settings.review_required and settings.auto_advance


def test_the_example_file_is_valid_and_equals_the_defaults():
    example = load_settings(EXAMPLE)
    defaults = Settings()
    for name in (
        "default_region",
        "max_attempts",
        "max_attempts_per_day",
        "min_gap",
        "retry",
        "callback_grace",
        "lease",
        "undo_window",
        "auto_advance",
        "review_required",
        "calling_window",
    ):
        assert getattr(example, name) == getattr(defaults, name), name


def test_values_are_read(tmp_path):
    path = tmp_path / "desk.toml"
    path.write_text(
        '[desk]\ndefault_region = "kz"\ndial_command = "sip {e164}"\nauto_advance = false\n'
        '[attempts]\nmax_per_lead = 9\nmin_gap = "1h"\n'
        '[retry]\nbusy = "5m"\n[keys]\nnext-lead = "f6"\n',
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert settings.default_region == "KZ"
    assert settings.dial_command == "sip {e164}" and not settings.auto_advance
    assert settings.max_attempts == 9 and settings.min_gap == timedelta(hours=1)
    assert settings.retry["busy"] == timedelta(minutes=5)
    assert settings.retry["no_answer"] == timedelta(hours=2)
    assert settings.keys == {"next-lead": "f6"}


@pytest.mark.parametrize(
    "text, where",
    [
        ("[desk]\ndefault_region = 'XX'\n", "desk.default_region"),
        ("[desk]\nagent_time_zone = 'Mars/Olympus'\n", "desk.agent_time_zone"),
        ("[desk]\nauto_advance = 'yes'\n", "desk.auto_advance"),
        ("[desk]\nlease_seconds = 5\n", "desk.lease_seconds"),
        ("[attempts]\nmax_per_lead = -1\n", "attempts.max_per_lead"),
        ("[attempts]\nmin_gap = 'soon'\n", "attempts.min_gap"),
        ("[retry]\nbusy = '20 parsecs'\n", "retry.busy"),
        ("[retry]\nnoanswer = '2h'\n", "retry.noanswer"),
        ("[calling_window]\nsat = '25:00-18:00'\n", "calling_window"),
        ("[desks]\n", "desks"),
        ("[keys]\nquit = ''\n", "keys.quit"),
        ("[web]\nrequire_passwords = 'yes'\n", "web.require_passwords"),
        ("[web]\nidle_minutes = 0\n", "web.idle_minutes"),
        ("[web]\nlockout_minutes = 'soon'\n", "web.lockout_minutes"),
        ("[web]\nmax_failed_sign_ins = 0\n", "web.max_failed_sign_ins"),
        ("[web]\nmax_failed_per_address = 2.5\n", "web.max_failed_per_address"),
        ("[web]\ndial_link = 'tel:+7000'\n", "web.dial_link"),
        ("[web]\nupload_dir = 5\n", "web.upload_dir"),
        ("[web]\nidle = 5\n", "web.idle"),
    ],
)
def test_bad_values_name_the_file_and_the_key(tmp_path, text, where):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert str(path) in str(error.value) and where in str(error.value)
    assert "\n" not in str(error.value)


def test_broken_toml_and_missing_file(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[desk\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="broken.toml"):
        load_settings(broken)
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_settings(tmp_path / "absent.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes("[desk]\ndial_command = 'é'\n".encode("cp1252"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_settings(latin)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("20m", timedelta(minutes=20)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("45s", timedelta(seconds=45)),
        (15, timedelta(minutes=15)),
        (" 3 h ", timedelta(hours=3)),
    ],
)
def test_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "2", "h", "-1h", "1.5h", "2w"])
def test_bad_durations(text):
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "[desk]\nundo_seconds = 99999999999999999\n",
            "desk.undo_seconds: must be between 0 and 3600 seconds, not 99999999999999999",
        ),
        ("[desk]\nlease_seconds = 86401\n", "desk.lease_seconds: must be between 30 and 86400"),
        ("[desk]\nundo_seconds = 1.5\n", "desk.undo_seconds: must be a whole number, not 1.5"),
        ("[retry]\nbusy = -5\n", "retry.busy: must not be negative, not -5"),
        ("[meetings]\nmin_notice = -60\n", "meetings.min_notice: must not be negative"),
        ("[retry]\nvoicemail = '99999999999999999d'\n", "retry.voicemail: must be at most 92"),
        ("[retry]\nno_answer = 99999999999999999\n", "retry.no_answer: must be at most 92"),
        ("[retry]\nno_answer = 1.5\n", "retry.no_answer: '1.5' is not a duration"),
        ("[attempts]\nmin_gap = '8d'\n", "attempts.min_gap: must be at most 7 days"),
        ("[attempts]\nmax_per_lead = 0\n", "attempts.max_per_lead: must be between 1 and 1000"),
        ("[attempts]\nmax_per_day = true\n", "attempts.max_per_day: must be a whole number"),
        ("[meetings]\nhorizon_days = 93\n", "meetings.horizon_days: must be between 1 and 92"),
        ("[review]\nrequired = 1\n", "review.required: must be true or false"),
        ("[desk]\ndial_command = 5\n", "desk.dial_command: must be text"),
        ("desk = 5\n", "desk: must be a table [desk]"),
    ],
)
def test_out_of_range_values_are_refused_by_name(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert str(error.value).startswith(f"{path}: {message}")
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    "text, name, value",
    [
        ("[desk]\nundo_seconds = 0\n", "undo_window", timedelta(0)),  # no undo at all
        ("[desk]\nlease_seconds = 30\n", "lease", timedelta(seconds=30)),
        ("[retry]\nbusy = 0\n", "retry", {**Settings().retry, "busy": timedelta(0)}),
        ("[attempts]\nmin_gap = '7d'\n", "min_gap", timedelta(days=7)),
        ("[attempts]\nmax_per_day = 100\n", "max_attempts_per_day", 100),
    ],
)
def test_the_bounds_themselves_are_accepted(tmp_path, text, name, value):
    path = tmp_path / "edge.toml"
    path.write_text(text, encoding="utf-8")
    assert getattr(load_settings(path), name) == value


def test_the_example_file_names_every_key_of_the_schema():
    import tomllib

    from tmdesk.config import SCHEMA, WHOLE_SECTIONS

    example = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert set(example) == set(SCHEMA) | set(WHOLE_SECTIONS)
    for section, keys in SCHEMA.items():
        assert set(example[section]) == set(keys), section
