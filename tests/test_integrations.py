"""The shipped CI integrations: workflow, composite action and pre-commit hook, run for real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from rai_graph.integrations import WORKFLOW_PATH, workflow_yaml
from rai_graph.render.diff import COMMENT_MARKER

from git_helpers import commit_all, git, init
from repo_builder import DEFAULT_SYSTEM, GovernanceRepo

PROJECT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent


def _load(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_committed_workflow_is_the_rendered_template() -> None:
    """This repository's workflow is the init template, installing rai-graph from the checkout."""
    committed = (PROJECT / WORKFLOW_PATH).read_text(encoding="utf-8")
    assert committed == workflow_yaml("python -m pip install .")


def test_integration_files_are_valid_yaml_naming_real_commands() -> None:
    """Workflow, action and hook parse as YAML and call only rai-graph commands that exist."""
    workflow = _load(PROJECT / WORKFLOW_PATH)
    action = _load(PROJECT / "action.yml")
    hooks = _load(PROJECT / ".pre-commit-hooks.yaml")
    assert isinstance(workflow, dict)
    assert isinstance(action, dict)
    assert isinstance(hooks, list)
    assert action["runs"]["using"] == "composite"
    assert hooks[0]["entry"].startswith("rai-graph check")
    commands = [step["run"] for step in workflow["jobs"]["compliance"]["steps"] if "run" in step]
    commands += [step["run"] for step in action["runs"]["steps"]]
    commands.append(hooks[0]["entry"])
    used = {c.split()[1] for c in commands if c.startswith("rai-graph")}
    assert used == {"check", "diff"}
    for subcommand in used:
        result = subprocess.run([BIN / "rai-graph", subcommand, "--help"], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    for flag in ("--summary", "--format", "--fail-on", "--output"):
        assert flag in subprocess.run([BIN / "rai-graph", "check", "--help"], capture_output=True,
                                      text=True).stdout


@pytest.fixture
def pull_request(tmp_path: Path) -> GovernanceRepo:
    """A repository whose PR branch breaks an artefact and adds a record with an error."""
    repo = GovernanceRepo(tmp_path / "governance").with_base()
    repo.add_system()
    repo.add_approved_evidence("risk")
    init(repo.root)
    base = commit_all(repo.root, "base")
    git(repo.root, "update-ref", "refs/remotes/origin/main", base)
    (repo.root / f"evidence/{DEFAULT_SYSTEM}/risk.md").write_text("tampered\n", encoding="utf-8")
    repo.add_evidence("model-card", evidence_type="ModelCard", omit=["dcterms:title"])
    commit_all(repo.root, "pull request")
    return repo


def test_workflow_runs_step_by_step(pull_request: GovernanceRepo, tmp_path: Path) -> None:
    """Each `run:` step of the workflow, run locally, gives annotations, SARIF, summary, comment, gate."""
    if not (BIN / "rai-graph").exists():
        pytest.fail("rai-graph is not installed in the test environment (make test installs it)")
    workflow = _load(PROJECT / WORKFLOW_PATH)
    assert isinstance(workflow, dict)
    summary = tmp_path / "step-summary.md"
    env = {**os.environ, **workflow["env"], "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_BASE_REF": "main",
           "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/governance",
           "GITHUB_SHA": "0" * 40, "GITHUB_ACTIONS": "true"}
    outputs = {}
    for step in workflow["jobs"]["compliance"]["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue
        completed = subprocess.run(["bash", "-c", step["run"]], cwd=pull_request.root, env=env,
                                   capture_output=True, text=True)
        outputs[step["name"]] = completed
    annotations = outputs["Annotate and summarise"]
    assert annotations.returncode == 0
    assert "::error file=evidence/credit-scoring/risk.ttl," in annotations.stdout
    assert "::error file=evidence/credit-scoring/model-card.ttl," in annotations.stdout
    sarif = json.loads((pull_request.root / "rai-graph.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"]
    assert "readiness" in summary.read_text(encoding="utf-8").lower()
    comment = (pull_request.root / "rai-graph-diff.md").read_text(encoding="utf-8")
    assert comment.startswith(COMMENT_MARKER)
    assert "| met | **invalid** |" in comment
    assert outputs["Gate"].returncode == 1, outputs["Gate"].stdout


def test_pre_commit_hook_reports_only_the_changed_files(pull_request: GovernanceRepo) -> None:
    """The hook's entry, given file names, reports errors of those files only."""
    hooks = _load(PROJECT / ".pre-commit-hooks.yaml")
    assert isinstance(hooks, list)
    entry = hooks[0]["entry"].split()
    clean = subprocess.run([BIN / entry[0], *entry[1:], f"evidence/{DEFAULT_SYSTEM}/system.ttl"],
                           cwd=pull_request.root, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout
    broken = subprocess.run([BIN / entry[0], *entry[1:], f"evidence/{DEFAULT_SYSTEM}/model-card.ttl"],
                            cwd=pull_request.root, capture_output=True, text=True)
    assert broken.returncode == 1
    error_lines = [line.strip() for line in broken.stdout.splitlines()
                   if line.strip().startswith("evidence/")]
    assert error_lines
    assert all(line.startswith(f"evidence/{DEFAULT_SYSTEM}/model-card.ttl:") for line in error_lines)
