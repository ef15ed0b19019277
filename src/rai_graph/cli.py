"""The ``rai-graph`` command line (contract: ``shared/spec/cli.md``).

Only registration lives here: each command is a module under :mod:`rai_graph.commands`, imported
when it runs, so ``rai-graph --help`` and ``--version`` never import rdflib, pyshacl, WeasyPrint or
MkDocs. The group maps the project's errors to exit code 2 (:class:`~rai_graph.commands.RaiGraphGroup`).
"""

from __future__ import annotations

import importlib
import logging

import click

from rai_graph._version import __version__
from rai_graph.commands import RaiGraphGroup

# name → (module under rai_graph.commands, attribute, one-line help shown by ``--help``).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": ("check", "check", "Validate the repository and report every gap and input error."),
    "status": ("check", "status", "Show the status of every control of every system, and requirement coverage."),
    "diff": ("diff", "diff", "Compliance change between git revisions BASE and HEAD (default: the working tree)."),
    "timeline": ("timeline", "timeline", "What binds when: obligations that start to bind each system later."),
    "soa": ("soa", "soa", "Statement of Applicability of a framework for each system."),
    "report": ("report", "report", "Audit-readiness report for one framework (markdown, html, pdf, json)."),
    "evidence-pack": ("evidence_pack", "evidence_pack", "Build or verify an evidence pack for one system."),
    "questionnaire": ("questionnaire", "questionnaire", "Answer customer questionnaires; learn from reviewed ones."),
    "site": ("site", "site", "The traceability site: build it, or serve it on 127.0.0.1."),
    "kpis": ("kpis", "kpis", "Governance KPIs of the organisation or of some systems."),
    "init": ("init", "init", "Create a new governance repository that passes check at once."),
    "new": ("new", "new", "Write a new record file (system, evidence, approval or waiver)."),
    "query": ("query", "query", "Run a SPARQL query over the repository."),
    "export": ("query", "export", "Export the graph (Turtle, N-Triples, JSON-LD) or OSCAL / CycloneDX."),
    "publish": ("publish", "publish", "Push the graph and its judgement to a SPARQL 1.1 store."),
    "shapes": ("shapes", "shapes", "The SHACL shapes rai-graph uses (export the completeness rules)."),
    "demo": ("demo", "demo", "Synthetic and example repositories for tests, benchmarks and the demo."),
}


class LazyGroup(RaiGraphGroup):
    """Loads a command's module only when the command is run (or its own help is asked for)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, attribute, _help = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(f"rai_graph.commands.{module}"), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the table, without importing a single command module."""
        rows = [(name, COMMANDS[name][2]) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rai-graph")
def main() -> None:
    """rai-graph: evidence-as-code compliance for AI systems.

    Loads a governance repository (frameworks/, controls/, evidence/), validates it and judges,
    per AI system and risk tier, whether the controls its tier demands are in place.
    """
    # rdflib logs a traceback for every ill-typed literal; those are reported as shape errors.
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)

