"""Question understanding, the customer's vocabulary, the stemmer's senses and the calibration fit."""

from __future__ import annotations

import random

import pytest

from rai_graph.questionnaire.calibration import combined, fit_logistic, probability
from rai_graph.questionnaire.text import stem, terms
from rai_graph.questionnaire.understanding import answer_kind, outside_topic, parts_of, understand
from rai_graph.questionnaire.vocabulary import customer_value, header_scale, scale_kind

# --- parts -----------------------------------------------------------------------------------

def test_a_compound_question_splits_into_its_parts() -> None:
    """Clauses joined by "and" before a new question word are parts of their own."""
    parts = parts_of("Have you assessed the risks, and was the assessment signed off by someone accountable?")
    assert [p.text for p in parts] == ["Have you assessed the risks",
                                       "was the assessment signed off by someone accountable?"]


def test_two_things_joined_as_noun_phrases_are_two_parts() -> None:
    """"A risk assessment and a DPIA" asks for two things."""
    assert [p.text for p in parts_of("Is there a risk assessment and a DPIA?")] == [
        "Is there a risk assessment", "a DPIA?"]


def test_follow_ups_asking_for_a_date_or_a_copy_are_folded_into_their_part() -> None:
    """"When was it last tested?" and "Please attach the report." are details, not parts."""
    parts = parts_of("Is there a kill switch? When was it last tested? Please attach the test report.")
    assert len(parts) == 1
    assert parts[0].text == "Is there a kill switch?"
    assert parts[0].details == ("When was it last tested?", "Please attach the test report.")


def test_a_single_question_with_a_noun_list_stays_one_part() -> None:
    """Coordinated nouns without an article ("bias and proxies") do not split a question."""
    assert len(parts_of("Is the training data screened for historical bias and proxies for protected groups?")) == 1


def test_abbreviations_do_not_end_a_sentence() -> None:
    """"e.g." inside a question is not a sentence boundary."""
    assert len(parts_of("Are decisions interpretable (e.g. reason codes or feature attributions)?")) == 1


# --- kinds -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "kind"), [
    ("Describe how you test for bias.", "free-text"),
    ("Specify the data sources used to train the model.", "free-text"),
    ("What training do operators receive?", "free-text"),
    ("Please explain your retention schedule.", "free-text"),
    ("Provide details of your incident process.", "free-text"),
    ("If sensitive data is used for bias testing, describe the safeguards.", "free-text"),
    ("Do you test for bias?", "yes-no"),
    ("The supplier maintains a board-approved AI policy.", "yes-no"),
    ("Please supply the instructions for use.", "yes-no"),
    ("Is the product classified as high-risk? Explain the reasoning.", "yes-no"),
])
def test_answer_kind_follows_the_first_sentence(question: str, kind: str) -> None:
    """Prose prompts and question-word questions want a written answer; the rest a Yes/No."""
    assert understand(question).kind == kind


def test_answer_kind_of_a_bare_clause() -> None:
    """A document request is a yes-no; a request for details is prose."""
    assert answer_kind("Provide the validation report.") == "yes-no"
    assert answer_kind("Provide details of the validation.") == "free-text"


def test_a_comment_box_is_free_text_whatever_the_wording() -> None:
    """The customer's answer cell decides when it takes prose only."""
    assert understand("Is there a kill switch?", free_text_cell=True).kind == "free-text"


# --- outside the repository ------------------------------------------------------------------

@pytest.mark.parametrize(("question", "topic"), [
    ("What is your annual turnover?", "company facts"),
    ("What are your payment terms and licence fees?", "commercial terms"),
    ("Do you hold cyber insurance, and what is the level of cover?", "liability and insurance"),
    ("Are you certified to ISO/IEC 27001?", "certifications"),
    ("What uptime does your SLA guarantee?", "service levels"),
    ("Describe your disaster recovery arrangements.", "IT and physical security"),
    ("If no, explain why.", "a follow-up without words of its own"),
    ("Indicate why monitoring processes are not in place.", "a follow-up to an answer above"),
    ("Describe why you have not evaluated whether variables could be proxies.", "a follow-up to an answer above"),
])
def test_questions_no_control_can_answer_are_recognised(question: str, topic: str) -> None:
    """Commercial, company, insurance, certificate and IT questions are outside the repository."""
    outside = outside_topic(question)
    assert outside is not None
    assert outside.topic == topic
    assert outside.reason


@pytest.mark.parametrize("question", [
    "Is the product CE marked?",
    "Has a conformity assessment been completed and an EU declaration of conformity signed?",
    "Do you test your models for bias across demographic groups?",
    "Is the chatbot scanned for prompt injection before each release?",
    "Describe why effectiveness is as selected.",
    "If yes, are there mechanisms in place to monitor the changes?",
])
def test_questions_controls_answer_are_not_outside(question: str) -> None:
    """CE marking and conformity are controls, not certificates; ordinary questions stay in scope."""
    assert outside_topic(question) is None


# --- the stemmer -----------------------------------------------------------------------------

@pytest.mark.parametrize(("one", "other"), [
    ("assistant", "assistive"), ("accessibility", "access"), ("disability", "disable"),
    ("responsibility", "response"), ("authorities", "authorised"), ("personal", "person"),
    ("generative", "generated"), ("teaming", "team"), ("applicants", "application"),
    ("limitations", "limited"), ("vulnerable", "vulnerability"), ("promptly", "prompt"),
])
def test_words_of_different_meaning_get_different_stems(one: str, other: str) -> None:
    """Snowball's collisions of different meanings are split (chatbot assistants are not assistive)."""
    assert stem(one) != stem(other)


@pytest.mark.parametrize(("one", "other"), [
    ("organisation", "organization"), ("organisational", "organizational"), ("monitoring", "monitored"),
    ("assistants", "assistant"), ("behaviour", "behavior"), ("supervise", "supervision"),
])
def test_forms_of_one_meaning_still_meet(one: str, other: str) -> None:
    """British and American spellings and inflections share a stem."""
    assert stem(one) == stem(other)


def test_a_virtual_assistant_is_not_an_accessibility_concept() -> None:
    """"virtual assistant" is the chatbot concept; "assistive technology" the accessibility one."""
    assert "@aiinteraction" in terms("Is there a kill switch for the virtual assistant?")
    assert "@accessibility" not in terms("Is there a kill switch for the virtual assistant?")
    assert "@accessibility" in terms("Can users of assistive technology use it?")


# --- the customer's vocabulary ---------------------------------------------------------------

def test_compliance_scale_values_are_used() -> None:
    """Compliant / Partially compliant / Not compliant answer Yes / Partial / No."""
    scale = ["Compliant", "Partially compliant", "Not compliant", "N/A"]
    assert [customer_value(w, scale)[0] for w in ("Yes", "Partial", "No", "Not applicable")] == scale


def test_a_numeric_maturity_scale_never_claims_the_top_level() -> None:
    """1-5: No is 1, Partial 3, Yes 4 with a note saying why; N/A has no level and is left blank."""
    levels = ["1", "2", "3", "4", "5"]
    assert customer_value("No", levels)[0] == "1"
    assert customer_value("Partial", levels)[0] == "3"
    value, note = customer_value("Yes", levels)
    assert value == "4"
    assert note is not None
    assert "never claimed" in note
    assert customer_value("Not applicable", levels)[0] is None


def test_labelled_maturity_levels_are_matched_by_their_words_first() -> None:
    """"4 - Fully implemented" is chosen for Yes by its words, not by its position."""
    levels = ["1 - Not implemented", "2 - Planned", "3 - Partially implemented", "4 - Fully implemented"]
    assert customer_value("Yes", levels)[0] == "4 - Fully implemented"
    assert customer_value("Partial", levels)[0] == "3 - Partially implemented"
    assert customer_value("No", levels)[0] == "1 - Not implemented"


@pytest.mark.parametrize(("header", "values"), [
    ("Response (Yes/No/N/A)", ("Yes", "No", "N/A")),
    ("Maturity (1-5)", ("1", "2", "3", "4", "5")),
    ("Compliant / Partially compliant / Not compliant", ("Compliant", "Partially compliant", "Not compliant")),
    ("Answer", ()),
    ("Question", ()),
])
def test_scales_named_in_headers_are_read(header: str, values: tuple[str, ...]) -> None:
    """A header's own scale stands in for a drop-down list."""
    assert header_scale(header) == values


def test_scale_kinds_are_told_apart() -> None:
    """Yes/No, compliance and maturity scales are recognised for the summary."""
    assert scale_kind(["Yes", "No"]) == "yes-no"
    assert scale_kind(["Compliant", "Not compliant"]) == "compliance"
    assert scale_kind(["0", "1", "2", "3"]) == "maturity"
    assert scale_kind([]) == "none"


# --- calibration -----------------------------------------------------------------------------

def test_the_logistic_fit_recovers_a_known_probability() -> None:
    """Samples right with probability x are fitted to a rising curve near the true rate."""
    generator = random.Random(7)
    samples = []
    for _ in range(2000):
        x = generator.random()
        samples.append(((x,), generator.random() < 0.1 + 0.8 * x))
    weights = fit_logistic(samples, penalty=0.1)
    low = probability("m", (0.1,), {"m": weights})
    high = probability("m", (0.9,), {"m": weights})
    assert low < high
    assert abs(low - 0.18) < 0.06
    assert abs(high - 0.82) < 0.06


def test_a_question_of_several_parts_is_as_likely_right_as_all_its_parts() -> None:
    """The confidence of a compound question is the product of its parts'."""
    assert combined([0.9, 0.5]) == pytest.approx(0.45)
    assert combined([]) == 1.0
