"""`status --format json` on a fixed fixture equals the committed golden file.

Regenerate after an intended change with ``RAI_GRAPH_UPDATE_GOLDEN=1 pytest tests/test_golden_status.py``
and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from rai_graph.cli import main

from repo_builder import GovernanceRepo

GOLDEN = Path(__file__).parent / "golden" / "status.json"


def _fixture(root: Path) -> GovernanceRepo:
    repo = GovernanceRepo(root).with_base()
    repo.add_requirement("R2", "TF 2", tiers=("HighRisk",))
    repo.add_requirement("R3", "TF 3", roles=("Deployer",))
    repo.add_requirement("R4", "TF 4")
    repo.add_control("CTRL-2", "TC-02", satisfies=("R2",), evidence_type="ModelCard")
    repo.add_control("CTRL-3", "TC-03", satisfies=("R3",), evidence_type="ImpactAssessment",
                     tiers=("HighRisk", "LimitedRisk"), roles=("Deployer",))
    repo.add_control("CTRL-ORG", "TC-ORG", satisfies=("R4",), evidence_type="TrainingRecord",
                     organisation_scope=True)
    repo.add_system()
    repo.add_approved_evidence("risk")
    repo.add_evidence("card", implements=("CTRL-2",), evidence_type="ModelCard", generated="2024-01-01",
                      valid_until="2026-01-31")
    repo.add_system("chatbot", "Chatbot", title="Support chatbot", tier="LimitedRisk",
                    roles=("Deployer",))
    repo.add_system("legacy", "Legacy", title="Legacy scorer", lifecycle="Retired")
    repo.add_evidence("training", system="_organisation", implements=("CTRL-ORG",),
                      evidence_type="TrainingRecord")
    return repo


def test_status_json_matches_golden(tmp_path: Path) -> None:
    """The whole status document (systems, controls, requirements, organisation) is stable."""
    repo = _fixture(tmp_path / "governance")
    result = CliRunner().invoke(main, ["status", "--repo", str(repo.root), "--as-of", "2026-06-01",
                                       "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    actual = json.loads(result.stdout)
    if os.environ.get("RAI_GRAPH_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert actual == expected


def test_status_and_check_json_validate_against_their_models() -> None:
    """The JSON built without per-object validation is exactly what the pydantic models accept
    (on the example organisation, every key and type of cli.md)."""
    from click.testing import CliRunner

    from rai_graph.cli import main
    from rai_graph.render.machine_schema import CheckReport, StatusReport

    project = Path(__file__).parent.parent
    for command, model in (("status", StatusReport), ("check", CheckReport)):
        result = CliRunner().invoke(main, [command, "--repo", str(project), "--as-of", "2026-11-24",
                                           "--format", "json"], catch_exceptions=False)
        parsed = model.model_validate_json(result.stdout)
        assert parsed.as_of.isoformat() == "2026-11-24"
