"""Applicability in law: whether a requirement or a control binds a system, and from when.

Implements ``data-model.md`` "Extension: applicability in law". A requirement *applies* to a
system as of a date when its tier, role and conditions hold, its date of application for that
system has come, and no transitional provision suspends it; it is *deferred* when tier, role and
conditions hold but the date has not come or a transition suspends it; otherwise it is *not
applicable*. Each judgement carries the reason in words a compliance lead reads and the source of
the date, so every output shows the same answer for the same reason.

The order of the tests is the order of the law: informative clauses bind no one; then risk tier,
operator role and conditions (``rai:appliesWhen``) decide *whether*; then the date of application
for the system's route (``rai:application``) and Art. 111(2) (``rai:transitional``) decide *when*.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rdflib import URIRef

from rai_graph.model import AISystem, Application, Condition, Control, RepositoryModel, Requirement

Standing = Literal["applies", "deferred", "not-applicable"]
Basis = Literal["in force", "informative", "tier", "role", "condition", "date", "transition"]
"""What decided the standing: for ``applies`` always ``in force`` or ``transition`` (a transition
that has ended); for the others the test that failed or postponed it."""


@dataclass(frozen=True, slots=True)
class Applicability:
    """The judgement on one requirement for one system as of a date."""

    requirement: Requirement
    standing: Standing
    basis: Basis
    reason: str
    """Why, e.g. 'Annex III route: from 2027-12-02 (Art. 113 as amended by 2026/1744)'."""
    applies_from: dt.date | None = None
    """Applies: the date it started to bind (None: no date recorded). Deferred: the date it will
    bind, or None when only a significant change in the system's design would bind it."""
    source: str | None = None
    """The act and article that set the date, when the catalogue records it."""
    to_be_verified: bool = False
    """The date or condition rests on secondary sources (not yet checked against the OJ)."""

    @property
    def applies(self) -> bool:
        return self.standing == "applies"

    @property
    def deferred(self) -> bool:
        return self.standing == "deferred"


class Law:
    """The applicability rules for one model and one date, with the label lookups they need."""

    def __init__(self, model: RepositoryModel, as_of: dt.date) -> None:
        self.model = model
        self.as_of = as_of

    # -- conditions ---------------------------------------------------------------------------

    def within(self, clause: URIRef, scopes: frozenset[URIRef]) -> bool:
        """``clause`` is one of ``scopes`` or lies below one of them (``skos:broader``)."""
        seen: set[URIRef] = set()
        current: URIRef | None = clause
        while current is not None and current not in seen:
            if current in scopes:
                return True
            seen.add(current)
            requirement = self.model.requirements.get(current)
            current = requirement.broader if requirement is not None else None
        return False

    def condition_holds(self, condition: Condition, system: AISystem) -> bool:
        return (
            (not condition.annex_areas
             or any(self.within(area, condition.annex_areas) for area in system.annex_areas))
            and (not condition.annex_products
                 or any(self.within(item, condition.annex_products) for item in system.annex_products))
            and (not condition.functions or bool(condition.functions & system.functions))
            and (not condition.characteristics or bool(condition.characteristics & system.characteristics))
            and (not condition.routes or bool(condition.routes & system.routes))
        )

    def conditions_hold(self, conditions: Iterable[Condition], system: AISystem) -> bool:
        """No conditions, or any one of them holds."""
        listed = tuple(conditions)
        return not listed or any(self.condition_holds(c, system) for c in listed)

    def control_binds(self, control: Control, system: AISystem) -> bool:
        """The control is required for the system's tier, one of its roles (if role-specific) and
        its conditions (``rai:appliesWhen``, if any) hold. Scope aside: an organisation-scope
        control that binds a system is judged once, against organisation evidence."""
        return (
            system.tier in control.tiers
            and (not control.roles or bool(control.roles & system.roles))
            and self.conditions_hold(control.conditions, system)
        )

    # -- requirements -------------------------------------------------------------------------

    def judge(self, requirement: Requirement, system: AISystem) -> Applicability:
        """Whether ``requirement`` binds ``system`` as of the date, and why (see module doc)."""
        if requirement.informative:
            return Applicability(requirement, "not-applicable", "informative",
                                 "informative: it puts no duty on an operator")
        if requirement.tiers and system.tier not in requirement.tiers:
            return Applicability(
                requirement, "not-applicable", "tier",
                f"applies to {self.labels(requirement.tiers)} systems; this one is {self.label(system.tier)}")
        if requirement.roles and not requirement.roles & system.roles:
            return Applicability(
                requirement, "not-applicable", "role",
                f"binds the {self.labels(requirement.roles)}; the organisation is "
                f"{self.labels(system.roles) or 'in no operator role'} for this system")
        if not self.conditions_hold(requirement.conditions, system):
            return Applicability(requirement, "not-applicable", "condition",
                                 "only where " + self.describe(requirement.conditions))
        return self._when(requirement, system)

    def _when(self, requirement: Requirement, system: AISystem) -> Applicability:
        application = self.application_for(requirement, system)
        start = application.applies_from if application else requirement.applies_from
        source = application.source if application else None
        verify = bool(application and application.to_be_verified) or requirement.to_be_verified
        dated = self._date_reason(application, start, source)
        transition = self.model.requirements.get(requirement.transitional) if requirement.transitional else None
        placed = system.placed_on_market
        if transition is not None and start is not None and placed is not None and placed < start:
            return self._in_service(requirement, system, transition, start, verify)
        if start is None or start <= self.as_of:
            reason = f"in force since {start}" + (f" ({source})" if source else "") if start else "in force"
            return Applicability(requirement, "applies", "in force", reason, start, source, verify)
        return Applicability(requirement, "deferred", "date", dated, start, source, verify)

    def _in_service(
        self, requirement: Requirement, system: AISystem, transition: Requirement, start: dt.date, verify: bool,
    ) -> Applicability:
        """Art. 111(2): a system in service before the obligation's date is bound only after a
        significant change in its design on or after that date, or by a deadline its conditions
        set (public authorities)."""
        notation = transition.notation
        since = f"in service since {system.placed_on_market}"
        change = next((c for c in system.significant_changes if c >= start), None)
        deadline = next((end for end in transition.transition_ends
                         if self.conditions_hold(end.conditions, system)), None)
        candidates: list[tuple[dt.date, str, str | None]] = []
        if change is not None:
            candidates.append((change, f"{since}; significant change on {change}: bound from that date "
                                       f"({notation})", None))
        if deadline is not None:
            who = self.describe(deadline.conditions, plain=True)
            candidates.append((max(deadline.applies_from, start),
                               f"{since}; {who}: bound from {deadline.applies_from} "
                               f"({deadline.source or notation})", deadline.source))
        if not candidates:
            return Applicability(requirement, "deferred", "transition",
                                 f"{since}: bound only after a significant change ({notation})",
                                 None, notation, verify)
        binds_from, reason, source = min(candidates, key=lambda c: c[0])
        standing: Standing = "applies" if binds_from <= self.as_of else "deferred"
        return Applicability(requirement, standing, "transition", reason, binds_from, source or notation,
                             verify or bool(deadline and deadline.to_be_verified))

    def application_for(self, requirement: Requirement, system: AISystem) -> Application | None:
        """The most specific ``rai:application`` node matching the system (ties: the earliest
        date), or None to use the requirement's own ``rai:appliesFrom``."""
        matching = [a for a in requirement.applications if self._matches(a, system)]
        if not matching:
            return None
        return max(matching, key=lambda a: (a.specificity, -a.applies_from.toordinal()))

    def _matches(self, application: Application, system: AISystem) -> bool:
        if application.route is not None and application.route not in system.routes:
            return False
        if application.placed_before is not None and (
                system.placed_on_market is None or system.placed_on_market >= application.placed_before):
            return False
        return self.conditions_hold(application.conditions, system)

    def _date_reason(self, application: Application | None, start: dt.date | None, source: str | None) -> str:
        where = f" ({source})" if source else ""
        if application is None or application.specificity == 0:
            return f"from {start}{where}"
        parts = []
        if application.route is not None:
            parts.append(self.label(application.route))
        if application.placed_before is not None:
            parts.append(f"placed on the market before {application.placed_before}")
        if application.conditions:
            parts.append(self.describe(application.conditions, plain=True))
        return f"{', '.join(parts)}: from {start}{where}"

    # -- words --------------------------------------------------------------------------------

    def describe(self, conditions: Iterable[Condition], plain: bool = False) -> str:
        """Conditions in words: 'the operator is a Public authority, on the Annex III route; or …'."""
        phrases = []
        for condition in conditions:
            parts = []
            if condition.characteristics:
                parts.append(("" if plain else "the operator is ") + self.labels(condition.characteristics, "or"))
            if condition.functions:
                parts.append(("" if plain else "the system: ") + self.labels(condition.functions, "or"))
            if condition.annex_areas:
                parts.append("Annex III area " + self.notations(condition.annex_areas))
            if condition.annex_products:
                parts.append("Annex I product " + self.notations(condition.annex_products))
            if condition.routes:
                parts.append("on the " + self.labels(condition.routes, "or"))
            phrases.append(", ".join(parts) or "always")
        return "; or ".join(phrases)

    def label(self, node: URIRef | None) -> str:
        return self.model.label(node)

    def labels(self, nodes: Iterable[URIRef], joiner: str = "and") -> str:
        names = sorted(self.model.label(n) for n in nodes)
        if len(names) <= 1:
            return "".join(names)
        return f"{', '.join(names[:-1])} {joiner} {names[-1]}"

    def notations(self, clauses: Iterable[URIRef]) -> str:
        names = sorted((self.model.requirements[c].notation if c in self.model.requirements
                        else self.model.label(c)) for c in clauses)
        return " or ".join(names)

