"""promptfoo: the results JSON of an eval or red-team run (``promptfoo eval -o results.json``).

The file is ``{"evalId", "results": {"version": 3, "timestamp", "prompts", "results": [...],
"stats"}, "config", "metadata"}``; releases before the ``evalId`` wrapper wrote the inner object
alone, which is accepted too. Each row of ``results.results`` is one test case run against one
prompt and one provider: ``success`` (bool), ``failureReason`` (0 none, 1 an assertion failed,
2 an error), ``provider`` (``{"id", "label"}``, or an id), ``testIdx`` (rows without it are
grouped into tests by their ``vars``) and ``testCase`` (``description``; red-team tests carry
``metadata.pluginId``).

Measurements, as promptfoo counts them (errors are neither passes nor failures, and every row is
in the denominator): ``pass_rate``, ``failure_rate`` and ``error_rate`` overall (no slice), per
test (slice ``test=<description>``, or ``test=#<n>`` when a test has no description or shares it
with another test) and per provider (slice ``provider=<label, else id>``). Red-team rows also give
``attack_success_rate`` (failures / rows, promptfoo's definition) overall and per plugin (slice
``plugin=<pluginId>``), and the suggested evidence type is then a red-team report.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rai_graph.authoring.importers._base import (
    Extracted,
    Importer,
    InvalidValue,
    NotToolFormat,
    load_json,
    member,
    parse_timestamp,
    rate,
    slice_label,
)
from rai_graph.model import Measurement
from rai_graph.vocab import RAI

_ERROR = 2  # promptfoo's ResultFailureReason.ERROR


class _Tally:
    """Passes, failures and errors of a group of rows."""

    def __init__(self) -> None:
        self.passes = self.failures = self.errors = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def rates(self, label: str | None, *, attack: bool) -> list[Measurement]:
        total = self.passes + self.failures + self.errors
        rates = [("pass_rate", self.passes), ("failure_rate", self.failures), ("error_rate", self.errors)]
        if attack:
            rates.append(("attack_success_rate", self.failures))
        return [Measurement(metric, rate(count, total), label) for metric, count in rates]


def read(path: Path, _metric_paths: Sequence[str]) -> Extracted:
    document = load_json(path)
    summary, key = _summary(document, path)
    rows = member(summary, "results", path, key=f"{key}results")
    if not isinstance(rows, list):
        raise NotToolFormat(path, "expected the list of result rows", key=f"{key}results")
    if not rows:
        raise NotToolFormat(path, "holds no results: the eval ran no test", key=f"{key}results")
    overall = _Tally()
    tests: defaultdict[int, _Tally] = defaultdict(_Tally)
    providers: defaultdict[str, _Tally] = defaultdict(_Tally)
    plugins: defaultdict[str, _Tally] = defaultdict(_Tally)
    test_names: dict[int, str | None] = {}
    unnumbered: dict[str, int] = {}  # tests of rows without testIdx, by their vars, in order
    for index, row in enumerate(rows):
        at = f"{key}results[{index}]"
        if not isinstance(row, dict):
            raise NotToolFormat(path, "expected a result row object", key=at)
        outcome = _outcome(row, path, at)
        overall.add(outcome)
        test = _test_index(row, path, at, unnumbered)
        test_names.setdefault(test, _description(row))
        tests[test].add(outcome)
        providers[_provider(row, path, at)].add(outcome)
        plugin = _plugin(row)
        if plugin is not None:
            plugins[plugin].add(outcome)
    red_team = bool(plugins) or (isinstance(document, dict) and isinstance(document.get("config"), dict)
                                 and "redteam" in document["config"])
    measurements = overall.rates(None, attack=red_team)
    labels = _test_labels(test_names)
    for test in sorted(tests):
        measurements += tests[test].rates(slice_label([("test", labels[test])]), attack=red_team)
    for provider in sorted(providers):
        measurements += providers[provider].rates(slice_label([("provider", provider)]), attack=red_team)
    for plugin in sorted(plugins):
        measurements += plugins[plugin].rates(slice_label([("plugin", plugin)]), attack=True)
    return Extracted(
        measurements=measurements,
        title=_title(document),
        generated=_generated(document, summary),
        evidence_type=RAI.RedTeamReport if red_team else RAI.RobustnessEvaluation,
    )


def _summary(document: Any, path: Path) -> tuple[dict[str, Any], str]:
    if isinstance(document, dict) and isinstance(document.get("results"), dict):
        inner = document["results"]
        key = "results."
    elif isinstance(document, dict) and isinstance(document.get("results"), list):
        inner, key = document, ""
    else:
        raise NotToolFormat(path, "is not a promptfoo results file (promptfoo eval -o results.json): "
                            "expected 'results' with the result rows")
    version = inner.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int) or version < 2):
        raise NotToolFormat(path, f"results version {version!r} is not supported (2 or later)",
                            key=f"{key}version")
    return inner, key


def _outcome(row: dict[str, Any], path: Path, at: str) -> str:
    success = member(row, "success", path, key=f"{at}.success")
    if not isinstance(success, bool):
        raise InvalidValue(path, f"expected true or false, found {success!r}", key=f"{at}.success")
    if success:
        return "passes"
    reason = row.get("failureReason")
    return "errors" if reason == _ERROR else "failures"


def _test_index(row: dict[str, Any], path: Path, at: str, unnumbered: dict[str, int]) -> int:
    """The row's test: ``testIdx``, or for rows that lack it, the test with the same vars."""
    index = row.get("testIdx")
    if index is None:
        key = json.dumps([row.get("vars"), _description(row)], sort_keys=True, default=str)
        return -1 - unnumbered.setdefault(key, len(unnumbered))
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise InvalidValue(path, f"expected a test number, found {index!r}", key=f"{at}.testIdx")
    return index


def _description(row: dict[str, Any]) -> str | None:
    test_case = row.get("testCase")
    description = test_case.get("description") if isinstance(test_case, dict) else None
    return description.strip() if isinstance(description, str) and description.strip() else None


def _test_labels(names: dict[int, str | None]) -> dict[int, str]:
    """The description of each test when it names that test alone, else its 1-based number (rows
    without ``testIdx`` are numbered in order of appearance, as negative keys)."""
    count: dict[str, int] = defaultdict(int)
    for name in names.values():
        if name is not None:
            count[name] += 1
    return {test: name if name is not None and count[name] == 1 else f"#{abs(test) if test < 0 else test + 1}"
            for test, name in names.items()}


def _provider(row: dict[str, Any], path: Path, at: str) -> str:
    provider = member(row, "provider", path, key=f"{at}.provider")
    if isinstance(provider, dict):
        for field in ("label", "id"):
            value = provider.get(field)
            if isinstance(value, str) and value.strip():
                return value.strip()
    elif isinstance(provider, str) and provider.strip():
        return provider.strip()
    raise InvalidValue(path, "expected the provider's label or id", key=f"{at}.provider")


def _plugin(row: dict[str, Any]) -> str | None:
    for holder in (row.get("testCase"), row):
        metadata = holder.get("metadata") if isinstance(holder, dict) else None
        plugin = metadata.get("pluginId") if isinstance(metadata, dict) else None
        if isinstance(plugin, str) and plugin.strip():
            return plugin.strip()
    return None


def _title(document: Any) -> str:
    config = document.get("config") if isinstance(document, dict) else None
    description = config.get("description") if isinstance(config, dict) else None
    if isinstance(description, str) and description.strip():
        return f"promptfoo eval: {description.strip()}"
    eval_id = document.get("evalId") if isinstance(document, dict) else None
    return f"promptfoo eval {eval_id}" if isinstance(eval_id, str) else "promptfoo eval"


def _generated(document: Any, summary: dict[str, Any]) -> dt.datetime | dt.date | None:
    metadata = document.get("metadata") if isinstance(document, dict) else None
    exported = metadata.get("exportedAt") if isinstance(metadata, dict) else None
    return parse_timestamp(summary.get("timestamp")) or parse_timestamp(exported)



IMPORTER = Importer(
    tool="promptfoo",
    name="promptfoo-results",
    version=1,
    summary="promptfoo results JSON (promptfoo eval -o results.json): pass/failure rates per test and provider",
    read=read,
)
