"""The supervisor's side of the calls through the PBX: the review shows each call with its
talk time and recording (one key plays it with [telephony] play_command), and the figures
show talk and ring time per agent and in total."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from supervisor_data import WEDNESDAY_18_MSK, fixed_day, settle, sign_in_as_supervisor
from tui_helpers import make_desk, notifications, text_of, wait_for

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "telephony"))

from telephony_helpers import linked_phone_call  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from tmdesk.config import Settings, TelephonySettings  # noqa: E402
from tmdesk.store.models import CallAttempt, Lead  # noqa: E402
from tmdesk.tui.supervisor.review_detail import ReviewDetailScreen  # noqa: E402

SIZE = (120, 40)
RECORDING = "https://pbx.example/rec/tmdesk-1.wav"


async def test_the_review_shows_the_calls_and_p_plays_the_recording(tmp_path):
    played = tmp_path / "played.txt"
    settings = Settings().with_(
        telephony=TelephonySettings(
            play_command=f"sh -c 'echo {{url}} > {shlex.quote(str(played))}'"
        )
    )
    desk = make_desk(tmp_path / "t.db", tmp_path, settings=settings)
    fixed_day(desk)
    lead = Lead.get(Lead.company == "Лотос Фарм")  # the newest in the review queue
    attempt = CallAttempt.get(
        (CallAttempt.lead == lead.id) & (CallAttempt.disposition == "qualified")
    )
    linked_phone_call(
        attempt,
        result="answered",
        ring_seconds=6,
        talk_seconds=222,
        line="+74957770000",
        recording=RECORDING,
    )
    app = desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as_supervisor(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewDetailScreen)
        await wait_for(pilot, lambda: app.screen.query_one("#review-phone-calls").display)
        shown = text_of(app, "#review-phone-calls")
        assert "anna · answered, 3:42 · rang 6 s · line +74957770000" in shown
        assert f"recording: {RECORDING}" in shown
        await pilot.press("p")
        await wait_for(pilot, lambda: played.exists() and played.read_text().strip())
        assert played.read_text() == RECORDING + "\n"
        assert any("Playing" in message for message in notifications(app))

        await pilot.press("escape")  # a lead without PBX calls: no section at all
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewDetailScreen)
        assert not app.screen.query_one("#review-phone-calls").display
        await pilot.press("p")
        await settle(pilot)
        assert "No recording of this lead's calls." in notifications(app)[-1]


async def test_the_figures_show_talk_and_ring_time_when_the_office_dials_through_the_pbx(
    tmp_path,
):
    settings = Settings().with_(telephony=TelephonySettings(backend="asterisk"))
    desk = make_desk(tmp_path / "t.db", tmp_path, settings=settings)
    fixed_day(desk)
    anna = CallAttempt.select().where(CallAttempt.agent == desk.users["anna"].id)
    linked_phone_call(anna[0], result="answered", ring_seconds=6, talk_seconds=222)
    linked_phone_call(anna[1], result="busy", ring_seconds=4)
    app = desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as_supervisor(pilot)
        await pilot.press("f")
        await settle(pilot)
        table = app.screen.query_one("#figures-agents", DataTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        headings = [str(column.label) for column in table.columns.values()]
        assert headings[-2:] == ["Talk", "Ring"]
        rows = {table.get_row_at(n)[0].plain: table.get_row_at(n) for n in range(table.row_count)}
        assert [cell.plain for cell in rows["Anna Petrova"][-2:]] == ["3:42", "0:10"]
        assert [cell.plain for cell in rows["Total"][-2:]] == ["3:42", "0:10"]
        assert [cell.plain for cell in rows["Boris Ivanov"][-2:]] == ["0:00", "0:00"]
