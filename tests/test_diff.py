"""`rai-graph diff` across real commits, git provenance and hash- or commit-bound approvals."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rai_graph.cli import main
from rai_graph.pipeline import run
from rai_graph.provenance import read_provenance
from rai_graph.render.diff import COMMENT_MARKER

from git_helpers import commit_all, init
from repo_builder import DEFAULT_SYSTEM, GovernanceRepo, ex, sha256_hex

AS_OF = "2026-06-01"


@pytest.fixture
def repo(tmp_path: Path) -> GovernanceRepo:
    governance = GovernanceRepo(tmp_path / "governance").with_base()
    governance.add_system()
    init(governance.root)
    commit_all(governance.root, "base: a high-risk system with no evidence")
    return governance


def _diff(root: Path, *revisions: str, output_format: str = "json") -> dict[str, object] | str:
    result = CliRunner().invoke(
        main, ["diff", *revisions, "--repo", str(root), "--as-of", AS_OF, "--format", output_format],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if output_format == "json" else result.output


def _change(document: object, control: str = "CTRL-1") -> tuple[object, object]:
    assert isinstance(document, dict)
    changes = [c for c in document["changes"] if c["control"] == ex(control)]
    assert len(changes) == 1, document["changes"]
    return changes[0]["before"], changes[0]["after"]


def test_adding_evidence_then_approving_it(repo: GovernanceRepo) -> None:
    """missing → unapproved when evidence arrives, unapproved → met when it is approved."""
    repo.add_evidence("risk")
    added = commit_all(repo.root, "add risk assessment")
    assert _change(_diff(repo.root, "HEAD~1", added)) == ("missing", "unapproved")
    repo.add_approval("risk-approval", "risk")
    approved = commit_all(repo.root, "approve it", email="alice@example.org")
    document = _diff(repo.root, added, approved)
    assert _change(document) == ("unapproved", "met")
    assert isinstance(document, dict)
    assert document["base"] == added
    assert document["head"] == approved
    assert {"system": ex("CreditScoring"), "requirement": "https://w3id.org/rai-graph/framework/test-fw/R1",
            "before": "not", "after": "covered", "notation": "TF 1",
            "system_name": DEFAULT_SYSTEM} in document["requirements"]


def test_breaking_an_artefact_in_the_working_tree(repo: GovernanceRepo) -> None:
    """HEAD defaults to the working tree: an edited artefact is a regression and a new error."""
    repo.add_approved_evidence("risk")
    commit_all(repo.root, "approved risk assessment")
    (repo.root / f"evidence/{DEFAULT_SYSTEM}/risk.md").write_text("tampered\n", encoding="utf-8")
    document = _diff(repo.root, "HEAD")
    assert _change(document) == ("met", "invalid")
    assert isinstance(document, dict)
    assert document["head"] == "worktree"
    assert [e["kind"] for e in document["errors_added"]] == ["artifact"]
    assert document["errors_removed"] == []


def test_expiring_evidence(repo: GovernanceRepo) -> None:
    """Replacing evidence by an older record turns met into expired."""
    repo.add_approved_evidence("risk")
    first = commit_all(repo.root, "fresh")
    (repo.root / f"evidence/{DEFAULT_SYSTEM}/risk.ttl").unlink()
    repo.add_evidence("risk", generated="2024-01-01")
    second = commit_all(repo.root, "old evidence")
    assert _change(_diff(repo.root, first, second)) == ("met", "expired")


def test_markdown_comment_has_marker_and_regressions_first(repo: GovernanceRepo) -> None:
    """The PR comment starts with the hidden marker and lists regressions before improvements."""
    repo.add_approved_evidence("risk")
    commit_all(repo.root, "approved")
    (repo.root / f"evidence/{DEFAULT_SYSTEM}/risk.md").write_text("tampered\n", encoding="utf-8")
    markdown = _diff(repo.root, "HEAD", output_format="markdown")
    assert isinstance(markdown, str)
    assert markdown.startswith(COMMENT_MARKER)
    assert "1 regression" in markdown
    assert "#### Regressions (1)" in markdown
    assert "| met | **invalid** |" in markdown


def test_unknown_revision_is_a_usage_error(repo: GovernanceRepo) -> None:
    """A revision git does not know exits 2 with a one-line message."""
    result = CliRunner().invoke(main, ["diff", "no-such-rev", "--repo", str(repo.root)])
    assert result.exit_code == 2
    assert "unknown git revision 'no-such-rev'" in result.output
    assert "Traceback" not in result.output


def test_provenance_records_first_and_last_commit(repo: GovernanceRepo) -> None:
    """Each file knows the commit that added it and the last that changed it, with the author."""
    repo.add_evidence("risk")
    added = commit_all(repo.root, "add", email="bob@example.org")
    repo.add_approval("risk-approval", "risk")
    (repo.root / f"evidence/{DEFAULT_SYSTEM}/risk.md").write_text("v2\n", encoding="utf-8")
    changed = commit_all(repo.root, "change", email="alice@example.org", name="Alice")
    provenance = read_provenance(repo.root)
    artefact = provenance.of(f"evidence/{DEFAULT_SYSTEM}/risk.md")
    assert artefact is not None
    assert (artefact.added.sha, artefact.last_changed.sha) == (added, changed)
    assert artefact.last_changed.email == "alice@example.org"
    assert artefact.last_changed.author == "Alice"
    assert provenance.of("no/such/file") is None


def _status(root: Path) -> tuple[str, str]:
    result = run(root, dt.date.fromisoformat(AS_OF))
    pair = result.assessment.systems[0].pairs[0]
    return pair.status, pair.reason


def test_hash_bound_approval_lapses_when_the_artefact_changes(repo: GovernanceRepo) -> None:
    """An approval carrying rai:sha256 stops counting once the artefact (and record) change."""
    original = b"# Risk assessment v1\n"
    repo.add_evidence("risk", artifact_bytes=original)
    repo.add_approval("risk-approval", "risk",
                      extra=[("rai:sha256", f'"{sha256_hex(original)}"')])
    assert _status(repo.root)[0] == "met"
    changed = b"# Risk assessment v2, not yet reviewed\n"
    (repo.root / f"evidence/{DEFAULT_SYSTEM}/risk.md").write_bytes(changed)
    record = repo.root / f"evidence/{DEFAULT_SYSTEM}/risk.ttl"
    record.write_text(record.read_text("utf-8").replace(sha256_hex(original), sha256_hex(changed)),
                      encoding="utf-8")
    status, reason = _status(repo.root)
    assert status == "unapproved"
    assert "has changed since" in reason


def test_strict_approvals_need_the_approver_as_commit_author(repo: GovernanceRepo) -> None:
    """In strict mode an approval committed by someone else than the approver does not count."""
    repo.write_text("rai-graph.toml", 'approval_strictness = "author"\n')
    repo.add_approved_evidence("risk")
    commit_all(repo.root, "forged approval", email="bob@example.org")
    status, reason = _status(repo.root)
    assert status == "unapproved"
    assert "written by bob@example.org" in reason


def test_strict_approvals_count_when_committed_by_the_approver(repo: GovernanceRepo) -> None:
    """The same approval committed by the approver's own e-mail counts."""
    repo.write_text("rai-graph.toml", 'approval_strictness = "author"\n')
    repo.add_evidence("risk")
    commit_all(repo.root, "evidence", email="bob@example.org")
    repo.add_approval("risk-approval", "risk")
    commit_all(repo.root, "approval", email="alice@example.org")
    assert _status(repo.root)[0] == "met"


def test_strict_signature_mode_refuses_unsigned_commits(repo: GovernanceRepo) -> None:
    """With signature strictness an unsigned approval commit does not count."""
    repo.write_text("rai-graph.toml", 'approval_strictness = "signature"\n')
    repo.add_evidence("risk")
    repo.add_approval("risk-approval", "risk")
    commit_all(repo.root, "unsigned", email="alice@example.org")
    status, reason = _status(repo.root)
    assert status == "unapproved"
    assert "no verifiable signature" in reason


def test_commit_date_freshness_fallback(repo: GovernanceRepo) -> None:
    """With the setting, a record without a date is dated by its last commit (and is no error)."""
    repo.write_text("rai-graph.toml", "freshness_from_commit_date = true\n")
    repo.add_approved_evidence("risk", omit=["prov:generatedAtTime"])
    commit_all(repo.root, "undated evidence")
    result = run(repo.root, dt.date.fromisoformat(AS_OF))
    assert result.assessment.systems[0].pairs[0].status == "met"
    assert not [e for e in result.validation.errors if "generatedAtTime" in e.message]
