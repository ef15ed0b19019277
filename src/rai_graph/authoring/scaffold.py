"""``rai-graph init``: a new, working governance repository.

The repository gets the framework catalogues (with their sources' licence and attribution
notes), the starter control library rewritten into the organisation's own namespace, role and
people templates (the person running ``init`` becomes the first Responsible AI lead), the CI
workflow, a pre-commit hook and a README. It passes ``rai-graph check --fail-on errors`` at once;
only evidence is missing.

Everything is first written into a temporary sibling folder and then renamed into place, so an
interrupted ``init`` leaves nothing behind.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rai_graph.authoring.generator import starter_path
from rai_graph.errors import RaiGraphError
from rai_graph.integrations import WORKFLOW_PATH, install_source_for, workflow_yaml

EXAMPLE_BASE_IRI = "https://example.org/northwind/"
EXAMPLE_ORGANISATION = "Northwind Financial"
EXAMPLE_SHORT_NAME = "Northwind"
EXAMPLE_ONLY_FILES = ("people.ttl",)
"""Starter files that describe the example organisation rather than the library."""


class TargetNotEmpty(RaiGraphError):
    """``init`` was pointed at a folder that already has content."""


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    base_iri: str
    lead_name: str
    lead_email: str
    default_branch: str = "main"

    @property
    def short_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name


def initialise(target: Path, organisation: Organisation, *, force: bool = False) -> list[str]:
    """Create the repository at ``target``; return the files written (relative paths)."""
    if not re.match(r"^https?://[^\s<>\"{}|\\^`]+[/#]$", organisation.base_iri):
        raise RaiGraphError(
            f"base IRI {organisation.base_iri!r} must be an http(s) IRI ending in '/' or '#'"
        )
    _check_plain(organisation)
    if target.exists() and any(target.iterdir()) and not force:
        raise TargetNotEmpty(f"{target} is not empty; choose a new folder or pass --force")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.init-", dir=target.parent))
    # mkdtemp makes a private (0700) folder; the repository gets what mkdir would give it.
    staging.chmod(0o777 & ~_umask())
    try:
        written = _write_all(staging, organisation, target)
        _move_into_place(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_BRANCH = re.compile(r"^[A-Za-z0-9._/-]+$")


def _check_plain(organisation: Organisation) -> None:
    """Names end up inside Turtle literals, comments and YAML: refuse what would break out."""
    for label, value in (("organisation name", organisation.name), ("lead name", organisation.lead_name)):
        if not value.strip() or any(ch in value for ch in '"\\\n\r<>') or not value.isprintable():
            raise RaiGraphError(f"the {label} {value!r} may not be empty or contain quotes, backslashes, "
                                "angle brackets or line breaks")
    if not _EMAIL.match(organisation.lead_email):
        raise RaiGraphError(f"{organisation.lead_email!r} is not an e-mail address")
    if not _BRANCH.match(organisation.default_branch) or organisation.default_branch.startswith("-"):
        raise RaiGraphError(f"{organisation.default_branch!r} is not a branch name")


def _move_into_place(staging: Path, target: Path) -> None:
    if not target.exists():
        os.replace(staging, target)
        return
    # --force into an existing folder: move entries one by one, replacing same-named files.
    for entry in sorted(staging.iterdir()):
        destination = target / entry.name
        if destination.is_dir() and entry.is_dir():
            shutil.copytree(entry, destination, dirs_exist_ok=True)
        else:
            os.replace(entry, destination)


def _write_all(root: Path, organisation: Organisation, target: Path) -> list[str]:
    written: list[str] = []

    def write(relative: str, text: str) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(relative)

    frameworks = starter_path("frameworks")
    for path in sorted(frameworks.glob("*.ttl")):
        write(f"frameworks/{path.name}", path.read_text(encoding="utf-8"))
    for path in sorted((frameworks / "sources").rglob("*")):
        if path.is_file() and (path.suffix == ".md" or "LICENSE" in path.name.upper()):
            write(f"frameworks/sources/{path.relative_to(frameworks / 'sources').as_posix()}",
                  path.read_text(encoding="utf-8"))
    controls = starter_path("controls")
    for path in sorted(controls.rglob("*.ttl")):
        relative = path.relative_to(controls).as_posix()
        if relative in EXAMPLE_ONLY_FILES:
            continue
        write(f"controls/{relative}", _rebrand(path.read_text(encoding="utf-8"), organisation))
    write("controls/people.ttl", _people(organisation))
    write("evidence/README.md", _EVIDENCE_README)
    write("evidence/_organisation/README.md", _ORGANISATION_README)
    write("rai-graph.toml", _settings(organisation, target))
    write(WORKFLOW_PATH, workflow_yaml(default_branch=organisation.default_branch))
    write(".pre-commit-config.yaml", _PRE_COMMIT)
    write(".gitignore", ".rai-graph-cache/\nsite/\nbuild/\n")
    write("README.md", _readme(organisation))
    return written


def _rebrand(text: str, organisation: Organisation) -> str:
    text = text.replace(EXAMPLE_BASE_IRI, organisation.base_iri)
    text = text.replace(EXAMPLE_ORGANISATION, organisation.name)
    return re.sub(rf"\b{EXAMPLE_SHORT_NAME}\b", organisation.short_name, text)


def _turtle_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _people(organisation: Organisation) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", organisation.lead_name.lower()).strip("-") or "lead"
    return f"""# People who own, produce and approve AI governance evidence.
# foaf:mbox is matched against git author e-mail addresses (strict approvals).
# Add one block per person; give each the roles (controls/roles.ttl) they hold.
# Separation of duties: nobody may approve evidence they produced.

@prefix ex: <{organisation.base_iri}> .
@prefix rai: <https://w3id.org/rai-graph/ns#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .

ex:{slug} a rai:Person ;
    foaf:name {_turtle_string(organisation.lead_name)} ;
    foaf:mbox <mailto:{organisation.lead_email}> ;
    rai:hasRole ex:RAILead .
"""


def _settings(organisation: Organisation, target: Path) -> str:
    source = install_source_for(target)
    caveat = "" if source.reachable_from_ci else (
        "\n#             CI cannot install what this machine has: change it to a requirement, a git URL\n"
        "#             or a path CI can reach.")
    return f"""# rai-graph settings (all optional).
# base_iri    IRI prefix of the organisation's own terms; `rai-graph new` mints IRIs under it.
# frameworks  the frameworks this organisation claims to follow; only their requirements apply.
# approval_strictness  "author": an approval counts only when every commit that wrote its file
#             is the approver's (their foaf:mbox under controls/ is the git author e-mail).
#             "author-and-signature" also needs each commit signed with a key listed for them
#             (rai:signingKey). "off" lets anyone commit an approval in anyone's name.
# install     how CI (.github/workflows/rai-graph.yml) installs rai-graph: a pip requirement,
#             a git URL (git+https://...@commit) or a path in this repository. Written by
#             `rai-graph init`: {_comment(source.how)}.{caveat}

base_iri = {_turtle_string(organisation.base_iri)}
frameworks = ["eu-ai-act", "nist-ai-rmf"]
approval_strictness = "author"
install = {_turtle_string(source.value)}
"""


def _comment(text: str) -> str:
    """Text for a TOML comment: one line."""
    return " ".join(text.split())


_PRE_COMMIT = """# pre-commit: refuse commits that add input errors to this governance repository.
repos:
  - repo: local
    hooks:
      - id: rai-graph-check
        name: rai-graph check
        entry: rai-graph check --fail-on errors
        language: system
        files: \\.(ttl|toml)$|^evidence/
        pass_filenames: true
        require_serial: true
"""

_EVIDENCE_README = """# Evidence

One folder per AI system: `evidence/<system>/system.ttl` describes the system, and one `.ttl`
file per evidence record, approval or waiver sits beside the artefacts it names (model cards,
evaluation results, assessments). Organisation-wide evidence (policies, training records) goes
in `evidence/_organisation/`.

Start with `rai-graph new system --id <folder> ...`, then `rai-graph new evidence ...`,
`rai-graph new approval ...` and, where a control cannot be met yet, `rai-graph new waiver ...`.
"""

_ORGANISATION_README = """# Organisation-wide evidence

Evidence for controls with `rai:scope rai:OrganisationScope` (AI policy, AI literacy training,
quality management system) lives here, without `rai:forSystem`.
"""


def _readme(organisation: Organisation) -> str:
    return f"""# {organisation.name}: AI governance evidence

This repository holds the evidence that {organisation.name}'s AI systems meet the controls their
risk tier demands, as RDF (Turtle), checked by [rai-graph](https://w3id.org/rai-graph).

- `frameworks/`: EU AI Act, NIST AI RMF 1.0, NIST AI 600-1 and ISO/IEC 42001 Annex A
  catalogues (generated; sources and licences in `frameworks/sources/`);
- `controls/`: the control library, roles, people, extra SHACL shapes;
- `evidence/<system>/`: each AI system, its evidence, approvals and waivers.

## Daily use

```sh
rai-graph check                 # every gap and input error, as of today
rai-graph status --format markdown
rai-graph new system --id credit-scoring --title "Credit scoring" --tier HighRisk --role Provider \\
    --purpose "Assess the creditworthiness of loan applicants" --annex-iii AnnexIII-5-b
# write the risk assessment as evidence/credit-scoring/risk-assessment.md, then record it:
rai-graph new evidence --system credit-scoring --control RAI-RISK-01 \\
    --artifact evidence/credit-scoring/risk-assessment.md
rai-graph timeline                # which obligations start to bind on which date
```

Pull requests run `.github/workflows/rai-graph.yml`: annotations, SARIF, a step summary and a
compliance-diff comment. Locally, `pre-commit install` runs `rai-graph check --fail-on errors` on
changed files.
"""
