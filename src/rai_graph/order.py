"""The one order of clauses, controls and names in every output: numbers (and Roman numerals after
'Annex') compare as numbers, so Art. 2 < Art. 10 and Annex IX < Annex XI."""

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


def clause_key(text: str) -> tuple[object, ...]:
    """Sort key reading numbers (and Roman numerals after 'Annex') as numbers: Art. 2 < Art. 10."""
    parts: list[object] = []
    words = re.findall(r"\d+|[A-Za-z]+|[^\sA-Za-z\d]", text)
    for index, word in enumerate(words):
        if word.isdigit():
            parts.append((1, int(word), ""))
        elif ROMAN.match(word) and index > 0 and words[index - 1].lower() in ("annex", "appendix"):
            parts.append((1, roman_value(word), ""))
        else:
            rank = 2 if word.lower() in ("annex", "appendix") else 0
            parts.append((rank, 0, word.lower()))
    return tuple(parts)
