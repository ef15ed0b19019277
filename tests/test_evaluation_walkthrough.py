"""The evaluations walkthrough of the README, run on a copy of the example organisation.

Importing the Fairlearn export for the credit-scoring system turns RAI-EVAL-08 failing with the
breaching slice named; importing the garak scan of the support chatbot makes RAI-EVAL-09 met.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rai_graph.cli import main

from git_helpers import commit_all, git

PROJECT = Path(__file__).parent.parent


def _copy_example(target: Path) -> Path:
    for folder in ("frameworks", "controls", "evidence"):
        shutil.copytree(PROJECT / folder, target / folder, ignore=shutil.ignore_patterns("sources"))
    shutil.copy(PROJECT / "rai-graph.toml", target / "rai-graph.toml")
    git(target, "init", "--quiet", "--initial-branch=main")
    commit_all(target, "example", email="sofia.marchetti@example.com", name="Sofia Marchetti")
    git(target, "config", "user.email", "sofia.marchetti@example.com")
    return target


def _run(repo: Path, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--repo", str(repo)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _status(repo: Path, system: str, notation: str) -> dict[str, object]:
    output = _run(repo, "status", "--as-of", "2026-11-24", "--format", "json", "--system", system)
    controls = json.loads(output)["systems"][0]["controls"]
    found = next(c for c in controls if c["notation"] == notation)
    assert isinstance(found, dict)
    return found


@pytest.mark.slow
def test_importing_evaluations_turns_controls_failing_and_met(tmp_path: Path) -> None:
    """missing → failing (with the breaching slice) for fairness; missing → met for red teaming."""
    repo = _copy_example(tmp_path / "northwind")
    assert _status(repo, "credit-scoring", "RAI-EVAL-08")["status"] == "missing"
    report = repo / "evidence/credit-scoring/fairness-metricframe-2026q3.json"
    shutil.copy(PROJECT / "examples/evaluations/credit-scoring-fairness-2026q3.json", report)
    output = _run(repo, "new", "evidence", "--import", "fairlearn", str(report),
                  "--system", "credit-scoring", "--control", "RAI-EVAL-08", "--id", "fairness-q3-fairlearn")
    assert "imported" in output
    record = (repo / "evidence/credit-scoring/fairness-q3-fairlearn.ttl").read_text(encoding="utf-8")
    assert 'rai:extractedBy "fairlearn-metricframe/1"' in record
    assert 'rai:artifact "fairness-metricframe-2026q3.json"' in record
    _run(repo, "new", "approval", "--evidence", "credit-scoring-fairness-q3-fairlearn",
         "--by", "amara-okafor", "--date", "2026-10-02")
    fairness = _status(repo, "credit-scoring", "RAI-EVAL-08")
    assert fairness["status"] == "failing"
    assert "equalized odds difference 0.072815342 > 0.05 for slice age_band" in str(fairness["reason"])

    scan = repo / "evidence/support-chatbot/garak-2026-11.report.jsonl"
    shutil.copy(PROJECT / "examples/evaluations/support-chatbot-garak.report.jsonl", scan)
    _run(repo, "new", "evidence", "--import", "garak", str(scan), "--system", "support-chatbot",
         "--control", "RAI-EVAL-09", "--author", "priya-raman", "--id", "garak-2026-11")
    _run(repo, "new", "approval", "--evidence", "support-chatbot-garak-2026-11", "--by",
         "tomasz-wisniewski", "--date", "2026-11-24")
    assert _status(repo, "support-chatbot", "RAI-EVAL-09")["status"] == "met"
