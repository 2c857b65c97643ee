"""The qualification form on the call screen, driven with real keys: the default script
filled and submitted, a knockout, a condition showing and hiding a question, a required
question blocking the submission, drafts restored."""

from __future__ import annotations

from datetime import UTC, date, datetime

from qualification_keys import (
    FIT_AND_NOW,
    FIT_AND_NOW_SCORE,
    add_person,
    answer,
    keys_for,
)
from tui_helpers import (
    WEDNESDAY_10_MSK,
    Desk,
    Lead,
    moscow_phone,
    notifications,
    offer_asked,
    said,
    screen_texts,
    settle,
    text_of,
    wait_for,
)

from tmdesk.services.calls import lead_card
from tmdesk.services.qualification import load_draft, qualification_for
from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.qualification.form import QualificationPanel

SIZE = (120, 40)
NOW = WEDNESDAY_10_MSK
NO_PRODUCTION = "Нет производства и складов: оборудование не нужно"


def two_leads(desk: Desk) -> None:
    desk.import_leads(
        [
            Lead("Альфа", moscow_phone(1), "Иван Петров", priority=2, position="Главный инженер"),
            Lead("Бета", moscow_phone(2), "Ольга Смирнова", priority=1),
        ]
    )


async def open_form(pilot) -> QualificationPanel:
    """Take the next lead and press "Qualified": the form opens in the lead card's place."""
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CallScreen)
    await pilot.press("f10")
    await settle(pilot)
    panel = pilot.app.screen.query_one(QualificationPanel)
    assert not pilot.app.screen.query_one("#lead-card").display
    return panel


def shown(app, question_id: str) -> bool:
    return app.screen.query_one(f"#question-{question_id}").display


async def test_the_default_script_filled_with_keys_qualifies_the_lead(desk: Desk):
    two_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_form(pilot)
        # the lead stays in sight, the script's placeholders are filled
        assert text_of(app, "#qual-lead") == "Альфа · Иван Петров"
        assert text_of(app, "#qual-phone") == "8 (495) 100-00-01"
        say = text_of(app, "#section-intro .section-say")
        assert "Добрый день, Иван Петров! Меня зовут Anna Petrova, компания ТехноПоставка" in say
        assert "полезно Альфа" in say

        await answer(pilot, FIT_AND_NOW)
        # after the last question the focus is on the lead's contact, pre-filled as the
        # first decision maker: one key says who they are
        assert app.focused.has_class("person-role")
        await pilot.press("1")
        await settle(pilot)
        # what the desk read, echoed under the typed answers
        assert text_of(app, "#question-timeline .question-echo") == "→ 25.01.2027"
        assert text_of(app, "#question-budget_amount .question-echo") == "→ 5000"
        assert "→ +7 495 100-00-01" in text_of(app, ".person-phone-echo")
        # the live verdict, and what submitting will do
        assert text_of(app, "#verdict-line") == (
            f"Fit: yes · Actual now · Score {FIT_AND_NOW_SCORE}"
        )
        assert text_of(app, "#verdict-outcome") == "ctrl+s → qualified"
        assert panel.verdict.fit is True

        lead_id = desk.lead_id("Альфа")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # recorded; a meeting is offered (Esc: not now), then the call loop moves on
        assert desk.lead("Альфа").status == "qualified"
        assert offer_asked(app)
        assert text_of(app, "#card-company") == "Альфа"  # the lead stays in view
        # the offer says what was recorded and how to undo it; the notice waits for the
        # answer (a notice now would be painted and moved onto the booking panel)
        assert text_of(app, "#offer-recorded").startswith(
            "Recorded: qualified — ctrl+z to undo (30 s)\nQualification submitted: Actual now"
        )
        assert not any("Recorded" in notice for notice in notifications(app))
        attempts = desk.lead("Альфа").attempts
        await pilot.press("f2", "ctrl+n")  # the call's keys wait for the answer
        await settle(pilot)
        assert offer_asked(app) and text_of(app, "#card-company") == "Альфа"
        assert desk.lead("Альфа").attempts == attempts
        await pilot.press("escape")
        await settle(pilot)
        assert text_of(app, "#card-company") == "Бета"
        assert not app.screen.query(QualificationPanel)
        assert app.screen.query_one("#lead-card").display
        assert "Recorded: qualified" in notifications(app)[-1]
        assert f"Actual now · Score {FIT_AND_NOW_SCORE}" in notifications(app)[-1]

    record = qualification_for(lead_id)
    assert record is not None and record.script_key == "b2b-ru"
    assert (
        record.verdict.fit,
        record.verdict.actuality,
        record.verdict.score,
        record.verdict.knockouts,
    ) == (True, "now", FIT_AND_NOW_SCORE, ())
    stored = {a.id: a.answer for a in record.answers}
    assert stored == {
        "right_person": "self",
        "activity": "manufacturing",
        "employees": 250,
        "district": "cfo",
        "current_solution": "none",
        "need": True,
        "need_details": "цех",
        "timeline": "2027-01-25",
        "budget": "approved",
        "budget_amount": 5000,
        "decision_process": ["director", "chief_engineer"],
        "meeting_agreed": True,
        "comment": "после обеда",
    }
    (person,) = record.decision_makers
    assert (person.role, person.name, person.position, person.phone_e164, person.phone_raw) == (
        "decision_maker",
        "Иван Петров",
        "Главный инженер",
        "+74951000001",
        "8 (495) 100-00-01",
    )
    assert load_draft(lead_id, desk.users["anna"].id) is None  # the draft became the record


async def test_a_knockout_records_not_a_fit_with_its_reason(desk: Desk):
    two_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_form(pilot)
        await answer(pilot, [("right_person", "1"), ("activity", "8")])  # торговля
        await settle(pilot)
        assert text_of(app, "#question-activity .question-knockout") == f"✗ {NO_PRODUCTION}"
        assert text_of(app, "#verdict-line").startswith(f"Not a fit: {NO_PRODUCTION}")
        assert text_of(app, "#verdict-outcome") == (
            "ctrl+s → not a fit (the script refuses “qualified”)"
        )
        assert panel.verdict.fit is False

        lead_id = desk.lead_id("Альфа")
        await pilot.press("f10")  # "qualified" again: still only the form, nothing recorded
        await settle(pilot)
        assert desk.lead("Альфа").status == "in_progress"

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert desk.lead("Альфа").status == "not_fit"
        assert text_of(app, "#card-company") == "Бета"
        assert "Recorded: not a fit" in notifications(app)[-1]
        assert f"The script says not a fit: {NO_PRODUCTION}" in notifications(app)[-1]

    record = qualification_for(lead_id)
    assert (record.verdict.fit, record.verdict.knockouts) == (False, (NO_PRODUCTION,))
    assert lead_card(lead_id).history[0].reason == NO_PRODUCTION


async def test_not_a_fit_key_submits_a_form_with_a_knockout(desk: Desk):
    two_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        await answer(pilot, [("right_person", "1"), ("activity", "1")])
        await pilot.press(*keys_for("12"))  # employees: 12 < 20
        await settle(pilot)
        await pilot.press("f8")  # no reason dialog: the script gives the reason
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        assert text_of(app, "#card-company") == "Бета"
    reason = "Меньше 20 сотрудников: ниже минимального размера клиента"
    assert desk.lead("Альфа").status == "not_fit"
    assert qualification_for(desk.lead_id("Альфа")).verdict.knockouts == (reason,)


async def test_a_condition_shows_and_hides_its_questions_as_the_answer_changes(desk: Desk):
    two_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        assert not shown(app, "timeline") and not shown(app, "need_details")
        app.screen.query_one("#answer-need").focus()
        await pilot.press("y")
        await settle(pilot)
        assert shown(app, "timeline") and shown(app, "need_details")
        assert shown(app, "budget") and not shown(app, "budget_amount")
        assert app.focused.id == "answer-need_details"  # the answer moves on to the one shown

        app.screen.query_one("#answer-need").focus()
        await pilot.press("n")
        await settle(pilot)
        assert not shown(app, "timeline") and not shown(app, "need_details")
        assert not shown(app, "budget")
        assert app.focused.id == "answer-decision_process"  # hidden ones are skipped

        # a multiple choice: the tender question shows while "tender" is among the picks
        assert not shown(app, "tender_law")
        await pilot.press("6")
        await settle(pilot)
        assert shown(app, "tender_law")
        await pilot.press("space")  # the cursor is on "tender": space toggles it off
        await settle(pilot)
        assert not shown(app, "tender_law")
        assert app.screen.query_one("#question-tender_law").region.height == 0


async def test_a_required_question_unanswered_blocks_the_submission(desk: Desk):
    two_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        await answer(pilot, FIT_AND_NOW, skip=("employees",))
        await pilot.press("1")  # the contact is the decision maker
        await settle(pilot)
        question = "Сколько человек работает в компании (примерно)?"
        assert text_of(app, "#verdict-outcome") == f"ctrl+s: answer first: {question}"

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert desk.lead("Альфа").status == "in_progress"
        refusal = f"answer the required questions first: {question}"
        assert refusal in notifications(app)[-1]
        assert refusal in text_of(app, "#verdict-refusal")
        assert app.focused.id == "answer-employees"  # sent to what is missing

        await pilot.press(*keys_for("250"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert desk.lead("Альфа").status == "qualified"


async def test_text_that_is_not_an_answer_is_shown_and_blocks_the_submission(desk: Desk):
    two_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        app.screen.query_one("#answer-need").focus()
        await pilot.press("y", "tab")
        assert app.focused.id == "answer-timeline"
        await pilot.press(*keys_for("31.02"))
        await settle(pilot)
        assert text_of(app, "#question-timeline .question-echo") == "no such date 31.02"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (
            "Fix the answer first: Когда планируете закупку?: no such date 31.02"
            in (notifications(app)[-1])
        )
        assert desk.lead("Альфа").status == "in_progress"


async def test_people_are_added_and_removed_with_keys(desk: Desk):
    two_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_form(pilot)
        # the lead's contact is there already, its role waiting for a key
        assert [(p.role, p.name, p.position) for p in panel.people] == [
            ("", "Иван Петров", "Главный инженер")
        ]
        await add_person(pilot, "Сидоров Пётр", "Директор", "", "")
        await add_person(pilot, "Иванова Анна", "Закупки", "not a phone", "ivanova@alfa.ru")
        await settle(pilot)
        assert [(p.role, p.name) for p in panel.people] == [
            ("", "Иван Петров"),
            ("decision_maker", "Сидоров Пётр"),
            ("influencer", "Иванова Анна"),
        ]
        problems = text_of(app, "#people-problems")
        assert "Иван Петров: choose the role" in problems
        assert "Сидоров Пётр: a phone or an e-mail is required" in problems
        assert "Иванова Анна: phone not a phone" in problems
        # the roles: 2 = influencer for the contact, 3 = approver for the third
        app.screen.query(".person-role").first().focus()
        await pilot.press("2")
        app.screen.query(".person-role").last().focus()
        await pilot.press("3")
        assert [p.role for p in panel.people] == ["influencer", "decision_maker", "approver"]
        # remove the second: the focus is in its name
        app.screen.query(".person-name")[1].focus()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [p.name for p in panel.people] == ["Иван Петров", "Иванова Анна"]
        # removing a person is saved at once (not after a pause in the typing); until the
        # save lands there may be no draft at all, so wait for it rather than read None
        lead_id, anna = desk.lead_id("Альфа"), desk.users["anna"].id
        await wait_for(
            pilot,
            lambda: (
                [
                    (p.role, p.name)
                    for p in getattr(load_draft(lead_id, anna), "decision_makers", ())
                ]
                == [("influencer", "Иван Петров"), ("approver", "Иванова Анна")]
            ),
        )


async def test_answers_are_saved_as_a_draft_and_come_back(desk: Desk):
    two_leads(desk)
    app = desk.app(agent="anna")
    lead_id, anna = None, desk.users["anna"].id
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        lead_id = app.screen.lead_id
        await answer(pilot, FIT_AND_NOW[:3])
        app.screen.query_one("#answer-need").focus()
        await pilot.press("y", "tab", *keys_for("31.02"))
        await wait_for(
            pilot,
            lambda: (
                (load_draft(lead_id, anna) or False)
                and load_draft(lead_id, anna).typed == {"timeline": "31.02"}
            ),
        )
        await settle(pilot)
        assert "saved 10:00:00" in text_of(app, "#qual-saved")
        await pilot.press("escape")  # closes the form; the answers stay
        await settle(pilot)
        assert not app.screen.query(QualificationPanel)
        assert app.screen.query_one("#lead-card").display

    draft = load_draft(lead_id, anna)
    assert draft.answers == {
        "right_person": "self",
        "activity": "manufacturing",
        "employees": 250,
        "need": True,
    }
    assert draft.typed == {"timeline": "31.02"}

    app = desk.app(agent="anna")  # a new start: the lead is still anna's
    told = said(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CallScreen) and app.screen.lead_id == lead_id
        panel = app.screen.query_one(QualificationPanel)  # opened by itself
        assert panel.answers == draft.answers
        assert app.screen.query_one("#answer-employees").value == "250"
        assert app.screen.query_one("#answer-timeline").value == "31.02"
        assert text_of(app, "#question-timeline .question-echo") == "no such date 31.02"
        assert any("qualification answers for Альфа are back" in n for n in told)
        assert text_of(app, "#qual-saved") == "restored"


async def test_a_fit_without_a_need_now_is_nurtured_with_its_recall(desk: Desk):
    two_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        await answer(pilot, FIT_AND_NOW[:5] + [("need", "n")])
        assert app.focused.id == "answer-decision_process"  # the need questions are gone
        app.screen.query_one(".person-role").focus()
        await pilot.press("1")  # the contact is the decision maker
        await settle(pilot)
        assert text_of(app, "#verdict-line") == "Fit: yes · Later: recall 25.02.2027 · Score 45"
        assert text_of(app, "#verdict-outcome") == "ctrl+s → nurture, recall 25.02.2027"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Recall:" in notifications(app)[-1]
    lead = desk.lead("Альфа")
    assert lead.status == "nurture"
    # 10:00 in Moscow on the recall date
    assert lead.next_call_at == datetime(2027, 2, 25, 7, 0, tzinfo=UTC)
    record = qualification_for(lead.id)
    assert (record.verdict.actuality, record.verdict.recall_on) == ("later", date(2027, 2, 25))


async def test_lead_data_and_script_texts_are_shown_as_written(desk: Desk):
    desk.import_leads([Lead("[bold]Acme[/] Trading", moscow_phone(1), "Bob [Sales]")])
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        assert text_of(app, "#qual-lead") == "[bold]Acme[/] Trading · Bob [Sales]"
        say = text_of(app, "#section-intro .section-say")
        assert "Добрый день, Bob [Sales]!" in say and "полезно [bold]Acme[/] Trading" in say


# A qualification as the demo workspace stores it: each answer as the text the agent wrote,
# with no type (the supervisor returns it, the agent reopens it).
EARLIER = [
    {"id": "right_person", "text": "Вы отвечаете за закупки?", "answer": "Да, это я"},
    {"id": "activity", "text": "Чем занимается компания?", "answer": "Производство"},
    {"id": "employees", "text": "Сколько сотрудников?", "answer": "120"},
    {"id": "current_solution", "text": "Чем пользуются?", "answer": "Работают с местными"},
    {"id": "need", "text": "Есть потребность?", "answer": "Да"},
    {"id": "budget", "text": "Заложен ли бюджет?", "answer": "Да, утверждён"},
]


async def test_a_returned_lead_reopens_with_every_earlier_answer_and_the_comment(desk: Desk):
    from tmdesk.services.review import return_to_agent
    from tmdesk.store.models import Qualification

    two_leads(desk)
    anna, sveta = desk.users["anna"].id, desk.users["sveta"].id
    lead_id = desk.lead_id("Альфа")
    earlier = Qualification.create(
        lead=lead_id,
        agent=anna,
        script_key="b2b-ru",
        script_version="1",
        answers=EARLIER,
        fit=True,
        status="submitted",
        submitted_at=NOW,
    )
    comment = "Уточните бюджет и сроки"
    return_to_agent(earlier.id, sveta, comment, now=NOW)

    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")  # the returned lead is anna's callback, due now
        await settle(pilot)
        assert isinstance(app.screen, CallScreen) and app.screen.lead_id == lead_id
        panel = app.screen.query_one(QualificationPanel)  # opened with the answers
        # the supervisor's comment is what to fix, not something agreed with the client
        assert text_of(app, "#qual-returned") == f"Returned by the supervisor: {comment}"
        assert "Agreed" not in screen_texts(app)
        assert text_of(app, ".card-returned") == comment
        # every earlier answer is on the form: picked, or shown as it was written
        assert panel.answers == {
            "right_person": "self",
            "activity": "manufacturing",
            "employees": 120,
            "need": True,
            "budget": "approved",
        }
        assert app.screen.query_one("#answer-employees").value == "120"
        assert text_of(app, "#question-current_solution .question-echo") == (
            "earlier answer “Работают с местными”: pick one of the options"
        )
        # the counter counts the required questions that are blank on the screen
        blank = [
            field.question.id
            for field in panel.fields()
            if field.display and field.question.required and field.value is None
        ]
        assert blank == ["district", "timeline"]
        assert text_of(app, "#verdict-line").startswith("Fit: ? (2 required left)")


# The qualified path of the demo script, F10 to submit, as the agent presses it: each step
# is one answer (or one key of the desk), and after each the focus is on what comes next.
QUALIFIED_PATH = [
    (["f10"], "answer-right_person"),
    (["1"], "answer-activity"),  # one-key answers move on by themselves
    (["1"], "answer-employees"),
    ([*keys_for("250"), "enter"], "answer-district"),  # typed text: Enter moves on
    (["1"], "answer-current_solution"),
    (["4"], "answer-need"),
    (["y"], "answer-need_details"),
    ([*keys_for("цех"), "enter"], "answer-timeline"),
    ([*keys_for("через 2 месяца"), "enter"], "answer-budget"),
    (["1"], "answer-budget_amount"),
    ([*keys_for("5 000"), "enter"], "answer-decision_process"),
    (["1", "3", "enter"], "answer-meeting_agreed"),  # a multiple choice: Enter when done
    (["y"], "answer-comment"),
    ([*keys_for("после обеда"), "enter"], None),  # on to the lead's contact, its role
    (["1"], None),  # the contact is the decision maker (ЛПР)
    (["ctrl+s"], None),
]


def in_sight(app) -> bool:
    """The focused field is inside the form's visible part."""
    form, focused = app.screen.query_one("#qual-form"), app.focused
    return focused is not None and form.region.contains_region(focused.region)


async def test_the_qualified_path_takes_one_key_per_answer(desk: Desk):
    two_leads(desk)
    app = desk.app(agent="anna")
    lead_id = desk.lead_id("Альфа")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        for keys, goes_to in QUALIFIED_PATH[:-2]:
            await pilot.press(*keys)
            await settle(pilot)
            if goes_to is not None:
                assert app.focused.id == goes_to, (keys, app.focused)
            assert in_sight(app), (keys, app.focused)
        role = app.focused  # the contact's role, in sight
        assert role.has_class("person-role")
        assert role.parent.query_one(".person-name").value == "Иван Петров"
        for keys, _goes_to in QUALIFIED_PATH[-2:]:
            await pilot.press(*keys)
            await settle(pilot)
        assert offer_asked(app)  # submitted: the meeting is offered

    assert desk.lead("Альфа").status == "qualified"
    record = qualification_for(lead_id)
    assert (record.verdict.fit, record.verdict.actuality) == (True, "now")
    assert {a.id: a.answer for a in record.answers}["decision_process"] == [
        "director",
        "chief_engineer",
    ]
    (person,) = record.decision_makers
    assert (person.role, person.name, person.position, person.phone_e164) == (
        "decision_maker",
        "Иван Петров",
        "Главный инженер",
        "+74951000001",
    )
    # the count: every key pressed, and those that are not an answer or typed text
    pressed = [key for keys, _ in QUALIFIED_PATH for key in keys]
    desk_keys = ["f10", "1", "ctrl+s"]  # open, confirm the contact's role, submit
    enters = [key for key in pressed if key == "enter"]
    assert (len(QUALIFIED_PATH), len(enters), len(desk_keys)) == (16, 6, 3)


async def test_an_option_marked_in_the_script_adds_a_decision_maker(desk: Desk):
    two_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_form(pilot)
        app.screen.query_one("#answer-decision_process").focus()
        await pilot.press("2")  # «Собственник»: the script says it is a decision maker
        await settle(pilot)
        assert [(p.role, p.name, p.position) for p in panel.people] == [
            ("", "Иван Петров", "Главный инженер"),
            ("decision_maker", "", "Собственник"),
        ]
        assert app.focused.id == "answer-decision_process"  # still picking
        await pilot.press("2")  # unpicked: the person goes again, nothing was typed
        await settle(pilot)
        assert [p.name for p in panel.people] == ["Иван Петров"]

        await pilot.press("2")
        await settle(pilot)
        app.screen.query(".person-name").last().focus()
        await pilot.press(*keys_for("Олег"))
        app.screen.query_one("#answer-decision_process").focus()
        await pilot.press("2")  # unpicked, but a name was typed: the person stays
        await settle(pilot)
        assert [(p.role, p.name, p.position) for p in panel.people] == [
            ("", "Иван Петров", "Главный инженер"),
            ("decision_maker", "Олег", "Собственник"),
        ]


def district_lines(app) -> list[str]:
    return str(app.screen.query_one("#answer-district").render()).splitlines()


async def test_the_lead_cards_city_suggests_the_district_and_enter_confirms_it(desk: Desk):
    desk.import_leads(
        [
            Lead("Уралмаш", moscow_phone(3), city="Екатеринбург", priority=2),
            Lead("Бета", moscow_phone(2), priority=1),
        ]
    )
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_form(pilot)
        await pilot.press("1", "1", *keys_for("250"), "enter")  # up to the site's district
        await settle(pilot)
        assert app.focused.id == "answer-district"
        (line,) = [line for line in district_lines(app) if "from the lead card" in line]
        assert "Уральский ФО" in line and "Enter confirms" in line
        assert "district" not in panel.answers  # suggested, not answered
        await pilot.press("enter")
        await settle(pilot)
        assert panel.answers["district"] == "ufo"
        assert app.focused.id == "answer-current_solution"  # on to the next question
        assert not [line for line in district_lines(app) if "from the lead card" in line]

        await pilot.press("escape", "ctrl+l")  # the next lead: no city, a Moscow phone
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        panel = app.screen.query_one(QualificationPanel)
        assert panel.lead_id == desk.lead_id("Бета")
        (line,) = [line for line in district_lines(app) if "from the lead card" in line]
        assert "Центральный ФО" in line  # the phone's place
        app.screen.query_one("#answer-district").focus()
        await pilot.press("4")  # the site is elsewhere: another key picks another district
        await settle(pilot)
        assert panel.answers["district"] == "ufo"
