"""Signing in: by arrows and Enter, by typing a filter, or with --agent; and signing out."""

from __future__ import annotations

from textual.widgets import DataTable
from tui_helpers import Desk, Lead, column, moscow_phone, settle, text_of

from tmdesk.tui.desk.queue import QueueScreen
from tmdesk.tui.password import PasswordDialog
from tmdesk.tui.sign_in import SignInScreen
from tmdesk.tui.supervisor.home import SupervisorScreen

SIZE = (160, 48)


def three_leads(desk: Desk) -> None:
    desk.import_leads(
        [
            Lead("Бета", moscow_phone(1)),
            Lead("Альфа", moscow_phone(2), priority=5),
            Lead("Гамма", moscow_phone(3), priority=1),
        ]
    )


async def test_arrow_and_enter_sign_in_and_show_the_queue_in_order(desk: Desk):
    three_leads(desk)
    app = desk.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        users = app.screen.query_one("#sign-in-users", DataTable)
        assert [users.get_row_at(i)[0].plain for i in range(users.row_count)] == [
            "anna",
            "boris",
            "sveta",
        ]

        await pilot.press("down", "enter")
        await settle(pilot)

        assert isinstance(app.screen, QueueScreen)
        assert app.agent is not None and app.agent.login == "boris"
        assert "Boris Ivanov" in app.title
        # served by lead priority, then age
        assert column(app, "company") == ["Альфа", "Гамма", "Бета"]
        assert column(app, "position") == ["1", "2", "3"]
        assert column(app, "bucket") == ["new", "new", "new"]
        assert column(app, "phone") == [
            "8 (495) 100-00-02",
            "8 (495) 100-00-03",
            "8 (495) 100-00-01",
        ]
        assert column(app, "local_time") == ["Wed 10:00 MSK"] * 3


async def test_typing_filters_the_users(desk: Desk):
    app = desk.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"orlo")
        users = app.screen.query_one("#sign-in-users", DataTable)
        assert users.row_count == 1 and users.get_row_at(0)[0].plain == "sveta"
        await pilot.press("enter")
        await settle(pilot)
        # a supervisor is asked her password (none is set yet on this desk: Enter will do)
        assert isinstance(app.screen, PasswordDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SupervisorScreen)
        assert app.agent.login == "sveta"


async def test_agent_option_skips_the_sign_in(desk: Desk):
    three_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert app.agent.login == "anna"
        assert "Anna Petrova" in app.title and app.sub_title.endswith("t.db")
        assert column(app, "company") == ["Альфа", "Гамма", "Бета"]
        # the sign-in list under the desk stopped its spinner: left spinning, it woke the
        # desk up sixteen times a second for the whole session
        sign_in = app.screen_stack[0]
        assert isinstance(sign_in, SignInScreen)
        assert not sign_in.query_one("#sign-in-users", DataTable).loading


async def test_unknown_agent_is_told_on_the_sign_in_screen(desk: Desk):
    app = desk.app(agent="ghost")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        error = app.screen.query_one("#sign-in-error")
        assert error.display
        assert "There is no user 'ghost'" in text_of(app, "#sign-in-error")
        assert app.screen.query_one("#sign-in-users", DataTable).row_count == 3
        # and the user can still sign in from the list
        await pilot.press("enter")
        await settle(pilot)
        assert app.agent.login == "anna"


async def test_sign_out_returns_to_the_list(desk: Desk):
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.agent is None and "Anna" not in app.title
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen) and app.agent.login == "boris"
