"""Governed definitions come only from where they are governed (issue #15, property 2).

The threat: a contributor who may write only ``evidence/<a>/`` (the CODEOWNERS of most
organisations) writes triples about what ``controls/`` and ``frameworks/`` govern — controls,
requirements, roles, people and their mailboxes and keys, tiers, clauses — or about another
folder's system or records, to lift their own gaps or to sink someone else's. Each such statement
must be an input error at the line of the file that wrote it, and must not change a judgement:
``status`` with the hostile file equals ``status`` without it, errors aside.
(docs/trust-boundaries.md states the rules.)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hostile.cases import BYSTANDER, VICTIM_DIR, standard_repo
from hostile.harness import invoke

from repo_builder import PREFIXES, GovernanceRepo

AS_OF = "2026-06-01"
OWN = f"{VICTIM_DIR}/hostile.ttl"
OTHER = f"evidence/{BYSTANDER}/hostile.ttl"
ORGANISATION = "evidence/_organisation/hostile.ttl"


def _approved(repo: GovernanceRepo) -> None:
    repo.add_approved_evidence("risk")


def _approved_by_carol(repo: GovernanceRepo) -> None:
    """Carol holds no role: the victim's evidence is unapproved."""
    repo.add_evidence("risk")
    repo.add_approval("risk-approval", "risk", by="carol")


def _too_old(repo: GovernanceRepo) -> None:
    """Dated over CTRL-1's 365 days before the date judged: expired."""
    repo.add_approved_evidence("risk", generated="2025-01-10")


def _nothing(repo: GovernanceRepo) -> None:
    """The victim has no evidence: missing."""


def _organisation_control(repo: GovernanceRepo) -> None:
    repo.add_control("CTRL-ORG", "TC-ORG", organisation_scope=True, approval_role="RAILead")


Setup = Callable[[GovernanceRepo], None]
APPROVAL_BY_ALICE = ('    rai:decision rai:Approved ;\n    prov:wasAssociatedWith ex:alice ;\n'
                     '    rai:inRole ex:RAILead ;\n    prov:endedAtTime "2026-02-01"^^xsd:date .\n')
EVIDENCE_BODY = ('    rai:implements ex:CTRL-1 ;\n    rai:evidenceType rai:RiskAssessment ;\n'
                 '    dcterms:title "Forged" ;\n    rai:artifactURL <https://example.org/forged> ;\n'
                 '    prov:generatedAtTime "2026-01-15"^^xsd:date ;\n    prov:wasAttributedTo ex:bob ;\n'
                 '    rai:confidentiality rai:Internal .\n')

# (setup, file written, Turtle): every statement in it crosses a trust boundary.
THREATS: dict[str, tuple[Setup, str, str]] = {
    # -- governed definitions restated in an evidence folder --
    "role-granted": (_approved_by_carol, OWN, "ex:carol rai:hasRole ex:RAILead .\n"),
    "mailbox-aliased-to-the-author": (_approved, OWN, "ex:alice foaf:mbox <mailto:bob@example.org> .\n"),
    "person-renamed": (_approved, OWN, 'ex:alice foaf:name "Bob" .\n'),
    "signing-key-listed": (_approved, OWN, 'ex:carol rai:signingKey "SHA256:forgedkey" .\n'),
    "control-moved-to-organisation-scope": (_approved, OWN, "ex:CTRL-1 rai:scope rai:OrganisationScope .\n"),
    "control-narrowed-to-deployers": (_approved, OWN, "ex:CTRL-1 rai:appliesToRole rai:Deployer .\n"),
    "control-approver-role-changed": (_approved, OWN, "ex:CTRL-1 rai:requiresApprovalBy ex:ModelOwner .\n"),
    "control-age-lengthened": (_too_old, OWN, 'ex:CTRL-1 rai:maxEvidenceAge "P100Y"^^xsd:duration .\n'),
    "control-evidence-type-changed": (_approved, OWN, "ex:CTRL-1 rai:requiresEvidenceType rai:Policy .\n"),
    "control-minted": (_approved, OWN, (
        'ex:CTRL-9 a rai:Control ;\n    skos:notation "TC-09" ;\n    dcterms:title "Minted" ;\n'
        "    rai:satisfies tfw:R1 ;\n    rai:requiredForTier rai:HighRisk .\n")),
    "requirement-narrowed": (_approved, OWN, "tfw:R1 rai:appliesToTier rai:MinimalRisk .\n"),
    "requirement-renumbered": (_approved, OWN, 'tfw:R1 skos:notation "Art. 99" .\n'),
    "requirement-minted": (_approved, OWN, (
        'tfw:R9 a rai:Requirement ;\n    skos:inScheme tfw:scheme ;\n    skos:notation "TF 9" .\n')),
    "requirement-justified": (_approved, OWN, (
        'ex:excuse a rai:UnmappedJustification ;\n    rai:justifies tfw:R1 ;\n    rai:rationale "Not us." .\n')),
    "tier-minted": (_approved, OWN, 'ex:Exempt a rai:RiskTier ;\n    rdfs:label "Exempt" .\n'),
    "role-minted": (_approved, OWN, 'ex:Shadow a rai:Role ;\n    rdfs:label "Shadow approver" .\n'),
    "ontology-term-relabelled": (_approved, OWN, 'rai:HighRisk rdfs:label "Minimal risk" .\n'),
    "class-made-an-approval": (_approved_by_carol, OWN, (
        "ex:Blessing rdfs:subClassOf rai:Approval .\n")),
    # -- another folder's system and records --
    "system-retired-from-another-folder": (_nothing, OTHER, "ex:CreditScoring rai:lifecycleStatus rai:Retired .\n"),
    "system-role-changed-from-another-folder": (
        _nothing, OTHER, "ex:CreditScoring rai:operatorRole rai:Deployer .\n"),
    "system-retyped-in-another-folder": (_approved, OTHER, (
        'ex:CreditScoring a rai:AISystem ;\n    dcterms:title "Ours now" ;\n'
        "    rai:riskTier rai:MinimalRisk ;\n    rai:lifecycleStatus rai:Retired .\n")),
    "system-described-from-the-organisation-folder": (
        _nothing, ORGANISATION, "ex:CreditScoring rai:lifecycleStatus rai:Retired .\n"),
    "evidence-of-another-folder-cut-short": (_approved, OTHER, 'ex:risk rai:validUntil "2026-03-01"^^xsd:date .\n'),
    "evidence-of-another-folder-claimed": (_approved, OTHER, "ex:risk rai:forSystem ex:Bystander .\n"),
    # -- records filed in a folder they may not concern --
    "evidence-filed-for-another-system": (_nothing, OTHER, (
        "ex:forged a rai:Evidence ;\n    rai:forSystem ex:CreditScoring ;\n" + EVIDENCE_BODY
        + "\nex:forged-approval a rai:Approval ;\n    rai:approves ex:forged ;\n" + APPROVAL_BY_ALICE)),
    "approval-filed-in-another-folder": (_approved_by_carol, OTHER, (
        "ex:other-approval a rai:Approval ;\n    rai:approves ex:risk ;\n" + APPROVAL_BY_ALICE)),
    "waiver-filed-in-another-folder": (_nothing, OTHER, (
        "ex:other-waiver a rai:Waiver ;\n    rai:waives ex:CTRL-1 ;\n    rai:forSystem ex:CreditScoring ;\n"
        '    rai:rationale "Not needed." ;\n    rai:expires "2026-12-31"^^xsd:date ;\n'
        '    rai:approvedBy ex:alice ;\n    rai:inRole ex:RAILead ;\n    prov:endedAtTime "2026-03-01"^^xsd:date .\n')),
    "organisation-evidence-filed-in-a-system-folder": (_organisation_control, OWN, (
        "ex:org-policy a rai:Evidence ;\n    rai:implements ex:CTRL-ORG ;\n    rai:evidenceType rai:Policy ;\n"
        '    dcterms:title "Policy" ;\n    rai:artifactURL <https://example.org/policy> ;\n'
        '    prov:generatedAtTime "2026-01-15"^^xsd:date ;\n    prov:wasAttributedTo ex:bob ;\n'
        "    rai:confidentiality rai:Internal .\n"
        "\nex:org-policy-approval a rai:Approval ;\n    rai:approves ex:org-policy ;\n" + APPROVAL_BY_ALICE)),
}


def _judgement(root: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``status`` without its errors (every verdict and reason), and ``check``'s errors."""
    status = invoke(["status", "--repo", str(root), "--as-of", AS_OF, "--format", "json"])
    status.assert_clean_exit((0,))
    check = invoke(["check", "--repo", str(root), "--as-of", AS_OF, "--format", "json"])
    check.assert_clean_exit((0, 1))
    judged = status.json()
    judged.pop("errors")
    errors = check.json()["errors"]
    assert isinstance(errors, list)
    return judged, errors


@pytest.mark.parametrize("threat", list(THREATS))
def test_a_statement_across_a_trust_boundary_is_an_input_error_and_changes_nothing(
    threat: str, tmp_path: Path,
) -> None:
    """The hostile file's statements are input errors at its lines, and every verdict is what it
    is without the file."""
    setup, file, turtle = THREATS[threat]
    repo = standard_repo(tmp_path / "repo")
    setup(repo)
    before, errors_before = _judgement(repo.root)
    repo.write_text(file, PREFIXES + "\n" + turtle)
    after, errors_after = _judgement(repo.root)
    assert after == before
    new = [e for e in errors_after if e not in errors_before]
    assert new, f"{threat}: nothing reported"
    lines = range(PREFIXES.count("\n") + 1, (repo.root / file).read_text().count("\n") + 1)
    for error in new:
        if error["file"] != file:  # a consequence elsewhere is only a dangling reference
            assert error["kind"] == "reference", error
            continue
        assert error["line"] in lines, error
    assert any(e["file"] == file for e in new), new


@pytest.mark.parametrize("claim", [
    "rai:forSystem ex:Bystander",                       # claim the victim's approved evidence
    'rai:validUntil "2027-12-31"^^xsd:date',           # extend it
    "rai:implements ex:CTRL-1",                         # (re)state what it implements
])
def test_a_record_retyped_in_another_folder_helps_no_one(claim: str, tmp_path: Path) -> None:
    """Another folder types the victim's approved evidence again (the record is "its own" there
    too) and adds to it: whichever folder is the forger, the record counts for no one, each copy
    is an input error of its file, and the bystander never gains from it."""
    repo = standard_repo(tmp_path / "repo")
    repo.add_approved_evidence("risk")
    repo.write_text(OTHER, PREFIXES + f"\nex:risk a rai:Evidence ;\n    {claim} .\n")
    status = invoke(["status", "--repo", str(repo.root), "--as-of", AS_OF, "--format", "json"])
    status.assert_clean_exit((0,))
    data = status.json()
    verdicts = {s["name"]: [c["status"] for c in s["controls"]] for s in data["systems"]}
    assert verdicts["credit-scoring"] != ["met"], verdicts
    assert verdicts[BYSTANDER] == ["met"], "the bystander keeps its own evidence only"
    bystander = next(s for s in data["systems"] if s["name"] == BYSTANDER)
    assert all("ex:risk" not in json.dumps(c) and "/risk" not in str(c.get("evidence", ""))
               for c in bystander["controls"]), bystander
    blamed = {e["file"] for e in data["errors"] if "neither copy counts" in e["message"]}
    assert blamed == {OTHER, f"{VICTIM_DIR}/risk.ttl"}, data["errors"]


def test_records_of_a_folder_may_add_to_each_other(tmp_path: Path) -> None:
    """Not every split is a crossing: a second file in the system's own folder may add to its
    records and to the system, and it counts (no error)."""
    repo = standard_repo(tmp_path / "repo")
    repo.add_approved_evidence("risk")
    repo.write_text(f"{VICTIM_DIR}/more.ttl", PREFIXES + (
        'ex:risk rai:validUntil "2026-03-01"^^xsd:date .\nex:CreditScoring rdfs:comment "Scores credit." .\n'))
    status = invoke(["status", "--repo", str(repo.root), "--as-of", AS_OF, "--format", "json"])
    status.assert_clean_exit((0,))
    data = status.json()
    assert data["errors"] == []
    victim = next(s for s in data["systems"] if s["name"] == "credit-scoring")
    assert [c["status"] for c in victim["controls"]] == ["expired"]


def test_evidence_shared_by_systems_counts_for_each_from_the_organisation_folder(tmp_path: Path) -> None:
    """evidence/_organisation/ may hold a record for several systems: it counts for each, no error."""
    repo = standard_repo(tmp_path / "repo")
    repo.add_approved_evidence("shared", system="_organisation", for_systems=("CreditScoring", "Bystander"))
    status = invoke(["status", "--repo", str(repo.root), "--as-of", AS_OF, "--format", "json"])
    status.assert_clean_exit((0,))
    data = status.json()
    assert data["errors"] == []
    assert {s["name"]: [c["status"] for c in s["controls"]] for s in data["systems"]} == {
        "credit-scoring": ["met"], BYSTANDER: ["met"]}


def test_a_governed_definition_stated_in_evidence_names_the_file_and_what_it_said(tmp_path: Path) -> None:
    """The error says which subject and which properties were ignored, and why."""
    repo = standard_repo(tmp_path / "repo")
    repo.write_text(OWN, PREFIXES + "\nex:CTRL-1 rai:scope rai:OrganisationScope ;\n    dcterms:title \"x\" .\n")
    _judged, errors = _judgement(repo.root)
    (error,) = errors
    assert (error["file"], error["line"]) == (OWN, PREFIXES.count("\n") + 2)
    assert "CTRL-1" in error["message"]
    assert "rai:scope" in error["message"]
    assert "dcterms:title" in error["message"]
    assert "controls/" in error["message"]


# --- approvals dated before their evidence, and waiver chains (docs/trust-boundaries.md) ---------


def _victim_status(root: Path, control: str = "CTRL-1") -> str:
    status = invoke(["status", "--repo", str(root), "--as-of", AS_OF, "--format", "json"])
    status.assert_clean_exit((0,))
    victim = next(s for s in status.json()["systems"] if s["name"] == "credit-scoring")
    return str(next(c["status"] for c in victim["controls"] if c["control"].endswith(f"/{control}")))


def test_an_approval_dated_before_its_evidence_does_not_count(tmp_path: Path) -> None:
    """An approval cannot have seen evidence produced after it: approved on 1 February, the
    evidence dated 1 March (regenerated since, or back-dated approval) is unapproved."""
    repo = standard_repo(tmp_path / "repo")
    repo.add_evidence("risk", generated="2026-03-01")
    repo.add_approval("risk-approval", "risk", ended="2026-02-01")
    assert _victim_status(repo.root) == "unapproved"


def test_an_approval_dated_the_day_of_its_evidence_counts(tmp_path: Path) -> None:
    """The rule's boundary: approved the day the evidence is dated is approved."""
    repo = standard_repo(tmp_path / "repo")
    repo.add_evidence("risk", generated="2026-02-01")
    repo.add_approval("risk-approval", "risk", ended="2026-02-01")
    assert _victim_status(repo.root) == "met"


def _two_controls(repo: GovernanceRepo) -> None:
    repo.add_control("CTRL-2", "TC-02", evidence_type="RiskAssessment", approval_role="RAILead")


def test_waivers_compensating_each_other_are_input_errors(tmp_path: Path) -> None:
    """CTRL-1 waived "compensated by" CTRL-2, and CTRL-2 waived compensated by CTRL-1: neither
    compensation is in force; each waiver is an input error at its line."""
    repo = standard_repo(tmp_path / "repo")
    _two_controls(repo)
    first = repo.add_waiver("waiver-1", extra=(("rai:compensatingControl", "ex:CTRL-2"),))
    second = repo.add_waiver("waiver-2", waives="CTRL-2", extra=(("rai:compensatingControl", "ex:CTRL-1"),))
    _judged, errors = _judgement(repo.root)
    chained = [(e["file"], e["line"]) for e in errors if "cannot compensate" in e["message"]]
    assert chained == [(first.path, first.line), (second.path, second.line)]


def test_a_waiver_compensated_by_itself_is_an_input_error(tmp_path: Path) -> None:
    """A waiver naming the control it waives as the compensation is an input error at its line."""
    repo = standard_repo(tmp_path / "repo")
    waiver = repo.add_waiver("waiver-1", extra=(("rai:compensatingControl", "ex:CTRL-1"),))
    _judged, errors = _judgement(repo.root)
    assert [(e["file"], e["line"]) for e in errors if "own compensating control" in e["message"]] == [
        (waiver.path, waiver.line)]


def test_a_waiver_compensated_by_a_control_waived_later_is_no_chain(tmp_path: Path) -> None:
    """Only waivers in force together chain: a compensating control waived after the first
    waiver ends is no error."""
    repo = standard_repo(tmp_path / "repo")
    _two_controls(repo)
    repo.add_waiver("waiver-1", ended="2026-01-01", expires="2026-03-31",
                    extra=(("rai:compensatingControl", "ex:CTRL-2"),))
    repo.add_waiver("waiver-2", waives="CTRL-2", ended="2026-04-01", expires="2026-12-31")
    _judged, errors = _judgement(repo.root)
    assert [e for e in errors if "compensat" in e["message"]] == []


def test_a_waiver_resting_on_a_waived_control_does_not_count(tmp_path: Path) -> None:
    """A chain of waivers compensating each other waives nothing: both pairs stay gaps."""
    repo = standard_repo(tmp_path / "repo")
    _two_controls(repo)
    repo.add_waiver("waiver-1", extra=(("rai:compensatingControl", "ex:CTRL-2"),))
    repo.add_waiver("waiver-2", waives="CTRL-2", extra=(("rai:compensatingControl", "ex:CTRL-1"),))
    assert (_victim_status(repo.root, "CTRL-1"), _victim_status(repo.root, "CTRL-2")) == ("missing", "missing")
