"""`tmdesk script check` reports every problem with its line; shipped scripts are clean."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_shipped_scripts_check_clean(desk):
    for name, key in (("b2b-ru.toml", "b2b-ru"), ("b2b-en.toml", "b2b-en")):
        out = desk("script", "check", str(REPO / "data" / "scripts" / name)).stdout
        assert out.startswith(f"ok: {key} v1,")


def test_a_broken_script_lists_every_problem_with_its_line(desk):
    broken = REPO / "tests" / "domain" / "broken_scripts" / "several_problems.toml"
    result = desk("script", "check", str(broken), ok=False)
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 12
    assert all(line.startswith(f"{broken}:") and line.split(":")[1].isdigit() for line in lines)
    assert "12 problem(s)" in result.stderr


def test_script_list_json(desk):
    keys = {entry["key"] for entry in desk.json("script", "list")}
    assert {"b2b-ru", "b2b-en"} <= keys
