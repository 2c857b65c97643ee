"""Roles and passwords: salted scrypt hashes, sign-in, the supervisor gate, deactivation."""

from __future__ import annotations

import pytest

from tmdesk.services import auth
from tmdesk.services.auth import AuthError, NotAllowed
from tmdesk.services.users import add_user
from tmdesk.store.models import AuditEvent, User, database


@pytest.fixture
def people(workspace):
    anna = add_user("anna", "Анна", "agent")
    sveta = add_user("sveta", "Светлана", "supervisor")
    return anna, sveta


def test_the_same_password_gives_different_salted_hashes(people):
    add_user("olga", "Ольга", "supervisor")
    auth.set_password("sveta", "correct horse")
    auth.set_password("olga", "correct horse")
    first, second = (User.get(User.login == login).password_hash for login in ("sveta", "olga"))
    assert first != second
    for stored in (first, second):
        scheme, n, r, p, salt, digest = stored.split("$")
        assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**14, 8, 1)
        assert "correct horse" not in stored
    assert auth.verify_password("correct horse", first)
    assert auth.verify_password("correct horse", second)
    assert not auth.verify_password("correct hors", first)
    assert not auth.verify_password("correct horse", "scrypt$damaged")
    assert not auth.verify_password("correct horse", None)


def test_the_password_is_never_stored_in_clear(people, workspace):
    auth.set_password("sveta", "Zebra-Quartz-1987")
    if workspace.sqlite_file is None:  # a server's files are not ours to read: its rows
        hashes = database.execute_sql('SELECT password_hash FROM "user"').fetchall()
        assert hashes and all("Zebra" not in (h or "") for (h,) in hashes)
    else:
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        for path in workspace.sqlite_file.parent.glob(workspace.sqlite_file.name + "*"):
            assert b"Zebra-Quartz-1987" not in path.read_bytes(), path
    (event,) = AuditEvent.select().where(AuditEvent.action == "user.password")
    assert event.details == {"login": "sveta"}


def test_a_supervisor_signs_in_with_the_right_password_only(people):
    auth.set_password("sveta", "s3cret-pass")
    assert auth.needs_password("sveta") and not auth.needs_password("anna")
    assert auth.sign_in("sveta", "s3cret-pass").role == "supervisor"
    with pytest.raises(AuthError, match="wrong password for sveta"):
        auth.sign_in("sveta", "s3cret-pasS")
    with pytest.raises(AuthError, match="wrong password"):
        auth.sign_in("sveta", None)
    # agents pick their name; a password, if any is typed, is ignored
    assert auth.sign_in("anna", None).login == "anna"
    assert auth.sign_in("anna", "whatever").login == "anna"
    with pytest.raises(AuthError, match="no user 'nobody'"):
        auth.sign_in("nobody", "x")


def test_passwords_have_at_least_eight_characters(people):
    with pytest.raises(AuthError, match="at least 8"):
        auth.set_password("sveta", "short")
    assert User.get(User.login == "sveta").password_hash is None


def test_the_desk_is_open_only_until_a_supervisor_has_a_password(people):
    assert auth.open_desk()
    # bootstrap: the supervisor without a password gets in (nothing to check yet)
    assert auth.sign_in("sveta", None).login == "sveta"
    auth.set_password("sveta", "s3cret-pass")
    assert not auth.open_desk()
    add_user("olga", "Ольга", "supervisor")
    with pytest.raises(AuthError, match="olga has no password yet"):
        auth.sign_in("olga", "anything")


def test_only_an_active_supervisor_may_act(people):
    anna, sveta = people
    auth.require_supervisor(sveta.id, "approve qualifications")
    with pytest.raises(NotAllowed) as refused:
        auth.require_supervisor(anna.id, "approve qualifications")
    assert str(refused.value) == "only a supervisor can approve qualifications"
    with pytest.raises(NotAllowed):
        auth.require_supervisor(None, "import call lists")
    with pytest.raises(NotAllowed):
        auth.require_supervisor(9999, "import call lists")


def test_deactivation_keeps_the_last_supervisor_with_a_password(people):
    anna, sveta = people
    auth.set_password("sveta", "s3cret-pass")
    with pytest.raises(NotAllowed, match="last supervisor with a password"):
        auth.deactivate_user("sveta")
    assert auth.deactivate_user("anna", by_user_id=sveta.id).active is False
    with pytest.raises(AuthError, match="anna is deactivated"):
        auth.sign_in("anna", None)
    auth.add_supervisor("olga", "Ольга", "olga-password", by_user_id=sveta.id)
    assert auth.sign_in("olga", "olga-password").role == "supervisor"
    assert auth.deactivate_user("sveta", by_user_id=sveta.id).active is False
    with pytest.raises(NotAllowed):
        auth.require_supervisor(sveta.id, "approve qualifications")
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions.count("user.deactivate") == 2 and "user.add" in actions


def test_a_supervisor_is_never_created_without_a_valid_password(people):
    with pytest.raises(AuthError, match="at least 8"):
        auth.add_supervisor("olga", "Ольга", "short")
    assert not User.select().where(User.login == "olga").exists()


def test_supervisor_services_refuse_anyone_else_once_a_password_is_set(people, tmp_path):
    from tmdesk.config import Settings
    from tmdesk.services import dnc
    from tmdesk.services.handoff import export_batch
    from tmdesk.services.importing import import_call_list

    anna, sveta = people[0].id, people[1].id
    source = tmp_path / "list.csv"
    source.write_text("Компания;Телефон\nООО Лид;8 495 100-00-01\n", encoding="utf-8")
    # an open desk (no supervisor password yet): scripts may act without saying who
    assert auth.open_desk()
    assert dnc.add_numbers(["8 495 100-00-09"]).changed
    auth.set_password("sveta", "a-good-password")
    for who in (anna, None):
        with pytest.raises(NotAllowed, match="only a supervisor can add numbers"):
            dnc.add_numbers(["8 495 100-00-02"], user_id=who)
        with pytest.raises(NotAllowed, match="only a supervisor can remove numbers"):
            dnc.remove_numbers(["8 495 100-00-09"], user_id=who)
        with pytest.raises(NotAllowed, match="only a supervisor can import call lists"):
            import_call_list(source, user_id=who)
        with pytest.raises(NotAllowed, match="only a supervisor can hand off leads"):
            export_batch(Settings(), "csv", tmp_path, user_id=who)
    assert import_call_list(source, user_id=anna, dry_run=True).rows == 1  # writes nothing
    assert dnc.add_numbers(["8 495 100-00-02"], user_id=sveta).changed
    assert import_call_list(source, user_id=sveta).imported == 1
    assert export_batch(Settings(), "csv", tmp_path, user_id=sveta) == []  # nothing ready
