"""The desk as a browser tab runs it (BrowserTab), and passwords required in a terminal:
keys pressed through Pilot, then the screen and the database checked."""

from __future__ import annotations

import sys

from tui_helpers import WEDNESDAY_10_MSK, Lead, make_desk, moscow_phone, settle, text_of, wait_for

from tmdesk.config import Settings, WebSettings
from tmdesk.services import auth
from tmdesk.store.models import AuditEvent
from tmdesk.tui.app import BrowserTab, make_app
from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.desk.queue import QueueScreen
from tmdesk.tui.password import PasswordDialog

SIZE = (120, 40)


def desk_with(tmp_path, **settings):
    desk = make_desk(tmp_path / "t.db", tmp_path, settings=Settings().with_(**settings))
    desk.import_leads([Lead("Альфа", moscow_phone(1) + " доб. 77")])
    return desk


async def sign_in(pilot, password: str) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PasswordDialog))
    await pilot.press(*password, "enter")
    await settle(pilot)


async def test_in_a_browser_the_dial_command_becomes_a_link_and_never_runs(tmp_path):
    marker = tmp_path / "dialled-on-the-server"
    desk = desk_with(
        tmp_path,
        dial_command=f"{sys.executable} -c \"open('{marker}', 'w')\" {{e164}}",
        web=WebSettings(dial_link="sip:{e164}@pbx.example.ru;ext={ext}"),
    )
    auth.set_password("anna", "anna-password")
    app = make_app(
        desk.workspace,
        agent_login="anna",
        clock=lambda: WEDNESDAY_10_MSK,
        browser=BrowserTab("10.0.0.7"),
    )
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "anna-password")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        await pilot.press("alt+n")  # ctrl+n is the browser's: web mode uses alt+n
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        await settle(pilot)
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert opened == ["sip:+74951000001@pbx.example.ru;ext=77"]
        assert "Opened sip:+74951000001@pbx.example.ru;ext=77" in text_of(app, "#dial-status")
    assert not marker.exists()


async def test_in_a_browser_an_agent_without_a_password_is_told_how_to_get_one(tmp_path):
    desk = desk_with(tmp_path)
    app = make_app(desk.workspace, agent_login="boris", browser=BrowserTab("10.0.0.7"))
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "anything")
        assert isinstance(app.screen, PasswordDialog) and app.agent is None
        assert "tmdesk users passwd boris" in text_of(app, "#password-error")


async def test_in_a_browser_the_open_desk_lets_no_supervisor_in(tmp_path):
    desk = desk_with(tmp_path)  # no supervisor has a password: a terminal would let sveta in
    assert auth.open_desk()
    app = make_app(desk.workspace, agent_login="sveta", browser=BrowserTab("10.0.0.7"))
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "")
        assert app.agent is None
        assert "passwords only" in text_of(app, "#password-error")
        assert not app.screen.query_one("#password-open").display


async def test_required_passwords_refuse_the_name_only_sign_in_in_a_terminal(tmp_path):
    desk = desk_with(tmp_path, web=WebSettings(require_passwords=True, max_failed_sign_ins=2))
    auth.set_password("anna", "anna-password")
    app = desk.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b", "o", "r", "enter")  # boris has no password
        await sign_in(pilot, "")
        assert app.agent is None
        assert "tmdesk users passwd boris" in text_of(app, "#password-error")
        await pilot.press("escape")
        await settle(pilot)
        for key in ("backspace",) * 3 + ("a", "n", "n", "enter"):
            await pilot.press(key)
        for _attempt in range(2):
            await sign_in(pilot, "wrong-one")
        await sign_in(pilot, "anna-password")  # right, but after two wrong ones
        assert app.agent is None
        assert "Too many wrong passwords for anna" in text_of(app, "#password-error")
    failed = AuditEvent.select().where(AuditEvent.action == "auth.failed")
    assert [event.details["address"] for event in failed] == ["", ""]


async def test_in_a_browser_the_sign_in_lists_no_one_until_the_login_is_typed(tmp_path):
    desk = desk_with(tmp_path)
    auth.set_password("anna", "anna-password")
    app = make_app(desk.workspace, browser=BrowserTab("10.0.0.7"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sign-in-users")
        assert table.row_count == 0  # a terminal would list anna, boris and sveta
        await pilot.press("a", "n")
        assert table.row_count == 0
        await pilot.press("n", "a")
        assert [cell.plain for cell in table.get_row_at(0)][:2] == ["anna", "Anna Petrova"]
        await pilot.press("enter")
        await sign_in(pilot, "anna-password")
        assert app.agent is not None and app.agent.login == "anna"
