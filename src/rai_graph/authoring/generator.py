"""A synthetic, spec-conformant governance repository of any size, for tests and benchmarks.

It copies the real catalogues and starter controls, then writes N systems across tiers and
operator roles, with one evidence record (and artefact, and approval when the control needs one)
per applicable control. A known share of pairs is deliberately left missing, expired, invalid,
unapproved or waived, and a known number of records carry input errors, so a test can compare
the engine's verdicts with what was planned. Same seed, same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path

from rdflib import URIRef

from rai_graph.load.repository import load_repository
from rai_graph.model import AISystem, Control, Origin, RepositoryModel, build_model
from rai_graph.trace import Law, Status
from rai_graph.vocab import EUAIA, RAI, RAI_NS

GENERATED_NS = "https://example.org/generated/"

TIER_WEIGHTS: dict[URIRef, float] = {RAI.HighRisk: 0.35, RAI.LimitedRisk: 0.30, RAI.MinimalRisk: 0.35}
OUTCOME_WEIGHTS: dict[Status, float] = {
    "met": 0.78, "missing": 0.06, "expired": 0.05, "unapproved": 0.04, "invalid": 0.03, "waived": 0.02,
    "failing": 0.02,
}
BROKEN_RECORD_SHARE = 0.01
"""Share of systems given one extra record naming a control that does not exist."""


@dataclass(slots=True)
class GenerationSummary:
    root: Path
    systems: int = 0
    records: int = 0
    files: int = 0
    planned: Counter[str] = field(default_factory=Counter)
    """Planned status of every applicable (system, control) pair, counted."""
    broken_records: int = 0


def starter_path(name: str) -> Path:
    """A folder of the packaged starter content (``frameworks`` or ``controls``)."""
    return Path(str(resources.files("rai_graph").joinpath("starter", name)))


def generate_repository(
    out: Path, *, systems: int, seed: int, as_of: dt.date = dt.date(2026, 11, 24)
) -> GenerationSummary:
    """Write a repository with ``systems`` AI systems under ``out`` (which must not exist)."""
    rng = random.Random(seed)
    out.mkdir(parents=True)
    for name in ("frameworks", "controls"):
        _copy_turtle(starter_path(name), out / name)
    model = build_model(load_repository(out))
    writer = _Writer(out, model, rng, as_of)
    summary = GenerationSummary(out)
    for number in range(systems):
        writer.system(number, summary)
    writer.organisation(summary)
    summary.systems = systems
    return summary


_STEP = Decimal("0.01")


def _measurements(control: Control, *, breach: bool) -> str:
    """A measurement per threshold of the control: passing, or (``breach``) failing the first."""
    lines = []
    for index, threshold in enumerate(control.thresholds):
        limit, operator = threshold.value, threshold.operator
        if breach and index == 0:
            value = {"<=": limit + _STEP, "<": limit, ">=": limit - _STEP, ">": limit, "==": limit + 1}[operator]
        else:
            value = {"<=": limit, "<": limit - _STEP, ">=": limit, ">": limit + _STEP, "==": limit}[operator]
        part = f' ; rai:slice "{threshold.slice}"' if threshold.slice else ""
        lines.append(f'    rai:measurement [ rai:metric "{threshold.metric}" ; rai:value {value}{part} ] ;\n')
    return "".join(lines)


def _is_annex_iii_point(iri: str) -> bool:
    local = iri.removeprefix(str(EUAIA))
    return local != iri and local.startswith("AnnexIII-") and local.count("-") == 2


def _copy_turtle(source: Path, target: Path) -> None:
    for path in sorted(source.rglob("*.ttl")):
        relative = path.relative_to(source)
        if "sources" in relative.parts:
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / relative)


_PREFIXES = f"""@prefix rai: <{RAI_NS}> .
@prefix gen: <{GENERATED_NS}> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

"""


class _Writer:
    def __init__(self, root: Path, model: RepositoryModel, rng: random.Random, as_of: dt.date) -> None:
        self.root = root
        self.rng = rng
        self.as_of = as_of
        self.controls = sorted(model.controls.values(), key=lambda c: str(c.iri))
        self.people = sorted(model.people.values(), key=lambda p: str(p.iri))
        self.holders = {
            role: [p.iri for p in self.people if role in p.roles]
            for person in self.people for role in person.roles
        }
        approval_roles = {c.approval_role for c in self.controls if c.approval_role}
        # Owners are people who approve nothing, so every control keeps an independent approver.
        self.owners = [p.iri for p in self.people if not p.roles & approval_roles] or [
            p.iri for p in self.people]
        self.annex_iii_points = sorted(
            (r.iri for r in model.requirements.values()
             if _is_annex_iii_point(str(r.iri))),
            key=str,
        )

    def system(self, number: int, summary: GenerationSummary) -> None:
        name = f"system-{number:05d}"
        tier = self.rng.choices(list(TIER_WEIGHTS), weights=list(TIER_WEIGHTS.values()))[0]
        roles = [role for role, share in ((RAI.Provider, 0.7), (RAI.Deployer, 0.4))
                 if self.rng.random() < share] or [RAI.Provider]
        owner = self.rng.choice(self.owners)
        folder = self.root / "evidence" / name
        folder.mkdir(parents=True)
        system_iri = URIRef(GENERATED_NS + name)
        self._write(folder / "system.ttl", _PREFIXES + (
            f"gen:{name} a rai:AISystem ;\n"
            f'    dcterms:title "Synthetic system {number}" ;\n'
            f"    rai:riskTier <{tier}> ;\n"
            f"    rai:operatorRole {', '.join(f'<{r}>' for r in roles)} ;\n"
            + (f"    rai:annexIIIArea <{self.rng.choice(self.annex_iii_points)}> ;\n"
               if tier == RAI.HighRisk and self.annex_iii_points else "")
            +
            f'    rai:intendedPurpose "Generated for benchmarks and tests." ;\n'
            f"    rai:owner <{owner}> ;\n"
            f"    rai:lifecycleStatus rai:Production .\n"
        ), summary)
        probe = AISystem(system_iri, name, name, tier, frozenset(roles), owner, RAI.Production,
                         None, frozenset(), Origin("", None))
        law = Law(RepositoryModel(), dt.date.min)  # generated controls carry no conditions
        for control in self.controls:
            if not control.organisation_scope and law.control_binds(control, probe):
                outcome = self.rng.choices(list(OUTCOME_WEIGHTS),
                                           weights=list(OUTCOME_WEIGHTS.values()))[0]
                outcome = self._record(folder, name, control, outcome, owner, summary)
                summary.planned[outcome] += 1
        if self.rng.random() < BROKEN_RECORD_SHARE:
            self._write(folder / "broken-reference.ttl", _PREFIXES + (
                f"gen:{name}-broken a rai:Evidence ;\n"
                f"    rai:forSystem gen:{name} ;\n"
                f"    rai:implements <{GENERATED_NS}no-such-control> ;\n"
                f"    rai:evidenceType rai:Policy ;\n"
                f'    dcterms:title "Record naming a control that does not exist" ;\n'
                f'    prov:generatedAtTime "{self.as_of.isoformat()}"^^xsd:date ;\n'
                f"    prov:wasAttributedTo <{owner}> ;\n"
                f"    rai:confidentiality rai:Internal .\n"
            ), summary)
            summary.broken_records += 1

    def organisation(self, summary: GenerationSummary) -> None:
        folder = self.root / "evidence" / "_organisation"
        folder.mkdir(parents=True, exist_ok=True)
        for control in self.controls:
            if control.organisation_scope:
                self._record(folder, None, control, "met", self.people[0].iri, summary)

    def _record(self, folder: Path, system: str | None, control: Control, outcome: Status,
                owner: URIRef, summary: GenerationSummary) -> Status:
        approvers = self.holders.get(control.approval_role, []) if control.approval_role else []
        if control.approval_role and not [p for p in approvers if p != owner]:
            outcome = "unapproved" if outcome == "met" else outcome  # nobody can approve it
        if outcome == "failing" and not control.thresholds:
            outcome = "met"  # nothing to breach
        if outcome == "missing":
            return outcome
        if outcome == "waived":
            return self._waiver(folder, system, control, owner, summary)
        slug = f"{control.notation.lower()}"
        local = f"{system or 'org'}-{slug}"
        content = f"# {control.title}\n\nEvidence for {control.notation} ({system or 'organisation'}).\n"
        artefact = content.encode("utf-8")
        digest = hashlib.sha256(artefact).hexdigest()
        if outcome == "invalid":
            digest = hashlib.sha256(b"not the artefact").hexdigest()
        generated = self.as_of - dt.timedelta(days=self.rng.randint(1, 60))
        extra = ""
        if outcome == "expired":
            generated = self.as_of - dt.timedelta(days=800)
            if control.max_age is None:
                valid_until = self.as_of - dt.timedelta(days=30)
                extra = f'    rai:validUntil "{valid_until.isoformat()}"^^xsd:date ;\n'
        extra += _measurements(control, breach=outcome == "failing")
        author = owner
        level = self.rng.choice(["Public", "CustomerShareable", "Internal"])
        text = _PREFIXES + (
            f"gen:{local} a rai:Evidence ;\n"
            + (f"    rai:forSystem gen:{system} ;\n" if system else "")
            + f"    rai:implements <{control.iri}> ;\n"
            f"    rai:evidenceType <{control.evidence_type or RAI.Policy}> ;\n"
            f'    dcterms:title "{control.title} evidence" ;\n'
            f'    rai:artifact "{slug}.md" ;\n'
            f'    rai:sha256 "{digest}" ;\n'
            f'    prov:generatedAtTime "{generated.isoformat()}"^^xsd:date ;\n'
            f"    prov:wasAttributedTo <{author}> ;\n"
            + extra
            + f"    rai:confidentiality rai:{level} .\n"
        )
        candidates = [p for p in approvers if p != author]
        if control.approval_role and outcome != "unapproved" and candidates:
            approved = generated + dt.timedelta(days=1)
            if approved > self.as_of:
                approved = generated
            text += (
                f"\ngen:{local}-approval a rai:Approval ;\n"
                f"    rai:approves gen:{local} ;\n"
                f"    rai:decision rai:Approved ;\n"
                f"    prov:wasAssociatedWith <{self.rng.choice(candidates)}> ;\n"
                f"    rai:inRole <{control.approval_role}> ;\n"
                f'    prov:endedAtTime "{approved.isoformat()}"^^xsd:date .\n'
            )
        elif outcome in ("met", "failing") and control.approval_role:
            outcome = "unapproved"
        if outcome == "unapproved" and not control.approval_role:
            outcome = "met"  # nothing to approve: counting evidence is enough
        (folder / f"{slug}.md").write_bytes(artefact)
        summary.files += 1
        self._write(folder / f"{slug}.ttl", text, summary)
        summary.records += 1
        return outcome

    def _waiver(self, folder: Path, system: str | None, control: Control, owner: URIRef,
                summary: GenerationSummary) -> Status:
        approvers = [p for p in self.people if p.iri != owner and p.roles]
        if system is None or not approvers:
            return "missing"
        approver = self.rng.choice(approvers)
        role = sorted(approver.roles, key=str)[0]
        approved = self.as_of - dt.timedelta(days=30)
        slug = f"waiver-{control.notation.lower()}"
        self._write(folder / f"{slug}.ttl", _PREFIXES + (
            f"gen:{system}-{slug} a rai:Waiver ;\n"
            f"    rai:waives <{control.iri}> ;\n"
            f"    rai:forSystem gen:{system} ;\n"
            f'    rai:rationale "Accepted for this release; compensated by manual review." ;\n'
            f'    rai:expires "{(approved + dt.timedelta(days=180)).isoformat()}"^^xsd:date ;\n'
            f"    rai:approvedBy <{approver.iri}> ;\n"
            f"    rai:inRole <{role}> ;\n"
            f'    prov:endedAtTime "{approved.isoformat()}"^^xsd:date .\n'
        ), summary)
        summary.records += 1
        return "waived"

    def _write(self, path: Path, text: str, summary: GenerationSummary) -> None:
        path.write_text(text, encoding="utf-8")
        summary.files += 1
