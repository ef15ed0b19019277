"""Geometry of the report's charts; the SVG itself is written by ``templates/report/charts.svg.j2``.

Positions are computed here (plain numbers, easy to test) so the templates only draw. Colours
are chosen to stay distinguishable in greyscale print: the statuses run from dark green (met)
to dark red (missing), with the two 'broken' statuses set apart by hue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rai_graph.render.report.schema import SystemSummary
from rai_graph.trace import STATUS_ORDER, Status

STATUS_COLOURS: dict[Status, str] = {
    "met": "#1b7837",
    "waived": "#7fbf7b",
    "failing": "#e08214",
    "unapproved": "#fdb863",
    "expired": "#d95f02",
    "invalid": "#762a83",
    "missing": "#b2182b",
}

WIDTH = 680
LABEL_WIDTH = 210
VALUE_WIDTH = 56
BAR_AREA = WIDTH - LABEL_WIDTH - VALUE_WIDTH
TOP = 30


@dataclass(frozen=True, slots=True)
class Bar:
    y: float
    width: float
    value: float
    label: str
    colour: str


@dataclass(frozen=True, slots=True)
class BarRow:
    label: str
    sublabel: str
    y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class Segment:
    x: float
    width: float
    count: int
    status: Status
    colour: str


@dataclass(frozen=True, slots=True)
class StackRow:
    label: str
    sublabel: str
    y: float
    total: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class LegendItem:
    x: float
    label: str
    colour: str


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    height: float
    rows: tuple[BarRow, ...] | tuple[StackRow, ...]
    legend: tuple[LegendItem, ...]
    legend_y: float
    label_width: float = LABEL_WIDTH
    bar_area: float = BAR_AREA
    width: float = WIDTH


READINESS_SERIES = (
    ("obligations covered", "#2166ac"),
    ("controls met or waived", "#92c5de"),
)


def readiness_chart(systems: Sequence[SystemSummary]) -> Chart:
    """Two bars per judged system: in-force obligations covered, and mapped controls met or waived."""
    row_height, bar_height = 44, 16
    rows = []
    judged = [s for s in systems if s.judged]
    for index, system in enumerate(judged):
        y = TOP + index * row_height
        values = (system.coverage, system.framework_readiness)
        rows.append(BarRow(
            label=system.title, sublabel=f"{system.name} · {system.tier_label}", y=y,
            bars=tuple(
                Bar(y=y + offset * (bar_height + 2), width=round(BAR_AREA * value, 1), value=value,
                    label=series, colour=colour)
                for offset, (value, (series, colour)) in enumerate(zip(values, READINESS_SERIES,
                                                                        strict=True))
            ),
        ))
    legend_y = TOP + len(judged) * row_height + 8
    legend = tuple(LegendItem(x=LABEL_WIDTH + i * 200, label=label, colour=colour)
                   for i, (label, colour) in enumerate(READINESS_SERIES))
    return Chart("Readiness by system", legend_y + 14, tuple(rows), legend, legend_y)


def status_chart(systems: Sequence[SystemSummary]) -> Chart:
    """One 100 % stacked bar per judged system: its mapped controls by status."""
    row_height = 34
    rows = []
    judged = [s for s in systems if s.judged]
    for index, system in enumerate(judged):
        y = TOP + index * row_height
        total = sum(system.control_counts.values())
        segments, x = [], float(LABEL_WIDTH)
        for status in STATUS_ORDER:
            count = system.control_counts.get(status, 0)
            if not count:
                continue
            width = round(BAR_AREA * count / total, 1)
            segments.append(Segment(x=round(x, 1), width=width, count=count, status=status,
                                    colour=STATUS_COLOURS[status]))
            x += width
        rows.append(StackRow(label=system.title, sublabel=f"{system.name} · {total} controls",
                             y=y, total=total, segments=tuple(segments)))
    legend_y = TOP + len(judged) * row_height + 8
    step = (WIDTH - 10) / len(STATUS_ORDER)
    legend = tuple(LegendItem(x=round(10 + i * step, 1), label=status, colour=STATUS_COLOURS[status])
                   for i, status in enumerate(STATUS_ORDER))
    return Chart("Control status by system", legend_y + 14, tuple(rows), legend, legend_y)
