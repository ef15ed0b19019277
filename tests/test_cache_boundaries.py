"""The cache cannot be turned into a weapon (issue #15, property 4).

``.rai-graph-cache/`` sits in a repository anyone may commit to, so whatever is found there may
have been planted: a link in place of the folder, of a pack or of its ``.gitignore`` (pointing
at a file of the user's, or at a FIFO that would hang a reader), a plain file, a folder another
user owns or git tracks. rai-graph never writes through a link or outside the folder, ignores
such a cache with one warning on the command's standard error, and still gives the right
answer. The signing secret in ``$XDG_CACHE_HOME/rai-graph/`` is held to the same rule: a secret
someone else placed or can read would let them forge packs.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hostile.harness import invoke_in_subprocess, tree_digest
from rai_graph.cli import main
from rai_graph.load.cache import CACHE_FOLDER, Cache

from git_helpers import git, init
from repo_builder import GovernanceRepo

AS_OF = "2026-06-01"
PRECIOUS = b"the user's own file, never to be written\n"


pytestmark = pytest.mark.usefixtures("own_cache_secret")


@pytest.fixture
def repo(tmp_path: Path) -> GovernanceRepo:
    repo = GovernanceRepo(tmp_path / "repo").with_base()
    repo.add_system()
    repo.add_approved_evidence("risk")
    return repo


def check(root: Path) -> Result:
    return CliRunner().invoke(main, ["check", "--repo", str(root), "--as-of", AS_OF, "--format", "json"],
                              catch_exceptions=False)


def reference(root: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as patch:
        patch.setenv("RAI_GRAPH_NO_CACHE", "1")
        return check(root).stdout


def warnings_in(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("rai-graph: warning:")]


def assert_ignored_once(result: Result, needle: str) -> None:
    """Exactly one warning, naming the cache folder and why; stdout stays clean JSON."""
    found = warnings_in(result)
    assert len(found) == 1, result.stderr
    assert needle in found[0], found
    assert CACHE_FOLDER in found[0] or "rai-graph" in found[0]
    assert not result.stdout.startswith("rai-graph:")


def outside(tmp_path: Path) -> Path:
    """A folder of the user's, next to the repository, holding one precious file."""
    folder = tmp_path / "home-of-user"
    folder.mkdir(exist_ok=True)
    (folder / "notes.txt").write_bytes(PRECIOUS)
    return folder


# --- the folder itself ---------------------------------------------------------------------------


@pytest.mark.parametrize("points_at", ["folder", "file", "nowhere"])
def test_a_link_in_place_of_the_cache_folder_is_never_followed(
    points_at: str, repo: GovernanceRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``.rai-graph-cache`` -> a folder, a file or nothing: nothing is written where it points,
    the link stays, one warning says why, and the verdicts are those of a run without cache."""
    home = outside(tmp_path)
    target = {"folder": home, "file": home / "notes.txt", "nowhere": home / "planted"}[points_at]
    link = repo.root / CACHE_FOLDER
    link.symlink_to(target)
    before = tree_digest(home)
    result = check(repo.root)
    assert result.exit_code in (0, 1), result.output
    assert_ignored_once(result, "symbolic link")
    assert tree_digest(home) == before
    assert os.readlink(link) == str(target)
    assert result.stdout == reference(repo.root, monkeypatch)


def test_a_file_in_place_of_the_cache_folder_is_left_alone(
    repo: GovernanceRepo, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A regular file named ``.rai-graph-cache``: untouched, one warning, right answer."""
    planted = repo.write_bytes(CACHE_FOLDER, PRECIOUS)
    result = check(repo.root)
    assert_ignored_once(result, "not a folder")
    assert planted.read_bytes() == PRECIOUS
    assert result.stdout == reference(repo.root, monkeypatch)


def test_a_fifo_in_place_of_the_cache_folder_does_not_hang(repo: GovernanceRepo, tmp_path: Path) -> None:
    """A FIFO named ``.rai-graph-cache`` is never opened for reading (that would block forever)."""
    os.mkfifo(repo.root / CACHE_FOLDER)
    runs = invoke_in_subprocess([(["check", "--repo", str(repo.root), "--as-of", AS_OF, "--format", "json"],
                                  {"XDG_CACHE_HOME": str(tmp_path / "xdg")})], timeout=300)
    runs[0].assert_clean_exit((0, 1))
    assert "not a folder" in runs[0].output
    assert stat.S_ISFIFO(os.lstat(repo.root / CACHE_FOLDER).st_mode)


# --- what the folder holds -----------------------------------------------------------------------


@pytest.mark.parametrize("planted", ["parse.pack", "shacl.pack", "model.pack", ".gitignore", "CACHEDIR.TAG"])
def test_a_link_inside_the_cache_folder_is_never_followed(
    planted: str, repo: GovernanceRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pack or the ``.gitignore`` replaced by a link to the user's file (a write through it
    would overwrite the file, a read would load it): the file is unchanged and the link stays."""
    check(repo.root)  # a genuine cache first
    home = outside(tmp_path)
    link = repo.root / CACHE_FOLDER / planted
    link.unlink(missing_ok=True)
    link.symlink_to(home / "notes.txt")
    result = check(repo.root)
    assert_ignored_once(result, "symbolic link")
    assert (home / "notes.txt").read_bytes() == PRECIOUS
    assert link.is_symlink()
    assert result.stdout == reference(repo.root, monkeypatch)


def test_a_fifo_planted_as_a_pack_does_not_hang(repo: GovernanceRepo, tmp_path: Path) -> None:
    """A reader opening a FIFO named ``parse.pack`` would wait forever for a writer."""
    folder = repo.root / CACHE_FOLDER
    folder.mkdir()
    os.mkfifo(folder / "parse.pack")
    runs = invoke_in_subprocess([(["check", "--repo", str(repo.root), "--as-of", AS_OF, "--format", "json"],
                                  {"XDG_CACHE_HOME": str(tmp_path / "xdg")})], timeout=300)
    runs[0].assert_clean_exit((0, 1))
    assert "parse.pack" in runs[0].output


def test_a_committed_cache_is_ignored_with_a_warning(repo: GovernanceRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files of ``.rai-graph-cache/`` tracked by git (``git add -f``, or a clone of a repository
    that committed them) are never read nor rewritten: one warning names git."""
    init(repo.root)
    check(repo.root)
    folder = repo.root / CACHE_FOLDER
    git(repo.root, "add", "--all")
    git(repo.root, "add", "--force", CACHE_FOLDER)
    git(repo.root, "commit", "--quiet", "-m", "a cache committed by mistake")
    packs = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert any(name.endswith(".pack") for name in packs)
    repo.add_approved_evidence("second")  # work the cache would store
    result = check(repo.root)
    assert_ignored_once(result, "git")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == packs
    assert result.stdout == reference(repo.root, monkeypatch)


@pytest.mark.skipif(os.geteuid() != 0, reason="handing a folder to another user needs root")
def test_a_cache_folder_of_another_user_is_ignored(repo: GovernanceRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder owned by someone else (a shared checkout): neither read nor written."""
    check(repo.root)
    folder = repo.root / CACHE_FOLDER
    for path in (folder, *folder.iterdir()):
        os.chown(path, 4242, 4242, follow_symlinks=False)
    packs = {p.name: p.read_bytes() for p in folder.iterdir()}
    repo.add_approved_evidence("second")
    result = check(repo.root)
    assert_ignored_once(result, "another user")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == packs
    assert result.stdout == reference(repo.root, monkeypatch)


def test_a_world_writable_cache_folder_is_ignored(repo: GovernanceRepo) -> None:
    """Anyone may plant files in a folder writable by everyone: not used."""
    folder = repo.root / CACHE_FOLDER
    folder.mkdir()
    folder.chmod(0o777)
    result = check(repo.root)
    assert_ignored_once(result, "anyone may write")
    assert sorted(p.name for p in folder.iterdir()) == []


def test_packs_signed_with_another_secret_warn_once_and_are_rebuilt(
    repo: GovernanceRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A foreign cache (another user's secret): one warning however many packs, then ours."""
    check(repo.root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    first = check(repo.root)
    assert_ignored_once(first, "not signed with this user's cache secret")
    assert warnings_in(check(repo.root)) == []  # rebuilt under our own secret


# --- writes --------------------------------------------------------------------------------------


def test_a_folder_swapped_for_a_link_after_opening_is_not_written(repo: GovernanceRepo, tmp_path: Path) -> None:
    """The folder checked, then renamed away and replaced by a link: the write goes nowhere."""
    cache = Cache.for_repository(repo.root)
    assert cache is not None
    home = outside(tmp_path)
    (repo.root / CACHE_FOLDER).rename(tmp_path / "moved-away")
    (repo.root / CACHE_FOLDER).symlink_to(home)
    before = tree_digest(home)
    cache.write("parse", {"key": "value"})
    cache.prune("parse", keep=0)
    assert tree_digest(home) == before
    assert cache.read("parse") == {}


def test_concurrent_writers_leave_one_whole_pack(repo: GovernanceRepo) -> None:
    """Eight writers racing on one pack: the survivor is one writer's entries, whole, and no
    temporary file is left behind."""
    cache = Cache.for_repository(repo.root)
    assert cache is not None
    payloads = [{f"k{i}": f"writer {writer} " * 2000 for i in range(50)} for writer in range(8)]

    def hammer(entries: dict[str, str]) -> None:
        for _ in range(20):
            cache.write("race", entries)
            assert cache.read("race") in payloads

    threads = [threading.Thread(target=hammer, args=(p,)) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert cache.read("race") in payloads
    left = sorted(p.name for p in (repo.root / CACHE_FOLDER).iterdir())
    assert left == [".gitignore", "CACHEDIR.TAG", "race.pack"]


def test_new_files_stay_inside_the_folder_and_private(repo: GovernanceRepo) -> None:
    """Packs are created owner-only, beside the ``.gitignore`` that keeps them out of git."""
    check(repo.root)
    folder = repo.root / CACHE_FOLDER
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    for pack in folder.glob("*.pack"):
        assert stat.S_IMODE(pack.lstat().st_mode) == 0o600, pack


# --- the signing secret --------------------------------------------------------------------------


def test_a_secret_folder_that_is_a_link_is_not_used(
    repo: GovernanceRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``$XDG_CACHE_HOME/rai-graph`` -> a folder holding a secret someone chose: no cache at all
    (a known secret forges packs), one warning, and nothing written into the linked folder."""
    planted = tmp_path / "attacker"
    planted.mkdir()
    (planted / "secret").write_bytes(b"k" * 32)
    os.chmod(planted / "secret", 0o600)
    (tmp_path / "xdg").mkdir()
    (tmp_path / "xdg" / "rai-graph").symlink_to(planted)
    result = check(repo.root)
    assert_ignored_once(result, "symbolic link")
    assert sorted(p.name for p in planted.iterdir()) == ["secret"]
    assert not (repo.root / CACHE_FOLDER).exists()
    assert result.stdout == reference(repo.root, monkeypatch)


@pytest.mark.parametrize("how", ["link", "readable-by-others"])
def test_a_secret_someone_else_could_know_is_not_used(how: str, repo: GovernanceRepo, tmp_path: Path) -> None:
    """The secret file itself a link (to a file someone chose), or readable by others: no cache."""
    folder = tmp_path / "xdg" / "rai-graph"
    folder.mkdir(parents=True, mode=0o700)
    chosen = tmp_path / "chosen-secret"
    chosen.write_bytes(b"k" * 32)
    if how == "link":
        os.chmod(chosen, 0o600)
        (folder / "secret").symlink_to(chosen)
    else:
        (folder / "secret").write_bytes(b"k" * 32)
        os.chmod(folder / "secret", 0o644)
    result = check(repo.root)
    assert_ignored_once(result, "secret")
    assert not (repo.root / CACHE_FOLDER).exists()
    assert chosen.read_bytes() == b"k" * 32
