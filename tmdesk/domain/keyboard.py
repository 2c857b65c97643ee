"""The keyboard a Russian desk is typed on: QWERTY and ЙЦУКЕН printed on the same keys.

A key pressed while the Russian layout is on reaches the desk as the Cyrillic letter of
that key, so every Latin letter (and the few punctuation keys that carry Cyrillic letters)
has a twin: the character the same physical key types in the Russian layout. Names are
Textual's key names (a letter is itself, "." is "full_stop"); this module knows nothing
of Textual, only the names.
"""

from __future__ import annotations

# the letters of one physical key, row by row: qwerty… over йцукен…
_LATIN_LETTERS = "qwertyuiopasdfghjklzxcvbnm"
_RUSSIAN_LETTERS = "йцукенгшщзфывапролдячсмить"
RUSSIAN_OF_LATIN = dict(zip(_LATIN_LETTERS, _RUSSIAN_LETTERS, strict=True))
LATIN_OF_RUSSIAN = {russian: latin for latin, russian in RUSSIAN_OF_LATIN.items()}

# punctuation keys whose Russian character is a letter, or another punctuation mark
# (the "/" key types "." in the Russian layout); digits, "-", "=" and "+" stay as they are
_RUSSIAN_OF_PUNCTUATION = {
    "left_square_bracket": "х",
    "right_square_bracket": "ъ",
    "semicolon": "ж",
    "apostrophe": "э",
    "comma": "б",
    "full_stop": "ю",
    "grave_accent": "ё",
    "slash": "full_stop",
}


# Yes and no are answered by the words' first letters in either language (yes/да, no/нет),
# not by the keys' twins: the Russian layout types н on the y key, and н reads as "нет".
YES_LETTERS = ("y", "д")
NO_LETTERS = ("n", "н")


def russian_twin(key: str) -> str | None:
    """The key name the same physical key gives in the Russian layout ('r' → 'к'), for a
    single unmodified key; None when the layouts agree or a modifier is held (ctrl+r is
    ctrl+r in both: terminals send the Latin letter's control code)."""
    return RUSSIAN_OF_LATIN.get(key) or _RUSSIAN_OF_PUNCTUATION.get(key)


def latin_letter(character: str) -> str:
    """The Latin letter of the key that typed `character` ('к' → 'r'), or the character
    itself when it is not a Russian letter."""
    lower = character.casefold()
    return LATIN_OF_RUSSIAN.get(lower, lower)
