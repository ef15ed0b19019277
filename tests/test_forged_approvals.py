"""Approvals and waivers that must not count (issue #9, item 5), written the way a careless or
hostile contributor would write them.

The plain rules are tested in ``test_status_rules.py`` and not repeated here: an approver without
the role (``test_unapproved_when_approver_lacks_the_role``) or approving in another role, the
evidence author approving, an expired approval, an approval dated after the as-of date, a later
rejection, waivers by the system owner, by someone without the role, or longer than one year;
``test_diff.py`` covers a hash-bound approval whose artefact changed and the basic strict modes.
This file goes after the ways around those rules: roles granted or people defined outside
``controls/``, several values where one is allowed, aliases sharing a mailbox, approvals edited
in git by someone else under strict approvals, and the authoring commands themselves.

Fixtures (``conftest.py``): control CTRL-1 needs an approved RiskAssessment by a RAILead; alice
is RAILead and DPO, bob ModelOwner and the system's owner, carol has no role; as of 2026-06-01.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from rai_graph.cli import main

from git_helpers import commit_all, git, init
from repo_builder import DEFAULT_SYSTEM, PREFIXES, GovernanceRepo, date, sha256_hex

if TYPE_CHECKING:
    from conftest import Cli

SYSTEM_DIR = f"evidence/{DEFAULT_SYSTEM}"

ROLES_FROM_ANYWHERE = (
    "model.build_model reads rai:Person and rai:hasRole from every loaded file, so a contributor who "
    "may only edit evidence/<system>/ can define an approver or grant a role there, and "
    "trace.StatusRules._approval_problems accepts it (no error either)"
)
IDENTITY_BY_IRI = (
    "trace.StatusRules compares people by IRI only: a second rai:Person with the same foaf:mbox (the "
    "same human) passes the separation-of-duties and system-owner tests, and nothing reports the alias"
)


@pytest.fixture(autouse=True, params=["cache", "no-cache"])
def cache_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every verdict here holds with the parse cache and without it."""
    monkeypatch.setenv("RAI_GRAPH_NO_CACHE", "1" if request.param == "no-cache" else "0")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def status_of(cli: Cli, repo: GovernanceRepo, as_of: str = "2026-06-01") -> str:
    """The status of (credit-scoring, CTRL-1), after checking the run ended cleanly."""
    outcome = cli.status(repo, as_of=as_of, expect_crash_free=True)
    assert outcome.exit_code == 0, outcome.output
    return outcome.status_of("CTRL-1")


# --- who may approve -----------------------------------------------------------------------------


def test_role_granted_from_an_evidence_folder_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """Carol grants herself RAILead in a file under evidence/ and approves: it does not count."""
    repo.add_evidence("risk")
    repo.write_text(f"{SYSTEM_DIR}/notes.ttl", PREFIXES + "ex:carol rai:hasRole ex:RAILead .\n")
    repo.add_approval("risk-approval", "risk", by="carol")
    assert status_of(cli, repo) == "unapproved"


def test_approver_defined_in_an_evidence_folder_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """A person with the role, defined beside the evidence instead of in controls/, cannot approve."""
    repo.add_evidence("risk")
    repo.write_text(f"{SYSTEM_DIR}/mallory.ttl", PREFIXES + (
        'ex:mallory a rai:Person ;\n    foaf:name "Mallory" ;\n    foaf:mbox <mailto:mallory@example.org> ;\n'
        "    rai:hasRole ex:RAILead .\n"))
    repo.add_approval("risk-approval", "risk", by="mallory")
    assert status_of(cli, repo) == "unapproved"


def test_role_granted_in_a_symlinked_file_outside_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """A role grant in a file outside the repository, linked in, is not loaded, so the approval fails."""
    outside = repo.root.parent / "grant.ttl"
    outside.write_text(PREFIXES + "ex:carol rai:hasRole ex:RAILead .\n", encoding="utf-8")
    (repo.root / SYSTEM_DIR / "grant.ttl").symlink_to(outside)
    repo.add_evidence("risk")
    repo.add_approval("risk-approval", "risk", by="carol")
    assert status_of(cli, repo) == "unapproved"


def test_approval_by_an_undefined_look_alike_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """``ex:аlice`` (Cyrillic а) is nobody: a reference error, and the approval does not count."""
    repo.add_evidence("risk")
    approval = repo.add_approval("risk-approval", "risk", by="\u0430lice")
    assert status_of(cli, repo) == "unapproved"
    errors = cli.check(repo, expect_crash_free=True).errors_of("reference")
    assert [(e["file"], e["line"]) for e in errors] == [(approval.path, repo.line_of(approval.path, "\u0430lice"))]


# --- separation of duties --------------------------------------------------------------------------


def test_co_author_cannot_approve(cli: Cli, repo: GovernanceRepo) -> None:
    """Evidence attributed to alice and zed cannot be approved by zed, one of its authors."""
    repo.add_person("zed", roles=("RAILead",))
    repo.add_evidence("risk", author="alice", extra=(("prov:wasAttributedTo", "ex:zed"),))
    repo.add_approval("risk-approval", "risk", by="zed")
    assert status_of(cli, repo) == "unapproved"


def test_author_alias_with_the_same_mailbox_cannot_approve(cli: Cli, repo: GovernanceRepo) -> None:
    """Bob wrote the evidence; ``ex:bob2``, bob's mailbox with the RAILead role, cannot approve it."""
    repo.write_text("controls/aliases.ttl", PREFIXES + (
        'ex:bob2 a rai:Person ;\n    foaf:name "Bob" ;\n    foaf:mbox <mailto:bob@example.org> ;\n'
        "    rai:hasRole ex:RAILead .\n"))
    repo.add_evidence("risk", author="bob")
    repo.add_approval("risk-approval", "risk", by="bob2")
    assert status_of(cli, repo) == "unapproved"


# --- ambiguous approvals -------------------------------------------------------------------------


@pytest.mark.parametrize(("predicate", "second_value"), [
    pytest.param("rai:decision", "rai:Rejected", id="approved-and-rejected"),
    pytest.param("prov:wasAssociatedWith", "ex:bob", id="approver-and-author"),
])
def test_approval_with_two_values_where_one_is_allowed_does_not_count(
    cli: Cli, repo: GovernanceRepo, predicate: str, second_value: str
) -> None:
    """An approval that says two things at once (two decisions, two approvers) does not count."""
    repo.add_evidence("risk", author="bob")
    repo.add_approval("risk-approval", "risk", extra=((predicate, second_value),))
    assert status_of(cli, repo) == "unapproved"
    assert cli.check(repo, expect_crash_free=True).errors_of("shape")


def test_rejection_filed_in_another_folder_still_revokes(cli: Cli, repo: GovernanceRepo) -> None:
    """A rejection counts wherever its file lives, even in another system's folder."""
    repo.add_approved_evidence("risk")
    repo.add_system("other", "Other", title="Other system")
    repo.add_approval("risk-rejection", "risk", system="other", decision="Rejected", ended="2026-03-01")
    assert status_of(cli, repo) == "unapproved"


def test_rejection_by_anyone_revokes_a_conditional_approval(cli: Cli, repo: GovernanceRepo) -> None:
    """A later rejection revokes even a conditional approval, whoever records it."""
    repo.add_evidence("risk")
    repo.add_approval("risk-approval", "risk", decision="ConditionallyApproved", conditions=("Re-run in Q3",))
    repo.add_approval("risk-rejection", "risk", decision="Rejected", by="carol", in_role="DPO",
                      ended="2026-04-01")
    assert status_of(cli, repo) == "unapproved"


def test_approval_that_expired_before_it_was_given_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """An approval whose rai:expires precedes its own date is expired, not timeless."""
    repo.add_evidence("risk")
    repo.add_approval("risk-approval", "risk", ended="2026-02-01", expires="2025-02-01")
    assert status_of(cli, repo) == "unapproved"


# --- approving a changed artefact ------------------------------------------------------------------


def test_approval_bound_to_another_artefact_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """An approval carrying the hash of other bytes did not approve this artefact."""
    repo.add_evidence("risk")
    repo.add_approval("risk-approval", "risk", extra=(("rai:sha256", f'"{sha256_hex(b"a draft")}"'),))
    assert status_of(cli, repo) == "unapproved"


def test_approval_bound_to_the_same_bytes_in_upper_case_counts(cli: Cli, repo: GovernanceRepo) -> None:
    """The control case: a hash binding in upper-case hex names the same bytes, so it counts."""
    content = b"# Risk assessment v1\n"
    repo.add_evidence("risk", artifact_bytes=content)
    repo.add_approval("risk-approval", "risk", extra=(("rai:sha256", f'"{sha256_hex(content).upper()}"'),))
    assert status_of(cli, repo) == "met"


def test_approval_written_by_new_approval_lapses_when_the_artefact_changes(
    cli: Cli, repo: GovernanceRepo
) -> None:
    """``new approval`` binds the artefact's hash; after the artefact and the record's hash change
    (a careful edit, not a broken one), the approval no longer counts."""
    repo.write_text("rai-graph.toml", 'base_iri = "https://example.org/acme/"\n')
    original = b"# Risk assessment v1\n"
    record = repo.add_evidence("risk", artifact_bytes=original)
    written = CliRunner().invoke(main, ["new", "approval", "--repo", str(repo.root), "--evidence", "risk",
                                        "--by", "alice", "--date", "2026-02-01"])
    assert written.exit_code == 0, written.output
    assert status_of(cli, repo) == "met"
    changed = b"# Risk assessment v2, never reviewed\n"
    (repo.root / SYSTEM_DIR / "risk.md").write_bytes(changed)
    path = repo.root / record.path
    path.write_text(path.read_text("utf-8").replace(sha256_hex(original), sha256_hex(changed)), "utf-8")
    assert status_of(cli, repo) == "unapproved"


# --- strict approvals: forged in git --------------------------------------------------------------


@pytest.fixture
def strict_repo(repo: GovernanceRepo) -> GovernanceRepo:
    """The repository under git with approval_strictness = "author"; evidence committed by bob."""
    repo.write_text("rai-graph.toml", 'approval_strictness = "author"\n')
    init(repo.root)
    repo.add_evidence("risk")
    repo.add_evidence("draft", artifact_bytes=b"# Draft, never reviewed\n")
    commit_all(repo.root, "evidence", email="bob@example.org")
    return repo


def test_strict_approval_committed_by_the_approver_counts(cli: Cli, strict_repo: GovernanceRepo) -> None:
    """The control case: alice commits her own approval (e-mail case aside), and it counts."""
    strict_repo.add_approval("risk-approval", "risk")
    commit_all(strict_repo.root, "approve", email="Alice@Example.ORG", name="Alice")
    assert status_of(cli, strict_repo) == "met"


def test_strict_approval_under_the_approvers_name_but_another_email_does_not_count(
    cli: Cli, strict_repo: GovernanceRepo
) -> None:
    """Bob commits an approval as author name "Alice" with his own e-mail: it does not count."""
    strict_repo.add_approval("risk-approval", "risk")
    commit_all(strict_repo.root, "approve", email="bob@example.org", name="Alice")
    assert status_of(cli, strict_repo) == "unapproved"


def test_strict_approval_not_committed_does_not_count(cli: Cli, strict_repo: GovernanceRepo) -> None:
    """An approval only in the working tree is nobody's approval yet."""
    strict_repo.add_approval("risk-approval", "risk")
    assert status_of(cli, strict_repo) == "unapproved"


def test_strict_approval_retargeted_by_another_author_does_not_count(
    cli: Cli, strict_repo: GovernanceRepo
) -> None:
    """Alice approved the draft; bob's later commit points her approval at other evidence."""
    approval = strict_repo.add_approval("draft-approval", "draft")
    commit_all(strict_repo.root, "approve the draft", email="alice@example.org", name="Alice")
    path = strict_repo.root / approval.path
    path.write_text(path.read_text("utf-8").replace("rai:approves ex:draft", "rai:approves ex:risk"), "utf-8")
    commit_all(strict_repo.root, "tidy", email="bob@example.org")
    assert status_of(cli, strict_repo) == "unapproved"


def test_strict_approval_appended_to_the_approvers_file_does_not_count(
    cli: Cli, strict_repo: GovernanceRepo
) -> None:
    """Bob appends a second approval "by alice" to the file alice committed: it is bob's record."""
    approval = strict_repo.add_approval("draft-approval", "draft")
    commit_all(strict_repo.root, "approve the draft", email="alice@example.org", name="Alice")
    strict_repo.append_block(approval.path, "ex:risk-approval", (
        "ex:risk-approval a rai:Approval ;\n    rai:approves ex:risk ;\n    rai:decision rai:Approved ;\n"
        f"    prov:wasAssociatedWith ex:alice ;\n    rai:inRole ex:RAILead ;\n"
        f"    prov:endedAtTime {date('2026-02-01')} .\n"))
    commit_all(strict_repo.root, "add notes", email="bob@example.org")
    assert git(strict_repo.root, "log", "--format=%ae", "--", approval.path).splitlines() == [
        "bob@example.org", "alice@example.org"]
    assert status_of(cli, strict_repo) == "unapproved"


def test_strict_approval_edited_in_the_working_tree_does_not_count(
    cli: Cli, strict_repo: GovernanceRepo
) -> None:
    """An uncommitted edit retargeting alice's committed approval is not alice's approval."""
    approval = strict_repo.add_approval("draft-approval", "draft")
    commit_all(strict_repo.root, "approve the draft", email="alice@example.org", name="Alice")
    path = strict_repo.root / approval.path
    path.write_text(path.read_text("utf-8").replace("rai:approves ex:draft", "rai:approves ex:risk"), "utf-8")
    assert status_of(cli, strict_repo) == "unapproved"


def test_strict_approval_changed_in_an_evil_merge_does_not_count(cli: Cli, strict_repo: GovernanceRepo) -> None:
    """Alice approves the draft on a branch; bob's merge commit retargets it while merging. The
    change is in no parent, only in the merge: it is still bob's."""
    git(strict_repo.root, "checkout", "--quiet", "-b", "review")
    approval = strict_repo.add_approval("draft-approval", "draft")
    commit_all(strict_repo.root, "approve the draft", email="alice@example.org", name="Alice")
    git(strict_repo.root, "checkout", "--quiet", "main")
    strict_repo.write_text("notes.md", "unrelated\n")
    commit_all(strict_repo.root, "notes", email="bob@example.org")
    git(strict_repo.root, "merge", "--quiet", "--no-ff", "--no-commit", "review")
    path = strict_repo.root / approval.path
    path.write_text(path.read_text("utf-8").replace("rai:approves ex:draft", "rai:approves ex:risk"), "utf-8")
    git(strict_repo.root, "add", "--all")
    git(strict_repo.root, "commit", "--quiet", "-m", "merge review", email="bob@example.org")
    assert status_of(cli, strict_repo) == "unapproved"


def test_strict_approval_rewritten_by_the_approver_still_counts(cli: Cli, strict_repo: GovernanceRepo) -> None:
    """The control case for the rule "every commit is the approver's": alice editing her own
    approval in a second commit keeps it hers."""
    approval = strict_repo.add_approval("risk-approval", "risk")
    commit_all(strict_repo.root, "approve", email="alice@example.org", name="Alice")
    path = strict_repo.root / approval.path
    path.write_text(path.read_text("utf-8") + "# reviewed again\n", "utf-8")
    commit_all(strict_repo.root, "approve again", email="alice@example.org", name="Alice")
    assert status_of(cli, strict_repo) == "met"


# --- strict approvals: signed with the approver's key ---------------------------------------------


@pytest.fixture
def signing(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """An SSH signing key for alice and one for bob: (private key path, fingerprint)."""
    import shutil
    import subprocess

    if shutil.which("ssh-keygen") is None:
        pytest.fail("ssh-keygen is needed to sign commits in these tests: install OpenSSH's client "
                    "(Debian: apt-get install openssh-client)")
    keys = {}
    for person in ("alice", "bob"):
        key = tmp_path / "keys" / person
        key.parent.mkdir(exist_ok=True)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", person, "-f", str(key)], check=True)
        listed = subprocess.run(["ssh-keygen", "-l", "-f", f"{key}.pub"], check=True, capture_output=True,
                                text=True).stdout.split()[1]
        keys[person] = (key, listed)
    return keys


def _signed_repo(repo: GovernanceRepo, signing: dict[str, tuple[Path, str]], strictness: str,
                 listed: str = "alice") -> GovernanceRepo:
    """A repository under signature strictness; every key is trusted by git (allowed signers), but
    only ``listed``'s key is listed for alice under controls/."""
    repo.write_text("rai-graph.toml", f'approval_strictness = "{strictness}"\n')
    repo.write_text("controls/keys.ttl", PREFIXES + f'ex:alice rai:signingKey "{signing[listed][1]}" .\n')
    init(repo.root)
    allowed = repo.root.parent / "allowed-signers"
    allowed.write_text("".join(f"{who}@example.org {Path(f'{key}.pub').read_text()}"
                               for who, (key, _) in signing.items()), "utf-8")
    git(repo.root, "config", "gpg.format", "ssh")
    git(repo.root, "config", "gpg.ssh.allowedSignersFile", str(allowed))
    repo.add_evidence("risk")
    commit_all(repo.root, "evidence", email="bob@example.org")
    return repo


def _commit_signed(repo: GovernanceRepo, key: Path, email: str) -> None:
    git(repo.root, "add", "--all")
    git(repo.root, "-c", f"user.signingkey={key}", "commit", "--quiet", "-S", "-m", "approve", email=email)


@pytest.mark.parametrize("strictness", ["signature", "author-and-signature"])
def test_strict_approval_signed_with_the_approvers_listed_key_counts(
    cli: Cli, repo: GovernanceRepo, signing: dict[str, tuple[Path, str]], strictness: str
) -> None:
    """The control case: alice signs her approval with the key listed for her."""
    signed = _signed_repo(repo, signing, strictness)
    signed.add_approval("risk-approval", "risk")
    _commit_signed(signed, signing["alice"][0], "alice@example.org")
    assert status_of(cli, signed) == "met"


def test_strict_approval_signed_with_another_persons_valid_key_does_not_count(
    cli: Cli, repo: GovernanceRepo, signing: dict[str, tuple[Path, str]]
) -> None:
    """Bob's key is trusted by git (a valid signature), but it is not alice's: bob signing an
    approval "by alice" is not alice's approval."""
    signed = _signed_repo(repo, signing, "signature")
    signed.add_approval("risk-approval", "risk")
    _commit_signed(signed, signing["bob"][0], "alice@example.org")
    assert status_of(cli, signed) == "unapproved"


def test_strict_approval_signed_with_an_unlisted_key_does_not_count(
    cli: Cli, repo: GovernanceRepo, signing: dict[str, tuple[Path, str]]
) -> None:
    """Alice's own key, but the key listed for her under controls/ is another one (bob's)."""
    signed = _signed_repo(repo, signing, "author-and-signature", listed="bob")
    signed.add_approval("risk-approval", "risk")
    _commit_signed(signed, signing["alice"][0], "alice@example.org")
    outcome = cli.status(signed, as_of="2026-06-01", expect_crash_free=True)
    assert outcome.status_of("CTRL-1") == "unapproved"
    assert "not listed for" in outcome.output


def test_signing_key_listed_in_an_evidence_folder_does_not_count(
    cli: Cli, repo: GovernanceRepo, signing: dict[str, tuple[Path, str]]
) -> None:
    """A contributor who may edit only evidence/ cannot list a key for the approver."""
    signed = _signed_repo(repo, signing, "signature")
    signed.write_text("controls/keys.ttl", PREFIXES)
    signed.write_text(f"{SYSTEM_DIR}/keys.ttl", PREFIXES + f'ex:alice rai:signingKey "{signing["bob"][1]}" .\n')
    signed.add_approval("risk-approval", "risk")
    _commit_signed(signed, signing["bob"][0], "alice@example.org")
    assert status_of(cli, signed) == "unapproved"
    checked = cli.check(signed, fmt="text", as_of="2026-06-01")
    assert f"{SYSTEM_DIR}/keys.ttl" in checked.output
    assert "evidence/ may not change it" in checked.output


# --- waivers ------------------------------------------------------------------------------------------


def test_waiver_approved_by_two_people_including_the_owner_does_not_count(
    cli: Cli, repo: GovernanceRepo
) -> None:
    """A waiver naming alice and bob (the owner) as approvers is not an independent waiver."""
    repo.add_waiver("ctrl1-waiver", extra=(("rai:approvedBy", "ex:bob"),))
    assert status_of(cli, repo) == "missing"


def test_waiver_by_a_second_owner_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """A second rai:owner added in another file still owns the system and cannot waive for it."""
    repo.add_person("zoe", roles=("RAILead",))
    repo.write_text(f"{SYSTEM_DIR}/owners.ttl", PREFIXES + "ex:CreditScoring rai:owner ex:zoe .\n")
    repo.add_waiver("ctrl1-waiver", approved_by="zoe")
    assert status_of(cli, repo) == "missing"


def test_waiver_by_the_owners_alias_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """``ex:bob2`` shares the owner's mailbox: the owner is waiving his own control."""
    repo.write_text("controls/aliases.ttl", PREFIXES + (
        'ex:bob2 a rai:Person ;\n    foaf:name "Bob" ;\n    foaf:mbox <mailto:bob@example.org> ;\n'
        "    rai:hasRole ex:RAILead .\n"))
    repo.add_waiver("ctrl1-waiver", approved_by="bob2")
    assert status_of(cli, repo) == "missing"


def test_waiver_role_granted_from_an_evidence_folder_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """Carol grants herself DPO beside the waiver and approves it in that role: it does not count."""
    repo.write_text(f"{SYSTEM_DIR}/notes.ttl", PREFIXES + "ex:carol rai:hasRole ex:DPO .\n")
    repo.add_waiver("ctrl1-waiver", approved_by="carol", in_role="DPO")
    assert status_of(cli, repo) == "missing"


def test_waiver_expiring_before_its_approval_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """A waiver whose rai:expires precedes its approval date is never in force."""
    repo.add_waiver("ctrl1-waiver", ended="2026-05-01", expires="2026-04-01")
    assert status_of(cli, repo, as_of="2026-04-15") == "missing"


def test_waiver_without_expiry_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """A waiver without rai:expires is not open-ended: it does not count (and is a shape error)."""
    waiver = repo.add_waiver("ctrl1-waiver", omit=("rai:expires",))
    assert status_of(cli, repo) == "missing"
    assert (waiver.path, waiver.line) in {(e["file"], e["line"])
                                          for e in cli.check(repo, expect_crash_free=True).errors_of("shape")}


def test_waiver_from_29_february_past_one_year_does_not_count(cli: Cli, repo: GovernanceRepo) -> None:
    """Approved on 29 February 2028, a waiver may run to 28 February 2029; 1 March is too long."""
    repo.add_waiver("ctrl1-waiver", ended="2028-02-29", expires="2029-03-01")
    assert status_of(cli, repo, as_of="2028-06-01") == "missing"


def test_new_waiver_refuses_the_owner_and_more_than_a_year(repo: GovernanceRepo) -> None:
    """``new waiver`` writes neither a waiver by the system owner nor one longer than a year."""
    repo.write_text("rai-graph.toml", 'base_iri = "https://example.org/acme/"\n')
    common = ["new", "waiver", "--repo", str(repo.root), "--system", DEFAULT_SYSTEM, "--control", "TC-01",
              "--rationale", "Manual review until the next release.", "--date", "2026-03-01"]
    by_owner = CliRunner().invoke(main, [*common, "--approved-by", "bob", "--role", "ModelOwner"])
    assert by_owner.exit_code == 2
    assert "owns the system" in by_owner.output
    too_long = CliRunner().invoke(main, [*common, "--approved-by", "alice", "--role", "RAILead",
                                         "--expires", "2027-03-02"])
    assert too_long.exit_code == 2
    assert "at most one year" in too_long.output
    assert not list((repo.root / SYSTEM_DIR).glob("waiver-*.ttl"))
