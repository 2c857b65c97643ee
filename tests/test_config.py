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
    ],
)
def test_bad_values_name_the_file_and_the_key(tmp_path, text, where):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert str(path) in str(error.value) and where in str(error.value)


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
