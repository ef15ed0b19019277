"""Answer matched questions from the status engine, for one system, as of a date, for an audience.

The answer follows the statuses of the matched controls for the system:

* **Yes** — every matched control that applies is met or waived;
* **Partial** — some are met or waived, or have evidence awaiting approval, but not all;
* **No** — none is;
* **Not applicable** — none of them is required for the system's risk tier and operator roles;
* **Needs review** — the question could not be matched with enough confidence.

An affirmative control text (``rai:answerText`` or the bank's approved answer) is only used for
what is in place; a gap is stated plainly. Only evidence that counts (current, intact and, where
required, approved) is cited, and only what the audience may see: anything above its level is
never named, not even its title.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rai_graph.audience import Audience, may_see
from rai_graph.errors import UnknownSystem
from rai_graph.model import AISystem, Control, Evidence
from rai_graph.pipeline import PipelineResult
from rai_graph.questionnaire.bank import QuestionBank
from rai_graph.questionnaire.matching import REVIEW_THRESHOLD, Match, Matcher
from rai_graph.questionnaire.table import Questionnaire, Row, Sheet
from rai_graph.trace import PairStatus, SystemAssessment

AnswerWord = Literal["Yes", "Partial", "No", "Not applicable", "Needs review"]
ANSWER_WORDS: tuple[AnswerWord, ...] = ("Yes", "Partial", "No", "Not applicable", "Needs review")
ControlState = Literal["in place", "waived", "partial", "gap", "not applicable"]

STATUS_LINE = "Status as of"
"""Starts the paragraph of the explanation that states statuses (``learn`` stops before it)."""

_GAP_WORDS = {
    "unapproved": "evidence awaits approval",
    "expired": "evidence has expired",
    "invalid": "evidence failed its integrity check",
    "missing": "no current evidence",
}


@dataclass(frozen=True, slots=True)
class Citation:
    title: str
    date: dt.date | None
    commit: str | None
    """Short hash of the last commit that changed the evidence record; None when uncommitted."""

    def __str__(self) -> str:
        when = f"{self.date}, " if self.date else ""
        return f"{self.title} ({when}{'commit ' + self.commit if self.commit else 'uncommitted'})"


@dataclass(frozen=True, slots=True)
class ControlFinding:
    control: Control
    state: ControlState
    pair: PairStatus | None
    citations: tuple[Citation, ...]
    hidden_support: bool
    """Evidence counts for the control, but none of it may be shown to the audience."""


@dataclass(frozen=True, slots=True)
class Answer:
    sheet: str
    row: int
    question: str
    answer: AnswerWord
    explanation: str
    controls: tuple[str, ...]
    """Notations of the controls the answer rests on (the candidates, when it needs review)."""
    citations: tuple[Citation, ...]
    confidence: float
    needs_review: bool
    match: Match
    findings: tuple[ControlFinding, ...] = ()
    customer_value: str | None = None
    """The value for the customer's own answer column (one of its drop-down values, if any)."""

    @property
    def evidence_text(self) -> str:
        return "; ".join(str(c) for c in self.citations)


class Answerer:
    """Answers questions for one system; build once per run."""

    def __init__(self, result: PipelineResult, system_id: str, audience: Audience, bank: QuestionBank,
                 *, threshold: float = REVIEW_THRESHOLD, use_bank: bool = True) -> None:
        self.result = result
        self.audience = audience
        self.threshold = threshold
        self.assessment = _system_assessment(result, system_id)
        self.system: AISystem = self.assessment.system
        self.matcher = Matcher(result.model, bank, use_bank=use_bank)
        self.pairs = {pair.control.iri: pair for pair in self.assessment.pairs}
        self.organisation = {pair.control.iri: pair for pair in result.assessment.organisation}

    @property
    def as_of(self) -> dt.date:
        return self.result.assessment.as_of

    def answer(self, question: str, *, sheet: str = "", row: int = 0,
               allowed: Sequence[str] = (), free_text: bool = False) -> Answer:
        match = self.matcher.match(question)
        notation = {iri: c.notation for iri, c in self.result.model.controls.items()}
        if match.needs_review(self.threshold):
            candidates = [self.result.model.controls[c.control] for c in match.candidates]
            listed = "; ".join(f"{c.notation} {c.title}" for c in candidates) or "none"
            if match.bank_question is not None and match.bank_question.needs_human:
                candidates = []
                explanation = ("Needs review: a reviewer found that no control answers this question "
                               f"(question bank, {match.bank_question.origin.file}); answer it by hand.")
            else:
                explanation = (f"Needs review: no confident match (confidence {match.confidence:.2f}, "
                               f"threshold {self.threshold:.2f}). Candidates: {listed}.")
            return Answer(sheet, row, question, "Needs review", explanation,
                          tuple(c.notation for c in candidates), (), match.confidence, True, match)
        findings = tuple(self._finding(self.result.model.controls[iri]) for iri in match.controls)
        word = _aggregate(findings)
        citations = tuple(dict.fromkeys(c for f in findings for c in f.citations))
        explanation = self._explain(word, match, findings)
        value, note = (None, None) if free_text else customer_value(word, allowed)
        review = note is not None
        if note:
            explanation += f"\n{note}"
        return Answer(sheet, row, question, word, explanation,
                      tuple(notation[iri] for iri in match.controls), citations, match.confidence,
                      review, match, findings, value)

    # -- per control ------------------------------------------------------------------------

    def _finding(self, control: Control) -> ControlFinding:
        if control.organisation_scope:
            law = self.result.assessment.law
            applies = law is not None and law.control_binds(control, self.system)
            pair = self.organisation.get(control.iri) if applies else None
        else:
            pair = self.pairs.get(control.iri)  # a pair exists exactly when the control binds the system
        if pair is None:
            return ControlFinding(control, "not applicable", None, (), False)
        if pair.status == "met":
            supporting = self._supporting(pair)
            visible = tuple(self._citation(e) for e in supporting
                            if may_see(self.audience, e.confidentiality))
            return ControlFinding(control, "in place", pair, visible, len(visible) < len(supporting))
        if pair.status == "waived":
            return ControlFinding(control, "waived", pair, (), False)
        # Evidence awaiting approval is work done; any other status (expired, invalid, missing, and
        # whatever the engine may add) is a gap, and its evidence is never cited.
        state: ControlState = "partial" if pair.status == "unapproved" else "gap"
        return ControlFinding(control, state, pair, (), False)

    def _supporting(self, pair: PairStatus) -> list[Evidence]:
        """Evidence that makes the pair met: with an approval rule, only the approved record."""
        evidence = [self.result.model.evidence[iri] for iri in pair.evidence
                    if iri in self.result.model.evidence]
        if pair.control.approval_role is None:
            return evidence
        # The status engine points a met pair at the evidence whose approval made it met.
        return [e for e in evidence if (e.origin.file, e.origin.line) == (pair.file, pair.line)]

    def _citation(self, evidence: Evidence) -> Citation:
        committed = self.result.provenance.of(evidence.origin.file)
        return Citation(evidence.title, evidence.generated,
                        committed.last_changed.sha[:12] if committed else None)

    # -- words ------------------------------------------------------------------------------

    def _explain(self, word: AnswerWord, match: Match, findings: Sequence[ControlFinding]) -> str:
        system = f"{self.system.title} ({self.result.model.label(self.system.tier)})"
        in_place = [f for f in findings if f.state in ("in place", "waived")]
        lead: list[str] = []
        if word == "Yes":
            approved = match.bank_question.approved_answer if match.bank_question else None
            lead.append(approved or _answer_texts(in_place))
        elif word == "Partial" and in_place:
            lead.append("In part. " + _answer_texts(in_place))
        elif word == "Partial":
            lead.append(f"In part: the work is done for {system}, but not yet approved as of {self.as_of}.")
        elif word == "No":
            lead.append(f"Not in place for {system} as of {self.as_of}.")
        else:
            roles = ", ".join(sorted(self.result.model.label(r) for r in self.system.roles)) or "no role"
            lead.append(f"Not required for {system}, as {roles}: "
                        + "; ".join(f"{f.control.notation} {f.control.title}" for f in findings) + ".")
        status = [self._status_words(f) for f in findings if f.state != "not applicable"]
        paragraphs = [" ".join(lead)]
        if status:
            paragraphs.append(f"{STATUS_LINE} {self.as_of} for {system}: " + "; ".join(status) + ".")
        cited = [c for f in findings for c in f.citations]
        if cited:
            paragraphs.append("Evidence: " + "; ".join(str(c) for c in dict.fromkeys(cited)) + ".")
        if any(f.hidden_support for f in findings):
            paragraphs.append("Further supporting evidence exists but is not shareable with this audience.")
        return "\n".join(paragraphs)

    def _status_words(self, finding: ControlFinding) -> str:
        name = f"{finding.control.notation} {finding.control.title}"
        pair = finding.pair
        assert pair is not None
        if self.audience == "internal":
            return f"{name}: {pair.status} ({pair.reason})"
        if pair.status == "met":
            return f"{name}: in place"
        if pair.status == "waived":
            return f"{name}: covered by an approved, time-limited exception"
        return f"{name}: not in place ({_GAP_WORDS.get(pair.status, pair.status)})"


def _system_assessment(result: PipelineResult, system_id: str) -> SystemAssessment:
    for assessment in result.assessment.systems:
        system = assessment.system
        local = str(system.iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if system_id in (system.name, str(system.iri), local):
            if not assessment.judged:
                raise UnknownSystem(f"system {system_id!r} is retired: it is not judged, so "
                                    "questions about it cannot be answered from its status")
            return assessment
    known = ", ".join(s.system.name for s in result.assessment.systems) or "none"
    raise UnknownSystem(f"no system {system_id!r} in the repository (known: {known})")


def _aggregate(findings: Sequence[ControlFinding]) -> AnswerWord:
    applicable = [f for f in findings if f.state != "not applicable"]
    if not applicable:
        return "Not applicable"
    if all(f.state in ("in place", "waived") for f in applicable):
        return "Yes"
    if any(f.state in ("in place", "waived", "partial") for f in applicable):
        return "Partial"
    return "No"


def _answer_texts(findings: Sequence[ControlFinding]) -> str:
    texts = [f.control.answer_text or f"{f.control.title}: in place." for f in findings]
    return " ".join(dict.fromkeys(texts))


# --- the customer's own answer column ---------------------------------------------------------

_SYNONYMS: dict[AnswerWord, tuple[str, ...]] = {
    "Yes": ("yes", "y", "true", "compliant", "fully compliant", "implemented", "fully implemented",
            "in place", "met", "fully", "full", "oui"),
    "Partial": ("partial", "partially", "partly", "partially compliant", "partially implemented",
                "in progress", "partially met", "some", "partiellement"),
    "No": ("no", "n", "false", "non-compliant", "non compliant", "not compliant", "not implemented",
           "not in place", "not met", "none", "non"),
    "Not applicable": ("n/a", "na", "n.a.", "not applicable", "not relevant", "does not apply",
                       "sans objet", "s/o"),
}


def customer_value(word: AnswerWord, allowed: Sequence[str]) -> tuple[str | None, str | None]:
    """The customer's value for ``word`` and, when none fits, a note for the reviewer.

    Without a drop-down the answer word itself is used. A Partial answer in a list without a
    partial value is left blank rather than rounded to Yes or No.
    """
    if word == "Needs review":
        return None, None
    if not allowed:
        return word, None
    folded = {" ".join(value.casefold().replace("’", "'").split()).rstrip("."): value
              for value in allowed}
    for synonym in _SYNONYMS[word]:
        if synonym.rstrip(".") in folded:
            return folded[synonym.rstrip(".")], None
    return None, (f"The customer's answer list ({', '.join(allowed[:8])}"
                  f"{', ...' if len(allowed) > 8 else ''}) has no value meaning {word}; "
                  "left blank for the reviewer.")


def answer_questionnaire(questionnaire: Questionnaire, answerer: Answerer) -> dict[tuple[str, int], Answer]:
    """An answer for every question row, keyed by (sheet name, row number)."""
    answers: dict[tuple[str, int], Answer] = {}
    for sheet, row in questionnaire.questions:
        answers[(sheet.name, row.number)] = _answer_row(answerer, sheet, row)
    return answers


def _answer_row(answerer: Answerer, sheet: Sheet, row: Row) -> Answer:
    return answerer.answer(row.question, sheet=sheet.name, row=row.number,
                           allowed=row.allowed_answers, free_text=row.free_text)
