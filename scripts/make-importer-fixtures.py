"""Regenerate the importer fixtures and demo evaluations with the real tools.

Writes, each with the tool itself (nothing here writes a tool's format by hand):

* ``tests/fixtures/importers/fairlearn/``: MetricFrame exports and the values Fairlearn's own
  scalar functions give for the same predictions (``fairlearn-reference.json``);
* ``tests/fixtures/importers/mlflow/mlruns/``: a finished run of a local file store;
* ``tests/fixtures/importers/huggingface/README.md``: a model card from ``huggingface_hub``;
* ``tests/fixtures/importers/promptfoo/*-results.json``: ``promptfoo eval -o`` of the suites there;
* ``tests/fixtures/importers/garak/*.report.jsonl``: garak scans of a local stand-in target;
* ``examples/evaluations/``: the demo inputs (a Fairlearn export for credit-scoring, a garak
  report for support-chatbot).

The tools are not dependencies of rai-graph; install them in throwaway places (see
``tests/fixtures/importers/README.md``) and run, for example::

    /tmp/importer-tools/bin/python scripts/make-importer-fixtures.py \\
        --garak-python /tmp/importer-garak/bin/python \\
        --promptfoo "/tmp/node22/bin/node /tmp/importer-promptfoo/node_modules/promptfoo/dist/src/entrypoint.js"

``--only fairlearn,mlflow`` regenerates some of them. Apart from run ids and clock times, the
outputs are the same on every run (fixed data, fixed seeds, deterministic stand-in targets).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "importers"
EXAMPLES = ROOT / "examples" / "evaluations"


class ToolMissing(Exception):
    """A tool needed for one of the outputs is not installed."""


# --- Fairlearn ----------------------------------------------------------------------------------

# Credit-scoring decisions, built cell by cell so that the per-group rates are exactly what the
# demo needs: y_true = 1 for applicants who repaid ("good"), y_pred = 1 for approved.
SHARES = {
    "sex": {"female": 0.45, "male": 0.55},
    "age_band": {"18-25": 0.14, "26-40": 0.37, "41-60": 0.34, "61+": 0.15},
    "nationality": {"national": 0.85, "other_eu": 0.09, "non_eu": 0.06},
}
GOOD_RATE = {"18-25": 0.74, "26-40": 0.80, "41-60": 0.83, "61+": 0.82}
# Approval rate of good applicants (true positive rate) and of bad ones (false positive rate):
# a base, plus an adjustment per attribute value.
TPR = (0.72, {"female": -0.004, "male": 0.003, "18-25": -0.07, "26-40": -0.005, "41-60": 0.01,
              "61+": 0.006, "national": 0.003, "other_eu": -0.012, "non_eu": -0.03})
FPR = (0.18, {"female": -0.002, "male": 0.002, "18-25": -0.03, "26-40": 0.0, "41-60": 0.004,
              "61+": 0.002, "national": 0.001, "other_eu": -0.004, "non_eu": -0.01})


def credit_decisions(applicants: int) -> dict[str, list[Any]]:
    """Columns sex, age_band, nationality, y_true, y_pred for ``applicants`` applications."""
    columns: dict[str, list[Any]] = {"sex": [], "age_band": [], "nationality": [], "y_true": [], "y_pred": []}
    for sex, sex_share in SHARES["sex"].items():
        for age, age_share in SHARES["age_band"].items():
            for nationality, nat_share in SHARES["nationality"].items():
                size = round(applicants * sex_share * age_share * nat_share)
                good = round(size * GOOD_RATE[age])
                rates = []
                for base, adjust in (TPR, FPR):
                    rates.append(base + adjust[sex] + adjust[age] + adjust[nationality])
                approved_good = round(good * rates[0])
                approved_bad = round((size - good) * rates[1])
                outcomes = ([(1, 1)] * approved_good + [(1, 0)] * (good - approved_good)
                            + [(0, 1)] * approved_bad + [(0, 0)] * (size - good - approved_bad))
                for y_true, y_pred in outcomes:
                    columns["sex"].append(sex)
                    columns["age_band"].append(age)
                    columns["nationality"].append(nationality)
                    columns["y_true"].append(y_true)
                    columns["y_pred"].append(y_pred)
    return columns


def metricframe_export(frames: list[Any], *, title: str, created: str) -> dict[str, Any]:
    """The export documented in rai_graph.authoring.importers.fairlearn, written by pandas."""
    import fairlearn

    return {
        "title": title,
        "created": created,
        "fairlearn_version": fairlearn.__version__,
        "metric_frames": [{"overall": json.loads(mf.overall.to_json()),
                           "by_group": json.loads(mf.by_group.to_json(orient="table"))} for mf in frames],
    }


def fairness_frames(data: Any, feature_sets: list[list[str]], *, accuracy: bool = True) -> list[Any]:
    from fairlearn.metrics import MetricFrame, count, false_positive_rate, selection_rate, true_positive_rate
    from sklearn.metrics import accuracy_score

    metrics = {"count": count, "selection_rate": selection_rate, "true_positive_rate": true_positive_rate,
               "false_positive_rate": false_positive_rate}
    if accuracy:
        metrics["accuracy_score"] = accuracy_score
    return [MetricFrame(metrics=metrics, y_true=data["y_true"], y_pred=data["y_pred"],
                        sensitive_features=data[features[0]] if len(features) == 1 else data[features])
            for features in feature_sets]


# The demo reproduces the out-of-time part of the example's fairness evaluation FE-CS-2026-Q3
# (evidence/credit-scoring/fairness-evaluation-2026q3.json): per group, booked accounts, 12-month
# defaults and the share of good accounts the new model approves (its true positive rate, rounded
# to three decimals as reported there). The share of defaulted accounts it approves (false positive
# rate) is not in that report; the values below are chosen, smaller in spread than the TPRs.
OOT_GROUPS = {
    "sex": {"female": (18905, 689, 0.912, 0.548), "male": (22965, 923, 0.918, 0.553)},
    "age_band": {"18-25": (4512, 291, 0.861, 0.52), "26-40": (15870, 652, 0.909, 0.55),
                 "41-60": (15204, 483, 0.931, 0.56), "61+": (6284, 186, 0.934, 0.555)},
    "nationality": {"national": (36010, 1339, 0.919, 0.552), "other_eu": (3640, 151, 0.902, 0.545),
                    "non_eu": (2220, 122, 0.884, 0.53)},
}


def _approvals(groups: dict[str, tuple[int, float]], total: int, *, exact: bool) -> dict[str, int]:
    """Approved counts per group summing to ``total``; with ``exact`` each rate keeps its 3 decimals."""
    counts = {name: round(size * rate) for name, (size, rate) in groups.items()}
    while sum(counts.values()) != total:
        step = 1 if sum(counts.values()) < total else -1
        movable = [name for name, (size, rate) in groups.items()
                   if not exact or round((counts[name] + step) / size, 3) == rate]
        if not movable:
            raise ValueError(f"no approval counts sum to {total} at these rates: {groups}")
        # Move the group whose rate stays closest to its target.
        name = min(movable, key=lambda n: abs((counts[n] + step) / groups[n][0] - groups[n][1]))
        counts[name] += step
    return counts


def _common_total(attributes: dict[str, dict[str, tuple[int, float]]]) -> int:
    """A total of approvals every attribute's 3-decimal rates allow."""
    lowest = max(sum(math.ceil(size * (rate - 0.0005)) for size, rate in groups.values())
                 for groups in attributes.values())
    highest = min(sum(math.floor(size * (rate + 0.0005) - 1e-9) for size, rate in groups.values())
                  for groups in attributes.values())
    if lowest > highest:
        raise ValueError("the reported rates of the attributes cannot describe one population")
    return (lowest + highest) // 2


def _spread(rows: list[int], share: dict[str, int]) -> dict[int, str]:
    """Give ``share[name]`` of ``rows`` to each name, evenly spread along ``rows`` (Bresenham)."""
    labels: dict[int, str] = {}
    names = list(share)
    quotas = [share[name] for name in names]
    total = sum(quotas)
    given = [0] * len(names)
    for index, row in enumerate(rows):
        # The name furthest behind its proportional quota at this point takes the row.
        behind = [(quotas[i] * (index + 1) / total - given[i], -i) for i in range(len(names))]
        chosen = -max(behind)[1]
        given[chosen] += 1
        labels[row] = names[chosen]
    return labels


def oot_decisions() -> dict[str, list[Any]]:
    """The out-of-time sample: exactly the reported group sizes, defaults and approval of good accounts."""
    goods = {attribute: {name: (size - bad, tpr) for name, (size, bad, tpr, _) in groups.items()}
             for attribute, groups in OOT_GROUPS.items()}
    bads = {attribute: {name: (bad, fpr) for name, (_, bad, _, fpr) in groups.items()}
            for attribute, groups in OOT_GROUPS.items()}
    good_total = _common_total(goods)
    bad_total = round(sum(bad * fpr for bad, fpr in bads["age_band"].values()))
    approved_good = {a: _approvals(g, good_total, exact=True) for a, g in goods.items()}
    approved_bad = {a: _approvals(b, bad_total, exact=False) for a, b in bads.items()}
    # Rows by age band first, in four categories: (y_true, y_pred).
    rows: list[tuple[str, int, int]] = []
    for age, (size, bad, _, _) in OOT_GROUPS["age_band"].items():
        good_yes, bad_yes = approved_good["age_band"][age], approved_bad["age_band"][age]
        rows += ([(age, 1, 1)] * good_yes + [(age, 1, 0)] * (size - bad - good_yes)
                 + [(age, 0, 1)] * bad_yes + [(age, 0, 0)] * (bad - bad_yes))
    labels: dict[str, dict[int, str]] = {"sex": {}, "nationality": {}}
    for attribute in ("sex", "nationality"):
        for y_true, y_pred in ((1, 1), (1, 0), (0, 1), (0, 0)):
            members = [i for i, row in enumerate(rows) if row[1:] == (y_true, y_pred)]
            if attribute == "nationality":  # a fixed shuffle, so nationality is not aligned with sex
                random.Random(20260930).shuffle(members)
            share = {}
            for name, (size, bad, _, _) in OOT_GROUPS[attribute].items():
                good_yes, bad_yes = approved_good[attribute][name], approved_bad[attribute][name]
                share[name] = {(1, 1): good_yes, (1, 0): size - bad - good_yes,
                               (0, 1): bad_yes, (0, 0): bad - bad_yes}[y_true, y_pred]
            labels[attribute].update(_spread(members, share))
    return {"sex": [labels["sex"][i] for i in range(len(rows))],
            "age_band": [row[0] for row in rows],
            "nationality": [labels["nationality"][i] for i in range(len(rows))],
            "y_true": [row[1] for row in rows], "y_pred": [row[2] for row in rows]}


def make_fairlearn() -> Iterator[Path]:
    try:
        import pandas as pd
        from fairlearn.metrics import (
            demographic_parity_difference,
            demographic_parity_ratio,
            equal_opportunity_difference,
            equalized_odds_difference,
            equalized_odds_ratio,
        )
    except ImportError as exc:
        raise ToolMissing(f"fairlearn: {exc}") from exc

    # Tests: a small population, one frame per attribute and one intersectional frame.
    data = pd.DataFrame(credit_decisions(4000))
    feature_sets = [["sex"], ["age_band"], ["sex", "age_band"]]
    frames = fairness_frames(data, feature_sets)
    target = FIXTURES / "fairlearn" / "metricframe-export.json"
    _write_json(target, metricframe_export(frames, title="Credit scoring fairness (test population)",
                                           created="2026-09-30T14:05:00+00:00"))
    yield target
    # What Fairlearn's own functions say about the same predictions, to check the importer.
    reference = {}
    for features in feature_sets:
        groups = data[features[0]] if len(features) == 1 else data[features]
        arguments = {"y_true": data["y_true"], "y_pred": data["y_pred"], "sensitive_features": groups}
        reference[", ".join(features)] = {
            "demographic_parity_difference": demographic_parity_difference(**arguments),
            "demographic_parity_ratio": demographic_parity_ratio(**arguments),
            "equal_opportunity_difference": equal_opportunity_difference(**arguments),
            "equalized_odds_difference": equalized_odds_difference(**arguments),
            "equalized_odds_ratio": equalized_odds_ratio(**arguments),
        }
    target = FIXTURES / "fairlearn" / "fairlearn-reference.json"
    _write_json(target, {"computed_by": "fairlearn.metrics scalar functions (between_groups, worst_case)",
                         "by_sensitive_features": reference})
    yield target
    # A by-group-only export of a single frame without the envelope.
    single = frames[0]
    target = FIXTURES / "fairlearn" / "single-frame.json"
    _write_json(target, {"by_group": json.loads(single.by_group.to_json(orient="table"))})
    yield target

    # Demo: the out-of-time sample of FE-CS-2026-Q3, one frame per protected attribute.
    data = pd.DataFrame(oot_decisions())
    frames = fairness_frames(data, [["sex"], ["age_band"], ["nationality"]], accuracy=False)
    target = EXAMPLES / "credit-scoring-fairness-2026q3.json"
    _write_json(target, metricframe_export(
        frames, title="Fairness evaluation FE-CS-2026-Q3 of NW-CS 3.1.0, out-of-time sample (Fairlearn)",
        created="2026-09-30T16:20:00+00:00"))
    yield target


# --- MLflow -------------------------------------------------------------------------------------


def make_mlflow() -> Iterator[Path]:
    try:
        import mlflow
        import mlflow.data
        import numpy as np
        import pandas as pd
        from sklearn.datasets import make_classification
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import accuracy_score, brier_score_loss, log_loss, roc_auc_score
        from sklearn.model_selection import train_test_split
    except ImportError as exc:
        raise ToolMissing(f"mlflow: {exc}") from exc

    store = FIXTURES / "mlflow" / "mlruns"
    shutil.rmtree(store, ignore_errors=True)
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"  # the file store is in maintenance mode since 3.x
    mlflow.set_tracking_uri(store.as_uri())
    mlflow.set_experiment("credit-scoring-validation")
    features, labels = make_classification(n_samples=6000, n_features=12, n_informative=6, weights=[0.8],
                                           flip_y=0.12, class_sep=0.7, random_state=20260619)
    train_x, rest_x, train_y, rest_y = train_test_split(features, labels, test_size=0.5, random_state=1)
    oot_x, recent_x, oot_y, recent_y = train_test_split(rest_x, rest_y, test_size=0.5, random_state=2)
    with mlflow.start_run(run_name="nw-cs-3.1.0-validation"):
        mlflow.log_params({"model": "LogisticRegression", "C": 0.5, "model_version": "3.1.0"})
        model = LogisticRegression(C=0.5, max_iter=200)
        for step, iterations in enumerate((3, 10, 200)):
            model.set_params(max_iter=iterations)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the early steps stop before converging, on purpose
                model.fit(train_x, train_y)
            mlflow.log_metric("train/log_loss", log_loss(train_y, model.predict_proba(train_x)[:, 1]), step=step)
        for name, (x, y) in {"oot-2024h2": (oot_x, oot_y), "recent-2026q2": (recent_x, recent_y)}.items():
            frame = pd.DataFrame(np.column_stack([x, y]), columns=[*(f"x{i}" for i in range(x.shape[1])), "default"])
            dataset = mlflow.data.from_pandas(frame, name=name, targets="default")
            scores = model.predict_proba(x)[:, 1]
            auc = roc_auc_score(y, scores)
            mlflow.log_metric("roc_auc", auc, dataset=dataset)
            mlflow.log_metric("gini", 2 * auc - 1, dataset=dataset)
            mlflow.log_metric("brier_score", brier_score_loss(y, scores), dataset=dataset)
        mlflow.log_metric("accuracy", accuracy_score(oot_y, model.predict(oot_x)))
    yield store


# --- Hugging Face -------------------------------------------------------------------------------


def make_huggingface() -> Iterator[Path]:
    try:
        from huggingface_hub import EvalResult, ModelCard, ModelCardData
    except ImportError as exc:
        raise ToolMissing(f"huggingface_hub: {exc}") from exc

    dataset = {"dataset_type": "northwind/support-intents", "dataset_name": "Northwind support intents",
               "dataset_split": "test", "task_type": "text-classification"}
    results = [
        EvalResult(**dataset, task_name="Intent classification", dataset_config="nl",
                   metric_type="accuracy", metric_value=0.912, metric_name="Accuracy"),
        EvalResult(**dataset, dataset_config="nl", metric_type="f1", metric_value=0.887, metric_config="macro",
                   metric_name="F1 (macro)"),
        EvalResult(**dataset, dataset_config="fr", metric_type="accuracy", metric_value=0.894),
        EvalResult(**dataset, dataset_config="fr", metric_type="f1", metric_value=0.861, metric_config="macro"),
    ]
    data = ModelCardData(language=["nl", "fr", "de", "en"], license="apache-2.0",
                         model_name="northwind/nora-intent-classifier", eval_results=results)
    card = ModelCard.from_template(data, model_id="nora-intent-classifier",
                                   model_description="Routes customer messages of the support assistant "
                                                     "Nora to an intent.")
    target = FIXTURES / "huggingface" / "README.md"
    card.save(target)
    yield target


# --- promptfoo ----------------------------------------------------------------------------------


def make_promptfoo(command: list[str]) -> Iterator[Path]:
    folder = FIXTURES / "promptfoo"
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PROMPTFOO_CONFIG_DIR": home, "PROMPTFOO_DISABLE_TELEMETRY": "1",
               "PROMPTFOO_DISABLE_UPDATE": "1"}
        for suite in ("eval", "redteam"):
            target = folder / f"{suite}-results.json"
            _run([*command, "eval", "-c", "promptfooconfig.yaml", "-o", str(target), "--no-cache",
                  "--no-progress-bar", "--no-table"], cwd=folder / suite, env=env, tool="promptfoo",
                 ok=(0, 100))  # 100: the eval ran and some tests failed, as these suites expect
            yield target


# --- garak --------------------------------------------------------------------------------------

GARAK_SMOKE = ["probes.dan.Dan_11_0", "probes.promptinject.HijackHateHumans", "probes.encoding.InjectBase64"]
GARAK_DEMO = ["probes.dan.Dan_11_0", "probes.promptinject.HijackHateHumans", "probes.promptinject.HijackKillHumans",
              "probes.latentinjection.LatentJailbreak", "probes.grandma.Win10", "probes.encoding.InjectBase64"]


def make_garak(python: str) -> Iterator[Path]:
    scans = [
        (FIXTURES / "garak" / "smoke.report.jsonl", GARAK_SMOKE, 12, 40),
        (EXAMPLES / "support-chatbot-garak.report.jsonl", GARAK_DEMO, 25, 90),
    ]
    for target, probes, cap, one_in in scans:
        with tempfile.TemporaryDirectory() as work:
            config = Path(work) / "run.yaml"
            config.write_text(f"run:\n  generations: 1\n  soft_probe_prompt_cap: {cap}\n  seed: 20260612\n"
                              f"reporting:\n  report_dir: {work}/out\n", encoding="utf-8")
            env = {**os.environ, "XDG_DATA_HOME": f"{work}/data", "XDG_CONFIG_HOME": f"{work}/config",
                   "XDG_CACHE_HOME": f"{work}/cache", "PYTHONPATH": str(FIXTURES / "garak"),
                   "NORA_STANDIN_COMPLIANCE_ONE_IN": str(one_in)}
            _run([python, "-m", "garak", "--config", str(config), "--target_type", "function",
                  "--target_name", "nora_standin#reply", "--spec", ",".join(probes), "--report_prefix", "scan"],
                 cwd=Path(work), env=env, tool="garak")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(work) / "out" / "scan.report.jsonl", target)
        yield target


# --- plumbing -----------------------------------------------------------------------------------


def _write_json(target: Path, data: Any) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _run(command: list[str], *, cwd: Path, env: dict[str, str], tool: str, ok: tuple[int, ...] = (0,)) -> None:
    try:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)
    except FileNotFoundError as exc:
        raise ToolMissing(f"{tool}: {exc}") from exc
    if done.returncode not in ok:
        raise ToolMissing(f"{tool} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="fairlearn,mlflow,huggingface,promptfoo,garak",
                        help="comma-separated tools to regenerate")
    parser.add_argument("--garak-python", default="python3", help="a Python where garak is installed")
    parser.add_argument("--promptfoo", default="promptfoo", help="the promptfoo command (Node.js >= 22.22)")
    options = parser.parse_args()
    makers: dict[str, Callable[[], Iterator[Path]]] = {
        "fairlearn": make_fairlearn,
        "mlflow": make_mlflow,
        "huggingface": make_huggingface,
        "promptfoo": lambda: make_promptfoo(shlex.split(options.promptfoo)),
        "garak": lambda: make_garak(options.garak_python),
    }
    failed = False
    for tool in options.only.split(","):
        if tool not in makers:
            parser.error(f"unknown tool {tool!r}; choose from {', '.join(makers)}")
        try:
            for path in makers[tool]():
                print(f"{tool}: wrote {path.relative_to(ROOT)}")
        except ToolMissing as exc:
            print(f"{tool}: NOT regenerated: {exc}", file=sys.stderr)
            failed = True
    print(f"done at {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
