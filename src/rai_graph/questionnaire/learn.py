"""Grow the question bank from a reviewed, answered questionnaire.

A reviewer opens the output of ``questionnaire answer``, corrects the ``controls`` of the rows
that needed review (or any other) — ``none`` when no control answers the question — and sets
``needs_review`` to false for every row they checked.
``learn`` turns those rows into ``rai:Question`` records, so the next questionnaire asking the
same thing is answered by exact or fuzzy bank match. For a Yes, the first paragraph of the
explanation, when the reviewer changed it from the controls' own answer texts, becomes the
approved answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from rai_graph.pipeline import PipelineResult
from rai_graph.questionnaire.answering import STATUS_LINE
from rai_graph.questionnaire.bank import QuestionBank, control_by_notation
from rai_graph.questionnaire.errors import LearnError
from rai_graph.questionnaire.table import Questionnaire, Row, Sheet
from rai_graph.questionnaire.text import normalise_question

_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_FALSE = {"false", "no", "0", "n"}
NO_CONTROL = "none"
"""Written in the controls cell by a reviewer who found that no control answers the question."""


@dataclass(frozen=True, slots=True)
class LearnedQuestion:
    iri: URIRef
    text: str
    controls: tuple[URIRef, ...]
    approved_answer: str | None
    where: str


@dataclass(slots=True)
class Learned:
    added: list[LearnedQuestion] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(row, why) for rows that were not learned."""
    turtle: str = ""


def learn_questions(questionnaire: Questionnaire, result: PipelineResult, bank: QuestionBank,
                    today: dt.date, comments: Sequence[str] = ()) -> Learned:
    """The reviewed rows of ``questionnaire`` as new bank questions, and the Turtle to save.

    ``comments`` go into the file's header, e.g. where the wordings come from and their licence.
    """
    controls = control_by_notation(result.model)
    known = bank.by_text()
    base = _base_iri(result)
    learned = Learned()
    seen: set[str] = set()
    for sheet in questionnaire.sheets:
        columns = _output_columns(sheet)
        for row in sheet.questions:
            where = sheet.row_label(row)
            outcome = _learn_row(row, columns, controls, result, base, where)
            if isinstance(outcome, str):
                if outcome:
                    learned.skipped.append((where, outcome))
                continue
            key = normalise_question(outcome.text)
            existing = known.get(key)
            if existing is not None:
                if set(existing.controls) == set(outcome.controls) and (
                        existing.needs_human == (not outcome.controls)):
                    learned.skipped.append((where, "already in the bank"))
                else:
                    learned.skipped.append((where, f"the bank maps this wording to other controls "
                                                   f"({existing.origin.file}); change it there"))
                continue
            if key in seen:
                learned.skipped.append((where, "the same question appears earlier in the file"))
                continue
            seen.add(key)
            learned.added.append(outcome)
    if not learned.added:
        reasons = "; ".join(f"{w}: {why}" for w, why in learned.skipped[:5])
        raise LearnError(f"{questionnaire.source}: no reviewed row to learn (a row needs "
                         f"needs_review false and its controls){': ' + reasons if reasons else ''}")
    learned.turtle = _turtle(learned.added, questionnaire.source.name, today, base, comments)
    return learned


def _output_columns(sheet: Sheet) -> dict[str, int]:
    found = {name: index for index, name in enumerate(sheet.columns)
             if name in ("answer", "explanation", "controls", "needs_review")}
    missing = {"controls", "needs_review"} - set(found)
    if missing:
        raise LearnError(f"{sheet.name or 'the file'}: no {' or '.join(sorted(missing))} column; "
                         "learn reads the output of 'questionnaire answer' after review")
    return found


def _learn_row(row: Row, columns: dict[str, int], controls: dict[str, URIRef],
               result: PipelineResult, base: str, where: str) -> LearnedQuestion | str:
    def cell(name: str) -> str:
        index = columns.get(name)
        return row.cells[index].strip() if index is not None and index < len(row.cells) else ""

    if cell("needs_review").casefold() not in _FALSE:
        return "still marked for review" if cell("controls") else ""
    notations = [n for n in re.split(r"[,;\s]+", cell("controls")) if n]
    digest = hashlib.sha1(normalise_question(row.question).encode("utf-8")).hexdigest()[:12]
    iri = URIRef(f"{base}question-{digest}")
    text = " ".join(row.question.split())
    if [n.casefold() for n in notations] == [NO_CONTROL]:
        return LearnedQuestion(iri, text, (), None, where)
    if not notations:
        return "no controls given"
    unknown = [n for n in notations if n.casefold() not in controls]
    if unknown:
        return f"no control {', '.join(unknown)} in the repository"
    mapped = tuple(dict.fromkeys(controls[n.casefold()] for n in notations))
    approved = None
    if cell("answer") == "Yes":
        lead = cell("explanation").split("\n", 1)[0].strip()
        default = " ".join(dict.fromkeys(
            result.model.controls[c].answer_text or "" for c in mapped)).strip()
        if lead and lead != default and not lead.startswith(STATUS_LINE):
            approved = lead
    return LearnedQuestion(iri, text, mapped, approved, where)


def _base_iri(result: PipelineResult) -> str:
    """Where the organisation's own IRIs live: the setting, else the controls' namespace."""
    if result.repository.settings.base_iri:
        return result.repository.settings.base_iri
    for control in sorted(result.model.controls, key=str):
        text = str(control)
        cut = max(text.rfind("/"), text.rfind("#"))
        if cut > 0:
            return text[:cut + 1]
    return "urn:rai-graph:questions:"


def _turtle(questions: list[LearnedQuestion], source: str, today: dt.date, base: str,
            comments: Sequence[str]) -> str:
    lines = [
        f"# Questions learned from {_one_line(source)} on {today.isoformat()} by "
        "`rai-graph questionnaire learn`:",
        "# customer wordings with the controls a reviewer confirmed for them.",
        *(f"# {_one_line(comment)}" for comment in comments),
        "",
        "@prefix rai: <https://w3id.org/rai-graph/ns#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        f"@prefix org: <{base}> .",
        "",
    ]

    def name(iri: URIRef) -> str:
        local = str(iri)[len(base):] if str(iri).startswith(base) else ""
        return f"org:{local}" if _LOCAL.fullmatch(local) else iri.n3()

    for question in questions:
        props = [f"rai:questionText {Literal(question.text).n3()}"]
        if question.controls:
            props.append("rai:mapsToControl " + " , ".join(name(c) for c in question.controls))
        else:
            props.append("rai:needsHumanAnswer true")
        if question.approved_answer:
            props.append(f"rai:approvedAnswer {Literal(question.approved_answer).n3()}")
        props.append(f"dcterms:source {Literal(f'{source}, row {question.where}').n3()}")
        props.append(f'dcterms:created "{today.isoformat()}"^^xsd:date')
        lines.append(f"{name(question.iri)} a rai:Question ;")
        lines.extend(f"    {p} ;" for p in props[:-1])
        lines.append(f"    {props[-1]} .")
        lines.append("")
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())
