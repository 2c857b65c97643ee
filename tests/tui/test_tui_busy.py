"""An outcome recorded while another process holds the database (a supervisor's long import):
the desk says it is saving, keeps trying, and moves on only once the outcome is saved."""

from __future__ import annotations

import pytest
from lock_holder import holding_write_lock
from textual.widgets import TextArea
from tui_helpers import (
    WEDNESDAY_10_MSK,
    Desk,
    Lead,
    make_desk,
    moscow_phone,
    settle,
    text_of,
    type_text,
    wait_for,
)

from tmdesk.services.busy import BusyRetry
from tmdesk.services.workspace import open_workspace
from tmdesk.store.models import CallAttempt
from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.desk.disposition_bar import DispositionKey

SIZE = (120, 40)
SAVING = "Saving… the database is busy, retrying"


def busy_desk(tmp_path, retry: BusyRetry) -> Desk:
    """Two leads, on a database whose writers wait only 0.2 s for another one's lock."""
    desk = make_desk(tmp_path / "t.db", tmp_path)
    desk.import_leads(
        [Lead("Альфа", moscow_phone(1), priority=2), Lead("Бета", moscow_phone(2), priority=1)]
    )
    desk.workspace = open_workspace(tmp_path / "t.db", busy_timeout=0.2, save_retry=retry)
    return desk


def outcome_keys_dimmed(app) -> set[bool]:
    """Whether each outcome key is dimmed, as styled (not only its class)."""
    return {bool(key.styles.text_style.dim) for key in app.screen.query(DispositionKey)}


async def note_saved(pilot, text: str) -> None:
    """Type notes and wait for their draft save, so that no draft save meets the lock."""
    await type_text(pilot, text)
    await wait_for(pilot, lambda: "Draft saved" in text_of(pilot.app, "#draft-status"))


async def open_first_lead(pilot) -> None:
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CallScreen)
    assert text_of(pilot.app, "#card-company") == "Альфа"


def save_status(app) -> str:
    line = app.screen.query_one("#save-status")
    return str(line.content) if line.display else ""


@pytest.mark.slow
async def test_the_outcome_waits_for_the_lock_then_the_next_lead_comes(tmp_path):
    desk = busy_desk(tmp_path, BusyRetry(interval=0.2, cap=120))
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_first_lead(pilot)
        await note_saved(pilot, "секретарь занята")
        with holding_write_lock(tmp_path / "t.db") as release:
            await pilot.press("f2")
            await wait_for(pilot, lambda: save_status(app) == SAVING)
            # still saving: the same lead, nothing recorded, the notes cannot change under it
            assert text_of(app, "#card-company") == "Альфа"
            assert CallAttempt.select().count() == 0
            assert app.screen.query_one("#notes", TextArea).read_only
            assert outcome_keys_dimmed(app) == {True}  # the outcome keys wait, dimmed
            await pilot.press("x")
            release()  # the import commits
            await wait_for(pilot, lambda: text_of(app, "#card-company") == "Бета")
        await settle(pilot)
        assert save_status(app) == ""
        assert outcome_keys_dimmed(app) == {False}
        assert app.screen.query_one("#notes", TextArea).text == ""

    (attempt,) = CallAttempt.select()
    assert (attempt.lead_id, attempt.disposition, attempt.note) == (
        desk.lead_id("Альфа"),
        "no_answer",
        "секретарь занята",
    )


@pytest.mark.slow
async def test_past_the_retry_period_the_outcome_is_kept_for_the_same_key(tmp_path):
    desk = busy_desk(tmp_path, BusyRetry(interval=0.1, cap=0.5))
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_first_lead(pilot)
        await note_saved(pilot, "перезвонить")
        with holding_write_lock(tmp_path / "t.db") as release:
            await pilot.press("f3")
            await wait_for(pilot, lambda: save_status(app).startswith("Not saved yet"))
            assert "press f3 to try again" in save_status(app)
            assert text_of(app, "#card-company") == "Альфа"
            assert CallAttempt.select().count() == 0
            release()
        await type_text(pilot, " завтра")  # the notes are the agent's again
        await pilot.press("f3")  # the kept outcome, tried again
        await wait_for(pilot, lambda: text_of(app, "#card-company") == "Бета")

    (attempt,) = CallAttempt.select()
    assert (attempt.disposition, attempt.note) == ("busy", "перезвонить завтра")


@pytest.mark.slow
def test_a_lease_renewal_that_meets_the_lock_is_no_failure(tmp_path):
    from datetime import timedelta

    from tmdesk.services.calls import CallError, claim_next_lead, lead_card, release_lead
    from tmdesk.services.desk import keep_lease

    desk = busy_desk(tmp_path, BusyRetry())
    settings, anna = desk.workspace.settings, desk.users["anna"].id
    claim = claim_next_lead(anna, settings, now=WEDNESDAY_10_MSK)
    later = WEDNESDAY_10_MSK + timedelta(minutes=1)
    with holding_write_lock(tmp_path / "t.db"):
        keep_lease(claim.lead_id, anna, settings, later)  # no error screen: tried next time
        assert lead_card(claim.lead_id).lease_until == claim.lease_until
    keep_lease(claim.lead_id, anna, settings, later)
    assert lead_card(claim.lead_id).lease_until == later + settings.lease
    release_lead(claim.lead_id, anna)
    with pytest.raises(CallError, match="no longer yours"):
        keep_lease(claim.lead_id, anna, settings, later)


@pytest.mark.slow
async def test_a_qualification_form_submitted_while_the_lock_is_held_is_saved_after(tmp_path):
    from qualification_keys import answer

    from tmdesk.services.qualification import load_draft

    desk = busy_desk(tmp_path, BusyRetry(interval=0.2, cap=120))
    lead_id, anna = desk.lead_id("Альфа"), desk.users["anna"].id
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_first_lead(pilot)
        await pilot.press("f10")
        await settle(pilot)
        await answer(pilot, [("right_person", "1"), ("activity", "8")])  # торговля: knockout
        await wait_for(
            pilot,
            lambda: (
                (load_draft(lead_id, anna) or False)
                and "activity" in load_draft(lead_id, anna).answers
            ),
        )
        await settle(pilot)
        with holding_write_lock(tmp_path / "t.db") as release:
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: save_status(app) == SAVING)
            assert desk.lead("Альфа").status == "in_progress"
            release()
            await wait_for(pilot, lambda: text_of(app, "#card-company") == "Бета")
    assert desk.lead("Альфа").status == "not_fit"


@pytest.mark.slow
async def test_notes_typed_while_the_lock_is_held_are_saved_after_it(tmp_path):
    from tmdesk.services.calls import lead_card

    desk = busy_desk(tmp_path, BusyRetry())
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_first_lead(pilot)
        await note_saved(pilot, "ЛПР")
        with holding_write_lock(tmp_path / "t.db") as release:
            await type_text(pilot, " в отпуске")
            await wait_for(pilot, lambda: "database is busy" in text_of(app, "#draft-status"))
            assert isinstance(app.screen, CallScreen)  # no error screen over the call
            assert lead_card(desk.lead_id("Альфа")).notes_draft == "ЛПР"
            release()
            await wait_for(pilot, lambda: "Draft saved" in text_of(app, "#draft-status"))
    assert lead_card(desk.lead_id("Альфа")).notes_draft == "ЛПР в отпуске"


async def test_a_quick_outcome_never_dims_the_keys_nor_locks_the_notes(tmp_path, monkeypatch):
    """A save of a few milliseconds shows nothing of it: the next lead comes in the frame
    after the key (a frame of dimmed keys first was a third of the wait)."""
    desk = busy_desk(tmp_path, BusyRetry(interval=0.2, cap=120))
    looks: list[bool] = []
    original = CallScreen.look_busy

    def recorded(screen: CallScreen, busy: bool = True) -> None:
        looks.append(busy)
        original(screen, busy)

    monkeypatch.setattr(CallScreen, "look_busy", recorded)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_first_lead(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: text_of(app, "#card-company") == "Бета")
        await settle(pilot)
        assert not app.screen.busy
        assert outcome_keys_dimmed(app) == {False}
        assert not app.screen.query_one("#notes", TextArea).read_only
    assert True not in looks  # never shown busy, only told it is not
    assert CallAttempt.select().count() == 1
