"""The [web] table: defaults, values read, bad values named with the file and the key."""

from __future__ import annotations

import pytest

from tmdesk.config import ConfigError, WebSettings, load_settings


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


@pytest.mark.parametrize(
    "text, where",
    [
        ("[web]\nrequire_passwords = 'yes'\n", "web.require_passwords"),
        ("[web]\nidle_minutes = 0\n", "web.idle_minutes"),
        ("[web]\nlockout_minutes = 'soon'\n", "web.lockout_minutes"),
        ("[web]\nmax_failed_sign_ins = 0\n", "web.max_failed_sign_ins"),
        ("[web]\nmax_failed_per_address = 2.5\n", "web.max_failed_per_address"),
        ("[web]\ndial_link = 'tel:+7000'\n", "web.dial_link"),
        ("[web]\nupload_dir = 5\n", "web.upload_dir"),
        ("[web]\nidle = 5\n", "web.idle"),
    ],
)
def test_bad_values_name_the_file_and_the_key(tmp_path, text, where):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert str(path) in str(error.value) and where in str(error.value)
    assert "\n" not in str(error.value)
