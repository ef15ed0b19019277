"""A match's features → the probability that its controls are the right ones.

Per match method, a logistic regression of "the controls were right" on a few features of the
match (:data:`FEATURES`), fitted offline by ``benchmarks/questionnaire/run.py --fit`` on the
labelled development questionnaires (never the test sets), with a small L2 penalty so that a
feature seen rarely does not swing the answer. Only the fitted weights ship, in
:mod:`.calibration_map`; answering needs nothing but a dot product.

A question of several parts is right only if every part is, so its confidence is the product of
its parts'.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from rai_graph.questionnaire import calibration_map

FEATURES: dict[str, tuple[str, ...]] = {
    "exact": (),
    "similar": ("similarity", "lead", "ranking agrees"),
    "lexical": ("coverage", "lead", "matched terms", "concepts shared", "bank agrees",
                "bank vote", "spoken coverage"),
}
"""What each method's probability is computed from, all in [0, 1]:

* similarity — IDF-weighted overlap of the question's terms and the bank wording's, both ways;
* lead — 1 − the runner-up's score relative to the best (for similar: the nearest wording mapped
  to other controls);
* ranking agrees — the best control by the controls' own text is one of the wording's controls;
* coverage — IDF-weighted share of the question's terms the best control's text has;
* matched terms — how many of them it has (six or more count as one);
* concepts shared — share of the question's thesaurus concepts the control's text has;
* bank agrees — similarity of the nearest bank wording mapped to the same control;
* bank vote — share of the bank wordings' vote for the control: each wording sharing a term with
  the question votes for its controls (or for "no control") with its similarity squared;
* spoken coverage — coverage counting, as the control's own, the terms of the bank wordings
  mapped to it (the words customers used for it in reviewed questionnaires).
"""

GATE: float = calibration_map.GATE
"""The least confidence for a row to be answered without review, set from the fitted map."""


def probability(method: str, features: Sequence[float], weights: dict[str, tuple[float, ...]] | None = None) -> float:
    """The calibrated probability for a match of ``method`` with these ``features``."""
    fitted = (weights or calibration_map.WEIGHTS).get(method)
    if not fitted:
        return 0.0
    score = fitted[0] + sum(w * x for w, x in zip(fitted[1:], features, strict=True))
    return round(_sigmoid(score), 4)


def combined(probabilities: Iterable[float]) -> float:
    """The probability that every part is right."""
    return math.prod(probabilities)


def fit_logistic(samples: Sequence[tuple[Sequence[float], bool]], penalty: float = 1.0,
                 iterations: int = 50) -> tuple[float, ...]:
    """Weights (intercept first) of an L2-penalised logistic regression, by Newton's method.

    Small and exact enough for a few hundred samples and a handful of features; the intercept is
    not penalised.
    """
    if not samples:
        return ()
    width = len(samples[0][0]) + 1
    weights = [0.0] * width
    rows = [(1.0, *features) for features, _ in samples]
    targets = [1.0 if right else 0.0 for _, right in samples]
    for _ in range(iterations):
        gradient = [0.0] * width
        hessian = [[0.0] * width for _ in range(width)]
        for x, y in zip(rows, targets, strict=True):
            p = _sigmoid(sum(w * v for w, v in zip(weights, x, strict=True)))
            for i in range(width):
                gradient[i] += (p - y) * x[i]
                for j in range(width):
                    hessian[i][j] += p * (1 - p) * x[i] * x[j]
        for i in range(1, width):
            gradient[i] += penalty * weights[i]
            hessian[i][i] += penalty
        for i in range(width):
            hessian[i][i] += 1e-9
        step = _solve(hessian, gradient)
        weights = [w - s for w, s in zip(weights, step, strict=True)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return tuple(round(w, 4) for w in weights)


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the matrix is small and positive definite)."""
    size = len(vector)
    augmented = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(augmented[r][column]))
        augmented[column], augmented[pivot] = augmented[pivot], augmented[column]
        lead = augmented[column][column]
        for row in range(column + 1, size):
            factor = augmented[row][column] / lead
            for k in range(column, size + 1):
                augmented[row][k] -= factor * augmented[column][k]
    solution = [0.0] * size
    for row in range(size - 1, -1, -1):
        solution[row] = (augmented[row][size] - sum(augmented[row][k] * solution[k]
                                                    for k in range(row + 1, size))) / augmented[row][row]
    return solution


def _sigmoid(score: float) -> float:
    if score >= 0:
        return 1.0 / (1.0 + math.exp(-score))
    exp = math.exp(score)
    return exp / (1.0 + exp)
