"""Measure the issue #6 answerer on the issue #16 sets, in the same terms, for the "before" table.

The old package is read from a source folder exported from git, never from this worktree::

    mkdir -p /tmp/rai-graph-e50f020 && git archive e50f020 src | tar -x -C /tmp/rai-graph-e50f020
    .venv/bin/python benchmarks/questionnaire/baseline_issue6.py /tmp/rai-graph-e50f020/src [--controls-only]

It answers every set with the empty learned bank (the standard questions only). The old answerer
wrote no prose, so a free-text question it answered Yes/No counts as wrong, unless
``--controls-only`` (then only the controls are judged). Its review rows listed up to three
candidate controls, which count as suggestions.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SETS = HERE / "sets"
EXAMPLES = ROOT / "examples" / "questionnaires"


def groups_of(expected: str) -> tuple[frozenset[str], ...]:
    return () if expected.strip() in ("", "none") else tuple(frozenset(g.split()) for g in expected.split("+"))


def right(groups: tuple[frozenset[str], ...], controls: Any) -> bool:
    chosen = set(controls)
    union = set().union(*groups) if groups else set()
    return bool(groups) and bool(chosen) and chosen <= union and all(g & chosen for g in groups)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("old_src", type=Path, help="the src folder of the old commit")
    parser.add_argument("--controls-only", action="store_true", help="judge the controls, not the answer kind")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.old_src))
    from rai_graph.pipeline import run
    from rai_graph.questionnaire.answering import Answerer, answer_questionnaire
    from rai_graph.questionnaire.bank import QuestionBank, load_bank
    from rai_graph.questionnaire.importing import read_questionnaire

    result = run(ROOT, dt.date(2026, 11, 24))
    standard = QuestionBank([q for q in load_bank(result).questions if "/learned-" not in q.origin.file])
    answerer = Answerer(result, "credit-scoring", "customer", standard)
    folder = Path(tempfile.mkdtemp(prefix="rai-graph-baseline-"))
    sets: dict[str, tuple[Any, dict[tuple[str, int], dict[str, str]]]] = {}
    for name in ("dev-a", "dev-b", "dev-e", "test-c", "test-d"):
        rows = _rows(SETS / f"{name}.csv")
        source = folder / f"{name}.csv"
        with source.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(["Ref", "Question"])
            writer.writerows([r["id"], r["question"]] for r in rows)
        questionnaire = read_questionnaire(source, question_column="Question")
        by_id = {r["id"]: r for r in rows}
        sets[name] = (questionnaire, {(s.name, r.number): by_id[r.cells[0]] for s, r in questionnaire.questions})
    owasp = read_questionnaire(EXAMPLES / "owasp-llm-checklist.xlsx")
    labels = {r["ref_id"]: r for r in _rows(SETS / "owasp-llm-checklist.labels.csv")}
    ref = owasp.sheets[0].columns.index("ref_id")
    sets["owasp"] = (owasp, {(s.name, r.number): labels[r.cells[ref]] for s, r in owasp.questions})
    aia = read_questionnaire(EXAMPLES / "canada-aia-survey-enfr.json")
    labels = {r["name"]: r for r in _rows(SETS / "canada-aia.labels.csv")}
    sets["aia"] = (aia, {(s.name, r.number): labels[r.cells[1]] for s, r in aia.questions})
    print("| set | questions | answered correctly | wrong with confidence | sent to review | reviewer actions / 100 |")
    print("|---|---:|---:|---:|---:|---:|")
    totals: dict[str, list[int]] = {}
    for name, (questionnaire, by_row) in sets.items():
        counts = [0, 0, 0, 0, 0]  # questions, correct, wrong, review, actions
        for key, answer in answer_questionnaire(questionnaire, answerer).items():
            label = by_row[key]
            groups = groups_of(label["expected"])
            kind_right = args.controls_only or label["kind"] != "free-text"
            counts[0] += 1
            if answer.needs_review:
                counts[3] += 1
                counts[4] += 1 if not groups or any(right(groups, [c]) for c in answer.controls) else 2
            elif right(groups, answer.controls) and kind_right:
                counts[1] += 1
            else:
                counts[2] += 1
                counts[4] += 2
        group = "development" if name.startswith("dev") else "held out"
        totals[group] = [a + b for a, b in zip(totals.get(group, [0] * 5), counts, strict=True)]
        print(_row(name, counts))
    for group, counts in totals.items():
        print(_row(f"**all {group}**", counts))
    return 0


def _row(name: str, counts: list[int]) -> str:
    n, correct, wrong, review, actions = counts
    return (f"| {name} | {n} | {correct} ({correct / n:.1%}) | {wrong} ({wrong / n:.1%}) | "
            f"{review} ({review / n:.1%}) | {100 * actions / n:.0f} |")


if __name__ == "__main__":
    sys.exit(main())
