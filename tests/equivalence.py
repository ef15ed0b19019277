"""What the cached-against-fresh equivalence tests (tests/test_replay.py, tests/test_incremental.py)
share: how many examples they run and the edits both make.

``make test`` runs a few examples of each; ``scripts/fuzz.sh`` (run by CI after it) runs many
more through ``RAI_GRAPH_EQUIVALENCE_EXAMPLES``.
"""

from __future__ import annotations

import os
from pathlib import Path

from git_helpers import commit_all


def examples(default: int) -> int:
    """Hypothesis examples per equivalence property: ``default``, or the long run's number."""
    return int(os.environ.get("RAI_GRAPH_EQUIVALENCE_EXAMPLES", default))


def change_governed(path: Path) -> None:
    """A governed file under controls/ changes meaning (a shorter evidence age) or, failing
    that, gains a comment."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"P365D"', '"P30D"', 1) if '"P365D"' in text
                    else text + "\n# governed change\n", encoding="utf-8")


def toggle_settings(root: Path, text: str) -> None:
    """Remove ``rai-graph.toml`` when there is one, else write ``text`` to it."""
    path = root / "rai-graph.toml"
    if path.exists():
        path.unlink()
    else:
        path.write_text(text, encoding="utf-8")


def commit(root: Path, index: int) -> None:
    """Commit everything, dated by ``index``: provenance and commit dates change."""
    commit_all(root, f"step {index}", date=f"2026-0{1 + index % 9}-15T10:00:00+00:00")
