"""The manifest of an evidence pack: what a pack holds, shared by building and verifying."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict

from rai_graph.audience import Audience
from rai_graph.render.report import SourceInfo

PACK_FORMAT = "rai-graph-evidence-pack/1"
MANIFEST_NAME = "manifest.json"
README_NAME = "README.txt"
REPOSITORY_FOLDER = "repository"
ZIP_EARLIEST = dt.date(1980, 1, 1)
BLOCK_SIZE = 1 << 20

FileKind = Literal["report", "record", "artifact", "settings", "validation"]
ProblemKind = Literal["changed", "size", "missing", "added", "unsafe-name", "duplicate", "unreadable",
                      "manifest", "record-mismatch", "digest"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class ManifestFile(_Model):
    path: str
    """Path inside the pack (POSIX, relative)."""
    sha256: str
    size: int
    kind: FileKind
    source_path: str | None
    """Path in the governance repository the file was copied from (None for generated files)."""
    source_commit: str | None
    """Last git commit that changed the source file, as of the pack's source revision."""
    record: str | None
    """IRI of the record the file holds or belongs to (evidence, approval, waiver, system)."""


class PackSystem(_Model):
    iri: str
    name: str
    title: str


class Manifest(_Model):
    format: str = PACK_FORMAT
    generated_by: str
    system: PackSystem
    frameworks: list[str]
    """Ids of the frameworks reported on."""
    as_of: dt.date
    audience: Audience
    source: SourceInfo
    withheld: int
    """Evidence records in scope (with their artefacts and approvals), and record files holding
    anything above the audience's level, that were left out."""
    files: list[ManifestFile]


def manifest_digest(pack_manifest: bytes) -> str:
    return hashlib.sha256(pack_manifest).hexdigest()


