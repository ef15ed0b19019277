"""Evidence packs: one zip an auditor can check, holding the report, the artefacts, the records and
a manifest of hashes.

Layout of a pack::

    README.txt                     what is inside and how to verify it
    manifest.json                  every other file: path, sha256, size, source path and commit, record
    report/<framework>.pdf|html|json|md   the audit-readiness report(s), for the pack's audience
    repository/...                 the records (Turtle) and artefacts, at their repository paths, so
                                   ``repository/`` is itself a governance repository rai-graph can load
    validation/shacl-report.ttl    pyshacl's validation report on the records in the pack
    validation/shacl-report.txt    the same, readable, plus rai-graph's reference and hash checks

:func:`build_pack` assembles a pack in memory from a pipeline result (reading artefacts from the
repository tree, as the validate stage does); :meth:`EvidencePack.to_zip` gives deterministic zip
bytes (sorted entries, fixed timestamps and permissions); the command writes them. Nothing above
the audience's level goes in: not its record, artefact, path or hash.

:func:`verify_pack` re-checks a zip against its manifest and says exactly what differs: a changed
file, a missing or added one, an unsafe entry name, a manifest that does not parse, or an artefact
whose hash no longer matches the ``rai:sha256`` of the record packed with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import BNode, URIRef

from rai_graph._version import __version__
from rai_graph.audience import Audience, AudienceView, withheld_phrase
from rai_graph.load.trees import Kind, read_bytes
from rai_graph.model import Evidence, Finding, Framework
from rai_graph.order import clause_key
from rai_graph.pack.manifest import (
    MANIFEST_NAME,
    README_NAME,
    REPOSITORY_FOLDER,
    ZIP_EARLIEST,
    FileKind,
    Manifest,
    ManifestFile,
    PackJudgement,
    PackSystem,
    PairJudgement,
    readme_text,
)
from rai_graph.pipeline import PipelineResult
from rai_graph.render.report import (
    SourceInfo,
    build_report,
    framework_id_of,
    render_html,
    render_json,
    render_markdown,
    render_pdf,
)
from rai_graph.settings import SETTINGS_FILE
from rai_graph.trace import SystemAssessment, organisation_controls_for
from rai_graph.validate.artifacts import ArtifactCheck, changed_since_check, release_artifact


@dataclass(slots=True)
class EvidencePack:
    manifest: Manifest
    files: list[PackFile]

    def manifest_bytes(self) -> bytes:
        return (self.manifest.model_dump_json(indent=2) + "\n").encode("utf-8")

    def to_zip(self) -> bytes:
        """The pack as zip bytes: README and manifest first, then the files in path order, every
        entry dated the pack's as-of date, so the same inputs always give the same bytes."""
        day = max(self.manifest.as_of, ZIP_EARLIEST)
        stamp = (day.year, day.month, day.day, 0, 0, 0)
        buffer = io.BytesIO()
        entries = [(README_NAME, readme_text(self.manifest).encode("utf-8")),
                   (MANIFEST_NAME, self.manifest_bytes())]
        entries += [(f.path, f.data) for f in sorted(self.files, key=lambda f: f.path)]
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o100644 << 16
                archive.writestr(info, data, compresslevel=9)
        return buffer.getvalue()



@dataclass(frozen=True, slots=True)
class PackFile:
    path: str
    data: bytes
    kind: FileKind
    source_path: str | None = None
    source_commit: str | None = None
    record: str | None = None


# --- building ------------------------------------------------------------------------------------


def build_pack(
    result: PipelineResult,
    assessment: SystemAssessment,
    frameworks: Sequence[Framework],
    *,
    narrowed: bool,
    audience: Audience,
    source: SourceInfo,
    with_pdf: bool = True,
) -> EvidencePack:
    """The evidence pack of one system for ``audience``.

    ``frameworks`` are reported on; with ``narrowed`` (``--framework`` given) only the evidence of
    controls mapped to their applicable requirements goes in, otherwise the evidence of every
    control that applies to the system.
    """
    view = AudienceView(audience, result.model, result.validation.artifacts)
    collector = _Collector(result, assessment, view)
    controls = collector.controls_in_scope(frameworks, narrowed)
    evidence = collector.evidence_in_scope(controls)
    collector.add_records(evidence, controls, frameworks)
    collector.add_artifacts(evidence)
    files = collector.files
    files.extend(_validation_files(result, collector))
    for framework in frameworks:
        report = build_report(result, framework, [assessment], audience=audience, source=source, view=view)
        name = f"report/{framework_id_of(framework)}"
        files.append(PackFile(f"{name}.json", render_json(report).encode("utf-8"), "report"))
        files.append(PackFile(f"{name}.html", render_html(report).encode("utf-8"), "report"))
        files.append(PackFile(f"{name}.md", render_markdown(report).encode("utf-8"), "report"))
        if with_pdf:
            files.append(PackFile(f"{name}.pdf", render_pdf(report), "report"))
    system = assessment.system
    judgement = _judgement(result, assessment, view, controls, narrowed, collector)
    manifest = Manifest(
        generated_by=f"rai-graph {__version__}",
        system=PackSystem(iri=str(system.iri), name=system.name, title=system.title),
        frameworks=[framework_id_of(f) for f in frameworks],
        as_of=result.assessment.as_of, audience=audience, source=source,
        withheld=collector.withheld,
        files=[
            ManifestFile(path=f.path, sha256=hashlib.sha256(f.data).hexdigest(), size=len(f.data),
                         kind=f.kind, source_path=f.source_path, source_commit=f.source_commit,
                         record=f.record)
            for f in sorted(files, key=lambda f: f.path)
        ],
        judgement=judgement,
    )
    return EvidencePack(manifest, files)


def _judgement(
    result: PipelineResult, assessment: SystemAssessment, view: AudienceView, controls: set[URIRef],
    narrowed: bool, collector: _Collector,
) -> PackJudgement:
    """Each pair in scope with how many of the record files it was judged on are not in the pack
    (above the audience, or sharing a file with something that is)."""
    model = result.model
    pairs = [p for p in (*assessment.pairs, *organisation_controls_for(result.assessment, assessment.system))
             if p.control.iri in controls]
    judged = []
    for pair in sorted(pairs, key=lambda p: clause_key(p.control.notation)):
        linked = [e for e in view.linked(pair) if e.generated is None or e.generated <= result.assessment.as_of]
        files = {e.origin.file for e in linked}
        files |= {a.origin.file for e in linked for a in model.approvals_of.get(e.iri, ())}
        files |= {w.origin.file for w in model.waivers if w.control == pair.control.iri and w.system == pair.system}
        left_out = sorted(f for f in files if f and f not in collector.packed_paths)
        judged.append(PairJudgement(control=str(pair.control.iri), notation=pair.control.notation,
                                    status=pair.status, withheld=len(left_out)))
    return PackJudgement(readiness=round(assessment.readiness, 4), pairs=judged,
                         complete=not narrowed and not any(j.withheld for j in judged))


def frameworks_for(result: PipelineResult, assessment: SystemAssessment) -> list[Framework]:
    """The frameworks with at least one requirement applicable to the system (adopted ones only:
    the trace stage judges no other)."""
    used = {c.requirement.framework for c in assessment.requirements}
    return sorted((f for f in result.model.frameworks.values() if f.iri in used),
                  key=framework_id_of)


@dataclass(slots=True)
class _Collector:
    result: PipelineResult
    assessment: SystemAssessment
    view: AudienceView
    files: list[PackFile] = field(default_factory=list)
    withheld: int = 0
    _paths: set[str] = field(default_factory=set)

    @property
    def as_of(self) -> dt.date:
        return self.result.assessment.as_of

    @property
    def audience(self) -> Audience:
        return self.view.audience

    @property
    def packed_paths(self) -> set[str]:
        """Repository paths of the files in the pack."""
        return set(self._paths)

    def visible(self, evidence: Evidence) -> bool:
        return self.view.sees(evidence)

    def finding_visible(self, finding: Finding) -> bool:
        return self.view.sees_finding(finding)

    # -- scope ---------------------------------------------------------------------------

    def controls_in_scope(self, frameworks: Sequence[Framework], narrowed: bool) -> set[URIRef]:
        system = self.assessment.system
        if narrowed:
            wanted = {f.iri for f in frameworks}
            return {control for c in (*self.assessment.requirements, *self.assessment.deferred)
                    if c.requirement.framework in wanted for control in c.controls}
        controls = {pair.control.iri for pair in self.assessment.pairs}
        controls |= {pair.control.iri for pair in organisation_controls_for(self.result.assessment, system)}
        return controls

    def evidence_in_scope(self, controls: set[URIRef]) -> list[Evidence]:
        """Evidence of the controls, for this system (or organisation-wide), dated by the as-of
        date; what the audience may not see is counted as withheld."""
        model = self.result.model
        system = self.assessment.system.iri
        chosen = []
        for evidence in sorted(model.evidence.values(), key=lambda e: str(e.iri)):
            if not evidence.controls & controls:
                continue
            organisation_wide = not evidence.systems and any(
                model.controls[c].organisation_scope for c in evidence.controls & controls
                if c in model.controls)
            if system not in evidence.systems and not organisation_wide:
                continue
            if evidence.generated is not None and evidence.generated > self.as_of:
                continue
            if self.visible(evidence):
                chosen.append(evidence)
            else:
                self.withheld += 1
        return chosen

    # -- files ---------------------------------------------------------------------------

    def add_records(self, evidence: Sequence[Evidence], controls: set[URIRef],
                    frameworks: Sequence[Framework]) -> None:
        model = self.result.model
        system = self.assessment.system
        self.add_record(system.origin.file, str(system.iri))
        for item in evidence:
            self.add_record(item.origin.file, str(item.iri))
            for approval in model.approvals_of.get(item.iri, ()):
                if approval.date is None or approval.date <= self.as_of:
                    self.add_record(approval.origin.file, _iri_or_none(approval.iri))
        for waiver in model.waivers:
            if (waiver.system == system.iri and waiver.control in controls
                    and (waiver.date is None or waiver.date <= self.as_of)):
                self.add_record(waiver.origin.file, _iri_or_none(waiver.iri))
        for finding in model.findings:
            if system.iri in finding.systems and (finding.created is None or finding.created <= self.as_of):
                if self.finding_visible(finding):
                    self.add_record(finding.origin.file, _iri_or_none(finding.iri))
                else:
                    self.withheld += 1
        repository = self.result.repository
        # The adopted frameworks' catalogues too: the settings name them, and without them
        # ``repository/`` would not load cleanly on its own.
        adopted = {f.iri for f in self.result.model.frameworks.values()
                   if _named_by(f, repository.settings.frameworks or ())}
        catalogues = {f.iri for f in frameworks} | adopted
        catalogue_files = {r.origin.file for r in model.requirements.values() if r.framework in catalogues}
        catalogue_files |= {model.origins[f].file for f in catalogues if f in model.origins}
        for source in sorted(repository.files.values(), key=lambda s: s.path):
            if source.role in ("controls", "shapes") or (source.role == "framework" and source.path in catalogue_files):
                self.add_record(source.path, None)
        if repository.tree.resolve(SETTINGS_FILE).kind is Kind.FILE:
            self._add(SETTINGS_FILE, "settings", None)

    def add_record(self, path: str, record: str | None) -> None:
        """Add a Turtle file unless it also holds something the audience may not see."""
        if not path or path in self._paths:
            return
        if self._holds_hidden(path):
            self.withheld += 1
            return
        self._add(path, "record", record)

    def _holds_hidden(self, path: str) -> bool:
        """The file holds, or is the artefact of, a record the audience may not see."""
        return not self.view.sees_file(path)

    def add_artifacts(self, evidence: Sequence[Evidence]) -> None:
        """An artefact goes in only through :func:`release_artifact`: its path resolved inside the
        repository and is the record's to name (never .git/, the cache or another system's folder),
        its bytes matched the recorded SHA-256 as they were copied, and every record that names it —
        or, for a Turtle file used as an artefact, every record it holds — may be seen."""
        tree = self.result.repository.tree
        for item in evidence:
            check = self.result.validation.artifacts.get(item.iri)
            if check is None or not check.ok:
                continue  # no artefact, or one missing, refused or changed: never packed
            if check.path in self._paths:
                self._confirm_packed(item, check)
                continue
            buffer = io.BytesIO()
            if release_artifact(tree, self.view, item, buffer) is None:
                self.withheld += 1  # shared with, or held in, something the audience may not see
                continue
            self._paths.add(check.path)
            provenance = self.result.provenance.of(check.path)
            self.files.append(PackFile(
                path=f"{REPOSITORY_FOLDER}/{check.path}", data=buffer.getvalue(), kind="artifact",
                source_path=check.path, source_commit=provenance.last_changed.sha if provenance else None,
                record=str(item.iri),
            ))

    def _confirm_packed(self, item: Evidence, check: ArtifactCheck) -> None:
        """An artefact already in the pack as a record file (a Turtle file used as an artefact)
        must be the bytes its check hashed: the record file was read on its own."""
        packed = next(f for f in self.files if f.source_path == check.path)
        if (now := hashlib.sha256(packed.data).hexdigest()) != check.actual_sha256:
            raise changed_since_check(item, check, now)

    def _add(self, path: str, kind: FileKind, record: str | None) -> None:
        if path in self._paths:
            return
        tree = self.result.repository.tree
        resolved = tree.resolve(path)
        if resolved.kind is not Kind.FILE:
            return
        self._paths.add(path)
        provenance = self.result.provenance.of(path)
        self.files.append(PackFile(
            path=f"{REPOSITORY_FOLDER}/{path}", data=read_bytes(tree, resolved.path), kind=kind,
            source_path=path, source_commit=provenance.last_changed.sha if provenance else None,
            record=record,
        ))


def _named_by(framework: Framework, ids: Sequence[str]) -> bool:
    return bool({framework_id_of(framework), framework.notation, str(framework.iri)} & set(ids))


def _iri_or_none(node: URIRef | BNode) -> str | None:
    return str(node) if isinstance(node, URIRef) else None


# --- validation -----------------------------------------------------------------------------------


def _validation_files(result: PipelineResult, collector: _Collector) -> list[PackFile]:
    """The input errors the one validation found in the packed records (never re-validated here:
    the pack says what the reports were judged on)."""
    packed = {f.source_path for f in collector.files if f.kind == "record" and f.source_path}
    errors = sorted((e for e in result.validation.errors if e.file in packed), key=lambda e: e.sort_key())
    shown, withheld = collector.view.errors(errors)
    document = {
        "as_of": result.assessment.as_of.isoformat(), "files": len(packed), "withheld": withheld,
        "errors": [{"file": f"{REPOSITORY_FOLDER}/{e.file}", "line": e.line, "message": e.message, "kind": e.kind}
                   for e in shown],
    }
    lines = [f"Input errors in the {len(packed)} record files of this pack, as rai-graph judged them on "
             f"{result.assessment.as_of} (SHACL structure, references, artefact hashes): {len(shown)}", ""]
    lines += [f"  {REPOSITORY_FOLDER}/{e}" for e in shown] or ["  none"]
    if withheld:
        lines += ["", f"  and {withheld_phrase(withheld, collector.audience)}"]
    return [
        PackFile("validation/errors.json", (json.dumps(document, indent=2) + "\n").encode("utf-8"), "validation"),
        PackFile("validation/errors.txt", ("\n".join(lines) + "\n").encode("utf-8"), "validation"),
    ]
