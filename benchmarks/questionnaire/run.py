"""Measure how well customer questions are mapped to controls.

``labelled-questions.csv`` holds questions written the way customers write them, each with the
control(s) a compliance person would answer it from (several when more than one is a right
answer), or none for questions no control answers (those should be sent to review). The
``split`` column keeps a held-out half: thresholds and the thesaurus were tuned on ``dev`` only.

For each question the matcher gives its controls, confidence and ranked candidates. Reported:

* top-1: the best candidate is an expected control (questions with an expected control);
* top-3: an expected control is among the first three candidates;
* needs review: share of questions whose confidence is below the threshold;
* wrong confident: answered without review although the best control is not an expected one
  (or the question has no expected control at all). The target is zero.

A second, real-world set: the 73 items of the OWASP LLM checklist with the mapping a reviewer
gave them (``examples/questionnaires/owasp-llm-checklist-reviewed.csv``; 48 of them no control
answers). The bank holds those wordings, so it is measured lexical only.

Run from the repository root::

    PYTHONPATH=src .venv/bin/python benchmarks/questionnaire/run.py [--repo DIR] [--verbose]

Two configurations are measured: with the repository's question bank, and lexical only (bank
ignored), which shows what the ranking does for questions the bank has never seen.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rai_graph.pipeline import run  # noqa: E402 - after the path set-up above
from rai_graph.questionnaire.bank import load_bank  # noqa: E402
from rai_graph.questionnaire.matching import REVIEW_THRESHOLD, Match, Matcher  # noqa: E402

AS_OF = dt.date(2026, 11, 24)


@dataclass(frozen=True)
class Labelled:
    id: str
    split: str
    question: str
    expected: frozenset[str]


@dataclass
class Tally:
    mappable: int = 0
    top1: int = 0
    top3: int = 0
    total: int = 0
    review: int = 0
    wrong_confident: int = 0

    def row(self, name: str) -> str:
        def share(part: int, whole: int) -> str:
            return f"{part / whole:.1%}" if whole else "n/a"

        return (f"| {name} | {self.total} | {share(self.top1, self.mappable)} | "
                f"{share(self.top3, self.mappable)} | {share(self.review, self.total)} | "
                f"{self.wrong_confident} |")


def read_labelled(path: Path) -> list[Labelled]:
    with path.open(encoding="utf-8", newline="") as stream:
        return [Labelled(r["id"], r["split"], r["question"], frozenset(r["expected"].split()))
                for r in csv.DictReader(stream)]


def read_reviewed_owasp(path: Path) -> list[Labelled]:
    """The OWASP checklist items with the reviewer's mapping (``none``: no control answers it)."""
    text = path.read_bytes().decode("utf-8-sig")
    items = []
    for row in csv.DictReader(io.StringIO(text, newline="")):
        if row["assessable"] != "x":
            continue
        controls = frozenset(c for c in re.split(r"[,;\s]+", row["controls"]) if c and c != "none")
        items.append(Labelled(row["ref_id"], "owasp", row["description"], controls))
    return items


def score(items: list[Labelled], matcher: Matcher, notation: dict[str, str],
          verbose: bool) -> dict[str, Tally]:
    tallies = {"all": Tally(), "dev": Tally(), "test": Tally(), "owasp": Tally()}
    for item in items:
        match: Match = matcher.match(item.question)
        ranked = [notation[c.control] for c in match.candidates]
        review = match.needs_review(REVIEW_THRESHOLD)
        chosen = notation[match.controls[0]] if match.controls else None
        for key in ("all", item.split):
            tally = tallies[key]
            tally.total += 1
            tally.review += review
            if item.expected:
                tally.mappable += 1
                tally.top1 += bool(ranked[:1]) and ranked[0] in item.expected
                tally.top3 += bool(item.expected & set(ranked[:3]))
            if not review and (chosen is None or chosen not in item.expected):
                tally.wrong_confident += 1
        if verbose:
            ok = "ok " if ranked[:1] and ranked[0] in item.expected else (
                "-- " if not item.expected else "XX ")
            print(f"{ok}{item.id:>3} {item.split:<4} {match.method:<7} {match.confidence:.2f} "
                  f"{'REVIEW' if review else 'answer'} {' '.join(ranked[:3]):<40} "
                  f"want {' '.join(sorted(item.expected)) or '-'} | {item.question[:70]}")
    return tallies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT)
    parser.add_argument("--labelled", type=Path, default=HERE / "labelled-questions.csv")
    parser.add_argument("--owasp", type=Path,
                        default=ROOT / "examples/questionnaires/owasp-llm-checklist-reviewed.csv")
    parser.add_argument("--verbose", action="store_true", help="one line per question")
    args = parser.parse_args(argv)
    items = read_labelled(args.labelled)
    result = run(args.repo, AS_OF)
    bank = load_bank(result)
    notation = {iri: control.notation for iri, control in result.model.controls.items()}
    unknown = sorted({n for item in items for n in item.expected} - set(notation.values()))
    if unknown:
        print(f"labelled set names controls the repository lacks: {', '.join(unknown)}")
        return 2
    print(f"{len(items)} labelled questions ({sum(1 for i in items if i.expected)} mappable), "
          f"{len(result.model.controls)} controls, {len(bank.questions)} bank questions, "
          f"review threshold {REVIEW_THRESHOLD}")
    print()
    print("| configuration | questions | top-1 | top-3 | needs review | wrong confident |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, use_bank in (("bank + lexical", True), ("lexical only", False)):
        if args.verbose:
            print(f"\n## {label}")
        tallies = score(items, Matcher(result.model, bank, use_bank=use_bank), notation, args.verbose)
        for split in ("all", "dev", "test"):
            print(tallies[split].row(f"{label}, {split}"))
    # The bank holds these wordings (learned from the same review), so only the ranking is measured.
    owasp = read_reviewed_owasp(args.owasp)
    if args.verbose:
        print("\n## OWASP checklist, lexical only")
    tallies = score(owasp, Matcher(result.model, bank, use_bank=False), notation, args.verbose)
    print(tallies["owasp"].row(f"OWASP checklist ({sum(1 for i in owasp if i.expected)} items mapped by "
                               "the reviewer), lexical only"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
