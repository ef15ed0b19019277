"""The machine-readable outputs of ``check`` and ``status`` (contract: ``shared/spec/cli.md``).

The commands print plain data (``check_data``, ``status_data``) with the keys and types of the
pydantic models in :mod:`.machine_schema`: validating thousands of objects only to print them
cost more than judging them, and importing pydantic is a tenth of a check that re-judges one
folder; a test validates real output against the models.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rai_graph.errors import InputError
from rai_graph.trace import STATUS_ORDER, Assessment, PairStatus, SystemAssessment


def error_out(errors: Sequence[InputError]) -> list[dict[str, Any]]:
    return [{"file": e.file, "line": e.line, "message": e.message, "kind": e.kind} for e in errors]


def check_data(
    assessment: Assessment, errors: Sequence[InputError], systems: Sequence[SystemAssessment]
) -> dict[str, Any]:
    """``check --format json`` as plain data, with the keys and types of :class:`~.machine_schema.CheckReport`."""
    names = {s.system.iri: s.system.name for s in assessment.systems}
    pairs = [p for s in systems for p in s.pairs] + assessment.organisation
    findings = [
        {"system": str(p.system) if p.system else None, "control": str(p.control.iri), "status": p.status,
         "message": p.reason, "file": p.file, "line": p.line, "notation": p.control.notation,
         "system_name": names.get(p.system) if p.system else None}
        for p in pairs if p.is_gap
    ]
    warnings = [
        {"kind": "finding-overdue", "message": f"finding {f.title!r} was due on {f.due} and is still open",
         "file": f.origin.file, "line": f.origin.line, "subject": str(f.iri)}
        for f in assessment.overdue_findings()
    ]
    return {"as_of": assessment.as_of.isoformat(), "conforms": not errors and not findings,
            "errors": error_out(errors), "findings": findings, "warnings": warnings}


def status_data(
    assessment: Assessment, errors: Sequence[InputError], systems: Sequence[SystemAssessment]
) -> dict[str, Any]:
    """``status --format json`` as plain data, with the keys and types of :class:`~.machine_schema.StatusReport`."""
    return {"as_of": assessment.as_of.isoformat(), "systems": [_system_out(s) for s in systems],
            "organisation": {"controls": [_control_out(p) for p in assessment.organisation]},
            "errors": error_out(errors)}


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _system_out(assessment: SystemAssessment) -> dict[str, Any]:
    system = assessment.system
    counts: dict[str, int] = dict.fromkeys(STATUS_ORDER, 0)
    for pair in assessment.pairs:
        counts[pair.status] += 1
    return {
        "id": str(system.iri), "name": system.name, "title": system.title,
        "tier": str(system.tier) if system.tier else None,
        "roles": sorted(str(r) for r in system.roles),
        "lifecycle": str(system.lifecycle) if system.lifecycle else None,
        "judged": assessment.judged, "readiness": round(assessment.readiness, 4), "counts": counts,
        "controls": [_control_out(p) for p in assessment.pairs],
        "requirements": [
            {"requirement": str(c.requirement.iri), "notation": c.requirement.notation, "covered": c.covered,
             "unmapped": c.unmapped, "state": c.state, "controls": [str(i) for i in c.controls],
             "justification": c.justification}
            for c in assessment.requirements
        ],
        "deferred": [
            {"requirement": str(c.requirement.iri), "notation": c.requirement.notation,
             "applies_from": c.standing.applies_from.isoformat() if c.standing and c.standing.applies_from else None,
             "reason": c.standing.reason if c.standing else "",
             "source": c.standing.source if c.standing else None,
             "to_be_verified": bool(c.standing and c.standing.to_be_verified),
             "state": c.state, "controls": [str(i) for i in c.controls], "justification": c.justification}
            for c in assessment.deferred
        ],
    }


def _control_out(pair: PairStatus) -> dict[str, Any]:
    return {"control": str(pair.control.iri), "notation": pair.control.notation, "title": pair.control.title,
            "status": pair.status, "evidence": [str(e) for e in pair.evidence], "reason": pair.reason,
            "file": pair.file}
