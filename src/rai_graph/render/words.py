"""How statuses and figures read in every output: one mark, one label and one rounding each.

The text, Markdown, HTML, PDF, site and CI outputs all take their status marks, coverage labels
and percentages from here, so "86%" in one output is "86%" in every other.
"""

from __future__ import annotations

STATUS_MARKS: dict[str, str] = {"met": "✓", "waived": "~", "failing": "✗", "unapproved": "!", "expired": "✗",
                                "invalid": "✗", "missing": "✗"}
COVERAGE_LABELS: dict[str, str] = {"covered": "covered", "not": "not covered", "unmapped": "unmapped",
                                   "deferred": "upcoming"}
STANDING_LABELS: dict[str, str] = {"applies": "Applicable", "deferred": "Deferred", "not-applicable": "Not applicable"}
UNDATED = "after a significant change"
"""When a deferred obligation binds a system in service that no date will bind (Art. 111(2))."""


def percent(fraction: float) -> str:
    """A share as a whole percentage, rounded half to even: 0.8571 → '86%'."""
    return f"{fraction:.0%}"
