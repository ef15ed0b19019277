"""Framework pages (one per framework, with its tree) and clause pages (one per clause)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import SKOS

from rai_graph.model import Control, Framework, Requirement
from rai_graph.order import clause_key as natural_key
from rai_graph.render.site._common import (
    LIST_SYSTEMS_UP_TO,
    Pages,
    badge,
    clause_link,
    clause_summary,
    control_link,
    coverage_badge,
    external,
    facts,
    pair_evidence,
    pill,
    system_link,
)
from rai_graph.render.site._data import SiteData
from rai_graph.render.site._markdown import block, front_matter, heading, inline, link, table
from rai_graph.render.site._paths import relative

TREE_ROWS = 500
"""A framework page shows its tree as deep as it can within this many entries."""

_MATCHES = {
    SKOS.exactMatch: "exact match",
    SKOS.closeMatch: "close match",
    SKOS.relatedMatch: "related match",
    SKOS.broadMatch: "broader match",
    SKOS.narrowMatch: "narrower match",
}

@dataclass(frozen=True, slots=True)
class Match:
    other: URIRef
    relation: str
    curated: bool
    rationale: str | None


def framework_pages(data: SiteData) -> Pages:
    pages: Pages = {"frameworks/index.md": _overview(data)}
    crosswalk = _crosswalk_index(data)
    for framework in sorted(data.model.frameworks.values(), key=lambda f: f.notation):
        pages[data.paths.framework[framework.iri]] = _framework_page(data, framework)
    for requirement in data.model.requirements.values():
        pages[data.paths.clause[requirement.iri]] = _clause_page(data, requirement, crosswalk)
    return pages


def framework_name(data: SiteData, iri: URIRef | None) -> str:
    framework = data.model.frameworks.get(iri) if iri is not None else None
    return framework.title if framework else "Other clauses"


def short_framework_name(data: SiteData, iri: URIRef | None) -> str:
    """A short display name: the framework's notation in capitals-and-spaces (``EU AI Act``)."""
    framework = data.model.frameworks.get(iri) if iri is not None else None
    if framework is None:
        return "Other"
    known = {"eu-ai-act": "EU AI Act", "nist-ai-rmf": "NIST AI RMF", "nist-ai-600-1": "NIST AI 600-1",
             "iso-42001": "ISO/IEC 42001"}
    return known.get(framework.notation, framework.notation)


def _overview(data: SiteData) -> str:
    page = "frameworks/index.md"
    mapped = {r for c in data.model.controls.values() for r in c.satisfies}
    rows = []
    for framework in sorted(data.model.frameworks.values(), key=lambda f: f.notation):
        clauses = [r for r in data.model.requirements.values() if r.framework == framework.iri]
        duties = [r for r in clauses if not r.informative]
        rows.append((
            link(short_framework_name(data, framework.iri), relative(page, data.paths.framework[framework.iri])),
            inline(framework.title),
            str(len(clauses)), str(len(duties)), str(sum(1 for r in clauses if r.iri in mapped)),
        ))
    return "\n".join([
        front_matter("Frameworks"), heading(1, "Frameworks"), "",
        "The regulations and standards in the repository's catalogues. *Obligations* are the "
        "clauses that put a duty on someone; the others are headings, definitions or list items "
        "whose duty lies with the enclosing clause. *Mapped* counts clauses that at least one "
        "control names directly.", "",
        table(["Framework", "Title", "Clauses", "Obligations", "Mapped"], rows, "llrrr"), "",
    ])


def _framework_page(data: SiteData, framework: Framework) -> str:
    page = data.paths.framework[framework.iri]
    clauses = [r for r in data.model.requirements.values() if r.framework == framework.iri]
    version = framework.version
    source = framework.source
    name = short_framework_name(data, framework.iri)
    out = [
        front_matter(name),
        f"{link('Frameworks', relative(page, 'frameworks/index.md'))} › {inline(name)}", "",
        heading(1, framework.title), "",
        facts([
            ("Identifier", inline(framework.notation)),
            ("Version", inline(version) if version else ""),
            ("Source", external(source, source) if source else ""),
            ("Clauses", f"{len(clauses)} ({sum(1 for r in clauses if not r.informative)} obligations)"),
        ]), "",
    ]
    if data.is_flat(framework.iri):
        groups: dict[str, list[Requirement]] = defaultdict(list)
        for requirement in clauses:
            groups[data.section(requirement, flat=True).label].append(requirement)
        for label in sorted(groups, key=natural_key):
            out += [heading(2, label), ""]
            out += [_tree_line(data, page, r, 0) for r in sorted(groups[label], key=lambda r: natural_key(r.notation))]
            out.append("")
        return "\n".join(out)
    tops = sorted((r for r in clauses if r.broader is None or r.broader not in data.model.requirements),
                  key=lambda r: natural_key(r.notation))
    depth = _tree_depth(data, tops)
    out += [heading(2, "Clauses"), ""]
    if depth < 9:
        out += ["Deeper clauses are listed on each clause's page.", ""]
    for top in tops:
        out += _tree(data, page, top, 0, depth)
    out.append("")
    return "\n".join(out)


def _tree_depth(data: SiteData, tops: list[Requirement]) -> int:
    """The deepest level whose tree stays within :data:`TREE_ROWS` entries (at least 0)."""
    level, count, frontier = 0, len(tops), tops
    while frontier:
        following = [c for r in frontier for c in data.children.get(r.iri, [])]
        if not following or count + len(following) > TREE_ROWS:
            return level if following else 9
        count += len(following)
        level += 1
        frontier = following
    return 9


def _tree(data: SiteData, page: str, requirement: Requirement, level: int, depth: int) -> list[str]:
    lines = [_tree_line(data, page, requirement, level)]
    if level < depth:
        for child in data.children.get(requirement.iri, []):
            lines += _tree(data, page, child, level + 1, depth)
    return lines


def _tree_line(data: SiteData, page: str, requirement: Requirement, level: int) -> str:
    summary = clause_summary(requirement, 90)
    controls = {c.iri for r in (requirement, *data.descendants(requirement)) for c in data.satisfied_by.get(r.iri, [])}
    count = len(controls)
    extra = f" {pill(f'{count} control' + 's' * (count != 1), 'met')}" if count else ""
    text = f" — {inline(summary)}" if summary else ""
    return f"{'    ' * level}- {clause_link(data, page, requirement)}{text}{extra}"


# -- clause page ------------------------------------------------------------------------------


def _clause_page(data: SiteData, requirement: Requirement, crosswalk: dict[URIRef, list[Match]]) -> str:
    page = data.paths.clause[requirement.iri]
    ancestors = data.ancestors(requirement)
    framework = short_framework_name(data, requirement.framework)
    crumbs = [link("Frameworks", relative(page, "frameworks/index.md"))]
    framework_page = data.paths.framework.get(requirement.framework) if requirement.framework else None
    if framework_page is not None:
        crumbs.append(link(framework, relative(page, framework_page)))
    crumbs += [clause_link(data, page, a) for a in reversed(ancestors)]
    crumbs.append(inline(requirement.notation))
    title = requirement.notation + (f" — {requirement.title}" if requirement.title else "")
    out = [front_matter(f"{requirement.notation} · {framework}"), " › ".join(crumbs), "",
           heading(1, title), ""]
    if requirement.text:
        out += ['!!! quote "Official text"', "", _indent(block(requirement.text)), ""]
    out += [_clause_facts(data, requirement, ancestors), ""]
    children = data.children.get(requirement.iri, [])
    if children:
        out += [heading(2, "Sub-clauses"), ""]
        for child in children:
            out += _tree(data, page, child, 0, 9)
        out.append("")
    # The answer to "which evidence proves this clause for system X" comes first.
    out += _systems_section(data, page, requirement, ancestors)
    out += _controls_section(data, page, requirement, ancestors)
    out += _crosswalk_section(data, page, requirement, crosswalk.get(requirement.iri, []))
    out += _guidance(data, page, requirement)
    return "\n".join(out)


def _clause_facts(data: SiteData, requirement: Requirement, ancestors: list[Requirement]) -> str:
    source = requirement.source
    in_force = "<br>".join(inline(line) for line in _dates_of(data, requirement))
    duty_holder = next((a for a in ancestors if not a.informative), None)
    if not requirement.informative:
        obligation = "Yes: it puts a duty on the tiers and roles below"
    elif duty_holder is not None:
        obligation = (f"No: a heading, definition or list item; the duty lies with "
                      f"{duty_holder.notation}")
    else:
        obligation = "No: a heading, definition or informative clause"
    scope = requirement
    through = ""
    if requirement.informative and duty_holder is not None and not (requirement.tiers or requirement.roles):
        scope, through = duty_holder, f" (through {duty_holder.notation})"
    return facts([
        ("Framework", inline(framework_name(data, requirement.framework))),
        ("Notation", inline(requirement.notation)),
        ("Obligation", inline(obligation)),
        ("Applies to tiers", inline(data.labels(scope.tiers, "all tiers") + through)),
        ("Applies to roles", inline(data.labels(scope.roles, "all operator roles") + through)),
        ("Only where", inline(data.describe(scope.conditions) + through) if scope.conditions else ""),
        ("In force from", in_force),
        ("Transitional provision", inline(data.notation(requirement.transitional)) if requirement.transitional else ""),
        ("Encoded from", "secondary sources, to be verified against the Official Journal"
         if requirement.to_be_verified or any(a.to_be_verified for a in requirement.applications) else ""),
        ("Source", external(source, source) if source else ""),
        ("Catalogue", inline(requirement.origin.file)),
    ])


def _dates_of(data: SiteData, requirement: Requirement) -> list[str]:
    """Its dates of application: the default and one line per kind of system (route, placing on
    the market), each with its source and how far off it is."""
    def when(day: dt.date) -> str:
        return "in force" if day <= data.as_of else f"in {(day - data.as_of).days} days"

    lines = []
    if requirement.applies_from is not None:
        lines.append(f"{requirement.applies_from} ({when(requirement.applies_from)})")
    for application in requirement.applications:
        if application.specificity == 0 and application.applies_from == requirement.applies_from:
            continue
        kinds = []
        if application.route is not None:
            kinds.append(data.label(application.route))
        if application.placed_before is not None:
            kinds.append(f"placed on the market before {application.placed_before}")
        source = f"; {application.source}" if application.source else ""
        lines.append(f"{', '.join(kinds) or 'all systems'}: {application.applies_from} "
                     f"({when(application.applies_from)}{source})")
    return lines


def _guidance(data: SiteData, page: str, requirement: Requirement) -> list[str]:
    out: list[str] = []
    guidance = requirement.guidance
    for text, title in ((guidance.about, "About"), (guidance.suggested_actions, "Suggested actions"),
                        (guidance.documentation_questions, "Documentation questions"),
                        (guidance.references, "References")):
        if text:
            out += [f'??? info "{title}"', "", _indent(guidance_markdown(text)), ""]
    actors = list(guidance.ai_actors)
    risks = sorted({data.label(v) for v in guidance.related_risks})
    related = sorted((data.model.requirements[v] for v in guidance.related_subcategories
                      if v in data.model.requirements),
                     key=lambda r: natural_key(r.notation))
    rows = [(label, value) for label, value in (
        ("AI actors", inline("; ".join(actors))),
        ("Related risks", inline(", ".join(risks))),
        ("Related subcategories", ", ".join(clause_link(data, page, r) for r in related)),
    ) if value]
    if out or rows:
        out = [heading(2, "Guidance"), "", *out]
        if rows:
            out += [facts(rows), ""]
    return out


_GUIDANCE_LINK = re.compile(r"\[([^\]\n]{0,200})\]\(([^)\s]{1,2000})\)")


def guidance_markdown(text: str) -> str:
    """Playbook guidance (Markdown from the source) re-written safely: headings, bullet lists and
    http(s) links are kept as structure of ours; everything else is inert text."""
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.extend(["<br>".join(paragraph), ""])
            paragraph.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        bullet = re.match(r"^[-*•]\s+(.*)$", line)
        header = re.match(r"^#{1,6}\s+(.*)$", line)
        if header:
            flush()
            out += [f"**{_guidance_inline(header.group(1))}**", ""]
        elif bullet:
            flush()
            out.append(f"- {_guidance_inline(bullet.group(1))}")
        else:
            if out and out[-1].startswith("- "):
                out.append("")
            paragraph.append(_guidance_inline(line))
    flush()
    return "\n".join(out).strip() + "\n"


def _guidance_inline(line: str) -> str:
    parts, last = [], 0
    for match in _GUIDANCE_LINK.finditer(line):
        parts.append(inline(line[last:match.start()]) if line[last:match.start()].strip() else
                     (" " if line[last:match.start()] else ""))
        parts.append(external(match.group(2), match.group(1) or match.group(2)))
        last = match.end()
    tail = line[last:]
    parts.append(inline(tail) if tail.strip() else "")
    return re.sub(r" {2,}", " ", " ".join(p for p in parts if p)).strip()


def _crosswalk_index(data: SiteData) -> dict[URIRef, list[Match]]:
    known = data.model.requirements
    found: dict[tuple[URIRef, URIRef], Match] = {}

    def add(a: URIRef, b: URIRef, relation: str, curated: bool, rationale: str | None) -> None:
        for one, other in ((a, b), (b, a)):
            if one in known and other in known:
                previous = found.get((one, other))
                if previous is None or (rationale and not previous.rationale):
                    found[(one, other)] = Match(other, relation, curated, rationale)

    for crosswalk in data.model.crosswalks:
        add(crosswalk.source, crosswalk.target, _MATCHES.get(crosswalk.relation, "mapped"), crosswalk.curated,
            crosswalk.rationale)
    index: dict[URIRef, list[Match]] = defaultdict(list)
    for (one, _other), match in found.items():
        index[one].append(match)
    return index


def _crosswalk_section(data: SiteData, page: str, requirement: Requirement, matches: list[Match]) -> list[str]:
    if not matches:
        return []
    rows = []
    for match in sorted(matches, key=lambda m: (short_framework_name(data, data.model.requirements[m.other].framework),
                                                natural_key(data.model.requirements[m.other].notation))):
        other = data.model.requirements[match.other]
        rows.append((
            inline(short_framework_name(data, other.framework)),
            clause_link(data, page, other, with_title=True),
            inline(match.relation),
            "curated" if match.curated else "",
            inline(match.rationale or ""),
        ))
    return [heading(2, "Crosswalk"), "",
            "Clauses of other frameworks mapped to this one (SKOS matches and curated mappings).", "",
            table(["Framework", "Clause", "Relation", "Source", "Rationale"], rows), ""]


def relevant_controls(data: SiteData, requirement: Requirement,
                      ancestors: list[Requirement]) -> list[tuple[Control, str, Requirement]]:
    """Controls satisfying the clause, a broader clause or a narrower clause, with how."""
    seen: set[URIRef] = set()
    found: list[tuple[Control, str, Requirement]] = []
    groups = [("direct", [requirement]), ("broader", ancestors), ("narrower", data.descendants(requirement))]
    for how, clauses in groups:
        for clause in clauses:
            for control in data.satisfied_by.get(clause.iri, []):
                if control.iri not in seen:
                    seen.add(control.iri)
                    found.append((control, how, clause))
    return found


def _controls_section(data: SiteData, page: str, requirement: Requirement,
                      ancestors: list[Requirement]) -> list[str]:
    controls = relevant_controls(data, requirement, ancestors)
    out = [heading(2, "Controls"), ""]
    if not controls:
        return [*out, "No control of the organisation names this clause, a broader or a narrower one.", ""]
    out += ["Controls that name this clause directly, through a broader clause (the hierarchy "
            "above) or through one of its sub-clauses.", ""]
    rows = []
    for control, how, clause in controls:
        rows.append((
            control_link(data, page, control), inline(control.title),
            clause_link(data, page, clause) if how != "direct" else "this clause",
            inline(data.labels(control.tiers, "—")),
            inline(data.label(control.evidence_type) if control.evidence_type else "any"),
            inline(data.label(control.approval_role) if control.approval_role else "none"),
        ))
    out += [table(["Control", "Title", "Through", "Tiers", "Evidence", "Approval by"], rows), ""]
    return out


def _coverage_for(data: SiteData, system_iri: URIRef, requirement: Requirement,
                  ancestors: list[Requirement]) -> tuple[str, str] | None:
    """(state, explanation) of the clause for a system; None when it does not apply at all."""
    coverage = data.coverage.get(system_iri, {})
    if requirement.iri in coverage:
        state = coverage[requirement.iri].state
        return state, ""
    deferred = data.deferred.get(system_iri, {}).get(requirement.iri)
    if deferred is not None and deferred.standing is not None:
        return "deferred", deferred.standing.reason
    for ancestor in ancestors:
        if ancestor.iri in coverage:
            return coverage[ancestor.iri].state, f"through {ancestor.notation}"
    below = [coverage[d.iri] for d in data.descendants(requirement) if d.iri in coverage]
    if below:
        covered = sum(1 for c in below if c.covered)
        state = "covered" if covered == len(below) else "not"
        return state, f"{covered} of {len(below)} sub-clause obligations covered"
    return None


def _systems_section(data: SiteData, page: str, requirement: Requirement,
                     ancestors: list[Requirement]) -> list[str]:
    out = [heading(2, "Coverage by system"), ""]
    applicable = []
    candidates: set[URIRef] = set()
    for related in (requirement, *ancestors, *data.descendants(requirement)):
        candidates |= data.judged_on.get(related.iri, set())
    for assessment in data.judged:
        if assessment.system.iri not in candidates:
            continue
        found = _coverage_for(data, assessment.system.iri, requirement, ancestors)
        if found is not None:
            applicable.append((assessment, found))
    if not applicable:
        reason = ("no judged system has a tier and role this clause (or its hierarchy) applies to, "
                  "or its framework is not adopted")
        return [*out, inline(f"Not applicable: {reason}."), ""]
    if len(applicable) > LIST_SYSTEMS_UP_TO:
        counts: Counter[tuple[str, str]] = Counter(
            (data.label(a.system.tier), state) for a, (state, _why) in applicable)
        tiers = sorted({tier for tier, _ in counts})
        rows = [(inline(tier), *(str(counts[(tier, s)]) for s in ("covered", "not", "unmapped")))
                for tier in tiers]
        return [*out, inline(f"{len(applicable)} systems are subject to this clause; per tier:"), "",
                table(["Tier", "Covered", "Not covered", "Unmapped"], rows, "lrrr"), "",
                "Each system's page lists its clauses, controls and evidence.", ""]
    controls = relevant_controls(data, requirement, ancestors)
    rows = []
    for assessment, (state, why) in applicable:
        system = assessment.system
        first = True
        coverage_cell = coverage_badge(state) + (f" {inline(why)}" if why else "")
        for control, _how, _clause in controls:
            pair = data.pair_of.get((system.iri, control.iri))
            if pair is None and control.organisation_scope and data.binds(control, system):
                pair = data.pair_of.get((None, control.iri))
            if pair is None:
                continue
            rows.append((
                system_link(data, page, system.iri) if first else "",
                coverage_cell if first else "",
                control_link(data, page, control) + (" (organisation)" if pair.system is None else ""),
                badge(pair.status),
                pair_evidence(data, page, pair),
            ))
            first = False
        if first:
            rows.append((system_link(data, page, system.iri), coverage_cell, "—", "", "no control applies"))
    out += ["For each system this clause applies to: whether it is covered, and the status of each "
            "control with the evidence, who approved it, and whether it is current as of "
            f"{data.as_of}.", "",
            table(["System", "Coverage", "Control", "Status", "Evidence — approval — currency"], rows), ""]
    return out


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in text.split("\n"))

