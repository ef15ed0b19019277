"""MLflow: one run of a local file store (``mlruns/<experiment id>/<run id>/``).

FILE is the run folder or its ``meta.yaml``. The file store writes one file per metric under
``metrics/`` (a key ``val/loss`` is the file ``metrics/val/loss``), one line per logged value::

    <timestamp ms> <value> <step>                              # mlflow.log_metric(key, value, step)
    <timestamp ms> <value> <step> <dataset name> <digest>      # ... dataset=mlflow.data.from_*(...)
    <timestamp ms> <value>                                     # MLflow before 1.0

Each metric gives its latest value, as MLflow shows it (highest step, then latest timestamp): one
overall and one per evaluation dataset (slice ``dataset=<name>``). The name is the key in
snake_case (``val/loss`` → ``val_loss``). Only FINISHED runs that are not deleted are imported;
the record's date is the run's end time (``end_time`` in ``meta.yaml``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from rai_graph.authoring.importers._base import (
    Extracted,
    Importer,
    InvalidValue,
    MissingField,
    NotToolFormat,
    UnreadableInput,
    from_epoch_millis,
    load_yaml,
    metric_name,
    read_text,
    to_decimal,
)
from rai_graph.model import Measurement
from rai_graph.vocab import RAI

# mlflow.entities.RunStatus, as the file store writes it in meta.yaml.
_RUN_STATUS = {1: "RUNNING", 2: "SCHEDULED", 3: "FINISHED", 4: "FAILED", 5: "KILLED"}
_FINISHED = 3
_MAX_METRICS = 10_000


def read(path: Path, _metric_paths: Sequence[str]) -> Extracted:
    run_dir = path.parent if path.name == "meta.yaml" else path
    meta_path = run_dir / "meta.yaml"
    if not run_dir.is_dir():
        raise UnreadableInput(path, "no such folder; give a run folder mlruns/<experiment id>/<run id>")
    if not meta_path.is_file():
        hint = ("an MLflow store; give one of its run folders, mlruns/<experiment id>/<run id>"
                if any(run_dir.glob("*/meta.yaml")) else "not an MLflow run folder (it has no meta.yaml)")
        raise NotToolFormat(run_dir, f"is {hint}")
    meta = _load_yaml(meta_path)
    if "run_id" not in meta and "run_uuid" not in meta:
        if "experiment_id" in meta and "name" in meta:
            raise NotToolFormat(meta_path, "describes an experiment; give one of its run folders")
        raise MissingField(meta_path, "is missing", key="run_id")
    status = meta.get("status")
    if status != _FINISHED and status != "FINISHED":
        shown = _RUN_STATUS.get(status, repr(status)) if isinstance(status, int) else repr(status)
        raise InvalidValue(meta_path, f"the run's status is {shown}; import a FINISHED run", key="status")
    if meta.get("lifecycle_stage") == "deleted":
        raise InvalidValue(meta_path, "the run was deleted", key="lifecycle_stage")
    measurements, files = _metrics(run_dir / "metrics")
    run_name = meta.get("run_name")
    experiment = _experiment_name(run_dir.parent / "meta.yaml")
    title = f"MLflow run {run_name if isinstance(run_name, str) and run_name else run_dir.name}"
    return Extracted(
        measurements=measurements,
        title=f"{title} (experiment {experiment})" if experiment else title,
        generated=from_epoch_millis(meta.get("end_time")) or from_epoch_millis(meta.get("start_time")),
        evidence_type=RAI.RobustnessEvaluation,
        inputs=[meta_path, *files],
    )


def _load_yaml(path: Path) -> dict[str, Any]:
    text = read_text(path)
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise NotToolFormat(path, "is not valid YAML", line=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise NotToolFormat(path, "is not an MLflow meta.yaml (expected a mapping)")
    return data


def _experiment_name(path: Path) -> str | None:
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # only used for the suggested title
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else None


def _metrics(folder: Path) -> tuple[list[Measurement], list[Path]]:
    if not folder.is_dir():
        raise MissingField(folder.parent, "the run has no metrics/ folder", key="metrics")
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    if len(files) > _MAX_METRICS:
        raise NotToolFormat(folder, f"holds {len(files)} metric files, more than a run's evaluation")
    measurements = []
    for file in files:
        key = file.relative_to(folder).as_posix()
        name = metric_name(key, file)
        # dataset → (step, timestamp, line number, value); a NaN logged early in a run's history
        # does not matter, a NaN as the latest value does.
        latest: dict[str | None, tuple[int, int, int, Decimal | None]] = {}
        for number, line in enumerate(read_text(file).splitlines(), start=1):
            if not line.strip():
                continue
            timestamp, step, text, dataset = _metric_line(line, file, number)
            if dataset not in latest or (step, timestamp) >= latest[dataset][:2]:
                latest[dataset] = (step, timestamp, number, _number(text, file, number))
        for dataset in sorted(latest, key=lambda d: (d is not None, d or "")):
            _, _, number, value = latest[dataset]
            if value is None:
                raise InvalidValue(file, f"the latest {key} is not a finite number", line=number)
            measurements.append(Measurement(name, value, None if dataset is None else f"dataset={dataset}"))
    return measurements, files


def _metric_line(line: str, file: Path, number: int) -> tuple[int, int, str, str | None]:
    """Timestamp, step, value text and dataset name of one line, as MLflow's FileStore writes it."""
    parts = line.strip().split(" ")
    if len(parts) not in (2, 3, 5):
        raise NotToolFormat(file, f"expected 'timestamp value step', found {len(parts)} fields", line=number)
    try:
        timestamp = int(parts[0])
        step = int(parts[2]) if len(parts) > 2 else 0
    except ValueError:
        raise NotToolFormat(file, "timestamp and step must be integers", line=number) from None
    return timestamp, step, parts[1], parts[3] if len(parts) == 5 else None


def _number(text: str, file: Path, number: int) -> Decimal | None:
    """The logged value; None for NaN and infinities (MLflow logs them), an error for anything else."""
    if text.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        return None
    return to_decimal(text, file, line=number, text_allowed=True)


IMPORTER = Importer(
    tool="mlflow",
    name="mlflow-run",
    version=1,
    summary="MLflow run folder of a local mlruns/ store (meta.yaml and metrics/; latest values)",
    read=read,
)
