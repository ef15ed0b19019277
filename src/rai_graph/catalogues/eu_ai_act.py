"""Build the EU AI Act catalogue (Regulation (EU) 2024/1689) from the official Formex 4 XML.

Every article (113), numbered paragraph, point and sub-point, and every annex (13) with the
numbered points of those annexes that have a single numbering, becomes a ``rai:Requirement``
with its official text (see :mod:`rai_graph.catalogues._formex` for the keys and the text rules,
including how unnumbered subparagraphs are folded into their paragraph).

Obligation-bearing clauses
    :data:`OBLIGATIONS` is the reviewed table of the clauses that put a duty on an operator
    (provider, deployer, importer, distributor, authorised representative of a provider, provider
    of a general-purpose AI model), with the risk tiers and operator roles each applies to; only
    these clauses carry ``rai:appliesToTier`` / ``rai:appliesToRole`` (every one carries at least
    one of the two) and, where the duty binds only some of those operators, a ``skos:scopeNote``.
    The unit is the numbered paragraph, or the article itself when it has no numbered paragraphs
    (Arts. 4 and 16); its points are parts of that obligation and reach it by ``skos:broader``.
    Everything else is informational and carries no applicability: definitions and scope
    (Arts. 1-3), the classification of general-purpose AI models (Arts. 51-52), tasks of the
    Commission, the AI Office, the Board, Member States, notifying authorities and notified bodies,
    market surveillance and enforcement procedures, penalties, amendments and final provisions,
    and, inside obligation articles, paragraphs that only permit ("may"), exempt, limit the scope,
    save other law ("without prejudice"), or empower the Commission. The measures in support of
    innovation (Arts. 57-63: sandboxes, testing in real-world conditions) bind only organisations
    that choose to use them, and the duties to answer requests of the AI Office (Arts. 91-92) or of
    market surveillance authorities (Arts. 74-84) follow from enforcement actions; they are left
    informational.

Dates of application (``rai:appliesFrom``)
    Read from Art. 113 at build time; the build fails if its wording differs from the text this
    table was written against. Art. 113: "It shall apply from 2 August 2026. However: (a)
    Chapters I and II shall apply from 2 February 2025; (b) Chapter III Section 4, Chapter V,
    Chapter VII and Chapter XII and Article 78 shall apply from 2 August 2025, with the exception
    of Article 101; (c) Article 6(1) and the corresponding obligations in this Regulation shall
    apply from 2 August 2027." Art. 6(1) and its points carry the 2027 date; Article 6 as a whole
    the general date, from which its other paragraphs apply. The "corresponding obligations" of
    point (c) are the Chapter III obligations for high-risk AI systems classified under Art. 6(1)
    (Annex I products): one clause serves both kinds of system, so those clauses carry the general
    date and a note on the framework says so. Annexes carry no date: Art. 113 dates them only
    through the articles that refer to them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS, XSD

from rai_graph.catalogues import _common
from rai_graph.catalogues._formex import (
    ANNEX_FILES,
    MAIN_ACT_FILE,
    Clause,
    FormexError,
    read_clauses,
)
from rai_graph.vocab import EUAIA, RAI

OUTPUT = "eu-ai-act.ttl"

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
    "of their paragraph's text. Clauses that put a duty on an operator carry rai:appliesToTier "
    "and/or rai:appliesToRole; clauses without either are informational. rai:appliesFrom follows "
    "Art. 113; the Chapter III obligations for high-risk AI systems classified under Art. 6(1) "
    "(Annex I products) apply from 2 August 2027 (Art. 113(c)), although the clauses carry the "
    "2 August 2026 date that holds for Annex III systems."
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


# --- Applicability ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicability:
    """The tiers and operator roles an obligation applies to (empty = all), and its scope."""

    tiers: tuple[URIRef, ...] = ()
    roles: tuple[URIRef, ...] = ()
    scope: str | None = None


_HR = (RAI.HighRisk,)
_TRANSPARENCY_TIERS = (RAI.HighRisk, RAI.LimitedRisk)
_NOT_HIGH_RISK = (RAI.LimitedRisk, RAI.MinimalRisk)
_P = (RAI.Provider,)
_D = (RAI.Deployer,)
_GPAI = (RAI.GeneralPurposeModelProvider,)

_CLASSIFICATION = (
    "Classification rule: the provider determines whether its AI system is high-risk."
)
_NOT_HIGH_RISK_ANNEX_III = (
    "Only for an AI system referred to in Annex III that its provider has assessed as not "
    "high-risk under Art. 6(3)."
)
_FINANCIAL_PROVIDERS = (
    "Only for providers that are financial institutions subject to Union financial services law "
    "on internal governance."
)
_THIRD_COUNTRY_PROVIDER = "Only for providers established in third countries."
_AUTHORISED_REPRESENTATIVE = (
    "Binds the authorised representative that a provider established in a third country appoints."
)
_REAL_TIME_RBI = (
    "Only for the use of 'real-time' remote biometric identification systems in publicly "
    "accessible spaces for law enforcement under the exceptions of Art. 5(1), first "
    "subparagraph, point (h)."
)
_FRIA = (
    "Fundamental rights impact assessment: only for deployers that are bodies governed by public "
    "law or private entities providing public services, deploying a high-risk AI system referred "
    "to in Art. 6(2) other than in Annex III point 2, and for deployers of the high-risk AI "
    "systems referred to in Annex III points 5(b) and (c)."
)
_SYSTEMIC_RISK = (
    "Only for providers of general-purpose AI models with systemic risk (classified under Art. 51)."
)


def _each(names: Iterable[str], applicability: Applicability) -> dict[str, Applicability]:
    return dict.fromkeys(names, applicability)


def _paragraphs(article: int, *numbers: int) -> list[str]:
    return [f"Art{article}-{number}" for number in numbers]


HIGH_RISK_PROVIDER = Applicability(_HR, _P)
HIGH_RISK_DEPLOYER = Applicability(_HR, _D)

#: The obligation-bearing clauses and whom they bind (reviewed against the text, clause by clause).
OBLIGATIONS: Mapping[str, Applicability] = {
    # Chapter I: AI literacy binds providers and deployers of every AI system.
    "Art4": Applicability((), (RAI.Provider, RAI.Deployer)),
    # Chapter II: the prohibited practices bind every operator; paras 2-4 condition the
    # exceptional law-enforcement use of real-time remote biometric identification.
    "Art5-1": Applicability((RAI.Prohibited,), ()),
    **_each(_paragraphs(5, 2, 3, 4), Applicability(_HR, _D, _REAL_TIME_RBI)),
    # Chapter III Section 1: classification (paras 5-8 are for the Commission).
    "Art6-1": Applicability(
        (),
        _P,
        _CLASSIFICATION + " Applies from 2 August 2027 (Art. 113(c)), as do the obligations "
        "for the high-risk AI systems it classifies.",
    ),
    **_each(_paragraphs(6, 2, 3), Applicability((), _P, _CLASSIFICATION)),
    "Art6-4": Applicability(_NOT_HIGH_RISK, _P, _NOT_HIGH_RISK_ANNEX_III),
    # Chapter III Section 2: requirements for high-risk AI systems, met by their provider.
    # Left out: 9(3) scope of the risks, 9(7) and 9(10) permissions, 10(6) scope, 11(3) and
    # 15(2) Commission tasks.
    **_each(_paragraphs(8, 1, 2), HIGH_RISK_PROVIDER),
    **_each(_paragraphs(9, 1, 2, 4, 5, 6, 8, 9), HIGH_RISK_PROVIDER),
    **_each(_paragraphs(10, 1, 2, 3, 4, 5), HIGH_RISK_PROVIDER),
    **_each(_paragraphs(11, 1, 2), HIGH_RISK_PROVIDER),
    **_each(_paragraphs(12, 1, 2), HIGH_RISK_PROVIDER),
    "Art12-3": Applicability(_HR, _P, "Only for the high-risk AI systems in Annex III point 1(a)."),
    **_each(_paragraphs(13, 1, 2, 3), HIGH_RISK_PROVIDER),
    **_each(_paragraphs(14, 1, 2, 3, 4), HIGH_RISK_PROVIDER),
    "Art14-5": Applicability(_HR, _P, "Only for the high-risk AI systems in Annex III point 1(a)."),
    **_each(_paragraphs(15, 1, 3, 4, 5), HIGH_RISK_PROVIDER),
    # Chapter III Section 3: obligations of providers, deployers and other parties.
    # Left out: 17(3) permission, 17(4) deemed compliance, 18(2) Member States, 21(3)
    # authorities, 25(5) without prejudice, 26(3) without prejudice, 27(5) AI Office.
    "Art16": HIGH_RISK_PROVIDER,
    **_each(_paragraphs(17, 1, 2), HIGH_RISK_PROVIDER),
    "Art18-1": HIGH_RISK_PROVIDER,
    "Art18-3": Applicability(_HR, _P, _FINANCIAL_PROVIDERS),
    "Art19-1": HIGH_RISK_PROVIDER,
    "Art19-2": Applicability(_HR, _P, _FINANCIAL_PROVIDERS),
    **_each(_paragraphs(20, 1, 2), HIGH_RISK_PROVIDER),
    **_each(_paragraphs(21, 1, 2), HIGH_RISK_PROVIDER),
    **_each(_paragraphs(22, 1, 2), Applicability(_HR, _P, _THIRD_COUNTRY_PROVIDER)),
    **_each(_paragraphs(22, 3, 4), Applicability(_HR, _P, _AUTHORISED_REPRESENTATIVE)),
    **_each(_paragraphs(23, 1, 2, 3, 4, 5, 6, 7), Applicability(_HR, (RAI.Importer,))),
    **_each(_paragraphs(24, 1, 2, 3, 4, 5, 6), Applicability(_HR, (RAI.Distributor,))),
    "Art25-1": Applicability(
        _HR,
        (RAI.Importer, RAI.Distributor, RAI.Deployer),
        "When one of the listed circumstances occurs, the distributor, importer, deployer or "
        "other third party becomes the provider and takes on the obligations of Art. 16.",
    ),
    "Art25-2": Applicability(
        _HR, _P, "Binds the provider that initially placed the AI system on the market."
    ),
    "Art25-3": Applicability(
        _HR, _P, "Binds product manufacturers of products in Annex I Section A, as providers."
    ),
    "Art25-4": Applicability(
        _HR, _P, "Binds the provider and the third parties that supply it (written agreement)."
    ),
    **_each(_paragraphs(26, 1, 2, 4, 5, 6, 9, 12), HIGH_RISK_DEPLOYER),
    "Art26-7": Applicability(_HR, _D, "Only for deployers who are employers."),
    "Art26-8": Applicability(
        _HR, _D, "Only for deployers that are public authorities or Union institutions, bodies, "
        "offices or agencies.",
    ),
    "Art26-10": Applicability(
        _HR, _D, "Only for deployers of post-remote biometric identification systems in "
        "criminal investigations.",
    ),
    "Art26-11": Applicability(
        _HR, _D, "Only for deployers of Annex III systems that make or assist in making "
        "decisions related to natural persons.",
    ),
    **_each(_paragraphs(27, 1, 2, 3, 4), Applicability(_HR, _D, _FRIA)),
    # Chapter III Section 5: conformity assessment, declaration, CE marking, registration.
    # Left out: 43(5), 43(6) and 47(5) Commission empowerments.
    "Art43-1": Applicability(_HR, _P, "Only for the high-risk AI systems in Annex III point 1."),
    "Art43-2": Applicability(_HR, _P, "Only for the high-risk AI systems in Annex III points 2-8."),
    "Art43-3": Applicability(
        _HR, _P, "Only for high-risk AI systems covered by Annex I Section A legislation."
    ),
    "Art43-4": HIGH_RISK_PROVIDER,
    **_each(_paragraphs(47, 1, 2, 3, 4), HIGH_RISK_PROVIDER),
    **_each(_paragraphs(48, 1, 2, 3, 4, 5), HIGH_RISK_PROVIDER),
    "Art49-1": Applicability(
        _HR, _P, "Only for the high-risk AI systems in Annex III, other than its point 2."
    ),
    "Art49-2": Applicability(_NOT_HIGH_RISK, _P, _NOT_HIGH_RISK_ANNEX_III),
    "Art49-3": Applicability(
        _HR, _D, "Only for deployers that are public authorities or Union institutions, bodies, "
        "offices or agencies (or act on their behalf), of Annex III systems other than point 2.",
    ),
    "Art49-4": Applicability(
        _HR,
        (RAI.Provider, RAI.Deployer),
        "Only for the high-risk AI systems in Annex III points 1, 6 and 7 in law enforcement, "
        "migration, asylum and border control management.",
    ),
    "Art49-5": Applicability(_HR, _P, "Only for the high-risk AI systems in Annex III point 2."),
    # Chapter IV: transparency, by paragraph (50(6) without prejudice, 50(7) AI Office).
    "Art50-1": Applicability(
        _TRANSPARENCY_TIERS, _P, "AI systems intended to interact directly with natural persons."
    ),
    "Art50-2": Applicability(
        _TRANSPARENCY_TIERS, _P,
        "AI systems, including general-purpose AI systems, generating synthetic audio, image, "
        "video or text content.",
    ),
    "Art50-3": Applicability(
        _TRANSPARENCY_TIERS, _D, "Emotion recognition and biometric categorisation systems."
    ),
    "Art50-4": Applicability(
        _TRANSPARENCY_TIERS, _D,
        "AI systems generating or manipulating deep fakes, or text published to inform the "
        "public on matters of public interest.",
    ),
    "Art50-5": Applicability(
        _TRANSPARENCY_TIERS, (RAI.Provider, RAI.Deployer), "The information of paragraphs 1 to 4."
    ),
    # Chapter V: general-purpose AI models. Left out: 53(2) and 54(6) open-source exemptions,
    # 53(5)-(7) and 55(3) Commission powers and confidentiality.
    **_each(_paragraphs(53, 1, 3, 4), Applicability((), _GPAI)),
    "Art54-1": Applicability((), _GPAI, _THIRD_COUNTRY_PROVIDER),
    "Art54-2": Applicability((), _GPAI, _THIRD_COUNTRY_PROVIDER),
    **_each(_paragraphs(54, 3, 4, 5), Applicability((), _GPAI, _AUTHORISED_REPRESENTATIVE)),
    **_each(_paragraphs(55, 1, 2), Applicability((), _GPAI, _SYSTEMIC_RISK)),
    # Chapter IX: post-market monitoring, serious incidents, right to explanation.
    # Left out: 72(4) option, 73(5) option, 73(7), 73(8) and 73(11) authorities, 73(9) scope,
    # 86(2) and 86(3) scope.
    **_each(_paragraphs(72, 1, 2, 3), HIGH_RISK_PROVIDER),
    **_each(_paragraphs(73, 1, 2, 3, 4, 6), HIGH_RISK_PROVIDER),
    "Art73-10": Applicability(
        _HR, _P, "Only for high-risk AI systems that are, or are safety components of, medical "
        "devices under Regulations (EU) 2017/745 and (EU) 2017/746.",
    ),
    "Art86-1": Applicability(
        _HR, _D, "Decisions taken on the basis of Annex III systems other than point 2 that "
        "produce legal effects or similarly significantly affect a person.",
    ),
}

#: Local names (``euaia:``) of the obligation-bearing clauses.
OBLIGATION_CLAUSES: frozenset[str] = frozenset(OBLIGATIONS)


# --- Dates of application (Art. 113) -------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationDates:
    """The dates of Art. 113: the general one and those of its points (a) to (c)."""

    general: dt.date
    chapters_i_and_ii: dt.date
    governance_and_general_purpose_models: dt.date
    article_6_1: dt.date


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
}


def application_dates(clauses: Iterable[Clause]) -> ApplicationDates:
    """Read the dates of application from Art. 113, checking its wording is the one encoded here."""
    texts = {c.local_name: c.text for c in clauses if c.local_name in _ART_113_WORDING}
    found: dict[str, dt.date] = {}
    for name, wording in _ART_113_WORDING.items():
        match = wording.fullmatch(texts.get(name, ""))
        if match is None:
            raise FormexError(
                f"{MAIN_ACT_FILE}: {name} no longer reads as the text the date rules encode; "
                f"review eu_ai_act.applies_from (found {texts.get(name)!r})"
            )
        found[name] = _english_date(match.group(1))
    return ApplicationDates(
        general=found["Art113"],
        chapters_i_and_ii=found["Art113-a"],
        governance_and_general_purpose_models=found["Art113-b"],
        article_6_1=found["Art113-c"],
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


def build(sources: Path) -> Graph:
    """The EU AI Act catalogue, from the vendored Formex files under ``sources``."""
    clauses = read_act(sources)
    names = {clause.local_name for clause in clauses}
    unknown = sorted(OBLIGATION_CLAUSES - names)
    if unknown:
        raise FormexError(f"obligation table names clauses not in the act: {unknown}")
    dates = application_dates(clauses)

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
        _add_clause(graph, clause, dates)
    return graph


def _add_clause(graph: Graph, clause: Clause, dates: ApplicationDates) -> None:
    iri = EUAIA[clause.local_name]
    _common.add_clause(
        graph,
        FRAMEWORK,
        _common.Clause(
            iri=iri,
            notation=clause.notation,
            source_url=URIRef(f"{EUR_LEX_PAGE}#{clause.anchor}"),
            derived_from=f"{FORMEX_FOLDER}/{clause.place.source_file}",
            title=clause.title,
            text=clause.text,
            broader=EUAIA[clause.parent] if clause.parent is not None else None,
            top_concept=clause.parent is None,
            informative=clause.local_name not in OBLIGATION_CLAUSES,
        ),
    )
    start = applies_from(clause, dates)
    if start is not None:
        graph.add((iri, RAI.appliesFrom, Literal(start.isoformat(), datatype=XSD.date)))
    for footnote in clause.footnotes:
        graph.add((iri, SKOS.note, Literal(f"Footnote: {footnote}")))
    applicability = OBLIGATIONS.get(clause.local_name)
    if applicability is not None:
        for tier in applicability.tiers:
            graph.add((iri, RAI.appliesToTier, tier))
        for role in applicability.roles:
            graph.add((iri, RAI.appliesToRole, role))
        if applicability.scope is not None:
            graph.add((iri, SKOS.scopeNote, Literal(applicability.scope)))
