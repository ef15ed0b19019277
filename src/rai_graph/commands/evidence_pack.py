"""``rai-graph evidence-pack``: build an auditor's evidence pack, or ``verify`` one.

``rai-graph evidence-pack --system ID -o OUT.zip`` builds; ``rai-graph evidence-pack verify OUT.zip``
verifies. Both live on one click group that runs its own callback when no subcommand is given.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from rai_graph.audience import Audience
from rai_graph.commands import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EnvironmentFailure,
    audience_option,
    repository_options,
    select_systems,
    write_output,
)
from rai_graph.commands.report import load, revision_option, source_info
from rai_graph.pack.build import build_pack, frameworks_for
from rai_graph.pack.manifest import manifest_digest
from rai_graph.pack.verify import problems_json, verify_pack
from rai_graph.render.report import resolve_framework


@click.group("evidence-pack", invoke_without_command=True)
@repository_options
@revision_option
@click.option("--system", "system_id", default=None, metavar="ID",
              help="The system (folder name, local name or IRI). Required when building.")
@click.option("--framework", "framework_id", default=None, metavar="ID",
              help="Report on this framework and pack only the evidence mapped to it "
                   "(default: every adopted framework that applies, and all the system's evidence).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The pack to write (.zip). Required when building.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.option("--no-pdf", is_flag=True, help="Leave the PDF report out (HTML, Markdown and JSON stay).")
@audience_option
@click.pass_context
def evidence_pack(ctx: click.Context, repo: Path, as_of: dt.date | None, rev: str | None,
                  system_id: str | None, framework_id: str | None, output: Path | None,
                  force: bool, no_pdf: bool, audience: Audience) -> None:
    """Build a verifiable evidence pack for one system: the audit-readiness report, every
    artefact and record the audience may see, a manifest of SHA-256 hashes and source commits,
    and the SHACL validation report. Check one with `evidence-pack verify PACK.zip`.
    """
    if ctx.invoked_subcommand is not None:
        return
    if system_id is None or output is None:
        missing = " and ".join(f for f, v in (("--system", system_id), ("-o", output)) if v is None)
        raise click.UsageError(f"building a pack needs {missing} (or use: evidence-pack verify PACK.zip)")
    if output.exists() and not force:
        raise EnvironmentFailure(f"{output} exists; use --force to overwrite it")
    result = load(repo, rev, as_of)
    assessment = select_systems(result, [system_id])[0]
    if not assessment.judged:
        raise EnvironmentFailure(f"system {assessment.system.name!r} is retired: nothing to pack")
    frameworks = ([resolve_framework(result, framework_id)] if framework_id
                  else frameworks_for(result, assessment))
    pack = build_pack(result, assessment, frameworks, narrowed=framework_id is not None,
                      audience=audience, source=source_info(result), with_pdf=not no_pdf)
    data = pack.to_zip()
    write_output(output, data, force=force)
    manifest = pack.manifest
    click.echo(f"Wrote {output} ({len(data):,} bytes): {len(manifest.files)} files for "
               f"{assessment.system.name}, as of {manifest.as_of}, audience {audience}"
               + (f"; {manifest.withheld} item(s) above the audience's level left out"
                  if manifest.withheld else "") + ".")
    digest = manifest_digest(pack.manifest_bytes())
    click.echo(f"Manifest SHA-256: {digest}")
    click.echo(f"Verify with: rai-graph evidence-pack verify {output} --expect-digest {digest}")


@evidence_pack.command("verify")
@click.argument("pack", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--expect-digest", default=None, metavar="SHA256",
              help="The manifest's SHA-256 recorded when the pack was made; detects a pack rebuilt "
                   "with a consistent but different manifest.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def verify(pack: Path, expect_digest: str | None, output_format: str) -> None:
    """Re-check every file of PACK against its manifest.json.

    Exit 0 when everything matches; 1 when anything was changed, removed or added (each named).
    """
    try:
        with pack.open("rb") as stream:
            verification = verify_pack(stream, expect_digest)
    except OSError as exc:
        raise EnvironmentFailure(f"cannot read {pack}: {exc.strerror or exc}") from exc
    if output_format == "json":
        click.echo(problems_json(verification, str(pack)), nl=False)
    elif verification.ok:
        click.echo(f"OK: {pack}: {verification.files_checked} files match manifest.json "
                   f"(manifest SHA-256 {verification.manifest_sha256}); re-judging repository/ confirms "
                   f"{verification.rejudged} control status(es).")
    else:
        click.echo(f"FAILED: {pack}: {len(verification.problems)} problem(s); "
                   f"{verification.files_checked} files could be checked.")
        for problem in verification.problems:
            click.echo(f"  {problem}")
    if output_format != "json":
        for note in verification.notes:
            click.echo(f"  note: {note}")
    sys.exit(EXIT_CLEAN if verification.ok else EXIT_FINDINGS)
