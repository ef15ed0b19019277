"""Generic importers: values picked out of any JSON or CSV file with ``--metric [NAME=]PATH``.

For a tool without an importer, each ``--metric`` says where one metric is (repeat it for more).
NAME defaults to the last key or column of PATH in snake_case.

JSON (``--import json``): PATH is a dotted path of keys from the top of the document.

* ``summary.auc`` — key ``auc`` of object ``summary``; a number (``items.0.auc``) indexes a list.
* ``results[attribute,group].auc`` — ``results`` is a list of objects: one measurement per item,
  sliced by the item's own fields: ``attribute=age_band, group=18-25``.
* ``auc_by_group[group=*]`` — ``auc_by_group`` is an object: one measurement per member, sliced
  ``group=<member name>`` (``[*]`` slices by the bare member name or list position).
* ``[attribute].auc`` applies a selector to the document itself when it is a list.

Several selectors combine their slices in order. Keys holding ``.``, ``[`` or ``]`` cannot be
addressed. Values must be JSON numbers.

CSV (``--import csv``; comma, semicolon or tab separated, first row = column names): PATH is a
column; ``auc[attribute,group]`` gives one measurement per row sliced by those columns, a bare
column needs a file of exactly one row. Cells must be numbers (``0.91``; no ``%``, no empty cell).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from rai_graph.authoring.importers._base import (
    BadMetricPath,
    Extracted,
    Importer,
    InvalidValue,
    NotToolFormat,
    load_json,
    metric_name,
    read_text,
    slice_label,
    to_decimal,
)
from rai_graph.model import Measurement

_SEGMENT = re.compile(r"(?P<key>[^\[\]]*)(?:\[(?P<selector>[^\[\]]*)\])?")
_MEMBERS = re.compile(r"(?:(?P<name>[^=*,]+)=)?\*")


@dataclass(frozen=True, slots=True)
class _Step:
    key: str | None
    selector: tuple[str, ...] | str | None
    """Fields of list items (a tuple), a member selector ``*``/``NAME=*`` (a str), or none."""


@dataclass(frozen=True, slots=True)
class _Spec:
    argument: str
    name: str | None
    steps: tuple[_Step, ...]


def read_json(path: Path, metric_paths: Sequence[str]) -> Extracted:
    specs = [_parse(argument, path) for argument in _required(metric_paths, path)]
    document = load_json(path)
    measurements = []
    for spec in specs:
        found = list(_walk(document, spec.steps, "", [], spec, path))
        if not found:
            raise BadMetricPath(path, f"--metric {spec.argument}: matched no value")
        default = next((step.key for step in reversed(spec.steps) if step.key and not step.key.isdigit()), None)
        name = _name(spec, default, path)
        for value, concrete, parts in found:
            number = to_decimal(value, path, key=concrete or "(document)")
            measurements.append(Measurement(name, number, slice_label(parts) if parts else None))
    return Extracted(measurements=measurements)


def read_csv(path: Path, metric_paths: Sequence[str]) -> Extracted:
    specs = [_parse(argument, path) for argument in _required(metric_paths, path)]
    header, rows = _table(path)
    measurements = []
    for spec in specs:
        if len(spec.steps) != 1 or not spec.steps[0].key or isinstance(spec.steps[0].selector, str):
            raise BadMetricPath(path, f"--metric {spec.argument}: for CSV give COLUMN or COLUMN[SLICE COLUMNS]")
        step = spec.steps[0]
        assert step.key is not None
        fields = step.selector or ()
        for column in (step.key, *fields):
            if column not in header:
                raise BadMetricPath(path, f"--metric {spec.argument}: no column {column!r}; the columns are "
                                    + ", ".join(header))
        if not fields and len(rows) != 1:
            raise BadMetricPath(path, f"--metric {spec.argument}: the file has {len(rows)} rows; name the "
                                f"columns that tell them apart, e.g. {step.key}[{header[0]}]")
        name = _name(spec, step.key, path)
        for line, row in rows:
            value = row[step.key].strip()
            if not value:
                raise InvalidValue(path, "the cell is empty", key=step.key, line=line)
            parts = [(field, row[field].strip()) for field in fields]
            measurements.append(Measurement(name, to_decimal(value, path, key=step.key, line=line,
                                                             text_allowed=True),
                                            slice_label(parts) if parts else None))
    return Extracted(measurements=measurements)


def _required(metric_paths: Sequence[str], path: Path) -> Sequence[str]:
    if not metric_paths:
        raise BadMetricPath(path, "say which values to import with --metric [NAME=]PATH (see "
                            "rai_graph.authoring.importers.mapping)")
    return metric_paths


def _parse(argument: str, path: Path) -> _Spec:
    bracket = argument.find("[")
    equals = argument.find("=")
    name: str | None = None
    text = argument
    if equals != -1 and (bracket == -1 or equals < bracket):
        name, text = argument[:equals].strip(), argument[equals + 1:]
    if not text.strip():
        raise BadMetricPath(path, f"--metric {argument}: give a path, e.g. summary.auc")
    steps = []
    for segment in _segments(text.strip()):
        found = _SEGMENT.fullmatch(segment)
        if not found or not (found.group("key") or found.group("selector") is not None):
            raise BadMetricPath(path, f"--metric {argument}: cannot read {segment!r} (see "
                                "rai_graph.authoring.importers.mapping for the syntax)")
        key = found.group("key") or None
        raw = found.group("selector")
        selector: tuple[str, ...] | str | None = None
        if raw is not None:
            if _MEMBERS.fullmatch(raw.strip()):
                selector = raw.strip()
            else:
                fields = tuple(part.strip() for part in raw.split(","))
                if not all(fields) or any("*" in f or "=" in f for f in fields):
                    raise BadMetricPath(path, f"--metric {argument}: [{raw}] should list fields, e.g. "
                                        "[attribute,group], or be [*] or [NAME=*]")
                selector = fields
        steps.append(_Step(key, selector))
    return _Spec(argument, name if name else None, tuple(steps))


def _segments(text: str) -> Iterator[str]:
    """``text`` split at dots outside brackets."""
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "." and depth == 0:
            yield text[start:index]
            start = index + 1
    yield text[start:]


def _walk(value: Any, steps: tuple[_Step, ...], where: str, parts: list[tuple[str, object]],
          spec: _Spec, path: Path) -> Iterator[tuple[Any, str, list[tuple[str, object]]]]:
    """Every value PATH reaches, with its concrete key path and slice parts."""
    if not steps:
        yield value, where, parts
        return
    step, rest = steps[0], steps[1:]
    if step.key is not None:
        value, where = _descend(value, step.key, where, spec, path)
    if step.selector is None:
        yield from _walk(value, rest, where, parts, spec, path)
    elif isinstance(step.selector, str):
        label = _MEMBERS.fullmatch(step.selector)
        assert label is not None
        dimension = label.group("name")
        if isinstance(value, dict):
            members: list[tuple[object, Any]] = list(value.items())
        elif isinstance(value, list):
            members = list(enumerate(value))
        else:
            raise BadMetricPath(path, f"--metric {spec.argument}: expected an object or a list at "
                                f"{where or '(document)'}")
        for member_key, item in members:
            part = (dimension.strip(), member_key) if dimension else ("", member_key)
            yield from _walk(item, rest, f"{where}[{member_key!s}]", [*parts, part], spec, path)
    else:
        if not isinstance(value, list):
            raise BadMetricPath(path, f"--metric {spec.argument}: [{','.join(step.selector)}] needs a list of "
                                f"objects at {where or '(document)'}")
        for index, item in enumerate(value):
            here = f"{where}[{index}]"
            if not isinstance(item, dict):
                raise BadMetricPath(path, f"--metric {spec.argument}: expected an object", key=here)
            missing = [f for f in step.selector if f not in item]
            if missing:
                raise BadMetricPath(path, f"--metric {spec.argument}: no field {missing[0]!r}", key=here)
            fields = [(f, _field_value(item[f], path, f"{here}.{f}")) for f in step.selector]
            yield from _walk(item, rest, here, [*parts, *fields], spec, path)


def _descend(value: Any, key: str, where: str, spec: _Spec, path: Path) -> tuple[Any, str]:
    here = f"{where}.{key}" if where else key
    if isinstance(value, dict) and key in value:
        return value[key], here
    if isinstance(value, list) and key.isdigit() and int(key) < len(value):
        return value[int(key)], f"{where}[{key}]"
    raise BadMetricPath(path, f"--metric {spec.argument}: no {key!r} at {where or 'the top of the document'}")


def _field_value(value: Any, path: Path, key: str) -> object:
    if isinstance(value, str | int | Decimal) and not isinstance(value, bool) and str(value).strip():
        return value
    raise BadMetricPath(path, "a slice field must be text or a number", key=key)


def _name(spec: _Spec, default: str | None, path: Path) -> str:
    chosen = spec.name or default
    if chosen is None:
        raise BadMetricPath(path, f"--metric {spec.argument}: give the metric a name, NAME=PATH")
    return metric_name(chosen, path, key=f"--metric {spec.argument}")


def _table(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    text = read_text(path)
    first = text.splitlines()[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
        if len(set(header)) != len(header) or not all(header):
            raise NotToolFormat(path, "the first row must name every column once", line=1)
        rows = []
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                raise NotToolFormat(path, f"expected {len(header)} cells, found {len(record)}", line=reader.line_num)
            rows.append((reader.line_num, dict(zip(header, record, strict=True))))
    except csv.Error as exc:
        raise NotToolFormat(path, f"is not valid CSV ({exc})", line=reader.line_num) from None
    if not rows:
        raise NotToolFormat(path, "has column names but no rows")
    return header, rows


JSON_IMPORTER = Importer(
    tool="json",
    name="json-mapping",
    version=1,
    summary="any JSON file; say where each metric is with --metric [NAME=]PATH",
    read=read_json,
    mapping=True,
)

CSV_IMPORTER = Importer(
    tool="csv",
    name="csv-mapping",
    version=1,
    summary="any CSV file; say which column holds each metric with --metric [NAME=]COLUMN[SLICE COLUMNS]",
    read=read_csv,
    mapping=True,
)
