"""The EU AI Act catalogue and the curated EU AI Act → NIST AI RMF crosswalk against their sources.

Clause ids and texts are re-derived from the vendored Formex XML by a second, deliberately
different extraction (:mod:`eu_formex_reference`), never through the builder's helpers, and
compared with the built graph clause by clause.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from eu_formex_reference import FORMEX, MAIN_ACT, REPO, expected_clauses
from rai_graph.catalogues import crosswalk_eu_nist, eu_ai_act
from rai_graph.catalogues._common import turtle_bytes
from rai_graph.catalogues._formex import FormexError
from rai_graph.vocab import EUAIA, NISTRMF, RAI

SOURCES = REPO / "frameworks" / "sources"
NIST_IDS = Path(__file__).parent / "data" / "nist-ai-rmf-subcategory-ids.txt"
SHARED_FORMEX = Path("/work/shared/data/eu-ai-act/formex")

# From the source's own description (shared data SOURCE.md): numbered paragraphs per article.
PRIORITY_PARAGRAPHS = {
    5: 8, 6: 8, 8: 2, 9: 10, 10: 6, 11: 3, 12: 3, 13: 3, 14: 5, 15: 5, 16: 0, 17: 4, 26: 12,
    27: 5, 43: 6, 49: 5, 50: 7, 53: 7, 54: 6, 55: 3, 72: 4, 73: 11,
}  # fmt: skip
ANNEX_III_POINTS = {1: "abc", 2: "", 3: "abcd", 4: "ab", 5: "abcd", 6: "abcde", 7: "abcd", 8: "ab"}
ANNEX_IV_POINTS = {1: "abcdefgh", 2: "abcdefgh", 3: "", 4: "", 5: "", 6: "", 7: "", 8: "", 9: ""}
CROSSWALKED_ARTICLES = {4, 9, 10, 11, 12, 13, 14, 15, 17, 26, 27, 72, 73}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return eu_ai_act.build(SOURCES)


@pytest.fixture(scope="module")
def layer() -> Graph:
    return eu_ai_act.build_amendment_layer(SOURCES)


@pytest.fixture(scope="module")
def union(graph: Graph, layer: Graph) -> Graph:
    """The base catalogue and the amendment layer, as the tool loads them."""
    return graph + layer


#: The clauses whose wording Regulation (EU) 2026/1744 replaces (directly, or in a clause below
#: them), per the amendment's source file: their original text is a rai:previousVersion.
SUPERSEDED = {
    "Art4", "Art5", "Art5-1", "Art57", "Art57-1", "Art111", "Art111-2", "Art113", "Art113-a", "Art113-c",
}  # fmt: skip


@pytest.fixture(scope="module")
def crosswalk() -> Graph:
    return crosswalk_eu_nist.build(SOURCES)


def clause_ids(graph: Graph) -> set[str]:
    prefix = str(EUAIA)
    return {
        str(subject).removeprefix(prefix)
        for subject in graph.subjects(SKOS.inScheme, eu_ai_act.FRAMEWORK)
        if str(subject).startswith(prefix)
    }


def value(graph: Graph, name: str, predicate: URIRef) -> str:
    found = list(graph.objects(EUAIA[name], predicate))
    assert len(found) == 1, f"{name} {predicate}: {found}"
    return str(found[0])


@pytest.fixture(scope="module")
def reference() -> dict[str, str]:
    return expected_clauses()


# --- Structure and counts ----------------------------------------------------------------------


def test_clause_ids_equal_those_the_sources_define(graph: Graph, reference: dict[str, str]) -> None:
    """The catalogue has exactly the articles, paragraphs, points and annexes of the Formex files."""
    assert clause_ids(graph) == set(reference)
    assert len(reference) == 1209


def test_every_clause_text_equals_an_independent_extraction(
    union: Graph, reference: dict[str, str]
) -> None:
    """Each clause's rai:text is the official wording re-extracted from the XML; where the amendment
    replaced that wording, the original is its one rai:previousVersion and it has no other text."""
    wrong = {}
    for name, text in reference.items():
        if name in SUPERSEDED:
            versions = list(union.objects(EUAIA[name], RAI.previousVersion))
            found = [str(t) for version in versions for t in union.objects(version, RAI.text)]
            if found != [text] or list(union.objects(EUAIA[name], RAI.text)):
                wrong[name] = (found, text)
        elif value(union, name, RAI.text) != text:
            wrong[name] = (value(union, name, RAI.text), text)
    assert not wrong, next(iter(wrong.items()))
    replaced = {
        str(subject).removeprefix(str(EUAIA)) for subject in union.subjects(RAI.previousVersion, None)
    }
    assert replaced == SUPERSEDED


def test_there_are_113_articles_and_500_paragraphs(graph: Graph) -> None:
    """All 113 articles are present with title and text, and the 500 numbered paragraphs."""
    ids = clause_ids(graph)
    articles = {name for name in ids if re.fullmatch(r"Art\d+", name)}
    assert articles == {f"Art{number}" for number in range(1, 114)}
    assert all(value(graph, name, DCTERMS.title) for name in articles)
    act = ET.parse(MAIN_ACT).getroot()
    paragraphless = {
        f"Art{int(a.attrib['IDENTIFIER'])}" for a in act.iter("ARTICLE") if a.find("PARAG") is None
    }
    assert len(paragraphless) == 19  # their numbered items are points, e.g. Art. 3's definitions
    paragraphs = {
        name for name in ids
        if re.fullmatch(r"Art\d+-\d+", name) and name.split("-")[0] not in paragraphless
    }
    assert len(paragraphs) == 500


@pytest.mark.parametrize(("article", "count"), sorted(PRIORITY_PARAGRAPHS.items()))
def test_priority_articles_have_their_paragraph_counts(
    graph: Graph, article: int, count: int
) -> None:
    """The priority articles have as many numbered paragraphs as the source description lists."""
    paragraphs = {
        name for name in clause_ids(graph) if re.fullmatch(rf"Art{article}-\d+", name)
    }
    assert paragraphs == {f"Art{article}-{n}" for n in range(1, count + 1)}


def test_article_16_has_points_a_to_l_directly() -> None:
    """Art. 16 has no numbered paragraphs; its points a-l hang from the article."""
    clauses = {c.local_name: c for c in eu_ai_act.read_act(SOURCES)}
    points = sorted(name for name, c in clauses.items() if c.parent == "Art16")
    assert points == [f"Art16-{letter}" for letter in "abcdefghijkl"]
    assert clauses["Art16-c"].notation == "Art. 16(c)"


@pytest.mark.parametrize(
    ("annex", "points"), [("AnnexIII", ANNEX_III_POINTS), ("AnnexIV", ANNEX_IV_POINTS)]
)
def test_annexes_iii_and_iv_have_their_areas_and_points(
    graph: Graph, annex: str, points: dict[int, str]
) -> None:
    """Annex III has 8 areas, Annex IV 9 items, each with exactly its lettered points."""
    ids = clause_ids(graph)
    top = {name for name in ids if re.fullmatch(rf"{annex}-\d+", name)}
    assert top == {f"{annex}-{number}" for number in points}
    for number, letters in points.items():
        below = {name for name in ids if name.startswith(f"{annex}-{number}-")}
        assert below == {f"{annex}-{number}-{letter}" for letter in letters}
        for name in below:
            assert value(graph, name, SKOS.broader) == str(EUAIA[f"{annex}-{number}"])
        assert value(graph, f"{annex}-{number}", SKOS.broader) == str(EUAIA[annex])


def test_annex_i_has_sections_a_and_b_with_items_1_to_12_and_13_to_20(graph: Graph) -> None:
    """Annex I splits into Section A (New Legislative Framework, items 1-12) and Section B (13-20)."""
    ids = clause_ids(graph)
    assert {name for name in ids if name.startswith("AnnexI-")} == {"AnnexI-A", "AnnexI-B"} | {
        f"AnnexI-{number}" for number in range(1, 21)
    }
    for letter, numbers in (("A", range(1, 13)), ("B", range(13, 21))):
        assert value(graph, f"AnnexI-{letter}", SKOS.broader) == str(EUAIA["AnnexI"])
        assert value(graph, f"AnnexI-{letter}", SKOS.notation) == f"Annex I Section {letter}"
        for number in numbers:
            assert value(graph, f"AnnexI-{number}", SKOS.broader) == str(EUAIA[f"AnnexI-{letter}"])
            assert value(graph, f"AnnexI-{number}", SKOS.notation) == f"Annex I {number}"
    assert value(graph, "AnnexI-A", DCTERMS.title) == (
        "List of Union harmonisation legislation based on the New Legislative Framework"
    )
    assert value(graph, "AnnexI-B", DCTERMS.title) == "List of other Union harmonisation legislation"
    assert value(graph, "AnnexI-1", RAI.text).startswith("Directive 2006/42/EC")
    assert "on machinery" in value(graph, "AnnexI-1", RAI.text)
    assert value(graph, "AnnexI-11", RAI.text).startswith("Regulation (EU) 2017/745")
    assert "on medical devices" in value(graph, "AnnexI-11", RAI.text)
    assert value(graph, "AnnexI-12", RAI.text).startswith("Regulation (EU) 2017/746")
    assert "on in vitro diagnostic medical devices" in value(graph, "AnnexI-12", RAI.text)
    assert value(graph, "AnnexI-A", RAI.text).startswith("1. Directive 2006/42/EC")
    assert value(graph, "AnnexI-B", RAI.text).startswith("13. Regulation (EC) No 300/2008")
    for whole in ("AnnexII", "AnnexVII", "AnnexVIII", "AnnexX", "AnnexXI"):
        assert not {name for name in ids if name.startswith(f"{whole}-")}, whole


def test_broader_links_point_to_the_parent_clause(graph: Graph) -> None:
    """Points hang from paragraphs and paragraphs from articles; articles and annexes are top."""
    assert value(graph, "Art9-2-a", SKOS.broader) == str(EUAIA["Art9-2"])
    assert value(graph, "Art9-2", SKOS.broader) == str(EUAIA["Art9"])
    assert value(graph, "Art5-1-h-iii", SKOS.broader) == str(EUAIA["Art5-1-h"])
    assert list(graph.objects(EUAIA["Art9"], SKOS.broader)) == []
    tops = set(graph.objects(eu_ai_act.FRAMEWORK, SKOS.hasTopConcept))
    assert len(tops) == 113 + 13
    for clause in graph.subjects(SKOS.inScheme, eu_ai_act.FRAMEWORK):
        for parent in graph.objects(clause, SKOS.broader):
            assert (parent, RDF.type, RAI.Requirement) in graph


def test_repeated_point_letters_in_article_43_1_are_qualified_by_subparagraph(
    graph: Graph,
) -> None:
    """Art. 43(1) has two lettered lists; their points carry the subparagraph in id and notation."""
    ids = {name for name in clause_ids(graph) if name.startswith("Art43-1-")}
    assert ids == {"Art43-1-sub1-a", "Art43-1-sub1-b"} | {f"Art43-1-sub2-{x}" for x in "abcd"}
    assert value(graph, "Art43-1-sub2-a", SKOS.notation) == (
        "Art. 43(1), second subparagraph, point (a)"
    )


# --- Known texts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "notation", "start"),
    [
        ("Art9-1", "Art. 9(1)", "A risk management system shall be established"),
        ("Art9-2-a", "Art. 9(2)(a)", "the identification and analysis of the known and the"),
        ("Art50-1", "Art. 50(1)", "Providers shall ensure that AI systems intended to interact"),
        ("Art3-1", "Art. 3(1)", "‘AI system’ means a machine-based system"),
        ("Art16-a", "Art. 16(a)", "ensure that their high-risk AI systems are compliant"),
        ("AnnexIII-4-a", "Annex III 4(a)", "AI systems intended to be used for the recruitment"),
        ("AnnexIV-2-b", "Annex IV 2(b)", "the design specifications of the system"),
        ("Art26-1", "Art. 26(1)", "Deployers of high-risk AI systems shall take appropriate"),
    ],
)
def test_known_clause_texts(graph: Graph, name: str, notation: str, start: str) -> None:
    """Spot checks of notation and opening words against the Official Journal text."""
    assert value(graph, name, SKOS.notation) == notation
    assert value(graph, name, RAI.text).startswith(start)


def test_text_keeps_chapeau_points_quotes_and_formatted_numbers(graph: Graph) -> None:
    """Paragraphs keep their chapeau and points; quotes, numbers and superscripts are kept right."""
    paragraph = value(graph, "Art9-2", RAI.text)
    assert paragraph.startswith("The risk management system shall be understood as a continuous")
    assert "It shall comprise the following steps: (a) the identification" in paragraph
    assert paragraph.endswith("identified pursuant to point (a).")
    assert "‘real-time’ remote biometric identification" in value(graph, "Art5-1-h", RAI.text)
    assert "up to EUR 35 000 000 or" in value(graph, "Art99-3", RAI.text)
    assert "is greater than 10²⁵." in value(graph, "Art51-2", RAI.text)
    assert value(graph, "Art108-2", RAI.text).endswith("shall be taken into account.’;")
    assert value(graph, "Art9", DCTERMS.title) == "Risk management system"
    assert value(graph, "AnnexIV", DCTERMS.title) == (
        "Technical documentation referred to in Article 11(1)"
    )
    assert value(graph, "Art78-1-a", SKOS.note).startswith("Footnote: Directive (EU) 2016/943")


# --- Applicability -------------------------------------------------------------------------------


def _tiers(graph: Graph, name: str) -> set[URIRef]:
    return {URIRef(str(o)) for o in graph.objects(EUAIA[name], RAI.appliesToTier)}


def _roles(graph: Graph, name: str) -> set[URIRef]:
    return {URIRef(str(o)) for o in graph.objects(EUAIA[name], RAI.appliesToRole)}


def test_only_obligation_clauses_carry_applicability(graph: Graph) -> None:
    """Obligation clauses are the ones not marked informative; informative clauses carry no tier,
    role or condition, and every obligation but the prohibitions of Art. 5(1) names a tier or a role."""
    for name in clause_ids(graph):
        informative = (EUAIA[name], RAI.informative, Literal(True)) in graph
        assert informative == (name not in eu_ai_act.OBLIGATION_CLAUSES), name
        restricted = bool(_tiers(graph, name) or _roles(graph, name))
        conditioned = bool(list(graph.objects(EUAIA[name], RAI.appliesWhen)))
        if informative:
            assert not restricted, name
            assert not conditioned, name
        else:
            assert restricted or name == "Art5-1", name


def test_obligation_clauses_are_paragraphs_or_paragraphless_articles() -> None:
    """The obligation unit is a numbered paragraph, or an article without numbered paragraphs."""
    clauses = eu_ai_act.read_act(SOURCES)
    kinds = {clause.local_name: clause.kind for clause in clauses}
    with_paragraphs = {clause.parent for clause in clauses if clause.kind == "paragraph"}
    for name in eu_ai_act.OBLIGATION_CLAUSES:
        assert kinds[name] == "paragraph" or (
            kinds[name] == "article" and name not in with_paragraphs
        ), name


def test_applicability_of_the_main_obligations(graph: Graph) -> None:
    """Arts. 9-15 bind providers of high-risk systems, Art. 26 deployers, Art. 5 all operators."""
    obligations = eu_ai_act.OBLIGATION_CLAUSES
    for article in range(9, 16):
        names = [n for n in obligations if n.startswith(f"Art{article}-")]
        assert names, article
        for name in names:
            assert _tiers(graph, name) == {RAI.HighRisk}, name
            assert _roles(graph, name) == {RAI.Provider}, name
    art26 = [n for n in obligations if n.startswith("Art26-")]
    assert len(art26) == 11
    for name in art26:
        assert _roles(graph, name) == {RAI.Deployer}
        assert _tiers(graph, name) == {RAI.HighRisk}
    assert _tiers(graph, "Art5-1") == set()
    assert _roles(graph, "Art5-1") == set()
    assert _roles(graph, "Art16") == {RAI.Provider}
    assert _roles(graph, "Art4") == {RAI.Provider, RAI.Deployer}
    assert _tiers(graph, "Art4") == set()


def test_applicability_of_transparency_and_general_purpose_models(graph: Graph) -> None:
    """Art. 50 splits providers and deployers by paragraph; Arts. 53-55 bind GPAI model providers."""
    assert _roles(graph, "Art50-1") == _roles(graph, "Art50-2") == {RAI.Provider}
    assert _roles(graph, "Art50-3") == _roles(graph, "Art50-4") == {RAI.Deployer}
    assert _tiers(graph, "Art50-1") == set()
    assert "Art50-6" not in eu_ai_act.OBLIGATION_CLAUSES
    for name in ("Art53-1", "Art53-3", "Art54-1", "Art55-1"):
        assert _roles(graph, name) == {RAI.GeneralPurposeModelProvider}, name
        assert _tiers(graph, name) == set(), name
    assert "systemic risk" in value(graph, "Art55-1", SKOS.scopeNote)
    fria = value(graph, "Art27-1", SKOS.scopeNote)
    assert "bodies governed by public law" in fria
    assert "points 5(b) and (c)" in fria
    assert _roles(graph, "Art23-1") == {RAI.Importer}
    assert _roles(graph, "Art24-1") == {RAI.Distributor}


# --- Dates of application ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "date"),
    [
        ("Art4", "2025-02-02"), ("Art5", "2025-02-02"), ("Art5-1-a", "2025-02-02"),
        ("Art9", "2027-12-02"), ("Art9-2-a", "2027-12-02"), ("Art26-1", "2027-12-02"),
        ("Art53", "2025-08-02"), ("Art55-1-a", "2025-08-02"), ("Art30", "2025-08-02"),
        ("Art65", "2025-08-02"), ("Art78-1", "2025-08-02"), ("Art99-3", "2025-08-02"),
        ("Art101", "2026-08-02"), ("Art6", "2027-12-02"), ("Art6-2", "2027-12-02"),
        ("Art6-1", "2028-08-02"), ("Art6-1-a", "2028-08-02"), ("Art6-5", "2026-08-02"),
        ("Art113", "2026-08-02"), ("Art50-1", "2026-08-02"), ("Art43-5", "2026-08-02"),
    ],
)  # fmt: skip
def test_default_dates_follow_article_113_as_amended(union: Graph, name: str, date: str) -> None:
    """The default rai:appliesFrom follows Art. 113 (staged dates, Art. 101 exception) as amended by
    2026/1744: Chapter III Sections 1-3 from 2027-12-02 (the earlier of the dates by route), Art. 6(1)
    from 2028-08-02, Art. 6(5) and Art. 50 unmoved."""
    assert list(union.objects(EUAIA[name], RAI.appliesFrom)) == [
        Literal(date, datatype=XSD.date)
    ]


def test_annexes_carry_no_date_and_articles_exactly_one(union: Graph) -> None:
    """Art. 113 dates articles only; with the amendment layer every article clause has exactly one
    default date, annex clauses none."""
    for name in clause_ids(union):
        dates = list(union.objects(EUAIA[name], RAI.appliesFrom))
        assert len(dates) == (0 if name.startswith("Annex") else 1), name


def test_changed_article_113_wording_stops_the_build() -> None:
    """The date rules are tied to Art. 113's wording; a different wording is an error."""
    clauses = eu_ai_act.read_act(SOURCES)
    dates = eu_ai_act.application_dates(clauses)
    assert dates.article_6_1 == dt.date(2027, 8, 2)
    altered = [
        replace(c, text="Chapters I, II and III shall apply from 2 February 2025;")
        if c.local_name == "Art113-a" else c
        for c in clauses
    ]
    with pytest.raises(FormexError, match="Art113-a"):
        eu_ai_act.application_dates(altered)


# --- Framework, source and provenance ------------------------------------------------------------


def test_framework_and_every_clause_record_their_source(graph: Graph) -> None:
    """Framework metadata and, per clause, the EUR-Lex anchor and the vendored Formex file."""
    framework = eu_ai_act.FRAMEWORK
    assert (framework, RDF.type, RAI.Framework) in graph
    assert (framework, SKOS.notation, Literal("eu-ai-act")) in graph
    assert (framework, DCTERMS.source, URIRef("http://data.europa.eu/eli/reg/2024/1689/oj")) in graph
    assert (framework, DCTERMS.rights, Literal("© European Union, https://eur-lex.europa.eu/")) in graph
    assert (framework, DCTERMS.license, URIRef("http://data.europa.eu/eli/dec/2011/833/oj")) in graph
    assert str(graph.value(framework, DCTERMS.title)) == (
        "Regulation (EU) 2024/1689 (Artificial Intelligence Act)"
    )
    for name in clause_ids(graph):
        source = value(graph, name, DCTERMS.source)
        assert re.fullmatch(
            r"https://eur-lex\.europa\.eu/eli/reg/2024/1689/oj/eng#(art_\d+|\d{3}\.\d{3}|anx_[IVX]+)",
            source,
        ), (name, source)
        derived = value(graph, name, PROV.wasDerivedFrom)
        assert derived.startswith("frameworks/sources/eu-ai-act/formex/"), derived
        assert (REPO / derived).is_file()
    assert value(graph, "Art9-2-a", DCTERMS.source).endswith("#009.002")
    assert value(graph, "AnnexIII-1", DCTERMS.source).endswith("#anx_III")


@pytest.mark.slow  # whole-catalogue or whole-repository work: not in `make test-fast`
def test_committed_catalogue_equals_a_fresh_build(graph: Graph, layer: Graph) -> None:
    """frameworks/eu-ai-act.ttl and its amendment layer are byte for byte what the builder makes now."""
    committed = (REPO / "frameworks" / eu_ai_act.OUTPUT).read_bytes()
    assert committed == turtle_bytes(graph)
    assert turtle_bytes(eu_ai_act.build(SOURCES)) == committed
    committed_layer = (REPO / "frameworks" / eu_ai_act.AMENDMENT_OUTPUT).read_bytes()
    assert committed_layer == turtle_bytes(layer)
    assert turtle_bytes(eu_ai_act.build_amendment_layer(SOURCES)) == committed_layer
    assert set(eu_ai_act.OUTPUTS) == {eu_ai_act.OUTPUT, eu_ai_act.AMENDMENT_OUTPUT}


@pytest.mark.skipif(not SHARED_FORMEX.is_dir(), reason="shared source-data folder not present")
def test_vendored_formex_files_are_identical_to_the_originals() -> None:
    """Every vendored Formex file is an unmodified copy of the shared original."""
    vendored = sorted(path.name for path in FORMEX.iterdir())
    assert vendored == sorted(eu_ai_act.FORMEX_FILES)
    for name in vendored:
        assert (FORMEX / name).read_bytes() == (SHARED_FORMEX / name).read_bytes(), name


# --- Curated crosswalk ---------------------------------------------------------------------------


def _records(crosswalk: Graph) -> list[URIRef]:
    return sorted(URIRef(str(s)) for s in crosswalk.subjects(RDF.type, RAI.CrosswalkMapping))


def test_crosswalk_endpoints_exist_and_have_rationales(graph: Graph, crosswalk: Graph) -> None:
    """Every curated pair joins an EU clause of the catalogue to one of the 72 AI RMF ids."""
    nist_ids = {
        line.strip() for line in NIST_IDS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert len(nist_ids) == 72
    eu_ids = clause_ids(graph)
    records = _records(crosswalk)
    assert len(records) == len(crosswalk_eu_nist.read_pairs(SOURCES)) > 50
    for record in records:
        source = str(crosswalk.value(record, RAI.mapsFrom))
        target = str(crosswalk.value(record, RAI.mapsTo))
        relation = crosswalk.value(record, RAI.mappingRelation)
        assert source.removeprefix(str(EUAIA)) in eu_ids, source
        assert target.removeprefix(str(NISTRMF)) in nist_ids, target
        assert relation in (SKOS.closeMatch, SKOS.relatedMatch)
        assert (URIRef(source), relation, URIRef(target)) in crosswalk
        assert crosswalk.value(record, RAI.curated) == Literal(True)
        assert len(str(crosswalk.value(record, RAI.rationale))) > 40
        assert str(crosswalk.value(record, DCTERMS.source)) == (
            "curated by the rai-graph project; no official article-level crosswalk exists"
        )


def test_crosswalk_covers_every_listed_high_risk_obligation(crosswalk: Graph) -> None:
    """Each obligation of Arts. 4, 9-15, 17, 26, 27, 72, 73 is mapped, itself or by a point."""
    mapped = {
        str(crosswalk.value(record, RAI.mapsFrom)).removeprefix(str(EUAIA))
        for record in _records(crosswalk)
    }
    listed = [
        name for name in eu_ai_act.OBLIGATION_CLAUSES
        if int(name.split("-")[0].removeprefix("Art")) in CROSSWALKED_ARTICLES
    ]
    unmapped = [
        name for name in listed
        if not any(m == name or m.startswith(f"{name}-") for m in mapped)
    ]
    assert len(listed) == 55  # Art. 10(5) is a permission, not an obligation; its pairs stay
    assert unmapped == []


def test_crosswalk_rejects_unknown_endpoints() -> None:
    """A curated pair naming a clause that does not exist stops the build."""
    pair = crosswalk_eu_nist.CuratedPair("Art9-99", "MAP 1.1", "skos:relatedMatch", "Because.")
    with pytest.raises(crosswalk_eu_nist.SourceDataError, match="Art9-99"):
        crosswalk_eu_nist.check_endpoints([pair], {"Art9-1"}, {"MAP 1.1"})


def test_committed_crosswalk_equals_a_fresh_build(crosswalk: Graph) -> None:
    """frameworks/crosswalk-eu-ai-act-nist-ai-rmf.ttl is byte for byte a fresh build."""
    committed = (REPO / "frameworks" / crosswalk_eu_nist.OUTPUT).read_bytes()
    assert committed == turtle_bytes(crosswalk)


@pytest.mark.parametrize(
    ("eu", "nist"), [("Art13-3", "MAP 2.2"), ("Art14-3", "MAP 3.5"), ("Art26-2", "GOVERN 3.2")]
)
def test_crosswalk_pairs_that_meet_only_part_of_the_eu_duty_are_related_not_close(
    crosswalk: Graph, eu: str, nist: str
) -> None:
    """Art. 13(3), 14(3) and 26(2) ask for more than the AI RMF outcome they were close-matched to
    (the full contents of the instructions, built-in measures, actual assignment of competent
    persons), so the pairs are skos:relatedMatch."""
    target = NISTRMF[nist.replace(" ", "-")]
    assert (EUAIA[eu], SKOS.relatedMatch, target) in crosswalk
    assert (EUAIA[eu], SKOS.closeMatch, target) not in crosswalk
