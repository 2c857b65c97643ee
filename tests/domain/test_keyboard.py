"""The keys of a Russian keyboard: every Latin letter's key types one Cyrillic letter."""

from __future__ import annotations

import pytest

from tmdesk.domain.keyboard import (
    LATIN_OF_RUSSIAN,
    RUSSIAN_OF_LATIN,
    latin_letter,
    russian_twin,
)


@pytest.mark.parametrize(
    ("key", "twin"),
    [
        ("r", "к"), ("f", "а"), ("l", "д"), ("d", "в"), ("c", "с"), ("a", "ф"), ("m", "ь"),
        ("p", "з"), ("s", "ы"), ("i", "ш"), ("y", "н"), ("n", "т"), ("g", "п"), ("v", "м"),
        ("t", "е"), ("e", "у"), ("comma", "б"), ("slash", "full_stop"),
    ],
)  # fmt: skip
def test_a_key_has_the_russian_letter_of_the_same_key(key, twin):
    assert russian_twin(key) == twin


@pytest.mark.parametrize("key", ["1", "f2", "ctrl+r", "plus", "minus", "enter", "left", "к"])
def test_digits_function_keys_and_modified_keys_have_no_twin(key):
    assert russian_twin(key) is None


def test_the_26_letter_keys_pair_one_to_one():
    assert len(RUSSIAN_OF_LATIN) == len(LATIN_OF_RUSSIAN) == 26
    assert latin_letter("К") == "r" and latin_letter("ф") == "a" and latin_letter("7") == "7"
