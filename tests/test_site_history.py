"""Posture over time on the site (``site build --history``, issue #19 item 2), on repositories
with real commits: a small one whose every status change is known, and the example's history
(``rai-graph demo history``) in the browser.

Fixtures (``conftest.py``): control CTRL-1 needs an approved RiskAssessment by a RAILead, at most
365 days old; alice is RAILead.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rai_graph.analysis import history as history_module
from rai_graph.analysis.history import github_repository, posture_history, pull_request_of, status_changes
from rai_graph.cli import main
from test_site_browser import page as browser_page  # noqa: F401  (its browser tab, on served_site below)
from test_site_browser import serving

from git_helpers import commit_all, git, init
from repo_builder import GovernanceRepo

# Its module-scoped outputs are built once, on one worker (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("test_site_history")

ORIGIN = "git@github.com:acme/governance.git"
WEB = "https://github.com/acme/governance"
APPROVE_SUBJECT = "Approve the risk assessment QZSUBJECT7"


def _history_repo(repo: GovernanceRepo) -> dict[str, str]:
    """Three tagged releases: evidence unapproved (v1), approved in pull request #7 (v2), and a
    year later, with no change to it, expired by its age (v3). Returns the commits by tag."""
    init(repo.root)
    git(repo.root, "remote", "add", "origin", ORIGIN)
    repo.add_evidence("risk", generated="2026-01-15")
    shas = {"v1": commit_all(repo.root, "Add the risk assessment (#6)", date="2026-01-20T10:00:00+00:00")}
    repo.add_approval("risk-approval", "risk", ended="2026-02-01")
    shas["v2"] = commit_all(repo.root, f"{APPROVE_SUBJECT} (#7)", email="alice@example.org", name="Alice",
                            date="2026-02-02T10:00:00+00:00")
    repo.write_text("NOTES.md", "Nothing to do with the evidence.\n")
    shas["v3"] = commit_all(repo.root, "Notes (#8)", date="2027-03-01T10:00:00+00:00")
    for tag, sha in shas.items():
        git(repo.root, "tag", tag, sha)
    return shas


def test_each_status_change_names_the_commit_and_pull_request_that_made_it(repo: GovernanceRepo) -> None:
    """unapproved → met is the approval's commit and its pull request; met → expired, a year on,
    came with the date: no commit is blamed for it."""
    shas = _history_repo(repo)
    points = posture_history(repo.root, cache=False)
    assert [p.label for p in points] == ["v1", "v2", "v3"]
    assert [p.pairs[("credit-scoring", "TC-01")][0] for p in points] == ["unapproved", "met", "expired"]
    changes = status_changes(repo.root, points)
    assert [(c.point.label, c.before, c.after) for c in changes] == [("v2", "unapproved", "met"),
                                                                      ("v3", "met", "expired")]
    approved, aged = changes
    assert approved.commit is not None
    assert (approved.commit.sha, approved.commit.pull_request) == (shas["v2"], 7)
    assert aged.commit is None


def _build(repo: GovernanceRepo, out: Path, audience: str = "internal") -> str:
    result = CliRunner().invoke(main, ["site", "build", "--repo", str(repo.root), "--as-of", "2026-06-01",
                                       "--history", "--audience", audience, "-o", str(out / "site"),
                                       "--source-dir", str(out / "src")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return html.unescape((out / "site" / "history.html").read_text("utf-8"))


def test_history_page_links_commits_and_pull_requests_and_draws_each_system(
    repo: GovernanceRepo, tmp_path: Path
) -> None:
    """The built page: a chart (SVG with a title) per system and for all, the figures beside it,
    and the change rows with links to the commit and the pull request on GitHub."""
    shas = _history_repo(repo)
    page = _build(repo, tmp_path)
    assert page.count("<svg role=\"img\"") == 2
    assert 'data-system="credit-scoring"' in page
    assert '<title id="t-credit-scoring">' in page
    assert "<desc>v1: 0%, 1 gaps; v2: 100%, 0 gaps; v3: 0%, 1 gaps</desc>" in page
    assert f'href="{WEB}/commit/{shas["v2"]}"' in page
    assert f'href="{WEB}/pull/7"' in page
    assert "QZSUBJECT7" in page, "the internal audience sees what the commit says"
    assert "the dates passed" in page
    assert 'href="history.html"' in (tmp_path / "site" / "index.html").read_text("utf-8"), "in the navigation"


def test_other_audiences_see_the_links_but_not_what_commits_say(repo: GovernanceRepo, tmp_path: Path) -> None:
    """Commit subjects name records (titles an audience may not see): outside the organisation
    only the commit and pull request links are shown."""
    shas = _history_repo(repo)
    for audience in ("customer", "public"):
        page = _build(repo, tmp_path / audience, audience)
        assert f'href="{WEB}/commit/{shas["v2"]}"' in page
        assert "QZSUBJECT7" not in page
        assert "QZSUBJECT7" not in "".join(p.read_text("utf-8", "replace")
                                           for p in (tmp_path / audience).rglob("*") if p.is_file()
                                           and p.suffix in (".md", ".html", ".js", ".json"))


def test_each_commit_is_judged_once(repo: GovernanceRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second reading of the history judges no commit again: every point comes from the
    cache, and is the same."""
    _history_repo(repo)
    judged: list[str] = []
    judge = history_module._judge

    def counting(root: Path, sha: str, day: Any) -> Any:
        judged.append(sha)
        return judge(root, sha, day)

    monkeypatch.setattr(history_module, "_judge", counting)
    first = posture_history(repo.root)
    assert len(judged) == 3
    again = posture_history(repo.root)
    assert len(judged) == 3
    assert again == first


@pytest.mark.parametrize(("subject", "number"), [
    ("Merge pull request #12 from acme/approve-risk", 12), ("Approve the risk assessment (#7)", 7),
    ("Approve (#7) the risk assessment", None), ("Fix #7", None), ("Approve the risk assessment", None),
])
def test_pull_request_of_a_subject(subject: str, number: int | None) -> None:
    """GitHub's merge commits and squash subjects name their pull request; a mention elsewhere does not."""
    assert pull_request_of(subject) == number


@pytest.mark.parametrize(("url", "web"), [
    ("git@github.com:acme/governance.git", WEB), ("https://github.com/acme/governance.git", WEB),
    ("https://github.com/acme/governance", WEB), ("ssh://git@github.com/acme/governance.git", WEB),
    ("https://gitlab.com/acme/governance.git", None), ("https://github.com.evil.example/acme/x", None),
])
def test_github_links_only_for_a_github_origin(tmp_path: Path, url: str, web: str | None) -> None:
    init(tmp_path)
    git(tmp_path, "remote", "add", "origin", url)
    assert github_repository(tmp_path) == web


@pytest.fixture(scope="module")
def example_history_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example organisation's history (151 commits, 9 tags), its site built with --history."""
    out = tmp_path_factory.mktemp("example-history")
    made = CliRunner().invoke(main, ["demo", "history", "-o", str(out / "repo")], catch_exceptions=False)
    assert made.exit_code == 0, made.output
    built = CliRunner().invoke(main, ["site", "build", "--repo", str(out / "repo"), "--as-of", "2026-11-24",
                                      "--history", "-o", str(out / "site"), "--source-dir", str(out / "src")],
                               catch_exceptions=False)
    assert built.exit_code == 0, built.output
    return out / "site"


@pytest.fixture(scope="module")
def served_site(example_history_site: Path) -> Iterator[str]:
    with serving(example_history_site) as url:
        yield url


@pytest.mark.slow
def test_example_history_in_a_browser(browser_page: Any, served_site: str, tmp_path: Path) -> None:  # noqa: F811  (a fixture)
    """In Chromium, from the dashboard's navigation: a chart per system plus one for all, each
    with its line and bars, the figures table, and status changes naming pull requests."""
    tab = browser_page
    tab.goto(served_site + "index.html")
    with tab.expect_navigation():
        tab.get_by_role("link", name="Over time").first.click()
    assert tab.url == served_site + "history.html"
    charts = tab.locator("svg[data-system]")
    charts.first.wait_for()
    systems = tab.locator("svg[data-system]").evaluate_all("nodes => nodes.map(n => n.dataset.system)")
    assert systems[0] == "All systems"
    assert {"credit-scoring", "cv-screening", "support-chatbot"} <= set(systems)
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.is_visible()
        assert chart.locator("polyline.rai-readiness").count() == 1
    assert charts.first.locator("rect.rai-gaps").count() == 8, "one bar per point with gaps (all but the first)"
    changes = tab.locator("h2#status-changes").locator("xpath=following::table[1]")
    assert changes.locator("tbody tr").count() > 20
    assert "in pull request #" in changes.inner_text()
    shot = tab.screenshot(path=str(tmp_path / "history.png"), full_page=True)
    assert len(shot) > 10_000
    assert tab.events["errors"] == []
