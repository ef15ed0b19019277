"""Time `rai-graph site build` on the example organisation and on a generated large repository.

For each repository it prints the stages of a site build (pipeline, page generation, MkDocs and
artefact copies) and, side by side, a bare ``mkdocs build`` of the very same generated pages with
the same configuration, so the cost rai-graph adds on top of MkDocs is visible as a ratio.

Then, as whole ``rai-graph site build`` processes side by side: a full build into new folders
and, three times, the build after one evidence record of one system changed its title (another
system each time) into the folders the last build left (MkDocs rebuilds the changed pages only:
``src/rai_graph/site_build.py``). The ratio is the median changed build over the full one.

    PYTHONPATH=src .venv/bin/python benchmarks/site_build.py [--systems 1000] [--seed 1]

The large repository comes from ``rai_graph.authoring.generator`` (real catalogues and starter controls,
one evidence record per applicable control). Everything is written to a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rai_graph.authoring.generator import generate_repository  # noqa: E402
from rai_graph.commands.site import build_site  # noqa: E402 - after the path set-up
from rai_graph.pipeline import run  # noqa: E402
from rai_graph.render.site import mkdocs_yaml  # noqa: E402

AS_OF = dt.date(2026, 11, 24)


@dataclass(frozen=True, slots=True)
class Timing:
    name: str
    systems: int
    pages: int
    markdown_mb: float
    pipeline: float
    generate: float
    mkdocs: float
    copy: float
    bare_mkdocs: float

    @property
    def site_build(self) -> float:
        """What `rai-graph site build` costs after the pipeline: generation, MkDocs, copies."""
        return self.generate + self.mkdocs + self.copy

    @property
    def total(self) -> float:
        return self.pipeline + self.site_build


def measure(name: str, repo: Path, work: Path) -> Timing:
    started = time.perf_counter()
    result = run(repo, AS_OF)
    pipeline = time.perf_counter() - started
    built = build_site(result, "internal", output=work / f"{name}-site", source_dir=work / f"{name}-src")
    markdown = sum(p.stat().st_size for p in built.source.rglob("*.md"))

    # The same pages, the same configuration, plain MkDocs in a fresh process.
    bare_site = work / f"{name}-bare"
    config = work / f"{name}-mkdocs.yml"
    config.write_text(mkdocs_yaml(str(built.source), str(bare_site)), encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--strict", "--config-file", str(config)],
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    bare = time.perf_counter() - started
    return Timing(name, len(result.assessment.systems), built.pages, markdown / 1e6, pipeline,
                  built.seconds_generate, built.seconds_mkdocs, built.seconds_copy, bare)


@dataclass(frozen=True, slots=True)
class Incremental:
    name: str
    full: float
    changed: list[float]
    rewritten: list[str]

    @property
    def ratio(self) -> float:
        return statistics.median(self.changed) / self.full


def site_command(repo: Path, output: Path, source: Path) -> tuple[float, str]:
    """One whole `rai-graph site build` process: its seconds and its last line."""
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "-m", "rai_graph", "site", "build", "--repo", str(repo), "--as-of", AS_OF.isoformat(),
         "-o", str(output), "--source-dir", str(source)],
        check=True, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    return time.perf_counter() - started, finished.stdout.strip().splitlines()[-1]


def retitle_one_record(repo: Path, run_index: int) -> Path:
    """Give one evidence record of another system each run a new title."""
    systems = sorted(p for p in (repo / "evidence").iterdir() if p.is_dir() and not p.name.startswith("_"))
    folder = systems[(run_index * 7919) % len(systems)]
    record = next(p for p in sorted(folder.glob("*.ttl")) if p.name != "system.ttl"
                  and 'dcterms:title "' in p.read_text(encoding="utf-8"))
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace('dcterms:title "', f'dcterms:title "Revision {run_index}: ', 1), encoding="utf-8")
    return record


def measure_incremental(name: str, repo: Path, work: Path, runs: int = 3) -> Incremental:
    output, source = work / f"{name}-cmd-site", work / f"{name}-cmd-src"
    full, _ = site_command(repo, output, source)
    changed, lines = [], []
    for index in range(runs):
        retitle_one_record(repo, index)
        seconds, line = site_command(repo, output, source)
        changed.append(seconds)
        lines.append(line)
    return Incremental(name, full, changed, lines)


def report_incremental(rows: list[Incremental]) -> str:
    header = f"{'repository':<12} {'full build':>11} {'one system changed (3 runs)':>30} {'median / full':>14}"
    lines = [header, "-" * len(header)]
    for row in rows:
        runs = " / ".join(f"{seconds:.1f}s" for seconds in row.changed)
        lines.append(f"{row.name:<12} {row.full:>10.1f}s {runs:>30} {row.ratio:>13.0%}")
    lines += ["", "whole `rai-graph site build` processes; what the changed builds printed:"]
    lines += [f"  {row.name}: {line}" for row in rows for line in row.rewritten]
    return "\n".join(lines)


def report(timings: list[Timing]) -> str:
    header = (f"{'repository':<12} {'systems':>7} {'pages':>6} {'md MB':>6} {'pipeline':>9} {'generate':>9} "
              f"{'mkdocs':>8} {'copy':>6} {'site build':>11} {'total':>8} {'bare mkdocs':>12} {'build/bare':>11} "
              f"{'total/bare':>11}")
    lines = [header, "-" * len(header)]
    for t in timings:
        lines.append(
            f"{t.name:<12} {t.systems:>7} {t.pages:>6} {t.markdown_mb:>6.1f} {t.pipeline:>8.1f}s {t.generate:>8.1f}s "
            f"{t.mkdocs:>7.1f}s {t.copy:>5.1f}s {t.site_build:>10.1f}s {t.total:>7.1f}s {t.bare_mkdocs:>11.1f}s "
            f"{t.site_build / t.bare_mkdocs:>10.2f}x {t.total / t.bare_mkdocs:>10.2f}x")
    lines += ["", "site build = page generation + MkDocs + artefact copies (what the command adds after the "
              "pipeline); bare mkdocs = `mkdocs build --strict` of the same pages in a new process."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--systems", type=int, default=1000, help="systems in the generated repository")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-large", action="store_true", help="only the example organisation")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rai-graph-site-bench-") as folder:
        work = Path(folder)
        example = work / "example"
        shutil.copytree(ROOT, example, ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "site", ".rai-graph-cache", "node_modules", "__pycache__"))
        timings = [measure("example", example, work)]
        print(report(timings), flush=True)
        incremental = [measure_incremental("example", example, work)]
        print(report_incremental(incremental), flush=True)
        if not args.skip_large:
            generate_repository(work / "large", systems=args.systems, seed=args.seed, as_of=AS_OF)
            timings.append(measure("generated", work / "large", work))
            print()
            print(report(timings), flush=True)
            incremental.append(measure_incremental("generated", work / "large", work))
            print()
            print(report_incremental(incremental))


if __name__ == "__main__":
    main()
