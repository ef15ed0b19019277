"""Renderings of a compliance delta: a pull-request comment (Markdown), JSON and text.

The Markdown starts with a hidden marker (:data:`COMMENT_MARKER`) so a CI job can find and update
its previous comment instead of adding a new one on every push.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import quote

from rai_graph.analysis.delta import Delta, StatusChange
from rai_graph.errors import InputError
from rai_graph.render.human import md
from rai_graph.render.words import percent

COMMENT_MARKER = "<!-- rai-graph:diff -->"
_MAX_ROWS = 50


def diff_json(delta: Delta) -> str:
    """The JSON contract of ``cli.md`` (``base``, ``head``, ``changes``, ``requirements``,
    ``errors_added``, ``errors_removed``) plus ``readiness``."""
    document = {
        "base": delta.base,
        "head": delta.head,
        "changes": [
            {"system": str(c.system) if c.system else None, "control": str(c.control),
             "before": c.before, "after": c.after, "notation": c.notation,
             "system_name": c.system_name, "direction": c.direction, "reason": c.reason,
             "file": c.file}
            for c in delta.changes
        ],
        "requirements": [
            {"system": str(r.system), "requirement": str(r.requirement), "before": r.before,
             "after": r.after, "notation": r.notation, "system_name": r.system_name}
            for r in delta.requirements
        ],
        "readiness": [
            {"system": str(r.system), "system_name": r.system_name, "before": _rounded(r.before),
             "after": _rounded(r.after)}
            for r in delta.readiness
        ],
        "errors_added": [_error(e) for e in delta.errors_added],
        "errors_removed": [_error(e) for e in delta.errors_removed],
    }
    return json.dumps(document, indent=2) + "\n"


def diff_markdown(delta: Delta, link_base: str | None = None) -> str:
    """A pull-request comment a reviewer reads in ten seconds: summary, regressions first."""
    regressions, improvements = delta.of("regression"), delta.of("improvement")
    others = delta.of("change")
    lines = [
        COMMENT_MARKER,
        f"### rai-graph: compliance change `{_short(delta.base)}` → `{_short(delta.head)}`",
        "",
        _headline(delta, regressions, improvements),
        "",
    ]
    if delta.readiness:
        lines.append("Readiness: " + ", ".join(
            f"**{md(r.system_name)}** {_percent(r.before)} → {_percent(r.after)}"
            for r in delta.readiness
        ))
        lines.append("")
    for title, changes in (("Regressions", regressions), ("Improvements", improvements),
                           ("Other status changes", others)):
        if changes:
            lines += _change_table(title, changes, link_base)
    if delta.errors_added or delta.errors_removed:
        lines += _error_section(delta.errors_added, delta.errors_removed, link_base)
    if delta.requirements:
        lines += _requirement_section(delta)
    if not (delta.changes or delta.requirements or delta.errors_added or delta.errors_removed):
        lines.append("No change to compliance status.")
    return "\n".join(lines).rstrip() + "\n"


def diff_text(delta: Delta) -> str:
    lines = [f"rai-graph diff {_short(delta.base)} → {_short(delta.head)}",
             _headline(delta, delta.of("regression"), delta.of("improvement")).replace("**", ""), ""]
    for change in delta.changes:
        where = change.system_name or "organisation"
        lines.append(f"  {change.direction:<11} {where} {change.notation}: "
                     f"{change.before or 'n/a'} → {change.after or 'n/a'} ({change.reason})")
    for r in delta.readiness:
        lines.append(f"  readiness   {r.system_name}: {_percent(r.before)} → {_percent(r.after)}")
    for error in delta.errors_added:
        lines.append(f"  new error   {error}")
    for error in delta.errors_removed:
        lines.append(f"  fixed error {error}")
    for req in delta.requirements:
        lines.append(f"  requirement {req.system_name} {req.notation}: "
                     f"{req.before or 'n/a'} → {req.after or 'n/a'}")
    return "\n".join(lines) + "\n"


def _headline(delta: Delta, regressions: Sequence[StatusChange],
              improvements: Sequence[StatusChange]) -> str:
    icon = "❌" if regressions or delta.errors_added else "✅"
    parts = [f"{len(regressions)} regression{'s' * (len(regressions) != 1)}",
             f"{len(improvements)} improvement{'s' * (len(improvements) != 1)}"]
    if delta.errors_added:
        parts.append(f"{len(delta.errors_added)} new input error(s)")
    if delta.errors_removed:
        parts.append(f"{len(delta.errors_removed)} input error(s) fixed")
    return f"{icon} **{', '.join(parts)}**"


def _change_table(title: str, changes: Sequence[StatusChange], link_base: str | None) -> list[str]:
    lines = [f"#### {title} ({len(changes)})", "",
             "| System | Control | Before | After | Why | File |", "|---|---|---|---|---|---|"]
    for change in changes[:_MAX_ROWS]:
        lines.append(
            f"| {md(change.system_name or 'organisation')} | {md(change.notation)} "
            f"{md(change.title)} | {change.before or 'n/a'} | **{change.after or 'n/a'}** | "
            f"{md(change.reason)} | {_link(change.file, link_base)} |"
        )
    if len(changes) > _MAX_ROWS:
        lines.append(f"| … | {len(changes) - _MAX_ROWS} more | | | | |")
    return [*lines, ""]


def _error_section(added: Sequence[InputError], removed: Sequence[InputError],
                   link_base: str | None) -> list[str]:
    lines = ["#### Input errors", ""]
    for error in added[:_MAX_ROWS]:
        lines.append(f"- ❌ new: {_link(error.file, link_base, error.line)}: {md(error.message)}")
    for error in removed[:_MAX_ROWS]:
        lines.append(f"- ✅ fixed: {md(error.file)}: {md(error.message)}")
    return [*lines, ""]


def _requirement_section(delta: Delta) -> list[str]:
    gained = [r for r in delta.requirements if r.after == "covered"]
    lost = [r for r in delta.requirements if r.before == "covered"]
    lines = ["<details><summary>Requirements: "
             f"{len(gained)} newly covered, {len(lost)} no longer covered</summary>", ""]
    lines += ["| System | Requirement | Before | After |", "|---|---|---|---|"]
    for req in delta.requirements[:_MAX_ROWS * 4]:
        lines.append(f"| {md(req.system_name)} | {md(req.notation)} | {req.before or 'n/a'} | "
                     f"{req.after or 'n/a'} |")
    return [*lines, "", "</details>", ""]


def _link(path: str, link_base: str | None, line: int | None = None) -> str:
    label = md(path if line is None else f"{path}:{line}")
    if not link_base or not path:
        return label
    anchor = f"#L{line}" if line else ""
    return f"[{label}]({link_base.rstrip('/')}/{quote(path)}{anchor})"


def _error(error: InputError) -> dict[str, object]:
    return {"file": error.file, "line": error.line, "message": error.message, "kind": error.kind}


def _short(label: str) -> str:
    return label if label == "worktree" else label[:10]


def _percent(value: float | None) -> str:
    return "n/a" if value is None else percent(value)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
