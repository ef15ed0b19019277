"""One command-line boundary and one option vocabulary, checked on every command (cli.md, "Common flags").

The tests walk the ``rai-graph`` command tree, so a new command is held to the same rules: files
are written with ``-o/--output`` and ``--force`` (an existing file is never replaced without it),
formats are spelled out, a project error is one line and exit code 2 (never a traceback), and
``--as-of`` decides the date of what is printed wherever it is accepted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click
import pytest

from rai_graph.cli import main

from repo_builder import GovernanceRepo

if TYPE_CHECKING:
    from conftest import Cli


def commands(command: click.Command = main, path: tuple[str, ...] = ()) -> Iterator[tuple[str, click.Command]]:
    """Every runnable command, by its path ("new system"), groups that run on their own included."""
    if isinstance(command, click.Group):
        context = click.Context(command)
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            assert sub is not None, name
            yield from commands(sub, (*path, name))
        if command.invoke_without_command:
            yield " ".join(path), command
    else:
        yield " ".join(path), command


def option(command: click.Command, name: str) -> click.Parameter | None:
    return next((p for p in command.params if p.name == name), None)


ALL = dict(commands())

# Minimal arguments that get each command past click's parsing to the point where it reads the
# repository (or its own input). Keep in step with the command tree: a test checks the keys.
ARGUMENTS: dict[str, list[str]] = {
    "check": [], "status": [], "kpis": [], "timeline": [], "diff": ["HEAD"],
    "report": ["--framework", "eu-ai-act"], "soa": ["--framework", "eu-ai-act"],
    "evidence-pack": ["--system", "x", "-o", "{tmp}/pack.zip"], "export": ["--format", "turtle"],
    "query": ["SELECT * WHERE { ?s ?p ?o }"], "publish": ["--endpoint", "http://127.0.0.1:9/store"],
    "shapes export": [], "site build": ["-o", "{tmp}/site"], "site serve": ["-o", "{tmp}/site"],
    "questionnaire answer": ["{tmp}/q.csv", "--system", "x", "-o", "{tmp}/out.csv"],
    "questionnaire learn": ["{tmp}/q.csv"],
    "new system": ["--id", "x", "--title", "X", "--tier", "HighRisk", "--role", "Provider", "--owner", "x",
                   "--purpose", "p"],
    "new evidence": ["--system", "x", "--control", "C"], "new approval": ["--evidence", "e", "--by", "x"],
    "new waiver": ["--system", "x", "--control", "C", "--role", "R"],
    "demo history": ["-o", "{tmp}/history"],
}
NOT_ABOUT_A_REPOSITORY = {"init", "demo generate", "evidence-pack verify"}


def test_the_argument_table_names_every_command() -> None:
    """Every command that reads a repository is exercised by the boundary test below."""
    assert set(ARGUMENTS) == set(ALL) - NOT_ABOUT_A_REPOSITORY


@pytest.mark.parametrize("path", sorted(ALL))
def test_files_are_written_with_dash_o_output_and_force(path: str) -> None:
    """A command that writes a file names it ``-o/--output`` and offers ``--force`` (the only way
    to replace an existing file); a folder output (site, generated repository) has ``-o`` too."""
    command = ALL[path]
    output = option(command, "output")
    if output is None:
        return
    assert set(output.opts) == {"-o", "--output"}, path
    kind = output.type
    if isinstance(kind, click.Path) and not kind.dir_okay:
        assert option(command, "force") is not None, path


@pytest.mark.parametrize("path", sorted(ALL))
def test_formats_are_spelled_out(path: str) -> None:
    """``--format`` values are whole words: ``markdown``, never ``md``."""
    for param in ALL[path].params:
        if isinstance(param.type, click.Choice):
            assert "md" not in param.type.choices, (path, param.name)


@pytest.mark.parametrize("path", sorted(ARGUMENTS))
def test_a_folder_that_is_not_a_governance_repository_is_exit_code_2(
    cli: Cli, tmp_path: Path, path: str
) -> None:
    """Every command given a folder that is no governance repository says so in one line and
    exits 2 — the one boundary maps the project's errors, never a traceback."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "q.csv").write_text("Question\nDo you test for bias?\n", encoding="utf-8")
    arguments = [a.replace("{tmp}", str(tmp_path)) for a in ARGUMENTS[path]]
    run = cli.invoke([*path.split(), *arguments, "--repo", str(tmp_path / "empty")], expect_crash_free=True)
    assert run.exit_code == 2, run.output
    assert "not a governance repository" in run.output.lower() or "governance" in run.output.lower(), run.output


def test_an_existing_output_is_never_replaced_without_force(cli: Cli, repo: GovernanceRepo, tmp_path: Path) -> None:
    """``status -o FILE`` refuses to overwrite FILE; with ``--force`` it replaces it."""
    target = tmp_path / "status.json"
    target.write_text("keep me", encoding="utf-8")
    refused = cli.status(repo, "-o", str(target), expect_crash_free=True)
    assert refused.exit_code == 2
    assert "exists; use --force" in refused.output
    assert target.read_text(encoding="utf-8") == "keep me"
    cli.status(repo, "-o", str(target), "--force")
    assert json.loads(target.read_text(encoding="utf-8"))["systems"]


def test_an_output_that_is_a_symbolic_link_is_refused(cli: Cli, repo: GovernanceRepo, tmp_path: Path) -> None:
    """``-o LINK`` does not replace the link (nor write through it) even with ``--force``."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(victim)
    run = cli.status(repo, "-o", str(link), "--force", expect_crash_free=True)
    assert run.exit_code == 2
    assert "symbolic link" in run.output
    assert link.is_symlink()
    assert victim.read_text(encoding="utf-8") == "precious"


def test_an_output_that_is_a_fifo_is_written_into(cli: Cli, repo: GovernanceRepo, tmp_path: Path) -> None:
    """``-o FIFO`` streams into the pipe and leaves it a pipe (as it would /dev/stdout)."""
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    cli.status(repo, "-o", str(fifo))
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(received[0])["as_of"]


@pytest.mark.parametrize("path", ["check", "status", "kpis", "timeline", "soa"])
def test_as_of_decides_the_date_of_the_output(cli: Cli, repo: GovernanceRepo, path: str) -> None:
    """The date given with ``--as-of`` is the date the JSON output is judged as of."""
    extra = ["--framework", "test-fw"] if path == "soa" else []
    for day in ("2026-03-01", "2027-05-17"):
        run = cli.invoke([path, "--repo", str(repo.root), "--as-of", day, "--format", "json", *extra])
        assert run.exit_code in (0, 1), run.output
        assert run.data["as_of"] == day


def test_help_and_version_load_no_heavy_library() -> None:
    """``rai-graph --help`` and ``--version`` import neither rdflib, pySHACL, WeasyPrint nor MkDocs
    (they start in a tenth of a second); the command list comes from the registration table."""
    import subprocess
    import sys

    probe = ("import sys; from click.testing import CliRunner; from rai_graph.cli import main; "
             "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0, r.output; "
             "CliRunner().invoke(main, ['--version']); "
             "print(sorted(m for m in ('rdflib', 'pyshacl', 'weasyprint', 'mkdocs', 'pyoxigraph', 'openpyxl') "
             "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
