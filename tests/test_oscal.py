"""OSCAL exports (catalog, component definition, assessment results) checked by the NIST OSCAL
1.2.1 JSON schemas and compliance-trestle's models, over the CI fixture repository committed to git."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rai_graph.cli import main

from git_helpers import commit_all, init
from oscal_validation import schema_problems, trestle_model
from repo_builder import GovernanceRepo, ex
from test_render_ci import build_repository

PROJECT = Path(__file__).parent.parent
AS_OF = "2026-06-01"
COMMITTED = "2026-05-01T12:00:00Z"  # git_helpers.FIXED_DATE


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> GovernanceRepo:
    """The CI fixture repository (every status, organisation control) in a git repository."""
    governance, _records, _parse, _ghost = build_repository(tmp_path_factory.mktemp("oscal") / "repo")
    init(governance.root)
    commit_all(governance.root, "governance")
    return governance


def export(repo: Path, fmt: str, *extra: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["export", "--repo", str(repo), "--as-of", AS_OF, "--format", fmt, *extra])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


@pytest.mark.parametrize("fmt", ["oscal", "oscal-component", "oscal-assessment"])
def test_exports_are_valid_under_the_nist_schema_and_trestle(repo: GovernanceRepo, fmt: str) -> None:
    """Each OSCAL export is valid under the NIST 1.2.1 JSON schema and trestle's model, and both
    reject a document with a broken UUID."""
    document = export(repo.root, fmt)
    assert schema_problems(document) == []
    trestle_model(document)
    (model,) = document
    broken = json.loads(json.dumps(document))
    broken[model]["uuid"] = "not-a-uuid"
    assert schema_problems(broken)
    with pytest.raises(ValueError, match="uuid"):
        trestle_model(broken)


@pytest.mark.parametrize("fmt", ["oscal", "oscal-component", "oscal-assessment"])
def test_timestamps_are_the_commit_and_the_output_is_deterministic(repo: GovernanceRepo, fmt: str) -> None:
    """last-modified is the date of the commit judged (never 1970), and two exports are identical."""
    first, second = export(repo.root, fmt), export(repo.root, fmt)
    assert first == second
    (model,) = first
    assert first[model]["metadata"]["last-modified"] == COMMITTED
    assert "1970" not in json.dumps(first)


def test_project_catalog_keeps_thresholds_roles_and_answers() -> None:
    """The example library's catalog carries each control's thresholds, approving role (as a
    metadata role it names) and customer answer text, and validates."""
    document = export(PROJECT, "oscal")
    assert schema_problems(document) == []
    catalog = document["catalog"]
    controls = {c["props"][0]["value"]: c for g in catalog["groups"] for c in g["controls"]}
    fairness = controls["RAI-EVAL-08"]
    props = {(p["name"], p["value"]) for p in fairness["props"]}
    assert ("threshold", "equalized_odds_difference <= 0.05") in props
    role_ids = {role["id"] for role in catalog["metadata"]["roles"]}
    assert ("responsible-role", "responsible-ai-lead") in props
    assert "responsible-ai-lead" in role_ids
    answers = [c for c in controls.values() if any(p["name"] == "answer" for p in c["parts"])]
    assert len(answers) >= 40
    (answer,) = [p for p in fairness["parts"] if p["name"] == "answer"]
    assert answer["prose"].strip()


def test_component_definition_implements_each_control_per_system(repo: GovernanceRepo) -> None:
    """A component per system; each binding control an implemented requirement with OSCAL's
    implementation-status for its status, and links to its evidence's back-matter resource."""
    document = export(repo.root, "oscal-component")["component-definition"]
    components = {c["title"]: c for c in document["components"]}
    assert set(components) == {"Credit scoring model", "Fraud detection\x07"}
    credit = components["Credit scoring model"]["control-implementations"][0]["implemented-requirements"]
    status = {r["control-id"]: {p["name"]: p["value"] for p in r["props"]} for r in credit}
    assert status["tc-01"]["implementation-status"] == "implemented"
    assert status["tc-03"]["implementation-status"] == "planned"
    assert status["tc-02"] == {"implementation-status": "partial", "status": "expired"}
    assert status["tc-org"]["status"] == "missing"
    resources = {r["uuid"]: r for r in document["back-matter"]["resources"]}
    (met,) = [r for r in credit if r["control-id"] == "tc-01"]
    (link,) = met["links"]
    resource = resources[link["href"][1:]]
    assert {p["name"]: p["value"] for p in resource["props"]}["iri"] == ex("risk-assessment")


def test_assessment_results_link_findings_to_evidence_by_hash_and_commit(repo: GovernanceRepo) -> None:
    """A result per system as of the date; a finding per control (satisfied or not, with the
    reason); observations of the evidence, whose resource gives the artefact's SHA-256 and the
    commit that last changed the record."""
    document = export(repo.root, "oscal-assessment")["assessment-results"]
    head = commit_head(repo.root)
    results = {r["title"]: r for r in document["results"]}
    credit = results["Credit scoring model as of 2026-06-01"]
    assert credit["start"] == "2026-06-01T00:00:00Z"
    assert {p["name"]: p["value"] for p in credit["props"]}["commit"] == head
    findings = {f["title"].split(" ", 1)[0]: f for f in credit["findings"]}
    assert findings["TC-01"]["target"]["status"] == {"state": "satisfied", "reason": "pass"}
    assert findings["TC-03"]["target"]["status"]["state"] == "not-satisfied"
    assert findings["TC-02"]["description"].startswith("expired: ")
    (related,) = findings["TC-01"]["related-observations"]
    observations = {o["uuid"]: o for o in credit["observations"]}
    observation = observations[related["observation-uuid"]]
    assert observation["collected"] == "2026-01-15T00:00:00Z"
    resources = {r["uuid"]: r for r in document["back-matter"]["resources"]}
    resource = resources[observation["relevant-evidence"][0]["href"][1:]]
    (rlink,) = resource["rlinks"]
    artefact = repo.root / "evidence/credit-scoring/risk-assessment.md"
    assert rlink["href"] == "evidence/credit-scoring/risk-assessment.md"
    import hashlib

    assert rlink["hashes"] == [{"algorithm": "SHA-256", "value": hashlib.sha256(artefact.read_bytes()).hexdigest()}]
    assert {p["name"]: p["value"] for p in resource["props"]}["commit"] == head


def test_an_audience_sees_no_evidence_above_its_level(repo: GovernanceRepo) -> None:
    """For customers, internal evidence records are withheld (counted, not named) and the
    documents stay valid."""
    document = export(repo.root, "oscal-assessment", "--audience", "customer")
    assert schema_problems(document) == []
    text = json.dumps(document)
    assert ex("risk-assessment") not in text
    assert "risk-assessment.md" not in text
    results = document["assessment-results"]["results"]
    findings = [f for r in results for f in r["findings"]]
    assert any({"name": "withheld-records", "ns": "https://w3id.org/rai-graph/ns", "value": "1"} in f["props"]
               for f in findings)


def commit_head(root: Path) -> str:
    from git_helpers import git

    return git(root, "rev-parse", "HEAD")


def test_dates_oscal_cannot_carry_fall_back_to_the_as_of_date(tmp_path: Path) -> None:
    """Evidence dated in year 1 (an input error elsewhere) never breaks the document."""
    repo = GovernanceRepo(tmp_path / "repo").with_base()
    repo.add_system()
    repo.add_approved_evidence("ancient", generated="0001-01-01")
    document = export(repo.root, "oscal-assessment")
    assert schema_problems(document) == []
    assert dt.date(2026, 6, 1).isoformat() in json.dumps(document)
