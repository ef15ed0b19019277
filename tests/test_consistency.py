"""One judgement, many views: every figure that appears in more than one output is the same in each.

For the example organisation (as of its demo date) and for a generated repository, per audience,
the figures are read back from the outputs people and tools open — status JSON, the report as
JSON, HTML, PDF text and Markdown, the site's pages, the evidence pack's manifest and what
re-judging its ``repository/`` gives, ``kpis`` as JSON and text, the timeline — and compared:
readiness per system, the status of every (system, control) pair, requirement coverage and
upcoming obligations, governance KPIs, open findings. A view that re-derives any of them fails here.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner

from rai_graph.cli import main
from rai_graph.render.words import percent

HERE = Path(__file__).parent
PROJECT = HERE.parent
EXAMPLE_AS_OF = "2026-11-24"
PACKED_SYSTEM = "credit-scoring"

# Its module-scoped outputs are built once, on one worker (make test: --dist loadgroup).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_consistency")]


def rai(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.stdout  # the output itself: notes on stderr are not part of it


@dataclass
class Outputs:
    """Every output of one repository, as of one date, for one audience."""

    root: Path
    as_of: str
    audience: str
    folder: Path
    status: dict[str, Any] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)
    report_html: str = ""
    report_markdown: str = ""
    report_pdf_text: str = ""
    kpis: dict[str, Any] = field(default_factory=dict)
    kpis_text: str = ""
    timeline: dict[str, Any] = field(default_factory=dict)
    site: Path | None = None
    pack: bytes = b""


def produce(root: Path, as_of: str, audience: str, folder: Path, framework: str, *, site: bool) -> Outputs:
    folder.mkdir(parents=True, exist_ok=True)
    made = Outputs(root, as_of, audience, folder)
    common = ["--repo", str(root), "--as-of", as_of]
    made.status = json.loads(rai("status", *common, "--format", "json"))
    made.report = json.loads(rai("report", *common, "--framework", framework, "--audience", audience,
                                 "--format", "json"))
    made.report_html = rai("report", *common, "--framework", framework, "--audience", audience, "--format", "html")
    made.report_markdown = rai("report", *common, "--framework", framework, "--audience", audience,
                               "--format", "markdown")
    pdf = folder / "report.pdf"
    rai("report", *common, "--framework", framework, "--audience", audience, "--format", "pdf", "-o", str(pdf))
    made.report_pdf_text = "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(pdf).pages)
    made.kpis = json.loads(rai("kpis", *common, "--format", "json"))
    made.kpis_text = rai("kpis", *common, "--format", "text")
    made.timeline = json.loads(rai("timeline", *common, "--format", "json"))
    pack = folder / "pack.zip"
    rai("evidence-pack", *common, "--system", PACKED_SYSTEM if PACKED_SYSTEM in _names(made) else
        _names(made)[0], "--audience", audience, "--no-pdf", "-o", str(pack))
    made.pack = pack.read_bytes()
    if site:
        made.site = folder / "site"
        rai("site", "build", *common, "--audience", audience, "-o", str(made.site), "--source-dir",
            str(folder / "site-src"))
    return made


def _names(made: Outputs) -> list[str]:
    return [s["name"] for s in made.status["systems"] if s["judged"]]




# --- the repositories --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "repo"
    rai("demo", "generate", "--systems", "6", "--seed", "11", "-o", str(root))
    return root


VIEWS = ["example-internal", "example-auditor", "example-customer", "generated-internal"]


@pytest.fixture(scope="module", params=VIEWS)
def outputs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    """Every output of the example organisation (per audience) or of a generated repository."""
    repository, audience = request.param.split("-")
    folder = tmp_path_factory.mktemp(request.param)
    if repository == "example":
        return produce(PROJECT, EXAMPLE_AS_OF, audience, folder, "eu-ai-act", site=audience != "customer")
    root: Path = request.getfixturevalue("generated")
    status = json.loads(rai("status", "--repo", str(root), "--format", "json"))
    return produce(root, status["as_of"], audience, folder, "eu-ai-act", site=False)


# --- readiness -------------------------------------------------------------------------------------


def test_readiness_is_the_same_in_every_output(outputs: Outputs) -> None:
    """Each system's readiness: status JSON = report JSON = report HTML headline = the report's
    Markdown and PDF sentence = the site's system page = the pack's manifest."""
    expected = {s["name"]: s["readiness"] for s in outputs.status["systems"] if s["judged"]}
    report = {s["system"]["name"]: s["readiness"] for s in outputs.report["systems"] if s["judged"]}
    assert report == expected
    in_html = {name: float(value) for name, value in
               re.findall(r'data-system="([^"]+)" data-readiness="([\d.]+)"', outputs.report_html)}
    assert in_html == expected
    for name, value in expected.items():
        sentence = f"readiness {percent(value)}"
        assert sentence in outputs.report_markdown.replace("Readiness", "readiness"), (name, sentence)
    flat = " ".join(outputs.report_pdf_text.split())
    in_pdf = re.findall(r"Readiness \(controls met or waived, every framework\): (\d+%)", flat)
    assert sorted(in_pdf) == sorted(percent(v) for v in expected.values())
    if outputs.site is not None:
        for name, value in expected.items():
            page = (outputs.site / "systems" / f"{name}.html").read_text(encoding="utf-8")
            assert re.findall(r'data-readiness="([\d.]+)"', page) == [f"{value:.4f}"], name
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(outputs.pack)).read("manifest.json"))
    packed = manifest["system"]["name"]
    assert manifest["judgement"]["readiness"] == expected[packed]


# --- statuses --------------------------------------------------------------------------------------


def test_every_pair_has_the_same_status_everywhere(outputs: Outputs) -> None:
    """The status of every (system, control) pair: status JSON = report JSON = site status matrix =
    the pack's judgement; and re-judging the pack's repository confirms every pair with nothing left out."""
    expected = {(s["name"], c["notation"]): c["status"] for s in outputs.status["systems"] for c in s["controls"]}
    organisation = {c["notation"]: c["status"] for c in outputs.status["organisation"]["controls"]}
    for system in outputs.report["systems"]:
        for control in system["controls"]:
            key = (system["system"]["name"], control["notation"])
            wanted = expected.get(key) if control["scope"] == "system" else organisation[control["notation"]]
            assert control["status"] == wanted, key
            assert control["status_text"].startswith(control["status"]), key
    if outputs.site is not None:
        for name in _names(outputs):
            page = (outputs.site / "systems" / f"{name}.html").read_text(encoding="utf-8")
            shown = dict(re.findall(r'data-control="([^"]+)" data-status="([a-z]+)"', page))
            for (system, notation), status in expected.items():
                if system == name:
                    assert shown.get(html.escape(notation)) == status, (name, notation)
    archive = zipfile.ZipFile(io.BytesIO(outputs.pack))
    manifest = json.loads(archive.read("manifest.json"))
    packed = manifest["system"]["name"]
    for pair in manifest["judgement"]["pairs"]:
        wanted = expected.get((packed, pair["notation"]), organisation.get(pair["notation"]))
        assert pair["status"] == wanted, pair
    folder = outputs.folder / "verify"
    folder.mkdir(exist_ok=True)
    (folder / "pack.zip").write_bytes(outputs.pack)
    verdict = json.loads(rai("evidence-pack", "verify", str(folder / "pack.zip"), "--format", "json"))
    assert verdict["ok"], verdict["problems"]
    assert verdict["rejudged"] == sum(1 for p in manifest["judgement"]["pairs"] if not p["withheld"])


def test_withheld_evidence_is_worded_the_same_everywhere(outputs: Outputs) -> None:
    """A pair whose evidence is partly above the audience says so in one wording in the report's
    JSON, HTML and Markdown ("met — 2 records withheld at this audience (auditor)")."""
    withheld = [c for s in outputs.report["systems"] for c in s["controls"] if c["withheld_evidence"]]
    if outputs.audience == "internal":
        assert withheld == []
        return
    for control in withheld:
        phrase = f"{control['withheld_evidence']} record{'s' * (control['withheld_evidence'] != 1)} withheld " \
                 f"at this audience ({outputs.audience})"
        assert control["status_text"] == f"{control['status']} — {phrase}"
        assert phrase in html.unescape(outputs.report_html)
        assert phrase in outputs.report_markdown.replace("\\", "")


# --- coverage and what binds when --------------------------------------------------------------------


def test_coverage_and_upcoming_obligations_agree(outputs: Outputs) -> None:
    """Requirement coverage of the reported framework and the deferred obligations: status JSON =
    report JSON = timeline JSON (never a deferred requirement counted as a gap)."""
    framework = outputs.report["framework"]["iri"] + "/"
    for system in outputs.status["systems"]:
        if not system["judged"]:
            continue
        name = system["name"]
        in_status = {r["requirement"]: r["state"] for r in system["requirements"]
                     if r["requirement"].startswith(framework)}
        deferred = {d["requirement"]: d for d in system["deferred"] if d["requirement"].startswith(framework)}
        assert not set(in_status) & set(deferred)
        report = next(s for s in outputs.report["systems"] if s["system"]["name"] == name)
        in_report = {r["iri"]: r["state"] for r in report["requirements"] if r["in_force"]}
        assert in_report == in_status, name
        assert {r["iri"] for r in report["requirements"] if not r["in_force"]} == set(deferred), name
        counts = report["obligations"]
        assert counts["not_yet_in_force"] == len(deferred)
        assert counts["covered"] == sum(1 for s in in_status.values() if s == "covered")
        timeline = next(t for t in outputs.timeline["systems"] if t["name"] == name)
        upcoming = {r["requirement"]: m["date"] for m in timeline["milestones"] for r in m["requirements"]}
        all_deferred = {d["requirement"]: d["applies_from"] for d in system["deferred"]}
        assert upcoming == all_deferred, name


# --- KPIs and findings --------------------------------------------------------------------------------


def test_kpis_are_the_same_in_kpis_report_and_site(outputs: Outputs) -> None:
    """The organisation's KPIs: ``kpis`` JSON = the (all-systems) report's KPIs = ``kpis`` text
    = the site dashboard's KPI table, value by value."""
    kpis = dict(outputs.kpis)
    report = dict(outputs.report["kpis"])
    assert report["scope"] == kpis["scope"] == "organisation"
    # The report counts findings the audience may not see as withheld; the figures are the same.
    kpis["findings"] = {k: v for k, v in kpis["findings"].items() if k != "withheld"}
    report["findings"] = {k: v for k, v in report["findings"].items() if k != "withheld"}
    assert report == kpis
    from rai_graph.analysis.kpis import Kpis
    from rai_graph.render.kpis import kpi_rows

    rows = kpi_rows(Kpis.model_validate(outputs.kpis))
    for label, value in rows:
        assert label in outputs.kpis_text, label
        assert value in outputs.kpis_text, (label, value)
    if outputs.site is not None:
        dashboard = html.unescape((outputs.site / "index.html").read_text(encoding="utf-8"))
        text = re.sub(r"<[^>]+>", " ", dashboard)
        text = " ".join(text.split())
        for label, value in rows:
            if "withheld" in value or "above this audience" in value:
                continue
            assert " ".join(label.split()) in text, label
            assert " ".join(value.split()) in text, (label, value)


def test_open_findings_are_counted_the_same(outputs: Outputs) -> None:
    """Open findings of each system: shown + withheld in the report = ``kpis --system`` = the site's
    system page (shown there, or counted as withheld)."""
    for system in outputs.report["systems"]:
        if not system["judged"]:
            continue
        name = system["system"]["name"]
        in_report = len(system["findings"]) + system["findings_withheld"]
        scoped = json.loads(rai("kpis", "--repo", str(outputs.root), "--as-of", outputs.as_of, "--system", name,
                                "--format", "json"))
        assert scoped["findings"]["open"] == in_report, name
        if outputs.site is not None:
            page = html.unescape((outputs.site / "systems" / f"{name}.html").read_text(encoding="utf-8"))
            rows = len(system["findings"])
            if rows:
                assert all(f["title"] in page for f in system["findings"]), name
            if system["findings_withheld"]:
                assert f"{system['findings_withheld']} record" in page, name


def test_a_single_system_report_shows_that_systems_figures_only() -> None:
    """A report on one system carries that system's KPIs, labelled so, never the organisation's."""
    single = json.loads(rai("report", "--repo", str(PROJECT), "--as-of", EXAMPLE_AS_OF, "--framework",
                            "eu-ai-act", "--system", PACKED_SYSTEM, "--audience", "auditor", "--format", "json"))
    assert single["kpis"]["scope"] == "systems"
    assert single["kpis"]["systems"] == [PACKED_SYSTEM]
    high = single["kpis"]["high_risk_systems_fully_compliant"]
    assert high["denominator"] == 1
