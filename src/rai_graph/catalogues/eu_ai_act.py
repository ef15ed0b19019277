"""Build the EU AI Act catalogue (Regulation (EU) 2024/1689) from the official Formex 4 XML,
and the layer of its amendment by Regulation (EU) 2026/1744.

Two files: ``eu-ai-act.ttl``, the original Official Journal text, and
``eu-ai-act-amendment-2026-1744.ttl``, the amendment layer (dates, texts and clauses that
Regulation (EU) 2026/1744 changes, see :mod:`rai_graph.catalogues._amendment`). The base file
leaves out every value the layer replaces, so the two together hold one default date of
application and at most one text per clause.

Every article (113), numbered paragraph, point and sub-point, and every annex (13) with the
numbered points and lettered sections of those annexes that have a single numbering, becomes a
``rai:Requirement`` with its official text (see :mod:`rai_graph.catalogues._formex` for the keys
and the text rules, including how unnumbered subparagraphs are folded into their paragraph).

Obligation-bearing clauses
    :data:`OBLIGATIONS` (in :mod:`rai_graph.catalogues._eu_applicability`) is the reviewed table
    of the clauses that put a duty on an operator: tiers, roles, machine-readable conditions
    (``rai:appliesWhen``) and a human scope note. Every other clause is ``rai:informative``. The
    high-risk obligations carry ``rai:transitional euaia:Art111-2``: Art. 111(2) makes the
    Regulation apply to operators of high-risk systems already in service only after a
    significant change in their design, and ``euaia:Art111-2`` carries the date by which systems
    intended to be used by public authorities must comply anyway (``rai:transitionEnds``).

Dates of application (``rai:appliesFrom``, ``rai:application``)
    Read from Art. 113, Art. 111(2) and Art. 111(3) at build time; the build fails if their
    wording differs from the text these rules were written against. Art. 113: "It shall apply
    from 2 August 2026. However: (a) Chapters I and II shall apply from 2 February 2025; (b)
    Chapter III Section 4, Chapter V, Chapter VII and Chapter XII and Article 78 shall apply from
    2 August 2025, with the exception of Article 101; (c) Article 6(1) and the corresponding
    obligations in this Regulation shall apply from 2 August 2027." Art. 111(3) gives providers of
    general-purpose AI models placed on the market before 2 August 2025 until 2 August 2027: a
    ``rai:application`` node with ``rai:placedBefore`` on the Chapter V obligations. Annexes carry
    no date: Art. 113 dates them only through the articles that refer to them. Regulation (EU)
    2026/1744 replaced point (c) (Chapter III Sections 1-3 from 2 December 2027 on the Annex III
    route and 2 August 2028 on the Annex I route) and added dates; those clauses take their dates
    from the amendment layer only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from rai_graph.catalogues import _common
from rai_graph.catalogues._amendment import AmendmentRecord, ResolvedLayer, layer_graph, resolve
from rai_graph.catalogues._amendment_2026_1744 import read_amendment
from rai_graph.catalogues._eu_applicability import (
    HIGH_RISK_OBLIGATIONS,
    OBLIGATION_CLAUSES,
    OBLIGATIONS,
    Applicability,
    Condition,
    annex_clauses_named,
)
from rai_graph.catalogues._formex import (
    ANNEX_FILES,
    MAIN_ACT_FILE,
    Clause,
    FormexError,
    read_clauses,
)
from rai_graph.vocab import EUAIA, RAI

__all__ = [
    "AMENDMENT_OUTPUT",
    "FRAMEWORK",
    "HIGH_RISK_OBLIGATIONS",
    "OBLIGATIONS",
    "OBLIGATION_CLAUSES",
    "OUTPUT",
    "OUTPUTS",
    "Applicability",
    "ApplicationDates",
    "Condition",
    "application_dates",
    "applies_from",
    "build",
    "build_amendment_layer",
    "read_act",
    "read_amendment_layer",
]

OUTPUT = "eu-ai-act.ttl"
AMENDMENT_OUTPUT = "eu-ai-act-amendment-2026-1744.ttl"

FRAMEWORK = URIRef(str(EUAIA).rstrip("/"))
#: The vendored Formex files, relative to ``frameworks/sources``.
FORMEX_FOLDER = "eu-ai-act/formex"
FORMEX_FILES = (MAIN_ACT_FILE, *ANNEX_FILES)
ELI = URIRef("http://data.europa.eu/eli/reg/2024/1689/oj")
#: The EUR-Lex HTML page of the act (its canonical link); clauses point at its anchors.
EUR_LEX_PAGE = "https://eur-lex.europa.eu/eli/reg/2024/1689/oj/eng"
#: Commission Decision 2011/833/EU on the reuse of Commission documents.
REUSE_DECISION = URIRef("http://data.europa.eu/eli/dec/2011/833/oj")
RIGHTS = "© European Union, https://eur-lex.europa.eu/"
VERSION = "OJ L, 2024/1689, 12.7.2024"

_FRAMEWORK_NOTE = (
    "Original text of Regulation (EU) 2024/1689 as published in the Official Journal on "
    "12 July 2024 (not a consolidated version), taken from the Publications Office's Formex 4 "
    "XML; only the Official Journal publication is authentic. Each clause's rai:text is the "
    "official wording of that article, paragraph or point including the points below it, without "
    "its own number and without footnotes (kept as skos:note); unnumbered subparagraphs are part "
    "of their paragraph's text. Clauses that put a duty on an operator carry no rai:informative; "
    "whom they bind is given by rai:appliesToTier, rai:appliesToRole and rai:appliesWhen "
    "conditions (none of a kind: no restriction of that kind). rai:appliesFrom follows Art. 113. "
    f"Amended by Regulation (EU) 2026/1744, whose changes (dates of application by route, replaced "
    f"wording, new clauses; to be verified against the Official Journal) are in {AMENDMENT_OUTPUT}: "
    "where that file gives a clause's date or wording, this file leaves its own out."
)

_ENGLISH_DATE = re.compile(r"(?P<day>\d{1,2}) (?P<month>[A-Z][a-z]+) (?P<year>\d{4})")
_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December",
        ),
        start=1,
    )
}  # fmt: skip


# --- Dates of application (Arts. 113 and 111) ---------------------------------------------------


@dataclass(frozen=True)
class ApplicationDates:
    """The dates of Art. 113 (the general one and its points (a) to (c)) and of Art. 111(2)-(3)."""

    general: dt.date
    chapters_i_and_ii: dt.date
    governance_and_general_purpose_models: dt.date
    article_6_1: dt.date
    public_authority_systems_comply_by: dt.date
    """Art. 111(2), second sentence: high-risk systems intended to be used by public authorities."""
    models_placed_before: dt.date
    models_comply_by: dt.date
    """Art. 111(3): general-purpose AI models placed on the market before ``models_placed_before``."""


_DATE = r"(\d{1,2} [A-Z][a-z]+ \d{4})"
_ART_113_WORDING = {
    "Art113": re.compile(
        r"This Regulation shall enter into force on the twentieth day following that of its "
        r"publication in the Official Journal of the European Union\. It shall apply from "
        + _DATE
        + r"\. However: .*"
    ),
    "Art113-a": re.compile(r"Chapters I and II shall apply from " + _DATE + ";"),
    "Art113-b": re.compile(
        r"Chapter III Section 4, Chapter V, Chapter VII and Chapter XII and Article 78 shall apply "
        r"from " + _DATE + r", with the exception of Article 101;"
    ),
    "Art113-c": re.compile(
        r"Article 6\(1\) and the corresponding obligations in this Regulation shall apply from "
        + _DATE
        + r"\."
    ),
    "Art111-2": re.compile(
        r"Without prejudice to the application of Article 5 as referred to in Article 113\(3\), "
        r"point \(a\), this Regulation shall apply to operators of high-risk AI systems, other than "
        r"the systems referred to in paragraph 1 of this Article, that have been placed on the "
        r"market or put into service before \d{1,2} [A-Z][a-z]+ \d{4}, only if, as from that date, "
        r"those systems are subject to significant changes in their designs\. In any case, the "
        r"providers and deployers of high-risk AI systems intended to be used by public "
        r"authorities shall take the necessary steps to comply with the requirements and "
        r"obligations of this Regulation by " + _DATE + r"\."
    ),
    "Art111-3": re.compile(
        r"Providers of general-purpose AI models that have been placed on the market before "
        + _DATE
        + r" shall take the necessary steps in order to comply with the obligations laid down in "
        r"this Regulation by " + _DATE + r"\."
    ),
}


def application_dates(clauses: Iterable[Clause]) -> ApplicationDates:
    """Read the dates of Arts. 113 and 111, checking their wording is the one encoded here."""
    texts = {c.local_name: c.text for c in clauses if c.local_name in _ART_113_WORDING}
    found: dict[str, list[dt.date]] = {}
    for name, wording in _ART_113_WORDING.items():
        match = wording.fullmatch(texts.get(name, ""))
        if match is None:
            raise FormexError(
                f"{MAIN_ACT_FILE}: {name} no longer reads as the text the date rules encode; "
                f"review eu_ai_act.applies_from (found {texts.get(name)!r})"
            )
        found[name] = [_english_date(group) for group in match.groups()]
    return ApplicationDates(
        general=found["Art113"][0],
        chapters_i_and_ii=found["Art113-a"][0],
        governance_and_general_purpose_models=found["Art113-b"][0],
        article_6_1=found["Art113-c"][0],
        public_authority_systems_comply_by=found["Art111-2"][0],
        models_placed_before=found["Art111-3"][0],
        models_comply_by=found["Art111-3"][1],
    )


def applies_from(clause: Clause, dates: ApplicationDates) -> dt.date | None:
    """The date from which ``clause`` applies under Art. 113 (None for annexes)."""
    place = clause.place
    if place.article is None:
        return None
    if clause.local_name == "Art6-1" or clause.local_name.startswith("Art6-1-"):
        return dates.article_6_1  # Art. 113(c)
    if place.chapter in ("I", "II"):
        return dates.chapters_i_and_ii  # Art. 113(a)
    in_point_b = (
        (place.chapter == "III" and place.section == 4)
        or place.chapter in ("V", "VII")
        or (place.chapter == "XII" and place.article != 101)
        or place.article == 78
    )
    if in_point_b:
        return dates.governance_and_general_purpose_models  # Art. 113(b)
    return dates.general


def _english_date(text: str) -> dt.date:
    match = _ENGLISH_DATE.fullmatch(text)
    if match is None or match["month"] not in _MONTHS:
        raise FormexError(f"{MAIN_ACT_FILE}: unreadable date {text!r} in Art. 113")
    return dt.date(int(match["year"]), _MONTHS[match["month"]], int(match["day"]))


# --- Build ---------------------------------------------------------------------------------------


def read_act(sources: Path) -> list[Clause]:
    """The clauses of the act, read from the vendored Formex files under ``sources``."""
    for file_name in FORMEX_FILES:
        _common.source_path(sources, f"{FORMEX_FOLDER}/{file_name}")
    return read_clauses(sources / FORMEX_FOLDER)


def read_amendment_layer(sources: Path, clauses: list[Clause]) -> tuple[AmendmentRecord, ResolvedLayer]:
    """The record of Regulation (EU) 2026/1744 and what it changes in ``clauses``."""
    record = read_amendment(sources)
    return record, resolve(record, clauses)


def check_obligation_table(clauses: list[Clause]) -> None:
    """Every clause the obligation table names exists, and its basis is words of its text."""
    texts = {clause.local_name: clause.text for clause in clauses}
    unknown = sorted(OBLIGATION_CLAUSES - set(texts))
    if unknown:
        raise FormexError(f"obligation table names clauses not in the act: {unknown}")
    for name, applicability in sorted(OBLIGATIONS.items()):
        missing = sorted(annex_clauses_named(applicability) - set(texts))
        if missing:
            raise FormexError(f"the conditions of {name} name annex clauses not in the act: {missing}")
        where = texts[name] + " " + (texts[applicability.basis_from] if applicability.basis_from else "")
        for words in applicability.basis:
            if words not in where:
                raise FormexError(f"{name}: the words its applicability rests on are not in its text: {words!r}")
        if not applicability.basis:
            raise FormexError(f"{name}: the obligation table gives no words of the text it rests on")


def build(sources: Path) -> Graph:
    """The EU AI Act catalogue, from the vendored Formex files under ``sources``.

    Leaves out the dates and texts that the amendment layer (:func:`build_amendment_layer`)
    replaces.
    """
    clauses = read_act(sources)
    check_obligation_table(clauses)
    dates = application_dates(clauses)
    _, layer = read_amendment_layer(sources, clauses)

    graph = _common.new_graph()
    _common.add_framework(
        graph,
        _common.FrameworkInfo(
            iri=FRAMEWORK,
            notation="eu-ai-act",
            title="Regulation (EU) 2024/1689 (Artificial Intelligence Act)",
            version=VERSION,
            source_url=ELI,
            rights=RIGHTS,
            licence=REUSE_DECISION,
            publisher="Publications Office of the European Union",
            identifier="CELEX:32024R1689",
            scope_note=_FRAMEWORK_NOTE,
        ),
    )
    for clause in clauses:
        _add_clause(graph, clause, dates, layer)
    _add_transition(graph, dates)
    return graph


def build_amendment_layer(sources: Path) -> Graph:
    """The layer of Regulation (EU) 2026/1744 over the catalogue :func:`build` makes."""
    clauses = read_act(sources)
    record, _ = read_amendment_layer(sources, clauses)
    return layer_graph(record, clauses, framework=FRAMEWORK, clause_iri=lambda name: EUAIA[name])


#: What ``python -m rai_graph.catalogues`` writes for this module.
OUTPUTS = {OUTPUT: build, AMENDMENT_OUTPUT: build_amendment_layer}


def _date(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _add_clause(graph: Graph, clause: Clause, dates: ApplicationDates, layer: ResolvedLayer) -> None:
    name = clause.local_name
    iri = EUAIA[name]
    _common.add_clause(
        graph,
        FRAMEWORK,
        _common.Clause(
            iri=iri,
            notation=clause.notation,
            source_url=URIRef(f"{EUR_LEX_PAGE}#{clause.anchor}"),
            derived_from=f"{FORMEX_FOLDER}/{clause.place.source_file}",
            title=clause.title,
            text=None if name in layer.superseded else clause.text,
            broader=EUAIA[clause.parent] if clause.parent is not None else None,
            top_concept=clause.parent is None,
            informative=name not in OBLIGATION_CLAUSES,
        ),
    )
    start = applies_from(clause, dates)
    if start is not None and name not in layer.redated:
        graph.add((iri, RAI.appliesFrom, _date(start)))
    for footnote in clause.footnotes:
        graph.add((iri, SKOS.note, Literal(f"Footnote: {footnote}")))
    applicability = OBLIGATIONS.get(name)
    if applicability is None:
        return
    for tier in applicability.tiers:
        graph.add((iri, RAI.appliesToTier, tier))
    for role in applicability.roles:
        graph.add((iri, RAI.appliesToRole, role))
    for condition in applicability.conditions:
        node = BNode()
        graph.add((iri, RAI.appliesWhen, node))
        _add_condition(graph, node, condition)
    if applicability.scope is not None:
        graph.add((iri, SKOS.scopeNote, Literal(applicability.scope)))
    if name in HIGH_RISK_OBLIGATIONS:
        graph.add((iri, RAI.transitional, EUAIA[TRANSITIONAL_PROVISION]))
    if clause.place.chapter == "V":
        node = BNode()
        graph.add((iri, RAI.application, node))
        graph.add((node, RAI.appliesFrom, _date(dates.models_comply_by)))
        graph.add((node, RAI.placedBefore, _date(dates.models_placed_before)))
        graph.add((node, DCTERMS.source, Literal("Art. 111(3) of Regulation (EU) 2024/1689")))


def _add_condition(graph: Graph, node: BNode, condition: Condition) -> None:
    for area in condition.annex_iii:
        graph.add((node, RAI.annexIIIArea, EUAIA[area]))
    for product in condition.annex_i:
        graph.add((node, RAI.annexIProduct, EUAIA[product]))
    for function in condition.functions:
        graph.add((node, RAI.function, function))
    for characteristic in condition.characteristics:
        graph.add((node, RAI.operatorCharacteristic, characteristic))
    for route in condition.routes:
        graph.add((node, RAI.route, route))


#: The transitional provision for high-risk AI systems already in service (Art. 111(2)).
TRANSITIONAL_PROVISION = "Art111-2"


def _add_transition(graph: Graph, dates: ApplicationDates) -> None:
    """Art. 111(2): systems intended to be used by public authorities must comply anyway by a date."""
    ends = BNode()
    graph.add((EUAIA[TRANSITIONAL_PROVISION], RAI.transitionEnds, ends))
    graph.add((ends, RAI.appliesFrom, _date(dates.public_authority_systems_comply_by)))
    condition = BNode()
    graph.add((ends, RAI.appliesWhen, condition))
    graph.add((condition, RAI.operatorCharacteristic, RAI.PublicAuthority))
    graph.add((ends, DCTERMS.source, Literal(
        "Art. 111(2), second sentence, of Regulation (EU) 2024/1689: providers and deployers of "
        "high-risk AI systems intended to be used by public authorities shall comply by this date "
        "(a date the available sources on Regulation (EU) 2026/1744 report unchanged)"
    )))
