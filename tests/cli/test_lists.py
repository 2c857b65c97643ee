"""Import, queue, calls, the do-not-call list and the numbering plan from the command line."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

from tests.cli.conftest import supervise
from tests.conftest import realdata
from tmdesk.store.models import database


def write_list(path, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Компания", "Телефон", "Город"])
        writer.writerows(rows)
    return path


ROWS = [
    ["ООО Ромашка", "8 (495) 123-45-67", "Москва"],
    ["АО Лютик", "+7 495 1234567", "Москва"],
    ["ИП Пусто", "нет", ""],
    ["", "", ""],
    ["ООО Кама", "8 4152 10-00-04", "Петропавловск-Камчатский"],
]


def test_import_json_accounts_for_every_row(desk, tmp_path):
    source = write_list(tmp_path / "calls.csv", ROWS)
    report = desk.json("import", str(source), "--list", "Весна")
    counts = {
        key: report[key] for key in ("rows", "imported", "duplicates", "invalid", "dnc", "empty")
    }
    assert counts == {"rows": 5, "imported": 2, "duplicates": 1, "invalid": 1, "dnc": 0, "empty": 1}
    assert report["errors"] == [
        {"line": 3, "reason": "+74951234567 repeats line 2"},
        {"line": 4, "reason": "'нет': not a phone number"},
    ]
    assert (tmp_path / "calls.rejects.csv").exists()
    again = desk.json("import", str(source), "--list", "Весна")
    assert (again["imported"], again["duplicates"]) == (0, 3)


def test_import_summary_for_people(desk, tmp_path):
    source = write_list(tmp_path / "calls.csv", ROWS)
    out = desk("import", str(source), "--dry-run").stdout
    assert "dry run" in out and "imported 2" in out and "Телефон → phone" in out
    assert "line 4" in out
    assert desk.json("import", str(source))["imported"] == 2  # the dry run wrote nothing


def test_import_errors_are_one_line(desk, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = desk("import", str(empty), ok=False)
    assert result.exit_code == 1 and "empty.csv" in result.stderr
    assert "Traceback" not in result.stderr
    source = write_list(tmp_path / "calls.csv", ROWS)
    bad_map = desk("import", str(source), "--map", "Нет такой=phone", ok=False)
    assert bad_map.exit_code == 1 and "Нет такой" in bad_map.stderr
    bad_form = desk("import", str(source), "--map", "phone", ok=False)
    assert bad_form.exit_code == 2 and "COLUMN=FIELD" in bad_form.stderr


def test_real_cp1251_file_from_the_command_line(desk):
    report = desk.json("import", str(realdata("excel-ru-cp1251.csv")))
    assert report["encoding"] == "cp1251" and report["rows"] == 3
    assert report["invalid"] == 3


def test_queue_json_in_serving_order(desk, tmp_path):
    desk("users", "add", "anna", "--name", "Анна")
    desk("import", str(write_list(tmp_path / "calls.csv", ROWS)))
    queue = desk.json("queue", "--agent", "anna", "--limit", "5")
    for entry in queue:
        assert set(entry) == {"lead_id", "company", "phone_e164", "local_time", "bucket"}
        assert entry["bucket"] == "fresh"
    missing = desk("queue", "--agent", "nobody", ok=False)
    assert missing.exit_code == 1 and "nobody" in missing.stderr


def test_dnc_add_list_remove(desk):
    added = desk.json("dnc", "add", "8 (495) 123-45-67", "+7 916 123 45 67", "--reason", "жалоба")
    assert added["changed"] == ["+74951234567", "+79161234567"]
    assert desk.json("dnc", "add", "84951234567")["unchanged"] == ["+74951234567"]
    listed = desk.json("dnc", "list")
    assert {entry["phone_e164"] for entry in listed} == {"+74951234567", "+79161234567"}
    assert listed[0]["reason"] == "жалоба"
    assert desk.json("dnc", "remove", "+7 495 123-45-67")["changed"] == ["+74951234567"]
    bad = desk("dnc", "add", "12", ok=False)
    assert bad.exit_code == 1 and "not a number" in bad.stderr


def test_dnc_import_and_then_the_list_import_counts_dnc(desk, tmp_path):
    blocked = write_list(tmp_path / "blocked.csv", [["", "8 495 123-45-67", ""]])
    assert desk.json("dnc", "import", str(blocked))["changed"] == ["+74951234567"]
    report = desk.json("import", str(write_list(tmp_path / "calls.csv", ROWS)))
    assert (report["imported"], report["dnc"], report["duplicates"]) == (1, 1, 1)


def test_calls_json_is_empty_on_a_fresh_desk_and_dates_are_checked(desk):
    assert desk.json("calls", "--date", "2026-11-25") == []
    bad = desk("calls", "--date", "2026-02-30", ok=False)
    assert bad.exit_code == 2 and "2026-02-30" in bad.stderr


def test_numbering_plan_import_reresolves_mobile_leads(desk, tmp_path):
    plan = tmp_path / "DEF-9xx.csv"
    plan.write_text(
        "АВС/ DEF;От;До;Емкость;Оператор;Регион;ИНН\n"
        '913;0;9999999;10000000;ПАО "МТС";Новосибирская обл.;7740000076\n',
        encoding="utf-8-sig",
    )
    desk(
        "import", str(write_list(tmp_path / "calls.csv", [["ООО Сибирь", "+7 913 123-45-67", ""]]))
    )
    result = desk.json("numbering-plan", "import", str(plan))
    assert (result["ranges"], result["leads_updated"]) == (1, 1)
    zones, source, place = database.execute_sql(  # the desk's database, bound by the CLI
        "SELECT zones, zone_source, place FROM lead JOIN zone_set ON zone_set.id = lead.zone_set_id"
    ).fetchone()
    assert (zones, source, place) == ("Asia/Novosibirsk", "plan", "Новосибирская обл.")


def test_the_json_of_a_real_process_is_parseable(tmp_path):
    source = write_list(tmp_path / "calls.csv", ROWS)
    env = os.environ | supervise(tmp_path / "p.db")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "tmdesk",
            "--db",
            str(tmp_path / "p.db"),
            "import",
            str(source),
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0 and json.loads(run.stdout)["imported"] == 2
    assert run.stderr == ""  # no progress bar when --json


def test_the_real_numbering_plan_loads_and_places_mobile_numbers(desk, tmp_path):
    desk("import", str(write_list(tmp_path / "calls.csv", [["ООО Урал", "+7 912 600-00-00", ""]])))
    result = desk.json(
        "numbering-plan", "import", str(realdata("ru-numbering-plan-def9xx-2023.csv"))
    )
    assert result["ranges"] == 113 and result["errors"] == []
    zones, source = database.execute_sql(
        "SELECT zones, zone_source FROM lead JOIN zone_set ON zone_set.id = lead.zone_set_id"
    ).fetchone()
    assert source == "plan" and zones and len(zones.split("|")) <= 2
