"""Write tests/fixtures/importers/cyclonedx/vendor-ml-bom.json with cyclonedx-python-lib.

The library (https://github.com/CycloneDX/cyclonedx-python-lib) writes the BOM: serial number,
metadata with its own tool entry, the supplier, and the ``machine-learning-model`` component with
its hashes and external references. It has no model for ``modelCard`` (as of 11.12), so the
vendor's model card is added to the library's JSON output as CycloneDX 1.6 defines it
(``component.modelCard``); the library's own strict JSON validator then checks the whole document
against the schema it ships.

    python3 -m venv /tmp/cdx && /tmp/cdx/bin/pip install 'cyclonedx-python-lib[json-validation]==11.12.0'
    /tmp/cdx/bin/python scripts/make-cyclonedx-fixture.py
"""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

from cyclonedx.model import ExternalReference, ExternalReferenceType, HashAlgorithm, HashType, XsUri
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.contact import OrganizationalEntity
from cyclonedx.output import make_outputter
from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

TARGET = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "importers" / "cyclonedx"

MODEL_CARD = {
    "modelParameters": {
        "approach": {"type": "supervised"},
        "task": "binary classification of fraudulent card transactions",
        "architectureFamily": "gradient-boosted trees",
    },
    "quantitativeAnalysis": {
        "performanceMetrics": [
            {"type": "roc_auc", "value": "0.912"},
            {"type": "precision", "value": "0.81", "slice": "merchant_region=EU"},
            {"type": "precision", "value": "0.77", "slice": "merchant_region=non-EU"},
            {"type": "false_positive_rate", "value": "0.021"},
            {"type": "calibration_note", "value": "n/a"},
        ]
    },
    "considerations": {
        "useCases": ["Scoring card-not-present transactions for manual review"],
        "technicalLimitations": ["Not evaluated on cross-border instant payments"],
    },
}


def main() -> None:
    model = Component(
        type=ComponentType.MACHINE_LEARNING_MODEL, name="fraud-screen", version="4.2.0",
        bom_ref="model-fraud-screen-4.2.0",
        supplier=OrganizationalEntity(name="Vendor Analytics B.V."),
        description="Vendor fraud-screening model supplied under contract FS-2026-07.",
        hashes=[HashType(alg=HashAlgorithm.SHA_256,
                         content="3f2c7d9f0c4b5a6e8d1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f")],
        external_references=[ExternalReference(type=ExternalReferenceType.MODEL_CARD,
                                               url=XsUri("https://vendor.example/models/fraud-screen/4.2.0/card"))],
    )
    bom = Bom(serial_number=UUID("6f1d3c2e-8a4b-4c5d-9e6f-7a8b9c0d1e2f"))
    bom.metadata.component = model
    text = make_outputter(bom, OutputFormat.JSON, SchemaVersion.V1_6).output_as_string(indent=2)
    document = json.loads(text)
    document["metadata"]["component"]["modelCard"] = MODEL_CARD
    final = json.dumps(document, indent=2) + "\n"
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(final)
    if errors is not None:
        raise SystemExit(f"the fixture is not valid CycloneDX 1.6: {errors}")
    TARGET.mkdir(parents=True, exist_ok=True)
    (TARGET / "vendor-ml-bom.json").write_text(final, encoding="utf-8")


if __name__ == "__main__":
    main()
