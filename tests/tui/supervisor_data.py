"""A fixed day of calls for the supervisor workspace tests and snapshots.

Wednesday 25.11.2026 in Moscow: anna and boris call from 09:00, every call recorded
through the real services (claim, disposition, qualification submit) at fixed times.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from textual.pilot import Pilot
from tui_helpers import WEDNESDAY_10_MSK, Desk, Lead, moscow_phone, type_text

from tmdesk.domain.scripts import Person
from tmdesk.services.auth import set_password
from tmdesk.services.calls import claim_next_lead, record_disposition
from tmdesk.services.qualification import DEFAULT_SCRIPT_KEY, find_script, submit_qualification
from tmdesk.store.models import Lead as LeadRecord

PASSWORD = "demo-supervisor"
# the day of calls, and its evening: the supervisor reviews at 18:00 Moscow time
WEDNESDAY = date(2026, 11, 25)
WEDNESDAY_9_MSK = WEDNESDAY_10_MSK - timedelta(hours=1)
WEDNESDAY_18_MSK = WEDNESDAY_10_MSK + timedelta(hours=8)

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
LATER = GOOD | {"timeline": date(2027, 9, 1)}  # a fit, but not within 90 days: nurture
SMALL = GOOD | {"employees": 5}  # a knockout: not a fit
BOSS = Person(
    "decision_maker",
    "Иван Петров",
    "Генеральный директор",
    "8 (495) 100-00-09",
    "i.petrov@example.ru",
)

COMPANIES = (
    "Альфа-Строй",
    "Бета Логистик",
    "Вега Пласт",
    "Гамма Металл",
    "Дельта Агро",
    "Ермак Трейд",
    "Жемчуг Фуд",
    "Зенит Авто",
    "Искра Энерго",
    "Кедр Мебель",
    "Лотос Фарм",
    "Магистраль",
    "Нева Принт",
    "Орион Тех",
    "Полюс Хим",
    "Рубин Стекло",
    "Сокол Транс",
    "Титан Сталь",
)

# (agent, minutes after 09:00, outcome) — in the order the leads are served
PLAN = (
    ("anna", 0, "no_answer"),
    ("boris", 5, "busy"),
    ("anna", 20, "qualified"),
    ("boris", 40, "voicemail"),
    ("anna", 65, "not_interested"),
    ("boris", 80, "nurture"),
    ("anna", 110, "no_answer"),
    ("boris", 130, "qualified"),
    ("anna", 150, "callback"),
    ("boris", 185, "wrong_number"),
    ("anna", 200, "not_fit"),
    ("boris", 230, "no_answer"),
    ("anna", 260, "busy"),
    ("boris", 290, "not_interested"),
    ("anna", 320, "qualified"),
    ("boris", 345, "no_answer"),
    ("anna", 380, "voicemail"),
    ("boris", 410, "dnc"),
)


# the day before, for the figures of a range: a shorter day of the same two agents
TUESDAY_PLAN = (
    ("boris", 60, "no_answer"),
    ("anna", 75, "busy"),
    ("boris", 100, "not_interested"),
    ("anna", 140, "voicemail"),
    ("boris", 200, "callback"),
    ("anna", 260, "no_answer"),
)


def supervisor_desk(desk: Desk) -> None:
    """sveta gets a password (so the desk is no longer open to anyone)."""
    set_password("sveta", PASSWORD)


def fixed_day(desk: Desk, *, with_tuesday: bool = False) -> dict[str, int]:
    """The day of PLAN on 18 Moscow leads (and TUESDAY_PLAN the day before, when asked);
    returns {company: qualification id}."""
    supervisor_desk(desk)
    desk.import_leads(
        [
            Lead(company, moscow_phone(n), f"Контакт {n}", priority=100 - n)
            for n, company in enumerate(COMPANIES)
        ],
        list_name="Осень 2026",
    )
    desk.import_leads(
        [Lead(f"Резерв {n}", moscow_phone(100 + n)) for n in range(6)], list_name="Резерв"
    )
    settings = desk.workspace.settings
    script = find_script(DEFAULT_SCRIPT_KEY)
    qualifications: dict[str, int] = {}
    days = [(WEDNESDAY_9_MSK - timedelta(days=1), TUESDAY_PLAN)] if with_tuesday else []
    days.append((WEDNESDAY_9_MSK, PLAN))
    for login, minutes, outcome, start in ((*step, start) for start, plan in days for step in plan):
        agent = desk.users[login].id
        taken = start + timedelta(minutes=minutes)
        done = taken + timedelta(seconds=90 if outcome in ("qualified", "nurture") else 40)
        claim = claim_next_lead(agent, settings, now=taken)
        assert claim is not None, (login, minutes)
        company = LeadRecord.get_by_id(claim.lead_id).company
        if outcome in ("qualified", "nurture", "not_fit"):
            answers = {"qualified": GOOD, "nurture": LATER, "not_fit": SMALL}[outcome]
            submitted = submit_qualification(
                claim.lead_id,
                agent,
                settings,
                script,
                answers,
                [BOSS],
                note="говорили с ЛПР",
                now=done,
            )
            assert submitted.status == outcome, (submitted.status, outcome)
            qualifications[company] = submitted.qualification_id
            continue
        extra: dict = {}
        if outcome == "callback":
            extra = {"callback_at": done + timedelta(hours=3)}
        if outcome in ("not_interested",):
            extra = {"reason": "уже есть поставщик"}
        record_disposition(claim.lead_id, agent, outcome, settings, now=done, **extra)
    return qualifications


async def settle(pilot: Pilot) -> None:
    """tui_helpers.settle, but not waiting for a DirectoryTree's loader: that worker waits
    for folders to read for as long as the tree is on screen (the import's file picker)."""
    app = pilot.app
    for _round in range(20):
        await pilot.pause()
        running = [
            worker for worker in app.workers if worker.is_running and worker.group != "_loader"
        ]
        if not running:
            break
        await app.workers.wait_for_complete(running)
    await pilot.pause()


async def sign_in_as_supervisor(pilot: Pilot, password: str = PASSWORD) -> None:
    """On the sign-in screen: pick sveta by typing, then her password."""
    await settle(pilot)
    await type_text(pilot, "sveta")
    await pilot.press("enter")
    await settle(pilot)
    await type_text(pilot, password)
    await pilot.press("enter")
    await settle(pilot)


def at(moment: datetime):
    return lambda: moment


def painted(app) -> list[str]:
    """The lines of the current screen as painted, to check what a small terminal shows."""
    return [strip.text for strip in app.screen._compositor.render_strips()]
