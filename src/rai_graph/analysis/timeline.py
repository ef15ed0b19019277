"""What binds when: for each system, the obligations that start to bind on each future date.

Read from the one judgement (the deferred requirements of each
:class:`~rai_graph.trace.SystemAssessment`), so the timeline, ``status`` and the report never
disagree. A milestone groups the requirements that bind from one date; requirements that only a
significant change in the system's design would bind (Art. 111(2)) form a last, undated
milestone. "Already covered" uses the coverage rule: every control answering the requirement is
met or waived today.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rai_graph.order import clause_key
from rai_graph.trace import RequirementCoverage, SystemAssessment


@dataclass(frozen=True, slots=True)
class Milestone:
    """The requirements that start to bind a system on one date (None: after a significant change)."""

    date: dt.date | None
    requirements: tuple[RequirementCoverage, ...]

    @property
    def covered(self) -> int:
        return sum(1 for r in self.requirements if r.covered)

    @property
    def unmapped(self) -> int:
        return sum(1 for r in self.requirements if r.unmapped)

    @property
    def not_covered(self) -> int:
        return len(self.requirements) - self.covered - self.unmapped

    @property
    def reasons(self) -> tuple[str, ...]:
        """The distinct reasons given for the requirements of this milestone, most frequent first."""
        counts: dict[str, int] = defaultdict(int)
        for requirement in self.requirements:
            if requirement.standing is not None:
                counts[requirement.standing.reason] += 1
        return tuple(sorted(counts, key=lambda reason: (-counts[reason], reason)))


@dataclass(frozen=True, slots=True)
class SystemTimeline:
    assessment: SystemAssessment
    milestones: tuple[Milestone, ...]

    @property
    def upcoming(self) -> int:
        return sum(len(m.requirements) for m in self.milestones)


def timeline(systems: Sequence[SystemAssessment]) -> list[SystemTimeline]:
    """The milestones of every judged system, dated ones in order, the undated one last."""
    found = []
    for assessment in systems:
        if not assessment.judged:
            continue
        by_date: dict[dt.date | None, list[RequirementCoverage]] = defaultdict(list)
        for requirement in assessment.deferred:
            start = requirement.standing.applies_from if requirement.standing else None
            by_date[start].append(requirement)
        milestones = tuple(
            Milestone(day, tuple(sorted(by_date[day], key=lambda r: clause_key(r.requirement.notation))))
            for day in sorted(by_date, key=lambda d: d or dt.date.max)
        )
        found.append(SystemTimeline(assessment, milestones))
    return found
