"""Errors of the questionnaire commands (see :mod:`rai_graph.errors` for the hierarchy root).

::

    RaiGraphError
    └── QuestionnaireError        a file that cannot be read, or no question column in it
        └── LearnError            a reviewed questionnaire that cannot be added to the bank
"""

from __future__ import annotations

from rai_graph.errors import RaiGraphError


class QuestionnaireError(RaiGraphError):
    """The questionnaire cannot be read or has no recognisable question column."""


class LearnError(QuestionnaireError):
    """A reviewed questionnaire names controls that do not exist, or has nothing to learn."""
