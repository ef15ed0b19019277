"""Where a governance repository sits in its git repository, and the commit it is judged at.

CI outputs name files relative to the *git* repository (GitHub resolves SARIF paths and
annotations against the checkout root), while rai-graph names them relative to the *governance*
repository, which may be a sub-folder (``governance/`` of a monorepo). Standards exports date a
judgement by the commit it was made at. Both come from here; outside a git repository (or before
the first commit) there is no prefix and no commit. Provenance finds the checkout's top and a
revision's commit here too (:func:`place_of`), and every git call of both goes through
:func:`git_output`.
"""

from __future__ import annotations

import datetime as dt
import os
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
    place = place_of(root)
    if place is None:
        return Checkout()
    prefix = place[1]
    head = git_output(root, "log", "-1", f"--format=%H{_SEPARATOR}%cI", "HEAD", timeout=30)
    if head is None or _SEPARATOR not in head:
        return Checkout(prefix)  # no commit yet
    sha, date = head.strip().split(_SEPARATOR, 1)
    return Checkout(prefix, sha, dt.datetime.fromisoformat(date))


def place_of(location: Path, revision: str | None = None) -> tuple[Path, str, str] | None:
    """The top of the checkout holding ``location`` (git commands about paths run there), the
    prefix of ``location`` in it ('' at the top, else ending in '/'), and ``revision``'s commit
    ('' when none is asked for); None outside a checkout, or when the revision names no commit
    (an unborn ``HEAD`` too). One ``git`` call."""
    asked = ("--verify", "--quiet", f"{revision}^{{commit}}") if revision is not None else ()
    found = git_output(location, "rev-parse", "--show-toplevel", *asked, timeout=30)
    lines = found.split("\n") if found is not None else []
    if len(lines) != (2 if revision is not None else 1):
        return None
    top = Path(lines[0])
    try:
        prefix = location.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        return None
    return top, "" if prefix == "." else prefix + "/", lines[1] if revision is not None else ""


def git_output(location: Path, *arguments: str, timeout: float | None = None) -> str | None:
    """What ``git -C location arguments`` prints (the final line break taken off); None when git
    is missing, fails (outside a repository, an unknown revision) or takes over ``timeout`` s.

    git itself rather than GitPython: importing GitPython took 40 ms, a tenth of a ``check`` that
    re-judges one changed folder. Messages in C, and no terminal to ask for anything.
    """
    try:
        done = subprocess.run(["git", "-C", str(location), *arguments], capture_output=True,
                              stdin=subprocess.DEVNULL, check=False, timeout=timeout,
                              env={**os.environ, "LANGUAGE": "C", "LC_ALL": "C"})
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    output = done.stdout.decode("utf-8", "surrogateescape")
    return output[:-1] if output.endswith("\n") else output
