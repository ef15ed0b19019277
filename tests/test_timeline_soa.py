"""What binds when (``rai-graph timeline``) and the Statement of Applicability (``rai-graph soa``),
on the example organisation as of 2026-11-24: the EU AI Act as amended by Regulation (EU) 2026/1744.

Both render the engine's standing of each requirement (data-model.md, "applicability in law"):
these tests check the clause-by-clause outcome a regulatory specialist expects for the example's
systems, naming the article each rests on, and that the formats carry it whole.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner

from rai_graph.cli import main

PROJECT = Path(__file__).parent.parent
AS_OF = "2026-11-24"


def rai(*args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--repo", str(PROJECT), "--as-of", AS_OF], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout  # the output itself: notes on stderr are not part of it


def timeline(system: str) -> dict[str, Any]:
    data = json.loads(rai("timeline", "--system", system, "--format", "json"))
    [entry] = data["systems"]
    return entry  # type: ignore[no-any-return]


def soa(system: str, framework: str = "eu-ai-act") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(rai("soa", "--framework", framework, "--system", system, "--format", "json"))
    return data


def clause(statement: dict[str, Any], notation: str) -> dict[str, Any]:
    [found] = [c for c in statement["clauses"] if c["notation"] == notation]
    return found  # type: ignore[no-any-return]


def test_art_111_2_credit_scoring_in_service_is_bound_only_after_a_significant_change() -> None:
    """Art. 111(2): in service since 2026-07-20, before the Annex III date, the high-risk duties
    (e.g. Art. 9(1) risk management) bind credit-scoring only after a significant change."""
    milestones = {m["date"]: m for m in timeline("credit-scoring")["milestones"]}
    undated = milestones[None]
    assert "Art. 9(1)" in [r["notation"] for r in undated["requirements"]]
    assert all(r["reason"] == "in service since 2026-07-20: bound only after a significant change (Art. 111(2))"
               for r in undated["requirements"])
    assert undated["covered"] + undated["not_covered"] + undated["unmapped"] == undated["count"]


def test_art_113_amended_cv_screening_binds_from_the_annex_iii_date() -> None:
    """Art. 113(c) as amended by 2026/1744: not yet in service, the Annex III system is bound by
    Chapter III from 2027-12-02, and the reason names the route and the amending act."""
    milestones = {m["date"]: m for m in timeline("cv-screening")["milestones"]}
    risk = next(r for r in milestones["2027-12-02"]["requirements"] if r["notation"] == "Art. 9(1)")
    assert risk["reason"].startswith("Annex III route: from 2027-12-02 (")
    assert "2026/1744" in risk["reason"]
    assert risk["to_be_verified"] is True


def test_art_5_1_new_prohibitions_bind_every_system_from_2026_12_02() -> None:
    """Art. 5(1)(ba) and (bb), added by 2026/1744: upcoming for every judged system, whatever its tier."""
    for system in ("credit-scoring", "cv-screening", "agent-quality-scoring", "support-chatbot", "document-search"):
        upcoming = {r["notation"] for m in timeline(system)["milestones"] if m["date"] == "2026-12-02"
                    for r in m["requirements"]}
        assert {"Art. 5(1)(ba)", "Art. 5(1)(bb)"} <= upcoming, system


def test_art_50_2_grace_period_for_a_chatbot_placed_before_august_2026() -> None:
    """Art. 111(4) (new): Nora, placed on the market before 2026-08-02, must mark generated text
    from 2026-12-02; Art. 50(1) (disclosure of the interaction) applies already."""
    statement = soa("support-chatbot")
    assert clause(statement, "Art. 50(1)")["standing"] == "applies"
    marking = clause(statement, "Art. 50(2)")
    assert (marking["standing"], marking["applies_from"]) == ("deferred", "2026-12-02")
    assert marking["reason"].startswith("placed on the market before 2026-08-02: from 2026-12-02")


def test_soa_art_27_is_not_applicable_to_a_private_employers_recruitment_tool() -> None:
    """Art. 27(1): the Statement of Applicability of cv-screening lists the FRIA as not applicable,
    with the condition in words; for credit scoring (Annex III 5(b)) it is upcoming."""
    fria = clause(soa("cv-screening"), "Art. 27(1)")
    assert (fria["standing"], fria["basis"]) == ("not-applicable", "condition")
    assert fria["reason"].startswith("only where ")
    assert "Annex III area" in fria["reason"]
    assert clause(soa("credit-scoring"), "Art. 27(1)")["standing"] == "deferred"


def test_soa_lists_every_obligation_clause_once_with_a_reason() -> None:
    """Every non-informative clause of the framework is one row: applicable, deferred or not
    applicable, each with a reason; informative clauses are counted, not listed."""
    statement = soa("credit-scoring")
    notations = [c["notation"] for c in statement["clauses"]]
    assert len(notations) == len(set(notations))
    assert all(c["reason"] for c in statement["clauses"])
    assert statement["informative_clauses"] > 1000
    assert sum(statement["counts"].values()) == len(notations)
    assert statement["counts"]["not-applicable"] > 0


def test_soa_workbook_has_one_row_per_clause_and_no_formula(tmp_path: Path) -> None:
    """The xlsx statement has the header row and one row per clause, every cell plain text."""
    target = tmp_path / "soa.xlsx"
    rai("soa", "--framework", "eu-ai-act", "--system", "credit-scoring", "--format", "xlsx", "-o", str(target))
    book = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(soa("credit-scoring")["clauses"])
    assert sheet["A2"].value == "Clause"
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=3) for cell in row if cell.value)


def test_soa_nist_ai_rmf_every_subcategory_applies() -> None:
    """NIST AI RMF has no tier gating: its 72 subcategories apply to every system."""
    statement = soa("document-search", "nist-ai-rmf")
    assert statement["counts"]["applies"] >= 72
