"""Letter keys in the Russian layout (the same physical key: r↔к, a↔ф, p↔з …), letters
shown in the desk's language, and web mode's browser-safe keys: pressed through Pilot,
then the screen and the database checked."""

from __future__ import annotations

from supervisor_data import WEDNESDAY_18_MSK, fixed_day, settle, sign_in_as_supervisor
from supervisor_data import supervisor_desk as with_supervisor_password
from textual import events
from textual.widgets import HelpPanel, Input
from textual.widgets._footer import FooterKey
from textual.widgets._key_panel import BindingsTable
from tui_helpers import WEDNESDAY_10_MSK, Desk, Lead, moscow_phone, type_text, wait_for

from tmdesk import i18n
from tmdesk.services import auth
from tmdesk.store.models import CallList, Qualification
from tmdesk.tui.app import BrowserTab, make_app
from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.desk.queue import QueueScreen
from tmdesk.tui.password import PasswordDialog
from tmdesk.tui.qualification.form import QualificationPanel
from tmdesk.tui.supervisor.call_lists import CallListsScreen
from tmdesk.tui.supervisor.dialogs import ConfirmDialog
from tmdesk.tui.supervisor.dnc import DncScreen
from tmdesk.tui.supervisor.home import SupervisorScreen
from tmdesk.tui.supervisor.review import ReviewDetailScreen, ReviewScreen

SIZE = (120, 40)


def footer_keys(app) -> list[str]:
    return [str(key.key_display) for key in app.screen.query(FooterKey)]


def help_panel_text(app) -> str:
    table = app.screen.query_one(HelpPanel).query_one(BindingsTable)
    return "\n".join(strip.text for strip in table.render_lines(table.region.reset_offset))


async def test_lists_and_do_not_call_answer_the_russian_layout(desk: Desk):
    with_supervisor_password(desk)
    desk.import_leads([Lead("Альфа", moscow_phone(1))], list_name="Осень")
    app = desk.app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as_supervisor(pilot)
        assert isinstance(app.screen, SupervisorScreen)
        await pilot.press("д")  # the l key: lists
        await settle(pilot)
        assert isinstance(app.screen, CallListsScreen)

        await pilot.press("з")  # p: pause
        await settle(pilot)
        assert CallList.get(CallList.name == "Осень").status == "paused"
        await pilot.press("ф")  # a: archive, asks first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("н")  # нет, as in the form
        await settle(pilot)
        assert CallList.get(CallList.name == "Осень").status == "paused"
        await pilot.press("ф")
        await settle(pilot)
        await pilot.press("д")  # да
        await settle(pilot)
        assert CallList.get(CallList.name == "Осень").status == "archived"

        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("в")  # the d key: do-not-call
        await settle(pilot)
        assert isinstance(app.screen, DncScreen)
        await pilot.press("full_stop")  # the / key types "." in the Russian layout: find
        await settle(pilot)
        field = app.focused
        assert isinstance(field, Input)
        # letters typed into a field stay text: ф is not "add a number" there
        await type_text(pilot, "фыва")
        await settle(pilot)
        assert field.value == "фыва" and isinstance(app.screen, DncScreen)


async def test_review_answers_the_russian_layout_and_shows_its_letters(desk: Desk):
    ids = fixed_day(desk)
    i18n.use_language("ru")  # the desk speaks Russian: its letters are shown in Cyrillic
    app = desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as_supervisor(pilot)
        shown = footer_keys(app)
        assert {"к", "а", "д", "в", "с"} <= set(shown) and "r" not in shown, shown
        assert app.keymap["workspace-review"] == "к"  # the hints say the same
        await pilot.press("f1")
        await settle(pilot)
        assert "к r" in help_panel_text(app)  # the help panel lists both letters
        await pilot.press("f1")

        await pilot.press("к")  # r: review
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewDetailScreen)
        await pilot.press("ф")  # a: approve
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert Qualification.get_by_id(ids["Лотос Фарм"]).status == "approved"


async def test_in_english_the_footer_shows_the_latin_letter_and_both_work(desk: Desk):
    ids = fixed_day(desk)
    app = desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as_supervisor(pilot)
        shown = footer_keys(app)
        assert {"r", "f", "l", "d", "c"} <= set(shown) and "к" not in shown, shown
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ф")  # the Russian layout works in English too
        await settle(pilot)
        assert Qualification.get_by_id(ids["Лотос Фарм"]).status == "approved"


async def test_the_form_answers_yes_no_with_д_н_and_options_in_either_layout(desk: Desk):
    desk.import_leads([Lead("Альфа", moscow_phone(1), "Иван Петров")])
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n", "f10")
        await settle(pilot)
        panel = app.screen.query_one(QualificationPanel)

        def shown(question_id: str) -> bool:
            return app.screen.query_one(f"#question-{question_id}").display

        app.screen.query_one("#answer-need").focus()
        await pilot.press("д")  # да
        await settle(pilot)
        assert shown("timeline") and panel.answers["need"] is True
        app.screen.query_one("#answer-need").focus()  # the answer moved the focus on
        await pilot.press("н")  # нет
        await settle(pilot)
        assert not shown("timeline") and panel.answers["need"] is False
        # typed answers keep every letter: no key of the desk fires in a field
        app.screen.query_one("#answer-comment").focus()
        await type_text(pilot, "фыва кзд")
        await settle(pilot)
        assert panel.answers["comment"] == "фыва кзд"


def web_desk(desk: Desk) -> Desk:
    desk.import_leads([Lead("Альфа", moscow_phone(1), "Иван Петров")])
    auth.set_password("anna", "anna-password")
    return desk


async def test_web_mode_shows_and_takes_the_browser_safe_keys(desk: Desk):
    app = make_app(
        web_desk(desk).workspace,
        agent_login="anna",
        clock=lambda: WEDNESDAY_10_MSK,
        browser=BrowserTab("10.0.0.7"),
    )
    async with app.run_test(size=SIZE) as pilot:
        while not isinstance(app.screen, PasswordDialog):
            await pilot.pause(0.05)
        await pilot.press(*"anna-password", "enter")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert "alt+n" in footer_keys(app) and "^n" not in footer_keys(app)
        await pilot.press("f1")
        await settle(pilot)
        panel = help_panel_text(app)
        assert "alt+n" in panel and "alt+f11" in panel and "alt+f12" in panel
        assert "^n" not in panel and "^w" not in panel
        await pilot.press("f1")

        await pilot.press("ctrl+n")  # a browser keeps it: the desk does not answer it
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("alt+n")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        assert "alt+f5 Wrong number" in str(app.screen.query_one("#bar-dispo-wrong-number").content)

        await pilot.press("f10")
        await settle(pilot)
        panel_widget = app.screen.query_one(QualificationPanel)
        # as a terminal (and the browser's) sends it: escape, "n", read as alt+n with the
        # character "n", while a choice of the form has the focus
        assert app.focused is not None and app.focused.id == "answer-right_person"
        await wait_for(pilot, lambda: not app.screen.busy)  # a person is added when idle
        app.post_message(events.Key("alt+n", "n"))
        await wait_for(
            pilot, lambda: app.focused is not None and app.focused.has_class("person-name")
        )
        # the lead's contact (pre-filled) and the form's add person, not a picked option
        assert len(panel_widget.people) == 2
        assert not panel_widget.answers.get("right_person")
        app.screen.query_one("#answer-comment").focus()
        await wait_for(pilot, lambda: not app.screen.busy and app.focused.id == "answer-comment")
        app.post_message(events.Key("alt+n", "n"))
        await settle(pilot)
        assert len(panel_widget.people) == 3
        assert "comment" not in panel_widget.answers  # no "n" typed into the field
