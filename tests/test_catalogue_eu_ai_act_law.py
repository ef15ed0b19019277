"""The EU AI Act catalogue judged in law: whom each clause binds, when, and the amendment layer.

Each test names the article it checks and asserts both what the catalogue encodes and that the
Formex text of that clause holds the words the encoding rests on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD
from rdflib.term import Node

from eu_formex_reference import formex_texts
from rai_graph.catalogues import _amendment, eu_ai_act
from rai_graph.catalogues._amendment_2026_1744 import read_amendment
from rai_graph.catalogues._common import SourceDataError, new_graph, turtle_bytes
from rai_graph.vocab import EUAIA, RAI

# --- Byte-stable Turtle with nested blank nodes -------------------------------------------------


def _conditions_graph(order: list[str]) -> bytes:
    graph = new_graph()
    for characteristic in order:
        node = BNode()
        graph.add((EUAIA["Art27-1"], RAI.appliesWhen, node))
        graph.add((node, RAI.operatorCharacteristic, RAI[characteristic]))
        inner = BNode()
        graph.add((node, RDF.type, RAI.ApplicabilityCondition))
        graph.add((node, RAI.application, inner))
        graph.add((inner, RAI.appliesFrom, Literal(characteristic)))
    return turtle_bytes(graph)


def test_nested_blank_nodes_serialise_inline_and_byte_stable() -> None:
    """Sibling blank nodes come out in the same order and inline, whatever order they were made in."""
    first = _conditions_graph(["PublicAuthority", "Employer"])
    assert first == _conditions_graph(["Employer", "PublicAuthority"])
    assert b"_:" not in first
    assert b"rai:appliesWhen [" in first


def test_shared_or_dangling_blank_nodes_are_refused() -> None:
    """A blank node used twice, or never used as an object, cannot be written byte-stably."""
    graph = new_graph()
    shared = BNode()
    graph.add((EUAIA["Art26-7"], RAI.appliesWhen, shared))
    graph.add((EUAIA["Art26-8"], RAI.appliesWhen, shared))
    graph.add((shared, RAI.operatorCharacteristic, RAI.Employer))
    with pytest.raises(ValueError, match="one triple only"):
        turtle_bytes(graph)
    dangling = new_graph()
    dangling.add((BNode(), RAI.operatorCharacteristic, RAI.Employer))
    with pytest.raises(ValueError, match="hang from a subject"):
        turtle_bytes(dangling)


# --- Fixtures and helpers ----------------------------------------------------------------------

REPO = Path(__file__).parent.parent
SOURCES = REPO / "frameworks" / "sources"
SHARED_NOTES = Path("/work/shared/data/eu-ai-act/amendment-2026-1744/SOURCE.md")
CONDITION_PROPERTIES = {RAI.annexIIIArea, RAI.annexIProduct, RAI.function, RAI.operatorCharacteristic, RAI.route}
AMENDMENT = "Regulation (EU) 2026/1744"
EXCEPT_POINT_2 = {f"AnnexIII-{n}" for n in (1, 3, 4, 5, 6, 7, 8)}


@pytest.fixture(scope="module")
def base() -> Graph:
    return eu_ai_act.build(SOURCES)


@pytest.fixture(scope="module")
def layer() -> Graph:
    return eu_ai_act.build_amendment_layer(SOURCES)


@pytest.fixture(scope="module")
def union(base: Graph, layer: Graph) -> Graph:
    return base + layer


@pytest.fixture(scope="module")
def record() -> _amendment.AmendmentRecord:
    return read_amendment(SOURCES)


def formex(name: str) -> str:
    """The official text of a clause, read from the Formex XML independently of the builder."""
    return formex_texts()[name]


def tiers(graph: Graph, name: str) -> set[Node]:
    return set(graph.objects(EUAIA[name], RAI.appliesToTier))


def roles(graph: Graph, name: str) -> set[Node]:
    return set(graph.objects(EUAIA[name], RAI.appliesToRole))


def local(node: Node) -> str:
    return str(node).removeprefix(str(EUAIA))


def conditions(graph: Graph, name: str) -> set[frozenset[tuple[str, str]]]:
    """The rai:appliesWhen nodes of a clause, each as a set of (property, value) local names."""
    found = set()
    for node in graph.objects(EUAIA[name], RAI.appliesWhen):
        pairs = frozenset(
            (str(p).removeprefix(str(RAI)), local(o).removeprefix(str(RAI))) for p, o in graph.predicate_objects(node)
        )
        found.add(pairs)
    return found


def when(**properties: Iterable[str]) -> frozenset[tuple[str, str]]:
    """One expected condition node: property local name → values (annex clause or rai: term names)."""
    return frozenset((prop, value) for prop, values in properties.items() for value in values)


def informative(graph: Graph, name: str) -> bool:
    return (EUAIA[name], RAI.informative, Literal(True)) in graph


def applications(graph: Graph, name: str) -> set[tuple[str, str | None, str | None]]:
    found = set()
    for node in graph.objects(EUAIA[name], RAI.application):
        route = graph.value(node, RAI.route)
        before = graph.value(node, RAI.placedBefore)
        found.add(
            (
                str(graph.value(node, RAI.appliesFrom)),
                local(route).removeprefix(str(RAI)) if route is not None else None,
                str(before) if before is not None else None,
            )
        )
    return found


def default_date(graph: Graph, name: str) -> str:
    dates = list(graph.objects(EUAIA[name], RAI.appliesFrom))
    assert len(dates) == 1, (name, dates)
    return str(dates[0])


def clause_names(graph: Graph) -> set[str]:
    return {local(s) for s in graph.subjects(SKOS.inScheme, eu_ai_act.FRAMEWORK)}


# --- The obligation table against the text --------------------------------------------------------


def test_every_obligation_rests_on_words_of_its_formex_text() -> None:
    """Each obligation's tiers, roles and conditions cite words that stand in the Formex text of
    that clause (or of the paragraph it refers to)."""
    for name, applicability in eu_ai_act.OBLIGATIONS.items():
        assert applicability.basis, name
        text = formex(name) + " " + (formex(applicability.basis_from) if applicability.basis_from else "")
        for words in applicability.basis:
            assert words in text, (name, words)


def test_conditions_use_only_the_contract_properties_and_name_existing_annex_clauses(union: Graph) -> None:
    """Every rai:appliesWhen node uses the five condition properties only, and names Annex III
    clauses below Annex III and Annex I clauses below Annex I."""
    names = clause_names(union)
    for subject, node in union.subject_objects(RAI.appliesWhen):
        properties = set(union.predicates(node))
        assert properties, subject
        assert properties <= CONDITION_PROPERTIES, (subject, properties)
        for area in union.objects(node, RAI.annexIIIArea):
            assert local(area) in names, (subject, area)
            assert local(area).startswith("AnnexIII"), (subject, area)
        for product in union.objects(node, RAI.annexIProduct):
            assert local(product) in names, product
            assert re.fullmatch(r"AnnexI-(A|B|\d+)", local(product)), product


def test_informative_clauses_carry_no_tier_role_or_condition(union: Graph) -> None:
    """Headings, definitions, permissions and tasks of authorities bind no one: no tier, role or
    condition, in the base file or the amendment layer."""
    for name in clause_names(union):
        if informative(union, name):
            assert not tiers(union, name), name
            assert not roles(union, name), name
            assert not conditions(union, name), name


def test_every_conditional_obligation_keeps_a_human_scope_note(base: Graph) -> None:
    """Where a condition narrows whom an obligation binds, the clause still says so in words."""
    for name, applicability in eu_ai_act.OBLIGATIONS.items():
        if applicability.conditions:
            assert list(base.objects(EUAIA[name], SKOS.scopeNote)), name


def test_catalogue_and_layer_conform_to_the_structural_shapes(union: Graph) -> None:
    """The two files together pass the structural SHACL shapes (conditions, dates of application)."""
    data = union + Graph().parse(REPO / "src" / "rai_graph" / "ontology" / "rai.ttl")
    shapes = Graph().parse(REPO / "src" / "rai_graph" / "shapes" / "structural.ttl")
    conforms, _, report = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert conforms, report


# --- Chapters I and II ------------------------------------------------------------------------


def test_art_4_binds_providers_and_deployers_of_every_ai_system(union: Graph) -> None:
    """Art. 4 (AI literacy) binds providers and deployers, whatever the tier, from 2025-02-02."""
    assert "Providers and deployers of AI systems shall take measures" in formex("Art4")
    assert roles(union, "Art4") == {RAI.Provider, RAI.Deployer}
    assert not tiers(union, "Art4")
    assert not conditions(union, "Art4")
    assert default_date(union, "Art4") == "2025-02-02"


def test_art_5_1_binds_every_operator_of_every_system_whatever_its_tier(union: Graph) -> None:
    """The prohibitions forbid placing on the market, putting into service and use: no tier, role
    or condition limits them, and they are an obligation, not informative."""
    assert "the placing on the market, the putting into service or the use of an AI system" in formex("Art5-1")
    assert not tiers(union, "Art5-1")
    assert not roles(union, "Art5-1")
    assert not conditions(union, "Art5-1")
    assert not informative(union, "Art5-1")
    assert default_date(union, "Art5-1") == "2025-02-02"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Art5-2", "The use of ‘real-time’ remote biometric identification systems in publicly accessible "
                   "spaces for the purposes of law enforcement"),
        ("Art5-3", "each use for the purposes of law enforcement of a ‘real-time’ remote biometric "
                   "identification system in publicly accessible spaces shall be subject to a prior authorisation"),
        ("Art5-4", "each use of a ‘real-time’ remote biometric identification system in publicly accessible "
                   "spaces for law enforcement purposes shall be notified"),
    ],
)  # fmt: skip
def test_art_5_2_to_5_4_bind_only_law_enforcement_use_of_real_time_remote_biometric_identification(
    union: Graph, name: str, words: str
) -> None:
    """Art. 5(2)-(4) condition the law-enforcement use of real-time RBI: not a duty of every
    high-risk deployer, so no tier, and a real-time RBI function for a law-enforcement authority."""
    assert words in formex(name)
    assert not tiers(union, name)
    assert roles(union, name) == {RAI.Deployer}
    assert conditions(union, name) == {
        when(function=["RealTimeRemoteBiometricIdentification"], operatorCharacteristic=["LawEnforcementAuthority"])
    }


def test_art_5_1_ba_and_bb_are_new_prohibitions_from_2026_12_02(union: Graph) -> None:
    """Regulation (EU) 2026/1744 adds Art. 5(1)(ba) and (bb): obligations of every operator, from
    2026-12-02, with no invented text; Art. 5(1a) and (1b) are recorded, informative."""
    for name, notation in (("Art5-1-ba", "Art. 5(1)(ba)"), ("Art5-1-bb", "Art. 5(1)(bb)")):
        assert str(union.value(EUAIA[name], SKOS.notation)) == notation
        assert union.value(EUAIA[name], SKOS.broader) == EUAIA["Art5-1"]
        assert not informative(union, name)
        assert not tiers(union, name)
        assert not roles(union, name)
        assert not conditions(union, name)
        assert default_date(union, name) == "2026-12-02"
        assert union.value(EUAIA[name], RAI.text) is None
        assert (EUAIA[name], RAI.verificationStatus, RAI.ToBeVerified) in union
        assert AMENDMENT in str(union.value(EUAIA[name], DCTERMS.source))
    assert "child sexual abuse material" in " ".join(map(str, union.objects(EUAIA["Art5-1-bb"], SKOS.note)))
    assert "non-consensual sexual and intimate content" in " ".join(
        map(str, union.objects(EUAIA["Art5-1-ba"], SKOS.note))
    )
    for name in ("Art5-1a", "Art5-1b"):
        assert informative(union, name)
        assert union.value(EUAIA[name], SKOS.broader) == EUAIA["Art5"]
        assert default_date(union, name) == "2026-12-02"


# --- Chapter III Section 1: classification ---------------------------------------------------


@pytest.mark.parametrize("name", ["Art6-1", "Art6-2", "Art6-3"])
def test_art_6_1_to_6_3_are_classification_rules_not_duties(union: Graph, name: str) -> None:
    """Art. 6(1)-(3) say which systems 'shall be considered' high-risk or not: informative."""
    assert "shall be considered to be high-risk" in formex(name) or "shall not be considered to be high-risk" in formex(
        name
    )
    assert informative(union, name)
    assert name not in eu_ai_act.OBLIGATION_CLAUSES


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Art6-4", "A provider who considers that an AI system referred to in Annex III is not high-risk "
                   "shall document its assessment"),
        ("Art49-2", "an AI system for which the provider has concluded that it is not high-risk according to "
                    "Article 6(3)"),
    ],
)  # fmt: skip
def test_art_6_4_and_49_2_bind_only_providers_of_annex_iii_systems_assessed_as_not_high_risk(
    union: Graph, name: str, words: str
) -> None:
    """Only an Annex III system its provider assessed as not high-risk: limited or minimal tier and
    an Annex III area (a document-search system outside Annex III is not bound)."""
    assert words in formex(name)
    assert tiers(union, name) == {RAI.LimitedRisk, RAI.MinimalRisk}
    assert RAI.Provider in roles(union, name)
    assert conditions(union, name) == {when(annexIIIArea=["AnnexIII"])}


# --- Chapter III Section 2: requirements ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Art8-2", "requirements of the Union harmonisation legislation listed in Section A of Annex I apply"),
        ("Art11-2", "a product covered by the Union harmonisation legislation listed in Section A of Annex I"),
        ("Art25-3", "safety components of products covered by the Union harmonisation legislation listed in "
                    "Section A of Annex I"),
        ("Art43-3", "For high-risk AI systems covered by the Union harmonisation legislation listed in Section A "
                    "of Annex I"),
        ("Art47-3", "subject to other Union harmonisation legislation which also requires an EU declaration of "
                    "conformity"),
        ("Art48-5", "subject to other Union law which also provides for the affixing of the CE marking"),
    ],
)  # fmt: skip
def test_annex_i_section_a_scope_of_arts_8_2_11_2_25_3_43_3_47_3_48_5(union: Graph, name: str, words: str) -> None:
    """These paragraphs bind only for products under Annex I Section A legislation (Art. 2(2)
    leaves Section B products outside the rest of the Regulation)."""
    assert words in formex(name)
    assert conditions(union, name) == {when(annexIProduct=["AnnexI-A"])}
    assert tiers(union, name) == {RAI.HighRisk}
    assert "Article 6(1), Articles 102 to 109 and Article 112 apply" in formex("Art2-2")


def test_art_25_3_binds_the_product_manufacturer(union: Graph) -> None:
    """Art. 25(3): 'the product manufacturer shall be considered to be the provider'."""
    assert "the product manufacturer shall be considered to be the provider" in formex("Art25-3")
    assert roles(union, "Art25-3") == {RAI.ProductManufacturer}


def test_art_48_4_binds_where_a_notified_body_assesses_conformity(union: Graph) -> None:
    """Art. 48(4) 'where applicable': the notified body of Annex VII for Annex III point 1
    (Art. 43(1)) or of the Annex I Section A legislation (Art. 43(3))."""
    assert (
        "Where applicable, the CE marking shall be followed by the identification number of the notified body"
        in formex("Art48-4")
    )
    assert "with the involvement of a notified body, referred to in Annex VII" in formex("Art43-1")
    assert conditions(union, "Art48-4") == {when(annexIIIArea=["AnnexIII-1"]), when(annexIProduct=["AnnexI-A"])}


def test_art_10_5_is_a_permission_not_an_obligation(union: Graph) -> None:
    """Art. 10(5): providers 'may exceptionally process' special categories of data; the
    conditions bind only a provider that chooses to, so the clause is informative; the bias
    duties of Art. 10(2)(f)-(g) stay obligations."""
    assert "the providers of such systems may exceptionally process special categories of personal data" in formex(
        "Art10-5"
    )
    assert informative(union, "Art10-5")
    assert not informative(union, "Art10-2")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Art12-3", "For high-risk AI systems referred to in point 1 (a), of Annex III"),
        ("Art14-5", "For high-risk AI systems referred to in point 1(a) of Annex III"),
    ],
)
def test_art_12_3_and_14_5_bind_only_annex_iii_1_a_remote_biometric_identification(
    union: Graph, name: str, words: str
) -> None:
    """The logging minimums and the two-person verification apply to Annex III point 1(a) only."""
    assert words in formex(name)
    assert conditions(union, name) == {when(annexIIIArea=["AnnexIII-1-a"])}
    assert roles(union, name) == {RAI.Provider}


# --- Chapter III Section 3: obligations of operators ----------------------------------------


@pytest.mark.parametrize("name", ["Art18-3", "Art19-2"])
def test_art_18_3_and_19_2_bind_providers_that_are_financial_institutions(union: Graph, name: str) -> None:
    """'Providers that are financial institutions ... under Union financial services law'."""
    assert (
        "Providers that are financial institutions subject to requirements regarding their internal governance"
        in formex(name)
    )
    assert conditions(union, name) == {when(operatorCharacteristic=["FinancialInstitution"])}


def test_art_22_1_and_22_2_bind_providers_established_in_third_countries(union: Graph) -> None:
    """Art. 22(1): 'providers established in third countries shall ... appoint an authorised representative'."""
    assert (
        "providers established in third countries shall, by written mandate, appoint an authorised representative"
        in formex("Art22-1")
    )
    for name in ("Art22-1", "Art22-2"):
        assert roles(union, name) == {RAI.Provider}
        assert conditions(union, name) == {when(operatorCharacteristic=["ThirdCountryProvider"])}


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Art22-3", "The authorised representative shall perform the tasks specified in the mandate"),
        ("Art22-4", "The authorised representative shall terminate the mandate"),
        ("Art54-3", "The authorised representative shall perform the tasks specified in the mandate"),
        ("Art54-4", "The mandate shall empower the authorised representative to be addressed"),
        ("Art54-5", "The authorised representative shall terminate the mandate"),
    ],
)
def test_art_22_3_4_and_54_3_5_bind_the_authorised_representative_not_the_provider(
    union: Graph, name: str, words: str
) -> None:
    """The authorised representative's own duties bind rai:AuthorisedRepresentative only."""
    assert words in formex(name)
    assert roles(union, name) == {RAI.AuthorisedRepresentative}


def test_art_26_7_binds_deployers_who_are_employers(union: Graph) -> None:
    """Art. 26(7): 'deployers who are employers shall inform workers' representatives'."""
    assert "deployers who are employers shall inform workers’ representatives" in formex("Art26-7")
    assert roles(union, "Art26-7") == {RAI.Deployer}
    assert conditions(union, "Art26-7") == {when(operatorCharacteristic=["Employer"])}


def test_art_26_8_and_49_3_bind_deployers_that_are_public_authorities(union: Graph) -> None:
    """Art. 26(8) and 49(3): deployers that are public authorities, Union institutions, bodies,
    offices or agencies; Art. 49(3) only for Annex III systems other than point 2."""
    assert "Deployers of high-risk AI systems that are public authorities, or Union institutions" in formex("Art26-8")
    assert conditions(union, "Art26-8") == {when(operatorCharacteristic=["PublicAuthority"])}
    assert (
        "with the exception of high-risk AI systems listed in point 2 of Annex III, deployers that are public "
        "authorities" in formex("Art49-3")
    )
    assert conditions(union, "Art49-3") == {
        when(annexIIIArea=EXCEPT_POINT_2, operatorCharacteristic=["PublicAuthority"])
    }


def test_art_26_10_binds_deployers_of_post_remote_biometric_identification(union: Graph) -> None:
    """Art. 26(10): the deployer of a high-risk system for post-remote biometric identification,
    the documentation duty 'regardless of the purpose or deployer'."""
    text = formex("Art26-10")
    assert (
        "the deployer of a high-risk AI system for post-remote biometric identification shall request an authorisation"
        in text
    )
    assert "Regardless of the purpose or deployer, each use of such high-risk AI systems shall be documented" in text
    assert conditions(union, "Art26-10") == {when(function=["PostRemoteBiometricIdentification"])}


def test_art_26_11_binds_deployers_of_annex_iii_systems(union: Graph) -> None:
    """Art. 26(11): 'deployers of high-risk AI systems referred to in Annex III that make decisions'."""
    assert "deployers of high-risk AI systems referred to in Annex III that make decisions" in formex("Art26-11")
    assert conditions(union, "Art26-11") == {when(annexIIIArea=["AnnexIII"])}


@pytest.mark.parametrize("name", ["Art27-1", "Art27-2", "Art27-3", "Art27-4"])
def test_art_27_1_fria_binds_public_bodies_public_service_providers_and_annex_iii_5b_5c_deployers(
    union: Graph, name: str
) -> None:
    """Art. 27(1): public-law bodies and private entities providing public services deploying an
    Art. 6(2) system other than Annex III point 2, and any deployer of Annex III 5(b) and 5(c);
    paragraphs 2-4 are the same assessment."""
    text = formex("Art27-1")
    assert "Prior to deploying a high-risk AI system referred to in Article 6(2)" in text
    assert (
        "with the exception of high-risk AI systems intended to be used in the area listed in point 2 of Annex III"
        in text
    )
    assert "deployers that are bodies governed by public law, or are private entities providing public services" in text
    assert "deployers of high-risk AI systems referred to in points 5 (b) and (c) of Annex III" in text
    assert "paragraph 1" in formex(name) or name == "Art27-1"
    assert roles(union, name) == {RAI.Deployer}
    assert tiers(union, name) == {RAI.HighRisk}
    assert conditions(union, name) == {
        when(annexIIIArea=EXCEPT_POINT_2, operatorCharacteristic=["PublicAuthority", "PublicServiceProvider"]),
        when(annexIIIArea=["AnnexIII-5-b", "AnnexIII-5-c"]),
    }


# --- Chapter III Section 5, Chapter IX ---------------------------------------------------------


def test_art_43_1_and_43_2_split_conformity_assessment_by_annex_iii_point(union: Graph) -> None:
    """Art. 43(1) for Annex III point 1 (biometrics), Art. 43(2) for points 2 to 8."""
    assert "For high-risk AI systems listed in point 1 of Annex III" in formex("Art43-1")
    assert "For high-risk AI systems referred to in points 2 to 8 of Annex III" in formex("Art43-2")
    assert conditions(union, "Art43-1") == {when(annexIIIArea=["AnnexIII-1"])}
    assert conditions(union, "Art43-2") == {when(annexIIIArea=[f"AnnexIII-{n}" for n in range(2, 9)])}


def test_art_49_1_4_5_register_by_annex_iii_point(union: Graph) -> None:
    """Art. 49(1): Annex III but point 2, provider or authorised representative; 49(4): points 1, 6
    and 7 in law enforcement, migration, asylum and border control; 49(5): point 2 nationally."""
    assert "the provider or, where applicable, the authorised representative shall register" in formex("Art49-1")
    assert conditions(union, "Art49-1") == {when(annexIIIArea=EXCEPT_POINT_2)}
    assert roles(union, "Art49-1") == {RAI.Provider, RAI.AuthorisedRepresentative}
    assert (
        "For high-risk AI systems referred to in points 1, 6 and 7 of Annex III, in the areas of law "
        "enforcement, migration, asylum and border control management" in formex("Art49-4")
    )
    assert conditions(union, "Art49-4") == {
        when(annexIIIArea=["AnnexIII-6", "AnnexIII-7"]),
        when(annexIIIArea=["AnnexIII-1"], operatorCharacteristic=["LawEnforcementAuthority"]),
    }
    assert "High-risk AI systems referred to in point 2 of Annex III shall be registered at national level" in formex(
        "Art49-5"
    )
    assert conditions(union, "Art49-5") == {when(annexIIIArea=["AnnexIII-2"])}


def test_art_73_10_binds_providers_of_medical_devices_annex_i_11_and_12(union: Graph) -> None:
    """Art. 73(10): devices under Regulations (EU) 2017/745 and 2017/746, Annex I items 11 and 12."""
    assert "covered by Regulations (EU) 2017/745 and (EU) 2017/746" in formex("Art73-10")
    assert formex("AnnexI-11").startswith("Regulation (EU) 2017/745")
    assert formex("AnnexI-12").startswith("Regulation (EU) 2017/746")
    assert conditions(union, "Art73-10") == {when(annexIProduct=["AnnexI-11", "AnnexI-12"])}


def test_art_86_1_explanation_for_annex_iii_decisions_other_than_point_2(union: Graph) -> None:
    """Art. 86(1): decisions on the basis of Annex III systems 'with the exception of systems listed
    under point 2 thereof', owed by the deployer."""
    assert "with the exception of systems listed under point 2 thereof" in formex("Art86-1")
    assert roles(union, "Art86-1") == {RAI.Deployer}
    assert conditions(union, "Art86-1") == {when(annexIIIArea=EXCEPT_POINT_2)}


# --- Chapter IV: transparency by function ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "role", "functions", "words"),
    [
        ("Art50-1", RAI.Provider, ["InteractsWithNaturalPersons"],
         "AI systems intended to interact directly with natural persons"),
        ("Art50-2", RAI.Provider, ["GeneratesSyntheticContent"],
         "Providers of AI systems, including general-purpose AI systems, generating synthetic audio, image, "
         "video or text content"),
        ("Art50-3", RAI.Deployer, ["EmotionRecognition", "BiometricCategorisation"],
         "Deployers of an emotion recognition system or a biometric categorisation system"),
        ("Art50-4", RAI.Deployer, ["GeneratesDeepFakes", "GeneratesPublicInterestText"],
         "text which is published with the purpose of informing the public on matters of public interest"),
    ],
)  # fmt: skip
def test_art_50_1_to_50_4_bind_by_function_whatever_the_tier(
    union: Graph, name: str, role: Node, functions: list[str], words: str
) -> None:
    """Art. 50 applies to the systems that have the function, of any tier, GPAI systems included."""
    assert words in formex(name)
    assert not tiers(union, name)
    assert roles(union, name) == {role}
    assert conditions(union, name) == {when(function=functions)}
    assert default_date(union, name) == "2026-08-02"


def test_art_50_5_binds_whoever_paragraphs_1_to_4_bind(union: Graph) -> None:
    """Art. 50(5): 'The information referred to in paragraphs 1 to 4' — any of the six functions."""
    assert "The information referred to in paragraphs 1 to 4 shall be provided" in formex("Art50-5")
    assert not tiers(union, "Art50-5")
    assert roles(union, "Art50-5") == {RAI.Provider, RAI.Deployer}
    assert conditions(union, "Art50-5") == {
        when(function=[
            "InteractsWithNaturalPersons", "GeneratesSyntheticContent", "EmotionRecognition",
            "BiometricCategorisation", "GeneratesDeepFakes", "GeneratesPublicInterestText",
        ])
    }  # fmt: skip


def test_art_111_4_gives_art_50_2_systems_already_on_the_market_until_2026_12_02(union: Graph) -> None:
    """New Art. 111(4): generative systems placed on the market before 2026-08-02 have until
    2026-12-02 for the Art. 50(2) marking; the default stays 2026-08-02."""
    assert default_date(union, "Art50-2") == "2026-08-02"
    assert applications(union, "Art50-2") == {("2026-12-02", None, "2026-08-02")}
    node = next(iter(union.objects(EUAIA["Art50-2"], RAI.application)))
    assert "Art. 1(39)(b) of Regulation (EU) 2026/1744" in str(union.value(node, DCTERMS.source))
    assert (node, RAI.verificationStatus, RAI.ToBeVerified) in union
    assert informative(union, "Art111-4")
    assert str(union.value(EUAIA["Art111-4"], SKOS.notation)) == "Art. 111(4)"


# --- Chapter V: general-purpose AI models ---------------------------------------------------


def test_art_53_binds_gpai_model_providers_and_54_1_2_those_in_third_countries(union: Graph) -> None:
    """Art. 53(1), (3), (4) bind every GPAI model provider; 54(1)-(2) only third-country providers."""
    for name in ("Art53-1", "Art53-3", "Art53-4"):
        assert roles(union, name) == {RAI.GeneralPurposeModelProvider}
        assert not conditions(union, name)
    assert (
        "providers established in third countries shall, by written mandate, appoint an authorised representative"
        in formex("Art54-1")
    )
    for name in ("Art54-1", "Art54-2"):
        assert conditions(union, name) == {when(operatorCharacteristic=["ThirdCountryProvider"])}


def test_art_55_binds_only_providers_of_models_with_systemic_risk(union: Graph) -> None:
    """Art. 55(1)-(2): 'providers of general-purpose AI models with systemic risk'."""
    assert "providers of general-purpose AI models with systemic risk shall" in formex("Art55-1")
    for name in ("Art55-1", "Art55-2"):
        assert roles(union, name) == {RAI.GeneralPurposeModelProvider}
        assert conditions(union, name) == {when(operatorCharacteristic=["SystemicRiskModelProvider"])}


def test_art_111_3_gives_gpai_models_placed_before_2025_08_02_until_2027_08_02(union: Graph) -> None:
    """Art. 111(3): models placed on the market before 2025-08-02 comply by 2027-08-02, on every
    obligation of Chapter V; the default stays 2025-08-02 (Art. 113(b))."""
    assert "placed on the market before 2 August 2025 shall take the necessary steps" in formex("Art111-3")
    assert "by 2 August 2027" in formex("Art111-3")
    chapter_v = [n for n in eu_ai_act.OBLIGATION_CLAUSES if re.match(r"Art5[3-5]-", n)]
    assert len(chapter_v) == 10
    for name in chapter_v:
        assert default_date(union, name) == "2025-08-02"
        assert applications(union, name) == {("2027-08-02", None, "2025-08-02")}


# --- Art. 111(2): systems already in service --------------------------------------------------


def test_art_111_2_suspends_every_high_risk_obligation_for_systems_already_in_service(union: Graph) -> None:
    """Art. 111(2) 'this Regulation shall apply to operators of high-risk AI systems ... only if ...
    significant changes': every high-risk obligation, and only those, is marked transitional."""
    assert "this Regulation shall apply to operators of high-risk AI systems" in formex("Art111-2")
    assert "only if, as from that date, those systems are subject to significant changes in their designs" in formex(
        "Art111-2"
    )
    marked = {local(s) for s in union.subjects(RAI.transitional, EUAIA["Art111-2"])}
    assert marked == eu_ai_act.HIGH_RISK_OBLIGATIONS
    sections_1_to_3 = {n for n in eu_ai_act.OBLIGATION_CLAUSES if 6 <= int(re.match(r"Art(\d+)", n)[1]) <= 27}  # type: ignore[index]
    assert sections_1_to_3 - {"Art6-4"} <= marked
    for unmarked in ("Art6-4", "Art49-2", "Art5-1", "Art50-1", "Art4"):
        assert unmarked not in marked, unmarked


def test_art_111_2_transition_ends_on_2030_08_02_for_public_authorities(union: Graph) -> None:
    """Art. 111(2), second sentence: systems intended to be used by public authorities must comply
    by 2030-08-02 (unchanged by 2026/1744 as far as the sources report)."""
    assert (
        "the providers and deployers of high-risk AI systems intended to be used by public authorities shall take "
        "the necessary steps to comply with the requirements and obligations of this Regulation by 2 August 2030"
    ) in formex("Art111-2")
    ends = list(union.objects(EUAIA["Art111-2"], RAI.transitionEnds))
    assert len(ends) == 1
    assert str(union.value(ends[0], RAI.appliesFrom)) == "2030-08-02"
    condition = union.value(ends[0], RAI.appliesWhen)
    assert set(union.predicate_objects(condition)) == {(RAI.operatorCharacteristic, RAI.PublicAuthority)}
    assert "Art. 111(2)" in str(union.value(ends[0], DCTERMS.source))


# --- Dates by route (Art. 113 as amended) ----------------------------------------------------


def test_chapter_iii_sections_1_to_3_apply_from_2027_12_02_on_the_annex_iii_route_and_2028_08_02_on_annex_i(
    union: Graph, base: Graph
) -> None:
    """Amended Art. 113(c): every clause of Arts. 6-27 but Art. 6(1) and 6(5) defaults to the
    earlier 2027-12-02 and dates by route; Art. 6(1) 2028-08-02; Art. 6(5) keeps 2026-08-02."""
    clauses = eu_ai_act.read_act(SOURCES)
    in_sections = [
        c.local_name for c in clauses
        if c.place.chapter == "III" and c.place.section in (1, 2, 3)
        and not re.match(r"Art6-(1|5)($|-)", c.local_name)
    ]  # fmt: skip
    assert len(in_sections) > 200
    for name in in_sections:
        assert default_date(union, name) == "2027-12-02", name
        assert applications(union, name) == {
            ("2027-12-02", None, None), ("2027-12-02", "AnnexIIIRoute", None), ("2028-08-02", "AnnexIRoute", None),
        }, name  # fmt: skip
        assert not list(base.objects(EUAIA[name], RAI.appliesFrom)), name
    for name in ("Art6-1", "Art6-1-a", "Art6-1-b"):
        assert default_date(union, name) == "2028-08-02"
        assert ("2028-08-02", "AnnexIRoute", None) in applications(union, name)
    assert default_date(union, "Art6-5") == "2026-08-02"
    assert not applications(union, "Art6-5")


def test_section_5_and_arts_72_73_86_bind_high_risk_systems_from_their_classification_dates(
    union: Graph, record: _amendment.AmendmentRecord
) -> None:
    """Conformity assessment, registration, CE marking, post-market monitoring, incidents and
    explanation bind only high-risk systems: the same dates by route (inferred, medium confidence);
    their informative paragraphs keep the general date."""
    deferred = {
        n
        for n in eu_ai_act.HIGH_RISK_OBLIGATIONS
        if int(re.match(r"Art(\d+)", n)[1]) in (43, 47, 48, 49, 72, 73, 86)  # type: ignore[index]
    }
    change = next(c for c in record.changes if c.key == "high-risk-dates-section-5-and-chapter-ix")
    assert isinstance(change, _amendment.DateChange)
    assert set(change.selection.clauses) == deferred
    assert change.confidence == "medium"
    for name in deferred:
        assert default_date(union, name) == "2027-12-02"
        assert ("2028-08-02", "AnnexIRoute", None) in applications(union, name)
    for name in ("Art43-5", "Art72-4", "Art86-2"):
        assert default_date(union, name) == "2026-08-02"


def test_every_layer_default_is_the_earliest_of_its_dates(layer: Graph) -> None:
    """For a system whose route is not recorded the default must be the conservative date: the
    earliest of the clause's dates that are not limited to systems placed on the market early."""
    clauses = {s for s in layer.subjects(RAI.appliesFrom, None) if str(s).startswith(str(EUAIA))}
    assert len(clauses) > 200
    for subject in clauses:
        dates = [
            str(layer.value(node, RAI.appliesFrom))
            for node in layer.objects(subject, RAI.application)
            if layer.value(node, RAI.placedBefore) is None
        ]
        assert dates, subject
        assert str(layer.value(subject, RAI.appliesFrom)) == min(dates), subject


# --- The amendment layer -------------------------------------------------------------------------


def test_the_amendment_record_describes_regulation_2026_1744(layer: Graph) -> None:
    """The layer holds an rai:Amendment: amends the EU AI Act, title, OJ reference, in force
    2026-07-27, to be verified against the OJ."""
    amendments = list(layer.subjects(RDF.type, RAI.Amendment))
    assert len(amendments) == 1
    amendment = amendments[0]
    assert layer.value(amendment, RAI.amends) == eu_ai_act.FRAMEWORK
    assert str(layer.value(amendment, DCTERMS.title)) == "Regulation (EU) 2026/1744 (Digital Omnibus on AI)"
    assert layer.value(amendment, RAI.inForceFrom) == Literal("2026-07-27", datatype=XSD.date)
    assert str(layer.value(amendment, DCTERMS.source)) == "OJ L, 2026/1744, 24.7.2026"
    assert layer.value(amendment, RAI.verificationStatus) == RAI.ToBeVerified


def test_every_changed_date_and_text_names_its_2026_1744_provision_and_is_to_be_verified(layer: Graph) -> None:
    """Each date of application, earlier wording and new clause of the layer names the amending
    act in dcterms:source, and everything it changes is rai:ToBeVerified."""
    nodes = list(layer.objects(None, RAI.application))
    versions = list(layer.objects(None, RAI.previousVersion))
    assert len(nodes) > 700
    assert len(versions) == 10
    for node in [*nodes, *versions]:
        sources = [str(s) for s in layer.objects(node, DCTERMS.source)]
        assert sources, node
        assert all(AMENDMENT in s for s in sources), sources
        assert (node, RAI.verificationStatus, RAI.ToBeVerified) in layer
    for version in versions:
        assert (version, RDF.type, RAI.TextVersion) in layer
        assert layer.value(version, PROV.invalidatedAtTime) == Literal("2026-07-27", datatype=XSD.date)
    changed = set(layer.subjects(RAI.appliesFrom, None)) | set(layer.subjects(RAI.previousVersion, None))
    clauses = {subject for subject in changed if str(subject).startswith(str(EUAIA))}
    assert len(clauses) > 200
    for clause in clauses:
        assert (clause, RAI.verificationStatus, RAI.ToBeVerified) in layer, clause
        notes = [str(n) for n in layer.objects(clause, SKOS.changeNote)]
        assert any(AMENDMENT in note for note in notes), clause


def test_the_union_has_at_most_one_text_and_one_default_date_per_clause(
    union: Graph, base: Graph, layer: Graph
) -> None:
    """Base file and layer never both give a clause a date or a text: the base leaves out what the
    layer replaces, and every article clause has exactly one default date."""
    for name in clause_names(union):
        iri = EUAIA[name]
        assert len(list(union.objects(iri, RAI.text))) <= 1, name
        assert len(list(union.objects(iri, RAI.appliesFrom))) <= 1, name
    for subject in layer.subjects(RAI.appliesFrom, None):
        assert not list(base.objects(subject, RAI.appliesFrom)), subject
    for subject in layer.subjects(RAI.previousVersion, None):
        assert not list(base.objects(subject, RAI.text)), subject
        assert not list(layer.objects(subject, RAI.text)), subject


def test_art_4_wording_is_replaced_and_the_softened_duty_kept(union: Graph) -> None:
    """Art. 1(5) of 2026/1744 re-casts Art. 4: the original wording is its previous version (from
    the Formex text), no wording is invented, the reported one is quoted, the duty stays."""
    assert union.value(EUAIA["Art4"], RAI.text) is None
    version = union.value(EUAIA["Art4"], RAI.previousVersion)
    assert str(union.value(version, RAI.text)) == formex("Art4")
    assert str(union.value(version, DCTERMS.source)) == "Art. 1(5) of Regulation (EU) 2026/1744"
    notes = " ".join(str(n) for n in union.objects(EUAIA["Art4"], SKOS.note))
    assert "take measures to support the development of AI literacy" in notes
    assert not informative(union, "Art4")
    assert default_date(union, "Art4") == "2025-02-02"


def test_art_4a_is_a_new_informative_clause(union: Graph) -> None:
    """New Art. 4a, a legal basis for processing special categories of data (a permission)."""
    assert (EUAIA["Art4a"], RDF.type, RAI.Requirement) in union
    assert str(union.value(EUAIA["Art4a"], SKOS.notation)) == "Art. 4a"
    assert (eu_ai_act.FRAMEWORK, SKOS.hasTopConcept, EUAIA["Art4a"]) in union
    assert informative(union, "Art4a")
    assert default_date(union, "Art4a") == "2026-07-27"
    assert "Art. 1(6) of Regulation (EU) 2026/1744" in str(union.value(EUAIA["Art4a"], DCTERMS.source))


def test_the_base_framework_note_names_the_amendment_layer(base: Graph) -> None:
    """The base file says which file amends it."""
    note = str(base.value(eu_ai_act.FRAMEWORK, SKOS.scopeNote))
    assert eu_ai_act.AMENDMENT_OUTPUT in note
    assert AMENDMENT in note


# --- The secondary-source file and its reader --------------------------------------------------


def test_every_encoded_change_rests_on_a_quotation_of_the_shared_notes(record: _amendment.AmendmentRecord) -> None:
    """Each encoded change cites at least one passage read in the shared source notes; all are
    to be verified against the OJ."""
    assert record.verification == RAI.ToBeVerified
    assert record.in_force.isoformat() == "2026-07-27"
    for change in record.changes:
        if not isinstance(change, _amendment.ReportedChange):
            assert any(record.sources[key].in_shared_notes for key in change.sources), change.key
        assert change.provision.endswith(AMENDMENT) or AMENDMENT in change.provision, change.key


@pytest.mark.skipif(not SHARED_NOTES.is_file(), reason="shared source-data folder not present")
def test_shared_notes_quotations_are_verbatim() -> None:
    """Every quotation marked as read in the shared notes stands there word for word."""
    notes = SHARED_NOTES.read_text(encoding="utf-8")
    record = read_amendment(SOURCES)
    shared = [s for s in record.sources.values() if s.in_shared_notes]
    assert len(shared) > 25
    for source in shared:
        assert source.quotation in notes, source.key


def test_the_reader_refuses_a_change_not_marked_to_be_verified(tmp_path: Path) -> None:
    """A change whose status is not 'to be verified against the OJ' stops the build."""
    copy = tmp_path / "eu-ai-act" / "amendment-2026-1744"
    copy.mkdir(parents=True)
    original = (SOURCES / "eu-ai-act" / "amendment-2026-1744" / "changes.toml").read_text(encoding="utf-8")
    (copy / "changes.toml").write_text(
        original.replace(
            'status = "to be verified against the OJ"\n\n[[change]]\nkey = "article-6-1-date"',
            'status = "verified"\n\n[[change]]\nkey = "article-6-1-date"',
            1,
        ),
        encoding="utf-8",
    )
    with pytest.raises(SourceDataError, match="status must be"):
        read_amendment(tmp_path)


def test_a_change_naming_an_unknown_clause_or_source_stops_the_build(record: _amendment.AmendmentRecord) -> None:
    """resolve() refuses changes to clauses the act does not have, or citing unknown sources."""
    clauses = eu_ai_act.read_act(SOURCES)
    bad_clause = _amendment.TextChange(
        key="x", provision="Art. 1(99) of Regulation (EU) 2026/1744", amended="Art. 999", what="-",
        sources=("timeline-art-4",), confidence="low", clause="Art999",
    )  # fmt: skip
    with pytest.raises(SourceDataError, match="Art999"):
        _amendment.resolve(replace(record, changes=(bad_clause,)), clauses)
    bad_source = replace(bad_clause, clause="Art4", sources=("no-such-source",))
    with pytest.raises(SourceDataError, match="no-such-source"):
        _amendment.resolve(replace(record, changes=(bad_source,)), clauses)


def test_a_reader_of_the_official_text_only_needs_to_return_a_record(record: _amendment.AmendmentRecord) -> None:
    """With a record carrying the verbatim wording and the verified status, as a Formex reader of
    2026/1744 would return, the same layer builder gives the clause its new rai:text."""
    clauses = eu_ai_act.read_act(SOURCES)
    official = _amendment.TextChange(
        key="art-4", provision="Art. 1(5) of Regulation (EU) 2026/1744", amended="Art. 4", what="Re-cast.",
        sources=("timeline-art-4",), confidence="high", clause="Art4",
        new_text="Providers and deployers of AI systems shall take measures …",
    )  # fmt: skip
    verified = replace(record, changes=(official,), verification=RAI.VerifiedAgainstOfficialText)
    graph = _amendment.layer_graph(verified, clauses, framework=eu_ai_act.FRAMEWORK, clause_iri=lambda n: EUAIA[n])
    assert str(graph.value(EUAIA["Art4"], RAI.text)) == official.new_text
    assert (EUAIA["Art4"], RAI.verificationStatus, RAI.VerifiedAgainstOfficialText) in graph
    version = graph.value(EUAIA["Art4"], RAI.previousVersion)
    assert str(graph.value(version, RAI.text)) == formex("Art4")


# --- The written record of the decisions -------------------------------------------------------

APPLICABILITY_MD = SOURCES / "eu-ai-act" / "APPLICABILITY.md"


def test_applicability_md_has_a_row_for_every_obligation_quoting_its_formex_text() -> None:
    """APPLICABILITY.md lists every obligation clause once, and each passage it quotes between
    curly quotes stands in the Formex text of that clause (or of the one it refers to); every
    other quoted passage in the file stands somewhere in the act."""
    text = APPLICABILITY_MD.read_text(encoding="utf-8")
    notation_of = {c.notation: c.local_name for c in eu_ai_act.read_act(SOURCES)}
    rows: dict[str, str] = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] in notation_of and notation_of[cells[0]] in eu_ai_act.OBLIGATION_CLAUSES:
            name = notation_of[cells[0]]
            assert name not in rows, name
            rows[name] = cells[2]
    assert set(rows) == set(eu_ai_act.OBLIGATION_CLAUSES)
    for name, quoted in rows.items():
        applicability = eu_ai_act.OBLIGATIONS[name]
        where = formex(name) + " " + (formex(applicability.basis_from) if applicability.basis_from else "")
        passages = re.findall(r"“([^”]+)”", quoted)
        assert passages, name
        for passage in passages:
            assert passage in where, (name, passage)
    act = " ".join(formex_texts().values())
    for passage in re.findall(r"“([^”]+)”", text):
        assert passage in act, passage
