"""Governance KPIs on a fixture, checked against numbers computed by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from rai_graph.analysis.kpis import compute_kpis
from rai_graph.cli import main
from rai_graph.pipeline import run

from git_helpers import commit_all, init
from repo_builder import GovernanceRepo

AS_OF = dt.date(2026, 6, 1)


def _finding(repo: GovernanceRepo, local: str, created: str, due: str, resolved: str | None,
             severity: str) -> None:
    lines = [f"ex:{local} a rai:Finding ;", f'    dcterms:title "{local}" ;',
             f"    rai:severity rai:{severity} ;", "    rai:owner ex:bob ;",
             f'    dcterms:created "{created}"^^xsd:date ;', f'    rai:dueDate "{due}"^^xsd:date']
    if resolved:
        lines[-1] += " ;"
        lines.append(f'    rai:resolvedOn "{resolved}"^^xsd:date')
    repo.append_block("evidence/credit-scoring/findings.ttl", f"ex:{local}", "\n".join(lines) + " .\n")


def _fixture(root: Path) -> GovernanceRepo:
    """Two high-risk systems and one limited-risk system, two controls each, known outcomes.

    high A: CTRL-1 met (approved 3 days after filing), CTRL-MON met (monitoring plan, valid
            until 2026-06-20);
    high B: CTRL-1 waived, CTRL-MON missing;
    limited C: CTRL-MON expired.
    """
    repo = GovernanceRepo(root).with_base()
    repo.add_control("CTRL-MON", "TC-MON", tiers=("HighRisk", "LimitedRisk"),
                     evidence_type="MonitoringPlan")
    repo.add_system()
    repo.add_system("fraud", "Fraud", title="Fraud model")
    repo.add_system("bot", "Bot", title="Chatbot", tier="LimitedRisk")
    repo.add_evidence("risk")
    repo.add_evidence("monitoring", implements=("CTRL-MON",), evidence_type="MonitoringPlan",
                      valid_until="2026-06-20")
    repo.add_waiver("fraud-waiver", system="fraud", for_system="Fraud")
    repo.add_evidence("bot-monitoring", system="bot", implements=("CTRL-MON",),
                      evidence_type="MonitoringPlan", valid_until="2026-05-01")
    _finding(repo, "open-late", "2026-01-01", "2026-03-01", None, "High")
    _finding(repo, "open-recent", "2026-05-20", "2026-07-01", None, "Low")
    _finding(repo, "closed", "2026-02-01", "2026-03-01", "2026-02-11", "Medium")
    init(repo.root)
    commit_all(repo.root, "evidence", date="2026-05-01T10:00:00+00:00")
    repo.add_approval("risk-approval", "risk")
    commit_all(repo.root, "approval", email="alice@example.org", date="2026-05-04T10:00:00+00:00")
    return repo


def test_kpis_match_hand_computed_values(tmp_path: Path) -> None:
    """Each KPI equals the value worked out from the fixture's design."""
    repo = _fixture(tmp_path / "governance")
    figures = compute_kpis(run(repo.root, AS_OF))
    # high risk: A has 2 pairs with evidence, B has 0 of 2 (waiver is not evidence) → 2/4.
    assert figures.completeness_by_tier["High risk"].model_dump() == {
        "numerator": 2, "denominator": 4, "rate": 0.5}
    assert figures.completeness_by_tier["Limited risk"].rate == 1.0  # expired evidence is on file
    # met or waived over high-risk pairs: A met ×2, B waived ×1 → 3/4; fully compliant: A only.
    assert figures.high_risk_compliance.rate == 0.75
    assert figures.high_risk_systems_fully_compliant.model_dump() == {
        "numerator": 1, "denominator": 2, "rate": 0.5}
    assert figures.exception_rate.model_dump() == {"numerator": 1, "denominator": 5, "rate": 0.2}
    assert figures.findings.open == 2
    assert figures.findings.overdue == 1
    assert figures.findings.open_by_severity == {"High": 1, "Low": 1}
    assert figures.findings.open_by_age_days == {"91-180": 1, "0-30": 1}  # 151 and 12 days old
    assert figures.findings.mean_days_to_resolution == 10.0
    assert figures.expiring == {"within_30_days": 1, "within_60_days": 1, "within_90_days": 1}
    assert figures.approval_time.approvals_measured == 1
    assert figures.approval_time.median_days == 3.0
    assert figures.monitoring_coverage.model_dump() == {"numerator": 1, "denominator": 3, "rate": 0.3333}


def test_kpis_command_prints_json(tmp_path: Path) -> None:
    """`rai-graph kpis` prints the same figures as JSON."""
    repo = _fixture(tmp_path / "governance")
    result = CliRunner().invoke(main, ["kpis", "--repo", str(repo.root), "--as-of", "2026-06-01"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["exception_rate"]["rate"] == 0.2
    assert document["findings"]["overdue"] == 1
