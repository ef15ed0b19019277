"""The executive page (one screen: readiness, top gaps by risk tier, overdue findings, controls
lapsing) and the system × control status heatmap (on the dashboard and its own pages).

Every figure is the engine's: statuses and readiness from the assessment, lapsing dates from each
pair's ``valid_through`` (:func:`expiring_pairs`, counted by
:func:`rai_graph.analysis.kpis.expiring_counts` as the KPI is), deferred obligations from each
system's ``deferred`` requirements with the date and reason the law gave them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef

from rai_graph.analysis.kpis import expiring_counts
from rai_graph.model import AISystem, Control, Evidence
from rai_graph.order import clause_key as natural_key
from rai_graph.render.site import _html
from rai_graph.render.site._common import (
    Pages,
    badge,
    bar,
    control_link,
    day,
    organisation_link,
    system_link,
)
from rai_graph.render.site._data import STATUS_LABEL, SiteData
from rai_graph.render.site._markdown import front_matter, heading, inline, link, table
from rai_graph.render.site._paths import relative, slug
from rai_graph.render.words import STATUS_MARKS, UNDATED, percent
from rai_graph.trace import PairStatus, SystemAssessment
from rai_graph.vocab import RAI

WINDOWS = (30, 60, 90)
HEATMAP_ROWS = 50
"""Systems per heatmap page; the dashboard draws the heatmap itself up to this many systems."""
TOP = 3
"""Controls and systems named per tier on the executive page."""
TIER_ORDER = (RAI.Prohibited, RAI.HighRisk, RAI.LimitedRisk, RAI.MinimalRisk)


@dataclass(frozen=True, slots=True)
class Expiring:
    """A (system, control) pair met or waived today whose status lapses within the horizon."""

    last_day: dt.date
    system: URIRef | None
    control: Control
    evidence: Evidence | None
    """The record lasting longest, or None (waived, or the audience may not see it)."""
    waived: bool = False


def every_pair(data: SiteData) -> list[PairStatus]:
    """Every judged pair: each judged system's and the organisation-wide ones."""
    return [p for s in data.judged for p in s.pairs] + list(data.assessment.organisation)


def expiring_pairs(data: SiteData, horizon: int = WINDOWS[-1]) -> list[Expiring]:
    """Pairs met or waived today whose status lapses within ``horizon`` days: the engine's
    ``valid_through``, the same set the KPI "controls lapsing" counts."""
    found = []
    for pair in every_pair(data):
        last = pair.valid_through
        if not pair.good or last is None or not data.as_of <= last <= data.as_of + dt.timedelta(days=horizon):
            continue
        longest = next((lapse for lapse in sorted(pair.lapses, key=lambda x: x.last_day or dt.date.max,
                                                  reverse=True)), None)
        record = data.model.evidence.get(longest.evidence) if longest is not None else None
        shown = record if record is not None and record.iri in data.visible else None
        found.append(Expiring(last, pair.system, pair.control, shown, pair.status == "waived"))
    return sorted(found, key=lambda e: (e.last_day, e.control.notation, str(e.system)))


def tier_key(data: SiteData, tier: URIRef | None) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    """The EU AI Act's tiers most demanding first, then the organisation's own by name."""
    position = TIER_ORDER.index(tier) if tier in TIER_ORDER else len(TIER_ORDER)
    return position, natural_key(data.label(tier))


def by_tier(data: SiteData, systems: Sequence[SystemAssessment]) -> list[tuple[URIRef | None, list[SystemAssessment]]]:
    groups: dict[URIRef | None, list[SystemAssessment]] = defaultdict(list)
    for assessment in systems:
        groups[assessment.system.tier].append(assessment)
    return [(tier, sorted(groups[tier], key=lambda a: natural_key(a.system.name)))
            for tier in sorted(groups, key=lambda t: tier_key(data, t))]


# -- the status heatmap -----------------------------------------------------------------------


_FAMILY = re.compile(r"^(?P<family>.*?)[-\s.]?(?P<number>\d+)$")


def _family(control: Control) -> tuple[str, str]:
    """``RAI-EVAL-08`` → (``RAI-EVAL``, ``08``); a notation without a trailing number is its own family."""
    match = _FAMILY.match(control.notation)
    if match is None or not match.group("family"):
        return control.notation, control.notation
    return match.group("family"), match.group("number")


def heatmap_controls(data: SiteData, systems: Sequence[SystemAssessment]) -> list[Control]:
    """The system-scope controls binding at least one of ``systems``, in notation order."""
    bound = {p.control.iri: p.control for s in systems for p in s.pairs}
    return sorted(bound.values(), key=lambda c: natural_key(c.notation))


def _deferred_cell(data: SiteData, page: str, assessment: SystemAssessment) -> dict[str, str] | None:
    """What binds the system later: how many obligations, from when, and why (never gaps)."""
    deferred = [d for d in assessment.deferred if d.standing is not None]
    if not deferred:
        return None
    dates = sorted({d.standing.applies_from for d in deferred if d.standing and d.standing.applies_from})
    reasons = sorted({d.standing.reason for d in deferred if d.standing})
    when = f"from {dates[0]}" if dates else UNDATED
    shown = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")
    return {"text": f"{len(deferred)} {when}",
            "title": f"{len(deferred)} obligations bind later, not gaps today: {shown}",
            "href": _href(relative(page, data.paths.system[assessment.system.iri], "upcoming"))}


def _column_headers(data: SiteData, page: str, controls: Sequence[Control],
                    ) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The heatmap's two header rows: control families (spanning their columns) and controls."""
    families: list[dict[str, Any]] = []
    columns = []
    for control in controls:
        family, number = _family(control)
        if families and families[-1]["label"] == family:
            families[-1]["span"] += 1
        else:
            families.append({"label": family, "span": 1})
        columns.append({"label": number, "title": f"{control.notation} — {control.title}",
                        "href": _href(relative(page, data.paths.control[control.iri]))})
    return families, columns


def _status_cell(who: str, pair: PairStatus) -> dict[str, str]:
    return {"css": pair.status, "text": STATUS_MARKS.get(pair.status, "?"),
            "title": f"{who} · {pair.control.notation}: {STATUS_LABEL.get(pair.status, pair.status)}"}


def status_heatmap(data: SiteData, page: str, systems: Sequence[SystemAssessment],
                   controls: Sequence[Control] | None = None) -> str:
    """Systems × controls, each cell the pair's status (colour and mark), with what binds later."""
    columns = list(controls) if controls is not None else heatmap_controls(data, systems)
    families, html_columns = _column_headers(data, page, columns)
    rows = []
    for assessment in systems:
        system = assessment.system
        statuses = {p.control.iri: p for p in assessment.pairs}
        cells: list[dict[str, str] | None] = []
        for control in columns:
            pair = statuses.get(control.iri)
            cells.append(None if pair is None else _status_cell(system.name, pair))
        rows.append({"label": system.title, "href": _href(relative(page, data.paths.system[system.iri])),
                     "cells": cells, "deferred": _deferred_cell(data, page, assessment)})
    return _html.render("status-heatmap.html.j2", corner="System", families=families, columns=html_columns,
                        rows=rows, deferred=True)


def organisation_heatmap(data: SiteData, page: str) -> str:
    """The organisation-wide controls as one row (judged once, for every system they bind)."""
    pairs = sorted(data.assessment.organisation, key=lambda p: natural_key(p.control.notation))
    if not pairs:
        return ""
    families, columns = _column_headers(data, page, [pair.control for pair in pairs])
    cells = [_status_cell("organisation", pair) for pair in pairs]
    row = {"label": "Organisation-wide", "href": _href(relative(page, "organisation.md")), "cells": cells,
           "deferred": None}
    return _html.render("status-heatmap.html.j2", corner="", families=families, columns=columns, rows=[row],
                        deferred=False)


def tier_heatmap(data: SiteData, page: str) -> str:
    """Risk tiers × controls: the share of each tier's systems meeting (or waiving) the control."""
    columns = heatmap_controls(data, data.judged)
    families, html_columns = _column_headers(data, page, columns)
    rows = []
    for tier, members in by_tier(data, data.judged):
        tally: dict[URIRef, list[int]] = defaultdict(lambda: [0, 0])
        for assessment in members:
            for pair in assessment.pairs:
                tally[pair.control.iri][1] += 1
                tally[pair.control.iri][0] += pair.good
        label = data.label(tier)
        cells: list[dict[str, str] | None] = []
        for control in columns:
            good, total = tally.get(control.iri, [0, 0])
            if not total:
                cells.append(None)
                continue
            share = good / total
            cells.append({"css": "heat-" + _bucket(share), "text": percent(share).rstrip("%"),
                          "title": f"{label} · {control.notation}: {good} of {total} systems met or waived"})
        pages = tier_heatmap_pages(data, tier, members)
        rows.append({"label": f"{label} ({len(members)})", "href": _href(relative(page, next(iter(pages)))),
                     "cells": cells, "deferred": None})
    return _html.render("status-heatmap.html.j2", corner="Tier (systems)", families=families,
                        columns=html_columns, rows=rows, deferred=False)


def _bucket(share: float) -> str:
    whole = int(percent(share).rstrip("%"))
    if whole >= 100:
        return "full"
    if whole >= 80:
        return "high"
    if whole >= 50:
        return "mid"
    return "low" if whole > 0 else "none"


def _href(markdown_target: str) -> str:
    """Raw HTML is not rewritten by MkDocs, so links to pages must name the built ``.html``."""
    path, _, anchor = markdown_target.partition("#")
    path = path.removesuffix(".md") + ".html" if path.endswith(".md") else path
    return f"{path}#{anchor}" if anchor else path


def tier_heatmap_pages(data: SiteData, tier: URIRef | None,
                       members: Sequence[SystemAssessment]) -> dict[str, Sequence[SystemAssessment]]:
    """The pages of one tier's heatmap (``heatmap/<tier>-N.md``) and the systems on each."""
    name = slug(data.label(tier))
    chunks = [members[i:i + HEATMAP_ROWS] for i in range(0, len(members), HEATMAP_ROWS)] or [[]]
    return {f"heatmap/{name}-{n}.md": chunk for n, chunk in enumerate(chunks, start=1)}


LEGEND = ", ".join(f"{STATUS_MARKS[s]} {s}" for s in STATUS_MARKS) + ", · does not bind"


def heatmap_pages(data: SiteData) -> Pages:
    """``heatmap/index.md`` (every system when there are few, else one section per tier) and the
    paged per-tier heatmaps."""
    page = "heatmap/index.md"
    out = [front_matter("Heatmap"), heading(1, "Status heatmap"), "",
           inline(f"Every judged system against every control that binds it, as of {data.as_of}: each cell is "
                  "the pair's status. Obligations that bind later are counted with the date they start to "
                  "bind; they are not gaps today. Legend: " + LEGEND + "."), ""]
    pages: Pages = {}
    if len(data.judged) <= HEATMAP_ROWS:
        out += [status_heatmap(data, page, data.judged), ""]
    else:
        out += [tier_heatmap(data, page), ""]
        rows = []
        for tier, members in by_tier(data, data.judged):
            named = tier_heatmap_pages(data, tier, members)
            links = " · ".join(link(f"{(n - 1) * HEATMAP_ROWS + 1}–{(n - 1) * HEATMAP_ROWS + len(chunk)}",
                                    relative(page, name))
                               for n, (name, chunk) in enumerate(named.items(), start=1))
            rows.append((inline(data.label(tier)), str(len(members)), links))
            pages.update(_tier_pages(data, tier, named))
        out += [heading(2, "Systems by tier", "tiers"), "",
                inline(f"Each tier's systems, {HEATMAP_ROWS} to a page:"), "",
                table(["Tier", "Systems", "Pages"], rows, "lrl"), ""]
    organisation = organisation_heatmap(data, page)
    if organisation:
        out += [heading(2, "Organisation-wide controls", "organisation"), "", organisation, ""]
    pages[page] = "\n".join(out)
    return pages


def _tier_pages(data: SiteData, tier: URIRef | None, named: dict[str, Sequence[SystemAssessment]]) -> Pages:
    label = data.label(tier)
    names = list(named)
    controls = heatmap_controls(data, [a for chunk in named.values() for a in chunk])
    pages: Pages = {}
    for number, (name, chunk) in enumerate(named.items(), start=1):
        title = f"Heatmap: {label} systems, page {number} of {len(names)}"
        pager = "Pages: " + " · ".join(f"**{n}**" if n == number else link(str(n), relative(name, other))
                                       for n, other in enumerate(names, start=1))
        pages[name] = "\n".join([
            front_matter(title), f"{link('Heatmap', relative(name, 'heatmap/index.md'))} › {inline(label)}", "",
            heading(1, title), "", pager, "", inline("Legend: " + LEGEND + "."), "",
            status_heatmap(data, name, chunk, controls), "", pager, "",
        ])
    return pages


def dashboard_heatmap(data: SiteData, page: str) -> list[str]:
    """The dashboard's status heatmap: every system when there are few, per tier beyond."""
    out = [heading(2, "Status heatmap", "heatmap"), ""]
    if not data.judged:
        return [*out, "No system is judged.", ""]
    if len(data.judged) <= HEATMAP_ROWS:
        out += [inline("Each judged system against each control that binds it (" + LEGEND + "); the last "
                       "column counts the obligations that bind later, with the date."), "",
                status_heatmap(data, page, data.judged), ""]
    else:
        out += [inline(f"{len(data.judged)} systems: the share of each tier's systems meeting or waiving each "
                       "control. Each tier's row opens its systems, ") + link("all tiers",
                                                                           relative(page, "heatmap/index.md"))
                + inline(f" show them {HEATMAP_ROWS} to a page."), "", tier_heatmap(data, page), ""]
    return out


# -- the executive page -----------------------------------------------------------------------


def executive_page(data: SiteData, expiring: Sequence[Expiring]) -> str:
    """One screen for an executive: where the organisation stands, what is most wrong, what is late
    and what lapses next."""
    page = "executive.md"
    judged = data.judged
    average = sum(a.readiness for a in judged) / len(judged) if judged else 1.0
    ready = sum(1 for a in judged if all(p.good for p in a.pairs))
    gaps = sum(1 for p in every_pair(data) if p.is_gap)
    overdue, overdue_withheld = data.view.findings(data.assessment.overdue_findings())
    counts = expiring_counts(every_pair(data), data.as_of)
    cards = [
        _card(percent(average), "average readiness", f"{len(judged)} systems judged", page, "systems/index.md",
              "good" if average >= 0.8 else "warn" if average >= 0.5 else "bad"),
        _card(f"{ready} / {len(judged)}", "systems ready", "every control met or waived", page, "systems/index.md",
              "good" if ready == len(judged) else "warn"),
        _card(str(gaps), "gaps", "controls not met or waived", page, "gaps/index.md", "good" if not gaps else "bad"),
        _card(str(len(overdue) + overdue_withheld), "findings overdue", "open past their due date", page,
              "executive.md", "good" if not overdue and not overdue_withheld else "bad"),
        _card(str(counts[f"within_{WINDOWS[-1]}_days"]), f"controls lapsing in {WINDOWS[-1]} days",
              " / ".join(str(v) for v in counts.values()) + " within 30 / 60 / 90 days", page, "expiring.md",
              "good" if not counts[f"within_{WINDOWS[-1]}_days"] else "warn"),
    ]
    out = [front_matter("Executive summary"), heading(1, "Executive summary"), "",
           inline(f"As of {data.as_of} · audience: {data.audience} · {len(judged)} AI systems judged."), "",
           _html.render("cards.html.j2", cards=cards), ""]
    out += _top_gaps(data, page)
    out += _overdue(data, page, overdue, overdue_withheld)
    out += _lapsing(data, page, expiring, counts)
    return "\n".join(out)


def _card(value: str, label: str, note: str, page: str, target: str, tone: str) -> dict[str, str]:
    return {"value": value, "label": label, "note": note, "tone": tone, "href": _href(relative(page, target))}


def _top_gaps(data: SiteData, page: str) -> list[str]:
    out = [heading(2, "Top gaps by risk tier", "tiers"), ""]
    groups = by_tier(data, data.judged)
    if not groups:
        return [*out, "No system is judged.", ""]
    rows = []
    for tier, members in groups:
        gaps = Counter(p.control.iri for a in members for p in a.pairs if p.is_gap)
        controls = {p.control.iri: p.control for a in members for p in a.pairs}
        worst = sorted(gaps.items(), key=lambda item: (-item[1], natural_key(controls[item[0]].notation)))[:TOP]
        least = sorted((a for a in members if any(p.is_gap for p in a.pairs)),
                       key=lambda a: (a.readiness, natural_key(a.system.name)))[:TOP]
        ready = sum(1 for a in members if all(p.good for p in a.pairs))
        average = sum(a.readiness for a in members) / len(members)
        rows.append((
            inline(data.label(tier)), f"{ready} / {len(members)}", bar(average), str(sum(gaps.values())),
            "<br>".join(f"{control_link(data, page, controls[c])} {inline(f'× {n}')}" for c, n in worst) or "—",
            "<br>".join(f"{system_link(data, page, a.system.iri, with_title=False)} {inline(percent(a.readiness))}"
                        for a in least) or "—",
        ))
    return [*out, inline("Per tier, most demanding first: systems ready, average readiness, gaps, the controls "
                         "with most gaps and the least ready systems."), "",
            table(["Tier", "Ready", "Readiness", "Gaps", "Most frequent gaps", "Least ready"], rows, "lrlrll"), ""]


def _overdue(data: SiteData, page: str, shown: Sequence[Any], withheld: int) -> list[str]:
    out = [heading(2, "Overdue findings", "overdue"), ""]
    if not shown and not withheld:
        return [*out, inline(f"No open finding is past its due date as of {data.as_of}."), ""]
    rows = []
    for finding in sorted(shown, key=lambda f: (f.due or dt.date.max, f.title))[:10]:
        systems: list[AISystem] = sorted((data.model.systems[s] for s in finding.systems if s in data.model.systems),
                                         key=lambda s: natural_key(s.name))
        where = ", ".join(link(s.name, relative(page, data.paths.system[s.iri], "findings")) for s in systems)
        late = (data.as_of - finding.due).days if finding.due else 0
        rows.append((inline(finding.title), where or organisation_link(page), inline(data.label(finding.severity)),
                     day(finding.due), inline(f"{late} days")))
    if rows:
        out += [table(["Finding", "System", "Severity", "Due", "Late by"], rows, "lllrr"), ""]
    if len(shown) > 10:
        out += [inline(f"… and {len(shown) - 10} more on the systems' pages."), ""]
    if withheld:
        out += [inline(f"Overdue findings: {withheld} withheld at this audience ({data.audience})."), ""]
    return out


def _lapsing(data: SiteData, page: str, expiring: Sequence[Expiring], counts: dict[str, int]) -> list[str]:
    out = [heading(2, f"Controls lapsing in the next {WINDOWS[-1]} days", "lapsing"), ""]
    if not expiring:
        return [*out, inline(f"No met or waived control lapses within {WINDOWS[-1]} days."), ""]
    out += [inline("Met or waived today, lapsing by dates alone within 30 / 60 / 90 days (cumulative): "
                   + " / ".join(str(v) for v in counts.values()) + ". The soonest:"), ""]
    rows = []
    for item in expiring[:5]:
        where = system_link(data, page, item.system) if item.system else organisation_link(page)
        pair = data.pair_of.get((item.system, item.control.iri))
        rows.append((day(item.last_day), inline(f"{(item.last_day - data.as_of).days} days"), where,
                     control_link(data, page, item.control), badge(pair.status) if pair else ""))
    out += [table(["Last day", "Left", "System", "Control", "Status"], rows, "lrlll"), ""]
    if len(expiring) > 5:
        out += [link(f"All {len(expiring)} lapsing controls", relative(page, "expiring.md")), ""]
    return out
