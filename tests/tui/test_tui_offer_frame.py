"""The booking offer in one cheap frame: it shows over the submitted form, which stays where
it was until the offer is answered; the offer keeps the keys (Tab too) and the notes out of
reach; the kept booking panel is filled while the offer is asked, so Enter only shows it;
and a screen under an opaque one is not painted (nor laid out) until it is back on top."""

from __future__ import annotations

from booking_setup import URALMASH, add_specialists, offer_for_the_next_lead, open_the_form
from qualification_keys import submit_fit_and_now
from textual.widgets import TextArea
from tui_helpers import WEDNESDAY_10_MSK, Desk, Lead, moscow_phone, offer_asked, settle

from tmdesk.tui.booking.panel import BookingPanel
from tmdesk.tui.booking.ready import NAME
from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.qualification.form import QualificationPanel

SIZE = (120, 40)
BETA = Lead("ООО «Бета»", moscow_phone(2), "Ольга Смирнова")


async def test_the_offer_shows_over_the_form_and_the_card_comes_back_once_answered(
    desk: Desk,
):
    desk.import_leads([URALMASH, BETA])
    add_specialists(desk)
    app = desk.app(agent="anna", now=WEDNESDAY_10_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await open_the_form(pilot)
        call = app.screen
        assert isinstance(call, CallScreen)
        form = call.query_one(QualificationPanel)
        notes = call.query_one("#notes", TextArea)
        before = (form.region, notes.region)

        await submit_fit_and_now(pilot)
        await settle(pilot)
        assert offer_asked(app)
        # the submitted form and the notes stay where they were, the offer over them
        assert form.is_attached and form.display
        assert (form.region, notes.region) == before
        assert not call.query_one("#lead-card").display
        offer = call.query_one("#booking-offer")
        assert offer.region.overlaps(form.region) and offer.region.overlaps(notes.region)

        # the offer keeps the keys: Tab does not take the focus into the submitted form,
        # and a click does not put it in the notes (what is typed now would be lost)
        await pilot.press("tab")
        await pilot.press("shift+tab")
        assert offer_asked(app)
        await pilot.click(notes, offset=(2, 1))
        await settle(pilot)
        assert offer_asked(app) and not notes.has_focus

        await pilot.press("escape")  # not now: the next lead, its card, the notes back
        await settle(pilot)
        assert isinstance(app.screen, CallScreen) and app.screen.lead_id == desk.lead_id(
            BETA.company
        )
        assert not form.is_attached
        assert app.screen.query_one("#lead-card").display
        assert notes.can_focus and notes.has_focus


async def test_the_kept_panel_is_filled_while_the_offer_is_asked(desk: Desk):
    desk.import_leads([URALMASH, BETA])
    add_specialists(desk)
    app = desk.app(agent="anna", now=WEDNESDAY_10_MSK)
    async with app.run_test(size=SIZE) as pilot:
        call = await offer_for_the_next_lead(pilot)
        lead_id = call.lead_id
        kept = app.get_screen(NAME)
        assert isinstance(kept, BookingPanel) and kept not in app.screen_stack
        # read and filled off screen, before Enter
        assert kept.filled_for is not None and kept.filled_for[0] == lead_id
        assert kept.lead_id == lead_id and kept.chosen is not None
        assert URALMASH.company in str(kept.query_one("#booking-head").content)
        chosen = kept.chosen

        await pilot.press("enter")  # shown as it was filled: not read nor filled again
        await settle(pilot)
        assert app.screen is kept and kept.chosen == chosen
        assert kept.filled_for is None  # the next opening fills it again
        # the call screen under the panel is neither painted nor laid out meanwhile
        assert not call.is_current and app._background_screens == []

        await pilot.press("escape")  # no meeting after all
        await settle(pilot)
        assert isinstance(app.screen, CallScreen) and app.screen.lead_id != lead_id
        assert app.screen.is_current


async def test_a_dialog_still_shows_the_call_screen_under_it(desk: Desk):
    desk.import_leads([URALMASH])
    app = desk.app(agent="anna", now=WEDNESDAY_10_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        call = app.screen
        assert isinstance(call, CallScreen)
        await pilot.press("f6")  # the callback dialog: see-through, over the lead
        await settle(pilot)
        assert app.screen is not call
        assert app._background_screens == [call] and call.is_current
