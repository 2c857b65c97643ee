"""Qualification as a service: which script, drafts while typing, submission → outcome."""

from __future__ import annotations

import csv
import time as clock
from datetime import UTC, date, datetime, timedelta

import pytest

from tmdesk.domain.scripts import Person, load_script
from tmdesk.services import qualification
from tmdesk.services.calls import CallError, claim_next_lead, undo_last_disposition
from tmdesk.services.importing import import_call_list
from tmdesk.services.qualification import (
    DEFAULT_SCRIPT_KEY,
    QualificationError,
    available_scripts,
    default_scripts_dir,
    find_script,
    load_draft,
    qualification_for,
    save_draft,
    say_values,
    script_for_lead,
    submit_qualification,
)
from tmdesk.services.users import add_user
from tmdesk.store.models import CallAttempt, CallList, DecisionMaker, Lead, Qualification

# Wednesday 10:00 in Moscow
NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)
SCRIPTS = default_scripts_dir()

GOOD = {
    "right_person": "self",
    "activity": "manufacturing",
    "employees": 250,
    "district": "cfo",
    "current_solution": "none",
    "need": True,
    "timeline": date(2027, 1, 15),
    "budget": "approved",
    "budget_amount": 2000,
    "decision_process": ("director", "chief_engineer"),
    "meeting_agreed": True,
    "comment": "Новый цех в марте",
}
PEOPLE = [
    Person(
        "decision_maker",
        "Иван Петров",
        "Генеральный директор",
        "8 (495) 100-00-09",
        "i.petrov@example.ru",
    ),
    {
        "role": "influencer",
        "name": "Ольга Сидорова",
        "position": "Главный инженер",
        "phone": "+7 916 123-45-67 доб. 12",
        "email": "",
    },
]


def import_rows(tmp_path, name, rows):
    path = tmp_path / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Компания", "Контакт", "Телефон", "Город"])
        writer.writerows(rows)
    report = import_call_list(path, list_name=name)
    return report.call_list_id, {
        lead.company: lead.id for lead in Lead.select().where(Lead.call_list == report.call_list_id)
    }


@pytest.fixture
def desk(workspace, tmp_path):
    anna = add_user("anna", "Анна Котова").id
    boris = add_user("boris", "Борис Лебедев").id
    list_id, leads = import_rows(
        tmp_path,
        "main",
        [
            ["ООО Ромашка", "Сергей Иванов", "8 495 100-00-01", "Москва"],
        ],
    )
    return workspace.settings, anna, boris, list_id, leads


@pytest.fixture
def script():
    return find_script(DEFAULT_SCRIPT_KEY)


def take(agent, settings, now=NOW):
    return claim_next_lead(agent, settings, now=now).lead_id


# --- which script ------------------------------------------------------------------------


def test_a_list_without_a_script_uses_the_default_one(desk):
    _settings, _anna, _boris, _list_id, leads = desk
    script = script_for_lead(leads["ООО Ромашка"])
    assert (script.key, script.language) == ("b2b-ru", "ru")


def test_a_list_names_its_script(desk):
    _settings, _anna, _boris, list_id, leads = desk
    CallList.update(script_key="b2b-en").where(CallList.id == list_id).execute()
    assert script_for_lead(leads["ООО Ромашка"]).key == "b2b-en"
    CallList.update(script_key="no-such").where(CallList.id == list_id).execute()
    with pytest.raises(QualificationError, match="no-such not found"):
        script_for_lead(leads["ООО Ромашка"])


def test_scripts_come_from_a_folder_by_key_even_under_another_file_name(
    desk, tmp_path, monkeypatch
):
    _settings, _anna, _boris, list_id, leads = desk
    folder = tmp_path / "scripts"
    folder.mkdir()
    text = (SCRIPTS / "b2b-en.toml").read_text(encoding="utf-8")
    (folder / "our-script.toml").write_text(
        text.replace('key = "b2b-en"', 'key = "ours"').replace("version = 1", 'version = "2.3"'),
        encoding="utf-8",
    )
    (folder / "broken.toml").write_text("key = ", encoding="utf-8")
    CallList.update(script_key="ours").where(CallList.id == list_id).execute()
    monkeypatch.setattr(qualification, "default_scripts_dir", lambda: folder)
    script = script_for_lead(leads["ООО Ромашка"])
    assert (script.key, script.version) == ("ours", "2.3")
    listed = {info.path.name: info for info in available_scripts()}
    assert listed["broken.toml"].problems == 1 and listed["our-script.toml"].questions == 16


def test_placeholders_come_from_the_lead_the_agent_and_the_script(desk, script):
    _settings, anna, _boris, _list_id, leads = desk
    values = say_values(leads["ООО Ромашка"], anna, script)
    assert values["company"] == "ООО Ромашка" and values["agent_name"] == "Анна Котова"
    assert values["contact_name"] == "Сергей Иванов" and values["our_company"] == "ТехноПоставка"


# --- drafts --------------------------------------------------------------------------------


def test_a_draft_comes_back_as_typed(desk, script):
    _settings, anna, _boris, _list_id, leads = desk
    lead = leads["ООО Ромашка"]
    assert load_draft(lead, anna) is None
    save_draft(
        lead,
        anna,
        script,
        {
            "activity": "food",
            "employees": 80,
            "need": True,
            "timeline": date(2027, 3, 1),
            "decision_process": ("owner",),
            "budget": None,
        },
        PEOPLE,
        typed={"budget_amount": "31.02"},
        now=NOW,
    )
    draft = load_draft(lead, anna)
    assert draft.answers == {
        "activity": "food",
        "employees": 80,
        "need": True,
        "timeline": date(2027, 3, 1),
        "decision_process": ("owner",),
    }
    assert draft.typed == {"budget_amount": "31.02"}
    assert (draft.script_key, draft.script_version, draft.saved_at) == ("b2b-ru", "1", NOW)
    assert [(p.role, p.name, p.phone) for p in draft.decision_makers] == [
        ("decision_maker", "Иван Петров", "8 (495) 100-00-09"),
        ("influencer", "Ольга Сидорова", "+7 916 123-45-67 доб. 12"),
    ]
    texts = {
        row["id"]: row["text"] for row in Qualification.get_by_id(draft.qualification_id).answers
    }
    assert texts["activity"] == "Чем занимается ООО Ромашка? Основной вид деятельности"


def test_a_draft_is_one_row_updated_in_place(desk, script):
    _settings, anna, boris, _list_id, leads = desk
    lead = leads["ООО Ромашка"]
    first = save_draft(lead, anna, script, {"employees": 80}, PEOPLE, now=NOW)
    second = save_draft(
        lead, anna, script, {"employees": 90, "need": False}, now=NOW + timedelta(seconds=2)
    )
    assert first == second
    assert Qualification.select().count() == 1
    draft = load_draft(lead, anna)
    assert draft.answers == {"employees": 90, "need": False}
    assert len(draft.decision_makers) == 2  # None: the people stay as they were
    save_draft(lead, anna, script, {"employees": 90}, [], now=NOW + timedelta(seconds=4))
    assert load_draft(lead, anna).decision_makers == ()
    # another agent's draft is their own
    save_draft(lead, boris, script, {"employees": 7}, now=NOW)
    assert load_draft(lead, boris).answers == {"employees": 7}
    assert load_draft(lead, anna).answers == {"employees": 90}


def test_saving_a_draft_is_fast(desk, script):
    _settings, anna, _boris, _list_id, leads = desk
    started = clock.perf_counter()
    for n in range(100):
        save_draft(
            leads["ООО Ромашка"],
            anna,
            script,
            {**GOOD, "employees": 100 + n},
            PEOPLE if n % 10 == 0 else None,
        )
    per_save = (clock.perf_counter() - started) / 100
    assert per_save < 0.05, f"{per_save * 1000:.1f} ms per save"
    assert load_draft(leads["ООО Ромашка"], anna).answers["employees"] == 199


# --- submitting ----------------------------------------------------------------------------


def test_a_good_lead_is_qualified_with_its_people(desk, script):
    settings, anna, _boris, _list_id, leads = desk
    lead = take(anna, settings)
    save_draft(lead, anna, script, {"employees": 10}, now=NOW)
    done = submit_qualification(
        lead, anna, settings, script, GOOD, PEOPLE, now=NOW + timedelta(minutes=5)
    )
    assert done.status == "qualified"
    assert (done.verdict.fit, done.verdict.actuality, done.verdict.knockouts) == (True, "now", ())
    row = Lead.get_by_id(lead)
    assert (row.status, row.claimed_by_id, row.next_call_at) == ("qualified", None, None)
    attempt = CallAttempt.get_by_id(done.attempt_id)
    assert (attempt.disposition, attempt.status_after) == ("qualified", "qualified")
    # the draft became the submitted qualification: no draft left behind
    stored = Qualification.get_by_id(done.qualification_id)
    assert [q.status for q in Qualification.select()] == ["submitted"]
    assert (
        stored.script_key,
        stored.script_version,
        stored.fit,
        stored.actuality,
        stored.score,
        stored.submitted_at,
    ) == ("b2b-ru", "1", True, "now", done.verdict.score, NOW + timedelta(minutes=5))
    assert done.verdict.score == 10 + 15 + 10 + 10 + 20 + 20 + 10 + 10
    people = [
        (p.role, p.name, p.position, p.phone_raw, p.phone_e164, p.email)
        for p in DecisionMaker.select().order_by(DecisionMaker.id)
    ]
    assert people == [
        (
            "decision_maker",
            "Иван Петров",
            "Генеральный директор",
            "8 (495) 100-00-09",
            "+74951000009",
            "i.petrov@example.ru",
        ),
        (
            "influencer",
            "Ольга Сидорова",
            "Главный инженер",
            "+7 916 123-45-67 доб. 12",
            "+79161234567",
            "",
        ),
    ]
    assert load_draft(lead, anna) is None


def test_undoing_the_outcome_gives_the_answers_back_as_a_draft(desk, script):
    settings, anna, _boris, _list_id, _leads = desk
    lead = take(anna, settings)
    done = submit_qualification(
        lead, anna, settings, script, GOOD, PEOPLE, now=NOW + timedelta(minutes=5)
    )
    undo_last_disposition(anna, settings, now=NOW + timedelta(minutes=5, seconds=10))
    row = Lead.get_by_id(lead)
    assert (row.status, row.claimed_by_id) == ("in_progress", anna)
    stored = Qualification.get_by_id(done.qualification_id)
    assert (stored.status, stored.submitted_at) == ("draft", None)
    draft = load_draft(lead, anna)
    assert draft is not None and draft.answers["activity"] == "manufacturing"
    # and it can be submitted again, as one qualification
    again = submit_qualification(
        lead, anna, settings, script, GOOD, PEOPLE, now=NOW + timedelta(minutes=7)
    )
    assert again.qualification_id == done.qualification_id
    assert [q.status for q in Qualification.select()] == ["submitted"]


def test_the_stored_qualification_reads_back_with_question_texts(desk, script):
    settings, anna, _boris, _list_id, leads = desk
    lead = take(anna, settings)
    submit_qualification(lead, anna, settings, script, GOOD, PEOPLE, now=NOW)
    record = qualification_for(lead)
    assert (record.script_key, record.script_version, record.status, record.agent_name) == (
        "b2b-ru",
        "1",
        "submitted",
        "Анна Котова",
    )
    answers = {a.id: a for a in record.answers}
    assert answers["activity"].text == "Чем занимается ООО Ромашка? Основной вид деятельности"
    assert answers["activity"].label == "Производство, машиностроение, металлообработка"
    assert (answers["timeline"].answer, answers["timeline"].label) == ("2027-01-15", "15.01.2027")
    assert answers["need"].label == "да"
    assert answers["decision_process"].answer == ["director", "chief_engineer"]
    assert list(answers) == [q.id for q in script.questions if q.id in GOOD]
    assert record.verdict.fit is True and record.verdict.actuality == "now"
    assert [p.phone_e164 for p in record.decision_makers] == ["+74951000009", "+79161234567"]
    as_json = record.to_json()
    assert as_json["decision_makers"][0]["phone"] == "+74951000009"
    assert as_json["answers"][0]["text"].startswith("Вы отвечаете за закупку")


def test_old_answers_stay_readable_when_the_script_changes(desk, script, tmp_path, monkeypatch):
    settings, anna, _boris, list_id, leads = desk
    lead = take(anna, settings)
    save_draft(lead, anna, script, {"employees": 300}, now=NOW)
    folder = tmp_path / "v2"
    folder.mkdir()
    text = (SCRIPTS / "b2b-ru.toml").read_text(encoding="utf-8")
    (folder / "b2b-ru.toml").write_text(
        text.replace("version = 1", "version = 2").replace(
            "Сколько человек работает в компании (примерно)?", "Численность персонала?"
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(qualification, "default_scripts_dir", lambda: folder)
    newer = script_for_lead(lead)
    assert newer.version == "2"
    # the draft saved under version 1 still fills the version 2 form (answers by id)
    assert load_draft(lead, anna).answers == {"employees": 300}
    submit_qualification(lead, anna, settings, script, GOOD, PEOPLE, now=NOW)
    record = qualification_for(lead)
    assert record.script_version == "1"
    employees = [a for a in record.answers if a.id == "employees"][0]
    assert employees.text == "Сколько человек работает в компании (примерно)?"


@pytest.mark.parametrize(
    "change, reasons",
    [
        ({"budget": "none"}, ["Нет бюджета в этом году"]),
        ({"employees": 12}, ["Меньше 20 сотрудников: ниже минимального размера клиента"]),
        (
            {"employees": 12, "district": "abroad"},
            [
                "Меньше 20 сотрудников: ниже минимального размера клиента",
                "Площадка за пределами России: не поставляем",
            ],
        ),
    ],
)
def test_a_knockout_makes_the_lead_not_a_fit_with_the_reason(desk, script, change, reasons):
    settings, anna, _boris, _list_id, leads = desk
    lead = take(anna, settings)
    done = submit_qualification(lead, anna, settings, script, {**GOOD, **change}, PEOPLE, now=NOW)
    assert done.status == "not_fit" and done.verdict.fit is False
    assert list(done.verdict.knockouts) == reasons
    assert Lead.get_by_id(lead).status == "not_fit"
    attempt = CallAttempt.get_by_id(done.attempt_id)
    assert (attempt.disposition, attempt.reason) == ("not_fit", "; ".join(reasons))
    stored = Qualification.get_by_id(done.qualification_id)
    assert (stored.fit, stored.knockouts) == (False, reasons)
    assert not CallAttempt.select().where(CallAttempt.disposition == "qualified").exists()


def test_a_knockout_ends_the_call_without_the_remaining_questions(desk, script):
    settings, anna, _boris, _list_id, leads = desk
    lead = take(anna, settings)
    done = submit_qualification(lead, anna, settings, script, {"activity": "trade"}, [], now=NOW)
    assert done.status == "not_fit"
    assert done.verdict.knockouts == ("Нет производства и складов: оборудование не нужно",)


def test_fit_but_later_is_nurture_with_a_recall_callback(desk, script):
    settings, anna, _boris, _list_id, leads = desk
    lead = take(anna, settings)
    answers = {**GOOD, "timeline": date(2027, 6, 17)}
    done = submit_qualification(lead, anna, settings, script, answers, PEOPLE, now=NOW)
    assert done.status == "nurture"
    assert (done.verdict.actuality, done.verdict.recall_on) == ("later", date(2027, 5, 18))
    # 10:00 on the recall day in the lead's time zone (Moscow, UTC+3)
    due = datetime(2027, 5, 18, 7, 0, tzinfo=UTC)
    row = Lead.get_by_id(lead)
    assert (row.status, row.next_call_at, row.callback_owner_id) == ("nurture", due, anna)
    stored = Qualification.get_by_id(done.qualification_id)
    assert (stored.actuality, stored.recall_on, stored.fit) == ("later", "2027-05-18", True)
    assert CallAttempt.get_by_id(done.attempt_id).callback_at == due


def test_a_recall_on_a_closed_day_moves_to_the_next_opening(desk, script):
    settings, anna, _boris, _list_id, leads = desk
    lead = take(anna, settings)
    answers = {**GOOD, "timeline": date(2027, 6, 15)}  # recall on Sunday 16 May
    done = submit_qualification(lead, anna, settings, script, answers, PEOPLE, now=NOW)
    assert done.verdict.recall_on == date(2027, 5, 16)
    # Monday 09:00 in Moscow: the calling window opens, and the recall is the agent's own
    assert done.next_call_at == datetime(2027, 5, 17, 6, 0, tzinfo=UTC)
    back = claim_next_lead(anna, settings, now=done.next_call_at)
    assert (back.lead_id, back.bucket) == (lead, "callback_own")


def test_bought_elsewhere_recalls_in_months_at_ten_in_the_leads_zone(desk, script, tmp_path):
    settings, anna, _boris, _list_id, _leads = desk
    _list, leads = import_rows(
        tmp_path, "far", [["Камчатрыба", "Олег", "8 4152 10-00-04", "Петропавловск-Камчатский"]]
    )
    Lead.update(status="wrong_number").where(Lead.company == "ООО Ромашка").execute()
    lead = take(anna, settings)
    assert lead == leads["Камчатрыба"]
    answers = {**GOOD, "current_solution": "local_supplier", "bought_recently": True}
    done = submit_qualification(lead, anna, settings, script, answers, PEOPLE, now=NOW)
    assert done.status == "nurture" and done.verdict.recall_on == date(2027, 5, 25)
    # 10:00 in Kamchatka (UTC+12) is 22:00 UTC the day before
    assert Lead.get_by_id(lead).next_call_at == datetime(2027, 5, 24, 22, 0, tzinfo=UTC)


def test_missing_required_answers_are_refused_by_name(desk, script):
    settings, anna, _boris, _list_id, leads = desk
    lead = take(anna, settings)
    save_draft(lead, anna, script, {"employees": 250}, now=NOW)
    answers = {k: v for k, v in GOOD.items() if k not in ("district", "timeline")}
    with pytest.raises(QualificationError) as refused:
        submit_qualification(lead, anna, settings, script, answers, PEOPLE, now=NOW)
    message = str(refused.value)
    assert "Где находится производство или склад" in message
    assert "Когда планируете закупку?" in message
    assert "Бюджет" not in message
    # nothing happened: the lead is still held, the draft is still a draft
    row = Lead.get_by_id(lead)
    assert (row.status, row.claimed_by_id, row.attempts) == ("in_progress", anna, 0)
    assert [q.status for q in Qualification.select()] == ["draft"]
    assert not CallAttempt.select().exists()


def test_a_hidden_required_question_is_not_required(desk, script):
    settings, anna, _boris, _list_id, leads = desk
    lead = take(anna, settings)
    answers = {k: v for k, v in GOOD.items() if k not in ("timeline", "budget", "budget_amount")}
    done = submit_qualification(
        lead, anna, settings, script, {**answers, "need": False}, PEOPLE, now=NOW
    )
    assert done.status == "nurture" and done.verdict.recall_on == date(2027, 2, 25)


@pytest.mark.parametrize(
    "people, message",
    [
        ([], "add at least 1"),
        ([PEOPLE[1]], "add a decision maker"),
        ([Person("decision_maker", "Иван", "Директор", "12-34")], "Иван: phone 12-34"),
        ([Person("decision_maker", "Иван", "")], "position is required"),
    ],
)
def test_a_fit_lead_needs_its_decision_makers(desk, script, people, message):
    settings, anna, _boris, _list_id, leads = desk
    lead = take(anna, settings)
    with pytest.raises(QualificationError, match=message):
        submit_qualification(lead, anna, settings, script, GOOD, people, now=NOW)
    assert Lead.get_by_id(lead).status == "in_progress"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"activity": "oil"}, "no option oil"),
        ({"employees": "много"}, "expected a number"),
        ({"employees": 0}, "at least 1"),
        ({"need": "yes"}, "expected yes or no"),
        ({"timeline": "2027-01-15"}, "expected a date"),
    ],
)
def test_answers_of_the_wrong_kind_are_refused(desk, script, change, message):
    settings, anna, _boris, _list_id, leads = desk
    lead = take(anna, settings)
    with pytest.raises(QualificationError, match=message):
        submit_qualification(lead, anna, settings, script, {**GOOD, **change}, PEOPLE, now=NOW)


def test_nothing_is_stored_when_the_lead_is_no_longer_held(desk, script):
    settings, anna, boris, _list_id, leads = desk
    lead = take(anna, settings)
    later = NOW + settings.lease + timedelta(minutes=1)
    assert take(boris, settings, now=later) == lead  # anna's lease ran out
    with pytest.raises(CallError, match="no longer yours"):
        submit_qualification(lead, anna, settings, script, GOOD, PEOPLE, now=later)
    assert not Qualification.select().exists() and not DecisionMaker.select().exists()
    assert qualification_for(lead) is None


def test_the_latest_submission_is_the_one_read_back(desk, script):
    settings, anna, _boris, _list_id, leads = desk
    lead = take(anna, settings)
    first = submit_qualification(
        lead, anna, settings, script, {**GOOD, "timeline": date(2027, 6, 17)}, PEOPLE, now=NOW
    )
    assert first.status == "nurture"
    recall = Lead.get_by_id(lead).next_call_at
    back = claim_next_lead(anna, settings, now=recall)
    assert back.lead_id == lead
    second = submit_qualification(lead, anna, settings, script, GOOD, PEOPLE, now=recall)
    assert second.status == "qualified"
    assert qualification_for(lead).id == second.qualification_id
    assert Qualification.select().count() == 2


def test_the_english_script_qualifies_the_same_way(desk):
    settings, anna, _boris, list_id, leads = desk
    CallList.update(script_key="b2b-en").where(CallList.id == list_id).execute()
    lead = take(anna, settings)
    script = script_for_lead(lead)
    done = submit_qualification(lead, anna, settings, script, GOOD, PEOPLE, now=NOW)
    assert done.status == "qualified"
    record = qualification_for(lead)
    assert record.script_key == "b2b-en"
    assert {a.id: a.label for a in record.answers}["need"] == "yes"
    assert load_script(SCRIPTS / "b2b-en.toml").question("employees").text in [
        a.text for a in record.answers
    ]
