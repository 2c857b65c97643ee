"""The call desk's wording: the calling window in two zones, times, places, outcomes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tmdesk.config import Settings
from tmdesk.domain.calling_window import window_state
from tmdesk.domain.dispositions import Disposition
from tmdesk.services.calls import Recorded
from tmdesk.tui.desk.call_display import both_times, timer_label, window_label
from tmdesk.tui.desk.lead_card import place_text
from tmdesk.tui.desk.outcomes import recorded_notice

NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # Wednesday 10:00 in Moscow
MSK, KAMCHATKA, KALININGRAD = "Europe/Moscow", "Asia/Kamchatka", "Europe/Kaliningrad"
WINDOWS = Settings().calling_window


@pytest.mark.parametrize(
    "now, zone, text",
    [
        (NOW, MSK, "calling allowed until 20:00 (in 10 h)"),
        (NOW, KAMCHATKA, "calling allowed until 20:00 their time (Wed 11:00 MSK, in 1 h)"),
        (
            NOW - timedelta(hours=3),
            KALININGRAD,  # 06:00 there
            "calling not allowed now · opens Wed 09:00 EET their time (Wed 10:00 MSK, in 3 h)",
        ),
        (NOW - timedelta(hours=3), MSK, "calling not allowed now · opens Wed 09:00 MSK (in 2 h)"),
    ],
)
def test_the_calling_window_in_the_leads_time_and_the_agents(now, zone, text):
    state = window_state(now, (zone,), WINDOWS)
    assert window_label(state, now, zone, MSK) == text


def test_times_show_the_leads_clock_only_when_it_differs():
    assert both_times(NOW, MSK, MSK) == "Wed 25.11 10:00 MSK"
    assert both_times(NOW, MSK, KAMCHATKA) == "Wed 25.11 10:00 MSK · lead: Wed 19:00 +12"


@pytest.mark.parametrize("seconds, text", [(0, "00:00"), (61, "01:01"), (3725, "1:02:05")])
def test_the_call_timer(seconds, text):
    assert timer_label(timedelta(seconds=seconds)) == text


def test_the_place_says_each_name_once():
    assert place_text("Санкт-Петербург", "", "Санкт-Петербург, Санкт-Петербург") == (
        "Санкт-Петербург"
    )
    assert place_text("Пермь", "Пермский край", "Пермь, Пермский край") == ("Пермь · Пермский край")
    assert place_text("", "", "Москва, Россия") == "Москва · Россия"


def test_the_recorded_notice_names_the_undo_key_and_what_comes_next():
    retry = Recorded(1, 1, Disposition.NO_ANSWER, "retry", NOW + timedelta(hours=2))
    assert recorded_notice(retry, "ctrl+z", timedelta(seconds=30), MSK) == (
        "Recorded: no answer — ctrl+z to undo (30 s)\nBack in the queue from Wed 25.11 12:00 MSK"
    )
    qualified = Recorded(2, 1, Disposition.QUALIFIED, "qualified", None)
    assert recorded_notice(qualified, "f9", timedelta(seconds=45), MSK) == (
        "Recorded: qualified — f9 to undo (45 s)"
    )


def test_the_attempt_cap_and_an_undone_meeting_are_said_in_good_english():
    from dataclasses import replace

    from tmdesk.services.calls import LeadCard, Undone
    from tmdesk.tui.desk.lead_card import card_rows
    from tmdesk.tui.desk.outcomes import undone_notice

    card = LeadCard(
        1, "ООО «Альфа»", "", "", "", "+74951000001", None, (), "", "", "", (), "Осень",
        "in_progress", 1, "", {}, "", None, None, None, (),
    )  # fmt: skip
    calls = {row: value for row, _label, value in card_rows(card, 1)}["attempts"]
    assert calls == "1 so far (at most 1 dial)"
    assert {r: v for r, _l, v in card_rows(replace(card, attempts=2), 6)}["attempts"] == (
        "2 so far (at most 6 dials)"
    )
    undone = undone_notice(Undone(1, Disposition.QUALIFIED, meetings_cancelled=1))
    assert undone.endswith("Its meeting was cancelled.")
