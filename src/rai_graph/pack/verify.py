"""Verifying an evidence pack: re-check a zip against its manifest and say exactly what differs."""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import tempfile
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError
from rdflib import Graph
from rdflib import Literal as RdfLiteral

from rai_graph.pack.manifest import (
    BLOCK_SIZE,
    MANIFEST_NAME,
    PACK_FORMAT,
    READABLE_FORMATS,
    README_NAME,
    REPOSITORY_FOLDER,
    Manifest,
    ManifestFile,
    ProblemKind,
    readme_text,
)
from rai_graph.vocab import RAI

# --- verifying ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    path: str
    kind: ProblemKind
    message: str

    def __str__(self) -> str:
        return f"{self.kind.upper():<15} {self.path}: {self.message}"


@dataclass(slots=True)
class Verification:
    problems: list[Problem]
    files_checked: int
    manifest_sha256: str | None
    manifest: Manifest | None
    notes: list[str] = field(default_factory=list)
    """What was not checked, and why (e.g. no re-judging of a pack whose files changed)."""
    rejudged: int = 0
    """Controls whose status re-judging repository/ confirmed."""

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_pack(stream: BinaryIO | bytes, expect_digest: str | None = None) -> Verification:
    """Check a pack against its manifest; every problem found is reported, not just the first."""
    source = io.BytesIO(stream) if isinstance(stream, bytes) else stream
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        return Verification([Problem("(pack)", "unreadable", f"not a readable zip archive: {exc}")],
                            0, None, None)
    with archive:
        return _Verifier(archive).run(expect_digest)


class _Verifier:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.problems: list[Problem] = []

    def problem(self, path: str, kind: ProblemKind, message: str) -> None:
        self.problems.append(Problem(path, kind, message))

    def run(self, expect_digest: str | None) -> Verification:
        entries = self._safe_entries()
        raw = self._read(MANIFEST_NAME, entries.get(MANIFEST_NAME), limit=64 << 20)
        manifest, digest = None, None
        if raw is None:
            if MANIFEST_NAME not in entries:
                self.problem(MANIFEST_NAME, "manifest", "the pack has no manifest.json")
        else:
            digest = hashlib.sha256(raw).hexdigest()
            manifest = self._parse_manifest(raw)
        if expect_digest is not None and digest is not None and digest != expect_digest.strip().lower():
            self.problem(MANIFEST_NAME, "digest",
                         f"SHA-256 is {digest}, but {expect_digest.strip()} was expected: the pack "
                         "is not the one recorded")
        checked = 0
        notes: list[str] = []
        rejudged = 0
        if manifest is not None:
            checked = self._check_files(manifest, entries)
            self._check_readme(manifest, entries)
            rejudged = self._rejudge(manifest, entries, notes)
        return Verification(sorted(set(self.problems)), checked, digest, manifest, notes, rejudged)

    def _check_readme(self, manifest: Manifest, entries: dict[str, zipfile.ZipInfo]) -> None:
        """README.txt is written from the manifest: a replaced one (other instructions) is caught."""
        raw = self._read(README_NAME, entries.get(README_NAME), limit=1 << 20)
        if raw is None:
            if README_NAME not in entries:
                self.problem(README_NAME, "missing", "the pack has no README.txt")
            return
        if raw != readme_text(manifest).encode("utf-8"):
            self.problem(README_NAME, "changed", "differs from the README this manifest gives: it was replaced")

    def _rejudge(self, manifest: Manifest, entries: dict[str, zipfile.ZipInfo], notes: list[str]) -> int:
        """Judge ``repository/`` as of the pack's date and compare with the manifest's judgement:
        every control none of whose records was left out must have the status the reports show."""
        judgement = manifest.judgement
        if judgement is None:
            notes.append("not re-judged: a pack of format /1 records no judgement")
            return 0
        if self.problems:
            notes.append("not re-judged: its files differ from the manifest")
            return 0
        from rai_graph.errors import RaiGraphError
        from rai_graph.pipeline import run

        with tempfile.TemporaryDirectory(prefix="rai-graph-pack-") as folder:
            root = Path(folder)
            prefix = REPOSITORY_FOLDER + "/"
            for name, info in entries.items():
                if name.startswith(prefix) and not info.is_dir():
                    data = self._read(name, info, limit=info.file_size)
                    if data is None:
                        return 0
                    target = root / name[len(prefix):]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
            try:
                result = run(root, manifest.as_of, cache=False)
            except RaiGraphError as exc:
                self.problem(prefix, "judgement", f"cannot be judged: {exc}")
                return 0
        settings = result.repository.settings
        if settings.approval_strictness != "off" or settings.freshness_from_commit_date:
            notes.append("not re-judged: the repository binds approvals or evidence dates to git commits, "
                         "and a pack carries no git history")
            return 0
        system = next((s for s in result.assessment.systems if str(s.system.iri) == manifest.system.iri), None)
        if system is None:
            self.problem(prefix, "judgement", f"repository/ does not define the system <{manifest.system.iri}>")
            return 0
        statuses = {str(p.control.iri): p.status for p in (*system.pairs, *result.assessment.organisation)}
        confirmed = 0
        for pair in judgement.pairs:
            if pair.withheld:
                continue
            found = statuses.get(pair.control)
            if found != pair.status:
                self.problem(prefix, "judgement", f"{pair.notation}: the pack's reports say {pair.status}, "
                             f"re-judging repository/ gives {found or 'not applicable'}")
            else:
                confirmed += 1
        if judgement.complete and round(system.readiness, 4) != judgement.readiness:
            self.problem(prefix, "judgement", f"readiness: the reports say {judgement.readiness:.0%}, "
                         f"re-judging repository/ gives {system.readiness:.0%}")
        left_out = sum(1 for p in judgement.pairs if p.withheld)
        if left_out:
            notes.append(f"{left_out} control(s) rest on records not in this pack (above its audience): "
                         "their statuses are attested by the reports, not re-judged")
        return confirmed

    def _safe_entries(self) -> dict[str, zipfile.ZipInfo]:
        entries: dict[str, zipfile.ZipInfo] = {}
        for info in self.archive.infolist():
            name = info.filename
            unsafe = _unsafe_name(name)
            if unsafe:
                self.problem(name, "unsafe-name", unsafe)
                continue
            if name in entries:
                self.problem(name, "duplicate", "the archive holds this name more than once")
                continue
            if info.is_dir():
                continue  # a folder entry, as ``zip -r`` writes: it holds no content to check
            entries[name] = info
        return entries

    def _parse_manifest(self, raw: bytes) -> Manifest | None:
        try:
            manifest = Manifest.model_validate_json(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "(top)"
            self.problem(MANIFEST_NAME, "manifest",
                         f"not a valid manifest ({exc.error_count()} problem(s), first at {where}: "
                         f"{first['msg']})")
            return None
        if manifest.format not in READABLE_FORMATS:
            self.problem(MANIFEST_NAME, "manifest",
                         f"unknown pack format {manifest.format!r} (expected {PACK_FORMAT!r})")
            return None
        return manifest

    def _check_files(self, manifest: Manifest, entries: dict[str, zipfile.ZipInfo]) -> int:
        listed: dict[str, ManifestFile] = {}
        for item in manifest.files:
            unsafe = _unsafe_name(item.path)
            if unsafe or item.path in (MANIFEST_NAME, README_NAME):
                self.problem(item.path, "manifest",
                             f"the manifest lists an unusable path ({unsafe or 'reserved name'})")
            elif item.path in listed:
                self.problem(item.path, "manifest", "the manifest lists this path more than once")
            else:
                listed[item.path] = item
        checked = 0
        actual: dict[str, str] = {}
        for path, item in sorted(listed.items()):
            info = entries.get(path)
            if info is None:
                self.problem(path, "missing", "listed in the manifest but not in the pack")
                continue
            found = self._hash(path, info, item.size)
            if found is None:
                continue
            digest, size = found
            checked += 1
            actual[path] = digest
            if size != item.size:
                self.problem(path, "size", f"{size} bytes, the manifest says {item.size}")
            if digest != item.sha256:
                self.problem(path, "changed", f"SHA-256 is {digest}, the manifest says {item.sha256}")
        for path in sorted(set(entries) - set(listed) - {MANIFEST_NAME, README_NAME}):
            self.problem(path, "added", "in the pack but not listed in the manifest")
        self._check_records(listed, entries, actual)
        return checked

    def _hash(self, path: str, info: zipfile.ZipInfo, expected_size: int) -> tuple[str, int] | None:
        digest = hashlib.sha256()
        size = 0
        try:
            with self.archive.open(info) as stream:
                while block := stream.read(BLOCK_SIZE):
                    size += len(block)
                    if size > expected_size + BLOCK_SIZE:
                        self.problem(path, "size", f"larger than the {expected_size} bytes the manifest says")
                        return None
                    digest.update(block)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            self.problem(path, "unreadable", f"cannot be read from the archive ({exc}): it was altered")
            return None
        return digest.hexdigest(), size

    def _read(self, path: str, info: zipfile.ZipInfo | None, limit: int) -> bytes | None:
        if info is None:
            return None
        if info.file_size > limit:
            self.problem(path, "manifest", f"implausibly large ({info.file_size} bytes)")
            return None
        try:
            with self.archive.open(info) as stream:
                return stream.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            self.problem(path, "unreadable", f"cannot be read from the archive ({exc}): it was altered")
            return None

    def _check_records(self, listed: dict[str, ManifestFile], entries: dict[str, zipfile.ZipInfo],
                       actual: dict[str, str]) -> None:
        """Each packed artefact must still match the ``rai:sha256`` of the record packed with it."""
        recorded: dict[str, set[str]] = defaultdict(set)
        for path, item in listed.items():
            if item.kind != "record" or path not in actual or not path.endswith(".ttl"):
                continue
            data = self._read(path, entries[path], limit=64 << 20)
            if data is None:
                continue
            graph = Graph()
            try:
                graph.parse(data=data.decode("utf-8-sig"), format="turtle")
            except Exception:  # any parser failure means the record is not what was packed
                if listed[path].sha256 == actual[path]:
                    self.problem(path, "record-mismatch", "the packed record cannot be parsed as Turtle")
                continue
            for subject, value in graph.subject_objects(RAI.sha256):
                if isinstance(value, RdfLiteral):
                    recorded[str(subject)].add(str(value).strip().lower())
        for path, item in sorted(listed.items()):
            if item.kind != "artifact" or item.record is None or actual.get(path) != item.sha256:
                continue  # a file that differs from the manifest is reported as changed already
            hashes = recorded.get(item.record)
            if hashes and actual[path] not in hashes:
                self.problem(path, "record-mismatch",
                             f"SHA-256 is {actual[path]}, but its record <{item.record}> says "
                             f"{', '.join(sorted(hashes))}")


def _unsafe_name(name: str) -> str | None:
    """Why an entry name could write outside the folder it is extracted to, or None."""
    if not name:
        return "empty name"
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    if "\\" in name:
        return "backslash in the name"
    if "\x00" in name:
        return "NUL character in the name"
    parts = name.rstrip("/").split("/")
    if ".." in parts:
        return "'..' in the path"
    if posixpath.normpath(name.rstrip("/")) != name.rstrip("/"):
        return "not a normalised path"
    return None


def problems_json(verification: Verification, pack: str) -> str:
    """``evidence-pack verify --format json``."""
    return json.dumps({
        "pack": pack,
        "ok": verification.ok,
        "files_checked": verification.files_checked,
        "manifest_sha256": verification.manifest_sha256,
        "problems": [{"path": p.path, "kind": p.kind, "message": p.message}
                     for p in verification.problems],
        "rejudged": verification.rejudged,
        "notes": verification.notes,
    }, indent=2) + "\n"
