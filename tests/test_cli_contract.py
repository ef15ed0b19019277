"""The command-line contract of cli.md: JSON keys, exit codes, usage errors, formats, --system."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from repo_builder import PREFIXES, GovernanceRepo, ex

if TYPE_CHECKING:
    from conftest import Cli, Outcome

# cli.md fixes --fail-on for check only; whether status exits 1 on gaps is left open, but it is
# never a usage error or a crash.
STATUS_EXITS = (0, 1)


def assert_usage_error(outcome: Outcome, offending: str) -> None:
    """Exit 2, no traceback, and exactly one printed line names the offending value."""
    assert outcome.exit_code == 2, outcome.output
    naming = [line for line in outcome.output.splitlines() if offending in line]
    assert len(naming) == 1, outcome.output


@pytest.fixture
def two_systems(repo: GovernanceRepo) -> GovernanceRepo:
    """credit-scoring (CTRL-1 met) and fraud-detection (CTRL-1 missing)."""
    repo.add_approved_evidence("risk-assessment")
    repo.add_system("fraud-detection", "FraudDetection", title="Fraud detection engine")
    return repo


# --- check --format json ------------------------------------------------------------------------


def test_check_json_has_the_documented_keys(cli: Cli, repo: GovernanceRepo) -> None:
    """check JSON holds as_of, conforms, errors[] and findings[] with the documented keys."""
    repo.write_text("evidence/credit-scoring/broken.ttl", PREFIXES + "ex:x ex:y .\n")
    check = cli.check(repo)
    assert check.exit_code == 1
    data = check.data
    assert {"as_of", "conforms", "errors", "findings"} <= data.keys()
    assert data["as_of"] == "2026-06-01"
    assert data["conforms"] is False
    assert len(data["errors"]) == 1
    assert {"file", "line", "message", "kind"} <= data["errors"][0].keys()
    assert data["errors"][0]["file"] == "evidence/credit-scoring/broken.ttl"
    assert data["errors"][0]["line"] == PREFIXES.count("\n") + 1
    [finding] = data["findings"]
    assert {"system", "control", "status", "message", "file"} <= finding.keys()
    assert (finding["system"], finding["control"], finding["status"]) == (
        ex("CreditScoring"),
        ex("CTRL-1"),
        "missing",
    )


def test_clean_repository_conforms(cli: Cli, repo: GovernanceRepo) -> None:
    """With every applicable control met and no input error, check conforms and exits 0."""
    repo.add_approved_evidence("risk-assessment")
    check = cli.check(repo)
    assert check.exit_code == 0, check.output
    assert check.data["conforms"] is True
    assert check.data["errors"] == []
    assert check.data["findings"] == []


def _make_clean(repo: GovernanceRepo) -> None:
    repo.add_approved_evidence("risk-assessment")


def _make_gap(repo: GovernanceRepo) -> None:
    del repo  # CTRL-1 stays missing


def _make_error(repo: GovernanceRepo) -> None:
    repo.add_approved_evidence("risk-assessment")
    repo.write_text("controls/broken.ttl", PREFIXES + "ex:broken ex:p ] .\n")


SCENARIOS = {"clean": _make_clean, "gap": _make_gap, "error": _make_error}


@pytest.mark.parametrize(
    ("scenario", "fail_on", "expected_exit"),
    [
        ("clean", "gaps", 0),
        ("clean", "errors", 0),
        ("clean", "none", 0),
        ("gap", "gaps", 1),
        ("gap", "errors", 0),
        ("gap", "none", 0),
        ("error", "gaps", 1),
        ("error", "errors", 1),
        ("error", "none", 0),
    ],
)
def test_fail_on_modes(
    cli: Cli, repo: GovernanceRepo, scenario: str, fail_on: str, expected_exit: int
) -> None:
    """--fail-on gaps fails on findings or errors, errors only on errors, none never."""
    SCENARIOS[scenario](repo)
    check = cli.check(repo, "--fail-on", fail_on)
    assert check.exit_code == expected_exit, check.output
    assert check.data["conforms"] is (scenario == "clean")
    assert bool(check.data["findings"]) is (scenario == "gap")
    assert bool(check.data["errors"]) is (scenario == "error")


@pytest.mark.parametrize("scenario", ["clean", "gap", "error"])
def test_fail_on_defaults_to_gaps(cli: Cli, repo: GovernanceRepo, scenario: str) -> None:
    """Without --fail-on, check exits as with --fail-on gaps."""
    SCENARIOS[scenario](repo)
    default = cli.check(repo)
    explicit = cli.check(repo, "--fail-on", "gaps")
    assert default.exit_code == explicit.exit_code == (0 if scenario == "clean" else 1)
    assert default.data == explicit.data


def test_check_text_format_names_the_gap(cli: Cli, repo: GovernanceRepo) -> None:
    """check --format text exits like JSON and mentions the failing control."""
    text = cli.check(repo, fmt="text")
    assert text.exit_code == 1
    assert "TC-01" in text.output or "CTRL-1" in text.output


# --- usage errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "status"])
@pytest.mark.parametrize("bad_date", ["2026-13-01", "tomorrow", "01/06/2026"])
def test_bad_as_of_is_a_usage_error(cli: Cli, repo: GovernanceRepo, command: str, bad_date: str) -> None:
    """An --as-of that is not a YYYY-MM-DD date exits 2 naming it, without a traceback."""
    run = cli.check if command == "check" else cli.status
    outcome = run(repo, as_of=bad_date, expect_crash_free=True)
    assert_usage_error(outcome, bad_date)


@pytest.mark.parametrize(
    ("command", "flags", "offending"),
    [
        ("check", ["--format", "yaml"], "yaml"),
        ("check", ["--fail-on", "sometimes"], "sometimes"),
        ("check", ["--no-such-flag"], "--no-such-flag"),
        ("status", ["--format", "sarif-ish"], "sarif-ish"),
    ],
)
def test_bad_flag_is_a_usage_error(
    cli: Cli, repo: GovernanceRepo, command: str, flags: list[str], offending: str
) -> None:
    """An unknown flag or flag value exits 2 naming it."""
    args = [command, "--repo", str(repo.root), "--as-of", "2026-06-01", *flags]
    assert_usage_error(cli.invoke(args, expect_crash_free=True), offending)


@pytest.mark.parametrize("command", ["check", "status"])
def test_directory_without_governance_folders_is_a_usage_error(
    cli: Cli, tmp_path: Path, command: str
) -> None:
    """A --repo with none of frameworks/, controls/, evidence/ exits 2 with a one-line message."""
    not_a_repo = tmp_path / "holiday-photos"
    (not_a_repo / "2025").mkdir(parents=True)
    (not_a_repo / "notes.ttl").write_text(PREFIXES, encoding="utf-8")
    run = cli.check if command == "check" else cli.status
    outcome = run(not_a_repo, expect_crash_free=True)
    assert_usage_error(outcome, "holiday-photos")


def test_missing_repo_directory_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    """A --repo that does not exist exits 2 naming it."""
    outcome = cli.check(tmp_path / "no-such-repo", expect_crash_free=True)
    assert_usage_error(outcome, "no-such-repo")


def test_one_governance_folder_is_enough(cli: Cli, tmp_path: Path) -> None:
    """A directory with only an empty controls/ is a (trivially conforming) governance repository."""
    (tmp_path / "repo" / "controls").mkdir(parents=True)
    check = cli.check(tmp_path / "repo")
    assert check.exit_code == 0, check.output
    assert check.data["conforms"] is True
    status = cli.status(tmp_path / "repo")
    assert status.exit_code == 0
    assert status.data["systems"] == []


@pytest.mark.parametrize("command", ["check", "status"])
def test_unknown_system_is_a_usage_error(cli: Cli, repo: GovernanceRepo, command: str) -> None:
    """--system naming no system exits 2 and names the unknown id."""
    run = cli.check if command == "check" else cli.status
    outcome = run(repo, "--system", "no-such-system", expect_crash_free=True)
    assert_usage_error(outcome, "no-such-system")


# --- status ---------------------------------------------------------------------------------------


def test_status_json_has_the_documented_keys(cli: Cli, two_systems: GovernanceRepo) -> None:
    """status JSON holds as_of, systems[], organisation.controls[] and errors[] as documented."""
    status = cli.status(two_systems)
    assert status.exit_code in STATUS_EXITS, status.output
    data = status.data
    assert {"as_of", "systems", "organisation", "errors"} <= data.keys()
    assert data["as_of"] == "2026-06-01"
    assert data["errors"] == []
    assert data["organisation"]["controls"] == []
    assert sorted(s["name"] for s in data["systems"]) == ["credit-scoring", "fraud-detection"]
    for system in data["systems"]:
        assert {"id", "name", "title", "tier", "readiness", "controls", "requirements"} <= (system.keys())
        assert isinstance(system["readiness"], float)
        for control in system["controls"]:
            assert {"control", "notation", "status", "evidence"} <= control.keys()
        for requirement in system["requirements"]:
            assert {"requirement", "notation", "covered", "unmapped"} <= requirement.keys()
    assert status.system("credit-scoring")["readiness"] == 1.0
    assert status.system("fraud-detection")["readiness"] == 0.0


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_status_human_formats_name_each_system(cli: Cli, two_systems: GovernanceRepo, fmt: str) -> None:
    """status text and markdown are non-empty and name every system."""
    outcome = cli.status(two_systems, fmt=fmt)
    assert outcome.exit_code in STATUS_EXITS, outcome.output
    assert outcome.output.strip()
    for name, title in (
        ("credit-scoring", "Credit scoring model"),
        ("fraud-detection", "Fraud detection engine"),
    ):
        assert name in outcome.output or title in outcome.output, outcome.output


@pytest.mark.parametrize(
    "selector",
    [
        pytest.param("fraud-detection", id="folder-name"),
        pytest.param("FraudDetection", id="local-name"),
        pytest.param(ex("FraudDetection"), id="full-iri"),
    ],
)
def test_status_system_filter(cli: Cli, two_systems: GovernanceRepo, selector: str) -> None:
    """--system selects a system by folder name, local name or full IRI."""
    status = cli.status(two_systems, "--system", selector)
    assert status.exit_code in STATUS_EXITS, status.output
    assert [s["id"] for s in status.data["systems"]] == [ex("FraudDetection")]


def test_status_system_filter_is_repeatable(cli: Cli, two_systems: GovernanceRepo) -> None:
    """Several --system options select the union."""
    two_systems.add_system("chatbot", "Chatbot", title="Support chatbot")
    status = cli.status(two_systems, "--system", "chatbot", "--system", "CreditScoring")
    assert status.exit_code in STATUS_EXITS, status.output
    assert sorted(s["name"] for s in status.data["systems"]) == ["chatbot", "credit-scoring"]


def test_check_system_filter_limits_findings(cli: Cli, two_systems: GovernanceRepo) -> None:
    """check --system only judges the selected systems."""
    met_only = cli.check(two_systems, "--system", "credit-scoring")
    assert met_only.exit_code == 0, met_only.output
    assert met_only.data["findings"] == []
    gap_only = cli.check(two_systems, "--system", "fraud-detection")
    assert gap_only.exit_code == 1
    assert [(f["system"], f["status"]) for f in gap_only.data["findings"]] == [
        (ex("FraudDetection"), "missing")
    ]


def test_help_lists_check_and_status(cli: Cli) -> None:
    """The command group documents its commands."""
    outcome = cli.invoke(["--help"])
    assert outcome.exit_code == 0
    assert "check" in outcome.output
    assert "status" in outcome.output
