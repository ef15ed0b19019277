"""Packs, sites and reports carry only verified artefacts (issue #15, property 1).

An artefact's bytes enter an output only when its path resolved inside the repository and is the
record's to name (never ``.git/``, the cache or another system's evidence folder), its bytes
matched the recorded SHA-256 — the bytes copied, not a second read — and the records naming it
and held in it are visible to the audience. One repository plants every threat, each artefact
carrying its own marker; every output is built for the public and the internal audience, unpacked
and searched.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from hostile.harness import invoke
from rai_graph.audience import AUDIENCES, Audience, AudienceView
from rai_graph.commands import select_systems
from rai_graph.commands.site import build_site
from rai_graph.load.trees import WorkTree
from rai_graph.pack.build import build_pack, frameworks_for
from rai_graph.pack.verify import verify_pack
from rai_graph.pipeline import PipelineResult, run
from rai_graph.render.report import SourceInfo
from rai_graph.validate.artifacts import ArtifactChanged, ArtifactState, check_artifact
from test_no_leaks import files_under, texts_of

from git_helpers import commit_all, git, init
from repo_builder import DEFAULT_SYSTEM, GovernanceRepo, Record, sha256_hex

# One worker builds the `built` outputs (~10 s) for every test of the module, not each worker
# (make test distributes with --dist loadgroup).
pytestmark = pytest.mark.xdist_group("verified-artefacts")

AS_OF = "2026-06-01"
FOLDER = f"evidence/{DEFAULT_SYSTEM}"
NO_CACHE = {"RAI_GRAPH_NO_CACHE": "1"}  # the cache folder holds a planted file: leave it as it is
SOURCE = SourceInfo(revision="worktree", commit=None, uncommitted_changes=None)


@dataclass(frozen=True)
class Threat:
    name: str
    marker: str
    record: Record
    refused: bool
    """An input error of the record (never in any output); otherwise withheld from the public only."""


def _public(repo: GovernanceRepo, local: str, data: bytes, path: str | None = None,
            sha256: str | None = None) -> Record:
    return repo.add_approved_evidence(local, confidentiality="Public", artifact_bytes=data,
                                      artifact_path=path, sha256=sha256)


def build_threat_repository(root: Path) -> tuple[GovernanceRepo, list[Threat], Threat]:
    """Every way an artefact could reach an output unverified, and one plain public artefact."""
    repo = GovernanceRepo(root).with_base()
    repo.add_system()
    repo.add_system("fraud-detection", "FraudDetection", title="Fraud detection")
    plain = Threat("plain public artefact", "QZPLAIN1000",
                   _public(repo, "plain", b"QZPLAIN1000 public summary\n"), refused=False)
    init(root)
    commit_all(root, "base")
    git(root, "config", "rai.marker", "QZGITCONFIG1001")
    (root / ".git" / "description").write_bytes(b"QZGITDESC1002 repository description\n")
    repo.write_bytes(".rai-graph-cache/token", b"QZCACHE1003 secret-like token\n")
    repo.write_bytes("evidence/fraud-detection/model-card.md", b"QZOTHERSYS1004 fraud model card\n")
    repo.write_bytes("evidence/fraud-detection/linked.md", b"QZOTHERLINK1005 fraud thresholds\n")
    os.symlink("../../.git/description", root / FOLDER / "git-link.md")
    os.symlink("../fraud-detection/linked.md", root / FOLDER / "other-link.md")

    def raw(path: str) -> bytes:
        return (root / path).read_bytes()

    threats = [
        Threat(".git/config", "QZGITCONFIG1001", _public(repo, "git-config", raw(".git/config"), "../../.git/config"),
               refused=True),
        Threat(".git/HEAD", "refs/heads/main", _public(repo, "git-head", raw(".git/HEAD"), "../../.git/HEAD"),
               refused=True),
        Threat("the cache", "QZCACHE1003",
               _public(repo, "cache-token", raw(".rai-graph-cache/token"), "../../.rai-graph-cache/token"),
               refused=True),
        Threat("another system's folder", "QZOTHERSYS1004",
               _public(repo, "other-system", raw("evidence/fraud-detection/model-card.md"),
                       "../fraud-detection/model-card.md"), refused=True),
        Threat("a symlink into .git", "QZGITDESC1002", _public(repo, "git-link", raw(".git/description"),
                                                              "git-link.md"), refused=True),
        Threat("a symlink into another system's folder", "QZOTHERLINK1005",
               _public(repo, "other-link", raw("evidence/fraud-detection/linked.md"), "other-link.md"),
               refused=True),
        Threat("a hash mismatch", "QZMISMATCH1006",
               _public(repo, "mismatch", b"QZMISMATCH1006 edited after review\n", sha256=sha256_hex(b"reviewed")),
               refused=True),
    ]
    # A confidential record's Turtle file (its marker in a comment only the file itself shows).
    repo.add_evidence("conf-ttl", confidentiality="Confidential", artifact_bytes=b"confidential\n")
    conf_ttl = root / FOLDER / "conf-ttl.ttl"
    conf_ttl.write_bytes(conf_ttl.read_bytes() + b"# QZCONFTTL1007 confidential notes\n")
    threats.append(Threat("a confidential record's .ttl", "QZCONFTTL1007",
                          _public(repo, "uses-ttl", conf_ttl.read_bytes(), "conf-ttl.ttl"), refused=False))
    # One file named by a public and a confidential record, directly and through a symlink.
    shared = b"QZSHARED1008 shared red-team notes\n"
    repo.write_bytes(f"{FOLDER}/shared.md", shared)
    repo.add_evidence("shared-conf", confidentiality="Confidential", artifact_bytes=shared, artifact_path="shared.md")
    threats.append(Threat("a file shared with a confidential record", "QZSHARED1008",
                          _public(repo, "shared-public", shared, "shared.md"), refused=False))
    aliased = b"QZALIAS1009 confidential findings\n"
    repo.add_evidence("alias-conf", confidentiality="Confidential", artifact_bytes=aliased)
    os.symlink("alias-conf.md", root / FOLDER / "alias.md")
    threats.append(Threat("a symlink to a confidential record's artefact", "QZALIAS1009",
                          _public(repo, "alias-public", aliased, "alias.md"), refused=False))
    return repo, threats, plain


@dataclass(frozen=True)
class Built:
    repo: GovernanceRepo
    threats: list[Threat]
    plain: Threat
    errors: list[dict[str, object]]
    outputs: dict[Audience, dict[str, dict[str, str]]]
    """audience → output name → file or entry → its unpacked texts."""
    pack_entries: dict[Audience, list[str]]


def _unpacked(blobs: dict[str, bytes]) -> dict[str, str]:
    return {name: "\n".join(texts_of(data, name)) for name, data in blobs.items()}


def _ok(args: list[str]) -> None:
    made = invoke(args, env=NO_CACHE)
    made.assert_clean_exit((0, 1))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("threats") / "repo"
    repo, threats, plain = build_threat_repository(root)
    common = ["--repo", str(root), "--as-of", AS_OF]
    check = invoke(["check", *common, "--format", "json"], env=NO_CACHE)
    errors = check.json()["errors"]
    assert isinstance(errors, list)
    out = tmp_path_factory.mktemp("outputs")
    outputs: dict[Audience, dict[str, dict[str, str]]] = {}
    entries: dict[Audience, list[str]] = {}
    for audience in ("public", "internal"):
        blobs: dict[str, dict[str, bytes]] = {}
        pack = out / f"{audience}.zip"
        _ok(["evidence-pack", *common, "--system", DEFAULT_SYSTEM, "--audience", audience, "-o", str(pack)])
        blobs["pack"] = {"pack.zip": pack.read_bytes()}
        with zipfile.ZipFile(pack) as archive:
            entries[audience] = archive.namelist()
        site, source = out / f"site-{audience}", out / f"src-{audience}"
        _ok(["site", "build", *common, "--audience", audience, "-o", str(site), "--source-dir", str(source)])
        blobs["site"] = {**{f"site/{k}": v for k, v in files_under(site).items()},
                         **{f"src/{k}": v for k, v in files_under(source).items()}}
        blobs["report"] = {}
        for fmt in ("html", "pdf", "json"):
            target = out / f"{audience}.{fmt}"
            _ok(["report", *common, "--framework", "test-fw", "--format", fmt, "--audience", audience,
                 "-o", str(target)])
            blobs["report"][target.name] = target.read_bytes()
        blobs["export"] = {}
        for fmt in ("cyclonedx", "oscal-assessment"):
            target = out / f"{audience}-{fmt}.json"
            _ok(["export", *common, "--format", fmt, "--system", DEFAULT_SYSTEM, "--audience", audience,
                 "-o", str(target)])
            blobs["export"][target.name] = target.read_bytes()
        outputs[audience] = {name: _unpacked(made) for name, made in blobs.items()}
    return Built(repo, threats, plain, errors, outputs, entries)


def _holding(texts: dict[str, str], marker: str) -> list[str]:
    return [where for where, text in texts.items() if marker.casefold() in text.casefold()]


def _names(refused: bool) -> list[str]:
    names = {True: [".git/config", ".git/HEAD", "the cache", "another system's folder", "a symlink into .git",
                    "a symlink into another system's folder", "a hash mismatch"],
             False: ["a confidential record's .ttl", "a file shared with a confidential record",
                     "a symlink to a confidential record's artefact"]}
    return names[refused]


def _threat(built: Built, name: str) -> Threat:
    return next(t for t in built.threats if t.name == name)


@pytest.mark.parametrize("name", _names(True))
def test_a_refused_artefact_is_an_input_error_of_its_record(built: Built, name: str) -> None:
    """An artefact in .git/, in the cache, in another system's folder (directly or through a
    symlink) or with a changed hash is an input error at the record's file and line."""
    threat = _threat(built, name)
    mine = [e for e in built.errors if e["file"] == threat.record.path]
    assert [(e["line"], e["kind"]) for e in mine] == [(threat.record.line, "artifact")], built.errors
    assert "artefact" in str(mine[0]["message"])


@pytest.mark.parametrize("audience", ["public", "internal"])
@pytest.mark.parametrize("name", _names(True))
def test_a_refused_artefact_is_in_no_output(built: Built, name: str, audience: Audience) -> None:
    """Not even the internal audience gets the bytes of a refused artefact: no pack, site, report
    or export holds its marker."""
    threat = _threat(built, name)
    for output, texts in built.outputs[audience].items():
        assert _holding(texts, threat.marker) == [], f"{output} for {audience}"


@pytest.mark.parametrize("name", _names(False))
def test_a_file_a_hidden_record_owns_is_withheld_from_the_public(built: Built, name: str) -> None:
    """A confidential record's .ttl used as an artefact, and a file a public and a confidential
    record both name (also through a symlink), are treated by their strictest owner: in no output
    for the public; the internal pack and site carry them (so the search would find them)."""
    threat = _threat(built, name)
    for output, texts in built.outputs["public"].items():
        assert _holding(texts, threat.marker) == [], f"{output} for public"
    for output in ("pack", "site"):
        assert _holding(built.outputs["internal"][output], threat.marker), f"{output} for internal"
    assert not [e for e in built.errors if e["file"] == threat.record.path]


_HIDDEN_FILES = {"a confidential record's .ttl": "conf-ttl.ttl",
                 "a file shared with a confidential record": "shared.md",
                 "a symlink to a confidential record's artefact": "alias.md"}


@pytest.mark.parametrize("name", _names(False))
def test_a_withheld_artefact_is_not_named_to_the_public(built: Built, name: str) -> None:
    """The report, the exports and the site name neither the path nor the hash of an artefact the
    public may not see (a withheld record's file, directly or through a link): they say it is
    withheld. The internal report names both (the control case)."""
    path = _HIDDEN_FILES[name]
    digest = sha256_hex((built.repo.root / FOLDER / path).read_bytes())
    for output in ("report", "export", "site"):
        texts = built.outputs["public"][output]
        assert _holding(texts, digest) == [], f"{output} names the hash"
        assert [w for w in _holding(texts, f"{FOLDER}/{path}") if not w.startswith("src/")] == [], output
    assert _holding(built.outputs["public"]["report"], "artefact withheld at this audience")
    assert _holding(built.outputs["internal"]["report"], f"{FOLDER}/{path}")
    assert _holding(built.outputs["internal"]["report"], digest)


def test_a_refused_path_is_named_only_to_the_internal_audience(built: Built) -> None:
    """A path the check refused (another system's file, .git/) is only what the record wrote, not a
    file the audience may see: the view names no path for it below the internal audience (reports,
    exports and the site name artefacts through it); internal gets the path as written and the
    check's state. (The record's input error, shown where its file is, says what was refused.)"""
    result = run(built.repo.root, dt.date.fromisoformat(AS_OF), cache=False)
    for name in ("another system's folder", ".git/config", "a symlink into .git"):
        evidence = result.model.evidence[URIRef(_threat(built, name).record.iri)]
        assert AudienceView("public", result.model, result.validation.artifacts).names_artifact(evidence) is None
        internal = AudienceView("internal", result.model, result.validation.artifacts).names_artifact(evidence)
        assert internal is not None, name
        assert internal.state is ArtifactState.FORBIDDEN, name
        assert internal.path == evidence.artifact


def test_a_verified_public_artefact_is_copied(built: Built) -> None:
    """The control case: a public artefact that passes every check is in the public pack and site."""
    for output in ("pack", "site"):
        assert _holding(built.outputs["public"][output], built.plain.marker), output


def test_the_pack_names_no_git_or_cache_entry(built: Built) -> None:
    """The pack's entry names never point into .git/, the cache or another system's folder."""
    for audience in ("public", "internal"):
        names = built.pack_entries[audience]
        assert f"repository/{built.plain.record.path}" in names
        assert not [n for n in names if ".git/" in n or ".rai-graph-cache" in n or "fraud-detection" in n]


# --- the rule itself --------------------------------------------------------------------------


@pytest.mark.parametrize("link", [False, True])
def test_a_cache_folder_configured_inside_the_repository_is_refused(
    small: GovernanceRepo, monkeypatch: pytest.MonkeyPatch, link: bool,
) -> None:
    """RAI_GRAPH_CACHE_DIR may put the cache (every file's parsed triples, confidential records'
    too) under another name inside the repository: a record naming a file there, directly or
    through a symbolic link, is refused like ``.rai-graph-cache/``."""
    monkeypatch.setenv("RAI_GRAPH_CACHE_DIR", str(small.root / "build" / "rg-cache"))
    small.write_bytes("build/rg-cache/parse.pack", b"cached triples\n")
    path = "../../build/rg-cache/parse.pack"
    if link:
        os.symlink(path, small.root / FOLDER / "pack-link")
        path = "pack-link"
    check = check_artifact(WorkTree(small.root), FOLDER, path, sha256_hex(b"cached triples\n"))
    assert check.state is ArtifactState.FORBIDDEN, check
    assert "RAI_GRAPH_CACHE_DIR" in check.detail
    monkeypatch.delenv("RAI_GRAPH_CACHE_DIR")
    assert check_artifact(WorkTree(small.root), FOLDER, path, sha256_hex(b"cached triples\n")).ok


@pytest.fixture
def small(tmp_path: Path) -> GovernanceRepo:
    repo = GovernanceRepo(tmp_path / "repo").with_base()
    repo.add_system()
    repo.add_system("fraud-detection", "FraudDetection", title="Fraud detection")
    return repo


@pytest.mark.parametrize("path", ["../../.git", "../../.git/config", "../../.GIT/config", "../../docs/.git/x",
                                  "sub/.git/config", "../../.rai-graph-cache/x", "../../.Rai-Graph-Cache/x",
                                  "../fraud-detection/x", "../fraud-detection/sub/x", "..\\..\\.git\\config",
                                  "../../.git./config", "../../.git /config"])
def test_paths_that_are_no_records_to_name_are_refused(small: GovernanceRepo, path: str) -> None:
    """Git's files at any depth, in any case and spelt as Windows would read them (a worktree's
    ``.git`` file too), the cache and another system's folder are refused before the file is even
    read."""
    target = posixpath_join(FOLDER, path)
    small.write_bytes(target, b"secret\n")
    check = check_artifact(WorkTree(small.root), FOLDER, path, sha256_hex(b"secret\n"))
    assert check.state is ArtifactState.FORBIDDEN, check
    assert repr(path) in check.detail
    assert check.actual_sha256 is None


@pytest.mark.parametrize(("folder", "path"), [
    (FOLDER, "report.md"), (FOLDER, "sub/report.md"), (FOLDER, "../_organisation/policy.md"),
    (FOLDER, "../../docs/card.md"), (f"{FOLDER}/2025", "../report.md"), ("evidence/_organisation", "policy.md"),
    (FOLDER, "../../build/report.md"), (FOLDER, "../../evidence.md"),
])
def test_the_records_own_files_stay_allowed(small: GovernanceRepo, folder: str, path: str) -> None:
    """A record's own folder tree, the organisation's folder and files outside evidence/ (docs/,
    even build/: committed content is content) remain artefacts."""
    small.write_bytes(posixpath_join(folder, path), b"content\n")
    check = check_artifact(WorkTree(small.root), folder, path, sha256_hex(b"content\n"))
    assert check.ok, check


def test_an_organisation_record_may_not_name_a_systems_file(small: GovernanceRepo) -> None:
    """evidence/_organisation/ is shared by every system, but a system's folder is not shared with it."""
    small.write_bytes(f"{FOLDER}/x.md", b"x\n")
    check = check_artifact(WorkTree(small.root), "evidence/_organisation", f"../{DEFAULT_SYSTEM}/x.md",
                           sha256_hex(b"x\n"))
    assert check.state is ArtifactState.FORBIDDEN


def test_the_example_repository_names_no_forbidden_artefact() -> None:
    """The rule does not break the project's own governance repository."""
    result = run(Path(__file__).resolve().parent.parent, dt.date(2026, 6, 1), cache=False)
    refused = {iri: c for iri, c in result.validation.artifacts.items() if c.state is ArtifactState.FORBIDDEN}
    assert refused == {}
    assert sum(c.ok for c in result.validation.artifacts.values()) > 10


def posixpath_join(folder: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(folder, path))


# --- between the check and the copy ---------------------------------------------------------------


def _judged(tmp_path: Path) -> tuple[GovernanceRepo, Record, PipelineResult]:
    repo = GovernanceRepo(tmp_path / "repo").with_base()
    repo.add_system()
    record = _public(repo, "report", b"QZREVIEWED2000 what was reviewed\n")
    return repo, record, run(repo.root, dt.date(2026, 6, 1), cache=False)


def test_a_pack_refuses_an_artefact_changed_after_its_check(tmp_path: Path) -> None:
    """The pack copies the bytes it hashes: an artefact rewritten between the check and the copy
    stops the build with an error naming the record's file and line (nothing is written)."""
    repo, record, result = _judged(tmp_path)
    (repo.root / FOLDER / "report.md").write_bytes(b"QZSWAPPED2001 not what was reviewed\n")
    assessment = select_systems(result, [DEFAULT_SYSTEM])[0]
    with pytest.raises(ArtifactChanged, match=f"{record.path}:{record.line}: artefact {FOLDER}/report.md changed"):
        build_pack(result, assessment, frameworks_for(result, assessment), narrowed=False,
                   audience="public", source=SOURCE, with_pdf=False)


def test_a_pack_refuses_a_turtle_artefact_changed_after_its_check(tmp_path: Path) -> None:
    """A Turtle file used as an artefact is packed once, as a record file read on its own: those
    bytes too must be the ones the check hashed."""
    repo, _record, _result = _judged(tmp_path)
    holder = repo.root / FOLDER / "report.ttl"
    user = _public(repo, "uses-ttl", holder.read_bytes(), "report.ttl")
    result = run(repo.root, dt.date(2026, 6, 1), cache=False)
    holder.write_bytes(holder.read_bytes() + b"# edited after the check\n")
    assessment = select_systems(result, [DEFAULT_SYSTEM])[0]
    with pytest.raises(ArtifactChanged, match=f"{user.path}:{user.line}: artefact {FOLDER}/report.ttl changed"):
        build_pack(result, assessment, frameworks_for(result, assessment), narrowed=False,
                   audience="public", source=SOURCE, with_pdf=False)


def test_a_site_refuses_an_artefact_changed_after_its_check(tmp_path: Path) -> None:
    """The site copies the bytes it hashes: the changed file is not in the site, not even half-written."""
    repo, record, result = _judged(tmp_path)
    (repo.root / FOLDER / "report.md").write_bytes(b"QZSWAPPED2001 not what was reviewed\n")
    site = tmp_path / "site"
    with pytest.raises(ArtifactChanged, match=f"{record.path}:{record.line}"):
        build_site(result, "public", output=site, source_dir=tmp_path / "src")
    texts = _unpacked(files_under(site))
    assert _holding(texts, "QZSWAPPED2001") == []
    assert _holding(texts, "QZREVIEWED2000") == []
    assert not [name for name in texts if name.endswith(".partial")]


# --- a fresh pack always verifies -------------------------------------------------------------------

LEVELS = ("Public", "CustomerShareable", "Internal", "Confidential")
_examples = iter(range(10**6))


@st.composite
def small_repositories(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Records as (confidentiality, how their artefact is named): their own file, the previous
    record's file, the previous record's Turtle file, a file with a wrong hash, or none."""
    count = draw(st.integers(1, 4))
    kinds = st.sampled_from(("own", "shared", "ttl", "mismatch", "url"))
    return [(draw(st.sampled_from(LEVELS)), draw(kinds) if n else "own") for n in range(count)]


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=small_repositories(), audience=st.sampled_from(AUDIENCES))
def test_a_freshly_built_pack_always_verifies(tmp_path: Path, records: list[tuple[str, str]],
                                               audience: Audience) -> None:
    """Whatever records, levels, shared files and broken artefacts a small repository holds, a
    pack built from it for any audience and left untouched passes ``evidence-pack verify``."""
    repo = GovernanceRepo(tmp_path / f"repo-{next(_examples)}").with_base()
    repo.add_system()
    for n, (level, kind) in enumerate(records):
        local, previous = f"r{n}", f"r{n - 1}"
        body = f"QZBODY{n} artefact\n".encode()
        if kind == "own":
            repo.add_approved_evidence(local, confidentiality=level, artifact_bytes=body)
        elif kind == "mismatch":
            repo.add_approved_evidence(local, confidentiality=level, artifact_bytes=body, sha256=sha256_hex(b"x"))
        elif kind == "url":
            repo.add_approved_evidence(local, confidentiality=level, artifact_bytes=None,
                                       artifact_url=f"https://example.org/{local}")
        else:
            path = f"{previous}.md" if kind == "shared" else f"{previous}.ttl"
            data = (repo.root / FOLDER / path).read_bytes() if (repo.root / FOLDER / path).exists() else body
            repo.add_approved_evidence(local, confidentiality=level, artifact_bytes=data, artifact_path=path)
    result = run(repo.root, dt.date(2026, 6, 1), cache=False)
    assessment = select_systems(result, [DEFAULT_SYSTEM])[0]
    pack = build_pack(result, assessment, frameworks_for(result, assessment), narrowed=False,
                      audience=audience, source=SOURCE, with_pdf=False)
    verification = verify_pack(io.BytesIO(pack.to_zip()))
    assert verification.ok, verification.problems
    with zipfile.ZipFile(io.BytesIO(pack.to_zip())) as archive:
        copied = [n for n in archive.namelist() if n.startswith("repository/") and not n.endswith(".ttl")
                  and b"QZBODY" in archive.read(n)]
    assert [n for n in copied if not _released(result, audience, n)] == []


def _released(result: PipelineResult, audience: Audience, entry: str) -> bool:
    view = AudienceView(audience, result.model, result.validation.artifacts)
    path = entry.removeprefix("repository/")
    return any((check := view.releases(e)) is not None and check.path == path for e in result.model.evidence.values())
