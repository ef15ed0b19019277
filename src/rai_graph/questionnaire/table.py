"""A questionnaire as customers send it: sheets of rows, one column holding the questions.

Every row of the source is kept, in order, with its kind: the header, the questions, and the
rows that are not questions (section headings, blank rows, anything above the header). Row
numbers are the source's own (1-based spreadsheet or CSV line numbers), so answers can be written
back into the same places.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

RowKind = Literal["preamble", "header", "question", "heading", "blank", "not-assessable"]
SourceFormat = Literal["csv", "xlsx", "surveyjs"]

OUTPUT_COLUMNS: tuple[str, ...] = (
    "answer", "explanation", "controls", "evidence", "confidence", "needs_review",
)
"""The columns ``questionnaire answer`` adds, in this order (``cli.md``)."""
REVIEW_COLUMNS: tuple[str, ...] = ("suggestion_1", "suggestion_2", "suggestion_3", "review")
"""Added after them, for the reviewer: up to three suggested answers (filled on rows to review),
and the cell where the reviewer accepts one or types an answer (read back by ``learn``)."""
ADDED_COLUMNS: tuple[str, ...] = OUTPUT_COLUMNS + REVIEW_COLUMNS


@dataclass(slots=True)
class Row:
    number: int
    """1-based row number in the sheet (or line in the CSV file)."""
    cells: list[str]
    """The row's values as text, one per column of the sheet (merged cells carry their value)."""
    kind: RowKind
    question: str = ""
    allowed_answers: tuple[str, ...] = ()
    """Values the customer's answer cell accepts (its drop-down list), when it has one."""
    free_text: bool = False
    """The customer's answer cell takes prose (a survey's comment box): no Yes/No goes there."""


@dataclass(slots=True)
class Sheet:
    name: str
    header_row: int
    """Row number of the header (0 when the sheet has none, e.g. a bare list of questions)."""
    columns: list[str]
    """Header text per column (empty string for a column without a header)."""
    question_column: int
    """0-based index of the column holding the questions."""
    rows: list[Row]
    answer_column: int | None = None
    """0-based index of the customer's own answer column, when one was recognised."""
    comment_column: int | None = None
    """0-based index of the customer's own comment or explanation column, when one was recognised."""
    output_columns: dict[str, int] = field(default_factory=dict)
    """0-based column per added column name (``answer``...), existing or to be appended."""

    @property
    def questions(self) -> list[Row]:
        return [row for row in self.rows if row.kind == "question"]

    def row_label(self, row: Row) -> str:
        return f"{self.name}!{row.number}" if self.name else str(row.number)


@dataclass(slots=True)
class Questionnaire:
    source: Path
    format: SourceFormat
    sheets: list[Sheet]
    skipped_sheets: list[str] = field(default_factory=list)
    """Sheets without a question column (cover pages, metadata, lists)."""
    notes: list[str] = field(default_factory=list)
    """Things the reader noticed, e.g. workbook features openpyxl cannot keep."""

    @property
    def questions(self) -> list[tuple[Sheet, Row]]:
        return [(sheet, row) for sheet in self.sheets for row in sheet.questions]
