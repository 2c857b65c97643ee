"""Specialists and qualified leads for the booking panel's tests and snapshot.

Fixed data: a Yekaterinburg lead (+05, two hours ahead of the Moscow agent) and three
specialists — one in Almaty who matches the lead's district and activity (the suggested
one), one in Moscow who matches the district only, one who matches nothing. The clock is
fixed by the desk (Wednesday 25.11.2026 10:00 Moscow).
"""

from __future__ import annotations

from datetime import date, datetime

from qualification_keys import submit_fit_and_now
from textual.widgets import OptionList
from tui_helpers import WEDNESDAY_10_MSK, Desk, Lead, offer_asked, settle, wait_for

from tmdesk.domain.scripts import Person
from tmdesk.services.calls import claim_next_lead
from tmdesk.services.qualification import find_script, submit_qualification
from tmdesk.services.specialists import SpecialistInfo, add_specialist

# The default script's answers of a fit lead that needs the equipment now; district УФО.
FIT_URALS = {
    "right_person": "self",
    "activity": "manufacturing",
    "employees": 250,
    "district": "ufo",
    "current_solution": "none",
    "need": True,
    "need_details": "новый цех",
    "timeline": date(2027, 1, 25),
    "budget": "approved",
    "budget_amount": 5000,
    "decision_process": ("director", "chief_engineer"),
    "meeting_agreed": True,
    "comment": "после обеда",
}
PEOPLE = [
    Person("decision_maker", "Сидоров Пётр", "Главный инженер", "8 (343) 765-43-21", ""),
    Person("influencer", "Громов Павел", "Начальник цеха", "", "gromov@uralmash.example"),
]
URALMASH = Lead(
    "ООО «Уралмаш-Сервис»", "+7 343 350-11-22", "Павел Громов", priority=2, city="Екатеринбург"
)


def add_specialists(desk: Desk) -> dict[str, SpecialistInfo]:
    """Aigul (Almaty) is the suggested one: she matches on district and activity; Orlov
    (Moscow) on district only; Belov on nothing, so he is not offered."""
    return {
        "aigul": add_specialist(
            "Сейтказиева Айгуль",
            time_zone="Asia/Almaty",
            working_hours="mon-fri 09:00-13:00, 15:00-19:00",
            regions=("УФО", "ЦФО"),
            specialisations=("производство",),
            meeting_minutes=60,
            buffer_minutes=15,
        ),
        "orlov": add_specialist(
            "Орлов Дмитрий",
            time_zone="Europe/Moscow",
            working_hours="mon-fri 09:00-13:00, 14:00-18:00",
            regions=("УФО", "ЦФО"),
            meeting_minutes=60,
            buffer_minutes=15,
        ),
        "belov": add_specialist(
            "Белов [Игорь]",
            time_zone="Europe/Moscow",
            working_hours="mon-fri 10:00-17:00",
            specialisations=("логистика",),
            meeting_minutes=45,
            buffer_minutes=15,
        ),
    }


def qualify(desk: Desk, agent: str = "anna", now: datetime = WEDNESDAY_10_MSK) -> int:
    """anna takes the next lead and submits a fit qualification: the lead is qualified."""
    settings = desk.workspace.settings
    agent_id = desk.users[agent].id
    lead_id = claim_next_lead(agent_id, settings, now=now).lead_id
    submit_qualification(
        lead_id, agent_id, settings, find_script("b2b-ru"), FIT_URALS, PEOPLE, now=now
    )
    return lead_id


def slot_texts(app) -> list[str]:
    """The booking panel's short list of slots, as shown."""
    return [str(option.prompt) for option in app.screen.query_one("#slots", OptionList).options]


async def wait_loaded(pilot):
    """The booking panel, once its specialists and first free time are shown."""
    from tmdesk.tui.booking.panel import BookingPanel

    await wait_for(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, BookingPanel)
            and pilot.app.screen.view is not None
            and pilot.app.screen._shown
        ),
        timeout=30,
    )
    await settle(pilot)
    return pilot.app.screen


async def open_the_form(pilot) -> None:
    """From the queue: ctrl+n, then F10 on the lead served: its qualification form open."""
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    await pilot.press("f10")
    await settle(pilot)


async def offer_for_the_next_lead(pilot):
    """From the queue: the next lead qualified with the fit-and-now answers (ctrl+s): the
    call screen, asking the booking offer."""
    await open_the_form(pilot)
    await submit_fit_and_now(pilot)
    await settle(pilot)
    assert offer_asked(pilot.app)
    return pilot.app.screen
