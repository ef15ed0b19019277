"""``rai-graph timeline``: what binds when, as text, Markdown or JSON.

Renders :func:`rai_graph.analysis.timeline.timeline`; the JSON keys are documented in the README
("What binds when").
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from rai_graph.analysis.timeline import Milestone, SystemTimeline
from rai_graph.render.human import md
from rai_graph.render.words import UNDATED


def _when(milestone: Milestone) -> str:
    return str(milestone.date) if milestone.date else UNDATED


def timeline_text(as_of: dt.date, timelines: Sequence[SystemTimeline]) -> str:
    lines = [f"rai-graph timeline as of {as_of}: obligations that bind later", ""]
    for entry in timelines:
        system = entry.assessment.system
        lines.append(f"{system.name} — {system.title}: {entry.upcoming} upcoming")
        if not entry.milestones:
            lines.append("  nothing further: every requirement that will bind it applies already")
        for milestone in entry.milestones:
            lines.append(f"  {_when(milestone):<26} {len(milestone.requirements):>3} requirement(s), "
                         f"{milestone.covered} already covered, {milestone.not_covered} not covered, "
                         f"{milestone.unmapped} with no control")
            for reason in milestone.reasons:
                lines.append(f"      {reason}")
            notations = ", ".join(r.requirement.notation for r in milestone.requirements)
            lines.append(f"      {notations}")
        lines.append("")
    return "\n".join(lines)


def timeline_markdown(as_of: dt.date, timelines: Sequence[SystemTimeline]) -> str:
    out = [f"# What binds when (as of {as_of})", ""]
    for entry in timelines:
        system = entry.assessment.system
        out += [f"## {md(system.title)} (`{md(system.name)}`)", ""]
        if not entry.milestones:
            out += ["Nothing further: every requirement that will bind it applies already.", ""]
            continue
        out += ["| Binds from | Requirements | Already covered | Not covered | No control | Why |",
                "|---|---:|---:|---:|---:|---|"]
        for milestone in entry.milestones:
            out.append(f"| {_when(milestone)} | {len(milestone.requirements)} | {milestone.covered} | "
                       f"{milestone.not_covered} | {milestone.unmapped} | "
                       f"{'; '.join(md(r) for r in milestone.reasons)} |")
        out.append("")
    return "\n".join(out)


def timeline_json(as_of: dt.date, timelines: Sequence[SystemTimeline]) -> str:
    data: dict[str, Any] = {"as_of": as_of.isoformat(), "systems": []}
    for entry in timelines:
        system = entry.assessment.system
        data["systems"].append({
            "id": str(system.iri), "name": system.name, "title": system.title,
            "upcoming": entry.upcoming,
            "milestones": [{
                "date": milestone.date.isoformat() if milestone.date else None,
                "count": len(milestone.requirements), "covered": milestone.covered,
                "not_covered": milestone.not_covered, "unmapped": milestone.unmapped,
                "requirements": [{
                    "requirement": str(r.requirement.iri), "notation": r.requirement.notation,
                    "state": r.state, "reason": r.standing.reason if r.standing else "",
                    "source": r.standing.source if r.standing else None,
                    "to_be_verified": bool(r.standing and r.standing.to_be_verified),
                } for r in milestone.requirements],
            } for milestone in entry.milestones],
        })
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
