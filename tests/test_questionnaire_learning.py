"""questionnaire learn across customers: a reviewed questionnaire teaches the next, differently worded one."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from rdflib import URIRef

from rai_graph.model import Origin
from rai_graph.pipeline import PipelineResult, run
from rai_graph.questionnaire.answering import Answer, Answerer, answer_questionnaire
from rai_graph.questionnaire.bank import BankQuestion, QuestionBank, control_by_notation, load_bank, select_bank
from rai_graph.questionnaire.calibration import GATE
from rai_graph.questionnaire.export import render_output
from rai_graph.questionnaire.importing import decode_csv, read_csv_records, read_questionnaire
from rai_graph.questionnaire.learn import learn_questions
from rai_graph.questionnaire.matching import Matcher
from rai_graph.questionnaire.table import Questionnaire

REPOSITORY = Path(__file__).parents[1]
SETS = REPOSITORY / "benchmarks" / "questionnaire" / "sets"
AS_OF = dt.date(2026, 11, 24)
Labels = dict[int, tuple[frozenset[str], ...]]
"""Row number → one group of acceptable control notations per part (empty: no control answers it)."""


@pytest.fixture(scope="module")
def example() -> PipelineResult:
    return run(REPOSITORY, AS_OF, cache=False)  # reads the example repository, writes nothing into it


def _labelled(name: str, folder: Path) -> tuple[Questionnaire, Labels]:
    """A development set of the benchmark as the customer's CSV, and its labels by row."""
    with (SETS / f"{name}.csv").open(encoding="utf-8", newline="") as stream:
        records = list(csv.DictReader(stream))
    source = folder / f"{name}.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([["Ref", "Question"], *([r["id"], r["question"]] for r in records)])
    questionnaire = read_questionnaire(source, question_column="Question")
    expected = {r["id"]: r["expected"].strip() for r in records}
    labels = {row.number: tuple(frozenset(g.split()) for g in expected[row.cells[0]].split("+"))
              if expected[row.cells[0]] not in ("", "none") else ()
              for row in questionnaire.sheets[0].questions}
    return questionnaire, labels


def _right(groups: tuple[frozenset[str], ...], controls: tuple[str, ...]) -> bool:
    chosen = set(controls)
    return bool(groups) and bool(chosen) and chosen <= set().union(*groups) and all(g & chosen for g in groups)


def _answers(result: PipelineResult, questionnaire: Questionnaire, bank: QuestionBank) -> dict[int, Answer]:
    answerer = Answerer(result, "credit-scoring", "customer", bank)
    return {row: answer for (_, row), answer in answer_questionnaire(questionnaire, answerer).items()}


def _review(answer: Answer, groups: tuple[frozenset[str], ...]) -> str:
    """What a reviewer who knows the right controls writes in the review cell."""
    if not groups:
        return "no control answers this"
    accepted = next((s.number for s in answer.suggestions if _right(groups, s.controls)), None)
    return f"accept {accepted}" if accepted else ", ".join(sorted(g)[0] for g in groups)


def _learned(result: PipelineResult, questionnaire: Questionnaire, labels: Labels, bank: QuestionBank,
             folder: Path) -> QuestionBank:
    """The bank after the rows sent to review were reviewed in the answered file and learned back."""
    answers = answer_questionnaire(questionnaire, Answerer(result, "credit-scoring", "customer", bank))
    answered = folder / "answered.csv"
    answered.write_bytes(render_output(questionnaire, answers, answered))
    records = read_csv_records(decode_csv(answered.read_bytes()))
    column = records[0].index("review")
    for (_, row), answer in answers.items():
        if answer.needs_review:
            records[row - 1][column] = _review(answer, labels[row])
    reviewed = folder / "reviewed.csv"
    with reviewed.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(records)
    learned = learn_questions(read_questionnaire(reviewed, question_column="Question"), result, bank, AS_OF,
                              reviewer="Rita Reviewer <rita@example.org>")
    source = "controls/questions/learned-first-customer.ttl"
    return QuestionBank([*bank.questions, *learned.bank_questions(source)], list(bank.problems))


def test_learning_one_customers_review_cuts_reviews_on_the_next_customers_other_wording(
        example: PipelineResult, tmp_path: Path) -> None:
    """The next customer asking the same topics in other words (dev-b after dev-a's review is learned)
    needs fewer reviews, some of them on questions no learned wording matches as a whole (the learned
    vocabulary lifts the controls' own match), and no more wrong answers with confidence."""
    standard = select_bank(load_bank(example), "standard")
    first, first_labels = _labelled("dev-a", tmp_path)
    second, second_labels = _labelled("dev-b", tmp_path)
    before = _answers(example, second, standard)
    after = _answers(example, second, _learned(example, first, first_labels, standard, tmp_path))

    def wrong(answers: dict[int, Answer]) -> int:
        return sum(1 for row, a in answers.items() if not a.needs_review and not _right(second_labels[row], a.controls))

    reviewed_before = {row for row, a in before.items() if a.needs_review}
    reviewed_after = {row for row, a in after.items() if a.needs_review}
    assert len(reviewed_after) < len(reviewed_before)
    assert reviewed_after <= reviewed_before
    assert wrong(after) <= wrong(before)
    assert wrong(after) <= len(after) // 100
    by_vocabulary = [row for row in reviewed_before - reviewed_after
                     if all(p.match.method == "lexical" for p in after[row].parts)]
    assert by_vocabulary
    assert all(_right(second_labels[row], after[row].controls) for row in reviewed_before - reviewed_after)


def test_a_reviewed_wording_teaches_its_control_the_customers_words(example: PipelineResult) -> None:
    """A question in a new customer's words, below the gate on the controls' own text, is answered from
    the same control once an earlier customer's differently worded question on that topic was reviewed
    for it; the same wording reviewed for another control lends it nothing."""
    standard = select_bank(load_bank(example), "standard")
    notation = control_by_notation(example.model)
    earlier = "Do you consult the works council before rolling out AI tools to staff?"
    question = "Were works council members told before the tool was introduced at work?"

    def learned_for(control: str) -> QuestionBank:
        reviewed = BankQuestion(URIRef("urn:test:question-1"), (earlier,), (notation[control],), None,
                                Origin("controls/questions/learned-first-customer.ttl", None))
        return QuestionBank([*standard.questions, reviewed])

    employees = notation["rai-trn-05"]
    alone = Matcher(example.model, standard).match(question)
    taught = Matcher(example.model, learned_for("rai-trn-05")).options(question)
    elsewhere = Matcher(example.model, learned_for("rai-gov-05")).options(question)
    assert alone.controls == (employees,)
    assert alone.confidence < GATE
    lexical = next(m for m in taught if m.method == "lexical")
    assert lexical.controls == (employees,)
    assert lexical.confidence >= GATE
    assert max(m.confidence for m in taught) == lexical.confidence
    other = next(m for m in elsewhere if m.method == "lexical")
    assert other.controls == (employees,)
    assert other.confidence <= alone.confidence


def test_a_reviewed_wording_for_another_control_is_offered_to_the_reviewer(example: PipelineResult) -> None:
    """When the controls' text ranks one control first but a reviewer mapped a question sharing
    these words to another, that other control is the first runner-up a reviewer is offered
    (it changes no confidence: it is a suggestion, not evidence)."""
    standard = select_bank(load_bank(example), "standard")
    notation = control_by_notation(example.model)
    earlier = "Do you consult the works council before rolling out AI tools to staff?"
    question = "Were works council members told before the tool was introduced at work?"
    reviewed = BankQuestion(URIRef("urn:test:question-1"), (earlier,), (notation["rai-pmm-02"],), None,
                            Origin("controls/questions/learned-first-customer.ttl", None))
    alone = next(m for m in Matcher(example.model, standard).options(question) if m.method == "lexical")
    taught = next(m for m in Matcher(example.model, QuestionBank([*standard.questions, reviewed])).options(question)
                  if m.method == "lexical")
    assert taught.controls == alone.controls == (notation["rai-trn-05"],)
    assert taught.alternatives[0] == (notation["rai-pmm-02"],)
    assert len(taught.alternatives) == len(alone.alternatives)
    assert (notation["rai-pmm-02"],) not in alone.alternatives
