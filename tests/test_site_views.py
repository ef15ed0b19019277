"""The site's views for a responsible-AI lead and an executive: the status heatmap, the executive
page; every figure read back from the generated pages and compared with the engine's judgement."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from pathlib import Path

import pytest

from rai_graph.analysis.kpis import compute_kpis
from rai_graph.audience import AudienceView
from rai_graph.pipeline import PipelineResult, run
from rai_graph.render.site import render_site
from rai_graph.render.site._executive import HEATMAP_ROWS

# Its module-scoped outputs are built once, on one worker (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("test_site_views")

ROOT = Path(__file__).parent.parent
EXAMPLE_AS_OF = dt.date(2026, 11, 24)
_CELL = re.compile(r'<td class="rg-cell rg-([a-z]+)" title="([^"]+)">')


@pytest.fixture(scope="module")
def example() -> PipelineResult:
    return run(ROOT, EXAMPLE_AS_OF)


@pytest.fixture(scope="module")
def example_pages(example: PipelineResult) -> dict[str, str]:
    return render_site(example, "internal").pages


def _cells(page: str) -> dict[tuple[str, str], str]:
    """(system name, control notation) → status, from the heatmap cells' classes and titles."""
    found = {}
    for css, title in _CELL.findall(page):
        text = html.unescape(title)
        match = re.fullmatch(r"(.+) · (.+): ([a-z]+)", text)
        if match and css == match.group(3):
            found[(match.group(1), match.group(2))] = css
    return found


def test_heatmap_cells_are_the_engines_statuses(example: PipelineResult, example_pages: dict[str, str]) -> None:
    """Every cell of the dashboard's status heatmap is one judged (system, control) pair with the
    engine's status, and every judged pair has its cell; retired systems have no row."""
    expected = {(s.system.name, p.control.notation): p.status
                for s in example.assessment.systems if s.judged for p in s.pairs}
    dashboard = _cells(example_pages["index.md"])
    assert dashboard == expected
    assert _cells(example_pages["heatmap/index.md"]) == {
        **expected, **{("organisation", p.control.notation): p.status for p in example.assessment.organisation}}
    assert "legacy-scorecard" not in {name for name, _ in dashboard}


def test_heatmap_shows_deferred_obligations_with_their_date(example: PipelineResult,
                                                             example_pages: dict[str, str]) -> None:
    """Each system's 'binds later' cell counts its deferred obligations and names the first date
    one binds (or 'after a significant change' when only that would bind it)."""
    page = html.unescape(example_pages["heatmap/index.md"])
    for assessment in example.assessment.systems:
        if not assessment.judged or not assessment.deferred:
            continue
        dates = sorted(d.standing.applies_from for d in assessment.deferred
                       if d.standing is not None and d.standing.applies_from is not None)
        when = f"from {dates[0]}" if dates else "after a significant change"
        link = f'systems/{assessment.system.name}.html#upcoming">{len(assessment.deferred)} {when}</a>'
        assert link in page, assessment.system.name
    credit = next(s for s in example.assessment.systems if s.system.name == "credit-scoring")
    assert any(d.standing is not None and d.standing.applies_from is None for d in credit.deferred)


def test_executive_page_figures_are_the_engines(example: PipelineResult, example_pages: dict[str, str]) -> None:
    """The executive page's cards and lists carry the engine's readiness, ready systems, gaps,
    overdue findings and the KPI's count of controls lapsing within 30 / 60 / 90 days."""
    page = html.unescape(example_pages["executive.md"])
    text = re.sub(r"<[^>]+>", " ", page)
    text = " ".join(text.split())
    judged = [s for s in example.assessment.systems if s.judged]
    ready = sum(1 for s in judged if all(p.good for p in s.pairs))
    gaps = len(example.assessment.gaps())
    average = sum(s.readiness for s in judged) / len(judged)
    assert f"{average:.0%} average readiness" in text
    assert f"{ready} / {len(judged)} systems ready" in text
    assert f"{gaps} gaps" in text
    kpis = compute_kpis(example, None, AudienceView("internal", example.model, example.validation.artifacts))
    lapsing = " / ".join(str(v) for v in kpis.expiring.values())
    assert f"{kpis.expiring['within_90_days']} controls lapsing in 90 days {lapsing} within 30 / 60 / 90 days" in text
    overdue = example.assessment.overdue_findings()
    assert overdue, "the example has an overdue finding"
    assert f"{len(overdue)} findings overdue" in text
    for finding in overdue:
        assert html.unescape(finding.title) in page
    tiers = [t for t in ("High risk", "Limited risk", "Minimal risk") if f"| {t} |" in page]
    assert tiers == ["High risk", "Limited risk", "Minimal risk"]
    assert page.index("| High risk |") < page.index("| Limited risk |") < page.index("| Minimal risk |")


def test_executive_page_withholds_findings_above_the_audience(example: PipelineResult) -> None:
    """For the public, overdue findings above its level are counted as withheld, never titled."""
    page = html.unescape(render_site(example, "public").pages["executive.md"])
    overdue = example.assessment.overdue_findings()
    view = AudienceView("public", example.model, example.validation.artifacts)
    hidden = [f for f in overdue if not view.sees_finding(f)]
    assert hidden
    for finding in hidden:
        assert finding.title not in page
    assert f"Overdue findings: {len(hidden)} withheld at this audience (public)." in page


@pytest.mark.slow
def test_a_thousand_systems_get_a_tier_heatmap_and_paged_system_heatmaps(tmp_path: Path) -> None:
    """At 1,000 systems the dashboard draws tiers × controls; each tier's systems are on heatmap
    pages of at most 50 rows, every judged system on exactly one, every cell its pair's status."""
    from rai_graph.authoring.generator import generate_repository

    generate_repository(tmp_path / "big", systems=1000, seed=1)
    result = run(tmp_path / "big", EXAMPLE_AS_OF)
    pages = render_site(result, "internal").pages
    assert "Tier (systems)" in html.unescape(pages["index.md"])
    assert _cells(pages["index.md"]) == {}
    expected = {(s.system.name, p.control.notation): p.status
                for s in result.assessment.systems if s.judged for p in s.pairs}
    seen: Counter[str] = Counter()
    cells: dict[tuple[str, str], str] = {}
    for path, text in pages.items():
        if path.startswith("heatmap/") and path != "heatmap/index.md":
            rows = re.findall(r'<th class="rg-heatmap-row"><a href="[^"]*systems/([^".]+)\.html', text)
            assert 0 < len(rows) <= HEATMAP_ROWS, path
            seen.update(rows)
            cells.update(_cells(text))
    assert set(seen.values()) == {1}
    assert len(seen) == sum(1 for s in result.assessment.systems if s.judged)
    assert cells == expected
