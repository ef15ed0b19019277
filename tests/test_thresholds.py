"""Thresholds on controls and measurements on evidence: the `failing` status (spec extension)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rai_graph.pipeline import run

from repo_builder import GovernanceRepo

AS_OF = dt.date(2026, 6, 1)


def _threshold(metric: str, operator: str, value: str, slice_: str | None = None) -> tuple[str, str]:
    part = f' ; rai:slice "{slice_}"' if slice_ else ""
    node = f'[ rai:metric "{metric}" ; rai:operator "{operator}" ; rai:value {value}{part} ]'
    return ("rai:threshold", node)


def _measurement(metric: str, value: str, slice_: str | None = None) -> tuple[str, str]:
    part = f' ; rai:slice "{slice_}"' if slice_ else ""
    return ("rai:measurement", f'[ rai:metric "{metric}" ; rai:value {value}{part} ]')


def _repo(tmp_path: Path, thresholds: list[tuple[str, str]], measurements: list[tuple[str, str]],
          *, approved: bool = True) -> GovernanceRepo:
    repo = GovernanceRepo(tmp_path / "governance")
    repo.add_framework()
    repo.add_requirement("R1", "TF 1")
    repo.add_role("RAILead")
    repo.add_person("alice", roles=("RAILead",))
    repo.add_person("bob")
    repo.add_control("FAIR", "EVAL-01", evidence_type="FairnessEvaluation", approval_role="RAILead",
                     extra=thresholds)
    repo.add_system()
    if approved:
        repo.add_approved_evidence("fairness", implements=("FAIR",), evidence_type="FairnessEvaluation",
                                   extra=measurements)
    else:
        repo.add_evidence("fairness", implements=("FAIR",), evidence_type="FairnessEvaluation",
                          extra=measurements)
    return repo


def _pair(repo: GovernanceRepo) -> tuple[str, str]:
    result = run(repo.root, AS_OF)
    assert result.validation.errors == []
    pair = result.assessment.systems[0].pairs[0]
    return pair.status, pair.reason


@pytest.mark.parametrize(("operator", "measured", "status"), [
    ("<=", "0.05", "met"), ("<=", "0.0501", "failing"),
    ("<", "0.05", "failing"), ("<", "0.0499", "met"),
    (">=", "0.98", "met"), (">=", "0.979", "failing"),
    (">", "0.98", "failing"), ("==", "0", "met"), ("==", "0.0", "met"), ("==", "1", "failing"),
])
def test_threshold_boundaries(tmp_path: Path, operator: str, measured: str, status: str) -> None:
    """Each operator passes and fails exactly at its boundary (decimal comparison, no float noise)."""
    limit = "0.98" if operator in (">=", ">") else ("0" if operator == "==" else "0.05")
    repo = _repo(tmp_path, [_threshold("m", operator, limit)], [_measurement("m", measured)])
    assert _pair(repo)[0] == status


def test_failing_reason_names_metric_value_limit_and_slice(tmp_path: Path) -> None:
    """The reason reads like 'equalized odds difference 0.09 > 0.05 for slice age_band'."""
    repo = _repo(
        tmp_path, [_threshold("equalized_odds_difference", "<=", "0.05")],
        [_measurement("equalized_odds_difference", "0.03"),
         _measurement("equalized_odds_difference", "0.09", "age_band")],
    )
    status, reason = _pair(repo)
    assert status == "failing"
    assert "equalized odds difference 0.09 > 0.05 for slice age_band" in reason


def test_every_reported_slice_must_pass(tmp_path: Path) -> None:
    """A threshold without a slice applies to the overall figure and to every slice."""
    passing = _repo(tmp_path / "a", [_threshold("acc", ">=", "0.9")],
                    [_measurement("acc", "0.95"), _measurement("acc", "0.91", "women")])
    assert _pair(passing)[0] == "met"
    failing = _repo(tmp_path / "b", [_threshold("acc", ">=", "0.9")],
                    [_measurement("acc", "0.95"), _measurement("acc", "0.89", "over_65")])
    assert _pair(failing) == ("failing", "'Evidence fairness': acc 0.89 < 0.9 for slice over_65")


def test_sliced_threshold_applies_to_its_slice_only(tmp_path: Path) -> None:
    """A threshold naming a slice ignores other slices, and fails when that slice is absent."""
    repo = _repo(tmp_path / "a", [_threshold("fnr", "<=", "0.1", "women")],
                 [_measurement("fnr", "0.3", "men"), _measurement("fnr", "0.05", "women")])
    assert _pair(repo)[0] == "met"
    absent = _repo(tmp_path / "b", [_threshold("fnr", "<=", "0.1", "women")],
                   [_measurement("fnr", "0.05", "men")])
    status, reason = _pair(absent)
    assert status == "failing"
    assert "no fnr measurement for slice women" in reason


def test_missing_thresholded_metric_fails(tmp_path: Path) -> None:
    """Evidence that does not measure a thresholded metric fails that threshold."""
    repo = _repo(tmp_path, [_threshold("jailbreak_success_rate", "<", "0.1")],
                 [_measurement("toxicity", "0.01")])
    status, reason = _pair(repo)
    assert status == "failing"
    assert "no jailbreak success rate measurement" in reason


def test_waiver_beats_failing(tmp_path: Path) -> None:
    """Order: met, waived, failing — an unexpired waiver wins over a failing evaluation."""
    repo = _repo(tmp_path, [_threshold("m", "<=", "0.05")], [_measurement("m", "0.5")])
    repo.add_waiver("waiver", waives="FAIR")
    assert _pair(repo)[0] == "waived"


def test_failing_needs_otherwise_valid_approval(tmp_path: Path) -> None:
    """Failing is rule 1 aside from thresholds: unapproved evidence stays unapproved."""
    repo = _repo(tmp_path, [_threshold("m", "<=", "0.05")], [_measurement("m", "0.5")],
                 approved=False)
    assert _pair(repo)[0] == "unapproved"


def test_one_passing_record_is_enough(tmp_path: Path) -> None:
    """With a failing and a passing evaluation, the pair is met by the passing one."""
    repo = _repo(tmp_path, [_threshold("m", "<=", "0.05")], [_measurement("m", "0.5")])
    repo.add_approved_evidence("fairness-rerun", implements=("FAIR",),
                               evidence_type="FairnessEvaluation", extra=[_measurement("m", "0.01")])
    status, reason = _pair(repo)
    assert status == "met"
    assert "fairness-rerun" in reason
