"""Read questionnaires as customers send them: CSV, Excel workbooks and SurveyJS JSON.

A workbook's sheets are examined one by one: the header row is the first rows' most header-like
row, the question column the one with long, question-like text under a header such as
"Question" or "Description". Sheets without one (cover pages, metadata, lists) are skipped.
Every row is kept and classified — question, section heading, blank, or (when the sheet has an
"assessable" marker column) not assessable — so answers can be written back row for row.
``--sheet`` and ``--question-column`` override the guesses.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from rai_graph.questionnaire.errors import QuestionnaireError
from rai_graph.questionnaire.limits import (
    MAX_CELL_CHARS,
    MAX_GRID_CELLS,
    MAX_NESTING,
    check_workbook,
    read_bounded,
)
from rai_graph.questionnaire.table import ADDED_COLUMNS, Questionnaire, Row, RowKind, Sheet, SourceFormat
from rai_graph.questionnaire.vocabulary import header_scale

HEADER_SCAN_ROWS = 30
MAX_HEADER_CELL = 60
MIN_QUESTIONS = 3
"""A sheet with fewer questions is not taken for a questionnaire unless named with ``--sheet``."""

_QUESTION_HEADER = re.compile(
    r"\b(question|questions|requirement|requirements|control|controls|description|criteria|"
    r"criterion|query|item|statement|text)\b", re.IGNORECASE)
_WEAK_QUESTION_HEADER = re.compile(r"\b(name|title|topic|subject)\b", re.IGNORECASE)
_ANSWER_HEADER = re.compile(
    r"^\s*(answer|answers|response|responses|reply|your answer|your response|vendor response|"
    r"vendor answer|supplier response|supplier answer|provider response|yes\s*/\s*no(\s*/\s*n/?a)?|"
    r"compliant\??|compliance|compliance status|implemented\??|implementation status|status|"
    r"maturity|maturity level|maturity score|maturity rating|score|rating|self[- ]assessment)"
    r"\s*(\(.*\))?\s*:?\s*$", re.IGNORECASE)
_COMMENT_HEADER = re.compile(
    r"^\s*(comments?|explanation|justification|details|remarks?|notes?|supporting (information|"
    r"evidence|comments?|details)|additional (information|comments?|details)|evidence( provided)?|"
    r"(vendor|supplier|provider) (comments?|explanation|notes)|response details|answer details|"
    r"description of (the )?(control|controls|implementation)|how (is it|it is) (met|implemented))"
    r"\s*(\(.*\))?\s*:?\s*$", re.IGNORECASE)
_NOT_QUESTION_HEADER = re.compile(
    r"\b(answer|response|reply|comment|comments|remark|remarks|note|notes|evidence|status|"
    r"owner|date|score|weight|link|url|reference|ref|id|no|number|depth|level|assessable)\b",
    re.IGNORECASE)
_ASSESSABLE_HEADER = re.compile(
    r"^\s*(assessable|applicable|in scope|answer required|to answer|required)\s*\??\s*$",
    re.IGNORECASE)
_HEADER_WORD = re.compile(
    r"\b(question|requirement|control|description|criteria|item|query|topic|area|domain|category|"
    r"section|id|ref|no|number|answer|response|comment|comments|evidence|notes|remarks|status|"
    r"name|title|guidance|assessable|depth|level|statement|#)\b", re.IGNORECASE)
_SECTION_WORD = re.compile(r"^\s*(section|part|chapter|module|domain|category)\b", re.IGNORECASE)


@dataclass(slots=True)
class _Cell:
    text: str = ""
    bold: bool = False
    merged_width: int = 1
    """Columns spanned by the merged range this cell starts or lies in."""
    covered: bool = False
    """Inside a merged range but not its top-left cell (the value shown is the top-left's)."""


@dataclass(slots=True)
class _Grid:
    name: str
    rows: list[list[_Cell]]
    allowed: dict[tuple[int, int], tuple[str, ...]] = field(default_factory=dict)
    """Drop-down values per (row index, column index), both 0-based."""
    list_cells: set[tuple[int, int]] = field(default_factory=set)
    """Cells under a list validation, even when its values could not be resolved."""

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def text(self, row: int, column: int) -> str:
        cells = self.rows[row]
        return cells[column].text if column < len(cells) else ""


def read_questionnaire(
    path: Path, *, sheets: Sequence[str] = (), question_column: str | None = None,
) -> Questionnaire:
    """Read the questionnaire at ``path`` (.csv, .xlsx/.xlsm or SurveyJS .json)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise QuestionnaireError(f"{path}: no such file")
    if suffix == ".json":
        return read_surveyjs(path)
    if suffix == ".csv":
        grids, notes = [_csv_grid(path)], list[str]()
        source_format: SourceFormat = "csv"
    elif suffix in (".xlsx", ".xlsm"):
        grids, notes = _workbook_grids(path)
        source_format = "xlsx"
    else:
        raise QuestionnaireError(f"{path}: unsupported file type {suffix!r} (use .csv, .xlsx or .json)")
    wanted = list(sheets)
    unknown = [name for name in wanted if name not in {g.name for g in grids}]
    if unknown and source_format == "xlsx":
        known = ", ".join(g.name for g in grids)
        raise QuestionnaireError(f"{path}: no sheet {unknown[0]!r} (sheets: {known})")
    found: list[Sheet] = []
    skipped: list[str] = []
    for grid in grids:
        if wanted and source_format == "xlsx" and grid.name not in wanted:
            skipped.append(grid.name)
            continue
        sheet = _sheet_from_grid(grid, question_column, forced=bool(wanted) or source_format == "csv")
        if sheet is None:
            skipped.append(grid.name)
        else:
            found.append(sheet)
    if not found:
        hint = " (use --question-column)" if question_column is None else ""
        raise QuestionnaireError(f"{path}: found no column of questions in any sheet{hint}")
    return Questionnaire(path, source_format, found, skipped, notes)


# --- CSV -----------------------------------------------------------------------------------


def decode_csv(data: bytes) -> str:
    """CSV text: UTF-8 (with or without BOM), else Windows-1252 as Excel writes it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def csv_delimiter(text: str) -> str:
    """Comma, semicolon (European Excel) or tab: the one that splits most rows alike.

    ``csv.Sniffer`` is misled by quoted cells holding line breaks, which questionnaires have.
    """
    best = (-1, ",")
    for delimiter in (",", ";", "\t"):
        try:
            widths = [len(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
                      if any(cell.strip() for cell in r)]
        except csv.Error:
            continue
        if not widths:
            continue
        modal = max(set(widths), key=widths.count)
        score = widths.count(modal) if modal > 1 else 0
        if score > best[0]:
            best = (score, delimiter)
    return best[1]


def read_csv_records(text: str, path: Path | None = None) -> list[list[str]]:
    """The records of CSV ``text``; a field over the csv module's limit (or another flaw) is an
    error naming the line, never a traceback."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    try:
        return list(reader)
    except csv.Error as exc:
        raise QuestionnaireError(f"{path or 'the CSV file'}: line {reader.line_num}: {exc}") from exc


def _csv_grid(path: Path) -> _Grid:
    records = read_csv_records(decode_csv(read_bounded(path)), path)
    for number, record in enumerate(records, start=1):
        if any(len(value) > MAX_CELL_CHARS for value in record):
            raise QuestionnaireError(f"{path}: line {number}: a cell longer than {MAX_CELL_CHARS} characters")
    rows = [[_Cell(value.strip()) for value in record] for record in records]
    return _Grid("", rows)


# --- Excel ---------------------------------------------------------------------------------


def load_workbook_quietly(path: Path, *, data_only: bool) -> tuple[Workbook, list[str]]:
    """Load a workbook; openpyxl's warnings (features it drops) are returned as notes."""
    check_workbook(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            workbook = load_workbook(path, data_only=data_only)
        except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
            raise QuestionnaireError(f"{path}: cannot be read as an Excel workbook: {exc}") from exc
    notes = sorted({f"openpyxl: {w.message}" for w in caught})
    return workbook, notes


def _workbook_grids(path: Path) -> tuple[list[_Grid], list[str]]:
    workbook, notes = load_workbook_quietly(path, data_only=True)
    grids = []
    for worksheet in workbook.worksheets:
        grids.append(_worksheet_grid(workbook, worksheet, path))
    return grids, notes


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _worksheet_grid(workbook: Workbook, worksheet: Worksheet, path: Path) -> _Grid:
    _check_extent(worksheet, path)
    rows: list[list[_Cell]] = []
    for record in worksheet.iter_rows(min_row=1, max_row=worksheet.max_row,
                                      max_col=worksheet.max_column):
        cells = [_Cell(cell_text(cell.value), bool(cell.font and cell.font.b)) for cell in record]
        for cell, source in zip(cells, record, strict=True):
            if len(cell.text) > MAX_CELL_CHARS:
                raise QuestionnaireError(f"{path}: sheet {worksheet.title!r}, cell {source.coordinate}: "
                                         f"longer than the {MAX_CELL_CHARS} characters a cell may hold")
        rows.append(cells)
    for merged in worksheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(rows) or left >= len(rows[top]):
            continue
        origin = rows[top][left]
        width = merged.max_col - merged.min_col + 1
        for row in range(top, min(merged.max_row, len(rows))):
            for column in range(left, min(merged.max_col, len(rows[row]))):
                cell = rows[row][column]
                cell.merged_width = width
                if (row, column) != (top, left):
                    cell.covered = True
                    cell.text = origin.text
                    cell.bold = origin.bold
    grid = _Grid(worksheet.title, rows)
    _read_validations(workbook, worksheet, grid)
    return grid


def _check_extent(worksheet: Worksheet, path: Path) -> None:
    """A far-away cell (XFD1048576) makes the used range billions of cells: refused, by name,
    before a grid of that size is built."""
    height, width = worksheet.max_row, worksheet.max_column
    if height * width <= MAX_GRID_CELLS:
        return
    far = max(worksheet._cells, key=lambda at: at[0] * at[1], default=(height, width))
    coordinate = f"{get_column_letter(far[1])}{far[0]}"
    raise QuestionnaireError(f"{path}: sheet {worksheet.title!r} reaches cell {coordinate}: "
                             f"{height} rows by {width} columns is more than the {MAX_GRID_CELLS} cells read")


def _read_validations(workbook: Workbook, worksheet: Worksheet, grid: _Grid) -> None:
    height, width = len(grid.rows), grid.width
    for validation in worksheet.data_validations.dataValidation:
        if validation.type != "list":
            continue
        values = list_values(workbook, worksheet, validation.formula1)
        for cell_range in validation.sqref.ranges:
            for row in range(cell_range.min_row - 1, min(cell_range.max_row, height)):
                for column in range(cell_range.min_col - 1, min(cell_range.max_col, width)):
                    grid.list_cells.add((row, column))
                    if values:
                        grid.allowed[(row, column)] = values


def list_values(workbook: Workbook, worksheet: Worksheet, formula: str | None) -> tuple[str, ...]:
    """The values of a list validation: an inline list, a cell range or a defined name."""
    if not formula:
        return ()
    formula = formula.strip().removeprefix("=")
    if formula.startswith('"') and formula.endswith('"'):
        return tuple(v.strip() for v in formula[1:-1].split(",") if v.strip())
    target_sheet: Worksheet | None = worksheet
    reference = formula
    if formula in workbook.defined_names:
        destinations = list(workbook.defined_names[formula].destinations)
        if not destinations:
            return ()
        sheet_name, reference = destinations[0]
        target_sheet = workbook[sheet_name] if sheet_name in workbook.sheetnames else None
    elif "!" in formula:
        sheet_name, reference = formula.rsplit("!", 1)
        sheet_name = sheet_name.strip("'").replace("''", "'")
        target_sheet = workbook[sheet_name] if sheet_name in workbook.sheetnames else None
    if target_sheet is None:
        return ()
    try:
        min_col, min_row, max_col, max_row = range_boundaries(reference.replace("$", ""))
    except (ValueError, TypeError):
        return ()
    if None in (min_col, min_row, max_col, max_row):
        return ()
    values: list[str] = []
    for record in target_sheet.iter_rows(min_row=min_row, max_row=max_row,
                                         min_col=min_col, max_col=max_col):
        values.extend(cell_text(cell.value) for cell in record)
    return tuple(v for v in values if v)


# --- structure -----------------------------------------------------------------------------


def _sheet_from_grid(grid: _Grid, question_column: str | None, *, forced: bool) -> Sheet | None:
    if not any(cell.text for row in grid.rows for cell in row):
        return None
    header = _find_header(grid)
    width = grid.width
    columns = [grid.text(header, c) if header is not None else "" for c in range(width)]
    first = 0 if header is None else header + 1
    if question_column is not None:
        column = _named_column(columns, question_column)
        if column is None:
            if forced:
                raise QuestionnaireError(
                    f"{grid.name or 'the file'}: no column {question_column!r} "
                    f"(columns: {', '.join(c for c in columns if c) or 'none'})")
            return None
    else:
        column = _guess_question_column(grid, columns, first, forced=forced)
        if column is None:
            return None
    marker = next((c for c, name in enumerate(columns) if c != column and _ASSESSABLE_HEADER.match(name)),
                  None)
    rows = _classify(grid, header, column, marker)
    if not forced and sum(1 for row in rows if row.kind == "question") < MIN_QUESTIONS:
        return None
    sheet = Sheet(grid.name, header + 1 if header is not None else 0, columns, column, rows)
    sheet.answer_column = _find_answer_column(grid, columns, column, rows)
    if sheet.answer_column is not None:
        scale = header_scale(columns[sheet.answer_column])
        for row in rows:
            if row.kind == "question":
                listed = grid.allowed.get((row.number - 1, sheet.answer_column), ())
                row.allowed_answers = listed or scale
    sheet.comment_column = next(
        (c for c, name in enumerate(columns)
         if c not in (column, sheet.answer_column) and name not in ADDED_COLUMNS and _COMMENT_HEADER.match(name)),
        None)
    _place_output_columns(sheet, width)
    return sheet


def _find_header(grid: _Grid) -> int | None:
    """The most header-like of the first rows: short labels, ideally known header words."""
    best: tuple[float, int] | None = None
    for index, row in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        texts = [cell.text for cell in row if cell.text and not cell.covered]
        if len(texts) < 2 or any(len(t) > MAX_HEADER_CELL for t in texts):
            continue
        if all(_is_number(t) for t in texts):
            continue
        hits = sum(1 for t in texts if _HEADER_WORD.search(t))
        below = [len(cell.text) for r in grid.rows[index + 1:index + 11] for cell in r if cell.text]
        longer = 1.0 if below and max(below) > max(len(t) for t in texts) else 0.0
        score = 3.0 * hits + len(texts) + 2.0 * longer - 0.1 * index
        if best is None or score > best[0]:
            best = (score, index)
    return best[1] if best is not None and best[0] >= 4.0 else None


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[\d.,\s]+", text))


def _named_column(columns: list[str], wanted: str) -> int | None:
    folded = wanted.strip().casefold()
    for index, name in enumerate(columns):
        if name.strip().casefold() == folded:
            return index
    if re.fullmatch(r"[A-Za-z]{1,3}", wanted.strip()):
        index = column_index_from_string(wanted.strip().upper()) - 1
        return index if index < len(columns) else None
    if wanted.strip().isdigit():
        index = int(wanted) - 1
        return index if 0 <= index < len(columns) else None
    return None


def _guess_question_column(grid: _Grid, columns: list[str], first: int, *, forced: bool) -> int | None:
    best: tuple[float, int] | None = None
    for column, name in enumerate(columns):
        if name in ADDED_COLUMNS or (name and _ANSWER_HEADER.match(name)):
            continue
        texts = [grid.text(r, column) for r in range(first, len(grid.rows))
                 if grid.text(r, column) and not grid.rows[r][column].covered]
        texts = [t for t in texts if not _is_number(t)]
        if len(texts) < 2:
            continue
        long_share = sum(1 for t in texts if len(t.split()) >= 4) / len(texts)
        question_share = sum(1 for t in texts if t.rstrip().endswith("?")) / len(texts)
        average = sum(len(t) for t in texts) / len(texts)
        keyword = 0.0
        if name and _QUESTION_HEADER.search(name) and not _NOT_QUESTION_HEADER.fullmatch(name.strip()):
            keyword = 2.0
        elif name and _WEAK_QUESTION_HEADER.search(name):
            keyword = 0.5
        if name and keyword < 2.0 and _NOT_QUESTION_HEADER.search(name):
            keyword -= 1.0
        plausible = keyword >= 2.0 or question_share >= 0.3 or (forced and long_share >= 0.3)
        if not plausible and not (not name and long_share >= 0.5):
            continue
        score = keyword + long_share + question_share + min(average, 150.0) / 150.0
        if best is None or score > best[0]:
            best = (score, column)
    return best[1] if best is not None else None


def _classify(grid: _Grid, header: int | None, column: int, marker: int | None) -> list[Row]:
    rows: list[Row] = []
    start = 0 if header is None else header + 1
    for index, cells in enumerate(grid.rows):
        texts = [cell.text for cell in cells]
        number = index + 1
        if header is not None and index < header:
            rows.append(Row(number, texts, "preamble"))
            continue
        if index == header:
            rows.append(Row(number, texts, "header"))
            continue
        rows.append(Row(number, texts, _kind(grid, index, column, marker), grid.text(index, column)))
    _demote_headings(grid, rows[start:], column)
    for row in rows:
        if row.kind != "question":
            row.question = row.question if row.kind == "heading" else ""
    return rows


def _kind(grid: _Grid, index: int, column: int, marker: int | None) -> RowKind:
    cells = grid.rows[index]
    if not any(cell.text for cell in cells if not cell.covered):
        return "blank"
    cell = cells[column] if column < len(cells) else _Cell()
    if not cell.text:
        return "heading"
    if cell.covered and cell.merged_width == 1:
        return "blank"  # the lower part of a question merged over several rows: answered above
    if cell.merged_width > 1:
        return "heading"
    if marker is not None and not grid.text(index, marker):
        return "not-assessable"
    return "question"


def _demote_headings(grid: _Grid, rows: list[Row], column: int) -> None:
    """Section titles written in the question column: short, no question mark, and set apart."""
    questions = [row for row in rows if row.kind == "question"]
    if len(questions) < 3:
        return
    bold_share = sum(1 for r in questions if _cell(grid, r, column).bold) / len(questions)
    filled = [sum(1 for t in r.cells if t) for r in questions]
    usually_several = sorted(filled)[len(filled) // 2] >= 2
    for row in questions:
        text = row.question.strip()
        if text.endswith("?") or len(text.split()) > 10:
            continue
        alone = usually_several and sum(1 for t in row.cells if t) == 1
        set_apart = _cell(grid, row, column).bold and bold_share < 0.5
        shouted = sum(1 for ch in text if ch.isalpha()) >= 3 and text.upper() == text
        if alone or set_apart or shouted or _SECTION_WORD.match(text):
            row.kind = "heading"


def _cell(grid: _Grid, row: Row, column: int) -> _Cell:
    cells = grid.rows[row.number - 1]
    return cells[column] if column < len(cells) else _Cell()


def _find_answer_column(grid: _Grid, columns: list[str], question: int, rows: list[Row]) -> int | None:
    """The customer's own answer column: a drop-down next to the questions, or an Answer header."""
    asked = [row.number - 1 for row in rows if row.kind == "question"]
    best: tuple[float, int] | None = None
    for column in range(grid.width):
        if column == question or columns[column] in ADDED_COLUMNS:
            continue
        covered = sum(1 for r in asked if (r, column) in grid.list_cells)
        named = 1.0 if _ANSWER_HEADER.match(columns[column]) or header_scale(columns[column]) else 0.0
        if covered == 0 and not named:
            continue
        score = covered / max(len(asked), 1) + named
        if best is None or score > best[0]:
            best = (score, column)
    return best[1] if best is not None else None


def _place_output_columns(sheet: Sheet, width: int) -> None:
    """Reuse the output columns a previous run added; append the others after the last column."""
    next_free = width
    for name in ADDED_COLUMNS:
        if name in sheet.columns:
            sheet.output_columns[name] = sheet.columns.index(name)
        else:
            sheet.output_columns[name] = next_free
            next_free += 1


# --- SurveyJS ------------------------------------------------------------------------------

SURVEY_COLUMNS = ["section", "id", "type", "question", "choices", "response"]


def read_surveyjs(path: Path) -> Questionnaire:
    """A SurveyJS survey as one sheet: pages and panels become headings, questions rows.

    The ``response`` column plays the customer's answer column: a question with choices is
    answered with one of them when one means the same as the answer.
    """
    try:
        survey = json.loads(read_bounded(path))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise QuestionnaireError(f"{path}: not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise QuestionnaireError(f"{path}: nested too deeply to be a SurveyJS survey") from exc
    if not isinstance(survey, dict) or not isinstance(survey.get("pages"), list):
        raise QuestionnaireError(f"{path}: not a SurveyJS survey (no 'pages')")
    rows = [Row(1, list(SURVEY_COLUMNS), "header")]
    for page in survey["pages"]:
        if not isinstance(page, dict):
            continue
        elements = list(_elements(page.get("elements"), path))
        if not elements:
            continue  # a page of text only, e.g. a welcome page
        title = _localised(page.get("title")) or str(page.get("name", ""))
        rows.append(Row(len(rows) + 1, [title, str(page.get("name", "")), "page", "", "", ""],
                        "heading", title))
        for element in elements:
            rows.append(_survey_row(len(rows) + 1, title, element))
    sheet = Sheet("", 1, list(SURVEY_COLUMNS), SURVEY_COLUMNS.index("question"), rows,
                  answer_column=SURVEY_COLUMNS.index("response"))
    _place_output_columns(sheet, len(SURVEY_COLUMNS))
    return Questionnaire(path, "surveyjs", [sheet])


def _elements(elements: Any, path: Path, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > MAX_NESTING:
        raise QuestionnaireError(f"{path}: panels nest more than {MAX_NESTING} levels deep")
    for element in elements if isinstance(elements, list) else ():
        if not isinstance(element, dict):
            continue
        if element.get("type") == "panel":
            if _localised(element.get("title")):
                yield {"type": "panel", "name": element.get("name", ""), "title": element.get("title")}
            yield from _elements(element.get("elements"), path, depth + 1)
        elif element.get("type") != "html":
            yield element


def _survey_row(number: int, section: str, element: dict[str, Any]) -> Row:
    kind = str(element.get("type", ""))
    name = str(element.get("name", ""))
    text = _localised(element.get("title")) or name
    choices = tuple(_choice_text(c) for c in element.get("choices", []) or [])
    if kind == "boolean":
        choices = (_localised(element.get("labelTrue")) or "Yes",
                   _localised(element.get("labelFalse")) or "No")
    cells = [section, name, kind, text, " | ".join(choices), ""]
    if kind == "panel":
        return Row(number, cells, "heading", text)
    return Row(number, cells, "question", text, choices, free_text=not choices)


def _localised(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("default") or value.get("en") or next(iter(value.values()), "")
    return " ".join(str(value).split()) if value else ""


def _choice_text(choice: Any) -> str:
    if isinstance(choice, dict):
        return _localised(choice.get("text")) or str(choice.get("value", ""))
    return str(choice)
