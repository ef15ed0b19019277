"""The manifest of an evidence pack: what a pack holds, shared by building and verifying."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict

from rai_graph.audience import Audience
from rai_graph.render.report import SourceInfo
from rai_graph.trace import Status

PACK_FORMAT = "rai-graph-evidence-pack/2"
READABLE_FORMATS = ("rai-graph-evidence-pack/1", PACK_FORMAT)
"""Formats ``verify`` reads: /2 added the judgement the pack was built from."""
MANIFEST_NAME = "manifest.json"
README_NAME = "README.txt"
REPOSITORY_FOLDER = "repository"
ZIP_EARLIEST = dt.date(1980, 1, 1)
BLOCK_SIZE = 1 << 20

FileKind = Literal["report", "record", "artifact", "settings", "validation"]
ProblemKind = Literal["changed", "size", "missing", "added", "unsafe-name", "duplicate", "unreadable",
                      "manifest", "record-mismatch", "digest", "judgement"]


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


class PairJudgement(_Model):
    """The status of one control in scope, as the repository was judged when the pack was built."""

    control: str
    notation: str
    status: Status
    withheld: int
    """Evidence records bearing on it that the audience may not see (not in the pack)."""


class PackJudgement(_Model):
    """The judgement the pack's reports render, so ``verify`` can re-judge ``repository/`` and
    compare: every pair with nothing withheld must come out the same."""

    readiness: float
    """The system's readiness (all its controls), as its reports show it."""
    pairs: list[PairJudgement]
    """The controls in the pack's scope (system and organisation-wide), in notation order."""
    complete: bool
    """Nothing in scope was withheld and the scope is every control of the system: re-judging
    ``repository/`` must give this readiness too."""


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
    judgement: PackJudgement | None = None
    """Absent in packs of format /1."""


def manifest_digest(pack_manifest: bytes) -> str:
    return hashlib.sha256(pack_manifest).hexdigest()


def readme_text(manifest: Manifest) -> str:
    """README.txt of a pack: written from its manifest, so verify can tell if it was replaced."""
    frameworks = ", ".join(manifest.frameworks) or "none"
    return f"""rai-graph evidence pack
=======================

System:      {manifest.system.title} ({manifest.system.name})
             {manifest.system.iri}
Frameworks:  {frameworks}
As of:       {manifest.as_of}
Audience:    {manifest.audience} (items classified above this audience are not in this pack;
             {manifest.withheld} record(s) or artefact(s) in scope were left out for that reason)
Source:      {manifest.source.commit or 'not a git repository'} ({manifest.source.revision})
Made by:     {manifest.generated_by}

Contents
  manifest.json       every other file with its SHA-256, size, source path, source commit and the
                      IRI of the record it belongs to
  report/             the audit-readiness report (PDF, HTML, Markdown, JSON) per framework
  repository/         the records (Turtle) and artefacts at their repository paths; it is itself
                      a governance repository: rai-graph check --repo repository --as-of {manifest.as_of}
  validation/         the input errors rai-graph found in these records when the pack was built
                      (SHACL structure, references, artefact hashes), as JSON and text

Verify
  rai-graph evidence-pack verify THIS.zip
re-computes every hash, reports any file changed, missing or added (directory entries of a
re-zipped pack are fine), checks this README, and re-judges repository/ as of the pack's date:
every control whose evidence is all in the pack must have the status the reports show.
To detect a pack rebuilt wholesale, compare the manifest's SHA-256 with the one recorded when
the pack was made:
  rai-graph evidence-pack verify THIS.zip --expect-digest SHA256
"""


