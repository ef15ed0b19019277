"""Applicability in law (data-model.md, "Extension: applicability in law"), judged through ``status``.

Each test writes requirements of the test framework with ``rai:appliesWhen`` conditions,
``rai:application`` dates and ``rai:transitional`` provisions, and a system with the facts they
test, then reads ``requirements`` (apply as of the date) and ``deferred`` (bind later) from the
status JSON. The rules are the spec's; the clause-by-clause EU AI Act encoding is tested in
``test_catalogue_eu_ai_act.py`` and, on the example organisation, in ``test_example_applicability.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pytest

from repo_builder import FRAMEWORK_IRI, GovernanceRepo, date, literal, tfw

if TYPE_CHECKING:
    from conftest import Cli

AS_OF = "2026-11-24"


def requirement(repo: GovernanceRepo, local: str, notation: str, *lines: str, tiers: str = "") -> None:
    """A test-framework requirement with extra Turtle property lines (``rai:appliesWhen [...]``)."""
    props = [f"    skos:inScheme <{FRAMEWORK_IRI}>", f"    skos:notation {literal(notation)}"]
    if tiers:
        props.append(f"    rai:appliesToTier {tiers}")
    props.extend(f"    {line}" for line in lines)
    repo.append_block("frameworks/test-fw.ttl", f"tfw:{local}",
                      f"tfw:{local} a rai:Requirement ;\n" + " ;\n".join(props) + " .\n")


def clause(repo: GovernanceRepo, local: str, notation: str, broader: str | None = None) -> None:
    """An informative clause (an Annex III point, say) systems and conditions can name."""
    extra = [f"    skos:broader tfw:{broader}"] if broader else []
    props = [f"    skos:inScheme <{FRAMEWORK_IRI}>", f"    skos:notation {literal(notation)}",
             "    rai:informative true", *extra]
    repo.append_block("frameworks/test-fw.ttl", f"tfw:{local}",
                      f"tfw:{local} a rai:Requirement ;\n" + " ;\n".join(props) + " .\n")


def system(repo: GovernanceRepo, *facts: tuple[str, str], tier: str = "HighRisk",
           roles: Sequence[str] = ("Provider",)) -> None:
    repo.add_system(tier=tier, roles=roles, extra=facts)


def standing(cli: Cli, repo: GovernanceRepo, local: str, as_of: str = AS_OF) -> tuple[str, dict[str, Any] | None]:
    """``applies``, ``deferred`` (with its JSON entry) or ``not-applicable`` for requirement ``local``."""
    data = cli.status(repo, as_of=as_of).system()
    iri = tfw(local)
    applying = [r for r in data["requirements"] if r["requirement"] == iri]
    deferred = [d for d in data["deferred"] if d["requirement"] == iri]
    assert not (applying and deferred), "a requirement is never both applicable and deferred"
    if applying:
        return "applies", applying[0]
    if deferred:
        return "deferred", deferred[0]
    return "not-applicable", None


@pytest.fixture
def areas(base_repo: GovernanceRepo) -> GovernanceRepo:
    """Annex III-like clauses: area 5 with points 5(b) and 5(c), and area 4 with 4(a)."""
    clause(base_repo, "AnnexIII", "Annex III")
    for area, points in (("5", ("b", "c")), ("4", ("a",)), ("2", ())):
        clause(base_repo, f"AnnexIII-{area}", f"Annex III({area})", "AnnexIII")
        for point in points:
            clause(base_repo, f"AnnexIII-{area}-{point}", f"Annex III({area})({point})", f"AnnexIII-{area}")
    clause(base_repo, "AnnexI-A", "Annex I, Section A")
    clause(base_repo, "AnnexI-5", "Annex I, Section A, point 5", "AnnexI-A")
    clause(base_repo, "Transition", "Art. 111(2)")
    return base_repo


# --- conditions (rai:appliesWhen) --------------------------------------------------------------


def test_a_condition_on_an_operator_characteristic_binds_only_operators_with_it(
    cli: Cli, areas: GovernanceRepo
) -> None:
    """``rai:appliesWhen [ rai:operatorCharacteristic rai:PublicAuthority ]`` does not bind a private
    deployer: the requirement is neither applicable nor deferred, so it is never a gap."""
    requirement(areas, "FRIA", "TF FRIA", "rai:appliesWhen [ rai:operatorCharacteristic rai:PublicAuthority ]")
    system(areas)
    assert standing(cli, areas, "FRIA")[0] == "not-applicable"


def test_the_same_condition_binds_an_operator_that_has_the_characteristic(
    cli: Cli, areas: GovernanceRepo
) -> None:
    """With ``rai:operatorCharacteristic rai:PublicAuthority`` on the system, the requirement applies."""
    requirement(areas, "FRIA", "TF FRIA", "rai:appliesWhen [ rai:operatorCharacteristic rai:PublicAuthority ]")
    system(areas, ("rai:operatorCharacteristic", "rai:PublicAuthority"))
    assert standing(cli, areas, "FRIA")[0] == "applies"


def test_an_annex_iii_area_condition_holds_for_points_below_it(cli: Cli, areas: GovernanceRepo) -> None:
    """A condition naming area 5 holds for a system in point 5(b) (the clause or below it)."""
    requirement(areas, "R5", "TF 5", "rai:appliesWhen [ rai:annexIIIArea tfw:AnnexIII-5 ]")
    system(areas, ("rai:annexIIIArea", "tfw:AnnexIII-5-b"))
    assert standing(cli, areas, "R5")[0] == "applies"


def test_an_annex_iii_area_condition_does_not_hold_for_another_area(cli: Cli, areas: GovernanceRepo) -> None:
    """A condition naming points 5(b) and 5(c) does not hold for a system in 4(a), nor for one
    that names only the broader area 5 (the system's area must be the clause or below it)."""
    requirement(areas, "R5", "TF 5", "rai:appliesWhen [ rai:annexIIIArea tfw:AnnexIII-5-b , tfw:AnnexIII-5-c ]")
    system(areas, ("rai:annexIIIArea", "tfw:AnnexIII-4-a"))
    assert standing(cli, areas, "R5")[0] == "not-applicable"


def test_every_property_of_one_condition_must_hold(cli: Cli, areas: GovernanceRepo) -> None:
    """``[ characteristic PublicAuthority ; route AnnexIIIRoute ]`` needs both: a public authority
    with no Annex III area is not bound."""
    requirement(areas, "R", "TF R",
                "rai:appliesWhen [ rai:operatorCharacteristic rai:PublicAuthority ; rai:route rai:AnnexIIIRoute ]")
    system(areas, ("rai:operatorCharacteristic", "rai:PublicAuthority"))
    assert standing(cli, areas, "R")[0] == "not-applicable"


def test_any_one_of_several_conditions_suffices(cli: Cli, areas: GovernanceRepo) -> None:
    """Two ``rai:appliesWhen`` nodes (public bodies; or Annex III 5(b)): a private lender in 5(b)
    is bound by the second."""
    requirement(areas, "R", "TF R",
                "rai:appliesWhen [ rai:operatorCharacteristic rai:PublicAuthority ; rai:route rai:AnnexIIIRoute ] ,"
                " [ rai:annexIIIArea tfw:AnnexIII-5-b ]")
    system(areas, ("rai:annexIIIArea", "tfw:AnnexIII-5-b"))
    assert standing(cli, areas, "R")[0] == "applies"


def test_a_function_condition_binds_whatever_the_tier(cli: Cli, areas: GovernanceRepo) -> None:
    """A requirement with no tier and a function condition binds a minimal-risk system that
    interacts with people, and not one that does not."""
    requirement(areas, "R", "TF R", "rai:appliesWhen [ rai:function rai:InteractsWithNaturalPersons ]")
    system(areas, ("rai:function", "rai:InteractsWithNaturalPersons"), tier="MinimalRisk")
    assert standing(cli, areas, "R")[0] == "applies"


def test_a_requirement_with_no_tier_no_role_and_no_condition_binds_every_system(
    cli: Cli, areas: GovernanceRepo
) -> None:
    """Like the Art. 5(1) prohibitions: it binds a minimal-risk deployer too."""
    requirement(areas, "P", "TF P")
    system(areas, tier="MinimalRisk", roles=("Deployer",))
    assert standing(cli, areas, "P")[0] == "applies"


def test_a_route_condition_follows_from_the_systems_facts(cli: Cli, areas: GovernanceRepo) -> None:
    """``rai:route rai:AnnexIRoute`` holds for a system with an ``rai:annexIProduct``."""
    requirement(areas, "R", "TF R", "rai:appliesWhen [ rai:annexIProduct tfw:AnnexI-A ]")
    system(areas, ("rai:annexIProduct", "tfw:AnnexI-5"))
    assert standing(cli, areas, "R")[0] == "applies"


# --- dates (rai:appliesFrom, rai:application) --------------------------------------------------------


def test_a_requirement_whose_date_has_not_come_is_deferred_with_that_date(cli: Cli, areas: GovernanceRepo) -> None:
    """``rai:appliesFrom`` after the as-of date: deferred, ``applies_from`` is the date."""
    requirement(areas, "R", "TF R", f"rai:appliesFrom {date('2027-12-02')}")
    system(areas)
    state, entry = standing(cli, areas, "R")
    assert state == "deferred"
    assert entry is not None
    assert entry["applies_from"] == "2027-12-02"
    assert "2027-12-02" in entry["reason"]


def test_the_date_for_the_systems_route_decides(cli: Cli, areas: GovernanceRepo) -> None:
    """Dates by route (as Art. 113 as amended): an Annex I product system gets the Annex I date,
    an Annex III system the Annex III one; the reason names the route and the source."""
    lines = (
        f"rai:appliesFrom {date('2027-12-02')}",
        f"rai:application [ rai:appliesFrom {date('2027-12-02')} ; rai:route rai:AnnexIIIRoute ;"
        ' dcterms:source "Art. 113 as amended by 2026/1744" ] ,'
        f" [ rai:appliesFrom {date('2028-08-02')} ; rai:route rai:AnnexIRoute ;"
        ' dcterms:source "Art. 113 as amended by 2026/1744" ]',
    )
    requirement(areas, "R", "TF R", *lines)
    system(areas, ("rai:annexIProduct", "tfw:AnnexI-5"))
    state, entry = standing(cli, areas, "R")
    assert (state, entry and entry["applies_from"]) == ("deferred", "2028-08-02")
    assert entry is not None
    assert entry["reason"] == "Annex I route: from 2028-08-02 (Art. 113 as amended by 2026/1744)"


def test_a_date_for_systems_placed_before_a_day_holds_only_for_them(cli: Cli, areas: GovernanceRepo) -> None:
    """Like Art. 50(2) with new Art. 111(4): systems placed on the market before 2026-08-02 have
    until 2026-12-02; a system placed later is bound from the general date."""
    lines = (
        f"rai:appliesFrom {date('2026-08-02')}",
        f"rai:application [ rai:appliesFrom {date('2026-12-02')} ; rai:placedBefore {date('2026-08-02')} ;"
        ' dcterms:source "Art. 111(4)" ]',
    )
    requirement(areas, "R", "TF R", *lines)
    system(areas, ("rai:placedOnMarket", date("2026-03-01")), tier="LimitedRisk")
    state, entry = standing(cli, areas, "R")
    assert (state, entry and entry["applies_from"]) == ("deferred", "2026-12-02")
    assert standing(cli, areas, "R", as_of="2026-12-02")[0] == "applies"


def test_a_system_placed_after_that_day_is_bound_from_the_general_date(cli: Cli, areas: GovernanceRepo) -> None:
    """The ``rai:placedBefore`` node does not match a system placed on 2026-09-01."""
    requirement(areas, "R", "TF R", f"rai:appliesFrom {date('2026-08-02')}",
                f"rai:application [ rai:appliesFrom {date('2026-12-02')} ; rai:placedBefore {date('2026-08-02')} ;"
                ' dcterms:source "Art. 111(4)" ]')
    system(areas, ("rai:placedOnMarket", date("2026-09-01")), tier="LimitedRisk")
    assert standing(cli, areas, "R")[0] == "applies"


# --- the transition of Art. 111(2) --------------------------------------------------------------------


def transitional(repo: GovernanceRepo, start: str = "2027-12-02") -> None:
    """A high-risk duty suspended for systems in service (Art. 111(2)-like), public bodies by 2030-08-02."""
    repo.append_block("frameworks/test-fw.ttl", "tfw:Transition",
                      "tfw:Transition rai:transitionEnds [ rai:appliesFrom " + date("2030-08-02") + " ;\n"
                      "    rai:appliesWhen [ rai:operatorCharacteristic rai:PublicAuthority ] ;\n"
                      '    dcterms:source "Art. 111(2)" ] .\n')
    requirement(repo, "HR", "TF HR", f"rai:appliesFrom {date(start)}", "rai:transitional tfw:Transition",
                tiers="rai:HighRisk")


def test_a_system_in_service_before_the_date_is_bound_only_after_a_significant_change(
    cli: Cli, areas: GovernanceRepo
) -> None:
    """Art. 111(2): placed on the market 2026-07-20, no significant change: deferred with
    ``applies_from`` null and the reason says why."""
    transitional(areas)
    system(areas, ("rai:placedOnMarket", date("2026-07-20")))
    state, entry = standing(cli, areas, "HR", as_of="2028-01-01")
    assert state == "deferred"
    assert entry is not None
    assert entry["applies_from"] is None
    assert entry["reason"] == "in service since 2026-07-20: bound only after a significant change (Art. 111(2))"


def test_public_authorities_must_comply_by_the_transitions_deadline(cli: Cli, areas: GovernanceRepo) -> None:
    """Art. 111(2), second sentence: a public authority's system in service is bound from 2030-08-02."""
    transitional(areas)
    system(areas, ("rai:placedOnMarket", date("2026-07-20")), ("rai:operatorCharacteristic", "rai:PublicAuthority"))
    state, entry = standing(cli, areas, "HR", as_of="2028-01-01")
    assert (state, entry and entry["applies_from"]) == ("deferred", "2030-08-02")
    assert standing(cli, areas, "HR", as_of="2030-08-02")[0] == "applies"


def test_a_significant_change_after_the_date_binds_from_the_change(cli: Cli, areas: GovernanceRepo) -> None:
    """A significant change on 2028-03-01 (after the 2027-12-02 date) ends the suspension from that day."""
    transitional(areas)
    system(areas, ("rai:placedOnMarket", date("2026-07-20")), ("rai:significantChange", date("2028-03-01")))
    state, entry = standing(cli, areas, "HR", as_of="2028-01-01")
    assert (state, entry and entry["applies_from"]) == ("deferred", "2028-03-01")
    assert standing(cli, areas, "HR", as_of="2028-03-01")[0] == "applies"


def test_a_significant_change_before_the_date_does_not_end_the_suspension(cli: Cli, areas: GovernanceRepo) -> None:
    """Art. 111(2) counts only changes "as from that date": one in 2027 leaves the system exempt."""
    transitional(areas)
    system(areas, ("rai:placedOnMarket", date("2026-07-20")), ("rai:significantChange", date("2027-03-01")))
    state, entry = standing(cli, areas, "HR", as_of="2028-01-01")
    assert (state, entry and entry["applies_from"]) == ("deferred", None)


def test_a_system_placed_after_the_date_is_not_in_transition(cli: Cli, areas: GovernanceRepo) -> None:
    """Placed on the market 2028-01-01 (after the date): the obligation binds it from the start."""
    transitional(areas)
    system(areas, ("rai:placedOnMarket", date("2028-01-01")))
    assert standing(cli, areas, "HR", as_of="2028-02-01")[0] == "applies"


# --- deferred requirements are never gaps ------------------------------------------------------------


def test_a_deferred_requirement_is_not_counted_as_a_gap(cli: Cli, areas: GovernanceRepo) -> None:
    """A deferred requirement no control satisfies is not in ``requirements`` (so never
    "unmapped"), and the check reports no gap for it; it is listed as deferred with the coverage
    it would have today."""
    requirement(areas, "Later", "TF Later", f"rai:appliesFrom {date('2027-12-02')}")
    system(areas)
    state, entry = standing(cli, areas, "Later")
    assert state == "deferred"
    assert entry is not None
    assert entry["state"] == "unmapped"
    data = cli.status(areas, as_of=AS_OF).system()
    assert tfw("Later") not in {r["requirement"] for r in data["requirements"]}


def test_a_deferred_requirement_with_a_met_control_counts_as_already_met(cli: Cli, areas: GovernanceRepo) -> None:
    """The deferred entry carries the coverage its controls give today ("already met")."""
    requirement(areas, "Later", "TF Later", f"rai:appliesFrom {date('2027-12-02')}")
    areas.add_control("CTRL-L", "TC-L", satisfies=("Later",))
    system(areas)
    areas.add_evidence("later", implements=("CTRL-L",), generated="2026-06-01")
    state, entry = standing(cli, areas, "Later")
    assert state == "deferred"
    assert entry is not None
    assert entry["state"] == "covered"


# --- controls with conditions ------------------------------------------------------------------------------


def test_a_control_with_a_condition_binds_only_systems_that_meet_it(cli: Cli, areas: GovernanceRepo) -> None:
    """A FRIA control carrying the FRIA condition has no pair for a private employer's system and
    one for a 5(b) lender's."""
    areas.add_control("CTRL-FRIA", "TC-FRIA", extra=(
        ("rai:appliesWhen", "[ rai:annexIIIArea tfw:AnnexIII-5-b , tfw:AnnexIII-5-c ]"),))
    areas.add_system("cv-screening", "CvScreening", extra=(("rai:annexIIIArea", "tfw:AnnexIII-4-a"),))
    areas.add_system("lending", "Lending", extra=(("rai:annexIIIArea", "tfw:AnnexIII-5-b"),))
    status = cli.status(areas, as_of=AS_OF)
    assert status.control("CTRL-FRIA", "cv-screening") is None
    assert status.status_of("CTRL-FRIA", "lending") == "missing"


def test_an_organisation_control_with_a_condition_covers_only_the_systems_it_binds(
    cli: Cli, areas: GovernanceRepo
) -> None:
    """An organisation-scope control limited to public authorities does not count towards a
    private operator's coverage: the requirement it alone satisfies is unmapped for that system."""
    requirement(areas, "Org", "TF Org")
    areas.add_control("CTRL-ORG", "TC-ORG", satisfies=("Org",), organisation_scope=True, extra=(
        ("rai:appliesWhen", "[ rai:operatorCharacteristic rai:PublicAuthority ]"),))
    system(areas)
    state, entry = standing(cli, areas, "Org")
    assert (state, entry and entry["state"]) == ("applies", "unmapped")
