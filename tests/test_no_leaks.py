"""Nothing above an audience's level leaks into any output (issue #9, item 3).

One repository plants records of every level, each carrying unique marker strings in every place
a record can show: its title, its IRI and artefact file name, its artefact's bytes and their
SHA-256, its approval's conditions, a finding's description, the message of an input error about
it. Every output made for people (report in each format, evidence pack, questionnaire answers
and summary, the traceability site) is built for every audience, unpacked completely (zip entries
and their names, PDF text, spreadsheet cells, HTML entities, JSON escapes, URL escapes) and
searched: a marker above the audience's level must appear nowhere. The internal audience sees
every marker, which proves the markers are planted where they would show.

Outputs without an audience (check in every format, status, diff comments, kpis) are internal by
contract (``cli.md``: ``--audience`` is for "output for people"); they are checked never to carry
an artefact's *content*, which no output but the pack and the site ever copies.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from hostile.harness import Run, invoke
from rai_graph.audience import AUDIENCES, Audience

from git_helpers import commit_all, init
from repo_builder import DEFAULT_SYSTEM, GovernanceRepo, literal, sha256_hex

# Its module-scoped outputs are built once, on one worker (make test: --dist loadgroup).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_no_leaks")]  # not in `make test-fast`

AS_OF = "2026-06-01"
QUESTIONS = [
    "Has a risk assessment of the system been performed and approved?",
    "Are decisions logged with an audit trail so each outcome can be traced?",
    "Do you red-team the model? Provide the report.",
]


@dataclass(frozen=True)
class Planted:
    """The markers of one planted record and the audiences that must not see them."""

    name: str
    markers: tuple[str, ...]
    hidden_from: tuple[Audience, ...]


CONFIDENTIAL_BODY = b"QZCONFBODY7391 confidential red-team transcript\n"
INTERNAL_BODY = b"QZINTBODY2286 internal log pipeline design\n"
CONFIDENTIAL = Planted("Confidential evidence", (
    "QZCONFTITLE7391", "qzconfid7391", "QZCONFBODY7391", "QZCONFCOND7391",
    sha256_hex(CONFIDENTIAL_BODY)[:16], "qzconferr7391",
), ("public", "customer", "auditor"))
INTERNAL = Planted("Internal evidence", (
    "QZINTTITLE2286", "qzintid2286", "QZINTBODY2286", "QZINTCOND2286", sha256_hex(INTERNAL_BODY)[:16],
), ("public", "customer"))
CONFIDENTIAL_FINDING = Planted("Confidential finding", ("QZCONFFINDING5150",), ("public", "customer", "auditor"))
UNLABELLED_FINDING = Planted("finding without a level", ("QZNOLEVEL8832",), ("public", "customer", "auditor"))
TWO_LEVELS = Planted("evidence marked Internal and CustomerShareable", ("QZTWOLEVELS4417",), ("public", "customer"))
FINDING_TWO_LEVELS = Planted("finding marked Public and Confidential", ("QZFINDTWO6068",),
                             ("public", "customer", "auditor"))
PLANTED = (CONFIDENTIAL, INTERNAL, CONFIDENTIAL_FINDING, UNLABELLED_FINDING, TWO_LEVELS, FINDING_TWO_LEVELS)
GROUPS: dict[str, tuple[Planted, ...]] = {
    "evidence": (CONFIDENTIAL, INTERNAL),
    "findings": (CONFIDENTIAL_FINDING, UNLABELLED_FINDING),
    "two-level-evidence": (TWO_LEVELS,),
    "two-level-finding": (FINDING_TWO_LEVELS,),
}
OUTPUTS = ("reports", "packs", "answers", "sites")

# Known engine defects: (output, group) → the audiences that see what they must not, and why.
def _evidence(repo: GovernanceRepo, local: str, *, title: str, level: str, body: bytes,
              implements: tuple[str, ...] = ("CTRL-1",), evidence_type: str = "RiskAssessment",
              extra: tuple[tuple[str, str], ...] = (), sha256: str | None = None) -> None:
    repo.add_evidence(local, implements=implements, evidence_type=evidence_type, confidentiality=level,
                      artifact_bytes=body, sha256=sha256, omit=("dcterms:title",),
                      extra=(("dcterms:title", literal(title)), *extra))


def _finding(repo: GovernanceRepo, local: str, description: str, levels: tuple[str, ...]) -> None:
    lines = [f"ex:{local} a rai:Finding ;", f"    dcterms:title {literal('Finding ' + local)} ;",
             f"    dcterms:description {literal(description)} ;", "    rai:forSystem ex:CreditScoring ;",
             "    rai:concerns ex:CTRL-1 ;", "    rai:severity rai:High ;", "    rai:owner ex:bob ;",
             '    dcterms:created "2026-01-10"^^xsd:date ;', '    rai:dueDate "2026-09-01"^^xsd:date']
    if levels:
        lines[-1] += " ;"
        lines.append("    rai:confidentiality " + ", ".join(f"rai:{level}" for level in levels))
    repo.append_block(f"evidence/{DEFAULT_SYSTEM}/findings.ttl", f"ex:{local}", "\n".join(lines) + " .\n")


def build_leak_repository(root: Path) -> GovernanceRepo:
    """The shared base with one system whose controls are met by Public, Internal and Confidential
    evidence, under git: the first commit has only the public part, the working tree adds the rest
    (so ``diff`` reports every planted record)."""
    repo = GovernanceRepo(root).with_base()
    repo.add_control("CTRL-LOG", "TC-LOG", evidence_type="LoggingConfiguration",
                     extra=(("rai:answerText", literal("Every decision is logged with its inputs.")),))
    repo.add_control("CTRL-RED", "TC-RED", evidence_type="RedTeamReport")
    repo.add_system()
    repo.add_approved_evidence("z-public-risk", confidentiality="Public")
    _evidence(repo, "public-red-team", title="Public red team summary", level="Public",
              body=b"public summary\n", implements=("CTRL-RED",), evidence_type="RedTeamReport")
    init(repo.root)
    commit_all(repo.root, "public part")

    # Confidential: sorts first, so it is the evidence a status reason would cite.
    _evidence(repo, "a-qzconfid7391", title="Red team QZCONFTITLE7391", level="Confidential",
              body=CONFIDENTIAL_BODY, implements=("CTRL-1", "CTRL-RED"))
    repo.add_approval("a-qzconfid7391-approval", "a-qzconfid7391", conditions=("Retest QZCONFCOND7391",))
    _evidence(repo, "b-qzconferr7391", title="Second red team QZCONFTITLE7391", level="Confidential",
              body=b"changed since it was recorded\n", sha256=sha256_hex(b"what was recorded"))
    # Internal: the only evidence of the logging control.
    _evidence(repo, "qzintid2286", title="Logging design QZINTTITLE2286", level="Internal", body=INTERNAL_BODY,
              implements=("CTRL-LOG",), evidence_type="LoggingConfiguration")
    repo.add_approval("qzintid2286-approval", "qzintid2286", conditions=("Review QZINTCOND2286",))
    _evidence(repo, "qztwolevels4417", title="Fairness QZTWOLEVELS4417", level="Internal",
              body=b"two levels\n", extra=(("rai:confidentiality", "rai:CustomerShareable"),))
    _finding(repo, "confidential-finding", "QZCONFFINDING5150 jailbreak found", ("Confidential",))
    _finding(repo, "unlabelled-finding", "QZNOLEVEL8832 bias found", ())
    _finding(repo, "two-level-finding", "QZFINDTWO6068 leak found", ("Public", "Confidential"))
    _finding(repo, "public-finding", "A public finding", ("Public",))
    # Questions mapped to the controls, so that answers cite their evidence.
    bank = "".join(
        f"ex:q-{n} a rai:Question ;\n    rai:questionText {literal(question)} ;\n    rai:mapsToControl ex:{control} .\n"
        for n, (question, control) in enumerate(zip(QUESTIONS, ("CTRL-1", "CTRL-LOG", "CTRL-RED"), strict=True)))
    repo.write_text("controls/questions/bank.ttl", "@prefix ex: <https://example.org/acme/> .\n"
                    "@prefix rai: <https://w3id.org/rai-graph/ns#> .\n\n" + bank)
    return repo


@pytest.fixture(scope="module")
def leak_repo(tmp_path_factory: pytest.TempPathFactory) -> GovernanceRepo:
    return build_leak_repository(tmp_path_factory.mktemp("leaks") / "repo")


# --- searching everything an output holds -------------------------------------------------------


def texts_of(data: bytes, name: str = "") -> Iterator[str]:
    """Every text an output holds, unpacked: zip entries (names and contents, recursively), PDF text,
    spreadsheet cells, and the raw bytes with HTML, JSON and URL escapes undone."""
    yield name
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for entry in archive.namelist():
                yield from texts_of(archive.read(entry), entry)
        if _is_workbook(data):
            workbook = load_workbook(io.BytesIO(data))
            for sheet in workbook.worksheets:
                yield sheet.title
                for row in sheet.iter_rows(values_only=True):
                    yield "\t".join("" if cell is None else str(cell) for cell in row)
        return
    if data[:5] == b"%PDF-":
        reader = PdfReader(io.BytesIO(data))
        yield "\n".join(page.extract_text() or "" for page in reader.pages)
        yield str(reader.metadata or "")
    text = data.decode("utf-8", errors="replace")
    yield text
    yield html.unescape(text)
    yield unquote(text)
    if text.lstrip()[:1] in "[{":
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if parsed is not None:
            yield json.dumps(parsed, ensure_ascii=False)


def _is_workbook(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "xl/workbook.xml" in archive.namelist()


def found_markers(blobs: dict[str, bytes], planted: tuple[Planted, ...] = PLANTED) -> dict[str, list[str]]:
    """marker → the outputs (file or entry names) where it was found, case-insensitively."""
    found: dict[str, list[str]] = {}
    for where, data in blobs.items():
        haystack = "\n".join(texts_of(data, where)).casefold()
        for record in planted:
            for marker in record.markers:
                if marker.casefold() in haystack:
                    found.setdefault(marker, []).append(where)
    return found


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_nothing_above(audience: Audience, blobs: dict[str, bytes], planted: tuple[Planted, ...]) -> None:
    """No marker of a ``planted`` record hidden from ``audience`` is anywhere in ``blobs``."""
    found = found_markers(blobs, planted)
    leaks = {marker: where for record in planted if audience in record.hidden_from
             for marker in record.markers if (where := found.get(marker))}
    assert not leaks, f"shown to {audience}: {leaks}"


def run_ok(args: list[str]) -> Run:
    run = invoke(args)
    run.assert_clean_exit((0, 1))
    return run


def _leak_params() -> list[object]:
    params = []
    for output in OUTPUTS:
        for group in GROUPS:
            for audience in AUDIENCES:
                params.append(pytest.param(output, group, audience, id=f"{output}-{group}-{audience}"))
    return params


@pytest.mark.parametrize(("output", "group", "audience"), _leak_params())
def test_nothing_above_the_audience_appears(
    request: pytest.FixtureRequest, output: str, group: str, audience: Audience
) -> None:
    """Reports (every format), evidence packs, questionnaire answers and sites built for an audience
    hold no marker of a record above its level: no title, id, file name, content, hash, condition,
    finding text or error message."""
    made: dict[str, dict[str, bytes]] = request.getfixturevalue(output)
    assert_nothing_above(audience, made[audience], GROUPS[group])


@pytest.mark.parametrize("output", OUTPUTS)
def test_internal_audience_sees_the_planted_records(request: pytest.FixtureRequest, output: str) -> None:
    """The control case: for the internal audience every output shows the planted evidence (its
    content too where the output copies artefacts), so the searches above can find a leak."""
    made: dict[str, dict[str, bytes]] = request.getfixturevalue(output)
    found = found_markers(made["internal"])
    wanted = ["QZCONFTITLE7391", "QZINTTITLE2286"]
    if output in ("packs", "sites"):
        wanted += ["QZCONFBODY7391", "QZINTBODY2286", "QZCONFFINDING5150"]
    if output == "packs":
        wanted += ["QZCONFCOND7391", "qzconferr7391", CONFIDENTIAL.markers[4]]
    if output == "reports":
        wanted += ["QZCONFFINDING5150", "QZFINDTWO6068", "QZNOLEVEL8832"]
    assert not [m for m in wanted if m not in found], f"{output} for internal lacks markers; found {sorted(found)}"


# --- the report -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reports(leak_repo: GovernanceRepo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """``report`` in every format (PDF included) for every audience."""
    out = tmp_path_factory.mktemp("reports")
    made: dict[str, dict[str, bytes]] = {}
    for audience in AUDIENCES:
        made[audience] = {}
        for fmt in ("markdown", "html", "json", "pdf"):
            target = out / f"{audience}.{fmt}"
            run_ok(["report", "--repo", str(leak_repo.root), "--as-of", AS_OF, "--framework", "test-fw",
                    "--format", fmt, "--audience", audience, "-o", str(target)])
            made[audience][target.name] = target.read_bytes()
    return made




# --- the evidence pack ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def packs(leak_repo: GovernanceRepo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """``evidence-pack`` (with its PDF report) for every audience."""
    out = tmp_path_factory.mktemp("packs")
    made = {}
    for audience in AUDIENCES:
        target = out / f"{audience}.zip"
        run_ok(["evidence-pack", "--repo", str(leak_repo.root), "--as-of", AS_OF, "--system", DEFAULT_SYSTEM,
                "--audience", audience, "-o", str(target)])
        made[audience] = {target.name: target.read_bytes()}
    return made




# --- questionnaire answers ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def answers(leak_repo: GovernanceRepo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """``questionnaire answer`` into .csv and .xlsx, with its JSON and Markdown summaries, per audience."""
    from openpyxl import Workbook

    out = tmp_path_factory.mktemp("answers")
    source_csv = out / "questions.csv"
    source_csv.write_text("Ref,Question\n" + "".join(f'Q{n},"{q}"\n' for n, q in enumerate(QUESTIONS)),
                          encoding="utf-8")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Ref", "Question"])
    for n, question in enumerate(QUESTIONS):
        sheet.append([f"Q{n}", question])
    source_xlsx = out / "questions.xlsx"
    workbook.save(source_xlsx)
    made: dict[str, dict[str, bytes]] = {}
    for audience in AUDIENCES:
        made[audience] = {}
        for source, suffix, summary, ending in ((source_csv, "csv", "json", "json"),
                                                (source_xlsx, "xlsx", "markdown", "md")):
            target, report = out / f"{audience}.{suffix}", out / f"{audience}-{suffix}.{ending}"
            run_ok(["questionnaire", "answer", str(source), "--repo", str(leak_repo.root), "--as-of", AS_OF,
                    "--system", DEFAULT_SYSTEM, "--audience", audience, "-o", str(target),
                    "--format", summary, "--report", str(report)])
            made[audience][target.name] = target.read_bytes()
            made[audience][report.name] = report.read_bytes()
    return made




# --- the traceability site ----------------------------------------------------------------------------


def _site_command_available() -> bool:
    try:
        import rai_graph.commands.site  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def sites(leak_repo: GovernanceRepo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """``site build`` for every audience: every file of the site and of its generated sources."""
    if not _site_command_available():
        pytest.skip("rai_graph.commands.site is not importable yet (the site is being written)")
    out = tmp_path_factory.mktemp("sites")
    made = {}
    for audience in AUDIENCES:
        site, source = out / f"site-{audience}", out / f"src-{audience}"
        run_ok(["site", "build", "--repo", str(leak_repo.root), "--as-of", AS_OF, "--audience", audience,
                "-o", str(site), "--source-dir", str(source)])
        made[audience] = {**{f"site/{k}": v for k, v in files_under(site).items()},
                          **{f"src/{k}": v for k, v in files_under(source).items()}}
        assert any(name.endswith("assets/search-index.js") for name in made[audience])  # leak-checked too
    return made




# --- outputs without an audience (internal by contract) -------------------------------------------------


def test_ci_outputs_never_carry_artefact_contents(leak_repo: GovernanceRepo, tmp_path: Path) -> None:
    """check (every format and its step summary), status, diff comments and kpis are internal, but
    never copy an artefact's bytes: titles and paths appear, contents never."""
    root = str(leak_repo.root)
    repo_args = ["--repo", root, "--as-of", AS_OF]
    blobs: dict[str, bytes] = {}
    summary = tmp_path / "summary.md"
    for fmt in ("text", "json", "sarif", "junit", "github"):
        check = run_ok(["check", *repo_args, "--format", fmt, "--summary", str(summary)])
        blobs[f"check.{fmt}"] = check.stdout.encode()
    for fmt in ("text", "json", "markdown"):
        blobs[f"status.{fmt}"] = run_ok(["status", *repo_args, "--format", fmt]).stdout.encode()
    for fmt in ("markdown", "json", "text"):
        blobs[f"diff.{fmt}"] = run_ok(["diff", "HEAD", *repo_args, "--format", fmt]).stdout.encode()
    for fmt in ("json", "text"):
        blobs[f"kpis.{fmt}"] = run_ok(["kpis", *repo_args, "--format", fmt]).stdout.encode()
    blobs["summary.md"] = summary.read_bytes()
    contents = (Planted("artefact contents", ("QZCONFBODY7391", "QZINTBODY2286"), AUDIENCES),)
    assert found_markers(blobs, contents) == {}
    shown = found_markers(blobs)
    assert {"QZCONFTITLE7391", "QZINTTITLE2286"} <= set(shown), "the planted records are not in these outputs"
    diff_mentions = {m for m, where in shown.items() if any(w.startswith("diff.") for w in where)}
    assert diff_mentions & {*CONFIDENTIAL.markers, *INTERNAL.markers}, "the diff does not cover the planted records"


def test_markers_are_findable_in_every_container_the_search_opens(tmp_path: Path) -> None:
    """The search itself: a marker hidden in a zip inside a zip, a PDF, a spreadsheet cell, an HTML
    entity, a JSON escape and a URL escape is found (so a clean result means something)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["C7"] = "cell QZMARK1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("deep/QZMARK2.txt", "x")
        archive.writestr("book.xlsx", buffer.getvalue())
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner.zip", inner.getvalue())
    pdf = _pdf_with_text("pdf QZMARK3", tmp_path / "marker.pdf")
    blobs = {"outer.zip": outer.getvalue(), "page.pdf": pdf,
             "page.html": b"<p>&#81;ZMARK4</p>", "data.json": b'{"t": "\\u0051ZMARK5"}',
             "link.txt": b"https://x/%51ZMARK6"}
    markers = Planted("probe", tuple(f"QZMARK{i}" for i in range(1, 7)), AUDIENCES)
    assert set(found_markers(blobs, (markers,))) == set(markers.markers)


def _pdf_with_text(text: str, target: Path) -> bytes:
    from weasyprint import HTML

    HTML(string=f"<html><body><p>{html.escape(text)}</p></body></html>").write_pdf(target)
    return target.read_bytes()


def test_leak_repository_is_judged_as_intended(leak_repo: GovernanceRepo) -> None:
    """The fixture means what the tests assume: every control met, one input error, two shape
    errors for the two-level records."""
    status = run_ok(["status", "--repo", str(leak_repo.root), "--as-of", AS_OF, "--format", "json"]).json()
    [system] = status["systems"]
    assert {c["notation"]: c["status"] for c in system["controls"]} == {
        "TC-01": "met", "TC-LOG": "met", "TC-RED": "met"}
    errors = status["errors"]
    assert [e["kind"] for e in errors if "qzconferr7391" in e["message"]] == ["artifact"]
    assert re.search(r"qztwolevels4417", json.dumps(errors))
