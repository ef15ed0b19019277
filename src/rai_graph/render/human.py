"""Human-readable summaries of ``check`` and ``status``: plain text and Markdown.

Text from repository files is untrusted: Markdown output escapes it so a title cannot inject
links, HTML or table breaks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence

from rai_graph.errors import InputError
from rai_graph.model import RepositoryModel
from rai_graph.order import clause_key
from rai_graph.render.words import STATUS_MARKS, UNDATED, percent
from rai_graph.trace import STATUS_ORDER, Assessment, PairStatus, RequirementCoverage, SystemAssessment


def check_text(
    assessment: Assessment, errors: Sequence[InputError], systems: Sequence[SystemAssessment],
    model: RepositoryModel,
) -> str:
    """What ``check`` prints: errors, then per system its tier, readiness and every gap."""
    lines = [f"rai-graph check as of {assessment.as_of}", ""]
    if errors:
        lines.append(f"Input errors ({len(errors)}):")
        lines.extend(f"  {error}" for error in errors)
        lines.append("")
    for system in systems:
        lines.extend(_system_gaps(system, model))
    org_gaps = [p for p in assessment.organisation if p.is_gap]
    if assessment.organisation:
        lines.append(f"Organisation-wide controls: {len(assessment.organisation) - len(org_gaps)}"
                     f" of {len(assessment.organisation)} met or waived")
        lines.extend(_gap_lines(org_gaps))
        lines.append("")
    overdue = assessment.overdue_findings()
    if overdue:
        lines.append(f"Warning: {len(overdue)} finding(s) past due:")
        for finding in overdue:
            where = finding.origin.file + (f":{finding.origin.line}" if finding.origin.line else "")
            lines.append(f"  ! {finding.title} ({model.label(finding.severity)}), due {finding.due}, "
                         f"owner {model.label(finding.owner)} — {where}")
        lines.append("")
    lines.append(_summary(assessment, errors, systems))
    return "\n".join(lines) + "\n"


def _system_gaps(assessment: SystemAssessment, model: RepositoryModel) -> list[str]:
    system = assessment.system
    if not assessment.judged:
        return [f"{system.name} — {system.title}: retired, not judged", ""]
    gaps = [p for p in assessment.pairs if p.is_gap]
    header = (f"{system.name} — {system.title} ({model.label(system.tier)}): readiness "
              f"{percent(assessment.readiness)}, {len(assessment.pairs) - len(gaps)} of "
              f"{len(assessment.pairs)} controls met or waived")
    return [header, *_gap_lines(gaps), ""]


def _gap_lines(gaps: Sequence[PairStatus]) -> list[str]:
    lines = []
    for pair in gaps:
        lines.append(f"  {STATUS_MARKS[pair.status]} {pair.control.notation} {pair.control.title}: "
                     f"{pair.status} — {pair.reason}")
        where = pair.file if pair.line is None else f"{pair.file}:{pair.line}"
        lines.append(f"      see {where}")
    return lines


def _summary(
    assessment: Assessment, errors: Sequence[InputError], systems: Sequence[SystemAssessment]
) -> str:
    counts = Counter(p.status for s in systems for p in s.pairs)
    counts.update(p.status for p in assessment.organisation)
    parts = [f"{counts[s]} {s}" for s in STATUS_ORDER if counts[s]]
    judged = sum(1 for s in systems if s.judged)
    return (f"Summary: {judged} system{'s' * (judged != 1)} judged; {sum(counts.values())} controls: "
            f"{', '.join(parts) or 'none'}; {len(errors)} input error(s)")


def status_text(
    assessment: Assessment, errors: Sequence[InputError], systems: Sequence[SystemAssessment],
    model: RepositoryModel,
) -> str:
    """Every control of every system with its status, one line each."""
    lines = [f"rai-graph status as of {assessment.as_of}", ""]
    for system_assessment in systems:
        system = system_assessment.system
        if not system_assessment.judged:
            lines += [f"{system.name} — {system.title}: retired, not judged", ""]
            continue
        lines.append(f"{system.name} — {system.title} ({model.label(system.tier)}): readiness "
                     f"{percent(system_assessment.readiness)}")
        width = max((len(p.control.notation) for p in system_assessment.pairs), default=0)
        for pair in system_assessment.pairs:
            lines.append(f"  {pair.control.notation:<{width}}  {pair.status:<10}  {pair.reason}")
        covered = sum(1 for r in system_assessment.requirements if r.covered)
        unmapped = sum(1 for r in system_assessment.requirements if r.unmapped)
        justified = sum(1 for r in system_assessment.requirements if r.justification)
        lines.append(f"  requirements: {covered} covered, "
                     f"{len(system_assessment.requirements) - covered - unmapped} not covered, "
                     f"{unmapped} unmapped ({justified} with a justification) "
                     f"of {len(system_assessment.requirements)} applicable")
        if system_assessment.deferred:
            lines.append(f"  upcoming: {upcoming_summary(system_assessment)}")
        lines.append("")
    if assessment.organisation:
        lines.append("Organisation-wide controls")
        for pair in assessment.organisation:
            lines.append(f"  {pair.control.notation}  {pair.status:<10}  {pair.reason}")
        lines.append("")
    if errors:
        lines.append(f"Input errors ({len(errors)}):")
        lines.extend(f"  {error}" for error in errors)
    return "\n".join(lines) + "\n"


def status_markdown(
    assessment: Assessment, errors: Sequence[InputError], systems: Sequence[SystemAssessment],
    model: RepositoryModel,
) -> str:
    """A Markdown status page: a summary table, then one table of controls per system."""
    out = [f"# Compliance status as of {assessment.as_of}", "",
           "| System | Tier | Readiness | Gaps |", "|---|---|---:|---:|"]
    for s in systems:
        readiness = percent(s.readiness) if s.judged else "retired"
        gaps = sum(1 for p in s.pairs if p.is_gap)
        out.append(f"| {md(s.system.title)} (`{md(s.system.name)}`) | "
                   f"{md(model.label(s.system.tier))} | {readiness} | {gaps} |")
    out.append("")
    for s in systems:
        if not s.judged:
            continue
        out += [f"## {md(s.system.title)}", "", "| Control | Title | Status | Why |",
                "|---|---|---|---|"]
        out += [_pair_row(p) for p in s.pairs]
        out.append("")
        if s.deferred:
            out += [f"### Upcoming obligations ({len(s.deferred)})", "", md(upcoming_summary(s)) + ".", "",
                    "| Requirement | Binds from | Why | Covered today |", "|---|---|---|---|"]
            out += [f"| {md(c.requirement.notation)} | {upcoming_date(c)} | "
                    f"{md(c.standing.reason if c.standing else '')} | {_COVERAGE_WORD[c.state]} |"
                    for c in sorted(s.deferred, key=upcoming_order)]
            out.append("")
    if assessment.organisation:
        out += ["## Organisation-wide controls", "", "| Control | Title | Status | Why |",
                "|---|---|---|---|"]
        out += [_pair_row(p) for p in assessment.organisation]
        out.append("")
    if errors:
        out += [f"## Input errors ({len(errors)})", ""]
        out += [f"- {md(str(e))}" for e in errors]
        out.append("")
    return "\n".join(out)


_COVERAGE_WORD = {"covered": "yes", "not": "no", "unmapped": "no control mapped"}


def upcoming_date(coverage: RequirementCoverage) -> str:
    """When a deferred requirement starts to bind, in words."""
    start = coverage.standing.applies_from if coverage.standing else None
    return str(start) if start else UNDATED


def upcoming_order(coverage: RequirementCoverage) -> tuple[dt.date, tuple[object, ...]]:
    """Deferred requirements by the date they bind (open-ended last), then clause order."""
    start = coverage.standing.applies_from if coverage.standing else None
    return (start or dt.date.max, clause_key(coverage.requirement.notation))


def upcoming_summary(assessment: SystemAssessment) -> str:
    """'12 requirements bind later: 9 from 2027-12-02, 3 after a significant change; 4 already covered'."""
    groups = Counter(upcoming_date(c) for c in assessment.deferred)
    ordered = sorted(groups, key=lambda d: (d == UNDATED, d))
    covered = sum(1 for c in assessment.deferred if c.covered)
    parts = ", ".join(f"{groups[d]} {'from ' + d if d[0].isdigit() else d}" for d in ordered)
    count = len(assessment.deferred)
    return f"{count} requirement{'s' * (count != 1)} bind later: {parts}; {covered} already covered"


def _pair_row(pair: PairStatus) -> str:
    return (f"| {md(pair.control.notation)} | {md(pair.control.title)} | "
            f"{STATUS_MARKS[pair.status]} {pair.status} | {md(pair.reason)} |")


# Inline Markdown only: these never start a line here, so list/heading markers need no escape.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>~&])")


def md(text: str) -> str:
    """Escape ``text`` for Markdown inline content (also inside table cells)."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))
