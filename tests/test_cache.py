"""The cache: unchanged files are neither parsed nor validated again, a change redoes exactly what
depends on it, and a cache that is corrupt, stale or not ours is ignored and rebuilt."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rai_graph.authoring.generator import generate_repository
from rai_graph.errors import InputError
from rai_graph.load import cache as _cache
from rai_graph.load import parse as _parse
from rai_graph.load.cache import CACHE_FOLDER, Cache
from rai_graph.pipeline import PipelineResult, run
from rai_graph.validate import shacl as _shacl

AS_OF = dt.date(2026, 11, 24)


pytestmark = pytest.mark.usefixtures("own_cache_secret")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    generate_repository(tmp_path / "repo", systems=3, seed=2)
    return tmp_path / "repo"


class Counts:
    """How many files were parsed and how many SHACL units validated during one run."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.parsed: list[str] = []
        self.validated = 0
        parse, validate_units = _parse.parse_turtle, _shacl._validate_units

        def counting_parse(text: str, base: str, parser: str | None = None) -> Any:
            self.parsed.append(base)
            return parse(text, base, parser)

        def counting_units(repo: Any, shapes: Any, units: Any, *args: Any) -> Any:
            self.validated += len(units)
            return validate_units(repo, shapes, units, *args)

        monkeypatch.setattr(_parse, "parse_turtle", counting_parse)
        monkeypatch.setattr(_shacl, "_validate_units", counting_units)


def judged(result: PipelineResult) -> tuple[list[InputError], list[tuple[str, str, str, str]]]:
    pairs = [(str(p.system), str(p.control.iri), p.status, p.reason)
             for s in result.assessment.systems for p in s.pairs]
    return result.validation.errors, pairs


def counted(repo: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[PipelineResult, Counts]:
    with monkeypatch.context() as patch:
        counts = Counts(patch)
        result = run(repo, AS_OF)
    return result, counts


def reference(repo: Path) -> PipelineResult:
    return run(repo, AS_OF, cache=False)


def test_an_unchanged_repository_is_neither_parsed_nor_validated(
    repo: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second run takes every parse and every SHACL result from the cache, and agrees."""
    first, cold = counted(repo, monkeypatch)
    second, warm = counted(repo, monkeypatch)
    assert len(cold.parsed) > 50
    assert cold.validated > 50
    assert (warm.parsed, warm.validated) == ([], 0)
    assert judged(first) == judged(second) == judged(reference(repo))


def test_one_changed_record_is_parsed_and_validated_alone(
    repo: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Touching one evidence file re-parses that file only and revalidates its record only."""
    run(repo, AS_OF)
    record = sorted((repo / "evidence" / "system-00001").glob("*.ttl"))[1]
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("rai:confidentiality", "rai:confidentiality rai:Internal ,", 1),
                      encoding="utf-8")
    result, counts = counted(repo, monkeypatch)
    assert len(counts.parsed) == 1
    assert counts.parsed[0].endswith(record.name)
    assert counts.validated == 1
    assert any(e.file.endswith(record.name) and e.kind == "shape" for e in result.validation.errors)
    assert judged(result) == judged(reference(repo))


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],
    lambda data: data[:100] + bytes([data[100] ^ 1]) + data[101:],
    lambda data: b"not a pack",
    lambda data: b"",
], ids=["truncated", "one-bit-flipped", "garbage", "empty"])
def test_a_damaged_cache_is_ignored_and_rebuilt(
    repo: Path, monkeypatch: pytest.MonkeyPatch, damage: Callable[[bytes], bytes],
) -> None:
    """Whatever happened to the packs, the run is right, and the packs are whole again after it."""
    run(repo, AS_OF)
    folder = repo / CACHE_FOLDER
    for pack in folder.glob("*.pack"):
        pack.write_bytes(damage(pack.read_bytes()))
    result, counts = counted(repo, monkeypatch)
    assert counts.parsed
    assert counts.validated
    assert judged(result) == judged(reference(repo))
    cache = Cache.for_repository(repo)
    assert cache is not None
    assert cache.read("parse")
    assert cache.read("shacl")


def test_a_cache_signed_by_someone_else_is_not_trusted(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    """Packs signed with another secret (e.g. committed to the repository) are never read."""
    run(repo, AS_OF)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    result, counts = counted(repo, monkeypatch)
    assert len(counts.parsed) > 50
    assert judged(result) == judged(reference(repo))


def test_a_shared_secret_lets_ci_runners_reuse_the_cache(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    """With RAI_GRAPH_CACHE_SECRET, a runner with a fresh home accepts what the last one wrote."""
    monkeypatch.setenv("RAI_GRAPH_CACHE_SECRET", "from the CI secret store")
    run(repo, AS_OF)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh-runner"))
    result, counts = counted(repo, monkeypatch)
    assert (counts.parsed, counts.validated) == ([], 0)
    monkeypatch.setenv("RAI_GRAPH_CACHE_SECRET", "another secret")
    _result, counts = counted(repo, monkeypatch)
    assert len(counts.parsed) > 50
    assert judged(result) == judged(reference(repo))


def test_another_version_does_not_reuse_entries(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries written by another rai-graph version (or Python) are stale: everything is redone."""
    run(repo, AS_OF)
    monkeypatch.setattr(_cache, "FINGERPRINT", _cache.FINGERPRINT + " (next version)")
    _result, counts = counted(repo, monkeypatch)
    assert len(counts.parsed) > 50
    assert counts.validated > 50


def test_a_changed_reference_target_revalidates_the_records_using_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A shape with sh:class looks at another file's types: changing them revalidates the record."""
    run(repo, AS_OF)
    system = (repo / "evidence" / "system-00000" / "system.ttl").read_text(encoding="utf-8")
    owner = system.split("rai:owner <", 1)[1].split(">", 1)[0]
    people = repo / "controls" / "people.ttl"
    text = people.read_text(encoding="utf-8")
    local = owner.rsplit("/", 1)[1]
    assert f"ex:{local} a rai:Person" in text
    people.write_text(text.replace(f"ex:{local} a rai:Person", f"ex:{local} a foaf:Agent"),
                      encoding="utf-8")
    result, _counts = counted(repo, monkeypatch)
    complaints = [e for e in result.validation.errors
                  if e.file == "evidence/system-00000/system.ttl" and "rai:owner" in e.message]
    assert complaints, result.validation.errors
    assert judged(result) == judged(reference(repo))


def test_new_shapes_revalidate_everything(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A shape added under controls/shapes/ applies to records validated before."""
    run(repo, AS_OF)
    (repo / "controls" / "shapes" / "dated.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix rai: <https://w3id.org/rai-graph/ns#> .\n"
        "<https://example.org/shapes/Dated> a sh:NodeShape ; sh:targetClass rai:Evidence ;\n"
        "  sh:property [ sh:path rai:validUntil ; sh:minCount 1 ; sh:message \"needs validUntil\" ] .\n",
        encoding="utf-8")
    result, counts = counted(repo, monkeypatch)
    assert counts.validated > 50
    assert sum("needs validUntil" in e.message for e in result.validation.errors) > 10
    assert judged(result) == judged(reference(repo))


def test_the_cache_folder_is_never_committed(repo: Path) -> None:
    """The cache folder ignores itself, so `git add -A` in the repository leaves it out."""
    run(repo, AS_OF)
    assert (repo / CACHE_FOLDER / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=repo,
                            check=True, capture_output=True, text=True).stdout
    assert status
    assert CACHE_FOLDER not in status


def test_the_cache_can_be_turned_off(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """RAI_GRAPH_NO_CACHE=1 (or cache=False) writes nothing and reads nothing."""
    monkeypatch.setenv("RAI_GRAPH_NO_CACHE", "1")
    run(repo, AS_OF)
    assert not (repo / CACHE_FOLDER).exists()
    monkeypatch.delenv("RAI_GRAPH_NO_CACHE")
    run(repo, AS_OF, cache=False)
    assert not (repo / CACHE_FOLDER).exists()


def test_the_code_fingerprint_covers_every_module_of_the_package() -> None:
    """Cached models and verdicts are keyed by all of rai-graph's source, not one sub-package:
    a change to the engine or the model invalidates them."""
    names = {path.relative_to(Path(_cache.__file__).resolve().parents[1]).as_posix() for path in _cache.source_files()}
    assert {"model.py", "trace/status.py", "trace/applicability.py", "load/repository.py", "pipeline.py"} <= names


def test_a_prefetched_pack_is_given_once_and_never_outlives_a_write(tmp_path: Path) -> None:
    """Cache.prefetch: the next read (by any cache object of the folder) gets what was read
    ahead; a second read, and any read after a write, go to the folder again."""
    (tmp_path / "controls").mkdir()
    cache = Cache.for_repository(tmp_path)
    assert cache is not None
    cache.write("extra", {"a": 1})
    cache.prefetch("extra")
    cache.write("extra", {"a": 2})  # written after the read ahead: the prefetched pack is dropped
    assert cache.read("extra") == {"a": 2}
    cache.prefetch("extra")
    (tmp_path / CACHE_FOLDER / "extra.pack").unlink()  # gone from the folder: only the prefetched copy holds it
    other = Cache.for_repository(tmp_path)
    assert other is not None
    assert other.read("extra") == {"a": 2}
    assert cache.read("extra") == {}  # given out once
