"""The "Posture over time" page (``site build --history``): readiness and gaps per system at each
point of the history, drawn as inline SVG with the figures in a table beside each chart, and
every status change with the commit and pull request that made it.

The points and changes come judged (:mod:`rai_graph.analysis.history`: the engine at each
commit); this module only draws them. Commit subjects name records, so only the internal
audience sees them; every audience sees the commit and pull request links.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from rai_graph.analysis.history import Point, StatusChange
from rai_graph.audience import Audience
from rai_graph.render.site._common import badge, control_link, external, system_link
from rai_graph.render.site._data import STATUS_LABEL, SiteData
from rai_graph.render.site._markdown import front_matter, heading, inline, table
from rai_graph.render.words import percent

PAGE = "history.md"
_WIDTH, _HEIGHT, _LEFT, _RIGHT, _TOP, _BOTTOM = 640, 180, 44, 44, 12, 34


@dataclass(frozen=True, slots=True)
class History:
    """What the page is drawn from."""

    points: Sequence[Point]
    changes: Sequence[StatusChange]
    github: str | None = None
    """``https://github.com/<owner>/<name>``, for commit and pull request links."""


def history_page(history: History, data: SiteData) -> str:
    """The page; systems and controls that still exist link to their pages."""
    points = list(history.points)
    parts = [front_matter("Posture over time"), heading(1, "Posture over time")]
    if not points:
        parts.append("The repository has no tags and no commits to judge: no history yet.")
        return "\n\n".join(parts) + "\n"
    kind = "tag" if any(not _is_month(p.label) for p in points) else "month's last commit"
    parts.append(
        f"The repository judged at each {inline(kind)} ({len(points)} points, {points[0].day} to "
        f"{points[-1].day}), each as of its commit's date: readiness is the share of binding controls "
        "met or waived; gaps are the controls that bind and are not.")
    systems = sorted({name for point in points for name in point.readiness})
    parts.append(heading(2, "All systems", "all-systems"))
    parts.append(_chart("All systems", [_mean(p) for p in points], [sum(p.gaps.values()) for p in points],
                        points))
    parts.append(_figures(points, [_mean(p) for p in points], [sum(p.gaps.values()) for p in points]))
    parts.append(heading(2, "Status changes", "status-changes"))
    parts.append(_changes(history, data))
    parts.append(heading(2, "Per system", "per-system"))
    for name in systems:
        readiness = [p.readiness.get(name) for p in points]
        gaps = [p.gaps.get(name) for p in points]
        parts.append(heading(3, name, f"system-{_anchor(name)}"))
        parts.append(_chart(name, readiness, gaps, points))
        parts.append(_figures(points, readiness, gaps))
    return "\n\n".join(parts) + "\n"


def _mean(point: Point) -> float | None:
    values = list(point.readiness.values())
    return sum(values) / len(values) if values else None


def _chart(name: str, readiness: Sequence[float | None], gaps: Sequence[int | None],
           points: Sequence[Point]) -> str:
    """Readiness as a line (left axis, 0–100 %), gaps as bars (right axis), one step per point."""
    inner_w, inner_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    step = inner_w / max(len(points) - 1, 1)
    most = max([g for g in gaps if g is not None] + [1])

    def x(index: int) -> float:
        return _LEFT + (index * step if len(points) > 1 else inner_w / 2)

    title = f"{name}: readiness and gaps at {len(points)} points"
    described = "; ".join(
        f"{p.label}: {percent(r) if r is not None else 'not judged'}, {g if g is not None else 0} gaps"
        for p, r, g in zip(points, readiness, gaps, strict=True))
    shapes = [f'<line x1="{_LEFT}" y1="{_TOP + inner_h}" x2="{_LEFT + inner_w}" y2="{_TOP + inner_h}" '
              'class="rai-axis"/>']
    for value, label in ((1.0, "100%"), (0.5, "50%"), (0.0, "0%")):
        y = _TOP + inner_h * (1 - value)
        shapes.append(f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="rai-tick">{label}</text>')
    shapes.append(f'<text x="{_LEFT + inner_w + 6}" y="{_TOP + 4}" class="rai-tick">{most} gaps</text>')
    bar = max(min(step * 0.5, 24), 4)
    for index, count in enumerate(gaps):
        if count:
            height = inner_h * count / most
            shapes.append(f'<rect x="{x(index) - bar / 2:.1f}" y="{_TOP + inner_h - height:.1f}" width="{bar:.1f}" '
                          f'height="{height:.1f}" class="rai-gaps"><title>{escape(points[index].label)}: '
                          f'{count} gaps</title></rect>')
    line = [(x(i), _TOP + inner_h * (1 - r)) for i, r in enumerate(readiness) if r is not None]
    if len(line) > 1:
        shapes.append('<polyline class="rai-readiness" points="'
                      + " ".join(f"{a:.1f},{b:.1f}" for a, b in line) + '"/>')
    for index, share in enumerate(readiness):
        if share is not None:
            shapes.append(f'<circle cx="{x(index):.1f}" cy="{_TOP + inner_h * (1 - share):.1f}" r="3.5" '
                          f'class="rai-point"><title>{escape(points[index].label)}: {percent(share)}</title></circle>')
    labels = points if len(points) <= 12 else [p for i, p in enumerate(points) if i % (len(points) // 12 + 1) == 0]
    for point in labels:
        index = list(points).index(point)
        shapes.append(f'<text x="{x(index):.1f}" y="{_HEIGHT - 12}" text-anchor="middle" class="rai-tick">'
                      f"{escape(point.label)}</text>")
    return ('<div class="rai-history-chart">\n'
            f'<svg role="img" viewBox="0 0 {_WIDTH} {_HEIGHT}" width="100%" aria-labelledby="t-{_anchor(name)}" '
            f'data-system={quoteattr(name)} xmlns="http://www.w3.org/2000/svg">'
            f'<title id="t-{_anchor(name)}">{escape(title)}</title><desc>{escape(described)}</desc>'
            + "".join(shapes) + "</svg>\n</div>")


def _figures(points: Sequence[Point], readiness: Sequence[float | None], gaps: Sequence[int | None]) -> str:
    rows = [[inline(p.label), str(p.day), percent(r) if r is not None else "—", str(g) if g is not None else "—"]
            for p, r, g in zip(points, readiness, gaps, strict=True)]
    return table(["Point", "Date", "Readiness", "Gaps"], rows, "llrr")


def _changes(history: History, data: SiteData) -> str:
    """One row per status change; a system's first appearance is one row (its controls start to
    bind), not one per control."""
    if not history.changes:
        return "No control changed status between the points."
    before_point = {id(b): a for a, b in itertools.pairwise(history.points)}
    registered: dict[tuple[int, str], list[StatusChange]] = {}
    rows: list[tuple[StatusChange, list[StatusChange], bool]] = []
    for change in history.changes:
        previous = before_point.get(id(change.point))
        if change.before is None and previous is not None and change.system not in previous.readiness:
            first = registered.setdefault((id(change.point), change.system), [])
            first.append(change)
            if len(first) == 1:
                rows.append((change, first, True))
            continue
        rows.append((change, [change], False))
    systems = {system.name: system for system in data.model.systems.values()}
    controls = {control.notation: control for control in data.model.controls.values()}

    def system_cell(name: str) -> str:
        found = systems.get(name)
        return system_link(data, PAGE, found.iri, with_title=False) if found else inline(name)

    def control_cell(notation: str) -> str:
        found = controls.get(notation)
        return control_link(data, PAGE, found) if found and found.iri in data.paths.control else inline(notation)

    lines = []
    for change, group, first_judged in rows:
        if first_judged:
            counts = Counter(c.after for c in group)
            what = (f"first judged: {len(group)} controls bind ("
                    + ", ".join(f"{n} {STATUS_LABEL.get(s or '', s)}" for s, n in sorted(counts.items(), key=str))
                    + ")")
            lines.append([inline(change.point.label), system_cell(change.system), "all", "—", inline(what),
                          _made_by(history, change, data.audience)])
            continue
        lines.append([inline(change.point.label), system_cell(change.system), control_cell(change.control),
                      _state(change.before), _state(change.after), _made_by(history, change, data.audience)])
    return table(["Point", "System", "Control", "Before", "After", "Made by"], lines)


def _made_by(history: History, change: StatusChange, audience: Audience) -> str:
    commit = change.commit
    if commit is None:
        return "no commit: the dates passed (evidence aged, a waiver lapsed or a date in law came)"
    made = (external(f"{history.github}/commit/{commit.sha}", commit.sha[:10]) if history.github
            else f"`{commit.sha[:10]}`")
    if commit.pull_request is not None:
        number = f"#{commit.pull_request}"
        made += " in pull request " + (external(f"{history.github}/pull/{commit.pull_request}", number)
                                       if history.github else inline(number))
    if audience == "internal":
        subject = re.sub(r"\s*\(#\d+\)\s*$", "", commit.subject)
        made += f": {inline(subject)}"
    return made


def _state(status: str | None) -> str:
    return badge(status) if status in STATUS_LABEL else "not binding"


def _is_month(label: str) -> bool:
    return len(label) == 7 and label[4] == "-" and label.replace("-", "").isdigit()


def _anchor(name: str) -> str:
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in name.casefold()).strip("-") or "system"
