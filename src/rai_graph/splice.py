"""Re-judging only the evidence folders a change touched (issue 18: one changed file).

A pull request or a pre-commit run changes one or two files; :mod:`rai_graph.replay` replays
``check`` only when nothing changed, so one changed record used to cost most of a cold run. Most
system folders are *independent*: nothing outside them bears on what ``check`` says about them,
and they bear on nothing outside. Such a folder's share of the output (the errors in its files,
the findings of its systems, the warnings of its findings) is kept beside the replayed output;
when every changed path lies in some system folders, the pipeline runs again on a tree that
hides the other independent folders (:class:`~rai_graph.replay.HidingTree`), and their kept
shares are merged back in the output's own order.

A folder ``evidence/<name>/`` (not ``_organisation``) is independent when, in its files' triples:

* no IRI it uses as a subject or an object is used by another evidence folder (IRIs defined
  under ``frameworks/``, ``controls/`` or by rai-graph are shared by all and read by both runs);
  this covers references, approvals, duplicate records, SHACL units and contexts, and a system
  or record typed in two folders;
* it says nothing about those defined IRIs, defines no class (``rdfs:subClassOf`` enters every
  SHACL unit's context), and gives no literal to a property whose objects the shapes target (the
  error of such a literal names no file);
* every artefact its records name lies inside it.

Any parse error in the repository (its cascade folding reads other files) or shapes that are not
checked per record turn the merge off: those runs are full ones. So does anything the replay key
covers (date, ``HEAD``, options, settings, code) and any changed path outside a system folder:
then there is no kept entry, or the change is not a system folder's. The equivalence test is
``tests/test_incremental.py``: after random edits, the merged output equals a ``--no-cache`` run.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rai_graph.replay import HidingTree, Output, RecordingTree, Replay, collector_paused

if TYPE_CHECKING:
    from rai_graph.load.repository import LoadedRepository
    from rai_graph.pipeline import PipelineResult

PACK = "splice"
_ORGANISATION = "_organisation"
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf"
_DEFINING_ROLES = ("framework", "controls", "ontology")

Part = tuple[list[str], list[Any], list[Any], list[Any]]
"""An independent folder's share: its IRIs, errors ``(sort key, error)``, findings
``(system, [finding, ...])`` and warnings ``(sort key, warning)``, each as its JSON text."""


def system_folder(path: str) -> str | None:
    """``evidence/<name>`` for a path inside a system's evidence folder; None otherwise."""
    parts = path.split("/", 2)
    if len(parts) == 3 and parts[0] == "evidence" and parts[1] != _ORGANISATION and parts[1]:
        return f"evidence/{parts[1]}"
    return None


def eligible(output_format: str, paths: Iterable[object], system_ids: Iterable[str], summary: bool) -> bool:
    """Whether a ``check`` run's output can be split by folder (plain JSON of everything)."""
    return output_format == "json" and not list(paths) and not list(system_ids) and not summary


def remember(replay: Replay, result: PipelineResult, data: Mapping[str, Any], *, replayable: bool) -> None:
    """Keep the independent folders' shares of a full run's ``check`` JSON for the next run."""
    if replay.tree is None or isinstance(replay.tree, HidingTree) or not replayable:
        return
    objects_of = _targeted_objects(result.repository)
    entry = None
    if objects_of is not None:
        split = _split(result, data, objects_of, {})
        if split is not None:
            replay.tree.generation = secrets.token_hex(8)
            entry = {"objects_of": sorted(objects_of), "folders": split[0], "generation": replay.tree.generation}
            _keep_shared_outcomes(replay, result.repository, set(split[0]))
    replay.write_extra(PACK, entry)


def _keep_shared_outcomes(replay: Replay, repository: LoadedRepository, independent: set[str]) -> None:
    """The parse outcomes of the files outside independent folders: what a later partial run
    loads (it reads this pack, not the whole repository's)."""
    from rai_graph.pipeline import SHARED_PARSE_PACK

    outcomes = repository.outcomes
    shared = {key: outcomes[key] for graph, key in repository.content_keys.items()
              if key in outcomes and system_folder(repository.files[graph].path) not in independent}
    if replay.cache is not None:
        replay.cache.write(SHARED_PARSE_PACK, shared)


def get_ready(replay: Replay) -> None:
    """Read ahead the packs a spliced run reads first: called while a second process finds what
    changed (:attr:`Replay.looking`), so the run finds them read."""
    from rai_graph.pipeline import SHARED_PARSE_PACK
    from rai_graph.provenance import PACK as PROVENANCE_PACK

    replay.prefetch_extra(PACK)
    if replay.cache is not None:
        replay.cache.prefetch(SHARED_PARSE_PACK, PROVENANCE_PACK, "shacl")


def spliced_check(replay: Replay, as_of: dt.date | None, quiet: bool, fail_on: str) -> Output | None:
    """``check --format json`` re-judging only the folders that changed, or None (run it in full)."""
    with collector_paused():
        return _spliced_check(replay, as_of, quiet, fail_on)


def _spliced_check(replay: Replay, as_of: dt.date | None, quiet: bool, fail_on: str) -> Output | None:
    previous = replay.previous
    if previous is None or replay.tree is None:
        return None
    entry = replay.read_extra(PACK)
    # Only the shares written with the recorded dependencies (a run that stopped between writing
    # the two leaves them apart).
    if (not isinstance(entry, dict) or not isinstance(entry.get("folders"), dict)
            or not entry.get("generation") or entry["generation"] != previous.get("generation")):
        return None
    changed = replay.changed
    if not changed:
        return None
    touched = {system_folder(path) for path in changed}
    if None in touched:
        return None
    kept: dict[str, Part] = entry["folders"]
    hidden = frozenset(kept) - touched
    if not hidden:
        return None

    # Imported here: a replayed run never needs the pipeline (nor rdflib).
    from rai_graph.commands import EXIT_CLEAN, EXIT_FINDINGS
    from rai_graph.pipeline import run
    from rai_graph.progress import progress_for
    from rai_graph.render.machine import check_data

    tree = HidingTree(replay.root, hidden, previous, replay.listings)
    result = run(tree, as_of, cache=True, progress=progress_for(quiet))
    errors = result.validation.errors
    split = None
    if not tree.reached_hidden and not any(e.kind == "parse" for e in errors):
        data = check_data(result.assessment, errors, result.assessment.systems)
        split = _split(result, data, set(entry["objects_of"]), {f: kept[f] for f in hidden})
    if split is None:
        replay.tree = RecordingTree(replay.root)
        return None
    loaded, rest = split
    folders = {**{f: kept[f] for f in hidden}, **loaded}
    text, any_errors, any_findings = _merged(rest, folders.values())
    failed = fail_on != "none" and (any_errors or (fail_on == "gaps" and any_findings))
    output = Output(text, EXIT_FINDINGS if failed else EXIT_CLEAN)
    replay.tree = tree
    if not result.provenance.consulted_signatures:
        tree.generation = secrets.token_hex(8)
        replay.write_extra(PACK, {"objects_of": entry["objects_of"], "folders": folders,
                                  "generation": tree.generation})
        replay.store(output)
    return output


def _targeted_objects(repository: LoadedRepository) -> set[str] | None:
    """The properties (encoded) whose objects the shapes target; None if the shapes are not
    checked per record (then one folder's records bear on every result)."""
    from rai_graph.validate.records import structural_shapes

    scope = structural_shapes(repository)[2]
    return {f"<{p}" for p in scope.objects_of} if scope.per_unit else None


def _split(
    result: PipelineResult, data: Mapping[str, Any], objects_of: set[str], hidden: Mapping[str, Part],
) -> tuple[dict[str, Part], dict[str, Any]] | None:
    """This run's ``check`` data cut into the shares of its independent folders and the rest;
    None when a folder it loaded shares an IRI with a ``hidden`` one (their kept shares may be
    stale) or a parse error makes the output depend on several files at once."""
    errors = result.validation.errors
    if any(e.kind == "parse" for e in errors):
        return None
    terms, clean = _folder_terms(result.repository, objects_of)
    owner: dict[str, str] = {}
    for folder, used in terms.items():
        for term in used:
            owner[term] = folder if owner.get(term, folder) == folder else ""
    for part in hidden.values():
        if any(term in owner for term in part[0]):
            return None
    independent = {folder for folder in clean if system_folder(folder + "/x") == folder
                   and all(owner[term] == folder for term in terms[folder])}
    independent -= _reaching_out(result)
    shares: dict[str, Part] = {folder: (sorted(terms[folder]), [], [], []) for folder in independent}
    rest: dict[str, Any] = {"as_of": data["as_of"], "errors": [], "systems": [], "organisation": [],
                            "warnings": []}

    for error, shown in zip(errors, data["errors"], strict=True):
        share = shares.get(system_folder(error.file) or "")
        (share[1] if share else rest["errors"]).append((error.sort_key(), _item(shown)))
    home = {str(s.system.iri): system_folder(s.system.origin.file) or "" for s in result.assessment.systems}
    by_system: dict[str, list[Any]] = {}
    for finding in data["findings"]:
        if finding["system"] is None:
            rest["organisation"].append(_item(finding))
        else:
            by_system.setdefault(finding["system"], []).append(_item(finding))
    for system, found in by_system.items():
        share = shares.get(home.get(system, ""))
        (share[2] if share else rest["systems"]).append((system, found))
    overdue = result.assessment.overdue_findings()
    from rai_graph.trace.status import SEVERITY_ORDER

    for finding, shown in zip(overdue, data["warnings"], strict=True):
        key = (SEVERITY_ORDER.get(finding.severity, len(SEVERITY_ORDER)),
               (finding.due or dt.date.max).isoformat(), str(finding.iri))
        share = shares.get(system_folder(finding.origin.file) or "")
        (share[3] if share else rest["warnings"]).append((key, _item(shown)))
    return shares, rest


def _folder_terms(repository: LoadedRepository, objects_of: set[str]) -> tuple[dict[str, set[str]], set[str]]:
    """The IRIs each evidence folder uses (defined ones left out), and the folders that say
    nothing about defined IRIs, define no class and give no targeted property a literal."""
    outcomes = list(repository.parse_outcomes())
    defined: set[str] = set()
    for source, outcome in outcomes:
        if source.role in _DEFINING_ROLES:
            codes, flat = outcome[1], outcome[2]
            defined.update(codes[i] for i in flat[0::3])
    terms: dict[str, set[str]] = {}
    dirty: set[str] = set()
    for source, outcome in outcomes:
        if source.role != "evidence":
            continue
        path = source.path
        folder = system_folder(path) or path.rpartition("/")[0]
        used = terms.setdefault(folder, set())
        codes, flat = outcome[1], outcome[2]
        subjects = {codes[i] for i in flat[0::3]}
        predicates = {codes[i] for i in flat[1::3]}
        objects = {codes[i] for i in flat[2::3]}
        if not subjects.isdisjoint(defined) or _SUBCLASS in predicates or (
                not predicates.isdisjoint(objects_of) and any(
                    codes[flat[i + 1]] in objects_of and codes[flat[i + 2]][0] not in "<_"
                    for i in range(0, len(flat), 3))):
            dirty.add(folder)
        used.update(code for code in subjects | objects if code[0] == "<" and code not in defined)
    return terms, set(terms) - dirty


def _reaching_out(result: PipelineResult) -> set[str]:
    """Folders that read a file outside themselves: a record file that is a link out of the
    folder, or a record naming an artefact outside it, through a link or not (a refused path,
    as written, counts as outside too)."""
    out = set()
    resolutions: Mapping[str, tuple[str, str]] = getattr(result.repository.tree, "resolutions", {})
    for relative, (_kind, path) in resolutions.items():
        folder = system_folder(relative)
        if folder is not None and system_folder(path) != folder:
            out.add(folder)
    for evidence in result.model.evidence.values():
        check = result.validation.artifacts.get(evidence.iri)
        folder = system_folder(evidence.origin.file)
        if check is None or folder is None:
            continue
        if system_folder(check.path) != folder or (check.source is not None and system_folder(check.source) != folder):
            out.add(folder)
    return out


def _item(value: Mapping[str, Any]) -> str:
    """One element of a top-level list of the ``check`` JSON, as :func:`~rai_graph.render.machine.to_json`
    prints it there (JSON strings hold no raw line break, so indenting every line is exact)."""
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n    ")


def _merged(rest: Mapping[str, Any], shares: Iterable[Part]) -> tuple[str, bool, bool]:
    """The ``check`` JSON of the whole repository, from the rest and every share in the output's
    order (the text ``to_json(check_data(...))`` prints), and whether it has errors and findings."""
    errors = list(rest["errors"])
    systems = list(rest["systems"])
    warnings = list(rest["warnings"])
    for _terms, share_errors, share_systems, share_warnings in shares:
        errors += share_errors
        systems += share_systems
        warnings += share_warnings
    errors.sort(key=lambda item: tuple(item[0]))
    systems.sort(key=lambda item: item[0])
    warnings.sort(key=lambda item: tuple(item[0]))
    findings = [finding for _system, found in systems for finding in found] + list(rest["organisation"])

    def listed(items: list[str]) -> str:
        return "[\n    " + ",\n    ".join(items) + "\n  ]" if items else "[]"

    conforms = not errors and not findings
    text = (f'{{\n  "as_of": {json.dumps(rest["as_of"])},\n  "conforms": {json.dumps(conforms)},\n'
            f'  "errors": {listed([error for _key, error in errors])},\n  "findings": {listed(findings)},\n'
            f'  "warnings": {listed([warning for _key, warning in warnings])}\n}}\n')
    return text, bool(errors), bool(findings)
