"""Provenance read from git: who added and last changed each file, and its cache by commit.

The cache keeps git's account of a commit's history, so a run on an unchanged commit (a
pre-commit hook, a check after editing a record) never walks the history again; a new commit,
another checkout folder or another revision is read afresh.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rai_graph.provenance
from rai_graph.load.cache import Cache
from rai_graph.provenance import read_provenance

from git_helpers import commit_all, git, init

pytestmark = pytest.mark.usefixtures("own_cache_secret")


@pytest.fixture
def logs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """Every ``git log`` provenance runs."""
    calls: list[tuple[str, ...]] = []
    real = rai_graph.provenance.git_output

    def counting(location: Path, *arguments: str, timeout: float | None = None) -> str | None:
        if arguments[0] == "log":
            calls.append(arguments)
        return real(location, *arguments, timeout=timeout)

    monkeypatch.setattr(rai_graph.provenance, "git_output", counting)
    return calls


def _history(root: Path) -> tuple[str, str]:
    init(root)
    (root / "evidence").mkdir()
    (root / "evidence" / "a.ttl").write_text("# a\n", encoding="utf-8")
    first = commit_all(root, "add a", name="Ann", email="ann@example.org")
    (root / "evidence" / "a.ttl").write_text("# a, again\n", encoding="utf-8")
    (root / "evidence" / "b.ttl").write_text("# b\n", encoding="utf-8")
    second = commit_all(root, "change a, add b", date="2026-05-02T12:00:00+00:00")
    return first, second


def _summary(root: Path, revision: str = "HEAD", cache: Cache | None = None) -> dict[str, list[str]]:
    provenance = read_provenance(root, revision, working_tree=revision == "HEAD", cache=cache)
    summary = {path: [f"{c.sha[:7]} {c.author} {c.date.date()}" for c in changes]
               for path, changes in sorted(provenance.history.items())}
    for path, changes in provenance.history.items():  # what the judgement asks for, made on demand
        made = provenance.of(path)
        assert made is not None
        assert made.changes == changes
    return summary


def test_every_commit_that_changed_a_file_is_listed_oldest_first(tmp_path: Path) -> None:
    first, second = _history(tmp_path)
    assert _summary(tmp_path) == {
        "evidence/a.ttl": [f"{first[:7]} Ann 2026-05-01", f"{second[:7]} Bob 2026-05-02"],
        "evidence/b.ttl": [f"{second[:7]} Bob 2026-05-02"],
    }
    assert _summary(tmp_path, first) == {"evidence/a.ttl": [f"{first[:7]} Ann 2026-05-01"]}


def test_outside_git_or_before_the_first_commit_there_is_no_provenance(tmp_path: Path) -> None:
    assert read_provenance(tmp_path).history == {}
    init(tmp_path)
    (tmp_path / "a.ttl").write_text("# a\n", encoding="utf-8")
    assert read_provenance(tmp_path).history == {}
    git(tmp_path, "add", "a.ttl")
    assert read_provenance(tmp_path).history == {}  # staged, not committed
    assert read_provenance(tmp_path, "no-such-revision").history == {}


def test_a_folder_inside_a_checkout_sees_its_own_paths(tmp_path: Path) -> None:
    init(tmp_path)
    inner = tmp_path / "governance"
    (inner / "evidence").mkdir(parents=True)
    (inner / "evidence" / "a.ttl").write_text("# a\n", encoding="utf-8")
    (tmp_path / "elsewhere.ttl").write_text("# not ours\n", encoding="utf-8")
    commit_all(tmp_path, "both")
    assert list(read_provenance(inner).history) == ["evidence/a.ttl"]
    (inner / "evidence" / "a.ttl").write_text("# edited\n", encoding="utf-8")
    (tmp_path / "elsewhere.ttl").write_text("# edited too\n", encoding="utf-8")
    edits = read_provenance(inner, working_tree=True)
    assert edits.edited_since_commit("evidence/a.ttl")
    assert not edits.edited_since_commit("elsewhere.ttl")


@pytest.fixture
def cached(tmp_path: Path) -> tuple[Path, Cache, tuple[str, str]]:
    """A repository with two commits (inside the test's folder, beside its cache secret) and its cache."""
    root = tmp_path / "repo"
    root.mkdir()
    commits = _history(root)
    cache = Cache.for_repository(root)
    assert cache is not None
    return root, cache, commits


def test_the_same_commit_is_read_from_the_cache(
    cached: tuple[Path, Cache, tuple[str, str]], logs: list[tuple[str, ...]],
) -> None:
    root, cache, _commits = cached
    fresh = _summary(root)
    assert len(logs) == 1
    assert _summary(root, cache=cache) == fresh
    assert len(logs) == 2
    (root / "evidence" / "a.ttl").write_text("# edited, not committed\n", encoding="utf-8")
    assert _summary(root, cache=cache) == fresh
    assert len(logs) == 2, "an unchanged commit walked its history again"


def test_a_new_commit_or_another_revision_is_read_afresh(
    cached: tuple[Path, Cache, tuple[str, str]], logs: list[tuple[str, ...]],
) -> None:
    root, cache, (first, _second) = cached
    before = _summary(root, cache=cache)
    (root / "evidence" / "b.ttl").write_text("# b, again\n", encoding="utf-8")
    third = commit_all(root, "change b", name="Cy", email="cy@example.org", date="2026-05-03T12:00:00+00:00")
    after = _summary(root, cache=cache)
    assert after["evidence/b.ttl"][-1] == f"{third[:7]} Cy 2026-05-03"
    assert after != before
    assert _summary(root, first, cache=cache) == {"evidence/a.ttl": [f"{first[:7]} Ann 2026-05-01"]}
    # History rewritten to another commit: read afresh, then the old commit from the cache again.
    git(root, "reset", "--quiet", "--hard", "HEAD~1")
    assert _summary(root, cache=cache) == before
    assert len(logs) == 3
    assert _summary(root, cache=cache) == before
    assert len(logs) == 3


def test_a_read_only_cache_is_read_but_never_written(
    cached: tuple[Path, Cache, tuple[str, str]], logs: list[tuple[str, ...]],
) -> None:
    root, cache, _commits = cached
    _summary(root, cache=cache.read_only())
    _summary(root, cache=cache.read_only())
    assert len(logs) == 2
    _summary(root, cache=cache)
    _summary(root, cache=cache.read_only())
    assert len(logs) == 3


def _reference_history(output: str) -> dict[str, tuple[object, ...]]:
    """The log read the plain way (as rai-graph first did): what the faster reading must equal."""
    history: dict[str, list[tuple[str, str, str, str]]] = {}
    for chunk in output.split(rai_graph.provenance._RECORD):
        if not chunk.strip():
            continue
        header, *lines = chunk.split("\n")
        commit = tuple(header.split(rai_graph.provenance._FIELD))
        for line in lines:
            status, _, path = line.partition("\t")
            if not path:
                continue
            if status.startswith("D"):
                history.pop(path, None)
            elif not history.get(path) or history[path][-1] != commit:
                history.setdefault(path, []).append(commit)  # type: ignore[arg-type]
    return {path: tuple(commits) for path, commits in history.items()}


@given(st.lists(st.lists(st.tuples(st.sampled_from(["A", "M", "D", "MM", "T"]),
                                   st.sampled_from(["a.ttl", "b/c.ttl", "d e.md", ""])), max_size=6),
                min_size=1, max_size=8))
def test_reading_git_log_keeps_each_files_commits_since_it_was_added(commits: list[list[tuple[str, str]]]) -> None:
    """Additions, changes, deletions (a file added again starts afresh), a merge listing a path
    twice, and status lines without a path: as the plain reading says."""
    record, field_separator = rai_graph.provenance._RECORD, rai_graph.provenance._FIELD
    output = "".join(
        f"{record}{number:040x}{field_separator}A. Author{field_separator}a@example.org{field_separator}"
        f"2026-0{1 + number % 9}-01T10:00:00+00:00\n" + "".join(f"{status}\t{path}\n" for status, path in lines)
        for number, lines in enumerate(commits))
    found = rai_graph.provenance._parse_log(output)
    expected = _reference_history(output)
    assert {path: tuple((c.sha, c.author, c.email, c.date.isoformat()) for c in changes)
            for path, changes in found.items()} == expected
