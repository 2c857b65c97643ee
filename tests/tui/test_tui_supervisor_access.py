"""Who gets into the supervisor workspace: supervisors with their password, never agents."""

from __future__ import annotations

from supervisor_data import PASSWORD, sign_in_as_supervisor, supervisor_desk
from textual.widgets import DataTable, Input
from tui_helpers import Desk, Lead, moscow_phone, notifications, settle, text_of, type_text

from tmdesk.tui.desk.queue import QueueScreen
from tmdesk.tui.password import PasswordDialog
from tmdesk.tui.sign_in import SignInScreen
from tmdesk.tui.supervisor.home import SupervisorScreen

SIZE = (120, 40)


def shown_keys(app) -> dict[str, str]:
    """{key: description} of the keys the footer shows on the current screen."""
    return {
        key: active.binding.description
        for key, active in app.screen.active_bindings.items()
        if active.binding.show
    }


async def test_an_agent_cannot_open_the_workspace_and_is_told_why(desk: Desk):
    desk.import_leads([Lead("Альфа", moscow_phone(1))])
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert "ctrl+w" not in shown_keys(app)  # the key is not offered to an agent

        await pilot.press("ctrl+w")
        await settle(pilot)

        assert isinstance(app.screen, QueueScreen)
        assert not any(isinstance(screen, SupervisorScreen) for screen in app.screen_stack)
        assert any(
            "Only a supervisor can open the supervisor workspace" in message
            for message in notifications(app)
        )

        await pilot.press("ctrl+n")  # on the call screen too
        await settle(pilot)
        await pilot.press("ctrl+w")
        await settle(pilot)
        assert not any(isinstance(screen, SupervisorScreen) for screen in app.screen_stack)


async def test_a_wrong_password_is_refused_and_the_right_one_opens_the_workspace(desk: Desk):
    supervisor_desk(desk)
    app = desk.app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as_supervisor(pilot, password="not-her-password")

        assert isinstance(app.screen, PasswordDialog)
        assert app.agent is None
        assert "Wrong password for sveta" in text_of(app, "#password-error")
        field = app.screen.query_one("#password", Input)
        assert field.password and field.value == ""  # masked, and cleared for another try

        await type_text(pilot, PASSWORD)
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, SupervisorScreen)
        assert app.agent is not None and app.agent.login == "sveta"
        assert "18 calls" not in text_of(app, "#workspace-today")
        assert "0 calls" in text_of(app, "#workspace-today")


async def test_agent_option_of_a_supervisor_still_asks_the_password(desk: Desk):
    supervisor_desk(desk)
    app = desk.app(agent="sveta")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PasswordDialog)
        assert app.agent is None

        await pilot.press("escape")  # back to the list, which is filled in
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.screen.query_one("#sign-in-users", DataTable).row_count == 3
        assert app.agent is None


async def test_a_supervisor_goes_to_her_queue_and_back_with_the_workspace_key(desk: Desk):
    supervisor_desk(desk)
    desk.import_leads([Lead("Альфа", moscow_phone(1))])
    app = desk.app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as_supervisor(pilot)
        assert isinstance(app.screen, SupervisorScreen)

        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert shown_keys(app).get("ctrl+w") == "Workspace"

        await pilot.press("ctrl+w")
        await settle(pilot)
        assert isinstance(app.screen, SupervisorScreen)
        assert sum(isinstance(screen, SupervisorScreen) for screen in app.screen_stack) == 1

        await pilot.press("ctrl+o")  # signing out leaves the workspace
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen) and app.agent is None


async def test_an_open_desk_says_that_no_password_is_checked(desk: Desk):
    # no supervisor has a password yet (a fresh install): the dialog says so
    app = desk.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "sveta")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PasswordDialog)
        assert app.screen.query_one("#password-open").display
        assert "tmdesk users passwd sveta" in text_of(app, "#password-open")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SupervisorScreen)
