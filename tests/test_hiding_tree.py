"""``HidingTree.dependencies`` keeps exactly the hidden folders' recorded paths (it judges them
once per parent folder; a path right under ``evidence/`` is a system folder itself)."""

from __future__ import annotations

from pathlib import Path

from rai_graph.replay import HidingTree

PATHS = [
    "evidence/a", "evidence/a/system.ttl", "evidence/a/deep/artefact.pdf", "evidence/ab/system.ttl",
    "evidence/b", "evidence/b/system.ttl", "evidence/README.md", "evidence/_organisation/x.ttl",
    "controls/a/system.ttl", "evidence", "rai-graph.toml", "a/system.ttl",
]


def test_dependencies_keep_the_hidden_folders_recorded_paths(tmp_path: Path) -> None:
    previous = {
        "listings": {}, "plain": PATHS,
        "resolutions": {path: ("file", path) for path in PATHS},
        "opened": dict.fromkeys(PATHS, ((1, 2, 3, 4), None)),
    }
    tree = HidingTree(tmp_path, frozenset({"evidence/a", "evidence/README.md"}), previous)
    kept = ["evidence/a", "evidence/a/system.ttl", "evidence/a/deep/artefact.pdf", "evidence/README.md"]

    found = tree.dependencies()

    assert sorted(found["plain"]) == sorted(kept)
    assert sorted(found["resolutions"]) == sorted(kept)
    assert sorted(found["opened"]) == sorted(kept)
