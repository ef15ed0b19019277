"""``rai-graph demo history``: a repository's records replayed as the git history they describe.

The example organisation's evidence was committed at once, so every figure read from git (time
to approval, findings ageing by commit, posture over time) is degenerate in the example itself.
This writes a throwaway git repository with the same files, committed as the records say they
happened: the catalogues and controls first, then each system's declaration, each evidence record
with its artefact on the day it was produced by the person who produced it, each approval on its
day by its approver, each waiver and finding likewise. Records of one person on one day form one
commit (a pull request's worth, numbered ``(#N)`` in its message), and the last commit of each
quarter is tagged ``posture-YYYY-qN``. Dates and authors come from the records, so the history is
the same, commit for commit and sha for sha, every time it is built.

Nothing outside the new folder is read or written beyond the source repository's files: git runs
with its global and system configuration replaced by an empty file.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rai_graph.errors import RaiGraphError
from rai_graph.load.repository import CONTENT_FOLDERS, load_repository
from rai_graph.model import RepositoryModel, build_model
from rai_graph.settings import SETTINGS_FILE

_KIND_ORDER = {"system": 0, "evidence": 1, "approval": 2, "waiver": 3, "finding": 4}


@dataclass(frozen=True, slots=True)
class _Event:
    day: dt.date
    kind: str
    author: str
    email: str
    title: str
    files: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HistorySummary:
    commits: int
    tags: tuple[str, ...]
    authors: int
    first: dt.date
    last: dt.date


def build_history(source: Path, target: Path) -> HistorySummary:
    """Write the history of the repository at ``source`` as a new git repository at ``target``."""
    if target.exists():
        raise RaiGraphError(f"{target} already exists; choose a new directory")
    if shutil.which("git") is None:
        raise RaiGraphError("demo history needs git on PATH")
    repository = load_repository(source)
    model = build_model(repository)
    files = sorted({path for folder in CONTENT_FOLDERS for path in _files(source, folder)}
                   | ({SETTINGS_FILE} if (source / SETTINGS_FILE).is_file() else set()))
    events = _events(model, set(files))
    claimed = {path for event in events for path in event.files}
    start = min((e.day for e in events), default=dt.date(2026, 1, 1)) - dt.timedelta(days=30)
    lead_name, lead_email = _lead(model)
    base = _Event(start, "base", lead_name, lead_email, "Catalogues, controls and the settings",
                  tuple(p for p in files if p not in claimed))
    target.mkdir(parents=True)
    _git(target, "init", "--quiet", "--initial-branch=main")
    commits, tags, authors = 0, [], set()
    batches = _batches([base, *events])
    for number, (day, author, email, batch) in enumerate(batches, start=1):
        for event in batch:
            for path in event.files:
                destination = target / path
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / path, destination, follow_symlinks=False)
            _git(target, "add", "--", *event.files)
        titles = "; ".join(dict.fromkeys(e.title for e in batch))
        message = f"{titles[:180]}{'…' if len(titles) > 180 else ''} (#{number})"
        _git(target, "commit", "--quiet", "--allow-empty", "-m", message,
             author=(author, email, day))
        commits += 1
        authors.add(email)
        next_day = batches[number][0] if number < len(batches) else None
        if next_day is None or _quarter(next_day) != _quarter(day):
            year, quarter = _quarter(day)
            tag = f"posture-{year}-q{quarter}"
            _git(target, "tag", tag, author=(author, email, day))
            tags.append(tag)
    return HistorySummary(commits, tuple(tags), len(authors), base.day, batches[-1][0])


def _files(source: Path, folder: str) -> list[str]:
    root = source / folder
    if not root.is_dir():
        return []
    return [p.relative_to(source).as_posix() for p in sorted(root.rglob("*"))
            if (p.is_file() or p.is_symlink()) and ".rai-graph-cache" not in p.parts]


def _events(model: RepositoryModel, files: set[str]) -> list[_Event]:
    """One event per dated record, with the files it brought (a file comes with its first record)."""
    def person(iri: object) -> tuple[str, str]:
        found = model.people.get(iri)  # type: ignore[call-overload]
        if found is None:
            return _lead(model)
        return found.name, (found.mbox or "").removeprefix("mailto:") or f"{found.name.split()[0].lower()}@example.org"

    found: list[_Event] = []
    for system in model.systems.values():
        dates = [e.generated for e in model.evidence.values() if system.iri in e.systems and e.generated]
        day = system.placed_on_market or (min(dates) - dt.timedelta(days=7) if dates else None)
        if day is not None:
            found.append(_Event(min(day, *dates) if dates else day, "system", *person(system.owner),
                                f"Register {system.name}", (system.origin.file,)))
    for evidence in model.evidence.values():
        if evidence.generated is None:
            continue
        paths = [evidence.origin.file]
        if evidence.artifact and evidence.artifact in files:
            paths.append(evidence.artifact)
        found.append(_Event(evidence.generated, "evidence", *person(evidence.author), f"Add {evidence.title}",
                            tuple(paths)))
    for approval in model.approvals:
        if approval.date is not None:
            title = model.evidence[approval.evidence].title if approval.evidence in model.evidence else "evidence"
            found.append(_Event(approval.date, "approval", *person(approval.approver), f"Approve {title}",
                                (approval.origin.file,)))
    for waiver in model.waivers:
        if waiver.date is not None:
            found.append(_Event(waiver.date, "waiver", *person(waiver.approver), "Waive a control",
                                (waiver.origin.file,)))
    for finding in model.findings:
        if finding.created is not None:
            found.append(_Event(finding.created, "finding", *person(finding.owner), f"Record finding: {finding.title}",
                                (finding.origin.file,)))
    found.sort(key=lambda e: (e.day, _KIND_ORDER[e.kind], e.files))
    seen: set[str] = set()
    events = []
    for event in found:
        fresh = tuple(p for p in event.files if p in files and p not in seen)
        seen.update(fresh)
        if fresh:
            events.append(_Event(event.day, event.kind, event.author, event.email, event.title, fresh))
    return events


def _batches(events: list[_Event]) -> list[tuple[dt.date, str, str, list[_Event]]]:
    """Events of one person on one day, in date order: one commit each."""
    grouped: dict[tuple[dt.date, str, str], list[_Event]] = defaultdict(list)
    order: list[tuple[dt.date, str, str]] = []
    for event in events:
        key = (event.day, event.author, event.email)
        if key not in grouped:
            order.append(key)
        grouped[key].append(event)
    order.sort(key=lambda k: (k[0], min(_KIND_ORDER.get(e.kind, -1) for e in grouped[k]), k[2]))
    return [(day, author, email, grouped[(day, author, email)]) for day, author, email in order]


def _lead(model: RepositoryModel) -> tuple[str, str]:
    """Who commits what no record dates: the first person holding a lead role, else the first person."""
    people = sorted(model.people.values(), key=lambda p: str(p.iri))
    leads = [p for p in people if any("lead" in model.label(r).lower() for r in p.roles)]
    if not people:
        return "rai-graph demo", "demo@example.org"
    chosen = (leads or people)[0]
    return chosen.name, (chosen.mbox or "").removeprefix("mailto:") or "demo@example.org"


def _quarter(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _git(root: Path, *args: str, author: tuple[str, str, dt.date] | None = None) -> None:
    environment = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull,
                   "GIT_CONFIG_NOSYSTEM": "1"}
    if author is not None:
        name, email, day = author
        stamp = f"{day.isoformat()}T12:00:00+00:00"
        environment.update(GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email, GIT_AUTHOR_DATE=stamp,
                           GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email, GIT_COMMITTER_DATE=stamp)
    done = subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
                          cwd=root, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RaiGraphError(f"git {' '.join(args[:2])} failed in {root}: {done.stderr.strip()}")
