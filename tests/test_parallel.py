"""The forked second process (rai_graph.parallel): same answers as one process, whatever the child does."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from rai_graph import parallel
from rai_graph.authoring.generator import generate_repository
from rai_graph.cli import main
from rai_graph.load import parse
from rai_graph.parallel import map_in_two
from rai_graph.validate import shacl

needs_two_cores = pytest.mark.skipif(parallel.usable_cores() < 2 or not hasattr(os, "fork"),
                                     reason="a second usable core and fork are needed")


def _square_with_pid(items: Sequence[int], advance: Callable[[int], None] | None) -> list[tuple[int, int]]:
    done = []
    for item in items:
        done.append((os.getpid(), item * item))
        if advance is not None:
            advance(1)
    return done


@needs_two_cores
def test_the_tail_is_done_by_a_child_and_the_results_keep_their_order() -> None:
    reported: list[int] = []
    items = list(range(101))
    found = map_in_two(_square_with_pid, items, [1] * len(items), 0, reported.append)
    assert [value for _pid, value in found] == [item * item for item in items]
    pids = [pid for pid, _value in found]
    assert pids[0] == os.getpid()
    assert pids[-1] != os.getpid()
    assert sum(reported) == len(items)


def test_small_inputs_and_one_core_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    items = list(range(10))
    found = map_in_two(_square_with_pid, items, [1] * len(items), 11)
    assert {pid for pid, _value in found} == {os.getpid()}
    monkeypatch.setattr(parallel, "usable_cores", lambda: 1)
    found = map_in_two(_square_with_pid, items, [1] * len(items), 0)
    assert {pid for pid, _value in found} == {os.getpid()}


@needs_two_cores
def test_a_failing_child_leaves_the_work_to_this_process() -> None:
    parent = os.getpid()

    def fails_in_the_child(items: Sequence[int], advance: Callable[[int], None] | None) -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("the child breaks")
        done = [item + 1 for item in items]
        if advance is not None:
            advance(len(items))
        return done

    reported: list[int] = []
    assert map_in_two(fails_in_the_child, list(range(20)), [1] * 20, 0, reported.append) == \
        list(range(1, 21))
    assert sum(reported) == 20  # every item reported once, though this process did the tail too


@needs_two_cores
def test_results_marshal_cannot_carry_are_made_here() -> None:
    parent = os.getpid()

    def objects_in_the_child(items: Sequence[int], advance: Callable[[int], None] | None) -> list[object]:
        return [object() if os.getpid() != parent else item for item in items]

    assert map_in_two(objects_in_the_child, list(range(8)), [1] * 8, 0) == list(range(8))


@needs_two_cores
def test_a_child_that_dies_is_reaped_and_its_work_redone() -> None:
    parent = os.getpid()

    def dies_in_the_child(items: Sequence[int], advance: Callable[[int], None] | None) -> list[int]:
        if os.getpid() != parent:
            os._exit(0)  # leaves without sending anything, "successfully"
        return list(items)

    assert map_in_two(dies_in_the_child, list(range(6)), [1] * 6, 0) == list(range(6))


def test_forked_parsing_gives_the_outcomes_of_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [
        "@prefix ex: <https://example.org/> .\nex:a ex:p \"text\" ; ex:q [ ex:r 1 ] .\n",
        "@prefix ex: <https://example.org/> .\nex:b ex:p \"x\"^^<http://www.w3.org/2001/XMLSchema#string> .\n",
        "@prefix ex: <https://example.org/> .\nex:c ex:p .\n",  # a syntax error: rdflib's message
        "@prefix ex: <https://example.org/> .\nex:d ex:p \"Hallo\"@de, 2.5, true .\n",
    ] * 25
    items = [(text, f"file:///evidence/s/{number}.ttl") for number, text in enumerate(texts)]
    alone = parse.parse_many(items, "oxigraph")
    monkeypatch.setattr(parse, "SHARED_PARSE_CHARACTERS", 0)
    assert parse.parse_many(items, "oxigraph") == alone
    assert alone[2][0] == "error"
    assert alone[0][0] == "ok"


@needs_two_cores
@pytest.mark.usefixtures("own_cache_secret")
def test_a_check_sharing_its_work_with_a_child_says_what_one_process_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Parsing and SHACL both forked (the thresholds at zero), on a repository with a syntax
    error, an aged record and a shape violation: the same JSON as one process, cold and cached."""
    root = tmp_path / "repo"
    generate_repository(root, systems=3, seed=5)
    records = sorted((root / "evidence").rglob("*.ttl"))
    with records[0].open("a", encoding="utf-8") as stream:
        stream.write("\nundeclared:thing undeclared:p 1 .\n")
    records[1].write_text(records[1].read_text(encoding="utf-8").replace('"2026-', '"2023-', 1), encoding="utf-8")
    card = root / "evidence" / "system-00000" / "rai-doc-02.ttl"  # a date that is no date: a shape error
    card.write_text(re.sub(r'"\d{4}-\d\d-\d\d"\^\^xsd:date', '"soon"', card.read_text(encoding="utf-8"), count=1),
                    encoding="utf-8")
    arguments = ["check", "--repo", str(root), "--as-of", "2026-11-24", "--format", "json", "--fail-on", "none"]

    monkeypatch.setattr(parallel, "usable_cores", lambda: 1)
    alone = CliRunner().invoke(main, [*arguments, "--no-cache"])
    monkeypatch.undo()
    forks: list[int] = []
    real_start = parallel._Child.start

    def counted(job: Callable[[], object]) -> parallel._Child | None:
        forks.append(1)
        return real_start(job)

    monkeypatch.setattr(parallel._Child, "start", staticmethod(counted))
    monkeypatch.setattr(parse, "SHARED_PARSE_CHARACTERS", 0)
    monkeypatch.setattr(shacl, "BACKGROUND_TRIPLES", 0)
    shared = CliRunner().invoke(main, arguments)
    assert len(forks) == 2  # one for parsing, one for SHACL: the forked paths really ran
    cached = CliRunner().invoke(main, arguments)
    assert alone.exit_code == shared.exit_code == cached.exit_code == 0, shared.output
    assert shared.stdout == alone.stdout
    assert cached.stdout == alone.stdout
    kinds = {error["kind"] for error in json.loads(alone.stdout)["errors"]}
    assert {"parse", "shape"} <= kinds


@needs_two_cores
@pytest.mark.usefixtures("own_cache_secret")
def test_what_changed_found_by_a_child_replays_and_re_judges_as_one_process_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The replay's walk in a second process (the threshold at zero): nothing changed replays
    without running the pipeline; after an edit the output is that of a fresh run."""
    import rai_graph.pipeline
    from rai_graph import replay

    root = tmp_path / "repo"
    generate_repository(root, systems=3, seed=7)
    arguments = ["check", "--repo", str(root), "--as-of", "2026-11-24", "--format", "json", "--fail-on", "none"]
    monkeypatch.setattr(replay, "BACKGROUND_PATHS", 0)
    forks: list[int] = []
    real_start = parallel._Child.start

    def counted(job: Callable[[], object]) -> parallel._Child | None:
        forks.append(1)
        return real_start(job)

    monkeypatch.setattr(parallel._Child, "start", staticmethod(counted))
    first = CliRunner().invoke(main, arguments)
    assert forks == []  # nothing recorded yet: nothing to walk
    runs: list[int] = []
    real_run = rai_graph.pipeline.run

    def counting(*args: object, **kwargs: object) -> rai_graph.pipeline.PipelineResult:
        runs.append(1)
        return real_run(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rai_graph.pipeline, "run", counting)
    again = CliRunner().invoke(main, arguments)
    assert forks == [1]
    assert runs == []
    assert again.stdout == first.stdout
    record = sorted((root / "evidence" / "system-00001").glob("*.ttl"))[-1]
    record.write_text(record.read_text(encoding="utf-8").replace('"2026-', '"2023-', 1), encoding="utf-8")
    edited = CliRunner().invoke(main, arguments)
    assert forks == [1, 1]
    fresh = CliRunner().invoke(main, [*arguments, "--no-cache"])
    assert edited.exit_code == fresh.exit_code == 0
    assert edited.stdout == fresh.stdout
    assert edited.stdout != first.stdout
