"""Binding ids are an interface: stable, complete, remappable, and clashes are refused."""

from __future__ import annotations

import pytest

from tmdesk.services.keymap import (
    ACTIONS,
    BROWSER_KEYS,
    KeymapError,
    bound_keymap,
    effective_keymap,
    layout_twins,
    shown_keymap,
)

DOCUMENTED_IDS = {  # docs/architecture.md §10
    "next-lead",
    "dial",
    "dispo-no-answer",
    "dispo-busy",
    "dispo-voicemail",
    "dispo-wrong-number",
    "dispo-callback",
    "dispo-not-interested",
    "dispo-not-fit",
    "dispo-nurture",
    "dispo-qualified",
    "dispo-dnc",
    "undo",
    "book-meeting",
    "release-lead",
    "quit",
}


def test_every_binding_id_of_the_design_exists_once():
    ids = [action.id for action in ACTIONS]
    assert len(ids) == len(set(ids))
    assert DOCUMENTED_IDS <= set(ids)


def test_defaults_have_no_clashes():
    keymap = effective_keymap()
    assert keymap["quit"] == "ctrl+q" and set(keymap) == {a.id for a in ACTIONS}


def test_a_remapped_key_replaces_the_default():
    keymap = effective_keymap({"next-lead": "f6", "callbacks": "ctrl+y"})
    assert keymap["next-lead"] == "f6" and keymap["callbacks"] == "ctrl+y"


def test_unknown_ids_are_refused_by_name():
    with pytest.raises(KeymapError, match="dispo-maybe"):
        effective_keymap({"dispo-maybe": "f6"})


@pytest.mark.parametrize(
    "overrides",
    [
        {"dispo-busy": "f2"},  # same screen as dispo-no-answer
        {"next-lead": "ctrl+q"},  # an app-wide key
        {"quit": "f2"},  # an app-wide action onto a desk key
    ],
)
def test_two_actions_on_one_key_are_refused(overrides):
    with pytest.raises(KeymapError, match="bound to both"):
        effective_keymap(overrides)


def test_the_same_key_on_different_screens_is_fine():
    # the queue and the desk are never on screen together
    effective_keymap({"refresh": "f2"})


def test_every_letter_key_has_its_russian_layout_twin():
    twins = layout_twins(effective_keymap())
    assert twins["workspace-review"] == "к" and twins["review-approve"] == "ф"
    assert twins["list-pause"] == "з" and twins["dnc-search"] == "full_stop"
    assert "next-lead" not in twins and "list-priority-up" not in twins  # ctrl+n, +/=


def test_a_remapped_letter_gets_its_twin_and_a_twin_in_use_is_left_out():
    twins = layout_twins(effective_keymap({"review-today": "y", "review-verdict": "ф"}))
    assert twins["review-today"] == "н"
    assert "review-approve" not in twins  # ф is review-verdict's own key now
    assert "review-verdict" not in twins


def test_russian_shows_the_cyrillic_letter_and_binds_both():
    keymap = effective_keymap()
    assert shown_keymap(keymap, "ru")["workspace-review"] == "к"
    assert shown_keymap(keymap, "en")["workspace-review"] == "r"
    assert shown_keymap(keymap, "ru")["dnc-search"] == "slash"  # only letters change
    assert bound_keymap(keymap, "ru")["workspace-review"] == "к,r"
    assert bound_keymap(keymap, "en")["workspace-review"] == "r,к"
    assert bound_keymap(keymap, "ru")["list-priority-up"] == "plus,equals_sign"


def test_in_a_browser_the_keys_browsers_keep_get_browser_safe_defaults():
    terminal, browser = effective_keymap(), effective_keymap(browser=True)
    moved = {id: (terminal[id], browser[id]) for id in terminal if terminal[id] != browser[id]}
    assert moved["next-lead"] == ("ctrl+n", "alt+n")
    assert moved["add-person"] == ("ctrl+n", "alt+n")
    assert moved["supervisor-workspace"] == ("ctrl+w", "alt+w")
    assert moved["dispo-wrong-number"] == ("f5", "alt+f5")
    assert moved["callbacks"] == ("f11", "alt+f11") and moved["calls-today"] == ("f12", "alt+f12")
    assert not any(key in BROWSER_KEYS for key in browser.values())
    # every safe key is outside the browsers' list, and only kept keys move
    assert all(terminal[id] in BROWSER_KEYS for id in moved)


def test_in_a_browser_the_users_keys_still_win():
    browser = effective_keymap({"next-lead": "f6", "callbacks": "ctrl+t"}, browser=True)
    assert browser["next-lead"] == "f6" and browser["callbacks"] == "ctrl+t"
