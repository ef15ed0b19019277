"""The keys and types of ``check`` and ``status`` JSON as pydantic models (contract:
``shared/spec/cli.md``), with a JSON Schema for free (``CheckReport.model_json_schema()``).

For library users and the tests; the commands print :mod:`.machine`'s plain data and never
import pydantic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from rai_graph.errors import ErrorKind, InputError
from rai_graph.render.machine import check_data, status_data
from rai_graph.trace import Assessment, Coverage, Status, SystemAssessment


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorOut(_Model):
    file: str
    line: int | None
    message: str
    kind: ErrorKind


class FindingOut(_Model):
    system: str | None
    control: str
    status: Status
    message: str
    file: str
    line: int | None
    notation: str
    system_name: str | None


class WarningOut(_Model):
    """Something to act on that does not fail the check, e.g. a finding past its due date."""

    kind: str
    message: str
    file: str
    line: int | None
    subject: str


class CheckReport(_Model):
    as_of: dt.date
    conforms: bool
    errors: list[ErrorOut]
    findings: list[FindingOut]
    warnings: list[WarningOut]


class ControlStatusOut(_Model):
    control: str
    notation: str
    title: str
    status: Status
    evidence: list[str]
    reason: str
    file: str


class RequirementOut(_Model):
    requirement: str
    notation: str
    covered: bool
    unmapped: bool
    state: Coverage
    controls: list[str]
    justification: str | None


class DeferredOut(_Model):
    """A requirement that binds the system later ("applicability in law", data-model.md)."""

    requirement: str
    notation: str
    applies_from: dt.date | None
    """None: only a significant change in the system's design would bind it (Art. 111(2))."""
    reason: str
    source: str | None
    to_be_verified: bool
    state: Coverage
    """The coverage it would have if it applied today."""
    controls: list[str]
    justification: str | None
    """For one no control satisfies: the organisation's reason, if it recorded one."""


class SystemOut(_Model):
    id: str
    name: str
    title: str
    tier: str | None
    roles: list[str]
    lifecycle: str | None
    judged: bool
    readiness: float
    counts: dict[str, int]
    controls: list[ControlStatusOut]
    requirements: list[RequirementOut]
    deferred: list[DeferredOut]


class OrganisationOut(_Model):
    controls: list[ControlStatusOut]


class StatusReport(_Model):
    as_of: dt.date
    systems: list[SystemOut]
    organisation: OrganisationOut
    errors: list[ErrorOut]


def check_report(
    assessment: Assessment, errors: Sequence[InputError], systems: Sequence[SystemAssessment]
) -> CheckReport:
    """``check --format json`` validated into its model (for library users; the command prints the data)."""
    return CheckReport.model_validate(check_data(assessment, errors, systems))


def status_report(
    assessment: Assessment, errors: Sequence[InputError], systems: Sequence[SystemAssessment]
) -> StatusReport:
    return StatusReport.model_validate(status_data(assessment, errors, systems))
