"""What the working tree lists under a content folder: files, folders and nested repositories.

Nested git repositories (a ``.git`` directory, the ``.git`` file of a submodule or worktree, even
a dangling ``.git`` link) are listed as submodules and never entered; symbolic links are never
followed, one to a folder being listed as a file (the loader reports it).
"""

from __future__ import annotations

import os
from pathlib import Path

from rai_graph.load.trees import WorkTree


def _tree(root: Path) -> None:
    for folder in ("evidence/a/b/c", "evidence/repo/inside", "evidence/worktree", "evidence/dangling",
                   "evidence/empty"):
        (root / folder).mkdir(parents=True)
    for file in ("evidence/a/x.ttl", "evidence/a/b/y.ttl", "evidence/a/b/c/z.md", "evidence/repo/inside/r.ttl",
                 "evidence/worktree/w.ttl", "evidence/dangling/d.ttl", "evidence/top.ttl"):
        (root / file).write_text("# x\n", encoding="utf-8")
    (root / "evidence/repo/.git").mkdir()
    (root / "evidence/worktree/.git").write_text("gitdir: /elsewhere\n", encoding="utf-8")
    os.symlink("/no/such/place", root / "evidence/dangling/.git")
    os.symlink("a", root / "evidence/folder-link")
    os.symlink("a/x.ttl", root / "evidence/file-link.ttl")
    os.symlink("missing.ttl", root / "evidence/broken-link.ttl")


def test_files_folders_and_nested_repositories_are_listed_apart(tmp_path: Path) -> None:
    _tree(tmp_path)
    files, folders, nested = WorkTree(tmp_path).listings_under("evidence")
    assert files == ["evidence/a/b/c/z.md", "evidence/a/b/y.ttl", "evidence/a/x.ttl", "evidence/broken-link.ttl",
                     "evidence/file-link.ttl", "evidence/folder-link", "evidence/top.ttl"]
    assert folders == ["evidence/a", "evidence/a/b", "evidence/a/b/c", "evidence/empty"]
    assert nested == ["evidence/dangling", "evidence/repo", "evidence/worktree"]


def test_a_content_folder_that_is_itself_a_repository_lists_only_itself(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "evidence/.git").mkdir()
    assert WorkTree(tmp_path).listings_under("evidence") == ([], [], ["evidence"])


def test_a_missing_content_folder_lists_nothing(tmp_path: Path) -> None:
    assert WorkTree(tmp_path).listings_under("controls") == ([], [], [])
