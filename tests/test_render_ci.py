"""CI outputs of ``check`` (render/ci.py): SARIF 2.1.0, JUnit XML, GitHub workflow commands and the
step-summary Markdown, rendered from the real pipeline over a small repository built in tmp_path.

The repository has one input error of each kind, each with a line, one gap of each status, a met
pair, a waived pair and a missing organisation-wide control:

====================  ================  ===============  ===============
control               credit-scoring    fraud-detection  organisation
====================  ================  ===============  ===============
TC-01 (CTRL-1)        met               invalid
TC-02 (CTRL-2)        expired           waived
TC-03 (CTRL-3)        missing           unapproved
TC-ORG (ORG-1)                                           missing
====================  ================  ===============  ===============

TC-03's title is hostile (``%``, ``,``, ``:``, ``<script>``, ``&``, ``"`` and a newline), and the
fraud-detection title carries a control character XML 1.0 cannot hold.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from rai_graph.errors import InputError
from rai_graph.model import RepositoryModel
from rai_graph.pipeline import PipelineResult, run
from rai_graph.render import ci
from rai_graph.render.human import md
from rai_graph.trace import GAP_STATUSES, Assessment, SystemAssessment

from git_helpers import commit_all, init
from github_sarif import ingestion_problems
from repo_builder import PREFIXES, GovernanceRepo, Record, ex, literal, sha256_hex

AS_OF = dt.date(2026, 6, 1)
SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"

HOSTILE_TITLE = 'Oversight 100%, logs: <script>&"\nreviewed'
FRAUD_TITLE = "Fraud detection\x07"
BROKEN_TTL = "evidence/credit-scoring/broken.ttl"
GHOST_TTL = "evidence/credit-scoring/ghost-evidence.ttl"


@dataclass
class Fixture:
    """The built repository, what the pipeline made of it, and where each thing was written."""

    repo: GovernanceRepo
    result: PipelineResult
    records: dict[str, Record]
    parse_line: int
    ghost_line: int

    def inputs(self) -> tuple[Any, ...]:
        return (self.result.assessment, self.result.validation.errors,
                self.result.assessment.systems, self.result.model)

    @property
    def errors(self) -> list[InputError]:
        return self.result.validation.errors

    @property
    def files(self) -> list[str]:
        return [f.path for f in self.result.repository.files.values() if f.role != "ontology"]


def build_repository(root: Path) -> tuple[GovernanceRepo, dict[str, Record], int, int]:
    """Write the repository described in the module docstring under ``root``."""
    repo = GovernanceRepo(root).with_base()
    records: dict[str, Record] = {}
    repo.add_control("CTRL-2", "TC-02", evidence_type="FairnessEvaluation", max_age="P30D")
    repo.append_block("controls/controls.ttl", "ex:CTRL-3", (
        "ex:CTRL-3 a rai:Control ;\n"
        '    skos:notation "TC-03" ;\n'
        f"    dcterms:title {literal(HOSTILE_TITLE)} ;\n"
        '    dcterms:description "Human oversight is planned and signed off." ;\n'
        "    rai:satisfies tfw:R1 ;\n"
        "    rai:requiredForTier rai:HighRisk ;\n"
        "    rai:requiresApprovalBy ex:RAILead .\n"
    ))
    records["org"] = repo.add_control("ORG-1", "TC-ORG", organisation_scope=True, evidence_type="Policy")
    records["credit"] = repo.add_system()
    records["fraud"] = repo.add_system("fraud-detection", "FraudDetection", title=FRAUD_TITLE)
    records["met"] = repo.add_approved_evidence("risk-assessment")
    records["expired"] = repo.add_evidence(
        "fairness-eval", implements=("CTRL-2",), evidence_type="FairnessEvaluation")
    records["invalid"] = repo.add_approved_evidence(
        "fraud-risk", system="fraud-detection", sha256=sha256_hex(b"not these bytes"))
    records["waived"] = repo.add_waiver("fraud-fairness-waiver", waives="CTRL-2", system="fraud-detection")
    records["unapproved"] = repo.add_evidence(
        "fraud-oversight", system="fraud-detection", implements=("CTRL-3",),
        evidence_type="HumanOversightPlan")
    # Input errors: a syntax error, a waiver longer than a year (shape), a dangling system.
    repo.write_text(BROKEN_TTL, PREFIXES + "\nex:broken a rai:Evidence ;\n    rai:implements ] .\n")
    records["shape"] = repo.add_waiver("long-waiver", ended="2026-01-01", expires="2027-06-01")
    repo.add_evidence("ghost-evidence", for_systems=("GhostSystem",))
    parse_line = repo.line_of(BROKEN_TTL, "rai:implements ]")
    ghost_line = repo.line_of(GHOST_TTL, "ex:GhostSystem")
    return repo, records, parse_line, ghost_line


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Fixture:
    """The repository of the module docstring, judged as of AS_OF."""
    repo, records, parse_line, ghost_line = build_repository(tmp_path_factory.mktemp("ci") / "repo")
    return Fixture(repo, run(repo.root, AS_OF), records, parse_line, ghost_line)


def test_fixture_has_every_error_kind_and_status(built: Fixture) -> None:
    """The fixture gives the pairs and errors the other tests rely on (guards against drift)."""
    statuses = {(s.system.name, p.control.notation): p.status
                for s in built.result.assessment.systems for p in s.pairs}
    assert statuses == {
        ("credit-scoring", "TC-01"): "met", ("credit-scoring", "TC-02"): "expired",
        ("credit-scoring", "TC-03"): "missing", ("fraud-detection", "TC-01"): "invalid",
        ("fraud-detection", "TC-02"): "waived", ("fraud-detection", "TC-03"): "unapproved",
    }
    assert [(p.control.notation, p.status) for p in built.result.assessment.organisation] == [
        ("TC-ORG", "missing")]
    assert {(e.kind, e.file, e.line) for e in built.errors} == {
        ("parse", BROKEN_TTL, built.parse_line),
        ("shape", built.records["shape"].path, built.records["shape"].line),
        ("reference", GHOST_TTL, built.ghost_line),
        ("artifact", built.records["invalid"].path, built.records["invalid"].line),
    }


# --- SARIF ---------------------------------------------------------------------------------------


def sarif_log(built: Fixture) -> dict[str, Any]:
    data = json.loads(ci.sarif(*built.inputs(), tool_version="9.9.9"))
    assert isinstance(data, dict)
    return data


def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    assert schema["$schema"] == validator_class.META_SCHEMA["id"]  # picked from the schema itself
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def test_sarif_validates_against_the_oasis_schema(built: Fixture) -> None:
    """The SARIF log is valid against the vendored SARIF 2.1.0 schema, and the check can fail."""
    validator = sarif_validator()
    log = sarif_log(built)
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert problems == []
    assert log["version"] == "2.1.0"
    assert log["$schema"] == ci.SARIF_SCHEMA_URI
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert not validator.is_valid(broken)


def test_sarif_driver_rules_cover_every_error_kind_and_gap_status(built: Fixture) -> None:
    """One described rule per input-error kind and gap status, with the documented default level."""
    driver = sarif_log(built)["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["informationUri"]) == (
        "rai-graph", "9.9.9", "https://w3id.org/rai-graph")
    levels = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in driver["rules"]}
    assert levels == {
        "input/parse": "error", "input/shape": "error", "input/artifact": "error",
        "input/reference": "error", "status/missing": "error", "status/invalid": "error",
        "status/failing": "error", "status/expired": "warning", "status/unapproved": "warning",
    }
    for rule in driver["rules"]:
        for key in ("shortDescription", "fullDescription", "help"):
            assert rule[key]["text"].strip(), (rule["id"], key)
    assert set(ci.STATUS_RULES) == GAP_STATUSES == set(ci.GAP_ORDER)


def test_sarif_results_point_at_the_right_file_and_line(built: Fixture) -> None:
    """Each error and gap is one result at a real file and line: the record that decided it, the
    system's declaration when none did, the control's definition for an organisation-wide gap."""
    run_ = sarif_log(built)["runs"][0]
    assert "%SRCROOT%" in run_["originalUriBaseIds"]
    rules = run_["tool"]["driver"]["rules"]
    located = set()
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == rules[result["ruleIndex"]]["defaultConfiguration"]["level"]
        assert result["message"]["text"].strip()
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        region = location["physicalLocation"]["region"]
        assert region["startLine"] == region["endLine"]
        located.add((result["ruleId"], artifact["uri"], region["startLine"]))
    r = built.records
    assert located == {
        ("input/parse", BROKEN_TTL, built.parse_line),
        ("input/shape", r["shape"].path, r["shape"].line),
        ("input/reference", GHOST_TTL, built.ghost_line),
        ("input/artifact", r["invalid"].path, r["invalid"].line),
        ("status/missing", r["credit"].path, r["credit"].line),
        ("status/missing", r["org"].path, r["org"].line),
        ("status/invalid", r["invalid"].path, r["invalid"].line),
        ("status/expired", r["expired"].path, r["expired"].line),
        ("status/unapproved", r["unapproved"].path, r["unapproved"].line),
    }
    assert len(run_["results"]) == len(located)


def test_sarif_gap_results_carry_system_and_control_iris(built: Fixture) -> None:
    """Gap results name the system and control IRIs; organisation gaps name only the control."""
    results = sarif_log(built)["runs"][0]["results"]
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for result in results:
        by_rule.setdefault(result["ruleId"], []).append(result["properties"])
    assert by_rule["status/unapproved"] == [{
        "system": ex("FraudDetection"), "systemName": "fraud-detection", "control": ex("CTRL-3"),
        "notation": "TC-03", "status": "unapproved",
    }]
    organisation = [p for p in by_rule["status/missing"] if p["control"] == ex("ORG-1")]
    assert organisation == [{"control": ex("ORG-1"), "notation": "TC-ORG", "status": "missing"}]


def test_sarif_meets_githubs_ingestion_rules(built: Fixture) -> None:
    """GitHub's documented rules hold: required fields, full regions, a primaryLocationLineHash per
    result, files of the checkout, no two results merged into one alert; the checker can fail."""
    log = sarif_log(built)
    assert ingestion_problems(log, checkout=built.repo.root) == []
    for rule in log["runs"][0]["tool"]["driver"]["rules"]:
        assert rule["helpUri"] == f"https://w3id.org/rai-graph/rules#{rule['id'].replace('/', '-')}"
        assert rule["help"]["markdown"].startswith(f"**{rule['shortDescription']['text']}**")
    broken = json.loads(json.dumps(log))
    first, second = broken["runs"][0]["results"][:2]
    second["ruleId"], second["ruleIndex"] = first["ruleId"], first["ruleIndex"]
    second["locations"] = first["locations"]
    second["partialFingerprints"] = first["partialFingerprints"]
    del broken["runs"][0]["results"][2]["locations"][0]["physicalLocation"]["region"]["endColumn"]
    problems = ingestion_problems(broken, checkout=built.repo.root)
    assert any("GitHub shows them as one alert" in p for p in problems)
    assert any("region.endColumn is required" in p for p in problems)


def test_sarif_keeps_the_gaps_of_one_record_apart(tmp_path: Path) -> None:
    """Three controls missing for one system are three results at its declaration, each with its
    own primaryLocationLineHash and a region spanning the declaration's line."""
    repo = GovernanceRepo(tmp_path / "repo").with_base()
    repo.add_control("CTRL-2", "TC-02")
    repo.add_control("CTRL-3", "TC-03")
    system = repo.add_system()
    result = run(repo.root, AS_OF)
    inputs = (result.assessment, result.validation.errors, result.assessment.systems, result.model)
    log = json.loads(ci.sarif(*inputs, tool_version="1.0", sources=ci.Sources.of(result)))
    assert sarif_validator().is_valid(log)
    results = log["runs"][0]["results"]
    assert [r["properties"]["notation"] for r in results] == ["TC-01", "TC-02", "TC-03"]
    line_text = (repo.root / system.path).read_text(encoding="utf-8").splitlines()[system.line - 1]
    for found in results:
        physical = found["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == system.path
        assert physical["region"] == {"startLine": system.line, "startColumn": 1,
                                      "endLine": system.line, "endColumn": len(line_text) + 1}
    assert len({r["partialFingerprints"]["primaryLocationLineHash"] for r in results}) == 3
    assert ingestion_problems(log, checkout=repo.root) == []


def test_sarif_of_a_governance_sub_folder_names_paths_of_the_checkout(tmp_path: Path) -> None:
    """With the governance repository in gov/ of a git repository, results name gov/... paths
    that exist in the checkout and %SRCROOT% is the checkout; the log says where gov/ is."""
    checkout = tmp_path / "monorepo"
    repo = GovernanceRepo(checkout / "gov").with_base()
    system = repo.add_system()
    (checkout / "src").mkdir()
    (checkout / "src" / "app.py").write_text("print('hello')\n", encoding="utf-8")
    init(checkout)
    commit_all(checkout, "governance in a sub-folder")
    result = run(repo.root, AS_OF)
    inputs = (result.assessment, result.validation.errors, result.assessment.systems, result.model)
    log = json.loads(ci.sarif(*inputs, tool_version="1.0", sources=ci.Sources.of(result)))
    assert sarif_validator().is_valid(log)
    run_ = log["runs"][0]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]] == [
        f"gov/{system.path}"]
    assert run_["originalUriBaseIds"]["GOVERNANCEROOT"] == {
        "uri": "gov/", "uriBaseId": "%SRCROOT%",
        "description": {"text": "The root of the governance repository."}}
    assert run_["properties"]["governanceRoot"] == "gov/"
    assert ingestion_problems(log, checkout=checkout) == []
    unprefixed = json.loads(ci.sarif(*inputs, tool_version="1.0"))
    assert any("is no file of the repository" in p for p in ingestion_problems(unprefixed, checkout=checkout))


def fingerprints(log: dict[str, Any]) -> dict[tuple[str, str], str]:
    """Fingerprint of each result keyed by rule and (control IRI or message)."""
    found = {}
    for result in log["runs"][0]["results"]:
        subject = result["properties"].get("control") or result["message"]["text"]
        key = (result["ruleId"], result["properties"].get("system", "") + subject)
        found[key] = result["partialFingerprints"][ci.FINGERPRINT_KEY]
    assert len(found) == len(log["runs"][0]["results"])
    return found


def test_sarif_is_byte_identical_across_runs_and_checkouts(built: Fixture, tmp_path: Path) -> None:
    """A second run over a copy of the repository elsewhere gives exactly the same SARIF."""
    copy = tmp_path / "elsewhere"
    shutil.copytree(built.repo.root, copy)
    again = run(copy, AS_OF)
    inputs = (again.assessment, again.validation.errors, again.assessment.systems, again.model)
    assert ci.sarif(*inputs, tool_version="9.9.9") == ci.sarif(*built.inputs(), tool_version="9.9.9")
    assert str(copy) not in ci.sarif(*inputs, tool_version="9.9.9")


def test_sarif_gap_fingerprints_survive_moved_lines(built: Fixture, tmp_path: Path) -> None:
    """Fingerprints are unique, and a gap keeps its fingerprint when its record moves down a line."""
    copy = tmp_path / "edited"
    shutil.copytree(built.repo.root, copy)
    system_file = copy / built.records["credit"].path
    system_file.write_text("# a comment added above everything\n" + system_file.read_text("utf-8"))
    before = sarif_log(built)
    edited = run(copy, AS_OF)
    after = json.loads(ci.sarif(edited.assessment, edited.validation.errors,
                                edited.assessment.systems, edited.model, tool_version="9.9.9"))
    old, new = fingerprints(before), fingerprints(after)
    assert len(set(old.values())) == len(old)
    missing_key = ("status/missing", ex("CreditScoring") + ex("CTRL-3"))
    assert old[missing_key] == new[missing_key]
    moved = [r for r in after["runs"][0]["results"]
             if r["partialFingerprints"][ci.FINGERPRINT_KEY] == new[missing_key]]
    assert moved[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == (
        built.records["credit"].line + 1)
    assert old == new


def test_sarif_of_a_conforming_repository_is_valid_and_empty(tmp_path: Path) -> None:
    """A repository without gaps or errors gives a valid log with no results that conforms."""
    repo = GovernanceRepo(tmp_path / "clean").with_base()
    repo.add_system()
    repo.add_approved_evidence("risk-assessment")
    result = run(repo.root, AS_OF)
    inputs = (result.assessment, result.validation.errors, result.assessment.systems, result.model)
    log = json.loads(ci.sarif(*inputs, tool_version="1.0", source_root_uri="file:///srv/gov"))
    assert sarif_validator().is_valid(log)
    run_ = log["runs"][0]
    assert run_["results"] == []
    assert run_["properties"] == {"asOf": "2026-06-01", "conforms": True}
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///srv/gov/"
    assert "✅ conforms" in ci.step_summary_markdown(*inputs)
    assert ci.github_commands(*inputs) == (
        "::notice::rai-graph check as of 2026-06-01: conforms; 1 system(s) judged; 0 gap(s); "
        "0 input error(s)\n")


# --- JUnit ---------------------------------------------------------------------------------------


def junit_tree(built: Fixture) -> ET.Element:
    return ET.fromstring(ci.junit(*built.inputs(), files=built.files))


def suites_by_name(root: ET.Element) -> dict[str, ET.Element]:
    return {suite.get("name", ""): suite for suite in root.findall("testsuite")}


def test_junit_counts_match_cases_per_suite_and_overall(built: Fixture) -> None:
    """Suite and total tests/failures/errors/skipped equal the cases they hold, and the expected numbers."""
    root = junit_tree(built)
    suites = suites_by_name(root)
    assert list(suites) == ["credit-scoring", "fraud-detection", "organisation", "files"]
    counted = {
        name: tuple(int(s.get(key, "-1")) for key in ("tests", "failures", "errors", "skipped"))
        for name, s in suites.items()
    }
    for name, suite in suites.items():
        assert counted[name] == (len(suite.findall("testcase")),
                                 len(suite.findall("testcase/failure")),
                                 len(suite.findall("testcase/error")),
                                 len(suite.findall("testcase/skipped"))), name
    assert counted["credit-scoring"] == (3, 2, 0, 0)
    assert counted["fraud-detection"] == (3, 2, 0, 1)
    assert counted["organisation"] == (1, 1, 0, 0)
    assert counted["files"] == (len(set(built.files) | {BROKEN_TTL}), 0, 4, 0)
    totals = tuple(sum(c[i] for c in counted.values()) for i in range(3))
    assert (int(root.get("tests", "-1")), int(root.get("failures", "-1")),
            int(root.get("errors", "-1"))) == totals


def test_junit_cases_encode_status_reason_and_location(built: Fixture) -> None:
    """Met passes with its place in system-out, waived is skipped with its reason, a gap fails with
    its status; the file and line are in the message, never in attributes strict schemas reject."""
    suites = suites_by_name(junit_tree(built))
    credit = {c.get("name", "").split(" ", 1)[0]: c for c in suites["credit-scoring"]
              if c.tag == "testcase"}
    fraud = {c.get("name", "").split(" ", 1)[0]: c for c in suites["fraud-detection"]
             if c.tag == "testcase"}
    met = built.records["met"]
    assert [child.tag for child in credit["TC-01"]] == ["system-out"]
    assert f"see {met.path}:{met.line}" in (credit["TC-01"][0].text or "")
    assert credit["TC-01"].get("classname") == "credit-scoring"
    waived, _out = fraud["TC-02"]
    assert waived.tag == "skipped"
    assert waived.get("message", "").startswith("waived: waived until 2026-12-31")
    waiver = built.records["waived"]
    assert waived.get("message", "").endswith(f"({waiver.path}:{waiver.line})")
    failure, _out = fraud["TC-01"]
    assert (failure.tag, failure.get("type")) == ("failure", "invalid")
    assert failure.get("message", "").startswith("invalid: artefact evidence/fraud-detection/")
    invalid = built.records["invalid"]
    assert failure.get("message", "").endswith(f"({invalid.path}:{invalid.line})")
    assert f"see {invalid.path}:{invalid.line}" in (failure.text or "")
    for case in junit_tree(built).iter("testcase"):
        assert set(case.attrib) == {"name", "classname", "time"}
    properties = {p.get("name"): p.get("value") for p in suites["fraud-detection"].iter("property")}
    assert properties["system"] == ex("FraudDetection")
    assert properties["title"] == "Fraud detection\ufffd"  # a control character XML cannot carry


def test_junit_hostile_title_round_trips_intact(built: Fixture) -> None:
    """A title with markup, quotes, ampersand, percent and a newline survives XML escaping."""
    text = ci.junit(*built.inputs(), files=built.files)
    assert "<script>" not in text
    suites = suites_by_name(ET.fromstring(text))
    names = [c.get("name") for c in suites["credit-scoring"].findall("testcase")]
    assert f"TC-03 {HOSTILE_TITLE}" in names


def test_junit_files_suite_lists_each_file_with_its_errors(built: Fixture) -> None:
    """Every loaded file is a case; files with input errors carry one <error> listing them."""
    suites = suites_by_name(junit_tree(built))
    cases = {c.get("name"): c for c in suites["files"].findall("testcase")}
    assert set(cases) == set(built.files) | {BROKEN_TTL}
    assert list(cases["controls/controls.ttl"]) == []
    (error,) = cases[BROKEN_TTL]
    assert (error.tag, error.get("type")) == ("error", "parse")
    assert f"{BROKEN_TTL}:{built.parse_line}: " in (error.text or "")
    erring = {name for name, case in cases.items() if case.find("error") is not None}
    assert erring == {e.file for e in built.errors}


# --- GitHub workflow commands ----------------------------------------------------------------------


def test_github_escaping_follows_the_runner_rules() -> None:
    """Messages escape %, CR and LF; property values also escape ':' and ','."""
    assert ci.escape_data("100% a:b,c\r\nnext") == "100%25 a:b,c%0D%0Anext"
    assert ci.escape_property("100% a:b,c\r\nnext") == "100%25 a%3Ab%2Cc%0D%0Anext"


def test_github_commands_are_exact_and_ordered(built: Fixture) -> None:
    """One command per error then per gap (regressions first), escaped, then one notice."""
    lines = ci.github_commands(*built.inputs()).splitlines()
    r = built.records
    assert len(lines) == len(built.errors) + 5 + 1
    assert lines[0] == (f"::error file={BROKEN_TTL},line={built.parse_line},"
                        "title=rai-graph parse error::" + next(
                            e.message for e in built.errors if e.kind == "parse"))
    assert [line.split(" ", 1)[0] for line in lines] == (
        ["::error"] * 4 + ["::error"] * 3 + ["::warning"] * 2 + ["::notice::rai-graph"])
    gap_titles = [line.split("title=", 1)[1].split("::", 1)[0] for line in lines[4:9]]
    assert gap_titles == [
        "missing%3A TC-03 (credit-scoring)", "missing%3A TC-ORG (organisation)",
        "invalid%3A TC-01 (fraud-detection)", "expired%3A TC-02 (credit-scoring)",
        "unapproved%3A TC-03 (fraud-detection)",
    ]
    assert lines[4] == (
        f"::error file={r['credit'].path},line={r['credit'].line},"
        "title=missing%3A TC-03 (credit-scoring)::credit-scoring: "
        'TC-03 Oversight 100%25, logs: <script>&"%0Areviewed is missing: '
        "no evidence implementing TC-03"
    )
    assert lines[5] == (
        "::error file=evidence/_organisation,title=missing%3A TC-ORG (organisation)::"
        "organisation-wide control: TC-ORG Control TC-ORG is missing: "
        "no policy evidence implementing TC-ORG"
    )
    assert lines[8].startswith(
        f"::warning file={r['unapproved'].path},line={r['unapproved'].line},"
        "title=unapproved%3A TC-03 (fraud-detection)::fraud-detection: "
        'TC-03 Oversight 100%25, logs: <script>&"%0Areviewed is unapproved: ')
    assert lines[-1] == (
        "::notice::rai-graph check as of 2026-06-01: does not conform; 2 system(s) judged; "
        "5 gap(s) (2 missing, 1 invalid, 1 expired, 1 unapproved); 4 input error(s)")


def test_github_property_values_escape_commas_and_colons_in_paths() -> None:
    """A file name with ',' and ':' cannot break out of the file= property."""
    error = InputError("evidence/a,b:c.ttl", 3, "bad\nthing", "parse")
    assessment, systems, model = _no_systems()
    text = ci.github_commands(assessment, [error], systems, model)
    assert text.splitlines()[0] == (
        "::error file=evidence/a%2Cb%3Ac.ttl,line=3,title=rai-graph parse error::bad%0Athing")


def _no_systems() -> tuple[Assessment, list[SystemAssessment], RepositoryModel]:
    """An assessment with nothing judged, for tests that only need input errors."""
    return Assessment(AS_OF, [], []), [], RepositoryModel()


# --- step summary ----------------------------------------------------------------------------------


def test_summary_headline_and_system_table(built: Fixture) -> None:
    """The summary opens with the verdict and counts, then a row per system and the organisation."""
    text = ci.step_summary_markdown(*built.inputs())
    lines = text.splitlines()
    assert lines[0] == "## rai-graph check: ❌ does not conform"
    assert ("As of 2026-06-01: **2** system(s) judged, **5** gap(s) (2 missing, 1 invalid, "
            "1 expired, 1 unapproved), **4** input error(s).") in lines
    assert "| System | Tier | Readiness | Gaps |" in lines
    assert "| Credit scoring model (credit-scoring) | High risk | 33% | 2 |" in lines
    assert f"| {md(FRAUD_TITLE)} (fraud-detection) | High risk | 33% | 2 |" in lines
    assert "| Organisation-wide controls | all tiers | 0% | 1 |" in lines


def gap_rows(text: str) -> list[list[str]]:
    section = text.split("### Gaps", 1)[1].split("###", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows[1:]]


def test_summary_lists_gaps_regressions_first_with_links(built: Fixture) -> None:
    """Gaps are ordered missing, invalid, expired, unapproved and link to the file at the commit."""
    text = ci.step_summary_markdown(*built.inputs(), blob_url="https://github.com/acme/gov/blob/abc123")
    rows = gap_rows(text)
    assert [row[0] for row in rows] == ["missing", "missing", "invalid", "expired", "unapproved"]
    credit = built.records["credit"]
    assert rows[0][4] == (f"[{md(f'{credit.path}:{credit.line}')}]"
                          f"(https://github.com/acme/gov/blob/abc123/{credit.path}#L{credit.line})")
    assert (f"- parse: [{md(f'{BROKEN_TTL}:{built.parse_line}')}]"
            f"(https://github.com/acme/gov/blob/abc123/{BROKEN_TTL}#L{built.parse_line}): ") in text


def test_summary_escapes_hostile_repository_text(built: Fixture) -> None:
    """Titles from the repository cannot inject HTML or break the table in the summary."""
    text = ci.step_summary_markdown(*built.inputs())
    assert "<script>" not in text
    assert md(f"TC-03 {HOSTILE_TITLE}") in text
    assert all(len(row) == 5 for row in gap_rows(text))


def test_summary_ignores_a_base_url_that_is_not_http() -> None:
    """Only a plain http(s) base URL becomes a link; anything else leaves file references as text."""
    error = InputError("evidence/x.ttl", 2, "bad", "parse")
    assessment, systems, model = _no_systems()
    assert "](https://ci.example/evidence/x.ttl#L2)" in ci.step_summary_markdown(
        assessment, [error], systems, model, blob_url="https://ci.example")
    for base in ("javascript:alert(1)//", "https://evil.example/)[x](y"):
        text = ci.step_summary_markdown(assessment, [error], systems, model, blob_url=base)
        assert "](" not in text, base
        assert md("evidence/x.ttl:2") in text


def test_summary_stops_after_the_limit(built: Fixture) -> None:
    """At most ``limit`` gaps and errors are listed, with a pointer to the full list."""
    text = ci.step_summary_markdown(*built.inputs(), limit=2)
    assert [row[0] for row in gap_rows(text)] == ["missing", "missing"]
    assert "… and 3 more; `rai-graph check` lists them all." in text
    assert "- … and 2 more; `rai-graph check` lists them all." in text


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        pytest.param({"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/gov",
                      "GITHUB_SHA": "abc123"}, "https://github.com/acme/gov/blob/abc123/", id="actions"),
        pytest.param({"GITHUB_SERVER_URL": "https://github.com", "GITHUB_SHA": "abc123"}, None,
                     id="incomplete"),
        pytest.param({}, None, id="not-actions"),
    ],
)
def test_github_blob_url_from_the_actions_environment(env: dict[str, str], expected: str | None) -> None:
    """The commit's blob URL is built only when the Actions variables are all present."""
    assert ci.github_blob_url(env) == expected
