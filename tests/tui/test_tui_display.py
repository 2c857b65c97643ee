"""The desk's wording of queue buckets, local times, durations and the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tmdesk.tui.desk.queue_table import clip
from tmdesk.tui.display import (
    bucket_label,
    database_label,
    duration_label,
    local_time_label,
    moment_label,
)

NOW = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(
    "bucket, label",
    [
        ("in_progress", "in progress"),
        ("callback_own", "my callback"),
        ("callback_shared", "callback"),
        ("retry", "retry"),
        ("fresh", "new"),
    ],
)
def test_buckets_are_named_as_agents_say_them(bucket, label):
    assert bucket_label(bucket) == label


def test_local_time_has_weekday_time_and_zone():
    assert local_time_label(NOW.astimezone(ZoneInfo("Asia/Kamchatka"))) == "Wed 17:00 +12"
    assert local_time_label(NOW.astimezone(ZoneInfo("Europe/Moscow"))) == "Wed 08:00 MSK"
    # just after midnight in the east it is already Thursday there
    late = datetime(2026, 11, 25, 12, 30, tzinfo=UTC).astimezone(ZoneInfo("Asia/Kamchatka"))
    assert local_time_label(late) == "Thu 00:30 +12"


def test_several_candidate_zones_show_the_span():
    zones = ("Asia/Yekaterinburg", "Asia/Novosibirsk", "Europe/Moscow")
    local = NOW.astimezone(ZoneInfo(zones[0]))
    assert local_time_label(local, zones) == "Wed 08:00–12:00"
    moscow = NOW.astimezone(ZoneInfo("Europe/Moscow"))
    # zones that agree on the wall clock are shown as one
    assert local_time_label(moscow, ("Europe/Moscow", "Europe/Simferopol")) == "Wed 08:00 MSK"


@pytest.mark.parametrize(
    "span, text",
    [
        (timedelta(minutes=5), "5 min"),
        (timedelta(hours=2), "2 h"),
        (timedelta(hours=2, minutes=30), "2 h 30 min"),
        (timedelta(days=1, hours=3), "1 d 3 h"),
        (timedelta(seconds=-5), "0 min"),
    ],
)
def test_durations(span, text):
    assert duration_label(span) == text


def test_a_moment_is_shown_in_the_agents_zone():
    assert moment_label(NOW + timedelta(hours=1), NOW, "Europe/Moscow") == (
        "Wed 09:00 MSK (in 1 h)"
    )


def test_database_label_hides_home_and_passwords():
    assert database_label("t.db", Path("t.db")) == "t.db"
    home = Path.home() / "x" / "desk.db"
    assert database_label(str(home), home) == "~/x/desk.db"
    assert database_label("postgres://desk:secret@db/tm", None) == "postgres://desk:***@db/tm"


def test_long_cells_are_clipped_to_one_line():
    assert clip("ООО\n«Ромашка»", 30) == "ООО «Ромашка»"
    assert clip("x" * 40, 10) == "x" * 9 + "…"
