"""The desk in a real browser: `tmdesk web` on 127.0.0.1, headless system Chromium driven by
Playwright, keys typed into the page, the database checked after. Skipped, with the reason,
where there is no browser (.ci/browser-deps installs one)."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tui_helpers import Lead, make_desk, moscow_phone
from web_data import qualify_now
from web_helpers import (
    ARTIFACTS,
    CHROMIUM,
    BrowserTab,
    catch_downloads,
    descendants,
    needs_browser,
    start_server,
    wait_until,
)

from tmdesk.services import auth
from tmdesk.services.calls import claim_next_lead
from tmdesk.services.qualification import load_draft
from tmdesk.store.models import AuditEvent, CallAttempt, Qualification
from tmdesk.store.models import Lead as LeadRecord

pytestmark = [needs_browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

PASSWORDS = {"anna": "anna-password", "sveta": "sveta-password"}
TERMINAL_SCREEN = Path(__file__).with_name("web_terminal_screen.py")


def write_config(path: Path, **web: object) -> Path:
    lines = ["[calling_window]", 'mon-sun = "00:00-24:00"', "", "[web]"]
    lines += [f"{key} = {value!r}".replace("'", '"') for key, value in web.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def served(tmp_path: Path, chromium):
    """Start `tmdesk web` on a fresh desk; returns (desk, browser context, server)."""
    started = []

    def serve(**web: object):
        config = write_config(tmp_path / "tmdesk.toml", **web)
        desk = make_desk(tmp_path / "t.db", tmp_path, config=config)
        for login, password in PASSWORDS.items():
            auth.set_password(login, password)
        desk.import_leads(
            [
                Lead("Альфа", moscow_phone(1), contact="Пётр Сидоров", priority=3),
                Lead("Бета", moscow_phone(2), priority=2),
                Lead("Гамма", moscow_phone(3), priority=1),
            ]
        )
        server = start_server(desk.workspace.target, config, tmp_path / "server.log")
        context = chromium.new_context(
            viewport={"width": 1280, "height": 800}, accept_downloads=True
        )
        started.append((server, context))
        return desk, context, server

    yield serve
    for server, context in started:
        context.close()
        server.stop()


def take_lead(tab: BrowserTab) -> None:
    tab.wait_for("Next lead")
    tab.press("Alt+n")  # web mode's next lead: a desktop browser keeps ctrl+n
    tab.wait_for("Альфа", "Пётр Сидоров", "Not dialled yet", "No earlier calls.", "Release lead")


def test_an_agent_signs_in_takes_a_lead_and_records_no_answer_with_f2(served):
    desk, context, server = served(idle_minutes=30)
    tab = BrowserTab(context, server.url)
    tab.sign_in("anna", PASSWORDS["anna"])
    take_lead(tab)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(ARTIFACTS / "call-screen-browser.png"))
    browser_text = tab.text()
    (ARTIFACTS / "call-screen-browser.txt").write_text(browser_text, encoding="utf-8")

    # the same desk in a terminal, same size: the lead the tab holds comes back to anna
    cols, rows = tab.size()
    terminal_text = subprocess.run(
        [
            sys.executable,
            str(TERMINAL_SCREEN),
            desk.workspace.target,
            str(desk.folder / "tmdesk.toml"),
        ]
        + ["anna", PASSWORDS["anna"], str(cols), str(rows)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    (ARTIFACTS / "call-screen-terminal.txt").write_text(terminal_text, encoding="utf-8")
    browser_lines = [line.rstrip() for line in browser_text.splitlines()]
    terminal_lines = [line.rstrip() for line in terminal_text.splitlines()]
    # the lead's card and the outcome keys, line for line (the status badge differs: a
    # lead resumed at sign-in shows "in progress", a lead just taken where it came from)
    marks = ("Пётр Сидоров", "100-00-01", "Московская обл.", "Earlier calls", "f2 No answer")
    naming = [line for line in terminal_lines if any(mark in line for mark in marks)]
    assert naming and all(line in browser_lines for line in naming), (naming, browser_text)
    same = sum(b == t for b, t in zip(browser_lines, terminal_lines, strict=False))
    assert same >= 0.8 * rows, f"{same} of {rows} lines alike\n{browser_text}\n{terminal_text}"

    tab.press("F2")  # no answer; the desk moves on by itself
    tab.wait_for("Бета", "Not dialled yet")
    alpha = desk.lead("Альфа")
    (attempt,) = CallAttempt.select().where(CallAttempt.lead == alpha.id)
    assert attempt.disposition == "no_answer" and attempt.agent.login == "anna"
    assert desk.lead("Бета").claimed_by.login == "anna"


def test_web_mode_keys_take_a_lead_and_add_a_person_in_the_browser(served):
    """ctrl+n is a desktop browser's (a new window), so web mode takes the next lead and
    adds a person with alt+n, and records a wrong number with alt+f5 (F5 reloads)."""
    desk, context, server = served(idle_minutes=30)
    tab = BrowserTab(context, server.url)
    tab.sign_in("anna", PASSWORDS["anna"])
    tab.wait_for("alt+n Next lead")  # the footer shows the browser's key
    take_lead(tab)
    alpha = desk.lead("Альфа")
    assert alpha.claimed_by.login == "anna" and alpha.status == "in_progress"
    assert "alt+f5 Wrong number" in tab.text()

    tab.press("F10")  # qualified: the form
    # the form paints while it is still being mounted; its keys are live once the cursor
    # stands in the first question
    tab.wait_for("Fit: ?", "›(")
    roles_shown = tab.text().count("ЛПР")  # the script's rules name the role already
    tab.press("Alt+n")
    wait_until(lambda: tab.text().count("ЛПР") > roles_shown, what="the new person's row")
    tab.type("Сидоров Пётр")
    wait_until(
        lambda: (
            [p.name for p in load_draft(alpha.id, desk.users["anna"].id).decision_makers]
            == ["Пётр Сидоров", "Сидоров Пётр"]  # the lead's contact is pre-filled first
        ),
        what="the person in the draft",
        page=tab.page,
    )
    tab.press("Escape")  # the form closes; the answers stay a draft
    wait_until(lambda: "Fit: ?" not in tab.text(), what="the call screen", page=tab.page)
    tab.press("Alt+F5")
    tab.wait_for("Бета")
    (attempt,) = CallAttempt.select().where(CallAttempt.lead == alpha.id)
    assert attempt.disposition == "wrong_number"


def test_wrong_passwords_are_refused_then_rate_limited_and_logged(served):
    desk, context, server = served(idle_minutes=30, max_failed_sign_ins=3)
    tab = BrowserTab(context, server.url)
    tab.type("anna")
    tab.press("Enter")
    for attempt in range(3):
        tab.wait_for("Password:")
        tab.type(f"guess-{attempt}")
        tab.press("Enter")
        wait_until(
            lambda n=attempt: (
                AuditEvent.select().where(AuditEvent.action == "auth.failed").count() == n + 1
            ),
            what="the failure in the audit trail",
        )
        tab.wait_for("Wrong password for anna")
    tab.type(PASSWORDS["anna"])  # right, but too late
    tab.press("Enter")
    tab.wait_for("Too many wrong passwords for anna")
    failed = list(AuditEvent.select().where(AuditEvent.action == "auth.failed"))
    assert {event.details["address"] for event in failed} == {"127.0.0.1"}
    assert AuditEvent.select().where(AuditEvent.action == "auth.locked").count() == 1
    assert "Next lead" not in tab.text()


def test_an_idle_tab_signs_out_and_gives_the_lead_back_with_its_notes(served):
    desk, context, server = served(idle_minutes=0.1)  # six seconds
    tab = BrowserTab(context, server.url)
    tab.sign_in("anna", PASSWORDS["anna"])
    take_lead(tab)
    tab.type("перезвонить после обеда")
    wait_until(
        lambda: desk.lead("Альфа").notes_draft == "перезвонить после обеда", what="the draft"
    )
    assert desk.lead("Альфа").status == "in_progress"
    tab.wait_for("Who is at the desk?", "Session timed out", timeout=40)
    alpha = wait_until(
        lambda: (lead := desk.lead("Альфа")).claimed_by is None and lead, what="the release"
    )
    assert alpha.status == "new" and alpha.notes_draft == "перезвонить после обеда"
    assert not LeadRecord.select().where(LeadRecord.claimed_by.is_null(False)).exists()


def test_a_supervisor_approves_then_exports_and_the_download_arrives(served):
    desk, context, server = served(idle_minutes=30)
    lead_id = qualify_now(desk)
    company = LeadRecord.get_by_id(lead_id).company
    downloads = catch_downloads(context)
    tab = BrowserTab(context, server.url)
    tab.sign_in("sveta", PASSWORDS["sveta"])
    tab.wait_for("Supervisor workspace", "Files")
    tab.press("r")
    tab.wait_for(company)
    tab.press("Enter")
    tab.wait_for("Correct", "Сидоров Пётр")  # the detail, with the decision maker
    tab.type("ф")  # the a key (approve) with the Russian layout on
    wait_until(
        lambda: Qualification.get(Qualification.lead == lead_id).status == "approved",
        what="the approval",
    )
    tab.press("Alt+w")  # back to the workspace (web mode: a browser keeps ctrl+w)
    tab.wait_for("Files")
    tab.press("e")
    tab.wait_for("Files to your browser")
    tab.press("Enter")  # the first: the ready leads as CSV
    download = wait_until(lambda: downloads and downloads[0], what="the download", page=tab.page)
    assert download.file_name == "handoff-00001.csv"
    assert download.disposition.startswith("attachment;")
    saved = ARTIFACTS / "browser-download-handoff.csv"
    saved.write_bytes(download.body)
    rows = list(csv.DictReader(saved.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 1 and company in rows[0].values(), rows
    tab.wait_for("Sent handoff-00001.csv to your browser")


def test_a_supervisor_uploads_a_call_list_from_the_browser_and_imports_it(served, tmp_path):
    desk, context, server = served(idle_minutes=30)
    on_the_pc = tmp_path / "pc" / "зима.csv"
    on_the_pc.parent.mkdir()
    on_the_pc.write_text(
        f"Компания,Телефон\nЗима-1,{moscow_phone(11)}\nЗима-2,{moscow_phone(12)}\nПлохой,12\n",
        encoding="utf-8",
    )
    tab = BrowserTab(context, server.url)
    tab.sign_in("sveta", PASSWORDS["sveta"])
    tab.wait_for("Supervisor workspace")
    tab.press("l")
    tab.wait_for("Осень")
    tab.press("i")
    tab.wait_for("F2 opens the upload page")
    with context.expect_page() as opened:
        tab.press("F2")
    upload = opened.value
    upload.wait_for_load_state()
    assert "/upload/" in upload.url
    upload.set_input_files("input[type=file]", str(on_the_pc))
    upload.click("button[type=submit]")
    upload.wait_for_selector("#done")
    tab.page.bring_to_front()
    tab.wait_for("зима.csv", "Into the call list")  # the file, then its list's name
    tab.press("Enter")  # the list's name: the file's
    tab.wait_for("Done. Esc: back.")
    imported = LeadRecord.select().where(LeadRecord.company.startswith("Зима"))
    assert sorted(lead.company for lead in imported) == ["Зима-1", "Зима-2"]
    # the upload and its rejects wait in the private box, outside the served folders
    (box,) = (desk.folder / "uploads").iterdir()
    assert sorted(path.name for path in box.iterdir()) == ["зима.csv", "зима.rejects.csv"]
    assert oct(box.stat().st_mode & 0o777) == "0o700"

    # the rejected row comes back as a download, under the name the CLI gave it
    downloads = catch_downloads(context)
    tab.press("Escape")  # alone: an escape followed at once by a key reads as alt+key
    wait_until(lambda: "Import a call list" not in tab.text(), what="the lists", page=tab.page)
    tab.press("Alt+w")
    tab.wait_for("Supervisor workspace", "Files")
    tab.press("e")
    tab.wait_for("Files to your browser")
    for _step in range(3):  # the fourth choice
        tab.press("ArrowDown")
    tab.press("Enter")
    download = wait_until(lambda: downloads and downloads[0], what="the download", page=tab.page)
    assert download.file_name == "зима.rejects.csv"
    assert "Плохой" in download.body.decode("utf-8-sig")


def test_closing_the_tab_ends_its_desk_and_the_lease_gives_the_lead_back(served):
    desk, context, server = served(idle_minutes=30)
    tab = BrowserTab(context, server.url)
    tab.sign_in("anna", PASSWORDS["anna"])
    take_lead(tab)
    assert descendants(server.process.pid), "a desk process for the tab"
    tab.page.close()
    wait_until(lambda: not descendants(server.process.pid), what="the tab's desk to end")
    alpha = desk.lead("Альфа")
    # still claimed, until the lease it last renewed runs out: then anyone may take it
    assert alpha.claimed_by.login == "anna"
    assert alpha.lease_until <= datetime.now(UTC) + desk.workspace.settings.lease
    boris = desk.users["boris"].id
    later = alpha.lease_until + timedelta(seconds=1)
    assert claim_next_lead(boris, desk.workspace.settings, now=later).lead_id == alpha.id
