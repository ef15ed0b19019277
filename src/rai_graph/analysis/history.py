"""Posture over time: the repository judged at each tagged release, or at the last commit of
each month, straight from git objects (no checkout).

Each point is judged as of its commit's date (what the repository said then, on that day), and
kept in the cache by commit and code: a point is judged once, however often the history is read.

Between two points, every (system, control) whose status differs is a :class:`StatusChange`,
attributed to the last commit in between that wrote a file the status rests on (the deciding
evidence, its approval or waiver, before or after), with the pull request its subject names
("Merge pull request #12 ..." or "... (#12)"); a change no commit explains came with the dates.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
from dataclasses import dataclass, field
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
    pairs: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    """Per (system, control notation): its status and the files that status rests on."""


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    subject: str
    pull_request: int | None


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A (system, control) whose status differs between two consecutive points."""

    system: str
    control: str
    before: str | None
    """None: the control did not bind the system (or the system did not exist) before."""
    after: str | None
    point: Point
    commit: Commit | None
    """The last commit since the previous point that wrote a file the status rests on; None when
    no commit did (the change came with the dates: evidence aged, a waiver or a date in law)."""


def posture_history(repo: Path, *, cache: bool = True) -> list[Point]:
    """One point per tag (oldest first), or per month's last commit when there are no tags."""
    points = _points(repo)
    store = Cache.for_repository(repo) if cache else None
    known = store.read(PACK) if store is not None else {}
    found, fresh = [], {}
    for label, sha, day in points:
        key = digest(PACK, "pairs", sha, day.isoformat())
        entry = known.get(key)
        if not (isinstance(entry, tuple) and len(entry) == 4):
            entry = _judge(repo, sha, day)
            fresh[key] = entry
        readiness, gaps, errors, pairs = entry
        found.append(Point(label, sha, day, dict(readiness), dict(gaps), errors, dict(pairs)))
    if store is not None and fresh:
        store.write(PACK, {**known, **fresh})
    return found


def status_changes(repo: Path, points: list[Point]) -> list[StatusChange]:
    """Every status change between consecutive points, each with the commit that made it."""
    changes = []
    for previous, point in itertools.pairwise(points):
        for key in sorted(set(previous.pairs) | set(point.pairs)):
            before, after = previous.pairs.get(key), point.pairs.get(key)
            if (before and before[0]) == (after and after[0]):
                continue
            files = sorted({*(before[1] if before else ()), *(after[1] if after else ())})
            changes.append(StatusChange(key[0], key[1], before[0] if before else None,
                                        after[0] if after else None, point,
                                        _last_commit(repo, previous.sha, point.sha, files)))
    return changes


_PULL_REQUEST = re.compile(r"^Merge pull request #(\d+)\b|\(#(\d+)\)\s*$")


def pull_request_of(subject: str) -> int | None:
    """The pull request a commit subject names: GitHub's merge commit or squash subject."""
    found = _PULL_REQUEST.search(subject)
    return int(found.group(1) or found.group(2)) if found else None


def github_repository(repo: Path) -> str | None:
    """``https://github.com/<owner>/<name>`` of the ``origin`` remote, if it is on GitHub."""
    try:
        url = _git(repo, "remote", "get-url", "origin").strip()
    except RaiGraphError:
        return None
    found = re.fullmatch(r"(?:https://(?:[^@/]+@)?github\.com/|git@github\.com:|ssh://git@github\.com/)"
                         r"([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?", url)
    return f"https://github.com/{found.group(1)}/{found.group(2)}" if found else None


def _last_commit(repo: Path, since: str, until: str, files: list[str]) -> Commit | None:
    if not files:
        return None
    shown = _git(repo, "log", "-1", "--format=%H%x1f%s", f"{since}..{until}", "--", *files).strip()
    if not shown:
        return None
    sha, _, subject = shown.partition("\x1f")
    return Commit(sha, subject, pull_request_of(subject))


def _judge(repo: Path, sha: str, day: dt.date) -> tuple[
        dict[str, float], dict[str, int], int, dict[tuple[str, str], tuple[str, tuple[str, ...]]]]:
    from rai_graph.pipeline import run

    result = run(GitTree(repo, sha), day)
    judged = [s for s in result.assessment.systems if s.judged]
    pairs: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
    for system in judged:
        for pair in system.pairs:
            files = {pair.file}
            if pair.approval is not None:
                files.add(pair.approval.origin.file)
            if pair.waiver is not None:
                files.add(pair.waiver.origin.file)
            pairs[(system.system.name, pair.control.notation)] = (pair.status, tuple(sorted(f for f in files if f)))
    return ({s.system.name: s.readiness for s in judged},
            {s.system.name: sum(1 for p in s.pairs if p.is_gap) for s in judged},
            len(result.validation.errors), pairs)


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
