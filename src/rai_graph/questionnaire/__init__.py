"""Customer due-diligence questionnaires answered from the graph (issue #6).

Pipeline: :mod:`.importing` (CSV, Excel, SurveyJS → :class:`Questionnaire`) → :mod:`.matching`
(question → controls with a confidence, via the :mod:`.bank` and BM25) → :mod:`.answering`
(status engine → Yes/Partial/No/Not applicable, with evidence the audience may see) →
:mod:`.export` (the customer's workbook or CSV, and the reviewer's report). :mod:`.learn` adds
reviewed answers to the bank.
"""

from __future__ import annotations

from .answering import Answer as Answer
from .answering import Answerer as Answerer
from .answering import answer_questionnaire as answer_questionnaire
from .bank import QuestionBank as QuestionBank
from .bank import load_bank as load_bank
from .errors import LearnError as LearnError
from .errors import QuestionnaireError as QuestionnaireError
from .export import render_output as render_output
from .importing import read_questionnaire as read_questionnaire
from .learn import learn_questions as learn_questions
from .matching import Match as Match
from .matching import Matcher as Matcher
from .table import OUTPUT_COLUMNS as OUTPUT_COLUMNS
from .table import Questionnaire as Questionnaire

__all__ = [
    "OUTPUT_COLUMNS",
    "Answer",
    "Answerer",
    "LearnError",
    "Match",
    "Matcher",
    "QuestionBank",
    "Questionnaire",
    "QuestionnaireError",
    "answer_questionnaire",
    "learn_questions",
    "load_bank",
    "read_questionnaire",
    "render_output",
]
