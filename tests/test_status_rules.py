"""Status of (system, control) pairs per data-model.md rules 1-6, judged through the CLI.

Every fixture is the shared base (``repo`` fixture: control CTRL-1 needs a RiskAssessment at most
P365D old approved by a RAILead; system credit-scoring is high-risk, provider, owned by bob)
plus the records a test adds. Dates are fixed; the as-of date is 2026-06-01.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pytest

from repo_builder import (
    DEFAULT_SYSTEM,
    GovernanceRepo,
    Record,
    ex,
    rai,
    sha256_hex,
    tfw,
)

if TYPE_CHECKING:
    from conftest import Cli, Outcome

AS_OF = "2026-06-01"
NOT_FINDINGS = {"met", "waived"}


def assert_judged(
    cli: Cli,
    repo: GovernanceRepo,
    expected: str,
    *,
    control: str = "CTRL-1",
    system: str = DEFAULT_SYSTEM,
    error_kinds: Sequence[str] = (),
    also_tolerated: Sequence[str] = (),
    others_clean: bool = True,
    as_of: str = AS_OF,
) -> tuple[Outcome, Outcome]:
    """Check the pair's status in ``status`` JSON and the matching finding, errors and exit of ``check``.

    ``error_kinds`` are the errors the run must report (one per kind listed); a kind in
    ``also_tolerated`` may additionally be reported for the same fault. With ``others_clean``
    the repository has no other gap, so the exit code and ``conforms`` follow from this pair
    and the expected errors alone.
    """
    status = cli.status(repo, as_of=as_of)
    assert status.status_of(control, system) == expected
    check = cli.check(repo, as_of=as_of)
    system_iri = ex(repo.system_local(system))
    pair_findings = [f for f in check.findings_for(control) if f["system"] == system_iri]
    if expected in NOT_FINDINGS:
        assert pair_findings == []
    else:
        assert [f["status"] for f in pair_findings] == [expected]
        assert isinstance(pair_findings[0]["message"], str)
        assert pair_findings[0]["message"].strip()
        assert isinstance(pair_findings[0]["file"], str)
    for outcome in (check, status):
        kinds = [e["kind"] for e in outcome.data["errors"]]
        required = [k for k in kinds if k not in also_tolerated or k in error_kinds]
        assert sorted(required) == sorted(error_kinds), outcome.data["errors"]
    if others_clean:
        gaps = expected not in NOT_FINDINGS or bool(error_kinds)
        assert check.exit_code == (1 if gaps else 0), check.output
        assert check.data["conforms"] is (not gaps)
    return status, check


def assert_artifact_error(outcome: Outcome, record: Record, value: str) -> dict[str, Any]:
    """An ``artifact`` error points at the record's file and subject line and names ``value``."""
    matches = [e for e in outcome.errors_of("artifact") if e["file"] == record.path]
    assert len(matches) == 1, outcome.data["errors"]
    error = matches[0]
    assert error["line"] == record.line
    local = record.iri.rsplit("/", 1)[-1]
    assert value in error["message"] or local in error["message"], error
    return error


def assert_readable_message(message: str) -> None:
    """One line for people, not a pySHACL report dump."""
    assert message.strip()
    assert "\n" not in message.strip()
    assert "Constraint Violation in" not in message


# --- met --------------------------------------------------------------------------------------


def test_met_with_counting_evidence_and_valid_approval(cli: Cli, repo: GovernanceRepo) -> None:
    """Fresh evidence of the required type approved by a RAILead who did not write it is met."""
    repo.add_approved_evidence("risk-assessment")
    status, check = assert_judged(cli, repo, "met")
    entry = status.control("CTRL-1")
    assert entry is not None
    assert entry["notation"] == "TC-01"
    assert entry["evidence"] == [ex("risk-assessment")]
    assert check.data["findings"] == []


def test_met_with_conditional_approval(cli: Cli, repo: GovernanceRepo) -> None:
    """A ConditionallyApproved decision satisfies the approval requirement like Approved."""
    repo.add_evidence("risk-assessment")
    repo.add_approval(
        "risk-approval",
        "risk-assessment",
        decision="ConditionallyApproved",
        conditions=("Re-run the assessment after the next retraining.",),
    )
    assert_judged(cli, repo, "met")


def test_met_without_approval_when_control_requires_none(cli: Cli, base_repo: GovernanceRepo) -> None:
    """A control without rai:requiresApprovalBy is met by counting evidence alone."""
    base_repo.add_control("CTRL-2", "TC-02", tiers=("LimitedRisk",), evidence_type="ModelCard")
    base_repo.add_system(tier="LimitedRisk")
    base_repo.add_evidence("model-card", implements=("CTRL-2",), evidence_type="ModelCard")
    assert_judged(cli, base_repo, "met", control="CTRL-2")


def test_met_with_artifact_url_and_no_local_artifact(cli: Cli, repo: GovernanceRepo) -> None:
    """Evidence that only links its artefact by rai:artifactURL has no hash to check and counts."""
    repo.add_approved_evidence(
        "risk-assessment", artifact_bytes=None, artifact_url="https://docs.example.org/risk"
    )
    assert_judged(cli, repo, "met")


def test_met_when_artifact_path_climbs_but_stays_inside_repo(cli: Cli, repo: GovernanceRepo) -> None:
    """An artefact path with '..' that still resolves inside the repository is fine."""
    content = b"shared risk assessment\n"
    repo.write_bytes("docs/risk.md", content)
    repo.add_approved_evidence("risk-assessment", artifact_bytes=content, artifact_path="../../docs/risk.md")
    assert_judged(cli, repo, "met")


def test_evidence_counts_for_every_system_it_names(cli: Cli, repo: GovernanceRepo) -> None:
    """One record with two rai:forSystem values counts for both systems, filed where records
    several systems share belong (evidence/_organisation/, docs/trust-boundaries.md)."""
    repo.add_system("fraud-detection", "FraudDetection", title="Fraud detection")
    repo.add_approved_evidence("risk-assessment", system="_organisation",
                               for_systems=("CreditScoring", "FraudDetection"))
    status = cli.status(repo)
    assert status.status_of("CTRL-1", "credit-scoring") == "met"
    assert status.status_of("CTRL-1", "fraud-detection") == "met"
    check = cli.check(repo)
    assert check.exit_code == 0, check.output
    assert check.data["findings"] == []


@pytest.mark.parametrize(
    ("generated", "expected"),
    [
        pytest.param("2025-06-01", "met", id="max-age-boundary-day-inclusive"),
        pytest.param("2025-05-31", "expired", id="one-day-past-max-age"),
        pytest.param("2026-06-01", "met", id="generated-on-as-of-day"),
    ],
)
def test_max_evidence_age_boundary(cli: Cli, repo: GovernanceRepo, generated: str, expected: str) -> None:
    """generatedAtTime + maxEvidenceAge >= as-of counts, the day after it is expired."""
    repo.add_evidence("risk-assessment", generated=generated)
    repo.add_approval("risk-approval", "risk-assessment", ended="2026-06-01")
    assert_judged(cli, repo, expected)


@pytest.mark.parametrize(
    ("valid_until", "expected"),
    [
        pytest.param("2026-06-01", "met", id="valid-until-as-of-day-inclusive"),
        pytest.param("2026-05-31", "expired", id="valid-until-day-before"),
    ],
)
def test_valid_until_boundary(cli: Cli, repo: GovernanceRepo, valid_until: str, expected: str) -> None:
    """rai:validUntil on the as-of day still counts; the day before is expired."""
    repo.add_approved_evidence("risk-assessment", valid_until=valid_until)
    assert_judged(cli, repo, expected)


def test_evidence_never_expires_without_max_age(cli: Cli, base_repo: GovernanceRepo) -> None:
    """Without rai:maxEvidenceAge, old evidence still counts."""
    base_repo.add_control("CTRL-2", "TC-02", evidence_type="ModelCard", approval_role="RAILead")
    base_repo.add_system()
    base_repo.add_approved_evidence("risk-assessment")
    base_repo.add_approved_evidence(
        "model-card", implements=("CTRL-2",), evidence_type="ModelCard", generated="2019-01-01"
    )
    assert_judged(cli, base_repo, "met", control="CTRL-2")


# --- approvals (rule 1) -------------------------------------------------------------------------


def test_approval_dated_on_as_of_day_counts(cli: Cli, repo: GovernanceRepo) -> None:
    """An approval whose endedAtTime is the as-of date is in force."""
    repo.add_evidence("risk-assessment")
    repo.add_approval("risk-approval", "risk-assessment", ended="2026-06-01")
    assert_judged(cli, repo, "met")


def test_approval_expiring_on_as_of_day_counts(cli: Cli, repo: GovernanceRepo) -> None:
    """An approval whose rai:expires is the as-of date has not expired."""
    repo.add_evidence("risk-assessment")
    repo.add_approval("risk-approval", "risk-assessment", expires="2026-06-01")
    assert_judged(cli, repo, "met")


def test_rejection_before_the_approval_does_not_revoke_it(cli: Cli, repo: GovernanceRepo) -> None:
    """A Rejected decision dated before a later approval leaves the approval valid."""
    repo.add_evidence("risk-assessment")
    repo.add_approval("risk-rejection", "risk-assessment", decision="Rejected", ended="2026-01-20")
    repo.add_approval("risk-approval", "risk-assessment", ended="2026-02-01")
    assert_judged(cli, repo, "met")


def test_rejection_after_as_of_is_ignored(cli: Cli, repo: GovernanceRepo) -> None:
    """A rejection dated after the as-of date does not revoke the approval yet."""
    repo.add_evidence("risk-assessment")
    repo.add_approval("risk-approval", "risk-assessment", ended="2026-02-01")
    repo.add_approval("risk-rejection", "risk-assessment", decision="Rejected", ended="2026-07-01")
    assert_judged(cli, repo, "met")


# --- unapproved (rule 3) -------------------------------------------------------------------------


def test_unapproved_without_any_approval(cli: Cli, repo: GovernanceRepo) -> None:
    """Counting evidence with no approval when the control needs one is unapproved."""
    repo.add_evidence("risk-assessment")
    status, _ = assert_judged(cli, repo, "unapproved")
    entry = status.control("CTRL-1")
    assert entry is not None
    assert entry["evidence"] == [ex("risk-assessment")]


def test_unapproved_when_approver_lacks_the_role(cli: Cli, repo: GovernanceRepo) -> None:
    """An approval claiming RAILead by a person who does not hold RAILead is not valid."""
    repo.add_evidence("risk-assessment")
    repo.add_approval("risk-approval", "risk-assessment", by="carol", in_role="RAILead")
    assert_judged(cli, repo, "unapproved")


def test_unapproved_when_in_role_differs_from_required_role(cli: Cli, repo: GovernanceRepo) -> None:
    """Alice holds RAILead and DPO but approving as DPO does not meet requiresApprovalBy RAILead."""
    repo.add_evidence("risk-assessment")
    repo.add_approval("risk-approval", "risk-assessment", by="alice", in_role="DPO")
    assert_judged(cli, repo, "unapproved")


def test_unapproved_when_approver_is_the_author(cli: Cli, repo: GovernanceRepo) -> None:
    """Separation of duties: the author of the evidence cannot approve it."""
    repo.add_evidence("risk-assessment", author="alice")
    repo.add_approval("risk-approval", "risk-assessment", by="alice")
    assert_judged(cli, repo, "unapproved")


def test_unapproved_when_approval_expired(cli: Cli, repo: GovernanceRepo) -> None:
    """An approval whose rai:expires is the day before the as-of date no longer counts."""
    repo.add_evidence("risk-assessment")
    repo.add_approval("risk-approval", "risk-assessment", expires="2026-05-31")
    assert_judged(cli, repo, "unapproved")


def test_unapproved_when_approval_dated_after_as_of(cli: Cli, repo: GovernanceRepo) -> None:
    """An approval dated the day after the as-of date does not exist yet."""
    repo.add_evidence("risk-assessment")
    repo.add_approval("risk-approval", "risk-assessment", ended="2026-06-02")
    assert_judged(cli, repo, "unapproved")


def test_unapproved_when_superseded_by_later_rejection(cli: Cli, repo: GovernanceRepo) -> None:
    """A Rejected decision after the approval (and before as-of) revokes it."""
    repo.add_evidence("risk-assessment")
    repo.add_approval("risk-approval", "risk-assessment", ended="2026-02-01")
    repo.add_approval("risk-rejection", "risk-assessment", decision="Rejected", ended="2026-03-01")
    assert_judged(cli, repo, "unapproved")


def test_unapproved_when_rejected_on_the_approval_day(cli: Cli, repo: GovernanceRepo) -> None:
    """A rejection dated on the same day as the approval supersedes it."""
    repo.add_evidence("risk-assessment")
    repo.add_approval("risk-approval", "risk-assessment", ended="2026-02-01")
    repo.add_approval("risk-rejection", "risk-assessment", decision="Rejected", ended="2026-02-01")
    assert_judged(cli, repo, "unapproved")


def test_unapproved_when_only_decision_is_rejected(cli: Cli, repo: GovernanceRepo) -> None:
    """A Rejected decision is not an approval."""
    repo.add_evidence("risk-assessment")
    repo.add_approval("risk-rejection", "risk-assessment", decision="Rejected")
    assert_judged(cli, repo, "unapproved")


def test_unapproved_when_approval_is_of_other_evidence(cli: Cli, repo: GovernanceRepo) -> None:
    """The approval must be of the counting record, not of another record for the control."""
    repo.add_approved_evidence("model-card", evidence_type="ModelCard")
    repo.add_evidence("risk-assessment")
    assert_judged(cli, repo, "unapproved")


# --- expired (rule 4) ----------------------------------------------------------------------------


def test_expired_by_max_evidence_age_even_when_approved(cli: Cli, repo: GovernanceRepo) -> None:
    """Evidence older than maxEvidenceAge is expired whatever its approvals."""
    repo.add_evidence("risk-assessment", generated="2025-05-01")
    repo.add_approval("risk-approval", "risk-assessment", ended="2025-05-02")
    assert_judged(cli, repo, "expired")


def test_expired_by_valid_until(cli: Cli, repo: GovernanceRepo) -> None:
    """Evidence past its rai:validUntil is expired."""
    repo.add_approved_evidence("risk-assessment", valid_until="2026-03-31")
    assert_judged(cli, repo, "expired")


def test_old_evidence_with_bad_hash_is_invalid_not_expired(cli: Cli, repo: GovernanceRepo) -> None:
    """Expired needs evidence that would count but for its age, so a broken hash makes it invalid."""
    record = repo.add_approved_evidence(
        "risk-assessment", generated="2025-01-01", sha256=sha256_hex(b"other bytes")
    )
    _, check = assert_judged(cli, repo, "invalid", error_kinds=("artifact",))
    assert_artifact_error(check, record, "risk-assessment.md")


# --- invalid (rule 5) ----------------------------------------------------------------------------


def test_invalid_by_hash_mismatch(cli: Cli, repo: GovernanceRepo) -> None:
    """An artefact whose SHA-256 differs from rai:sha256 is invalid and an artifact error."""
    record = repo.add_approved_evidence("risk-assessment", sha256=sha256_hex(b"tampered"))
    _, check = assert_judged(cli, repo, "invalid", error_kinds=("artifact",))
    assert_artifact_error(check, record, "risk-assessment.md")


def test_invalid_by_missing_file(cli: Cli, repo: GovernanceRepo) -> None:
    """A record naming an artefact that does not exist is invalid and an artifact error."""
    record = repo.add_approved_evidence("risk-assessment", artifact_path="not-there.pdf")
    _, check = assert_judged(cli, repo, "invalid", error_kinds=("artifact",))
    assert_artifact_error(check, record, "not-there.pdf")


def test_invalid_by_path_leaving_repository(cli: Cli, repo: GovernanceRepo) -> None:
    """A '..' path that leaves the repository is invalid even if the file there has the right hash."""
    content = b"outside the repository\n"
    (repo.root.parent / "outside.md").write_bytes(content)
    record = repo.add_approved_evidence(
        "risk-assessment", artifact_bytes=content, artifact_path="../../../outside.md"
    )
    _, check = assert_judged(cli, repo, "invalid", error_kinds=("artifact",))
    assert_artifact_error(check, record, "../../../outside.md")


def test_invalid_by_absolute_path(cli: Cli, repo: GovernanceRepo) -> None:
    """An absolute artefact path is not relative to the record and is invalid."""
    content = b"absolute\n"
    outside = repo.root.parent / "absolute.md"
    outside.write_bytes(content)
    record = repo.add_approved_evidence(
        "risk-assessment", artifact_bytes=content, artifact_path=outside.as_posix()
    )
    # rai:artifact must be a relative path, so a shape error for the same value is fair too.
    _, check = assert_judged(cli, repo, "invalid", error_kinds=("artifact",), also_tolerated=("shape",))
    assert_artifact_error(check, record, outside.as_posix())


def test_invalid_by_symlink_leaving_repository(cli: Cli, repo: GovernanceRepo) -> None:
    """A relative path that is a symlink to a file outside the repository is outside it too."""
    content = b"linked from outside\n"
    outside = repo.root.parent / "linked.md"
    outside.write_bytes(content)
    link = repo.root / "evidence" / DEFAULT_SYSTEM / "linked.md"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside)
    record = repo.add_approved_evidence("risk-assessment", artifact_bytes=content, artifact_path="linked.md")
    _, check = assert_judged(cli, repo, "invalid", error_kinds=("artifact",))
    assert_artifact_error(check, record, "linked.md")


def test_invalid_when_artifact_is_a_directory(cli: Cli, repo: GovernanceRepo) -> None:
    """An artefact path naming a directory is invalid."""
    (repo.root / "evidence" / DEFAULT_SYSTEM / "attachments").mkdir(parents=True)
    record = repo.add_approved_evidence("risk-assessment", artifact_path="attachments")
    _, check = assert_judged(cli, repo, "invalid", error_kinds=("artifact",))
    assert_artifact_error(check, record, "attachments")


# --- missing (rule 6) ----------------------------------------------------------------------------


def test_missing_without_evidence(cli: Cli, repo: GovernanceRepo) -> None:
    """No evidence at all is missing."""
    status, _ = assert_judged(cli, repo, "missing")
    entry = status.control("CTRL-1")
    assert entry is not None
    assert entry["evidence"] == []


def test_wrong_evidence_type_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """Approved evidence of a type other than requiresEvidenceType leaves the control missing."""
    repo.add_approved_evidence("model-card", evidence_type="ModelCard")
    assert_judged(cli, repo, "missing")


def test_wrong_type_and_old_is_missing_not_expired(cli: Cli, repo: GovernanceRepo) -> None:
    """Old evidence of the wrong type would not count anyway, so it is not 'expired'."""
    repo.add_approved_evidence("model-card", evidence_type="ModelCard", generated="2024-01-01")
    assert_judged(cli, repo, "missing")


def test_future_dated_evidence_is_ignored(cli: Cli, repo: GovernanceRepo) -> None:
    """Evidence generated after the as-of date is as if absent."""
    repo.add_evidence("risk-assessment", generated="2026-07-01")
    assert_judged(cli, repo, "missing")


def test_same_repository_judged_at_two_dates(cli: Cli, repo: GovernanceRepo) -> None:
    """--as-of decides: before the evidence exists the control is missing, afterwards met."""
    repo.add_approved_evidence("risk-assessment")
    before = cli.status(repo, as_of="2026-01-14")
    assert before.data["as_of"] == "2026-01-14"
    assert before.status_of("CTRL-1") == "missing"
    after = cli.status(repo)
    assert after.data["as_of"] == "2026-06-01"
    assert after.status_of("CTRL-1") == "met"


def test_evidence_for_another_system_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """Evidence whose rai:forSystem is another system leaves this system's control missing."""
    repo.add_system("fraud-detection", "FraudDetection", title="Fraud detection")
    repo.add_approved_evidence("fraud-risk", system="fraud-detection")
    assert_judged(cli, repo, "missing", others_clean=False)
    assert cli.status(repo).status_of("CTRL-1", "fraud-detection") == "met"


def test_evidence_implementing_another_control_does_not_count(cli: Cli, base_repo: GovernanceRepo) -> None:
    """Evidence implementing CTRL-2 does not count for CTRL-1."""
    base_repo.add_control("CTRL-2", "TC-02", tiers=("LimitedRisk",), evidence_type="RiskAssessment")
    base_repo.add_system()
    base_repo.add_approved_evidence("risk-assessment", implements=("CTRL-2",))
    assert_judged(cli, base_repo, "missing")


# --- waived (rule 2) -----------------------------------------------------------------------------


def test_waived_by_valid_waiver(cli: Cli, repo: GovernanceRepo) -> None:
    """An unexpired waiver approved by a RAILead who does not own the system waives the control."""
    repo.add_waiver("ctrl1-waiver")
    assert_judged(cli, repo, "waived")


def test_waiver_role_need_not_be_the_approval_role(cli: Cli, repo: GovernanceRepo) -> None:
    """The approver must hold the waiver's own rai:inRole (here DPO), which alice does."""
    repo.add_waiver("ctrl1-waiver", in_role="DPO")
    assert_judged(cli, repo, "waived")


def test_waiver_expiring_on_as_of_day_counts(cli: Cli, repo: GovernanceRepo) -> None:
    """A waiver whose rai:expires is the as-of date is still in force."""
    repo.add_waiver("ctrl1-waiver", expires="2026-06-01")
    assert_judged(cli, repo, "waived")


@pytest.mark.parametrize(
    ("ended", "expires", "as_of"),
    [
        pytest.param("2026-01-01", "2027-01-01", "2026-06-01", id="365-days-no-leap-day"),
        pytest.param("2027-03-01", "2028-03-01", "2027-06-01", id="366-days-over-29-february"),
    ],
)
def test_waiver_of_exactly_one_year_counts(
    cli: Cli, repo: GovernanceRepo, ended: str, expires: str, as_of: str
) -> None:
    """A waiver expiring exactly one calendar year after its approval is allowed, no shape error."""
    repo.add_waiver("ctrl1-waiver", ended=ended, expires=expires)
    assert_judged(cli, repo, "waived", as_of=as_of)


@pytest.mark.parametrize(
    ("ended", "expires", "as_of"),
    [
        pytest.param("2026-01-01", "2027-01-02", "2026-06-01", id="one-day-over-no-leap-day"),
        pytest.param("2027-03-01", "2028-03-02", "2027-06-01", id="one-day-over-29-february"),
        pytest.param("2026-01-01", "2027-03-01", "2026-06-01", id="two-months-over"),
    ],
)
def test_waiver_longer_than_one_year_does_not_count(
    cli: Cli, repo: GovernanceRepo, ended: str, expires: str, as_of: str
) -> None:
    """A waiver expiring more than one calendar year after approval does not count; shape error."""
    waiver = repo.add_waiver("ctrl1-waiver", ended=ended, expires=expires)
    _, check = assert_judged(cli, repo, "missing", error_kinds=("shape",), as_of=as_of)
    [error] = check.errors_of("shape")
    assert error["file"] == waiver.path
    assert error["line"] == waiver.line
    assert "ctrl1-waiver" in error["message"]
    assert_readable_message(error["message"])


def test_waiver_approved_by_system_owner_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """Bob owns the system; his waiver as ModelOwner (a role he holds) does not count."""
    repo.add_waiver("ctrl1-waiver", approved_by="bob", in_role="ModelOwner")
    assert_judged(cli, repo, "missing")


def test_waiver_by_person_without_the_role_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """Carol holds no role, so her waiver in role RAILead does not count."""
    repo.add_waiver("ctrl1-waiver", approved_by="carol", in_role="RAILead")
    assert_judged(cli, repo, "missing")


def test_expired_waiver_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """A waiver that expired the day before the as-of date does not count."""
    repo.add_waiver("ctrl1-waiver", expires="2026-05-31")
    assert_judged(cli, repo, "missing")


def test_waiver_dated_after_as_of_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """A waiver approved after the as-of date does not exist yet."""
    repo.add_waiver("ctrl1-waiver", ended="2026-06-02", expires="2026-12-31")
    assert_judged(cli, repo, "missing")


def test_waiver_for_another_control_does_not_count(cli: Cli, base_repo: GovernanceRepo) -> None:
    """A waiver of CTRL-2 says nothing about CTRL-1."""
    base_repo.add_control("CTRL-2", "TC-02")
    base_repo.add_system()
    base_repo.add_waiver("ctrl2-waiver", waives="CTRL-2")
    assert_judged(cli, base_repo, "missing", others_clean=False)
    assert cli.status(base_repo).status_of("CTRL-2") == "waived"


def test_waiver_for_another_system_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """A waiver for fraud-detection does not waive credit-scoring's control."""
    repo.add_system("fraud-detection", "FraudDetection", title="Fraud detection")
    repo.add_waiver("fraud-waiver", system="fraud-detection")
    assert_judged(cli, repo, "missing", others_clean=False)
    assert cli.status(repo).status_of("CTRL-1", "fraud-detection") == "waived"


# --- order of precedence ------------------------------------------------------------------------


def test_met_beats_waiver(cli: Cli, repo: GovernanceRepo) -> None:
    """Rule 1 comes first: met evidence plus a waiver is met."""
    repo.add_approved_evidence("risk-assessment")
    repo.add_waiver("ctrl1-waiver")
    assert_judged(cli, repo, "met")


def test_waiver_beats_expired(cli: Cli, repo: GovernanceRepo) -> None:
    """A waiver over expired evidence is waived."""
    repo.add_approved_evidence("risk-assessment", generated="2025-01-01")
    repo.add_waiver("ctrl1-waiver")
    assert_judged(cli, repo, "waived")


def test_waiver_beats_unapproved(cli: Cli, repo: GovernanceRepo) -> None:
    """Counting but unapproved evidence plus a waiver is waived."""
    repo.add_evidence("risk-assessment")
    repo.add_waiver("ctrl1-waiver")
    assert_judged(cli, repo, "waived")


def test_waiver_beats_invalid(cli: Cli, repo: GovernanceRepo) -> None:
    """A waiver over evidence with a broken hash is waived; the artefact is still an error."""
    repo.add_approved_evidence("risk-assessment", sha256=sha256_hex(b"x"))
    repo.add_waiver("ctrl1-waiver")
    assert_judged(cli, repo, "waived", error_kinds=("artifact",))


def test_unapproved_beats_expired(cli: Cli, repo: GovernanceRepo) -> None:
    """Counting unapproved evidence next to expired evidence is unapproved."""
    repo.add_approved_evidence("old-assessment", generated="2024-01-01")
    repo.add_evidence("risk-assessment")
    assert_judged(cli, repo, "unapproved")


def test_unapproved_beats_invalid(cli: Cli, repo: GovernanceRepo) -> None:
    """Counting unapproved evidence next to evidence with a missing artefact is unapproved."""
    repo.add_approved_evidence("broken-assessment", artifact_path="gone.pdf")
    repo.add_evidence("risk-assessment")
    assert_judged(cli, repo, "unapproved", error_kinds=("artifact",))


def test_expired_beats_invalid(cli: Cli, repo: GovernanceRepo) -> None:
    """Expired evidence next to evidence with a bad hash is expired."""
    repo.add_approved_evidence("old-assessment", generated="2024-01-01")
    repo.add_approved_evidence("broken-assessment", sha256=sha256_hex(b"x"))
    assert_judged(cli, repo, "expired", error_kinds=("artifact",))


def test_met_next_to_invalid_record_is_met_but_reported(cli: Cli, repo: GovernanceRepo) -> None:
    """One good record makes the pair met; the broken one is still an artifact error (exit 1)."""
    repo.add_approved_evidence("risk-assessment")
    broken = repo.add_approved_evidence("broken-assessment", sha256=sha256_hex(b"x"))
    _, check = assert_judged(cli, repo, "met", error_kinds=("artifact",))
    assert_artifact_error(check, broken, "broken-assessment.md")


# --- organisation scope -------------------------------------------------------------------------


@pytest.fixture
def org_repo(repo: GovernanceRepo) -> GovernanceRepo:
    """The default repository plus organisation-scope control CTRL-ORG (a Policy, no approval)."""
    repo.add_requirement("R-ORG", "TF ORG")
    repo.add_control(
        "CTRL-ORG",
        "TC-ORG",
        satisfies=("R-ORG",),
        organisation_scope=True,
        evidence_type="Policy",
    )
    return repo


def test_org_control_met_by_organisation_evidence(cli: Cli, org_repo: GovernanceRepo) -> None:
    """Organisation evidence without rai:forSystem meets an organisation-scope control once."""
    org_repo.add_approved_evidence("risk-assessment")
    org_repo.add_evidence(
        "ai-policy", system="_organisation", implements=("CTRL-ORG",), evidence_type="Policy"
    )
    status = cli.status(org_repo)
    org_entry = status.org_control("CTRL-ORG")
    assert org_entry is not None
    assert org_entry["status"] == "met"
    assert org_entry["notation"] == "TC-ORG"
    assert org_entry["evidence"] == [ex("ai-policy")]
    assert status.control("CTRL-ORG") is None
    assert [s["name"] for s in status.data["systems"]] == [DEFAULT_SYSTEM]
    requirement = status.requirement(tfw("R-ORG"))
    assert requirement is not None
    assert requirement["covered"] is True
    check = cli.check(org_repo)
    assert check.exit_code == 0, check.output
    assert check.data["findings"] == []


def test_org_control_missing_is_a_finding_but_not_in_readiness(cli: Cli, org_repo: GovernanceRepo) -> None:
    """A missing organisation control is one finding and leaves system readiness untouched."""
    org_repo.add_approved_evidence("risk-assessment")
    status = cli.status(org_repo)
    org_entry = status.org_control("CTRL-ORG")
    assert org_entry is not None
    assert org_entry["status"] == "missing"
    assert status.system()["readiness"] == 1.0
    requirement = status.requirement(tfw("R-ORG"))
    assert requirement is not None
    assert (requirement["covered"], requirement["unmapped"]) == (False, False)
    check = cli.check(org_repo)
    assert check.exit_code == 1
    assert [f["status"] for f in check.findings_for("CTRL-ORG")] == ["missing"]
    assert check.findings_for("CTRL-1") == []


def test_system_evidence_does_not_count_for_org_control(cli: Cli, org_repo: GovernanceRepo) -> None:
    """Evidence that names a system is not organisation evidence."""
    org_repo.add_evidence("team-policy", implements=("CTRL-ORG",), evidence_type="Policy")
    org_entry = cli.status(org_repo).org_control("CTRL-ORG")
    assert org_entry is not None
    assert org_entry["status"] == "missing"


# --- applicability: tiers, roles, lifecycle ------------------------------------------------------


def test_deployer_control_not_applicable_to_provider_only_system(cli: Cli, repo: GovernanceRepo) -> None:
    """A control with appliesToRole Deployer applies to a deployer system, not a provider-only one."""
    repo.add_control("CTRL-DEP", "TC-DEP", roles=("Deployer",))
    repo.add_system("chatbot", "Chatbot", title="Support chatbot", roles=("Provider", "Deployer"))
    status = cli.status(repo)
    assert status.control("CTRL-DEP", "credit-scoring") is None
    assert status.status_of("CTRL-DEP", "chatbot") == "missing"
    check = cli.check(repo)
    assert [f["system"] for f in check.findings_for("CTRL-DEP")] == [ex("Chatbot")]


def test_control_for_other_tier_not_applicable(cli: Cli, repo: GovernanceRepo) -> None:
    """A control required only for LimitedRisk is not judged for a high-risk system."""
    repo.add_control("CTRL-LIM", "TC-LIM", tiers=("LimitedRisk",))
    status = cli.status(repo)
    assert [c["control"] for c in status.system()["controls"]] == [ex("CTRL-1")]
    assert cli.check(repo).findings_for("CTRL-LIM") == []


def test_retired_system_is_listed_but_not_judged(cli: Cli, repo: GovernanceRepo) -> None:
    """A retired system has no controls, no requirements, readiness 1.0 and no findings."""
    repo.add_approved_evidence("risk-assessment")
    repo.add_system("legacy-scoring", "LegacyScoring", title="Legacy scoring", lifecycle="Retired")
    status = cli.status(repo)
    retired = status.system("legacy-scoring")
    assert retired["id"] == ex("LegacyScoring")
    assert retired["controls"] == []
    assert retired["requirements"] == []
    assert retired["readiness"] == 1.0
    check = cli.check(repo)
    assert check.exit_code == 0, check.output
    assert check.data["findings"] == []


# --- readiness ------------------------------------------------------------------------------------


def test_readiness_counts_met_and_waived_over_applicable_pairs(cli: Cli, base_repo: GovernanceRepo) -> None:
    """met + waived + missing gives readiness 2/3 rounded to four decimals."""
    base_repo.add_control("CTRL-2", "TC-02")
    base_repo.add_control("CTRL-3", "TC-03")
    base_repo.add_system()
    base_repo.add_approved_evidence("risk-assessment")
    base_repo.add_waiver("ctrl2-waiver", waives="CTRL-2")
    system = cli.status(base_repo).system()
    statuses = {c["notation"]: c["status"] for c in system["controls"]}
    assert statuses == {"TC-01": "met", "TC-02": "waived", "TC-03": "missing"}
    assert system["readiness"] == 0.6667


def test_readiness_ignores_unapproved_expired_invalid(cli: Cli, base_repo: GovernanceRepo) -> None:
    """Only met and waived count: met, unapproved, expired, invalid gives 0.25."""
    for local, notation in (("CTRL-2", "TC-02"), ("CTRL-3", "TC-03"), ("CTRL-4", "TC-04")):
        base_repo.add_control(local, notation, approval_role="RAILead", max_age="P365D")
    base_repo.add_system()
    base_repo.add_approved_evidence("risk-assessment")
    base_repo.add_evidence("unapproved-ev", implements=("CTRL-2",))
    base_repo.add_approved_evidence("old-ev", implements=("CTRL-3",), generated="2024-01-01")
    base_repo.add_approved_evidence("bad-ev", implements=("CTRL-4",), sha256=sha256_hex(b"x"))
    system = cli.status(base_repo).system()
    statuses = {c["notation"]: c["status"] for c in system["controls"]}
    assert statuses == {
        "TC-01": "met",
        "TC-02": "unapproved",
        "TC-03": "expired",
        "TC-04": "invalid",
    }
    assert system["readiness"] == 0.25


def test_readiness_zero_when_nothing_met(cli: Cli, repo: GovernanceRepo) -> None:
    """A system whose only applicable control is missing has readiness 0."""
    assert cli.status(repo).system()["readiness"] == 0.0


def test_readiness_one_without_applicable_pairs(cli: Cli, base_repo: GovernanceRepo) -> None:
    """A minimal-risk system that no control applies to has readiness 1.0 and passes check."""
    base_repo.add_system(tier="MinimalRisk")
    system = cli.status(base_repo).system()
    assert system["controls"] == []
    assert system["readiness"] == 1.0
    assert system["tier"] == rai("MinimalRisk")
    check = cli.check(base_repo)
    assert check.exit_code == 0, check.output
    assert check.data["conforms"] is True


# --- requirement coverage -------------------------------------------------------------------------


def _coverage(outcome: Outcome, local: str, system: str = DEFAULT_SYSTEM) -> tuple[bool, bool]:
    entry = outcome.requirement(tfw(local), system)
    assert entry is not None, f"{local} not listed for {system}"
    return entry["covered"], entry["unmapped"]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        pytest.param("met", (True, False), id="met-control-covers"),
        pytest.param("waived", (True, False), id="waived-control-covers"),
        pytest.param("missing", (False, False), id="missing-control-does-not-cover"),
    ],
)
def test_requirement_covered_by_its_control(
    cli: Cli, repo: GovernanceRepo, setup: str, expected: tuple[bool, bool]
) -> None:
    """R1 is covered exactly when CTRL-1, its only control, is met or waived."""
    if setup == "met":
        repo.add_approved_evidence("risk-assessment")
    elif setup == "waived":
        repo.add_waiver("ctrl1-waiver")
    status = cli.status(repo)
    assert _coverage(status, "R1") == expected
    entry = status.requirement(tfw("R1"))
    assert entry is not None
    assert entry["notation"] == "TF 1"


def test_requirement_not_covered_unless_every_control_is(cli: Cli, base_repo: GovernanceRepo) -> None:
    """R1 has two applicable controls; one met and one missing is not covered."""
    base_repo.add_control("CTRL-2", "TC-02")
    base_repo.add_system()
    base_repo.add_approved_evidence("risk-assessment")
    assert _coverage(cli.status(base_repo), "R1") == (False, False)


def test_requirement_without_control_is_unmapped(cli: Cli, repo: GovernanceRepo) -> None:
    """An applicable requirement that no control satisfies is unmapped and not covered."""
    repo.add_requirement("R2", "TF 2")
    assert _coverage(cli.status(repo), "R2") == (False, True)


def test_requirement_mapped_only_to_inapplicable_control_is_unmapped(cli: Cli, repo: GovernanceRepo) -> None:
    """A requirement whose only control is for another tier is unmapped for this system."""
    repo.add_requirement("R2", "TF 2")
    repo.add_control("CTRL-LIM", "TC-LIM", satisfies=("R2",), tiers=("LimitedRisk",))
    assert _coverage(cli.status(repo), "R2") == (False, True)


def test_requirements_filtered_by_tier_and_role(cli: Cli, repo: GovernanceRepo) -> None:
    """Only requirements whose appliesToTier/appliesToRole are empty or match are listed."""
    repo.add_requirement("R-HIGH", "TF HIGH", tiers=("HighRisk",))
    repo.add_requirement("R-LIMITED", "TF LIMITED", tiers=("LimitedRisk",))
    repo.add_requirement("R-DEPLOYER", "TF DEPLOYER", roles=("Deployer",))
    repo.add_requirement("R-PROVIDER", "TF PROVIDER", roles=("Provider",), tiers=("HighRisk",))
    listed = {r["requirement"] for r in cli.status(repo).system()["requirements"]}
    assert listed == {tfw("R1"), tfw("R-HIGH"), tfw("R-PROVIDER")}


def test_org_control_for_another_tier_does_not_map_requirement(cli: Cli, repo: GovernanceRepo) -> None:
    """An organisation-scope control required only for LimitedRisk leaves a high-risk requirement unmapped."""
    repo.add_requirement("R-ORG", "TF ORG")
    repo.add_control(
        "CTRL-ORG", "TC-ORG", satisfies=("R-ORG",), tiers=("LimitedRisk",), organisation_scope=True
    )
    repo.add_evidence("ai-policy", system="_organisation", implements=("CTRL-ORG",))
    assert _coverage(cli.status(repo), "R-ORG") == (False, True)


def test_no_roll_up_from_child_requirements(cli: Cli, repo: GovernanceRepo) -> None:
    """A parent clause with no control of its own is unmapped even if its child is covered."""
    repo.add_requirement("R-PARENT", "TF P")
    repo.add_requirement("R-CHILD", "TF P.1", broader="R-PARENT")
    repo.add_control("CTRL-CHILD", "TC-CHILD", satisfies=("R-CHILD",))
    repo.add_waiver("child-waiver", waives="CTRL-CHILD")
    status = cli.status(repo)
    assert _coverage(status, "R-CHILD") == (True, False)
    assert _coverage(status, "R-PARENT") == (False, True)


def test_status_json_describes_the_system(cli: Cli, repo: GovernanceRepo) -> None:
    """systems[] carries the IRI, folder name, title and tier IRI of each system."""
    system = cli.status(repo).system()
    assert system["id"] == ex("CreditScoring")
    assert system["name"] == "credit-scoring"
    assert system["title"] == "Credit scoring model"
    assert system["tier"] == rai("HighRisk")
