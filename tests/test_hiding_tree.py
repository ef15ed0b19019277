"""``HidingTree.dependencies`` keeps exactly the hidden folders' recorded paths (it judges them
one path at a time; a path right under ``evidence/`` is a system folder itself)."""

from __future__ import annotations

import itertools
from array import array
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from rai_graph.replay import HidingTree

PATHS = [
    "evidence/a", "evidence/a/system.ttl", "evidence/a/deep/artefact.pdf", "evidence/ab/system.ttl",
    "evidence/b", "evidence/b/system.ttl", "evidence/README.md", "evidence/_organisation/x.ttl",
    "controls/a/system.ttl", "evidence", "rai-graph.toml", "a/system.ttl",
]


def test_dependencies_keep_the_hidden_folders_recorded_paths(tmp_path: Path) -> None:
    signatures = array("q", [value for index in range(len(PATHS)) for value in (index, 2, 3, 4)])
    previous = {
        "listings": {}, "plain": "\0".join(PATHS), "signatures": signatures.tobytes(),
        "resolutions": {f"{path}/link": ("file", path) for path in PATHS},
        "opened": dict.fromkeys((f"{path}/lock" for path in PATHS), ((1, 2, 3, 4), None)),
    }
    tree = HidingTree(tmp_path, frozenset({"evidence/a", "evidence/README.md"}), previous)
    kept = ["evidence/a", "evidence/a/system.ttl", "evidence/a/deep/artefact.pdf", "evidence/README.md"]

    found = tree.dependencies()

    plain = found["plain"].split("\0")
    assert plain == kept
    kept_signatures = array("q")
    kept_signatures.frombytes(found["signatures"])
    assert kept_signatures.tolist() == [value for path in kept for value in (PATHS.index(path), 2, 3, 4)]
    assert sorted(found["resolutions"]) == sorted(f"{path}/link" for path in kept)
    assert sorted(found["opened"]) == sorted(f"{path}/lock" for path in kept)


@given(paths=st.lists(st.sampled_from([*PATHS, "evidence/a/x", "evidence/ab", "evidence/b/c/d", "evidence/",
                                       "evidence//x", "evidenceX/a", "x/evidence/a"]), max_size=30),
       hidden=st.sets(st.sampled_from(["evidence/a", "evidence/ab", "evidence/b", "evidence/README.md", "evidence/"])))
def test_hidden_indexes_answer_as_hides_does(paths: list[str], hidden: set[str]) -> None:
    """The prefix shortcut over paths listed folder by folder gives :meth:`HidingTree.hides`'s answers."""
    tree = HidingTree(Path("/nonexistent"), frozenset(hidden), {})
    assert tree.hidden_indexes(paths) == [i for i, path in enumerate(paths) if tree.hides(path)]
    assert tree.hidden_indexes(paths, hidden=False) == [i for i, path in enumerate(paths) if not tree.hides(path)]


@given(indexes=st.sets(st.integers(0, 40)))
def test_runs_cover_exactly_the_indexes(indexes: set[int]) -> None:
    from rai_graph.replay import _runs

    ordered = sorted(indexes)
    runs = list(_runs(ordered))
    assert [i for start, stop in runs for i in range(start, stop)] == ordered
    assert all(stop < start for (_, stop), (start, _) in itertools.pairwise(runs))


def test_a_signature_beyond_64_bits_is_recorded_apart(tmp_path: Path) -> None:
    """Some file systems give inodes beyond a signed 64-bit slot: such a file's signature is kept
    whole in the record's dict, and its slot in the packed array says "recorded apart"."""
    from rai_graph.replay import _NOT_READ, _Packed, _plain_recorded

    packed = _Packed()
    packed.add_plain("a.ttl", (10, 1, 1, 2**64 - 1), tmp_path, racy_after=2**62)
    packed.add_plain("b.ttl", (10, 1, 1, 7), tmp_path, racy_after=2**62)
    recorded = packed.dependencies({}, {}, "")
    assert _plain_recorded(recorded) == (["a.ttl", "b.ttl"], [*_NOT_READ, 10, 1, 1, 7])
    assert recorded["opened"] == {"a.ttl": ((10, 1, 1, 2**64 - 1), None)}
