"""The compliance delta between two evaluations of a repository (``rai-graph diff``).

Compares two pipeline results — typically a pull request's base and head — pair by pair:
(system, control) status transitions, requirement coverage per system, input errors added or
removed, readiness before and after. Pure: the caller loads both sides.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from rdflib import URIRef

from rai_graph.errors import InputError
from rai_graph.pipeline import PipelineResult
from rai_graph.trace import GAP_STATUSES, Coverage, PairStatus, Status

Direction = Literal["regression", "improvement", "change"]


@dataclass(frozen=True, slots=True)
class StatusChange:
    system: URIRef | None
    system_name: str | None
    control: URIRef
    notation: str
    title: str
    before: Status | None
    after: Status | None
    reason: str
    """Why the pair has its new status (or had its old one, when no longer applicable)."""
    file: str

    @property
    def direction(self) -> Direction:
        before_good = self.before is not None and self.before not in GAP_STATUSES
        after_good = self.after is not None and self.after not in GAP_STATUSES
        if self.after in GAP_STATUSES and (self.before is None or before_good):
            return "regression"
        if after_good and (self.before is None or self.before in GAP_STATUSES):
            return "improvement"
        return "change"


@dataclass(frozen=True, slots=True)
class RequirementChange:
    system: URIRef
    system_name: str
    requirement: URIRef
    notation: str
    before: Coverage | None
    after: Coverage | None


@dataclass(frozen=True, slots=True)
class ReadinessChange:
    system: URIRef
    system_name: str
    before: float | None
    after: float | None


@dataclass(slots=True)
class Delta:
    base: str
    head: str
    changes: list[StatusChange] = field(default_factory=list)
    requirements: list[RequirementChange] = field(default_factory=list)
    readiness: list[ReadinessChange] = field(default_factory=list)
    errors_added: list[InputError] = field(default_factory=list)
    errors_removed: list[InputError] = field(default_factory=list)

    def of(self, direction: Direction) -> list[StatusChange]:
        return [change for change in self.changes if change.direction == direction]


PairKey = tuple[URIRef | None, URIRef]


def compare(base: PipelineResult, head: PipelineResult) -> Delta:
    """What changed from ``base`` to ``head``."""
    delta = Delta(base.repository.tree.label, head.repository.tree.label)
    before, after = _pairs(base), _pairs(head)
    names = {**_system_names(base), **_system_names(head)}
    for key in sorted(before.keys() | after.keys(), key=lambda k: (str(k[0]), str(k[1]))):
        old, new = before.get(key), after.get(key)
        if (old.status if old else None) == (new.status if new else None):
            continue
        shown = new or old
        assert shown is not None
        delta.changes.append(StatusChange(
            key[0], names.get(key[0]) if key[0] else None, key[1], shown.control.notation,
            shown.control.title, old.status if old else None, new.status if new else None,
            shown.reason, shown.file,
        ))
    delta.requirements = _requirement_changes(base, head, names)
    delta.readiness = _readiness_changes(base, head, names)
    delta.errors_added, delta.errors_removed = _error_changes(
        base.validation.errors, head.validation.errors
    )
    return delta


def _pairs(result: PipelineResult) -> dict[PairKey, PairStatus]:
    pairs: dict[PairKey, PairStatus] = {}
    for system in result.assessment.systems:
        for pair in system.pairs:
            pairs[(system.system.iri, pair.control.iri)] = pair
    for pair in result.assessment.organisation:
        pairs[(None, pair.control.iri)] = pair
    return pairs


def _system_names(result: PipelineResult) -> dict[URIRef | None, str]:
    return {s.system.iri: s.system.name for s in result.assessment.systems}


def _coverage(result: PipelineResult) -> dict[tuple[URIRef, URIRef], tuple[Coverage, str]]:
    return {
        (s.system.iri, c.requirement.iri): (c.state, c.requirement.notation)
        for s in result.assessment.systems for c in s.requirements
    }


def _requirement_changes(
    base: PipelineResult, head: PipelineResult, names: dict[URIRef | None, str]
) -> list[RequirementChange]:
    before, after = _coverage(base), _coverage(head)
    changes = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (str(k[0]), str(k[1]))):
        old, new = before.get(key), after.get(key)
        if (old[0] if old else None) == (new[0] if new else None):
            continue
        notation = (new or old or (None, ""))[1]
        changes.append(RequirementChange(
            key[0], names.get(key[0], str(key[0])), key[1], notation,
            old[0] if old else None, new[0] if new else None,
        ))
    return changes


def _readiness_changes(
    base: PipelineResult, head: PipelineResult, names: dict[URIRef | None, str]
) -> list[ReadinessChange]:
    before = {s.system.iri: s.readiness for s in base.assessment.systems if s.judged}
    after = {s.system.iri: s.readiness for s in head.assessment.systems if s.judged}
    return [
        ReadinessChange(iri, names.get(iri, str(iri)), before.get(iri), after.get(iri))
        for iri in sorted(before.keys() | after.keys(), key=str)
        if before.get(iri) != after.get(iri)
    ]


def _error_key(error: InputError) -> tuple[str, str, str]:
    # Line numbers move when a file is edited; an error is the same error without them.
    return (error.file, error.kind, error.message)


def _error_changes(
    before: list[InputError], after: list[InputError]
) -> tuple[list[InputError], list[InputError]]:
    old, new = Counter(map(_error_key, before)), Counter(map(_error_key, after))
    return _take(after, new - old), _take(before, old - new)


def _take(errors: list[InputError], budget: Counter[tuple[str, str, str]]) -> list[InputError]:
    taken = []
    for error in errors:
        if budget[_error_key(error)] > 0:
            budget[_error_key(error)] -= 1
            taken.append(error)
    return taken
