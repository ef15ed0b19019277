"""What the site pages read: the pipeline result seen through one audience, with indexes.

Everything audience-dependent is decided here, once: which evidence records may be shown (and
so their approvals, artefacts, hashes and files), and which texts of the status engine may be
shown as they are. A status reason names evidence titles and artefact paths, so it is shown only
when every evidence record bearing on that (system, control) pair is visible; otherwise a
neutral sentence stands in for it.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdflib import URIRef

from rai_graph.audience import Audience, AudienceView
from rai_graph.errors import InputError
from rai_graph.model import AISystem, Approval, Condition, Control, Evidence, Requirement, Waiver
from rai_graph.order import clause_key as natural_key
from rai_graph.pipeline import PipelineResult
from rai_graph.provenance import FileProvenance
from rai_graph.render.site._paths import SitePaths, local_name, slug
from rai_graph.render.words import COVERAGE_LABELS, STATUS_MARKS
from rai_graph.trace import (
    POSITIVE_DECISIONS,
    PairStatus,
    RequirementCoverage,
    SystemAssessment,
    evidence_date,
    last_valid_day,
)
from rai_graph.validate.artifacts import ArtifactCheck

STATUS_LABEL = {status: status for status in STATUS_MARKS}
COVERAGE_LABEL = COVERAGE_LABELS

# Artefact extensions a browser shows or downloads without running anything.
SAFE_ARTIFACT_EXTENSIONS = frozenset({
    ".pdf", ".md", ".txt", ".csv", ".tsv", ".json", ".jsonl", ".yaml", ".yml", ".toml", ".xlsx",
    ".xls", ".docx", ".doc", ".pptx", ".odt", ".ods", ".png", ".jpg", ".jpeg", ".gif", ".webp",
    ".zip", ".gz", ".ipynb", ".log", ".parquet",
})


@dataclass(frozen=True, slots=True)
class Section:
    """A column of the coverage heatmap: a top-level clause (or a group of flat clauses)."""

    key: str
    label: str
    title: str
    page: str | None


class SiteData:
    """The pipeline result as one audience may see it, with the lookups pages need."""

    def __init__(self, result: PipelineResult, audience: Audience) -> None:
        self.result = result
        self.audience = audience
        self.model = result.model
        self.assessment = result.assessment
        self.as_of: dt.date = result.assessment.as_of
        self.settings = result.repository.settings
        self.view = AudienceView(audience, self.model, result.validation.artifacts)
        self.visible: dict[URIRef, Evidence] = self.view.evidence
        self.paths = SitePaths(self.model, self.visible)
        self._descendants: dict[URIRef, list[Requirement]] = {}

        self.systems: list[SystemAssessment] = sorted(
            result.assessment.systems, key=lambda s: natural_key(s.system.name))
        self.judged = [s for s in self.systems if s.judged]
        self.pair_of: dict[tuple[URIRef | None, URIRef], PairStatus] = {}
        self.pairs_by_control: dict[URIRef, list[PairStatus]] = defaultdict(list)
        for assessment in self.systems:
            for pair in assessment.pairs:
                self.pair_of[(assessment.system.iri, pair.control.iri)] = pair
                self.pairs_by_control[pair.control.iri].append(pair)
        for pair in result.assessment.organisation:
            self.pair_of[(None, pair.control.iri)] = pair
        self.coverage: dict[URIRef, dict[URIRef, RequirementCoverage]] = {
            s.system.iri: {c.requirement.iri: c for c in s.requirements} for s in self.judged
        }
        self.deferred: dict[URIRef, dict[URIRef, RequirementCoverage]] = {
            s.system.iri: {c.requirement.iri: c for c in s.deferred} for s in self.judged
        }
        # Which systems have a clause covered or deferred: a clause page then looks at those
        # systems alone instead of asking every system about every clause.
        self.judged_on: dict[URIRef, set[URIRef]] = defaultdict(set)
        for system_iri, by_clause in (*self.coverage.items(), *self.deferred.items()):
            for clause in by_clause:
                self.judged_on[clause].add(system_iri)

        self.evidence_of_system: dict[URIRef | None, list[Evidence]] = defaultdict(list)
        for evidence in sorted(self.visible.values(), key=lambda e: natural_key(e.title)):
            for system in evidence.systems or (None,):
                self.evidence_of_system[system].append(evidence)

        self.children: dict[URIRef, list[Requirement]] = defaultdict(list)
        for requirement in self.model.requirements.values():
            if requirement.broader is not None and requirement.broader in self.model.requirements:
                self.children[requirement.broader].append(requirement)
        for siblings in self.children.values():
            siblings.sort(key=lambda r: natural_key(r.notation))
        self.satisfied_by: dict[URIRef, list[Control]] = defaultdict(list)
        for control in sorted(self.model.controls.values(), key=lambda c: natural_key(c.notation)):
            for satisfied in control.satisfies:
                self.satisfied_by[satisfied].append(control)
        self.waivers_of: dict[URIRef | None, list[Waiver]] = defaultdict(list)
        for waiver in self.model.waivers:
            self.waivers_of[waiver.system].append(waiver)

    # -- visibility -----------------------------------------------------------------------

    def reason(self, pair: PairStatus) -> str:
        return self.view.reason(pair)

    def describe(self, conditions: Sequence[Condition]) -> str:
        """Conditions in the engine's words."""
        law = self.assessment.law
        return law.describe(conditions) if law is not None else ""

    def notation(self, clause: URIRef) -> str:
        requirement = self.model.requirements.get(clause)
        return requirement.notation if requirement is not None else self.label(clause)

    def binds(self, control: Control, system: AISystem) -> bool:
        """The engine's rule: the control binds the system (tier, role, conditions)."""
        law = self.assessment.law
        return law is not None and law.control_binds(control, system)

    def file_hint(self, pair: PairStatus) -> str | None:
        return self.view.file_hint(pair)

    def visible_evidence(self, pair: PairStatus) -> list[Evidence]:
        """The evidence the status rests on that the audience may see."""
        return self.view.evidence_of(pair)[0]

    def errors(self) -> tuple[list[InputError], int]:
        """Input errors the audience may see, and how many others there are."""
        return self.view.errors(self.result.validation.errors)

    # -- evidence facts -------------------------------------------------------------------

    def generated(self, evidence: Evidence) -> dt.date | None:
        return evidence_date(evidence, self.result.provenance, self.settings)

    def last_valid_day(self, evidence: Evidence, control: Control | None) -> dt.date | None:
        """The last day the evidence counts for ``control`` (max age and valid-until), or None."""
        generated = self.generated(evidence)
        if control is None or generated is None:
            return evidence.valid_until
        return last_valid_day(evidence, generated, control)

    def artifact_check(self, evidence: Evidence) -> ArtifactCheck | None:
        """The artefact's check when this audience may see its path and hash, else None."""
        return self.view.names_artifact(evidence)

    def artifact_site_path(self, evidence: Evidence) -> str | None:
        """Where the artefact is copied in the site, when it may be shown and is intact."""
        check = self.view.releases(evidence)
        if check is None:
            return None
        name = posixpath.basename(check.path)
        stem, extension = posixpath.splitext(name)
        if extension.lower() in SAFE_ARTIFACT_EXTENSIONS:
            safe = slug(stem, 60) + extension.lower()
        else:  # served as text, so an HTML or SVG artefact can never run in the site's origin
            safe = slug(name, 60) + ".txt"
        folder = slug(next(iter(sorted(self.model.systems[s].name for s in evidence.systems
                                       if s in self.model.systems)), "_organisation"))
        anchor = self.paths.evidence_anchor[evidence.iri]
        return f"artifacts/{folder}/{anchor}/{safe}"

    def record_provenance(self, evidence: Evidence) -> FileProvenance | None:
        return self.result.provenance.of(evidence.origin.file)

    def artifact_provenance(self, evidence: Evidence) -> FileProvenance | None:
        check = self.artifact_check(evidence)
        return self.result.provenance.of(check.path) if check is not None else None

    def approvals(self, evidence: Evidence) -> list[Approval]:
        if evidence.iri not in self.visible:
            return []
        return sorted(self.model.approvals_of.get(evidence.iri, []),
                      key=lambda a: (a.date or dt.date.min, str(a.iri)))

    def positive_approvals(self, evidence: Evidence) -> list[Approval]:
        return [a for a in self.approvals(evidence)
                if a.decision in POSITIVE_DECISIONS and (a.date is None or a.date <= self.as_of)]

    def person(self, iri: URIRef | None) -> str:
        person = self.model.people.get(iri) if iri is not None else None
        return person.name if person else (local_name(iri) if iri is not None else "nobody")

    def label(self, iri: URIRef | None) -> str:
        return self.model.label(iri) if iri is not None else "—"

    def labels(self, iris: Iterable[URIRef], empty: str) -> str:
        names = sorted(self.label(i) for i in iris)
        return ", ".join(names) if names else empty

    # -- clauses --------------------------------------------------------------------------

    def ancestors(self, requirement: Requirement) -> list[Requirement]:
        """Broader clauses, nearest first (cycles are cut)."""
        chain: list[Requirement] = []
        seen = {requirement.iri}
        current = requirement
        while current.broader is not None and current.broader in self.model.requirements:
            if current.broader in seen:
                break
            current = self.model.requirements[current.broader]
            seen.add(current.iri)
            chain.append(current)
        return chain

    def descendants(self, requirement: Requirement) -> list[Requirement]:
        """Narrower clauses, depth first in notation order (computed once per clause)."""
        if requirement.iri not in self._descendants:
            self._descendants[requirement.iri] = self._walk_down(requirement)
        return self._descendants[requirement.iri]

    def _walk_down(self, requirement: Requirement) -> list[Requirement]:
        found: list[Requirement] = []
        stack = list(reversed(self.children.get(requirement.iri, [])))
        seen = {requirement.iri}
        while stack:
            child = stack.pop()
            if child.iri in seen:
                continue
            seen.add(child.iri)
            found.append(child)
            stack.extend(reversed(self.children.get(child.iri, [])))
        return found

    def top(self, requirement: Requirement) -> Requirement:
        chain = self.ancestors(requirement)
        return chain[-1] if chain else requirement

    def section(self, requirement: Requirement, flat: bool) -> Section:
        """The heatmap column of a clause: its top-level clause, or for a framework without a
        hierarchy the prefix of its notation (``GV-1.1-001`` → ``GV``)."""
        if flat:
            prefix = re.split(r"[-\s.]", requirement.notation, maxsplit=1)[0] or requirement.notation
            return Section(prefix, prefix, f"{prefix} actions", None)
        top = self.top(requirement)
        return Section(str(top.iri), top.notation, top.title or top.notation, self.paths.clause[top.iri])

    def is_flat(self, framework: URIRef) -> bool:
        return not any(r.broader is not None for r in self.model.requirements.values()
                       if r.framework == framework)

    def status_counts(self) -> Counter[str]:
        counts: Counter[str] = Counter(p.status for s in self.judged for p in s.pairs)
        counts.update(p.status for p in self.assessment.organisation)
        return counts

    def system(self, iri: URIRef | None) -> AISystem | None:
        return self.model.systems.get(iri) if iri is not None else None
