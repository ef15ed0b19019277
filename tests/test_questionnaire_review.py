"""Answers to compound, free-text and out-of-scope questions, the review loop, and the customer's workbook."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from rai_graph.cli import main
from rai_graph.load.repository import LoadedRepository
from rai_graph.pipeline import run
from rai_graph.questionnaire.answering import Answerer
from rai_graph.questionnaire.bank import load_bank
from rai_graph.questionnaire.calibration import GATE

from repo_builder import PREFIXES, GovernanceRepo, literal

AS_OF = "2026-06-01"
REPOSITORY = Path(__file__).parents[1]
FAIR_TITLE = "Fairness results per group 2026"
KILL_TITLE = "Kill switch drill log"


def _control(repo: GovernanceRepo, local: str, notation: str, title: str, description: str, answer: str,
             *, tiers: str = "rai:HighRisk", evidence_type: str | None = None, satisfies: str = "tfw:R1") -> None:
    props = [f"skos:notation {literal(notation)}", f"dcterms:title {literal(title)}",
             f"dcterms:description {literal(description)}", f"rai:satisfies {satisfies}",
             f"rai:requiredForTier {tiers}", f"rai:answerText {literal(answer)}"]
    if evidence_type:
        props.append(f"rai:requiresEvidenceType rai:{evidence_type}")
    block = f"ex:{local} a rai:Control ;\n" + " ;\n".join(f"    {p}" for p in props) + " .\n"
    repo.append_block("controls/controls.ttl", f"ex:{local}", block)


@pytest.fixture
def acme(tmp_path: Path) -> GovernanceRepo:
    """A high-risk system: fairness and a kill switch in place, no DPIA yet, a chatbot control for
    limited-risk systems only, an accessibility control, and a requirement that binds from 2027."""
    repo = GovernanceRepo(tmp_path / "governance").with_base()
    repo.add_requirement("R2", "TF 2")
    repo.write_text("frameworks/later.ttl", PREFIXES + '\ntfw:R2 rai:appliesFrom "2027-12-02"^^xsd:date .\n')
    _control(repo, "CTRL-FAIR", "TC-FAIR", "Fairness evaluation across protected groups",
             "Outcomes are evaluated for disparities between protected groups.",
             "We test outcomes for disparities across protected groups twice a year.",
             evidence_type="FairnessEvaluation")
    _control(repo, "CTRL-DPIA", "TC-DPIA", "Data protection impact assessment",
             "A data protection impact assessment (DPIA) covers the privacy risks of the processing.",
             "Every system processing personal data has an approved DPIA.", satisfies="tfw:R2")
    _control(repo, "CTRL-KILL", "TC-KILL", "Override and kill switch",
             "Operators can stop the system, or the chatbot, with a kill switch and fall back to people.",
             "Every AI system can be switched off into a tested manual fallback.")
    _control(repo, "CTRL-CHAT", "TC-CHAT", "Chatbot disclosure",
             "Chatbots tell people at the start of a conversation that they are talking to an AI.",
             "Our chatbots disclose that they are AI.", tiers="rai:LimitedRisk")
    _control(repo, "CTRL-ACCESS", "TC-ACCESS", "Accessibility for assistive technology",
             "User interfaces work with screen readers and other assistive technology (WCAG 2.1 AA).",
             "Our interfaces are audited against WCAG 2.1 AA.")
    repo.add_system()
    repo.add_evidence("fair-eval", implements=("CTRL-FAIR",), evidence_type="FairnessEvaluation",
                      confidentiality="CustomerShareable", generated="2026-04-01",
                      extra=(("dcterms:title", literal(FAIR_TITLE)),), omit=("dcterms:title",))
    repo.add_evidence("kill-drill", implements=("CTRL-KILL",), evidence_type="OperatingProcedure",
                      confidentiality="Internal", generated="2026-03-10",
                      extra=(("dcterms:title", literal(KILL_TITLE)),), omit=("dcterms:title",))
    repo.add_evidence("access-audit", implements=("CTRL-ACCESS",), evidence_type="OperatingProcedure",
                      confidentiality="CustomerShareable", generated="2026-02-01")
    repo.add_approved_evidence("risk-2026", generated="2026-03-01", confidentiality="CustomerShareable")
    repo.write_text("controls/questions/bank.ttl", PREFIXES + (
        "\nex:q-later a rai:Question ;\n"
        f"    rai:questionText {literal('Do you meet requirement TF 2?')} ;\n"
        "    rai:mapsToRequirement tfw:R2 .\n"))
    return repo


def _answerer(repo: GovernanceRepo, audience: str = "customer", threshold: float = 0.0) -> Answerer:
    result = run(repo.root, __import__("datetime").date.fromisoformat(AS_OF))
    return Answerer(result, "credit-scoring", audience, load_bank(result), threshold=threshold)  # type: ignore[arg-type]


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["questionnaire", *args], catch_exceptions=False)


def _answer_file(repo: GovernanceRepo, source: Path, output: Path, *extra: str, audience: str = "customer") -> Result:
    return _invoke("answer", str(source), "--repo", str(repo.root), "--as-of", AS_OF, "--system", "credit-scoring",
                   "--audience", audience, "-o", str(output), *extra)


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def _read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


# --- question understanding in answers -------------------------------------------------------

def test_a_compound_question_combines_its_parts_and_names_what_is_missing(acme: GovernanceRepo) -> None:
    """Fairness met and no DPIA: Partial, resting on both controls, with the missing one named."""
    answer = _answerer(acme).answer(
        "Do you evaluate fairness across protected groups, and has a data protection impact assessment been done?")
    assert len(answer.parts) == 2
    assert answer.answer == "Partial"
    assert answer.controls == ("TC-FAIR", "TC-DPIA")
    assert "Not yet in place as of 2026-06-01: TC-DPIA Data protection impact assessment" in answer.explanation
    assert answer.explanation.startswith("In part. We test outcomes for disparities")


def test_a_compound_yes_rests_on_every_part(acme: GovernanceRepo) -> None:
    """Both parts in place: Yes, and the answer cites both controls, not only the first."""
    answer = _answerer(acme).answer(
        "Do you evaluate fairness across protected groups, and can operators stop the system with a kill switch?")
    assert answer.answer == "Yes"
    assert set(answer.controls) == {"TC-FAIR", "TC-KILL"}
    assert "We test outcomes" in answer.explanation
    assert "switched off into a tested manual fallback" in answer.explanation


def test_a_free_text_question_gets_a_written_answer(acme: GovernanceRepo) -> None:
    """"Describe…" is answered in prose: the answer text, what is in place with its date, the evidence."""
    answer = _answerer(acme).answer("Describe how you evaluate fairness across protected groups.")
    assert answer.kind == "free-text"
    assert answer.written is not None
    assert answer.written.startswith("We test outcomes for disparities across protected groups twice a year.")
    assert "In place for Credit scoring model as of 2026-06-01: Fairness evaluation across protected groups " \
           "(evidence of 2026-04-01)." in answer.written
    assert f"Evidence: {FAIR_TITLE} (2026-04-01, uncommitted)." in answer.written
    assert answer.customer_value == answer.written


def test_a_written_answer_never_names_evidence_above_the_audience(acme: GovernanceRepo) -> None:
    """Internal evidence is counted, in the one withheld wording, but not named for a customer."""
    question = "Describe how operators can stop the system with a kill switch."
    customer = _answerer(acme).answer(question)
    assert customer.written is not None
    assert KILL_TITLE not in customer.written + customer.explanation
    assert "1 record withheld at this audience (customer)" in customer.written
    auditor = _answerer(acme, "auditor").answer(question)
    assert auditor.written is not None
    assert KILL_TITLE in auditor.written


@pytest.mark.parametrize(("question", "topic"), [
    ("What is your annual turnover?", "company facts"),
    ("Do you hold cyber insurance?", "liability and insurance"),
    ("Are you certified to ISO/IEC 27001?", "certifications"),
])
def test_questions_no_control_answers_go_to_review_with_the_reason(acme: GovernanceRepo, question: str,
                                                                    topic: str) -> None:
    """Commercial, insurance and certificate questions are routed to review, first suggestion "none"."""
    answer = _answerer(acme).answer(question)
    assert answer.answer == "Needs review"
    assert answer.needs_review
    assert answer.review_reason is not None
    assert answer.review_reason.startswith(topic)
    assert answer.suggestions[0].controls == ()
    assert "No control answers this" in answer.suggestions[0].status


def test_not_applicable_is_explained_in_plain_words(acme: GovernanceRepo) -> None:
    """A control for limited-risk systems is explained by tier labels, never IRIs."""
    answer = _answerer(acme).answer("Does the chatbot tell people at the start of a conversation that it is an AI?")
    assert answer.answer == "Not applicable"
    assert ("Not required for Credit scoring model: TC-CHAT Chatbot disclosure applies to limited-risk systems, "
            "and this one is high-risk.") in answer.explanation
    assert "http" not in answer.explanation
    assert "rai:" not in answer.explanation


def test_a_requirement_that_binds_later_is_said_not_answered_no(acme: GovernanceRepo) -> None:
    """A bank question mapped to a requirement deferred to 2027 says so instead of No."""
    answer = _answerer(acme).answer("Do you meet requirement TF 2?")
    assert answer.answer == "Not applicable"
    assert "Not yet required: TF 2 applies to Credit scoring model from 2027-12-02" in answer.explanation


def test_a_chatbot_kill_switch_question_does_not_meet_the_accessibility_control(acme: GovernanceRepo) -> None:
    """"assistant" and "assistive" no longer share a stem: the kill switch ranks first, accessibility not at all."""
    answer = _answerer(acme).answer("Is there a kill switch for the virtual assistant?")
    ranked = [c.control for c in answer.parts[0].match.candidates]
    notations = [answer.parts[0].findings[0].control.notation] if answer.parts[0].findings else []
    assert notations == ["TC-KILL"]
    assert all(not str(c).endswith("CTRL-ACCESS") for c in ranked)


# --- the review loop -------------------------------------------------------------------------

QUESTIONS = [
    ["Ref", "Question", "Comments"],
    ["1", "Describe how you evaluate fairness across protected groups.", ""],
    ["2", "What is your annual turnover?", ""],
    ["3", "Can people step in when the system errs?", ""],
]


def test_review_rows_carry_three_suggestions_with_their_status_as_of_the_date(acme: GovernanceRepo,
                                                                               tmp_path: Path) -> None:
    """Each row to review lists suggestions with controls, status as of the date and the answer they give."""
    output = tmp_path / "answered.csv"
    assert _answer_file(acme, _csv(tmp_path / "q.csv", QUESTIONS), output).exit_code == 0
    rows = {r["Ref"]: r for r in _read(output)}
    turnover = rows["2"]
    assert turnover["needs_review"] == "true"
    assert turnover["suggestion_1"].startswith("1: none\nNo control answers this (company facts")
    vague = rows["3"]
    assert vague["needs_review"] == "true"
    suggestions = [s for s in (vague[f"suggestion_{n}"] for n in (1, 2, 3)) if s]
    assert suggestions  # as many as there are candidates, up to three
    assert all(s.startswith(f"{n}: TC-") for n, s in enumerate(suggestions, start=1))
    assert all("(as of 2026-06-01)" in s and "\nSuggested answer: " in s for s in suggestions)
    assert any("TC-KILL Override and kill switch: met" in s for s in suggestions)
    assert rows["1"]["suggestion_1"] == ""  # answered rows carry no suggestions
    assert rows["1"]["review"] == ""


def test_the_workbook_has_a_review_dropdown_that_takes_typed_answers(acme: GovernanceRepo, tmp_path: Path) -> None:
    """The review cell offers accept 1-3, "no control answers this", "keep the answer", and lets one type."""
    output = tmp_path / "answered.xlsx"
    assert _answer_file(acme, _csv(tmp_path / "q.csv", QUESTIONS), output).exit_code == 0
    sheet = load_workbook(output).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[header.index("review")]
    review = [dv for dv in sheet.data_validations.dataValidation if str(dv.sqref).startswith(letter)]
    assert len(review) == 1
    assert "accept 1" in str(review[0].formula1)
    assert "no control answers this" in str(review[0].formula1)
    assert not review[0].showErrorMessage


def _git_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A HOME and global git config of the test's own: the real ones are never read or written."""
    home = tmp_path / "home"
    home.mkdir()
    config = home / ".gitconfig"
    config.write_text("[user]\n\tname = Rita Reviewer\n\temail = rita@example.org\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_CONFIG_SYSTEM", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)


def test_learn_reads_the_reviewed_file_back_with_who_and_when(acme: GovernanceRepo, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Accepted suggestions and typed answers become bank questions, signed by the git user and dated."""
    _git_identity(tmp_path, monkeypatch)
    answered = tmp_path / "answered.csv"
    _answer_file(acme, _csv(tmp_path / "q.csv", QUESTIONS), answered)
    records = list(csv.reader(io.StringIO(answered.read_bytes().decode("utf-8-sig"), newline="")))
    header = records[0]
    review = header.index("review")
    records[2][review] = "We do not publish turnover; see our annual report."  # an answer written by hand
    records[3][review] = "accept 1"
    accepted = records[3][header.index("suggestion_1")].split("\n", 1)[0].split(": ", 1)[1]
    reviewed = _csv(tmp_path / "reviewed.csv", records)
    learned = _invoke("learn", str(reviewed), "--repo", str(acme.root), "--as-of", AS_OF)
    assert learned.exit_code == 0, learned.output
    assert "learned 2 question(s)" in learned.output
    assert "reviewed by Rita Reviewer <rita@example.org>" in learned.output
    turtle = (acme.root / "controls/questions/learned-reviewed.ttl").read_text(encoding="utf-8")
    assert 'dcterms:contributor "Rita Reviewer <rita@example.org>"' in turtle
    assert 'dcterms:created "2026-06-01"^^xsd:date' in turtle
    assert "rai:needsHumanAnswer true" in turtle
    again = tmp_path / "again.csv"
    _answer_file(acme, _csv(tmp_path / "q2.csv", QUESTIONS), again)
    rows = {r["Ref"]: r for r in _read(again)}
    assert rows["3"]["controls"] == accepted
    assert rows["3"]["needs_review"] == "false"  # the reviewed wording is now an exact bank match
    turnover = rows["2"]
    assert turnover["needs_review"] == "true"
    assert turnover["suggestion_1"].endswith("Suggested answer: We do not publish turnover; see our annual report.")


def test_learn_takes_the_reviewer_from_the_option_over_git_config(acme: GovernanceRepo, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """--reviewer names who reviewed the file when git config does not, or should not."""
    _git_identity(tmp_path, monkeypatch)
    answered = tmp_path / "answered.csv"
    _answer_file(acme, _csv(tmp_path / "q.csv", QUESTIONS), answered)
    records = list(csv.reader(io.StringIO(answered.read_bytes().decode("utf-8-sig"), newline="")))
    records[3][records[0].index("review")] = "TC-KILL"
    reviewed = _csv(tmp_path / "reviewed.csv", records)
    learned = _invoke("learn", str(reviewed), "--repo", str(acme.root), "--as-of", AS_OF,
                      "--reviewer", "Sam Sales <sam@example.org>")
    assert learned.exit_code == 0, learned.output
    turtle = (acme.root / "controls/questions/learned-reviewed.ttl").read_text(encoding="utf-8")
    assert 'dcterms:contributor "Sam Sales <sam@example.org>"' in turtle
    assert "Rita" not in turtle


def test_a_wording_reviewed_differently_in_one_file_is_not_learned(acme: GovernanceRepo, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """"Please describe." under two questions means two things: it is reported, not learned."""
    _git_identity(tmp_path, monkeypatch)
    rows = [["Ref", "Question"], ["1", "Please describe."], ["2", "Please describe."],
            ["3", "Can people step in when the system errs?"]]
    answered = tmp_path / "answered.csv"
    _answer_file(acme, _csv(tmp_path / "q.csv", rows), answered)
    records = list(csv.reader(io.StringIO(answered.read_bytes().decode("utf-8-sig"), newline="")))
    review = records[0].index("review")
    records[1][review], records[2][review], records[3][review] = "TC-FAIR", "TC-KILL", "TC-KILL"
    learned = _invoke("learn", str(_csv(tmp_path / "reviewed.csv", records)), "--repo", str(acme.root),
                      "--as-of", AS_OF)
    assert learned.exit_code == 0, learned.output
    assert "learned 1 question(s)" in learned.output
    assert "the same wording is reviewed differently in rows 2, 3" in learned.output


# --- the customer's workbook and vocabulary --------------------------------------------------

def _styled_workbook(path: Path) -> Path:
    """A customer's workbook with a compliance drop-down, formulas, styles, a conditional format and a name."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Assessment"
    sheet.append(["ID", "Requirement", "Compliance", "Comments", "Score"])
    thin = Side(style="thin", color="999999")
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill(start_color="203864", end_color="203864", fill_type="solid")
        cell.border = Border(bottom=thin)
    rows = [("R1", "Outcomes are evaluated for disparities between protected groups."),
            ("R2", "A data protection impact assessment (DPIA) covers the privacy risks of the processing."),
            ("R3", "The supplier holds cyber insurance.")]
    for number, (ident, text) in enumerate(rows, start=2):
        sheet.append([ident, text, None, None, f'=IF(C{number}="Compliant",1,0)'])
        sheet[f"B{number}"].alignment = Alignment(wrap_text=True, vertical="top")
        sheet[f"E{number}"].number_format = "0.0"
    sheet["E6"] = "=SUM(E2:E4)"
    sheet["E6"].font = Font(italic=True)
    validation = DataValidation(type="list", formula1='"Compliant,Partially compliant,Not compliant,N/A"',
                                allow_blank=True)
    validation.add("C2:C4")
    sheet.add_data_validation(validation)
    sheet.conditional_formatting.add("C2:C4", CellIsRule(operator="equal", formula=['"Not compliant"'],
                                                         fill=PatternFill(bgColor="FFC7CE")))
    workbook.defined_names["Scores"] = DefinedName("Scores", attr_text="Assessment!$E$2:$E$4")
    summary = workbook.create_sheet("Summary")
    summary["A1"] = "Total"
    summary["B1"] = "=Assessment!E6"
    workbook.save(path)
    return path


def _style(cell: object) -> tuple[str, ...]:
    """The cell's look, compared by value (openpyxl's style proxies compare by identity)."""
    return tuple(repr(getattr(cell, name)) for name in ("font", "fill", "border", "number_format", "alignment",
                                                         "protection"))


def test_the_customer_workbook_keeps_every_cell_style_validation_and_formula(acme: GovernanceRepo,
                                                                              tmp_path: Path) -> None:
    """Every original cell keeps value, formula and style; the customer's words fill only empty answer cells."""
    source = _styled_workbook(tmp_path / "customer.xlsx")
    output = tmp_path / "answered.xlsx"
    assert _answer_file(acme, source, output).exit_code == 0
    before, after = load_workbook(source), load_workbook(output)
    assert after.sheetnames == before.sheetnames
    filled = {("Assessment", f"{column}{row}") for column in "CD" for row in (2, 3, 4)}
    for old in before.worksheets:
        new = after[old.title]
        for row in old.iter_rows():
            for cell in row:
                if (old.title, cell.coordinate) in filled and cell.value is None:
                    continue
                assert new[cell.coordinate].value == cell.value, cell.coordinate
                assert _style(new[cell.coordinate]) == _style(cell), cell.coordinate
    new = after["Assessment"]
    assert new["E2"].value == '=IF(C2="Compliant",1,0)'
    assert after["Summary"]["B1"].value == "=Assessment!E6"
    lists = [(str(dv.sqref), dv.formula1) for dv in new.data_validations.dataValidation]
    assert ("C2:C4", '"Compliant,Partially compliant,Not compliant,N/A"') in lists
    assert [str(r.sqref) for r in new.conditional_formatting] == ["C2:C4"]
    assert "Scores" in after.defined_names
    assert (new["C2"].value, new["C3"].value, new["C4"].value) == ("Compliant", "Not compliant", None)
    assert str(new["D2"].value).startswith("We test outcomes for disparities")
    assert new["D4"].value is None  # insurance: for the reviewer


def test_a_maturity_scale_in_the_header_gets_a_level(acme: GovernanceRepo, tmp_path: Path) -> None:
    """"Maturity (1-5)" without a drop-down: in place is 4 (never 5), missing is 1, with a note."""
    source = _csv(tmp_path / "maturity.csv", [
        ["Question", "Maturity (1-5)"],
        ["Are outcomes evaluated for disparities between protected groups?", ""],
        ["Is a data protection impact assessment covering the privacy risks in place?", ""],
    ])
    output = tmp_path / "answered.csv"
    assert _answer_file(acme, source, output).exit_code == 0
    rows = _read(output)
    assert [r["Maturity (1-5)"] for r in rows] == ["4", "1"]
    assert "Maturity 4 of 5" in rows[0]["explanation"]


# --- the rules of the house ------------------------------------------------------------------

def test_questionnaire_code_never_reads_the_dataset(acme: GovernanceRepo, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Answering and learning work from the model and the assessment, never the rdflib dataset."""
    _git_identity(tmp_path, monkeypatch)

    def forbidden(self: LoadedRepository) -> None:
        raise AssertionError("questionnaire code read the rdflib dataset")

    monkeypatch.setattr(LoadedRepository, "dataset", property(forbidden))
    monkeypatch.setenv("RAI_GRAPH_NO_CACHE", "1")
    answered = tmp_path / "answered.csv"
    result = _answer_file(acme, _csv(tmp_path / "q.csv", QUESTIONS), answered)
    assert result.exit_code == 0, result.output
    records = list(csv.reader(io.StringIO(answered.read_bytes().decode("utf-8-sig"), newline="")))
    records[3][records[0].index("review")] = "TC-KILL"
    learned = _invoke("learn", str(_csv(tmp_path / "reviewed.csv", records)), "--repo", str(acme.root),
                      "--as-of", AS_OF, "--reviewer", "Sam <sam@example.org>")
    assert learned.exit_code == 0, learned.output


def test_no_row_is_answered_without_review_below_the_gate(tmp_path: Path) -> None:
    """On the OWASP checklist with an empty learned bank, every row answered without review is at the gate or above."""
    output = tmp_path / "owasp.csv"
    result = _invoke("answer", str(REPOSITORY / "examples/questionnaires/owasp-llm-checklist.xlsx"),
                     "--repo", str(REPOSITORY), "--as-of", "2026-11-24", "--system", "credit-scoring",
                     "--audience", "customer", "--bank", "standard", "-o", str(output), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["gate"] == GATE
    assert report["bank"]["learned"] == 0
    answered = [r for r in report["rows"] if r["needs_review"] == "false"]
    assert all(r["confidence"] >= GATE for r in answered)
    assert len(answered) < len(report["rows"])


def test_the_gate_cannot_be_lowered_on_the_command_line(acme: GovernanceRepo, tmp_path: Path) -> None:
    """--threshold below the calibrated gate is a usage error."""
    result = CliRunner().invoke(main, ["questionnaire",
        "answer", str(_csv(tmp_path / "q.csv", QUESTIONS)), "--repo", str(acme.root), "--as-of", AS_OF,
        "--system", "credit-scoring", "-o", str(tmp_path / "out.csv"), "--threshold", "0.1"])
    assert result.exit_code == 2
    assert "--threshold" in result.output
