"""Fairlearn: a ``MetricFrame`` exported to JSON (overall and by group).

Fairlearn keeps results in memory; pandas writes them. The accepted file is what this snippet
writes, one entry of ``metric_frames`` per ``MetricFrame`` (e.g. one per protected attribute)::

    import datetime, json, fairlearn
    from fairlearn.metrics import MetricFrame, selection_rate, true_positive_rate, false_positive_rate

    frames = [MetricFrame(metrics={"selection_rate": selection_rate,
                                   "true_positive_rate": true_positive_rate,
                                   "false_positive_rate": false_positive_rate},
                          y_true=y_true, y_pred=y_pred, sensitive_features=df[feature])
              for feature in ("sex", "age_band")]
    export = {
        "title": "Credit scoring fairness, 2026-Q3",            # optional
        "created": datetime.datetime.now(datetime.UTC).isoformat(),  # optional
        "fairlearn_version": fairlearn.__version__,              # optional
        "metric_frames": [{"overall": json.loads(mf.overall.to_json()),
                           "by_group": json.loads(mf.by_group.to_json(orient="table"))}
                          for mf in frames],
    }
    json.dump(export, open("fairness.json", "w"), indent=2)

A file holding a single ``{"overall": ..., "by_group": ...}`` object is accepted too. ``by_group``
must be pandas' Table Schema JSON (``orient="table"``): it is the form that keeps the names of the
sensitive features. Metrics must be given to ``MetricFrame`` as a dict of named scalar metrics;
``control_features`` are not supported.

Measurements, metric names as named in the ``metrics`` dict (snake_case):

* each metric overall (no slice) and for each group (slice ``age_band=18-25``; several sensitive
  features give ``sex=female, age_band=18-25``);
* per frame, slice = the sensitive feature names (``age_band``), computed from the exported
  group values exactly as ``MetricFrame.difference()``/``ratio()`` do (between groups, worst case):
  ``<metric>_difference`` and ``<metric>_ratio`` for every metric but ``count``, and Fairlearn's
  named fairness metrics when the columns they need carry Fairlearn's function names:
  ``demographic_parity_difference``/``_ratio`` (``selection_rate``),
  ``equal_opportunity_difference``/``_ratio`` (``true_positive_rate``),
  ``equalized_odds_difference``/``_ratio`` (``true_positive_rate`` and ``false_positive_rate``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from rai_graph.authoring.importers._base import (
    Extracted,
    Importer,
    InvalidValue,
    NotToolFormat,
    load_json,
    member,
    metric_name,
    parse_timestamp,
    rate,
    slice_label,
    to_decimal,
)
from rai_graph.model import Measurement
from rai_graph.vocab import RAI

_NO_DISPARITY = {"count"}  # group sizes: a difference between them says nothing about fairness


def read(path: Path, _metric_paths: Sequence[str]) -> Extracted:
    document = load_json(path)
    frames, prefix = _frames(document, path)
    measurements: list[Measurement] = []
    overall_seen: dict[str, tuple[Decimal, str]] = {}
    notes: list[str] = []
    features: list[str] = []
    for index, frame in enumerate(frames):
        key = f"{prefix}[{index}]" if prefix else ""
        frame_features, groups = _by_group(frame, path, key)
        features.extend(f for f in frame_features if f not in features)
        for metric, value in _overall(frame, path, key):
            where = f"{key}.overall.{metric}".lstrip(".")
            if metric in overall_seen:
                earlier, earlier_where = overall_seen[metric]
                if earlier != value:
                    raise InvalidValue(path, f"overall {metric} is {value} here but {earlier} at "
                                       f"{earlier_where}; the frames were not computed on the same "
                                       "predictions", key=where)
                continue
            overall_seen[metric] = (value, where)
            measurements.append(Measurement(metric, value, None))
        for label, values in groups:
            measurements.extend(Measurement(metric, value, label) for metric, value in values.items())
        derived, skipped = _disparities(frame_features, groups)
        measurements.extend(derived)
        notes.extend(skipped)
    title = document.get("title") if isinstance(document, dict) else None
    return Extracted(
        measurements=measurements,
        title=title if isinstance(title, str) and title.strip()
        else f"Fairlearn MetricFrame by {', '.join(features)}",
        generated=parse_timestamp(document.get("created")) if isinstance(document, dict) else None,
        evidence_type=RAI.FairnessEvaluation,
        notes=notes,
    )


def _frames(document: Any, path: Path) -> tuple[list[Any], str]:
    if isinstance(document, dict) and "metric_frames" in document:
        frames = document["metric_frames"]
        if not isinstance(frames, list) or not frames:
            raise NotToolFormat(path, "expected a non-empty list of exported MetricFrames",
                                key="metric_frames")
        return frames, "metric_frames"
    if isinstance(document, dict) and "by_group" in document:
        return [document], ""
    raise NotToolFormat(path, "is not a Fairlearn MetricFrame export: expected 'metric_frames', or "
                        "'overall' and 'by_group' (see rai_graph.authoring.importers.fairlearn)")


def _by_group(frame: Any, path: Path, key: str) -> tuple[list[str], list[tuple[str, dict[str, Decimal]]]]:
    """The sensitive feature names and, per group, its slice label and metric values."""
    at = f"{key}.by_group".lstrip(".")
    table = member(frame, "by_group", path, key=at)
    schema = member(table, "schema", path, key=f"{at}.schema")
    primary = member(schema, "primaryKey", path, key=f"{at}.schema.primaryKey")
    fields = member(schema, "fields", path, key=f"{at}.schema.fields")
    rows = member(table, "data", path, key=f"{at}.data")
    if isinstance(primary, str):
        primary = [primary]
    if not isinstance(primary, list) or not primary or not all(isinstance(p, str) for p in primary):
        raise NotToolFormat(path, "expected the sensitive feature names", key=f"{at}.schema.primaryKey")
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str)
                                               for f in fields):
        raise NotToolFormat(path, "expected a list of {name, type} fields", key=f"{at}.schema.fields")
    if not isinstance(rows, list) or not rows:
        raise NotToolFormat(path, "expected one row per group", key=f"{at}.data")
    columns = [f["name"] for f in fields if f["name"] not in primary]
    if not columns:
        raise NotToolFormat(path, "has no metric columns; pass MetricFrame a dict of named metrics",
                            key=f"{at}.schema.fields")
    metrics = {column: metric_name(column, path, key=f"{at}.schema.fields") for column in columns}
    groups: list[tuple[str, dict[str, Decimal]]] = []
    for number, row in enumerate(rows):
        row_key = f"{at}.data[{number}]"
        if not isinstance(row, dict):
            raise NotToolFormat(path, "expected an object per group", key=row_key)
        parts = [(feature, member(row, feature, path, key=f"{row_key}.{feature}")) for feature in primary]
        values = {metrics[column]: to_decimal(member(row, column, path, key=f"{row_key}.{column}"), path,
                                              key=f"{row_key}.{column}")
                  for column in columns}
        groups.append((slice_label(parts), values))
    return list(primary), groups


def _overall(frame: Any, path: Path, key: str) -> list[tuple[str, Decimal]]:
    at = f"{key}.overall".lstrip(".")
    if not isinstance(frame, dict) or "overall" not in frame:
        return []  # a by-group-only export is still useful
    overall = frame["overall"]
    if not isinstance(overall, dict):
        raise NotToolFormat(path, "expected an object of metric values (mf.overall.to_json())", key=at)
    values = []
    for column, value in overall.items():
        if isinstance(value, dict):
            raise NotToolFormat(path, "holds a table: MetricFrames with control_features are not "
                                "supported", key=f"{at}.{column}")
        values.append((metric_name(column, path, key=at), to_decimal(value, path, key=f"{at}.{column}")))
    return values


def _disparities(features: list[str], groups: list[tuple[str, dict[str, Decimal]]]
                 ) -> tuple[list[Measurement], list[str]]:
    """Between-group differences and ratios, worst case, as Fairlearn computes them."""
    label = ", ".join(features)
    difference: dict[str, Decimal] = {}
    ratio: dict[str, Decimal] = {}
    notes: list[str] = []
    for metric in groups[0][1]:
        if metric in _NO_DISPARITY:
            continue
        values = [group[metric] for _, group in groups]
        low, high = min(values), max(values)
        difference[metric] = (high - low).normalize()  # no trailing zeros: 0.0728153420 → 0.072815342
        if high == 0:
            notes.append(f"{metric}_ratio for {label} skipped: every group's {metric} is 0")
            continue
        ratio[metric] = rate(low, high)
    named = {
        "demographic_parity": ("selection_rate",),
        "equal_opportunity": ("true_positive_rate",),
        "equalized_odds": ("true_positive_rate", "false_positive_rate"),
    }
    results = [Measurement(f"{metric}_difference", value, label) for metric, value in difference.items()]
    results += [Measurement(f"{metric}_ratio", value, label) for metric, value in ratio.items()]
    for name, needed in named.items():
        if all(metric in difference for metric in needed):
            results.append(Measurement(f"{name}_difference", max(difference[m] for m in needed), label))
        if all(metric in ratio for metric in needed):
            results.append(Measurement(f"{name}_ratio", min(ratio[m] for m in needed), label))
    return results, notes


IMPORTER = Importer(
    tool="fairlearn",
    name="fairlearn-metricframe",
    version=1,
    summary="Fairlearn MetricFrame export (JSON: overall and by_group as pandas writes them)",
    read=read,
)
