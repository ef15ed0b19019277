"""Customer due-diligence questionnaires answered from the graph (issue #6).

Pipeline: :mod:`.importing` (CSV, Excel, SurveyJS → :class:`Questionnaire`) → :mod:`.matching`
(question → controls with a confidence, via the :mod:`.bank` and BM25) → :mod:`.answering`
(status engine → Yes/Partial/No/Not applicable, with evidence the audience may see) →
:mod:`.export` (the customer's workbook or CSV, and the reviewer's report). :mod:`.learn` adds
reviewed answers to the bank.
"""

from __future__ import annotations

from rai_graph.questionnaire.answering import Answer as Answer
from rai_graph.questionnaire.answering import Answerer as Answerer
from rai_graph.questionnaire.answering import answer_questionnaire as answer_questionnaire
from rai_graph.questionnaire.bank import QuestionBank as QuestionBank
from rai_graph.questionnaire.bank import load_bank as load_bank
from rai_graph.questionnaire.errors import LearnError as LearnError
from rai_graph.questionnaire.errors import QuestionnaireError as QuestionnaireError
from rai_graph.questionnaire.export import render_output as render_output
from rai_graph.questionnaire.importing import read_questionnaire as read_questionnaire
from rai_graph.questionnaire.learn import learn_questions as learn_questions
from rai_graph.questionnaire.matching import Match as Match
from rai_graph.questionnaire.matching import Matcher as Matcher
from rai_graph.questionnaire.table import OUTPUT_COLUMNS as OUTPUT_COLUMNS
from rai_graph.questionnaire.table import Questionnaire as Questionnaire

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
