"""Real git repositories for tests: commits with a chosen author and a fixed date."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

FIXED_DATE = "2026-05-01T12:00:00+00:00"


def git(root: Path, *args: str, email: str = "bob@example.org", name: str = "Bob",
        date: str = FIXED_DATE) -> str:
    """Run git in ``root`` as the given author, with a fixed date so commit shas are stable."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull,
    }
    completed = subprocess.run(
        ["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True
    )
    return completed.stdout.strip()


def init(root: Path) -> None:
    git(root, "init", "--quiet", "--initial-branch=main")


def commit_all(root: Path, message: str, *, email: str = "bob@example.org", name: str = "Bob",
               date: str = FIXED_DATE) -> str:
    """Stage everything and commit it; return the new commit's sha."""
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--allow-empty", "-m", message, email=email, name=name, date=date)
    return git(root, "rev-parse", "HEAD")
