"""Whom each obligation of the EU AI Act binds, and under which conditions: the reviewed table.

:data:`OBLIGATIONS` names every clause that puts a duty on an operator, with the risk tiers
(``rai:appliesToTier``, none = every tier) and operator roles (``rai:appliesToRole``, none = every
role) it binds, the machine-readable conditions (``rai:appliesWhen``) under which it binds them, a
human scope note where it binds only some, and ``basis``: words of the clause's official text the
assignment rests on (the tests check they occur in the Formex text of that clause). Each decision
is written down with its reasons in ``frameworks/sources/eu-ai-act/APPLICABILITY.md``.

Conditions (``rai:appliesWhen``): within one :class:`Condition` every given property must hold and
any one listed value of a property suffices; of several conditions any one suffices. Annex
clauses are named by local name and hold for a system whose Annex III area (or Annex I product) is
that clause or lies below it. There is no negation, so "Annex III except point 2" lists points 1
and 3 to 8.

The unit is the numbered paragraph, or the article itself when it has no numbered paragraphs
(Art. 4, Art. 16); its points are parts of that obligation and reach it by ``skos:broader``.
Left informative: definitions and scope, classification rules (Art. 6(1)-(3)), permissions ("may",
Art. 10(5)), exemptions and scope limits, "without prejudice" clauses, tasks of the Commission, the
AI Office, the Board, Member States and authorities, the measures in support of innovation
(Arts. 57-63, binding only organisations that choose them) and duties that follow from
enforcement actions (Arts. 74-84, 91-92).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import URIRef

from rai_graph.vocab import RAI


@dataclass(frozen=True)
class Condition:
    """One ``rai:appliesWhen`` node: every given property must hold, any listed value suffices."""

    annex_iii: tuple[str, ...] = ()
    """Local names of Annex III clauses (``AnnexIII-5-b``); the system's area is one or below one."""
    annex_i: tuple[str, ...] = ()
    """Local names of Annex I clauses (``AnnexI-A``, ``AnnexI-11``); likewise for its product."""
    functions: tuple[URIRef, ...] = ()
    characteristics: tuple[URIRef, ...] = ()
    routes: tuple[URIRef, ...] = ()


@dataclass(frozen=True)
class Applicability:
    """Whom an obligation binds: tiers and roles (empty = all), conditions (any one), and why."""

    tiers: tuple[URIRef, ...] = ()
    roles: tuple[URIRef, ...] = ()
    conditions: tuple[Condition, ...] = ()
    scope: str | None = None
    """The human scope note (``skos:scopeNote``), kept beside the machine-readable conditions."""
    basis: tuple[str, ...] = ()
    """Words of the clause's official text that the tiers, roles and conditions rest on."""
    basis_from: str | None = None
    """Another clause whose text holds some of the ``basis`` words: the one this clause refers to."""


_HR = (RAI.HighRisk,)
_NOT_HIGH_RISK = (RAI.LimitedRisk, RAI.MinimalRisk)
_P = (RAI.Provider,)
_D = (RAI.Deployer,)
_GPAI = (RAI.GeneralPurposeModelProvider,)
_AR = (RAI.AuthorisedRepresentative,)

ANNEX_III_POINTS = tuple(f"AnnexIII-{number}" for number in range(1, 9))
#: Annex III other than its point 2 (critical infrastructure), which several duties leave out.
ANNEX_III_EXCEPT_POINT_2 = tuple(point for point in ANNEX_III_POINTS if point != "AnnexIII-2")

_ANNEX_III = Condition(annex_iii=("AnnexIII",))
_ANNEX_III_1_A = Condition(annex_iii=("AnnexIII-1-a",))
_ANNEX_I_SECTION_A = Condition(annex_i=("AnnexI-A",))
_FINANCIAL_INSTITUTION = Condition(characteristics=(RAI.FinancialInstitution,))
_THIRD_COUNTRY_PROVIDER = Condition(characteristics=(RAI.ThirdCountryProvider,))
_REAL_TIME_RBI_FOR_LAW_ENFORCEMENT = Condition(
    functions=(RAI.RealTimeRemoteBiometricIdentification,),
    characteristics=(RAI.LawEnforcementAuthority,),
)
_SYSTEMIC_RISK_PROVIDER = Condition(characteristics=(RAI.SystemicRiskModelProvider,))
_ALL_FUNCTIONS_OF_ART_50 = (
    RAI.InteractsWithNaturalPersons,
    RAI.GeneratesSyntheticContent,
    RAI.EmotionRecognition,
    RAI.BiometricCategorisation,
    RAI.GeneratesDeepFakes,
    RAI.GeneratesPublicInterestText,
)

_NOT_HIGH_RISK_ANNEX_III = (
    "Only for an AI system referred to in Annex III that its provider has assessed as not "
    "high-risk under Art. 6(3) (a system recorded with an Annex III area and a limited or minimal "
    "risk tier)."
)
_FINANCIAL_PROVIDERS = (
    "Only for providers that are financial institutions subject to Union financial services law "
    "on internal governance."
)
_THIRD_COUNTRY = "Only for providers established in third countries."
_AUTHORISED_REPRESENTATIVE = (
    "Binds the authorised representative that a provider established in a third country appoints "
    "(Art. 3(5))."
)
_REAL_TIME_RBI = (
    "Only for the use of 'real-time' remote biometric identification systems in publicly "
    "accessible spaces for the purposes of law enforcement, under the exceptions of Art. 5(1), "
    "first subparagraph, point (h); not a duty of high-risk deployers in general."
)
_FRIA = (
    "Fundamental rights impact assessment: only for deployers that are bodies governed by public "
    "law or private entities providing public services, deploying a high-risk AI system referred "
    "to in Art. 6(2) other than in Annex III point 2, and for deployers of the high-risk AI "
    "systems referred to in Annex III points 5(b) and (c)."
)
_FRIA_CONDITIONS = (
    Condition(
        annex_iii=ANNEX_III_EXCEPT_POINT_2,
        characteristics=(RAI.PublicAuthority, RAI.PublicServiceProvider),
    ),
    Condition(annex_iii=("AnnexIII-5-b", "AnnexIII-5-c")),
)
_FRIA_BASIS = (
    "Prior to deploying a high-risk AI system referred to in Article 6(2), with the exception of "
    "high-risk AI systems intended to be used in the area listed in point 2 of Annex III, "
    "deployers that are bodies governed by public law, or are private entities providing public "
    "services, and deployers of high-risk AI systems referred to in points 5 (b) and (c) of "
    "Annex III, shall perform an assessment",
)
_SYSTEMIC_RISK = (
    "Only for providers of general-purpose AI models with systemic risk (classified under Art. 51)."
)
_ANNEX_I_SECTION_A_NOTE = (
    "Only for high-risk AI systems that are, or are safety components of, products covered by the "
    "Union harmonisation legislation listed in Annex I Section A."
)


def _each(names: Iterable[str], applicability: Applicability) -> dict[str, Applicability]:
    return dict.fromkeys(names, applicability)


def _paragraphs(article: int, *numbers: int) -> list[str]:
    return [f"Art{article}-{number}" for number in numbers]


def _provider(*basis: str) -> Applicability:
    return Applicability(_HR, _P, basis=basis)


def _deployer(*basis: str) -> Applicability:
    return Applicability(_HR, _D, basis=basis)


#: The obligation-bearing clauses and whom they bind (reviewed against the text, clause by clause).
OBLIGATIONS: Mapping[str, Applicability] = {
    # Chapter I: AI literacy binds providers and deployers of every AI system, whatever its tier.
    "Art4": Applicability(
        (), (RAI.Provider, RAI.Deployer), basis=("Providers and deployers of AI systems shall take measures",)
    ),
    # Chapter II: the prohibitions bind every operator of every system, whatever its tier;
    # paras 2-4 condition the law-enforcement use of real-time remote biometric identification.
    "Art5-1": Applicability(
        scope="Binds every operator of every AI system, whatever its risk tier: the practices may "
        "be neither placed on the market, nor put into service, nor used.",
        basis=(
            "The following AI practices shall be prohibited: (a) the placing on the market, the "
            "putting into service or the use of an AI system",
        ),
    ),
    "Art5-2": Applicability(
        (), _D, (_REAL_TIME_RBI_FOR_LAW_ENFORCEMENT,), _REAL_TIME_RBI,
        ("The use of ‘real-time’ remote biometric identification systems in publicly accessible "
         "spaces for the purposes of law enforcement",),
    ),
    "Art5-3": Applicability(
        (), _D, (_REAL_TIME_RBI_FOR_LAW_ENFORCEMENT,), _REAL_TIME_RBI,
        ("each use for the purposes of law enforcement of a ‘real-time’ remote biometric "
         "identification system in publicly accessible spaces shall be subject to a prior "
         "authorisation",),
    ),
    "Art5-4": Applicability(
        (), _D, (_REAL_TIME_RBI_FOR_LAW_ENFORCEMENT,), _REAL_TIME_RBI,
        ("each use of a ‘real-time’ remote biometric identification system in publicly accessible "
         "spaces for law enforcement purposes shall be notified",),
    ),
    # Chapter III Section 1: paras 1-3 are classification rules, 5-8 tasks of the Commission.
    "Art6-4": Applicability(
        _NOT_HIGH_RISK, _P, (_ANNEX_III,), _NOT_HIGH_RISK_ANNEX_III,
        ("A provider who considers that an AI system referred to in Annex III is not high-risk "
         "shall document its assessment",),
    ),
    # Chapter III Section 2: requirements for high-risk AI systems, met by their provider.
    # Left out: 9(3) scope of the risks, 9(7) and 9(10) permissions, 10(5) permission, 10(6)
    # scope, 11(3) and 15(2) Commission tasks.
    "Art8-1": _provider("High-risk AI systems shall comply with the requirements laid down in this Section"),
    "Art8-2": Applicability(
        _HR, _P, (_ANNEX_I_SECTION_A,), _ANNEX_I_SECTION_A_NOTE,
        ("Where a product contains an AI system, to which the requirements of this Regulation as "
         "well as requirements of the Union harmonisation legislation listed in Section A of "
         "Annex I apply, providers shall be responsible",),
    ),
    "Art9-1": _provider("A risk management system shall be established, implemented, documented and maintained "
                        "in relation to high-risk AI systems"),
    "Art9-2": _provider("throughout the entire lifecycle of a high-risk AI system"),
    "Art9-4": _provider("The risk management measures referred to in paragraph 2, point (d), shall give due "
                        "consideration"),
    "Art9-5": _provider("of the high-risk AI systems is judged to be acceptable"),
    "Art9-6": _provider("High-risk AI systems shall be tested"),
    "Art9-8": _provider("The testing of high-risk AI systems shall be performed"),
    "Art9-9": _provider("providers shall give consideration to whether in view of its intended purpose the "
                        "high-risk AI system is likely to have an adverse impact on persons under the age of 18"),
    "Art10-1": _provider("High-risk AI systems which make use of techniques involving the training of AI models "
                         "with data shall be developed on the basis of training, validation and testing data sets"),
    "Art10-2": _provider("appropriate for the intended purpose of the high-risk AI system"),
    "Art10-3": _provider("Training, validation and testing data sets shall be relevant, sufficiently "
                         "representative"),
    "Art10-4": _provider("the high-risk AI system is intended to be used"),
    "Art11-1": _provider("The technical documentation of a high-risk AI system shall be drawn up before that "
                         "system is placed on the market or put into service"),
    "Art11-2": Applicability(
        _HR, _P, (_ANNEX_I_SECTION_A,), _ANNEX_I_SECTION_A_NOTE,
        ("Where a high-risk AI system related to a product covered by the Union harmonisation "
         "legislation listed in Section A of Annex I is placed on the market or put into service, "
         "a single set of technical documentation shall be drawn up",),
    ),
    "Art12-1": _provider("High-risk AI systems shall technically allow for the automatic recording of events"),
    "Art12-2": _provider("logging capabilities shall enable the recording of events"),
    "Art12-3": Applicability(
        _HR, _P, (_ANNEX_III_1_A,), "Only for the high-risk AI systems in Annex III point 1(a).",
        ("For high-risk AI systems referred to in point 1 (a), of Annex III, the logging "
         "capabilities shall provide, at a minimum",),
    ),
    "Art13-1": _provider("High-risk AI systems shall be designed and developed in such a way as to ensure that "
                         "their operation is sufficiently transparent"),
    "Art13-2": _provider("High-risk AI systems shall be accompanied by instructions for use"),
    "Art13-3": _provider("The instructions for use shall contain at least the following information"),
    "Art14-1": _provider("High-risk AI systems shall be designed and developed in such a way"),
    "Art14-2": _provider("when a high-risk AI system is used in accordance with its intended purpose"),
    "Art14-3": _provider("measures identified and built, when technically feasible, into the high-risk AI "
                         "system by the provider"),
    "Art14-4": _provider("the high-risk AI system shall be provided to the deployer in such a way"),
    "Art14-5": Applicability(
        _HR, _P, (_ANNEX_III_1_A,), "Only for the high-risk AI systems in Annex III point 1(a).",
        ("For high-risk AI systems referred to in point 1(a) of Annex III, the measures referred "
         "to in paragraph 3 of this Article shall be such as to ensure",),
    ),
    "Art15-1": _provider("High-risk AI systems shall be designed and developed in such a way that they achieve "
                         "an appropriate level of accuracy, robustness, and cybersecurity"),
    "Art15-3": _provider("The levels of accuracy and the relevant accuracy metrics of high-risk AI systems "
                         "shall be declared"),
    "Art15-4": _provider("High-risk AI systems shall be as resilient as possible"),
    "Art15-5": _provider("High-risk AI systems shall be resilient against attempts by unauthorised third parties"),
    # Chapter III Section 3: obligations of providers, deployers and other parties.
    # Left out: 17(3) permission, 17(4) deemed compliance, 18(2) Member States, 21(3)
    # authorities, 25(5) without prejudice, 26(3) without prejudice, 27(5) AI Office.
    "Art16": _provider("Providers of high-risk AI systems shall"),
    "Art17-1": _provider("Providers of high-risk AI systems shall put a quality management system in place"),
    "Art17-2": _provider("Providers shall, in any event, respect the degree of rigour"),
    "Art18-1": _provider("The provider shall, for a period ending 10 years after the high-risk AI system has "
                         "been placed on the market or put into service, keep at the disposal"),
    "Art18-3": Applicability(
        _HR, _P, (_FINANCIAL_INSTITUTION,), _FINANCIAL_PROVIDERS,
        ("Providers that are financial institutions subject to requirements regarding their "
         "internal governance, arrangements or processes under Union financial services law shall "
         "maintain the technical documentation",),
    ),
    "Art19-1": _provider("Providers of high-risk AI systems shall keep the logs"),
    "Art19-2": Applicability(
        _HR, _P, (_FINANCIAL_INSTITUTION,), _FINANCIAL_PROVIDERS,
        ("Providers that are financial institutions subject to requirements regarding their "
         "internal governance, arrangements or processes under Union financial services law shall "
         "maintain the logs",),
    ),
    "Art20-1": _provider("Providers of high-risk AI systems which consider or have reason to consider"),
    "Art20-2": _provider("the provider becomes aware of that risk, it shall immediately investigate the causes"),
    "Art21-1": _provider("Providers of high-risk AI systems shall, upon a reasoned request by a competent "
                         "authority, provide"),
    "Art21-2": _provider("providers shall also give the requesting competent authority"),
    "Art22-1": Applicability(
        _HR, _P, (_THIRD_COUNTRY_PROVIDER,), _THIRD_COUNTRY,
        ("providers established in third countries shall, by written mandate, appoint an "
         "authorised representative",),
    ),
    "Art22-2": Applicability(
        _HR, _P, (_THIRD_COUNTRY_PROVIDER,), _THIRD_COUNTRY,
        ("The provider shall enable its authorised representative to perform the tasks",),
    ),
    "Art22-3": Applicability(
        _HR, _AR, scope=_AUTHORISED_REPRESENTATIVE,
        basis=("The authorised representative shall perform the tasks specified in the mandate",),
    ),
    "Art22-4": Applicability(
        _HR, _AR, scope=_AUTHORISED_REPRESENTATIVE,
        basis=("The authorised representative shall terminate the mandate",),
    ),
    **{
        f"Art23-{number}": Applicability(_HR, (RAI.Importer,), basis=(words,))
        for number, words in enumerate(
            (
                "importers shall ensure that the system is in conformity",
                "Where an importer has sufficient reason to consider",
                "Importers shall indicate their name",
                "Importers shall ensure that, while a high-risk AI system is under their responsibility",
                "Importers shall keep",
                "Importers shall provide the relevant competent authorities",
                "Importers shall cooperate with the relevant competent authorities",
            ),
            start=1,
        )
    },
    **{
        f"Art24-{number}": Applicability(_HR, (RAI.Distributor,), basis=(words,))
        for number, words in enumerate(
            (
                "distributors shall verify that it bears the required CE marking",
                "Where a distributor considers or has reason to consider",
                "Distributors shall ensure that, while a high-risk AI system is under their responsibility",
                "A distributor that considers or has reason to consider",
                "distributors of a high-risk AI system shall provide that authority",
                "Distributors shall cooperate with the relevant competent authorities",
            ),
            start=1,
        )
    },
    "Art25-1": Applicability(
        _HR,
        (RAI.Importer, RAI.Distributor, RAI.Deployer),
        scope="When one of the listed circumstances occurs, the distributor, importer, deployer or "
        "other third party becomes the provider and takes on the obligations of Art. 16.",
        basis=("Any distributor, importer, deployer or other third-party shall be considered to be "
               "a provider of a high-risk AI system",),
    ),
    "Art25-2": Applicability(
        _HR, _P, scope="Binds the provider that initially placed the AI system on the market.",
        basis=("That initial provider shall closely cooperate with new providers",),
    ),
    "Art25-3": Applicability(
        _HR,
        (RAI.ProductManufacturer,),
        (_ANNEX_I_SECTION_A,),
        "Binds the manufacturer of a product covered by Annex I Section A legislation whose safety "
        "component is the high-risk AI system: it is considered the provider.",
        ("In the case of high-risk AI systems that are safety components of products covered by "
         "the Union harmonisation legislation listed in Section A of Annex I, the product "
         "manufacturer shall be considered to be the provider",),
    ),
    "Art25-4": Applicability(
        _HR, _P, scope="Binds the provider and the third parties that supply it (written agreement).",
        basis=("The provider of a high-risk AI system and the third party that supplies an AI system",),
    ),
    "Art26-1": _deployer("Deployers of high-risk AI systems shall take appropriate technical and organisational "
                         "measures"),
    "Art26-2": _deployer("Deployers shall assign human oversight to natural persons"),
    "Art26-4": _deployer("that deployer shall ensure that input data is relevant"),
    "Art26-5": _deployer("Deployers shall monitor the operation of the high-risk AI system"),
    "Art26-6": _deployer("Deployers of high-risk AI systems shall keep the logs"),
    "Art26-7": Applicability(
        _HR, _D, (Condition(characteristics=(RAI.Employer,)),),
        "Only for deployers who are employers, before putting into service or using the system at "
        "the workplace.",
        ("Before putting into service or using a high-risk AI system at the workplace, deployers "
         "who are employers shall inform workers’ representatives",),
    ),
    "Art26-8": Applicability(
        _HR, _D, (Condition(characteristics=(RAI.PublicAuthority,)),),
        "Only for deployers that are public authorities or Union institutions, bodies, offices or "
        "agencies.",
        ("Deployers of high-risk AI systems that are public authorities, or Union institutions, "
         "bodies, offices or agencies shall comply with the registration obligations",),
    ),
    "Art26-9": _deployer("deployers of high-risk AI systems shall use the information provided under Article 13"),
    "Art26-10": Applicability(
        _HR, _D, (Condition(functions=(RAI.PostRemoteBiometricIdentification,)),),
        "Only for deployers of high-risk AI systems for post-remote biometric identification: the "
        "authorisation in the framework of criminal investigations, and, regardless of the purpose "
        "or deployer, the documentation of each use and the annual reports.",
        ("the deployer of a high-risk AI system for post-remote biometric identification shall "
         "request an authorisation",
         "Regardless of the purpose or deployer, each use of such high-risk AI systems shall be "
         "documented"),
    ),
    "Art26-11": Applicability(
        _HR, _D, (_ANNEX_III,),
        "Only for deployers of Annex III systems that make or assist in making decisions related "
        "to natural persons.",
        ("deployers of high-risk AI systems referred to in Annex III that make decisions or assist "
         "in making decisions related to natural persons shall inform the natural persons",),
    ),
    "Art26-12": _deployer("Deployers shall cooperate with the relevant competent authorities"),
    "Art27-1": Applicability(_HR, _D, _FRIA_CONDITIONS, _FRIA, _FRIA_BASIS),
    "Art27-2": Applicability(
        _HR, _D, _FRIA_CONDITIONS, _FRIA,
        ("The obligation laid down in paragraph 1 applies to the first use", *_FRIA_BASIS), "Art27-1",
    ),
    "Art27-3": Applicability(
        _HR, _D, _FRIA_CONDITIONS, _FRIA,
        ("Once the assessment referred to in paragraph 1 of this Article has been performed, the "
         "deployer shall notify the market surveillance authority", *_FRIA_BASIS),
        "Art27-1",
    ),
    "Art27-4": Applicability(
        _HR, _D, _FRIA_CONDITIONS, _FRIA,
        ("the fundamental rights impact assessment referred to in paragraph 1 of this Article shall "
         "complement that data protection impact assessment", *_FRIA_BASIS),
        "Art27-1",
    ),
    # Chapter III Section 5: conformity assessment, declaration, CE marking, registration.
    # Left out: 43(5), 43(6) and 47(5) Commission empowerments.
    "Art43-1": Applicability(
        _HR, _P, (Condition(annex_iii=("AnnexIII-1",)),),
        "Only for the high-risk AI systems in Annex III point 1 (biometrics).",
        ("For high-risk AI systems listed in point 1 of Annex III",),
    ),
    "Art43-2": Applicability(
        _HR, _P, (Condition(annex_iii=ANNEX_III_POINTS[1:]),),
        "Only for the high-risk AI systems in Annex III points 2 to 8.",
        ("For high-risk AI systems referred to in points 2 to 8 of Annex III, providers shall "
         "follow the conformity assessment procedure based on internal control",),
    ),
    "Art43-3": Applicability(
        _HR, _P, (_ANNEX_I_SECTION_A,), _ANNEX_I_SECTION_A_NOTE,
        ("For high-risk AI systems covered by the Union harmonisation legislation listed in "
         "Section A of Annex I, the provider shall follow the relevant conformity assessment "
         "procedure",),
    ),
    "Art43-4": _provider("shall undergo a new conformity assessment procedure in the event of a substantial "
                         "modification"),
    "Art47-1": _provider("The provider shall draw up a written machine readable, physical or electronically "
                         "signed EU declaration of conformity"),
    "Art47-2": _provider("The EU declaration of conformity shall state that the high-risk AI system concerned "
                         "meets the requirements"),
    "Art47-3": Applicability(
        _HR, _P, (_ANNEX_I_SECTION_A,),
        "Only where the high-risk AI system is also subject to other Union harmonisation "
        "legislation requiring an EU declaration of conformity: encoded as Annex I Section A, the "
        "only such legislation a system fact records (Art. 2(2) leaves Section B products outside).",
        ("Where high-risk AI systems are subject to other Union harmonisation legislation which "
         "also requires an EU declaration of conformity, a single EU declaration of conformity "
         "shall be drawn up",),
    ),
    "Art47-4": _provider("the provider shall assume responsibility for compliance"),
    "Art48-1": _provider("The CE marking shall be subject to the general principles"),
    "Art48-2": _provider("For high-risk AI systems provided digitally, a digital CE marking shall be used"),
    "Art48-3": _provider("The CE marking shall be affixed visibly, legibly and indelibly for high-risk AI systems"),
    "Art48-4": Applicability(
        _HR, _P, (Condition(annex_iii=("AnnexIII-1",)), _ANNEX_I_SECTION_A),
        "Only where a notified body takes part in the conformity assessment of Art. 43: the Annex "
        "VII procedure for Annex III point 1 systems (Art. 43(1)), or the third-party assessment "
        "of Annex I Section A products (Art. 43(3)).",
        ("Where applicable, the CE marking shall be followed by the identification number of the "
         "notified body responsible for the conformity assessment procedures set out in Article 43",),
    ),
    "Art48-5": Applicability(
        _HR, _P, (_ANNEX_I_SECTION_A,),
        "Only where the high-risk AI system is also subject to other Union law providing for the "
        "CE marking: encoded as Annex I Section A, the only such legislation a system fact records.",
        ("Where high-risk AI systems are subject to other Union law which also provides for the "
         "affixing of the CE marking",),
    ),
    "Art49-1": Applicability(
        _HR, (RAI.Provider, RAI.AuthorisedRepresentative),
        (Condition(annex_iii=ANNEX_III_EXCEPT_POINT_2),),
        "Only for the high-risk AI systems in Annex III, other than its point 2; the provider or, "
        "where applicable, its authorised representative registers.",
        ("Before placing on the market or putting into service a high-risk AI system listed in "
         "Annex III, with the exception of high-risk AI systems referred to in point 2 of Annex "
         "III, the provider or, where applicable, the authorised representative shall register",),
    ),
    "Art49-2": Applicability(
        _NOT_HIGH_RISK, (RAI.Provider, RAI.AuthorisedRepresentative), (_ANNEX_III,),
        _NOT_HIGH_RISK_ANNEX_III,
        ("an AI system for which the provider has concluded that it is not high-risk according to "
         "Article 6(3), that provider or, where applicable, the authorised representative shall "
         "register",),
    ),
    "Art49-3": Applicability(
        _HR, _D,
        (Condition(annex_iii=ANNEX_III_EXCEPT_POINT_2, characteristics=(RAI.PublicAuthority,)),),
        "Only for deployers that are public authorities or Union institutions, bodies, offices or "
        "agencies (or act on their behalf), of Annex III systems other than point 2.",
        ("Before putting into service or using a high-risk AI system listed in Annex III, with the "
         "exception of high-risk AI systems listed in point 2 of Annex III, deployers that are "
         "public authorities",),
    ),
    "Art49-4": Applicability(
        _HR,
        (RAI.Provider, RAI.AuthorisedRepresentative, RAI.Deployer),
        (
            Condition(annex_iii=("AnnexIII-6", "AnnexIII-7")),
            Condition(annex_iii=("AnnexIII-1",), characteristics=(RAI.LawEnforcementAuthority,)),
        ),
        "Only for the high-risk AI systems in Annex III points 1, 6 and 7 in law enforcement, "
        "migration, asylum and border control management: points 6 and 7 are those areas; point 1 "
        "(biometrics) is encoded for law-enforcement operators only.",
        ("For high-risk AI systems referred to in points 1, 6 and 7 of Annex III, in the areas of "
         "law enforcement, migration, asylum and border control management, the registration",),
    ),
    "Art49-5": Applicability(
        _HR, _P, (Condition(annex_iii=("AnnexIII-2",)),),
        "Only for the high-risk AI systems in Annex III point 2 (critical infrastructure).",
        ("High-risk AI systems referred to in point 2 of Annex III shall be registered at national level",),
    ),
    # Chapter IV: transparency, by function and whatever the risk tier (50(6) without prejudice,
    # 50(7) AI Office).
    "Art50-1": Applicability(
        (), _P, (Condition(functions=(RAI.InteractsWithNaturalPersons,)),),
        "AI systems intended to interact directly with natural persons, whatever their risk tier.",
        ("Providers shall ensure that AI systems intended to interact directly with natural persons",),
    ),
    "Art50-2": Applicability(
        (), _P, (Condition(functions=(RAI.GeneratesSyntheticContent,)),),
        "AI systems, including general-purpose AI systems, generating synthetic audio, image, "
        "video or text content, whatever their risk tier.",
        ("Providers of AI systems, including general-purpose AI systems, generating synthetic "
         "audio, image, video or text content",),
    ),
    "Art50-3": Applicability(
        (), _D, (Condition(functions=(RAI.EmotionRecognition, RAI.BiometricCategorisation)),),
        "Deployers of emotion recognition and biometric categorisation systems, whatever their "
        "risk tier.",
        ("Deployers of an emotion recognition system or a biometric categorisation system",),
    ),
    "Art50-4": Applicability(
        (), _D, (Condition(functions=(RAI.GeneratesDeepFakes, RAI.GeneratesPublicInterestText)),),
        "Deployers of AI systems generating or manipulating deep fakes, or text published to inform "
        "the public on matters of public interest, whatever their risk tier.",
        ("Deployers of an AI system that generates or manipulates image, audio or video content "
         "constituting a deep fake",
         "Deployers of an AI system that generates or manipulates text which is published with the "
         "purpose of informing the public on matters of public interest"),
    ),
    "Art50-5": Applicability(
        (), (RAI.Provider, RAI.Deployer), (Condition(functions=_ALL_FUNCTIONS_OF_ART_50),),
        "How the information of paragraphs 1 to 4 is given: binds whoever paragraphs 1 to 4 bind.",
        ("The information referred to in paragraphs 1 to 4 shall be provided to the natural persons "
         "concerned",),
    ),
    # Chapter V: general-purpose AI models. Left out: 53(2) and 54(6) open-source exemptions,
    # 53(5)-(7) and 55(3) Commission powers and confidentiality.
    "Art53-1": Applicability((), _GPAI, basis=("Providers of general-purpose AI models shall",)),
    "Art53-3": Applicability((), _GPAI, basis=("Providers of general-purpose AI models shall cooperate",)),
    "Art53-4": Applicability(
        (), _GPAI, basis=("shall demonstrate alternative adequate means of compliance",)
    ),
    "Art54-1": Applicability(
        (), _GPAI, (_THIRD_COUNTRY_PROVIDER,), _THIRD_COUNTRY,
        ("Prior to placing a general-purpose AI model on the Union market, providers established "
         "in third countries shall, by written mandate, appoint an authorised representative",),
    ),
    "Art54-2": Applicability(
        (), _GPAI, (_THIRD_COUNTRY_PROVIDER,), _THIRD_COUNTRY,
        ("The provider shall enable its authorised representative to perform the tasks",),
    ),
    "Art54-3": Applicability(
        (), _AR, scope=_AUTHORISED_REPRESENTATIVE,
        basis=("The authorised representative shall perform the tasks specified in the mandate",),
    ),
    "Art54-4": Applicability(
        (), _AR, scope=_AUTHORISED_REPRESENTATIVE,
        basis=("The mandate shall empower the authorised representative to be addressed",),
    ),
    "Art54-5": Applicability(
        (), _AR, scope=_AUTHORISED_REPRESENTATIVE,
        basis=("The authorised representative shall terminate the mandate",),
    ),
    "Art55-1": Applicability(
        (), _GPAI, (_SYSTEMIC_RISK_PROVIDER,), _SYSTEMIC_RISK,
        ("In addition to the obligations listed in Articles 53 and 54, providers of general-purpose "
         "AI models with systemic risk shall",),
    ),
    "Art55-2": Applicability(
        (), _GPAI, (_SYSTEMIC_RISK_PROVIDER,), _SYSTEMIC_RISK,
        ("Providers of general-purpose AI models with systemic risks who do not adhere to an "
         "approved code of practice or do not comply with a European harmonised standard shall "
         "demonstrate alternative adequate means of compliance",),
    ),
    # Chapter IX: post-market monitoring, serious incidents, right to explanation.
    # Left out: 72(4) option, 73(5) option, 73(7), 73(8) and 73(11) authorities, 73(9) scope,
    # 86(2) and 86(3) scope.
    "Art72-1": _provider("Providers shall establish and document a post-market monitoring system"),
    "Art72-2": _provider("The post-market monitoring system shall actively and systematically collect"),
    "Art72-3": _provider("The post-market monitoring system shall be based on a post-market monitoring plan"),
    "Art73-1": _provider("Providers of high-risk AI systems placed on the Union market shall report any serious "
                         "incident"),
    "Art73-2": _provider("The report referred to in paragraph 1 shall be made immediately"),
    "Art73-3": _provider("the report referred to in paragraph 1 of this Article shall be provided immediately"),
    "Art73-4": _provider("in the event of the death of a person, the report shall be provided immediately"),
    "Art73-6": _provider("the provider shall, without delay, perform the necessary investigations"),
    "Art73-10": Applicability(
        _HR, _P, (Condition(annex_i=("AnnexI-11", "AnnexI-12")),),
        "Only for high-risk AI systems that are, or are safety components of, medical devices under "
        "Regulations (EU) 2017/745 and (EU) 2017/746 (Annex I items 11 and 12).",
        ("For high-risk AI systems which are safety components of devices, or are themselves "
         "devices, covered by Regulations (EU) 2017/745 and (EU) 2017/746",),
    ),
    "Art86-1": Applicability(
        _HR, _D, (Condition(annex_iii=ANNEX_III_EXCEPT_POINT_2),),
        "Decisions taken by the deployer on the basis of Annex III systems other than point 2 that "
        "produce legal effects or similarly significantly affect a person.",
        ("a decision which is taken by the deployer on the basis of the output from a high-risk AI "
         "system listed in Annex III, with the exception of systems listed under point 2 thereof",),
    ),
}

#: Local names (``euaia:``) of the obligation-bearing clauses.
OBLIGATION_CLAUSES: frozenset[str] = frozenset(OBLIGATIONS)

#: The high-risk obligations: those that bind because the system is high-risk. Art. 111(2) makes
#: the Regulation apply to operators of high-risk systems already in service only after a
#: significant change in their design, so every one of them is marked ``rai:transitional``.
HIGH_RISK_OBLIGATIONS: frozenset[str] = frozenset(
    name for name, applicability in OBLIGATIONS.items() if RAI.HighRisk in applicability.tiers
)


def annex_clauses_named(applicability: Applicability) -> set[str]:
    """The Annex III and Annex I clauses the conditions of ``applicability`` name."""
    return {name for condition in applicability.conditions for name in (*condition.annex_iii, *condition.annex_i)}
