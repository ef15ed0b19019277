"""``check --format json`` after a change re-judges only the folders it touched, and prints
exactly what a fresh ``--no-cache`` run prints (``rai_graph.splice``).

Randomised sequences of edits (Hypothesis): evidence records and artefacts in one system folder
(the merged path), and edits that tie folders together (a record or approval filed in one folder
about another's, a copy of a record in another folder, an artefact path or link into another
folder, a class defined in evidence), organisation evidence, governed files under controls/,
settings, git commits, syntax errors and dates. After each, the cached command and ``--no-cache``
agree byte for byte and on the exit code.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import equivalence
import rai_graph.pipeline
from equivalence import change_governed, commit, examples
from rai_graph.authoring.generator import generate_repository
from rai_graph.cli import main
from rai_graph.replay import HidingTree

from git_helpers import commit_all, init

pytestmark = pytest.mark.slow

DATES = ("2026-06-01", "2026-11-24", "2027-12-02")
FAIL_ON = ("gaps", "errors", "none")
GEN = "https://example.org/generated/"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("incremental") / "repo"
    generate_repository(root, systems=3, seed=5)
    return root


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    for name in ("RAI_GRAPH_NO_CACHE", "RAI_GRAPH_CACHE_DIR", "RAI_GRAPH_CACHE_SECRET"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def partial_runs(monkeypatch: pytest.MonkeyPatch) -> list[frozenset[str]]:
    """The folders hidden by each pipeline run that re-judged part of the repository."""
    hidden: list[frozenset[str]] = []
    real = rai_graph.pipeline.run

    def watching(root: object, *args: object, **kwargs: object) -> rai_graph.pipeline.PipelineResult:
        if isinstance(root, HidingTree):
            hidden.append(root.hidden)
        return real(root, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rai_graph.pipeline, "run", watching)
    return hidden


def _systems(root: Path) -> list[Path]:
    return sorted(p for p in (root / "evidence").iterdir() if p.is_dir() and p.name != "_organisation")


def _records(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.ttl") if p.is_file() and not p.is_symlink())


def _artefacts(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".ttl" and p.name != "README.md")


def _pick(paths: list[Path], index: int) -> Path | None:
    return paths[index % len(paths)] if paths else None


def _system(root: Path, index: int) -> Path:
    return _systems(root)[index % len(_systems(root))]


def _other(root: Path, index: int) -> Path:
    return _system(root, index + 1)


def _append(path: Path | None, text: str) -> None:
    if path is not None:
        with path.open("a", encoding="utf-8") as stream:
            stream.write(text)


def append_comment(root: Path, index: int) -> None:
    _append(_pick(_records(_system(root, index)), index // 3), "\n# reviewed again\n")


def age_evidence(root: Path, index: int) -> None:
    path = _pick(_records(_system(root, index)), index // 3)
    if path is not None:
        path.write_text(path.read_text(encoding="utf-8").replace('"2026-', '"2023-', 1), encoding="utf-8")


def drop_approval_decision(root: Path, index: int) -> None:
    path = _pick(_records(_system(root, index)), index // 3)
    if path is not None:
        path.write_text(path.read_text(encoding="utf-8").replace("rai:Approved", "rai:Rejected", 1),
                        encoding="utf-8")


def change_artefact(root: Path, index: int) -> None:
    path = _pick(_artefacts(_system(root, index)), index // 3)
    if path is not None:
        with path.open("ab") as stream:
            stream.write(b"one more line\n")


def delete_record(root: Path, index: int) -> None:
    path = _pick(_records(_system(root, index)), index // 3)
    if path is not None:
        path.unlink()


def break_syntax(root: Path, index: int) -> None:
    _append(_pick(_records(_system(root, index)), index // 3), "\nundeclared:thing undeclared:p 1 .\n")


def evidence_for_another_system(root: Path, index: int) -> None:
    """A record filed in one folder for the system of another (misplaced: it ties the two)."""
    other = _other(root, index).name
    (_system(root, index) / f"foreign-{index}.ttl").write_text(
        f"<{GEN}foreign-{index}> a <https://w3id.org/rai-graph/ns#Evidence> ;\n"
        f"    <https://w3id.org/rai-graph/ns#forSystem> <{GEN}{other}> ;\n"
        f"    <http://purl.org/dc/terms/title> \"filed elsewhere\" .\n", encoding="utf-8")


def approve_another_folders_record(root: Path, index: int) -> None:
    target = _pick(_records(_other(root, index)), index)
    if target is None:
        return
    subject = f"{GEN}{_other(root, index).name}-{target.stem}"
    (_system(root, index) / f"approval-{index}.ttl").write_text(
        f"<{GEN}far-approval-{index}> a <https://w3id.org/rai-graph/ns#Approval> ;\n"
        f"    <https://w3id.org/rai-graph/ns#approves> <{subject}> ;\n"
        f"    <https://w3id.org/rai-graph/ns#decision> <https://w3id.org/rai-graph/ns#Rejected> .\n",
        encoding="utf-8")


def copy_record_to_another_folder(root: Path, index: int) -> None:
    source = _pick(_records(_system(root, index)), index // 3)
    if source is not None:
        shutil.copyfile(source, _other(root, index) / f"copied-{index}.ttl")


def artefact_into_another_folder(root: Path, index: int) -> None:
    path = _pick(_records(_system(root, index)), index // 3)
    target = _pick(_artefacts(_other(root, index)), index)
    if path is not None and target is not None:
        text = re.sub(r'rai:artifact "[^"]*"', f'rai:artifact "{os.path.relpath(target, path.parent)}"',
                      path.read_text(encoding="utf-8"), count=1)
        path.write_text(text, encoding="utf-8")


def artefact_becomes_link_elsewhere(root: Path, index: int) -> None:
    path = _pick(_artefacts(_system(root, index)), index // 3)
    target = _pick(_artefacts(root / "evidence" / "_organisation") + _artefacts(_other(root, index)), index)
    if path is not None and target is not None:
        path.unlink()
        path.symlink_to(os.path.relpath(target, path.parent))


def record_becomes_link_elsewhere(root: Path, index: int) -> None:
    path = _pick(_records(_system(root, index)), index // 3)
    target = _pick(_records(_other(root, index)), index)
    if path is not None and target is not None:
        path.unlink()
        path.symlink_to(os.path.relpath(target, path.parent))


def define_a_class(root: Path, index: int) -> None:
    _append(_pick(_records(_system(root, index)), index // 3),
            f"\n<{GEN}Kind{index}> <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
            "<https://w3id.org/rai-graph/ns#Evidence> .\n")


def edit_organisation(root: Path, index: int) -> None:
    path = _pick(_records(root / "evidence" / "_organisation"), index)
    if path is not None:
        path.write_text(path.read_text(encoding="utf-8").replace('"2026-', '"2024-', 1), encoding="utf-8")


def edit_governed(root: Path, index: int) -> None:
    path = _pick(_records(root / "controls"), index)
    if path is not None:
        change_governed(path)


def toggle_settings(root: Path, index: int) -> None:
    equivalence.toggle_settings(root, 'approval_strictness = "author"\n' if index % 2
                                else "freshness_from_commit_date = true\n")


EDITS: tuple[Callable[[Path, int], None], ...] = (
    append_comment, age_evidence, drop_approval_decision, change_artefact, delete_record, break_syntax,
    evidence_for_another_system, approve_another_folders_record, copy_record_to_another_folder,
    artefact_into_another_folder, artefact_becomes_link_elsewhere, record_becomes_link_elsewhere,
    define_a_class, edit_organisation,
    edit_governed, toggle_settings, commit,
)
# Edits within one folder come up more often: they are what the merge is for.
LOCAL_EDITS = EDITS[:5]


def _agree(root: Path, date: str, fail_on: str, context: str) -> None:
    arguments = ["check", "--format", "json", "--repo", str(root), "--as-of", date, "--fail-on", fail_on]
    fresh = CliRunner().invoke(main, [*arguments, "--no-cache"])
    cached = CliRunner().invoke(main, arguments)
    assert cached.exit_code in (0, 1), cached.output
    assert (cached.exit_code, cached.stdout) == (fresh.exit_code, fresh.stdout), context


@settings(max_examples=examples(6), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.one_of(st.sampled_from(LOCAL_EDITS), st.sampled_from(EDITS)),
                                st.integers(0, 10_000), st.sampled_from((None, None, *DATES))),
                      min_size=1, max_size=6),
       fail_on=st.sampled_from(FAIL_ON))
def test_a_merged_check_is_the_check_of_a_fresh_run(
    template: Path, partial_runs: list[frozenset[str]],
    steps: list[tuple[Callable[[Path, int], None], int, str | None]], fail_on: str,
) -> None:
    """Each step's cached check (merged, replayed or full) equals a --no-cache run; a step
    without a date keeps the previous one, so that the merged path gets its turn."""
    with _copy(template) as root:
        date = DATES[1]
        _agree(root, date, fail_on, "first run")
        for edit, index, new_date in steps:
            edit(root, index)
            date = new_date or date
            _agree(root, date, fail_on, f"after {edit.__name__}({index}) as of {date}")


def test_one_changed_record_re_judges_only_its_folder(
    template: Path, partial_runs: list[frozenset[str]],
) -> None:
    """The merged path is taken: after one record of one folder changed, the pipeline runs with
    every other system folder hidden, and the output is still a fresh run's."""
    with _copy(template) as root:
        _agree(root, DATES[1], "gaps", "first run")
        assert partial_runs == []
        changed = _systems(root)[1]
        append_comment(root, 1)
        _agree(root, DATES[1], "gaps", "after one comment")
        assert partial_runs == [frozenset(f"evidence/{p.name}" for p in _systems(root) if p != changed)]


def test_a_change_outside_system_folders_is_a_full_run(
    template: Path, partial_runs: list[frozenset[str]],
) -> None:
    """Organisation evidence bears on every system: a change there is never merged."""
    with _copy(template) as root:
        _agree(root, DATES[1], "gaps", "first run")
        edit_organisation(root, 0)
        _agree(root, DATES[1], "gaps", "after an organisation edit")
        assert partial_runs == []


def test_a_folder_tied_to_another_is_not_hidden(
    template: Path, partial_runs: list[frozenset[str]],
) -> None:
    """A record of one folder about another folder's system ties the two: a later change in one
    re-judges both (the other is never taken from the kept shares)."""
    with _copy(template) as root:
        evidence_for_another_system(root, 0)
        _agree(root, DATES[1], "gaps", "first run")
        first, second = _systems(root)[0].name, _systems(root)[1].name
        append_comment(root, 0)
        _agree(root, DATES[1], "gaps", "after a comment in the tied folder")
        assert partial_runs
        assert all(f"evidence/{first}" not in h and f"evidence/{second}" not in h for h in partial_runs)


def test_a_folder_reading_another_folders_file_is_re_judged_with_it(
    template: Path, partial_runs: list[frozenset[str]],
) -> None:
    """A record file that is a link to another folder's record reads that folder's bytes: when
    they change, the linking folder's judgement changes too, so it is never taken as kept."""
    with _copy(template) as root:
        record_becomes_link_elsewhere(root, 0)
        _agree(root, DATES[1], "gaps", "first run")
        linking = _system(root, 0)
        target = _pick(_records(_other(root, 0)), 0)
        assert target is not None
        target.write_text(target.read_text(encoding="utf-8").replace('"2026-', '"2023-'), encoding="utf-8")
        _agree(root, DATES[1], "gaps", "after the linked record aged")
        assert all(f"evidence/{linking.name}" not in hidden for hidden in partial_runs)


def test_shares_written_apart_from_the_output_are_not_used(
    template: Path, partial_runs: list[frozenset[str]],
) -> None:
    """A run that stopped between writing the kept shares and the replayed output's record of
    what it read leaves the two apart: shares from another run are never merged (a folder
    changed since would be taken as it was)."""
    with _copy(template) as root:
        _agree(root, DATES[1], "gaps", "first run")
        cache = root / ".rai-graph-cache"
        kept = {pack.name: pack.read_bytes() for pack in cache.glob("splice-*.pack")}
        assert kept
        change_artefact(root, 0)
        _agree(root, DATES[1], "gaps", "after an artefact changed")
        assert len(partial_runs) == 1
        for name, data in kept.items():
            (cache / name).write_bytes(data)
        append_comment(root, 1)
        _agree(root, DATES[1], "gaps", "with the first run's shares put back")
        assert len(partial_runs) == 1


class _copy:
    """A fresh git repository holding a copy of ``template``, removed afterwards."""

    def __init__(self, template: Path) -> None:
        self._template = template
        self._folder = tempfile.TemporaryDirectory(prefix="rai-graph-incremental-")

    def __enter__(self) -> Path:
        root = Path(self._folder.name) / "repo"
        shutil.copytree(self._template, root, symlinks=True)
        init(root)
        commit_all(root, "initial")
        return root

    def __exit__(self, *exc_info: object) -> None:
        self._folder.cleanup()
