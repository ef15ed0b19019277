"""`rai-graph evidence-pack`: what goes in a pack, for whom, and `verify` catching every tampering."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner, Result
from rdflib import URIRef

from rai_graph.cli import main
from rai_graph.pack.verify import verify_pack
from rai_graph.pipeline import run
from test_report import AS_OF, CONFIDENTIAL_MARK, INTERNAL_MARK, build_fixture

from git_helpers import commit_all, init
from repo_builder import ex, sha256_hex

# Its module-scoped outputs are built once, on one worker (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("test_evidence_pack")

Entries = dict[str, bytes]


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(main, ["evidence-pack", *args], catch_exceptions=False)


def build(root: Path, output: Path, *extra: str, audience: str = "auditor") -> Result:
    result = invoke(["--repo", str(root), "--as-of", AS_OF, "--system", "credit-scoring",
                     "--audience", audience, "-o", str(output), *extra])
    assert result.exit_code == 0, result.output
    return result


def entries_of(data: bytes) -> Entries:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rewrite(data: bytes, change: Callable[[Entries], Entries]) -> bytes:
    """The pack with its entries changed by ``change``, written as a well-formed zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in change(entries_of(data)).items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = build_fixture(tmp_path_factory.mktemp("pack") / "governance")
    init(repo.root)
    commit_all(repo.root, "release 1")
    return repo.root


@pytest.fixture(scope="module")
def pack(fixture_root: Path) -> bytes:
    """The auditor's pack of credit-scoring for the test framework."""
    output = fixture_root.parent / "auditor.zip"
    build(fixture_root, output, "--framework", "test-fw")
    return output.read_bytes()


def manifest_of(data: bytes) -> dict[str, Any]:
    manifest = json.loads(entries_of(data)["manifest.json"])
    assert isinstance(manifest, dict)
    return manifest


# --- contents ----------------------------------------------------------------------------------


def test_pack_holds_report_records_artefacts_and_validation(pack: bytes) -> None:
    """Reports in four formats, the system's records and artefacts, controls, catalogue, SHACL."""
    names = list(entries_of(pack))
    assert names[:2] == ["README.txt", "manifest.json"]
    assert names[2:] == sorted(names[2:])
    for expected in ("report/test-fw.pdf", "report/test-fw.html", "report/test-fw.json",
                     "report/test-fw.md", "repository/evidence/credit-scoring/system.ttl",
                     "repository/evidence/credit-scoring/risk.ttl",
                     "repository/evidence/credit-scoring/risk.md",
                     "repository/evidence/credit-scoring/risk-approval.ttl",
                     "repository/evidence/credit-scoring/waiver-3.ttl",
                     "repository/evidence/credit-scoring/finding-late.ttl",
                     "repository/evidence/credit-scoring/finding-closed.ttl",
                     "repository/evidence/_organisation/training.ttl",
                     "repository/evidence/_organisation/training.md",
                     "repository/controls/controls.ttl", "repository/controls/people.ttl",
                     "repository/frameworks/test-fw.ttl",
                     "validation/errors.json", "validation/errors.txt"):
        assert expected in names, expected
    assert not any("chatbot" in name or "legacy" in name for name in names)


def test_manifest_lists_every_file_with_hash_size_commit_and_record(pack: bytes,
                                                                   fixture_root: Path) -> None:
    """Every file but the README and the manifest is listed with its true hash and size, and the
    records and artefacts with their source path, commit and record IRI."""
    entries = entries_of(pack)
    manifest = manifest_of(pack)
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(entries) - {"README.txt", "manifest.json"}
    for path, item in listed.items():
        assert item["sha256"] == hashlib.sha256(entries[path]).hexdigest()
        assert item["size"] == len(entries[path])
    head = manifest["source"]["commit"]
    assert len(head) == 40
    artefact = listed["repository/evidence/credit-scoring/risk.md"]
    assert artefact == {
        "path": "repository/evidence/credit-scoring/risk.md",
        "sha256": sha256_hex(b"# Risk assessment\n\nThe risks were assessed.\n"),
        "size": len(b"# Risk assessment\n\nThe risks were assessed.\n"),
        "kind": "artifact", "source_path": "evidence/credit-scoring/risk.md", "source_commit": head,
        "record": ex("risk"),
    }
    assert listed["repository/evidence/credit-scoring/risk.ttl"]["record"] == ex("risk")
    assert listed["report/test-fw.pdf"]["source_commit"] is None
    assert (manifest["system"]["name"], manifest["frameworks"], manifest["as_of"],
            manifest["audience"]) == ("credit-scoring", ["test-fw"], AS_OF, "auditor")


def test_packed_repository_is_itself_loadable(pack: bytes, tmp_path: Path) -> None:
    """repository/ is a governance repository: its Turtle parses and its records are there."""
    for name, content in entries_of(pack).items():
        if name.startswith("repository/"):
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    result = run(tmp_path / "repository", dt.date.fromisoformat(AS_OF))
    assert [e for e in result.validation.errors if e.kind == "parse"] == []
    assert URIRef(ex("risk")) in result.model.evidence


def test_validation_lists_the_input_errors_the_reports_were_judged_on(pack: bytes) -> None:
    """validation/ holds the one validation's errors for the packed records (none here), as JSON and text."""
    entries = entries_of(pack)
    document = json.loads(entries["validation/errors.json"])
    assert document["errors"] == []
    assert document["files"] >= 5
    assert "Input errors in the" in entries["validation/errors.txt"].decode("utf-8")


def test_validation_names_shape_violations_with_file_and_line(tmp_path: Path) -> None:
    """A record breaking a structural shape shows up in the pack's validation at its line, exactly
    as ``check`` reports it."""
    repo = build_fixture(tmp_path / "governance")
    record = repo.add_evidence("undated", omit=("prov:generatedAtTime",))
    output = tmp_path / "pack.zip"
    build(repo.root, output, "--no-pdf")
    entries = entries_of(output.read_bytes())
    errors = json.loads(entries["validation/errors.json"])["errors"]
    assert any(e["file"] == f"repository/{record.path}" and e["line"] == record.line and e["kind"] == "shape"
               and "prov:generatedAtTime" in e["message"] for e in errors), errors
    assert "report/test-fw.pdf" not in entries


def test_a_fresh_pack_verifies_and_its_repository_re_judges_the_same(pack: bytes, tmp_path: Path) -> None:
    """An untouched pack verifies: every file matches, and re-judging repository/ confirms every
    control status whose records are all in the pack."""
    run = verify(pack, tmp_path, "--format", "json")
    assert run.exit_code == 0, run.output
    result = json.loads(run.stdout)
    judged = manifest_of(pack)["judgement"]
    assert result["rejudged"] == sum(1 for p in judged["pairs"] if not p["withheld"]) > 0


def test_a_re_zipped_pack_still_verifies(pack: bytes, tmp_path: Path) -> None:
    """A pack unzipped and zipped again with folder entries (as ``zip -r`` does) verifies; the
    content is what counts."""
    rezipped = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(pack)) as source, zipfile.ZipFile(rezipped, "w") as target:
        folders = sorted({name.rsplit("/", 1)[0] + "/" for name in source.namelist() if "/" in name})
        for folder in folders:
            target.writestr(zipfile.ZipInfo(folder), b"")
        for info in reversed(source.infolist()):
            target.writestr(info.filename, source.read(info.filename))
    run = verify(rezipped.getvalue(), tmp_path)
    assert run.exit_code == 0, run.output


def test_pack_is_byte_identical_when_built_twice(pack: bytes, fixture_root: Path) -> None:
    """Same repository, date and audience: the same bytes (fixed order, timestamps, bnode labels)."""
    again = fixture_root.parent / "again.zip"
    build(fixture_root, again, "--framework", "test-fw")
    assert again.read_bytes() == pack
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 6, 1, 0, 0, 0)}


def test_pack_without_framework_covers_every_applicable_framework(fixture_root: Path) -> None:
    """Without --framework, the pack reports on every framework that applies to the system."""
    output = fixture_root.parent / "all.zip"
    build(fixture_root, output, "--no-pdf")
    assert manifest_of(output.read_bytes())["frameworks"] == ["test-fw"]


def test_build_prints_the_manifest_digest(fixture_root: Path) -> None:
    """Building prints the manifest's SHA-256, which verify --expect-digest later checks."""
    output = fixture_root.parent / "digest.zip"
    result = build(fixture_root, output, "--no-pdf")
    digest = hashlib.sha256(entries_of(output.read_bytes())["manifest.json"]).hexdigest()
    assert f"Manifest SHA-256: {digest}" in result.output
    ok = invoke(["verify", str(output), "--expect-digest", digest])
    assert ok.exit_code == 0, ok.output
    wrong = invoke(["verify", str(output), "--expect-digest", "0" * 64])
    assert wrong.exit_code == 1
    assert "DIGEST" in wrong.output


def test_build_refuses_to_overwrite_without_force(fixture_root: Path, tmp_path: Path) -> None:
    """An existing pack is kept unless --force is given."""
    output = tmp_path / "pack.zip"
    output.write_bytes(b"old")
    refused = CliRunner().invoke(main, ["evidence-pack", "--repo", str(fixture_root), "--system",
                                                 "credit-scoring", "-o", str(output)])
    assert refused.exit_code == 2
    assert "exists; use --force" in refused.output
    assert output.read_bytes() == b"old"
    build(fixture_root, output, "--no-pdf", "--force")
    assert output.read_bytes()[:2] == b"PK"


def test_build_needs_system_and_output(tmp_path: Path) -> None:
    """Without a subcommand the group builds, and says what is missing."""
    result = CliRunner().invoke(main, ["evidence-pack", "--repo", str(tmp_path)])
    assert result.exit_code == 2
    assert "building a pack needs --system and -o" in result.output


# --- audience ----------------------------------------------------------------------------------


def all_text(data: bytes) -> str:
    """Every entry name and content of a pack, PDFs as extracted text."""
    parts = []
    for name, content in entries_of(data).items():
        parts.append(name)
        if name.endswith(".pdf"):
            reader = pypdf.PdfReader(io.BytesIO(content))
            parts.append("".join(page.extract_text() for page in reader.pages).replace("\n", ""))
        else:
            parts.append(content.decode("utf-8", errors="replace"))
    return "\n".join(parts)


@pytest.mark.parametrize(("audience", "hidden", "shown"), [
    ("internal", (), (CONFIDENTIAL_MARK, INTERNAL_MARK)),
    ("auditor", (CONFIDENTIAL_MARK,), (INTERNAL_MARK,)),
    ("customer", (CONFIDENTIAL_MARK, INTERNAL_MARK), ()),
])
def test_pack_keeps_to_its_audience(fixture_root: Path, tmp_path: Path, audience: str,
                                    hidden: tuple[str, ...], shown: tuple[str, ...]) -> None:
    """No name, record, artefact, hash or report text above the audience's level is in the pack."""
    output = tmp_path / f"{audience}.zip"
    build(fixture_root, output, "--framework", "test-fw", audience=audience)
    text = all_text(output.read_bytes())
    for marker in hidden:
        assert marker not in text, marker
    for marker in shown:
        assert marker in text, marker
    confidential_hash = sha256_hex(f"# {CONFIDENTIAL_MARK} risk assessment\n".encode())
    assert (confidential_hash in text) == (audience == "internal")
    withheld = manifest_of(output.read_bytes())["withheld"]
    # Evidence records, and findings (one has no level, so counts as Confidential).
    assert withheld == {"internal": 0, "auditor": 2 + 1, "customer": 4 + 3}[audience]


# --- verify ------------------------------------------------------------------------------------


def verify(data: bytes, tmp_path: Path, *extra: str) -> Result:
    path = tmp_path / "checked.zip"
    path.write_bytes(data)
    return invoke(["verify", str(path), *extra])


def test_verify_passes_on_an_untouched_pack(pack: bytes, tmp_path: Path) -> None:
    """Every listed file matches: exit 0 and the count of files checked."""
    result = verify(pack, tmp_path)
    assert result.exit_code == 0, result.output
    assert "files match manifest.json" in result.output
    assert verify_pack(pack).files_checked == len(manifest_of(pack)["files"])


def test_verify_names_a_changed_byte(pack: bytes, tmp_path: Path) -> None:
    """One byte changed in an artefact: exit 1, the file named, both hashes given."""
    path = "repository/evidence/credit-scoring/risk.md"

    def change(entries: Entries) -> Entries:
        content = bytearray(entries[path])
        content[0] ^= 0x01
        entries[path] = bytes(content)
        return entries

    tampered = rewrite(pack, change)
    result = verify(tampered, tmp_path)
    assert result.exit_code == 1
    expected = manifest_of(pack)
    listed = next(f for f in expected["files"] if f["path"] == path)
    assert f"CHANGED         {path}: SHA-256 is " in result.output
    assert f"the manifest says {listed['sha256']}" in result.output
    problems = verify_pack(tampered).problems
    assert [(p.path, p.kind) for p in problems] == [(path, "changed")]


def test_verify_names_a_missing_file(pack: bytes, tmp_path: Path) -> None:
    """A listed file removed from the pack is reported as missing."""
    path = "repository/evidence/credit-scoring/risk-approval.ttl"
    tampered = rewrite(pack, lambda entries: {k: v for k, v in entries.items() if k != path})
    result = verify(tampered, tmp_path)
    assert result.exit_code == 1
    assert f"MISSING         {path}: listed in the manifest but not in the pack" in result.output
    assert [(p.path, p.kind) for p in verify_pack(tampered).problems] == [(path, "missing")]


def test_verify_names_an_added_file(pack: bytes, tmp_path: Path) -> None:
    """A file slipped into the pack is reported as added."""
    path = "repository/evidence/credit-scoring/extra-approval.ttl"
    tampered = rewrite(pack, lambda entries: {**entries, path: b"# not ours\n"})
    result = verify(tampered, tmp_path)
    assert result.exit_code == 1
    assert f"ADDED           {path}: in the pack but not listed in the manifest" in result.output
    assert [(p.path, p.kind) for p in verify_pack(tampered).problems] == [(path, "added")]


def test_verify_catches_a_consistently_edited_manifest(pack: bytes) -> None:
    """An artefact swapped with its manifest entry updated still differs from its packed record."""
    path = "repository/evidence/credit-scoring/risk.md"
    forged = b"# Risk assessment\n\nNo risks at all.\n"

    def change(entries: Entries) -> Entries:
        manifest = json.loads(entries["manifest.json"])
        for item in manifest["files"]:
            if item["path"] == path:
                item["sha256"], item["size"] = sha256_hex(forged), len(forged)
        entries["manifest.json"] = json.dumps(manifest).encode("utf-8")
        entries[path] = forged
        return entries

    problems = verify_pack(rewrite(pack, change)).problems
    assert [(p.path, p.kind) for p in problems] == [(path, "record-mismatch")]
    assert f"its record <{ex('risk')}> says" in problems[0].message


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/passwd", "report/../../x", "C:/x",
                                  "a\\..\\b"])
def test_verify_rejects_unsafe_entry_names(pack: bytes, name: str) -> None:
    """Entries that could be extracted outside the target folder are refused by name."""
    tampered = rewrite(pack, lambda entries: {**entries, name: b"x"})
    problems = verify_pack(tampered).problems
    assert [(p.path, p.kind) for p in problems] == [(name, "unsafe-name")]


def test_verify_reports_raw_corruption_without_traceback(pack: bytes, tmp_path: Path) -> None:
    """A byte flipped inside the compressed data, or a truncated file, fails cleanly."""
    manifest = manifest_of(pack)
    assert manifest["files"]
    flipped = bytearray(pack)
    offset = pack.index(b"report/test-fw.html") + 200  # inside that entry's compressed data
    flipped[offset] ^= 0xFF
    corrupted = verify(bytes(flipped), tmp_path)
    assert corrupted.exit_code == 1
    assert "report/test-fw.html" in corrupted.output
    assert "Traceback" not in corrupted.output
    truncated = verify(pack[: len(pack) // 2], tmp_path)
    assert truncated.exit_code == 1
    assert "not a readable zip archive" in truncated.output


def test_verify_reports_a_missing_or_broken_manifest(pack: bytes) -> None:
    """No manifest, or one that is not the documented JSON, is a problem of its own."""
    without = rewrite(pack, lambda entries: {k: v for k, v in entries.items() if k != "manifest.json"})
    assert [(p.path, p.kind) for p in verify_pack(without).problems] == [("manifest.json", "manifest")]
    broken = rewrite(pack, lambda entries: {**entries, "manifest.json": b'{"format": 1}'})
    [problem] = verify_pack(broken).problems
    assert problem.kind == "manifest"
    assert "not a valid manifest" in problem.message


def test_verify_json_output(pack: bytes, tmp_path: Path) -> None:
    """--format json gives ok, the files checked and each problem with path and kind."""
    path = "repository/evidence/credit-scoring/risk.md"
    tampered = rewrite(pack, lambda entries: {k: v for k, v in entries.items() if k != path})
    result = verify(tampered, tmp_path, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert document["problems"] == [{"path": path, "kind": "missing",
                                     "message": "listed in the manifest but not in the pack"}]


def test_pack_of_a_past_revision_reads_git_objects(tmp_path: Path) -> None:
    """--rev packs the artefact bytes as committed, even when the working tree has changed them."""
    repo = build_fixture(tmp_path / "governance")
    init(repo.root)
    release = commit_all(repo.root, "release 1")
    original = (repo.root / "evidence/credit-scoring/risk.md").read_bytes()
    (repo.root / "evidence/credit-scoring/risk.md").write_bytes(b"edited after the release\n")
    output = tmp_path / "release.zip"
    build(repo.root, output, "--no-pdf", "--rev", release)
    data = output.read_bytes()
    assert entries_of(data)["repository/evidence/credit-scoring/risk.md"] == original
    manifest = manifest_of(data)
    assert manifest["source"] == {"revision": release, "commit": release, "uncommitted_changes": False}
    report = json.loads(entries_of(data)["report/test-fw.json"])
    [system] = report["systems"]
    assert next(c for c in system["controls"] if c["notation"] == "TC-01")["status"] == "met"
    assert verify_pack(data).ok
