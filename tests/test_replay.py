"""A replayed ``check``/``status`` prints exactly what a fresh ``--no-cache`` run prints.

Randomised sequences of edits (Hypothesis) to evidence records, artefacts (including same-size
changes with the modification time put back), governed files, settings, symbolic links, git
history and the date: after each, the cached command and ``--no-cache`` agree byte for byte and
on the exit code, and running the cached command again replays it without running the pipeline.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from unittest.mock import patch

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import equivalence
import rai_graph.pipeline
import rai_graph.replay
from equivalence import change_governed, commit, examples
from rai_graph.authoring.generator import generate_repository
from rai_graph.cli import main

from git_helpers import commit_all, init

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("own_cache_secret")]

DATES = ("2026-06-01", "2026-11-24", "2027-12-02", "2028-09-01")
COMMANDS = (("check", "--format", "json"), ("check",), ("check", "--format", "sarif"),
            ("status", "--format", "json"), ("status", "--format", "markdown"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("replay") / "repo"
    generate_repository(root, systems=3, seed=3)
    return root


@pytest.fixture
def pipeline_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the pipeline ran (a replayed command never runs it)."""
    calls: list[int] = []
    real = rai_graph.pipeline.run

    def counting(*args: object, **kwargs: object) -> rai_graph.pipeline.PipelineResult:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rai_graph.pipeline, "run", counting)
    return calls


def _files(root: Path, folder: str, suffix: str) -> list[Path]:
    return sorted(p for p in (root / folder).rglob(f"*{suffix}") if p.is_file() and not p.is_symlink())


def _artefacts(root: Path) -> list[Path]:
    """The files records name as artefacts: everything in evidence/ but records and READMEs."""
    return [p for p in _files(root, "evidence", "") if p.suffix != ".ttl" and p.name != "README.md"]


def _pick(paths: list[Path], index: int) -> Path:
    return paths[index % len(paths)]


def append_comment(root: Path, index: int) -> None:
    with _pick(_files(root, "evidence", ".ttl"), index).open("a", encoding="utf-8") as stream:
        stream.write("\n# reviewed again\n")


def age_evidence(root: Path, index: int) -> None:
    path = _pick(_files(root, "evidence", ".ttl"), index)
    path.write_text(path.read_text(encoding="utf-8").replace('"2026-', '"2023-', 1), encoding="utf-8")


def break_syntax(root: Path, index: int) -> None:
    with _pick(_files(root, "evidence", ".ttl"), index).open("a", encoding="utf-8") as stream:
        stream.write("\nundeclared:thing undeclared:p 1 .\n")


def delete_record(root: Path, index: int) -> None:
    _pick(_files(root, "evidence", ".ttl"), index).unlink()


def copy_record(root: Path, index: int) -> None:
    source = _pick(_files(root, "evidence", ".ttl"), index)
    shutil.copyfile(source, source.with_name(f"copy-{index}-{source.name}"))


def change_artefact(root: Path, index: int) -> None:
    with _pick(_artefacts(root), index).open("ab") as stream:
        stream.write(b"one more line\n")


def same_size_change_with_old_times(root: Path, index: int) -> None:
    """Content differs, size and modification time as before (only the change time moves)."""
    path = _pick(_artefacts(root), index)
    before = path.stat()
    data = bytearray(path.read_bytes() or b"x")
    data[0] = (data[0] + 1) % 256
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def touch_only(root: Path, index: int) -> None:
    os.utime(_pick(_files(root, "evidence", ".ttl"), index))


def artefact_becomes_link(root: Path, index: int) -> None:
    artefacts = _artefacts(root)
    path, other = _pick(artefacts, index), _pick(artefacts, index + 1)
    if path != other:
        path.unlink()
        path.symlink_to(os.path.relpath(other, path.parent))


def edit_governed(root: Path, index: int) -> None:
    change_governed(_pick(_files(root, "controls", ".ttl"), index))


def toggle_settings(root: Path, index: int) -> None:
    equivalence.toggle_settings(root, "freshness_from_commit_date = true\n" if index % 2
                                else 'as_of = "2027-01-15"\n')


EDITS: tuple[Callable[[Path, int], None], ...] = (
    append_comment, age_evidence, break_syntax, delete_record, copy_record, change_artefact,
    same_size_change_with_old_times, touch_only, artefact_becomes_link, edit_governed,
    toggle_settings, commit,
)


@settings(max_examples=examples(5), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 10_000),
                                st.sampled_from(DATES), st.sampled_from(COMMANDS)),
                      min_size=1, max_size=5),
       racy_seconds=st.sampled_from([0.0, rai_graph.replay.RACY_SECONDS]))
def test_a_replayed_output_is_the_output_of_a_fresh_run(
    template: Path, pipeline_runs: list[int],
    steps: list[tuple[Callable[[Path, int], None], int, str, tuple[str, ...]]], racy_seconds: float,
) -> None:
    """With the racy window at 0 s every file is trusted by its stat signature alone (as for
    files older than the window), so same-size edits with the old times put back must be seen."""
    with _copy(template) as root, patch.object(rai_graph.replay, "RACY_SECONDS", racy_seconds):
        for edit, index, date, command in steps:
            edit(root, index)
            arguments = [*command, "--repo", str(root), "--as-of", date]
            fresh = CliRunner().invoke(main, [*arguments, "--no-cache"])
            cached = CliRunner().invoke(main, arguments)
            assert (cached.exit_code, cached.stdout) == (fresh.exit_code, fresh.stdout), (
                f"after {edit.__name__}({index}), {command} as of {date}")
            assert cached.exit_code in (0, 1), cached.output
            before = len(pipeline_runs)
            replayed = CliRunner().invoke(main, arguments)
            assert (replayed.exit_code, replayed.stdout) == (fresh.exit_code, fresh.stdout)
            assert len(pipeline_runs) == before, f"{command} was run again, not replayed"


def test_without_a_date_the_replay_is_keyed_by_today(
    template: Path, pipeline_runs: list[int], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A run without --as-of judges as of today: tomorrow's run is a new judgement."""
    import datetime as dt

    with _copy(template) as root:
        arguments = ["status", "--format", "json", "--repo", str(root)]
        assert CliRunner().invoke(main, arguments).exit_code == 0
        assert CliRunner().invoke(main, arguments).exit_code == 0
        runs = len(pipeline_runs)
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        monkeypatch.setattr(rai_graph.replay, "today", lambda: tomorrow)
        assert CliRunner().invoke(main, arguments).exit_code == 0
        assert len(pipeline_runs) == runs + 1 == 2


def test_a_repository_with_settings_is_replayed(template: Path, pipeline_runs: list[int]) -> None:
    """rai-graph.toml sits at the top of the repository, outside every content folder."""
    with _copy(template) as root:
        (root / "rai-graph.toml").write_text("freshness_from_commit_date = true\n", encoding="utf-8")
        arguments = ["status", "--format", "json", "--repo", str(root), "--as-of", DATES[1]]
        first, second = (CliRunner().invoke(main, arguments) for _ in range(2))
        assert (first.exit_code, first.stdout) == (second.exit_code, second.stdout)
        assert len(pipeline_runs) == 1


def test_a_replayed_check_with_a_date_imports_no_rdflib(template: Path) -> None:
    """``--as-of`` is checked against the dates rai-graph judges without importing the model:
    a replayed run, as a pre-commit hook or CI makes it, must not pay for rdflib's import (nor
    GitPython's, nor importlib.metadata's for the libraries' versions)."""
    import subprocess
    import sys

    with _copy(template) as root:
        arguments = ["check", "--format", "json", "--repo", str(root), "--as-of", DATES[1]]
        assert CliRunner().invoke(main, arguments).exit_code in (0, 1)
        probe = ("import sys; from click.testing import CliRunner; from rai_graph.cli import main; "
                 f"r = CliRunner().invoke(main, {arguments!r}); assert r.exit_code in (0, 1), r.output; "
                 "print(sorted(m for m in ('rdflib', 'pyshacl', 'pyoxigraph', 'git', 'importlib.metadata') "
                 "if m in sys.modules))")
        found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
        assert found.stdout.strip() == "[]", found.stdout + found.stderr


def test_a_folder_moved_away_and_linked_back_is_not_replayed(template: Path) -> None:
    """A system folder moved out of the repository and replaced by a symbolic link to it keeps
    every file's ``stat`` signature and the listings' names; the folder itself is no longer a
    plain directory, so the run is judged afresh (and agrees with ``--no-cache``)."""
    with _copy(template) as root:
        folder = sorted(p for p in (root / "evidence").iterdir() if p.is_dir() and not p.name.startswith("_"))[0]
        arguments = ["check", "--format", "json", "--repo", str(root), "--as-of", DATES[1], "--fail-on", "none"]
        assert CliRunner().invoke(main, arguments).exit_code == 0
        outside = root.parent / "moved-away"
        folder.rename(outside)
        folder.symlink_to(outside, target_is_directory=True)
        changed = rai_graph.replay.differences(root, _recorded(root))
        assert changed is not None
        assert any(path.startswith(f"evidence/{folder.name}/") for path in changed), changed
        cached, fresh = (CliRunner().invoke(main, [*arguments, *extra]) for extra in ((), ("--no-cache",)))
        assert (cached.exit_code, cached.stdout) == (fresh.exit_code, fresh.stdout)


def _recorded(root: Path) -> dict[str, object]:
    """The recorded dependencies of the latest replay entry under ``root``."""
    from rai_graph.load.cache import Cache

    store = Cache.for_repository(root)
    assert store is not None
    packs = sorted((root / ".rai-graph-cache").glob("replay-*.pack"), key=lambda p: p.stat().st_mtime_ns)
    entry = next(iter(store.read(packs[-1].stem).values()))
    return entry[0]  # type: ignore[no-any-return]


def test_a_record_replaced_by_a_named_pipe_is_never_opened(template: Path) -> None:
    """The replay check hashes recently changed files; a FIFO put in place of one is not a file
    to hash (opening it would wait for a writer for ever), so the run is judged afresh."""
    with _copy(template) as root:
        record = _files(root, "evidence", ".ttl")[0]
        arguments = ["status", "--format", "json", "--repo", str(root), "--as-of", DATES[1]]
        assert CliRunner().invoke(main, arguments).exit_code == 0
        record.unlink()
        os.mkfifo(record)
        cached, fresh = (CliRunner().invoke(main, [*arguments, *extra]) for extra in ((), ("--no-cache",)))
        assert (cached.exit_code, cached.stdout) == (fresh.exit_code, fresh.stdout)


def test_a_run_that_verified_signatures_is_never_replayed(
    template: Path, pipeline_runs: list[int], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whether a signature verifies depends on keyrings outside the repository."""
    from rai_graph.provenance import Provenance

    monkeypatch.setattr(Provenance, "consulted_signatures", property(lambda self: True))
    with _copy(template) as root:
        arguments = ["check", "--format", "json", "--repo", str(root), "--as-of", DATES[1]]
        for _ in range(2):
            assert CliRunner().invoke(main, arguments).exit_code in (0, 1)
        assert len(pipeline_runs) == 2


class _copy:
    """A fresh git repository holding a copy of ``template``, removed afterwards."""

    def __init__(self, template: Path) -> None:
        self._template = template
        self._folder = tempfile.TemporaryDirectory(prefix="rai-graph-replay-")

    def __enter__(self) -> Path:
        root = Path(self._folder.name) / "repo"
        shutil.copytree(self._template, root, symlinks=True)
        init(root)
        commit_all(root, "initial")
        return root

    def __exit__(self, *exc_info: object) -> None:
        self._folder.cleanup()


def test_a_library_upgrade_changes_the_replay_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key names each result-shaping library's installed distribution, found on ``sys.path``
    in import order: an upgraded rdflib earlier on the path is another key, never a replay."""
    before = dict(rai_graph.replay._library_versions())
    assert all(v.endswith(".dist-info") for v in before.values()), before
    (tmp_path / "rdflib-99.1.dist-info").mkdir()
    (tmp_path / "pydantic_core-99.dist-info").mkdir()  # another library: pydantic's stays
    monkeypatch.syspath_prepend(str(tmp_path))
    rai_graph.replay._library_versions.cache_clear()
    try:
        after = rai_graph.replay._library_versions()
        assert after == {**before, "rdflib": "rdflib-99.1.dist-info"}
    finally:
        rai_graph.replay._library_versions.cache_clear()


def test_a_library_found_by_no_folder_is_asked_of_importlib_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    from importlib import metadata

    installed = metadata.version("rdflib")
    # Folders that hold no distribution folders (an egg, say): importlib.metadata still knows.
    monkeypatch.setattr(sys, "path", [p for p in sys.path if "site-packages" not in p])
    monkeypatch.setattr(rai_graph.replay, "_LIBRARIES", ("rdflib", "no-such-library-xyz"))

    def version(name: str) -> str:
        if name != "rdflib":
            raise metadata.PackageNotFoundError(name)
        return installed

    monkeypatch.setattr(metadata, "version", version)
    rai_graph.replay._library_versions.cache_clear()
    try:
        found = rai_graph.replay._library_versions()
    finally:
        rai_graph.replay._library_versions.cache_clear()
    assert found == {"rdflib": installed, "no-such-library-xyz": "absent"}
