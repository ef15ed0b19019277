"""Findings and incidents: open or resolved as of a date, and a check warning when overdue."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rai_graph.cli import main

from repo_builder import GovernanceRepo


def _finding(repo: GovernanceRepo, local: str, *, due: str, resolved: str | None = None,
             severity: str = "High", incident: bool = False) -> None:
    lines = [
        f"ex:{local} a rai:{'Incident' if incident else 'Finding'} ;",
        f'    dcterms:title "Finding {local}" ;',
        '    dcterms:description "Approval rates differ across age bands." ;',
        "    rai:forSystem ex:CreditScoring ;",
        "    rai:concerns ex:CTRL-1 ;",
        f"    rai:severity rai:{severity} ;",
        "    rai:owner ex:bob ;",
        '    dcterms:created "2026-01-10"^^xsd:date ;',
        f'    rai:dueDate "{due}"^^xsd:date',
    ]
    if resolved:
        lines[-1] += " ;"
        lines.append(f'    rai:resolvedOn "{resolved}"^^xsd:date')
    if incident:
        lines[-1] += " ;"
        lines.append('    rai:occurredOn "2026-01-09"^^xsd:date')
    repo.append_block("evidence/credit-scoring/findings.ttl", f"ex:{local}", "\n".join(lines) + " .\n")


def _check(repo: GovernanceRepo) -> dict[str, object]:
    result = CliRunner().invoke(main, ["check", "--repo", str(repo.root), "--as-of", "2026-06-01",
                                       "--format", "json", "--fail-on", "errors"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document


def test_overdue_findings_are_warned_not_failed(tmp_path: Path) -> None:
    """Open past-due findings and incidents give warnings; resolved or not-yet-due ones do not."""
    repo = GovernanceRepo(tmp_path / "governance").with_base()
    repo.add_system()
    _finding(repo, "late", due="2026-03-01")
    _finding(repo, "late-incident", due="2026-04-01", incident=True, severity="Critical")
    _finding(repo, "fixed", due="2026-03-01", resolved="2026-02-20")
    _finding(repo, "upcoming", due="2026-09-01")
    document = _check(repo)
    assert document["errors"] == []
    warnings = document["warnings"]
    assert isinstance(warnings, list)
    assert [w["subject"].rsplit("/", 1)[-1] for w in warnings] == ["late-incident", "late"]
    assert warnings[1]["message"] == "finding 'Finding late' was due on 2026-03-01 and is still open"
    assert warnings[1]["file"] == "evidence/credit-scoring/findings.ttl"


def test_check_text_lists_overdue_findings(tmp_path: Path) -> None:
    """The text summary names each overdue finding with its severity, due date and owner."""
    repo = GovernanceRepo(tmp_path / "governance").with_base()
    repo.add_system()
    _finding(repo, "late", due="2026-03-01")
    result = CliRunner().invoke(main, ["check", "--repo", str(repo.root), "--as-of", "2026-06-01"])
    assert "Warning: 1 finding(s) past due:" in result.output
    assert "Finding late (High), due 2026-03-01, owner Bob" in result.output
