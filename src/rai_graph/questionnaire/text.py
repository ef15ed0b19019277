"""Text normalisation for matching questions: tokens, stems, concepts and phrases.

Customers and control authors rarely use the same words ("bias testing across demographic groups"
against "fairness evaluation of outcomes across protected groups"), so besides stemming, a small
thesaurus of AI-governance terms maps variants to one concept token. Both the questions and the
documents go through the same analysis, so a variant on either side meets the other.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]  # no type information

_STEMMER = snowballstemmer.stemmer("english")

_WORD = re.compile(r"[a-z0-9]+")

# British → American before stemming, so "organisation" and "organization" meet.
_BRITISH = (
    (re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations|ational|er|ers)$"), r"iz\1"),
    (re.compile(r"^(behavi|flav|fav|hon|lab|col|harb|neighb|rum|vig)our"), r"\1or"),
)
_NEVER_IZE = re.compile(
    r"^(superv|adv|exerc|prom|prec|compr|rev|dev|surpr|expert|comprom|franch|prem|enterpr|otherw|ra|pra|"
    r"conc|disgu|merchand|telev|improv|exc|likew|w|ch|po|no|tou|bru|cru)is")
"""Words in -ise that are never -ize ("supervise", "exercise", "precise"), left as they are."""

STOPWORDS: frozenset[str] = frozenset((
    "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as",
    "at", "be", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
    "did", "do", "does", "doing", "done", "down", "during", "each", "either", "etc", "ever",
    "every", "few", "for", "from", "further", "had", "has", "have", "having", "here", "how", "i",
    "if", "in", "into", "is", "it", "its", "itself", "just", "may", "me", "might", "more", "most",
    "must", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other",
    "our", "ours", "out", "over", "own", "per", "please", "same", "shall", "she", "should", "so",
    "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these",
    "they", "this", "those", "through", "to", "too", "under", "until", "up", "upon", "very", "via",
    "was", "we", "were", "what", "when", "where", "whether", "which", "while", "who", "whom",
    "whose", "why", "will", "with", "within", "would", "yes", "you", "your", "yours", "e.g", "i.e",
    "eg", "ie", "describe", "description", "explain", "detail", "details", "list", "provide",
    "provided", "confirm", "indicate", "outline", "share", "give", "state", "specify", "attach",
    "include", "including", "kindly", "elaborate", "briefly", "evidence", "documentation",
    "document", "documented", "supporting", "support", "example", "examples", "copy", "copies",
    "company", "organization", "organisation", "vendor", "supplier", "provider", "business", "firm",
    "entity", "ai", "artificial", "intelligence", "system", "systems", "solution", "solutions",
    "service", "services", "product", "products", "process", "processes", "procedure", "procedures",
    "practice", "practices", "place", "currently", "current", "exist", "existing", "use", "used",
    "using", "ensure", "ensures", "ensured",
))
"""Common English words, plus words every due-diligence question uses ("provide evidence",
"your organisation", "AI system") and that therefore say nothing about which control it is about."""

# Each concept: variants (single words or phrases, lowercase, unstemmed) that mean the same thing in
# AI-governance questionnaires. A match adds the concept token; the words themselves still count.
THESAURUS: dict[str, tuple[str, ...]] = {
    "fairness": ("bias", "biased", "biases", "fairness", "fair", "unfair", "discrimination",
                 "discriminatory", "discriminate", "disparate", "disparity", "disparities",
                 "demographic", "demographics", "protected group", "protected groups",
                 "protected characteristic", "protected characteristics", "protected attribute",
                 "protected attributes", "equal treatment", "equity", "equitable", "adverse impact",
                 "gender", "ethnicity", "ethnic", "race", "racial", "age groups", "treat differently",
                 "treated differently", "unfair treatment", "performs equally"),
    "explainability": ("explainability", "explainable", "explanation", "explanations", "explain",
                       "interpretability", "interpretable", "interpret", "reason code",
                       "reason codes", "xai", "shap", "feature importance", "give reasons",
                       "reasons for", "why a particular"),
    "oversight": ("human oversight", "human in the loop", "human-in-the-loop", "hitl",
                  "human review", "human reviewer", "human reviewers", "manual review",
                  "human intervention", "human control", "oversee", "overseer", "overseers"),
    "override": ("override", "overrides", "overridden", "kill switch", "stop button", "shut down",
                 "shutdown", "switch off", "deactivate", "deactivation", "fallback", "fall back",
                 "disable", "halt", "manual process", "manual fallback", "unavailable"),
    "redteam": ("red team", "red teaming", "red-team", "red-teaming", "adversarial testing",
                "adversarial", "jailbreak", "jailbreaks", "jailbreaking", "penetration test",
                "penetration testing", "pen test", "pen testing", "pentest", "ethical hacking",
                "misuse", "abuse", "fraud"),
    "security": ("security", "cybersecurity", "cyber", "threat model", "threat modelling",
                 "threat modeling", "prompt injection", "data poisoning", "poisoning",
                 "model theft", "model extraction", "evasion", "attack", "attacks", "attacker",
                 "vulnerability", "vulnerabilities", "exploit"),
    "robustness": ("robustness", "robust", "resilience", "resilient", "reliability", "reliable",
                   "stress test", "stress testing", "edge case", "edge cases", "drift",
                   "out of distribution", "fail-safe", "failsafe", "degradation"),
    "accuracy": ("accuracy", "accurate", "performance", "precision", "error rate",
                 "error rates", "auc", "metrics", "validation", "validate", "validated"),
    "monitoring": ("monitoring", "monitor", "monitored", "post-market", "post market",
                   "in production", "ongoing", "continuous", "continuously", "drift detection",
                   "observability", "alerting"),
    "incident": ("incident", "incidents", "malfunction", "malfunctions", "failure", "failures",
                 "outage", "breach", "breaches", "serious incident", "escalation", "escalate"),
    "logging": ("log", "logs", "logging", "logged", "audit trail", "audit trails", "traceability",
                "traceable", "record keeping", "record-keeping", "event log", "event logs"),
    "retention": ("retention", "retain", "retained", "keep records", "archive", "archiving",
                  "deletion", "delete", "storage period"),
    "transparency": ("transparency", "transparent", "disclose", "disclosure", "disclosed",
                     "notify", "notice", "notices", "inform", "informed", "aware", "awareness"),
    "aiinteraction": ("chatbot", "chatbots", "talking to a machine", "interacting with an ai",
                      "interact with an ai", "bot", "virtual assistant", "conversational",
                      "chatting", "chat"),
    "generated": ("deepfake", "deepfakes", "synthetic content", "ai-generated", "ai generated",
                  "generated content", "watermark", "watermarking", "watermarks", "labelling",
                  "labeling", "machine-readable marking", "content provenance", "c2pa"),
    "datagov": ("training data", "data quality", "data governance", "datasheet", "datasheets",
                "data sheet", "data lineage", "lineage", "provenance of data", "data sources",
                "data source", "dataset", "datasets", "data set", "data sets", "representative",
                "representativeness", "labelling quality", "annotation"),
    "privacy": ("privacy", "personal data", "personal information", "pii", "gdpr",
                "data protection", "dpia", "data subject", "data subjects", "sensitive data",
                "special category", "special categories", "consent"),
    "impact": ("impact assessment", "impact assessments", "fundamental rights", "human rights",
               "fria", "algorithmic impact", "societal impact", "affected people",
               "affected persons", "affected individuals"),
    "risk": ("risk management", "risk assessment", "risk assessments", "risk register",
             "risk analysis", "hazard", "hazards", "risks", "risk", "harm", "harms",
             "mitigation", "mitigations", "mitigate"),
    "residual": ("residual risk", "residual risks", "risk acceptance", "accept the risk",
                 "go/no-go", "go no go", "sign-off", "sign off", "release decision",
                 "approval to deploy", "deployment approval"),
    "inventory": ("inventory", "register of ai", "catalog", "catalogue", "asset register",
                  "ai register", "classification", "classify", "classified", "risk tier",
                  "risk category", "risk level", "high-risk", "high risk", "keep track", "risk class"),
    "prohibited": ("prohibited", "banned", "forbidden", "unacceptable risk", "social scoring",
                   "manipulation", "manipulative", "subliminal", "emotion recognition",
                   "biometric categorisation", "article 5"),
    "policy": ("policy", "policies", "principles", "code of conduct", "ethics", "ethical",
               "responsible ai", "acceptable use", "risk appetite", "commitment", "commitments"),
    "accountability": ("accountable", "accountability", "raci", "responsibilities", "responsible",
                       "roles", "role", "ownership", "owner", "owners", "governance structure",
                       "senior management", "executive", "board", "committee", "chief"),
    "committee": ("committee", "review board", "ethics board", "ethics committee",
                  "governance board", "council", "steering", "interdisciplinary",
                  "cross-functional", "multidisciplinary"),
    "training": ("training", "trained", "literacy", "awareness training", "upskilling",
                 "education", "educate", "competence", "competent", "skills", "qualified"),
    "thirdparty": ("third party", "third-party", "third parties", "supplier", "suppliers",
                   "vendor", "vendors", "procurement", "procure", "outsourced", "sub-processor",
                   "subprocessor", "supply chain", "open source", "open-source", "pretrained",
                   "pre-trained", "foundation model", "due diligence", "off-the-shelf"),
    "documentation": ("technical documentation", "technical file", "system documentation",
                      "architecture", "design documentation", "annex iv", "specification"),
    "modelcard": ("model card", "model cards", "model documentation", "model factsheet",
                  "model fact sheet", "system card", "risk card", "intended use", "limitations",
                  "known limitations"),
    "instructions": ("instructions for use", "user manual", "user guide", "operating manual",
                     "user documentation", "deployer documentation"),
    "conformity": ("conformity", "conformity assessment", "declaration of conformity",
                   "ce marking", "ce mark", "notified body", "certification", "certified",
                   "certificate", "audit", "audited", "attestation", "iso 42001", "iso/iec 42001"),
    "qms": ("quality management", "qms", "quality system", "quality manual",
            "management system", "aims"),
    "registration": ("eu database", "registration", "register the system", "registered",
                     "public database"),
    "stakeholder": ("stakeholder", "stakeholders", "consultation", "consult", "engagement",
                    "feedback", "community", "civil society", "affected communities",
                    "external input", "complaints", "grievance"),
    "contest": ("appeal", "appeals", "contest", "contestation", "challenge", "dispute",
                "redress", "recourse", "complaint", "right to explanation"),
    "workers": ("worker", "workers", "employee", "employees", "staff", "works council",
                "trade union", "union", "workplace", "employee representatives"),
    "decommission": ("decommission", "decommissioning", "retire", "retirement", "retiring",
                     "sunset", "end of life", "end-of-life", "withdraw", "withdrawal"),
    "environment": ("environmental", "environment", "energy", "carbon", "emissions",
                    "footprint", "sustainability", "sustainable", "climate", "compute"),
    "copyright": ("copyright", "intellectual property", "ip infringement", "licence",
                  "license", "licensing", "text and data mining", "tdm", "opt-out", "opt out"),
    "gpai": ("general-purpose", "general purpose", "gpai", "foundation model",
             "foundation models", "large language model", "large language models", "llm",
             "llms", "generative", "genai", "gen ai"),
    "systemic": ("systemic risk", "systemic risks", "frontier", "10^25", "flops"),
    "accessibility": ("accessibility", "accessible", "disability", "disabilities",
                      "assistive", "wcag"),
    "corrective": ("corrective action", "corrective actions", "recall", "withdraw",
                   "market surveillance", "authority", "authorities", "regulator",
                   "regulators", "cooperate", "cooperation", "non-compliant", "non-compliance",
                   "noncompliant", "non-conformity", "non-conformities"),
    "deployer": ("deployer", "deployers", "customer use", "operator", "operators", "user organisation"),
    "usecase": ("use case", "use cases", "intended purpose", "context of use",
                "business case", "purpose", "suitability", "appropriateness"),
    "tevv": ("tevv", "test evaluation verification validation", "testing standard",
             "model validation", "model risk management", "validation standard",
             "independent validation", "model risk", "sr 11-7"),
    "inputdata": ("input data", "input validation", "inputs", "data drift", "relevant data"),
    "authrep": ("authorised representative", "authorized representative", "eu representative"),
    "downstream": ("downstream", "integrators", "integrator", "downstream providers",
                   "api customers"),
}


def _senses(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {word: sense for sense, forms in groups.items() for word in forms}


SENSES: dict[str, str] = _senses({
    "assistant": ("assistant", "assistants"),
    "assistive": ("assistive",),
    "generative": ("generative",),
    "authority": ("authority", "authorities"),
    "operator": ("operator", "operators"),
    "personal": ("personal", "personally"),
    "teaming": ("teaming", "teamed"),
    "designat": ("designate", "designated", "designates", "designating", "designation", "designations"),
    "applicant": ("applicant", "applicants"),
    "accountab": ("accountable", "accountability"),
    "accessib": ("accessible", "accessibility", "inaccessible"),
    "competenc": ("competence", "competences", "competency", "competencies"),
    "directive": ("directive", "directives"),
    "disabil": ("disability", "disabilities"),
    "importer": ("importer", "importers"),
    "informat": ("information",),
    "integrity": ("integrity",),
    "limitation": ("limitation", "limitations"),
    "limited": ("limited",),
    "officer": ("officer", "officers"),
    "promptli": ("promptly",),
    "provider": ("provider", "providers"),
    "reasonabl": ("reasonable", "reasonably", "unreasonable"),
    "regulator": ("regulator", "regulators"),
    "rely": ("rely", "relies", "relied", "relying", "reliance"),
    "representativeness": ("representativeness",),
    "response": ("response", "responses"),
    "validat": ("validate", "validated", "validates", "validating", "validation", "validations"),
    "vulnerabl": ("vulnerable",),
})
"""Words Snowball gives the stem of a word of another meaning, with a stem of their own: "assistant"
(a chatbot) and "assistive" (technology for disabled people) are both "assist", "accessibility" and
"access" both "access", "disability" and "disable" both "disabl", "responsible" and "response" both
"respons". Found by listing the stems that different words share in the controls, the catalogues,
the question bank and the development questionnaires (``benchmarks/questionnaire/stem_collisions.py``)
and reading the list; forms of one meaning ("organisation", "organization") keep meeting."""


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if not _NEVER_IZE.match(word):
        for pattern, replacement in _BRITISH:
            word = pattern.sub(replacement, word)
    sense = SENSES.get(word)
    if sense is not None:
        return sense
    stemmed = str(_STEMMER.stemWord(word))
    # Snowball keeps "-able" ("traceabl", "accountabl"); the verb and the adjective should meet.
    if len(stemmed) > 6 and stemmed.endswith(("abl", "ibl")):
        stemmed = stemmed[:-3]
    return stemmed


def fold(text: str) -> str:
    """Lowercase ASCII with accents removed and runs of space collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(ascii_text.replace("&", " and ").split())


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def normalise_question(text: str) -> str:
    """The form used for exact matching: folded words, nothing else."""
    return " ".join(words(text))


def _phrase_index() -> dict[tuple[str, ...], set[str]]:
    index: dict[tuple[str, ...], set[str]] = {}
    for concept, variants in THESAURUS.items():
        for variant in variants:
            key = tuple(stem(w) for w in words(variant))
            index.setdefault(key, set()).add(concept)
    return index


_PHRASES = _phrase_index()
_LONGEST = max(len(key) for key in _PHRASES)


def terms(text: str) -> list[str]:
    """The terms of ``text`` for ranking: content stems, stem bigrams and concept tokens.

    Concept tokens (``@fairness``) come from thesaurus phrases, matched on the stems of all
    words, stop words included, so that "human in the loop" is found.
    """
    all_stems = [stem(w) for w in words(text)]
    found: list[str] = []
    start = 0
    while start < len(all_stems):
        # The longest phrase wins: "audit trail" is about logging, not about audits.
        for length in range(min(_LONGEST, len(all_stems) - start), 0, -1):
            concepts = _PHRASES.get(tuple(all_stems[start:start + length]))
            if concepts:
                found.extend(f"@{concept}" for concept in sorted(concepts))
                start += length
                break
        else:
            start += 1
    content = [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1]
    bigrams = [f"{a}_{b}" for a, b in itertools.pairwise(content)]
    return content + bigrams + found


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
