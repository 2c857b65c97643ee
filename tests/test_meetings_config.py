"""[meetings] in the configuration file: the booking panel's slot rules."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from tmdesk.config import ConfigError, MeetingSettings, Settings, load_settings

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "config.example.toml"


def test_defaults_and_the_example_file_agree():
    defaults = Settings().meetings
    assert defaults == MeetingSettings()
    assert (defaults.min_notice, defaults.horizon_days, defaults.step_minutes) == (
        timedelta(hours=2),
        14,
        30,
    )
    assert defaults.lead_hours.days[0] == ((time(9), time(18)),)
    assert defaults.lead_hours.days[5] == defaults.lead_hours.days[6] == ()
    assert load_settings(EXAMPLE).meetings == defaults


def test_values_are_read(tmp_path):
    path = tmp_path / "desk.toml"
    path.write_text(
        '[meetings]\nmin_notice = "1d"\nhorizon_days = 7\nstep_minutes = 15\n'
        '[meetings.lead_hours]\n"mon-sat" = "10:00-19:00"\n',
        encoding="utf-8",
    )
    meetings = load_settings(path).meetings
    assert (meetings.min_notice, meetings.horizon_days, meetings.step_minutes) == (
        timedelta(days=1),
        7,
        15,
    )
    assert meetings.lead_hours.days[5] == ((time(10), time(19)),)


@pytest.mark.parametrize(
    "text, where",
    [
        ("min_notice = 'soon'", "meetings.min_notice: 'soon' is not a duration"),
        ("horizon_days = 0", "meetings.horizon_days: must be between 1 and 92"),
        ("horizon_days = 'two weeks'", "meetings.horizon_days: must be a whole number"),
        ("step_minutes = 7", "meetings.step_minutes: must be 5 to 240 minutes and divide a day"),
        ("lead_hours = { 'mon-fry' = '09:00-18:00' }", "meetings.lead_hours: unknown day"),
        (
            "lead_hours = { 'mon' = '18:00-09:00' }",
            "meetings.lead_hours.mon: '18:00-09:00' does not end after it starts",
        ),
        ("notice = '2h'", "meetings.notice: unknown key"),
    ],
)
def test_bad_values_name_the_file_and_key(tmp_path, text, where):
    path = tmp_path / "desk.toml"
    path.write_text(f"[meetings]\n{text}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert str(error.value).startswith(f"{path}: ")
    assert where in str(error.value)
