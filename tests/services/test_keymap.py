"""Binding ids are an interface: stable, complete, remappable, and clashes are refused."""

from __future__ import annotations

import pytest

from tmdesk.services.keymap import ACTIONS, KeymapError, effective_keymap

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
