"""Hugging Face: the ``model-index`` evaluation results of a model card's YAML front matter.

FILE is the model card (``README.md``: metadata between ``---`` lines, then Markdown), as the Hub
and ``huggingface_hub.ModelCard`` write it, or a YAML file holding just the metadata. Per the
Hub's model card specification each result names a task, a dataset (``type``, ``name``, optional
``config``, ``split``) and metrics (``type``, ``value``, optional ``name``, ``config``)::

    model-index:
    - name: northwind/nora-intent-classifier
      results:
      - task: {type: text-classification}
        dataset: {type: northwind/support-intents, name: Support intents, config: nl, split: test}
        metrics:
        - {type: accuracy, value: 0.912}
        - {type: f1, value: 0.887, config: macro}

Each metric is one measurement named after its ``type`` in snake_case, with its ``config``
appended when given (``f1_macro``), sliced by dataset: ``dataset=northwind/support-intents,
config=nl, split=test``. A card holding several models adds ``model=<name>`` to the slice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from rai_graph.authoring.importers._base import (
    Extracted,
    Importer,
    InvalidValue,
    NotToolFormat,
    load_yaml,
    member,
    metric_name,
    read_text,
    slice_label,
    to_decimal,
)
from rai_graph.model import Measurement
from rai_graph.vocab import RAI

# huggingface_hub.repocard: the metadata block at the very start of the card.
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def read(path: Path, _metric_paths: Sequence[str]) -> Extracted:
    text = read_text(path)
    metadata = _metadata(text, path)
    models = metadata.get("model-index")
    if models is None:
        raise NotToolFormat(path, "has no model-index (the card's metadata reports no evaluation results)")
    if not isinstance(models, list) or not models:
        raise NotToolFormat(path, "expected a list of models", key="model-index")
    several = len(models) > 1
    measurements: list[Measurement] = []
    names: list[str] = []
    for m_index, model in enumerate(models):
        at = f"model-index[{m_index}]"
        name = member(model, "name", path, key=f"{at}.name")
        if not isinstance(name, str) or not name.strip():
            raise InvalidValue(path, "expected the model's name", key=f"{at}.name")
        names.append(name)
        results = member(model, "results", path, key=f"{at}.results")
        if not isinstance(results, list) or not results:
            raise NotToolFormat(path, "expected a list of results", key=f"{at}.results")
        for r_index, result in enumerate(results):
            measurements.extend(_result(result, path, f"{at}.results[{r_index}]", name if several else None))
    return Extracted(
        measurements=measurements,
        title=f"Evaluation results of {', '.join(names)} (model card)",
        evidence_type=RAI.RobustnessEvaluation,
    )


def _metadata(text: str, path: Path) -> dict[str, Any]:
    found = _FRONT_MATTER.match(text)
    block, offset = (found.group(1), text[:found.start(1)].count("\n")) if found else (text, 0)
    try:
        data = load_yaml(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + offset if mark else None
        raise NotToolFormat(path, "the model card's metadata is not valid YAML", line=line) from None
    if not isinstance(data, dict):
        if not found:
            raise NotToolFormat(path, "is not a model card: no YAML metadata between '---' lines at its start")
        raise NotToolFormat(path, "the model card's metadata is not a mapping", line=offset + 1)
    return data


def _result(result: Any, path: Path, at: str, model: str | None) -> list[Measurement]:
    dataset = member(result, "dataset", path, key=f"{at}.dataset")
    dataset_type = member(dataset, "type", path, key=f"{at}.dataset.type")
    if not isinstance(dataset_type, str) or not dataset_type.strip():
        raise InvalidValue(path, "expected the dataset's Hub id", key=f"{at}.dataset.type")
    member(result, "task", path, key=f"{at}.task")
    parts: list[tuple[str, object]] = [("model", model)] if model else []
    parts.append(("dataset", dataset_type))
    parts += [(part, dataset[part]) for part in ("config", "split")
              if isinstance(dataset.get(part), str | int) and str(dataset[part]).strip()]
    label = slice_label(parts)
    metrics = member(result, "metrics", path, key=f"{at}.metrics")
    if not isinstance(metrics, list) or not metrics:
        raise NotToolFormat(path, "expected a list of metrics", key=f"{at}.metrics")
    measurements = []
    for index, metric in enumerate(metrics):
        here = f"{at}.metrics[{index}]"
        name = metric_name(member(metric, "type", path, key=f"{here}.type"), path, key=f"{here}.type")
        config = metric.get("config")
        if isinstance(config, str) and config.strip():
            name = f"{name}_{metric_name(config, path, key=f'{here}.config')}"
        value = to_decimal(member(metric, "value", path, key=f"{here}.value"), path, key=f"{here}.value",
                           text_allowed=True)
        measurements.append(Measurement(name, value, label))
    return measurements


IMPORTER = Importer(
    tool="huggingface",
    name="huggingface-model-index",
    version=1,
    summary="Hugging Face model card (README.md): model-index evaluation results in its YAML metadata",
    read=read,
)
