"""Output targets are respected (issue #15, property 5).

Every command with ``-o/--output`` is found in the ``rai-graph`` command tree, so a new one is
covered (or this file fails until it says how to run it). Whatever ``-o`` names, the command
never swaps it for a regular file, and never writes outside it:

* a symbolic link (to a file, or dangling) is refused with a message naming it, and stays the
  same link; the file it points to is untouched, a dangling link's target is never created;
* a FIFO, or a terminal (a pty this test opens: the stand-in for ``/dev/null`` and
  ``/dev/stdout``, which no test ever opens), is written into and stays what it was;
* a folder where a file belongs is refused; a command that fills a folder refuses a symbolic
  link, a FIFO or a file in its place.
"""

from __future__ import annotations

import csv
import os
import select
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from hostile.harness import Run, invoke, invoke_in_subprocess
from rai_graph.cli import main

from git_helpers import commit_all, init
from repo_builder import DEFAULT_SYSTEM, GovernanceRepo

pytestmark = pytest.mark.slow  # dozens of full pipeline runs

AS_OF = "2026-06-01"
QUESTIONS = ('Ref,Question\nQ1,"Has a risk assessment of the system been performed and approved?"\n'
             'Q2,"Are decisions logged with an audit trail?"\n')


@dataclass(frozen=True)
class Target:
    """How to run one command so that it writes to ``-o OUTPUT``, and what it writes there."""

    args: Callable[[Path, Path], list[str]]  # (repository, output) -> arguments
    folder: bool = False
    serves: bool = False  # blocks once built: run in a subprocess, refusal cases only


def _repo(root: Path) -> list[str]:
    return ["--repo", str(root), "--as-of", AS_OF]


TARGETS: dict[str, Target] = {
    "check": Target(lambda r, o: ["check", *_repo(r), "--format", "json", "-o", str(o)]),
    "status": Target(lambda r, o: ["status", *_repo(r), "--format", "json", "-o", str(o)]),
    "diff": Target(lambda r, o: ["diff", "HEAD", *_repo(r), "--format", "json", "-o", str(o)]),
    "export": Target(lambda r, o: ["export", "--repo", str(r), "--format", "nt", "-o", str(o)]),
    "kpis": Target(lambda r, o: ["kpis", *_repo(r), "-o", str(o)]),
    "query": Target(lambda r, o: ["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "--repo", str(r),
                                  "-o", str(o)]),
    "report": Target(lambda r, o: ["report", *_repo(r), "--framework", "test-fw", "--format", "json",
                                   "-o", str(o)]),
    "soa": Target(lambda r, o: ["soa", *_repo(r), "--framework", "test-fw", "--format", "xlsx",
                                "-o", str(o)]),
    "timeline": Target(lambda r, o: ["timeline", *_repo(r), "-o", str(o)]),
    "shapes export": Target(lambda r, o: ["shapes", "export", "--repo", str(r), "-o", str(o)]),
    "questionnaire answer": Target(lambda r, o: [
        "questionnaire", "answer", str(r.parent / "questions.csv"), *_repo(r), "--system", DEFAULT_SYSTEM,
        "--audience", "customer", "-o", str(o)]),
    "questionnaire learn": Target(lambda r, o: [
        "questionnaire", "learn", str(r.parent / "answered.csv"), *_repo(r), "--reviewer",
        "Alice <alice@example.org>", "-o", str(o)]),
    "site build": Target(lambda r, o: ["site", "build", *_repo(r), "-o", str(o), "--source-dir",
                                       str(r.parent / "site-src")], folder=True),
    "site serve": Target(lambda r, o: ["site", "serve", *_repo(r), "-o", str(o), "--port", "0"],
                         folder=True, serves=True),
    "demo generate": Target(lambda r, o: ["demo", "generate", "--systems", "1", "-o", str(o)], folder=True),
    "demo history": Target(lambda r, o: ["demo", "history", "--repo", str(r), "-o", str(o)], folder=True),
}


def commands_with_output() -> set[str]:
    """Every command of the ``rai-graph`` tree that takes ``-o/--output``."""
    found: set[str] = set()
    context = click.Context(main)

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(command, click.Group):
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                assert sub is not None
                walk(sub, (*path, name))
        elif any(isinstance(p, click.Option) and "--output" in p.opts for p in command.params):
            found.add(" ".join(path))

    walk(main, ())
    return found


def test_every_command_with_an_output_is_covered() -> None:
    """A command given ``-o`` later is checked here too: the table must name it."""
    assert commands_with_output() == set(TARGETS)


FILE_COMMANDS = sorted(name for name, target in TARGETS.items() if not target.folder)
FOLDER_COMMANDS = sorted(name for name, target in TARGETS.items() if target.folder)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One committed repository (so ``diff HEAD`` and ``demo history`` have a history)."""
    base = tmp_path_factory.mktemp("targets")
    repo = GovernanceRepo(base / "repo").with_base()
    repo.add_system()
    repo.add_approved_evidence("risk")
    init(repo.root)
    commit_all(repo.root, "base")
    (base / "questions.csv").write_text(QUESTIONS, encoding="utf-8")
    answered = base / "answered.csv"
    invoke(TARGETS["questionnaire answer"].args(repo.root, answered)).assert_clean_exit((0,))
    with answered.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    rows[0]["review"] = "TC-01"  # one reviewed row (its control), so learn writes a file
    with answered.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return repo.root


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-targets"))


def run(name: str, root: Path, output: Path) -> Run:
    target = TARGETS[name]
    args = target.args(root, output)
    if target.serves:
        # A refused target never reaches the server; a hang guard, should it ever serve.
        return invoke_in_subprocess([(args, {})], timeout=300)[0]
    return invoke(args)


def snapshot(path: Path) -> tuple[int, str | None]:
    """What ``path`` is (its lstat type bits) and, for a link, where it points."""
    mode = os.lstat(path).st_mode
    return stat.S_IFMT(mode), os.readlink(path) if stat.S_ISLNK(mode) else None


def assert_refused(run: Run, output: Path) -> None:
    run.assert_clean_exit((2,))
    assert str(output) in run.output, run.output


# --- file outputs --------------------------------------------------------------------------------


def ending(name: str) -> str:
    return ".csv" if name == "questionnaire answer" else ".out"


@pytest.mark.parametrize("name", FILE_COMMANDS)
def test_a_link_to_a_file_is_refused_and_both_stay(name: str, root: Path, tmp_path: Path) -> None:
    """``-o link`` where link -> someone's file: refused by name; the link and the file are unchanged."""
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious\n")
    link = tmp_path / f"link{ending(name)}"
    link.symlink_to(victim)
    for extra in ([], ["--force"]):
        outcome = invoke([*TARGETS[name].args(root, link), *extra])
        assert_refused(outcome, link)
        assert snapshot(link) == (stat.S_IFLNK, str(victim))
        assert victim.read_bytes() == b"precious\n"


@pytest.mark.parametrize("name", FILE_COMMANDS)
def test_a_dangling_link_is_refused_and_its_target_never_created(name: str, root: Path, tmp_path: Path) -> None:
    """A dangling link would let ``-o`` create a file wherever the link points: refused."""
    elsewhere = tmp_path / "elsewhere" / "planted.txt"
    elsewhere.parent.mkdir()
    link = tmp_path / f"dangling{ending(name)}"
    link.symlink_to(elsewhere)
    outcome = invoke([*TARGETS[name].args(root, link), "--force"])
    assert_refused(outcome, link)
    assert snapshot(link) == (stat.S_IFLNK, str(elsewhere))
    assert not os.path.lexists(elsewhere)


@pytest.mark.parametrize("name", FILE_COMMANDS)
def test_a_folder_named_as_the_output_file_is_refused(name: str, root: Path, tmp_path: Path) -> None:
    """``-o some-folder`` for a file output: a message, the folder and its content untouched."""
    folder = tmp_path / f"folder{ending(name)}"
    folder.mkdir()
    (folder / "kept.txt").write_text("kept\n", encoding="utf-8")
    outcome = invoke([*TARGETS[name].args(root, folder), "--force"])
    outcome.assert_clean_exit((2,))
    assert sorted(p.name for p in folder.iterdir()) == ["kept.txt"]


@contextmanager
def drained(fd: int) -> Iterator[list[bytes]]:
    """Read ``fd`` in a thread while the block runs (a pipe or terminal blocks when full)."""
    chunks: list[bytes] = []
    done = threading.Event()

    def drain() -> None:
        while True:
            # Read ``done`` before waiting: whatever was written before it was set is then
            # readable by the time the wait times out, so the last bytes are never left behind.
            finished = done.is_set()
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 1 << 16)
                except OSError:  # a terminal whose writer closed
                    return
                chunks.append(chunk)
            elif finished:
                return

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        yield chunks
    finally:
        done.set()
        reader.join(timeout=60)


@pytest.mark.parametrize("name", FILE_COMMANDS)
def test_a_fifo_is_written_into_and_stays_a_fifo(name: str, root: Path, tmp_path: Path) -> None:
    """``-o fifo`` (as ``-o >(gzip > x)`` gives): the output flows through it; it is never replaced."""
    fifo = tmp_path / f"pipe{ending(name)}"
    os.mkfifo(fifo)
    # Read and write ends held by the reader: the command's open never blocks, whatever it does.
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    try:
        with drained(fd) as chunks:
            outcome = invoke([*TARGETS[name].args(root, fifo), "--force"])
    finally:
        os.close(fd)
    outcome.assert_clean_exit((0, 1))
    assert b"".join(chunks), f"{name} wrote nothing into the FIFO"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("name", FILE_COMMANDS)
def test_a_terminal_device_is_written_into_and_stays_a_device(name: str, root: Path) -> None:
    """A character device (a pty this test owns, standing in for /dev/null or /dev/stdout) is
    written into or refused with a message, and stays a character device either way."""
    controller, terminal = os.openpty()
    device = Path(os.ttyname(terminal))
    try:
        with drained(controller) as chunks:
            outcome = invoke([*TARGETS[name].args(root, device), "--force"])
        assert stat.S_ISCHR(os.lstat(device).st_mode)  # a pty's node lives while it is open
    finally:
        os.close(terminal)
        os.close(controller)
    if outcome.exit_code == 2:  # questionnaire answer needs a .csv or .xlsx name
        assert str(device) in outcome.output
    else:
        outcome.assert_clean_exit((0, 1))
        assert b"".join(chunks), f"{name} wrote nothing to the terminal"


# --- folder outputs ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FOLDER_COMMANDS)
def test_a_link_to_a_folder_is_never_written_through(name: str, root: Path, tmp_path: Path) -> None:
    """``-o link`` where link -> a folder (even one a previous build wrote): refused; nothing
    appears in, or disappears from, the folder it points to."""
    real = tmp_path / "real"
    real.mkdir()
    (real / ".rai-graph-site").write_text("built by rai-graph\n", encoding="utf-8")
    (real / "kept.txt").write_text("kept\n", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(real)
    outcome = run(name, root, link)
    assert_refused(outcome, link)
    assert snapshot(link) == (stat.S_IFLNK, str(real))
    assert sorted(p.name for p in real.iterdir()) == [".rai-graph-site", "kept.txt"]


@pytest.mark.parametrize("name", FOLDER_COMMANDS)
def test_a_dangling_link_is_refused_for_a_folder(name: str, root: Path, tmp_path: Path) -> None:
    """A dangling link in place of the folder: refused, and its target never created."""
    elsewhere = tmp_path / "elsewhere"
    link = tmp_path / "link"
    link.symlink_to(elsewhere)
    outcome = run(name, root, link)
    assert_refused(outcome, link)
    assert not os.path.lexists(elsewhere)


@pytest.mark.parametrize("kind", ["fifo", "file"])
@pytest.mark.parametrize("name", FOLDER_COMMANDS)
def test_a_fifo_or_file_in_place_of_the_folder_is_refused(name: str, kind: str, root: Path,
                                                          tmp_path: Path) -> None:
    """A FIFO or a regular file where the folder goes: refused, and left as it was."""
    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.write_bytes(b"not a folder\n")
    before = snapshot(target)
    outcome = run(name, root, target)
    assert_refused(outcome, target)
    assert snapshot(target) == before
    if kind == "file":
        assert target.read_bytes() == b"not a folder\n"


def test_the_site_source_folder_is_never_a_link(root: Path, tmp_path: Path) -> None:
    """``--source-dir`` is emptied before each build: a link to a folder is refused, not emptied."""
    real = tmp_path / "real-src"
    real.mkdir()
    (real / ".rai-graph-site-src").write_text("generated\n", encoding="utf-8")
    (real / "kept.md").write_text("kept\n", encoding="utf-8")
    link = tmp_path / "src-link"
    link.symlink_to(real)
    outcome = invoke(["site", "build", *_repo(root), "-o", str(tmp_path / "site"), "--source-dir", str(link)])
    assert_refused(outcome, link)
    assert sorted(p.name for p in real.iterdir()) == [".rai-graph-site-src", "kept.md"]
