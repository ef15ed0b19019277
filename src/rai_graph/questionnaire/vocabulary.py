"""The customer's answer vocabulary: their drop-down values, and the scale named in a column header.

Customers answer in their own words: "Yes / No / N/A", "Compliant / Partially compliant / Not
compliant", "Implemented / In progress / Not implemented", a 1–5 maturity score. The values come
from the answer cell's data-validation list or, without one, from the column header ("Response
(Yes/No/N/A)", "Maturity (1-5)"). :func:`customer_value` turns an answer word into one of them:

* a value meaning the same (synonyms in English and French, the number or label prefix of a
  scale such as "3 - Defined" ignored when it carries a word);
* on a bare numeric maturity scale: No → the lowest level, Partial → the middle one, Yes → the
  level below the top; the top ("optimised", continuously improved) is never claimed from a
  status, and the explanation says which level was given and why;
* nothing, when no value fits (a Partial answer in a Yes/No list is left blank rather than
  rounded to Yes or No), with a note for the reviewer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

AnswerWord = Literal["Yes", "Partial", "No", "Not applicable", "Needs review"]

SYNONYMS: dict[str, tuple[str, ...]] = {
    "Yes": ("yes", "y", "true", "compliant", "fully compliant", "implemented", "fully implemented",
            "in place", "met", "fully met", "fully", "full", "complete", "completed", "satisfied",
            "conforms", "conformant", "adequate", "effective", "oui", "conforme"),
    "Partial": ("partial", "partially", "partly", "partially compliant", "partially implemented",
                "in progress", "partially met", "partially in place", "some", "largely",
                "largely compliant", "partially satisfied", "partiellement", "partiellement conforme"),
    "No": ("no", "n", "false", "non-compliant", "non compliant", "not compliant", "not implemented",
           "not in place", "not met", "none", "not satisfied", "not started", "absent", "non",
           "non conforme"),
    "Not applicable": ("n/a", "na", "n.a", "not applicable", "not relevant", "does not apply",
                       "sans objet", "s/o", "non applicable", "out of scope"),
}

_LEADING_LEVEL = re.compile(r"^\s*(\d+)\s*(?:[-–—:.)]\s*|\s+)(.*)$")
_RANGE = re.compile(r"\b(\d)\s*(?:-|–|—|to)\s*(\d{1,2})\b")
_PAREN = re.compile(r"\(([^)]*)\)")
_NA = re.compile(r"\b[ns]\s*/\s*[ao]\b", re.IGNORECASE)


def fold_value(value: str) -> str:
    folded = " ".join(value.casefold().replace("’", "'").split())
    return folded.rstrip(".").strip()


def _words_of(value: str) -> str:
    """The words of a value without a leading level number: "3 - Defined" → "defined"."""
    found = _LEADING_LEVEL.match(value)
    return fold_value(found.group(2)) if found and found.group(2).strip() else fold_value(value)


def _level(value: str) -> int | None:
    found = _LEADING_LEVEL.match(value)
    if found:
        return int(found.group(1))
    folded = fold_value(value)
    return int(folded) if folded.isdigit() else None


def maturity_levels(allowed: Sequence[str]) -> list[tuple[int, str]] | None:
    """(level, value) ascending when ``allowed`` is a numeric scale of three levels or more."""
    scale = [(level, value) for value in allowed if (level := _level(value)) is not None]
    others = [v for v in allowed if _level(v) is None and fold_value(v) not in SYNONYMS["Not applicable"]]
    if len(scale) < 3 or others:
        return None
    return sorted(scale)


def customer_value(word: AnswerWord, allowed: Sequence[str]) -> tuple[str | None, str | None]:
    """The customer's value for ``word`` and, when none fits or it needs saying, a note.

    Without a list the answer word itself is used. Returns ``(value, note)``; a value with a
    note is written and the note explains it; no value with a note leaves the cell for the
    reviewer.
    """
    if word == "Needs review":
        return None, None
    if not allowed:
        return word, None
    by_words = {_words_of(value): value for value in allowed}
    by_words.update({fold_value(value): value for value in allowed})
    for synonym in SYNONYMS[word]:
        if synonym in by_words:
            return by_words[synonym], None
    for synonym in sorted(SYNONYMS[word], key=len, reverse=True):
        for folded, value in by_words.items():
            if len(synonym) > 2 and folded.startswith(synonym + " ") and not _negated(folded, word):
                return value, None
    levels = maturity_levels(allowed)
    if levels is not None and word != "Not applicable":
        index = {"No": 0, "Partial": len(levels) // 2, "Yes": len(levels) - 2}[word]
        level, value = levels[index]
        top = levels[-1][0]
        why = {"No": "not in place: the lowest level",
               "Partial": "in part: the middle level",
               "Yes": "in place with current, approved evidence; the top level (continual "
                      "improvement) is never claimed from a status"}[word]
        return value, f"Maturity {level} of {top}: {why}."
    listed = ", ".join(allowed[:8]) + (", ..." if len(allowed) > 8 else "")
    return None, f"The customer's answer list ({listed}) has no value meaning {word}; left blank for the reviewer."


def _negated(folded: str, word: AnswerWord) -> bool:
    """ "yes" must not pick "yes, but not yet"; "compliant" not "compliant in part"."""
    return word == "Yes" and bool(re.search(r"\b(not|partial|partially|part|no)\b", folded))


# --- scales named in headers -----------------------------------------------------------------

def header_scale(header: str) -> tuple[str, ...]:
    """The answer values a column header names: "Response (Yes/No/N/A)", "Maturity (1-5)",
    "Compliant / Partially compliant / Not compliant"; empty when it names none."""
    candidates = [m.group(1) for m in _PAREN.finditer(header)] + [_PAREN.sub("", header)]
    for text in candidates:
        ranged = _RANGE.search(text)
        if ranged and ("maturity" in header.casefold() or "score" in header.casefold()
                       or "rating" in header.casefold() or "level" in header.casefold() or text != candidates[-1]):
            low, high = int(ranged.group(1)), int(ranged.group(2))
            if 0 <= low < high <= 10 and high - low >= 2:
                return tuple(str(n) for n in range(low, high + 1))
        protected = _NA.sub(lambda m: m.group(0).replace("/", "\u2044"), text)  # keep "N/A" whole
        pieces = [p.strip().replace("\u2044", "/") for p in re.split(r"\s*[/|]\s*|\s*,\s*", protected)
                  if p.strip()]
        if len(pieces) >= 2 and all(len(p) <= 30 for p in pieces):
            meanings = {_meaning(p) for p in pieces}
            if "Yes" in meanings and "No" in meanings:
                return tuple(pieces)
    return ()


def _meaning(value: str) -> str | None:
    folded = _words_of(value)
    for word, synonyms in SYNONYMS.items():
        if folded in synonyms:
            return word
    return None


ScaleKind = Literal["none", "yes-no", "compliance", "maturity", "other"]


def scale_kind(allowed: Sequence[str]) -> ScaleKind:
    """What kind of scale the customer answers on (for the summary)."""
    if not allowed:
        return "none"
    if maturity_levels(allowed) is not None:
        return "maturity"
    meanings = {_meaning(v) for v in allowed}
    if {"Yes", "No"} <= meanings:
        folded = " ".join(fold_value(v) for v in allowed)
        return "compliance" if ("compliant" in folded or "implemented" in folded or "met" in folded) else "yes-no"
    return "other"
