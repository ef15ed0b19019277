"""``rai-graph query`` and ``rai-graph export``: the loaded graph for other tools."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import warnings
from pathlib import Path
from typing import Any

import click
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result

from rai_graph.audience import Audience, AudienceView
from rai_graph.checkout import checkout_of
from rai_graph.commands import audience_option, emit, output_options, repository_options, select_systems
from rai_graph.errors import RaiGraphError
from rai_graph.export import audience_dataset, jsonld, union_graph
from rai_graph.load.repository import load_repository
from rai_graph.pipeline import PipelineResult, run
from rai_graph.render import oscal
from rai_graph.trace import SystemAssessment


@click.command()
@click.argument("sparql")
@click.option("--repo", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The governance repository.")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]),
              default="table", show_default=True, help="How to print the results.")
@audience_option
@output_options
def query(sparql: str, repo: Path, output_format: str, audience: Audience, output: Path | None,
          force: bool) -> None:
    """Run a SPARQL query (SELECT, ASK or CONSTRUCT) over the repository; SPARQL may be @FILE.

    With --audience, only the files that audience may see are queried (so a query cannot reach
    a record above its level)."""
    text = Path(sparql[1:]).read_text(encoding="utf-8") if sparql.startswith("@") else sparql
    if audience == "internal":
        loaded = load_repository(repo)
        graph = union_graph(loaded)
    else:
        result = run(repo, None)
        graph = union_graph(result.repository, AudienceView(audience, result.model, result.validation.artifacts))
    try:
        prepared = prepareQuery(text)
    except Exception as exc:  # rdflib raises pyparsing errors of several types for bad SPARQL
        raise RaiGraphError(f"the query is not valid SPARQL: {exc}") from exc
    if _uses_service(prepared.algebra):
        # SERVICE would make rdflib fetch from the network: the tool never does at run time.
        raise RaiGraphError("SERVICE (federated query) is not allowed: rai-graph queries only the repository")
    try:
        rendered = _render(graph.query(prepared), output_format)
    except Exception as exc:  # evaluation errors (types, functions, GRAPH on the union) in rdflib
        raise RaiGraphError(f"the query failed: {exc}") from exc
    emit(rendered, output, force=force)


def _uses_service(node: object) -> bool:
    """Whether the query algebra contains a SERVICE pattern anywhere."""
    if getattr(node, "name", None) == "ServiceGraphPattern":
        return True
    if isinstance(node, dict):
        return any(_uses_service(value) for value in node.values())
    if isinstance(node, list | tuple):
        return any(_uses_service(value) for value in node)
    return False


def _render(result: Result, output_format: str) -> str:
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None
        return result.graph.serialize(format="turtle")
    names = [str(v) for v in result.vars or []]
    rows = [["" if value is None else str(value) for value in row] for row in result]  # type: ignore[union-attr]
    if output_format == "json":
        return json.dumps([dict(zip(names, row, strict=True)) for row in rows], indent=2) + "\n"
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buffer.getvalue()
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.append(f"({len(rows)} row{'s' * (len(rows) != 1)})")
    return "\n".join(lines) + "\n"


GRAPH_FORMATS = ("turtle", "nt", "nquads", "jsonld")
STANDARD_FORMATS = ("oscal", "oscal-component", "oscal-assessment", "cyclonedx", "cdxa")


@click.command()
@repository_options
@audience_option
@click.option("--format", "output_format", type=click.Choice([*GRAPH_FORMATS, *STANDARD_FORMATS]),
              default="turtle", show_default=True,
              help="turtle/nt/jsonld: the merged graph (JSON-LD with rai-graph's @context); nquads: one named "
                   "graph per file; oscal: the control library as an OSCAL catalog; oscal-component: the "
                   "controls as each system implements them; oscal-assessment: OSCAL assessment results as of "
                   "the date; cyclonedx: a system's CycloneDX ML-BOM; cdxa: its CycloneDX attestation.")
@click.option("--system", "system_ids", multiple=True,
              help="Only this system (folder name, local name or IRI); repeatable. cyclonedx and cdxa "
                   "describe one system.")
@output_options
def export(repo: Path, as_of: dt.date | None, audience: Audience, output_format: str,
           system_ids: tuple[str, ...], output: Path | None, force: bool) -> None:
    """Export the repository graph, or the controls and the judgement in a standard format.

    Only what the audience may see is exported: graph formats leave out the files of records above
    its level, the standard formats the evidence records (counting, never naming, what is withheld).
    """
    result = run(repo, as_of)
    view = AudienceView(audience, result.model, result.validation.artifacts)
    if output_format in GRAPH_FORMATS:
        text = _graph_export(result, view, output_format)
    else:
        text = json.dumps(_standard_export(result, view, output_format, select_systems(result, system_ids)),
                          indent=2, ensure_ascii=False) + "\n"
    emit(text, output, force=force)


def _graph_export(result: PipelineResult, view: AudienceView, output_format: str) -> str:
    loaded = result.repository
    if output_format == "nquads":
        return _quiet_serialize(audience_dataset(loaded, view), "nquads")
    graph = union_graph(loaded, view)
    if output_format == "jsonld":
        return jsonld(graph)
    return _quiet_serialize(graph, output_format)


def _standard_export(
    result: PipelineResult, view: AudienceView, output_format: str, systems: list[SystemAssessment],
) -> dict[str, Any]:
    checkout = checkout_of(result.repository.tree.location)
    issued: dt.datetime | dt.date = checkout.committed or result.assessment.as_of
    if output_format == "oscal":
        return oscal.oscal_catalog(result.model, issued)
    if output_format == "oscal-component":
        return oscal.component_definition(result.model, result.assessment, systems, view, result.provenance,
                                          issued)
    if output_format == "oscal-assessment":
        return oscal.assessment_results(result.model, result.assessment, systems, view, result.provenance,
                                        issued, checkout.commit)
    from rai_graph.render import cyclonedx

    judged = [s for s in systems if s.judged]
    if len(judged) != 1:
        names = ", ".join(s.system.name for s in judged) or "none"
        raise RaiGraphError(f"--format {output_format} describes one system: choose it with --system "
                            f"(judged systems: {names})")
    if output_format == "cyclonedx":
        return cyclonedx.ml_bom(result.model, result.assessment, judged[0], view, result.provenance, issued)
    return cyclonedx.attestation(result.model, result.assessment, judged[0], view, result.provenance, issued,
                                 result.repository.settings.base_iri)


def _quiet_serialize(graph: Graph, fmt: str) -> str:
    # rdflib's own N-Quads and JSON-LD serialisers call APIs it has deprecated; not our warning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return graph.serialize(format=fmt)
