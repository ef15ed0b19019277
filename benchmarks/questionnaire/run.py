"""Measure ``questionnaire answer`` on labelled questionnaires, before and after one learn cycle.

The sets (``sets/``, labelled by the rule in ``sets/LABELLING.md``):

* development — ``dev-a`` and ``dev-b``, two customers' questionnaires; the calibration is fitted
  on them and the rules were tuned on them;
* test — ``test-c`` and ``test-d``, two more customers' questionnaires (d is "the next customer",
  asking many of c's topics in other words), never used for tuning or fitting;
* public — the OWASP LLM checklist and the Canada AIA survey (``examples/questionnaires/``),
  labelled here, never used for tuning or fitting.

Every questionnaire is answered through the product's own path (read the file, answer each row,
write the customer's file) for the example system ``credit-scoring`` as of 2026-11-24, audience
customer, first with an **empty learned bank** (the standard bank only). A reviewer is then
simulated from the labels: for each row sent to review it accepts the first right suggestion,
else types the expected controls, or picks "no control answers this"; the reviewed file is read
back by ``questionnaire learn``'s own code and its questions added to the bank. "After" answers the
next questionnaire with that bank: d after c (and c after d), b after a (and a after b), and each
public questionnaire after its own review (the next customer sending the same standard checklist).

Reported per set and bank: answered correctly (no review, the right controls — every part — and
the right kind of answer), wrong with confidence (no review, but wrong: must be at most 1 %), sent
to review, and reviewer actions per 100 questions (0 for a right answer; 1 to accept a right
suggestion or mark a question no control answers; 2 to look up and type an answer, or to find and
fix a wrong one). Then a reliability table: the calibrated confidence against how often the
controls were right, on the development runs (fitted) and the held-out ones.

Run from the repository root::

    PYTHONPATH=src .venv/bin/python benchmarks/questionnaire/run.py            # the tables
    PYTHONPATH=src .venv/bin/python benchmarks/questionnaire/run.py --verbose  # one line per question
    PYTHONPATH=src .venv/bin/python benchmarks/questionnaire/run.py --fit      # refit the calibration
    PYTHONPATH=src .venv/bin/python benchmarks/questionnaire/run.py --write-readme

``--fit`` writes ``src/rai_graph/questionnaire/calibration_map.py`` from the development runs only,
then measures with it; ``--write-readme`` replaces the results in ``README.md`` with this run's.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

# After the path set-up above, so the worktree's package is measured.
from rai_graph.pipeline import PipelineResult, run  # noqa: E402
from rai_graph.questionnaire import calibration, calibration_map  # noqa: E402
from rai_graph.questionnaire.answering import Answer, Answerer, answer_questionnaire  # noqa: E402
from rai_graph.questionnaire.bank import QuestionBank, load_bank, select_bank  # noqa: E402
from rai_graph.questionnaire.export import render_output  # noqa: E402
from rai_graph.questionnaire.importing import decode_csv, read_csv_records, read_questionnaire  # noqa: E402
from rai_graph.questionnaire.learn import learn_questions  # noqa: E402
from rai_graph.questionnaire.table import Questionnaire  # noqa: E402
from rai_graph.questionnaire.understanding import understand  # noqa: E402

AS_OF = dt.date(2026, 11, 24)
SYSTEM = "credit-scoring"
AUDIENCE = "customer"
SETS = HERE / "sets"
EXAMPLES = ROOT / "examples" / "questionnaires"
MAP_FILE = ROOT / "src" / "rai_graph" / "questionnaire" / "calibration_map.py"
README = HERE / "README.md"
DEVELOPMENT = ("dev-a", "dev-b", "dev-e")
HELD_OUT = ("test-c", "test-d", "owasp", "aia")
NEXT = {"dev-a": "dev-b", "dev-b": "dev-a", "dev-e": "dev-e", "test-c": "test-d", "test-d": "test-c",
        "owasp": "owasp", "aia": "aia"}
"""Whose reviewed questionnaire is learned before a set is answered again."""
WRONG_TARGET = 0.01
GATE_MARGIN = 0.5
"""The gate keeps development wrong-with-confidence at most this share of the target."""
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95)
FOLDS = 5
"""The gate is chosen on out-of-fold confidences: each development question is scored by weights
fitted without it, so the gate does not trust the fit's view of its own data."""


def fold_of(set_name: str, item: str) -> int:
    return zlib.crc32(f"{set_name}/{item}".encode()) % FOLDS


@dataclass(frozen=True)
class Label:
    groups: tuple[frozenset[str], ...]
    """One group per part; a part is right when one of its group's controls answers it. Empty:
    no control answers the question."""
    kind: str

    def right(self, controls: Iterable[str]) -> bool:
        chosen = set(controls)
        union = set().union(*self.groups) if self.groups else set()
        return bool(self.groups) and bool(chosen) and chosen <= union and all(g & chosen for g in self.groups)

    def kind_right(self, kind: str) -> bool:
        return self.kind == "choice" or self.kind == kind


@dataclass
class QSet:
    name: str
    source: Path
    questionnaire: Questionnaire
    labels: dict[tuple[str, int], tuple[str, Label]]
    """(sheet, row) → (id, label)."""
    licence: str = ""


@dataclass
class Outcome:
    item: str
    question: str
    label: Label
    answer: Answer

    @property
    def review(self) -> bool:
        return self.answer.needs_review

    @property
    def correct(self) -> bool:
        return (not self.review and self.label.right(self.answer.controls)
                and self.label.kind_right(self.answer.kind))

    @property
    def wrong(self) -> bool:
        return not self.review and not self.correct

    @property
    def right_suggestion(self) -> int | None:
        """The first suggestion a reviewer can accept as it is."""
        for suggestion in self.answer.suggestions:
            if (not self.label.groups and not suggestion.controls) or self.label.right(suggestion.controls):
                return suggestion.number
        return None

    @property
    def actions(self) -> int:
        if self.correct:
            return 0
        if self.wrong:
            return 2
        if not self.label.groups or self.right_suggestion is not None:
            return 1
        return 2


@dataclass
class Tally:
    questions: int = 0
    correct: int = 0
    wrong: int = 0
    review: int = 0
    actions: int = 0
    seconds: float = 0.0

    def add(self, outcome: Outcome) -> None:
        self.questions += 1
        self.correct += outcome.correct
        self.wrong += outcome.wrong
        self.review += outcome.review
        self.actions += outcome.actions

    def cells(self) -> list[str]:
        def share(part: int) -> str:
            return f"{part} ({part / self.questions:.1%})" if self.questions else "n/a"

        per_100 = 100 * self.actions / self.questions if self.questions else 0.0
        return [str(self.questions), share(self.correct), share(self.wrong), share(self.review), f"{per_100:.0f}"]


@dataclass
class Run:
    set: str
    bank: str
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def tally(self) -> Tally:
        tally = Tally(seconds=self.seconds)
        for outcome in self.outcomes:
            tally.add(outcome)
        return tally


# --- the sets --------------------------------------------------------------------------------

def parse_label(expected: str, kind: str) -> Label:
    if expected.strip() in ("", "none"):
        return Label((), kind)
    return Label(tuple(frozenset(group.split()) for group in expected.split("+")), kind)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def load_sets(folder: Path) -> dict[str, QSet]:
    sets: dict[str, QSet] = {}
    for name in ("dev-a", "dev-b", "dev-e", "test-c", "test-d"):
        rows = _csv_rows(SETS / f"{name}.csv")
        source = folder / f"{name}.csv"
        with source.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(["Ref", "Question"])
            writer.writerows([r["id"], r["question"]] for r in rows)
        questionnaire = read_questionnaire(source, question_column="Question")
        sheet = questionnaire.sheets[0]
        by_id = {r["id"]: r for r in rows}
        labels = {}
        for row in sheet.questions:
            record = by_id[row.cells[0]]
            labels[(sheet.name, row.number)] = (record["id"], parse_label(record["expected"], record["kind"]))
        if len(labels) != len(rows):
            raise SystemExit(f"{name}: {len(rows)} labelled questions, {len(labels)} read as questions")
        sets[name] = QSet(name, source, questionnaire, labels)
    owasp = read_questionnaire(EXAMPLES / "owasp-llm-checklist.xlsx")
    owasp_labels = {r["ref_id"]: r for r in _csv_rows(SETS / "owasp-llm-checklist.labels.csv")}
    sheet = owasp.sheets[0]
    ref = sheet.columns.index("ref_id")
    labels = {(sheet.name, row.number): (row.cells[ref], parse_label(owasp_labels[row.cells[ref]]["expected"],
                                                                     owasp_labels[row.cells[ref]]["kind"]))
              for row in sheet.questions}
    sets["owasp"] = QSet("owasp", EXAMPLES / "owasp-llm-checklist.xlsx", owasp, labels, "CC BY-SA 4.0")
    aia = read_questionnaire(EXAMPLES / "canada-aia-survey-enfr.json")
    aia_labels = {r["name"]: r for r in _csv_rows(SETS / "canada-aia.labels.csv")}
    sheet = aia.sheets[0]
    labels = {(sheet.name, row.number): (row.cells[1], parse_label(aia_labels[row.cells[1]]["expected"],
                                                                   aia_labels[row.cells[1]]["kind"]))
              for row in sheet.questions}
    sets["aia"] = QSet("aia", EXAMPLES / "canada-aia-survey-enfr.json", aia, labels, "MIT")
    for qset in sets.values():
        missing = [key for key in ((s.name, r.number) for s, r in qset.questionnaire.questions)
                   if key not in qset.labels]
        if missing:
            raise SystemExit(f"{qset.name}: rows without a label: {missing[:5]}")
    return sets


# --- answering, reviewing, learning ----------------------------------------------------------

def answer_set(qset: QSet, result: PipelineResult, bank: QuestionBank, bank_name: str, gate: float) -> Run:
    started = time.perf_counter()
    answerer = Answerer(result, SYSTEM, AUDIENCE, bank, threshold=gate)
    answers = answer_questionnaire(qset.questionnaire, answerer)
    elapsed = time.perf_counter() - started
    outcome_run = Run(qset.name, bank_name, seconds=elapsed)
    for key, answer in sorted(answers.items()):
        item, label = qset.labels[key]
        outcome_run.outcomes.append(Outcome(item, answer.question, label, answer))
    return outcome_run


def review_entry(outcome: Outcome) -> str:
    """What the simulated reviewer writes in the review cell of a row sent to review."""
    if not outcome.label.groups:
        return "no control answers this"
    number = outcome.right_suggestion
    if number is not None:
        return f"accept {number}"
    return ", ".join(sorted(group)[0] for group in outcome.label.groups)


def learn_from(qset: QSet, outcome_run: Run, result: PipelineResult, bank: QuestionBank,
               folder: Path) -> QuestionBank:
    """The bank after a reviewer reviewed ``outcome_run`` and ``learn`` read the reviewed file."""
    answers = {(o.answer.sheet, o.answer.row): o.answer for o in outcome_run.outcomes}
    entries = {(o.answer.sheet, o.answer.row): review_entry(o) for o in outcome_run.outcomes if o.review}
    answered = folder / f"{qset.name}-answered.csv"
    answered.write_bytes(render_output(qset.questionnaire, answers, answered))
    records = read_csv_records(decode_csv(answered.read_bytes()))
    sheet = qset.questionnaire.sheets[0]
    header = records[sheet.header_row - 1]
    column = header.index("review")
    for (_, number), entry in entries.items():
        records[number - 1][column] = entry
    reviewed = folder / f"{qset.name}-reviewed.csv"
    with reviewed.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(records)
    learned = learn_questions(read_questionnaire(reviewed, question_column=sheet.columns[sheet.question_column]),
                              result, bank, AS_OF, reviewer="Benchmark Reviewer <reviewer@example.org>")
    source = f"controls/questions/learned-{qset.name}.ttl"
    return QuestionBank([*bank.questions, *learned.bank_questions(source)], list(bank.problems))


def measure(sets: dict[str, QSet], result: PipelineResult, gate: float, folder: Path) -> list[Run]:
    standard = select_bank(load_bank(result), "standard")
    before = {name: answer_set(qset, result, standard, "empty learned bank", gate) for name, qset in sets.items()}
    runs = list(before.values())
    for name, qset in sets.items():
        previous = NEXT[name]
        bank = learn_from(sets[previous], before[previous], result, standard, folder)
        label = "after learning itself" if previous == name else f"after learning {previous}"
        runs.append(answer_set(qset, result, bank, label, gate))
    return runs


# --- calibration -----------------------------------------------------------------------------

Sample = tuple[str, str, str, tuple[float, ...], bool]
"""(set, item, method, features, right)."""


def fit_samples(sets: dict[str, QSet], result: PipelineResult, folder: Path) -> list[Sample]:
    """Features and rightness of every way of matching each single-part development question,
    with the empty learned bank and after each learn cycle (including the same questionnaire
    again, which gives the exact matches)."""
    standard = select_bank(load_bank(result), "standard")
    samples: list[Sample] = []
    gate = 1.01  # every row reviewed, so the simulated reviewer learns every row
    banks = [standard]
    for name in DEVELOPMENT:
        reviewed = answer_set(sets[name], result, standard, "", gate)
        banks.append(learn_from(sets[name], reviewed, result, standard, folder))
    notation = {iri: c.notation for iri, c in result.model.controls.items()}
    for bank in banks:
        answerer = Answerer(result, SYSTEM, AUDIENCE, bank, threshold=gate)
        for name in DEVELOPMENT:
            for sheet, row in sets[name].questionnaire.questions:
                item, label = sets[name].labels[(sheet.name, row.number)]
                understanding = understand(row.question)
                if understanding.compound or understanding.outside is not None:
                    continue
                for option in answerer.matcher.options(row.question):
                    if not option.controls:
                        continue
                    right = label.right(notation[c] for c in option.controls)
                    samples.append((name, item, option.method, option.features, right))
    return samples


def fit_weights(samples: Iterable[Sample]) -> dict[str, tuple[float, ...]]:
    by_method: dict[str, list[tuple[tuple[float, ...], bool]]] = defaultdict(list)
    for _, _, method, features, right in samples:
        by_method[method].append((features, right))
    return {method: calibration.fit_logistic(with_prior(found)) for method, found in by_method.items()}


def fit(sets: dict[str, QSet], result: PipelineResult, folder: Path) -> float:
    """Fit the weights on every development sample and choose the gate on out-of-fold runs;
    write the map and use it in this process. Returns the gate."""
    samples = fit_samples(sets, result, folder)
    development = {n: sets[n] for n in DEVELOPMENT}
    pooled: list[Run] = []
    for fold in range(FOLDS):
        calibration_map.WEIGHTS = fit_weights(s for s in samples if fold_of(s[0], s[1]) != fold)
        # Every row reviewed (gate above 1), so the learn cycles see every row; the gate is then
        # chosen from the confidences, which do not depend on it.
        for outcome_run in measure(development, result, 1.01, folder):
            kept = [o for o in outcome_run.outcomes if fold_of(outcome_run.set, o.item) == fold]
            pooled.append(Run(outcome_run.set, outcome_run.bank, kept))
    gate = choose_gate(pooled)
    weights = fit_weights(samples)
    counts: dict[str, tuple[int, int]] = {}
    for _, _, method, _, right in samples:
        right_so_far, total = counts.get(method, (0, 0))
        counts[method] = (right_so_far + right, total + 1)
    write_map(weights, gate, counts)
    calibration_map.WEIGHTS = weights
    calibration_map.GATE = gate
    return gate


def with_prior(samples: list[tuple[tuple[float, ...], bool]]) -> list[tuple[tuple[float, ...], bool]]:
    """One right and one wrong sample at the mean features: however often a method was right in
    development, it is never certain (for the exact match, (right + 1) / (all + 2))."""
    width = len(samples[0][0])
    mean = tuple(sum(f[i] for f, _ in samples) / len(samples) for i in range(width))
    return [*samples, (mean, True), (mean, False)]


def write_map(weights: dict[str, tuple[float, ...]], gate: float, counts: dict[str, tuple[int, int]]) -> None:
    lines = [
        '"""The fitted calibration. Generated by ``benchmarks/questionnaire/run.py --fit``: do not edit.',
        "",
        f"Fitted on the development sets ({', '.join(DEVELOPMENT)}) on {dt.date.today().isoformat()}; "
        "samples (right of all) per",
        "method: " + ", ".join(f"{m} {r} of {n}" for m, (r, n) in sorted(counts.items())) + ".",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        f"GATE = {gate}",
        '"""The least confidence answered without review: the lowest at which the development runs stay',
        f'within {GATE_MARGIN:.0%} of the {WRONG_TARGET:.0%} wrong-with-confidence target."""',
        "",
        "WEIGHTS: dict[str, tuple[float, ...]] = {",
    ]
    for method in sorted(weights):
        names = ", ".join(("intercept", *calibration.FEATURES[method]))
        lines.append(f"    # {names}")
        lines.append(f'    "{method}": {weights[method]!r},')
    lines.append("}")
    lines.append('"""Per method, logistic regression weights: intercept, then one per feature."""')
    MAP_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")


def choose_gate(runs: Sequence[Run]) -> float:
    """The lowest gate at which wrong-with-confidence on the development runs stays within the margin."""
    rows = [o for r in runs for o in r.outcomes]
    allowed = WRONG_TARGET * GATE_MARGIN * len(rows)
    for gate in [g / 100 for g in range(50, 100)]:
        wrong = sum(1 for o in rows if _auto_at(o, gate) and not _right_at(o))
        if wrong <= allowed:
            return gate
    return 0.99


def _auto_at(outcome: Outcome, gate: float) -> bool:
    """Whether the row would be answered without review at ``gate`` (other reasons unchanged)."""
    answer = outcome.answer
    reason = answer.review_reason or ""
    blocked = answer.needs_review and not reason.startswith("no confident match")
    return not blocked and bool(answer.controls) and answer.confidence >= gate


def _right_at(outcome: Outcome) -> bool:
    return outcome.label.right(outcome.answer.controls) and outcome.label.kind_right(outcome.answer.kind)


def reliability(runs: Sequence[Run]) -> list[list[str]]:
    """Per confidence bin: questions, mean confidence, share whose controls were right."""
    bins: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for outcome in (o for r in runs for o in r.outcomes):
        answer = outcome.answer
        if not answer.controls or answer.outside is not None or (answer.review_reason or "").startswith("a reviewer"):
            continue
        index = max(i for i, low in enumerate(BINS) if answer.confidence >= low)
        bins[index].append((answer.confidence, outcome.label.right(answer.controls)))
    rows = []
    for index, low in enumerate(BINS):
        high = BINS[index + 1] if index + 1 < len(BINS) else 1.0
        found = bins.get(index, [])
        if not found:
            rows.append([f"{low:.2f}–{high:.2f}", "0", "", ""])
            continue
        mean = sum(c for c, _ in found) / len(found)
        right = sum(1 for _, r in found if r) / len(found)
        rows.append([f"{low:.2f}–{high:.2f}", str(len(found)), f"{mean:.2f}", f"{right:.2f}"])
    return rows


# --- output ----------------------------------------------------------------------------------

def table(header: Sequence[str], rows: Iterable[Sequence[str]], right: Iterable[int] = ()) -> str:
    aligned = set(right)
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---:" if i in aligned else "---" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def report(runs: Sequence[Run], gate: float, result: PipelineResult, sets: dict[str, QSet]) -> str:
    standard = select_bank(load_bank(result), "standard")
    out = [f"{len(result.model.controls)} controls, {len(standard.questions)} standard bank questions, "
           f"system {SYSTEM}, audience {AUDIENCE}, as of {AS_OF}, gate {gate:.2f}", ""]
    order = [*DEVELOPMENT, *HELD_OUT]
    rows = []
    for name in order:
        for outcome_run in (r for r in runs if r.set == name):
            kind = "development" if name in DEVELOPMENT else "held out"
            rows.append([name, kind, outcome_run.bank, *outcome_run.tally().cells()])
    for group, names in (("development", DEVELOPMENT), ("held out", HELD_OUT)):
        for bank in ("empty learned bank", "after one learn cycle"):
            total = Tally()
            first = bank == "empty learned bank"
            for outcome_run in runs:
                if outcome_run.set in names and (outcome_run.bank == "empty learned bank") == first:
                    for outcome in outcome_run.outcomes:
                        total.add(outcome)
            rows.append([f"**all {group}**", "", bank, *total.cells()])
    out.append(table(["set", "", "bank", "questions", "answered correctly", "wrong with confidence",
                      "sent to review", "reviewer actions / 100"], rows, right=range(3, 8)))
    out.append("")
    development = [r for r in runs if r.set in DEVELOPMENT]
    held_out = [r for r in runs if r.set in HELD_OUT]
    out.append("Reliability of the confidence (rows whose parts all matched a control; right = the "
               "controls are the labelled ones):")
    out.append("")
    dev_rows, test_rows = reliability(development), reliability(held_out)
    out.append(table(["confidence", "development: rows", "mean confidence", "right",
                      "held out: rows", "mean confidence", "right"],
                     ([d[0], *d[1:], *t[1:]] for d, t in zip(dev_rows, test_rows, strict=True)),
                     right=range(1, 7)))
    out.append("")
    timing = [(r.set, r.bank, len(r.outcomes), r.seconds) for r in runs]
    slowest = max(timing, key=lambda t: t[3] / max(t[2], 1))
    total_questions = sum(t[2] for t in timing)
    total_seconds = sum(t[3] for t in timing)
    out.append(f"Answering speed: {total_questions} questions in {total_seconds:.1f} s "
               f"({1000 * total_seconds / max(total_questions, 1):.1f} ms a question; slowest "
               f"{slowest[0]} {slowest[1]}: {1000 * slowest[3] / max(slowest[2], 1):.1f} ms), "
               "after the pipeline has loaded the repository.")
    return "\n".join(out)


def verbose_lines(runs: Sequence[Run]) -> str:
    lines = []
    for outcome_run in runs:
        lines.append(f"\n## {outcome_run.set}, {outcome_run.bank}")
        for o in outcome_run.outcomes:
            answer = o.answer
            mark = "ok " if o.correct else ("XX " if o.wrong else "-- ")
            want = " + ".join(" ".join(sorted(g)) for g in o.label.groups) or "none"
            methods = ",".join(f"{p.match.method}:{p.match.raw:.2f}" for p in answer.parts)
            suggested = f" s{o.right_suggestion}" if o.review and o.right_suggestion else ""
            question = " ".join(o.question.split())[:70]
            lines.append(f"{mark}{o.item:>8} {answer.kind[:4]} {answer.confidence:.2f} "
                         f"{'REVIEW' if o.review else 'answer'}{suggested} {','.join(answer.controls) or '-':<26} "
                         f"want {want:<26} [{methods}] {question}")
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    if start not in readme or end not in readme:
        raise SystemExit(f"{README}: no {start} … {end} markers")
    head, rest = readme.split(start, 1)
    _, tail = rest.split(end, 1)
    command = "PYTHONPATH=src .venv/bin/python benchmarks/questionnaire/run.py"
    block = f"{start}\n<!-- generated by `{command} --write-readme`; do not edit by hand -->\n\n{text}\n\n{end}"
    README.write_text(head + block + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT)
    parser.add_argument("--verbose", action="store_true", help="one line per question")
    parser.add_argument("--fit", action="store_true", help="refit the calibration on the development sets")
    parser.add_argument("--write-readme", action="store_true", help="put this run's tables in README.md")
    args = parser.parse_args(argv)
    result = run(args.repo, AS_OF)
    with tempfile.TemporaryDirectory(prefix="rai-graph-benchmark-") as temporary:
        folder = Path(temporary)
        sets = load_sets(folder)
        if args.fit:
            fit(sets, result, folder)
        gate = calibration_map.GATE
        runs = measure(sets, result, gate, folder)
    text = report(runs, gate, result, sets)
    print(text)
    if args.verbose:
        print(verbose_lines(runs))
    if args.write_readme:
        write_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
