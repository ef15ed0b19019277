"""GitHub code scanning's documented SARIF ingestion rules, as a checker for tests.

Source: repository ``github/docs``, file
``content/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning.md``
(commit ``058fa63bfe93d4d06889d0d18c601d6c56b66c56``), sections "Providing data to track code
scanning alerts across runs", "Specifying the location for source files", "Validating your SARIF
file" and "Supported SARIF output file properties"; and the limits table
``data/reusables/code-scanning/sarif-limits.md`` (commit ``2fd966a1c87269853aff5500141ffbf40c62d9c2``).
Each check below quotes the rule it encodes. The OASIS schema says whether a log is SARIF; these
say whether GitHub shows and tracks its results as intended.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

LEVELS = {"note", "warning", "error"}
MAX_RUNS, MAX_RESULTS, MAX_RULES, MAX_TAGS, MAX_LOCATIONS = 20, 25_000, 25_000, 20, 10


def _text(holder: Any) -> str:
    return holder.get("text", "") if isinstance(holder, dict) else ""


def ingestion_problems(log: dict[str, Any], checkout: Path | None = None) -> list[str]:
    """What GitHub would reject, drop or merge in ``log``; empty when it ingests it as intended.

    With ``checkout`` (the root of the git repository), every result's file must exist in it:
    "relative paths [are interpreted] as relative to the root of the repository analyzed".
    """
    problems: list[str] = []
    # sarifLog: "$schema", "version" (only 2.1.0) and "runs[]" are required.
    if not log.get("$schema"):
        problems.append("$schema is required")
    if log.get("version") != "2.1.0":
        problems.append("code scanning only supports SARIF version 2.1.0")
    runs = log.get("runs") or []
    if not runs:
        problems.append("runs[] is required")
    if len(runs) > MAX_RUNS:  # sarif-limits: runs per file 20
        problems.append(f"{len(runs)} runs: at most {MAX_RUNS} per file")
    for r, run in enumerate(runs):
        problems += [f"runs[{r}]: {p}" for p in _run_problems(run, checkout)]
    return problems


def _run_problems(run: dict[str, Any], checkout: Path | None) -> list[str]:
    problems: list[str] = []
    driver = run.get("tool", {}).get("driver", {})
    # toolComponent: "name" is required; "rules[]" is required.
    if not driver.get("name"):
        problems.append("tool.driver.name is required")
    rules = driver.get("rules")
    if not isinstance(rules, list):
        return [*problems, "tool.driver.rules[] is required"]
    if len(rules) > MAX_RULES:
        problems.append(f"{len(rules)} rules: at most {MAX_RULES} per run")
    ids = [rule.get("id", "") for rule in rules]
    for i, rule in enumerate(rules):
        where = f"rules[{i}] ({rule.get('id')})"
        # reportingDescriptor: "id" required; "name" limited to 255 characters;
        # "shortDescription.text" and "fullDescription.text" required, limited to 1024 characters;
        # "help.text" required; "defaultConfiguration.level" one of note, warning, error.
        if not rule.get("id"):
            problems.append(f"{where}: id is required")
        if len(rule.get("name", "")) > 255:
            problems.append(f"{where}: name is limited to 255 characters")
        for key in ("shortDescription", "fullDescription"):
            text = _text(rule.get(key))
            if not text:
                problems.append(f"{where}: {key}.text is required (the empty string is not supported)")
            elif len(text) > 1024:
                problems.append(f"{where}: {key}.text is limited to 1024 characters")
        if not _text(rule.get("help")):
            problems.append(f"{where}: help.text is required")
        level = rule.get("defaultConfiguration", {}).get("level", "warning")
        if level not in LEVELS:
            problems.append(f"{where}: defaultConfiguration.level {level!r} is not note, warning or error")
        if len(rule.get("properties", {}).get("tags", [])) > MAX_TAGS:
            problems.append(f"{where}: at most {MAX_TAGS} tags per rule")
    if len(set(ids)) != len(ids):
        problems.append("rule ids are not unique")
    results = run.get("results")
    if not isinstance(results, list):
        return [*problems, "results[] is required"]
    if len(results) > MAX_RESULTS:
        problems.append(f"{len(results)} results: at most {MAX_RESULTS} per run")
    identities: Counter[tuple[str, str, str]] = Counter()
    for n, result in enumerate(results):
        where = f"results[{n}] ({result.get('ruleId')})"
        problems += [f"{where}: {p}" for p in _result_problems(result, ids, checkout)]
        uri = _first_uri(result)
        line_hash = result.get("partialFingerprints", {}).get("primaryLocationLineHash", "")
        identities[(str(result.get("ruleId")), uri, line_hash)] += 1
    # "code scanning uses fingerprints to match results across various runs so they only appear
    # once": two results of one rule in one file with the same primaryLocationLineHash are one alert.
    for (rule_id, uri, line_hash), count in sorted(identities.items()):
        if count > 1:
            problems.append(f"{count} results of {rule_id} in {uri} share primaryLocationLineHash "
                            f"{line_hash!r}: GitHub shows them as one alert")
    return problems


def _first_uri(result: dict[str, Any]) -> str:
    locations = result.get("locations") or [{}]
    return str(locations[0].get("physicalLocation", {}).get("artifactLocation", {}).get("uri", ""))


def _result_problems(result: dict[str, Any], rule_ids: list[str], checkout: Path | None) -> list[str]:
    problems: list[str] = []
    # result: "message.text" required; ruleIndex must point at the rule with that id.
    if not _text(result.get("message")):
        problems.append("message.text is required")
    if "ruleId" in result and result["ruleId"] not in rule_ids:
        problems.append("ruleId names no rule of the driver")
    index = result.get("ruleIndex")
    if index is not None and (not 0 <= index < len(rule_ids) or rule_ids[index] != result.get("ruleId")):
        problems.append("ruleIndex does not point at the rule named by ruleId")
    # "locations[]" required, "up to a maximum of 10"; "At least one location is required for code
    # scanning to display a result"; "Only the first value of this array is used".
    locations = result.get("locations") or []
    if not locations:
        problems.append("locations[] is required: without one GitHub displays nothing")
    elif len(locations) > MAX_LOCATIONS:
        problems.append(f"{len(locations)} locations: at most {MAX_LOCATIONS}")
    else:
        physical = locations[0].get("physicalLocation")
        if not isinstance(physical, dict):
            problems.append("locations[0].physicalLocation is required")
        else:
            problems += _physical_problems(physical, checkout)
    # "partialFingerprints" required; "Code scanning only uses the primaryLocationLineHash".
    if not result.get("partialFingerprints", {}).get("primaryLocationLineHash"):
        problems.append("partialFingerprints.primaryLocationLineHash is required")
    return problems


def _physical_problems(physical: dict[str, Any], checkout: Path | None) -> list[str]:
    problems: list[str] = []
    uri = physical.get("artifactLocation", {}).get("uri", "")
    # artifactLocation.uri required; "we recommend that this is a relative path from the root of
    # the GitHub repository being analyzed"; the relative URI "can then be matched against a file
    # committed to the repository".
    if not uri:
        problems.append("artifactLocation.uri is required")
    elif urlsplit(uri).scheme:
        problems.append(f"artifactLocation.uri {uri!r} is absolute: give a path from the repository root")
    elif checkout is not None and not (checkout / unquote(uri)).is_file():
        problems.append(f"artifactLocation.uri {uri!r} is no file of the repository")
    # region: startLine, startColumn, endLine and endColumn are each marked required.
    region = physical.get("region") or {}
    for key in ("startLine", "startColumn", "endLine", "endColumn"):
        if not isinstance(region.get(key), int) or region[key] < 1:
            problems.append(f"region.{key} is required (a positive integer)")
    if all(isinstance(region.get(k), int) for k in ("startLine", "endLine")) and \
            region["endLine"] < region["startLine"]:
        problems.append("region ends before it starts")
    return problems
