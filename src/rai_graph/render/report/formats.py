"""Render an :class:`~.schema.AuditReport` as HTML, PDF, Markdown or JSON.

All four come from the same report object, and HTML and Markdown from jinja2 templates in
``rai_graph/templates/report/``. Repository text is untrusted: the HTML environment autoescapes,
and the Markdown environment escapes every ``{{ ... }}`` it prints (``finalize``) unless the
template marks a value as already-formatted Markdown. The PDF is WeasyPrint's rendering of the
HTML, so both always say the same. Every function is pure and returns the document.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

import jinja2
from markupsafe import Markup

from rai_graph.audience import WITHHELD_ARTIFACT, withheld_phrase
from rai_graph.errors import RaiGraphError
from rai_graph.render.human import md
from rai_graph.render.kpis import kpi_rows, kpi_scope
from rai_graph.render.report import charts
from rai_graph.render.report.schema import AuditReport
from rai_graph.render.words import COVERAGE_LABELS as COVERAGE_WORDS
from rai_graph.render.words import STATUS_MARKS, percent

COVERAGE_LABELS = {state: label.capitalize() for state, label in COVERAGE_WORDS.items()}
AUDIENCE_LABELS = {
    "public": "the public",
    "customer": "customers",
    "auditor": "auditors",
    "internal": "internal use",
}


class PdfUnavailable(RaiGraphError):
    """WeasyPrint (or the Pango library it needs) is not installed."""


def render_json(report: AuditReport) -> str:
    return report.model_dump_json(indent=2) + "\n"


def report_schema() -> dict[str, Any]:
    """The JSON Schema of ``report --format json`` (also in ``docs/report-schema.json``)."""
    schema = AuditReport.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://w3id.org/rai-graph/schema/report.json"
    return schema


def render_html(report: AuditReport, *, for_print: bool = False) -> str:
    """A single self-contained HTML file: styles inline, charts as inline SVG, no external links
    needed to read it. ``for_print`` adds page headers and footers for the PDF."""
    template = _environment("html").get_template("report.html.j2")
    return template.render(**_context(report), for_print=for_print)


def render_markdown(report: AuditReport) -> str:
    template = _environment("markdown").get_template("report.md.j2")
    return template.render(**_context(report)).rstrip("\n") + "\n"


def render_pdf(report: AuditReport) -> bytes:
    """The HTML report printed to PDF (A4) by WeasyPrint."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]  # ships without type hints
    except (ImportError, OSError) as exc:  # OSError: the Pango shared library is missing
        raise PdfUnavailable(
            f"PDF output needs WeasyPrint and Pango ({exc}); install them with "
            "`pip install weasyprint` (Pango comes with the system's packages), or choose "
            "--format html"
        ) from exc
    # WeasyPrint logs every CSS property it ignores; none of them matter to the reader.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf: bytes = HTML(string=render_html(report, for_print=True)).write_pdf()
    return pdf


def _context(report: AuditReport) -> dict[str, Any]:
    summary = report.summary
    return {
        "report": report,
        "readiness_chart": charts.readiness_chart(summary.systems),
        "status_chart": charts.status_chart(summary.systems),
        "status_colours": charts.STATUS_COLOURS,
        "status_marks": STATUS_MARKS,
        "coverage_labels": COVERAGE_LABELS,
        "audience_label": AUDIENCE_LABELS[report.audience],
        "kpi_rows": kpi_rows(report.kpis),
        "withheld": lambda count: withheld_phrase(count, report.audience),
        "kpi_scope": kpi_scope(report.kpis),
    }


@functools.cache
def _environment(kind: str) -> jinja2.Environment:
    loader = jinja2.PackageLoader("rai_graph", "templates/report")
    if kind == "html":
        environment = jinja2.Environment(
            loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True,
        )
    else:
        environment = jinja2.Environment(
            loader=loader, autoescape=False, undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True, finalize=_markdown_escape,
        )
        environment.filters["verbatim"] = _verbatim
    environment.filters.update(
        pct=_percent, index_by=_index_by, short_sha=_short_sha, day=_day, plural=_plural,
        anchor=_anchor, bar=_text_bar,
    )
    environment.globals["WITHHELD_ARTIFACT"] = WITHHELD_ARTIFACT
    return environment


def _markdown_escape(value: Any) -> Any:
    """Escape every printed value for Markdown unless a template marked it as Markdown."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return md(str(value))


def _verbatim(value: Any) -> Markup:
    """Text for a code span or block, printed as is: no backticks or line breaks can end it."""
    return Markup(str(value).replace("`", "'").replace("\n", " "))


def _anchor(iri: str) -> str:
    """A fragment id for an IRI: safe in HTML whatever characters the IRI holds."""
    return "ev-" + hashlib.sha256(iri.encode("utf-8")).hexdigest()[:12]


def _text_bar(value: float, width: int = 20) -> str:
    filled = round(max(0.0, min(1.0, value)) * width)
    return "█" * filled + "░" * (width - filled)


def _percent(value: float) -> str:
    return percent(value)


def _index_by(items: Iterable[Any], attribute: str) -> Mapping[str, Any]:
    return {getattr(item, attribute): item for item in items}


def _short_sha(value: str | None, length: int = 12) -> str:
    return value[:length] if value else ""


def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def dumps_schema() -> str:
    """The schema as the text stored in ``docs/report-schema.json``."""
    return json.dumps(report_schema(), indent=2, ensure_ascii=False) + "\n"
