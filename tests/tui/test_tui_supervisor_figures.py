"""The figures screen with keys only: what the table's "Qualif." holds beside the funnel."""

from __future__ import annotations

from supervisor_data import WEDNESDAY_18_MSK, fixed_day, settle, sign_in_as_supervisor
from tui_helpers import Desk, text_of

from tmdesk.services.review import return_to_agent
from tmdesk.tui.supervisor.figures import FiguresScreen

SIZE = (120, 40)


async def test_a_returned_qualification_is_named_beside_the_funnel(desk: Desk):
    """Three qualified calls, one of them returned by the supervisor: the table says 3,
    the funnel's Actual 2, and the note under the funnel says where the third went."""
    ids = fixed_day(desk)
    return_to_agent(ids["Альфа-Строй"], desk.users["sveta"].id, "Кто ЛПР?", now=WEDNESDAY_18_MSK)
    app = desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as_supervisor(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FiguresScreen)
        assert "Actual    2" in text_of(app, "#figures-funnel")
        note = text_of(app, "#figures-qualified-note")
        assert "Qualif. in the table: 3 calls" in note
        assert "2 fit and actual (the funnel)" in note
        assert "1 returned to the agent" in note
