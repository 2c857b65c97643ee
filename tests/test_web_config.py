"""The [web] table: defaults and values read (bad values: tests/test_config.py)."""

from __future__ import annotations

from tmdesk.config import WebSettings, load_settings


def test_values_are_read_and_missing_ones_default(tmp_path):
    path = tmp_path / "desk.toml"
    path.write_text(
        "[web]\nrequire_passwords = true\nidle_minutes = 0.5\nmax_failed_sign_ins = 3\n"
        "dial_link = 'sip:{e164}@pbx.example.ru'\n",
        encoding="utf-8",
    )
    web = load_settings(path).web
    assert web == WebSettings(
        require_passwords=True,
        idle_minutes=0.5,
        max_failed_sign_ins=3,
        dial_link="sip:{e164}@pbx.example.ru",
    )
    assert load_settings(None).web == WebSettings()
