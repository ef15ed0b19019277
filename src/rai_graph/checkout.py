"""Where a governance repository sits in its git repository, and the commit it is judged at.

CI outputs name files relative to the *git* repository (GitHub resolves SARIF paths and
annotations against the checkout root), while rai-graph names them relative to the *governance*
repository, which may be a sub-folder (``governance/`` of a monorepo). Standards exports date a
judgement by the commit it was made at. Both come from here, from one ``git`` call; outside a git
repository (or before the first commit) there is no prefix and no commit.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

_SEPARATOR = "\x1f"


@dataclass(frozen=True, slots=True)
class Checkout:
    """The governance repository's place in its git repository."""

    prefix: str = ""
    """Path of the governance repository inside the git repository: '' at the top, else ending in '/'."""
    commit: str | None = None
    """The full SHA of HEAD, when there is one."""
    committed: dt.datetime | None = None
    """HEAD's committer date (timezone-aware)."""

    def git_path(self, path: str) -> str:
        """A governance-repository path as a path of the git repository."""
        return self.prefix + path


def checkout_of(root: Path) -> Checkout:
    """The checkout facts of the directory ``root`` (a governance repository on disk)."""
    try:
        completed = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-prefix"],
            capture_output=True, text=True, timeout=30, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return Checkout()
    if completed.returncode != 0:
        return Checkout()
    prefix = completed.stdout.strip()
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "log", "-1", f"--format=%H{_SEPARATOR}%cI", "HEAD"],
            capture_output=True, text=True, timeout=30, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return Checkout(prefix)
    if head.returncode != 0 or _SEPARATOR not in head.stdout:
        return Checkout(prefix)  # no commit yet
    sha, date = head.stdout.strip().split(_SEPARATOR, 1)
    return Checkout(prefix, sha, dt.datetime.fromisoformat(date))
