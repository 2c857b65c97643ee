"""The demo's call lists: the recipe (data/demo/) and the lists made from it.

`generate_lists` makes the same companies, people and numbers from one recipe every time
(one fixed random seed) and `DemoList.write` saves each as Russian Excel saves a CSV;
nothing here touches the database. tmdesk.services.demo imports them and plays the week.

Over 400 lines: every cell of a row (person, company, number, e-mail, city) is made by one
ListMaker, from the recipe's tables and one random stream.
"""

from __future__ import annotations

import csv
import random
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

import phonenumbers

from tmdesk.domain.phones import Phone, parse_phone_cell
from tmdesk.domain.timezones import data_dir
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _


class DemoError(TmdeskError):
    """The demo cannot be created in this database."""


# --- the recipe ---------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    name: str
    regions: tuple[str, ...]  # as a telemarketer writes the region; the first is the usual
    district: str  # federal district: decides the development specialist
    codes: tuple[str, ...]  # landline area codes
    inn: str  # region code of a local company's ИНН
    stems: tuple[str, ...]  # name parts local companies like
    weight: float


@dataclass(frozen=True)
class Recipe:
    data: dict[str, Any]
    cities: tuple[City, ...]

    @property
    def seed(self) -> int:
        return int(self.data.get("seed", 2026))

    def list_names(self) -> tuple[str, str]:
        lists = self.data["lists"]
        return lists["main"]["name"], lists["east"]["name"]


def recipe_folder() -> Path:
    return data_dir() / "demo"


@cache
def load_recipe(folder: Path | None = None) -> Recipe:
    folder = folder or recipe_folder()
    try:
        data = tomllib.loads((folder / "recipe.toml").read_text(encoding="utf-8"))
        with (folder / "cities.csv").open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(line for line in file if not line.startswith("#")))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DemoError(
            _("the demo recipe in {folder} cannot be read: {error}").format(
                folder=folder, error=error
            )
        ) from None
    cities = tuple(
        City(
            name=row["city"],
            regions=tuple(row["regions"].split("|")),
            district=row["district"],
            codes=tuple(row["codes"].split("|")),
            inn=row["inn"],
            stems=tuple(row["stems"].split("|")),
            weight=float(row["weight"]),
        )
        for row in rows
    )
    return Recipe(data, cities)


# --- people, companies and numbers --------------------------------------------------------


@dataclass(frozen=True)
class Person:
    first: str
    patronymic: str
    surname: str
    female: bool

    @property
    def full(self) -> str:
        return f"{self.surname} {self.first} {self.patronymic}"

    @property
    def initials(self) -> str:
        return f"{self.surname} {self.first[0]}. {self.patronymic[0]}."


_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "sch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def translit(text: str) -> str:
    """Latin letters for a domain or an e-mail name: 'Сибтехснаб' → 'sibtekhsnab'."""
    out = []
    for char in text.lower():
        if char in _TRANSLIT:
            out.append(_TRANSLIT[char])
        elif char.isascii() and char.isalnum():
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def _inn(rng: random.Random, region: str, individual: bool) -> str:
    """A ИНН with correct check digits: 10 digits for a company, 12 for an ИП."""
    digits = [int(c) for c in region] + [rng.randint(0, 4), rng.randint(1, 9)]
    digits += [rng.randint(0, 9) for _ in range(6 if individual else 5)]

    def check(weights: Sequence[int]) -> int:
        return sum(w * d for w, d in zip(weights, digits, strict=False)) % 11 % 10

    if not individual:
        return "".join(map(str, digits + [check((2, 4, 10, 3, 5, 9, 4, 6, 8))]))
    digits.append(check((7, 2, 4, 10, 3, 5, 9, 4, 6, 8)))
    digits.append(check((3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)))
    return "".join(map(str, digits))


# Mobile (DEF) codes of the big operators.
_MOBILE_CODES = tuple(
    str(c)
    for c in (
        *range(900, 907),
        908,
        909,
        *range(910, 920),
        *range(920, 940),
        *range(950, 954),
        *range(960, 970),
        977,
        978,
        *range(980, 990),
        *range(991, 1000),
    )
)


def _is_valid(e164: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.parse(e164, None))


def _local_groups(local: str) -> str:
    """The subscriber number as written in Russia: 123-45-67, 12-34-56, 1-23-45."""
    return "-".join(filter(None, (local[:-4], local[-4:-2], local[-2:])))


def format_phone(e164: str, code_length: int, style: int) -> str:
    """One of the ways people write a Russian number (style is any int)."""
    nsn = e164[2:]
    code, local = nsn[:code_length], nsn[code_length:]
    groups = _local_groups(local)
    styles = (
        f"8 ({code}) {groups}",
        f"+7 ({code}) {groups}",
        f"+7 {code} {local}",
        f"8{nsn}",
        f"8-{code}-{groups}",
        f"8 ({code}) {groups}",
        f"+7 {code} {groups}",
        f"8 {code} {' '.join(groups.split('-'))}",
        f"+7({code}){local}",
        f"({code}) {groups}",
    )
    return styles[style % len(styles)]


@dataclass(frozen=True)
class DemoRow:
    """One line of a generated call-list file."""

    cells: tuple[str, ...]
    kind: str  # lead | duplicate | invalid | empty (what the importer should make of it)
    phone: str | None = None  # the E.164 number the importer should find first
    city: City | None = None


@dataclass(frozen=True)
class DemoList:
    key: str  # main | east
    name: str
    file_name: str
    priority: int
    headers: tuple[str, ...]
    rows: tuple[DemoRow, ...]

    def write(self, folder: Path) -> Path:
        """As Russian Excel saves a CSV: UTF-8 with BOM, ';', CRLF."""
        path = folder / self.file_name
        with path.open("w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file, delimiter=";", lineterminator="\r\n")
            writer.writerow(self.headers)
            for row in self.rows:
                writer.writerow(row.cells)
        return path


class ListMaker:
    """Generates the demo call lists from the recipe with one random stream."""

    def __init__(self, recipe: Recipe, rng: random.Random, reserved: set[str]):
        self.recipe = recipe
        self.rng = rng
        self.data = recipe.data
        self.used_numbers: set[str] = set(reserved)
        self.code_length: dict[str, int] = {}
        self.used_companies: set[str] = set()
        names = self.data["names"]
        self.male = names["male"]
        self.female = names["female"]
        self.patronymics = [p.split("|") for p in names["patronymics"]]
        self.surnames = [s.split("|") for s in names["surnames"]]
        self.positions = list(self.data["positions"].items())
        self.industries = self.data["industries"]

    # people and numbers

    def person(self) -> Person:
        rng = self.rng
        female = rng.random() < self.data["names"]["female_share"]
        patronymic = rng.choice(self.patronymics)[female]
        return Person(
            rng.choice(self.female if female else self.male),
            patronymic,
            rng.choice(self.surnames)[female],
            female,
        )

    def landline(self, city: City) -> str:
        while True:
            code = self.rng.choice(city.codes)
            local = str(self.rng.randint(2, 7)) + "".join(
                str(self.rng.randint(0, 9)) for _ in range(9 - len(code))
            )
            e164 = f"+7{code}{local}"
            if e164 not in self.used_numbers and _is_valid(e164):
                self.used_numbers.add(e164)
                self.code_length[e164] = len(code)
                return e164

    def mobile(self) -> str:
        while True:
            e164 = (
                "+7"
                + self.rng.choice(_MOBILE_CODES)
                + "".join(str(self.rng.randint(0, 9)) for _ in range(7))
            )
            if e164 not in self.used_numbers and _is_valid(e164):
                self.used_numbers.add(e164)
                self.code_length[e164] = 3
                return e164

    def written(self, e164: str, style: int | None = None) -> str:
        if style is None:
            style = self.rng.randrange(100)
        return format_phone(e164, self.code_length.get(e164, 3), style)

    def phone_cell(self, city: City, mobile_share: float) -> tuple[str, str]:
        """(cell text, E.164 of its first number) in one of the real-world shapes."""
        rng = self.rng
        is_mobile = rng.random() < mobile_share
        first = self.mobile() if is_mobile else self.landline(city)
        text = self.written(first)
        shape = rng.random()
        if shape < 0.10 and not is_mobile:
            ext = str(rng.randint(10, 4999))
            text = rng.choice(
                (
                    f"{text}, доб. {ext}",
                    f"{text} доб. {ext}",
                    f"{text} (вн. {ext})",
                    f"{text} доб.{ext}",
                )
            )
        elif shape < 0.25:
            second = self.landline(city) if is_mobile or rng.random() < 0.4 else self.mobile()
            text = rng.choice(("{}, {}", "{}; {}", "{} / {}", "{} или {}")).format(
                text, self.written(second)
            )
        elif shape < 0.30:
            text = rng.choice(("тел. {}", "{} (приёмная)", "{} (секретарь)", "т. {}")).format(text)
        parsed = parse_phone_cell(text, "RU").primary
        if parsed is None or parsed.e164 != first:  # never a shape the importer misreads
            text = self.written(first, 0)
        return text, first

    # companies

    def industry(self, city: City) -> str:
        choices = [
            i for i in self.industries if city.district in i.get("districts", [city.district])
        ]
        name: str = self.rng.choices([i["name"] for i in choices], [i["weight"] for i in choices])[
            0
        ]
        return name

    def company(self, city: City, owner: Person) -> tuple[str, str]:
        """(the company as written in the list, the name its domain is made from)."""
        rng = self.rng
        spec = self.data["companies"]
        forms = list(spec["forms"].items())
        while True:
            form = rng.choices([f for f, _w in forms], [w for _f, w in forms])[0]
            if form == "ИП":
                written = f"ИП {owner.full}" if rng.random() < 0.7 else f"ИП {owner.initials}"
                core = owner.surname
            else:
                core = name = self._company_core(city, spec)
                if form == "ООО ТД":
                    written = f"ООО «ТД «{name}»»"
                elif rng.random() < 0.12:
                    written = f'{form} "{name}"'
                elif rng.random() < 0.05:
                    written = f"{name}, {form}"
                else:
                    written = f"{form} «{name}»"
            key = written.casefold()
            if key not in self.used_companies:
                self.used_companies.add(key)
                return written, core

    def _company_core(self, city: City, spec: dict[str, Any]) -> str:
        rng = self.rng
        style = rng.random()
        if style < 0.62:
            stem = (
                rng.choice(city.stems) if rng.random() < 0.55 else rng.choice(spec["generic_stems"])
            )
            middle = rng.choice(spec["generic_stems"]).lower() if rng.random() < 0.35 else ""
            if middle and middle == stem.lower():
                middle = ""
            return f"{stem}{middle}{rng.choice(spec['suffixes'])}"
        word: str = rng.choice(spec["words"])
        if style < 0.82:
            return word
        return f"{rng.choice(spec['word_kinds'])} «{word}»"

    def contact(self, person: Person, individual: bool) -> tuple[str, str]:
        """(contact as written, position)."""
        rng = self.rng
        if individual:
            return person.full, rng.choice(
                ("Индивидуальный предприниматель", "Руководитель", "Владелец", "")
            )
        position = rng.choices([p for p, _w in self.positions], [w for _p, w in self.positions])[0]
        shape = rng.random()
        if shape < 0.55:
            written = person.full
        elif shape < 0.72:
            written = f"{person.first} {person.patronymic}"
        elif shape < 0.84:
            written = person.initials
        elif shape < 0.90:
            written = f"{person.first} {person.surname}"
        else:
            written = ""
            position = rng.choice(("Секретарь", "Приёмная", ""))
        return written, position

    def email(self, person: Person, domain: str) -> str:
        rng = self.rng
        shape = rng.random()
        if shape < 0.25:
            return ""
        if shape < 0.55:
            return f"{translit(person.first)[0]}.{translit(person.surname)}@{domain}"
        box = rng.choice(("info", "zakupki", "office", "snab", "sales", "mail", "secretary"))
        if shape < 0.62:
            return f"{box}@{domain}, {translit(person.surname)}@{domain}"
        return f"{box}@{domain}"

    def website(self, domain: str) -> str:
        return self.rng.choice(
            ("", "", domain, f"www.{domain}", f"https://{domain}", f"http://www.{domain}/")
        )

    def comment(self, individual: bool) -> str:
        rng = self.rng
        spec = self.data["companies"]
        parts = []
        if rng.random() < 0.45 and not individual:
            parts.append(rng.choice(spec["sizes"]))
        template = rng.choice(spec["comments"])
        if template:
            parts.append(
                template.format(
                    revenue=rng.choice((40, 120, 250, 600, 1500, 3200)), n=rng.randint(2, 12)
                )
            )
        return "; ".join(parts)

    def city_cells(self, city: City, blank_share: float) -> tuple[str, str]:
        rng = self.rng
        shape = rng.random()
        if shape < blank_share:
            return "", ""
        written_city = f"г. {city.name}" if rng.random() < 0.2 else city.name
        region = city.regions[0] if rng.random() < 0.7 else rng.choice(city.regions)
        if shape < blank_share + (1 - blank_share) * 0.6:
            return written_city, region
        if shape < blank_share + (1 - blank_share) * 0.85:
            return written_city, ""
        return "", region

    # rows and lists

    def lead_row(self, cities: Sequence[City], spec: dict[str, Any]) -> DemoRow:
        rng = self.rng
        city = rng.choices(cities, [c.weight for c in cities])[0]
        owner = self.person()
        company, core = self.company(city, owner)
        individual = company.startswith("ИП ")
        person = owner if individual or rng.random() < 0.15 else self.person()
        contact, position = self.contact(person, individual)
        domain = (
            f"{translit(core)}.ru"
            if not individual
            else f"{translit(core)}-{translit(city.name)[:6].strip('-')}.ru"
        )
        phone_text, e164 = self.phone_cell(city, spec["mobile"])
        city_text, region_text = self.city_cells(city, spec["blank_city"])
        inn = _inn(rng, city.inn, individual) if rng.random() < 0.8 else ""
        cells = (
            company,
            contact,
            position,
            phone_text,
            self.email(person, domain),
            city_text,
            region_text,
            inn,
            self.website(domain) if not individual else "",
            self.comment(individual),
            self.industry(city),
        )
        return DemoRow(cells, "lead", e164, city)

    def duplicate_of(self, row: DemoRow) -> DemoRow:
        """Another contact of the same company on the same number, written another way."""
        person = self.person()
        contact, position = self.contact(person, False)
        cells = list(row.cells)
        cells[1], cells[2] = contact, position
        cells[3] = self.written(cast(str, row.phone), self.rng.randrange(100))
        cells[4] = ""
        cells[9] = self.rng.choice(("второй контакт", "из другой выгрузки", ""))
        return DemoRow(tuple(cells), "duplicate", row.phone, row.city)

    def invalid_row(self, cities: Sequence[City], spec: dict[str, Any], phone: str) -> DemoRow:
        row = self.lead_row(cities, spec)
        self.used_numbers.discard(row.phone)
        cells = list(row.cells)
        cells[3] = phone
        return DemoRow(tuple(cells), "invalid", None, row.city)

    def build(self, key: str, cities: Sequence[City], borrowed: Sequence[DemoRow] = ()) -> DemoList:
        rng = self.rng
        spec = self.data["lists"][key]
        headers = tuple(spec["headers"])
        leads = [self.lead_row(cities, spec) for _ in range(spec["rows"])]
        rows = list(leads)

        def insert_after(index: int, row: DemoRow) -> None:
            rows.insert(rng.randint(index + 1, len(rows)), row)

        for original in rng.sample(leads[20:], spec.get("duplicates", 0)):
            insert_after(rows.index(original), self.duplicate_of(original))
        for original in borrowed:  # the same company, found in another source
            insert_after(0, self.duplicate_of(original))
        for phone in spec.get("invalid_phones", ()):
            insert_after(0, self.invalid_row(cities, spec, phone))
        for number in range(spec.get("empty_rows", 0)):
            # a row of empty cells, and Excel's fully blank line
            cells = ("",) * len(headers) if number % 2 == 0 else ()
            insert_after(0, DemoRow(cells, "empty"))
        return DemoList(
            key, spec["name"], spec["file"], int(spec.get("priority", 0)), headers, tuple(rows)
        )


@dataclass(frozen=True)
class DemoLists:
    main: DemoList
    east: DemoList
    dnc: tuple[tuple[str, str], ...]  # (E.164, reason) to add before importing


def generate_lists(recipe: Recipe | None = None) -> DemoLists:
    """The demo call lists and do-not-call entries: the same every time for one recipe."""
    recipe = recipe or load_recipe()
    rng = random.Random(recipe.seed)
    reserved: dict[str, str] = {}
    for entry in recipe.data.get("dnc", ()):
        if "phone" in entry:
            phone = parse_phone_cell(entry["phone"], "RU").primary
            if phone is None:
                raise DemoError(
                    _("demo recipe: {phone!r} is not a valid number").format(phone=entry["phone"])
                )
            reserved[cast(str, phone.e164)] = entry["reason"]
    maker = ListMaker(recipe, rng, set(reserved))
    main = maker.build("main", recipe.cities)
    east_spec = recipe.data["lists"]["east"]
    east_cities = [c for c in recipe.cities if c.district in east_spec["districts"]]
    main_leads = [r for r in main.rows if r.kind == "lead"]
    dnc_rows = {entry["from_list"] for entry in recipe.data.get("dnc", ()) if "from_list" in entry}
    repeated: Counter[str | None] = Counter(r.phone for r in main.rows if r.phone)
    borrowable = [
        r for i, r in enumerate(main_leads, 1) if i not in dnc_rows and repeated[r.phone] == 1
    ]
    borrowed = rng.sample(borrowable, east_spec.get("cross_duplicates", 0))
    east = maker.build("east", east_cities, borrowed)
    dnc = []
    for entry in recipe.data.get("dnc", ()):
        if "from_list" in entry:
            dnc.append((main_leads[entry["from_list"] - 1].phone, entry["reason"]))
        else:
            number = cast(Phone, parse_phone_cell(entry["phone"], "RU").primary).e164
            dnc.append((number, entry["reason"]))
    return DemoLists(main, east, tuple(dnc))
