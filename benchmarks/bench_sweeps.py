"""Figure 8: sweeps of the article's recipe, end to end.

Timed from loading the data set to the last record: the 10-seed sweep (seeds 1-10,
each run trained, then scored on the training and test pictures) and 5-fold
cross-validation of the recipe (seed 1) on the 209 training pictures. Printed: the
times, the seed sweep's mean and range of test accuracy, and the CV figure.

Run: ``python benchmarks/bench_sweeps.py [--runs 3]``
"""

from __future__ import annotations

import argparse
import sys

from _common import data_folder, emit, machine, median, seconds, skip, table, timed

from catgui.core import dataset, kinds, sweeps


def seed_sweep(folder) -> list:
    data = dataset.load(folder)
    config = kinds.default().make_config()
    return sweeps.run_all(sweeps.seed_sweep(data, config, range(1, 11)))


def cross_validation(folder):
    data = dataset.load(folder)
    config = kinds.default().make_config()
    return sweeps.run_all(sweeps.cross_validate(data.train, config, k=5))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each")
    args = parser.parse_args(argv)
    folder = data_folder()
    if folder is None:
        reason = "the cat/non-cat data set is not at $CATGUI_DATA or ../shared/datasets"
        skip(8, "sweep_seeds", reason)
        skip(8, "sweep_cv", reason)
        return 0
    sweep_times, cv_times, records, cv = [], [], None, None
    for _ in range(args.runs):
        t, records = timed(lambda: seed_sweep(folder))
        sweep_times.append(t)
        t, cv = timed(lambda: cross_validation(folder))
        cv_times.append(t)
    summary = sweeps.summarise(records)
    sweep_record = {
        "figure": 8,
        "name": "sweep_seeds",
        "seconds_median": median(sweep_times),
        "seconds_all": sweep_times,
        "runs": len(records),
        "test_accuracies": [r.test_accuracy for r in records],
        "test_mean": summary.mean,
        "test_spread": summary.spread,
        "test_low": summary.low,
        "test_high": summary.high,
        "machine": machine(),
    }
    cv_record = {
        "figure": 8,
        "name": "sweep_cv",
        "seconds_median": median(cv_times),
        "seconds_all": cv_times,
        "cv_mean": cv.mean,
        "cv_spread": cv.spread,
        "folds": list(cv.accuracies),
        "machine": machine(),
    }
    pct = lambda v: f"{100 * v:.1f} %"  # noqa: E731
    print(
        table(
            ["sweep", "time (median)", "figure"],
            [
                [
                    "10 seeds, article recipe",
                    seconds(sweep_record["seconds_median"]),
                    f"test mean {pct(summary.mean)}, range {pct(summary.low)}-{pct(summary.high)}",
                ],
                [
                    "5-fold CV, article recipe",
                    seconds(cv_record["seconds_median"]),
                    f"cv {pct(cv.mean)} ± {pct(cv.spread)}",
                ],
            ],
        )
    )
    emit(sweep_record)
    emit(cv_record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
