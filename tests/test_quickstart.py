"""The README's quick start and every walkthrough, as a new user runs them (issue #20, "done when").

A clean clone of the committed project (``git clone --no-hardlinks`` of HEAD) is worked in by a
normal user — ``nobody`` when the suite runs as root (``setpriv``), else the current user — with
an environment stripped to PATH, HOME (a new empty folder), LANG, the machine's package-index and
CA-bundle settings and a git configuration of the test's own. ``make demo`` builds ``.venv`` and
runs; then every user command of the shell blocks of README.md, evidence/README.md and docs/ runs
through a real shell with the clone's ``.venv/bin`` on PATH (the installed console script, not the
in-process runs of tests/test_walkthroughs.py, which check the promised output line by line).
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from chromium import HOW_TO_GET_IT, MAC_BUNDLES
from home_guard import REAL_HOME, written_in

pytestmark = pytest.mark.slow  # a clean install and the whole demo: minutes, not seconds

PROJECT = Path(__file__).parent.parent
DOCUMENTS = ("README.md", "evidence/README.md", *sorted(f"docs/{p.name}" for p in (PROJECT / "docs").glob("*.md")))
AS_ROOT = os.geteuid() == 0

# Commands of the documents that are not run as written, and why. Each must still be in a document
# (a stale entry fails), so the list cannot silently hide a new command.
NOT_RUN_AS_WRITTEN = {
    # The whole suite inside the suite would take it twice over (and recurse into this test).
    # Instead its plan (`make -n test`) is checked to need no root, and its one step that depends
    # on who runs it, `make browser`, is run for real (see also the test without Chromium below).
    "make test": "make -n test, make browser",
}
# Commands the README's prose gives inline, outside any fence, with the exit code a user gets:
# `learn` before any row was reviewed is a usage error with a clear message, never a traceback.
# Each with the README text it is read from.
INLINE = (("python -m rai_graph.catalogues check", 0, "`... check` proves the committed files are current"),
          ("rai-graph questionnaire learn answered.xlsx", 2, "`rai-graph questionnaire learn answered.xlsx`"))
SHELL_FENCES = ("sh", "shell", "bash", "console")
TRACEBACK = "Traceback (most recent call last)"
# pip prints its own warnings as `WARNING:`/`DEPRECATION:` lines; Python's are `SomethingWarning`
# (setuptools' SetuptoolsDeprecationWarning). rai-graph's own "Warning: N finding(s)" is neither.
INSTALL_WARNING = re.compile(r"^(WARNING|DEPRECATION):|\b[A-Z]\w*Warning\b", flags=re.MULTILINE)


@dataclass(frozen=True)
class Command:
    document: str
    line: str


def user_commands(document: str, markdown: str) -> list[Command]:
    """The commands of the shell fences of ``markdown``: ``sh`` lines (continuations joined,
    comments and promised output ``#   ...`` dropped) and ``$ `` lines of ``console`` fences."""
    found = []
    for fence, body in re.findall(r"^```(\w+)\n(.*?)^```", markdown, flags=re.DOTALL | re.MULTILINE):
        if fence not in SHELL_FENCES:
            continue
        for line in body.replace("\\\n", " ").splitlines():
            if fence == "console":
                line = line[2:] if line.startswith("$ ") else ""
            command = line.split("  #", 1)[0].strip()
            if command and not command.startswith("#"):
                found.append(Command(document, " ".join(command.split())))
    return found


@dataclass
class NormalUser:
    """Runs commands as the unprivileged user in a stripped environment."""

    workspace: Path
    home: Path
    clone: Path
    uid: int
    environment: dict[str, str]

    def run(self, arguments: list[str], *, cwd: Path | None = None, path: str | None = None,
            timeout: int = 600) -> subprocess.CompletedProcess[str]:
        environment = dict(self.environment, PATH=path or self.environment["PATH"])
        drop = [shutil.which("setpriv") or "setpriv", "--reuid", str(self.uid), "--regid",
                str(pwd.getpwuid(self.uid).pw_gid), "--clear-groups"] if AS_ROOT else []
        return subprocess.run([*drop, *arguments], cwd=cwd or self.clone, env=environment,
                              capture_output=True, text=True, timeout=timeout, check=False)


def user_path() -> str:
    """The PATH the normal user gets: ours, less what that user cannot reach (root's own home)."""
    private = str(REAL_HOME) if AS_ROOT else None
    kept = [entry for entry in os.environ.get("PATH", "").split(os.pathsep)
            if entry and os.path.isdir(entry) and not (private and entry.startswith(private + os.sep))]
    return os.pathsep.join(kept)


def passed_through() -> dict[str, str]:
    """The machine's package-index and CA-bundle settings (the only network is to registries,
    possibly through a proxy with its own CA): without them pip or npm cannot install."""
    names = ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_TRUSTED_HOST", "PIP_CERT", "PIP_DEFAULT_TIMEOUT",
             "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS")
    return {name: os.environ[name] for name in names if name in os.environ}


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Path]:
    """A folder the normal user can reach. As root, pytest's own temporary folders are private to
    root (0700), so ``nobody`` gets a new temporary folder of its own, removed afterwards."""
    if not AS_ROOT:
        yield tmp_path
        return
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv (util-linux) to drop to nobody")
    folder = Path(tempfile.mkdtemp(prefix="rai-graph-quickstart-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def normal_user(workspace: Path, clone: Path) -> NormalUser:
    home = workspace / "home"
    home.mkdir()
    gitconfig = workspace / "gitconfig"
    gitconfig.write_text("[user]\n\tname = Sofia Marchetti\n\temail = sofia.marchetti@example.com\n",
                         encoding="utf-8")
    uid = pwd.getpwnam("nobody").pw_uid if AS_ROOT else os.getuid()
    if AS_ROOT:
        gid = pwd.getpwuid(uid).pw_gid
        os.chown(workspace, uid, gid)
        for folder, subfolders, files in os.walk(workspace):
            for name in subfolders + files:
                os.chown(os.path.join(folder, name), uid, gid, follow_symlinks=False)
    environment = {"PATH": user_path(), "HOME": str(home), "LANG": os.environ.get("LANG", "C.UTF-8"),
                   "GIT_CONFIG_GLOBAL": str(gitconfig), "GIT_CONFIG_NOSYSTEM": "1",
                   "PIP_CACHE_DIR": str(workspace / "pip-cache"), **passed_through()}
    return NormalUser(workspace, home, clone, uid, environment)


def clean_clone(target: Path) -> Path:
    """A clone of the committed HEAD, with ``origin/main`` (the README's pull-request base) when the
    project was itself checked out without one (a detached CI checkout)."""
    environment = {"PATH": os.environ.get("PATH", ""), "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(PROJECT), str(target)],
                   env=environment, check=True, capture_output=True)
    has_main = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "refs/remotes/origin/main"],
                              cwd=target, env=environment, capture_output=True, check=False)
    if has_main.returncode != 0:
        subprocess.run(["git", "update-ref", "refs/remotes/origin/main", "HEAD"], cwd=target, env=environment,
                       check=True)
    return target


def listed_outputs(stdout: str) -> list[str]:
    """The outputs ``make demo`` says it wrote, from its closing "Outputs in build/demo/:" list
    (first column; ``a.html / .pdf`` is two files)."""
    names: list[str] = []
    for line in stdout.split("Outputs in build/demo/:", 1)[1].splitlines():
        first_column = re.split(r"\s{2,}", line.strip())[0]
        for name in filter(None, re.split(r",\s*|\s+/\s+", first_column)):
            names.append(str(Path(names[-1]).with_suffix(name)) if name.startswith(".") else name)
    return names


def assert_clean(result: subprocess.CompletedProcess[str], what: str, codes: tuple[int, ...] = (0,)) -> None:
    output = result.stdout + result.stderr
    assert result.returncode in codes, (what, result.returncode, output[-4000:])
    assert TRACEBACK not in output, (what, output[-4000:])


def test_quick_start_and_walkthroughs_run_for_a_normal_user_in_a_clean_clone(workspace: Path) -> None:
    """Threat: the quick start works only on the author's machine — as root, with a dirty tree,
    an existing venv or the author's home and git identity. As a normal user in a clean clone,
    ``make demo`` installs without warnings and writes every output it lists, every documented
    command runs without a traceback, ``make test`` needs no root, and nothing is written to the
    real home or to /dev/null's device."""
    started = time.time()
    user = normal_user(workspace, clean_clone(workspace / "rai-graph"))
    commands = [c for document in DOCUMENTS
                for c in user_commands(document, (PROJECT / document).read_text(encoding="utf-8"))]
    lines = [command.line for command in commands]
    assert lines[:2] == ["make demo", "make test"], "the README's quick start is make demo, then make test"
    assert sum(line.startswith("rai-graph ") for line in lines) >= 10, "the walkthroughs were not found"
    assert set(NOT_RUN_AS_WRITTEN) <= set(lines), "a command listed as not run is in no document any more"
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert all(" ".join(source.split()) in " ".join(readme.split()) for _, _, source in INLINE)

    demo = user.run(["make", "demo"])
    assert_clean(demo, "make demo")
    assert not INSTALL_WARNING.search(demo.stderr), demo.stderr
    outputs = listed_outputs(demo.stdout)
    assert len(outputs) >= 12, outputs
    for name in outputs:
        output = user.clone / "build" / "demo" / name
        assert output.exists(), name
        assert any(output.iterdir()) if output.is_dir() else output.stat().st_size, f"{name} is empty"
    # pip -q hides the build backend's output; -v shows any setuptools deprecation warning.
    rebuild = user.run([".venv/bin/python", "-m", "pip", "install", "-v", "--no-deps", "-e", "."])
    assert_clean(rebuild, "pip install -v -e .")
    assert not INSTALL_WARNING.search(rebuild.stdout + rebuild.stderr), (rebuild.stdout + rebuild.stderr)[-4000:]

    with_venv = os.pathsep.join([str(user.clone / ".venv" / "bin"), user.environment["PATH"]])
    for command in commands:
        if command.line == "make demo" or command.line in NOT_RUN_AS_WRITTEN:
            continue
        result = user.run(["bash", "-c", command.line], path=with_venv)
        # rai-graph exits 1 for findings (the example has them on purpose), 2 for a usage error.
        codes = (0, 1) if command.line.startswith("rai-graph ") else (0,)
        assert_clean(result, f"{command.document}: {command.line}", codes)
        if " -o " in f" {command.line} ":
            assert (user.clone / command.line.split(" -o ", 1)[1].split()[0]).exists(), command.line

    for line, code, _ in INLINE:
        assert_clean(user.run(["bash", "-c", line], path=with_venv), f"README.md: {line}", (code,))
    assert (user.clone / "build" / "demo").stat().st_uid == user.uid, "the steps did not run as the normal user"

    plan = user.run(["make", "-n", "test"])
    assert_clean(plan, "make -n test")
    assert "scripts/install-browser.sh" in plan.stdout, plan.stdout
    assert "-m pytest" in plan.stdout, plan.stdout
    assert not re.search(r"\b(sudo|su|apt-get|apt|dnf|brew)\b", plan.stdout), plan.stdout
    browser = user.run(["make", "browser"])
    assert_clean(browser, "make browser")
    found_or_told = "install-browser: using " in browser.stdout or HOW_TO_GET_IT in browser.stderr
    assert found_or_told, browser.stdout + browser.stderr

    assert stat.S_ISCHR(os.stat(os.devnull).st_mode), "/dev/null is no longer a device"
    assert not written_in(REAL_HOME, started, user.uid), "the quick start wrote into the real home"
    assert (user.home / ".cache" / "rai-graph").is_dir(), "the tools did not use the HOME they were given"


def test_without_chromium_a_normal_user_is_told_in_one_line_how_to_get_it(workspace: Path) -> None:
    """Threat: without a Chromium, a normal user's ``make test`` asks for root (apt-get) or the
    browser tests fail obscurely. ``tests/chromium.py`` (which the browser tests use) and
    ``scripts/install-browser.sh`` (``make browser``) say in one line how to get one, and the
    script neither installs anything nor stops ``make test``."""
    if any(os.path.exists(bundle) for bundle in MAC_BUNDLES):
        pytest.skip("a Chromium application bundle is installed on this Mac")
    for part in ("tests/chromium.py", "scripts/install-browser.sh"):
        (workspace / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT / part, workspace / part)
    user = normal_user(workspace, workspace)
    # A PATH with only the programs the two need, so no chromium or google-chrome is on it.
    tools = workspace / "bin"
    tools.mkdir()
    for program in ("bash", "dirname", "id", "python3"):
        found = shutil.which(program, path=user.environment["PATH"])
        assert found, program
        (tools / program).symlink_to(found)

    discovery = user.run(["python3", "tests/chromium.py"], path=str(tools))
    assert (discovery.returncode, discovery.stdout, discovery.stderr) == (1, "", HOW_TO_GET_IT + "\n")
    assert "apt-get install chromium" in HOW_TO_GET_IT
    assert "playwright install chromium" in HOW_TO_GET_IT

    script = user.run(["bash", "scripts/install-browser.sh"], path=str(tools))
    assert_clean(script, "install-browser.sh")
    assert script.stderr.splitlines()[0] == f"install-browser: {HOW_TO_GET_IT}", script.stderr
    assert "installing" not in script.stdout + script.stderr, "it tried to install as a normal user"


@pytest.mark.parametrize("absent", ["", "libharfbuzz-subset0"])
def test_weasyprint_libraries_are_checked_and_a_normal_user_is_told_which_are_missing(
        workspace: Path, absent: str) -> None:
    """Threat: on a fresh machine WeasyPrint lacks HarfBuzz's subsetter, warns that it "will be
    required", and every PDF test fails obscurely (the suite makes warnings errors).
    ``scripts/install-system-libs.sh`` (``make system-libs``, run by demo, test and test-fast)
    is silent when the libraries are found, names the missing Debian packages to a normal user
    and never installs anything for one (stubbed library lookup: this machine has them all)."""
    (workspace / "scripts").mkdir()
    shutil.copy(PROJECT / "scripts" / "install-system-libs.sh", workspace / "scripts")
    lookup = workspace / "lookup"
    lookup.write_text(f"#!/bin/bash\ncat >/dev/null\necho '{absent}'\n", encoding="utf-8")
    lookup.chmod(0o755)
    user = normal_user(workspace, workspace)
    result = user.run(["env", f"PYTHON={lookup}", "bash", "scripts/install-system-libs.sh"])
    assert_clean(result, "install-system-libs.sh")
    assert "installing" not in result.stdout + result.stderr, "it tried to install as a normal user"
    if absent:
        assert result.stderr.splitlines()[0] == (
            f"install-system-libs: WeasyPrint needs the system packages {absent} (Debian/Ubuntu names);"), result.stderr
    else:
        assert (result.stdout, result.stderr) == ("", "")


def test_make_runs_the_system_library_check_before_every_lane_that_renders_pdf() -> None:
    """``make -n`` of demo, test and test-fast each runs ``scripts/install-system-libs.sh``."""
    for target in ("demo", "test", "test-fast"):
        plan = subprocess.run(["make", "-n", "-B", target], cwd=PROJECT, capture_output=True,
                              text=True, check=False)
        assert "scripts/install-system-libs.sh" in plan.stdout, (target, plan.stdout[-2000:])
