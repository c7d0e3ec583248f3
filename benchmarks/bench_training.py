"""Figure 1: training speed, catgui's trainer against the article's loop, side by side.

Both train on the article's data in this one process: the deep network
``[12288, 20, 7, 5, 1]`` (lr 0.0075, 2500 iterations, seed 1) and logistic regression
(zeros, lr 0.005, 2000 iterations). catgui is timed from ``Trainer(...)`` to the final
``network()`` (its Gram matrix included), several times, half before and half after the
baseline so that a change in machine load hits both; the baseline
(``baseline_article.py``) runs fewer times because it is slow. Printed: both medians,
their ratio and the largest relative difference between the two cost curves.

Run: ``python benchmarks/bench_training.py [--runs 11] [--baseline-runs 1] [--no-plain]``
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

import baseline_article as baseline
import numpy as np
from _common import data_folder, emit, machine, median, seconds, skip, table, timed

from catgui.core import dataset
from catgui.core.training import TrainConfig, Trainer


def catgui_run(x: np.ndarray, y: np.ndarray, config: TrainConfig) -> tuple[list[float], str]:
    trainer = Trainer(x, y, config)
    trainer.run()  # run() ends with network(): W1 is formed from C
    return trainer.costs, trainer.path


def largest_relative_difference(a: list[float], b: list[float]) -> float:
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return float("inf")
    return float(np.max(np.abs(a - b) / np.abs(b)))


def compare(name, x, y, config, baseline_fn, runs: int, baseline_runs: int, plain: bool) -> dict:
    """Time catgui and the baseline on the same data; return the JSON record."""
    catgui_run(x, y, replace(config, iterations=5))  # warm up
    before, after = (runs + 1) // 2, runs // 2
    times, costs, path = [], None, None
    for _ in range(before):
        t, (costs, path) = timed(lambda: catgui_run(x, y, config))
        times.append(t)
    base_times, base_costs = [], None
    for _ in range(baseline_runs):
        t, base_costs = timed(baseline_fn)
        base_times.append(t)
    for _ in range(after):
        t, (costs, path) = timed(lambda: catgui_run(x, y, config))
        times.append(t)
    record = {
        "figure": 1,
        "name": name,
        "catgui_path": path,
        "catgui_seconds_median": median(times),
        "catgui_seconds_min": min(times),
        "catgui_seconds_all": times,
        "baseline_seconds_median": median(base_times),
        "baseline_seconds_all": base_times,
        "ratio": median(base_times) / median(times),
        "max_relative_cost_difference": largest_relative_difference(costs, base_costs),
        "iterations": len(costs),
        "costs_at": {str(i): round(costs[i], 6) for i in (0, 100, len(costs) - 100)},
    }
    if plain:
        t, (plain_costs, _) = timed(lambda: catgui_run(x, y, replace(config, path="plain")))
        record["catgui_plain_seconds"] = t
        record["plain_vs_gram_max_relative_difference"] = largest_relative_difference(
            costs, plain_costs
        )
    record["machine"] = machine()
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="catgui runs per recipe")
    parser.add_argument(
        "--baseline-runs", type=int, default=1, help="baseline runs, deep network (~40 s each)"
    )
    parser.add_argument(
        "--baseline-runs-logreg", type=int, default=3, help="baseline runs, logistic regression"
    )
    parser.add_argument("--no-plain", action="store_true", help="skip catgui's plain path")
    args = parser.parse_args(argv)
    folder = data_folder()
    if folder is None:
        reason = "the cat/non-cat data set is not at $CATGUI_DATA or ../shared/datasets"
        skip(1, "training_article", reason)
        skip(1, "training_logreg", reason)
        return 0
    data = dataset.load(folder)
    x, y = data.train.features(), data.train.labels()
    deep = TrainConfig()
    logreg = TrainConfig.logistic_regression()
    records = [
        compare(
            "training_article",
            x,
            y,
            deep,
            lambda: baseline.train_deep(x, y, [12288, 20, 7, 5, 1])[1],
            args.runs,
            args.baseline_runs,
            not args.no_plain,
        ),
        compare(
            "training_logreg",
            x,
            y,
            logreg,
            lambda: baseline.train_logistic(x, y)[2],
            args.runs,
            args.baseline_runs_logreg,
            not args.no_plain,
        ),
    ]
    rows = []
    for r in records:
        rows.append(
            [
                r["name"],
                r["catgui_path"],
                seconds(r["catgui_seconds_median"]),
                seconds(r["baseline_seconds_median"]),
                f"{r['ratio']:.0f}x",
                f"{r['max_relative_cost_difference']:.1e}",
                seconds(r["catgui_plain_seconds"]) if "catgui_plain_seconds" in r else "-",
            ]
        )
    print(
        table(
            ["recipe", "path", "catgui", "baseline", "ratio", "max rel. diff", "catgui plain"],
            rows,
        )
    )
    for r in records:
        emit(r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
