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

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from rai_graph._display import short
from rai_graph.model import Origin, RepositoryModel
from rai_graph.pipeline import PipelineResult
from rai_graph.questionnaire._terms import QB
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
    for subject, props in sorted(_question_properties(result).items(), key=lambda item: str(item[0])):
        origin = model.origins.get(subject, Origin("", None))
        where = f"{origin.file}:{origin.line}" if origin.line else origin.file
        texts = tuple(sorted({str(t) for t in props[QB.questionText]
                              if isinstance(t, Literal) and str(t).strip()}))
        controls: list[URIRef] = []
        for target in sorted(props[QB.mapsToControl], key=str):
            if isinstance(target, URIRef) and target in model.controls:
                controls.append(target)
            else:
                bank.problems.append(f"{where}: {short(subject)} rai:mapsToControl {short(target)}: "
                                     "not a control of the repository")
        for target in sorted(props[QB.mapsToRequirement], key=str):
            if not isinstance(target, URIRef) or target not in model.requirements:
                bank.problems.append(f"{where}: {short(subject)} rai:mapsToRequirement "
                                     f"{short(target)}: not a requirement of the repository")
                continue
            controls.extend(c for c in satisfied_by.get(target, ()) if c not in controls)
        if not texts:
            bank.problems.append(f"{where}: {short(subject)} has no rai:questionText")
            continue
        needs_human = any(str(v).strip().lower() in ("true", "1") for v in props[QB.needsHumanAnswer])
        if not controls and not needs_human:
            bank.problems.append(f"{where}: {short(subject)} maps to no control")
            continue
        bank.questions.append(BankQuestion(
            subject, texts, tuple(controls), _english(props[QB.approvedAnswer]), origin,
            _english(props[DCTERMS.source]), needs_human and not controls,
        ))
    return bank


def _question_properties(result: PipelineResult) -> dict[URIRef, dict[URIRef, list[Node]]]:
    """Properties of every ``rai:Question``, read in one pass over the dataset's quads."""
    dataset = result.repository.dataset
    questions = {s for s, _p, _o, _g in dataset.quads((None, RDF.type, QB.Question, None))
                 if isinstance(s, URIRef)}
    props: dict[URIRef, dict[URIRef, list[Node]]] = {q: defaultdict(list) for q in questions}
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        if s in props and isinstance(p, URIRef):
            props[s][p].append(o)  # type: ignore[index]
    return props


def _english(candidates: list[Node]) -> str | None:
    """The English (or untagged) literal among ``candidates``, deterministically."""
    texts = sorted(str(v) for v in candidates
                   if isinstance(v, Literal) and v.language in (None, "en") and str(v).strip())
    if texts:
        return texts[0]
    others = sorted(str(v) for v in candidates if isinstance(v, Literal | URIRef))
    return others[0] if others else None


def control_by_notation(model: RepositoryModel) -> dict[str, URIRef]:
    """Control notation (case-insensitive) → IRI."""
    return {control.notation.casefold(): control.iri for control in model.controls.values()}
