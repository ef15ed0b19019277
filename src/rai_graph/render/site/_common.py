"""Pieces shared by the page generators: links, badges, evidence lines, paging."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Sequence

from markupsafe import Markup

from rai_graph._display import duration_words
from rai_graph.audience import withheld_phrase
from rai_graph.model import Approval, Control, Evidence, Requirement
from rai_graph.render.site import _html
from rai_graph.render.site._data import COVERAGE_LABEL, STATUS_LABEL, SiteData
from rai_graph.render.site._markdown import http_url, inline, link, table
from rai_graph.render.site._paths import relative
from rai_graph.render.words import percent
from rai_graph.trace import PairStatus

ROWS_PER_PAGE = 250
"""No generated table is longer than this (about 500 rows counting every table of a page)."""
LIST_SYSTEMS_UP_TO = 50
"""Clause pages and the dashboard list systems one by one up to this many; beyond, by tier."""

Pages = dict[str, str]


# Badges, pills and bars take few distinct values and appear hundreds of thousands of times on a
# large site: they are rendered once each.


@functools.cache
def badge(status: str) -> str:
    return str(_html.macro("badge", status, STATUS_LABEL.get(status, status)))


@functools.cache
def coverage_badge(state: str) -> str:
    css = {"covered": "met", "not": "missing", "unmapped": "unmapped", "deferred": "waived"}.get(state, "na")
    return str(_html.macro("badge", css, COVERAGE_LABEL.get(state, state)))


@functools.lru_cache(maxsize=4096)
def pill(text: str, css: str = "info") -> str:
    return str(_html.macro("pill", text, css))


def bar(fraction: float) -> str:
    return _bar(int(percent(fraction).rstrip("%")))


def readiness_bar(fraction: float) -> str:
    """A system's readiness as a bar, carrying the exact figure (``data-readiness``) every output shows."""
    whole = int(percent(fraction).rstrip("%"))
    css = "met" if whole >= 100 else "good" if whole >= 80 else "warn" if whole >= 50 else "bad"
    # The figure is ours, not repository text: passed as markup so it reads "0.8571" in the page.
    return str(_html.macro("readiness", Markup(f"{fraction:.4f}"), whole, css))


def pair_badge(pair: PairStatus) -> str:
    """A pair's status badge, carrying the control and status for readers and checks."""
    return str(_html.macro("status_badge", pair.status, STATUS_LABEL.get(pair.status, pair.status),
                           pair.control.notation))


@functools.cache
def _bar(percent: int) -> str:
    css = "met" if percent >= 100 else "good" if percent >= 80 else "warn" if percent >= 50 else "bad"
    return str(_html.macro("bar", percent, css))


def day(value: object) -> str:
    """A date that never wraps inside a table cell."""
    return str(_html.macro("day", "—" if value is None else str(value)))


def code(text: str) -> str:
    return str(_html.macro("code", text))


def external(url: str | None, text: str) -> str:
    """A link to an outside http(s) URL, or just the text when the URL is anything else."""
    safe = http_url(url)
    return str(_html.macro("external", safe, text)) if safe else inline(text)


def clause_link(data: SiteData, page: str, requirement: Requirement, with_title: bool = False) -> str:
    text = requirement.notation
    if with_title and (requirement.title or requirement.text):
        text = f"{requirement.notation} — {clause_summary(requirement)}"
    return link(text, relative(page, data.paths.clause[requirement.iri]))


def clause_summary(requirement: Requirement, limit: int = 110) -> str:
    text = requirement.title or requirement.text or ""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def control_link(data: SiteData, page: str, control: Control, with_title: bool = False) -> str:
    if with_title:
        return link(f"{control.notation} — {control.title}", relative(page, data.paths.control[control.iri]))
    return link(control.notation, relative(page, data.paths.control[control.iri]), "rg-id")


def system_link(data: SiteData, page: str, system_iri: object, with_title: bool = True) -> str:
    system = data.model.systems.get(system_iri)  # type: ignore[call-overload]
    if system is None:
        return "Organisation-wide"
    text = system.title if with_title else system.name
    return link(text, relative(page, data.paths.system[system.iri]))


def organisation_link(page: str, text: str = "Organisation-wide") -> str:
    return link(text, relative(page, "organisation.md"))


def evidence_page(data: SiteData, evidence: Evidence) -> str:
    """The page an evidence record is described on: its first system's, or the organisation's."""
    systems = sorted((data.model.systems[s] for s in evidence.systems if s in data.model.systems),
                     key=lambda s: s.name)
    return data.paths.system[systems[0].iri] if systems else "organisation.md"


def evidence_link(data: SiteData, page: str, evidence: Evidence) -> str:
    anchor = data.paths.evidence_anchor[evidence.iri]
    return link(evidence.title, relative(page, evidence_page(data, evidence), anchor))


def approval_text(data: SiteData, approval: Approval) -> str:
    decision = data.label(approval.decision)
    parts = [f"{decision} by {data.person(approval.approver)}"]
    if approval.role is not None:
        parts[0] += f" ({data.label(approval.role)})"
    if approval.date is not None:
        parts.append(f"on {approval.date}")
    if approval.expires is not None:
        parts.append(f"until {approval.expires}")
    return inline(" ".join(parts))


def currency_text(data: SiteData, evidence: Evidence, control: Control | None) -> str:
    """'current until …', 'expired on …' or 'no expiry', as of the site's date."""
    generated = data.generated(evidence)
    if generated is not None and generated > data.as_of:
        return inline(f"not yet valid (dated {generated})")
    last = data.last_valid_day(evidence, control)
    if last is None:
        return "no expiry"
    if last < data.as_of:
        return inline(f"expired on {last + dt.timedelta(days=1)}")
    return inline(f"current until {last}")


def evidence_line(data: SiteData, page: str, evidence: Evidence, pair: PairStatus) -> str:
    """One evidence record of a pair: link, the approval the engine counted (only that one: an
    approval it did not count is never shown as approving), and whether it is current."""
    parts = [evidence_link(data, page, evidence)]
    control = pair.control
    if control.approval_role is not None:
        counted = next((lapse.approval for lapse in pair.lapses if lapse.evidence == evidence.iri), None)
        if counted is not None:
            parts.append(approval_text(data, counted))
        elif data.positive_approvals(evidence):
            parts.append("no approval that counts (see the status)")
        else:
            parts.append("not approved")
    parts.append(currency_text(data, evidence, control))
    return " — ".join(parts)


def pair_evidence(data: SiteData, page: str, pair: PairStatus) -> str:
    evidence, withheld = data.view.evidence_of(pair)
    lines = [evidence_line(data, page, e, pair) for e in evidence]
    if withheld:
        lines.append(inline(withheld_phrase(withheld, data.audience)))
    return "<br>".join(lines) or "—"


NEXT_STEP = {
    "missing": "Produce {kind}evidence implementing {control}{approval} and add its record "
               "(rai-graph new evidence).",
    "expired": "Refresh the evidence: a new version dated within the control's maximum age "
               "({age}){approval}.",
    "invalid": "Restore the artefact or record its current SHA-256 in the evidence record, "
               "then have it re-approved if needed.",
    "failing": "Bring the measured results within the control's thresholds (or record the missing "
               "measurements) and add the new evaluation as evidence.",
    "unapproved": "Ask {who} (not the evidence's author) to approve it (rai-graph new approval).",
}


def next_step(data: SiteData, pair: PairStatus) -> str:
    """What to do about a gap, in one sentence."""
    control = pair.control
    who = f"a {data.label(control.approval_role)}" if control.approval_role else "an approver"
    approval = f", approved by {who}" if control.approval_role else ""
    kind = f"{data.label(control.evidence_type)} " if control.evidence_type else ""
    text = NEXT_STEP.get(pair.status, "")
    return inline(text.format(kind=kind, control=control.notation, approval=approval,
                              age=duration_words(control.max_age_text or "none"), who=who))


def facts(rows: Sequence[tuple[str, str]]) -> str:
    """A compact two-column table of facts (labels are ours, values already escaped)."""
    body = table([" ", " "], [(f"**{label}**", value) for label, value in rows if value])
    return f'<div class="rg-facts" markdown>\n\n{body}\n\n</div>'



def paged_table(
    base: str, title: str, intro: str, headers: Sequence[str], rows: Sequence[Sequence[str]],
    align: str = "", per_page: int = ROWS_PER_PAGE, empty: str = "Nothing to show.",
) -> Pages:
    """One page with the table, or several of ``per_page`` rows each linked by a pager.

    ``base`` is the first page's path (``gaps/index.md``); the others are ``…/page-N.md`` beside
    it. Rows must be built for links *from the first page's folder*: every page is a sibling.
    """
    from rai_graph.render.site._markdown import front_matter, heading

    count = max(1, math.ceil(len(rows) / per_page))
    folder = base.rsplit("/", 1)[0] + "/" if "/" in base else ""
    stem = base.rsplit("/", 1)[-1].removesuffix(".md")
    names = [base] + [f"{folder}{'page' if stem == 'index' else stem}-{n}.md" for n in range(2, count + 1)]
    pages: Pages = {}
    for number, name in enumerate(names, start=1):
        chunk = rows[(number - 1) * per_page: number * per_page]
        out = [front_matter(title if number == 1 else f"{title} (page {number})"),
               heading(1, title if number == 1 else f"{title} — page {number} of {count}"), ""]
        if number == 1 and intro:
            out += [intro, ""]
        if count > 1:
            out += [_pager(name, names, number), ""]
        out += [table(headers, chunk, align) if chunk else empty, ""]
        if count > 1:
            out += [_pager(name, names, number), ""]
        pages[name] = "\n".join(out)
    return pages


def _pager(page: str, names: Sequence[str], current: int) -> str:
    parts = []
    for number, name in enumerate(names, start=1):
        parts.append(f"**{number}**" if number == current else link(str(number), relative(page, name)))
    return "Pages: " + " · ".join(parts)
