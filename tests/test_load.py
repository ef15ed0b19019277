"""The load stage: one named graph per file, file:line for subjects, bad files reported not fatal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rai_graph.errors import NotAGovernanceRepository
from rai_graph.load.repository import FILE_GRAPH_PREFIX, load_repository
from rai_graph.load.trees import GitTree
from rai_graph.model import build_model

from git_helpers import commit_all, init
from repo_builder import DEFAULT_SYSTEM, GovernanceRepo, ex


@pytest.fixture
def repo(tmp_path: Path) -> GovernanceRepo:
    governance = GovernanceRepo(tmp_path / "governance").with_base()
    governance.add_system()
    governance.add_approved_evidence("risk")
    return governance


def test_every_file_is_its_own_named_graph(repo: GovernanceRepo) -> None:
    """Each Turtle file becomes one named graph, so every triple knows its file."""
    loaded = load_repository(repo.root)
    paths = sorted(f.path for f in loaded.files.values() if f.role != "ontology")
    assert paths == sorted(str(p.relative_to(repo.root).as_posix())
                           for p in repo.root.rglob("*.ttl"))
    record = f"evidence/{DEFAULT_SYSTEM}/risk.ttl"
    graph = loaded.dataset.graph(next(g for g, f in loaded.files.items() if f.path == record))
    assert str(graph.identifier) == FILE_GRAPH_PREFIX + record
    assert {str(s) for s in graph.subjects()} == {ex("risk")}


def test_subjects_know_their_file_and_line(repo: GovernanceRepo) -> None:
    """The model records where each record is defined, for messages."""
    model = build_model(load_repository(repo.root))
    evidence = model.evidence[next(iter(model.evidence))]
    expected_line = repo.line_of(f"evidence/{DEFAULT_SYSTEM}/risk.ttl", "ex:risk a rai:Evidence")
    assert (evidence.origin.file, evidence.origin.line) == (
        f"evidence/{DEFAULT_SYSTEM}/risk.ttl", expected_line)


def test_a_broken_file_is_reported_and_the_others_still_load(repo: GovernanceRepo) -> None:
    """A syntax error gives file:line and leaves no partial triples; other files are loaded."""
    repo.write_text(f"evidence/{DEFAULT_SYSTEM}/broken.ttl",
                    "@prefix ex: <https://example.org/acme/> .\nex:a ex:b ex:c .\nex:d ex:e \"open .\n")
    loaded = load_repository(repo.root)
    assert [(e.file, e.line, e.kind) for e in loaded.errors] == [
        (f"evidence/{DEFAULT_SYSTEM}/broken.ttl", 3, "parse")]
    assert "newline found in string literal" in loaded.errors[0].message
    assert not any(f.path.endswith("broken.ttl") for f in loaded.files.values())
    assert len(loaded.dataset) > 0
    assert build_model(loaded).evidence


def test_non_utf8_bytes_name_the_line(repo: GovernanceRepo) -> None:
    """Bytes that are not UTF-8 are a parse error on the line where they occur."""
    repo.write_bytes(f"evidence/{DEFAULT_SYSTEM}/latin1.ttl", b"# ok\n# ok\n# caf\xe9\n")
    errors = load_repository(repo.root).errors
    assert [(e.line, e.kind) for e in errors] == [(3, "parse")]
    assert "not valid UTF-8" in errors[0].message


def test_symlink_leaving_the_repository_is_refused(repo: GovernanceRepo, tmp_path: Path) -> None:
    """A .ttl symlink to a file outside the repository is reported, not read."""
    outside = tmp_path / "outside.ttl"
    outside.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    os.symlink(outside, repo.root / f"evidence/{DEFAULT_SYSTEM}/escape.ttl")
    errors = load_repository(repo.root).errors
    assert [(e.file, e.kind) for e in errors] == [(f"evidence/{DEFAULT_SYSTEM}/escape.ttl", "parse")]
    assert "outside the repository" in errors[0].message


def test_directory_named_like_turtle_is_reported(repo: GovernanceRepo) -> None:
    """A directory where a Turtle file is expected is an error naming it."""
    (repo.root / f"evidence/{DEFAULT_SYSTEM}/odd.ttl").mkdir()
    errors = load_repository(repo.root).errors
    assert [(e.file, e.message) for e in errors] == [
        (f"evidence/{DEFAULT_SYSTEM}/odd.ttl", "is a directory, expected a Turtle file")]


def test_settings_errors_point_at_the_key(repo: GovernanceRepo) -> None:
    """An unknown or mistyped setting is reported with its line; defaults are used."""
    repo.write_text("rai-graph.toml", '# settings\nbase_iri = "https://example.org/acme/"\nas_off = 3\n')
    loaded = load_repository(repo.root)
    assert [(e.file, e.line, e.kind) for e in loaded.errors] == [("rai-graph.toml", 3, "shape")]
    assert "as_off" in loaded.errors[0].message
    repo.write_text("rai-graph.toml", "as_of = [\n")
    assert [e.kind for e in load_repository(repo.root).errors] == ["parse"]


def test_not_a_governance_repository(tmp_path: Path) -> None:
    """A directory without frameworks/, controls/ or evidence/ is refused."""
    with pytest.raises(NotAGovernanceRepository, match="none of frameworks/, controls/, evidence/"):
        load_repository(tmp_path)


def test_git_revision_loads_like_the_working_tree(repo: GovernanceRepo) -> None:
    """Loading a commit from git objects gives the same triples as the checked-out files."""
    init(repo.root)
    commit_all(repo.root, "all")
    from_disk = load_repository(repo.root)
    from_git = load_repository(GitTree(repo.root, "HEAD"))
    assert len(from_git.dataset) == len(from_disk.dataset)
    assert sorted(f.path for f in from_git.files.values()) == sorted(
        f.path for f in from_disk.files.values())
    assert from_git.errors == from_disk.errors == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_loading_never_raises_on_arbitrary_bytes(repo: GovernanceRepo, data: bytes) -> None:
    """Whatever bytes a .ttl file holds, loading reports rather than raises."""
    repo.write_bytes(f"evidence/{DEFAULT_SYSTEM}/fuzz.ttl", data)
    loaded = load_repository(repo.root)
    for error in loaded.errors:
        assert error.file == f"evidence/{DEFAULT_SYSTEM}/fuzz.ttl"
        assert error.kind == "parse"
    build_model(loaded)
