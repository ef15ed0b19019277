"""`init` → `new` → `check`, as a new user runs them, in a real git repository."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from rai_graph.cli import main

from git_helpers import commit_all, git, init

LEAD = "ada@acme.example"


def _invoke(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    runner = CliRunner()
    result = runner.invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    """A repository made by `rai-graph init`, committed, with git configured as the lead."""
    root = tmp_path / "acme"
    code, output = _invoke("init", str(root), "--organisation", "Acme Insurance",
                           "--lead-name", "Ada Lovelace", "--lead-email", LEAD)
    assert code == 0, output
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "config", "user.email", LEAD)
    git(root, "config", "user.name", "Ada Lovelace")
    return root


def _check(root: Path) -> dict[str, object]:
    result = CliRunner().invoke(main, ["check", "--repo", str(root), "--format", "json",
                                       "--fail-on", "none"], catch_exceptions=False)
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document


def test_init_passes_check_at_once(acme: Path) -> None:
    """A fresh repository has no input errors: only evidence is missing."""
    code, output = _invoke("check", "--repo", str(acme), "--fail-on", "errors")
    assert code == 0, output
    assert "0 input error(s)" in output
    for expected in ("frameworks/eu-ai-act.ttl", "controls/roles.ttl", "controls/people.ttl",
                     ".github/workflows/rai-graph.yml", ".pre-commit-config.yaml", "README.md",
                     "frameworks/sources/eu-ai-act/SOURCE.md"):
        assert (acme / expected).is_file(), expected
    assert "Northwind" not in (acme / "controls/governance.ttl").read_text(encoding="utf-8")
    assert "https://example.org/acme-insurance/" in (acme / "controls/roles.ttl").read_text(encoding="utf-8")


def test_init_gives_the_repository_the_permissions_mkdir_would(tmp_path: Path) -> None:
    """Not the private 0700 of its staging folder: a team shares the checkout."""
    previous = os.umask(0o022)
    try:
        code, output = _invoke("init", str(tmp_path / "shared"), "--organisation", "Acme Insurance",
                               "--lead-name", "Ada Lovelace", "--lead-email", LEAD)
    finally:
        os.umask(previous)
    assert code == 0, output
    assert stat.S_IMODE((tmp_path / "shared").stat().st_mode) == 0o755


def test_init_refuses_a_folder_with_content(tmp_path: Path) -> None:
    """`init` never writes into a non-empty folder without --force."""
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "busy")])
    assert result.exit_code == 2
    assert "is not empty" in result.output
    assert sorted(p.name for p in (tmp_path / "busy").iterdir()) == ["notes.txt"]


@pytest.mark.slow
def test_new_system_evidence_approval_make_a_control_met(acme: Path) -> None:
    """A user adds a system, files a risk assessment, has it approved: RAI-RISK-01 is met."""
    code, output = _invoke("new", "system", "--repo", str(acme), "--id", "claims-triage",
                           "--title", "Claims triage", "--tier", "HighRisk", "--role", "Provider",
                           "--purpose", "Prioritise insurance claims for human handlers.",
                           "--annex-iii", "AnnexIII-5-c", "--lifecycle", "Production")
    assert code == 0, output
    assert output == "wrote evidence/claims-triage/system.ttl\n"
    artefact = acme / "evidence/claims-triage/risk-assessment.md"
    artefact.write_text("# Risk assessment\n\nRisks identified and mitigated.\n", encoding="utf-8")
    code, output = _invoke("new", "evidence", "--repo", str(acme), "--system", "claims-triage",
                           "--control", "RAI-RISK-01", "--artifact", str(artefact),
                           "--date", "2026-11-20", "--id", "risk-assessment-2026")
    assert code == 0, output
    record = (acme / "evidence/claims-triage/risk-assessment-2026.ttl").read_text(encoding="utf-8")
    assert 'rai:artifact "risk-assessment.md"' in record
    people = acme / "controls/people.ttl"
    people.write_text(people.read_text(encoding="utf-8") + (
        "\nex:grace a rai:Person ;\n    foaf:name \"Grace Hopper\" ;\n"
        "    foaf:mbox <mailto:grace@acme.example> ;\n    rai:hasRole ex:ModelRiskValidator .\n"),
        encoding="utf-8")
    code, output = _invoke("new", "approval", "--repo", str(acme), "--evidence",
                           "claims-triage-risk-assessment-2026", "--by", "grace@acme.example",
                           "--date", "2026-11-21")
    assert code == 0, output
    # init makes approvals strict: the approval counts once the approver has committed it.
    assert 'approval_strictness = "author"' in (acme / "rai-graph.toml").read_text(encoding="utf-8")
    pending = _check(acme)
    waiting = next(f for f in pending["findings"]  # type: ignore[attr-defined]
                   if (f["system_name"], f["notation"]) == ("claims-triage", "RAI-RISK-01"))
    assert waiting["status"] == "unapproved", waiting
    assert "not committed" in json.dumps(waiting), waiting
    init(acme)
    commit_all(acme, "Risk assessment of claims triage, approved", email="grace@acme.example", name="Grace")
    document = _check(acme)
    statuses = {(f["system_name"], f["notation"]): f["status"] for f in document["findings"]}
    assert ("claims-triage", "RAI-RISK-01") not in statuses
    assert document["errors"] == []
    status = CliRunner().invoke(main, ["status", "--repo", str(acme), "--format", "json",
                                       "--system", "claims-triage"], catch_exceptions=False)
    controls = json.loads(status.stdout)["systems"][0]["controls"]
    assert next(c for c in controls if c["notation"] == "RAI-RISK-01")["status"] == "met"


@pytest.mark.slow
def test_new_never_overwrites_and_explains_mistakes(acme: Path) -> None:
    """An existing file is kept; an unknown control or a bad tier is a one-line error, nothing written."""
    args = ["new", "system", "--repo", str(acme), "--id", "bot", "--title", "Bot",
            "--tier", "LimitedRisk", "--purpose", "Answer questions."]
    assert _invoke(*args)[0] == 0
    before = (acme / "evidence/bot/system.ttl").read_bytes()
    code, output = _invoke(*args[:-1], "Something else.")
    assert code == 2
    assert "evidence/bot/system.ttl exists; use --force to overwrite it" in output
    assert (acme / "evidence/bot/system.ttl").read_bytes() == before
    code, output = _invoke("new", "evidence", "--repo", str(acme), "--system", "bot",
                           "--control", "RAI-NOPE-99")
    assert code == 2
    assert "no control 'RAI-NOPE-99'" in output
    code, output = _invoke(*args[:5], "bot2", "--title", "Bot", "--tier", "Galactic", "--purpose", "x")
    assert code == 2
    assert "unknown tier 'Galactic'" in output
    assert not (acme / "evidence/bot2").exists()


@pytest.mark.slow
def test_waiver_by_the_system_owner_is_refused(acme: Path) -> None:
    """The owner of a system cannot waive its controls; a waiver past one year is refused."""
    code, output = _invoke("new", "system", "--repo", str(acme), "--id", "bot", "--title", "Bot",
                           "--tier", "HighRisk", "--purpose", "x")
    assert code == 2, "the organisation shape requires an Annex III area for high-risk systems"
    assert "must name at least one rai:annexIIIArea" in output
    assert _invoke("new", "system", "--repo", str(acme), "--id", "bot", "--title", "Bot", "--tier",
                   "HighRisk", "--purpose", "x", "--annex-iii", "AnnexIII-4-a")[0] == 0
    code, output = _invoke("new", "waiver", "--repo", str(acme), "--system", "bot",
                           "--control", "RAI-RISK-01", "--rationale", "later", "--role", "RAILead")
    assert code == 2
    assert "owns the system and may not waive its controls" in output
    people = acme / "controls/people.ttl"
    people.write_text(people.read_text(encoding="utf-8") + (
        '\nex:grace a rai:Person ;\n    foaf:name "Grace Hopper" ;\n'
        "    foaf:mbox <mailto:grace@acme.example> ;\n    rai:hasRole ex:RAILead .\n"), encoding="utf-8")
    code, output = _invoke("new", "waiver", "--repo", str(acme), "--system", "bot", "--control",
                           "RAI-RISK-01", "--rationale", "later", "--role", "RAILead",
                           "--approved-by", "grace", "--date", "2026-01-01", "--expires", "2027-06-01")
    assert code == 2
    assert "at most one year" in output
    code, output = _invoke("new", "waiver", "--repo", str(acme), "--system", "bot", "--control",
                           "RAI-RISK-01", "--rationale", "Vendor fix due in Q1.", "--role", "RAILead",
                           "--approved-by", "grace", "--date", "2026-11-01")
    assert code == 0, output
    assert output == "wrote evidence/bot/waiver-rai-risk-01.ttl\n"
