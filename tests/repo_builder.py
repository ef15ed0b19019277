"""Build small governance repositories in a temporary directory for black-box CLI tests.

A :class:`GovernanceRepo` writes Turtle records the way people do in pull requests: one subject
per block, one property per line, so a test can ask on which line a subject or a reference
appears and compare it with what the tool reports. IRIs are spelled out from the normative
namespaces in ``data-model.md`` on purpose: the tests check the tool against the spec, not
against its own vocabulary module.

``with_base()`` writes the minimal world most tests share:

* framework ``test-fw`` with requirement ``R1`` (notation "TF 1", applies to every tier/role);
* roles ``RAILead``, ``DPO``, ``ModelOwner``;
* people ``alice`` (RAILead, DPO), ``bob`` (ModelOwner), ``carol`` (no role);
* control ``CTRL-1`` (notation "TC-01"): satisfies ``R1``, required for ``rai:HighRisk``, needs a
  ``rai:RiskAssessment`` at most ``P365D`` old, approved by a ``RAILead``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RAI_NS = "https://w3id.org/rai-graph/ns#"
EX_NS = "https://example.org/acme/"
FRAMEWORK_IRI = "https://w3id.org/rai-graph/framework/test-fw"
TFW_NS = FRAMEWORK_IRI + "/"

PREFIXES = f"""\
@prefix rai: <{RAI_NS}> .
@prefix ex: <{EX_NS}> .
@prefix tfw: <{TFW_NS}> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

DEFAULT_SYSTEM = "credit-scoring"
DEFAULT_SYSTEM_LOCAL = "CreditScoring"
DEFAULT_SYSTEM_TITLE = "Credit scoring model"


def rai(term: str) -> str:
    """Full IRI of a ``rai:`` term."""
    return RAI_NS + term


def ex(local: str) -> str:
    """Full IRI of an organisation (``ex:``) resource."""
    return EX_NS + local


def tfw(local: str) -> str:
    """Full IRI of a requirement of the test framework."""
    return TFW_NS + local


def sha256_hex(data: bytes) -> str:
    """Lowercase hex SHA-256 of ``data``, as ``rai:sha256`` expects."""
    return hashlib.sha256(data).hexdigest()


def literal(text: str) -> str:
    """A Turtle string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def date(value: str) -> str:
    """A Turtle ``xsd:date`` literal."""
    return f'"{value}"^^xsd:date'


def _objects(values: Sequence[str]) -> str:
    return ", ".join(values)


@dataclass(frozen=True)
class Record:
    """A subject written to the repository: its file (repo-relative, POSIX) and first line."""

    path: str
    line: int
    iri: str


class GovernanceRepo:
    """A governance repository under construction at ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self._system_locals: dict[str, str] = {}

    # -- raw files ---------------------------------------------------------------------------

    def write_bytes(self, relpath: str, data: bytes) -> Path:
        """Write ``data`` at ``relpath`` (creating folders) and return the absolute path."""
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def write_text(self, relpath: str, text: str) -> Path:
        """Write UTF-8 ``text`` at ``relpath`` and return the absolute path."""
        return self.write_bytes(relpath, text.encode("utf-8"))

    def append_block(self, relpath: str, subject: str, block: str) -> Record:
        """Append a Turtle block to ``relpath`` (prefixes first when the file is new)."""
        path = self.root / relpath
        existing = path.read_text(encoding="utf-8") if path.exists() else PREFIXES
        if not existing.endswith("\n\n"):
            existing += "\n"
        line = existing.count("\n") + 1
        self.write_text(relpath, existing + block)
        return Record(path=relpath, line=line, iri=_expand(subject))

    def line_of(self, relpath: str, needle: str) -> int:
        """1-based number of the first line of ``relpath`` containing ``needle``."""
        lines = (self.root / relpath).read_text(encoding="utf-8").splitlines()
        for number, text in enumerate(lines, start=1):
            if needle in text:
                return number
        raise AssertionError(f"{needle!r} not found in {relpath}")

    # -- catalogue ---------------------------------------------------------------------------

    def add_framework(self) -> Record:
        """The test framework ``test-fw``."""
        return self.append_block(
            "frameworks/test-fw.ttl",
            f"<{FRAMEWORK_IRI}>",
            _block(
                f"<{FRAMEWORK_IRI}>",
                "rai:Framework",
                [
                    ("dcterms:title", literal("Test framework")),
                    ("dcterms:source", "<https://example.org/test-fw>"),
                    ("owl:versionInfo", literal("1.0")),
                ],
            ),
        )

    def add_requirement(
        self,
        local: str,
        notation: str,
        *,
        tiers: Sequence[str] = (),
        roles: Sequence[str] = (),
        broader: str | None = None,
    ) -> Record:
        """A requirement ``tfw:<local>`` of the test framework."""
        props = [
            ("skos:inScheme", f"<{FRAMEWORK_IRI}>"),
            ("skos:notation", literal(notation)),
            ("dcterms:title", literal(f"Requirement {notation}")),
        ]
        if tiers:
            props.append(("rai:appliesToTier", _objects([f"rai:{t}" for t in tiers])))
        if roles:
            props.append(("rai:appliesToRole", _objects([f"rai:{r}" for r in roles])))
        if broader:
            props.append(("skos:broader", f"tfw:{broader}"))
        return self.append_block(
            "frameworks/test-fw.ttl", f"tfw:{local}", _block(f"tfw:{local}", "rai:Requirement", props)
        )

    def add_role(self, local: str) -> Record:
        """An organisation role ``ex:<local>``."""
        return self.append_block(
            "controls/people.ttl",
            f"ex:{local}",
            _block(f"ex:{local}", "rai:Role", [("rdfs:label", literal(local))]),
        )

    def add_person(self, local: str, *, roles: Sequence[str] = ()) -> Record:
        """A person ``ex:<local>`` holding ``roles`` (organisation role local names)."""
        props = [
            ("foaf:name", literal(local.capitalize())),
            ("foaf:mbox", f"<mailto:{local}@example.org>"),
        ]
        if roles:
            props.append(("rai:hasRole", _objects([f"ex:{r}" for r in roles])))
        return self.append_block(
            "controls/people.ttl", f"ex:{local}", _block(f"ex:{local}", "rai:Person", props)
        )

    def add_control(
        self,
        local: str,
        notation: str,
        *,
        satisfies: Sequence[str] = ("R1",),
        tiers: Sequence[str] = ("HighRisk",),
        roles: Sequence[str] = (),
        organisation_scope: bool = False,
        evidence_type: str | None = None,
        max_age: str | None = None,
        approval_role: str | None = None,
        extra: Sequence[tuple[str, str]] = (),
    ) -> Record:
        """A control ``ex:<local>``; ``satisfies`` names test-framework requirements."""
        props = [
            ("skos:notation", literal(notation)),
            ("dcterms:title", literal(f"Control {notation}")),
            ("dcterms:description", literal(f"What control {notation} asks for.")),
            ("rai:satisfies", _objects([f"tfw:{r}" for r in satisfies])),
            ("rai:requiredForTier", _objects([f"rai:{t}" for t in tiers])),
        ]
        if roles:
            props.append(("rai:appliesToRole", _objects([f"rai:{r}" for r in roles])))
        if organisation_scope:
            props.append(("rai:scope", "rai:OrganisationScope"))
        if evidence_type:
            props.append(("rai:requiresEvidenceType", f"rai:{evidence_type}"))
        if max_age:
            props.append(("rai:maxEvidenceAge", f'"{max_age}"^^xsd:duration'))
        if approval_role:
            props.append(("rai:requiresApprovalBy", f"ex:{approval_role}"))
        props.extend(extra)
        return self.append_block(
            "controls/controls.ttl", f"ex:{local}", _block(f"ex:{local}", "rai:Control", props)
        )

    def with_base(self) -> GovernanceRepo:
        """Write the shared framework, roles, people and control ``CTRL-1``."""
        self.add_framework()
        self.add_requirement("R1", "TF 1")
        for role in ("RAILead", "DPO", "ModelOwner"):
            self.add_role(role)
        self.add_person("alice", roles=("RAILead", "DPO"))
        self.add_person("bob", roles=("ModelOwner",))
        self.add_person("carol")
        self.add_control(
            "CTRL-1",
            "TC-01",
            evidence_type="RiskAssessment",
            max_age="P365D",
            approval_role="RAILead",
        )
        return self

    # -- systems and records -----------------------------------------------------------------

    def add_system(
        self,
        folder: str = DEFAULT_SYSTEM,
        local: str = DEFAULT_SYSTEM_LOCAL,
        *,
        title: str = DEFAULT_SYSTEM_TITLE,
        tier: str = "HighRisk",
        roles: Sequence[str] = ("Provider",),
        owner: str = "bob",
        lifecycle: str = "Production",
        extra: Sequence[tuple[str, str]] = (),
        omit: Sequence[str] = (),
    ) -> Record:
        """An AI system ``ex:<local>`` described in ``evidence/<folder>/system.ttl``."""
        self._system_locals[folder] = local
        props = [
            ("dcterms:title", literal(title)),
            ("rai:riskTier", f"rai:{tier}"),
            ("rai:operatorRole", _objects([f"rai:{r}" for r in roles])),
            ("rai:intendedPurpose", literal(f"Purpose of {title}.")),
            ("rai:owner", f"ex:{owner}"),
            ("rai:lifecycleStatus", f"rai:{lifecycle}"),
        ]
        props = _edit(props, extra, omit)
        return self.append_block(
            f"evidence/{folder}/system.ttl", f"ex:{local}", _block(f"ex:{local}", "rai:AISystem", props)
        )

    def system_local(self, folder: str) -> str:
        """Local name of the system IRI whose record lives in ``evidence/<folder>/``."""
        return self._system_locals[folder]

    def add_evidence(
        self,
        local: str,
        *,
        system: str = DEFAULT_SYSTEM,
        for_systems: Sequence[str] | None = None,
        implements: Sequence[str] = ("CTRL-1",),
        evidence_type: str = "RiskAssessment",
        generated: str = "2026-01-15",
        author: str = "bob",
        artifact_bytes: bytes | None = b"# Risk assessment\n\nThe risks were assessed.\n",
        artifact_path: str | None = None,
        sha256: str | None = None,
        artifact_url: str | None = None,
        valid_until: str | None = None,
        confidentiality: str = "Internal",
        extra: Sequence[tuple[str, str]] = (),
        omit: Sequence[str] = (),
    ) -> Record:
        """An evidence record ``ex:<local>`` in ``evidence/<system>/<local>.ttl``.

        By default the artefact ``<local>.md`` is written beside the record and its hash is
        correct. ``artifact_path`` overrides the path written in the record (the file is then
        not written by this method), ``sha256`` overrides the recorded hash, and
        ``artifact_bytes=None`` leaves ``rai:artifact`` out (use with ``artifact_url``).
        ``for_systems`` lists system IRI local names; by default the folder's own system, and
        for ``_organisation`` none.
        """
        folder = f"evidence/{system}"
        if for_systems is None:
            for_systems = () if system == "_organisation" else (self.system_local(system),)
        props: list[tuple[str, str]] = []
        if for_systems:
            props.append(("rai:forSystem", _objects([f"ex:{s}" for s in for_systems])))
        props += [
            ("rai:implements", _objects([f"ex:{c}" for c in implements])),
            ("rai:evidenceType", f"rai:{evidence_type}"),
            ("dcterms:title", literal(f"Evidence {local}")),
        ]
        if artifact_bytes is not None:
            if artifact_path is None:
                artifact_path = f"{local}.md"
                self.write_bytes(f"{folder}/{artifact_path}", artifact_bytes)
            props.append(("rai:artifact", literal(artifact_path)))
            props.append(("rai:sha256", literal(sha256 or sha256_hex(artifact_bytes))))
        if artifact_url is not None:
            props.append(("rai:artifactURL", f"<{artifact_url}>"))
        props += [
            ("prov:generatedAtTime", date(generated)),
            ("prov:wasAttributedTo", f"ex:{author}"),
            ("rai:confidentiality", f"rai:{confidentiality}"),
        ]
        if valid_until is not None:
            props.append(("rai:validUntil", date(valid_until)))
        props = _edit(props, extra, omit)
        return self.append_block(
            f"{folder}/{local}.ttl", f"ex:{local}", _block(f"ex:{local}", "rai:Evidence", props)
        )

    def add_approval(
        self,
        local: str,
        approves: str,
        *,
        system: str = DEFAULT_SYSTEM,
        decision: str = "Approved",
        by: str = "alice",
        in_role: str = "RAILead",
        ended: str = "2026-02-01",
        expires: str | None = None,
        conditions: Sequence[str] = (),
        extra: Sequence[tuple[str, str]] = (),
        omit: Sequence[str] = (),
    ) -> Record:
        """An approval ``ex:<local>`` of evidence ``ex:<approves>``."""
        props = [
            ("rai:approves", f"ex:{approves}"),
            ("rai:decision", f"rai:{decision}"),
            ("prov:wasAssociatedWith", f"ex:{by}"),
            ("rai:inRole", f"ex:{in_role}"),
            ("prov:endedAtTime", date(ended)),
        ]
        if conditions:
            props.append(("rai:conditions", _objects([literal(c) for c in conditions])))
        if expires is not None:
            props.append(("rai:expires", date(expires)))
        props = _edit(props, extra, omit)
        return self.append_block(
            f"evidence/{system}/{local}.ttl",
            f"ex:{local}",
            _block(f"ex:{local}", "rai:Approval", props),
        )

    def add_approved_evidence(self, local: str, *, system: str = DEFAULT_SYSTEM, **evidence: Any) -> Record:
        """Evidence plus a valid approval by ``alice`` as RAILead dated 2026-02-01."""
        record = self.add_evidence(local, system=system, **evidence)
        self.add_approval(f"{local}-approval", local, system=system)
        return record

    def add_waiver(
        self,
        local: str,
        *,
        waives: str = "CTRL-1",
        system: str = DEFAULT_SYSTEM,
        for_system: str | None = None,
        approved_by: str = "alice",
        in_role: str = "RAILead",
        ended: str = "2026-03-01",
        expires: str = "2026-12-31",
        extra: Sequence[tuple[str, str]] = (),
        omit: Sequence[str] = (),
    ) -> Record:
        """A waiver ``ex:<local>`` of control ``ex:<waives>`` for the folder's system."""
        target = for_system or self.system_local(system)
        props = [
            ("rai:waives", f"ex:{waives}"),
            ("rai:forSystem", f"ex:{target}"),
            ("rai:rationale", literal("Compensated by manual review until the next release.")),
            ("rai:expires", date(expires)),
            ("rai:approvedBy", f"ex:{approved_by}"),
            ("rai:inRole", f"ex:{in_role}"),
            ("prov:endedAtTime", date(ended)),
        ]
        props = _edit(props, extra, omit)
        return self.append_block(
            f"evidence/{system}/{local}.ttl", f"ex:{local}", _block(f"ex:{local}", "rai:Waiver", props)
        )


def _block(subject: str, rdf_type: str, props: Sequence[tuple[str, str]]) -> str:
    lines = [f"{subject} a {rdf_type} ;"]
    for index, (predicate, obj) in enumerate(props):
        end = " ." if index == len(props) - 1 else " ;"
        lines.append(f"    {predicate} {obj}{end}")
    return "\n".join(lines) + "\n"


def _edit(
    props: Sequence[tuple[str, str]],
    extra: Sequence[tuple[str, str]],
    omit: Sequence[str],
) -> list[tuple[str, str]]:
    """Drop the predicates in ``omit`` and add ``extra`` (to build malformed records)."""
    return [p for p in props if p[0] not in omit] + list(extra)


def _expand(name: str) -> str:
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, _, local = name.partition(":")
    namespaces = {"ex": EX_NS, "tfw": TFW_NS, "rai": RAI_NS}
    return namespaces[prefix] + local
