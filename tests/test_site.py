"""The traceability site: escaping, page generation, audiences, strict MkDocs builds and links."""

from __future__ import annotations

import datetime as dt
import html
import http.client
import json
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rai_graph.audience import NEUTRAL_REASON, Audience
from rai_graph.cli import main
from rai_graph.commands.site import run_mkdocs, serve_directory
from rai_graph.pipeline import run
from rai_graph.render.site import SOURCE_DIR, mkdocs_yaml, render_site
from rai_graph.render.site._common import paged_table
from rai_graph.render.site._controls import readable_duration
from rai_graph.render.site._data import natural_key
from rai_graph.render.site._frameworks import guidance_markdown
from rai_graph.render.site._markdown import block, front_matter, http_url, inline, link, mermaid_label

from repo_builder import GovernanceRepo, literal

# Its module-scoped outputs are built once, on one worker (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("test_site")

ROOT = Path(__file__).parent.parent
AS_OF = "2026-06-01"
XSS_TITLE = "<script>window.__pwned=1</script> [x](javascript:alert(1))"
SECRET = "ZZSECRETMARKER7731"
INTERNAL = "ZZINTERNALMARKER4409"
EXTENSIONS = ["tables", "attr_list", "admonition", "md_in_html", "pymdownx.details", "toc",
              "pymdownx.superfences"]


# --- fixtures -------------------------------------------------------------------------------


def build_fixture(root: Path) -> GovernanceRepo:
    """A small repository with a clause hierarchy, an approved system, a hostile title, and
    a Confidential and an Internal evidence record carrying unique markers."""
    repo = GovernanceRepo(root).with_base()
    repo.add_requirement("R1-a", "TF 1(a)", broader="R1")
    repo.add_system()
    repo.add_approved_evidence("ra-2026", confidentiality="Public")
    repo.add_system("chatbot", "Chatbot", title=XSS_TITLE)
    repo.add_evidence(
        "hostile", system="chatbot", confidentiality="Public",
        extra=[("rai:validUntil", '"2026-12-31"^^xsd:date')],
        omit=["dcterms:title"],
    )
    # The hostile record's title (written by hand: repo_builder titles are "Evidence <id>").
    _retitle(repo, "evidence/chatbot/hostile.ttl", XSS_TITLE)
    repo.add_evidence(
        f"conf-{SECRET.lower()}", system="chatbot", confidentiality="Confidential",
        artifact_bytes=f"# {SECRET} confidential content\n".encode(), omit=["dcterms:title"],
    )
    _retitle(repo, f"evidence/chatbot/conf-{SECRET.lower()}.ttl", f"Red team {SECRET}")
    repo.add_evidence(
        f"int-{INTERNAL.lower()}", system="chatbot", confidentiality="Internal",
        artifact_bytes=f"{INTERNAL} internal content\n".encode(), omit=["dcterms:title"],
    )
    _retitle(repo, f"evidence/chatbot/int-{INTERNAL.lower()}.ttl", f"Review {INTERNAL}")
    page = b"<html><script>window.__pwned=1</script></html>"
    repo.write_bytes("evidence/credit-scoring/web.html", page)
    repo.add_evidence("web", system="credit-scoring", confidentiality="Public", artifact_bytes=page,
                      artifact_path="web.html")
    repo.add_system("hr", "HrTool", title="HR screening tool")
    repo.add_approved_evidence(f"hr-{INTERNAL.lower()}", system="hr", confidentiality="Internal")
    repo.add_waiver("waiver-1", system="chatbot")
    repo.add_evidence("model-card-v1.2", system="credit-scoring", evidence_type="ModelCard")
    return repo


def _retitle(repo: GovernanceRepo, relpath: str, title: str) -> None:
    path = repo.root / relpath
    text = path.read_text(encoding="utf-8").rstrip()
    assert text.endswith(" .")
    path.write_text(text[:-2] + f" ;\n    dcterms:title {literal(title)} .\n", encoding="utf-8")


def build(repo_root: Path, out: Path, audience: Audience = "internal") -> Path:
    """Run ``site build`` for ``audience``; return the built site's folder."""
    site_dir = out / f"site-{audience}"
    result = CliRunner().invoke(main, ["site",
        "build", "--repo", str(repo_root), "--as-of", AS_OF, "--audience", audience,
        "-o", str(site_dir), "--source-dir", str(out / f"src-{audience}"),
    ], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return site_dir


def search_index(site_dir: Path) -> dict[str, Any]:
    """The search index a built site loads (``assets/search-index.js``), as data."""
    text = (site_dir / "assets" / "search-index.js").read_text(encoding="ascii")
    prefix = "window.RAI_GRAPH_SEARCH_INDEX="
    assert text.startswith(prefix)
    assert text.endswith(";\n")
    index: dict[str, Any] = json.loads(text[len(prefix):-2])
    return index


@pytest.fixture(scope="module")
def fixture_repo(tmp_path_factory: pytest.TempPathFactory) -> GovernanceRepo:
    return build_fixture(tmp_path_factory.mktemp("site") / "repo")


@pytest.fixture(scope="module")
def internal_site(fixture_repo: GovernanceRepo, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(fixture_repo.root, tmp_path_factory.mktemp("out"))


# --- escaping -------------------------------------------------------------------------------


def _render(markdown_text: str) -> str:
    return markdown.markdown(markdown_text, extensions=EXTENSIONS)


def test_inline_escapes_markdown_and_html() -> None:
    """Links, tags, attribute lists, emphasis and table pipes in data become plain text."""
    text = "<script>x</script> [x](javascript:alert(1)) {: onclick=\"a()\"} *b* | c & d `e`"
    rendered = _render(inline(text))
    assert "<script" not in rendered
    assert "<a " not in rendered
    assert "onclick=" not in rendered
    assert "<em>" not in rendered
    assert "<code>" not in rendered
    assert html.unescape(re.sub(r"</?p>", "", rendered)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
@example("-\n0")  # once rendered as a bullet list
@example("1. first")
def test_inline_text_renders_as_itself(text: str) -> None:
    """Whatever the text, Python-Markdown renders the escaped form as exactly that text, with no tag."""
    rendered = _render(inline(text))
    inner = re.sub(r"^<p>|</p>$", "", rendered)
    assert "<" not in inner
    expected = re.sub(r"\s+", " ", re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", text)).strip()
    assert html.unescape(inner) == expected


def test_inline_inside_table_cells_and_headings() -> None:
    """A pipe cannot split a cell, and a heading's text cannot add attributes to it."""
    table = f"| a | b |\n|---|---|\n| {inline('x | y')} | z |"
    assert _render(table).count("<td>") == 2
    heading = _render("## " + inline("Title {: #evil onclick=alert(1) }"))
    assert "onclick=" not in heading.split(">", 1)[0]
    assert "#evil" not in heading.split(">", 1)[0]


def test_block_keeps_lines_but_no_syntax() -> None:
    """Numbered, bulleted and heading-like lines of official text stay text; line breaks stay."""
    rendered = _render(block("1. first\n- second\n# third\n\n    indented code?"))
    assert "<ol>" not in rendered
    assert "<ul>" not in rendered
    assert "<h1" not in rendered
    assert "<pre>" not in rendered
    assert "<code>" not in rendered
    assert rendered.count("<br>") == 2
    assert rendered.count("<p>") == 2


def test_link_refuses_targets_that_are_not_site_paths() -> None:
    """Link targets are built from slugs; anything else is a bug and raises."""
    assert link("[x]", "../a/b.md#ev-x") == "[&#91;x&#93;](../a/b.md#ev-x)"
    for bad in ("javascript:alert(1)", "a b.md", "x.md)", ""):
        with pytest.raises(ValueError, match="not a site link target"):
            link("x", bad)


def test_mermaid_label_has_only_letters_digits_and_codes() -> None:
    """Mermaid labels keep letters, digits and spaces; everything else is a #code; entity."""
    label = mermaid_label('"]; click A call alert(1) <b>')
    assert re.fullmatch(r"[A-Za-z0-9 ]*(#\d+;[A-Za-z0-9 ]*)*", label)
    assert label.startswith("#34;#93;#59; click A call alert#40;1#41;")


def test_front_matter_title_is_inert_in_raw_html() -> None:
    """The page title MkDocs inserts unescaped carries no tag-opening character."""
    text = front_matter("</title><script>alert(1)</script>")
    meta = yaml.safe_load(text.strip().strip("-"))
    assert "<" not in meta["title"]
    assert ">" not in meta["title"]
    assert html.unescape(meta["title"]) == "</title><script>alert(1)</script>"
    assert meta["hide"] == ["navigation"]


def test_http_url_accepts_only_http_and_https() -> None:
    """Outside links are kept only for absolute http(s) URLs."""
    assert http_url("https://eur-lex.europa.eu/eli/reg/2024/1689/oj") == "https://eur-lex.europa.eu/eli/reg/2024/1689/oj"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil", "https://a b", None):
        assert http_url(bad) is None


def test_guidance_keeps_structure_and_only_http_links() -> None:
    """Playbook guidance keeps bullets, headings and http(s) links; other links become text."""
    rendered = _render(guidance_markdown(
        "### Organizations can document\n- one [URL](https://example.org/a)\n- two [x](javascript:alert(1))\n"
        "<img src=x onerror=alert(1)>"))
    assert "<ul>" in rendered
    assert rendered.count("<li>") == 2
    assert '<a class="rg-external" href="https&#58;//example.org/a"' in rendered
    assert "javascript:alert" not in rendered.replace("javascript&#58;alert", "")
    assert "<img" not in rendered
    assert "<strong>Organizations can document</strong>" in rendered


def test_natural_order_of_notations() -> None:
    """Articles before annexes, numbers and Roman numerals in numeric order."""
    notations = ["Annex X", "Art. 10", "Annex IV", "Art. 2", "Annex IX", "Art. 9(2)(a)", "Art. 9(10)",
                 "Art. 9(2)", "Annex I"]
    assert sorted(notations, key=natural_key) == [
        "Art. 2", "Art. 9(2)", "Art. 9(2)(a)", "Art. 9(10)", "Art. 10", "Annex I", "Annex IV", "Annex IX",
        "Annex X"]


def test_durations_read_as_words() -> None:
    """Maximum evidence ages read as words, with the ISO form kept; odd values stay as written."""
    assert readable_duration("P365D") == "365 days (P365D)"
    assert readable_duration("P1Y6M") == "1 year 6 months (P1Y6M)"
    assert readable_duration("PT5H") == "PT5H"


def test_long_tables_are_paged_with_a_pager() -> None:
    """A table longer than a page is split into sibling pages that link to each other."""
    rows = [(str(n), "x") for n in range(601)]
    pages = paged_table("gaps/index.md", "Gaps", "intro", ["N", "X"], rows, per_page=250)
    assert list(pages) == ["gaps/index.md", "gaps/page-2.md", "gaps/page-3.md"]
    assert all(text.count("\n| ") <= 252 for text in pages.values())
    assert "Pages: **1** · [2](page-2.md) · [3](page-3.md)" in pages["gaps/index.md"]
    assert "Pages: [1](index.md) · [2](page-2.md) · **3**" in pages["gaps/page-3.md"]
    assert "| 600 | x |" in pages["gaps/page-3.md"]


# --- page generation ------------------------------------------------------------------------


def test_every_record_has_a_page(fixture_repo: GovernanceRepo) -> None:
    """Each framework, clause, control and system gets a page; the navigation targets exist."""
    result = run(fixture_repo.root, dt.date.fromisoformat(AS_OF))
    pages = render_site(result, "internal").pages
    for page in ("index.md", "frameworks/index.md", "frameworks/test-fw/index.md", "frameworks/test-fw/r1.md",
                 "frameworks/test-fw/r1-a.md", "controls/index.md", "controls/tc-01.md",
                 "systems/index.md", "systems/credit-scoring.md", "systems/chatbot.md", "gaps/index.md",
                 "organisation.md", "expiring.md", "waivers.md", "errors.md"):
        assert page in pages, sorted(pages)


def test_clause_page_shows_hierarchy_controls_and_evidence(fixture_repo: GovernanceRepo) -> None:
    """A point's page lists the control satisfying its parent, per system its status, the
    evidence (linked), who approved it and until when it is current."""
    result = run(fixture_repo.root, dt.date.fromisoformat(AS_OF))
    page = render_site(result, "internal").pages["frameworks/test-fw/r1-a.md"]
    assert "[Test framework](index.md) › [TF 1](r1.md) › TF 1&#40;a&#41;" in page.replace("test-fw", "Test framework")
    assert "[TC-01](../../controls/tc-01.md){ .rg-id }" in page
    assert "| [TF 1](r1.md) |" in page  # through the broader clause
    row = next(line for line in page.splitlines() if "Credit scoring model" in line)
    assert "rg-met" in row
    assert "[Evidence ra-2026](../../systems/credit-scoring.md#ev-ra-2026)" in row
    assert "Approved by Alice &#40;RAILead&#41; on 2026-02-01" in row
    assert "current until 2027-01-15" in row


def test_system_page_has_gaps_matrix_evidence_provenance_and_graph(fixture_repo: GovernanceRepo) -> None:
    """A system page carries its facts, gaps with next steps, status matrix, evidence with its
    hash and approvals, waivers and a Mermaid trace graph."""
    result = run(fixture_repo.root, dt.date.fromisoformat(AS_OF))
    page = render_site(result, "internal").pages["systems/chatbot.md"].split("\n---\n", 1)[1]
    for section in ("## Gaps and what to do next { #gaps }", "## Status matrix { #status }",
                    "## Trace graph { #trace }", "## Evidence { #evidence }", "## Waivers { #waivers }"):
        assert section in page
    assert "```mermaid\nflowchart LR" in page
    assert "<script" not in page
    assert "](javascript" not in page
    assert inline(XSS_TITLE) in page
    assert "SHA-256 <code>" in page
    assert "verified" in page


def test_html_artifact_is_copied_as_text(fixture_repo: GovernanceRepo) -> None:
    """An HTML artefact is published with a .txt suffix so it can never run in the site's origin."""
    result = run(fixture_repo.root, dt.date.fromisoformat(AS_OF))
    artifacts = render_site(result, "public").artifacts
    assert artifacts == {
        "artifacts/credit-scoring/ev-web/web.html.txt": "evidence/credit-scoring/web.html",
        "artifacts/credit-scoring/ev-ra-2026/ra-2026.md": "evidence/credit-scoring/ra-2026.md",
        "artifacts/chatbot/ev-hostile/hostile.md": "evidence/chatbot/hostile.md",
    }


def test_hidden_evidence_reason_is_neutral(fixture_repo: GovernanceRepo) -> None:
    """For a customer, a pair met by Internal evidence shows its status with a neutral reason;
    the internal edition names the evidence."""
    result = run(fixture_repo.root, dt.date.fromisoformat(AS_OF))
    page = render_site(result, "customer").pages["controls/tc-01.md"]
    row = next(line for line in page.splitlines() if "HR screening tool" in line)
    assert INTERNAL.lower() not in page
    assert f"| {NEUTRAL_REASON['met']} |" in row
    assert "1 record withheld at this audience &#40;customer&#41;" in row
    assert "rg-met" in row
    assert INTERNAL.lower() in render_site(result, "internal").pages["controls/tc-01.md"]


def _table_rows(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.lstrip().startswith("|")) + text.count("<tr")


@pytest.mark.slow
def test_a_thousand_systems_give_no_page_over_500_rows(tmp_path: Path) -> None:
    """With 1,000 systems every page stays under about 500 table rows (lists are paged or grouped)."""
    from rai_graph.authoring.generator import generate_repository

    generate_repository(tmp_path / "big", systems=1000, seed=1)
    result = run(tmp_path / "big", dt.date(2026, 11, 24))
    pages = render_site(result, "internal").pages
    worst = max(pages, key=lambda p: _table_rows(pages[p]))
    assert _table_rows(pages[worst]) <= 520, worst
    assert len([p for p in pages if p.startswith("systems/tier-")]) >= 4


# --- built sites ----------------------------------------------------------------------------


def _files(folder: Path) -> Iterator[Path]:
    return (p for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("audience", ["customer", "public"])
def test_nothing_above_the_audience_appears_anywhere(
    fixture_repo: GovernanceRepo, tmp_path: Path, audience: Audience
) -> None:
    """Titles, ids, artefact names, contents and hashes of Confidential and Internal evidence
    appear in no file of the output (search index included), and their artefacts are not copied."""
    out = tmp_path / audience
    site_dir = build(fixture_repo.root, out, audience)
    secret_hash = _sha_of(fixture_repo, f"evidence/chatbot/conf-{SECRET.lower()}.md")
    internal_hash = _sha_of(fixture_repo, f"evidence/chatbot/int-{INTERNAL.lower()}.md")
    markers = [SECRET, SECRET.lower(), INTERNAL, INTERNAL.lower(), secret_hash, internal_hash,
               secret_hash[:10], internal_hash[:10]]
    for folder in (site_dir, out / f"src-{audience}"):
        for path in _files(folder):
            data = path.read_bytes()
            assert not any(m.encode() in data for m in markers), path
            assert not any(m in path.as_posix() for m in markers), path
    assert (site_dir / "assets" / "search-index.js").is_file()
    copied = sorted(p.relative_to(site_dir).as_posix() for p in _files(site_dir / "artifacts"))
    assert copied == ["artifacts/chatbot/ev-hostile/hostile.md", "artifacts/credit-scoring/ev-ra-2026/ra-2026.md",
                      "artifacts/credit-scoring/ev-web/web.html.txt"]


def test_internal_site_does_show_the_markers(internal_site: Path) -> None:
    """The leak test can fail: the internal edition does carry the planted records."""
    page = (internal_site / "systems" / "chatbot.html").read_text(encoding="utf-8")
    assert SECRET in page
    assert INTERNAL in page
    assert any(SECRET.lower() in p.as_posix() for p in _files(internal_site / "artifacts"))


def _sha_of(repo: GovernanceRepo, relpath: str) -> str:
    import hashlib

    return hashlib.sha256((repo.root / relpath).read_bytes()).hexdigest()


def test_titles_with_script_render_as_text(internal_site: Path) -> None:
    """No page of the built site contains a script element or javascript: link from data."""
    for path in internal_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in text, path
        assert not re.search(r"""href=["']?\s*javascript:""", text, re.IGNORECASE), path
    page = (internal_site / "systems" / "chatbot.html").read_text(encoding="utf-8")
    assert "&#60;script&#62;window.__pwned=1&#60;/script&#62;" in page
    index = (internal_site / "assets" / "search-index.js").read_text(encoding="ascii")
    assert "<" not in index
    assert ">" not in index
    assert search_index(internal_site)["entries"], "the index lists the records"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            if (name == "href" and tag in ("a", "link")) or (name == "src" and tag in ("script", "img")):
                self.links.append(value)


def broken_links(site_dir: Path) -> list[str]:
    """Internal links of every HTML page whose file or fragment does not exist."""
    parsed: dict[Path, _Links] = {}

    def parse(path: Path) -> _Links:
        if path not in parsed:
            parser = _Links()
            parser.feed(path.read_text(encoding="utf-8"))
            parsed[path] = parser
        return parsed[path]

    broken = []
    # MkDocs' 404 page links with absolute paths on purpose: it is served for any missing URL.
    for page in sorted(p for p in site_dir.rglob("*.html") if p.name != "404.html"):
        for href in parse(page).links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site_dir)} → {href}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in parse(target).ids:
                broken.append(f"{page.relative_to(site_dir)} → {href} (no such anchor)")
    return broken


def test_fixture_site_has_no_broken_links(internal_site: Path) -> None:
    """Every internal link and anchor of the fixture's site resolves (artefacts included)."""
    assert broken_links(internal_site) == []
    assert (internal_site / ".rai-graph-site").is_file()


@pytest.mark.slow
def test_example_builds_strict_with_no_broken_links(tmp_path: Path) -> None:
    """The example organisation builds with MkDocs --strict, and no internal link is broken."""
    site_dir = tmp_path / "site"
    result = CliRunner().invoke(main, ["site",
        "build", "--repo", str(ROOT), "--as-of", "2026-11-24", "-o", str(site_dir),
        "--source-dir", str(tmp_path / "src"),
    ], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (site_dir / "frameworks" / "eu-ai-act" / "art9-2-a.html").is_file()
    assert broken_links(site_dir) == []


def test_root_mkdocs_yml_is_the_generated_configuration(fixture_repo: GovernanceRepo, tmp_path: Path) -> None:
    """The repository's mkdocs.yml equals the configuration the command uses, and builds strictly."""
    root_config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert root_config.split("\n", 2)[2] == mkdocs_yaml(SOURCE_DIR, "site")
    sources = render_site(run(fixture_repo.root, dt.date.fromisoformat(AS_OF)), "internal")
    source = tmp_path / "src"
    for relative, text in sources.pages.items():
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        (source / relative).write_text(text, encoding="utf-8")
    for relative, data in sources.static.items():
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        (source / relative).write_bytes(data)
    config = root_config.replace(f'"{SOURCE_DIR}"', json.dumps(str(source))).replace(
        '"site"', json.dumps(str(tmp_path / "out")))
    run_mkdocs(source, tmp_path / "out", config_text=config)
    assert (tmp_path / "out" / "index.html").is_file()


# --- the command ----------------------------------------------------------------------------


def test_build_refuses_a_foreign_output_folder(fixture_repo: GovernanceRepo, tmp_path: Path) -> None:
    """A non-empty folder that is not a site this command wrote is never emptied: exit 2."""
    target = tmp_path / "precious"
    target.mkdir()
    (target / "thesis.txt").write_text("do not delete", encoding="utf-8")
    result = CliRunner().invoke(main, ["site", "build", "--repo", str(fixture_repo.root), "-o", str(target),
                                       "--source-dir", str(tmp_path / "src")])
    assert result.exit_code == 2
    assert "refusing to replace" in result.output
    assert (target / "thesis.txt").read_text(encoding="utf-8") == "do not delete"


def test_build_twice_replaces_its_own_output(fixture_repo: GovernanceRepo, tmp_path: Path) -> None:
    """A second build into the same folders succeeds and leaves no stale page behind."""
    site_dir = build(fixture_repo.root, tmp_path)
    (site_dir / "stale.html").write_text("old", encoding="utf-8")
    build(fixture_repo.root, tmp_path)
    assert not (site_dir / "stale.html").exists()


def test_serve_no_build_needs_a_built_site(fixture_repo: GovernanceRepo, tmp_path: Path) -> None:
    """`site serve --no-build` on a folder without a site is a usage error, not a traceback."""
    result = CliRunner().invoke(main, ["site", "serve", "--repo", str(fixture_repo.root), "--no-build",
                                       "-o", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert "holds no built site" in result.output


def test_serve_directory_serves_the_site(internal_site: Path) -> None:
    """The server behind `site serve` answers with the built pages on 127.0.0.1."""
    server = serve_directory(internal_site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        connection.request("GET", "/index.html")
        response = connection.getresponse()
        body = response.read().decode("utf-8")
        connection.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert response.status == 200
    assert "AI compliance dashboard" in body


# --- search ---------------------------------------------------------------------------------


def test_search_index_lists_every_record_with_its_page(internal_site: Path, fixture_repo: GovernanceRepo) -> None:
    """Every system, control, clause and framework is in the search index with a link to its own
    built page; the hostile title is data in the index, never markup."""
    index = search_index(internal_site)
    kinds = index["kinds"]
    found = {(kinds[kind], ident): index["folders"][folder] + name + ".html"
             for kind, ident, _title, _detail, folder, name in index["entries"]}
    result = run(fixture_repo.root, dt.date.fromisoformat(AS_OF))
    assert found[("system", "credit-scoring")] == "systems/credit-scoring.html"
    assert found[("control", "TC-01")] == "controls/tc-01.html"
    assert found[("clause", "TF 1(a)")] == "frameworks/test-fw/r1-a.html"
    assert {ident for kind, ident in found if kind == "system"} == {s.name for s in result.model.systems.values()}
    assert {ident for kind, ident in found if kind == "clause"} == {
        r.notation for r in result.model.requirements.values()}
    for target in found.values():
        assert (internal_site / target).is_file(), target
    titles = [entry[2] for entry in index["entries"]]
    assert XSS_TITLE in titles


def test_search_index_of_the_public_site_names_no_hidden_record(fixture_repo: GovernanceRepo) -> None:
    """The index is built from what the audience sees: no evidence record is in it, at any level."""
    result = run(fixture_repo.root, dt.date.fromisoformat(AS_OF))
    from rai_graph.render.site._search import INDEX_PATH

    script = render_site(result, "public").static[INDEX_PATH].decode("ascii")
    for marker in (SECRET, INTERNAL, SECRET.lower(), INTERNAL.lower(), "ra-2026"):
        assert marker not in script
