"""`rai-graph report`: golden JSON, every section, audiences, escaping, --rev and the JSON schema.

The fixture plants marker strings in a Confidential and an Internal record (title, IRI, file name,
artefact bytes): a report for an audience below a record's level must not contain its marker in any
format. Regenerate the golden file and the schema after an intended change with
``RAI_GRAPH_UPDATE_GOLDEN=1 pytest tests/test_report.py`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from rai_graph.audience import NEUTRAL_REASON
from rai_graph.cli import main
from rai_graph.order import clause_key
from rai_graph.pipeline import run
from rai_graph.render.report import (
    SourceInfo,
    build_report,
    dumps_schema,
    render_html,
    render_markdown,
    report_schema,
    resolve_framework,
)
from rai_graph.render.report.build import excerpt

from git_helpers import commit_all, init
from repo_builder import FRAMEWORK_IRI, GovernanceRepo, ex, literal, sha256_hex, tfw

# Its module-scoped outputs are built once, on one worker (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("test_report")

AS_OF = "2026-06-01"
CONFIDENTIAL_MARK = "CONFMARK7Q"
INTERNAL_MARK = "INTMARK3Z"
GOLDEN = Path(__file__).parent / "golden" / "report.json"
SCHEMA = Path(__file__).parent.parent / "docs" / "report-schema.json"
LONG_TEXT = ("Providers shall establish, implement, document and maintain a system that "
             "identifies, analyses and evaluates the known and reasonably foreseeable risks. ") * 6


def add_clause(repo: GovernanceRepo, local: str, notation: str, *, title: str | None = None,
               text: str | None = None, applies_from: str | None = None, broader: str | None = None,
               informative: bool = False, tiers: Sequence[str] = ()) -> None:
    """A requirement of the test framework with the properties the report shows."""
    lines = [f"tfw:{local} a rai:Requirement ;",
             f"    skos:inScheme <{FRAMEWORK_IRI}> ;",
             f"    skos:notation {literal(notation)}"]
    if title:
        lines.append(f"    dcterms:title {literal(title)}")
    if text:
        lines.append(f"    rai:text {literal(text)}")
    if applies_from:
        lines.append(f'    rai:appliesFrom "{applies_from}"^^xsd:date')
    if broader:
        lines.append(f"    skos:broader tfw:{broader}")
    if informative:
        lines.append("    rai:informative true")
    if tiers:
        lines.append("    rai:appliesToTier " + ", ".join(f"rai:{t}" for t in tiers))
    repo.append_block("frameworks/test-fw.ttl", f"tfw:{local}", " ;\n".join(lines) + " .\n")


def add_finding(repo: GovernanceRepo, local: str, title: str, *, severity: str, due: str,
                confidentiality: str | None = None, resolved: str | None = None) -> None:
    """A finding on credit-scoring about TC-02, raised on 2026-04-01."""
    lines = [f"ex:{local} a rai:Finding",
             f"    dcterms:title {literal(title)}",
             '    dcterms:description "Found in the spring review."',
             "    rai:forSystem ex:CreditScoring",
             "    rai:concerns ex:CTRL-2",
             f"    rai:severity rai:{severity}",
             "    rai:owner ex:bob",
             '    dcterms:created "2026-04-01"^^xsd:date',
             f'    rai:dueDate "{due}"^^xsd:date']
    if confidentiality:
        lines.append(f"    rai:confidentiality rai:{confidentiality}")
    if resolved:
        lines.append(f'    rai:resolvedOn "{resolved}"^^xsd:date')
    repo.append_block(f"evidence/credit-scoring/{local}.ttl", f"ex:{local}", " ;\n".join(lines) + " .\n")


def build_fixture(root: Path) -> GovernanceRepo:
    """Two judged systems and a retired one; every section of the report has something in it.

    credit-scoring (high risk, owner bob), as of 2026-06-01:
    TC-01 met (two risk assessments: 'risk', Internal, lapsing on 2026-07-01, and a Confidential
    one), TC-02 expired (Internal model card), TC-03 waived (compensated by TC-01), TC-04
    invalid (Confidential record whose artefact fails its hash), TC-ORG met organisation-wide.
    Clauses: Art. 1 (heading) with 1(1) and 1(2), Art. 2(1) in force from 2027, Art. 3(1)
    unmapped with a justification, Art. 3(2) unmapped without, Art. 10(1), Annex I 1 (limited
    risk only). Findings: one High and overdue (Internal), one Critical without a level (so
    Confidential), one resolved.
    """
    repo = GovernanceRepo(root)
    repo.add_framework()
    add_clause(repo, "Art1", "Art. 1", title="General obligations", informative=True)
    add_clause(repo, "Art1-1", "Art. 1(1)", text=LONG_TEXT, broader="Art1")
    add_clause(repo, "Art1-2", "Art. 1(2)", text="Providers shall keep a model card up to date.",
               broader="Art1", tiers=("HighRisk",))
    add_clause(repo, "Art2-1", "Art. 2(1)", text="Deployers shall assess impacts.",
               applies_from="2027-08-02")
    add_clause(repo, "Art3-1", "Art. 3(1)", text="Member States shall designate authorities.")
    add_clause(repo, "Art3-2", "Art. 3(2)", text="Providers shall <b>register</b> | report.")
    add_clause(repo, "Art10-1", "Art. 10(1)", text="Staff shall be trained.")
    add_clause(repo, "AnnexI-1", "Annex I 1", text="Chatbots shall say they are chatbots.",
               tiers=("LimitedRisk",))
    repo.append_block("controls/justifications.ttl", "ex:why-not-3-1", "\n".join([
        "ex:why-not-3-1 a rai:UnmappedJustification ;",
        '    dcterms:title "Duties of Member States" ;',
        f"    rai:justifies <{tfw('Art3-1')}> ;",
        '    rai:rationale "Addressed to Member States, not to us." ;',
        "    prov:wasAttributedTo ex:alice ;",
        '    dcterms:date "2026-05-12"^^xsd:date .',
    ]) + "\n")
    for role in ("RAILead", "DPO", "ModelOwner"):
        repo.add_role(role)
    repo.add_person("alice", roles=("RAILead", "DPO"))
    repo.add_person("bob", roles=("ModelOwner",))
    repo.add_control("CTRL-1", "TC-01", satisfies=("Art1-1",), evidence_type="RiskAssessment",
                     max_age="P365D", approval_role="RAILead")
    repo.add_control("CTRL-2", "TC-02", satisfies=("Art1-2",), evidence_type="ModelCard",
                     max_age="P180D")
    repo.add_control("CTRL-3", "TC-03", satisfies=("Art2-1",), evidence_type="ImpactAssessment")
    repo.add_control("CTRL-4", "TC-04", satisfies=("Art1-2",), evidence_type="TechnicalDocumentation")
    repo.add_control("CTRL-ORG", "TC-ORG", satisfies=("Art10-1",), evidence_type="TrainingRecord",
                     organisation_scope=True, tiers=("HighRisk", "LimitedRisk"))
    repo.add_control("CTRL-5", "TC-05", satisfies=("AnnexI-1",), evidence_type="TransparencyNotice",
                     tiers=("LimitedRisk",))

    repo.add_system()
    repo.add_evidence("risk", generated="2025-07-01")
    repo.add_approval("risk-approval", "risk", ended="2025-07-10")
    confidential = f"conf-{CONFIDENTIAL_MARK}"
    repo.add_evidence(confidential, generated="2026-01-15", confidentiality="Confidential",
                      artifact_bytes=f"# {CONFIDENTIAL_MARK} risk assessment\n".encode())
    repo.add_approval(f"{confidential}-approval", confidential, ended="2026-01-20")
    repo.add_evidence(f"card-{INTERNAL_MARK}", implements=("CTRL-2",), evidence_type="ModelCard",
                      generated="2025-06-01",
                      artifact_bytes=f"# Model card {INTERNAL_MARK}\n".encode())
    repo.add_evidence(f"leak-{CONFIDENTIAL_MARK}", implements=("CTRL-4",),
                      evidence_type="TechnicalDocumentation", confidentiality="Confidential",
                      sha256=sha256_hex(b"something else"))
    repo.add_waiver("waiver-3", waives="CTRL-3", ended="2026-03-01", expires="2026-08-15",
                    extra=[("rai:compensatingControl", "ex:CTRL-1")])
    repo.add_evidence("training", system="_organisation", implements=("CTRL-ORG",),
                      evidence_type="TrainingRecord", confidentiality="Public")

    add_finding(repo, "finding-late", "Approval rates differ by age", severity="High", due="2026-05-01",
                confidentiality="Internal")
    add_finding(repo, f"finding-{CONFIDENTIAL_MARK}", f"Red team bypass {CONFIDENTIAL_MARK}",
                severity="Critical", due="2026-07-01")
    add_finding(repo, "finding-closed", "Closed finding", severity="High", due="2026-03-01",
                confidentiality="Internal", resolved="2026-02-20")
    repo.add_system("chatbot", "Chatbot", title="Support <chatbot> | Nora", tier="LimitedRisk",
                    roles=("Deployer",), owner="alice")
    repo.add_system("legacy", "Legacy", title="Legacy scorer", lifecycle="Retired")
    return repo


def invoke(args: Sequence[str]) -> Result:
    return CliRunner().invoke(main, ["report", *args], catch_exceptions=False)


def report_json(root: Path, *extra: str, audience: str = "auditor") -> dict[str, Any]:
    result = invoke(["--repo", str(root), "--as-of", AS_OF, "--framework", "test-fw", "--format",
                     "json", "--audience", audience, *extra])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document


@pytest.fixture(scope="module")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("report") / "governance").root


@pytest.fixture(scope="module")
def document(fixture_root: Path) -> dict[str, Any]:
    return report_json(fixture_root)


def system_of(document: dict[str, Any], name: str = "credit-scoring") -> dict[str, Any]:
    [found] = [s for s in document["systems"] if s["system"]["name"] == name]
    return found


def control_of(system: dict[str, Any], notation: str) -> dict[str, Any]:
    [found] = [c for c in system["controls"] if c["notation"] == notation]
    return found


# --- the JSON document -------------------------------------------------------------------------


def test_report_json_matches_golden(document: dict[str, Any]) -> None:
    """The whole report document for the fixture (auditor audience) is stable."""
    if os.environ.get("RAI_GRAPH_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert document == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_report_json_validates_against_its_schema(document: dict[str, Any]) -> None:
    """The JSON document is valid under the published schema (Draft 2020-12)."""
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)


def test_schema_file_is_current() -> None:
    """docs/report-schema.json is exactly the schema the code produces."""
    if os.environ.get("RAI_GRAPH_UPDATE_GOLDEN"):
        SCHEMA.write_text(dumps_schema(), encoding="utf-8")
    assert SCHEMA.read_text(encoding="utf-8") == dumps_schema()
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert "description" in schema["$defs"]["RequirementResult"]["properties"]["in_force"]


def test_statuses_readiness_and_obligation_counts(document: dict[str, Any]) -> None:
    """Each mapped control has its status; counts and readiness follow from them."""
    system = system_of(document)
    statuses = {c["notation"]: c["status"] for c in system["controls"]}
    assert statuses == {"TC-01": "met", "TC-02": "expired", "TC-03": "waived", "TC-04": "invalid",
                        "TC-ORG": "met"}
    assert system["control_counts"] == {"met": 2, "waived": 1, "failing": 0, "unapproved": 0,
                                        "expired": 1, "invalid": 1, "missing": 0}
    assert system["framework_readiness"] == 0.6
    assert system["obligations"] == {"applicable": 6, "in_force": 5, "covered": 2, "not_covered": 1,
                                     "unmapped": 2, "justified": 1, "not_yet_in_force": 1}
    assert system["coverage"] == 0.5
    retired = system_of(document, "legacy")
    assert retired["judged"] is False
    assert retired["requirements"] == []


def test_clauses_in_document_order_with_headings_and_excerpts(document: dict[str, Any]) -> None:
    """Informative clauses are headings, never rows; numbers sort as numbers; texts are cut."""
    system = system_of(document)
    notations = [r["notation"] for r in system["requirements"]]
    assert notations == ["Art. 1(1)", "Art. 1(2)", "Art. 2(1)", "Art. 3(1)", "Art. 3(2)", "Art. 10(1)"]
    first = system["requirements"][0]
    assert first["heading"] == "Art. 1 — General obligations"
    assert first["excerpt"].endswith(" …")
    assert len(first["excerpt"]) <= 322
    assert LONG_TEXT.startswith(first["excerpt"][:-2])


def test_document_order_handles_articles_annexes_and_roman_numerals() -> None:
    """Articles precede annexes, Annex IX precedes Annex XI, and NIST functions keep their order."""
    notations = ["Annex XI", "Art. 10", "Annex IX 2", "Art. 9(2)(a)", "Art. 9(10)", "Art. 9(2)"]
    assert sorted(notations, key=clause_key) == [
        "Art. 9(2)", "Art. 9(2)(a)", "Art. 9(10)", "Art. 10", "Annex IX 2", "Annex XI"]
    assert sorted(["MANAGE 1.1", "MAP 1.1", "GOVERN 2.1", "MEASURE 1.1", "GOVERN 1.10", "GOVERN 1.2"],
                  key=clause_key) == [
        "GOVERN 1.2", "GOVERN 1.10", "GOVERN 2.1", "MAP 1.1", "MEASURE 1.1", "MANAGE 1.1"]
    assert excerpt("short text") == "short text"
    assert excerpt(None) is None


def test_not_yet_in_force_and_unmapped_requirements(document: dict[str, Any]) -> None:
    """A clause applying from a later date is listed with its date; unmapped ones carry any
    documented justification."""
    system = system_of(document)
    assert system["not_yet_in_force"] == [tfw("Art2-1")]
    future = next(r for r in system["requirements"] if r["iri"] == tfw("Art2-1"))
    assert (future["applies_from"], future["in_force"], future["state"]) == ("2027-08-02", False, "covered")
    assert system["unmapped"] == [tfw("Art3-1"), tfw("Art3-2")]
    justified = next(r for r in system["requirements"] if r["iri"] == tfw("Art3-1"))
    assert justified["justification"] == {
        "iri": ex("why-not-3-1"), "title": "Duties of Member States",
        "rationale": "Addressed to Member States, not to us.",
        "by": {"iri": ex("alice"), "name": "Alice", "email": "alice@example.org"},
        "date": "2026-05-12",
    }
    unjustified = next(r for r in system["requirements"] if r["iri"] == tfw("Art3-2"))
    assert unjustified["justification"] is None


def test_gaps_have_owner_reason_and_what_closes_them(document: dict[str, Any]) -> None:
    """Every gap names the system owner, the affected clauses and the remedy."""
    gaps = {g["notation"]: g for g in system_of(document)["gaps"]}
    assert set(gaps) == {"TC-02", "TC-04"}
    expired = gaps["TC-02"]
    assert expired["owner"]["name"] == "Bob"
    assert expired["requirements"] == ["Art. 1(2)"]
    assert expired["in_force"] is True
    assert expired["reason"].startswith("expired on 2025-11-29: max age 180 days")
    assert expired["closes_it"] == "Renew the Model card evidence (maximum age 180 days) and record the new version."
    assert expired["file"] == f"evidence/credit-scoring/card-{INTERNAL_MARK}.ttl"


def test_evidence_with_hash_commit_and_approver(document: dict[str, Any]) -> None:
    """Met evidence carries its date, hash and the approval that makes the control met."""
    system = system_of(document)
    met = control_of(system, "TC-01")
    assert met["evidence"] == [ex("risk")]
    assert met["approval"] == ex("risk-approval")
    [item] = [e for e in system["evidence"] if e["iri"] == ex("risk")]
    assert item["sha256"] == sha256_hex(b"# Risk assessment\n\nThe risks were assessed.\n")
    assert item["artifact"] == "evidence/credit-scoring/risk.md"
    assert item["record_commit"] is None  # the fixture is not a git repository
    [approval] = item["approvals"]
    assert (approval["approver"]["name"], approval["role"], approval["date"]) == ("Alice", "RAILead",
                                                                                 "2025-07-10")


def test_expiring_evidence_and_waivers(document: dict[str, Any]) -> None:
    """Evidence lapsing within 90 days is listed; the waiver shows expiry and compensating controls."""
    system = system_of(document)
    assert system["expiring"] == [{
        "evidence": ex("risk"), "title": "Evidence risk", "control": "TC-01",
        "valid_through": "2026-07-01", "days_left": 30,
        "basis": "maximum age 365 days from 2025-07-01",
    }]
    [waiver] = system["waivers"]
    assert (waiver["notation"], waiver["state"], waiver["expires"], waiver["days_left"]) == (
        "TC-03", "active", "2026-08-15", 75)
    assert waiver["approved_by"]["name"] == "Alice"
    assert waiver["compensating_controls"] == [
        {"iri": ex("CTRL-1"), "notation": "TC-01", "title": "Control TC-01", "status": "met"}]
    assert control_of(system, "TC-03")["waiver"] == ex("waiver-3")


def test_open_findings_are_listed_for_the_audience(document: dict[str, Any]) -> None:
    """Open findings show severity, owner and due date; resolved or unlevelled ones do not show."""
    system = system_of(document)
    [finding] = system["findings"]
    assert finding == {
        "id": ex("finding-late"), "title": "Approval rates differ by age", "incident": False,
        "severity": "High", "description": "Found in the spring review.",
        "owner": {"iri": ex("bob"), "name": "Bob", "email": "bob@example.org"},
        "created": "2026-04-01", "due": "2026-05-01", "overdue": True, "concerns": ["TC-02"],
        "file": "evidence/credit-scoring/finding-late.ttl",
    }
    assert system["findings_withheld"] == 1


def test_summary_ranks_in_force_gaps_first(document: dict[str, Any]) -> None:
    """Top risks: in-force clauses first, absent or broken proof before lapsed proof, then by how
    many clauses are affected."""
    risks = document["summary"]["top_risks"]
    assert [(r["system"], r["kind"], r["control"], len(r["requirements"])) for r in risks] == [
        ("chatbot", "unmapped", None, 2), ("chatbot", "gap", "TC-05", 1),
        ("credit-scoring", "unmapped", None, 1), ("credit-scoring", "finding", None, 1),
        ("credit-scoring", "gap", "TC-04", 1)]
    assert risks[3]["summary"] == "High finding: Approval rates differ by age, overdue since 2026-05-01"
    assert document["summary"]["control_counts"]["met"] == 3  # TC-01 and TC-ORG, and TC-ORG again


# --- audiences ---------------------------------------------------------------------------------


def rendered(root: Path, audience: str) -> dict[str, str]:
    """The report in every text format for ``audience``."""
    result = run(root, dt.date.fromisoformat(AS_OF))
    framework = resolve_framework(result, "test-fw")
    source = SourceInfo(revision="worktree", commit=None, uncommitted_changes=None)
    built = build_report(result, framework, result.assessment.systems, audience=audience,  # type: ignore[arg-type]
                         source=source)
    return {"json": built.model_dump_json(), "html": render_html(built),
            "markdown": render_markdown(built)}


@pytest.mark.parametrize(("audience", "hidden", "shown"), [
    ("internal", (), (CONFIDENTIAL_MARK, INTERNAL_MARK)),
    ("auditor", (CONFIDENTIAL_MARK,), (INTERNAL_MARK,)),
    ("customer", (CONFIDENTIAL_MARK, INTERNAL_MARK), ()),
    ("public", (CONFIDENTIAL_MARK, INTERNAL_MARK), ()),
])
def test_audience_never_sees_items_above_its_level(
    fixture_root: Path, audience: str, hidden: tuple[str, ...], shown: tuple[str, ...]
) -> None:
    """Titles, IRIs, paths, hashes and error messages of higher-level records appear in no format."""
    confidential_hash = sha256_hex(f"# {CONFIDENTIAL_MARK} risk assessment\n".encode())
    for name, text in rendered(fixture_root, audience).items():
        for marker in hidden:
            assert marker not in text, (audience, name, marker)
        for marker in shown:
            assert marker in text, (audience, name, marker)
        assert (confidential_hash in text) == (audience == "internal"), (audience, name)


def test_withheld_evidence_is_counted_and_reasons_are_generic(document: dict[str, Any]) -> None:
    """The auditor learns that evidence exists above its level, never what it is."""
    system = system_of(document)
    met = control_of(system, "TC-01")
    assert met["withheld_evidence"] == 1
    assert met["reason"] == NEUTRAL_REASON["met"]
    assert met["status_text"] == "met — 1 record withheld at this audience (auditor)"
    invalid = control_of(system, "TC-04")
    assert invalid["evidence"] == []
    assert next(g for g in system["gaps"] if g["notation"] == "TC-04")["file"] is None
    assert document["errors"] == []
    assert document["errors_withheld"] == 1
    assert document["repository_conforms"] is False


def test_internal_audience_sees_the_input_error(fixture_root: Path) -> None:
    """The hash mismatch of the Confidential record is listed for the internal audience."""
    document = report_json(fixture_root, audience="internal")
    [error] = document["errors"]
    assert error["kind"] == "artifact"
    assert error["file"] == f"evidence/credit-scoring/leak-{CONFIDENTIAL_MARK}.ttl"
    assert document["errors_withheld"] == 0


# --- escaping ----------------------------------------------------------------------------------


def test_html_and_markdown_escape_repository_text(fixture_root: Path) -> None:
    """Markup in titles and clause texts is shown as text, never interpreted."""
    formats = rendered(fixture_root, "internal")
    assert "Support &lt;chatbot&gt; | Nora" in formats["html"]
    assert "<chatbot>" not in formats["html"]
    assert "&lt;b&gt;register&lt;/b&gt;" in formats["html"]
    assert r"Support \<chatbot\> \| Nora" in formats["markdown"]
    assert "<chatbot>" not in formats["markdown"]
    assert r"\<b\>register\</b\> \| report" in formats["markdown"]


def test_html_is_self_contained_with_inline_charts(fixture_root: Path) -> None:
    """One file: styles inline, charts as inline SVG, no external resources."""
    html = rendered(fixture_root, "auditor")["html"]
    assert html.count("<svg") == 2
    assert "<link" not in html
    assert "src=" not in html
    assert "<style>" in html
    assert "Readiness by system" in html
    assert "Control status by system" in html


def test_markdown_has_every_section(fixture_root: Path) -> None:
    """The Markdown report has the summary, a text chart and every per-system section."""
    markdown = rendered(fixture_root, "auditor")["markdown"]
    for heading in ("## Executive summary", "### Top risks", "### Obligations and evidence",
                    "### Gaps and what closes them", "### Expiring within 90 days", "### Waivers",
                    "### What binds when", "### Unmapped requirements",
                    "### Evidence register", "## Input errors"):
        assert f"\n{heading}\n" in markdown, heading
    assert "```text\nReadiness by system" in markdown
    assert "█" in markdown


# --- the command -------------------------------------------------------------------------------


def test_report_refuses_to_overwrite_without_force(fixture_root: Path, tmp_path: Path) -> None:
    """An existing output is kept unless --force is given; then it is replaced."""
    output = tmp_path / "report.html"
    output.write_text("keep me", encoding="utf-8")
    args = ["--repo", str(fixture_root), "--as-of", AS_OF, "--framework", "test-fw", "--format",
            "html", "-o", str(output)]
    refused = CliRunner().invoke(main, ["report", *args])
    assert refused.exit_code == 2
    assert f"{output} exists; use --force to overwrite it" in refused.output
    assert output.read_text(encoding="utf-8") == "keep me"
    forced = invoke([*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert output.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_usage_errors(fixture_root: Path) -> None:
    """An unknown framework or system, and pdf without -o, are usage errors without traceback."""
    base = ["--repo", str(fixture_root), "--as-of", AS_OF]
    unknown = CliRunner().invoke(main, ["report", *base, "--framework", "nope", "--format", "json"])
    assert unknown.exit_code == 2
    assert "no framework 'nope' in the repository (known: test-fw)" in unknown.output
    system = CliRunner().invoke(main, ["report", *base, "--framework", "test-fw", "--system", "nope"])
    assert system.exit_code == 2
    assert "no system 'nope'" in system.output
    pdf = CliRunner().invoke(main, ["report", *base, "--framework", "test-fw", "--format", "pdf"])
    assert pdf.exit_code == 2
    assert "--format pdf writes a file: give -o FILE" in pdf.output
    for result in (unknown, system, pdf):
        assert "Traceback" not in result.output


def test_report_of_one_system(fixture_root: Path) -> None:
    """--system restricts the report to that system."""
    document = report_json(fixture_root, "--system", "chatbot")
    assert [s["system"]["name"] for s in document["systems"]] == ["chatbot"]
    assert [r["notation"] for r in system_of(document, "chatbot")["requirements"]] == [
        "Art. 1(1)", "Art. 2(1)", "Art. 3(1)", "Art. 3(2)", "Art. 10(1)", "Annex I 1"]


def test_report_as_of_a_past_revision(tmp_path: Path) -> None:
    """--rev reads the repository from git objects: the posture of that commit, with commits."""
    repo = build_fixture(tmp_path / "governance")
    init(repo.root)
    first = commit_all(repo.root, "release 1")
    (repo.root / "evidence/credit-scoring/risk.ttl").unlink()
    (repo.root / "evidence/credit-scoring/risk-approval.ttl").unlink()
    commit_all(repo.root, "drop the risk assessment")
    now = system_of(report_json(repo.root))
    assert ex("risk") not in control_of(now, "TC-01")["evidence"]
    then = report_json(repo.root, "--rev", first)
    assert then["source"] == {"revision": first, "commit": first, "uncommitted_changes": False}
    system = system_of(then)
    assert control_of(system, "TC-01")["evidence"] == [ex("risk")]
    [item] = [e for e in system["evidence"] if e["iri"] == ex("risk")]
    assert item["record_commit"]["sha"] == first
    assert item["artifact_commit"]["sha"] == first


def test_report_of_the_working_tree_names_head_and_changes(tmp_path: Path) -> None:
    """A report of the working tree records HEAD and whether files differ from it."""
    repo = build_fixture(tmp_path / "governance")
    init(repo.root)
    head = commit_all(repo.root, "release 1")
    assert report_json(repo.root)["source"] == {"revision": "worktree", "commit": head,
                                                "uncommitted_changes": False}
    repo.write_text("build/report.pdf", "output beside the repository is not a change\n")
    assert report_json(repo.root)["source"]["uncommitted_changes"] is False
    repo.write_text("evidence/credit-scoring/notes.md", "draft\n")
    assert report_json(repo.root)["source"]["uncommitted_changes"] is True
