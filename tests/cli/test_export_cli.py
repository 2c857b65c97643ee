"""`tmdesk export`: batches from the command line, for a supervisor only."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

from tmdesk.services.auth import set_password
from tmdesk.services.workspace import open_workspace
from tmdesk.store.models import ExportBatch, Qualification

# the fully filled desk of the service tests (tests/ has no packages: import it by folder)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from handoff_helpers import HOSTILE_COMPANY, make_handoff_desk  # noqa: E402

PASSWORD = "olga-secret-1"
OLGA = {"TMDESK_USER": "olga", "TMDESK_PASSWORD": PASSWORD}


@pytest.fixture
def ready(desk, tmp_path):
    """The CLI's database with two approved leads (one with a meeting); olga supervises."""
    handoff = make_handoff_desk(open_workspace(desk.db), tmp_path)
    set_password("olga", PASSWORD)
    out = tmp_path / "out"
    out.mkdir()
    return handoff, out


def test_export_writes_a_batch_and_says_what_it_wrote(desk, ready):
    handoff, out = ready
    result = desk("export", "--format", "xlsx", "--out", str(out), env=OLGA)
    batch = ExportBatch.get()
    path = out / f"handoff-{batch.id:05d}.xlsx"
    assert result.stdout.strip() == (
        f"wrote {path.resolve()}: batch {batch.id}, 2 lead(s), 1 meeting(s)"
    )
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    listed = json.loads(desk("export", "batches", "--json", env=OLGA).stdout)
    assert [(b["id"], b["format"], b["leads"], b["created_by"]) for b in listed] == [
        (batch.id, "xlsx", 2, "olga")
    ]
    # a second export finds nothing: it says so, exits 0 and records no batch
    again = desk("export", "--out", str(out), env=OLGA)
    assert again.stdout.strip() == "nothing is ready for handoff: no batch recorded"
    assert ExportBatch.select().count() == 1
    assert "xlsx" in desk("export", "--list", env=OLGA).stdout


def test_export_batch_id_writes_the_same_bytes_again(desk, ready):
    _handoff, out = ready
    made = json.loads(
        desk("export", "--format", "ics", "--out", str(out), "--json", env=OLGA).stdout
    )
    assert [(m["leads"], m["meetings"], m["format"]) for m in made] == [(1, 1, "ics")]
    copy = out / "copy.ics"
    desk("export", "--batch", str(made[0]["batch"]), "--out", str(copy), env=OLGA)
    assert copy.read_bytes() == Path(made[0]["path"]).read_bytes()
    result = desk(
        "export", "--batch", str(made[0]["batch"]), "--specialist", "x", ok=False, env=OLGA
    )
    assert result.exit_code == 2 and "--batch writes a recorded batch again" in result.stderr


def test_export_json_prints_the_files_and_the_file_holds_the_leads(desk, ready):
    _handoff, out = ready
    made = json.loads(
        desk(
            "export", "--format", "json", "--out", str(out / "leads.json"), "--json", env=OLGA
        ).stdout
    )
    leads = json.loads(Path(made[0]["path"]).read_text(encoding="utf-8"))
    assert [lead["company"] for lead in leads] == [HOSTILE_COMPANY, "АО Василёк"]
    assert json.loads(desk("export", "--json", "--out", str(out), env=OLGA).stdout) == []


def test_a_refused_excel_ru_export_is_one_line_and_records_nothing(desk, ready):
    _handoff, out = ready
    result = desk("export", "--excel-ru", "--out", str(out), ok=False, env=OLGA)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith("Error: lead ") and "Windows-1251" in lines[0]
    assert list(out.iterdir()) == [] and ExportBatch.select().count() == 0


def test_only_a_supervisor_exports(desk, ready):
    _handoff, out = ready
    result = desk("export", "--out", str(out), ok=False, env={"TMDESK_USER": "anna"})
    assert result.exit_code == 1 and "only a supervisor can export leads" in result.stderr
    assert list(out.iterdir()) == []


def test_options_are_checked(desk, ready):
    _handoff, out = ready
    result = desk("export", "--all", "--out", str(out), ok=False, env=OLGA)
    assert result.exit_code == 1 and "--since" in result.stderr
    result = desk("export", "--specialist", "Никто", ok=False, env=OLGA)
    assert "no specialist 'Никто'" in result.stderr
    result = desk("export", "--batch", "42", ok=False, env=OLGA)
    assert "no export batch 42" in result.stderr


def test_unreviewed_leads_only_when_asked(desk, ready):
    handoff, out = ready
    made = json.loads(
        desk(
            "export",
            "--format",
            "csv",
            "--include-unreviewed",
            "--out",
            str(out),
            "--json",
            env=OLGA,
        ).stdout
    )
    assert made[0]["leads"] == 3
    assert Qualification.get(Qualification.lead == handoff.plain).status == "submitted"


def _csv_header(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")


def test_export_lang_chooses_the_file_s_language_and_a_repeat_keeps_it(desk, ready):
    _handoff, out = ready
    made = json.loads(desk("export", "--lang", "ru", "--out", str(out), "--json", env=OLGA).stdout)
    path = Path(made[0]["path"])
    assert _csv_header(path)[:3] == ["ID лида", "Компания", "Контакт"]
    assert made[0]["format"] == "csv"  # the --json output stays English identifiers
    # the batch keeps its language: written again, the same bytes; --lang en: in English
    copy, english = out / "copy.csv", out / "english.csv"
    desk("export", "--batch", str(made[0]["batch"]), "--out", str(copy), env=OLGA)
    assert copy.read_bytes() == path.read_bytes()
    desk(
        "export", "--batch", str(made[0]["batch"]), "--lang", "en", "--out", str(english),
        env=OLGA,
    )  # fmt: skip
    assert _csv_header(english)[:3] == ["Lead", "Company", "Contact"]
    assert "on site" in english.read_text(encoding="utf-8-sig")


def test_export_lang_en_from_a_russian_desk(desk, ready):
    _handoff, out = ready
    desk("--lang", "ru", "export", "--lang", "en", "--out", str(out), env=OLGA)
    (path,) = out.iterdir()
    assert _csv_header(path)[:3] == ["Lead", "Company", "Contact"]
