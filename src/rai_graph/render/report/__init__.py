"""The audit-readiness report: as of a date, for one framework, which obligations each AI system
meets, with what evidence, approved by whom.

:func:`build_report` turns a pipeline result into an :class:`AuditReport` (the JSON document,
already filtered for its audience); ``render_*`` turn that into HTML, PDF, Markdown or JSON.
"""

from __future__ import annotations

from rai_graph.render.report.build import LOOKAHEAD_DAYS as LOOKAHEAD_DAYS
from rai_graph.render.report.build import build_report as build_report
from rai_graph.render.report.build import framework_id_of as framework_id_of
from rai_graph.render.report.build import resolve_framework as resolve_framework
from rai_graph.render.report.formats import PdfUnavailable as PdfUnavailable
from rai_graph.render.report.formats import dumps_schema as dumps_schema
from rai_graph.render.report.formats import render_html as render_html
from rai_graph.render.report.formats import render_json as render_json
from rai_graph.render.report.formats import render_markdown as render_markdown
from rai_graph.render.report.formats import render_pdf as render_pdf
from rai_graph.render.report.formats import report_schema as report_schema
from rai_graph.render.report.schema import AuditReport as AuditReport
from rai_graph.render.report.schema import SourceInfo as SourceInfo

__all__ = [
    "LOOKAHEAD_DAYS",
    "AuditReport",
    "PdfUnavailable",
    "SourceInfo",
    "build_report",
    "dumps_schema",
    "framework_id_of",
    "render_html",
    "render_json",
    "render_markdown",
    "render_pdf",
    "report_schema",
    "resolve_framework",
]
