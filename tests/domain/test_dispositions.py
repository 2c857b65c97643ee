"""What each disposition does to the lead: the retry policy as a table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tmdesk.domain.dispositions import Disposition, DispositionError, RetryPolicy, decide

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
H = timedelta(hours=1)
POLICY = RetryPolicy(
    {"no_answer": 2 * H, "busy": timedelta(minutes=20), "voicemail": timedelta(days=1)},
    max_attempts=6,
    max_attempts_per_day=3,
    min_gap=timedelta(minutes=10),
)


@pytest.mark.parametrize(
    "disposition, attempts_before, recent, status, due",
    [
        ("no_answer", 0, [], "retry", NOW + 2 * H),
        ("busy", 0, [], "retry", NOW + timedelta(minutes=20)),
        ("voicemail", 2, [], "retry", NOW + timedelta(days=1)),
        # the 6th attempt exhausts the lead, whatever the outcome's delay
        ("no_answer", 5, [], "exhausted", None),
        ("busy", 5, [], "exhausted", None),
        # third attempt within 24 h: due 24 h after the first of the three
        ("busy", 2, [NOW - 5 * H, NOW - 1 * H], "retry", NOW - 5 * H + 24 * H),
        # attempts older than 24 h do not count
        ("busy", 2, [NOW - 30 * H, NOW - 1 * H], "retry", NOW + timedelta(minutes=20)),
        ("wrong_number", 0, [], "wrong_number", None),
        ("not_fit", 1, [], "not_fit", None),
        ("qualified", 0, [], "qualified", None),
        ("dnc", 0, [], "dnc", None),
    ],
)
def test_outcomes(disposition, attempts_before, recent, status, due):
    outcome = decide(
        Disposition(disposition),
        NOW,
        attempts_before=attempts_before,
        recent_attempts=recent,
        policy=POLICY,
        reason="x",
    )
    assert (outcome.status, outcome.next_call_at) == (status, due)


def test_min_gap_wins_over_a_shorter_delay():
    policy = RetryPolicy(
        {"no_answer": H, "busy": timedelta(minutes=1), "voicemail": H},
        min_gap=timedelta(minutes=15),
    )
    outcome = decide(Disposition.BUSY, NOW, attempts_before=0, recent_attempts=[], policy=policy)
    assert outcome.next_call_at == NOW + timedelta(minutes=15)


@pytest.mark.parametrize("shared, personal", [(False, True), (True, False)])
def test_callback_is_personal_unless_shared(shared, personal):
    outcome = decide(
        Disposition.CALLBACK,
        NOW,
        attempts_before=0,
        recent_attempts=[],
        policy=POLICY,
        callback_at=NOW + 48 * H,
        shared=shared,
    )
    assert (outcome.status, outcome.next_call_at, outcome.personal) == (
        "callback",
        NOW + 48 * H,
        personal,
    )


def test_nurture_needs_a_future_recall_date():
    outcome = decide(
        Disposition.NURTURE,
        NOW,
        attempts_before=0,
        recent_attempts=[],
        policy=POLICY,
        recall_at=NOW + 90 * 24 * H,
    )
    assert outcome.status == "nurture" and outcome.next_call_at == NOW + 90 * 24 * H


@pytest.mark.parametrize(
    "disposition, kwargs, message",
    [
        ("callback", {}, "needs a time"),
        ("callback", {"callback_at": NOW - H}, "in the past"),
        ("callback", {"callback_at": NOW}, "in the past"),
        ("nurture", {}, "recall date"),
        ("nurture", {"recall_at": NOW - H}, "in the past"),
        ("not_interested", {"reason": "  "}, "needs a reason"),
    ],
)
def test_refusals(disposition, kwargs, message):
    with pytest.raises(DispositionError, match=message):
        decide(
            Disposition(disposition),
            NOW,
            attempts_before=0,
            recent_attempts=[],
            policy=POLICY,
            **kwargs,
        )


def test_reached_is_everything_but_no_answer_busy_voicemail():
    assert {d for d in Disposition if not d.reached} == {
        Disposition.NO_ANSWER,
        Disposition.BUSY,
        Disposition.VOICEMAIL,
    }
