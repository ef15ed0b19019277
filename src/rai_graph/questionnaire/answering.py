"""Answer customers' questions from the status engine, for one system, as of a date, for an audience.

A question is read into parts (:mod:`.understanding`); each part is matched to its controls
(:mod:`.matching`), and each control's status for the system is the engine's
(``result.assessment``). A part's answer follows its controls:

* **Yes** — every control that applies is met or waived;
* **Partial** — some are met or waived, or have evidence awaiting approval, but not all;
* **No** — none is;
* **Not applicable** — none of them binds the system (tier, operator role, conditions), said in
  plain words; a question mapped to a requirement that binds the system only later says from when.

The parts combine the same way: all Yes → Yes; some → Partial, naming what is missing; none → No.
A free-text question ("Describe…") gets a written answer: the controls' answer texts for what is
in place, with its dates, what is not yet in place, and the evidence titles the audience may see.
The confidence is the calibrated probability that the controls are right (the product over the
parts); below the gate, or when the question is about something no control records (prices,
insurance, certificates), or when the customer's answer list has no fitting value, the row is
for a person to review, with up to three suggestions, each with its status as of the date and the
answer it would give.

Only evidence that counts is cited, and only what the audience may see, through one
:class:`~rai_graph.audience.AudienceView`: anything above its level is never named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from rdflib import URIRef

from rai_graph.audience import Audience, AudienceView, withheld_phrase
from rai_graph.errors import UnknownSystem
from rai_graph.model import AISystem, Control, Evidence
from rai_graph.pipeline import PipelineResult
from rai_graph.questionnaire.bank import BankQuestion, QuestionBank
from rai_graph.questionnaire.calibration import combined
from rai_graph.questionnaire.matching import REVIEW_THRESHOLD, Match, Matcher
from rai_graph.questionnaire.table import Questionnaire, Row, Sheet
from rai_graph.questionnaire.understanding import Kind, Outside, Part, understand
from rai_graph.questionnaire.vocabulary import AnswerWord
from rai_graph.questionnaire.vocabulary import customer_value as customer_value
from rai_graph.trace import GOOD_STATUSES, PairStatus, RequirementCoverage, SystemAssessment

ANSWER_WORDS: tuple[AnswerWord, ...] = ("Yes", "Partial", "No", "Not applicable", "Needs review")
ControlState = Literal["in place", "waived", "partial", "gap", "not applicable"]

STATUS_LINE = "Status as of"
"""Starts the paragraph of the explanation that states statuses (``learn`` stops before it)."""
NO_CONTROL = "none"
"""The controls of a suggestion (or a reviewer's entry) when no control answers the question."""

_GAP_WORDS = {
    "failing": "its latest results are outside the policy's thresholds",
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
    withheld: int = 0
    """Evidence records the status rests on that the audience may not see."""
    not_applicable: str | None = None
    """Why the control does not bind the system, in plain words."""

    @property
    def hidden_support(self) -> bool:
        return self.withheld > 0 and self.state in ("in place", "waived")

    @property
    def good(self) -> bool:
        return self.state in ("in place", "waived")


@dataclass(frozen=True, slots=True)
class PartAnswer:
    part: Part
    match: Match
    findings: tuple[ControlFinding, ...]
    word: AnswerWord


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One answer a reviewer may accept: its controls, their status as of the date, the answer."""

    number: int
    controls: tuple[str, ...]
    """Notations; empty when no control answers the question."""
    word: AnswerWord
    status: str
    answer: str

    def cell(self) -> str:
        head = f"{self.number}: {', '.join(self.controls) or NO_CONTROL}"
        lines = [head]
        if self.status:
            lines.append(self.status)
        lines.append(f"Suggested answer: {self.word}. {self.answer}" if self.word != "Needs review"
                     else f"Suggested answer: {self.answer}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Answer:
    sheet: str
    row: int
    question: str
    answer: AnswerWord
    explanation: str
    controls: tuple[str, ...]
    """Notations of the controls the answer rests on (the first suggestion's, when it needs review)."""
    citations: tuple[Citation, ...]
    confidence: float
    needs_review: bool
    match: Match
    findings: tuple[ControlFinding, ...] = ()
    customer_value: str | None = None
    """The value for the customer's own answer cell (one of its drop-down values, or the written
    answer for a free-text cell)."""
    kind: Kind = "yes-no"
    parts: tuple[PartAnswer, ...] = ()
    written: str | None = None
    """The prose answer for a free-text question (or the customer's comment column)."""
    suggestions: tuple[Suggestion, ...] = ()
    review_reason: str | None = None
    outside: Outside | None = None
    notes: tuple[str, ...] = field(default=())

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
        self.view = AudienceView(audience, result.model, result.validation.artifacts)
        self.pairs = {pair.control.iri: pair for pair in self.assessment.pairs}
        self.organisation = {pair.control.iri: pair for pair in result.assessment.organisation}
        self.deferred: dict[URIRef, RequirementCoverage] = {
            coverage.requirement.iri: coverage for coverage in self.assessment.deferred}
        self._findings: dict[URIRef, ControlFinding] = {}

    @property
    def as_of(self) -> dt.date:
        return self.result.assessment.as_of

    @property
    def system_words(self) -> str:
        return f"{self.system.title} ({self.result.model.label(self.system.tier)})"

    # -- one question -----------------------------------------------------------------------

    def answer(self, question: str, *, sheet: str = "", row: int = 0,
               allowed: Sequence[str] = (), free_text: bool = False) -> Answer:
        understanding = understand(question, free_text_cell=free_text)
        kind = understanding.kind
        exact = self.matcher.exact(question)
        if exact is not None:
            parts = [self._part(Part(understanding.text), self.matcher.match(question))]
        else:
            parts = self._parts(understanding.parts)
        first = parts[0].match
        human = next((p.match.bank_question for p in parts if p.match.bank_question is not None
                      and p.match.bank_question.needs_human), None)
        outside = understanding.outside if exact is None else None
        confidence = round(combined(p.match.confidence for p in parts), 2)
        word = _combine(p.word for p in parts)
        findings = _unique_findings(f for p in parts for f in p.findings)
        word, deferral = self._deferral(word, parts)
        suggestions = self._suggestions(parts, outside, human)
        reason = self._review_reason(parts, outside, human, confidence)
        if reason is not None:
            explanation = f"Needs review: {reason}."
            if suggestions:
                explanation += "\nSuggestions: " + "; ".join(
                    f"{s.number}: {', '.join(s.controls) or NO_CONTROL} ({s.word})" for s in suggestions) + "."
                explanation += "\nCandidates: " + "; ".join(
                    f"{c.notation} {c.title}" for c in self._candidate_controls(parts)) + "."
            return Answer(sheet, row, question, "Needs review", explanation,
                          suggestions[0].controls if suggestions else (), (), confidence, True, first,
                          kind=kind, parts=tuple(parts), suggestions=suggestions, review_reason=reason,
                          outside=outside)
        bank = first.bank_question if len(parts) == 1 else None
        lead = self._lead(word, findings, bank, deferral)
        citations = tuple(dict.fromkeys(c for f in findings for c in f.citations))
        written = self._written(lead, findings, citations)
        explanation = self._explain(word, lead if kind == "yes-no" else written, findings, citations)
        notes: list[str] = []
        value: str | None
        if kind == "free-text" and not allowed:
            value = written
        else:
            value, note = customer_value(word, allowed)
            if note:
                notes.append(note)
        review = bool(allowed) and value is None
        if notes:
            explanation += "\n" + "\n".join(notes)
        return Answer(sheet, row, question, word, explanation, _notations(findings), citations,
                      confidence, review, first, findings, value, kind, tuple(parts), written,
                      suggestions if review else (),
                      notes[0] if review and notes else None, None, tuple(notes))

    # -- parts ------------------------------------------------------------------------------

    def _parts(self, parts: Sequence[Part]) -> list[PartAnswer]:
        answered: list[PartAnswer] = []
        for part in parts:
            previous = answered[-1] if answered else None
            match = self.matcher.match(part.text)
            # A part that leads to the same controls as the one before asks about the same thing
            # ("Can it be shut down, and is there a manual fallback?"): one part.
            if previous is not None and (not match.controls or set(match.controls) == set(previous.match.controls)):
                answered[-1] = self._fold(previous, part, match)
                continue
            answered.append(self._part(part, match))
        return answered or [self._part(Part(""), Match("none", (), 0.0, ()))]

    def _fold(self, previous: PartAnswer, part: Part, match: Match | None = None) -> PartAnswer:
        """``part`` asks about the same thing as ``previous``: one part, as confident as the better."""
        merged = Part(previous.part.text, (*previous.part.details, part.text, *part.details))
        best = previous.match
        if match is not None and match.controls and match.confidence > best.confidence:
            best = replace(best, confidence=match.confidence)
        return replace(previous, part=merged, match=best)

    def _part(self, part: Part, match: Match) -> PartAnswer:
        findings = tuple(self.finding(iri) for iri in match.controls)
        return PartAnswer(part, match, findings, _aggregate(findings))

    # -- per control ------------------------------------------------------------------------

    def finding(self, iri: URIRef) -> ControlFinding:
        """The control's standing for the system, as the audience may see it."""
        known = self._findings.get(iri)
        if known is not None:
            return known
        control = self.result.model.controls[iri]
        finding = self._finding(control)
        self._findings[iri] = finding
        return finding

    def _finding(self, control: Control) -> ControlFinding:
        if control.organisation_scope:
            law = self.result.assessment.law
            applies = law is not None and law.control_binds(control, self.system)
            pair = self.organisation.get(control.iri) if applies else None
        else:
            pair = self.pairs.get(control.iri)  # a pair exists exactly when the control binds the system
        if pair is None:
            return ControlFinding(control, "not applicable", None, (), 0, self._why_not_applicable(control))
        if pair.status in GOOD_STATUSES:
            if pair.status == "waived":
                return ControlFinding(control, "waived", pair, ())
            visible, withheld = self.view.evidence_of(pair)
            return ControlFinding(control, "in place", pair, tuple(self._citation(e) for e in visible), withheld)
        # Evidence awaiting approval is work done; any other status (failing, expired, invalid,
        # missing, and whatever the engine may add) is a gap, and its evidence is never cited.
        state: ControlState = "partial" if pair.status == "unapproved" else "gap"
        return ControlFinding(control, state, pair, ())

    def _citation(self, evidence: Evidence) -> Citation:
        committed = self.result.provenance.of(evidence.origin.file)
        return Citation(evidence.title, evidence.generated,
                        committed.last_changed.sha[:12] if committed else None)

    def _why_not_applicable(self, control: Control) -> str:
        """Why ``control`` does not bind the system, in words: tiers, roles and conditions by label."""
        model, system = self.result.model, self.system
        name = f"{control.notation} {control.title}"
        if system.tier not in control.tiers:
            tiers = _labels(_tier_words(model.label(t)) for t in control.tiers)
            return f"{name} applies to {tiers} systems, and this one is {_tier_words(model.label(system.tier))}"
        if control.roles and not control.roles & system.roles:
            wanted = _labels(model.label(r).lower() for r in control.roles)
            held = _labels(model.label(r).lower() for r in system.roles) or "in no operator role"
            return f"{name} applies where we are the {wanted}; for this system we are the {held}"
        law = self.result.assessment.law
        if control.conditions and law is not None:
            return f"{name} applies only where {law.describe(control.conditions, plain=True)}"
        return f"{name} does not apply to this system"

    # -- combining and wording --------------------------------------------------------------

    def _deferral(self, word: AnswerWord, parts: Sequence[PartAnswer]) -> tuple[AnswerWord, str | None]:
        """A question about requirements that bind the system only later says so, and is not a No."""
        requirements = [r for p in parts if p.match.bank_question for r in p.match.bank_question.requirements]
        later = [self.deferred[r] for r in requirements if r in self.deferred]
        if not later:
            return word, None
        words = "; ".join(self._deferred_words(coverage) for coverage in later)
        if len(later) == len(requirements) and word in ("No", "Partial"):
            return "Not applicable", f"Not yet required: {words}."
        return word, f"Binding later: {words}."

    def _deferred_words(self, coverage: RequirementCoverage) -> str:
        standing = coverage.standing
        when = (f"applies to {self.system.title} from {standing.applies_from}"
                if standing is not None and standing.applies_from else f"does not yet bind {self.system.title}")
        why = f" ({standing.reason})" if standing is not None and standing.reason else ""
        return f"{coverage.requirement.notation} {when}{why}"

    def _lead(self, word: AnswerWord, findings: Sequence[ControlFinding], bank: BankQuestion | None,
              deferral: str | None) -> str:
        in_place = [f for f in findings if f.good]
        gaps = [f for f in findings if f.state in ("partial", "gap")]
        outside = [f for f in findings if f.state == "not applicable"]
        sentences: list[str] = []
        if word == "Yes":
            approved = bank.approved_answer if bank is not None else None
            sentences.append(approved or _answer_texts(in_place))
        elif word == "Partial":
            sentences.append("In part. " + _answer_texts(in_place) if in_place else
                             f"In part: the work is done for {self.system_words}, but not yet approved as of "
                             f"{self.as_of}.")
        elif word == "No":
            sentences.append(f"Not in place for {self.system_words} as of {self.as_of}.")
        if gaps and word != "Yes":
            sentences.append(f"Not yet in place as of {self.as_of}: "
                             + "; ".join(f"{f.control.notation} {f.control.title} ({self._gap_words(f)})"
                                         for f in gaps) + ".")
        if outside:
            reasons = "; ".join(f.not_applicable or f.control.title for f in outside)
            sentences.append(f"Not required for {self.system.title}: {reasons}." if word == "Not applicable"
                             else f"Not applicable: {reasons}.")
        if deferral:
            sentences.append(deferral)
        return " ".join(s for s in sentences if s)

    def _gap_words(self, finding: ControlFinding) -> str:
        pair = finding.pair
        if pair is None:
            return "not judged"
        if finding.state == "partial":
            return "the work is done; " + _GAP_WORDS["unapproved"]
        return _GAP_WORDS.get(pair.status, pair.status)

    def _written(self, lead: str, findings: Sequence[ControlFinding], citations: Sequence[Citation]) -> str:
        """The prose answer: what is in place and since when, then the evidence the audience may see."""
        sentences = [lead]
        dated = [(f, max((c.date for c in f.citations if c.date), default=None)) for f in findings if f.good]
        in_place = [f"{f.control.title} (evidence of {day})" if day else f.control.title for f, day in dated]
        if in_place:
            sentences.append(f"In place for {self.system.title} as of {self.as_of}: " + "; ".join(in_place) + ".")
        if citations:
            sentences.append("Evidence: " + "; ".join(str(c) for c in citations) + ".")
        withheld = sum(f.withheld for f in findings if f.good)
        if withheld:
            sentences.append(f"Further evidence: {withheld_phrase(withheld, self.audience)}.")
        return " ".join(s for s in sentences if s)

    def _explain(self, word: AnswerWord, lead: str, findings: Sequence[ControlFinding],
                 citations: Sequence[Citation]) -> str:
        paragraphs = [lead]
        status = [self._status_words(f) for f in findings if f.pair is not None]
        if status:
            paragraphs.append(f"{STATUS_LINE} {self.as_of} for {self.system_words}: " + "; ".join(status) + ".")
        if citations and "Evidence: " not in lead:
            paragraphs.append("Evidence: " + "; ".join(str(c) for c in citations) + ".")
        withheld = sum(f.withheld for f in findings if f.good)
        if withheld and "Further evidence: " not in lead:
            paragraphs.append(f"Further evidence: {withheld_phrase(withheld, self.audience)}.")
        return "\n".join(p for p in paragraphs if p)

    def _status_words(self, finding: ControlFinding) -> str:
        name = f"{finding.control.notation} {finding.control.title}"
        pair = finding.pair
        assert pair is not None
        if self.audience in ("internal", "auditor"):
            return f"{name}: {self.view.status_phrase(pair)} ({self.view.reason(pair)})"
        if pair.status == "met":
            return f"{name}: in place"
        if pair.status == "waived":
            return f"{name}: covered by an approved, time-limited exception"
        return f"{name}: not in place ({_GAP_WORDS.get(pair.status, pair.status)})"

    # -- review -----------------------------------------------------------------------------

    def _review_reason(self, parts: Sequence[PartAnswer], outside: Outside | None,
                       human: BankQuestion | None, confidence: float) -> str | None:
        if human is not None:
            how = "this question" if parts[0].match.method == "exact" else "a similar question"
            wording = "" if parts[0].match.method == "exact" else f" (\u201c{human.texts[0]}\u201d)"
            return (f"a reviewer found that no control answers {how}{wording} "
                    f"(question bank, {human.origin.file}); answer it by hand")
        if outside is not None:
            return f"{outside.topic}: {outside.reason}; no control answers it"
        if any(not p.match.controls for p in parts):
            return "no control matches the question's words"
        if confidence < self.threshold:
            return f"no confident match (confidence {confidence:.2f}, gate {self.threshold:.2f})"
        return None

    def _candidate_controls(self, parts: Sequence[PartAnswer]) -> list[Control]:
        seen: dict[URIRef, Control] = {}
        for part in parts:
            for candidate in part.match.candidates:
                seen.setdefault(candidate.control, self.result.model.controls[candidate.control])
        return list(seen.values())

    def _suggestions(self, parts: Sequence[PartAnswer], outside: Outside | None,
                     human: BankQuestion | None) -> tuple[Suggestion, ...]:
        """Up to three answers for a reviewer: the parts' best controls, then the weakest part's
        runners-up; "no control answers this" first when the question is outside or a reviewer said so."""
        combos: list[tuple[URIRef, ...]] = []

        def add(controls: Iterable[URIRef]) -> None:
            listed = tuple(dict.fromkeys(controls))
            if listed not in combos:
                combos.append(listed)

        if human is not None or outside is not None:
            add(())
        base = [p.match.controls for p in parts]
        if all(base):
            add(c for controls in base for c in controls)
        for index in sorted(range(len(parts)), key=lambda i: parts[i].match.confidence):
            for alternative in parts[index].match.alternatives:
                add(c for j, controls in enumerate(base) for c in (alternative if j == index else controls))
        for candidate in (c for p in parts for c in p.match.candidates):
            add((candidate.control,))
        suggestions = []
        for number, controls in enumerate(combos[:3], start=1):
            suggestions.append(self._suggestion(number, controls, outside, human))
        return tuple(suggestions)

    def _suggestion(self, number: int, controls: tuple[URIRef, ...], outside: Outside | None,
                    human: BankQuestion | None) -> Suggestion:
        if not controls:
            earlier = human.approved_answer if human is not None else None
            why = (f"{outside.topic}: {outside.reason}" if outside is not None
                   else "a reviewer found that no control answers it")
            return Suggestion(number, (), "Needs review", f"No control answers this ({why}).",
                              earlier or "Answer by hand.")
        findings = tuple(self.finding(iri) for iri in controls)
        word = _aggregate(findings)
        status = "; ".join(f"{f.control.notation} {f.control.title}: {self._suggestion_status(f)}"
                           for f in findings) + f" (as of {self.as_of})"
        return Suggestion(number, tuple(f.control.notation for f in findings), word, status,
                          self._lead(word, findings, None, None))

    def _suggestion_status(self, finding: ControlFinding) -> str:
        if finding.pair is None:
            return "not applicable"
        return self.view.status_phrase(finding.pair)


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
    if all(f.good for f in applicable):
        return "Yes"
    if any(f.good or f.state == "partial" for f in applicable):
        return "Partial"
    return "No"


def _combine(words: Iterable[AnswerWord]) -> AnswerWord:
    """Parts' answers as one: all Yes → Yes, none applicable → Not applicable, some → Partial."""
    applicable = [w for w in words if w != "Not applicable"]
    if not applicable:
        return "Not applicable"
    if all(w == "Yes" for w in applicable):
        return "Yes"
    if any(w in ("Yes", "Partial") for w in applicable):
        return "Partial"
    return "No"


def _unique_findings(findings: Iterable[ControlFinding]) -> tuple[ControlFinding, ...]:
    seen: dict[URIRef, ControlFinding] = {}
    for finding in findings:
        seen.setdefault(finding.control.iri, finding)
    return tuple(seen.values())


def _notations(findings: Iterable[ControlFinding]) -> tuple[str, ...]:
    return tuple(f.control.notation for f in findings)


def _tier_words(label: str) -> str:
    """ "High risk" → "high-risk", as the words go before "systems"."""
    lowered = label[:1].lower() + label[1:] if label[1:2].islower() else label
    return lowered[:-5] + "-risk" if lowered.endswith(" risk") else lowered


def _labels(labels: Iterable[str]) -> str:
    listed = sorted(set(labels))
    if len(listed) <= 1:
        return "".join(listed)
    return ", ".join(listed[:-1]) + " or " + listed[-1]


def _answer_texts(findings: Sequence[ControlFinding]) -> str:
    texts = [f.control.answer_text or f"{f.control.title}: in place." for f in findings]
    return " ".join(dict.fromkeys(texts))


def answer_questionnaire(questionnaire: Questionnaire, answerer: Answerer) -> dict[tuple[str, int], Answer]:
    """An answer for every question row, keyed by (sheet name, row number)."""
    answers: dict[tuple[str, int], Answer] = {}
    for sheet, row in questionnaire.questions:
        answers[(sheet.name, row.number)] = _answer_row(answerer, sheet, row)
    return answers


def _answer_row(answerer: Answerer, sheet: Sheet, row: Row) -> Answer:
    return answerer.answer(row.question, sheet=sheet.name, row=row.number,
                           allowed=row.allowed_answers, free_text=row.free_text)
