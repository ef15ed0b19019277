"""Every walkthrough the documentation gives runs as written and shows what the text promises.

The ``sh`` blocks of README.md's walkthroughs, of evidence/README.md and of the README ``init``
writes are run, command by command, on a temporary copy (a fresh git repository): ``rai-graph``
commands in-process, ``cp`` as a copy. A comment line ``#   TEXT`` after a command is output the
text promises: it must appear in that command's output (``...`` stands for anything). Dates are
the fixed ones the text gives; the test's git identity is its own, never the real git config.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from rai_graph.cli import main

from git_helpers import commit_all, git

pytestmark = pytest.mark.slow  # not in `make test-fast`

PROJECT = Path(__file__).parent.parent
EXAMPLE_FOLDERS = ("frameworks", "controls", "evidence", "examples")


@dataclass
class Step:
    command: list[str]
    expected: list[str] = field(default_factory=list)


def blocks(markdown: str, after: str | None = None) -> list[list[Step]]:
    """The ``sh`` code blocks of ``markdown`` (after the heading ``after``) as steps."""
    if after is not None:
        markdown = markdown[markdown.index(after):]
    found = []
    for body in re.findall(r"```sh\n(.*?)```", markdown, flags=re.DOTALL):
        steps: list[Step] = []
        for line in body.replace("\\\n", " ").splitlines():
            stripped = line.strip()
            if stripped.startswith("#   ") and steps:
                steps[-1].expected.append(stripped[4:])
            elif stripped and not stripped.startswith("#"):
                command = stripped.split("  #", 1)[0].strip()
                command = command.replace("PYTHONPATH=src .venv/bin/python -m rai_graph", "rai-graph")
                steps.append(Step(shlex.split(command)))
        found.append(steps)
    return found


def pattern(expected: str) -> re.Pattern[str]:
    parts = [re.escape(" ".join(part.split())) for part in expected.split("...")]
    return re.compile(r".*?".join(parts), flags=re.DOTALL)


def run_steps(root: Path, steps: list[Step], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root)
    for step in steps:
        program, *arguments = step.command
        if program == "cp":
            shutil.copy(root / arguments[0], root / arguments[1])
            continue
        assert program == "rai-graph", step.command
        result = CliRunner().invoke(main, arguments, catch_exceptions=False)
        assert result.exit_code in (0, 1), (step.command, result.output)
        flat = " ".join(result.output.split())
        for expected in step.expected:
            assert pattern(expected).search(flat), (step.command, expected, result.output[-3000:])
        if "-o" in arguments:
            assert (root / arguments[arguments.index("-o") + 1]).exists(), step.command


@pytest.fixture
def identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git configuration of the test's own (the real one is never read or written)."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Sofia Marchetti\n\temail = sofia.marchetti@example.com\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    return config


def example_copy(target: Path) -> Path:
    for folder in EXAMPLE_FOLDERS:
        shutil.copytree(PROJECT / folder, target / folder)
    shutil.copy(PROJECT / "rai-graph.toml", target / "rai-graph.toml")
    git(target, "init", "--quiet", "--initial-branch=main")
    commit_all(target, "example", email="sofia.marchetti@example.com", name="Sofia Marchetti")
    git(target, "update-ref", "refs/remotes/origin/main", "HEAD")
    return target


README_BLOCKS = blocks((PROJECT / "README.md").read_text(encoding="utf-8"), after="## Walkthroughs")


def test_the_readme_has_walkthroughs() -> None:
    """The parser finds the README's walkthroughs (a pull request, evaluations, what binds when,
    a questionnaire, an audit), so the test below is not vacuous."""
    assert len(README_BLOCKS) >= 5
    assert sum(len(step.expected) for block in README_BLOCKS for step in block) >= 4


@pytest.mark.parametrize("number", range(len(README_BLOCKS)))
def test_readme_walkthrough_runs_as_written(
    number: int, tmp_path: Path, identity: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each README walkthrough, on a copy of the example organisation, gives the output it shows."""
    run_steps(example_copy(tmp_path / "northwind"), README_BLOCKS[number], monkeypatch)


def test_evidence_readme_commands_run(tmp_path: Path, identity: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands evidence/README.md gives for the demo date run on the example."""
    steps = [s for b in blocks((PROJECT / "evidence" / "README.md").read_text(encoding="utf-8")) for s in b]
    assert steps
    run_steps(example_copy(tmp_path / "northwind"), steps, monkeypatch)


def test_the_readme_init_writes_runs_as_written(
    tmp_path: Path, identity: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new repository's README ("Daily use") works step by step for its first user."""
    root = tmp_path / "acme"
    result = CliRunner().invoke(main, ["init", str(root), "--organisation", "Acme Bank", "--lead-name",
                                       "Sofia Marchetti", "--lead-email", "sofia.marchetti@example.com"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    steps = [s for b in blocks((root / "README.md").read_text(encoding="utf-8")) for s in b]
    assert any(s.command[:3] == ["rai-graph", "new", "evidence"] for s in steps)
    (root / "evidence" / "credit-scoring").mkdir(parents=True, exist_ok=True)
    (root / "evidence" / "credit-scoring" / "risk-assessment.md").write_text("# Risk assessment\n", encoding="utf-8")
    run_steps(root, steps, monkeypatch)
    assert (root / "evidence" / "credit-scoring" / "system.ttl").is_file()
