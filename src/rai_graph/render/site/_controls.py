"""Control pages: what a control requires, what it satisfies, and its status per system."""

from __future__ import annotations

from collections import Counter, defaultdict

from rai_graph._display import duration_words
from rai_graph.model import Control, Requirement
from rai_graph.order import clause_key as natural_key
from rai_graph.render.site._common import (
    ROWS_PER_PAGE,
    Pages,
    badge,
    clause_link,
    clause_summary,
    control_link,
    facts,
    organisation_link,
    pair_evidence,
    system_link,
)
from rai_graph.render.site._data import SiteData
from rai_graph.render.site._frameworks import short_framework_name
from rai_graph.render.site._markdown import block, front_matter, heading, inline, link, table
from rai_graph.render.site._paths import relative
from rai_graph.trace import STATUS_ORDER, PairStatus


def control_pages(data: SiteData) -> Pages:
    pages: Pages = {"controls/index.md": _index(data)}
    for control in data.model.controls.values():
        pages.update(_control_pages(data, control))
    return pages


def _controls_sorted(data: SiteData) -> list[Control]:
    return sorted(data.model.controls.values(), key=lambda c: natural_key(c.notation))


def _index(data: SiteData) -> str:
    page = "controls/index.md"
    rows = []
    for control in _controls_sorted(data):
        pairs = data.pairs_by_control.get(control.iri, [])
        if control.organisation_scope:
            organisation = data.pair_of.get((None, control.iri))
            state = badge(organisation.status) if organisation else "—"
        else:
            good = sum(1 for p in pairs if p.status in ("met", "waived"))
            state = f"{good} of {len(pairs)} met or waived" if pairs else "no system"
        rows.append((
            control_link(data, page, control), inline(control.title),
            "organisation" if control.organisation_scope else "system",
            inline(data.labels(control.tiers, "—")), state,
        ))
    return "\n".join([
        front_matter("Controls"), heading(1, "Controls"), "",
        f"The organisation's {len(rows)} controls, the tiers that require them, and how many "
        f"systems meet them as of {data.as_of}.", "",
        table(["Control", "Title", "Scope", "Required for", "Status"], rows), "",
    ])


def _control_pages(data: SiteData, control: Control) -> Pages:
    page = data.paths.control[control.iri]
    out = [
        front_matter(f"{control.notation} — {control.title}"),
        f"{link('Controls', relative(page, 'controls/index.md'))} › {inline(control.notation)}", "",
        heading(1, f"{control.notation} — {control.title}"), "",
    ]
    if control.description:
        out += [block(control.description), ""]
    out += [facts([
        ("Scope", "organisation-wide (judged once)" if control.organisation_scope else "per AI system"),
        ("Required for tiers", inline(data.labels(control.tiers, "—"))),
        ("Operator roles", inline(data.labels(control.roles, "all roles"))),
        ("Evidence type", inline(data.label(control.evidence_type)) if control.evidence_type else "any"),
        ("Maximum evidence age", inline(readable_duration(control.max_age_text)) if control.max_age_text
         else "never expires"),
        ("Approval by", inline(data.label(control.approval_role)) if control.approval_role
         else "no approval required"),
        ("Questionnaire answer", inline(control.answer_text) if control.answer_text else ""),
        ("Defined in", inline(f"{control.origin.file}:{control.origin.line}" if control.origin.line
                              else control.origin.file)),
    ]), ""]
    out += _satisfies(data, page, control)
    status_pages: Pages = {}
    if control.organisation_scope:
        out += _organisation_status(data, page, control)
    else:
        section, status_pages = _system_status(data, page, control)
        out += section
    out += _waivers(data, page, control)
    return {page: "\n".join(out), **status_pages}


def _satisfies(data: SiteData, page: str, control: Control) -> list[str]:
    by_framework: dict[str, list[Requirement]] = defaultdict(list)
    for iri in control.satisfies:
        requirement = data.model.requirements.get(iri)
        if requirement is not None:
            by_framework[short_framework_name(data, requirement.framework)].append(requirement)
    out = [heading(2, "Requirements it satisfies"), ""]
    if not by_framework:
        return [*out, "None of the clauses it names is in the catalogues.", ""]
    for name in sorted(by_framework):
        out += [heading(3, name), ""]
        for requirement in sorted(by_framework[name], key=lambda r: natural_key(r.notation)):
            summary = clause_summary(requirement, 100)
            out.append(f"- {clause_link(data, page, requirement)}" + (f" — {inline(summary)}" if summary else ""))
        out.append("")
    return out


def _organisation_status(data: SiteData, page: str, control: Control) -> list[str]:
    pair = data.pair_of.get((None, control.iri))
    out = [heading(2, "Status"), ""]
    if pair is None:
        return [*out, "Not judged.", ""]
    return [*out, table(["Scope", "Status", "Why", "Evidence — approval — currency"], [(
        organisation_link(page), badge(pair.status), inline(data.reason(pair)), pair_evidence(data, page, pair),
    )]), ""]


def _system_status(data: SiteData, page: str, control: Control) -> tuple[list[str], Pages]:
    pairs = sorted(data.pairs_by_control.get(control.iri, []),
                   key=lambda p: (-STATUS_ORDER.index(p.status), natural_key(_name(data, p.system))))
    out = [heading(2, "Status per system"), ""]
    if not pairs:
        return [*out, "No judged system has a tier and role this control applies to.", ""], {}
    counts = Counter(p.status for p in pairs)
    out += [" · ".join(f"{badge(s)} {counts[s]}" for s in STATUS_ORDER if counts[s]), ""]
    if len(pairs) <= ROWS_PER_PAGE:
        rows = [_status_row(data, page, p) for p in pairs]
        return [*out, table(["System", "Status", "Why", "Evidence — approval — currency"], rows), ""], {}
    # Many systems: the list goes to pages of its own beside the control's page.
    base = page.removesuffix(".md")
    chunks = [pairs[i:i + ROWS_PER_PAGE] for i in range(0, len(pairs), ROWS_PER_PAGE)]
    names = [f"{base}-systems-{n}.md" for n in range(1, len(chunks) + 1)]
    pages: Pages = {}
    for number, (name, chunk) in enumerate(zip(names, chunks, strict=True), start=1):
        pager = "Pages: " + " · ".join(
            f"**{n}**" if n == number else link(str(n), relative(name, other))
            for n, other in enumerate(names, start=1))
        title = f"{control.notation}: systems, page {number} of {len(chunks)}"
        pages[name] = "\n".join([
            front_matter(title),
            f"{link(control.notation, relative(name, page))} › systems {number}", "",
            heading(1, title), "", pager, "",
            table(["System", "Status", "Why", "Evidence — approval — currency"],
                  [_status_row(data, name, p) for p in chunk]), "", pager, "",
        ])
    out += [inline(f"{len(pairs)} systems, gaps first:"), ""]
    for number, name in enumerate(names, start=1):
        first, last = (number - 1) * ROWS_PER_PAGE + 1, min(number * ROWS_PER_PAGE, len(pairs))
        out.append(f"- {link(f'Systems {first}–{last}', relative(page, name))}")
    out.append("")
    return out, pages


def readable_duration(text: str) -> str:
    """``P365D`` → ``365 days (P365D)``: the words, and the value as the record writes it."""
    words = duration_words(text)
    return f"{words} ({text.strip()})" if words != text else text


def _name(data: SiteData, system: object) -> str:
    found = data.model.systems.get(system)  # type: ignore[call-overload]
    return found.name if found is not None else ""


def _status_row(data: SiteData, page: str, pair: PairStatus) -> tuple[str, ...]:
    return (system_link(data, page, pair.system), badge(pair.status), inline(data.reason(pair)),
            pair_evidence(data, page, pair))


def _waivers(data: SiteData, page: str, control: Control) -> list[str]:
    waivers = sorted((w for w in data.model.waivers if w.control == control.iri),
                     key=lambda w: (str(w.expires), str(w.iri)))
    if not waivers:
        return []
    rows = [(system_link(data, page, w.system), inline(str(w.expires or "—")),
             inline(data.person(w.approver)), inline(w.rationale or "")) for w in waivers]
    return [heading(2, "Waivers"), "", table(["System", "Expires", "Approved by", "Rationale"], rows), ""]
