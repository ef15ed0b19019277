"""Statement of Applicability: every clause of a framework for one system, and why it applies or not.

One row per clause that can put a duty on anyone (informative clauses are counted, not listed):
applicable, deferred (with the date it binds and why) or not applicable (tier, role, condition),
the source of the date, whether it rests on secondary sources, and for applicable and deferred
clauses the controls answering them with their status and the evidence the audience may see.
ISO/IEC 42001 certification (clause 6.1.3 d) and EU AI Act audits ask for exactly this. The
standing is the engine's (:meth:`rai_graph.trace.Law.judge`); nothing here re-derives it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rai_graph.audience import AudienceView, withheld_phrase
from rai_graph.model import Framework, RepositoryModel
from rai_graph.order import clause_key
from rai_graph.render.human import md
from rai_graph.render.words import COVERAGE_LABELS, STANDING_LABELS
from rai_graph.trace import Assessment, Law, PairStatus, SystemAssessment

STANDING_WORD = STANDING_LABELS
COVERAGE_WORD = {**COVERAGE_LABELS, "unmapped": "no control mapped"}


@dataclass(frozen=True, slots=True)
class ControlAnswer:
    notation: str
    title: str
    status: str
    """The pair's status as the audience may read it ('met — 1 record withheld at this audience')."""
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StatementRow:
    notation: str
    title: str | None
    standing: str
    basis: str
    reason: str
    applies_from: dt.date | None
    source: str | None
    to_be_verified: bool
    coverage: str | None
    justification: str | None
    controls: tuple[ControlAnswer, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    framework: Framework
    system: SystemAssessment
    as_of: dt.date
    audience: str
    rows: tuple[StatementRow, ...]
    informative: int
    """Clauses of the framework that put no duty on anyone (headings, definitions): not listed."""

    def count(self, standing: str) -> int:
        return sum(1 for row in self.rows if row.standing == standing)


def statement_of_applicability(
    model: RepositoryModel, assessment: Assessment, system: SystemAssessment, framework: Framework,
    view: AudienceView,
) -> Statement:
    """The statement for ``system`` and ``framework`` as the engine judged it, seen by ``view``."""
    law = assessment.law or Law(model, assessment.as_of)
    coverage = {c.requirement.iri: c for c in (*system.requirements, *system.deferred)}
    pairs: dict[object, PairStatus] = {p.control.iri: p for p in assessment.organisation}
    pairs.update({p.control.iri: p for p in system.pairs})
    clauses = sorted((r for r in model.requirements.values() if r.framework == framework.iri),
                     key=lambda r: clause_key(r.notation))
    rows = []
    for requirement in clauses:
        if requirement.informative:
            continue
        judged = law.judge(requirement, system.system)
        entry = coverage.get(requirement.iri)
        answers = []
        for control_iri in entry.controls if entry else ():
            pair = pairs.get(control_iri)
            if pair is None:
                continue
            shown, withheld = view.evidence_of(pair)
            titles = tuple(e.title for e in shown) + ((withheld_phrase(withheld, view.audience),) if withheld else ())
            answers.append(ControlAnswer(pair.control.notation, pair.control.title, view.status_phrase(pair), titles))
        rows.append(StatementRow(
            notation=requirement.notation, title=requirement.title, standing=judged.standing,
            basis=judged.basis, reason=judged.reason, applies_from=judged.applies_from, source=judged.source,
            to_be_verified=judged.to_be_verified, coverage=entry.state if entry else None,
            justification=entry.justification if entry else None, controls=tuple(answers),
        ))
    informative = sum(1 for r in clauses if r.informative)
    return Statement(framework, system, assessment.as_of, view.audience, tuple(rows), informative)


def _controls_text(row: StatementRow) -> str:
    return "; ".join(f"{c.notation} ({c.status})" for c in row.controls)


def _evidence_text(row: StatementRow) -> str:
    return "; ".join(title for c in row.controls for title in c.evidence)


def soa_markdown(statements: Sequence[Statement]) -> str:
    out: list[str] = []
    for s in statements:
        system = s.system.system
        out += [f"# Statement of Applicability: {md(s.framework.title)}", "",
                f"System **{md(system.title)}** (`{md(system.name)}`), as of {s.as_of}, for the {s.audience} "
                f"audience. {s.count('applies')} applicable, {s.count('deferred')} deferred, "
                f"{s.count('not-applicable')} not applicable; {s.informative} informative clauses "
                "(headings, definitions, tasks of authorities) are not listed.", "",
                "| Clause | Standing | Why | Controls | Coverage | Evidence |", "|---|---|---|---|---|---|"]
        for row in s.rows:
            why = row.reason + (" (to be verified against the OJ)" if row.to_be_verified else "")
            if row.justification:
                why += f"; justification: {row.justification}"
            out.append(f"| {md(row.notation)} | {STANDING_WORD[row.standing]} | {md(why)} | "
                       f"{md(_controls_text(row))} | {COVERAGE_WORD.get(row.coverage or '', '—')} | "
                       f"{md(_evidence_text(row))} |")
        out.append("")
    return "\n".join(out)


def soa_json(statements: Sequence[Statement]) -> str:
    data: list[dict[str, Any]] = []
    for s in statements:
        data.append({
            "framework": str(s.framework.iri), "framework_title": s.framework.title,
            "system": str(s.system.system.iri), "system_name": s.system.system.name,
            "as_of": s.as_of.isoformat(), "audience": s.audience, "informative_clauses": s.informative,
            "counts": {k: s.count(k) for k in STANDING_WORD},
            "clauses": [{
                "notation": r.notation, "title": r.title, "standing": r.standing, "basis": r.basis,
                "reason": r.reason, "applies_from": r.applies_from.isoformat() if r.applies_from else None,
                "source": r.source, "to_be_verified": r.to_be_verified, "coverage": r.coverage,
                "justification": r.justification,
                "controls": [{"notation": c.notation, "title": c.title, "status": c.status,
                              "evidence": list(c.evidence)} for c in r.controls],
            } for r in s.rows],
        })
    return json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False) + "\n"


def soa_xlsx(statements: Sequence[Statement]) -> bytes:
    """A workbook with one sheet per (framework, system): the statement as an auditor files it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    fills = {"applies": "E8F5E9", "deferred": "FFF8E1", "not-applicable": "F5F5F5"}
    header = ["Clause", "Title", "Standing", "Basis", "Why", "Binds from", "Source", "To be verified",
              "Coverage", "Controls (status)", "Evidence", "Justification"]
    for s in statements:
        sheet = book.create_sheet(_sheet_title(f"{s.system.system.name} {s.framework.notation}", book.sheetnames))
        sheet.append([f"Statement of Applicability — {s.framework.title} — {s.system.system.title} — as of "
                      f"{s.as_of} — audience: {s.audience}"])
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in s.rows:
            sheet.append([
                row.notation, row.title or "", STANDING_WORD[row.standing], row.basis, row.reason,
                row.applies_from.isoformat() if row.applies_from else "", row.source or "",
                "yes" if row.to_be_verified else "", COVERAGE_WORD.get(row.coverage or "", ""),
                _controls_text(row), _evidence_text(row), row.justification or ""])
            for cell in sheet[sheet.max_row]:
                cell.data_type = "s"  # always text: a title starting with '=' is never a formula
                cell.fill = PatternFill("solid", fgColor=fills[row.standing])
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index, width in enumerate((14, 40, 14, 12, 60, 12, 30, 8, 16, 40, 40, 40), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A3"
        sheet.auto_filter.ref = f"A2:L{sheet.max_row}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(text: str, taken: Sequence[str]) -> str:
    base = "".join(c for c in text if c not in "[]:*?/\\")[:31] or "Statement"
    title, number = base, 2
    while title in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    return title
