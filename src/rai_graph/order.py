"""The one order of clauses, controls and names in every output: numbers (and Roman numerals after
'Annex') compare as numbers, so Art. 2 < Art. 10 and Annex IX < Annex XI."""

from __future__ import annotations

import functools
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


_NUMBER = re.compile(r"(\d+)")
# Catalogue sections in the order the texts print them (alphabetical order would differ).
_SECTION_ORDER = ("Art", "Annex", "GOVERN", "GV", "MAP", "MP", "MEASURE", "MS", "MANAGE", "MG")


_NUMBERED_BY_ROMANS = ("annex", "appendix", "chapter", "title")


# Cached: a large site sorts the same few thousand notations hundreds of thousands of times.
@functools.lru_cache(maxsize=1 << 16)
def clause_key(notation: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key giving clauses in the order their document prints them, and names naturally.

    Numbers compare as numbers and Roman numerals after Annex, Chapter... as their values (``Annex IX`` before
    ``Annex XI``); Articles come before Annexes and NIST functions in Govern, Map, Measure,
    Manage order; other words compare case-insensitively (``system-2`` before ``system-10``).
    """
    words = notation.replace("(", " ").replace(")", " ").replace(".", " ").replace("-", " ").split()
    key: list[tuple[int, int | str]] = []
    for index, word in enumerate(words):
        if index == 0 and word in _SECTION_ORDER:
            key.append((0, _SECTION_ORDER.index(word)))
            continue
        if ROMAN.match(word) and index > 0 and words[index - 1].casefold() in _NUMBERED_BY_ROMANS:
            key.append((1, roman_value(word)))
            continue
        for part in _NUMBER.split(word):
            if part:
                key.append((1, int(part)) if part.isdigit() else (2, part.casefold()))
    return tuple(key)
