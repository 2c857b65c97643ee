"""The main screens in Russian, at 80×24 (the smallest terminal the desk supports) and at
160×48: Russian words are longer, and nothing a person needs may be cut off.

The suite speaks English; the `russian` fixture switches one test to Russian and back.
Fixed data and a fixed clock, as the English snapshots. Review a changed picture by eye
(pytest --snapshot-report) before --snapshot-update.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from booking_setup import URALMASH, add_specialists, qualify
from qualification_keys import FIT_AND_NOW, answer
from supervisor_data import WEDNESDAY_18_MSK, fixed_day, sign_in_as_supervisor
from supervisor_data import settle as settle_workspace
from test_tui_booking_snapshots import booking_app, panel_with_the_suggested_slot
from test_tui_qualification_snapshots import meeting_offered
from textual.widgets import DataTable, HelpPanel, Input, Static, TextArea
from textual.widgets._footer import FooterKey
from tui_helpers import (
    WEDNESDAY_08_MSK,
    WEDNESDAY_10_MSK,
    Desk,
    Lead,
    make_desk,
    settle,
    text_of,
    type_text,
    wait_for,
)

from tmdesk.i18n import _
from tmdesk.services.calls import claim_next_lead, record_disposition
from tmdesk.tui.desk.lists import CallbacksScreen, CallsTodayScreen
from tmdesk.tui.supervisor.call_lists import CallListsScreen
from tmdesk.tui.supervisor.dnc import DncScreen
from tmdesk.tui.supervisor.figures import FiguresScreen
from tmdesk.tui.supervisor.review import ReviewDetailScreen, ReviewScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
pytestmark = pytest.mark.usefixtures("russian")


@pytest.fixture
def here(tmp_path: Path, monkeypatch) -> Path:
    # A relative database path, so the title reads "t.db" on every machine.
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def agents_desk(here: Path) -> Desk:
    desk = make_desk(Path("t.db"), here)
    desk.import_leads(
        [
            Lead(
                "ООО «Уралмаш-Сервис»",
                "+7 343 350-11-22 доб. 12",
                "Павел Громов",
                priority=3,
                position="главный инженер",
                email="gromov@uralmash-service.ru",
                city="Екатеринбург",
                comment="Работают с конкурентом до весны",
                industry="Машиностроение",
            ),
            Lead(
                "Общество с ограниченной ответственностью «Сибирский лес»",
                "+7 383 210-55-66",
                "Ольга Нечаева",
                priority=2,
            ),
            Lead("ООО «Камчатрыба»", "+7 4152 41-23-45", "Сергей Котов"),
            Lead("Торговый дом Арбат", "+7 495 123-45-67", "Мария Соколова"),
            Lead("Янтарный берег", "+7 4012 55-66-77", "Инна Белова"),
        ],
        list_name="Осень 2026",
    )
    return desk


@pytest.fixture
def supervisors_desk(here: Path) -> Desk:
    desk = make_desk(Path("t.db"), here)
    fixed_day(desk, with_tuesday=True)
    return desk


@pytest.fixture
def booking_desk(here: Path) -> Desk:
    desk = make_desk(Path("t.db"), here)
    desk.import_leads([URALMASH], list_name="Осень 2026")
    add_specialists(desk)
    qualify(desk)
    return desk


@pytest.fixture
def callbacks_desk(agents_desk: Desk) -> Desk:
    """Anna's two callbacks, agreed at 09:00 on Wednesday: one due at 10:00, one on Friday."""
    settings, anna = agents_desk.workspace.settings, agents_desk.users["anna"].id
    nine = WEDNESDAY_10_MSK - timedelta(hours=1)
    for when, note in (
        (WEDNESDAY_10_MSK - timedelta(minutes=10), "Секретарь: ЛПР вернётся в среду после 18"),
        (WEDNESDAY_10_MSK + timedelta(days=2), "Перезвонить после тендера, спросить про объёмы"),
    ):
        claim = claim_next_lead(anna, settings, now=nine)
        record_disposition(
            claim.lead_id, anna, "callback", settings, now=nine, callback_at=when, note=note
        )
    return agents_desk


def fits(table: DataTable) -> bool:
    """Every column of the table within its width: nothing to scroll sideways to."""
    return table.virtual_size.width <= table.scrollable_content_region.width


def headings(table: DataTable) -> list[str]:
    return [str(column.label) for column in table.columns.values()]


def no_blinking(screen) -> None:
    for field in [*screen.query(Input), *screen.query(TextArea)]:
        field.cursor_blink = False


# ---- the agent's screens -------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_sign_in(agents_desk: Desk, snap_compare, size):
    app = agents_desk.app(now=WEDNESDAY_10_MSK)

    async def shown(pilot) -> None:
        await settle(pilot)
        no_blinking(pilot.app.screen)

    assert snap_compare(app, terminal_size=size, run_before=shown)


@pytest.mark.parametrize("size", SIZES)
def test_queue(agents_desk: Desk, snap_compare, size):
    """Wednesday 08:00 in Moscow: the east is open, Moscow and Kaliningrad not yet."""
    app = agents_desk.app(agent="anna", now=WEDNESDAY_08_MSK)
    assert snap_compare(app, terminal_size=size, run_before=settle)


async def open_the_call(pilot) -> None:
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    no_blinking(pilot.app.screen)
    await type_text(pilot, "ЛПР на месте, соединяют")
    saved = _("Draft saved at {time}").split("{")[0]
    await wait_for(pilot, lambda: saved in text_of(pilot.app, "#draft-status"))
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_callbacks(callbacks_desk: Desk, snap_compare, size):
    """F11: the due callback first, its time bold; at 80×24 the note cut to fit."""
    app = callbacks_desk.app(agent="anna", now=WEDNESDAY_10_MSK)

    async def open_callbacks(pilot) -> None:
        await settle(pilot)
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CallbacksScreen)

    assert snap_compare(app, terminal_size=size, run_before=open_callbacks)


@pytest.mark.parametrize("size", SIZES)
def test_call(agents_desk: Desk, snap_compare, size):
    app = agents_desk.app(agent="anna", now=WEDNESDAY_10_MSK)
    assert snap_compare(app, terminal_size=size, run_before=open_the_call)


@pytest.mark.parametrize("size", SIZES)
def test_callback_dialog(agents_desk: Desk, snap_compare, size):
    app = agents_desk.app(agent="anna", now=WEDNESDAY_10_MSK)

    async def ask_when(pilot) -> None:
        await open_the_call(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await type_text(pilot, "завтра 11:00")
        await settle(pilot)
        no_blinking(pilot.app.screen)

    assert snap_compare(app, terminal_size=size, run_before=ask_when)


@pytest.mark.parametrize("size", SIZES)
def test_meeting_offer(agents_desk: Desk, snap_compare, size):
    """Submitted qualified: the meeting is offered above the outcome keys."""
    app = agents_desk.app(agent="anna", now=WEDNESDAY_10_MSK)
    assert snap_compare(app, terminal_size=size, run_before=meeting_offered)


@pytest.mark.parametrize("size", SIZES)
def test_qualification_form(agents_desk: Desk, snap_compare, size):
    """F10, the fit questions answered, the focus back on the purchase date."""
    app = agents_desk.app(agent="anna", now=WEDNESDAY_10_MSK)

    async def half_filled(pilot) -> None:
        await open_the_call(pilot)
        await pilot.press("f10")
        await settle(pilot)
        no_blinking(pilot.app.screen)
        await answer(pilot, FIT_AND_NOW[:8])
        await pilot.press("shift+tab")
        saved = _("saved {time}").split("{")[0]
        await wait_for(pilot, lambda: saved in text_of(pilot.app, "#qual-saved"))
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=half_filled)


@pytest.mark.parametrize("size", SIZES)
def test_booking_panel(booking_desk: Desk, snap_compare, size):
    """Two matching specialists, the suggested slot picked (as the English snapshot)."""
    app = booking_app(booking_desk)
    assert snap_compare(app, terminal_size=size, run_before=panel_with_the_suggested_slot)


# ---- the supervisor's screens --------------------------------------------------------


def workspace_screen(key: str, screen_type, *then: str):
    async def open_it(pilot) -> None:
        await sign_in_as_supervisor(pilot)
        await pilot.press(key)
        await settle_workspace(pilot)
        assert isinstance(pilot.app.screen, screen_type)
        for more in then:
            await pilot.press(more)
            await settle_workspace(pilot)
        pilot.app.clear_notifications()

    return open_it


@pytest.mark.parametrize("size", SIZES)
def test_workspace(supervisors_desk: Desk, snap_compare, size):
    app = supervisors_desk.app(now=WEDNESDAY_18_MSK)

    async def signed_in(pilot) -> None:
        await sign_in_as_supervisor(pilot)
        pilot.app.clear_notifications()

    assert snap_compare(app, terminal_size=size, run_before=signed_in)


@pytest.mark.parametrize("size", SIZES)
def test_review_queue(supervisors_desk: Desk, snap_compare, size):
    app = supervisors_desk.app(now=WEDNESDAY_18_MSK)
    assert snap_compare(app, terminal_size=size, run_before=workspace_screen("r", ReviewScreen))


@pytest.mark.parametrize("size", SIZES)
def test_review_detail(supervisors_desk: Desk, snap_compare, size):
    app = supervisors_desk.app(now=WEDNESDAY_18_MSK)
    opened = workspace_screen("r", ReviewScreen, "enter")

    async def detail(pilot) -> None:
        await opened(pilot)
        assert isinstance(pilot.app.screen, ReviewDetailScreen)

    assert snap_compare(app, terminal_size=size, run_before=detail)


@pytest.mark.parametrize("size", SIZES)
def test_figures(supervisors_desk: Desk, snap_compare, size):
    app = supervisors_desk.app(now=WEDNESDAY_18_MSK)
    assert snap_compare(app, terminal_size=size, run_before=workspace_screen("f", FiguresScreen))


async def test_figures_at_80_by_24_cut_no_words_off(supervisors_desk: Desk):
    """Every text of the figures screen ends inside the 80 columns, and the footer shows
    F1."""
    app = supervisors_desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=(80, 24)) as pilot:
        await workspace_screen("f", FiguresScreen)(pilot)
        sticking_out = [
            str(static.content)
            for static in app.screen.query(Static)
            if static.display and static.region.width and static.region.right > 80
        ]
        assert sticking_out == []
        footer = [a.binding for a in app.screen.active_bindings.values() if a.binding.show]
        assert "help" in {binding.id for binding in footer}
        assert "Клавиши" in {binding.description for binding in footer}


@pytest.mark.parametrize("size", SIZES)
def test_call_lists(supervisors_desk: Desk, snap_compare, size):
    app = supervisors_desk.app(now=WEDNESDAY_18_MSK)
    screen = workspace_screen("l", CallListsScreen)
    assert snap_compare(app, terminal_size=size, run_before=screen)


@pytest.mark.parametrize("size", SIZES)
def test_do_not_call(supervisors_desk: Desk, snap_compare, size):
    app = supervisors_desk.app(now=WEDNESDAY_18_MSK)
    assert snap_compare(app, terminal_size=size, run_before=workspace_screen("d", DncScreen))


# ---- footers at 80 columns -----------------------------------------------------------


def footer_keys(app) -> list[FooterKey]:
    return [key for key in app.screen.query(FooterKey) if key.display]


@pytest.mark.parametrize(
    ("make_app", "open_it"),
    [
        (lambda desk: desk.app(agent="anna", now=WEDNESDAY_08_MSK), settle),
        (lambda desk: desk.app(agent="anna", now=WEDNESDAY_10_MSK), open_the_call),
    ],
    ids=["queue", "call"],
)
async def test_at_80_columns_the_agents_footer_keeps_f1_and_sign_out_whole(
    agents_desk: Desk, make_app, open_it
):
    """The Russian footer leaves ctrl+q out rather than cut F1 and sign out; ctrl+q still
    works, and F1 lists it."""
    app = make_app(agents_desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_it(pilot)
        keys = footer_keys(app)
        assert max(key.region.right for key in keys) <= 80
        shown = {key.description for key in keys}
        assert {"Клавиши", "Сменить"} <= shown and "Выход" not in shown
        await pilot.press("f1")
        await settle(pilot)
        assert app.screen.query(HelpPanel)
        assert "Выход" in {
            active.binding.description for active in app.screen.active_bindings.values()
        }
    async with make_app(agents_desk).run_test(size=(160, 48)) as pilot:
        await open_it(pilot)
        assert "Выход" in {key.description for key in footer_keys(pilot.app)}


async def test_at_80_columns_the_booking_footer_keeps_close_f1_and_sign_out(booking_desk: Desk):
    app = booking_app(booking_desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await panel_with_the_suggested_slot(pilot)
        keys = footer_keys(app)
        assert max(key.region.right for key in keys) <= 80
        shown = {key.description for key in keys}
        assert {"Назначить", "Закрыть", "Клавиши", "Сменить"} <= shown


@pytest.mark.parametrize(
    ("key", "screen_type"), [("l", CallListsScreen), ("d", DncScreen)], ids=["lists", "dnc"]
)
async def test_at_80_columns_a_supervisors_footer_keeps_f1_and_sign_out_whole(
    supervisors_desk: Desk, key, screen_type
):
    app = supervisors_desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=(80, 24)) as pilot:
        await workspace_screen(key, screen_type)(pilot)
        keys = footer_keys(app)
        assert max(key.region.right for key in keys) <= 80
        assert {"Назад", "Клавиши", "Сменить"} <= {key.description for key in keys}


async def test_at_80_columns_the_call_lists_table_fits_and_wider_shows_every_column(
    supervisors_desk: Desk,
):
    app = supervisors_desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=(80, 24)) as pilot:
        await workspace_screen("l", CallListsScreen)(pilot)
        table = app.screen.query_one("#lists-table", DataTable)
        headings = [str(column.label) for column in table.columns.values()]
        assert headings == [
            "Список", "Статус", "Приоритет", "Лиды", "Осталось", "К звонку", "Перезвоны"
        ]  # fmt: skip
        assert table.virtual_size.width <= table.size.width <= 80
        await pilot.press("down")
        await pilot.resize_terminal(160, 48)
        await settle_workspace(pilot)
        assert len(table.columns) == 10 and "Скрипт" in {
            str(c.label) for c in table.columns.values()
        }
        assert table.cursor_row == 1  # the list the supervisor was on


async def test_at_80_columns_the_review_queue_fits_and_wider_shows_every_column(
    supervisors_desk: Desk,
):
    app = supervisors_desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=(80, 24)) as pilot:
        await workspace_screen("r", ReviewScreen)(pilot)
        table = app.screen.query_one("#list-table", DataTable)
        headings = [str(column.label) for column in table.columns.values()]
        assert headings == ["Отправлено", "Оператор", "Компания", "Вердикт", "Встреча", "Проверка"]
        assert table.virtual_size.width <= table.size.width <= 80
        await pilot.press("down", "down")
        await pilot.resize_terminal(160, 48)
        await settle_workspace(pilot)
        assert "Контакт" in {str(c.label) for c in table.columns.values()}
        assert len(table.columns) == 8 and table.row_count == 5
        assert table.cursor_row == 2
        await pilot.press("enter")  # the row under the cursor is still the one opened
        await settle_workspace(pilot)
        assert isinstance(app.screen, ReviewDetailScreen)


# ---- tables at 80 columns ------------------------------------------------------------


async def test_at_80_columns_the_queue_fits_and_wider_shows_every_column(agents_desk: Desk):
    """A page longer than the screen (its scrollbar takes two columns) still fits; the
    contact, list and note come back at 160 columns, the cursor on the same lead."""
    agents_desk.import_leads(
        [
            Lead(f"Общество с ограниченной ответственностью «Рыба {n}»", f"+7 4152 41-30-{n:02d}")
            for n in range(20)
        ],
        list_name="Выставка",
    )
    app = agents_desk.app(agent="anna", now=WEDNESDAY_08_MSK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue-table", DataTable)
        assert headings(table) == ["№", "Очередь", "У клиента", "Телефон", "Компания"]
        assert table.row_count > table.scrollable_content_region.height  # it scrolls down
        assert fits(table)
        companies = [table.get_row_at(row)[4].plain for row in range(table.row_count)]
        assert "Общество с ограниченной ответственностью «Рыба 0»" not in companies
        assert any(name.startswith("Общество с ограниченной") for name in companies)
        await pilot.press("down", "down")
        lead = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        await pilot.resize_terminal(160, 48)
        await settle(pilot)
        assert headings(table)[5:] == ["Контакт", "Список", "Договорились"]
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key == lead
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert len(table.columns) == 5 and fits(table)


async def test_at_80_columns_my_callbacks_fit_with_what_was_agreed(callbacks_desk: Desk):
    app = callbacks_desk.app(agent="anna", now=WEDNESDAY_10_MSK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f11")
        await settle(pilot)
        table = app.screen.query_one("#list-table", DataTable)
        assert headings(table) == ["Когда", "Контакт", "Телефон", "Договорились", "Компания"]
        assert fits(table)
        assert table.row_count == 2
        agreed = table.get_row_at(1)[3].plain
        assert agreed.startswith("Перезвонить") and agreed.endswith("…")
        await pilot.press("down")  # the detail under the table: what was agreed, whole
        await settle(pilot)
        detail = text_of(app, "#callback-detail")
        assert "Перезвонить после тендера, спросить про объёмы" in detail
        await pilot.resize_terminal(160, 48)
        await settle(pilot)
        assert "Время клиента" in headings(table) and table.cursor_row == 1
        assert table.get_row_at(1)[4].plain == "Перезвонить после тендера, спросить про…"


async def test_at_80_columns_todays_calls_fit(callbacks_desk: Desk):
    app = callbacks_desk.app(agent="anna", now=WEDNESDAY_10_MSK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, CallsTodayScreen)
        table = app.screen.query_one("#list-table", DataTable)
        assert headings(table) == ["Время", "Компания", "Итог", "Заметка"]
        assert table.row_count == 2 and fits(table)
        await pilot.resize_terminal(160, 48)
        await settle(pilot)
        assert headings(table) == ["Время", "Компания", "Телефон", "Итог", "Заметка"]


async def test_at_80_columns_the_figures_tables_fit_and_wider_show_every_column(
    supervisors_desk: Desk,
):
    app = supervisors_desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=(80, 24)) as pilot:
        await workspace_screen("f", FiguresScreen)(pilot)
        agents = app.screen.query_one("#figures-agents", DataTable)
        lists = app.screen.query_one("#figures-lists", DataTable)
        assert headings(agents) == [
            "Оператор", "Звонки", "Дозвон", "% дозв.", "Квал.", "Не наш", "Встр.", "Ср. время"
        ]  # fmt: skip
        assert fits(agents) and fits(lists) and "Скрипт" not in headings(lists)
        assert agents.get_row_at(agents.row_count - 1)[0].plain == "Итого"
        await pilot.resize_terminal(160, 48)
        await settle_workspace(pilot)
        assert len(agents.columns) == 12 and "Начало" in headings(agents)
        assert "Скрипт" in headings(lists)


async def test_at_80_columns_search_results_fit(agents_desk: Desk):
    app = agents_desk.app(agent="anna", now=WEDNESDAY_10_MSK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        await type_text(pilot, "ООО")
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one("#list-table", DataTable)
        assert headings(table) == ["Компания", "Контакт", "Телефон", "Статус"]
        assert table.row_count == 2 and fits(table)


async def test_at_80_columns_a_long_list_name_is_cut_to_fit(supervisors_desk: Desk):
    name = "Выставка «Металлообработка-2026», Екатеринбург, стенд 12"
    supervisors_desk.import_leads([Lead("ООО «Станкомаш»", "+7 343 350-90-90")], list_name=name)
    app = supervisors_desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=(80, 24)) as pilot:
        await workspace_screen("l", CallListsScreen)(pilot)
        table = app.screen.query_one("#lists-table", DataTable)
        names = [cell.plain for cell in table.get_column("name")]
        assert fits(table) and any(cut.startswith("Выставка «Металл") for cut in names)
        await pilot.resize_terminal(160, 48)
        await settle_workspace(pilot)
        assert name[:29] + "…" in [cell.plain for cell in table.get_column("name")]
