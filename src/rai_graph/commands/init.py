"""``rai-graph init DIR``: a new governance repository that passes ``check`` at once."""

from __future__ import annotations

import re
from pathlib import Path

import click

from rai_graph.authoring.records import git_identity
from rai_graph.authoring.scaffold import Organisation, initialise


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--organisation", "name", default="Example Organisation", show_default=True,
              help="The organisation's name, used in the README and the control answer texts.")
@click.option("--base-iri", default=None,
              help="IRI prefix of the organisation's terms (default: https://example.org/<name>/).")
@click.option("--lead-name", default=None, help="First Responsible AI lead (default: git user.name).")
@click.option("--lead-email", default=None, help="Their e-mail (default: git user.email).")
@click.option("--default-branch", default="main", show_default=True,
              help="Branch the CI workflow checks on push.")
@click.option("--force", is_flag=True, help="Write into DIRECTORY even if it is not empty.")
def init(directory: Path, name: str, base_iri: str | None, lead_name: str | None,
         lead_email: str | None, default_branch: str, force: bool) -> None:
    """Create a governance repository in DIRECTORY: catalogues, starter controls, CI."""
    identity = git_identity(directory.parent if not directory.exists() else directory)
    organisation = Organisation(
        name=name,
        base_iri=base_iri or f"https://example.org/{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}/",
        lead_name=lead_name or (identity[0] if identity and identity[0] else "Responsible AI Lead"),
        lead_email=lead_email or (identity[1] if identity else "rai-lead@example.org"),
        default_branch=default_branch,
    )
    written = initialise(directory, organisation, force=force)
    click.echo(f"Created {directory} ({len(written)} files) for {organisation.name}.")
    click.echo("Next: cd into it, `git init`, then `rai-graph check` and `rai-graph new system ...`.")
