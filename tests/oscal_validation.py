"""Validators for OSCAL documents: the NIST OSCAL 1.2.1 JSON schemas (vendored in tests/data/oscal,
see its SOURCE.md) and compliance-trestle's pydantic models of the same release."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import regex
from jsonschema.exceptions import ValidationError

SCHEMAS = Path(__file__).parent / "data" / "oscal"
SCHEMA_FILES = {"catalog": "oscal_catalog_schema.json", "component-definition": "oscal_component_schema.json",
                "assessment-results": "oscal_assessment-results_schema.json"}


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    # OSCAL's patterns are ECMA-262 with Unicode classes (\p{L}, \p{N}), which Python's re lacks;
    # the regex module reads them as the schema means them.
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


OscalValidator = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": _pattern})
_META_FORMATS = jsonschema.FormatChecker()
_META_FORMATS.checks("regex", raises=regex.error)(lambda text: regex.compile(text) is not None)


def schema_problems(document: dict[str, Any]) -> list[str]:
    """Where ``document`` breaks the NIST JSON schema of its model (empty when valid)."""
    (model,) = document
    schema = json.loads((SCHEMAS / SCHEMA_FILES[model]).read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    OscalValidator.check_schema(schema, format_checker=_META_FORMATS)
    validator = OscalValidator(schema, format_checker=OscalValidator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"[:300] for e in validator.iter_errors(document)]


def trestle_model(document: dict[str, Any]) -> Any:
    """The document parsed by compliance-trestle's model of its root (raises when invalid)."""
    from trestle.oscal.assessment_results import AssessmentResults
    from trestle.oscal.catalog import Catalog
    from trestle.oscal.component import ComponentDefinition

    (model,) = document
    cls = {"catalog": Catalog, "component-definition": ComponentDefinition,
           "assessment-results": AssessmentResults}[model]
    return cls.model_validate(document[model])
