"""The rai-graph vocabulary as closed namespaces.

``RAI`` lists every term of ``ontology/rai.ttl``; a test keeps the two in step, and
``_fail = True`` turns a misspelt term into an ``AttributeError`` at import time instead of a
silently wrong IRI. Standard vocabularies come from :mod:`rdflib.namespace`.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

RAI_NS = "https://w3id.org/rai-graph/ns#"

EUAIA = Namespace("https://w3id.org/rai-graph/framework/eu-ai-act/")
NISTRMF = Namespace("https://w3id.org/rai-graph/framework/nist-ai-rmf/")
NISTGAI = Namespace("https://w3id.org/rai-graph/framework/nist-ai-600-1/")
ISO42001 = Namespace("https://w3id.org/rai-graph/framework/iso-42001/")
AIRO = Namespace("https://w3id.org/airo#")
DPV = Namespace("https://w3id.org/dpv#")


class RAI(DefinedNamespace):
    """Terms of the rai-graph ontology (``https://w3id.org/rai-graph/ns#``)."""

    _NS = Namespace(RAI_NS)
    _fail = True

    # Classes
    Framework: URIRef
    Requirement: URIRef
    RiskTier: URIRef
    OperatorRole: URIRef
    Control: URIRef
    ControlScope: URIRef
    EvidenceType: URIRef
    AISystem: URIRef
    LifecycleStatus: URIRef
    Evidence: URIRef
    ConfidentialityLevel: URIRef
    Approval: URIRef
    Decision: URIRef
    Waiver: URIRef
    Person: URIRef
    Role: URIRef
    Threshold: URIRef
    Measurement: URIRef
    Finding: URIRef
    Incident: URIRef
    Severity: URIRef
    CrosswalkMapping: URIRef
    GenerativeAIRisk: URIRef
    UnmappedJustification: URIRef
    SystemFunction: URIRef
    OperatorCharacteristic: URIRef
    ClassificationRoute: URIRef
    ApplicabilityCondition: URIRef
    Application: URIRef
    TextVersion: URIRef
    Amendment: URIRef
    VerificationStatus: URIRef

    # Concept schemes
    EvidenceTypeScheme: URIRef

    # Risk tiers
    Prohibited: URIRef
    HighRisk: URIRef
    LimitedRisk: URIRef
    MinimalRisk: URIRef

    # Operator roles
    Provider: URIRef
    Deployer: URIRef
    Importer: URIRef
    Distributor: URIRef
    GeneralPurposeModelProvider: URIRef
    AuthorisedRepresentative: URIRef
    ProductManufacturer: URIRef

    # System functions
    InteractsWithNaturalPersons: URIRef
    GeneratesSyntheticContent: URIRef
    EmotionRecognition: URIRef
    BiometricCategorisation: URIRef
    GeneratesDeepFakes: URIRef
    GeneratesPublicInterestText: URIRef
    RealTimeRemoteBiometricIdentification: URIRef
    PostRemoteBiometricIdentification: URIRef

    # Operator characteristics
    PublicAuthority: URIRef
    PublicServiceProvider: URIRef
    FinancialInstitution: URIRef
    Employer: URIRef
    ThirdCountryProvider: URIRef
    LawEnforcementAuthority: URIRef
    SystemicRiskModelProvider: URIRef

    # Classification routes
    AnnexIRoute: URIRef
    AnnexIIIRoute: URIRef

    # Verification statuses
    ToBeVerified: URIRef
    VerifiedAgainstOfficialText: URIRef

    # Control scopes
    SystemScope: URIRef
    OrganisationScope: URIRef

    # Lifecycle
    Development: URIRef
    Production: URIRef
    Retired: URIRef

    # Evidence types
    ModelCard: URIRef
    Datasheet: URIRef
    RiskAssessment: URIRef
    ImpactAssessment: URIRef
    FairnessEvaluation: URIRef
    RobustnessEvaluation: URIRef
    RedTeamReport: URIRef
    HumanOversightPlan: URIRef
    MonitoringPlan: URIRef
    IncidentResponsePlan: URIRef
    TechnicalDocumentation: URIRef
    LoggingConfiguration: URIRef
    TransparencyNotice: URIRef
    ConformityDeclaration: URIRef
    TrainingRecord: URIRef
    Policy: URIRef

    # Confidentiality levels
    Public: URIRef
    CustomerShareable: URIRef
    Internal: URIRef
    Confidential: URIRef

    # Decisions
    Approved: URIRef
    ConditionallyApproved: URIRef
    Rejected: URIRef

    # Severities
    Critical: URIRef
    High: URIRef
    Medium: URIRef
    Low: URIRef

    # Requirement properties
    text: URIRef
    informative: URIRef
    appliesToTier: URIRef
    appliesToRole: URIRef
    appliesFrom: URIRef
    guidanceAbout: URIRef
    suggestedActions: URIRef
    documentationQuestions: URIRef
    guidanceReferences: URIRef
    aiActors: URIRef
    relatedRisk: URIRef
    relatedSubcategory: URIRef

    # Crosswalk mapping properties
    mapsFrom: URIRef
    mapsTo: URIRef
    mappingRelation: URIRef
    curated: URIRef

    # Control properties
    satisfies: URIRef
    requiredForTier: URIRef
    scope: URIRef
    requiresEvidenceType: URIRef
    maxEvidenceAge: URIRef
    requiresApprovalBy: URIRef
    answerText: URIRef
    threshold: URIRef
    justifies: URIRef

    # System properties
    riskTier: URIRef
    operatorRole: URIRef
    annexIIIArea: URIRef
    intendedPurpose: URIRef
    owner: URIRef
    lifecycleStatus: URIRef
    annexIProduct: URIRef
    function: URIRef
    operatorCharacteristic: URIRef
    placedOnMarket: URIRef
    significantChange: URIRef

    # Applicability in law
    appliesWhen: URIRef
    route: URIRef
    application: URIRef
    placedBefore: URIRef
    transitional: URIRef
    transitionEnds: URIRef
    previousVersion: URIRef
    amends: URIRef
    inForceFrom: URIRef
    verificationStatus: URIRef

    # Evidence properties
    forSystem: URIRef
    implements: URIRef
    evidenceType: URIRef
    artifact: URIRef
    sha256: URIRef
    artifactURL: URIRef
    confidentiality: URIRef
    validUntil: URIRef
    measurement: URIRef
    extractedBy: URIRef

    # Approval and waiver properties
    approves: URIRef
    decision: URIRef
    inRole: URIRef
    conditions: URIRef
    expires: URIRef
    waives: URIRef
    rationale: URIRef
    compensatingControl: URIRef
    approvedBy: URIRef

    # Person properties
    hasRole: URIRef
    signingKey: URIRef

    # Thresholds and measurements
    metric: URIRef
    operator: URIRef
    value: URIRef
    slice: URIRef

    # Question bank
    Question: URIRef
    questionText: URIRef
    mapsToControl: URIRef
    mapsToRequirement: URIRef
    approvedAnswer: URIRef
    needsHumanAnswer: URIRef

    # Findings and incidents
    concerns: URIRef
    severity: URIRef
    dueDate: URIRef
    resolvedOn: URIRef
    resolvedBy: URIRef
    occurredOn: URIRef
    reportedToAuthorityOn: URIRef

    # Judgement graph (publish)
    Judgement: URIRef
    SystemJudgement: URIRef
    ControlJudgement: URIRef
    RequirementJudgement: URIRef
    Status: URIRef
    Met: URIRef
    Waived: URIRef
    Failing: URIRef
    Unapproved: URIRef
    Expired: URIRef
    Invalid: URIRef
    Missing: URIRef
    CoverageState: URIRef
    Covered: URIRef
    NotCovered: URIRef
    Unmapped: URIRef
    Standing: URIRef
    Applies: URIRef
    Deferred: URIRef
    asOf: URIRef
    commit: URIRef
    audience: URIRef
    judgedIn: URIRef
    judgedSystem: URIRef
    judgedControl: URIRef
    judgedRequirement: URIRef
    status: URIRef
    reason: URIRef
    coverage: URIRef
    standing: URIRef
    bindsFrom: URIRef
    readiness: URIRef
    ready: URIRef
    gapCount: URIRef

    # Commitments (trust page)
    Commitment: URIRef
    statement: URIRef
    restsOn: URIRef
    evidencedBy: URIRef
    reviewedOn: URIRef
    contact: URIRef
