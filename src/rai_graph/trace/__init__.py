"""Trace stage: the judgement of a repository as of a date.

``status`` holds the ordered status rules of one (system, control) pair; ``applicability`` the law
(which requirements bind a system, and from when); ``assessment`` wires them into the
:class:`~rai_graph.trace.assessment.Assessment` every output renders. No I/O.
"""

from __future__ import annotations

from rai_graph.trace.applicability import Applicability as Applicability
from rai_graph.trace.applicability import Law as Law
from rai_graph.trace.applicability import Standing as Standing
from rai_graph.trace.assessment import GOOD_STATUSES as GOOD_STATUSES
from rai_graph.trace.assessment import Assessment as Assessment
from rai_graph.trace.assessment import Coverage as Coverage
from rai_graph.trace.assessment import RequirementCoverage as RequirementCoverage
from rai_graph.trace.assessment import SystemAssessment as SystemAssessment
from rai_graph.trace.assessment import assess as assess
from rai_graph.trace.assessment import organisation_controls_for as organisation_controls_for
from rai_graph.trace.status import GAP_STATUSES as GAP_STATUSES
from rai_graph.trace.status import ORGANISATION_FOLDER as ORGANISATION_FOLDER
from rai_graph.trace.status import POSITIVE_DECISIONS as POSITIVE_DECISIONS
from rai_graph.trace.status import SEVERITY_ORDER as SEVERITY_ORDER
from rai_graph.trace.status import STATUS_ORDER as STATUS_ORDER
from rai_graph.trace.status import Lapse as Lapse
from rai_graph.trace.status import PairStatus as PairStatus
from rai_graph.trace.status import Status as Status
from rai_graph.trace.status import StatusRules as StatusRules
from rai_graph.trace.status import evidence_date as evidence_date
from rai_graph.trace.status import last_valid_day as last_valid_day
from rai_graph.trace.status import threshold_breaches as threshold_breaches

__all__ = [
    "GAP_STATUSES", "GOOD_STATUSES", "ORGANISATION_FOLDER", "POSITIVE_DECISIONS", "SEVERITY_ORDER",
    "STATUS_ORDER", "Applicability", "Assessment", "Coverage", "Lapse", "Law", "PairStatus", "RequirementCoverage",
    "Standing", "Status", "StatusRules", "SystemAssessment", "assess", "evidence_date", "last_valid_day",
    "organisation_controls_for", "threshold_breaches",
]
