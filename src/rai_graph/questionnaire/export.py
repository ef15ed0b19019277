"""Write answered questionnaires (CSV, Excel) and the reviewer's report. Pure: returns bytes/str.

An Excel questionnaire is answered in the customer's own workbook: it is opened again (formulas,
styles, merged cells, validations and sheet order intact) and only empty cells are written — the
added columns after the last used column, the customer's answer column where it was recognised
(one of its drop-down values, or the written answer in a free-text cell) and their comment column
(the written answer). A CSV keeps every input row and column in order.

For the reviewer, rows to review carry up to three suggestions (controls, their status as of the
date, the answer each gives), and every answered row a ``review`` cell with a drop-down — accept a
suggestion, "no control answers this", "keep the answer" — that also takes typed control notations
or an answer written by hand; ``questionnaire learn`` reads it back.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from copy import copy
from pathlib import Path
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from rai_graph.questionnaire.answering import ANSWER_WORDS, Answer
from rai_graph.questionnaire.errors import QuestionnaireError
from rai_graph.questionnaire.importing import csv_delimiter, decode_csv, load_workbook_quietly, read_csv_records
from rai_graph.questionnaire.table import Questionnaire, Sheet
from rai_graph.render.human import md

Answers = Mapping[tuple[str, int], Answer]

COLUMN_WIDTHS = {"answer": 15, "explanation": 80, "controls": 18, "evidence": 48, "confidence": 11,
                 "needs_review": 13, "suggestion_1": 60, "suggestion_2": 60, "suggestion_3": 60,
                 "review": 24}
REVIEW_CHOICES: tuple[str, ...] = ("accept 1", "accept 2", "accept 3", "no control answers this",
                                   "keep the answer")
"""The values of the ``review`` drop-down; a reviewer may also type control notations or an answer."""
POINTS_PER_LINE = 13
MAX_ROW_HEIGHT = 409  # Excel's limit
ANSWER_FILLS = {"Yes": "C6EFCE", "Partial": "FFEB9C", "No": "FFC7CE", "Not applicable": "EDEDED",
                "Needs review": "FFD966"}


def output_cells(answer: Answer) -> dict[str, str | float]:
    """The added columns of one answered row (``cli.md``, then the reviewer's)."""
    suggestions = [s.cell() for s in answer.suggestions] if answer.needs_review else []
    suggestions += [""] * (3 - len(suggestions))
    return {
        "answer": answer.answer,
        "explanation": answer.explanation,
        "controls": ", ".join(answer.controls),
        "evidence": answer.evidence_text,
        "confidence": round(answer.confidence, 2),
        "needs_review": "true" if answer.needs_review else "false",
        "suggestion_1": suggestions[0],
        "suggestion_2": suggestions[1],
        "suggestion_3": suggestions[2],
        "review": "",
    }


def comment_text(answer: Answer) -> str | None:
    """What goes in the customer's comment column: the written answer, when there is no review."""
    if answer.needs_review or not answer.written or answer.customer_value == answer.written:
        return None
    return answer.written


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_csv(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection): text from evidence
    titles or explanations that starts like a formula gets a leading apostrophe."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


# --- CSV -----------------------------------------------------------------------------------


def to_csv(questionnaire: Questionnaire, answers: Answers) -> bytes:
    if len(questionnaire.sheets) != 1:
        names = ", ".join(s.name for s in questionnaire.sheets)
        raise QuestionnaireError(f"answers span {len(questionnaire.sheets)} sheets ({names}); "
                                 "write .xlsx, or choose one with --sheet")
    sheet = questionnaire.sheets[0]
    if questionnaire.format == "csv":
        text = decode_csv(questionnaire.source.read_bytes())
        records = read_csv_records(text)
        delimiter = csv_delimiter(text)
    else:
        records = [list(row.cells) for row in sheet.rows]
        delimiter = ","
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    for values in _table(sheet, records, answers):
        writer.writerow(values)
    return ("\ufeff" + stream.getvalue()).encode("utf-8")


def _table(sheet: Sheet, records: Sequence[Sequence[str]], answers: Answers) -> list[list[str]]:
    """The source rows with the output columns (and the customer's answer column) filled in."""
    width = max([len(r) for r in records] + [i + 1 for i in sheet.output_columns.values()])
    rows_by_number = {row.number: row for row in sheet.rows}
    table = []
    for index, record in enumerate(records):
        values = list(record) + [""] * (width - len(record))
        number = index + 1
        row = rows_by_number.get(number)
        if row is not None and row.kind == "header":
            for name, column in sheet.output_columns.items():
                values[column] = name
        answer = answers.get((sheet.name, number))
        if answer is not None:
            for name, value in output_cells(answer).items():
                values[sheet.output_columns[name]] = inert_csv(str(value))
            if sheet.answer_column is not None and answer.customer_value is not None \
                    and not values[sheet.answer_column].strip():
                values[sheet.answer_column] = inert_csv(answer.customer_value)
            comment = comment_text(answer)
            if sheet.comment_column is not None and comment and not values[sheet.comment_column].strip():
                values[sheet.comment_column] = inert_csv(comment)
        table.append(values)
    return table


# --- Excel ---------------------------------------------------------------------------------


def to_xlsx(questionnaire: Questionnaire, answers: Answers) -> bytes:
    if questionnaire.format == "xlsx":
        workbook, _notes = load_workbook_quietly(questionnaire.source, data_only=False)
        for sheet in questionnaire.sheets:
            _answer_worksheet(workbook[sheet.name], sheet, answers)
    else:
        workbook = Workbook()
        worksheet = workbook.active
        assert worksheet is not None
        sheet = questionnaire.sheets[0]
        worksheet.title = sheet.name or "Questionnaire"
        source_rows = [list(row.cells) for row in sheet.rows]
        if questionnaire.format == "csv":
            source_rows = read_csv_records(decode_csv(questionnaire.source.read_bytes()))
        for values in source_rows:
            worksheet.append(values)
        if sheet.header_row:
            for cell in worksheet[sheet.header_row]:
                cell.font = Font(bold=True)
        worksheet.column_dimensions[get_column_letter(sheet.question_column + 1)].width = 70
        _answer_worksheet(worksheet, sheet, answers)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _answer_worksheet(worksheet: Worksheet, sheet: Sheet, answers: Answers) -> None:
    if sheet.header_row:
        model = worksheet.cell(sheet.header_row, sheet.question_column + 1)
        for name, column in sheet.output_columns.items():
            cell = worksheet.cell(sheet.header_row, column + 1)
            cell.value = name
            if model.has_style:
                # The header's own look; openpyxl hands out style proxies, copied as plain styles.
                cell.font = cast(Font, copy(model.font))
                cell.fill = cast(PatternFill, copy(model.fill))
                cell.border = cast(Border, copy(model.border))
                cell.alignment = cast(Alignment, copy(model.alignment))
            else:
                cell.font = Font(bold=True)
    for name, column in sheet.output_columns.items():
        letter = get_column_letter(column + 1)
        if letter not in worksheet.column_dimensions:  # never resize a column the customer sized
            worksheet.column_dimensions[letter].width = COLUMN_WIDTHS[name]
    answered_rows = []
    for (sheet_name, number), answer in sorted(answers.items()):
        if sheet_name != sheet.name:
            continue
        answered_rows.append(number)
        # Line up with the question: same vertical alignment, and wrapped text.
        vertical = worksheet.cell(number, sheet.question_column + 1).alignment.vertical
        wrap = Alignment(wrap_text=True, vertical=vertical)
        for name, value in output_cells(answer).items():
            cell = worksheet.cell(number, sheet.output_columns[name] + 1)
            if isinstance(cell, MergedCell):
                continue
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # always text: a value starting with '=' is never a formula
            cell.alignment = wrap
            if name == "confidence":
                cell.number_format = "0.00"
            if name == "answer":
                colour = ANSWER_FILLS[answer.answer]
                cell.fill = PatternFill(start_color=colour, end_color=colour, fill_type="solid")
        for target, text in ((sheet.answer_column, answer.customer_value),
                             (sheet.comment_column, comment_text(answer))):
            if target is None or text is None:
                continue
            customer_cell = worksheet.cell(number, target + 1)
            if not isinstance(customer_cell, MergedCell) and customer_cell.value in (None, ""):
                customer_cell.value = text
                customer_cell.data_type = "s"
        _fit_row(worksheet, sheet, number, answer)
    if answered_rows:
        _add_review_lists(worksheet, sheet, answered_rows)
    _extend_filter(worksheet, sheet)


def _fit_row(worksheet: Worksheet, sheet: Sheet, number: int, answer: Answer) -> None:
    """A row the customer gave a fixed height grows (never shrinks) to show the answer.

    Rows without a fixed height are fitted by the spreadsheet application itself.
    """
    dimension = worksheet.row_dimensions.get(number)
    if dimension is None or not dimension.customHeight or dimension.ht is None:
        return
    lines = 1
    for name in ("explanation", "evidence"):
        letter = get_column_letter(sheet.output_columns[name] + 1)
        width = worksheet.column_dimensions[letter].width or COLUMN_WIDTHS[name]
        text = str(output_cells(answer)[name])
        lines = max(lines, sum(math.ceil(max(len(p), 1) / (width * 1.1)) for p in text.split("\n")))
    needed = min(POINTS_PER_LINE * lines + 4, MAX_ROW_HEIGHT)
    if needed > dimension.ht:
        dimension.ht = needed


def _add_review_lists(worksheet: Worksheet, sheet: Sheet, rows: Sequence[int]) -> None:
    """Drop-downs on the answer, needs_review and review cells, so reviewers edit them in place;
    the review cell also takes what the reviewer types (no error alert)."""
    for name, values, strict in (("answer", ANSWER_WORDS, True), ("needs_review", ("true", "false"), True),
                                 ("review", REVIEW_CHOICES, False)):
        letter = get_column_letter(sheet.output_columns[name] + 1)
        validation = DataValidation(type="list", formula1='"' + ",".join(values) + '"',
                                    allow_blank=True, showErrorMessage=strict)
        if not strict:
            validation.errorStyle = "information"
            validation.showInputMessage = True
            validation.promptTitle = "Review"
            validation.prompt = ("Accept a suggestion, or type control notations (RAI-EVAL-02, RAI-DATA-02) "
                                 "or the answer to give.")
        for number in rows:
            validation.add(f"{letter}{number}")
        worksheet.add_data_validation(validation)


def _extend_filter(worksheet: Worksheet, sheet: Sheet) -> None:
    """A filter over the header row grows to cover the new columns."""
    reference = worksheet.auto_filter.ref
    if not reference or not sheet.header_row:
        return
    min_col, min_row, max_col, max_row = range_boundaries(reference)
    if min_row != sheet.header_row or max_col is None or min_col is None:
        return
    last = max(max_col, max(sheet.output_columns.values()) + 1)
    worksheet.auto_filter.ref = (f"{get_column_letter(min_col)}{min_row}:"
                                 f"{get_column_letter(last)}{max_row or worksheet.max_row}")


def render_output(questionnaire: Questionnaire, answers: Answers, output: Path) -> bytes:
    suffix = output.suffix.lower()
    if suffix == ".csv":
        return to_csv(questionnaire, answers)
    if suffix in (".xlsx", ".xlsm"):
        if suffix == ".xlsm" or questionnaire.source.suffix.lower() == ".xlsm":
            raise QuestionnaireError("macro-enabled workbooks (.xlsm) are not written; save as .xlsx")
        return to_xlsx(questionnaire, answers)
    raise QuestionnaireError(f"{output}: unsupported output type {suffix!r} (use .csv or .xlsx)")


# --- report --------------------------------------------------------------------------------


def counts(answers: Answers) -> dict[str, int]:
    tally = Counter(a.answer for a in answers.values())
    result: dict[str, int] = {word: tally[word] for word in ANSWER_WORDS}
    result["needs_review"] = sum(1 for a in answers.values() if a.needs_review)
    result["questions"] = len(answers)
    result["free_text"] = sum(1 for a in answers.values() if a.kind == "free-text")
    result["written"] = sum(1 for a in answers.values() if a.kind == "free-text" and not a.needs_review)
    result["compound"] = sum(1 for a in answers.values() if len(a.parts) > 1)
    result["outside"] = sum(1 for a in answers.values() if a.outside is not None)
    return result


def report_data(questionnaire: Questionnaire, answers: Answers, context: Mapping[str, Any]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for (sheet, number), answer in sorted(answers.items()):
        rows.append({"sheet": sheet, "row": number, "question": answer.question,
                     **output_cells(answer),
                     "kind": answer.kind,
                     "parts": [{"text": p.part.text, "details": list(p.part.details),
                                "method": p.match.method, "confidence": p.match.confidence,
                                "controls": [f.control.notation for f in p.findings], "answer": p.word}
                               for p in answer.parts],
                     "review_reason": answer.review_reason,
                     "written": answer.written,
                     "customer_value": answer.customer_value,
                     "candidates": [str(c.control) for c in answer.match.candidates],
                     "method": answer.match.method})
    return {**context, "file": str(questionnaire.source), "counts": counts(answers),
            "skipped_sheets": questionnaire.skipped_sheets, "notes": questionnaire.notes,
            "rows": rows}


def report_json(questionnaire: Questionnaire, answers: Answers, context: Mapping[str, Any]) -> str:
    return json.dumps(report_data(questionnaire, answers, context), indent=2, default=str) + "\n"


def _bank_line(context: Mapping[str, Any]) -> str | None:
    bank = context.get("bank")
    if not isinstance(bank, Mapping):
        return None
    if bank.get("choice") == "none":
        return "  bank: none (--bank none): controls' own text only"
    learned = int(bank.get("learned", 0))
    line = f"  bank: {bank.get('questions', 0)} questions, {learned} learned from reviewed questionnaires"
    if bank.get("choice") == "standard":
        line += f" (--bank standard: {bank.get('left_out', 0)} learned questions left out, an empty learned bank)"
    return line


def report_text(questionnaire: Questionnaire, answers: Answers, context: Mapping[str, Any]) -> str:
    tally = counts(answers)
    answered = tally["questions"] - tally["Needs review"]
    lines = [
        f"{questionnaire.source.name}: {tally['questions']} questions for {context['system']} "
        f"(audience {context['audience']}, as of {context['as_of']})",
        f"  answered {answered}: {tally['Yes']} Yes, {tally['Partial']} Partial, {tally['No']} No, "
        f"{tally['Not applicable']} Not applicable; {tally['written']} of {tally['free_text']} free-text "
        f"questions with a written answer; {tally['compound']} compound",
        f"  needs review {tally['needs_review']} (no confident match or no control answers it: "
        f"{tally['Needs review']}; outside the repository: {tally['outside']})"
        + (f"; gate {float(context['gate']):.2f}" if context.get("gate") is not None else ""),
    ]
    bank = _bank_line(context)
    if bank:
        lines.append(bank)
    if context.get("output"):
        lines.append(f"  written to {context['output']}")
    lines.extend(f"  note: {note}" for note in [*questionnaire.notes, *context.get("bank_problems", [])])
    if questionnaire.skipped_sheets:
        lines.append(f"  sheets without questions, left as they are: {', '.join(questionnaire.skipped_sheets)}")
    return "\n".join(lines) + "\n"


def report_markdown(questionnaire: Questionnaire, answers: Answers, context: Mapping[str, Any]) -> str:
    """For the reviewer: counts, the rows to review with their candidates, then every answer."""
    tally = counts(answers)
    out = [f"# Questionnaire review: {md(questionnaire.source.name)}", "",
           f"System **{md(str(context['system_title']))}** (`{md(str(context['system']))}`), "
           f"audience {md(str(context['audience']))}, as of {context['as_of']}.", "",
           "| Answer | Questions |", "|---|---:|"]
    out += [f"| {word} | {tally[word]} |" for word in ANSWER_WORDS]
    out += [f"| **needs review (any reason)** | {tally['needs_review']} |", ""]
    review = [(k, a) for k, a in sorted(answers.items()) if a.needs_review]
    if review:
        out += [f"## To review ({len(review)})", "",
                "| Row | Question | Answer | Confidence | Why | Suggestions |", "|---|---|---|---:|---|---|"]
        for (sheet, number), answer in review:
            why = answer.review_reason or answer.explanation.split("\n")[-1]
            suggested = "; ".join(f"{s.number}: {', '.join(s.controls) or 'none'} → {s.word}"
                                  for s in answer.suggestions)
            out.append(f"| {md(_where(sheet, number))} | {md(_short(answer.question))} | {answer.answer} | "
                       f"{answer.confidence:.2f} | {md(why)} | {md(suggested) or '—'} |")
        out.append("")
    done = [(k, a) for k, a in sorted(answers.items()) if not a.needs_review]
    if done:
        out += [f"## Answered ({len(done)})", "",
                "| Row | Question | Answer | Controls | Evidence | Confidence |", "|---|---|---|---|---|---:|"]
        for (sheet, number), answer in done:
            out.append(f"| {md(_where(sheet, number))} | {md(_short(answer.question))} | {answer.answer} | "
                       f"{md(', '.join(answer.controls))} | {md(answer.evidence_text) or '—'} | "
                       f"{answer.confidence:.2f} |")
        out.append("")
    notes = [*questionnaire.notes, *context.get("bank_problems", [])]
    if notes:
        out += ["## Notes", ""] + [f"- {md(n)}" for n in notes] + [""]
    return "\n".join(out)


def _where(sheet: str, number: int) -> str:
    return f"{sheet}!{number}" if sheet else str(number)


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
