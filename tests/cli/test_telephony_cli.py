"""The telephony commands and settings: extensions, the service's start, bad [telephony]."""

from __future__ import annotations

from tmdesk.config import ConfigError, settings_from_mapping


def test_extensions_are_given_at_creation_and_changed(desk):
    assert (
        "added agent anna"
        in desk("users", "add", "anna", "--name", "Anna", "--extension", "101").stdout
    )
    listed = {user["login"]: user for user in desk.json("users", "list")}
    assert listed["anna"]["extension"] == "101"
    assert (
        desk("users", "edit", "anna", "--extension", "205").stdout.strip() == "anna: extension 205"
    )
    assert {u["login"]: u for u in desk.json("users", "list")}["anna"]["extension"] == "205"
    assert desk("users", "edit", "anna", "--extension", "").stdout.strip() == "anna: extension none"

    bad = desk("users", "edit", "anna", "--extension", "10 1; rm", ok=False)
    assert bad.exit_code == 1
    assert bad.stderr.strip() == "Error: an extension is digits like 101, not '10 1; rm'"
    nobody = desk("users", "edit", "ghost", "--extension", "101", ok=False)
    assert nobody.exit_code == 1 and "no user 'ghost'" in nobody.stderr


def test_the_service_refuses_the_command_backend_in_one_line(desk):
    result = desk("telephony", "serve", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Error: [telephony] backend is 'command': the service is for asterisk or zadarma; "
        "with command the desk dials by itself"
    ]


def test_a_bad_telephony_setting_names_the_file_and_the_key(desk, tmp_path):
    config = tmp_path / "desk.toml"
    config.write_text('[telephony]\nbackend = "sip"\n', encoding="utf-8")
    result = desk("users", "list", config=config, ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {config}: telephony.backend: must be one of command, asterisk, zadarma, not 'sip'"
    )


def test_telephony_settings_are_checked():
    def problem(table: dict) -> str:
        try:
            settings_from_mapping({"telephony": table})
        except ConfigError as error:
            return str(error)
        raise AssertionError("accepted")

    assert problem({"ami_port": "5038"}).endswith(
        "telephony.ami_port: must be a whole number, not '5038'"
    )
    assert problem({"ami_port": 70000}).endswith("must be between 1 and 65535, not 70000")
    assert "not 'sip'" in problem({"backend": "sip"})
    assert problem({"agent_channel": "PJSIP/101"}).endswith("must contain {extension}")
    assert "unknown key" in problem({"ami_pasword": "x"})
    assert problem({"caller_ids": {"Осень": 7495}}).endswith(
        "must be a table of list name = caller id"
    )
    settings = settings_from_mapping(
        {"telephony": {"backend": "asterisk", "auto_record_seconds": 5, "caller_ids": {"A": "+7"}}}
    ).telephony
    assert (settings.backend, settings.auto_record_seconds, settings.ami_port) == (
        "asterisk",
        5,
        5038,
    )
    assert settings.through_service and settings.caller_ids == {"A": "+7"}
