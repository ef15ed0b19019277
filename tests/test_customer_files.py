"""Customer files are untrusted (issue #15, property 7).

``questionnaire answer`` reads a file a customer sent; ``new evidence --import`` reads a tool's
output or a model card someone downloaded. Each hostile shape below — a far-away cell, a huge
cell, a huge shared-strings table, a zip bomb, a file that is no workbook at all, an encrypted
workbook, deep nesting, a huge CSV line, YAML aliases that multiply — is answered with a clear
error naming the file (and the cell or line), in a subprocess whose peak memory is measured and
bounded; the timeout is only a guard against a hang.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from hostile.harness import SRC, measure

from repo_builder import DEFAULT_SYSTEM, GovernanceRepo

pytestmark = pytest.mark.slow  # a subprocess per case, some writing 100+ MB archives

AS_OF = "2026-06-01"
MEMORY_BOUND_MIB = 500
HANG_GUARD_SECONDS = 600
QUESTIONS = ["Has a risk assessment been performed?", "Are decisions logged?", "Do you red-team the model?"]


@pytest.fixture
def repo(tmp_path: Path) -> GovernanceRepo:
    repo = GovernanceRepo(tmp_path / "repo").with_base()
    repo.add_system()
    return repo


def workbook(path: Path, extra: Callable[[object], None] = lambda sheet: None) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ref", "Question"])
    for number, question in enumerate(QUESTIONS, start=1):
        sheet.append([f"Q{number}", question])
    extra(sheet)
    book.save(path)
    return path


def stream_member(archive: zipfile.ZipFile, name: str, chunk: bytes, total: int) -> None:
    """A member of ``total`` bytes, written in chunks (deflated: a few hundred KB on disk)."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as sink:
        for _ in range(total // len(chunk)):
            sink.write(chunk)


def with_member(base: Path, target: Path, name: str, chunk: bytes, total: int, copies: int = 1) -> Path:
    """``base`` rewritten with ``name`` (or ``copies`` numbered copies) replaced by a huge part."""
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            if item.filename != name:
                archive.writestr(item, source.read(item))
        for copy in range(copies):
            stream_member(archive, name if copies == 1 else f"{name}.{copy}", chunk, total)
    return target


MIB = 1024 * 1024
ROW = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"x" * 4000 + b"</t></is></c></row>"


def far_away_cell(tmp: Path) -> Path:
    def plant(sheet: object) -> None:
        sheet["XFD1048576"] = "far away"  # type: ignore[index]
    return workbook(tmp / "far.xlsx", plant)


def huge_cell(tmp: Path) -> Path:
    """A cell longer than Excel allows (openpyxl truncates what it writes, so the XML is edited)."""
    base = workbook(tmp / "base.xlsx")
    target = tmp / "huge-cell.xlsx"
    cell = b'<row r="5"><c r="B5" t="inlineStr"><is><t>' + b"y" * 40_000 + b"</t></is></c></row>"
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", cell + b"</sheetData>")
            archive.writestr(item, data)
    return target


def huge_shared_strings(tmp: Path) -> Path:
    base = workbook(tmp / "base.xlsx")
    chunk = b"<si><t>" + b"s" * 4000 + b"</t></si>"
    return with_member(base, tmp / "strings.xlsx", "xl/sharedStrings.xml", chunk, 100 * MIB)


def zip_bomb_sheet(tmp: Path) -> Path:
    base = workbook(tmp / "base.xlsx")
    return with_member(base, tmp / "bomb.xlsx", "xl/worksheets/sheet1.xml", ROW, 400 * MIB)


def zip_bomb_many_parts(tmp: Path) -> Path:
    """Each part below any per-part bound, together 160 MB."""
    base = workbook(tmp / "base.xlsx")
    return with_member(base, tmp / "parts.xlsx", "xl/media/image.xml", ROW, 40 * MIB, copies=4)


def not_a_zip(tmp: Path) -> Path:
    path = tmp / "renamed.xlsx"
    path.write_bytes(b"Ref,Question\nQ1,Is this a workbook?\n")
    return path


def encrypted(tmp: Path) -> Path:
    """An encrypted workbook is an OLE compound file (as a legacy .xls is), not a zip."""
    path = tmp / "protected.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    return path


def nested_json(tmp: Path) -> Path:
    path = tmp / "nested.json"
    path.write_text('{"pages": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    return path


def nested_panels(tmp: Path) -> Path:
    """Panels 300 deep: valid JSON, far deeper than any survey; refused before a recursive walk
    could overflow."""
    element: dict[str, object] = {"type": "text", "name": "q", "title": QUESTIONS[0]}
    for level in range(300):
        element = {"type": "panel", "name": f"p{level}", "elements": [element]}
    path = tmp / "panels.json"
    path.write_text(json.dumps({"pages": [{"name": "p", "elements": [element]}]}), encoding="utf-8")
    return path


def huge_csv_line(tmp: Path) -> Path:
    path = tmp / "long-line.csv"
    path.write_text("Ref,Question\nQ1," + "z" * 2_000_000 + "\nQ2,Are decisions logged?\n", encoding="utf-8")
    return path


def huge_csv_file(tmp: Path) -> Path:
    path = tmp / "huge.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("Ref,Question\n")
        line = "Q,Is there a documented and approved risk assessment of the system in place?\n"
        for _ in range(80 * MIB // len(line)):
            stream.write(line)
    return path


CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("far-away-cell", far_away_cell, "XFD1048576"),
    ("huge-cell", huge_cell, "B5"),
    ("huge-shared-strings", huge_shared_strings, "sharedStrings.xml"),
    ("zip-bomb-sheet", zip_bomb_sheet, "sheet1.xml"),
    ("zip-bomb-many-parts", zip_bomb_many_parts, "zip bomb"),
    ("not-a-zip", not_a_zip, "not a zip"),
    ("encrypted", encrypted, "encrypted"),
    ("nested-json", nested_json, "nested too deeply"),
    ("nested-panels", nested_panels, "nest more than"),
    ("huge-csv-line", huge_csv_line, "line 2"),
    ("huge-csv-file", huge_csv_file, "larger than"),
]


@pytest.mark.parametrize(("build", "where"), [pytest.param(b, w, id=i) for i, b, w in CASES])
def test_a_hostile_questionnaire_is_refused_in_bounded_memory(
    build: Callable[[Path], Path], where: str, repo: GovernanceRepo, tmp_path: Path,
) -> None:
    """``questionnaire answer FILE`` exits 2 with one message naming FILE and where in it the
    trouble is, writes no output, and its peak memory stays below 500 MB."""
    hostile = build(tmp_path)
    output = tmp_path / "answers.csv"
    run = measure(["questionnaire", "answer", str(hostile), "--repo", str(repo.root), "--as-of", AS_OF,
                   "--system", DEFAULT_SYSTEM, "--audience", "customer", "-o", str(output)],
                  timeout=HANG_GUARD_SECONDS, env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    print(f"{hostile.name}: {run.seconds:.2f} s, peak {run.peak_mib:.0f} MiB (+{run.growth_mib:.0f})")
    assert run.exit_code == 2, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert str(hostile) in run.stderr, run.stderr
    assert where in run.stderr, run.stderr
    assert run.growth_mib < MEMORY_BOUND_MIB
    assert not output.exists()


def test_macros_of_an_xlsm_are_never_carried_into_the_answers(repo: GovernanceRepo, tmp_path: Path) -> None:
    """A macro-enabled workbook is read for its questions; its VBA project never reaches the
    answered workbook (which is .xlsx: .xlsm is not written)."""
    base = workbook(tmp_path / "base.xlsx")
    macros = tmp_path / "macros.xlsm"
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(macros, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item))
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 Sub AutoOpen(): Shell \"calc\" End Sub")
    output = tmp_path / "answers.xlsx"
    run = measure(["questionnaire", "answer", str(macros), "--repo", str(repo.root), "--as-of", AS_OF,
                   "--system", DEFAULT_SYSTEM, "--audience", "customer", "-o", str(output)],
                  timeout=HANG_GUARD_SECONDS, env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert "Traceback" not in run.stderr, run.stderr
    if run.exit_code == 2:  # refused: a macro-enabled workbook is not answered in place
        assert "xlsm" in run.stderr
        assert not output.exists()
    else:
        with zipfile.ZipFile(output) as answered:
            assert not [n for n in answered.namelist() if "vba" in n.lower()]
    refused = measure(["questionnaire", "answer", str(macros), "--repo", str(repo.root), "--as-of", AS_OF,
                       "--system", DEFAULT_SYSTEM, "--audience", "customer", "-o", str(tmp_path / "out.xlsm")],
                      timeout=HANG_GUARD_SECONDS, env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert refused.exit_code == 2, refused.stderr
    assert "Traceback" not in refused.stderr, refused.stderr
    assert not (tmp_path / "out.xlsm").exists()


# --- importers -----------------------------------------------------------------------------------


_IMPORT = r"""
import json, resource, sys
from pathlib import Path
from rai_graph.authoring.importers import ImporterError, import_measurements
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    import_measurements(sys.argv[1], Path(sys.argv[2]), metric_paths=sys.argv[3:])
    message = None
except ImporterError as error:
    message = str(error)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"message": message, "growth_mib": (peak - baseline) / 1024}))
"""

LAUGHS = "".join(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]\n" for n in range(1, 10))


def model_card_laughs(tmp: Path) -> Path:
    path = tmp / "README.md"
    path.write_text("---\nl0: &l0 [lol]\n" + LAUGHS + "model-index:\n- name: m\n  results: *l9\n---\n# Card\n",
                    encoding="utf-8")
    return path


def mlflow_laughs(tmp: Path) -> Path:
    run = tmp / "mlruns" / "0" / "run1"
    run.mkdir(parents=True)
    (run / "meta.yaml").write_text("l0: &l0 [lol]\n" + LAUGHS + "run_id: *l9\nstatus: *l9\nend_time: *l9\n",
                                   encoding="utf-8")
    return run


def huge_json(tmp: Path) -> Path:
    path = tmp / "results.json"
    with path.open("w", encoding="utf-8") as stream:
        stream.write('{"metrics": [')
        stream.write(", ".join(['{"name": "accuracy", "value": 0.5}'] * 4_000_000))
        stream.write("]}")
    return path


def nested_tool_json(tmp: Path) -> Path:
    path = tmp / "nested.json"
    path.write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    return path


IMPORTS: list[tuple[str, str, Callable[[Path], Path], list[str]]] = [
    ("huggingface-billion-laughs", "huggingface", model_card_laughs, []),
    ("mlflow-billion-laughs", "mlflow", mlflow_laughs, []),
    ("json-huge", "json", huge_json, ["metrics.0.value"]),
    ("json-nested", "json", nested_tool_json, ["a"]),
    ("fairlearn-nested", "fairlearn", nested_tool_json, []),
    ("promptfoo-huge", "promptfoo", huge_json, []),
]


@pytest.mark.parametrize(("tool", "build", "paths"), [pytest.param(t, b, p, id=i) for i, t, b, p in IMPORTS])
def test_a_hostile_tool_output_is_refused_in_bounded_memory(
    tool: str, build: Callable[[Path], Path], paths: list[str], tmp_path: Path,
) -> None:
    """An importer given YAML whose aliases multiply (a billion laughs), 100 MB of JSON or JSON
    nested 100 000 deep either reads it or raises an ImporterError naming the file, in bounded
    memory — never a crash, a RecursionError or a hang."""
    hostile = build(tmp_path)
    done = subprocess.run([sys.executable, "-c", _IMPORT, tool, str(hostile), *paths], capture_output=True,
                          text=True, timeout=HANG_GUARD_SECONDS, env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{tool} {hostile.name}: +{report['growth_mib']:.0f} MiB, {report['message']}")
    assert report["growth_mib"] < MEMORY_BOUND_MIB
    if report["message"] is not None:
        assert str(hostile) in report["message"] or hostile.name in report["message"]
