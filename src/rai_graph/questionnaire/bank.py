"""The question bank: standard questions, the controls that answer them, approved answers.

Questions live in ``controls/questions/*.ttl`` and are loaded with the rest of the repository::

    ex:q-bias-testing a rai:Question ;
        rai:questionText "Do you test your AI systems for bias?"@en ,
            "Are models evaluated for disparate impact on protected groups?"@en ;
        rai:mapsToControl ex:RAI-EVAL-02 ;
        rai:approvedAnswer "We evaluate outcomes across protected groups ..."@en .

``rai:mapsToRequirement`` may stand in for (or add to) ``rai:mapsToControl``: the question is
then answered by every control that satisfies the requirement. A question a reviewer found no
control answers is kept with ``rai:needsHumanAnswer true`` and no mapping: it is always sent to a
person, with that finding, instead of being matched to the nearest control by its words.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from rdflib import URIRef

from rai_graph._display import short
from rai_graph.model import Origin, RepositoryModel
from rai_graph.pipeline import PipelineResult
from rai_graph.questionnaire.text import normalise_question


@dataclass(frozen=True, slots=True)
class BankQuestion:
    iri: URIRef
    texts: tuple[str, ...]
    controls: tuple[URIRef, ...]
    """Controls answering the question: named ones, then those satisfying named requirements."""
    approved_answer: str | None
    origin: Origin
    source: str | None = None
    needs_human: bool = False
    """A reviewer found that no control answers it (``rai:needsHumanAnswer true``)."""
    requirements: tuple[URIRef, ...] = ()
    """The requirements it names (``rai:mapsToRequirement``), whose standing for the system
    (applies now, or later) the answer states."""


@dataclass(slots=True)
class QuestionBank:
    questions: list[BankQuestion] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Bank entries that cannot be used (a control that does not exist, no wording)."""

    def by_text(self) -> dict[str, BankQuestion]:
        """Every wording (normalised) → its question; the first question wins on duplicates."""
        index: dict[str, BankQuestion] = {}
        for question in self.questions:
            for text in question.texts:
                index.setdefault(normalise_question(text), question)
        return index


def load_bank(result: PipelineResult) -> QuestionBank:
    """The questions of the repository's bank, with their controls resolved."""
    model = result.model
    bank = QuestionBank()
    satisfied_by: dict[URIRef, list[URIRef]] = defaultdict(list)
    for control in sorted(model.controls.values(), key=lambda c: c.notation):
        for requirement in control.satisfies:
            satisfied_by[requirement].append(control.iri)
    for question in sorted(model.questions.values(), key=lambda q: str(q.iri)):
        origin = question.origin
        where = f"{origin.file}:{origin.line}" if origin.line else origin.file
        subject = question.iri
        controls: list[URIRef] = []
        for target in question.controls:
            if target in model.controls:
                controls.append(target)
            else:
                bank.problems.append(f"{where}: {short(subject)} rai:mapsToControl {short(target)}: "
                                     "not a control of the repository")
        for target in question.requirements:
            if target not in model.requirements:
                bank.problems.append(f"{where}: {short(subject)} rai:mapsToRequirement "
                                     f"{short(target)}: not a requirement of the repository")
                continue
            controls.extend(c for c in satisfied_by.get(target, ()) if c not in controls)
        if not question.texts:
            bank.problems.append(f"{where}: {short(subject)} has no rai:questionText")
            continue
        if not controls and not question.needs_human:
            bank.problems.append(f"{where}: {short(subject)} maps to no control")
            continue
        bank.questions.append(BankQuestion(
            subject, question.texts, tuple(controls), question.approved_answer, origin,
            question.source, question.needs_human and not controls,
            tuple(r for r in question.requirements if r in model.requirements),
        ))
    return bank


BankChoice = Literal["all", "standard", "none"]
BANK_CHOICES: tuple[BankChoice, ...] = ("all", "standard", "none")
LEARNED_PREFIX = "learned-"
"""``questionnaire learn`` writes ``controls/questions/learned-<questionnaire>.ttl``."""


def is_learned(question: BankQuestion) -> bool:
    """The question was added by ``questionnaire learn`` (its file is a ``learned-*.ttl``)."""
    return question.origin.file.rsplit("/", 1)[-1].startswith(LEARNED_PREFIX)


def select_bank(bank: QuestionBank, choice: BankChoice) -> QuestionBank:
    """Every question (``all``), only those not learned from reviewed questionnaires
    (``standard``: an empty learned bank, as for a first questionnaire), or none."""
    if choice == "all":
        return bank
    kept = [q for q in bank.questions if choice == "standard" and not is_learned(q)]
    return QuestionBank(kept, list(bank.problems))


def control_by_notation(model: RepositoryModel) -> dict[str, URIRef]:
    """Control notation (case-insensitive) → IRI."""
    return {control.notation.casefold(): control.iri for control in model.controls.values()}
