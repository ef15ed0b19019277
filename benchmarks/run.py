"""Benchmark `rai-graph check` at scale against the parse floor, side by side (issue 18's targets).

    PYTHONPATH=src .venv/bin/python benchmarks/run.py [--systems 1000 5000] [--seed 1]
        [--naive-timeout 120] [--site]

For each N it generates a repository (``rai-graph demo generate``: real catalogues, starter
controls, one record per applicable control) in a temporary folder, then measures whole
processes, each the median of three runs, each in a child process so that peak memory is per run:

* **floor**: a Python process that parses every Turtle file with pyoxigraph into its own named
  graph (``Store.load``), start-up included (also reported timed inside the process);
* **cold**: ``rai-graph check --format json`` with no ``.rai-graph-cache/``;
* **warm**: the same again, nothing changed (the output is replayed: ``rai_graph.replay``);
* **one record changed**: after appending a comment to one evidence record (another each run);
* **one artefact changed**: after appending to one artefact file (another each run); both re-judge
  only the folder they touched and merge the others' kept output (``rai_graph.splice``);
* ``rai-graph --help`` and ``--version``;
* the pipeline alone (``rai_graph.pipeline.run``, imports excluded), cold and with the cache;
* with ``--naive-timeout``: rdflib parses every file, then pySHACL validates the whole graph
  against the structural shapes plus one completeness shape per (tier, control), time-boxed;
* with ``--site``: ``benchmarks/site_build.py``'s measurement of ``site build`` against a bare
  ``mkdocs build`` of the same pages.

Peak RSS is each child's maximum resident set (``getrusage(RUSAGE_CHILDREN)`` in a wrapper).
Results go to standard output as Markdown tables (the ones in ``benchmarks/README.md``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-24"

# Runs one command and prints, as JSON, its wall time and peak RSS (the only child it waits for).
_WRAPPER = textwrap.dedent("""
    import json, resource, subprocess, sys, time
    started = time.perf_counter()
    try:
        code = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              timeout=float(sys.argv[1])).returncode
    except subprocess.TimeoutExpired:
        code = None
    wall = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(json.dumps({"wall": wall, "rss": rss, "code": code}))
""")

_FLOOR = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    import pyoxigraph as ox
    root = Path(sys.argv[1])
    files = sorted(p for d in ("frameworks", "controls", "evidence") for p in (root / d).rglob("*.ttl"))
    started = time.perf_counter()
    store = ox.Store()
    for path in files:
        relative = path.relative_to(root).as_posix()
        store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri="file:///" + relative,
                   to_graph=ox.NamedNode("urn:rai-graph:file:" + relative))
    print(json.dumps({"seconds": time.perf_counter() - started, "triples": len(store),
                      "files": len(files)}))
""")

# The pipeline alone (`rai_graph.pipeline.run`), timed after the imports: what `check` costs
# without the command line's start-up, which grows with every command the CLI registers.
_PIPELINE = textwrap.dedent("""
    import datetime as dt, sys, time
    from pathlib import Path
    from rai_graph.pipeline import run
    started = time.perf_counter()
    run(Path(sys.argv[1]), dt.date.fromisoformat(sys.argv[2]))
    print(time.perf_counter() - started)
""")

_NAIVE = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from rdflib import Graph
    from pyshacl import validate
    root, shapes_file = Path(sys.argv[1]), sys.argv[2]
    started = time.perf_counter()
    data = Graph()
    for path in sorted(p for d in ("frameworks", "controls", "evidence") for p in (root / d).rglob("*.ttl")):
        if "shapes" not in path.parts:
            data.parse(path, format="turtle")
    shapes = Graph().parse(shapes_file, format="turtle")
    validate(data, shacl_graph=shapes, inference="none", advanced=True, meta_shacl=False,
             allow_warnings=True)
    print(time.perf_counter() - started)
""")


REPEATS = 3
"""Each figure is the median of this many runs (the machines are shared and noisy)."""


@dataclass
class Row:
    systems: int
    files: int = 0
    triples: int = 0
    floor: float = 0.0
    floor_inside: float = 0.0
    floor_rss: int = 0
    cold: float = 0.0
    cold_rss: int = 0
    warm: float = 0.0
    warm_rss: int = 0
    one_file: float = 0.0
    one_file_rss: int = 0
    one_artefact: float = 0.0
    help: float = 0.0
    version: float = 0.0
    cold_pipeline: float = 0.0
    warm_pipeline: float = 0.0
    naive: float | None = None
    naive_timeout: float = 0.0
    naive_rss: int = 0
    site: float | None = None
    bare_mkdocs: float | None = None
    notes: list[str] = field(default_factory=list)


def _environment() -> dict[str, str]:
    environment = dict(os.environ, PYTHONPATH=str(ROOT / "src"), RAI_GRAPH_QUIET="1")
    environment.pop("RAI_GRAPH_NO_CACHE", None)
    environment.pop("RAI_GRAPH_CACHE_DIR", None)
    return environment


def measured(command: list[str], timeout: float = 3600) -> dict[str, float]:
    """Wall time and peak RSS of ``command`` (run from a small wrapper process)."""
    out = subprocess.run([sys.executable, "-c", _WRAPPER, str(timeout), *command],
                         capture_output=True, text=True, check=True, env=_environment())
    result: dict[str, float] = json.loads(out.stdout)
    return result


def median_of(command: list[str], before: Callable[[int], object] = lambda _: None) -> tuple[float, int]:
    """Median wall time and largest peak RSS of :data:`REPEATS` runs, ``before(i)`` ahead of run i."""
    walls, peaks = [], []
    for repeat in range(REPEATS):
        before(repeat)
        found = measured(command)
        walls.append(found["wall"])
        peaks.append(int(found["rss"]))
    return statistics.median(walls), max(peaks)


def check_command(repo: Path) -> list[str]:
    return [sys.executable, "-m", "rai_graph", "check", "--repo", str(repo), "--as-of", AS_OF,
            "--format", "json", "--fail-on", "none"]


def measure(systems: int, seed: int, work: Path, naive_timeout: float | None, site: bool) -> Row:
    row = Row(systems, naive_timeout=naive_timeout or 0.0)
    repo = work / f"repo-{systems}"
    subprocess.run([sys.executable, "-m", "rai_graph", "demo", "generate", "--systems", str(systems),
                    "--seed", str(seed), "-o", str(repo)], check=True, env=_environment(),
                   stdout=subprocess.DEVNULL)
    inside = []
    for _ in range(REPEATS):
        floor = subprocess.run([sys.executable, "-c", _FLOOR, str(repo)], capture_output=True,
                               text=True, check=True, env=_environment())
        found = json.loads(floor.stdout)
        inside.append(found["seconds"])
    row.floor_inside, row.files, row.triples = statistics.median(inside), found["files"], found["triples"]
    row.floor, row.floor_rss = median_of([sys.executable, "-c", _FLOOR, str(repo)])

    row.cold, row.cold_rss = median_of(
        check_command(repo), lambda _: shutil.rmtree(repo / ".rai-graph-cache", ignore_errors=True))
    row.warm, row.warm_rss = median_of(check_command(repo))
    records = sorted((repo / "evidence" / "system-00000").glob("*.ttl"))
    artefacts = sorted(p for p in (repo / "evidence" / "system-00001").iterdir() if p.suffix != ".ttl")

    def change_record(repeat: int) -> None:
        with records[1 + repeat].open("a", encoding="utf-8") as stream:
            stream.write("# touched by the benchmark\n")

    def change_artefact(repeat: int) -> None:
        with artefacts[repeat].open("ab") as stream:
            stream.write(b"changed by the benchmark\n")

    row.one_file, row.one_file_rss = median_of(check_command(repo), change_record)
    row.one_artefact, _ = median_of(check_command(repo), change_artefact)
    row.help, _ = median_of([sys.executable, "-m", "rai_graph", "--help"])
    row.version, _ = median_of([sys.executable, "-m", "rai_graph", "--version"])
    row.cold_pipeline, row.warm_pipeline = _pipeline(repo, cold=True), _pipeline(repo, cold=False)

    if naive_timeout:
        shapes = work / f"shapes-{systems}.ttl"
        _export_shapes(repo, shapes)
        naive = measured([sys.executable, "-c", _NAIVE, str(repo), str(shapes)], timeout=naive_timeout)
        row.naive = naive["wall"] if naive["code"] == 0 else None
        row.naive_rss = int(naive["rss"])
    if site:
        row.site, row.bare_mkdocs = _site(repo, work)
    return row


def _pipeline(repo: Path, *, cold: bool) -> float:
    if cold:
        shutil.rmtree(repo / ".rai-graph-cache", ignore_errors=True)
    out = subprocess.run([sys.executable, "-c", _PIPELINE, str(repo), AS_OF], capture_output=True,
                         text=True, check=True, env=_environment())
    return float(out.stdout)


def _export_shapes(repo: Path, target: Path) -> None:
    """Structural shapes + the repository's own + one completeness shape per (tier, control)."""
    code = textwrap.dedent("""
        import sys
        from pathlib import Path
        from rai_graph.validate.completeness import completeness_shapes
        from rai_graph.load.repository import load_repository
        from rai_graph.model import build_model
        from rai_graph.validate.records import package_shapes
        repo = load_repository(Path(sys.argv[1]))
        shapes = package_shapes()
        shapes += repo.shapes
        shapes += completeness_shapes(build_model(repo))
        shapes.serialize(sys.argv[2], format="turtle")
    """)
    subprocess.run([sys.executable, "-c", code, str(repo), str(target)], check=True, env=_environment())


def _site(repo: Path, work: Path) -> tuple[float | None, float | None]:
    """`site build` and bare `mkdocs build` of the same pages, measured by benchmarks/site_build.py."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT / "src"))
    try:
        from site_build import measure as measure_site  # owned by the site's authors
    except ImportError:
        return None, None
    timing = measure_site(repo.name, repo, work / f"site-{repo.name}")
    return timing.site_build, timing.bare_mkdocs


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


def table(rows: list[Row]) -> str:
    """The targets of issue 18, one row per size: every ratio from runs of this one invocation."""
    lines = [
        "| systems (files, triples) | floor | cold check | warm check | one record changed "
        "| one artefact changed | cold / floor (≤ 3×) | warm / floor (≤ 0.5×) "
        "| one record / cold (≤ 10 %) | one artefact / cold (≤ 10 %) | peak RSS cold / warm / one record "
        "| `--help` / `--version` (≤ 0.3 s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.systems:,} ({row.files:,}, {row.triples:,}) | {row.floor:.2f} s | {row.cold:.2f} s "
            f"| {row.warm:.2f} s | {row.one_file:.2f} s | {row.one_artefact:.2f} s "
            f"| {row.cold / row.floor:.1f}× | {row.warm / row.floor:.2f}× "
            f"| {100 * row.one_file / row.cold:.0f} % | {100 * row.one_artefact / row.cold:.0f} % "
            f"| {_mib(row.cold_rss)} / {_mib(row.warm_rss)} / {_mib(row.one_file_rss)} "
            f"| {row.help:.2f} s / {row.version:.2f} s |"
        )
    return "\n".join(lines)


def other_table(rows: list[Row]) -> str:
    """The floor timed inside its process, the pipeline alone, the naive path and the site."""
    lines = ["| systems | floor inside its process | cold run() | warm run() | naive (rdflib + pySHACL) "
             "| site build / bare mkdocs |", "|---|---|---|---|---|---|"]
    for row in rows:
        if row.naive is not None:
            naive = f"{row.naive:.1f} s ({_mib(row.naive_rss)})"
        else:
            naive = f"> {row.naive_timeout:.0f} s" if row.naive_timeout else "not measured"
        site = (f"{row.site / row.bare_mkdocs:.2f}× ({row.site:.1f} / {row.bare_mkdocs:.1f} s)"
                if row.site and row.bare_mkdocs else "not measured")
        lines.append(f"| {row.systems:,} | {row.floor_inside:.2f} s | {row.cold_pipeline:.2f} s "
                     f"| {row.warm_pipeline:.2f} s | {naive} | {site} |")
    return "\n".join(lines)


def machine() -> str:
    engines = []
    for module in ("pyoxigraph", "shacl"):
        try:
            __import__(module)
            engines.append(module)
        except ImportError:
            pass
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}; fast engines installed: "
            f"{', '.join(engines) or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--systems", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--naive-timeout", type=float, default=0.0,
                        help="Also time the naive rdflib + pySHACL path, up to this many seconds.")
    parser.add_argument("--site", action="store_true", help="Also time site build (slow).")
    arguments = parser.parse_args()
    rows = []
    # rai-graph's bytecode, as an installed package has it: a checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module in every process (~0.1 s a run, a tenth
    # of a one-file check). It goes to src's __pycache__ folders (ignored by git).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True,
                   stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory(prefix="rai-graph-bench-") as folder:
        for systems in arguments.systems:
            started = time.perf_counter()
            rows.append(measure(systems, arguments.seed, Path(folder), arguments.naive_timeout,
                                arguments.site))
            print(f"measured {systems} systems in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr, flush=True)
    print(f"Machine: {machine()}\n")
    print(f"Whole processes, median of {REPEATS} runs each, measured side by side in this run.\n")
    print(table(rows))
    print()
    print(other_table(rows))


if __name__ == "__main__":
    main()
