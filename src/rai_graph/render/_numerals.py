"""Roman numerals in clause notations (Annex IX before Annex XI), for sort keys."""

from __future__ import annotations

import re

ROMAN = re.compile(r"^[IVXLC]+$")
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(word: str) -> int:
    """The value of a Roman numeral written with I, V, X, L and C (``word`` must match ROMAN)."""
    total = 0
    for index, letter in enumerate(word):
        value = _VALUES[letter]
        following = _VALUES[word[index + 1]] if index + 1 < len(word) else 0
        total += -value if value < following else value
    return total
