"""List the stems that different words share, to find words of different meaning made one.

Snowball stems "assistant" and "assistive" alike, so a chatbot question met the accessibility
control. This lists, for the matcher's corpus (control titles, descriptions and answer texts,
requirement titles and texts, the question bank, and the development questionnaires — never the
test sets), every stem with more than one surface word, most frequent first, so a person can read
it and give a stem of its own to each word of another meaning (``SENSES`` in
``src/rai_graph/questionnaire/text.py``). Stems ``SENSES`` already split are listed with their
new stems after ``->``.

Run from the repository root::

    PYTHONPATH=src .venv/bin/python benchmarks/questionnaire/stem_collisions.py [--min-count N]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rai_graph.pipeline import run  # noqa: E402 - after the path set-up above
from rai_graph.questionnaire.text import _STEMMER, SENSES, STOPWORDS, stem, words  # noqa: E402

DEVELOPMENT_SETS = ("dev-a.csv", "dev-b.csv")


def corpus(repo: Path) -> list[str]:
    result = run(repo)
    texts: list[str] = []
    for control in result.model.controls.values():
        texts += [control.title, control.description or "", control.answer_text or ""]
    for requirement in result.model.requirements.values():
        texts += [requirement.title or "", requirement.text or ""]
    for question in result.model.questions.values():
        texts += list(question.texts)
    for name in DEVELOPMENT_SETS:
        with (HERE / "sets" / name).open(encoding="utf-8", newline="") as stream:
            texts += [row["question"] for row in csv.DictReader(stream)]
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT)
    parser.add_argument("--min-count", type=int, default=1, help="leave out words seen fewer times")
    args = parser.parse_args(argv)
    by_snowball: dict[str, Counter[str]] = defaultdict(Counter)
    for text in corpus(args.repo):
        for word in words(text):
            if word in STOPWORDS or len(word) < 3:
                continue
            by_snowball[str(_STEMMER.stemWord(word))][word] += 1
    shared = {s: c for s, c in by_snowball.items()
              if len([w for w, n in c.items() if n >= args.min_count]) > 1}
    for snowball, counts in sorted(shared.items(), key=lambda item: -sum(item[1].values())):
        listed = ", ".join(f"{w} {n}" for w, n in counts.most_common() if n >= args.min_count)
        split = sorted({stem(w) for w in counts if w in SENSES} | {stem(w) for w in counts})
        after = f"  -> {' | '.join(split)}" if len(split) > 1 else ""
        print(f"{snowball:<16} {listed}{after}")
    print(f"\n{len(shared)} stems shared by more than one word; {len(SENSES)} words have a sense of their own",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
