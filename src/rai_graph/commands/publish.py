"""``rai-graph publish``: push the repository's graph to a SPARQL 1.1 store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from rai_graph.commands import reports_errors, repository_options
from rai_graph.errors import RaiGraphError
from rai_graph.load.cache import Cache
from rai_graph.load.repository import load_repository
from rai_graph.progress import progress_for
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
@click.option("--quiet", is_flag=True, help="No progress bar.")
@reports_errors
def publish(repo: Path, as_of: dt.date | None, endpoint: str, base: str | None, per: str, full: bool,
            headers: tuple[str, ...], timeout: float, quiet: bool) -> None:
    """Publish the repository's graph to a SPARQL store, replacing what was published before.

    Only graphs whose content changed are sent again; graphs of files that were removed are
    deleted. Query several repositories together in the store afterwards.
    """
    extra = {}
    for header in headers:
        name, separator, value = header.partition(":")
        if not separator or not name.strip():
            raise RaiGraphError(f"--header {header!r} is not NAME:VALUE")
        extra[name.strip()] = value.strip()
    progress = progress_for(quiet)
    loaded = load_repository(repo, cache=Cache.for_repository(repo) if repo.is_dir() else None,
                             progress=progress)
    summary = publish_graphs(loaded, endpoint, base, per="system" if per == "system" else "file",
                             full=full, headers=extra, timeout=timeout, progress=progress)
    click.echo(f"published {len(summary.put) + len(summary.unchanged)} graph(s), "
               f"{summary.triples} triples, to {endpoint} under <{summary.base}>: "
               f"{len(summary.put)} sent, {len(summary.unchanged)} unchanged, "
               f"{len(summary.deleted)} removed")
    if loaded.errors:
        click.echo(f"warning: {len(loaded.errors)} file(s) could not be loaded and were not "
                   "published; run `rai-graph check`", err=True)
