"""questionnaire answer|learn: import, matching, answers from the status engine, audience, export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from rai_graph.cli import main
from rai_graph.pipeline import run
from rai_graph.questionnaire.answering import customer_value
from rai_graph.questionnaire.bank import load_bank
from rai_graph.questionnaire.calibration import probability
from rai_graph.questionnaire.importing import read_questionnaire

from git_helpers import commit_all, init
from repo_builder import GovernanceRepo, literal

AS_OF = "2026-06-01"
OUTPUT = ["answer", "explanation", "controls", "evidence", "confidence", "needs_review"]
REVIEW = ["suggestion_1", "suggestion_2", "suggestion_3", "review"]
ADDED = OUTPUT + REVIEW
INTERNAL_TITLE = "Secret log pipeline design"
SHAREABLE_TITLE = "Fairness results per group 2026"
EXPIRED_TITLE = "Old risk assessment 2024"

QUESTIONS = {
    "fair": "Do you test your models for bias across demographic groups? Provide evidence.",
    "log": "Are decisions logged with an audit trail so each outcome can be traced?",
    "chat": "Does your chatbot tell users that they are talking to an AI?",
    "bank": "Do you assess risks and test for fairness?",
    "risk": "Has a risk assessment of the system been performed and approved?",
    "revenue": "What is your company's annual revenue?",
}


def _control(repo: GovernanceRepo, local: str, notation: str, title: str, description: str,
             answer: str, *, tiers: str = "rai:HighRisk", evidence_type: str | None = None) -> None:
    props = [f"skos:notation {literal(notation)}", f"dcterms:title {literal(title)}",
             f"dcterms:description {literal(description)}", "rai:satisfies tfw:R1",
             f"rai:requiredForTier {tiers}", f"rai:answerText {literal(answer)}"]
    if evidence_type:
        props.append(f"rai:requiresEvidenceType rai:{evidence_type}")
    block = f"ex:{local} a rai:Control ;\n" + " ;\n".join(f"    {p}" for p in props) + " .\n"
    repo.append_block("controls/controls.ttl", f"ex:{local}", block)


@pytest.fixture
def governance(tmp_path: Path) -> GovernanceRepo:
    """A high-risk system with one met control per confidentiality level, one expired, one n/a."""
    repo = GovernanceRepo(tmp_path / "governance").with_base()
    _control(repo, "CTRL-FAIR", "TC-FAIR", "Fairness evaluation across protected groups",
             "Outcomes are evaluated for disparities between protected groups.",
             "We test outcomes for disparities across protected groups twice a year.",
             evidence_type="FairnessEvaluation")
    _control(repo, "CTRL-LOG", "TC-LOG", "Automatic event logging",
             "Each decision is logged in an audit trail with its inputs, model version and output, "
             "so that every outcome can be traced.",
             "Every decision is logged with its inputs and model version.")
    _control(repo, "CTRL-CHAT", "TC-CHAT", "Chatbot disclosure",
             "Chatbots tell people at the start of a conversation that they are talking to an AI.",
             "Our chatbots disclose that they are AI.", tiers="rai:LimitedRisk")
    repo.write_text("controls/answers.ttl", (
        "@prefix ex: <https://example.org/acme/> .\n"
        "@prefix rai: <https://w3id.org/rai-graph/ns#> .\n\n"
        "ex:CTRL-1 rai:answerText "
        f"{literal('Every high-risk system has a documented risk assessment, approved by the RAI Lead.')} .\n"))
    repo.add_system()
    repo.add_evidence("fair-eval", implements=("CTRL-FAIR",), evidence_type="FairnessEvaluation",
                      confidentiality="CustomerShareable", generated="2026-04-01",
                      extra=(("dcterms:title", literal(SHAREABLE_TITLE)),), omit=("dcterms:title",))
    repo.add_evidence("log-config", implements=("CTRL-LOG",), evidence_type="LoggingConfiguration",
                      confidentiality="Internal", generated="2026-04-01",
                      extra=(("dcterms:title", literal(INTERNAL_TITLE)),), omit=("dcterms:title",))
    repo.add_approved_evidence("old-risk", generated="2024-01-15", confidentiality="CustomerShareable",
                               extra=(("dcterms:title", literal(EXPIRED_TITLE)),), omit=("dcterms:title",))
    repo.write_text("controls/questions/bank.ttl", (
        "@prefix ex: <https://example.org/acme/> .\n"
        "@prefix rai: <https://w3id.org/rai-graph/ns#> .\n\n"
        "ex:q-risk-and-fairness a rai:Question ;\n"
        f"    rai:questionText {literal(QUESTIONS['bank'])} ;\n"
        "    rai:mapsToControl ex:CTRL-1 , ex:CTRL-FAIR .\n"))
    return repo


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def _customer_csv(tmp_path: Path) -> Path:
    """A CSV as customers send it: a title above the header, sections, blank rows."""
    return _write_csv(tmp_path / "questions.csv", [
        ["Acme Bank — AI vendor questionnaire", "", ""],
        ["", "", ""],
        ["Ref", "Question", "Comments"],
        ["", "SECTION A: GOVERNANCE", ""],
        ["A1", QUESTIONS["fair"], ""],
        ["A2", QUESTIONS["log"], "see appendix"],
        ["", "", ""],
        ["", "SECTION B: OTHER", ""],
        ["B1", QUESTIONS["chat"], ""],
        ["B2", QUESTIONS["bank"], ""],
        ["B3", QUESTIONS["risk"], ""],
        ["B4", QUESTIONS["revenue"], ""],
    ])


def _answer(repo: Path, source: Path, output: Path, *extra: str, audience: str = "customer") -> Result:
    return CliRunner().invoke(main, ["questionnaire",
        "answer", str(source), "--repo", str(repo), "--as-of", AS_OF, "--system", "credit-scoring",
        "--audience", audience, "-o", str(output), *extra], catch_exceptions=False)


def _rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text.split("\r\n", 2)[2], newline="")))


def _by_question(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {key: next(r for r in rows if r["Question"] == text) for key, text in QUESTIONS.items()}


# --- import ----------------------------------------------------------------------------------

def test_csv_import_finds_header_question_column_and_headings(tmp_path: Path) -> None:
    """A preamble, section rows in capitals and blank rows are kept but not taken for questions."""
    sheet = read_questionnaire(_customer_csv(tmp_path)).sheets[0]
    assert sheet.header_row == 3
    assert sheet.columns[sheet.question_column] == "Question"
    kinds = [row.kind for row in sheet.rows]
    assert kinds == ["preamble", "preamble", "header", "heading", "question", "question", "blank",
                     "heading", "question", "question", "question", "question"]


def test_owasp_checklist_import_finds_its_73_assessable_items() -> None:
    """The OWASP workbook's question sheet, column and assessable rows are found; meta sheets skipped."""
    path = Path(__file__).parents[1] / "examples/questionnaires/owasp-llm-checklist.xlsx"
    imported = read_questionnaire(path)
    assert [s.name for s in imported.sheets] == ["reqs_content"]
    assert imported.skipped_sheets == ["library_meta", "reqs_meta"]
    sheet = imported.sheets[0]
    assert sheet.columns[sheet.question_column] == "description"
    assert len(sheet.questions) == 73
    kinds = {row.number: row.kind for row in sheet.rows}
    assert kinds[2] == "not-assessable"  # the "Adversarial Risk" section text
    assert kinds[21] == "heading"  # a section with a name only
    assert kinds[3] == "question"


def test_surveyjs_import_reads_pages_panels_questions_and_choices() -> None:
    """The Canada AIA survey flattens to headings and questions; radio choices become the answer list."""
    path = Path(__file__).parents[1] / "examples/questionnaires/canada-aia-survey-enfr.json"
    sheet = read_questionnaire(path).sheets[0]
    assert len(sheet.questions) > 250
    first_heading = next(row for row in sheet.rows if row.kind == "heading")
    assert first_heading.question == "Project Details"
    scrutiny = next(r for r in sheet.questions if r.cells[1] == "riskProfile1")
    assert scrutiny.question.startswith("Is the project within an area of intense public scrutiny")
    assert scrutiny.allowed_answers == ("Yes", "No")


def test_question_column_override_by_header_or_letter(tmp_path: Path) -> None:
    """--question-column accepts a header text or a column letter, and an unknown one is an error."""
    source = _customer_csv(tmp_path)
    assert read_questionnaire(source, question_column="question").sheets[0].question_column == 1
    assert read_questionnaire(source, question_column="C").sheets[0].question_column == 2
    with pytest.raises(Exception, match="no column 'Nope'"):
        read_questionnaire(source, question_column="Nope")


# --- answers ---------------------------------------------------------------------------------

def test_answers_follow_the_status_engine(governance: GovernanceRepo, tmp_path: Path) -> None:
    """Met → Yes, expired → No, mixed → Partial, other tier → Not applicable, unknown → Needs review."""
    output = tmp_path / "answered.csv"
    result = _answer(governance.root, _customer_csv(tmp_path), output)
    assert result.exit_code == 0, result.output
    rows = _by_question(_rows(output))
    assert {k: r["answer"] for k, r in rows.items()} == {
        "fair": "Yes", "log": "Yes", "chat": "Not applicable", "bank": "Partial", "risk": "No",
        "revenue": "Needs review"}
    assert rows["fair"]["controls"] == "TC-FAIR"
    assert rows["bank"]["controls"] == "TC-01, TC-FAIR"
    assert rows["bank"]["confidence"] == str(round(probability("exact", ()), 2))
    assert rows["revenue"]["needs_review"] == "true"
    assert "Candidates:" in rows["revenue"]["explanation"]
    assert rows["fair"]["needs_review"] == "false"
    assert SHAREABLE_TITLE in rows["fair"]["evidence"]
    assert "uncommitted" in rows["fair"]["evidence"]


def test_a_failing_control_is_never_answered_yes_nor_cited(governance: GovernanceRepo,
                                                            tmp_path: Path) -> None:
    """Expired evidence makes the answer No or Partial and is never named as support."""
    output = tmp_path / "answered.csv"
    _answer(governance.root, _customer_csv(tmp_path), output, audience="internal")
    rows = _by_question(_rows(output))
    for key in ("risk", "bank"):
        assert rows[key]["answer"] in ("No", "Partial")
        assert EXPIRED_TITLE not in rows[key]["evidence"]
    assert rows["risk"]["explanation"].startswith("Not in place")
    assert "We test outcomes" not in rows["risk"]["explanation"]


def test_customer_answers_never_show_internal_evidence(governance: GovernanceRepo, tmp_path: Path) -> None:
    """Internal evidence is not named for a customer (anywhere in the file), but is for an auditor."""
    customer = tmp_path / "customer.xlsx"
    _answer(governance.root, _customer_csv(tmp_path), customer, audience="customer")
    cells = [str(c.value) for row in load_workbook(customer).active.iter_rows() for c in row if c.value]
    log_row = next(r for r in load_workbook(customer).active.iter_rows(values_only=True)
                   if r[1] == QUESTIONS["log"])
    assert not any(INTERNAL_TITLE in text for text in cells)
    assert "log-config" not in " ".join(cells)
    assert log_row[3] == "Yes"
    assert "1 record withheld at this audience (customer)" in str(log_row[4])
    auditor = tmp_path / "auditor.csv"
    _answer(governance.root, _customer_csv(tmp_path), auditor, audience="auditor")
    assert INTERNAL_TITLE in _by_question(_rows(auditor))["log"]["evidence"]


def test_citations_name_the_commit_of_the_evidence_record(governance: GovernanceRepo,
                                                          tmp_path: Path) -> None:
    """Committed evidence is cited with the short hash of the commit that last changed its record."""
    init(governance.root)
    sha = commit_all(governance.root, "evidence")
    output = tmp_path / "answered.csv"
    _answer(governance.root, _customer_csv(tmp_path), output)
    evidence = _by_question(_rows(output))["fair"]["evidence"]
    assert evidence == f"{SHAREABLE_TITLE} (2026-04-01, commit {sha[:12]})"


def test_output_keeps_every_row_and_column_in_order(governance: GovernanceRepo, tmp_path: Path) -> None:
    """The CSV output is the input, cell for cell, with the six columns appended."""
    source = _customer_csv(tmp_path)
    output = tmp_path / "answered.csv"
    _answer(governance.root, source, output)
    with source.open(encoding="utf-8", newline="") as stream:
        original = list(csv.reader(stream))
    written = list(csv.reader(io.StringIO(output.read_bytes().decode("utf-8-sig"), newline="")))
    assert len(written) == len(original)
    comments = original[2].index("Comments")
    for before, after in zip(original, written, strict=True):
        for column, value in enumerate(before):
            if value or column != comments:
                assert after[column] == value  # only the customer's empty comment cells are filled
    assert written[2][3:] == ADDED
    assert written[3][3:] == [""] * len(ADDED)  # a section heading gets no answer
    assert written[6][3:] == [""] * len(ADDED)  # nor a blank row
    assert written[4][comments].startswith("We test outcomes for disparities")  # the written answer
    assert written[5][comments] == "see appendix"  # a comment the customer wrote is kept


def test_existing_output_is_not_overwritten_without_force(governance: GovernanceRepo,
                                                          tmp_path: Path) -> None:
    """An existing OUT is refused (exit 2) and left untouched; --force replaces it."""
    output = tmp_path / "answered.csv"
    output.write_text("keep me", encoding="utf-8")
    refused = CliRunner().invoke(main, ["questionnaire",
        "answer", str(_customer_csv(tmp_path)), "--repo", str(governance.root), "--as-of", AS_OF,
        "--system", "credit-scoring", "-o", str(output)])
    assert refused.exit_code == 2
    assert "exists; use --force" in refused.output
    assert output.read_text(encoding="utf-8") == "keep me"
    assert _answer(governance.root, _customer_csv(tmp_path), output, "--force").exit_code == 0
    assert output.read_text(encoding="utf-8-sig").startswith("Acme Bank")


def test_unknown_system_is_a_usage_error(governance: GovernanceRepo, tmp_path: Path) -> None:
    """An unknown --system exits 2 with the known systems listed, without a traceback."""
    result = CliRunner().invoke(main, ["questionnaire",
        "answer", str(_customer_csv(tmp_path)), "--repo", str(governance.root), "--as-of", AS_OF,
        "--system", "nope", "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 2
    assert "no system 'nope'" in result.output
    assert "credit-scoring" in result.output
    assert not (tmp_path / "out.csv").exists()


def test_markdown_report_lists_rows_to_review(governance: GovernanceRepo, tmp_path: Path) -> None:
    """--format md gives the reviewer the counts and each row to review with its candidates."""
    result = _answer(governance.root, _customer_csv(tmp_path), tmp_path / "a.csv", "--format", "markdown")
    assert "| Needs review | 1 |" in result.output
    assert "## To review (1)" in result.output
    assert "What is your company's annual revenue?" in result.output
    report = _answer(governance.root, _customer_csv(tmp_path), tmp_path / "b.csv", "--format", "json")
    data = json.loads(report.stdout)
    assert data["counts"]["Yes"] == 2
    assert data["counts"]["needs_review"] == 1


# --- Excel round trip ------------------------------------------------------------------------

def _customer_workbook(path: Path) -> Path:
    """A customer's workbook: cover sheet, styled questions sheet, merged heading, drop-downs."""
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Cover"
    cover["A1"] = "Please answer every question on the Questions sheet."
    sheet = workbook.create_sheet("Questions")
    sheet["A1"] = "Acme Bank AI due diligence"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(["#", "Question", "Response", "Comments"])
    for cell in sheet[3]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill(start_color="1F4E78", end_color="1F4E78", fill_type="solid")
    sheet.append(["", "Governance and testing"])
    sheet.merge_cells("B4:D4")
    sheet.append(["1", QUESTIONS["fair"], None, None])
    sheet.append(["2", QUESTIONS["bank"], None, None])
    sheet.append([])
    sheet.append(["3", QUESTIONS["risk"], None, None])
    sheet.append(["4", QUESTIONS["chat"], None, "pre-filled comment"])
    sheet.append(["5", QUESTIONS["revenue"], None, None])
    sheet.column_dimensions["B"].width = 66
    sheet.freeze_panes = "A4"
    lists = workbook.create_sheet("Lists")
    for index, value in enumerate(["Yes", "No", "N/A"], start=1):
        lists.cell(index, 1, value)
    dropdown = DataValidation(type="list", formula1="Lists!$A$1:$A$3", allow_blank=True)
    dropdown.add("C5:C10")
    sheet.add_data_validation(dropdown)
    workbook.save(path)
    return path


def test_xlsx_round_trip_keeps_workbook_and_answers_with_dropdown_values(
    governance: GovernanceRepo, tmp_path: Path,
) -> None:
    """Sheets, order, styles, merges, freeze panes and drop-downs survive; answers use the list."""
    source = _customer_workbook(tmp_path / "customer.xlsx")
    output = tmp_path / "answered.xlsx"
    assert _answer(governance.root, source, output).exit_code == 0
    before, after = load_workbook(source), load_workbook(output)
    assert after.sheetnames == before.sheetnames == ["Cover", "Questions", "Lists"]
    old, new = before["Questions"], after["Questions"]
    for row in old.iter_rows():
        for cell in row:
            if cell.column <= 4 and (cell.value is not None or cell.coordinate[0] not in "CD"):
                assert new[cell.coordinate].value == cell.value, cell.coordinate
    assert new["A3"].fill.start_color.rgb == old["A3"].fill.start_color.rgb
    assert new["A1"].font.b
    assert new["A1"].font.sz == 14
    assert [str(r) for r in new.merged_cells.ranges] == ["B4:D4"]
    assert new.freeze_panes == "A4"
    assert new.column_dimensions["B"].width == 66
    customer_lists = [dv for dv in new.data_validations.dataValidation if dv.formula1 == "Lists!$A$1:$A$3"]
    assert [str(dv.sqref) for dv in customer_lists] == ["C5:C10"]
    assert [new.cell(3, c).value for c in range(5, 15)] == ADDED
    assert new["E3"].fill.start_color.rgb == old["A3"].fill.start_color.rgb
    responses = {new[f"B{r}"].value: new[f"C{r}"].value for r in (5, 6, 8, 9, 10)}
    assert responses == {QUESTIONS["fair"]: "Yes", QUESTIONS["bank"]: None, QUESTIONS["risk"]: "No",
                         QUESTIONS["chat"]: "N/A", QUESTIONS["revenue"]: None}
    assert new["E6"].value == "Partial"
    assert new["J6"].value == "true"
    assert "no value meaning Partial" in new["F6"].value
    assert new["E4"].value is None
    assert new["E7"].value is None
    assert new["D9"].value == "pre-filled comment"
    assert str(new["D5"].value).startswith("We test outcomes for disparities")  # the comment column: the written answer
    assert new["D10"].value is None  # a row to review: left for the reviewer
    assert cover_text(after) == "Please answer every question on the Questions sheet."


def cover_text(workbook: Workbook) -> str:
    return str(workbook["Cover"]["A1"].value)


def test_xlsx_with_inline_yes_no_list_and_sheet_option(governance: GovernanceRepo, tmp_path: Path) -> None:
    """An inline "Y,N" list gets Y/N; --sheet picks a sheet the guesser would not."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Q"
    sheet.append(["Question", "Y/N"])
    sheet.append([QUESTIONS["fair"], None])
    sheet.append([QUESTIONS["risk"], None])
    validation = DataValidation(type="list", formula1='"Y,N"')
    validation.add("B2:B3")
    sheet.add_data_validation(validation)
    source = tmp_path / "short.xlsx"
    workbook.save(source)
    output = tmp_path / "short-answered.xlsx"
    assert _answer(governance.root, source, output, "--sheet", "Q").exit_code == 0
    answered = load_workbook(output)["Q"]
    assert (answered["B2"].value, answered["B3"].value) == ("Y", "N")


def test_customer_value_never_rounds_partial_to_yes_or_no() -> None:
    """Partial maps to a partial value when the list has one, else stays blank with a note."""
    assert customer_value("Partial", ["Yes", "Partially", "No"]) == ("Partially", None)
    value, note = customer_value("Partial", ["Yes", "No", "N/A"])
    assert value is None
    assert note is not None
    assert customer_value("Not applicable", ["Compliant", "Non-compliant", "N/A"]) == ("N/A", None)
    assert customer_value("Yes", []) == ("Yes", None)
    assert customer_value("Needs review", ["Yes", "No"]) == (None, None)


# --- learn -----------------------------------------------------------------------------------

def test_learn_adds_reviewed_rows_and_the_next_questionnaire_matches_them(
    governance: GovernanceRepo, tmp_path: Path,
) -> None:
    """A reviewer's mapping for a Needs review row becomes an exact bank match next time."""
    output = tmp_path / "answered.csv"
    _answer(governance.root, _customer_csv(tmp_path), output)
    text = output.read_bytes().decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = records[2]
    review = header.index("review")
    entries = {QUESTIONS["revenue"]: "TC-LOG",  # typed notations
               QUESTIONS["log"]: "TC-NOPE",  # a control the repository does not have
               QUESTIONS["chat"]: "no control answers this",
               QUESTIONS["bank"]: "keep the answer"}
    for record in records[3:]:
        if record[1] in entries:
            record[review] = entries[record[1]]
    reviewed = _write_csv(tmp_path / "reviewed.csv", records)
    learned = CliRunner().invoke(main, ["questionnaire", "learn", str(reviewed), "--repo", str(governance.root),
                                                 "--as-of", AS_OF], catch_exceptions=False)
    assert learned.exit_code == 0, learned.output
    assert "no control TC-NOPE" in learned.output
    assert "already in the bank" in learned.output
    target = governance.root / "controls/questions/learned-reviewed.ttl"
    assert target.is_file()
    result = run(governance.root)
    assert not [e for e in result.validation.errors if "questions" in e.file]
    bank = load_bank(result)
    assert not bank.problems
    learned_texts = {t for q in bank.questions for t in q.texts}
    assert QUESTIONS["revenue"] in learned_texts
    assert QUESTIONS["log"] not in learned_texts
    again = tmp_path / "again.csv"
    _answer(governance.root, _customer_csv(tmp_path), again)
    rows = _by_question(_rows(again))
    revenue = rows["revenue"]
    assert (revenue["answer"], revenue["controls"], revenue["confidence"]) == (
        "Yes", "TC-LOG", str(round(probability("exact", ()), 2)))
    chat = rows["chat"]
    assert (chat["answer"], chat["controls"], chat["needs_review"]) == ("Needs review", "", "true")
    assert "a reviewer found that no control answers this question" in chat["explanation"]
    second = CliRunner().invoke(main, ["questionnaire", "learn", str(reviewed), "--repo", str(governance.root)])
    assert second.exit_code == 2  # nothing new, and the file exists


# --- the example organisation ----------------------------------------------------------------

REPOSITORY = Path(__file__).parents[1]


def test_repository_question_bank_resolves_every_control() -> None:
    """Every question of controls/questions maps to controls the repository defines."""
    result = run(REPOSITORY)
    bank = load_bank(result)
    assert bank.questions
    assert bank.problems == []
    assert not [e for e in result.validation.errors if e.file.startswith("controls/questions/")]


def test_owasp_checklist_answers_for_the_high_risk_system(tmp_path: Path) -> None:
    """One command answers the OWASP workbook for credit-scoring: every item gets an answer row."""
    source = REPOSITORY / "examples/questionnaires/owasp-llm-checklist.xlsx"
    output = tmp_path / "owasp-answered.xlsx"
    result = CliRunner().invoke(main, ["questionnaire",
        "answer", str(source), "--repo", str(REPOSITORY), "--as-of", "2026-11-24",
        "--system", "credit-scoring", "--audience", "customer", "-o", str(output)],
        catch_exceptions=False)
    assert result.exit_code == 0, result.output
    sheet = load_workbook(output)["reqs_content"]
    assert [sheet.cell(1, c).value for c in range(7, 13)] == OUTPUT
    answers = [sheet.cell(r, 7).value for r in range(2, sheet.max_row + 1) if sheet.cell(r, 7).value]
    assert len(answers) == 73
    assert set(answers) <= {"Yes", "Partial", "No", "Not applicable", "Needs review"}
    assert "Needs review" in answers
    assert "Yes" in answers


def test_canada_aia_survey_is_answered_as_a_table(tmp_path: Path) -> None:
    """The SurveyJS survey becomes a CSV: one row per page and question, responses only from choices."""
    source = REPOSITORY / "examples/questionnaires/canada-aia-survey-enfr.json"
    output = tmp_path / "aia.csv"
    result = CliRunner().invoke(main, ["questionnaire",
        "answer", str(source), "--repo", str(REPOSITORY), "--as-of", "2026-11-24",
        "--system", "credit-scoring", "--audience", "customer", "-o", str(output)],
        catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(output.read_bytes().decode("utf-8-sig"), newline="")))
    questions = [r for r in rows if r["type"] not in ("page", "panel")]
    assert len(questions) == len(read_questionnaire(source).questions)
    for row in questions:
        if row["response"] and row["choices"]:
            assert row["response"] in row["choices"].split(" | ")
        assert row["answer"] in ("Yes", "Partial", "No", "Not applicable", "Needs review")
    for row in questions:
        if row["type"] in ("comment", "text") and row["response"]:
            assert row["needs_review"] == "false"  # a written answer only where no review is needed
            assert row["response"].startswith(row["explanation"].split("\n", 1)[0][:40])


def test_a_retired_system_cannot_be_answered_for(governance: GovernanceRepo, tmp_path: Path) -> None:
    """A retired system is not judged, so its questionnaire is refused (exit 2), not answered No."""
    governance.add_system("old-model", "OldModel", lifecycle="Retired")
    result = CliRunner().invoke(main, ["questionnaire",
        "answer", str(_customer_csv(tmp_path)), "--repo", str(governance.root), "--as-of", AS_OF,
        "--system", "old-model", "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 2
    assert "is retired" in result.output


def test_markdown_report_escapes_question_text(governance: GovernanceRepo, tmp_path: Path) -> None:
    """A question with table pipes and link syntax cannot break the reviewer's Markdown table."""
    source = _write_csv(tmp_path / "odd.csv", [
        ["Question", "Notes"],
        ["Do you test | bias [click](http://x.example) <b>now</b>?", ""],
        [QUESTIONS["fair"], ""],
        [QUESTIONS["risk"], ""],
    ])
    result = _answer(governance.root, source, tmp_path / "odd-answered.csv", "--format", "markdown")
    assert "Do you test \\| bias \\[click\\](http://x.example) \\<b\\>now\\</b\\>?" in result.output
