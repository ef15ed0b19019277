"""garak: the report of a scan (``garak.<run id>.report.jsonl``, JSON Lines).

garak writes one JSON object per line, each with an ``entry_type``: ``start_run setup`` (the
configuration, including the target ``plugins.target_type``/``target_name``), ``init``
(``garak_version``, ``start_time``), ``attempt`` (every prompt and output), then per probe and
detector an ``eval`` record, ``completion`` (``end_time``) and, since 0.11, ``digest``::

    {"entry_type": "eval", "probe": "dan.Dan_11_0", "detector": "dan.DAN", "passed": 3, "fails": 2,
     "nones": 0, "total_evaluated": 5, "total_processed": 5}

Releases before 0.11 wrote only ``passed`` and ``total`` (and detectors as ``detector.dan.DAN``).

Measurements: ``attack_success_rate`` = fails / total_evaluated (outputs the detector could not
score are left out, as garak does) for each probe and detector (slice ``probe=dan.Dan_11_0,
detector=dan.DAN``) and pooled over the whole scan (no slice). The record's date is the scan's
``completion`` time, else its start.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rai_graph.authoring.importers._base import (
    Extracted,
    Importer,
    InvalidValue,
    NotToolFormat,
    member,
    parse_json,
    parse_timestamp,
    rate,
    read_text,
    slice_label,
    text_member,
)
from rai_graph.model import Measurement
from rai_graph.vocab import RAI

_ATTEMPT_PREFIX = '{"entry_type": "attempt"'  # garak's own key order; these lines are not needed


def read(path: Path, _metric_paths: Sequence[str]) -> Extracted:
    setup: dict[str, Any] = {}
    init: dict[str, Any] = {}
    completion: dict[str, Any] = {}
    counts: dict[tuple[str, str], tuple[int, int, int]] = {}  # (probe, detector) → fails, total, line
    seen_any = False
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip() or line.startswith(_ATTEMPT_PREFIX):
            seen_any = seen_any or bool(line.strip())
            continue
        record = parse_json(line, path, line=number)
        if not isinstance(record, dict) or "entry_type" not in record:
            if not seen_any and isinstance(record, dict) and "attempt_id" in record:
                raise NotToolFormat(path, "is a garak hit log; import the report (*.report.jsonl)", line=number)
            raise NotToolFormat(path, "is not a garak report: a line without 'entry_type'", line=number)
        seen_any = True
        kind = record["entry_type"]
        if kind == "start_run setup":
            setup = record
        elif kind == "init":
            init = record
        elif kind == "completion":
            completion = record
        elif kind == "eval":
            probe, detector, fails, total = _eval(record, path, number)
            if (probe, detector) in counts:
                raise NotToolFormat(path, f"a second eval record for probe {probe} and detector {detector} "
                                    f"(the first is on line {counts[probe, detector][2]})", line=number)
            counts[probe, detector] = (fails, total, number)
    if not counts:
        raise NotToolFormat(path, "has no eval records: the scan did not finish, or this is not a garak report")
    measurements, notes = _rates(counts)
    version = init.get("garak_version")
    if isinstance(version, str):
        notes.append(f"written by garak {version}")
    return Extracted(
        measurements=measurements,
        title=_title(setup, init),
        generated=parse_timestamp(completion.get("end_time")) or parse_timestamp(init.get("start_time")),
        evidence_type=RAI.RedTeamReport,
        notes=notes,
    )


def _eval(record: dict[str, Any], path: Path, line: int) -> tuple[str, str, int, int]:
    probe = text_member(record, "probe", path, key="probe", line=line)
    detector = text_member(record, "detector", path, key="detector", line=line)
    for prefix in ("detectors.", "detector."):  # older releases wrote the module path
        detector = detector.removeprefix(prefix)
    passed = _count(record, "passed", path, line)
    if "total_evaluated" in record or "fails" in record:
        fails = _count(record, "fails", path, line)
        total = _count(record, "total_evaluated", path, line)
        if passed + fails != total:
            raise InvalidValue(path, f"passed {passed} + fails {fails} is not total_evaluated {total}",
                               key="total_evaluated", line=line)
    else:
        total = _count(record, "total", path, line)
        if passed > total:
            raise InvalidValue(path, f"passed {passed} is more than total {total}", key="passed", line=line)
        fails = total - passed
    return probe, detector, fails, total


def _count(record: dict[str, Any], name: str, path: Path, line: int) -> int:
    value = member(record, name, path, key=name, line=line)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValue(path, f"expected a count, found {value!r}", key=name, line=line)
    return value


def _rates(counts: dict[tuple[str, str], tuple[int, int, int]]) -> tuple[list[Measurement], list[str]]:
    measurements = []
    notes = []
    all_fails = all_total = 0
    for (probe, detector), (fails, total, _) in counts.items():
        if total == 0:
            notes.append(f"probe {probe} / detector {detector}: no output could be scored; no rate")
            continue
        all_fails += fails
        all_total += total
        label = slice_label([("probe", probe), ("detector", detector)])
        measurements.append(Measurement("attack_success_rate", rate(fails, total), label))
    if all_total:
        measurements.insert(0, Measurement("attack_success_rate", rate(all_fails, all_total), None))
    return measurements, notes



def _title(setup: dict[str, Any], init: dict[str, Any]) -> str:
    target = [setup.get(f"plugins.{new}") or setup.get(f"plugins.{old}")
              for new, old in (("target_type", "model_type"), ("target_name", "model_name"))]
    described = " ".join(str(part) for part in target if isinstance(part, str) and part)
    if described:
        return f"garak scan of {described}"
    run = init.get("run")
    return f"garak scan {run}" if isinstance(run, str) else "garak scan"


IMPORTER = Importer(
    tool="garak",
    name="garak-report",
    version=1,
    summary="garak scan report (garak.<run>.report.jsonl): attack success rate per probe and detector",
    read=read,
)
