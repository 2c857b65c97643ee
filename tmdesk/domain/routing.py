"""Which development specialist gets the meeting: who matches the lead, and round robin.

A specialist matches on region when one of their regions names the lead's region, city
or place, or the federal district the qualification gave; on specialisation when one of
their specialisations names the activity the qualification gave. Names compare loosely:
case, ё/е and punctuation aside, "Новосибирская обл." is "Новосибирская область",
"ЦФО" is "Центральный ФО" is the script's option value "cfo", and a specialisation
matches one item of a listed answer ("Производство, машиностроение, металлообработка").
Pure; place names go through the region directory (data/ru_regions.csv).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from tmdesk.domain.timezones import default_directory

# Russian federal districts: every way a script or a supervisor writes one → its code.
# The shipped scripts' option "yufo" ("Южный и Северо-Кавказский ФО") covers two.
_DISTRICTS = {
    "ЦФО": (
        "цфо",
        "cfo",
        "центральный",
        "центральный фо",
        "центральный федеральный округ",
        "central",
    ),
    "СЗФО": (
        "сзфо",
        "szfo",
        "северо-западный",
        "северо-западный фо",
        "северо-западный федеральный округ",
        "northwestern",
        "north-west",
    ),
    "ПФО": (
        "пфо",
        "pfo",
        "приволжский",
        "приволжский фо",
        "приволжский федеральный округ",
        "volga",
    ),
    "УФО": (
        "уфо",
        "ufo",
        "уральский",
        "уральский фо",
        "уральский федеральный округ",
        "ural",
        "urals",
    ),
    "СФО": (
        "сфо",
        "sfo",
        "сибирский",
        "сибирский фо",
        "сибирский федеральный округ",
        "siberian",
        "siberia",
    ),
    "ДФО": (
        "дфо",
        "dfo",
        "дальневосточный",
        "дальневосточный фо",
        "дальневосточный федеральный округ",
        "far eastern",
        "far east",
    ),
    "ЮФО": (
        "юфо",
        "yufo",
        "южный",
        "южный фо",
        "южный федеральный округ",
        "southern",
        "south",
        "южный и северо-кавказский фо",
        "south and north caucasus",
    ),
    "СКФО": (
        "скфо",
        "skfo",
        "северо-кавказский",
        "северо-кавказский фо",
        "северо-кавказский федеральный округ",
        "north caucasus",
        "yufo",
        "южный и северо-кавказский фо",
        "south and north caucasus",
    ),
}
# The federal subjects of each district (canonical names of data/ru_regions.csv), for the
# district a lead's region or city lies in; tests/domain check that every subject has one.
_SUBJECTS_BY_DISTRICT = {
    "ЦФО": (
        "Белгородская область", "Брянская область", "Владимирская область",
        "Воронежская область", "Ивановская область", "Калужская область",
        "Костромская область", "Курская область", "Липецкая область", "Московская область",
        "Орловская область", "Рязанская область", "Смоленская область", "Тамбовская область",
        "Тверская область", "Тульская область", "Ярославская область", "Москва",
    ),
    "СЗФО": (
        "Республика Карелия", "Республика Коми", "Архангельская область",
        "Вологодская область", "Калининградская область", "Ленинградская область",
        "Мурманская область", "Новгородская область", "Псковская область", "Санкт-Петербург",
        "Ненецкий автономный округ",
    ),
    "ЮФО": (
        "Республика Адыгея", "Республика Калмыкия", "Республика Крым", "Краснодарский край",
        "Астраханская область", "Волгоградская область", "Ростовская область", "Севастополь",
    ),
    "СКФО": (
        "Республика Дагестан", "Республика Ингушетия", "Кабардино-Балкарская Республика",
        "Карачаево-Черкесская Республика", "Республика Северная Осетия - Алания",
        "Чеченская Республика", "Ставропольский край",
    ),
    "ПФО": (
        "Республика Башкортостан", "Республика Марий Эл", "Республика Мордовия",
        "Республика Татарстан", "Удмуртская Республика", "Чувашская Республика",
        "Пермский край", "Кировская область", "Нижегородская область", "Оренбургская область",
        "Пензенская область", "Самарская область", "Саратовская область",
        "Ульяновская область",
    ),
    "УФО": (
        "Курганская область", "Свердловская область", "Тюменская область",
        "Челябинская область", "Ханты-Мансийский автономный округ - Югра",
        "Ямало-Ненецкий автономный округ",
    ),
    "СФО": (
        "Республика Алтай", "Республика Тыва", "Республика Хакасия", "Алтайский край",
        "Красноярский край", "Иркутская область", "Кемеровская область - Кузбасс",
        "Новосибирская область", "Омская область", "Томская область",
    ),
    "ДФО": (
        "Республика Бурятия", "Республика Саха (Якутия)", "Забайкальский край",
        "Камчатский край", "Приморский край", "Хабаровский край", "Амурская область",
        "Магаданская область", "Сахалинская область", "Еврейская автономная область",
        "Чукотский автономный округ",
    ),
}  # fmt: skip
DISTRICT_OF_SUBJECT = {
    subject: district
    for district, subjects in _SUBJECTS_BY_DISTRICT.items()
    for subject in subjects
}
_WORDS = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_FO = re.compile(r"\bфедеральный округ\b|\bfederal district\b|\bfd\b")


def fold(text: str) -> str:
    """Case, ё/е, punctuation and spacing aside."""
    text = text.casefold().replace("ё", "е")
    return " ".join(_WORDS.findall(_FO.sub("фо", text)))


_DISTRICT_OF: dict[str, set[str]] = {}
for _code, _names in _DISTRICTS.items():
    for _name in (_code, *_names):
        _DISTRICT_OF.setdefault(fold(_name), set()).add(_code)


def _district_codes(text: str) -> set[str]:
    return _DISTRICT_OF.get(fold(text), set())


def _items(text: str) -> list[str]:
    """A listed answer's items: "Производство, машиностроение" → both, and the whole."""
    items = [fold(p) for p in re.split(r"[,;/|]", text) if p.strip()]
    return [fold(text), *items]


@dataclass(frozen=True)
class LeadFacts:
    """What routing knows about a lead."""

    places: tuple[str, ...] = ()  # the lead's region, city, place (as written)
    districts: tuple[str, ...] = ()  # the qualification's district answer (value and label)
    activities: tuple[str, ...] = ()  # the qualification's activity answer (value and label)


def place_subject(text: str) -> str | None:
    """A place's federal subject from the region directory: a city's region, a region's
    canonical name; None when unknown."""
    found = default_directory().lookup(text)
    if found is None:
        return None
    return found.subject if found.kind == "city" and found.subject else found.name


def district_of(places: Iterable[str]) -> str | None:
    """The federal district ("УФО") of the first of a lead's places (region, city, …) the
    region directory knows, when all its subjects lie in one district; else None."""
    for place in places:
        found = default_directory().lookup(place) if place.strip() else None
        if found is None or found.kind == "country":
            continue
        if found.kind == "subject":
            subjects = [found.name]
        else:  # a city's subject, or the subjects a combined row names
            subjects = [s for s in found.subject.split("|") if s]
        districts = {DISTRICT_OF_SUBJECT.get(subject) for subject in subjects}
        return districts.pop() if len(districts) == 1 else None
    return None


def names_district(texts: Iterable[str], district: str) -> bool:
    """Whether any of these texts (an option's value or label) names the district."""
    return any(district in _district_codes(text) for text in texts)


def match_region(
    regions: Iterable[str], lead: LeadFacts, canonical: Callable[[str], str | None] = place_subject
) -> str | None:
    """The first of the specialist's regions that covers the lead, or None."""
    places = {fold(p) for p in lead.places if p.strip()}
    places |= {fold(c) for p in lead.places if p.strip() and (c := canonical(p))}
    districts = {code for text in (*lead.districts, *lead.places) for code in _district_codes(text)}
    district_words = {fold(text) for text in lead.districts if text.strip()}
    for region in regions:
        key = fold(region)
        if not key:
            continue
        if key in places or key in district_words or _district_codes(region) & districts:
            return region
        named = canonical(region)
        if named and fold(named) in places:
            return region
    return None


def match_specialisation(specialisations: Iterable[str], lead: LeadFacts) -> str | None:
    """The first specialisation naming the lead's activity (or one item of it), or None."""
    items = {item for text in lead.activities if text.strip() for item in _items(text)}
    for specialisation in specialisations:
        if fold(specialisation) and fold(specialisation) in items:
            return specialisation
    return None


@dataclass(frozen=True)
class Load:
    """What round robin knows about one specialist."""

    specialist_id: int
    booked_next_week: int  # booked meetings in the coming 7 days
    last_booked_at: datetime | None  # when their latest meeting was booked; None: never
    available: bool = True  # False: at the daily cap for the slot's day, or no free slot


def round_robin_order(loads: Sequence[Load]) -> list[Load]:
    """Fewest meetings in the coming week, then least recently booked (never first),
    then by id."""
    return sorted(
        loads,
        key=lambda load: (
            load.booked_next_week,
            load.last_booked_at is not None,
            load.last_booked_at or datetime.min,
            load.specialist_id,
        ),
    )


def round_robin(loads: Sequence[Load]) -> int | None:
    """The id of the specialist whose turn it is among those available, or None."""
    for load in round_robin_order(loads):
        if load.available:
            return load.specialist_id
    return None
