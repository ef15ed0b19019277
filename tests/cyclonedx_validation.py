"""The CycloneDX 1.6 JSON schema (vendored in tests/data/cyclonedx with the SPDX licence-id and
JSF schemas it references; see SOURCE.md there), resolved offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

SCHEMAS = Path(__file__).parent / "data" / "cyclonedx"
BOM_SCHEMA = "bom-1.6.schema.json"


def _registry() -> Registry:
    resources = []
    for name in (BOM_SCHEMA, "spdx.schema.json", "jsf-0.82.schema.json"):
        contents = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents)
        resources += [(contents["$id"], resource), (name, resource)]
    registry: Registry = Registry().with_resources(resources)
    return registry


def validator() -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / BOM_SCHEMA).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, registry=_registry(), format_checker=cls.FORMAT_CHECKER)


def schema_problems(document: dict[str, Any]) -> list[str]:
    """Where ``document`` breaks the CycloneDX 1.6 schema (empty when valid)."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"[:300]
            for e in validator().iter_errors(document)]
