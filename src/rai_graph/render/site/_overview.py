"""The dashboard (home page) and the cross-cutting lists: gaps, expiring evidence and waivers,
input errors."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence

from rdflib import URIRef

from rai_graph.analysis.kpis import compute_kpis, expiring_counts
from rai_graph.audience import withheld_phrase
from rai_graph.errors import InputError
from rai_graph.model import Waiver
from rai_graph.order import clause_key as natural_key
from rai_graph.render.kpis import kpi_rows
from rai_graph.render.site import _html
from rai_graph.render.site._common import (
    LIST_SYSTEMS_UP_TO,
    Pages,
    badge,
    bar,
    control_link,
    day,
    evidence_link,
    next_step,
    organisation_link,
    paged_table,
    system_link,
)
from rai_graph.render.site._data import SiteData
from rai_graph.render.site._executive import (
    WINDOWS,
    Expiring,
    dashboard_heatmap,
    every_pair,
    executive_page,
    expiring_pairs,
    heatmap_pages,
)
from rai_graph.render.site._frameworks import short_framework_name
from rai_graph.render.site._markdown import front_matter, heading, inline, link, table
from rai_graph.render.site._paths import relative
from rai_graph.render.words import percent
from rai_graph.trace import GAP_STATUSES, STATUS_ORDER, RequirementCoverage, SystemAssessment

DASHBOARD_ROWS = 10


def overview_pages(data: SiteData) -> Pages:
    expiring = expiring_pairs(data)
    waivers = expiring_waivers(data)
    pages: Pages = {"index.md": _dashboard(data, expiring, waivers), "executive.md": executive_page(data, expiring)}
    pages.update(heatmap_pages(data))
    pages.update(_gap_pages(data))
    pages.update(_expiring_pages(data, expiring))
    pages.update(_waiver_pages(data, waivers))
    pages.update(_error_pages(data))
    return pages


def expiring_waivers(data: SiteData, horizon: int = WINDOWS[-1]) -> list[Waiver]:
    limit = data.as_of + dt.timedelta(days=horizon)
    return sorted((w for w in data.model.waivers
                   if w.date is not None and w.expires is not None and w.date <= data.as_of <= w.expires <= limit),
                  key=lambda w: (w.expires or dt.date.max, str(w.iri)))


def _dashboard(data: SiteData, expiring: list[Expiring], waivers: list[Waiver]) -> str:
    page = "index.md"
    judged = data.judged
    counts = data.status_counts()
    gaps = sum(counts[s] for s in GAP_STATUSES)
    average = sum(a.readiness for a in judged) / len(judged) if judged else 1.0
    shown_errors, other_errors = data.errors()
    error_count = len(shown_errors) + other_errors
    soon = sum(1 for e in expiring if (e.last_day - data.as_of).days <= WINDOWS[0])
    cards = [
        _card(percent(average), "average readiness", f"{len(judged)} systems judged",
              "good" if average >= 0.8 else "warn" if average >= 0.5 else "bad", "systems/index.md"),
        _card(str(gaps), "gaps", "controls failing, unapproved, expired, invalid or missing",
              "good" if not gaps else "bad", "gaps/index.md"),
        _card(str(soon), f"controls lapsing in {WINDOWS[0]} days", f"{len(expiring)} within {WINDOWS[-1]} days",
              "good" if not soon else "warn", "expiring.md"),
        _card(str(len(waivers)), "waivers expiring", f"within {WINDOWS[-1]} days",
              "good" if not waivers else "warn", "waivers.md"),
        _card(str(error_count), "input errors", "in the repository's files",
              "good" if not error_count else "bad", "errors.md"),
    ]
    frameworks = sorted(data.model.frameworks.values(), key=lambda f: f.notation)
    browse = " · ".join(link(short_framework_name(data, f.iri), relative(page, data.paths.framework[f.iri]))
                        for f in frameworks)
    out = [
        front_matter("Dashboard"), heading(1, "AI compliance dashboard"), "",
        inline(f"As of {data.as_of} · audience: {data.audience} · {len(data.systems)} AI systems "
               f"({len(judged)} judged)."), "",
        _html.render("cards.html.j2", cards=cards), "",
    ]
    if browse:
        out += [f"**Frameworks:** {browse}", ""]
    out += _readiness(data, page)
    out += dashboard_heatmap(data, page)
    out += _heatmaps(data, page)
    out += _status_counts(counts)
    out += _kpis(data)
    out += _expiring_summary(data, page, expiring)
    out += _waiver_summary(data, page, waivers)
    out += _errors_summary(data, page, shown_errors, other_errors)
    return "\n".join(out)


def _card(value: str, label: str, note: str, tone: str, href_page: str) -> dict[str, str]:
    return {"value": value, "label": label, "note": note, "tone": tone,
            "href": relative("index.md", href_page).removesuffix(".md") + ".html"}


def _readiness(data: SiteData, page: str) -> list[str]:
    by_tier: dict[str, list[SystemAssessment]] = defaultdict(list)
    for assessment in data.judged:
        by_tier[data.label(assessment.system.tier)].append(assessment)
    out = [heading(2, "Readiness by tier", "tiers"), ""]
    if not by_tier:
        return [*out, "No system is judged.", ""]
    rows = []
    for tier in sorted(by_tier):
        members = by_tier[tier]
        statuses: Counter[str] = Counter(p.status for a in members for p in a.pairs)
        rows.append((inline(tier), str(len(members)), bar(sum(a.readiness for a in members) / len(members)),
                     str(statuses["met"]), str(statuses["waived"]), str(sum(statuses[s] for s in GAP_STATUSES))))
    out += [table(["Tier", "Systems", "Average readiness", "Met", "Waived", "Gaps"], rows, "lrlrrr"), ""]
    out += [heading(2, "Readiness by system", "systems"), ""]
    ranked = sorted(data.judged, key=lambda a: (a.readiness, natural_key(a.system.name)))
    if len(ranked) > LIST_SYSTEMS_UP_TO:
        out += [inline(f"The {LIST_SYSTEMS_UP_TO} least ready of {len(ranked)} systems; "
                       "all are listed under") + " " + link("Systems", relative(page, "systems/index.md")) + ".", ""]
        ranked = ranked[:LIST_SYSTEMS_UP_TO]
    system_rows = [(system_link(data, page, a.system.iri), inline(data.label(a.system.tier)),
                    inline(data.person(a.system.owner)), bar(a.readiness),
                    str(sum(1 for p in a.pairs if p.is_gap))) for a in ranked]
    return [*out, table(["System", "Tier", "Owner", "Readiness", "Gaps"], system_rows, "lllll"), ""]


def _heatmaps(data: SiteData, page: str) -> list[str]:
    out = [heading(2, "Coverage heatmap", "coverage"), "",
           "Share of applicable clauses covered, per framework section"
           + (" and system." if len(data.judged) <= LIST_SYSTEMS_UP_TO else " and risk tier.")
           + " A clause is covered when every control satisfying it is met or waived.", ""]
    found = False
    # Each system's clauses by framework, once: not every clause of every system per framework.
    by_framework: list[dict[URIRef | None, list[RequirementCoverage]]] = []
    for assessment in data.judged:
        grouped: dict[URIRef | None, list[RequirementCoverage]] = defaultdict(list)
        for coverage in assessment.requirements:
            grouped[coverage.requirement.framework].append(coverage)
        by_framework.append(grouped)
    for framework in sorted(data.model.frameworks.values(), key=lambda f: f.notation):
        flat = data.is_flat(framework.iri)
        cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        sections = {}
        row_keys: dict[str, tuple[str, str | None]] = {}
        for assessment, grouped in zip(data.judged, by_framework, strict=True):
            system = assessment.system
            if len(data.judged) <= LIST_SYSTEMS_UP_TO:
                row = str(system.iri)
                row_keys[row] = (system.title, relative(page, data.paths.system[system.iri]))
            else:
                row = data.label(system.tier)
                row_keys[row] = (row, None)
            for coverage in grouped.get(framework.iri, ()):
                section = data.section(coverage.requirement, flat)
                sections[section.key] = section
                cell = cells[(row, section.key)]
                cell[1] += 1
                cell[0] += coverage.covered
        if not sections:
            continue
        found = True
        columns = sorted(sections.values(), key=lambda s: natural_key(s.label))
        rows = []
        for row, (label, href) in sorted(row_keys.items(), key=lambda item: natural_key(item[1][0])):
            row_cells = []
            for column in columns:
                covered, total = cells.get((row, column.key), [0, 0])
                percent = round(100 * covered / total) if total else 0
                row_cells.append({
                    "total": total, "percent": percent, "bucket": _bucket(percent),
                    "title": f"{label} · {column.label}: {covered} of {total} clauses covered",
                })
            rows.append({"label": label, "href": _html_href(href), "cells": row_cells})
        html_columns = [{"label": c.label, "title": c.title,
                         "href": _html_href(relative(page, c.page)) if c.page else None} for c in columns]
        out += [heading(3, short_framework_name(data, framework.iri)), "",
                _html.render("heatmap.html.j2", corner="", columns=html_columns, rows=rows), ""]
    if not found:
        out += ["No clause of an adopted framework applies to a judged system.", ""]
    return out


def _html_href(markdown_target: str | None) -> str | None:
    """Raw HTML is not rewritten by MkDocs, so links to pages must name the built ``.html``."""
    if markdown_target is None:
        return None
    path, _, anchor = markdown_target.partition("#")
    path = path.removesuffix(".md") + ".html" if path.endswith(".md") else path
    return f"{path}#{anchor}" if anchor else path


def _bucket(percent: int) -> str:
    if percent >= 100:
        return "full"
    if percent >= 80:
        return "high"
    if percent >= 50:
        return "mid"
    return "low" if percent > 0 else "none"


def _kpis(data: SiteData) -> list[str]:
    """Governance KPIs of the whole organisation, as every output words them (rai_graph.render.kpis)."""
    figures = compute_kpis(data.result, None, data.view)
    rows = [(inline(label), inline(value)) for label, value in kpi_rows(figures)]
    return [heading(2, "Governance KPIs", "kpis"), "",
            "Computed from the graph and git history; `rai-graph kpis` gives them as JSON.", "",
            table(["KPI", "Value"], rows, "lr"), ""]


def _status_counts(counts: Counter[str]) -> list[str]:
    total = sum(counts.values())
    rows = [(badge(s), str(counts[s]), f"{round(100 * counts[s] / total) if total else 0}%") for s in STATUS_ORDER]
    return [heading(2, "Controls by status", "status"), "",
            "Every (system, control) pair and every organisation-wide control.", "",
            table(["Status", "Count", "Share"], rows, "lrr"), ""]


def _expiring_row(data: SiteData, page: str, item: Expiring) -> tuple[str, ...]:
    if item.waived:
        evidence = "waiver expires"
    else:
        withheld = inline(withheld_phrase(1, data.audience))
        evidence = evidence_link(data, page, item.evidence) if item.evidence else withheld
    where = system_link(data, page, item.system) if item.system else organisation_link(page)
    return (day(item.last_day), inline(f"{(item.last_day - data.as_of).days} days"), where,
            control_link(data, page, item.control), evidence)


_EXPIRING_HEADERS = ["Last day", "Left", "System", "Control", "Evidence"]


def _expiring_summary(data: SiteData, page: str, expiring: list[Expiring]) -> list[str]:
    out = [heading(2, "Controls lapsing", "expiring"), ""]
    if not expiring:
        return [*out, inline(f"No met or waived control lapses within {WINDOWS[-1]} days."), ""]
    counts = expiring_counts(every_pair(data), data.as_of)
    out += [inline("Met or waived today, lapsing by dates alone within 30 / 60 / 90 days (cumulative): "
                   + " / ".join(str(v) for v in counts.values()) + "."), "",
            table(_EXPIRING_HEADERS, [_expiring_row(data, page, e) for e in expiring[:DASHBOARD_ROWS]]), ""]
    if len(expiring) > DASHBOARD_ROWS:
        out += [inline(f"… and {len(expiring) - DASHBOARD_ROWS} more:") + " "
                + link("all lapsing controls", relative(page, "expiring.md")), ""]
    return out


def _expiring_pages(data: SiteData, expiring: list[Expiring]) -> Pages:
    rows = [_expiring_row(data, "expiring.md", e) for e in expiring]
    return paged_table("expiring.md", "Controls lapsing", inline(
        f"(System, control) pairs met or waived as of {data.as_of} whose status lapses by dates alone "
        f"(evidence age, validity, approval or waiver expiry) within {WINDOWS[-1]} days, soonest first."),
        _EXPIRING_HEADERS, rows,
        empty=inline(f"No met or waived control lapses within {WINDOWS[-1]} days."))


def _waiver_row(data: SiteData, page: str, waiver: Waiver) -> tuple[str, ...]:
    control = data.model.controls.get(waiver.control) if waiver.control else None
    days = (waiver.expires - data.as_of).days if waiver.expires else 0
    return (day(waiver.expires), inline(f"{days} days"), system_link(data, page, waiver.system),
            control_link(data, page, control) if control else "—", inline(data.person(waiver.approver)),
            inline(waiver.rationale or ""))


_WAIVER_HEADERS = ["Expires", "Left", "System", "Control", "Approved by", "Rationale"]


def _waiver_summary(data: SiteData, page: str, waivers: list[Waiver]) -> list[str]:
    out = [heading(2, "Waivers expiring", "waivers"), ""]
    if not waivers:
        return [*out, inline(f"No active waiver expires within {WINDOWS[-1]} days."), ""]
    out += [table(_WAIVER_HEADERS, [_waiver_row(data, page, w) for w in waivers[:DASHBOARD_ROWS]]), ""]
    if len(waivers) > DASHBOARD_ROWS:
        out += [link(f"All {len(waivers)} expiring waivers", relative(page, "waivers.md")), ""]
    return out


def _waiver_pages(data: SiteData, waivers: list[Waiver]) -> Pages:
    rows = [_waiver_row(data, "waivers.md", w) for w in waivers]
    return paged_table("waivers.md", "Waivers expiring", inline(
        f"Active waivers that expire within {WINDOWS[-1]} days of {data.as_of}, soonest first. "
        "When a waiver expires the control is judged on its evidence again."), _WAIVER_HEADERS, rows,
        empty=inline(f"No active waiver expires within {WINDOWS[-1]} days."))


def _errors_summary(data: SiteData, page: str, shown: Sequence[InputError], others: int) -> list[str]:
    out = [heading(2, "Input errors", "errors"), ""]
    total = len(shown) + others
    if not total:
        return [*out, "The repository has no input errors.", ""]
    out += [inline(f"{total} input error{'s' * (total != 1)} (files that could not be read, records of the "
                   "wrong shape, dangling references, artefacts that fail their hash):") + " "
            + link("see the list", relative(page, "errors.md")) + ".", ""]
    return out


def _error_pages(data: SiteData) -> Pages:
    shown, others = data.errors()
    rows = [(inline(e.file or "—"), str(e.line or ""), inline(e.kind), inline(e.message)) for e in shown]
    intro = "Problems found in the repository's files. Records with errors are still judged where possible."
    if others:
        intro += " " + inline(f"{others} more error{'s' * (others != 1)} in evidence records are listed only "
                              "in the internal edition of this site.")
    return paged_table("errors.md", "Input errors", intro, ["File", "Line", "Kind", "Message"], rows,
                       empty="The repository has no input errors.")


def _gap_pages(data: SiteData) -> Pages:
    page = "gaps/index.md"
    gaps = [p for a in data.judged for p in a.pairs if p.is_gap]
    gaps += [p for p in data.assessment.organisation if p.is_gap]
    rows = []
    for pair in gaps:
        where = system_link(data, page, pair.system) if pair.system else organisation_link(page)
        rows.append((where, control_link(data, page, pair.control), badge(pair.status), inline(data.reason(pair)),
                     next_step(data, pair)))
    counts = Counter(p.status for p in gaps)
    intro = inline(f"Every control that is not met or waived as of {data.as_of}:") + " " + (
        " · ".join(f"{badge(s)} {counts[s]}" for s in STATUS_ORDER if counts[s]) or "none") + "."
    by_control = Counter(p.control.iri for p in gaps)
    if len(gaps) > 20:
        top = [(control_link(data, page, data.model.controls[c]), inline(data.model.controls[c].title), str(n))
               for c, n in sorted(by_control.items(), key=lambda item: (-item[1], str(item[0])))[:10]]
        intro += "\n\n" + heading(2, "Most frequent gaps") + "\n\n" + table(["Control", "Title", "Gaps"], top, "llr")
        intro += "\n\n" + heading(2, "All gaps")
    return paged_table(page, "Gaps", intro, ["System", "Control", "Status", "Why", "Next step"], rows,
                       empty="No gaps.")
