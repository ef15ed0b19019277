"""CI outputs of ``check``: SARIF 2.1.0, JUnit XML, GitHub workflow commands, a step summary.

How ``check`` calls them, after ``result = run(repo, as_of)``,
``systems = select_systems(result, system_ids)`` and ``errors = result.validation.errors``::

    from .render import ci

    inputs = (result.assessment, errors, systems, result.model)
    # --format sarif
    text = ci.sarif(*inputs, tool_version=__version__)
    # --format junit
    files = [f.path for f in result.repository.files.values() if f.role != "ontology"]
    text = ci.junit(*inputs, files=files)
    # --format github
    text = ci.github_commands(*inputs)
    # --summary FILE (e.g. "$GITHUB_STEP_SUMMARY"; append, GitHub concatenates the steps' files)
    text = ci.step_summary_markdown(*inputs, blob_url=ci.github_blob_url(os.environ))

Every function returns the whole document as a string ending in a newline; the command writes it
(``--output`` or standard output) and keeps its exit-code rules. All functions are pure and
deterministic: items are sorted and nothing depends on the clock or the machine.

The outputs hold what ``check`` already prints (titles, reasons, files, IRIs), never evidence
contents. Text from repository files is untrusted and is escaped for each format: JSON by the
encoder, XML by ElementTree (plus removal of characters XML 1.0 cannot carry), workflow commands
by GitHub's escaping rules, Markdown by :func:`rai_graph.render.human.md`.

Paths in the text outputs are relative to the governance repository. SARIF locations are paths
of the git repository (relative to ``%SRCROOT%``, the checkout root, as GitHub reads them): with
``sources=Sources.of(result)`` a governance repository in a sub-folder gets that folder as prefix.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

from rai_graph.checkout import checkout_of
from rai_graph.errors import ErrorKind, InputError
from rai_graph.model import RepositoryModel
from rai_graph.render.human import md
from rai_graph.render.words import percent
from rai_graph.trace import Assessment, PairStatus, Status, SystemAssessment

if TYPE_CHECKING:
    from rai_graph.pipeline import PipelineResult

SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://w3id.org/rai-graph"
SOURCE_ROOT = "%SRCROOT%"
GOVERNANCE_ROOT = "GOVERNANCEROOT"
RULES_HELP_URI = "https://w3id.org/rai-graph/rules"
FINGERPRINT_KEY = "raiGraphFinding/v1"
"""Key of our ``partialFingerprints`` entry; bump the version if the hashed fields ever change."""

ORGANISATION = "organisation"
"""Label of organisation-wide controls where a system name would stand."""

SUMMARY_LIMIT = 50

Level = Literal["error", "warning"]

# Regressions first: nothing at all, then broken, then lapsed, then waiting for a signature.
GAP_ORDER: tuple[Status, ...] = ("missing", "invalid", "failing", "expired", "unapproved")


@dataclass(frozen=True, slots=True)
class Rule:
    """A SARIF reporting descriptor: one per input-error kind and per gap status."""

    id: str
    name: str
    level: Level
    short: str
    full: str
    help: str

    @property
    def help_uri(self) -> str:
        return f"{RULES_HELP_URI}#{self.id.replace('/', '-')}"


# Levels: every input error and the gaps that mean "there is no usable proof" (missing, invalid:
# nothing was produced, or the artefact is lost or was altered after it was recorded) are errors.
# Expired and unapproved gaps are warnings: the work was done and a record exists; what is due is
# a routine renewal or a sign-off. Code scanning severity filters can then tell them apart. Exit
# codes do not depend on these levels (``--fail-on gaps`` fails on every gap).
INPUT_RULES: dict[ErrorKind, Rule] = {
    "parse": Rule(
        "input/parse", "TurtleParseError", "error",
        "A repository file cannot be read as Turtle.",
        "The file is not valid Turtle (a syntax error, an undeclared prefix, or bytes that are "
        "not UTF-8), so none of its records were loaded.",
        "Open the file at the reported line and fix the syntax: every statement ends with '.', "
        "properties of one subject are separated by ';', and every prefix used is declared with "
        "@prefix. Save the file as UTF-8.",
    ),
    "shape": Rule(
        "input/shape", "RecordShapeViolation", "error",
        "A record does not have the shape the data model requires.",
        "A record lacks a required property, has too many values, or has a value of the wrong "
        "type or class, so rai-graph cannot judge it reliably.",
        "Compare the record at the reported line with the rai-graph data model and add, "
        "remove or correct the property named in the message. `rai-graph new` writes records "
        "of the right shape.",
    ),
    "artifact": Rule(
        "input/artifact", "ArtifactIntegrityError", "error",
        "An evidence artefact is missing, outside the repository, or fails its SHA-256.",
        "The file a record points to with rai:artifact does not exist, leaves the repository, or "
        "its bytes no longer match rai:sha256, so the evidence cannot be trusted.",
        "Restore the artefact at the recorded path, or, if it was updated on purpose, record the "
        "new SHA-256 in rai:sha256 (and have the evidence approved again if its control needs it).",
    ),
    "reference": Rule(
        "input/reference", "DanglingReference", "error",
        "A record points to an IRI that is not defined as the expected kind of thing.",
        "A system, control, evidence record, person or role named by a record is not defined "
        "anywhere in the repository (or is defined as something else), usually a typo or a "
        "record that was renamed or removed.",
        "Correct the IRI at the reported line, or add the missing record (system, control, "
        "person, role or evidence) it should refer to.",
    ),
}

STATUS_RULES: dict[Status, Rule] = {
    "missing": Rule(
        "status/missing", "MissingEvidence", "error",
        "A control required for the system's risk tier has no evidence.",
        "No evidence record implements this control for this system (or the records found have "
        "the wrong evidence type, or are dated after the check date), and no waiver applies.",
        "Add an evidence record under evidence/<system>/ that implements the control with the "
        "evidence type it requires (`rai-graph new evidence`), or record an approved, time-"
        "limited waiver with its rationale (`rai-graph new waiver`).",
    ),
    "invalid": Rule(
        "status/invalid", "InvalidEvidence", "error",
        "The only evidence for a control has a missing or altered artefact.",
        "Evidence exists for this control, but its artefact is missing, outside the repository, "
        "or its bytes do not match the recorded SHA-256, so it does not count.",
        "Restore the artefact, or record the SHA-256 of its current version in rai:sha256 and "
        "have the evidence approved again if the control requires approval.",
    ),
    "failing": Rule(
        "status/failing", "FailingEvaluation", "error",
        "An evaluation breaches a threshold the control sets.",
        "Evidence exists and would count, but a measurement breaches one of the control's "
        "rai:threshold limits (every reported slice must pass), or a thresholded metric was not "
        "measured.",
        "Fix the model or data and re-run the evaluation, then record the new results; or record "
        "an approved, time-limited waiver with compensating controls (`rai-graph new waiver`).",
    ),
    "expired": Rule(
        "status/expired", "ExpiredEvidence", "warning",
        "The evidence for a control is older than the control allows, or past its validity.",
        "Evidence exists and would count, but it is older than the control's rai:maxEvidenceAge "
        "or past its own rai:validUntil date.",
        "Redo the assessment or evaluation and add a new, dated evidence record for it (keep "
        "the old record as history).",
    ),
    "unapproved": Rule(
        "status/unapproved", "UnapprovedEvidence", "warning",
        "The evidence for a control lacks a valid approval.",
        "Evidence counts for this control, but the control requires approval by a role and no "
        "valid approval exists: none recorded, by someone without the role, by the evidence's "
        "own author, expired, or superseded by a rejection.",
        "Have a person holding the required role, other than the evidence's author, record an "
        "approval of the evidence (`rai-graph new approval`).",
    ),
}

RULES: tuple[Rule, ...] = (*INPUT_RULES.values(), *(STATUS_RULES[s] for s in GAP_ORDER))


@dataclass(frozen=True, slots=True)
class _Gap:
    """A gap with the label of its system (folder name, or :data:`ORGANISATION`)."""

    label: str
    pair: PairStatus

    @property
    def system_iri(self) -> str:
        return str(self.pair.system) if self.pair.system is not None else ""

    def sort_key(self) -> tuple[int, str, str, str]:
        return (GAP_ORDER.index(self.pair.status), self.label, self.pair.control.notation,
                str(self.pair.control.iri))


def _gaps(assessment: Assessment, systems: Sequence[SystemAssessment]) -> list[_Gap]:
    """The gaps of the chosen systems and of the organisation, regressions first."""
    gaps = [_Gap(s.system.name, p) for s in systems for p in s.pairs if p.is_gap]
    gaps += [_Gap(ORGANISATION, p) for p in assessment.organisation if p.is_gap]
    return sorted(gaps, key=_Gap.sort_key)


def _sorted_errors(errors: Sequence[InputError]) -> list[InputError]:
    return sorted(errors, key=InputError.sort_key)


def _gap_title(gap: _Gap) -> str:
    return f"{gap.pair.control.notation} {gap.pair.control.title}"


def _gap_message(gap: _Gap) -> str:
    who = "organisation-wide control" if gap.pair.system is None else gap.label
    return f"{who}: {_gap_title(gap)} is {gap.pair.status}: {gap.pair.reason}"


def _where(file: str, line: int | None) -> str:
    return file if line is None else f"{file}:{line}"


def _headline_counts(
    assessment: Assessment, errors: Sequence[InputError], systems: Sequence[SystemAssessment]
) -> tuple[int, list[_Gap], str]:
    """Systems judged, the gaps, and the gap counts in words ('2 missing, 1 expired')."""
    gaps = _gaps(assessment, systems)
    by_status = Counter(g.pair.status for g in gaps)
    words = ", ".join(f"{by_status[s]} {s}" for s in GAP_ORDER if by_status[s])
    return sum(1 for s in systems if s.judged), gaps, words


# --- SARIF 2.1.0 ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sources:
    """How CI outputs name and quote repository files.

    ``prefix`` is where the governance repository sits in the git repository ('' at its top, else
    ending in '/'), so locations resolve against the checkout as GitHub resolves them;
    ``lines_of`` gives a file's lines (None when it is not a loaded file), to size regions.
    """

    prefix: str = ""
    lines_of: Callable[[str], Sequence[str] | None] = field(default=lambda path: None)

    @classmethod
    def of(cls, result: PipelineResult) -> Sources:
        """The sources of a judged repository on disk (no prefix for a git revision's tree)."""
        by_path = {source.path: source for source in result.repository.files.values()}

        def lines_of(path: str) -> Sequence[str] | None:
            source = by_path.get(path)
            return source.lines if source is not None else None

        location = result.repository.tree.location
        prefix = checkout_of(location).prefix if result.repository.tree.label == "worktree" else ""
        return cls(prefix, lines_of)


def sarif(
    assessment: Assessment,
    errors: Sequence[InputError],
    systems: Sequence[SystemAssessment],
    model: RepositoryModel,
    *,
    tool_version: str,
    source_root_uri: str | None = None,
    sources: Sources | None = None,
) -> str:
    """A SARIF 2.1.0 log with one run: a result per input error and per (system, control) gap.

    A gap is located at the record that decided it (``PairStatus.file``/``line``); a pair that no
    record decided (nothing at all was recorded) at the system's declaration, and an
    organisation-wide one at the control's definition: always a real file and line, so GitHub
    can annotate it. Each result carries a ``primaryLocationLineHash`` built from what the
    finding *is* (rule, system, control; for input errors rule, file and message), never from
    its line, so GitHub keeps the findings of one record apart and tracks each across edits.

    ``source_root_uri`` is the absolute URI of the git repository's root (ending in ``/``) to
    record for ``%SRCROOT%``; by default it is left out, so the log names no path of the machine
    it ran on. ``sources`` (see :meth:`Sources.of`) gives the sub-folder prefix and the file lines.
    """
    sources = sources or Sources()
    rule_index = {rule.id: index for index, rule in enumerate(RULES)}
    seen: Counter[str] = Counter()
    results: list[dict[str, Any]] = []
    for error in _sorted_errors(errors):
        rule = INPUT_RULES[error.kind]
        identity = f"{rule.id}\x1f{error.file}\x1f{error.message}"
        seen[identity] += 1  # the same message twice in a file stays two alerts
        line = error.line if error.line is not None and error.line >= 1 else 1
        results.append({
            "ruleId": rule.id,
            "ruleIndex": rule_index[rule.id],
            "level": rule.level,
            "message": {"text": error.message},
            **_locations(sources, error.file, line),
            "partialFingerprints": _fingerprints(identity, seen[identity]),
            "properties": {"kind": error.kind},
        })
    gaps = sorted(_gaps(assessment, systems),
                  key=lambda g: (g.label, str(g.pair.control.iri)))
    for gap in gaps:
        rule = STATUS_RULES[gap.pair.status]
        control = gap.pair.control
        # System and control, not file or line: the alert survives edits and moves of the
        # records, and closes when the pair's status changes.
        identity = f"{rule.id}\x1f{gap.system_iri}\x1f{control.iri}"
        properties: dict[str, Any] = {"control": str(control.iri), "notation": control.notation,
                                      "status": gap.pair.status}
        if gap.pair.system is not None:
            properties = {"system": gap.system_iri, "systemName": gap.label, **properties}
        file, line = gap_location(gap.pair, model)
        result: dict[str, Any] = {
            "ruleId": rule.id,
            "ruleIndex": rule_index[rule.id],
            "level": rule.level,
            "message": {"text": _gap_message(gap)},
            **_locations(sources, file, line),
        }
        if control.origin.file and (control.origin.file, control.origin.line) != (file, line):
            result["relatedLocations"] = [{
                "id": 1,
                **_physical(sources, control.origin.file, control.origin.line or 1),
                "message": {"text": f"control {control.notation} is defined here"},
            }]
        result["partialFingerprints"] = _fingerprints(identity, 1)
        result["properties"] = properties
        results.append(result)

    root: dict[str, Any] = {"description": {"text": "The root of the git repository (the checkout)."}}
    if source_root_uri is not None:
        root["uri"] = source_root_uri if source_root_uri.endswith("/") else source_root_uri + "/"
    base_ids: dict[str, Any] = {SOURCE_ROOT: root}
    if sources.prefix:
        # Informative: results name git paths (GitHub ignores uriBaseId chains), and this says
        # where in the checkout the governance repository is.
        base_ids[GOVERNANCE_ROOT] = {
            "uri": quote(sources.prefix, safe="/"), "uriBaseId": SOURCE_ROOT,
            "description": {"text": "The root of the governance repository."}}
    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "rai-graph",
                "version": tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(rule) for rule in RULES],
            }},
            "originalUriBaseIds": base_ids,
            "results": results,
            "properties": {"asOf": assessment.as_of.isoformat(),
                           "conforms": not errors and not gaps,
                           **({"governanceRoot": sources.prefix} if sources.prefix else {})},
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def gap_location(pair: PairStatus, model: RepositoryModel) -> tuple[str, int]:
    """The file and line a gap is reported at: the record that decided it, else the declaration
    of its system, else (organisation-wide) the definition of its control."""
    if pair.file and pair.line is not None and pair.line >= 1:
        return pair.file, pair.line
    system = model.systems.get(pair.system) if pair.system is not None else None
    origin = system.origin if system is not None else pair.control.origin
    if origin.file:
        return origin.file, origin.line if origin.line is not None and origin.line >= 1 else 1
    return pair.file, 1


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.short},
        "fullDescription": {"text": rule.full},
        "help": {"text": rule.help, "markdown": f"**{rule.short}**\n\n{rule.full}\n\n{rule.help}"},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": rule.level},
        "properties": {"tags": ["compliance", rule.id.split("/", 1)[0]],
                       "precision": "very-high",
                       "problem.severity": "error" if rule.level == "error" else "warning"},
    }


def _physical(sources: Sources, file: str, line: int) -> dict[str, Any]:
    lines = sources.lines_of(file)
    text = lines[line - 1] if lines is not None and 0 < line <= len(lines) else ""
    # A whole-line region: GitHub asks for all four bounds; the end column follows the last
    # character (1 for an empty or unknown line: an empty region at its start).
    region = {"startLine": line, "startColumn": 1, "endLine": line, "endColumn": len(text.rstrip("\r\n")) + 1}
    return {"physicalLocation": {
        "artifactLocation": {"uri": quote(sources.prefix + file, safe="/"), "uriBaseId": SOURCE_ROOT},
        "region": region,
    }}


def _locations(sources: Sources, file: str, line: int) -> dict[str, Any]:
    return {"locations": [_physical(sources, file, line)]} if file else {}


def _fingerprints(identity: str, occurrence: int) -> dict[str, str]:
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()
    return {"primaryLocationLineHash": f"{digest[:16]}:{occurrence}",
            FINGERPRINT_KEY: f"{digest[:32]}:{occurrence}"}


# --- JUnit XML -----------------------------------------------------------------------------------


def junit(
    assessment: Assessment,
    errors: Sequence[InputError],
    systems: Sequence[SystemAssessment],
    model: RepositoryModel,
    *,
    files: Sequence[str],
) -> str:
    """JUnit XML: a suite per judged system, one for organisation-wide controls, one for files.

    A test case per applicable (system, control) pair: met passes (its reason and place in
    ``<system-out>``), waived is ``<skipped>`` with the waiver's reason, a gap is a ``<failure>`` of
    type = its status. The suite ``files`` has a test case per repository file (``files`` plus any
    file an error names), an ``<error>`` when the file has input errors.

    The document conforms to the strict schemas CI servers apply: Jenkins' ``junit-10.xsd`` for
    the whole and Maven Surefire's ``surefire-test-report.xsd`` for each suite (so no ``file`` or
    ``line`` attribute: where to look is in the message, and in ``<system-out>``). Judging takes
    no measurable time per pair, so every ``time`` is 0; suites are stamped with the as-of date.
    """
    suites = ET.Element("testsuites", name="rai-graph check")
    stamp = f"{assessment.as_of.isoformat()}T00:00:00"
    for system in systems:
        if not system.judged:
            continue
        suite = _suite(suites, system.system.name, stamp, {
            "system": str(system.system.iri),
            "title": system.system.title,
            "tier": model.label(system.system.tier),
            "readiness": f"{system.readiness:.4f}",
            "asOf": assessment.as_of.isoformat(),
        })
        for pair in system.pairs:
            _pair_case(suite, system.system.name, pair, model)
    organisation = _suite(suites, ORGANISATION, stamp, {"asOf": assessment.as_of.isoformat()})
    for pair in assessment.organisation:
        _pair_case(organisation, ORGANISATION, pair, model)
    by_file: dict[str, list[InputError]] = {path: [] for path in files}
    for error in _sorted_errors(errors):
        by_file.setdefault(error.file, []).append(error)
    file_suite = _suite(suites, "files", stamp, {})
    for path in sorted(by_file):
        case = _case(file_suite, "files", path or "(repository)")
        file_errors = by_file[path]
        if file_errors:
            kinds = sorted({e.kind for e in file_errors})
            element = ET.SubElement(case, "error", message=_xml_text(
                f"{len(file_errors)} input error(s): " + "; ".join(str(e) for e in file_errors)),
                type=" ".join(kinds))
            element.text = _xml_text("\n".join(f"{e} [{e.kind}]" for e in file_errors))

    totals: Counter[str] = Counter()
    for suite in suites:
        counts = {
            "tests": len(suite.findall("testcase")),
            "failures": len(suite.findall("testcase/failure")),
            "errors": len(suite.findall("testcase/error")),
            "skipped": len(suite.findall("testcase/skipped")),
        }
        totals.update(counts)
        for key, value in counts.items():
            suite.set(key, str(value))
    for key in ("tests", "failures", "errors"):  # junit-10.xsd allows no "skipped" on testsuites
        suites.set(key, str(totals[key]))
    suites.set("time", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _suite(parent: ET.Element, name: str, stamp: str, properties: Mapping[str, str]) -> ET.Element:
    suite = ET.SubElement(parent, "testsuite", name=_xml_text(name), time="0", timestamp=stamp)
    if properties:
        holder = ET.SubElement(suite, "properties")
        for key, value in properties.items():
            ET.SubElement(holder, "property", name=key, value=_xml_text(value))
    return suite


def _case(suite: ET.Element, classname: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", name=_xml_text(name), classname=_xml_text(classname),
                         time="0")


def _pair_case(suite: ET.Element, classname: str, pair: PairStatus, model: RepositoryModel) -> None:
    name = f"{pair.control.notation} {pair.control.title}"
    case = _case(suite, classname, name)
    file, line = gap_location(pair, model)
    where = _where(file, line)
    if pair.is_gap:
        failure = ET.SubElement(case, "failure", message=_xml_text(f"{pair.status}: {pair.reason} ({where})"),
                                type=pair.status)
        failure.text = _xml_text(f"{pair.reason}\nsee {where}")
    elif pair.status == "waived":
        ET.SubElement(case, "skipped", message=_xml_text(f"waived: {pair.reason} ({where})"))
    ET.SubElement(case, "system-out").text = _xml_text(f"{pair.status}: {pair.reason}\nsee {where}")


# Characters XML 1.0 cannot carry at all (ElementTree would write them and break the document).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


# --- GitHub workflow commands --------------------------------------------------------------------


def github_commands(
    assessment: Assessment,
    errors: Sequence[InputError],
    systems: Sequence[SystemAssessment],
    model: RepositoryModel,
) -> str:
    """One ``::error``/``::warning`` workflow command per input error and gap, then a ``::notice``.

    Input errors come first, then gaps regressions first (missing, invalid, expired, unapproved),
    because GitHub shows only the first few annotations of each level per step.
    """
    lines = []
    for error in _sorted_errors(errors):
        lines.append(_command(INPUT_RULES[error.kind].level, error.message, error.file, error.line,
                              f"rai-graph {error.kind} error"))
    judged, gaps, words = _headline_counts(assessment, errors, systems)
    for gap in gaps:
        title = f"{gap.pair.status}: {gap.pair.control.notation} ({gap.label})"
        lines.append(_command(STATUS_RULES[gap.pair.status].level, _gap_message(gap),
                              gap.pair.file, gap.pair.line, title))
    verdict = "conforms" if not errors and not gaps else "does not conform"
    summary = (f"rai-graph check as of {assessment.as_of}: {verdict}; {judged} system(s) judged; "
               f"{len(gaps)} gap(s){f' ({words})' if words else ''}; {len(errors)} input error(s)")
    lines.append(f"::notice::{escape_data(summary)}")
    return "\n".join(lines) + "\n"


def _command(level: Level, message: str, file: str, line: int | None, title: str) -> str:
    properties = []
    if file:
        properties.append(f"file={escape_property(file)}")
        if line is not None and line >= 1:
            properties.append(f"line={line}")
    properties.append(f"title={escape_property(title)}")
    return f"::{level} {','.join(properties)}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """Escape a workflow command's message (GitHub's ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (GitHub's ``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


# --- step summary --------------------------------------------------------------------------------


def github_blob_url(env: Mapping[str, str]) -> str | None:
    """``{server}/{repository}/blob/{sha}/`` from a GitHub Actions environment, else None."""
    parts = [env.get(name, "") for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")]
    if not all(parts):
        return None
    server, repository, sha = parts
    return f"{server.rstrip('/')}/{repository}/blob/{sha}/"


_SAFE_BASE_URL = re.compile(r"https?://[^\s()<>\[\]\"'`]+")


def step_summary_markdown(
    assessment: Assessment,
    errors: Sequence[InputError],
    systems: Sequence[SystemAssessment],
    model: RepositoryModel,
    *,
    blob_url: str | None = None,
    limit: int = SUMMARY_LIMIT,
) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: verdict, a table of systems, the first gaps, errors.

    ``blob_url`` (see :func:`github_blob_url`) turns file references into links to the commit;
    without it (or when it is not a plain http(s) URL) they are shown as text.
    """
    judged, gaps, words = _headline_counts(assessment, errors, systems)
    conforms = not errors and not gaps
    base = blob_url if blob_url and _SAFE_BASE_URL.fullmatch(blob_url) else None
    if base is not None and not base.endswith("/"):
        base += "/"
    verdict = "✅ conforms" if conforms else "❌ does not conform"
    out = [
        f"## rai-graph check: {verdict}",
        "",
        f"As of {assessment.as_of}: **{judged}** system(s) judged, **{len(gaps)}** gap(s)"
        f"{f' ({words})' if words else ''}, **{len(errors)}** input error(s).",
        "",
        "| System | Tier | Readiness | Gaps |",
        "|---|---|---:|---:|",
    ]
    for system in systems:
        readiness = percent(system.readiness) if system.judged else "retired"
        count = sum(1 for p in system.pairs if p.is_gap)
        out.append(f"| {md(system.system.title)} ({md(system.system.name)}) | "
                   f"{md(model.label(system.system.tier))} | {readiness} | {count} |")
    if assessment.organisation:
        good = sum(1 for p in assessment.organisation if not p.is_gap)
        out.append(f"| Organisation-wide controls | all tiers | "
                   f"{good / len(assessment.organisation):.0%} | "
                   f"{len(assessment.organisation) - good} |")
    out.append("")
    if gaps:
        out += [f"### Gaps ({len(gaps)})", "", "| Status | System | Control | Why | Where |",
                "|---|---|---|---|---|"]
        for gap in gaps[:limit]:
            out.append(f"| {gap.pair.status} | {md(gap.label)} | {md(_gap_title(gap))} | "
                       f"{md(gap.pair.reason)} | {_link(base, gap.pair.file, gap.pair.line)} |")
        if len(gaps) > limit:
            out.append("")
            out.append(f"… and {len(gaps) - limit} more; `rai-graph check` lists them all.")
        out.append("")
    if errors:
        ordered = _sorted_errors(errors)
        out += [f"### Input errors ({len(errors)})", ""]
        out += [f"- {error.kind}: {_link(base, error.file, error.line)}: {md(error.message)}"
                for error in ordered[:limit]]
        if len(errors) > limit:
            out.append(f"- … and {len(errors) - limit} more; `rai-graph check` lists them all.")
        out.append("")
    return "\n".join(out)


def _link(base: str | None, file: str, line: int | None) -> str:
    text = md(_where(file, line)) if file else "(repository)"
    if base is None or not file:
        return text
    anchor = f"#L{line}" if line is not None and line >= 1 else ""
    return f"[{text}]({base}{quote(file, safe='/')}{anchor})"


__all__ = [
    "GAP_ORDER",
    "INPUT_RULES",
    "RULES",
    "STATUS_RULES",
    "escape_data",
    "escape_property",
    "github_blob_url",
    "github_commands",
    "junit",
    "sarif",
    "step_summary_markdown",
]
