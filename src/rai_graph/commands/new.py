"""``rai-graph new system|evidence|approval|waiver``: write a valid record file.

Values come from flags, or from prompts when a required flag is missing on a terminal. The new
record is validated together with the repository before anything is written, is written
atomically, and never replaces an existing file unless ``--force``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rdflib import URIRef

from rai_graph.authoring.records import (
    CHARACTERISTICS,
    CONFIDENTIALITY,
    DECISIONS,
    FUNCTIONS,
    LIFECYCLES,
    OPERATOR_ROLES,
    TIERS,
    WHY,
    Artefact,
    AuthoringError,
    NewRecord,
    approval_record,
    check_new_file,
    choice,
    evidence_record,
    find_control,
    find_evidence,
    find_person,
    find_role,
    find_system,
    git_identity,
    slug,
    system_record,
    waiver_record,
)
from rai_graph.commands import DateType, write_output
from rai_graph.load.repository import load_repository
from rai_graph.model import Origin, RepositoryModel, Waiver, build_model
from rai_graph.provenance import Provenance
from rai_graph.settings import Settings
from rai_graph.trace import StatusRules
from rai_graph.vocab import EUAIA, RAI

F = TypeVar("F", bound=Callable[..., Any])
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def _common(command: F) -> F:
    command = click.option("--force", is_flag=True, help="Replace an existing file.")(command)
    command = click.option("--dry-run", is_flag=True, help="Print the record instead of writing it.")(command)
    command = click.option("--repo", type=click.Path(file_okay=False, path_type=Path),
                           default=Path("."), show_default=True, help="The governance repository.")(command)
    return command


@click.group()
def new() -> None:
    """Write a new record file (system, evidence, approval or waiver)."""


def _context(repo: Path) -> tuple[RepositoryModel, str]:
    loaded = load_repository(repo)
    base = loaded.settings.base_iri
    if not base:
        raise AuthoringError("rai-graph.toml has no base_iri; set it so new records get IRIs "
                             "in your organisation's namespace")
    return build_model(loaded), base


def _me(repo: Path, model: RepositoryModel, given: str | None, what: str) -> Any:
    if given:
        return find_person(model, given)
    identity = git_identity(repo)
    if identity is None:
        raise AuthoringError(f"no {what} given and no git user.email configured; pass --{what}")
    return find_person(model, identity[1])


def _finish(repo: Path, record: NewRecord, *, force: bool, dry_run: bool) -> None:
    errors = check_new_file(repo, record, dt.date.today())
    if errors:
        details = "\n".join(f"  {error}" for error in errors)
        raise AuthoringError(f"the new record would not be valid, nothing written:\n{details}")
    text = record.text()
    if dry_run:
        click.echo(text, nl=False)
        return
    write_output(repo / record.path, text, force=force, shown=record.path)
    click.echo(f"wrote {record.path}")
    for note in record.notes:
        click.echo(note)


@new.command("system")
@_common
@click.option("--id", "folder", default=None, help="Folder under evidence/ and local name of the system's IRI.")
@click.option("--title", default=None, help="Human-readable name.")
@click.option("--tier", default=None, help=f"Risk tier: {', '.join(TIERS)}. Why: {WHY['tier']}.")
@click.option("--role", "roles", multiple=True,
              help=f"Operator role (repeatable; default Provider): {', '.join(OPERATOR_ROLES)}. Why: {WHY['roles']}.")
@click.option("--purpose", default=None, help="Intended purpose (Art. 3(12)).")
@click.option("--owner", default=None, help="Owner (person local name, name, e-mail or IRI); default: you.")
@click.option("--annex-iii", "annex", multiple=True,
              help=f"Annex III point, e.g. AnnexIII-5-b (repeatable). Why: {WHY['annex_iii']}.")
@click.option("--annex-i", "products", multiple=True,
              help=f"Annex I item, e.g. AnnexI-11 (repeatable). Why: {WHY['annex_i']}.")
@click.option("--function", "functions", multiple=True,
              help=f"What it does (repeatable): {', '.join(FUNCTIONS)}. Why: {WHY['functions']}.")
@click.option("--characteristic", "characteristics", multiple=True,
              help=f"Operator characteristic (repeatable): {', '.join(CHARACTERISTICS)}. "
                   f"Why: {WHY['characteristics']}.")
@click.option("--placed-on-market", type=DateType(), default=None,
              help=f"First placed on the market or put into service. Why: {WHY['placed_on_market']}.")
@click.option("--significant-change", "changes", type=DateType(), multiple=True,
              help=f"Date of a significant change in its design (repeatable). Why: {WHY['significant_changes']}.")
@click.option("--lifecycle", default="Development", show_default=True, help=", ".join(LIFECYCLES))
def new_system(repo: Path, force: bool, dry_run: bool, folder: str | None, title: str | None, tier: str | None,
               roles: tuple[str, ...], purpose: str | None, owner: str | None, annex: tuple[str, ...],
               products: tuple[str, ...], functions: tuple[str, ...], characteristics: tuple[str, ...],
               placed_on_market: dt.date | None, changes: tuple[dt.date, ...], lifecycle: str) -> None:
    """A new AI system: evidence/<id>/system.ttl, with the legal facts the applicability rules test.

    Every value can be given as a flag. Run on a terminal without --id, --title, --tier or
    --purpose, it asks for each in turn — the facts too — saying why the law needs it; elsewhere
    (CI, scripts) a missing required flag is an error naming it.
    """
    model, base = _context(repo)
    guided = _interactive() and not (folder and title and tier and purpose)
    folder = _required(folder, "--id", "Folder name under evidence/ (e.g. credit-scoring)")
    title = _required(title, "--title", "Title")
    tier = _required(tier, "--tier", f"Risk tier ({', '.join(TIERS)}) — {WHY['tier']}")
    purpose = _required(purpose, "--purpose", "Intended purpose")
    if guided:
        roles = roles or tuple(_ask_list(f"Operator roles ({', '.join(OPERATOR_ROLES)}) — {WHY['roles']}",
                                         "Provider"))
        annex = annex or tuple(_ask_list(f"Annex III points, e.g. AnnexIII-5-b — {WHY['annex_iii']}"))
        products = products or tuple(_ask_list(f"Annex I items, e.g. AnnexI-11 — {WHY['annex_i']}"))
        functions = functions or tuple(_ask_list(f"Functions ({', '.join(FUNCTIONS)}) — {WHY['functions']}"))
        characteristics = characteristics or tuple(_ask_list(
            f"Operator characteristics ({', '.join(CHARACTERISTICS)}) — {WHY['characteristics']}"))
        if placed_on_market is None:
            placed = _ask_list(f"Placed on the market on (YYYY-MM-DD, empty if not yet) — {WHY['placed_on_market']}")
            placed_on_market = DateType().convert(placed[0], None, None) if placed else None
    if slug(folder) != folder:
        raise AuthoringError(f"--id {folder!r} must be lower-case letters, digits and '-', e.g. {slug(folder)}")
    record = system_record(
        base, folder=folder, title=title, tier=choice(TIERS, tier, "tier"),
        roles=[choice(OPERATOR_ROLES, r, "operator role") for r in (roles or ("Provider",))],
        purpose=purpose, owner=_me(repo, model, owner, "owner"),
        lifecycle=choice(LIFECYCLES, lifecycle, "lifecycle status"),
        annex_areas=[_clause(model, a, "AnnexIII", "--annex-iii") for a in annex],
        annex_products=[_clause(model, a, "AnnexI", "--annex-i") for a in products],
        functions=[choice(FUNCTIONS, f, "function") for f in functions],
        characteristics=[choice(CHARACTERISTICS, c, "operator characteristic") for c in characteristics],
        placed_on_market=placed_on_market, significant_changes=sorted(set(changes)),
    )
    _finish(repo, record, force=force, dry_run=dry_run)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _required(value: str | None, flag: str, question: str) -> str:
    if value:
        return value
    if not _interactive():
        raise click.UsageError(f"missing {flag} (not on a terminal, so nothing is asked)")
    answer: str = click.prompt(question)
    return answer


def _ask_list(question: str, default: str = "") -> list[str]:
    """A comma-separated answer as a list (empty: none)."""
    answer: str = click.prompt(question, default=default, show_default=bool(default))
    return [part.strip() for part in answer.split(",") if part.strip()]


def _clause(model: RepositoryModel, given: str, annex: str, flag: str) -> URIRef:
    """An EU AI Act clause of ``annex`` named by its local name (AnnexIII-5-b) or IRI."""
    local = given.removeprefix("euaia:").removeprefix(str(EUAIA))
    iri = EUAIA[local]
    if not local.startswith(annex + "-") or iri not in model.requirements:
        raise AuthoringError(f"{flag} {given!r}: no such {annex.replace('Annex', 'Annex ')} clause in frameworks/ "
                             f"(e.g. {annex}-{'5-b' if annex == 'AnnexIII' else '11'})")
    return iri


@new.command("evidence")
@_common
@click.option("--system", "system_id", default=None, help="The system (omit for organisation-wide evidence).")
@click.option("--control", "controls", multiple=True, required=True, help="Control notation or IRI (repeatable).")
@click.option("--artifact", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The artefact file (inside the repository); its SHA-256 is computed.")
@click.option("--artifact-url", default=None, help="Or a URL where the artefact lives.")
@click.option("--title", default=None, help="Title (default: from the control and date).")
@click.option("--type", "evidence_type", default=None, help="Evidence type (default: what the control requires).")
@click.option("--date", type=DateType(), default=None, help="When it was produced (default: today).")
@click.option("--author", default=None, help="Who produced it (default: you, from git config).")
@click.option("--confidentiality", default="Internal", show_default=True, help=", ".join(CONFIDENTIALITY))
@click.option("--valid-until", type=DateType(), default=None, help="Last day it is valid.")
@click.option("--id", "local", default=None, help="Local name of the record's IRI.")
@click.option("--import", "import_", nargs=2, default=None, metavar="TOOL FILE",
              help="Read measurements from an evaluation tool's output (see `rai-graph new evidence --help`).")
@click.option("--metric", "metric_paths", multiple=True, help="With --import generic: JSON/CSV path of a metric.")
def new_evidence(repo: Path, force: bool, dry_run: bool, system_id: str | None,
                 controls: tuple[str, ...], artifact: Path | None, artifact_url: str | None,
                 title: str | None, evidence_type: str | None, date: dt.date | None,
                 author: str | None, confidentiality: str, valid_until: dt.date | None,
                 local: str | None, import_: tuple[str, str] | None,
                 metric_paths: tuple[str, ...]) -> None:
    """A new evidence record, beside its artefact, with the artefact's SHA-256."""
    model, base = _context(repo)
    found = [find_control(model, c) for c in controls]
    systems, folder = [], "evidence/_organisation"
    if system_id:
        iri, name = find_system(model, system_id)
        systems, folder = [iri], f"evidence/{name}"
    extra, notes = "", list[str]()
    produced = date or dt.date.today()
    if import_ is not None:
        extra, imported_title, imported_date, imported_type, notes = _imported(import_, metric_paths)
        if artifact is None and Path(import_[1]).resolve().is_relative_to(repo.resolve()):
            artifact = Path(import_[1])  # the tool's report is the artefact the record names
        title = title or imported_title
        produced = date or imported_date or produced
        evidence_type = evidence_type or imported_type
    kind = _evidence_type(model, evidence_type, found)
    artefact = _artefact(repo, folder, artifact) if artifact else None
    if local is not None and slug(local) != local:
        raise AuthoringError(f"--id {local!r} must be lower-case letters, digits and '-', e.g. {slug(local)}")
    if artifact_url is not None and not _IRI.match(artifact_url):
        raise AuthoringError(f"--artifact-url {artifact_url!r} is not an http(s) URL")
    name = local or slug(f"{found[0].notation}-{produced.isoformat()}")
    record = evidence_record(
        base, local=name if not system_id else f"{slug(system_id)}-{name}", folder=folder,
        systems=systems, controls=[c.iri for c in found], evidence_type=kind,
        title=title or f"{found[0].title} ({produced.isoformat()})", generated=produced,
        author=_me(repo, model, author, "author"),
        confidentiality=choice(CONFIDENTIALITY, confidentiality, "confidentiality level"),
        artefact=artefact, artifact_url=artifact_url, valid_until=valid_until, extra_turtle=extra,
    )
    record.path = f"{folder}/{name}.ttl"
    record.notes.extend(notes)
    _finish(repo, record, force=force, dry_run=dry_run)


def _imported(import_: tuple[str, str], metric_paths: tuple[str, ...]
              ) -> tuple[str, str | None, dt.date | None, str | None, list[str]]:
    from rai_graph.authoring.importers import import_measurements, render_measurements_turtle

    tool, file = import_
    result = import_measurements(tool, Path(file), metric_paths=metric_paths)
    notes = [f"imported {len(result.measurements)} measurement(s) with {result.extracted_by}"]
    return (render_measurements_turtle(result), result.title, result.generated_on,
            str(result.evidence_type) if result.evidence_type else None, notes)


def _evidence_type(model: RepositoryModel, given: str | None, controls: list[Any]) -> Any:
    if given:
        for node, kinds in model.types.items():
            if RAI.EvidenceType in kinds and given in (str(node), str(node).rsplit("#", 1)[-1],
                                                      str(node).rsplit("/", 1)[-1], f"rai:{given}"):
                return node
        raise AuthoringError(f"unknown evidence type {given!r}")
    required = {c.evidence_type for c in controls if c.evidence_type}
    if len(required) != 1:
        raise AuthoringError("pass --type: the controls require "
                             + (" and ".join(sorted(map(str, required))) or "no particular type"))
    return required.pop()


def _artefact(repo: Path, folder: str, artifact: Path) -> Artefact:
    root = repo.resolve()
    path = (artifact if artifact.is_absolute() else Path.cwd() / artifact).resolve()
    if not path.is_relative_to(root):
        raise AuthoringError(f"the artefact {artifact} is outside the repository; copy it into {folder}/ first")
    if not path.is_file():
        raise AuthoringError(f"the artefact {artifact} does not exist")
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    relative = posixpath.relpath(path.relative_to(root).as_posix(), folder)
    return Artefact(relative, digest.hexdigest())


@new.command("approval")
@_common
@click.option("--evidence", required=True, help="The evidence record (local name or IRI).")
@click.option("--decision", default="Approved", show_default=True, help=", ".join(DECISIONS))
@click.option("--by", "approver", default=None, help="Approver (default: you, from git config).")
@click.option("--role", default=None, help="Role approved in (default: the control's approval role).")
@click.option("--date", type=DateType(), default=None, help="Date of the decision (default: today).")
@click.option("--expires", type=DateType(), default=None, help="Last day the approval is valid.")
@click.option("--condition", "conditions", multiple=True, help="A condition (repeatable).")
@click.option("--no-hash", is_flag=True, help="Do not bind the approval to the artefact's current SHA-256.")
def new_approval(repo: Path, force: bool, dry_run: bool, evidence: str, decision: str,
                 approver: str | None, role: str | None, date: dt.date | None,
                 expires: dt.date | None, conditions: tuple[str, ...], no_hash: bool) -> None:
    """An approval (or rejection) of an evidence record, bound to its artefact's hash."""
    model, base = _context(repo)
    evidence_iri = find_evidence(model, evidence)
    record_of = model.evidence[evidence_iri]
    roles = {model.controls[c].approval_role for c in record_of.controls if c in model.controls}
    roles.discard(None)
    if role:
        in_role = find_role(model, role)
    elif len(roles) == 1:
        in_role = next(r for r in roles if r is not None)
    else:
        raise AuthoringError("pass --role: the evidence's controls name "
                             + (f"{len(roles)} approval roles" if roles else "no approval role"))
    sha = None if no_hash or record_of.artifact is None else record_of.sha256
    folder = record_of.folder
    local = f"{str(evidence_iri).rsplit('/', 1)[-1].rsplit('#', 1)[-1]}-{slug(decision)}"
    record = approval_record(
        base, local=local, folder=folder, evidence=evidence_iri,
        decision=choice(DECISIONS, decision, "decision"), approver=_me(repo, model, approver, "by"),
        role=in_role, date=date or dt.date.today(), expires=expires, conditions=conditions,
        sha256=sha,
    )
    _finish(repo, record, force=force, dry_run=dry_run)


@new.command("waiver")
@_common
@click.option("--system", "system_id", required=True, help="The system.")
@click.option("--control", required=True, help="The control waived (notation or IRI).")
@click.option("--rationale", default=None, help="Why the control cannot be met now (asked on a terminal).")
@click.option("--compensating", multiple=True, help="Compensating control (repeatable).")
@click.option("--expires", type=DateType(), default=None, help="Last day (default: 180 days; at most one year).")
@click.option("--approved-by", default=None, help="Approver (default: you); never the system owner.")
@click.option("--role", required=True, help="The role the approver holds and approves in.")
@click.option("--date", type=DateType(), default=None, help="Approval date (default: today).")
def new_waiver(repo: Path, force: bool, dry_run: bool, system_id: str, control: str,
               rationale: str | None, compensating: tuple[str, ...], expires: dt.date | None,
               approved_by: str | None, role: str, date: dt.date | None) -> None:
    """A time-limited waiver of a control for one system; refused unless the engine would count it."""
    model, base = _context(repo)
    system_iri, name = find_system(model, system_id)
    waived = find_control(model, control)
    rationale = _required(rationale, "--rationale", "Why the control cannot be met now")
    approver = _me(repo, model, approved_by, "approved-by")
    approved = date or dt.date.today()
    until = expires or approved + dt.timedelta(days=180)
    in_role = find_role(model, role)
    candidate = Waiver(URIRef("urn:rai-graph:new-waiver"), waived.iri, system_iri, approver, in_role, approved,
                       until, rationale, frozenset(), Origin("", None))
    rules = StatusRules(model, {}, approved, Provenance(), Settings())
    problems = rules.waiver_problems(candidate, model.systems[system_iri])
    if problems:
        raise AuthoringError("the engine would not count this waiver, nothing written: " + "; ".join(problems))
    record = waiver_record(
        base, local=f"{name}-waiver-{slug(waived.notation)}", folder=f"evidence/{name}",
        system=system_iri, control=waived.iri, rationale=rationale,
        compensating=[find_control(model, c).iri for c in compensating], expires=until,
        approver=approver, role=in_role, date=approved,
    )
    record.path = f"evidence/{name}/waiver-{slug(waived.notation)}.ttl"
    _finish(repo, record, force=force, dry_run=dry_run)
