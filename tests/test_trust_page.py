"""The trust page (``site build --audience public --trust-page``, issue #19 item 4).

Customers read it, so it shows what the public may see only: the adopted frameworks with where
the organisation stands, the AI systems in use with tier and purpose, the ``rai:Public``
commitments with the engine's status of the controls they rest on, their public evidence, review
dates and a contact. The threat: a commitment, evidence record, finding, approval, waiver or
person that the public may not see reaches the page, its evidence pages, its generated sources
or its copied artefacts. The repository of ``test_no_leaks`` (records of every level, each full
of marker strings) is extended with commitments of every level, a customer-level record, a waiver
and a person whose e-mail address is a marker; every byte of the output is searched.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

from hostile.harness import invoke
from rai_graph.load.repository import load_repository
from rai_graph.model import build_model
from rai_graph.pipeline import run
from rai_graph.render.site import render_trust_page
from rai_graph.render.site._data import SiteData
from rai_graph.render.site._trust import trust_pages
from test_no_leaks import (
    PLANTED,
    Planted,
    _evidence,
    assert_nothing_above,
    build_leak_repository,
    files_under,
    found_markers,
    run_ok,
)
from test_site import XSS_TITLE, broken_links
from test_site_browser import _assert_no_data_script, _h1, serving
from test_site_browser import page as browser_page  # noqa: F401  (its browser tab, on served_site below)

from repo_builder import GovernanceRepo, literal, sha256_hex

AS_OF = "2026-06-01"
ROOT = Path(__file__).resolve().parents[1]
RAI = "https://w3id.org/rai-graph/ns#"

CUSTOMER_BODY = b"QZCUSTBODY6614 customer due-diligence pack\n"
CUSTOMER_EVIDENCE = Planted("CustomerShareable evidence", (
    "QZCUSTTITLE6614", "qzcustid6614", "QZCUSTBODY6614", sha256_hex(CUSTOMER_BODY)[:16]), ("public",))
COMMITMENTS = Planted("commitments above Public", (
    "QZCONFCOMMIT1181", "QZCONFSTMT1181", "qzconfcontact1181", "qzconfcommit1181",
    "QZINTCOMMIT2272", "QZINTSTMT2272", "qzintcommit2272",
    "QZCUSTCOMMIT3363", "QZCUSTSTMT3363", "qzcustcommit3363",
    "QZNOLEVELCOMMIT4454", "QZTWOLEVELCOMMIT5545",
), ("public",))
PERSON = Planted("a person's name and e-mail address", ("qzperson9120",), ("public",))
WAIVER = Planted("a waiver's rationale", ("QZWAIVER5521",), ("public",))
TRUST_PLANTED = (*PLANTED, CUSTOMER_EVIDENCE, COMMITMENTS, PERSON, WAIVER)

PUBLIC_TITLE = "We assess the risks of every high-risk system"
PUBLIC_STATEMENT = "Before a high-risk AI system is used, its risks are assessed and approved."
REQUIREMENT_TITLE = "Our red teams test what we promise"
CARD_TITLE = "Support assistant system card"
PUBLIC_CARD = b"# Support assistant system card\n\nWhat it does and does not do.\n"


def _commitment(repo: GovernanceRepo, file: str, local: str, *, title: str, statement: str,
                levels: tuple[str, ...], rests_on: str = "ex:CTRL-1", evidence: tuple[str, ...] = (),
                contact: str = "mailto:trust@acme.example", reviewed: str = "2026-05-01") -> None:
    lines = [f"ex:{local} a rai:Commitment ;", f"    dcterms:title {literal(title)} ;",
             f"    rai:statement {literal(statement)} ;", f"    rai:restsOn {rests_on} ;",
             f'    rai:reviewedOn "{reviewed}"^^xsd:date ;', f"    rai:contact <{contact}>"]
    if evidence:
        lines.insert(4, "    rai:evidencedBy " + ", ".join(f"ex:{e}" for e in evidence) + " ;")
    if levels:
        lines[-1] += " ;"
        lines.append("    rai:confidentiality " + ", ".join(f"rai:{level}" for level in levels))
    repo.append_block(file, f"ex:{local}", "\n".join(lines) + " .\n")


def build_trust_repository(root: Path) -> GovernanceRepo:
    """The leak repository, plus: an adopted and an unadopted framework, a second (limited-risk)
    system owned by a person whose e-mail is a marker, a waived control, a CustomerShareable
    record, public commitments (one on a control, one on a requirement) and commitments of every
    other level."""
    repo = build_leak_repository(root)
    repo.write_text("rai-graph.toml", 'frameworks = ["test-fw"]\n')
    repo.write_text("frameworks/other-fw.ttl", "@prefix rai: <https://w3id.org/rai-graph/ns#> .\n"
                    "@prefix dcterms: <http://purl.org/dc/terms/> .\n\n"
                    "<https://w3id.org/rai-graph/framework/other-fw> a rai:Framework ;\n"
                    '    dcterms:title "Unadopted framework" .\n')
    repo.add_person("qzperson9120", roles=("ModelOwner",))
    repo.add_system("support-bot", "SupportBot", title="Support assistant", tier="LimitedRisk",
                    owner="qzperson9120")
    repo.add_control("CTRL-W", "TC-W", evidence_type="TestReport")
    repo.add_waiver("waiver-w", waives="CTRL-W", omit=("rai:rationale",),
                    extra=(("rai:rationale", literal("QZWAIVER5521 accepted until the next release")),))
    _evidence(repo, "qzcustid6614", title="Customer pack QZCUSTTITLE6614", level="CustomerShareable",
              body=CUSTOMER_BODY)
    repo.add_evidence("public-bot-card", system="support-bot", author="qzperson9120", confidentiality="Public",
                      evidence_type="ModelCard", artifact_bytes=PUBLIC_CARD, omit=("dcterms:title",),
                      extra=(("dcterms:title", literal(CARD_TITLE)),))
    repo.add_approval("public-bot-card-approval", "public-bot-card", system="support-bot")
    public_file, hidden_file = "controls/commitments.ttl", "controls/commitments-under-review.ttl"
    _commitment(repo, public_file, "public-risk-commitment", title=PUBLIC_TITLE, statement=PUBLIC_STATEMENT,
                levels=("Public",), rests_on="ex:CTRL-1, ex:CTRL-W",
                evidence=("z-public-risk", "public-bot-card", "qzcustid6614", "a-qzconfid7391", "qzintid2286"))
    _commitment(repo, public_file, "public-red-team-commitment", title=REQUIREMENT_TITLE,
                statement=XSS_TITLE, levels=("Public",), rests_on="tfw:R1", evidence=("public-red-team",),
                contact="javascript:alert(1)", reviewed="2026-04-02")
    _commitment(repo, public_file, "qzconfcommit1181", title="QZCONFCOMMIT1181", statement="QZCONFSTMT1181",
                levels=("Confidential",), contact="mailto:qzconfcontact1181@acme.example",
                evidence=("z-public-risk",), reviewed="2026-05-30")
    _commitment(repo, hidden_file, "qzintcommit2272", title="QZINTCOMMIT2272", statement="QZINTSTMT2272",
                levels=("Internal",), rests_on="ex:CTRL-LOG", evidence=("qzintid2286",))
    _commitment(repo, hidden_file, "qzcustcommit3363", title="QZCUSTCOMMIT3363", statement="QZCUSTSTMT3363",
                levels=("CustomerShareable",), evidence=("qzcustid6614",))
    _commitment(repo, hidden_file, "no-level-commitment", title="QZNOLEVELCOMMIT4454", statement="x", levels=())
    _commitment(repo, hidden_file, "two-level-commitment", title="QZTWOLEVELCOMMIT5545", statement="x",
                levels=("Public", "Internal"))
    return repo


@pytest.fixture(scope="module")
def trust_repo(tmp_path_factory: pytest.TempPathFactory) -> GovernanceRepo:
    return build_trust_repository(tmp_path_factory.mktemp("trust") / "repo")


@pytest.fixture(scope="module")
def trust_build(trust_repo: GovernanceRepo, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The trust page built by the command: ``site/`` (the output) and ``src/`` (its sources)."""
    out = tmp_path_factory.mktemp("trust-out")
    built = run_ok(["site", "build", "--repo", str(trust_repo.root), "--as-of", AS_OF, "--audience", "public",
                    "--trust-page", "-o", str(out / "site"), "--source-dir", str(out / "src")])
    assert built.exit_code == 0, built.output
    return out


# --- reading the built pages ------------------------------------------------------------------


def _text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _section(document: str, anchor: str) -> str:
    """The HTML from the heading with id ``anchor`` up to the next heading of the same or a higher level."""
    start = re.search(rf'<h(\d) id="{re.escape(anchor)}"', document)
    assert start is not None, f"no heading #{anchor}"
    level = int(start.group(1))
    end = re.compile(rf"<h[1-{level}][ >]").search(document, start.end())
    return document[start.start(): end.start() if end else len(document)]


def _rows(fragment: str) -> list[list[str]]:
    """The body rows of the tables in ``fragment``, as the text of their cells."""
    rows = [[_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", fragment, re.S)]
    return [row for row in rows if row]


def _hrefs(fragment: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'<a [^>]*href="([^"]*)"', fragment)]


# --- content ----------------------------------------------------------------------------------


def test_trust_page_shows_frameworks_systems_commitments_and_contact(
    trust_repo: GovernanceRepo, trust_build: Path
) -> None:
    """The page a customer reads: the adopted framework only, the systems in use with tier and
    purpose, each public commitment with its statement, the engine's status of every control it
    rests on, links to its public evidence (withheld ones counted), its review date, and a
    contact; the last review date is that of the public commitments only."""
    index = (trust_build / "site" / "index.html").read_text(encoding="utf-8")
    assert _text(re.search(r"<h1.*?</h1>", index, re.S).group(0)).removesuffix("¶").strip() == "Trust centre"

    frameworks = _section(index, "frameworks")
    assert [row[:2] for row in _rows(frameworks)] == [["Test framework", "1.0"]]
    assert "Unadopted framework" not in index

    assert _rows(_section(index, "systems")) == [
        ["Credit scoring model", "High risk", "Purpose of Credit scoring model."],
        ["Support assistant", "Limited risk", "Purpose of Support assistant."],
    ]

    result = run(trust_repo.root, dt.date.fromisoformat(AS_OF))
    [credit] = [s for s in result.assessment.systems if s.system.title == "Credit scoring model"]
    status = {p.control.title: p.status for p in credit.pairs}
    risk = _section(index, "c-public-risk-commitment")
    assert PUBLIC_TITLE in _text(risk)
    assert PUBLIC_STATEMENT in _text(risk)
    assert [(row[0], row[1], row[2].split()[0]) for row in _rows(risk) if len(row) == 3] == [
        ("Control TC-01", "Credit scoring model", status["Control TC-01"]),
        ("Control TC-W", "Credit scoring model", status["Control TC-W"]),
    ]
    assert status["Control TC-W"] == "waived"
    assert "Published evidence Evidence z-public-risk Support assistant system card not published: " \
           "3 records withheld at this audience (public)" in _text(risk)
    assert [h for h in _hrefs(risk) if not h.startswith("#")] == [
        "evidence/ev-z-public-risk.html", "evidence/ev-public-bot-card.html", "mailto:trust@acme.example"]
    assert "Last reviewed 2026-05-01" in _text(risk)

    # A commitment resting on a requirement shows every control satisfying it.
    red_team = _section(index, "c-public-red-team-commitment")
    assert [row[0] for row in _rows(red_team) if len(row) == 3] == [
        "Control TC-01", "Control TC-LOG", "Control TC-RED", "Control TC-W"]
    assert "Last reviewed 2026-04-02" in _text(red_team)
    assert "Questions" not in _text(red_team)  # its javascript: contact is not a contact

    about = _text(_section(index, "contact"))
    assert "Statuses as of 2026-06-01" in about
    assert "Commitments last reviewed 2026-05-01" in about  # not the confidential one's 2026-05-30
    assert "Contact trust@acme.example" in about
    assert not [h for h in _hrefs(index) if h.lower().startswith("javascript:")]


def test_evidence_page_shows_the_document_its_approval_by_role_and_the_commitments_it_supports(
    trust_build: Path,
) -> None:
    """Each public evidence record linked from a commitment has a page: what it is, its date, the
    approval the engine counts (by role, never by name), the document copied beside it with its
    SHA-256, and links back to the commitments it supports."""
    site = trust_build / "site"
    evidence = (site / "evidence" / "ev-z-public-risk.html").read_text(encoding="utf-8")
    text = _text(evidence)
    assert "What it is Risk assessment" in text or "What it is RiskAssessment" in text
    assert "Dated 2026-01-15" in text
    assert "Approval Approved on 2026-02-01 by the RAILead" in text
    assert "Alice" not in text
    links = _hrefs(evidence)
    document = next(h for h in links if h.startswith("../artifacts/"))
    copied = (site / "evidence" / document).resolve()
    assert copied.read_bytes() == b"# Risk assessment\n\nThe risks were assessed.\n"
    assert f"SHA-256 {sha256_hex(copied.read_bytes())}" in text
    assert "../index.html#c-public-risk-commitment" in links
    assert "../index.html#c-public-red-team-commitment" not in links


def test_every_link_of_the_trust_page_resolves(trust_build: Path) -> None:
    """No link or resource of any built page leads to a page, file or anchor that was not built;
    only the trust page and the evidence pages it links to are built."""
    site = trust_build / "site"
    assert broken_links(site) == []
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")) == [
        "404.html", "evidence/ev-public-bot-card.html", "evidence/ev-public-red-team.html",
        "evidence/ev-z-public-risk.html", "index.html"]


def test_trust_page_needs_the_public_audience(trust_repo: GovernanceRepo, tmp_path: Path) -> None:
    """--trust-page with any other audience is refused before anything is written."""
    refused = invoke(["site", "build", "--repo", str(trust_repo.root), "--as-of", AS_OF, "--audience", "customer",
                      "--trust-page", "-o", str(tmp_path / "site"), "--source-dir", str(tmp_path / "src")])
    refused.assert_clean_exit((2,))
    assert "--trust-page is read by anyone: build it with --audience public" in refused.output
    assert not (tmp_path / "site").exists()
    assert not (tmp_path / "src").exists()


# --- leaks ------------------------------------------------------------------------------------


def test_nothing_above_public_reaches_any_file_of_the_trust_page(trust_build: Path) -> None:
    """No marker of a commitment, evidence record (title, id, artefact name, bytes, hash, approval
    condition, input error), finding, waiver or person the public may not see is in any byte of
    the built trust page, its evidence pages, its copied artefacts or its generated sources."""
    blobs = {**{f"site/{k}": v for k, v in files_under(trust_build / "site").items()},
             **{f"src/{k}": v for k, v in files_under(trust_build / "src").items()}}
    assert any(name.startswith("site/artifacts/") for name in blobs)  # artefacts are searched too
    assert_nothing_above("public", blobs, TRUST_PLANTED)


def test_only_public_artefacts_of_published_evidence_are_copied(trust_repo: GovernanceRepo,
                                                                trust_build: Path) -> None:
    """Every file under artifacts/ is the artefact of a rai:Public record a public commitment
    links to, byte for byte: nothing above Public, nothing no page links to."""
    model = build_model(load_repository(trust_repo.root))
    by_hash = {e.sha256: e for e in model.evidence.values() if e.sha256}
    copied = files_under(trust_build / "site" / "artifacts")
    owners = {name: by_hash.get(sha256_hex(data)) for name, data in copied.items()}
    assert all(e is not None and e.confidentiality == URIRef(RAI + "Public") for e in owners.values()), owners
    assert sorted(str(e.iri).rsplit("/", 1)[-1] for e in owners.values() if e) == [
        "public-bot-card", "public-red-team", "z-public-risk"]


def test_the_markers_would_show_if_the_audience_let_them_through(trust_repo: GovernanceRepo) -> None:
    """The control case: the same renderer given the internal view shows the hidden commitments
    and the evidence behind them, so a clean search above means the public filter held (waiver
    rationales and people never appear on the trust page, whatever the audience)."""
    result = run(trust_repo.root, dt.date.fromisoformat(AS_OF))
    pages, _artifacts = trust_pages(SiteData(result, "internal"), "Trust centre")
    found = found_markers({name: text.encode() for name, text in pages.items()}, TRUST_PLANTED)
    assert {"QZCONFCOMMIT1181", "QZINTSTMT2272", "QZCUSTCOMMIT3363", "QZCONFTITLE7391",
            "QZCUSTTITLE6614", "qzconfcontact1181"} <= set(found)
    public = render_trust_page(result)
    assert not found_markers({n: t.encode() for n, t in public.pages.items()}, TRUST_PLANTED)


# --- the example organisation -----------------------------------------------------------------


@pytest.mark.slow
def test_example_trust_page_lists_the_public_commitments_only(tmp_path: Path) -> None:
    """On the example organisation, the trust page shows the four public commitments (not the
    one under review), each with working evidence links, and every link of every page resolves."""
    built = run_ok(["site", "build", "--repo", str(ROOT), "--as-of", "2026-11-24", "--audience", "public",
                    "--trust-page", "-o", str(tmp_path / "site"), "--source-dir", str(tmp_path / "src")])
    assert built.exit_code == 0, built.output
    model = build_model(load_repository(ROOT))
    public = {c.title for c in model.commitments.values() if c.confidentiality == URIRef(RAI + "Public")}
    hidden = {c.title for c in model.commitments.values()} - public
    assert len(public) == 4
    assert hidden
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    shown = {_text(h).removesuffix("¶").strip() for h in re.findall(r"<h3[^>]*>(.*?)</h3>", index, re.S)}
    assert shown == public
    assert not [title for title in hidden if title in html.unescape(index)]
    assert broken_links(tmp_path / "site") == []
    assert "Legacy" not in _text(_section(index, "systems"))  # retired: not in use


# --- in a browser -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served_site(trust_build: Path) -> Iterator[str]:
    """The fixture's trust page served on 127.0.0.1 (the browser ``page`` fixture talks to it)."""
    with serving(trust_build / "site") as url:
        yield url


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.slow
def test_trust_page_in_a_browser(browser_page: Any, served_site: str, tmp_path: Path) -> None:  # noqa: F811  (a fixture)
    """In Chromium the trust page shows its headings, a commitment with its statuses and contact,
    the repository's text as text (no script runs); the full-page screenshot holds every section;
    the commitment's evidence link opens the evidence page, whose document link serves the
    artefact."""
    tab = browser_page
    tab.goto(served_site + "index.html")
    assert _h1(tab) == "Trust centre"
    headings = [text.removesuffix("¶").strip() for text in tab.locator("article h2").all_inner_texts()]
    assert headings == ["Our commitments", "Frameworks we follow", "Our AI systems", "Reviews and contact"]
    commitment = tab.locator("#c-public-risk-commitment")
    assert commitment.inner_text().removesuffix("¶").strip() == PUBLIC_TITLE
    assert tab.get_by_text(PUBLIC_STATEMENT).is_visible()
    assert tab.get_by_text(XSS_TITLE, exact=True).is_visible()
    _assert_no_data_script(tab)
    contact = tab.locator("#contact ~ div a[href^='mailto:']")
    assert contact.get_attribute("href") == "mailto:trust@acme.example"

    shot = tab.screenshot(path=str(tmp_path / "trust-page.png"), full_page=True)
    width, height = _png_size(shot)
    assert width == 1280
    for selector in ("h1", "#commitments", "#c-public-risk-commitment", "#frameworks", "#systems", "#contact"):
        box = tab.locator(selector).bounding_box()
        assert box is not None, f"{selector} is not drawn"
        top = box["y"] + tab.evaluate("window.scrollY")
        assert top >= 0, f"{selector} is above the screenshot"
        assert top + box["height"] <= height, f"{selector} is below the screenshot"
    assert _png_size(commitment.screenshot())[1] > 10

    facts = tab.locator("xpath=//h3[@id='c-public-risk-commitment']/following-sibling::div[@class='rg-facts'][1]")
    assert "Last reviewed\t2026-05-01" in facts.inner_text()
    with tab.expect_navigation():
        facts.get_by_role("link", name="Evidence z-public-risk").click()
    assert tab.url == served_site + "evidence/ev-z-public-risk.html"
    assert _h1(tab) == "Evidence z-public-risk"
    with tab.expect_response(lambda response: response.url.endswith("z-public-risk.md")) as answer:
        tab.locator("a.rg-artifact").click()
    assert answer.value.status == 200
    assert "The risks were assessed." in answer.value.text()
    assert tab.events["errors"] == []
    assert tab.events["outside"] == []
