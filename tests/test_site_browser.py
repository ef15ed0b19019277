"""The built site in a real browser (headless Debian Chromium driven by Playwright).

A user goes dashboard → clause → sub-clause → control → system → evidence → artefact, uses the
search, and no script from the repository's data ever runs. Under CI (``CI=true``) a missing
Chromium or Playwright fails the test; locally it is skipped. ``scripts/install-browser.sh``
installs Chromium; Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from rai_graph.commands.site import serve_directory
from rai_graph.pipeline import run
from rai_graph.render.site import render_site
from test_site import ROOT, XSS_TITLE, build, build_fixture

from chromium import HOW_TO_GET_IT, find_chromium

# Its module-scoped outputs are built once, on one worker (make test: --dist loadgroup).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_site_browser")]  # not in `make test-fast`

CHROMIUM = find_chromium()
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _require_browser() -> Any:
    """Playwright's sync API; without it or a Chromium the test fails with one line saying how to
    get them (`make test-fast` leaves the browser tests out)."""
    try:
        from playwright import sync_api
    except ImportError:
        pytest.fail("the Python package 'playwright' is not installed: run make test (it installs "
                    "the dev extras)", pytrace=False)
    if CHROMIUM is None:
        pytest.fail(HOW_TO_GET_IT, pytrace=False)
    return sync_api


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture repository's internal site, served on 127.0.0.1; yields its base URL."""
    repo = build_fixture(tmp_path_factory.mktemp("browser") / "repo")
    with serving(build(repo.root, tmp_path_factory.mktemp("out"))) as url:
        yield url


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 while the block runs; yields its base URL."""
    server = serve_directory(folder, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def page(served_site: str) -> Iterator[Any]:
    """A fresh browser page that may only talk to the local server, with its events recorded."""
    sync_api = _require_browser()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        tab.events = {"dialogs": [], "errors": [], "outside": []}

        def route(request_route: Any) -> None:
            if request_route.request.url.startswith(served_site):
                request_route.continue_()
            else:
                tab.events["outside"].append(request_route.request.url)
                request_route.abort()

        tab.route("**/*", route)
        tab.on("dialog", lambda dialog: (tab.events["dialogs"].append(dialog.message), dialog.dismiss()))
        tab.on("pageerror", lambda error: tab.events["errors"].append(str(error)))
        try:
            yield tab
        finally:
            context.close()
            browser.close()


def _h1(tab: Any) -> str:
    """The page's main heading, without the permalink sign."""
    return str(tab.locator("h1").inner_text()).removesuffix("¶").strip()


def _search(tab: Any, text: str) -> Any:
    """Type into the search box key by key, as a person does; return the first hit's link."""
    box = tab.locator("input.rg-search-input")
    box.click()
    box.press_sequentially(text, delay=20)
    first = tab.locator(".rg-search-hit a").first
    first.wait_for()
    return first


def _assert_no_data_script(tab: Any) -> None:
    assert tab.evaluate("typeof window.__pwned") == "undefined"
    assert tab.evaluate("document.querySelectorAll('a[href^=\"javascript:\" i]').length") == 0
    assert tab.events["dialogs"] == []


def test_dashboard_to_clause_to_control_to_system_to_evidence(page: Any, served_site: str) -> None:
    """Three clicks from the dashboard reach the sub-clause; it names the control, the evidence,
    its approver and its currency; links lead on to the control, the system, the evidence and its
    artefact."""
    page.goto(served_site + "index.html")
    assert _h1(page) == "AI compliance dashboard"
    page.locator(".md-content").get_by_role("link", name="test-fw", exact=True).click()
    page.get_by_role("link", name="TF 1", exact=True).first.click()
    page.locator("article").get_by_role("link", name="TF 1(a)", exact=True).click()
    assert page.url.endswith("frameworks/test-fw/r1-a.html")
    row = page.locator("tr", has_text="Credit scoring model")
    assert "met" in row.inner_text()
    assert "Approved by Alice (RAILead) on 2026-02-01" in row.inner_text()
    assert "current until 2027-01-15" in row.inner_text()

    row.get_by_role("link", name="TC-01").click()
    assert page.url.endswith("controls/tc-01.html")
    assert "TC-01 — Control TC-01" in _h1(page)
    page.locator("tr", has_text="Credit scoring model").get_by_role("link", name="Credit scoring model").click()
    assert page.url.endswith("systems/credit-scoring.html")

    page.locator("#status").scroll_into_view_if_needed()
    page.locator("table").get_by_role("link", name="Evidence ra-2026").first.click()
    assert page.url.endswith("systems/credit-scoring.html#ev-ra-2026")
    evidence = page.locator(".rg-evidence", has=page.locator("#ev-ra-2026"))
    assert "Approved by Alice (RAILead) on 2026-02-01" in evidence.inner_text()
    with page.expect_response(lambda response: response.url.endswith("ra-2026.md")) as answer:
        evidence.locator("a.rg-artifact").click()
    assert answer.value.status == 200
    assert "The risks were assessed." in answer.value.text()
    _assert_no_data_script(page)
    assert page.events["errors"] == []
    assert page.events["outside"] == []


@pytest.mark.parametrize(("typed", "lands_on", "heading"), [
    ("TC-01", "controls/tc-01.html", "TC-01 — Control TC-01"),
    ("TF 1(a)", "frameworks/test-fw/r1-a.html", "TF 1(a)"),
    ("credit-scoring", "systems/credit-scoring.html", "Credit scoring model"),
    ("Credit scoring", "systems/credit-scoring.html", "Credit scoring model"),
])
def test_search_ranks_the_id_typed_first_when_served(page: Any, served_site: str, typed: str, lands_on: str,
                                                      heading: str) -> None:
    """Typing an id (or a system's title) in the header's search box gives its page as the first
    hit, and Enter opens it."""
    page.goto(served_site + "frameworks/index.html")
    first = _search(page, typed)
    assert first.get_attribute("href").endswith(lands_on)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == served_site + lands_on
    assert _h1(page).startswith(heading)
    assert page.events["errors"] == []
    assert page.events["outside"] == []


def test_no_script_from_data_runs(page: Any, served_site: str) -> None:
    """A system titled with a script tag and a javascript: link shows that text; nothing runs,
    not on its page, not in search results, not from an HTML artefact."""
    page.goto(served_site + "systems/chatbot.html")
    assert _h1(page) == XSS_TITLE
    assert XSS_TITLE in page.title()
    _assert_no_data_script(page)
    # Material draws the vendored Mermaid into a closed shadow root: the source block is replaced.
    page.locator("div.mermaid").first.wait_for()
    assert page.locator("pre.mermaid").count() == 0
    assert page.locator("div.mermaid").first.bounding_box()["height"] > 80

    hit = _search(page, "chatbot")
    assert "<script>window.__pwned=1</script>" in hit.inner_text()
    assert hit.locator("script").count() == 0
    _assert_no_data_script(page)

    page.goto(served_site + "index.html")
    _assert_no_data_script(page)
    page.goto(served_site + "artifacts/credit-scoring/ev-web/web.html.txt")
    assert "<script>window.__pwned=1</script>" in page.locator("body").inner_text()
    _assert_no_data_script(page)
    assert page.events["errors"] == []
    assert page.events["outside"] == []


# --- search from disk, and on the example organisation ---------------------------------------


@pytest.fixture(scope="module")
def disk_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture repository's internal site, opened straight from disk (no server)."""
    repo = build_fixture(tmp_path_factory.mktemp("disk") / "repo")
    return build(repo.root, tmp_path_factory.mktemp("out-disk"))


@contextmanager
def _disk_tab(folder: Path) -> Iterator[Any]:
    """A browser page for a site on disk that may read files of ``folder`` only."""
    sync_api = _require_browser()
    allowed = folder.resolve().as_uri() + "/"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        tab.events = {"errors": [], "outside": []}

        def route(request_route: Any) -> None:
            if request_route.request.url.startswith(allowed):
                request_route.continue_()
            else:
                tab.events["outside"].append(request_route.request.url)
                request_route.abort()

        tab.route("**/*", route)
        tab.on("pageerror", lambda error: tab.events["errors"].append(str(error)))
        try:
            yield tab
        finally:
            context.close()
            browser.close()


def test_search_works_from_file_urls(disk_site: Path) -> None:
    """Opened from disk (file://, where lunr's fetch of its index fails), typing a control's id
    lists its page first and Enter opens it; from a clause page two folders down as well."""
    with _disk_tab(disk_site) as tab:
        tab.goto((disk_site / "index.html").as_uri())
        first = _search(tab, "TC-01")
        assert first.get_attribute("href").endswith("controls/tc-01.html")
        with tab.expect_navigation():
            tab.keyboard.press("Enter")
        assert tab.url == (disk_site / "controls" / "tc-01.html").as_uri()
        tab.goto((disk_site / "frameworks" / "test-fw" / "r1-a.html").as_uri())
        first = _search(tab, "credit-scoring")
        assert tab.evaluate("window.raiGraphSearch.loadMilliseconds") < 5_000
        with tab.expect_navigation():
            first.click()
        assert tab.url == (disk_site / "systems" / "credit-scoring.html").as_uri()
        assert _h1(tab) == "Credit scoring model"
        assert tab.events["errors"] == []
        assert tab.events["outside"] == []


_RANK_EVERY_ID = """() => new Promise(resolve => window.raiGraphSearch.load(() => {
  const index = window.RAI_GRAPH_SEARCH_INDEX;
  const entries = index.entries.map(e => ({id: e[1], kind: index.kinds[e[0]],
                                           href: index.folders[e[4]] + e[5] + ".html"}));
  const byKey = new Map();
  for (const entry of entries) {
    const key = window.raiGraphSearch.tokens(entry.id).join(" ");
    byKey.set(key, (byKey.get(key) || []).concat([entry.href]));
  }
  const wrong = [];
  for (const entry of entries) {
    if (entry.kind === "page") continue;
    const first = window.raiGraphSearch.search(entry.id, 1)[0];
    const owners = byKey.get(window.raiGraphSearch.tokens(entry.id).join(" "));
    if (!first || !owners.includes(first.href) || (owners.length === 1 && first.href !== entry.href)) {
      wrong.push(entry.id + " -> " + (first ? first.href : "nothing"));
    }
  }
  resolve({checked: entries.length, wrong: wrong, ms: window.raiGraphSearch.loadMilliseconds});
}))"""


@pytest.mark.slow
def test_every_id_of_the_example_ranks_its_own_page_first(tmp_path: Path) -> None:
    """On the example organisation, the search for each system name, control notation, clause
    notation and framework gives that record's page first (an id two records share gives one
    of them), and the index is small (under 400 kB)."""
    result = run(ROOT, dt.date(2026, 11, 24))
    sources = render_site(result, "internal")
    for relative, data in sources.static.items():
        if relative.startswith("assets/search"):
            (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / relative).write_bytes(data)
    (tmp_path / "index.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"></head><body>'
        '<div class="md-header__inner"></div><script src="assets/search.js"></script></body></html>',
        encoding="utf-8")
    assert (tmp_path / "assets" / "search-index.js").stat().st_size < 400_000
    with _disk_tab(tmp_path) as tab:
        tab.goto((tmp_path / "index.html").as_uri())
        outcome = tab.evaluate(_RANK_EVERY_ID)
        assert tab.events["errors"] == []
    assert outcome["checked"] > 1600
    assert outcome["wrong"] == []
