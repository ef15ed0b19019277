"""No single contributor can crash every run (issue #15, property 6).

Each threat is a value or a file one contributor can commit: a date at either end of the calendar
in any date field, an absurd duration, a file name holding a line break, ``::``, Markdown or bytes
that are not UTF-8, a lone surrogate in a literal, a git submodule (in the working tree and in a
committed tree). Each must be an input error naming the file (and the line, where the file could
be read), never a traceback; every other file is still judged (the bystander system's control is
met); and no output gets a line or a structure the name or value injected.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostile.cases import BYSTANDER, VICTIM, VICTIM_DIR, standard_repo
from hostile.harness import assert_only_our_workflow_commands, invoke
from rai_graph.load.repository import load_repository
from rai_graph.load.trees import GitTree, WorkTree, name_problem, printable
from rai_graph.model import DATE_RANGE, MAX_AGE_YEARS

from git_helpers import commit_all, git, init
from repo_builder import PREFIXES, GovernanceRepo, date, ex

AS_OF = "2026-06-01"
EXTREME_DAYS = ("9999-12-31", "0001-01-01", "1899-12-31", "9001-01-01")
"""Both ends of the calendar and the first days outside the range judged."""


def _judge(root: Path, *extra: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``check`` and ``status`` as JSON: no traceback, exit 1 (input errors) and 0."""
    check = invoke(["check", "--repo", str(root), "--as-of", AS_OF, "--format", "json", *extra])
    status = invoke(["status", "--repo", str(root), "--as-of", AS_OF, "--format", "json", *extra])
    check.assert_clean_exit((1,))
    status.assert_clean_exit((0,))
    return check.json(), status.json()


def _status_of(status: dict[str, Any], system: str) -> str | None:
    for entry in status["systems"]:
        if entry["name"] == system:
            for control in entry["controls"]:
                if control["control"] == ex("CTRL-1"):
                    return str(control["status"])
    return None


def _assert_only_errors_in(report: dict[str, Any], *files: str) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = report["errors"]
    assert errors, "the threat must be reported"
    strays = [e for e in errors if e["file"] not in files]
    assert not strays, f"errors outside {files}: {strays}"
    return errors


# --- extreme dates and durations -------------------------------------------------------------


def _evidence_generated(repo: GovernanceRepo, day: str) -> tuple[str, int]:
    record = repo.add_approved_evidence("risk", generated=day)
    return record.path, record.line


def _evidence_generated_as_datetime(repo: GovernanceRepo, day: str) -> tuple[str, int]:
    record = repo.add_approved_evidence("risk", omit=("prov:generatedAtTime",), extra=(
        ("prov:generatedAtTime", f'"{day}T23:59:59+14:00"^^xsd:dateTime'),))
    return record.path, record.line


def _evidence_valid_until(repo: GovernanceRepo, day: str) -> tuple[str, int]:
    record = repo.add_approved_evidence("risk", valid_until=day)
    return record.path, record.line


def _approval_ended(repo: GovernanceRepo, day: str) -> tuple[str, int]:
    repo.add_evidence("risk")
    record = repo.add_approval("risk-approval", "risk", ended=day)
    return record.path, record.line


def _approval_expires(repo: GovernanceRepo, day: str) -> tuple[str, int]:
    repo.add_evidence("risk")
    record = repo.add_approval("risk-approval", "risk", expires=day)
    return record.path, record.line


def _waiver_expires(repo: GovernanceRepo, day: str) -> tuple[str, int]:
    record = repo.add_waiver("waiver", expires=day)
    return record.path, record.line


def _waiver_approved(repo: GovernanceRepo, day: str) -> tuple[str, int]:
    record = repo.add_waiver("waiver", ended=day)
    return record.path, record.line


def _finding_due(repo: GovernanceRepo, day: str) -> tuple[str, int]:
    record = repo.append_block(f"{VICTIM_DIR}/finding.ttl", "ex:finding", (
        "ex:finding a rai:Finding ;\n"
        '    dcterms:title "Drift not monitored" ;\n'
        "    rai:forSystem ex:CreditScoring ;\n"
        "    rai:severity rai:High ;\n"
        f"    dcterms:created {date('2026-01-10')} ;\n"
        f"    rai:dueDate {date(day)} .\n"))
    return record.path, record.line


def _system_placed_on_market(repo: GovernanceRepo, day: str) -> tuple[str, int]:
    system = f"{VICTIM_DIR}/system.ttl"
    path = repo.root / system
    path.write_text(path.read_text().rstrip()[:-1] + f";\n    rai:placedOnMarket {date(day)} .\n")
    return system, repo.line_of(system, "ex:CreditScoring a")


DATE_FIELDS = {
    "evidence-generatedAtTime": _evidence_generated,
    "evidence-generatedAtTime-dateTime": _evidence_generated_as_datetime,
    "evidence-validUntil": _evidence_valid_until,
    "approval-endedAtTime": _approval_ended,
    "approval-expires": _approval_expires,
    "waiver-expires": _waiver_expires,
    "waiver-endedAtTime": _waiver_approved,
    "finding-dueDate": _finding_due,
    "system-placedOnMarket": _system_placed_on_market,
}


@pytest.mark.parametrize("day", EXTREME_DAYS)
@pytest.mark.parametrize("field", list(DATE_FIELDS))
def test_a_date_outside_the_calendar_judged_is_an_input_error(field: str, day: str, tmp_path: Path) -> None:
    """A date at either end of the calendar (year 9999, year 1) in any date field overflowed the
    date arithmetic of the whole run (an evidence age, a waiver's year): now it is an input error
    at its record's line, the date is ignored, and the other system is judged as usual."""
    repo = standard_repo(tmp_path / "repo")
    file, line = DATE_FIELDS[field](repo, day)
    check, status = _judge(repo.root)
    errors = _assert_only_errors_in(check, file)
    shown = day if "dateTime" not in field else f"{day}T23:59:59+14:00"
    assert any(e["line"] == line and shown in e["message"] and "outside" in e["message"] for e in errors), errors
    assert _status_of(status, BYSTANDER) == "met"
    assert status["errors"] == check["errors"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "9001-01-01"])
@pytest.mark.parametrize("command", [["check"], ["status"], ["report", "--framework", "test-fw"], ["kpis"]])
def test_as_of_outside_the_calendar_judged_is_a_usage_error(command: list[str], day: str, tmp_path: Path) -> None:
    """``--as-of 9999-12-31`` (a look-ahead or an evidence age added to it overflows) is refused
    with a message and exit 2, never a traceback."""
    repo = standard_repo(tmp_path / "repo")
    run = invoke([*command, "--repo", str(repo.root), "--as-of", day])
    run.assert_clean_exit((2,))
    assert "outside the dates rai-graph judges" in run.output


def test_the_range_judged_leaves_room_for_every_addition() -> None:
    """The last day judged plus the longest age read stays inside Python's calendar (the bound
    that makes the refusals above sufficient)."""
    assert DATE_RANGE[1].year + MAX_AGE_YEARS + 1 < 9999
    assert DATE_RANGE[0].year - MAX_AGE_YEARS - 1 > 1


@pytest.mark.parametrize("age", ["P99999999Y", "P99999999D", "-P99999999Y", "P101Y", "P1201M"])
def test_a_huge_evidence_age_is_an_input_error(age: str, tmp_path: Path) -> None:
    """``rai:maxEvidenceAge P99999999Y`` on a control overflowed every system's judgement: now it
    is an input error at the control's line, and every system is still judged."""
    repo = GovernanceRepo(tmp_path / "repo").with_base()
    repo.add_system()
    repo.add_system(BYSTANDER, "Bystander", title="Bystander system")
    repo.add_approved_evidence("bystander-risk", system=BYSTANDER)
    control = repo.add_control("CTRL-2", "TC-02", evidence_type="RiskAssessment", max_age=age)
    repo.add_approved_evidence("risk", implements=("CTRL-1", "CTRL-2"), generated="2026-01-15")
    check, status = _judge(repo.root)
    errors = _assert_only_errors_in(check, control.path)
    assert any(e["line"] == control.line and "rai:maxEvidenceAge" in e["message"]
               and "longer than" in e["message"] for e in errors), errors
    assert _status_of(status, BYSTANDER) == "met"
    assert _status_of(status, VICTIM) == "met"


def test_a_hundred_year_evidence_age_is_still_read(tmp_path: Path) -> None:
    """The limit is not a new rule for ordinary ages: P100Y is read and judged."""
    repo = standard_repo(tmp_path / "repo")
    repo.add_control("CTRL-2", "TC-02", evidence_type="RiskAssessment", max_age="P100Y")
    check = invoke(["check", "--repo", str(repo.root), "--as-of", AS_OF, "--format", "json"])
    check.assert_clean_exit((1,))
    assert check.json()["errors"] == []


# --- file names ------------------------------------------------------------------------------

INJECTED = "::error file=forged.ttl,line=1::FORGED"
HOSTILE_NAMES = {
    "newline-workflow-command": f"evil\n{INJECTED}\n.ttl",
    "carriage-return": "evil\r## FORGED heading\r.ttl",
    "line-separator": "evil\u2028FORGED\u2029.ttl",
    "nul-free-control": "evil\x1b[31mFORGED\x07.ttl",
    "non-utf8-bytes": os.fsdecode(b"caf\xe9-\xff\xfe.ttl"),
}
NAME_IN_FOLDER = {
    "folder-with-newline": f"notes\n{INJECTED}/risk.ttl",
    "folder-not-utf8": os.fsdecode(b"r\xe9sum\xe9") + "/risk.ttl",
}
GRANT = PREFIXES + "ex:carol rai:hasRole ex:RAILead .\n"


def _write_hostile_name(repo: GovernanceRepo, relative: str) -> None:
    path = repo.root / VICTIM_DIR / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GRANT, encoding="utf-8")


@pytest.mark.parametrize("relative", [*HOSTILE_NAMES.values(), *NAME_IN_FOLDER.values()],
                         ids=[*HOSTILE_NAMES, *NAME_IN_FOLDER])
def test_a_file_name_that_cannot_be_shown_on_one_line_is_an_input_error(relative: str, tmp_path: Path) -> None:
    """A record whose name (or folder's name) holds a line break, a control character or bytes
    that are not UTF-8 is one input error naming it escaped, on one line; it is not loaded (its
    role grant does not count) and the rest is judged."""
    repo = standard_repo(tmp_path / "repo")
    _write_hostile_name(repo, relative)
    repo.add_evidence("risk")
    repo.add_approval("risk-approval", "risk", by="carol")
    check, status = _judge(repo.root)
    errors = check["errors"]
    assert len(errors) == 1, errors
    (error,) = errors
    bad_part = next(part for part in relative.split("/") if name_problem(part))
    assert error["kind"] == "parse"
    assert error["file"] == printable(f"{VICTIM_DIR}/{relative.split(bad_part)[0]}{bad_part}")
    assert error["file"].isprintable(), error
    assert "\\" in error["file"], error
    assert "rename" in error["message"]
    assert _status_of(status, BYSTANDER) == "met"
    assert _status_of(status, VICTIM) == "unapproved"


def test_a_file_name_with_workflow_command_text_stays_data(tmp_path: Path) -> None:
    """A valid name holding ``::error ...::`` and Markdown (no line break) is loaded as usual; its
    errors name it, and in GitHub annotations its ``:`` and ``,`` are escaped in ``file=``."""
    repo = standard_repo(tmp_path / "repo")
    name = "a::error file=forged.ttl,line=1::FORGED | cell | [x](javascript:y).ttl"
    repo.write_text(f"{VICTIM_DIR}/{name}", PREFIXES + "ex:x a rai:Evidence ;\n    rai:implements ] .\n")
    check, _status = _judge(repo.root)
    assert [e["file"] for e in check["errors"]] == [f"{VICTIM_DIR}/{name}"]
    summary = tmp_path / "summary.md"
    github = invoke(["check", "--repo", str(repo.root), "--as-of", AS_OF, "--format", "github",
                     "--summary", str(summary)])
    github.assert_clean_exit((1,))
    assert_only_our_workflow_commands(github.stdout)
    status_md = invoke(["status", "--repo", str(repo.root), "--as-of", AS_OF, "--format", "markdown"])
    report_md = invoke(["report", "--repo", str(repo.root), "--as-of", AS_OF, "--framework", "test-fw",
                        "--format", "markdown"])
    for markdown in (summary.read_text(encoding="utf-8"), status_md.stdout, report_md.stdout):
        named = [line for line in markdown.splitlines() if "FORGED" in line]
        assert named, markdown
        for line in named:  # one list item, its table and link syntax escaped or in a code span
            assert line.startswith("- "), line
            in_code = line.startswith("- `") and line.count("`") == 2
            assert in_code or not re.search(r"(?<!\\)\||(?<!\\)\]\(", line), line


# --- literals ----------------------------------------------------------------------------------


def test_a_lone_surrogate_in_a_literal_breaks_no_output(tmp_path: Path) -> None:
    """``"\\uD800"`` (a lone surrogate, which no UTF-8 output can print) in a title is a parse
    error at its line (printing it crashed every Markdown output); every output ends cleanly and
    the rest is judged."""
    repo = standard_repo(tmp_path / "repo")
    record = repo.add_approved_evidence("risk", omit=("dcterms:title",), extra=(
        ("dcterms:title", '"Risk \\uD800 assessment \\uDFFF"'),))
    check = invoke(["check", "--repo", str(repo.root), "--as-of", AS_OF, "--format", "json"])
    check.assert_clean_exit((1,))
    line = repo.line_of(record.path, "uD800")
    assert [(e["kind"], e["file"], e["line"]) for e in check.json()["errors"]] == [("parse", record.path, line)]
    assert "surrogate" in check.json()["errors"][0]["message"]
    status = invoke(["status", "--repo", str(repo.root), "--as-of", AS_OF, "--format", "json"])
    status.assert_clean_exit((0,))
    assert _status_of(status.json(), BYSTANDER) == "met"
    out = tmp_path / "out"
    for args in (["status", "--format", "markdown"], ["status", "--format", "text"],
                 ["check", "--format", "sarif"], ["check", "--format", "github"],
                 ["report", "--framework", "test-fw", "--format", "markdown"],
                 ["report", "--framework", "test-fw", "--format", "html", "-o", str(out / "r.html")],
                 ["site", "build", "-o", str(out / "site"), "--source-dir", str(out / "src")]):
        run = invoke([*args, "--repo", str(repo.root), "--as-of", AS_OF])
        run.assert_clean_exit()
        json.dumps(run.stdout)  # what it printed is text


# --- submodules -----------------------------------------------------------------------------------


def _nested_repository(repo: GovernanceRepo) -> Path:
    """A git repository inside the victim's folder, holding a record that grants carol RAILead."""
    nested = repo.root / VICTIM_DIR / "vendor"
    nested.mkdir(parents=True)
    init(nested)
    (nested / "grant.ttl").write_text(GRANT, encoding="utf-8")
    commit_all(nested, "vendor records")
    return nested


def test_a_nested_repository_in_the_working_tree_is_an_input_error(tmp_path: Path) -> None:
    """A nested git repository (a submodule checkout) is foreign content: one input error naming
    it, none of its files loaded (its role grant does not count), the rest judged."""
    repo = standard_repo(tmp_path / "repo")
    _nested_repository(repo)
    repo.add_evidence("risk")
    repo.add_approval("risk-approval", "risk", by="carol")
    check, status = _judge(repo.root)
    assert [(e["kind"], e["file"]) for e in check["errors"]] == [("parse", f"{VICTIM_DIR}/vendor")]
    assert "submodule" in check["errors"][0]["message"]
    assert _status_of(status, BYSTANDER) == "met"
    assert _status_of(status, VICTIM) == "unapproved"
    assert WorkTree(repo.root).resolve(f"{VICTIM_DIR}/vendor/grant.ttl").kind.value == "submodule"


def test_a_submodule_in_a_committed_tree_is_an_input_error(tmp_path: Path) -> None:
    """A gitlink (mode 160000) in the commit judged: one input error naming it, no crash reading
    the revision, the rest judged as in the working tree."""
    repo = standard_repo(tmp_path / "repo")
    init(repo.root)
    repo.add_evidence("risk")
    repo.add_approval("risk-approval", "risk", by="carol")
    commit_all(repo.root, "records")
    foreign = git(repo.root, "rev-parse", "HEAD")
    git(repo.root, "update-index", "--add", "--cacheinfo", f"160000,{foreign},{VICTIM_DIR}/vendor")
    git(repo.root, "commit", "--quiet", "-m", "add a submodule")
    loaded = load_repository(GitTree(repo.root, "HEAD"))
    assert [(e.file, e.kind) for e in loaded.errors] == [(f"{VICTIM_DIR}/vendor", "parse")]
    assert "submodule" in loaded.errors[0].message
    assert any(f.path == f"evidence/{BYSTANDER}/bystander-risk.ttl" for f in loaded.files.values())
    report = invoke(["report", "--repo", str(repo.root), "--rev", "HEAD", "--as-of", AS_OF,
                     "--framework", "test-fw", "--format", "json"])
    report.assert_clean_exit()


def test_an_artefact_inside_a_nested_repository_is_invalid(tmp_path: Path) -> None:
    """Evidence whose artefact lies in a submodule rests on files this repository does not review:
    an artefact error at the record's line, and the evidence is invalid."""
    repo = standard_repo(tmp_path / "repo")
    nested = _nested_repository(repo)
    content = b"# Risk assessment, vendored\n"
    (nested / "risk.md").write_bytes(content)
    record = repo.add_approved_evidence("risk", artifact_bytes=content, artifact_path="vendor/risk.md")
    check, status = _judge(repo.root)
    artefact_errors = [(e["file"], e["line"]) for e in check["errors"] if e["kind"] == "artifact"]
    assert artefact_errors == [(record.path, record.line)]
    assert _status_of(status, VICTIM) == "invalid"
    assert _status_of(status, BYSTANDER) == "met"


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=30))
def test_a_name_problem_is_what_its_definition_says(name: str) -> None:
    """Undecodable bytes (os.fsdecode's surrogate escapes) first, then any character that could
    break a line of output; a name with neither is fine."""
    if any("\udc80" <= c <= "\udcff" for c in name):
        assert name_problem(name) == "has a name that is not valid UTF-8; rename it"
    elif any(c in "\u2028\u2029" or ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or "\ud800" <= c <= "\udfff"
             for c in name):
        assert name_problem(name) == "has a name with a line break or another control character; rename it"
    else:
        assert name_problem(name) is None
