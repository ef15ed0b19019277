"""What a customer's question asks: its parts, the kind of answer it wants, and whether a control can answer it.

Customers write compound questions ("Have you assessed the risks, and was it signed off by
someone accountable?"), ask for prose ("Describe…", "What training…") and mix in questions no
control can answer (prices, insurance, certificates). :func:`understand` reads a question into:

* **parts** — the separate things asked, each answered from its own control(s). Sentences and
  clauses joined by "and"/"or" before a new question word ("…, and was it…", "…; who…") are
  parts; a follow-up that only asks for a date, a frequency, a copy or who does it, about the
  same thing ("When was it last tested?", "Please attach the report."), is folded into the part
  before it as a *detail*, not matched on its own;
* **kind** — ``yes-no`` when a Yes/No (or compliance value) answers it, including statements to
  confirm and requests for a document; ``free-text`` when the customer expects prose: it starts
  with describe, explain, specify, list…, or with a question word (what, how, which…), or the
  customer's answer cell is a comment box;
* **outside** — a topic the governance repository does not record (commercial and contractual
  terms, company facts, insurance, certifications, general IT and physical security), with the
  reason a reviewer reads, and follow-ups that cannot stand alone ("If no, explain why.", "Indicate
  why monitoring processes are not in place."). Such a question is never answered from the
  nearest control by its words: it goes to review.

Pure text rules, no model: the same question always reads the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rai_graph.questionnaire.text import STOPWORDS, fold, words

Kind = Literal["yes-no", "free-text"]
KINDS: tuple[Kind, ...] = ("yes-no", "free-text")


@dataclass(frozen=True, slots=True)
class Part:
    text: str
    """The words of this part, as the customer wrote them."""
    details: tuple[str, ...] = ()
    """Follow-ups folded into it: "When was it last tested?", "Please attach the report."."""


@dataclass(frozen=True, slots=True)
class Outside:
    topic: str
    """What kind of question it is, e.g. "commercial terms"."""
    reason: str
    """Why no control answers it, for the reviewer."""


@dataclass(frozen=True, slots=True)
class Understanding:
    text: str
    kind: Kind
    parts: tuple[Part, ...]
    outside: Outside | None = None

    @property
    def compound(self) -> bool:
        return len(self.parts) > 1


# --- kind ------------------------------------------------------------------------------------

_AUXILIARIES = (
    "is", "are", "was", "were", "do", "does", "did", "have", "has", "had", "can", "could", "will",
    "would", "shall", "should", "may", "might", "must", "am",
)
_QUESTION_WORDS = ("what", "how", "which", "who", "whom", "whose", "when", "where", "why")
_PROSE_VERBS = (
    "describe", "explain", "specify", "list", "outline", "detail", "summarise", "summarize",
    "elaborate", "identify", "indicate", "tell", "walk", "discuss", "characterise", "characterize",
    "justify", "clarify",
)
_DOCUMENT_VERBS = ("provide", "attach", "share", "supply", "submit", "upload", "send", "include", "give")
_POLITE = ("please", "kindly", "could you", "can you", "would you", "briefly")
_PROSE_OBJECTS = re.compile(
    r"^(details|information|an? (description|overview|summary|explanation)|your (approach|process|"
    r"methodology|rationale)|the (rationale|reasons?|process|steps))\b")


def answer_kind(text: str) -> Kind:
    """``free-text`` for prose prompts and question-word questions, else ``yes-no``."""
    lead = _strip_polite(fold(text))
    first = _first_word(lead)
    if first in _PROSE_VERBS:
        return "free-text"
    if first in _QUESTION_WORDS:
        return "free-text"
    if first in _DOCUMENT_VERBS:
        rest = lead[len(first):].strip()
        # "Provide details of…" asks for prose; "Provide the validation report" for a document.
        return "free-text" if _PROSE_OBJECTS.match(rest) else "yes-no"
    if first == "if":
        # "If sensitive data is used, describe the safeguards." — the main clause decides.
        main = lead.split(",", 1)[1] if "," in lead else ""
        return answer_kind(main) if main.strip() else "yes-no"
    return "yes-no"


def _strip_polite(text: str) -> str:
    text = text.lstrip(" -*•>:\t")
    changed = True
    while changed:
        changed = False
        for polite in _POLITE:
            if text.startswith(polite + " "):
                text = text[len(polite):].lstrip(" ,:")
                changed = True
    return text


def _first_word(text: str) -> str:
    found = re.match(r"[a-z]+", text)
    return found.group(0) if found else ""


# --- parts -----------------------------------------------------------------------------------

_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|art|no|nr|vs|cf|incl|approx|inc|ltd|co|st|p|pp|para|sec)\.$",
                            re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[?!;.])\s+(?=[A-Z(\"'‘“])")
_CLAUSE_START = "|".join((*_AUXILIARIES, *_QUESTION_WORDS, *_PROSE_VERBS, *_DOCUMENT_VERBS, "if", "please"))
_CLAUSE_JOIN = re.compile(rf"(?:,\s*|\s+)(?:and|or|but|also)\s+(?=(?:{_CLAUSE_START})\b)"
                          rf"|;\s+|,\s+(?=(?:and\s+)?(?:{'|'.join(_QUESTION_WORDS)})\b)|,\s+and\s+",
                          re.IGNORECASE)
_NOUN_JOIN = re.compile(r"\s+(?:and|as well as)\s+(?=(?:a|an|the|your|any|every)\s)", re.IGNORECASE)
"""Two things joined as noun phrases: "Is there a risk assessment and a DPIA?". Split only when
the first has words of its own; parts that lead to the same control are one part again."""
_PRONOUNS = frozenset(("it", "its", "this", "that", "these", "those", "they", "them", "their", "such", "same"))
DETAIL_WORDS: frozenset[str] = frozenset((
    "when", "last", "latest", "recent", "recently", "date", "dates", "dated", "often", "frequency",
    "frequently", "regularly", "year", "years", "yearly", "annual", "annually", "month", "months",
    "quarter", "quarterly", "week", "weekly", "day", "days", "tested", "reviewed", "updated", "approved",
    "signed", "report", "reports", "findings", "results", "result", "outcome", "outcomes", "copy",
    "summary", "link", "reference", "who", "whom", "person", "people", "responsible", "performed",
    "done", "carried", "conducted", "completed", "percentage", "share", "many", "much", "long", "time",
    "cover", "covers", "covered", "scope", "reasoning", "rationale", "why", "status", "level",
    "most", "next", "planned", "plan", "timeline", "where", "available", "kept", "stored", "held",
))
"""Words that, on their own, only ask for a detail of what was asked before."""


def parts_of(text: str) -> tuple[Part, ...]:
    """The separate things ``text`` asks, each with the follow-ups folded into it."""
    clauses = [c for sentence in _sentences(text) for c in _clauses(sentence)]
    parts: list[Part] = []
    for clause in clauses:
        if parts and _is_detail(clause):
            last = parts[-1]
            parts[-1] = Part(last.text, (*last.details, clause))
        else:
            parts.append(Part(clause))
    if not parts:
        return (Part(" ".join(text.split())),)
    if len(parts) > 1 and not _content(parts[0].text):
        # A lead-in such as "Please provide evidence:" belongs to what follows it.
        first, second = parts[0], parts[1]
        parts[:2] = [Part(second.text, (first.text, *first.details, *second.details))]
    return tuple(parts)


def _sentences(text: str) -> list[str]:
    text = " ".join(text.split())
    pieces: list[str] = []
    start = 0
    for found in _SENTENCE_END.finditer(text):
        candidate = text[start:found.start()]
        if _ABBREVIATIONS.search(candidate):
            continue
        pieces.append(candidate)
        start = found.end()
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def _clauses(sentence: str) -> list[str]:
    pieces: list[str] = []
    for clause in (p.strip(" ,;") for p in _CLAUSE_JOIN.split(sentence)):
        nouns = [n.strip(" ,;") for n in _NOUN_JOIN.split(clause)]
        if len(nouns) > 1 and all(_content(n) for n in nouns) and len(_content(nouns[0])) >= 2:
            pieces.extend(nouns)
        else:
            pieces.append(clause)
    return [p for p in pieces if words(p)]


def _content(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and w not in DETAIL_WORDS and len(w) > 1]


def _is_detail(clause: str) -> bool:
    """Nothing of its own ("When was it last tested?"), or one word with a detail word, a
    pronoun or a question word ("Please attach the validation report.", "Under what safeguards?")."""
    content = _content(clause)
    if not content:
        return True
    mentioned = set(words(clause))
    asks_detail = bool(mentioned & (DETAIL_WORDS | _PRONOUNS | set(_QUESTION_WORDS)))
    return len(content) == 1 and asks_detail


# --- outside the repository ------------------------------------------------------------------

_OUTSIDE: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (topic, reason, re.compile(pattern)) for topic, reason, pattern in (
        ("commercial terms", "prices, fees, payment and contract terms are commercial matters",
         r"\b(pric(e|es|ing)|fees?|cost of (the )?(licen[cs]e|product|service|subscription)|annual cost|"
         r"licen[cs](e|ing) (model|fees?|costs?)|discounts?|payment terms?|invoic\w*|rebates?|"
         r"commercial terms|contract (value|length|duration|terms?)|terms and conditions|"
         r"multi-year contracts?|renewal terms?|total cost of ownership)\b"),
        ("service levels", "service levels, availability and support hours are contractual commitments",
         r"\b(sla|service level( agreements?)?|uptime|availability guarantee|guarantee(d)? availability|"
         r"24/7|24 x 7|support hours|response times? (for|to) (support|tickets)|helpdesk|help desk|"
         r"customer support (line|hours|by phone))\b"),
        ("company facts", "facts about the company (finances, size, locations, registration) are not "
         "recorded in the governance repository",
         r"\b(revenue|turnover|profit|financial statements?|annual report|credit rating|headcount|"
         r"how many (employees|staff|people)|number of (employees|staff)|office (locations?|address(es)?)|"
         r"registered (office|address)|company registration|registration number|vat number|"
         r"ownership structure|shareholders?|parent company|year founded|customer references?|"
         r"references? (from|in) (the )?\w+ (sector|industry)|references? from (other )?customers)\b"),
        ("liability and insurance", "insurance, liability, indemnities and warranties are legal and "
         "commercial matters",
         r"\b(insurance|insured|insurer|indemnit\w*|indemnif\w*|liability cap|limitation of liability|"
         r"warrant(y|ies)|litigation|lawsuits?|legal proceedings|regulatory fines?|been fined)\b"),
        ("certifications", "the repository records controls and evidence, not certificates: answer "
         "from the certificate register",
         r"\b(certified|certification|certificates?|soc ?[12]|soc ?2 type|iso ?(/ ?iec)? ?27001|"
         r"iso ?(/ ?iec)? ?27701|iso ?(/ ?iec)? ?9001|iso ?(/ ?iec)? ?42001 certif\w*|pci[ -]?dss|"
         r"hitrust|fedramp|cyber essentials|attestation report)\b"),
        ("contacts", "names and contact details are answered by hand",
         r"\b(contact details|contact information|phone number|e-?mail address|name of (the )?"
         r"(respondent|contact|person)|job title|point of contact)\b"),
        ("IT and physical security", "general IT, hosting and physical security are outside the AI "
         "controls",
         r"\b(data cent(re|er)s?|hosting (environment|provider|location)|hosted|business continuity|"
         r"disaster recovery|backups?|background (screening|checks?)|vetting of (staff|employees)|"
         r"visitor (policy|access)|office security|physical (access|security)|badge readers?|cctv|"
         r"encryption|encrypted|least privilege|access control(s)?|multi-factor|mfa|single sign-on|"
         r"sso|passwords?|password resets?|sbom|software bill of materials?|patch(ing)? management|"
         r"endpoint|firewall|antivirus|data residency|stored outside|subcontractors?|sub-processors?)\b"),
    ))
_CERTIFICATION_EXCEPTIONS = re.compile(r"\b(ce mark\w*|conformity|declaration of conformity|notified body)\b")


FOLLOW_UP = Outside("a follow-up without words of its own",
                    "its meaning depends on the question before it and the answer given there")


NEGATIVE_FOLLOW_UP = Outside(
    "a follow-up to an answer above", "it asks why something is not done (or not known), which "
    "presupposes the answer to the question before it; answer the two together")
_WHY_NOT = re.compile(
    r"^(?:please\s+)?(?:(?:describe|explain|indicate|state|specify|justify)\s+)?why\b.*\b(?:not|no|never|unsure)\b"
    r"|^if\s+(?:no|not|you\s+(?:have|do|did|are|were|will)\s+not)\b")


def outside_topic(text: str) -> Outside | None:
    """The topic outside the repository that ``text`` asks about, if any (a follow-up such as
    "If no, explain why." is one: nothing in it says what it is about)."""
    if not _content(text):
        return FOLLOW_UP
    folded = " ".join(fold(text).split())
    if _WHY_NOT.search(folded):
        return NEGATIVE_FOLLOW_UP
    for topic, reason, pattern in _OUTSIDE:
        if not pattern.search(folded):
            continue
        if topic == "certifications" and _CERTIFICATION_EXCEPTIONS.search(folded):
            continue  # conformity assessment and CE marking are controls
        return Outside(topic, reason)
    return None


# --- the whole question ----------------------------------------------------------------------

def understand(text: str, *, free_text_cell: bool = False) -> Understanding:
    """Read ``text``; ``free_text_cell`` when the customer's answer cell takes prose only."""
    parts = parts_of(text)
    first = next(iter(_sentences(text)), text)
    kind: Kind = "free-text" if free_text_cell else answer_kind(first)
    return Understanding(" ".join(text.split()), kind, parts, outside_topic(text))
