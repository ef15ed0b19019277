"""Posture over time: the repository judged at each tagged release, or at the last commit of
each month, straight from git objects (no checkout).

Each point is judged as of its commit's date (what the repository said then, on that day), and
kept in the cache by commit and code: a point is judged once, however often the history is read.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from rai_graph.errors import RaiGraphError
from rai_graph.load.cache import Cache, digest
from rai_graph.load.trees import GitTree

PACK = "history"


@dataclass(frozen=True, slots=True)
class Point:
    """The repository at one commit, judged as of that commit's date."""

    label: str
    """The tag, or the month (``2026-07``) whose last commit it is."""
    sha: str
    day: dt.date
    readiness: dict[str, float]
    """Per judged system (folder name): controls met or waived / controls that bind."""
    gaps: dict[str, int]
    errors: int


def posture_history(repo: Path, *, cache: bool = True) -> list[Point]:
    """One point per tag (oldest first), or per month's last commit when there are no tags."""
    points = _points(repo)
    store = Cache.for_repository(repo) if cache else None
    known = store.read(PACK) if store is not None else {}
    found, fresh = [], {}
    for label, sha, day in points:
        key = digest(PACK, sha, day.isoformat())
        entry = known.get(key)
        if not (isinstance(entry, tuple) and len(entry) == 3):
            entry = _judge(repo, sha, day)
            fresh[key] = entry
        readiness, gaps, errors = entry
        found.append(Point(label, sha, day, dict(readiness), dict(gaps), errors))
    if store is not None and fresh:
        store.write(PACK, {**known, **fresh})
    return found


def _judge(repo: Path, sha: str, day: dt.date) -> tuple[dict[str, float], dict[str, int], int]:
    from rai_graph.pipeline import run

    result = run(GitTree(repo, sha), day)
    judged = [s for s in result.assessment.systems if s.judged]
    return ({s.system.name: s.readiness for s in judged},
            {s.system.name: sum(1 for p in s.pairs if p.is_gap) for s in judged},
            len(result.validation.errors))


def _points(repo: Path) -> list[tuple[str, str, dt.date]]:
    """(label, sha, commit date) of each tag, else of each month's last commit on HEAD."""
    tags = _git(repo, "for-each-ref", "--sort=creatordate", "--format=%(refname:short)\t%(objectname)^{commit}",
                "refs/tags")
    points = []
    for line in tags.splitlines():
        name, _, target = line.partition("\t")
        sha = _git(repo, "rev-parse", target).strip()
        points.append((name, sha, _commit_day(repo, sha)))
    if points:
        return sorted(points, key=lambda p: (p[2], p[0]))
    months: dict[str, tuple[str, dt.date]] = {}
    for line in _git(repo, "log", "--first-parent", "--reverse", "--format=%H %cs", "HEAD").splitlines():
        sha, day_text = line.split()
        day = dt.date.fromisoformat(day_text)
        months[day.strftime("%Y-%m")] = (sha, day)
    return [(month, sha, day) for month, (sha, day) in months.items()]


def _commit_day(repo: Path, sha: str) -> dt.date:
    return dt.date.fromisoformat(_git(repo, "show", "-s", "--format=%cs", sha).strip())


def _git(repo: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False,
                              timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        raise RaiGraphError(f"--history needs git: {exc}") from exc
    if done.returncode != 0:
        raise RaiGraphError(f"--history needs a git repository with commits at {repo}: "
                            f"{done.stderr.strip() or 'git ' + args[0] + ' failed'}")
    return done.stdout
