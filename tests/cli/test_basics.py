"""Users, keys, and the database commands as scripts use them; errors are one line."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.cli.conftest import supervise
from tmdesk.store.schema import MIGRATIONS_DIR


def test_users_add_and_list(desk):
    desk("users", "add", "anna", "--name", "Анна Петрова")
    desk(
        "users",
        "add",
        "boss",
        "--name",
        "Ирина",
        "--role",
        "supervisor",
        "--password-stdin",
        input="boss-password\n",
    )
    listed = desk.json("users", "list")
    assert [(u["login"], u["role"], u["name"]) for u in listed] == [
        ("anna", "agent", "Анна Петрова"),
        ("boss", "supervisor", "Ирина"),
        ("chief", "supervisor", "Главный супервайзер"),
    ]
    assert "Анна Петрова" in desk("users", "list").stdout


def test_user_errors_are_one_line_without_traceback(desk):
    desk("users", "add", "anna", "--name", "Анна")
    result = desk("users", "add", "anna", "--name", "Другая", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "already exists" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    result = desk("users", "add", "two words", "--name", "X", ok=False)
    assert result.exit_code == 1 and "one word" in result.stderr


def test_keys_json_lists_every_binding_and_honours_the_config(desk, tmp_path):
    keys = desk.json("keys")
    assert keys["next-lead"] == "ctrl+n" and keys["dispo-no-answer"] == "f2"
    config = tmp_path / "desk.toml"
    config.write_text('[keys]\nnext-lead = "f6"\n', encoding="utf-8")
    assert desk.json("keys", config=config)["next-lead"] == "f6"
    config.write_text('[keys]\nnext-lead = "ctrl+q"\n', encoding="utf-8")
    clash = desk("keys", config=config, ok=False)
    assert clash.exit_code == 1 and "bound to both" in clash.stderr


def test_keys_in_web_mode_are_the_browser_safe_ones_and_letters_show_their_twin(desk, tmp_path):
    web = desk.json("keys", "--web")
    assert web["next-lead"] == "alt+n" and web["supervisor-workspace"] == "alt+w"
    assert web["dispo-wrong-number"] == "alt+f5" and web["dispo-no-answer"] == "f2"
    listed = {
        line.split()[0]: line.split()[1] for line in desk("keys", "--web").stdout.splitlines()
    }
    assert listed["next-lead"] == "alt+n" and listed["calls-today"] == "alt+f12"
    assert listed["workspace-review"] == "r,к"  # the same key in the Russian layout
    config = tmp_path / "web.toml"
    config.write_text('[keys]\nnext-lead = "f6"\nreview-today = "y"\n', encoding="utf-8")
    remapped = desk("keys", "--web", config=config).stdout.splitlines()
    listed = {line.split()[0]: line.split()[1] for line in remapped}
    assert listed["next-lead"] == "f6" and listed["review-today"] == "y,н"
    assert desk.json("keys")["next-lead"] == "ctrl+n"  # outside a browser, as ever


def test_bad_config_is_one_line(desk, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[attempts]\nmax_per_lead = 'many'\n", encoding="utf-8")
    result = desk("users", "list", config=config, ok=False)
    assert result.exit_code == 1
    assert "bad.toml" in result.stderr and "attempts.max_per_lead" in result.stderr


def test_db_check_upgrade_and_backup(desk, tmp_path):
    # the newest migration file, whichever branch added it
    head = max(int(path.name[:4]) for path in MIGRATIONS_DIR.glob("[0-9]*.py"))
    assert f"schema version {head} (current)" in desk("db", "upgrade").stdout
    assert desk("db", "check").stdout.strip() == "ok"
    target = tmp_path / "copy.db"
    assert str(target) in desk("db", "backup", str(target)).stdout
    assert target.exists()
    again = desk("db", "backup", str(target), ok=False)
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_db_check_fails_without_the_audit_trail(desk):
    from tmdesk.store.dialect import is_postgres
    from tmdesk.store.models import database

    database.execute_sql(
        "DROP TRIGGER audit_event_no_delete" + (" ON audit_event" if is_postgres() else "")
    )
    result = desk("db", "check", ok=False)
    assert result.exit_code == 1
    assert "audit_event_no_delete (a trigger) is missing" in result.stderr
    database.execute_sql("DROP TABLE audit_event")
    result = desk("db", "check", ok=False)
    assert "the audit trail (table audit_event) is missing" in result.stderr
    assert "1 problem(s) found" in result.stderr


def test_the_installed_command_runs_in_a_real_process(tmp_path):
    db = tmp_path / "proc.db"
    env = os.environ | supervise(db)
    run = subprocess.run(
        [sys.executable, "-m", "tmdesk", "--db", str(db), "users", "add", "vera", "--name", "Вера"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    run = subprocess.run(
        [sys.executable, "-m", "tmdesk", "--db", str(db), "users", "add", "vera", "--name", "Вера"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 1
    assert run.stderr.startswith("Error: ") and "Traceback" not in run.stderr
