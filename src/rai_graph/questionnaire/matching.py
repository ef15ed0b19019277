"""Map a customer's question to the controls that answer it, with a confidence.

Three steps, the first that applies wins:

1. **exact** — the question, normalised, is a wording in the bank: confidence 1.
2. **fuzzy** — a bank wording is nearly the same (cosine of character-trigram TF-IDF vectors at
   least :data:`FUZZY_MIN`): confidence is that similarity.
3. **lexical** — Okapi BM25 over one document per control: its title, description and answer
   text, and the titles of the requirements it satisfies,
   analysed by :mod:`.text` (stems, phrases, thesaurus concepts). Confidence combines how much of
   the question (weighted by IDF) the best control covers with its lead over the runner-up
   (coverage × √lead).

A match whose confidence is below the threshold is for a person to review; its candidates are
listed. No network, no model: the same input gives the same ranking.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rdflib import URIRef

from rai_graph.model import RepositoryModel
from rai_graph.questionnaire.bank import BankQuestion, QuestionBank
from rai_graph.questionnaire.text import char_ngrams, normalise_question, terms

Method = Literal["exact", "fuzzy", "lexical", "none"]

FUZZY_MIN = 0.8
"""Least character-trigram cosine for a bank wording to count as the same question."""
REVIEW_THRESHOLD = 0.25
"""Below this confidence a match is only a suggestion: the row is marked Needs review. Set on the
benchmark's dev half with a margin above the most confident wrong match (0.15)."""
MIN_MATCHED_TERMS = 2
SINGLE_TERM_CAP = 0.2
"""A question sharing fewer terms than this with its best control is never confident."""
BM25_K1 = 2.0
BM25_B = 0.5
MAX_CANDIDATES = 3

FIELD_WEIGHTS = {
    "title": 3.0,
    "answer": 2.0,
    "description": 1.0,
    "requirement_title": 1.0,
}
"""Term weights per field. Left out on measurement: official clause text (long and legal, it
blurred the lead of the right control more than it helped recall) and the bank's wordings (a
learned "LLM" or "GenAI" drew unrelated questions to whichever control it was learned for; the
bank is used by the exact and fuzzy steps instead)."""


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
    candidates: tuple[Candidate, ...]
    """The best-ranked controls, best first (for reviewers and top-k measurement)."""
    bank_question: BankQuestion | None = None

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
        self._documents = [self._document(iri) for iri in self._controls]
        self._lengths = [sum(doc.values()) for doc in self._documents]
        self._average_length = sum(self._lengths) / max(len(self._lengths), 1)
        frequency: Counter[str] = Counter()
        for doc in self._documents:
            frequency.update(doc.keys())
        count = len(self._documents)
        self._idf = {t: math.log(1 + (count - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}
        self._unknown_idf = math.log(1 + (count + 0.5) / 0.5)
        self._wordings = [(q, t) for q in self.bank.questions for t in q.texts]
        self._trigram_idf, self._wording_vectors = _trigram_space([t for _, t in self._wordings])

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

    # -- matching ---------------------------------------------------------------------------

    def match(self, question: str) -> Match:
        normalised = normalise_question(question)
        ranked = self.rank(question)
        candidates = tuple(ranked[:MAX_CANDIDATES])
        if not normalised:
            return Match("none", (), 0.0, ())
        exact = self._exact.get(normalised)
        if exact is not None:
            return Match("exact", exact.controls, 1.0, _bank_first(exact, candidates), exact)
        fuzzy = self._fuzzy(question)
        if fuzzy is not None:
            bank_question, similarity = fuzzy
            return Match("fuzzy", bank_question.controls, round(similarity, 2),
                         _bank_first(bank_question, candidates), bank_question)
        if not candidates:
            return Match("none", (), 0.0, ())
        return Match("lexical", (candidates[0].control,), round(self._confidence(question, ranked), 2),
                     candidates)

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

    def _confidence(self, question: str, ranked: Sequence[Candidate]) -> float:
        """IDF-weighted share of the question's words the best control has, times its lead."""
        query = [t for t in set(terms(question)) if "_" not in t]
        if not query or not ranked:
            return 0.0
        document = self._documents[self._controls.index(ranked[0].control)]
        matched = [t for t in query if t in document]
        total = sum(self._idf.get(t, self._unknown_idf) for t in query)
        coverage = sum(self._idf[t] for t in matched) / total if total else 0.0
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        confidence = coverage * math.sqrt(max(1.0 - runner_up, 0.0))
        if len(matched) < MIN_MATCHED_TERMS:
            # "Project title" shares one word with a control: too little to go on, however rare.
            confidence = min(confidence, SINGLE_TERM_CAP)
        return confidence

    def _fuzzy(self, question: str) -> tuple[BankQuestion, float] | None:
        if not self._wordings:
            return None
        vector = _vector(char_ngrams(question), self._trigram_idf)
        best: tuple[float, int] | None = None
        for index, other in enumerate(self._wording_vectors):
            similarity = _cosine(vector, other)
            if best is None or similarity > best[0]:
                best = (similarity, index)
        if best is None or best[0] < FUZZY_MIN:
            return None
        return self._wordings[best[1]][0], best[0]


def _bank_first(question: BankQuestion, ranked: Iterable[Candidate]) -> tuple[Candidate, ...]:
    """The bank's controls first, then the lexical ranking, without repeats."""
    seen = list(question.controls)
    rest = [c for c in ranked if c.control not in seen]
    return tuple([Candidate(c, 1.0) for c in seen] + rest)[:max(MAX_CANDIDATES, len(seen))]


def _trigram_space(texts: Sequence[str]) -> tuple[dict[str, float], list[dict[str, float]]]:
    frequency: Counter[str] = Counter()
    grams = [char_ngrams(t) for t in texts]
    for g in grams:
        frequency.update(set(g))
    count = len(texts)
    idf = {gram: math.log((1 + count) / (1 + n)) + 1 for gram, n in frequency.items()}
    return idf, [_vector(g, idf) for g in grams]


def _vector(grams: Iterable[str], idf: dict[str, float]) -> dict[str, float]:
    counts = Counter(grams)
    default = max(idf.values(), default=1.0)
    vector = {gram: n * idf.get(gram, default) for gram, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {gram: v / norm for gram, v in vector.items()}


def _cosine(left: dict[str, float], right: dict[str, float]) -> float:
    if len(left) > len(right):
        left, right = right, left
    return sum(v * right.get(gram, 0.0) for gram, v in left.items())
