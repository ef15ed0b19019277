"""Running ``rai-graph`` against hostile repositories: in-process, or in a bounded subprocess.

Both ways return the same :class:`Run` records, so a test asserts the same things whether the
input could hang a process (a named pipe) or needs limits (a 50 MB file, a 1 GiB artefact).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import click
from click.testing import CliRunner

from rai_graph.cli import main

SRC = Path(__file__).resolve().parents[2] / "src"
TRACEBACK = "Traceback (most recent call last)"
CACHE_FOLDER = ".rai-graph-cache"

# Cold cache, then the same run again served from the cache, then no cache at all: a verdict
# must not depend on the parse cache.
CACHE_MODES: tuple[tuple[str, str], ...] = (("cold-cache", "0"), ("warm-cache", "0"), ("no-cache", "1"))


@dataclass(frozen=True)
class Run:
    """One command: its exit code, standard output, everything printed, and a crash if any."""

    args: tuple[str, ...]
    exit_code: int
    stdout: str
    output: str
    crash: str | None
    seconds: float = 0.0

    def json(self) -> dict[str, object]:
        try:
            parsed = json.loads(self.stdout)
        except json.JSONDecodeError as error:
            raise AssertionError(f"{self.args} printed no JSON ({error}):\n{self.output[-3000:]}") from error
        assert isinstance(parsed, dict)
        return parsed

    def assert_clean_exit(self, allowed: Sequence[int] = (0, 1, 2)) -> None:
        """No exception, no traceback printed, an exit code from ``allowed``; exit 2 says why."""
        assert self.crash is None, f"{self.args} crashed:\n{self.crash}"
        assert TRACEBACK not in self.output, f"{self.args} printed a traceback:\n{self.output[-3000:]}"
        assert self.exit_code in allowed, f"{self.args} exited {self.exit_code}:\n{self.output[-3000:]}"
        if self.exit_code == 2:
            assert self.output.strip(), f"{self.args} exited 2 without a message"


def entry_point(args: Sequence[str]) -> tuple[click.Command, list[str]]:
    """The command to run for ``rai-graph ARGS``: always the ``rai-graph`` group, so every run
    passes through its one error boundary as a user's would."""
    return main, list(args)


def invoke(args: Sequence[str], env: Mapping[str, str] | None = None) -> Run:
    """Run ``rai-graph ARGS`` in this process; exceptions are caught and recorded, not raised."""
    started = time.perf_counter()
    command, arguments = entry_point(args)
    result = CliRunner().invoke(command, arguments, env=dict(env or {}), catch_exceptions=True)
    crash = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        assert result.exc_info is not None
        crash = "".join(traceback.format_exception(*result.exc_info))
    return Run(tuple(args), result.exit_code, result.stdout, result.output, crash,
               time.perf_counter() - started)


_DRIVER = r"""
import json, os, sys, time, traceback
import click
from click.testing import CliRunner
from rai_graph.cli import main
plan = json.loads(sys.argv[1])
runs = []
for step in plan:
    os.environ.update(step["env"])
    started = time.perf_counter()
    command, arguments = main, step["args"]
    result = CliRunner().invoke(command, arguments, catch_exceptions=True)
    crash = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crash = "".join(traceback.format_exception(*result.exc_info))
    runs.append({"args": step["args"], "exit_code": result.exit_code, "stdout": result.stdout,
                 "output": result.output, "crash": crash, "seconds": time.perf_counter() - started})
print(json.dumps(runs))
"""


def invoke_in_subprocess(plan: Sequence[tuple[Sequence[str], Mapping[str, str]]], *, timeout: float,
                         extra_env: Mapping[str, str] | None = None) -> list[Run]:
    """Run each ``(args, env)`` of ``plan`` in one fresh Python process, killed after ``timeout`` s."""
    payload = json.dumps([{"args": list(args), "env": dict(env)} for args, env in plan])
    env = {**os.environ, "PYTHONPATH": str(SRC), **(extra_env or {})}
    completed = subprocess.run([sys.executable, "-c", _DRIVER, payload], capture_output=True, text=True,
                               timeout=timeout, env=env, check=False)
    assert completed.returncode == 0, f"driver failed:\n{completed.stderr[-3000:]}"
    return [Run(tuple(r["args"]), r["exit_code"], r["stdout"], r["output"], r["crash"], r["seconds"])
            for r in json.loads(completed.stdout)]


_MEASURE = r"""
import json, resource, sys, time
limit = int(sys.argv[2])
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from rai_graph.cli import main
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    main(json.loads(sys.argv[1]), standalone_mode=True)
    code = 0
except SystemExit as exit:
    code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
sys.stdout.flush()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"exit_code": code, "seconds": time.perf_counter() - started,
                  "baseline_kib": baseline, "peak_kib": peak}), file=sys.stderr)
"""


@dataclass(frozen=True)
class Measured:
    """A CLI run in its own process: exit code, output, wall time and peak resident memory."""

    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    baseline_mib: float
    """Peak RSS once rai-graph is imported, before the command runs."""
    peak_mib: float

    @property
    def growth_mib(self) -> float:
        return self.peak_mib - self.baseline_mib


def measure(args: Sequence[str], *, timeout: float, address_space_limit: int = 0,
            env: Mapping[str, str] | None = None) -> Measured:
    """Run ``rai-graph ARGS`` in a subprocess (optionally with RLIMIT_AS) and measure it.

    A crash (a traceback, a MemoryError under the limit) shows in ``stderr``; the exit code of
    the process is then 1 and the measurement line is missing, which the caller's assertions see.
    """
    full_env = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    completed = subprocess.run([sys.executable, "-c", _MEASURE, json.dumps(list(args)),
                                str(address_space_limit)], capture_output=True, text=True,
                               timeout=timeout, env=full_env, check=False)
    lines = completed.stderr.strip().splitlines()
    try:
        report = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        report = {}
    if not isinstance(report, dict) or "peak_kib" not in report:
        raise AssertionError(f"rai-graph {' '.join(args)} did not finish cleanly "
                             f"(exit {completed.returncode}):\n{completed.stderr[-3000:]}")
    return Measured(int(report["exit_code"]), completed.stdout, "\n".join(lines[:-1]),
                    float(report["seconds"]), report["baseline_kib"] / 1024, report["peak_kib"] / 1024)


def tree_digest(root: Path, *, ignore: Sequence[str] = (CACHE_FOLDER,)) -> dict[str, str]:
    """Every path under ``root`` (files, folders, symlinks) with a digest of what it is.

    Files by their bytes, symlinks by their target, folders by name only; paths whose first
    component is in ``ignore`` are skipped. Named pipes are recorded, never opened.
    """
    found: dict[str, str] = {}
    for directory, folders, files in os.walk(root, followlinks=False):
        relative_dir = Path(directory).relative_to(root)
        if relative_dir.parts and relative_dir.parts[0] in ignore:
            continue
        for name in folders + files:
            path = Path(directory) / name
            relative = (relative_dir / name).as_posix()
            if relative.split("/", 1)[0] in ignore:
                continue
            if path.is_symlink():
                found[relative] = "link:" + os.readlink(path)
            elif path.is_dir():
                found[relative] = "dir"
            elif path.is_file():
                found[relative] = "file:" + _file_sha256(path)
            else:
                found[relative] = "special"
    return found


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


WORKFLOW_PROPERTIES = {"file", "line", "endLine", "col", "endColumn", "title"}


def assert_only_our_workflow_commands(text: str) -> None:
    """Each line of ``check --format github`` is one workflow command rai-graph wrote: no file
    name or text started a line of its own, and every property value is escaped (no raw ``:`` or
    ``,``), so nothing put a property or a second command into one."""
    for line in text.splitlines():
        assert line.startswith("::"), line
        head, separator, _message = line[2:].partition("::")
        assert separator, line
        command, _, properties = head.partition(" ")
        assert command in ("error", "warning", "notice"), line
        for item in filter(None, properties.split(",")):
            key, _, value = item.partition("=")
            assert key in WORKFLOW_PROPERTIES, line
            assert ":" not in value, line

