"""The synthetic repository generator: deterministic, and judged exactly as planned."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from rai_graph.authoring.generator import generate_repository
from rai_graph.cli import main
from rai_graph.pipeline import run


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.mark.slow
def test_same_seed_same_bytes(tmp_path: Path) -> None:
    """Two runs with one seed write identical repositories; another seed differs."""
    generate_repository(tmp_path / "a", systems=5, seed=7)
    generate_repository(tmp_path / "b", systems=5, seed=7)
    generate_repository(tmp_path / "c", systems=5, seed=8)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


@pytest.mark.slow
def test_engine_verdicts_match_the_plan(tmp_path: Path) -> None:
    """Every planned status is what the engine finds; planted errors are exactly the reported ones."""
    summary = generate_repository(tmp_path / "repo", systems=30, seed=3)
    result = run(tmp_path / "repo", dt.date(2026, 11, 24))
    found = Counter(p.status for s in result.assessment.systems for p in s.pairs)
    assert found == summary.planned
    assert {"met", "waived", "unapproved", "expired", "invalid", "missing"} <= set(summary.planned)
    generated_errors = [e for e in result.validation.errors if e.file.startswith("evidence/")]
    kinds = Counter(e.kind for e in generated_errors)
    expected = Counter({"artifact": summary.planned["invalid"], "reference": summary.broken_records})
    assert kinds == +expected


def test_demo_generate_command(tmp_path: Path) -> None:
    """`rai-graph demo generate` writes the repository and refuses an existing directory."""
    target = tmp_path / "generated"
    result = CliRunner().invoke(main, ["demo", "generate", "--systems", "3", "--seed", "1",
                                       "-o", str(target)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "3 systems" in result.output
    assert len(list((target / "evidence").glob("system-*/system.ttl"))) == 3
    again = CliRunner().invoke(main, ["demo", "generate", "--systems", "3", "-o", str(target)])
    assert again.exit_code == 2
    assert "already exists" in again.output
