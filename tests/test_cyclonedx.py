"""CycloneDX exports of one AI system (ML-BOM, attestation) checked against the CycloneDX 1.6 JSON
schema, and a vendor's ML-BOM imported as evidence (`new evidence --import cyclonedx FILE`)."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rai_graph.authoring.importers import NotToolFormat, import_measurements
from rai_graph.cli import main

from cyclonedx_validation import schema_problems
from git_helpers import commit_all, git, init
from repo_builder import GovernanceRepo, ex

AS_OF = "2026-06-01"
VENDOR_BOM = Path(__file__).parent / "fixtures" / "importers" / "cyclonedx" / "vendor-ml-bom.json"
MEASURED = (("rai:measurement", '[ rai:metric "demographic_parity_difference" ; rai:value 0.04 ; '
                                'rai:slice "sex" ]'),
            ("rai:measurement", '[ rai:metric "accuracy" ; rai:value 0.91 ]'))


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> GovernanceRepo:
    """One high-risk system: an approved risk assessment with measurements (approval expiring
    2026-12-31), a missing control, a second system, committed to git."""
    governance = GovernanceRepo(tmp_path_factory.mktemp("cdx") / "repo").with_base()
    governance.add_control("CTRL-2", "TC-02")
    governance.add_system()
    governance.add_system("fraud-detection", "FraudDetection")
    governance.add_evidence("risk", extra=MEASURED)
    governance.add_approval("risk-approval", "risk", expires="2026-12-31")
    init(governance.root)
    commit_all(governance.root, "governance")
    return governance


def export(repo: Path, fmt: str, *extra: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["export", "--repo", str(repo), "--as-of", AS_OF, "--format", fmt,
                                       "--system", "credit-scoring", *extra])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


@pytest.mark.parametrize("fmt", ["cyclonedx", "cdxa"])
def test_exports_validate_against_the_cyclonedx_schema(repo: GovernanceRepo, fmt: str) -> None:
    """ML-BOM and attestation are valid CycloneDX 1.6, deterministic, and the schema rejects an
    unknown field."""
    document = export(repo.root, fmt)
    assert schema_problems(document) == []
    assert document == export(repo.root, fmt)
    assert document["metadata"]["timestamp"] == "2026-05-01T12:00:00Z"  # the commit judged
    broken = {**document, "unknownField": True}
    assert schema_problems(broken)


def test_ml_bom_model_card_comes_from_the_system_and_its_evidence(repo: GovernanceRepo) -> None:
    """The model card's metrics are the evidence's measurements (with slices); the artefact is an
    external reference with its SHA-256; statuses are properties."""
    component = export(repo.root, "cyclonedx")["metadata"]["component"]
    assert (component["type"], component["bom-ref"], component["name"]) == (
        "machine-learning-model", ex("CreditScoring"), "credit-scoring")
    metrics = component["modelCard"]["quantitativeAnalysis"]["performanceMetrics"]
    assert {(m["type"], m["value"], m.get("slice")) for m in metrics} == {
        ("demographic_parity_difference", "0.04", "sex"), ("accuracy", "0.91", None)}
    (reference,) = component["externalReferences"]
    assert (reference["type"], reference["url"]) == ("risk-assessment", "evidence/credit-scoring/risk.md")
    import hashlib

    digest = hashlib.sha256((repo.root / "evidence/credit-scoring/risk.md").read_bytes()).hexdigest()
    assert reference["hashes"] == [{"alg": "SHA-256", "content": digest}]
    properties = {p["name"]: p["value"] for p in component["properties"]}
    assert properties["rai-graph:status:TC-01"] == "met"
    assert properties["rai-graph:status:TC-02"] == "missing"


def test_attestation_chains_requirements_claims_evidence_and_signatories(repo: GovernanceRepo) -> None:
    """Each applicable requirement maps to the claims of its controls; a met claim cites its
    evidence, which names its author, its approver and the approval's expiry; the approver signs
    the affirmation pointing at the approval record."""
    document = export(repo.root, "cdxa")
    declarations = document["declarations"]
    (standard,) = document["definitions"]["standards"]
    assert [r["identifier"] for r in standard["requirements"]] == ["TF 1"]
    (entry,) = declarations["attestations"][0]["map"]
    assert entry["requirement"] == standard["requirements"][0]["bom-ref"]
    assert entry["claims"] == [f"claim:{ex('CTRL-1')}"]
    assert entry["counterClaims"] == [f"claim:{ex('CTRL-2')}"]
    assert entry["conformance"]["score"] == 0.5
    claims = {c["bom-ref"]: c for c in declarations["claims"]}
    met = claims[f"claim:{ex('CTRL-1')}"]
    (evidence_ref,) = met["evidence"]
    evidence = {e["bom-ref"]: e for e in declarations["evidence"]}[evidence_ref]
    assert evidence["expires"] == "2026-12-31T00:00:00Z"
    assert evidence["created"] == "2026-01-15T00:00:00Z"
    assert evidence["reviewer"]["name"] == "Alice"
    head = git(repo.root, "rev-parse", "HEAD")
    assert f"commit {head}" in evidence["description"]
    (signatory,) = declarations["affirmation"]["signatories"]
    assert signatory["externalReference"]["url"] == "evidence/credit-scoring/risk-approval.ttl"
    assert "expires 2026-12-31" in signatory["externalReference"]["comment"]
    assert claims[f"claim:{ex('CTRL-2')}"]["reasoning"].startswith("no ")


def test_customers_see_no_internal_evidence(repo: GovernanceRepo) -> None:
    """For the customer audience the internal risk assessment is neither cited nor hashed."""
    for fmt in ("cyclonedx", "cdxa"):
        document = export(repo.root, fmt, "--audience", "customer")
        assert schema_problems(document) == []
        text = json.dumps(document)
        assert ex("risk") + '"' not in text
        assert "risk.md" not in text


def test_a_bom_describes_one_system() -> None:
    """Without --system in a repository of several systems, the command says to choose one."""
    result = CliRunner().invoke(main, ["export", "--repo", str(Path(__file__).parent.parent), "--format",
                                       "cyclonedx"])
    assert result.exit_code == 2
    assert "choose it with --system" in result.output


def test_vendor_ml_bom_imports_its_model_card_metrics() -> None:
    """The vendor's ML-BOM gives the model card's numeric metrics, slices kept, 'n/a' skipped with
    a note, dated by the BOM, suggested as model-card evidence."""
    result = import_measurements("cyclonedx", VENDOR_BOM)
    assert [(m.metric, m.value, m.slice) for m in result.measurements] == [
        ("roc_auc", Decimal("0.912"), None), ("precision", Decimal("0.81"), "merchant_region=EU"),
        ("precision", Decimal("0.77"), "merchant_region=non-EU"), ("false_positive_rate", Decimal("0.021"), None)]
    assert result.notes == ("skipped calibration_note: expected a number, found 'n/a'",)
    assert result.title == "ML-BOM model card: fraud-screen 4.2.0 (Vendor Analytics B.V.)"
    assert str(result.evidence_type).endswith("#ModelCard")
    assert result.generated is not None
    assert result.extracted_by == "cyclonedx-mlbom/1"


def test_what_is_no_ml_bom_is_refused(tmp_path: Path) -> None:
    """An SPDX file, an old CycloneDX and a BOM without models are clear errors naming the file."""
    document = json.loads(VENDOR_BOM.read_text(encoding="utf-8"))
    cases = {
        "spdx.json": {"spdxVersion": "SPDX-2.3"},
        "old.json": {**document, "specVersion": "1.4"},
        "library.json": {**document, "metadata": {**document["metadata"], "component": {
            "type": "library", "name": "x"}}},
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_text(json.dumps(content), encoding="utf-8")
        with pytest.raises(NotToolFormat, match=name):
            import_measurements("cyclonedx", path)


def test_new_evidence_imports_a_vendor_ml_bom(tmp_path: Path) -> None:
    """`new evidence --import cyclonedx FILE` writes a record with the metrics, the BOM as its
    artefact, and check accepts it."""
    repo = GovernanceRepo(tmp_path / "repo").with_base()
    repo.write_text("rai-graph.toml", 'base_iri = "https://example.org/acme/"\n')
    repo.add_system()
    target = repo.root / "evidence/credit-scoring/vendor-ml-bom.json"
    shutil.copy(VENDOR_BOM, target)
    result = CliRunner().invoke(main, ["new", "evidence", "--repo", str(repo.root), "--import", "cyclonedx",
                                       str(target), "--system", "credit-scoring", "--control", "CTRL-1",
                                       "--id", "vendor-card", "--author", "bob"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    records = list((repo.root / "evidence/credit-scoring").glob("*vendor-card*.ttl"))
    (record,) = records
    text = record.read_text(encoding="utf-8")
    assert 'rai:extractedBy "cyclonedx-mlbom/1"' in text
    assert 'rai:metric "roc_auc"' in text
    assert 'rai:artifact "vendor-ml-bom.json"' in text
    check = CliRunner().invoke(main, ["check", "--repo", str(repo.root), "--as-of", AS_OF, "--fail-on", "errors"])
    assert check.exit_code == 0, check.output
