"""System pages (facts, status matrix, gaps, requirements, evidence, approvals, waivers, trace
graph), the systems index, and the organisation page (organisation-wide controls and evidence)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence

from rdflib import URIRef

from rai_graph.analysis.timeline import timeline as build_timeline
from rai_graph.audience import WITHHELD_ARTIFACT, withheld_phrase
from rai_graph.model import Evidence, Waiver
from rai_graph.order import clause_key as natural_key
from rai_graph.provenance import CommitInfo
from rai_graph.render.site import _html
from rai_graph.render.site._common import (
    ROWS_PER_PAGE,
    Pages,
    approval_text,
    badge,
    bar,
    clause_link,
    code,
    control_link,
    currency_text,
    day,
    external,
    facts,
    next_step,
    pair_badge,
    pair_evidence,
    pill,
    readiness_bar,
    system_link,
)
from rai_graph.render.site._data import SiteData
from rai_graph.render.site._frameworks import short_framework_name
from rai_graph.render.site._markdown import front_matter, heading, inline, link, mermaid_label, table
from rai_graph.render.site._paths import relative, slug
from rai_graph.trace import STATUS_ORDER, RequirementCoverage, SystemAssessment, organisation_controls_for

MERMAID_NODES = 160
"""Beyond this many nodes a trace graph is unreadable: approvals are left out, then evidence."""


def system_pages(data: SiteData) -> Pages:
    pages = _index(data)
    for assessment in data.systems:
        pages[data.paths.system[assessment.system.iri]] = _system_page(data, assessment)
    pages["organisation.md"] = _organisation_page(data)
    return pages


# -- index ------------------------------------------------------------------------------------


def _index(data: SiteData) -> Pages:
    by_tier: dict[str, list[SystemAssessment]] = defaultdict(list)
    for assessment in data.systems:
        by_tier[data.label(assessment.system.tier)].append(assessment)
    intro = [front_matter("Systems"), heading(1, "Systems"), "",
             inline(f"{len(data.systems)} AI systems ({len(data.judged)} judged) as of {data.as_of}."), ""]
    if len(data.systems) <= ROWS_PER_PAGE:
        rows = [_index_row(data, "systems/index.md", a) for a in _by_tier_then_name(data, data.systems)]
        return {"systems/index.md": "\n".join([*intro, table(_INDEX_HEADERS, rows, "lllllrr"), ""])}
    # Many systems: one list per tier, each paged.
    pages: Pages = {}
    summary = []
    for tier in sorted(by_tier):
        members = sorted(by_tier[tier], key=lambda a: natural_key(a.system.name))
        chunks = [members[i:i + ROWS_PER_PAGE] for i in range(0, len(members), ROWS_PER_PAGE)]
        names = [f"systems/tier-{slug(tier)}-{n}.md" for n in range(1, len(chunks) + 1)]
        judged = [a for a in members if a.judged]
        average = sum(a.readiness for a in judged) / len(judged) if judged else 1.0
        summary.append((inline(tier), str(len(members)), bar(average),
                        " · ".join(link(f"{(n - 1) * ROWS_PER_PAGE + 1}–{min(n * ROWS_PER_PAGE, len(members))}",
                                        relative("systems/index.md", name))
                                   for n, name in enumerate(names, start=1))))
        for number, (name, chunk) in enumerate(zip(names, chunks, strict=True), start=1):
            title = f"{tier} systems, page {number} of {len(chunks)}"
            pager = "Pages: " + " · ".join(f"**{n}**" if n == number else link(str(n), relative(name, other))
                                           for n, other in enumerate(names, start=1))
            pages[name] = "\n".join([
                front_matter(title), f"{link('Systems', relative(name, 'systems/index.md'))} › {inline(tier)}", "",
                heading(1, title), "", pager, "",
                table(_INDEX_HEADERS, [_index_row(data, name, a) for a in chunk], "lllllrr"), "", pager, "",
            ])
    pages["systems/index.md"] = "\n".join([
        *intro, "Systems are listed per risk tier, in pages of at most "
        f"{ROWS_PER_PAGE}.", "", table(["Tier", "Systems", "Average readiness", "Pages"], summary, "lrll"), "",
    ])
    return pages


_INDEX_HEADERS = ["System", "Name", "Tier", "Owner", "Lifecycle", "Readiness", "Gaps"]


def _by_tier_then_name(data: SiteData, systems: Sequence[SystemAssessment]) -> list[SystemAssessment]:
    return sorted(systems, key=lambda a: (data.label(a.system.tier), natural_key(a.system.name)))


def _index_row(data: SiteData, page: str, assessment: SystemAssessment) -> tuple[str, ...]:
    system = assessment.system
    gaps = sum(1 for p in assessment.pairs if p.is_gap)
    return (
        system_link(data, page, system.iri), inline(system.name), inline(data.label(system.tier)),
        inline(data.person(system.owner)), inline(data.label(system.lifecycle)),
        bar(assessment.readiness) if assessment.judged else "retired", str(gaps) if assessment.judged else "—",
    )


# -- one system -------------------------------------------------------------------------------


def _system_page(data: SiteData, assessment: SystemAssessment) -> str:
    system = assessment.system
    page = data.paths.system[system.iri]
    annex = sorted((data.model.requirements[a] for a in system.annex_areas if a in data.model.requirements),
                   key=lambda r: natural_key(r.notation))
    out = [
        front_matter(system.title),
        f"{link('Systems', relative(page, 'systems/index.md'))} › {inline(system.name)}", "",
        heading(1, system.title), "",
        facts([
            ("Name", inline(system.name)),
            ("Risk tier", inline(data.label(system.tier))),
            ("Operator roles", inline(data.labels(system.roles, "—"))),
            ("Annex III areas", ", ".join(clause_link(data, page, r, with_title=True) for r in annex)),
            ("Annex I products", ", ".join(clause_link(data, page, data.model.requirements[a], with_title=True)
                                           for a in sorted(system.annex_products, key=str)
                                           if a in data.model.requirements)),
            ("Functions", inline(data.labels(system.functions, ""))),
            ("Operator characteristics", inline(data.labels(system.characteristics, ""))),
            ("Placed on the market", inline(str(system.placed_on_market or ""))),
            ("Significant changes", inline(", ".join(str(d) for d in system.significant_changes))),
            ("Owner", inline(data.person(system.owner))),
            ("Lifecycle", inline(data.label(system.lifecycle))),
            ("Intended purpose", inline(system.intended_purpose or "")),
            ("Readiness", readiness_bar(assessment.readiness) if assessment.judged else "retired: not judged"),
            ("Defined in", inline(system.origin.file)),
        ]), "",
    ]
    if not assessment.judged:
        out += ["!!! note \"Retired\"", "", "    This system is retired: its controls are not judged.", ""]
    else:
        counts = Counter(p.status for p in assessment.pairs)
        records = len(data.evidence_of_system.get(system.iri, []))
        out += [inline(f"{len(assessment.pairs)} applicable controls as of {data.as_of}:") + " "
                + " · ".join(f"{badge(s)} {counts[s]}" for s in STATUS_ORDER if counts[s])
                + " " + inline(f"— {records} evidence record{'s' * (records != 1)} shown."), ""]
        out += _gaps(data, page, assessment)
        out += _matrix(data, page, assessment)
        out += _trace_graph(data, assessment)
        out += _requirements(data, page, assessment)
        out += _upcoming(data, page, assessment)
    out += _waivers(data, page, data.waivers_of.get(system.iri, []))
    out += _findings(data, page, system.iri)
    out += evidence_sections(data, page, data.evidence_of_system.get(system.iri, []))
    return "\n".join(out)


def _findings(data: SiteData, page: str, system: URIRef) -> list[str]:
    shown, withheld = data.view.findings(f for f in data.assessment.open_findings if system in f.systems)
    findings = sorted(shown, key=lambda f: (f.due or dt.date.max, f.title))
    if not findings:
        return [heading(2, "Open findings", "findings"), "",
                inline(f"Open findings: {withheld_phrase(withheld, data.audience)}."), ""] if withheld else []
    rows = []
    for finding in findings:
        concerns = []
        for iri in sorted(finding.concerns, key=str):
            if iri in data.model.controls:
                concerns.append(control_link(data, page, data.model.controls[iri]))
            elif iri in data.model.requirements:
                concerns.append(clause_link(data, page, data.model.requirements[iri]))
        due = inline(str(finding.due or "—")) + (" " + pill("overdue", "missing")
                                                 if finding.overdue_on(data.as_of) else "")
        rows.append((inline(("Incident: " if finding.incident else "") + finding.title),
                     inline(data.label(finding.severity)), ", ".join(concerns) or "—",
                     inline(data.person(finding.owner)), due, inline(finding.description or "")))
    note = [inline(f"{withheld} further open finding(s) not shown to this audience."), ""] if withheld else []
    return [heading(2, "Open findings", "findings"), "",
            table(["Finding", "Severity", "Concerns", "Owner", "Due", "Description"], rows), "", *note]


def _gaps(data: SiteData, page: str, assessment: SystemAssessment) -> list[str]:
    gaps = [p for p in assessment.pairs if p.is_gap]
    out = [heading(2, "Gaps and what to do next", "gaps"), ""]
    if not gaps:
        return [*out, inline(f"No gaps: every applicable control is met or waived as of {data.as_of}."), ""]
    rows = []
    for pair in sorted(gaps, key=lambda p: (-STATUS_ORDER.index(p.status), natural_key(p.control.notation))):
        hint = data.file_hint(pair)
        step = next_step(data, pair) + (f"<br>See {code(hint)}" if hint else "")
        rows.append((control_link(data, page, pair.control, with_title=True), badge(pair.status),
                     inline(data.reason(pair)), step))
    return [*out, table(["Control", "Status", "Why", "Next step"], rows), ""]


def _matrix(data: SiteData, page: str, assessment: SystemAssessment) -> list[str]:
    out = [heading(2, "Status matrix", "status"), ""]
    if not assessment.pairs:
        return [*out, "No control applies to this system's tier and roles.", ""]
    pairs = sorted(assessment.pairs, key=lambda p: natural_key(p.control.notation))
    rows = [(control_link(data, page, p.control), inline(p.control.title), pair_badge(p),
             pair_evidence(data, page, p)) for p in pairs]
    organisation = organisation_controls_for(data.assessment, assessment.system)
    out += [table(["Control", "Title", "Status", "Evidence — approval — currency"], rows), ""]
    if organisation:
        rows = [(control_link(data, page, p.control), inline(p.control.title), pair_badge(p),
                 pair_evidence(data, page, p)) for p in organisation]
        out += [heading(3, "Organisation-wide controls for this tier"), "",
                table(["Control", "Title", "Status", "Evidence — approval — currency"], rows), ""]
    return out


def _requirements(data: SiteData, page: str, assessment: SystemAssessment) -> list[str]:
    out = [heading(2, "Requirements", "requirements"), ""]
    system = assessment.system.iri
    if not assessment.requirements:
        return [*out, "No clause of an adopted framework applies to this system's tier and roles.", ""]
    by_framework: dict[str, list[RequirementCoverage]] = defaultdict(list)
    for coverage in assessment.requirements:
        by_framework[short_framework_name(data, coverage.requirement.framework)].append(coverage)
    out += ["Clauses that apply to this system's tier and roles: *covered* when every control "
            "satisfying them is met or waived, *unmapped* when no control satisfies them.", ""]
    summary = []
    for name in sorted(by_framework):
        items = by_framework[name]
        covered = sum(1 for c in items if c.covered)
        unmapped = sum(1 for c in items if c.unmapped)
        summary.append((inline(name), str(len(items)), str(covered), str(len(items) - covered - unmapped),
                        str(unmapped), bar(covered / len(items))))
    out += [table(["Framework", "Applicable", "Covered", "Not covered", "Unmapped", "Coverage"], summary,
                  "lrrrrl"), ""]
    for name in sorted(by_framework):
        items = sorted(by_framework[name], key=lambda c: natural_key(c.requirement.notation))
        out += [heading(3, name), ""]
        out += _not_covered(data, page, [c for c in items if c.state == "not"], system)
        out += _unmapped(data, page, [c for c in items if c.unmapped])
        closed = [c for c in items if c.covered]
        if closed:
            # Covered clauses as a list of links, not a table: a system may have hundreds.
            links = " · ".join(clause_link(data, page, c.requirement) for c in closed)
            out += [f'??? success "Covered ({len(closed)})"', "", f"    {links}", ""]
    return out


def _upcoming(data: SiteData, page: str, assessment: SystemAssessment) -> list[str]:
    """What binds when: the deferred obligations by the date they start to bind (never gaps)."""
    entries = build_timeline([assessment])
    if not entries or not entries[0].milestones:
        return []
    out = [heading(2, "What binds when", "upcoming"), "",
           inline(f"{entries[0].upcoming} obligations bind this system later. They are not gaps today; "
                  "*already covered* counts those whose controls are met or waived now."), ""]
    rows = []
    for milestone in entries[0].milestones:
        clauses = " · ".join(clause_link(data, page, r.requirement) for r in milestone.requirements)
        rows.append((inline(str(milestone.date) if milestone.date else "after a significant change"),
                     str(len(milestone.requirements)), str(milestone.covered),
                     inline("; ".join(milestone.reasons)), clauses))
    return [*out, table(["Binds from", "Obligations", "Already covered", "Why", "Clauses"], rows, "lrrll"), ""]


def _not_covered(data: SiteData, page: str, items: Sequence[RequirementCoverage], system: URIRef) -> list[str]:
    """Clauses not covered, grouped by the control that is not met: one row per thing to fix."""
    if not items:
        return []
    by_gap: dict[URIRef, list[RequirementCoverage]] = defaultdict(list)
    for coverage in items:
        for iri in coverage.controls:
            control = data.model.controls.get(iri)
            pair = data.pair_of.get((None if control is None or control.organisation_scope else system, iri))
            if pair is not None and pair.is_gap:
                by_gap[iri].append(coverage)
    rows = []
    for iri in sorted(by_gap, key=lambda i: natural_key(data.model.controls[i].notation)):
        control = data.model.controls[iri]
        pair = data.pair_of.get((None if control.organisation_scope else system, iri))
        clauses = " · ".join(clause_link(data, page, c.requirement) for c in by_gap[iri])
        rows.append((control_link(data, page, control, with_title=True), badge(pair.status) if pair else "",
                     clauses))
    return [inline(f"Not covered ({len(items)}), by the control that is not met:"), "",
            table(["Control", "Status", "Clauses it leaves uncovered"], rows), ""]


def _unmapped(data: SiteData, page: str, items: Sequence[RequirementCoverage]) -> list[str]:
    """Clauses no control satisfies, grouped by the organisation's justification."""
    if not items:
        return []
    by_reason: dict[str, list[RequirementCoverage]] = defaultdict(list)
    for coverage in items:
        reason = coverage.justification or data.model.justifications.get(coverage.requirement.iri)
        by_reason[reason or ""].append(coverage)
    rows = [(inline(reason) if reason else "*no justification recorded*",
             " · ".join(clause_link(data, page, c.requirement) for c in by_reason[reason]))
            for reason in sorted(by_reason)]
    return [inline(f"Unmapped ({len(items)}): no control of the organisation satisfies these clauses."), "",
            table(["Justification", "Clauses"], rows), ""]



def evidence_sections(data: SiteData, page: str, records: Sequence[Evidence]) -> list[str]:
    """The evidence table and one section per record (anchored, so other pages link to it)."""
    out = [heading(2, "Evidence", "evidence"), ""]
    if not records:
        return [*out, "No evidence record this audience may see.", ""]
    rows = []
    for evidence in records:
        check = data.artifact_check(evidence)
        state = ("hash verified" if check.ok else "artefact problem") if check is not None else (
            "" if evidence.artifact is None else WITHHELD_ARTIFACT)
        rows.append((
            link(evidence.title, "#" + data.paths.evidence_anchor[evidence.iri]),
            inline(data.label(evidence.evidence_type)),
            ", ".join(control_link(data, page, data.model.controls[c])
                      for c in sorted(evidence.controls, key=str) if c in data.model.controls),
            day(data.generated(evidence)),
            inline(data.label(evidence.confidentiality)), inline(state),
        ))
    out += [table(["Evidence", "Type", "Implements", "Dated", "Confidentiality", "Artefact"], rows), ""]
    for evidence in records:
        out += _evidence_detail(data, page, evidence)
    return out


def _evidence_detail(data: SiteData, page: str, evidence: Evidence) -> list[str]:
    anchor = data.paths.evidence_anchor[evidence.iri]
    controls = [data.model.controls[c] for c in sorted(evidence.controls, key=str) if c in data.model.controls]
    check = data.artifact_check(evidence)
    site_path = data.artifact_site_path(evidence)
    artefact = []
    if site_path is not None:
        artefact.append(_artifact_link(relative(page, site_path), check.path if check else ""))
    elif check is not None:
        artefact.append(inline(f"{check.path} ({check.detail})"))
    elif evidence.artifact is not None:
        artefact.append(inline(WITHHELD_ARTIFACT))
    if evidence.sha256 and (check is not None or evidence.artifact is None):
        verified = check is not None and check.ok
        artefact.append("SHA-256 " + code(evidence.sha256) + (" verified" if verified else " does not match the file"))
    if evidence.artifact_url:
        artefact.append(external(evidence.artifact_url, evidence.artifact_url))
    record = data.record_provenance(evidence)
    where = evidence.origin.file + (f":{evidence.origin.line}" if evidence.origin.line else "")
    provenance = [code(where)]
    if record is not None:
        provenance.append("added in " + _commit_text(record.added))
        if record.last_changed.sha != record.added.sha:
            provenance.append("last changed in " + _commit_text(record.last_changed))
    else:
        provenance.append("not committed")
    artefact_commit = data.artifact_provenance(evidence)
    if artefact_commit is not None:
        provenance.append("artefact last changed in " + _commit_text(artefact_commit.last_changed))
    implements = "<br>".join(f"{control_link(data, page, c, with_title=True)}: {currency_text(data, evidence, c)}"
                             for c in controls)
    described = inline(f"{data.label(evidence.evidence_type)}, dated {data.generated(evidence) or '—'} "
                       f"by {data.person(evidence.author)}; {data.label(evidence.confidentiality)}")
    systems = ", ".join(system_link(data, page, s) for s in sorted(evidence.systems, key=str))
    approvals = []
    for approval in data.approvals(evidence):
        text = approval_text(data, approval)
        conditions = approval.conditions
        approvals.append(text + (" " + inline(f"— conditions: {'; '.join(conditions)}") if conditions else ""))
    lines = [
        ("Evidence", described),
        ("Implements", implements),
        ("For", systems or "the whole organisation"),
        ("Valid until", inline(str(evidence.valid_until)) if evidence.valid_until else ""),
        ("Artefact", " · ".join(artefact)),
        ("Approvals", "<br>".join(approvals) or "none recorded"),
        ("Provenance", "<br>".join(provenance)),
    ]
    body = "\n".join(f'<span class="rg-field">{label}</span> {value}<br>' for label, value in lines if value)
    return ['<div class="rg-evidence" markdown>', "", heading(3, evidence.title, anchor), "", body, "", "</div>", ""]


def _artifact_link(href: str, name: str) -> str:
    return str(_html.macro("artifact", href, name.rsplit("/", 1)[-1]))


def _commit_text(commit: CommitInfo) -> str:
    return code(commit.sha[:10]) + " " + inline(f"by {commit.author} on {commit.date.date()}")


def _waivers(data: SiteData, page: str, waivers: Sequence[Waiver]) -> list[str]:
    if not waivers:
        return []
    rows = []
    for waiver in sorted(waivers, key=lambda w: (str(w.expires), str(w.iri))):
        control = data.model.controls.get(waiver.control) if waiver.control else None
        active = waiver.date is not None and waiver.expires is not None and waiver.date <= data.as_of <= waiver.expires
        rows.append((
            control_link(data, page, control) if control else "—",
            inline(f"{waiver.date or '—'} → {waiver.expires or '—'}"),
            "active" if active else "not active",
            inline(f"{data.person(waiver.approver)} ({data.label(waiver.role)})"),
            inline(waiver.rationale or ""),
            ", ".join(control_link(data, page, data.model.controls[c]) for c in sorted(waiver.compensating, key=str)
                      if c in data.model.controls) or "—",
        ))
    return [heading(2, "Waivers", "waivers"), "",
            table(["Control", "Period", "State", "Approved by", "Rationale", "Compensating controls"], rows), ""]


_MERMAID_CLASSES = {
    "met": "fill:#d1f2dc,stroke:#1e7e34,color:#0b3d18",
    "waived": "fill:#e2e3f8,stroke:#4b4fb8,color:#1d1f5c",
    "failing": "fill:#ffe1d3,stroke:#c0502b,color:#5a1c07",
    "unapproved": "fill:#fff0c2,stroke:#b98900,color:#4d3900",
    "expired": "fill:#ffd9c7,stroke:#c0502b,color:#5a1c07",
    "invalid": "fill:#f8d0d6,stroke:#b0223a,color:#520b17",
    "missing": "fill:#f8d0d6,stroke:#b0223a,color:#520b17",
    "system": "fill:#263572,stroke:#263572,color:#ffffff",
    "evidence": "fill:#ffffff,stroke:#6b7280,color:#111827",
    "approval": "fill:#eef6ff,stroke:#3b82f6,color:#0c2d5e",
}


def _trace_graph(data: SiteData, assessment: SystemAssessment) -> list[str]:
    """system → control (coloured by status) → evidence → approval, as a Mermaid flowchart."""
    pairs = sorted(assessment.pairs, key=lambda p: natural_key(p.control.notation))
    evidence = {e.iri: e for p in pairs for e in data.visible_evidence(p)}
    with_approvals = 1 + len(pairs) + len(evidence) + sum(len(data.approvals(e)) for e in evidence.values())
    show_approvals = with_approvals <= MERMAID_NODES
    show_evidence = 1 + len(pairs) + len(evidence) <= MERMAID_NODES
    ids: dict[object, str] = {}

    def node(key: object) -> str:
        if key not in ids:
            ids[key] = f"n{len(ids)}"
        return ids[key]

    lines = ["flowchart LR", f'    {node("system")}["{mermaid_label(assessment.system.title)}"]:::system']
    for pair in pairs:
        lines.append(f'    {node(pair.control.iri)}["{mermaid_label(pair.control.notation)}'
                     f'<br>{mermaid_label(pair.status)}"]:::{pair.status}')
        lines.append(f"    {node('system')} --> {node(pair.control.iri)}")
    if show_evidence:
        for iri, record in sorted(evidence.items(), key=lambda item: natural_key(item[1].title)):
            lines.append(f'    {node(iri)}["{mermaid_label(record.title, 40)}"]:::evidence')
            if show_approvals:
                for approval in data.approvals(record):
                    label = f"{data.label(approval.decision)}: {data.person(approval.approver)}"
                    lines.append(f'    {node(approval.iri)}(["{mermaid_label(label, 40)}"]):::approval')
                    lines.append(f"    {node(iri)} -.-> {node(approval.iri)}")
        for pair in pairs:
            for record in data.visible_evidence(pair):
                lines.append(f"    {node(pair.control.iri)} --> {node(record.iri)}")
    used = {line.rsplit(":::", 1)[-1] for line in lines if ":::" in line}
    lines += [f"    classDef {name} {style}" for name, style in _MERMAID_CLASSES.items() if name in used]
    note = ("Controls are coloured by status; evidence and approvals the audience may see hang off them."
            if show_evidence else "Too many records to draw: controls only.")
    return [heading(2, "Trace graph", "trace"), "", note, "", "```mermaid", *lines, "```", ""]


# -- organisation -----------------------------------------------------------------------------


def _organisation_page(data: SiteData) -> str:
    page = "organisation.md"
    out = [front_matter("Organisation"), heading(1, "Organisation-wide controls and evidence"), "",
           inline(f"Controls judged once for the whole organisation, as of {data.as_of}, and the "
                  "organisation's evidence, people and roles."), ""]
    pairs = data.assessment.organisation
    if pairs:
        rows = [(control_link(data, page, p.control), inline(p.control.title), badge(p.status),
                 inline(data.reason(p)), pair_evidence(data, page, p)) for p in pairs]
        out += [heading(2, "Controls", "controls"), "",
                table(["Control", "Title", "Status", "Why", "Evidence — approval — currency"], rows), ""]
    out += evidence_sections(data, page, data.evidence_of_system.get(None, []))
    people = sorted(data.model.people.values(), key=lambda p: natural_key(p.name))
    if people:
        people_rows = [(inline(p.name), inline(data.labels(p.roles, "—"))) for p in people]
        out += [heading(2, "People and roles", "people"), "", table(["Person", "Roles"], people_rows), ""]
    return "\n".join(out)

