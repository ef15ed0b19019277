"""CI integrations a governance repository carries: the GitHub Actions workflow, and how CI installs
rai-graph.

The workflow template is shared by this repository's own ``.github/workflows/rai-graph.yml`` and by
``rai-graph init``; a test keeps the committed file equal to the rendered template. The workflow
reads the ``install`` setting of ``rai-graph.toml`` at run time, so it runs on day one: ``init``
writes that setting from how this rai-graph was installed (:func:`install_source_for`).

Third-party actions are pinned by full commit SHA (a tag can be moved; a commit cannot). Each pin
records the release it is and where the SHA was read: the tag in the action's own repository.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, StrictUndefined

from rai_graph._version import __version__
from rai_graph.settings import install_source_kind

WORKFLOW_PATH = ".github/workflows/rai-graph.yml"
DISTRIBUTION = "rai-graph"


@dataclass(frozen=True, slots=True)
class ActionPin:
    """A third-party action at one release, by the commit its release tag points to."""

    action: str
    release: str
    sha: str
    source: str
    """Where the SHA was read."""

    @property
    def uses(self) -> str:
        return f"{self.action}@{self.sha}"


ACTIONS: dict[str, ActionPin] = {
    "checkout": ActionPin(
        "actions/checkout", "v7.0.1", "3d3c42e5aac5ba805825da76410c181273ba90b1",
        "tag v7.0.1 (also v7) of github.com/actions/checkout, commit dated 2026-07-17"),
    "setup-python": ActionPin(
        "actions/setup-python", "v7.0.0", "5fda3b95a4ea91299a34e894583c3862153e4b97",
        "tag v7.0.0 (also v7) of github.com/actions/setup-python, commit dated 2026-07-19"),
    "upload-sarif": ActionPin(
        "github/codeql-action/upload-sarif", "v4.36.2", "8aad20d150bbac5944a9f9d289da16a4b0d87c1e",
        "tag v4.36.2 of github.com/github/codeql-action (the newest v4 release), commit dated 2026-06-04"),
    "github-script": ActionPin(
        "actions/github-script", "v8.0.0", "ed597411d8f924073f98dfc5c65a23a2325f34cd",
        "tag v8.0.0 (also v8) of github.com/actions/github-script, commit dated 2025-09-04"),
}
"""The actions the workflow and ``action.yml`` use. Python's pip cache comes from setup-python
(``cache: pip``, keyed on ``rai-graph.toml``, which holds the install source), so no separate
cache action is needed."""

BOT_LOGIN = "github-actions[bot]"
"""The account ``GITHUB_TOKEN`` posts as: the only author whose comment the workflow edits."""


def default_install_source() -> str:
    """This version of rai-graph from the package index."""
    return f"{DISTRIBUTION}=={__version__}"


def workflow_yaml(default_branch: str = "main") -> str:
    """The workflow; it installs what ``rai-graph.toml`` says (``install``), else this version."""
    template_text = (
        resources.files("rai_graph").joinpath("templates/init/rai-graph-workflow.yml.j2")
        .read_text("utf-8")
    )
    # YAML, not HTML: nothing to autoescape; StrictUndefined catches a misspelt variable. The
    # delimiters are [[ ]] and [% %], so GitHub's own ${{ }} expressions stay as they are.
    environment = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False,
                              variable_start_string="[[", variable_end_string="]]",
                              block_start_string="[%", block_end_string="%]",
                              comment_start_string="[#", comment_end_string="#]")
    template = environment.from_string(template_text)
    return template.render(
        default_install=default_install_source(),
        default_branch=default_branch,
        actions=ACTIONS,
        bot_login=BOT_LOGIN,
    )


@dataclass(frozen=True, slots=True)
class InstallSource:
    """What ``init`` writes as the ``install`` setting, and how it found it."""

    value: str
    how: str
    """In words, for the person running ``init``."""
    reachable_from_ci: bool = True
    """False when the install cannot be reproduced in CI (a local checkout with no remote)."""


def install_source_for(target: Path, distribution: metadata.Distribution | None = None) -> InstallSource:
    """How CI should install rai-graph for a repository at ``target``, from how this one was installed.

    ``direct_url.json`` (PEP 610) tells: none means the package index (pin this version); a VCS
    install gives its URL at the commit installed; a local directory gives a relative path when
    ``target`` lies inside it (this project's own repository), else the directory's git remote at
    its HEAD commit; an archive gives its URL. Anything CI cannot reach falls back to this
    version from the package index, and says so.
    """
    try:
        dist = distribution or metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return InstallSource(default_install_source(), "rai-graph is not installed as a package; "
                             f"CI installs {DISTRIBUTION}=={__version__} from the package index", False)
    text = dist.read_text("direct_url.json")
    version = dist.version
    pinned = f"{DISTRIBUTION}=={version}"
    if not text:
        return InstallSource(pinned, f"installed from the package index: CI installs {pinned}")
    try:
        direct = json.loads(text)
        url = str(direct["url"])
    except (ValueError, KeyError, TypeError):
        return InstallSource(pinned, f"direct_url.json is unreadable: CI installs {pinned}", False)
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return _checked(f"git+{url}@{vcs['commit_id']}", f"installed from git: CI installs commit "
                        f"{vcs['commit_id']} of {url}", pinned)
    parts = urlsplit(url)
    if parts.scheme == "file":
        local = Path(unquote(parts.path))
        if "dir_info" in direct:
            return _from_directory(local, target, pinned)
        if _inside(target, local.parent):
            return _checked(os.path.relpath(local, target.resolve()).replace(os.sep, "/"),
                            f"installed from {local.name} in this repository", pinned)
        return InstallSource(pinned, f"installed from the local file {local}, which CI cannot reach: "
                             f"CI installs {pinned} from the package index", False)
    if parts.scheme == "https":
        return _checked(url, f"installed from the archive {url}", pinned)
    return InstallSource(pinned, f"installed from {url}, which CI cannot reach: CI installs {pinned}", False)


def _from_directory(directory: Path, target: Path, pinned: str) -> InstallSource:
    if _inside(target, directory):
        relative = os.path.relpath(directory.resolve(), target.resolve()).replace(os.sep, "/")
        return _checked(relative, f"installed from the checkout {directory}, which contains this repository: "
                        f"CI installs {relative}", pinned)
    remote, commit = _git(directory, "remote", "get-url", "origin"), _git(directory, "rev-parse", "HEAD")
    if remote and commit and remote.startswith("https://"):
        return _checked(f"git+{remote}@{commit}", f"installed from the checkout {directory}: CI installs "
                        f"commit {commit} of {remote} (push it first)", pinned)
    return InstallSource(pinned, f"installed from the local checkout {directory}, which CI cannot reach: "
                         f"CI installs {pinned} from the package index", False)


def _checked(value: str, how: str, pinned: str) -> InstallSource:
    try:
        install_source_kind(value)
    except ValueError:
        return InstallSource(pinned, f"{how}, but that is no install source CI can use: CI installs {pinned}",
                             False)
    return InstallSource(value, how)


def _inside(target: Path, directory: Path) -> bool:
    try:
        target.resolve().relative_to(directory.resolve())
    except (ValueError, OSError):
        return False
    return True


def _git(directory: Path, *arguments: str) -> str | None:
    try:
        completed = subprocess.run(["git", "-C", str(directory), *arguments], capture_output=True, text=True,
                                   timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return completed.stdout.strip() or None if completed.returncode == 0 else None
