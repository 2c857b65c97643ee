"""[routing] in a qualification script: which answers pick the development specialist."""

from __future__ import annotations

from pathlib import Path

import pytest

from tmdesk.domain.routing import DISTRICT_OF_SUBJECT, district_of, names_district
from tmdesk.domain.scripts import Routing, check_script_text, load_script, parse_script
from tmdesk.domain.timezones import default_directory

SCRIPTS = Path(__file__).resolve().parents[2] / "data" / "scripts"

BASE = """key = "r"
title = "R"
version = 1
language = "ru"
{routing}
[[sections]]
id = "s"
title = "S"

[[sections.questions]]
id = "district"
text = "Где?"
type = "choice"
options = ["cfo", "sfo"]

[[sections.questions]]
id = "activity"
text = "Чем заняты?"
type = "text"

[[sections.questions]]
id = "staff"
text = "Сколько людей?"
type = "number"
"""


@pytest.mark.parametrize("name", ["b2b-ru.toml", "b2b-en.toml"])
def test_the_shipped_scripts_route_on_district_and_activity(name):
    script = load_script(SCRIPTS / name)
    assert script.routing == Routing(region="district", specialisation="activity")


def test_routing_is_optional_and_read():
    script, problems = parse_script(BASE.format(routing=""))
    assert problems == [] and script.routing == Routing()
    text = BASE.format(routing='[routing]\nregion = "district"\nspecialisation = "activity"\n')
    script, problems = parse_script(text)
    assert problems == [] and script.routing == Routing("district", "activity")


def test_routing_problems_name_the_file_and_line():
    text = BASE.format(
        routing='[routing]\nregion = "distrikt"\nspecialisation = "staff"\nindustry = "activity"\n'
    )
    problems = [str(p) for p in check_script_text(text, "my.toml")]
    assert problems == [
        "my.toml:6: [routing]: region refers to unknown question distrikt (did you mean district?)",
        "my.toml:7: [routing]: specialisation: question staff is a number question; routing "
        "needs one of text, choice, multi_choice",
        "my.toml:8: [routing]: unknown key industry (known: region, specialisation)",
    ]
    problems = check_script_text(BASE.format(routing='routing = "district"\n'), "my.toml")
    assert [str(p) for p in problems] == ["my.toml:5: [routing] must be a table"]


def test_every_subject_of_the_region_directory_lies_in_one_federal_district():
    subjects = {r.name for r in default_directory().regions if r.kind == "subject"}
    assert set(DISTRICT_OF_SUBJECT) == subjects
    assert len(set(DISTRICT_OF_SUBJECT.values())) == 8


@pytest.mark.parametrize(
    "places, district",
    [
        (("Свердловская обл.",), "УФО"),
        (("", "Екатеринбург"), "УФО"),  # the city, when the region is blank
        (("", "", "Московская обл."), "ЦФО"),  # the phone's place last
        (("Татарстан", "Екатеринбург"), "ПФО"),  # the region first
        (("г. Москва и Московская область",), "ЦФО"),  # the numbering plan's combined rows
        (("Республика Крым и г. Севастополь",), "ЮФО"),
        (("Абзелиловский и Белорецкий районы",), "ПФО"),
        (("Российская Федерация",), None),  # the whole country says nothing
        (("Ереван", ""), None),
        ((), None),
    ],
)
def test_the_district_of_a_leads_places(places, district):
    assert district_of(places) == district


def test_an_option_names_a_district_by_its_value_or_label():
    assert names_district(("yufo", "Южный и Северо-Кавказский ФО"), "СКФО")
    assert names_district(("south", "Юг"), "ЮФО")
    assert names_district(("x", "Уральский федеральный округ"), "УФО")
    assert not names_district(("abroad", "За пределами России"), "ЦФО")
