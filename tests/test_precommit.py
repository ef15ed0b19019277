"""The pre-commit hook maps a changed artefact to the records that name it: its hash error is
reported for the artefact's path, and the systems of those records are judged."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import yaml

from rai_graph.pipeline import run
from rai_graph.precommit import records_naming, restrict_to_paths

from repo_builder import DEFAULT_SYSTEM, GovernanceRepo, ex, sha256_hex

PROJECT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent
AS_OF = dt.date(2026, 6, 1)
SHARED_CARD = b"# Shared model card\n"


def _repository(root: Path) -> GovernanceRepo:
    """Two systems; credit-scoring's approved risk assessment sits beside its record, and
    fraud-detection's evidence names an artefact in a shared docs/ folder."""
    repo = GovernanceRepo(root).with_base()
    repo.add_system()
    repo.add_system("fraud-detection", "FraudDetection")
    repo.add_approved_evidence("risk")
    repo.write_bytes("docs/shared-card.md", SHARED_CARD)
    repo.add_evidence("fraud-risk", system="fraud-detection", artifact_path="../../docs/shared-card.md",
                      sha256=sha256_hex(SHARED_CARD))
    return repo


def _hook(repo: GovernanceRepo, *paths: str) -> subprocess.CompletedProcess[str]:
    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entry = hooks[0]["entry"].split()
    return subprocess.run([BIN / entry[0], *entry[1:], *paths], cwd=repo.root, capture_output=True,
                          text=True)


def test_editing_only_an_artefact_fails_the_hook_at_the_artefact(tmp_path: Path) -> None:
    """An artefact edited after approval, committed alone, fails the hook with the error reported
    at the artefact's own path, naming the record that recorded its hash."""
    repo = _repository(tmp_path / "repo")
    artefact = f"evidence/{DEFAULT_SYSTEM}/risk.md"
    assert _hook(repo, artefact).returncode == 0
    (repo.root / artefact).write_text("# Risk assessment\n\nQuietly changed.\n", encoding="utf-8")
    completed = _hook(repo, artefact)
    assert completed.returncode == 1, completed.stdout
    reported = [line for line in completed.stdout.splitlines() if line.strip().startswith(artefact)]
    assert reported, completed.stdout
    assert "does not match" in reported[0] or "SHA-256" in reported[0]
    assert f"recorded at evidence/{DEFAULT_SYSTEM}/risk.ttl:" in reported[0]


def test_a_shared_artefact_judges_the_systems_of_the_records_naming_it(tmp_path: Path) -> None:
    """A changed artefact outside evidence/ selects the systems of the records that name it,
    not every system, and the records are found by the path their artefact resolves to."""
    repo = _repository(tmp_path / "repo")
    (repo.root / "docs/shared-card.md").write_bytes(b"# Shared model card, edited\n")
    result = run(repo.root, AS_OF, cache=False)
    assert [str(e.iri) for e in records_naming(result, {"docs/shared-card.md"})["docs/shared-card.md"]] == [
        ex("fraud-risk")]
    errors, systems = restrict_to_paths(result, result.validation.errors, result.assessment.systems,
                                        [repo.root / "docs/shared-card.md"], repo.root)
    assert [s.system.name for s in systems] == ["fraud-detection"]
    assert [(e.file, e.kind) for e in errors] == [("docs/shared-card.md", "artifact")]
    unrelated, every = restrict_to_paths(result, result.validation.errors, result.assessment.systems,
                                         [repo.root / "controls/controls.ttl"], repo.root)
    assert unrelated == []
    assert len(every) == 2
