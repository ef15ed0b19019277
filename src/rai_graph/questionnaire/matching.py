"""Map a customer's question (or one part of it) to the controls that answer it, with a probability.

Three ways, the most probable wins:

1. **exact** — the question, normalised, is a wording in the question bank;
2. **similar** — a bank wording shares most of its terms with the question (a reviewed question
   from an earlier customer asked in other words): IDF-weighted overlap both ways, times the lead
   over the nearest wording mapped to other controls;
3. **lexical** — Okapi BM25 over one document per control: its title, description and answer
   text, and the titles of the requirements it satisfies, analysed by :mod:`.text` (stems,
   phrases, thesaurus concepts). The raw score combines how much of the question (weighted by
   IDF) the best control covers with its lead over the runner-up (coverage × √lead).

The bank also teaches the controls the customers' vocabulary: every wording a reviewer mapped to a
control votes for it (weighted by its similarity to the question), and its terms count as the
control's words ("spoken coverage"). Both enter the lexical match's calibration, so a question
worded like an earlier customer's reviewed one on the same topic is answered with more confidence
once the review is learned, without the wordings diluting the controls' own text in the ranking.

Each way gives a raw score in [0, 1]; :mod:`.calibration` turns it into the probability that the
controls are the right ones, fitted on labelled questionnaires (``benchmarks/questionnaire``).
That probability is the confidence; below the gate a person reviews the row. No network, no
model: the same input gives the same ranking.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rdflib import URIRef

from rai_graph.model import RepositoryModel
from rai_graph.questionnaire.bank import BankQuestion, QuestionBank
from rai_graph.questionnaire.calibration import GATE, probability
from rai_graph.questionnaire.text import normalise_question, terms

Method = Literal["exact", "similar", "lexical", "none"]

REVIEW_THRESHOLD = GATE
"""Below this probability a match is only a suggestion and its row is reviewed (the calibrated gate)."""
MIN_MATCHED_TERMS = 2
SINGLE_TERM_CAP = 0.2
"""A question sharing fewer terms than this with its best control gets at most this raw score."""
BM25_K1 = 2.0
BM25_B = 0.5
MAX_CANDIDATES = 3
SIMILAR_MIN = 0.35
"""Least raw score for a bank wording to be considered at all."""

FIELD_WEIGHTS = {
    "title": 3.0,
    "answer": 2.0,
    "description": 1.0,
    "requirement_title": 1.0,
}
"""Term weights per field. Left out on measurement: official clause text (long and legal, it
blurred the lead of the right control more than it helped recall) and the bank's wordings as a
field of the control's document (a learned "LLM" or "GenAI" drew unrelated questions to whichever
control it was learned for; wordings are matched as wholes instead, by the similar step; measured
again for issue #16 at weights 0.5, 1 and 2 on the development sets: one or two more right answers
in 150, one more wrong one with confidence at weight 1 and above)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    control: URIRef
    score: float
    """Relevance relative to the best candidate (1.0 for the best)."""


@dataclass(frozen=True, slots=True)
class Match:
    method: Method
    controls: tuple[URIRef, ...]
    """The controls the answer is built from (empty when nothing matched)."""
    confidence: float
    """Calibrated probability that ``controls`` are the right ones."""
    candidates: tuple[Candidate, ...]
    """The best-ranked controls, best first (for reviewers and top-k measurement)."""
    bank_question: BankQuestion | None = None
    raw: float = 0.0
    """The method's own score, before calibration (coverage × √lead, or similarity × √lead)."""
    features: tuple[float, ...] = ()
    """What the calibration reads (:data:`.calibration.FEATURES` names them)."""
    alternatives: tuple[tuple[URIRef, ...], ...] = field(default=())
    """Other control sets worth suggesting to a reviewer, best first."""

    def needs_review(self, threshold: float = REVIEW_THRESHOLD) -> bool:
        return not self.controls or self.confidence < threshold


class Matcher:
    """Ranks controls for questions; build once per repository, then call :meth:`match`."""

    def __init__(self, model: RepositoryModel, bank: QuestionBank | None = None, *,
                 use_bank: bool = True) -> None:
        self.model = model
        self.bank = bank if bank is not None and use_bank else QuestionBank()
        self._exact = self.bank.by_text()
        self._controls = sorted(model.controls, key=lambda iri: model.controls[iri].notation)
        self._index = {iri: i for i, iri in enumerate(self._controls)}
        self._documents = [self._document(iri) for iri in self._controls]
        self._lengths = [sum(doc.values()) for doc in self._documents]
        self._average_length = sum(self._lengths) / max(len(self._lengths), 1)
        frequency: Counter[str] = Counter()
        for doc in self._documents:
            frequency.update(doc.keys())
        count = len(self._documents)
        self._idf = {t: math.log(1 + (count - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}
        self._unknown_idf = math.log(1 + (count + 0.5) / 0.5)
        self._wordings = [(q, t, _term_set(t)) for q in self.bank.questions for t in q.texts]
        self._vocabulary: dict[URIRef, set[str]] = {}
        """Per control, the terms of the bank wordings mapped to it (the customers' words for it)."""
        for question, _, wording in self._wordings:
            for control in question.controls:
                self._vocabulary.setdefault(control, set()).update(wording)

    # -- documents --------------------------------------------------------------------------

    def _document(self, iri: URIRef) -> Counter[str]:
        control = self.model.controls[iri]
        fields: dict[str, list[str]] = {
            "title": [control.title],
            "description": [control.description or ""],
            "answer": [control.answer_text or ""],
            "requirement_title": [],
        }
        for requirement_iri in sorted(control.satisfies, key=str):
            requirement = self.model.requirements.get(requirement_iri)
            if requirement is None:
                continue
            fields["requirement_title"].append(requirement.title or "")
        weighted: Counter[str] = Counter()
        for name, texts in fields.items():
            for text in texts:
                for term in terms(text):
                    weighted[term] += FIELD_WEIGHTS[name]  # type: ignore[assignment]
        return weighted

    def idf(self, term: str) -> float:
        return self._idf.get(term, self._unknown_idf)

    # -- matching ---------------------------------------------------------------------------

    def exact(self, question: str) -> BankQuestion | None:
        """The bank question with this very wording (normalised), if any."""
        normalised = normalise_question(question)
        return self._exact.get(normalised) if normalised else None

    def match(self, question: str) -> Match:
        """The most probable of exact, similar and lexical for ``question``."""
        options = self.options(question)
        return max(options, key=lambda m: m.confidence) if options else Match("none", (), 0.0, ())

    def options(self, question: str) -> list[Match]:
        """Every way that matches ``question``: the exact bank wording (alone, when there is one),
        else the nearest bank wording and the best control, each with its features and probability."""
        if not normalise_question(question):
            return []
        ranked = self.rank(question)
        candidates = tuple(ranked[:MAX_CANDIDATES])
        exact = self.exact(question)
        if exact is not None:
            return [Match("exact", exact.controls, probability("exact", ()), _bank_first(exact, candidates),
                          exact, 1.0)]
        nearest = self._nearest(question)
        found = [m for m in (self._similar(nearest, ranked), self._lexical(question, ranked, nearest))
                 if m is not None]
        # On a tie the reviewed wording wins over the controls' text.
        return sorted(found, key=lambda m: m.method != "similar")

    def rank(self, question: str) -> list[Candidate]:
        """Every control with a positive BM25 score, best first, scores relative to the best."""
        query = set(terms(question))
        scores = []
        for index, document in enumerate(self._documents):
            score = 0.0
            norm = BM25_K1 * (1 - BM25_B + BM25_B * self._lengths[index] / self._average_length)
            for term in query:
                frequency = document.get(term, 0.0)
                if frequency:
                    score += self._idf[term] * frequency * (BM25_K1 + 1) / (frequency + norm)
            if score > 0:
                scores.append((score, self.model.controls[self._controls[index]].notation, index))
        scores.sort(key=lambda item: (-item[0], item[1]))
        if not scores:
            return []
        best = scores[0][0]
        return [Candidate(self._controls[index], score / best) for score, _, index in scores]

    def _lexical(self, question: str, ranked: Sequence[Candidate], nearest: _Nearest | None) -> Match | None:
        if not ranked:
            return None
        top = ranked[0].control
        query = [t for t in set(terms(question)) if "_" not in t]
        document = self._documents[self._index[top]]
        matched = [t for t in query if t in document]
        total = sum(self.idf(t) for t in query)
        coverage = sum(self._idf[t] for t in matched) / total if total else 0.0
        lead = max(1.0 - (ranked[1].score if len(ranked) > 1 else 0.0), 0.0)
        raw = coverage * math.sqrt(lead)
        if len(matched) < MIN_MATCHED_TERMS:
            # "Project title" shares one word with a control: too little to go on, however rare.
            raw = min(raw, SINGLE_TERM_CAP)
        concepts = [t for t in query if t.startswith("@")]
        concept_share = sum(1 for t in concepts if t in document) / len(concepts) if concepts else 0.0
        agree = nearest.similarity_for(top) if nearest is not None else 0.0
        vote = nearest.vote_for(top) if nearest is not None else 0.0
        spoken = self._vocabulary.get(top, set())
        spoken_coverage = sum(self.idf(t) for t in query if t in document or t in spoken) / total if total else 0.0
        features = (round(coverage, 4), round(lead, 4), min(len(matched), 6) / 6, round(concept_share, 4),
                    round(agree, 4), round(vote, 4), round(spoken_coverage, 4))
        alternatives: tuple[tuple[URIRef, ...], ...] = tuple((c.control,) for c in ranked[1:MAX_CANDIDATES])
        reviewed = nearest.nearest_other_than(top) if nearest is not None else None
        if reviewed is not None:
            # A reviewer's decision on a question sharing these words, offered before the
            # controls' text's runners-up (to suggest only: it is no evidence for the confidence).
            alternatives = (reviewed, *(a for a in alternatives if a != reviewed))[:MAX_CANDIDATES - 1]
        return Match("lexical", (top,), probability("lexical", features), tuple(ranked[:MAX_CANDIDATES]),
                     None, round(raw, 4), features, alternatives)

    def _nearest(self, question: str) -> _Nearest | None:
        """The bank wordings nearest ``question`` by their terms, best first."""
        if not self._wordings:
            return None
        query = _term_set(question)
        if not query:
            return None
        scored = sorted(((self._overlap(query, wording), index)
                         for index, (_, _, wording) in enumerate(self._wordings)), reverse=True)
        return _Nearest([(similarity, self._wordings[index][0]) for similarity, index in scored if similarity > 0])

    def _similar(self, nearest: _Nearest | None, ranked: Sequence[Candidate]) -> Match | None:
        """The nearest bank wording, when it is near enough to be worth weighing."""
        if nearest is None or not nearest.found:
            return None
        similarity, best = nearest.found[0]
        rival = next((s for s, q in nearest.found[1:] if _mapping(q) != _mapping(best)), 0.0)
        lead = max(1.0 - rival / similarity, 0.0) if similarity else 0.0
        raw = similarity * math.sqrt(lead)
        if raw < SIMILAR_MIN:
            return None
        agree = 1.0 if ranked and ranked[0].control in best.controls else 0.0
        features = (round(similarity, 4), round(lead, 4), agree)
        return Match("similar", best.controls, probability("similar", features),
                     _bank_first(best, ranked[:MAX_CANDIDATES]), best, round(raw, 4), features,
                     tuple((c.control,) for c in ranked[:MAX_CANDIDATES] if c.control not in best.controls))

    def _overlap(self, query: frozenset[str], wording: frozenset[str]) -> float:
        """Geometric mean of the IDF-weighted share of each side's terms found in the other."""
        shared = query & wording
        if not shared:
            return 0.0
        weight = sum(self.idf(t) for t in shared)
        return math.sqrt(weight / sum(self.idf(t) for t in query) * weight / sum(self.idf(t) for t in wording))


@dataclass(frozen=True, slots=True)
class _Nearest:
    found: list[tuple[float, BankQuestion]]
    """(similarity, bank question) for every wording sharing a term, nearest first."""

    def similarity_for(self, control: URIRef) -> float:
        """How near the nearest wording mapped to ``control`` is (0 when none is)."""
        return next((s for s, q in self.found if control in q.controls), 0.0)

    def nearest_other_than(self, control: URIRef) -> tuple[URIRef, ...] | None:
        """The controls of the nearest wording mapped to controls other than ``control`` alone."""
        return next((q.controls for _, q in self.found if q.controls and q.controls != (control,)), None)

    def vote_for(self, control: URIRef) -> float:
        """Share of the wordings' vote that goes to ``control``: each wording sharing a term votes for
        its controls (or for "no control") with its similarity squared, so the nearest count most."""
        total = sum(s * s for s, _ in self.found)
        return sum(s * s for s, q in self.found if control in q.controls) / total if total else 0.0


def _term_set(text: str) -> frozenset[str]:
    return frozenset(t for t in terms(text) if "_" not in t)


def _mapping(question: BankQuestion) -> tuple[frozenset[URIRef], bool]:
    return frozenset(question.controls), question.needs_human


def _bank_first(question: BankQuestion, ranked: Iterable[Candidate]) -> tuple[Candidate, ...]:
    """The bank's controls first, then the lexical ranking, without repeats."""
    seen = list(question.controls)
    rest = [c for c in ranked if c.control not in seen]
    return tuple([Candidate(c, 1.0) for c in seen] + rest)[:max(MAX_CANDIDATES, len(seen))]
