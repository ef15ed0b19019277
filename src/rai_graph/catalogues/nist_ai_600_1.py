"""NIST AI 600-1, the Generative AI Profile: 212 suggested actions and the 12 GAI risks.

Actions (ids, subcategory, text, risk tags, AI actor tasks) come from the CSA extraction (CC0);
the 12 risks and their NIST definitions from IBM's AI Atlas Nexus data (Apache-2.0 packaging).
The CSA extraction was taken from the PDF and needs cleaning, all of it explicit below:

* typographic ligatures (ﬁ, ﬀ, ﬂ, ﬃ, ﬄ) are spelled out and whitespace runs (PDF line breaks,
  no-break spaces) become one space; nothing else in the text is changed;
* one malformed id, ``GV4.3--001``, is corrected to ``GV-4.3-001``;
* risk tags are mapped onto the 12 risks by :data:`RISK_TAG_VARIANTS` (spelling variants, one
  fused tag); any other unknown tag stops the build;
* the tag "Civil Rights violations" (GV-1.4-002, printed so in the PDF) names none of the 12
  risks: it is not mapped to a risk but kept on the action as a ``skos:editorialNote``;
* AI actor task spelling variants are mapped by :data:`ACTOR_VARIANTS`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from rai_graph.catalogues._common import (
    NIST_LICENSING,
    Clause,
    FrameworkInfo,
    SourceDataError,
    add_clause,
    add_framework,
    as_list,
    as_mapping,
    derived_from,
    field_str,
    field_str_list,
    new_graph,
    normalise_space,
    read_json,
    read_yaml,
)
from rai_graph.catalogues.nist_ai_rmf import clause_iri
from rai_graph.vocab import NISTGAI, RAI

OUTPUT = "nist-ai-600-1.ttl"

FRAMEWORK = URIRef("https://w3id.org/rai-graph/framework/nist-ai-600-1")
DOCUMENT_URL = URIRef("https://nvlpubs.nist.gov/nistpubs/ai/NIST.AI.600-1.pdf")

ACTIONS_JSON = "nist-ai-600-1/ai-600-1-1.0-actions.json"
RISKS_YAML = "nist-ai-600-1/nist_ai_rmf_data.yaml"

LIGATURES: Mapping[str, str] = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl"}

#: Action ids the extraction got wrong → the id as published.
ID_CORRECTIONS: Mapping[str, str] = {"GV4.3--001": "GV-4.3-001"}

#: Risk tags (after the ligature fix) that are not a risk's exact name → the risks they mean.
RISK_TAG_VARIANTS: Mapping[str, tuple[str, ...]] = {
    "CBRN Information and Capability": ("CBRN Information or Capabilities",),
    "Environmental": ("Environmental Impacts",),
    "Human AI Configuration": ("Human-AI Configuration",),
    # Two tags fused by the extraction (MG-3.2-004).
    "Human-AI Configuration, Dangerous, Violent, or Hateful Content": (
        "Human-AI Configuration",
        "Dangerous, Violent, or Hateful Content",
    ),
}

#: Tags printed in the Profile that name none of its 12 risks: kept as a note, never a risk.
NON_RISK_TAGS = frozenset({"Civil Rights violations"})

#: AI actor task spellings (after ligature fix and whitespace) → the Profile's usual spelling.
ACTOR_VARIANTS: Mapping[str, str] = {
    "End- Users": "End-Users",
    "End Users": "End-Users",
    "AI Actors: AI Design": "AI Design",
}

_ACTION_ID = re.compile(r"(?P<function>GV|MP|MS|MG)-(?P<subcategory>\d+\.\d+)-\d{3}")
_FUNCTIONS: Mapping[str, str] = {"GV": "GOVERN", "MP": "MAP", "MS": "MEASURE", "MG": "MANAGE"}

RIGHTS = (
    "NIST AI 600-1, Artificial Intelligence Risk Management Framework: Generative Artificial "
    "Intelligence Profile, National Institute of Standards and Technology. A work of the U.S. "
    "Government, not subject to copyright in the United States (17 U.S.C. §105). Actions via the "
    "Cloud Security Alliance dataset-public-laws-regulations-standards extraction (CC0 1.0); risk "
    "definitions via IBM AI Atlas Nexus (Apache License 2.0, © IBM). See "
    "frameworks/sources/nist-ai-600-1/SOURCE.md."
)


def fix_ligatures(text: str) -> str:
    """Spell out the typographic ligatures the PDF extraction left in the text."""
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    return text


def clean_text(text: str) -> str:
    """Ligatures spelled out and whitespace normalised; nothing else changes."""
    return normalise_space(fix_ligatures(text))


def published_id(raw_id: str) -> str:
    """The action id as published, after the known correction; an error if still malformed."""
    action_id = ID_CORRECTIONS.get(raw_id, raw_id)
    if _ACTION_ID.fullmatch(action_id) is None:
        raise SourceDataError(f"{ACTIONS_JSON}: malformed action id {raw_id!r}")
    return action_id


def action_subcategory(action_id: str) -> str:
    """The AI RMF subcategory an action id belongs to: GV-1.2-003 → GOVERN 1.2."""
    match = _ACTION_ID.fullmatch(action_id)
    if match is None:
        raise SourceDataError(f"malformed action id {action_id!r}")
    return f"{_FUNCTIONS[match['function']]} {match['subcategory']}"


def risk_names_for_tag(tag: str, risk_names: frozenset[str]) -> tuple[str, ...]:
    """The risks a raw tag stands for (none for :data:`NON_RISK_TAGS`); unknown tags fail."""
    fixed = normalise_space(fix_ligatures(tag))
    if fixed in NON_RISK_TAGS:
        return ()
    if fixed in risk_names:
        return (fixed,)
    if fixed in RISK_TAG_VARIANTS:
        return RISK_TAG_VARIANTS[fixed]
    raise SourceDataError(f"{ACTIONS_JSON}: unknown risk tag {tag!r}; add it to the mapping")


def clean_actor(actor: str) -> str:
    """An AI actor task, spelled as in the Profile's tables."""
    fixed = clean_text(actor)
    return ACTOR_VARIANTS.get(fixed, fixed)


@dataclass(frozen=True, slots=True)
class Risk:
    """One of the 12 GAI risks."""

    iri: URIRef
    name: str
    definition: str


@dataclass(frozen=True, slots=True)
class Action:
    """One suggested action, cleaned."""

    action_id: str
    raw_id: str
    subcategory: str
    text: str
    risks: tuple[str, ...]
    unmapped_tags: tuple[str, ...]
    actors: tuple[str, ...]


def risk_iri(source_id: str) -> URIRef:
    """nistgai:risk-confabulation for IBM's ``nist-confabulation``."""
    if not source_id.startswith("nist-"):
        raise SourceDataError(f"{RISKS_YAML}: unexpected risk id {source_id!r}")
    return NISTGAI["risk-" + source_id.removeprefix("nist-")]


def read_risks(sources: Path) -> dict[str, Risk]:
    """The 12 risks by name, with their NIST definitions."""
    document = as_mapping(read_yaml(sources, RISKS_YAML), RISKS_YAML)
    risks: dict[str, Risk] = {}
    for index, entry in enumerate(as_list(document.get("entries"), f"{RISKS_YAML} entries")):
        where = f"{RISKS_YAML} entry {index}"
        record = as_mapping(entry, where)
        name = normalise_space(field_str(record, "name", where))
        risks[name] = Risk(
            iri=risk_iri(field_str(record, "id", where)),
            name=name,
            definition=normalise_space(field_str(record, "description", where)),
        )
    return risks


def read_actions(sources: Path, risk_names: frozenset[str]) -> list[Action]:
    """The suggested actions, cleaned, in source order."""
    entries = as_list(read_json(sources, ACTIONS_JSON), ACTIONS_JSON)
    actions = [read_action(entry, index, risk_names) for index, entry in enumerate(entries)]
    ids = [action.action_id for action in actions]
    duplicates = sorted({action_id for action_id in ids if ids.count(action_id) > 1})
    if duplicates:
        raise SourceDataError(f"{ACTIONS_JSON}: duplicate action ids {', '.join(duplicates)}")
    return actions


def read_action(entry: object, index: int, risk_names: frozenset[str]) -> Action:
    """One action of the CSA file, cleaned and checked."""
    record = as_mapping(entry, f"{ACTIONS_JSON} entry {index}")
    raw_id = field_str(record, "action_id", f"{ACTIONS_JSON} entry {index}")
    where = f"{ACTIONS_JSON} {raw_id}"
    action_id = published_id(raw_id)
    subcategory = field_str(record, "subcategory_id", where)
    if subcategory != action_subcategory(action_id):
        raise SourceDataError(f"{where}: listed under {subcategory}, id says otherwise")
    tags = field_str_list(record, "gai_risks", where)
    risks = tuple(dict.fromkeys(name for tag in tags for name in risk_names_for_tag(tag, risk_names)))
    actors = field_str_list(record, "ai_actor_tasks", where)
    return Action(
        action_id=action_id,
        raw_id=raw_id,
        subcategory=subcategory,
        text=clean_text(field_str(record, "suggested_action", where)),
        risks=risks,
        unmapped_tags=tuple(tag for tag in tags if clean_text(tag) in NON_RISK_TAGS),
        actors=tuple(dict.fromkeys(clean_actor(actor) for actor in actors)),
    )


def framework_info() -> FrameworkInfo:
    """The AI 600-1 framework node."""
    return FrameworkInfo(
        iri=FRAMEWORK,
        notation="nist-ai-600-1",
        title=(
            "Artificial Intelligence Risk Management Framework: Generative Artificial Intelligence Profile"
        ),
        version="1.0",
        source_url=DOCUMENT_URL,
        rights=RIGHTS,
        licence=NIST_LICENSING,
        publisher="National Institute of Standards and Technology (NIST)",
        identifier="NIST AI 600-1",
    )


def add_risk(graph: Graph, risk: Risk) -> None:
    """One GAI risk individual with its NIST name and definition."""
    graph.add((risk.iri, RDF.type, RAI.GenerativeAIRisk))
    graph.add((risk.iri, SKOS.prefLabel, Literal(risk.name)))
    graph.add((risk.iri, SKOS.definition, Literal(risk.definition)))
    graph.add((risk.iri, RDFS.isDefinedBy, FRAMEWORK))
    graph.add((risk.iri, DCTERMS.source, DOCUMENT_URL))
    graph.add((risk.iri, PROV.wasDerivedFrom, derived_from(RISKS_YAML)))


def add_action(graph: Graph, action: Action, risks: Mapping[str, Risk]) -> None:
    """One suggested action as a requirement of the Profile."""
    iri = NISTGAI[action.action_id]
    add_clause(
        graph,
        FRAMEWORK,
        Clause(
            iri=iri,
            notation=action.action_id,
            text=action.text,
            source_url=DOCUMENT_URL,
            derived_from=ACTIONS_JSON,
        ),
    )
    graph.add((iri, RAI.relatedSubcategory, clause_iri(action.subcategory)))
    for name in action.risks:
        graph.add((iri, RAI.relatedRisk, risks[name].iri))
    for actor in action.actors:
        graph.add((iri, RAI.aiActors, Literal(actor)))
    if action.raw_id != action.action_id:
        note = f"Id printed as {action.raw_id!r} in the extraction; published as {action.action_id}."
        graph.add((iri, SKOS.editorialNote, Literal(note)))
    for tag in action.unmapped_tags:
        note = (
            f"The Profile also tags this action {tag!r}, which is not one of its 12 GAI risks; "
            "the tag is kept here and not mapped to a risk."
        )
        graph.add((iri, SKOS.editorialNote, Literal(note)))


def build(sources: Path) -> Graph:
    """The Generative AI Profile catalogue: risks and suggested actions."""
    risks = read_risks(sources)
    actions = read_actions(sources, frozenset(risks))
    graph = new_graph()
    add_framework(graph, framework_info())
    for risk in risks.values():
        add_risk(graph, risk)
    for action in actions:
        add_action(graph, action, risks)
    return graph
