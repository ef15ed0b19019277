"""``rai-graph query`` and ``rai-graph export``: the loaded graph for other tools."""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path

import click
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result

from rai_graph.commands import emit, reports_errors
from rai_graph.errors import RaiGraphError
from rai_graph.export import oscal_catalog, union_graph
from rai_graph.load.repository import load_repository


@click.command()
@click.argument("sparql")
@click.option("--repo", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The governance repository.")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]),
              default="table", show_default=True, help="How to print the results.")
@reports_errors
def query(sparql: str, repo: Path, output_format: str) -> None:
    """Run a SPARQL query (SELECT, ASK or CONSTRUCT) over the repository; SPARQL may be @FILE."""
    text = Path(sparql[1:]).read_text(encoding="utf-8") if sparql.startswith("@") else sparql
    loaded = load_repository(repo)
    graph = union_graph(loaded)
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
    emit(rendered, None)


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


@click.command()
@click.option("--repo", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The governance repository.")
@click.option("--format", "output_format", type=click.Choice(["turtle", "nt", "nquads", "jsonld", "oscal"]),
              default="turtle", show_default=True,
              help="turtle/nt/jsonld: the merged graph; nquads: one named graph per file; "
                   "oscal: the control library as an OSCAL 1.1 catalog (JSON).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to FILE instead of standard output.")
@reports_errors
def export(repo: Path, output_format: str, output: Path | None) -> None:
    """Export the repository graph (or its controls as OSCAL)."""
    loaded = load_repository(repo)
    if output_format == "oscal":
        from rai_graph.model import build_model

        text = json.dumps(oscal_catalog(build_model(loaded)), indent=2, ensure_ascii=False) + "\n"
    elif output_format == "nquads":
        text = _quiet_serialize(loaded.dataset, "nquads")
    else:
        graph: Graph = union_graph(loaded)
        text = _quiet_serialize(graph, "json-ld" if output_format == "jsonld" else output_format)
    emit(text, output)


def _quiet_serialize(graph: Graph, fmt: str) -> str:
    # rdflib's own N-Quads and JSON-LD serialisers call APIs it has deprecated; not our warning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return graph.serialize(format=fmt)
