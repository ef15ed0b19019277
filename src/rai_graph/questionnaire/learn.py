"""Grow the question bank from a reviewed, answered questionnaire.

A reviewer opens the output of ``questionnaire answer`` (the customer's workbook or CSV) and, in
the ``review`` cell of a row, picks from its drop-down or types:

* ``accept 1`` / ``accept 2`` / ``accept 3`` — the controls of that suggestion answer it;
* ``keep the answer`` — the controls the row was answered from are right;
* ``no control answers this`` (or ``none``) — it is for a person every time;
* control notations (``RAI-EVAL-02, RAI-DATA-02``) — these controls answer it;
* anything else — the answer to give, written by hand: kept as the approved answer of a question
  no control answers, and offered to the next reviewer as their first suggestion.

Rows without a review entry are not learned (nobody checked them). A file without a review
column (written before it existed) is learned the older way: rows whose ``needs_review`` cell is
false and whose ``controls`` cell names controls (``none``: no control answers it). ``learn`` turns the
rows into ``rai:Question`` records — the wording, the controls, who reviewed it (``user.name`` and
``user.email`` from git config, or ``--reviewer``) and when — so the next questionnaire asking the
same thing, or nearly the same thing in other words, is answered from the bank. For a Yes, the
first paragraph of the explanation, when the reviewer changed it from the controls' own answer
texts, becomes the approved answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef

from rai_graph.pipeline import PipelineResult
from rai_graph.questionnaire.answering import NO_CONTROL, STATUS_LINE
from rai_graph.questionnaire.bank import BankQuestion, QuestionBank, control_by_notation
from rai_graph.questionnaire.errors import LearnError
from rai_graph.questionnaire.table import Questionnaire, Row, Sheet
from rai_graph.questionnaire.text import normalise_question

_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_FALSE = {"false", "no", "0", "n"}
_ACCEPT = re.compile(r"^\s*(?:accept\s*)?([123])\s*$", re.IGNORECASE)
_KEEP = {"keep the answer", "keep", "ok", "accept the answer", "correct"}
_NONE = {NO_CONTROL, "no control answers this", "no control", "n/a by hand", "by hand"}
_NOTATIONS = re.compile(r"[,;\s]+")
_LOOKS_LIKE_NOTATION = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+")
"""RAI-EVAL-02, TC-LOG: what a reviewer types to name controls (an unknown one is reported)."""


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
    reviewer: str | None = None

    def bank_questions(self, source: str) -> list[BankQuestion]:
        """The learned questions as bank entries (to answer with before the file is loaded again)."""
        from rai_graph.model import Origin

        return [BankQuestion(q.iri, (q.text,), q.controls, q.approved_answer, Origin(source, None),
                             f"{source}, row {q.where}", not q.controls) for q in self.added]


def git_reviewer(repo: Path) -> str | None:
    """"Name <email>" from git config as git itself reads it (repository, global, system,
    honouring ``HOME``, ``GIT_CONFIG_GLOBAL`` and ``GIT_CONFIG_NOSYSTEM``); None when unset."""
    values = []
    for key in ("user.name", "user.email"):
        try:
            completed = subprocess.run(["git", "config", "--get", key], cwd=repo, env=dict(os.environ),
                                       capture_output=True, text=True, check=False, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None
        values.append(completed.stdout.strip() if completed.returncode == 0 else "")
    name, email = values
    if not name and not email:
        return None
    return f"{name} <{email}>" if name and email else name or email


def learn_questions(questionnaire: Questionnaire, result: PipelineResult, bank: QuestionBank,
                    today: dt.date, comments: Sequence[str] = (), *, reviewer: str | None = None) -> Learned:
    """The reviewed rows of ``questionnaire`` as new bank questions, and the Turtle to save.

    ``comments`` go into the file's header, e.g. where the wordings come from and their licence;
    ``reviewer`` ("Name <email>") is recorded on every question.
    """
    controls = control_by_notation(result.model)
    known = bank.by_text()
    base = _base_iri(result)
    learned = Learned(reviewer=reviewer)
    outcomes: dict[str, list[LearnedQuestion]] = {}
    for sheet in questionnaire.sheets:
        columns = _output_columns(sheet)
        for row in sheet.questions:
            where = sheet.row_label(row)
            outcome = _learn_row(row, columns, controls, result, base, where)
            if isinstance(outcome, str):
                if outcome:
                    learned.skipped.append((where, outcome))
                continue
            outcomes.setdefault(normalise_question(outcome.text), []).append(outcome)
    for key, found in outcomes.items():
        first = found[0]
        if len({_mapping(q) for q in found}) > 1:
            rows = ", ".join(q.where for q in found)
            learned.skipped.extend((q.where, f"the same wording is reviewed differently in rows {rows}: "
                                             "its meaning depends on the questions around it") for q in found)
            continue
        learned.skipped.extend((q.where, "the same question appears earlier in the file") for q in found[1:])
        existing = known.get(key)
        if existing is not None:
            if set(existing.controls) == set(first.controls) and existing.needs_human == (not first.controls):
                learned.skipped.append((first.where, "already in the bank"))
            else:
                learned.skipped.append((first.where, f"the bank maps this wording to other controls "
                                                     f"({existing.origin.file}); change it there"))
            continue
        learned.added.append(first)
    if not learned.added:
        reasons = "; ".join(f"{w}: {why}" for w, why in learned.skipped[:5])
        raise LearnError(f"{questionnaire.source}: no reviewed row to learn (a row needs a review entry, "
                         f"or needs_review false and its controls){': ' + reasons if reasons else ''}")
    learned.turtle = _turtle(learned.added, questionnaire.source.name, today, base, comments, reviewer)
    return learned


def _mapping(question: LearnedQuestion) -> frozenset[URIRef]:
    return frozenset(question.controls)


def _output_columns(sheet: Sheet) -> dict[str, int]:
    wanted = ("answer", "explanation", "controls", "needs_review", "suggestion_1", "suggestion_2",
              "suggestion_3", "review")
    found = {name: index for index, name in enumerate(sheet.columns) if name in wanted}
    if "review" not in found and {"controls", "needs_review"} - set(found):
        missing = sorted({"controls", "needs_review"} - set(found))
        raise LearnError(f"{sheet.name or 'the file'}: no review column, nor {' or '.join(missing)}; "
                         "learn reads the output of 'questionnaire answer' after review")
    return found


def _learn_row(row: Row, columns: dict[str, int], controls: dict[str, URIRef],
               result: PipelineResult, base: str, where: str) -> LearnedQuestion | str:
    def cell(name: str) -> str:
        index = columns.get(name)
        return row.cells[index].strip() if index is not None and index < len(row.cells) else ""

    digest = hashlib.sha1(normalise_question(row.question).encode("utf-8")).hexdigest()[:12]
    iri = URIRef(f"{base}question-{digest}")
    text = " ".join(row.question.split())
    review = cell("review")
    if review:
        return _from_review(review, cell, controls, result, iri, text, where)
    if "review" in columns:
        # A file with a review column is learned from its review entries only: a row the tool
        # answered without review has needs_review false, but nobody has checked it.
        return ""
    if cell("needs_review").casefold() not in _FALSE:
        return "still marked for review" if cell("controls") else ""
    return _from_controls(cell("controls"), cell("answer"), cell("explanation"), controls, result, iri, text,
                          where)


def _from_review(review: str, cell: Callable[[str], str], controls: dict[str, URIRef], result: PipelineResult,
                 iri: URIRef, text: str, where: str) -> LearnedQuestion | str:
    folded = " ".join(review.casefold().split())
    accepted = _ACCEPT.match(folded)
    if accepted:
        suggestion = cell(f"suggestion_{accepted.group(1)}")
        if not suggestion:
            return f"review says {review!r}, but there is no suggestion {accepted.group(1)}"
        head = suggestion.split("\n", 1)[0]
        listed = head.split(":", 1)[1] if ":" in head else ""
        return _from_controls(listed, "", "", controls, result, iri, text, where, earlier=_earlier(suggestion))
    if folded in _KEEP:
        return _from_controls(cell("controls"), cell("answer"), cell("explanation"), controls, result, iri,
                              text, where)
    if folded in _NONE:
        return LearnedQuestion(iri, text, (), None, where)
    notations = [n for n in _NOTATIONS.split(review) if n]
    if notations and all(_LOOKS_LIKE_NOTATION.fullmatch(n) for n in notations):
        return _from_controls(review, "", "", controls, result, iri, text, where)
    # Anything else is the answer the reviewer wrote: no control answers it, their words are kept.
    return LearnedQuestion(iri, text, (), " ".join(review.split()), where)


def _earlier(suggestion: str) -> str | None:
    """A "no control" suggestion carries the earlier reviewer's answer: keep it when accepted."""
    last = suggestion.rsplit("\n", 1)[-1]
    answer = last.removeprefix("Suggested answer: ").strip()
    return answer if answer and answer != "Answer by hand." and last != answer else None


def _from_controls(listed: str, answer: str, explanation: str, controls: dict[str, URIRef],
                   result: PipelineResult, iri: URIRef, text: str, where: str,
                   earlier: str | None = None) -> LearnedQuestion | str:
    notations = [n for n in _NOTATIONS.split(listed) if n]
    if [n.casefold() for n in notations] == [NO_CONTROL]:
        return LearnedQuestion(iri, text, (), earlier, where)
    if not notations:
        return "no controls given"
    unknown = [n for n in notations if n.casefold() not in controls]
    if unknown:
        return f"no control {', '.join(unknown)} in the repository"
    mapped = tuple(dict.fromkeys(controls[n.casefold()] for n in notations))
    approved = None
    if answer == "Yes":
        lead = explanation.split("\n", 1)[0].strip()
        default = " ".join(dict.fromkeys(
            result.model.controls[c].answer_text or "" for c in mapped)).strip()
        if lead and lead != default and not lead.startswith((STATUS_LINE, "Needs review")):
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
            comments: Sequence[str], reviewer: str | None) -> str:
    lines = [
        f"# Questions learned from {_one_line(source)} on {today.isoformat()} by "
        "`rai-graph questionnaire learn`:",
        "# customer wordings with the controls a reviewer confirmed for them"
        + (f", reviewed by {_one_line(reviewer)}." if reviewer else "."),
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
        if reviewer:
            props.append(f"dcterms:contributor {Literal(_one_line(reviewer)).n3()}")
        props.append(f'dcterms:created "{today.isoformat()}"^^xsd:date')
        lines.append(f"{name(question.iri)} a rai:Question ;")
        lines.extend(f"    {p} ;" for p in props[:-1])
        lines.append(f"    {props[-1]} .")
        lines.append("")
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())
