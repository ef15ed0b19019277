"""Fixtures for the black-box suite: fixture governance repositories and a CLI runner.

The suite drives ``rai_graph.cli.main`` only, through ``click.testing.CliRunner``, and reads
the JSON documented in ``cli.md``. :class:`Outcome` wraps one invocation with small lookups
(a system, a control's status, the findings for a control) so the tests read like the spec.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import stat
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from rai_graph.cli import main

from home_guard import REAL_HOME, written_in
from repo_builder import DEFAULT_SYSTEM, GovernanceRepo, ex

AS_OF = "2026-06-01"


class Outcome:
    """One CLI invocation and lookups into its JSON output."""

    def __init__(self, args: Sequence[str], result: Result) -> None:
        self.args = list(args)
        self.result = result

    @property
    def exit_code(self) -> int:
        return self.result.exit_code

    @property
    def output(self) -> str:
        """Everything printed (stdout and stderr, as a terminal would show it)."""
        return self.result.output

    @property
    def data(self) -> dict[str, Any]:
        """The JSON object printed on stdout."""
        try:
            parsed = json.loads(self.result.stdout)
        except json.JSONDecodeError as error:
            raise AssertionError(
                f"stdout of {self.args} is not JSON ({error}):\n{self.result.output}"
            ) from error
        assert isinstance(parsed, dict), parsed
        return parsed

    # -- status --format json ----------------------------------------------------------------

    def system(self, name: str = DEFAULT_SYSTEM) -> dict[str, Any]:
        """The ``systems[]`` entry whose ``name`` (folder) is ``name``."""
        matches = [s for s in self.data["systems"] if s["name"] == name]
        assert len(matches) == 1, f"system {name!r} in {[s['name'] for s in self.data['systems']]}"
        return matches[0]

    def control(self, control: str, system: str = DEFAULT_SYSTEM) -> dict[str, Any] | None:
        """The entry of control ``ex:<control>`` in a system's ``controls``, or None."""
        matches = [c for c in self.system(system)["controls"] if c["control"] == ex(control)]
        assert len(matches) <= 1, matches
        return matches[0] if matches else None

    def status_of(self, control: str, system: str = DEFAULT_SYSTEM) -> str:
        """The status word of (system, ``ex:<control>``); fails if the pair is not listed."""
        entry = self.control(control, system)
        assert entry is not None, f"{control} not listed for {system}: {self.system(system)}"
        return str(entry["status"])

    def org_control(self, control: str) -> dict[str, Any] | None:
        """The entry of control ``ex:<control>`` in ``organisation.controls``, or None."""
        matches = [c for c in self.data["organisation"]["controls"] if c["control"] == ex(control)]
        assert len(matches) <= 1, matches
        return matches[0] if matches else None

    def requirement(self, iri: str, system: str = DEFAULT_SYSTEM) -> dict[str, Any] | None:
        """The entry of requirement ``iri`` in a system's ``requirements``, or None."""
        matches = [r for r in self.system(system)["requirements"] if r["requirement"] == iri]
        assert len(matches) <= 1, matches
        return matches[0] if matches else None

    # -- check --format json / errors --------------------------------------------------------

    def findings_for(self, control: str) -> list[dict[str, Any]]:
        """Findings of ``check`` about control ``ex:<control>``."""
        return [f for f in self.data["findings"] if f["control"] == ex(control)]

    def errors_of(self, kind: str) -> list[dict[str, Any]]:
        """Errors of the given kind (both ``check`` and ``status`` report ``errors``)."""
        return [e for e in self.data["errors"] if e["kind"] == kind]


class Cli:
    """Runs ``rai-graph`` commands in-process."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def invoke(self, args: Sequence[str], *, expect_crash_free: bool = False) -> Outcome:
        """Run ``main`` with ``args``.

        On happy paths exceptions propagate (``catch_exceptions=False``) so a crash shows its
        traceback; with ``expect_crash_free`` (error cases) they are caught and the test fails
        unless the command ended normally or by ``SystemExit``, and printed no traceback.
        """
        result = self.runner.invoke(main, list(args), catch_exceptions=expect_crash_free)
        if expect_crash_free:
            assert_no_traceback(result)
        return Outcome(args, result)

    def check(
        self,
        repo: GovernanceRepo | Path,
        *extra: str,
        as_of: str = AS_OF,
        fmt: str = "json",
        expect_crash_free: bool = False,
    ) -> Outcome:
        """``check --repo REPO --as-of AS_OF --format FMT EXTRA...``."""
        return self._run("check", repo, extra, as_of, fmt, expect_crash_free)

    def status(
        self,
        repo: GovernanceRepo | Path,
        *extra: str,
        as_of: str = AS_OF,
        fmt: str = "json",
        expect_crash_free: bool = False,
    ) -> Outcome:
        """``status --repo REPO --as-of AS_OF --format FMT EXTRA...``."""
        return self._run("status", repo, extra, as_of, fmt, expect_crash_free)

    def _run(
        self,
        command: str,
        repo: GovernanceRepo | Path,
        extra: Sequence[str],
        as_of: str,
        fmt: str,
        expect_crash_free: bool,
    ) -> Outcome:
        root = repo.root if isinstance(repo, GovernanceRepo) else repo
        args = [command, "--repo", str(root), "--as-of", as_of, "--format", fmt, *extra]
        return self.invoke(args, expect_crash_free=expect_crash_free)


def assert_no_traceback(result: Result) -> None:
    """The command did not crash: no exception other than SystemExit, no traceback printed."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        details = "".join(traceback.format_exception(*result.exc_info))
        raise AssertionError(f"command raised instead of reporting:\n{details}")
    assert "Traceback (most recent call last)" not in result.output, result.output


_THROWAWAY_HOME: Path | None = None
_STARTED = time.time()


def pytest_configure(config: pytest.Config) -> None:
    """Tests never touch the home directory or the real git config: each test process (xdist
    workers too) gets a throwaway HOME and XDG folders before any test runs, so git, Chromium and
    rai-graph's cache secret (``$XDG_CACHE_HOME/rai-graph``) all land there."""
    global _THROWAWAY_HOME
    _THROWAWAY_HOME = Path(tempfile.mkdtemp(prefix="rai-graph-test-home-"))
    for name, folder in (("HOME", ""), ("XDG_CACHE_HOME", ".cache"), ("XDG_CONFIG_HOME", ".config"),
                         ("XDG_DATA_HOME", ".local/share")):
        os.environ[name] = str(_THROWAWAY_HOME / folder)
    os.environ.pop("GIT_CONFIG_GLOBAL", None)
    # One cache secret for the whole session: xdist workers inherit the controller's, so packs one
    # process writes in a shared checkout's cache are not "someone else's" to the next.
    os.environ.setdefault("RAI_GRAPH_CACHE_SECRET", secrets.token_hex(16))


def pytest_unconfigure(config: pytest.Config) -> None:
    if _THROWAWAY_HOME is not None:
        shutil.rmtree(_THROWAWAY_HOME, ignore_errors=True)


@pytest.fixture
def own_cache_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache on, signed with a secret of this test's own (its own XDG cache folder), whatever
    the session or the developer's shell set: for tests of the cache itself."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    for name in ("RAI_GRAPH_NO_CACHE", "RAI_GRAPH_CACHE_DIR", "RAI_GRAPH_CACHE_SECRET"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session", autouse=True)
def real_home_stays_untouched() -> Any:
    """Checked once the last test of the process is done: nothing under the real home's tool
    folders changed since the suite started."""
    yield
    # Only what rai-graph and git would write: other programs (a browser someone runs meanwhile)
    # may write into their own folders of the real home while the suite runs.
    changed = [path for path in written_in(REAL_HOME, _STARTED, os.getuid())
               if "/.cache/rai-graph/" in path or path.endswith(("/.gitconfig", "/.config/git/config"))]
    assert not changed, f"the suite wrote into the real home: {changed[:5]}"


@pytest.fixture(scope="session", autouse=True)
def dev_null_stays_a_device() -> Any:
    """No command run by the suite replaced /dev/null with a regular file (the suite may run as
    root, who could): checked once the last test is done, never by opening it."""
    yield
    mode = os.stat(os.devnull).st_mode
    assert stat.S_ISCHR(mode), f"{os.devnull} is no longer a character device (mode {mode:o})"


@pytest.fixture
def cli() -> Cli:
    """A runner for ``rai-graph`` commands."""
    return Cli()


@pytest.fixture
def base_repo(tmp_path: Path) -> GovernanceRepo:
    """Framework, roles, people and control CTRL-1; no system yet."""
    return GovernanceRepo(tmp_path / "repo").with_base()


@pytest.fixture
def repo(base_repo: GovernanceRepo) -> GovernanceRepo:
    """The base plus the high-risk provider system ``credit-scoring`` (ex:CreditScoring)."""
    base_repo.add_system()
    return base_repo
