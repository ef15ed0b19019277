"""CycloneDX: a vendor's ML-BOM (JSON, spec 1.5 or later) as evidence of the model it describes.

An ML-BOM is ``{"bomFormat": "CycloneDX", "specVersion", "metadata": {"timestamp", "component"},
"components": [...]}``; a component of ``"type": "machine-learning-model"`` may carry a
``modelCard`` whose ``quantitativeAnalysis.performanceMetrics`` are ``{"type", "value", "slice"}``
with the value as text (CycloneDX 1.5/1.6 ``performanceMetric``). Every model component (the
BOM's subject in ``metadata.component`` and any in ``components``, nested ones included) is read;
each metric's ``type`` is the measurement's name, its ``slice`` the slice, and with several models
the slice is prefixed with ``model=<name>``. Values that are not numbers (a model card may say
"n/a") are skipped with a note. The suggested evidence type is a model card, the title names the
model and its supplier, and the date is ``metadata.timestamp``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from rai_graph.authoring.importers._base import (
    Extracted,
    Importer,
    ImporterError,
    NotToolFormat,
    load_json,
    metric_name,
    parse_timestamp,
    slice_label,
    to_decimal,
)
from rai_graph.model import Measurement
from rai_graph.vocab import RAI

MODEL = "machine-learning-model"
_MAX_DEPTH = 32
"""Components nest; deeper than this is no BOM a tool writes (and would exhaust the stack)."""


def read(path: Path, metric_paths: Sequence[str]) -> Extracted:
    document = load_json(path)
    if not isinstance(document, dict) or document.get("bomFormat") != "CycloneDX":
        raise NotToolFormat(path, 'is not a CycloneDX BOM (no "bomFormat": "CycloneDX")')
    version = document.get("specVersion")
    if not isinstance(version, str) or _version(version) < (1, 5):
        raise NotToolFormat(path, f"is CycloneDX {version!r}; model cards need specVersion 1.5 or later",
                            key="specVersion")
    found = document.get("metadata")
    metadata: dict[str, Any] = found if isinstance(found, dict) else {}
    models = list(_models(path, metadata, document))
    if not models:
        raise NotToolFormat(path, f'describes no component of type "{MODEL}"')
    measurements: list[Measurement] = []
    notes: list[str] = []
    several = len(models) > 1
    for key, component in models:
        name = component.get("name") if isinstance(component.get("name"), str) else key
        card = component.get("modelCard")
        analysis = card.get("quantitativeAnalysis") if isinstance(card, dict) else None
        metrics = analysis.get("performanceMetrics") if isinstance(analysis, dict) else None
        if not isinstance(metrics, list):
            notes.append(f"{key} ({name}): no modelCard.quantitativeAnalysis.performanceMetrics")
            continue
        for index, metric in enumerate(metrics):
            where = f"{key}.modelCard.quantitativeAnalysis.performanceMetrics[{index}]"
            if not isinstance(metric, dict):
                raise NotToolFormat(path, "expected an object", key=where)
            metric_type = metric_name(metric.get("type"), path, key=f"{where}.type")
            try:
                value = to_decimal(metric.get("value"), path, key=f"{where}.value", text_allowed=True)
            except ImporterError as exc:
                notes.append(f"skipped {metric_type}: {exc.detail}")
                continue
            parts: list[tuple[str, object]] = [("model", name)] if several else []
            raw_slice = metric.get("slice")
            if isinstance(raw_slice, str) and raw_slice.strip():
                parts.append(("", raw_slice.strip()))
            measurements.append(Measurement(metric_type, value, slice_label(parts) if parts else None))
    subject = models[0][1]
    return Extracted(measurements, title=_title(subject), generated=parse_timestamp(metadata.get("timestamp")),
                     evidence_type=RAI.ModelCard, notes=notes)


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return (0,)


def _models(path: Path, metadata: dict[str, Any], document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    subject = metadata.get("component")
    if isinstance(subject, dict):
        yield from _walk(path, subject, "metadata.component", 0)
    for index, component in enumerate(document.get("components") or []):
        if isinstance(component, dict):
            yield from _walk(path, component, f"components[{index}]", 0)


def _walk(path: Path, component: dict[str, Any], key: str, depth: int) -> Iterator[tuple[str, dict[str, Any]]]:
    if depth > _MAX_DEPTH:
        raise NotToolFormat(path, f"components nest more than {_MAX_DEPTH} levels deep", key=key)
    if component.get("type") == MODEL:
        yield key, component
    for index, child in enumerate(component.get("components") or []):
        if isinstance(child, dict):
            yield from _walk(path, child, f"{key}.components[{index}]", depth + 1)


def _title(component: dict[str, Any]) -> str:
    name = component.get("name") if isinstance(component.get("name"), str) else "model"
    version = component.get("version")
    supplier = component.get("supplier") or component.get("manufacturer")
    by = supplier.get("name") if isinstance(supplier, dict) else component.get("publisher")
    text = f"ML-BOM model card: {name}" + (f" {version}" if isinstance(version, str) else "")
    return text + (f" ({by})" if isinstance(by, str) and by.strip() else "")


IMPORTER = Importer(
    tool="cyclonedx",
    name="cyclonedx-mlbom",
    version=1,
    summary="a CycloneDX ML-BOM (JSON, 1.5+): the performance metrics of each model card",
    read=read,
)
