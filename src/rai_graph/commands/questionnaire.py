"""``rai-graph questionnaire answer|learn``: customer due-diligence questionnaires from the graph."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import cast

import click

from rai_graph.audience import Audience
from rai_graph.commands import audience_option, emit, refuse_existing, repository_options, write_output
from rai_graph.pipeline import run
from rai_graph.questionnaire.answering import Answerer, answer_questionnaire
from rai_graph.questionnaire.bank import BANK_CHOICES, BankChoice, is_learned, load_bank, select_bank
from rai_graph.questionnaire.calibration import GATE
from rai_graph.questionnaire.export import render_output, report_json, report_markdown, report_text
from rai_graph.questionnaire.importing import read_questionnaire
from rai_graph.questionnaire.learn import git_reviewer, learn_questions


@click.group()
def questionnaire() -> None:
    """Answer customer questionnaires from the graph, and grow the question bank."""


@questionnaire.command("answer")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@repository_options
@click.option("--system", "system_id", required=True,
              help="The system the questions are about (folder name, local name or IRI).")
@audience_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The answered questionnaire: .csv or .xlsx.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.option("--sheet", "sheets", multiple=True,
              help="Only this sheet of a workbook (repeatable); default: every sheet with questions.")
@click.option("--question-column", default=None,
              help="The column holding the questions: its header text, letter (E) or number (5).")
@click.option("--threshold", type=click.FloatRange(GATE, 1.0), default=GATE, show_default=True,
              help="Answers less likely right than this are marked for review. The default is the gate "
                   "set from the calibration (benchmarks/questionnaire); it can be raised, not lowered.")
@click.option("--bank", "bank_choice", type=click.Choice(BANK_CHOICES), default="all", show_default=True,
              help="Question bank to match against: all of it, 'standard' (without the questions learned "
                   "from reviewed questionnaires, as for a first questionnaire) or none.")
@click.option("--format", "report_format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="The summary printed: text, a Markdown review report, or JSON.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the summary to FILE instead of standard output.")
def answer(file: Path, repo: Path, as_of: dt.date | None, system_id: str, audience: str,
           output: Path, force: bool, sheets: tuple[str, ...], question_column: str | None,
           threshold: float, bank_choice: str, report_format: str, report: Path | None) -> None:
    """Answer the questions of FILE (.csv, .xlsx or SurveyJS .json) for one system.

    Every row and column of FILE is kept; the columns answer, explanation, controls, evidence,
    confidence and needs_review are added (for .xlsx, in the customer's own workbook), then
    suggestion_1..3 and review for the reviewer.
    """
    refuse_existing(output, force)
    if output.suffix.lower() not in (".csv", ".xlsx"):
        raise click.UsageError(f"{output}: the output must be .csv or .xlsx")
    questions = read_questionnaire(file, sheets=sheets, question_column=question_column)
    result = run(repo, as_of)
    full = load_bank(result)
    bank = select_bank(full, cast(BankChoice, bank_choice))
    answerer = Answerer(result, system_id, cast(Audience, audience), bank, threshold=threshold)
    answers = answer_questionnaire(questions, answerer)
    data = render_output(questions, answers, output)
    write_output(output, data, force=force)
    learned = sum(1 for q in bank.questions if is_learned(q))
    context = {"system": answerer.system.name, "system_title": answerer.system.title,
               "audience": audience, "as_of": str(answerer.as_of), "output": str(output),
               "bank_problems": bank.problems, "gate": threshold,
               "bank": {"choice": bank_choice, "questions": len(bank.questions), "learned": learned,
                        "left_out": len(full.questions) - len(bank.questions)}}
    renderer = {"text": report_text, "markdown": report_markdown, "json": report_json}[report_format]
    emit(renderer(questions, answers, context), report)


@questionnaire.command("learn")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@repository_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The Turtle file to write (default: controls/questions/learned-<FILE name>.ttl).")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.option("--sheet", "sheets", multiple=True, help="Only this sheet of a workbook (repeatable).")
@click.option("--question-column", default=None, help="The column holding the questions.")
@click.option("--reviewer", default=None,
              help='Who reviewed FILE, "Name <email>" (default: user.name and user.email from git config).')
@click.option("--comment", "comments", multiple=True,
              help="A line for the file's header, e.g. the wordings' source and licence (repeatable).")
def learn(file: Path, repo: Path, as_of: dt.date | None, output: Path | None, force: bool,
          sheets: tuple[str, ...], question_column: str | None, reviewer: str | None,
          comments: tuple[str, ...]) -> None:
    """Add the reviewed rows of an answered questionnaire FILE to the question bank.

    A row is learned from its review cell (accept 1-3, keep the answer, no control answers this,
    control notations, or an answer written by hand), or, without one, when its needs_review cell
    is false and its controls cell names controls of the repository.
    """
    questions = read_questionnaire(file, sheets=sheets, question_column=question_column)
    result = run(repo, as_of)
    who = reviewer or git_reviewer(repo)
    learned = learn_questions(questions, result, load_bank(result), as_of or dt.date.today(), comments,
                              reviewer=who)
    target = output or repo / "controls" / "questions" / f"learned-{_slug(file.stem)}.ttl"
    write_output(target, learned.turtle, force=force)
    lines = [f"learned {len(learned.added)} question(s) from {file.name} into {target}"
             + (f", reviewed by {who}" if who else ", reviewer unknown (no git user.name; use --reviewer)")]
    lines += [f"  skipped {where}: {why}" for where, why in learned.skipped]
    emit("\n".join(lines) + "\n", None)


def _slug(text: str) -> str:
    cleaned = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in cleaned.split("-") if part) or "questionnaire"
