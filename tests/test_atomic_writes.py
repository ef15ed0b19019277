"""No lost or half-written files (issue #9, item 4).

``new``, ``init``, ``questionnaire answer`` and ``evidence-pack`` write through a temporary file
and a rename: they refuse to replace an existing file unless ``--force``, and a failure injected
while writing or while publishing (an ``OSError`` such as a full disk, or Ctrl-C) leaves the target
exactly as it was — absent, or byte-identical — and no temporary file behind. No command rewrites a
record file in place: running every command leaves the repository byte-identical (the parse
cache in ``.rai-graph-cache/`` aside), and ``new`` only ever adds its one file.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from hostile.harness import SRC, invoke, tree_digest

from git_helpers import commit_all, init
from repo_builder import DEFAULT_SYSTEM, GovernanceRepo

pytestmark = pytest.mark.slow  # not in `make test-fast`

AS_OF = "2026-06-01"
SYSTEM_DIR = f"evidence/{DEFAULT_SYSTEM}"
SENTINEL = b"# someone's work, never to be lost\n"


@pytest.fixture(autouse=True)
def no_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Failures are injected into os-level calls the parse cache uses too: keep it out of the way."""
    monkeypatch.setenv("RAI_GRAPH_NO_CACHE", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def repo(tmp_path: Path) -> GovernanceRepo:
    """The shared base, one system with approved evidence, and a base IRI for ``new``."""
    repo = GovernanceRepo(tmp_path / "repo").with_base()
    repo.write_text("rai-graph.toml", 'base_iri = "https://example.org/acme/"\n')
    repo.add_system()
    repo.add_approved_evidence("risk")
    return repo


@dataclass
class Writer:
    """A command that writes one file: how to call it, and where its file goes."""

    id: str
    args: Callable[[GovernanceRepo, Path], list[str]]
    target: Callable[[GovernanceRepo, Path], Path]
    needs: Callable[[GovernanceRepo, Path], None] = field(default=lambda repo, out: None)


QUESTIONS_CSV = (
    "Ref,Question\n"
    'Q1,"Has a risk assessment of the system been performed and approved?"\n'
    'Q2,"Are decisions logged with an audit trail so each outcome can be traced?"\n'
    'Q3,"Do you red-team the model? Provide the report."\n'
)


def _questions(repo: GovernanceRepo, out: Path) -> None:
    (out / "questions.csv").write_text(QUESTIONS_CSV, encoding="utf-8")


WRITERS = [
    Writer("new-system",
           lambda r, o: ["new", "system", "--repo", str(r.root), "--id", "chatbot", "--title", "Chatbot",
                         "--tier", "LimitedRisk", "--purpose", "Answers questions.", "--owner", "bob"],
           lambda r, o: r.root / "evidence/chatbot/system.ttl"),
    Writer("new-evidence",
           lambda r, o: ["new", "evidence", "--repo", str(r.root), "--system", DEFAULT_SYSTEM, "--control",
                         "TC-01", "--artifact", str(r.root / SYSTEM_DIR / "risk.md"), "--author", "bob",
                         "--date", "2026-05-01", "--id", "risk-2"],
           lambda r, o: r.root / SYSTEM_DIR / "risk-2.ttl"),
    Writer("new-approval",
           lambda r, o: ["new", "approval", "--repo", str(r.root), "--evidence", "risk", "--by", "alice",
                         "--date", "2026-05-01"],
           lambda r, o: r.root / SYSTEM_DIR / "risk-approved.ttl"),
    Writer("new-waiver",
           lambda r, o: ["new", "waiver", "--repo", str(r.root), "--system", DEFAULT_SYSTEM, "--control",
                         "TC-01", "--rationale", "Manual review.", "--approved-by", "alice", "--role",
                         "RAILead", "--date", "2026-05-01"],
           lambda r, o: r.root / SYSTEM_DIR / "waiver-tc-01.ttl"),
    Writer("questionnaire-answer",
           lambda r, o: ["questionnaire", "answer", str(o / "questions.csv"), "--repo", str(r.root), "--as-of",
                         AS_OF, "--system", DEFAULT_SYSTEM, "--audience", "customer", "-o",
                         str(o / "answers.csv")],
           lambda r, o: o / "answers.csv", _questions),
    Writer("evidence-pack",
           lambda r, o: ["evidence-pack", "--repo", str(r.root), "--as-of", AS_OF, "--system", DEFAULT_SYSTEM,
                         "--no-pdf", "-o", str(o / "pack.zip")],
           lambda r, o: o / "pack.zip"),
]


def _writer_params() -> list[Any]:
    return [pytest.param(writer, id=writer.id) for writer in WRITERS]


def temporary_files(folder: Path) -> list[str]:
    """Leftovers of an interrupted write: hidden temporary files and staging folders."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name != ".rai-graph-cache"
                  and (p.name.endswith(".tmp") or ".init-" in p.name))


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


# --- refusing to overwrite --------------------------------------------------------------------------


@pytest.mark.parametrize("writer", _writer_params())
def test_existing_file_is_never_replaced_without_force(writer: Writer, repo: GovernanceRepo, out: Path) -> None:
    """With the target already there, the command exits 2 naming --force, and the file is untouched."""
    writer.needs(repo, out)
    target = writer.target(repo, out)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(SENTINEL)
    run = invoke(writer.args(repo, out))
    run.assert_clean_exit((2,))
    assert "--force" in run.output
    assert target.read_bytes() == SENTINEL
    assert temporary_files(target.parent) == []


@pytest.mark.parametrize("writer", _writer_params())
def test_force_replaces_the_file_whole(writer: Writer, repo: GovernanceRepo, out: Path) -> None:
    """The control case: with --force the new content replaces the old, and nothing else is left."""
    writer.needs(repo, out)
    target = writer.target(repo, out)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(SENTINEL)
    invoke([*writer.args(repo, out), "--force"]).assert_clean_exit((0,))
    assert target.read_bytes() != SENTINEL
    assert target.stat().st_size > 0
    assert temporary_files(target.parent) == []


def test_init_refuses_a_folder_with_content_and_force_keeps_other_files(tmp_path: Path) -> None:
    """``init`` into a non-empty folder is refused; with --force it adds its files and keeps the user's."""
    target = tmp_path / "governance"
    target.mkdir()
    (target / "notes.txt").write_bytes(SENTINEL)
    run = invoke(["init", str(target), "--lead-email", "lead@example.org", "--lead-name", "Lead"])
    run.assert_clean_exit((2,))
    assert "--force" in run.output
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    invoke(["init", str(target), "--lead-email", "lead@example.org", "--lead-name", "Lead", "--force"]
           ).assert_clean_exit((0,))
    assert (target / "notes.txt").read_bytes() == SENTINEL
    assert (target / "controls" / "people.ttl").is_file()
    assert temporary_files(tmp_path) == []


# --- interrupted writes -----------------------------------------------------------------------------


@dataclass
class Injection:
    """Calls to a patched function; it starts failing after ``after`` successful calls."""

    raised: type[BaseException] | BaseException
    after: int = 0
    calls: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def fired(self) -> bool:
        return len(self.calls) > self.after


@contextmanager
def failing(monkeypatch: pytest.MonkeyPatch, owner: Any, names: tuple[str, ...], injection: Injection
            ) -> Iterator[Injection]:
    """Make ``owner.<name>`` (for each name) raise ``injection.raised`` after its first calls."""
    for name in names:
        original = getattr(owner, name)

        def patched(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            injection.calls.append(args)
            if len(injection.calls) > injection.after:
                raise injection.raised
            return _original(*args, **kwargs)

        monkeypatch.setattr(owner, name, patched)
    yield injection


DISK_FULL = OSError(errno.ENOSPC, "No space left on device")
# Where a write can fail: while the bytes are flushed, or when the finished file is published.
INJECTION_POINTS = {
    "while-writing": ("fsync",),
    "while-publishing": ("replace", "link", "rename"),
}


@pytest.mark.parametrize("point", list(INJECTION_POINTS))
@pytest.mark.parametrize("raised", [pytest.param(DISK_FULL, id="disk-full"),
                                    pytest.param(KeyboardInterrupt, id="ctrl-c")])
@pytest.mark.parametrize("existing", [pytest.param(False, id="new-file"), pytest.param(True, id="forced")])
@pytest.mark.parametrize("writer", _writer_params())
def test_interrupted_write_leaves_nothing_behind(
    writer: Writer, existing: bool, raised: BaseException, point: str, repo: GovernanceRepo, out: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A failure while writing or publishing leaves the target absent (or, under --force, exactly
    as it was) and no temporary file, and the command ends without a traceback."""
    writer.needs(repo, out)
    target = writer.target(repo, out)
    args = writer.args(repo, out)
    if existing:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(SENTINEL)
        args.append("--force")
    before = tree_digest(repo.root)
    with failing(monkeypatch, os, INJECTION_POINTS[point], Injection(raised)) as injection:
        run = invoke(args)
    assert injection.fired, f"the failure injected at {point} never happened"
    assert run.crash is None or isinstance(raised, OSError), run.crash
    if existing:
        assert target.read_bytes() == SENTINEL
    else:
        assert not target.exists()
    assert temporary_files(target.parent) == []
    after = tree_digest(repo.root)
    if target.is_relative_to(repo.root):
        after.pop(target.relative_to(repo.root).as_posix(), None)
        before.pop(target.relative_to(repo.root).as_posix(), None)
        after.pop(target.parent.relative_to(repo.root).as_posix(), None)
        before.pop(target.parent.relative_to(repo.root).as_posix(), None)
    assert after == before


@pytest.mark.parametrize("writer", [pytest.param(w, id=w.id) for w in WRITERS])
def test_failed_write_is_a_message_not_a_traceback(
    writer: Writer, repo: GovernanceRepo, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills up while the file is written gives a one-line error and exit 2."""
    writer.needs(repo, out)
    with failing(monkeypatch, os, ("fsync",), Injection(DISK_FULL)) as injection:
        run = invoke(writer.args(repo, out))
    assert injection.fired
    run.assert_clean_exit((2,))
    assert "No space left on device" in run.output or "cannot write" in run.output


@pytest.mark.parametrize("raised", [pytest.param(DISK_FULL, id="disk-full"),
                                    pytest.param(KeyboardInterrupt, id="ctrl-c")])
def test_interrupted_init_leaves_no_folder_behind(
    raised: BaseException, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``init`` stopped after a dozen files leaves neither the new repository nor its staging folder."""
    target = tmp_path / "governance"
    with failing(monkeypatch, Path, ("write_text",), Injection(raised, after=12)) as injection:
        run = invoke(["init", str(target), "--lead-email", "lead@example.org", "--lead-name", "Lead"])
    assert injection.fired
    assert run.crash is None or isinstance(raised, OSError), run.crash
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "xdg-cache") == []


def test_evidence_pack_killed_mid_write_never_leaves_a_partial_pack(repo: GovernanceRepo, out: Path) -> None:
    """``evidence-pack`` killed by SIGKILL while writing: the pack is absent or whole, never partial."""
    target = out / "pack.zip"
    script = (
        "import os, signal, sys\n"
        "real_fsync = os.fsync\n"
        "def fsync_then_die(fd):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.fsync = fsync_then_die\n"
        "from rai_graph.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script, "evidence-pack", "--repo", str(repo.root), "--as-of", AS_OF,
         "--system", DEFAULT_SYSTEM, "--no-pdf", "-o", str(target)],
        env={**os.environ, "PYTHONPATH": str(SRC)}, capture_output=True, timeout=120, check=False)
    assert completed.returncode == -signal.SIGKILL, completed.stderr
    if target.exists():  # pragma: no cover - only if the file was published before the kill
        with zipfile.ZipFile(target) as archive:
            assert archive.testzip() is None
    else:
        assert not target.exists()


# --- nothing is modified in place -------------------------------------------------------------------


@pytest.fixture
def committed_repo(repo: GovernanceRepo) -> GovernanceRepo:
    """The repository under git, with an uncommitted change for ``diff`` to report."""
    init(repo.root)
    commit_all(repo.root, "base")
    repo.add_evidence("draft", artifact_bytes=b"# Draft\n")
    return repo


def _every_command(root: Path, out: Path) -> list[list[str]]:
    repo = ["--repo", str(root), "--as-of", AS_OF]
    _questions(GovernanceRepo(root), out)
    commands: list[list[str]] = [
        *(["check", *repo, "--format", f, "--output", str(out / f"check.{f}"), "--summary", str(out / "s.md")]
          for f in ("text", "json", "sarif", "junit", "github")),
        *(["status", *repo, "--format", f] for f in ("text", "json", "markdown")),
        *(["diff", "HEAD", *repo, "--format", f] for f in ("markdown", "json", "text")),
        *(["report", *repo, "--framework", "test-fw", "--format", f, "-o", str(out / f"report.{f}")]
          for f in ("markdown", "html", "json", "pdf")),
        ["evidence-pack", *repo, "--system", DEFAULT_SYSTEM, "-o", str(out / "pack.zip")],
        ["evidence-pack", "verify", str(out / "pack.zip")],
        ["questionnaire", "answer", str(out / "questions.csv"), *repo, "--system", DEFAULT_SYSTEM,
         "--audience", "customer", "-o", str(out / "answers.csv")],
        ["questionnaire", "learn", str(out / "answers.csv"), *repo, "-o", str(out / "learned.ttl")],
        ["kpis", *repo],
        ["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "--repo", str(root)],
        *(["export", "--repo", str(root), "--format", f] for f in ("turtle", "nt", "nquads", "jsonld", "oscal")),
        ["shapes", "export", "--repo", str(root)],
        ["site", "build", *repo, "-o", str(out / "site"), "--source-dir", str(out / "site-src")],
        ["new", "system", "--repo", str(root), "--id", "chatbot", "--title", "Chatbot", "--tier",
         "LimitedRisk", "--purpose", "Answers.", "--owner", "bob", "--dry-run"],
        ["new", "evidence", "--repo", str(root), "--system", DEFAULT_SYSTEM, "--control", "TC-01",
         "--artifact", str(root / SYSTEM_DIR / "risk.md"), "--author", "bob", "--date", "2026-05-01",
         "--id", "risk-2", "--dry-run"],
        ["new", "approval", "--repo", str(root), "--evidence", "draft", "--by", "alice", "--date",
         "2026-05-01", "--dry-run"],
        ["new", "waiver", "--repo", str(root), "--system", DEFAULT_SYSTEM, "--control", "TC-01",
         "--rationale", "Manual review.", "--approved-by", "alice", "--role", "RAILead", "--dry-run"],
    ]
    return commands


def test_no_command_modifies_the_repository(committed_repo: GovernanceRepo, out: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command (``new`` with --dry-run), with the cache on, leaves every file of the
    repository byte-identical; only ``.rai-graph-cache/`` may appear."""
    monkeypatch.setenv("RAI_GRAPH_NO_CACHE", "0")
    root = committed_repo.root
    before = tree_digest(root)
    for args in _every_command(root, out):
        # learn exits 2: the fresh answers hold no reviewed row. The outputs are checked below.
        invoke(args).assert_clean_exit((0, 1, 2) if "learn" in args else (0, 1))
    assert tree_digest(root) == before
    for made in ("check.sarif", "report.pdf", "pack.zip", "answers.csv", "site/index.html"):
        assert (out / made).is_file(), made


@pytest.mark.parametrize("writer", [pytest.param(w, id=w.id) for w in WRITERS if w.id.startswith("new-")])
def test_new_only_adds_its_own_file(writer: Writer, repo: GovernanceRepo, out: Path) -> None:
    """``new`` adds exactly one file (and its folder) and changes no existing file."""
    before = tree_digest(repo.root)
    invoke(writer.args(repo, out)).assert_clean_exit((0,))
    after = tree_digest(repo.root)
    added = sorted(set(after) - set(before))
    target = writer.target(repo, out).relative_to(repo.root).as_posix()
    assert added in ([target], [target.rsplit("/", 1)[0], target])
    assert {path: after[path] for path in before} == before
