"""``rai-graph publish``: push the repository's graph, and its judgement as of a date, to a SPARQL 1.1
store, scoped to an audience."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from rai_graph.audience import AUDIENCES, Audience, AudienceView
from rai_graph.checkout import checkout_of
from rai_graph.commands import repository_options
from rai_graph.errors import RaiGraphError
from rai_graph.pipeline import run
from rai_graph.progress import progress_for
from rai_graph.publish import judgement_graph
from rai_graph.publish import publish as publish_graphs


@click.command()
@repository_options
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store HTTP Protocol endpoint, e.g. http://localhost:7878/store (Oxigraph) "
                   "or http://localhost:3030/ds/data (Fuseki).")
@click.option("--graph", "base", default=None, metavar="IRI",
              help="Base graph IRI of this repository (default: from base_iri, else the folder name). "
                   "Its graphs are IRI/<path>; the manifest is IRI itself.")
@click.option("--per", type=click.Choice(["file", "system"]), default="file", show_default=True,
              help="One named graph per Turtle file, or per system folder under evidence/.")
@click.option("--full", is_flag=True, help="Put every graph again, even those that did not change.")
@click.option("--header", "headers", multiple=True, metavar="NAME:VALUE",
              help="Extra HTTP header, e.g. 'Authorization: Bearer ...'; repeatable.")
@click.option("--timeout", type=click.FloatRange(min=1), default=60.0, show_default=True,
              help="Seconds to wait for each request.")
@click.option("--audience", type=click.Choice(AUDIENCES), default=None,
              help="Who may query the store: only files whose records this audience may see are "
                   "published (default internal: everything, with a warning).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def publish(repo: Path, as_of: dt.date | None, endpoint: str, base: str | None, per: str, full: bool,
            headers: tuple[str, ...], timeout: float, audience: Audience | None, quiet: bool) -> None:
    """Publish the repository's graph and its judgement to a SPARQL store, replacing what was
    published before.

    The judgement as of the date (every system's readiness, every control's status and reason,
    requirement coverage, deferred requirements) goes to its own named graph, BASE/judgement.
    Only graphs whose content changed are sent again; graphs of files that were removed (or that
    the audience may not see) are deleted. A redirect to another origin is refused, so --header
    credentials never leave for it.
    """
    extra = {}
    for header in headers:
        name, separator, value = header.partition(":")
        if not separator or not name.strip():
            raise RaiGraphError(f"--header {header!r} is not NAME:VALUE")
        extra[name.strip()] = value.strip()
    if audience is None:
        click.echo("warning: no --audience given: publishing for internal, every record included; "
                   "pass --audience auditor|customer|public for a store others can query", err=True)
        audience = "internal"
    progress = progress_for(quiet)
    result = run(repo, as_of, progress=progress)
    loaded = result.repository
    view = AudienceView(audience, result.model, result.validation.artifacts)
    checkout = checkout_of(loaded.tree.location)
    summary = publish_graphs(
        loaded, endpoint, base, per="system" if per == "system" else "file", full=full, headers=extra,
        timeout=timeout, progress=progress, view=view,
        judgement=lambda iri: judgement_graph(result.assessment, view, iri, commit=checkout.commit,
                                              generated=checkout.committed),
    )
    click.echo(f"published {len(summary.put) + len(summary.unchanged)} graph(s), "
               f"{summary.triples} triples, to {endpoint} under <{summary.base}>: "
               f"{len(summary.put)} sent, {len(summary.unchanged)} unchanged, "
               f"{len(summary.deleted)} removed")
    if loaded.errors:
        click.echo(f"warning: {len(loaded.errors)} file(s) could not be loaded and were not "
                   "published; run `rai-graph check`", err=True)
