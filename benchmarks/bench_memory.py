"""Figure 6: peak memory of the article's recipe, and time and memory against data size.

Each measurement runs in a fresh subprocess that reports its own peak RSS
(``ru_maxrss``), so one measurement cannot inflate another.

* The article's recipe on the real data, trained to the end.
* Synthetic 64x64x3 uint8 images, m = 209, 2,000 and 20,000 (random pixels and labels,
  the same pipeline as real data: uint8 -> float64 features), the automatic path and,
  where it fits, the other path. A few iterations each: the first (which builds ``G`` on
  the Gram path) is timed apart, the next ones give the time per iteration, and the
  total for 2,500 iterations is extrapolated. The Gram path at 20,000 images is not run:
  ``G`` alone would take 3.2 GB; its need is printed instead.

Run: ``python benchmarks/bench_memory.py [--sizes 209,2000,20000]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from _common import data_folder, emit, machine, peak_rss_mb, seconds, skip, table

HERE = Path(__file__).resolve().parent
ITERATIONS = {209: 40, 2000: 12, 20000: 3}
LIMIT_GB = 4.0


def child_article(folder: str) -> dict:
    from catgui.core import dataset
    from catgui.core.training import TrainConfig, Trainer

    start = time.perf_counter()
    data = dataset.load(folder)
    trainer = Trainer(data.train.features(), data.train.labels(), TrainConfig())
    trainer.run()
    return {
        "path": trainer.path,
        "seconds": time.perf_counter() - start,
        "final_cost": trainer.costs[-1],
        "peak_rss_mb": peak_rss_mb(),
    }


def child_synthetic(m: int, path: str, iterations: int) -> dict:
    import numpy as np

    from catgui.core.pictures import to_features
    from catgui.core.training import TrainConfig, Trainer

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(m, 64, 64, 3), dtype=np.uint8)
    labels = (rng.random((1, m)) < 0.35).astype(np.float64)
    t0 = time.perf_counter()
    x = to_features(images)
    t1 = time.perf_counter()
    trainer = Trainer(x, labels, TrainConfig(iterations=iterations, path=path))
    steps = trainer.steps()
    next(steps)  # the first iteration builds G on the Gram path
    t2 = time.perf_counter()
    for _ in steps:
        pass
    t3 = time.perf_counter()
    per_iteration = (t3 - t2) / (iterations - 1)
    return {
        "m": m,
        "path": trainer.path,
        "features_seconds": t1 - t0,
        "first_iteration_seconds": t2 - t1,
        "seconds_per_iteration": per_iteration,
        "extrapolated_2500_seconds": (t2 - t1) + 2499 * per_iteration,
        "iterations_run": iterations,
        "peak_rss_mb": peak_rss_mb(),
    }


def run_child(args: list[str]) -> dict:
    """Run this script as a child; return its JSON answer (or the error it printed)."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        capture_output=True,
        text=True,
        cwd=HERE,
        env={**os.environ, "PYTHONPATH": str(HERE)},
    )
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(lines[-1])


def gram_need_gb(m: int, n_x: int = 12288) -> float:
    """Memory the Gram path would need: X (float64) + G + the uint8 images."""
    return (n_x * m * 8 + (m + 1) * m * 8 + n_x * m) / 1e9


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="209,2000,20000")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        if args.child[0] == "article":
            answer = child_article(args.child[1])
        else:
            m, path = int(args.child[1]), args.child[2]
            answer = child_synthetic(m, path, ITERATIONS.get(m, 5))
        print(json.dumps(answer))
        return 0

    folder = data_folder()
    if folder is None:
        skip(6, "memory_article", "the cat/non-cat data set is not at $CATGUI_DATA or ../shared")
    else:
        article = run_child(["article", str(folder)])
        print(f"article's recipe: peak RSS {article.get('peak_rss_mb', float('nan')):.0f} MB")
        emit({"figure": 6, "name": "memory_article", **article, "machine": machine()})

    rows, results = [], []
    for m in (int(s) for s in args.sizes.split(",")):
        plan = [("auto", True)]
        if m <= 2000:
            plan.append(("plain" if m * 2 <= 12288 else "gram", False))
        for path, automatic in plan:
            r = run_child(["synthetic", str(m), path])
            r.update({"m": m, "automatic": automatic})
            results.append(r)
            if "error" in r:
                rows.append([f"{m:,}", path, "error", r["error"], "", "", ""])
                continue
            rows.append(
                [
                    f"{m:,}",
                    r["path"] + (" (auto)" if automatic else ""),
                    seconds(r["first_iteration_seconds"]),
                    f"{r['seconds_per_iteration'] * 1000:.2f} ms",
                    seconds(r["extrapolated_2500_seconds"]),
                    f"{r['peak_rss_mb']:,.0f} MB",
                    "yes" if r["peak_rss_mb"] / 1024 < LIMIT_GB else "NO",
                ]
            )
        if m > 2000:
            rows.append(
                [f"{m:,}", "gram (not run)", "", "", "", f"~{gram_need_gb(m):.1f} GB needed", ""]
            )
    print(
        table(
            ["images", "path", "1st iteration", "per iteration", "2,500 its", "peak RSS", "< 4 GB"],
            rows,
        )
    )
    emit(
        {
            "figure": 6,
            "name": "memory_vs_size",
            "limit_gb": LIMIT_GB,
            "rows": results,
            "gram_need_gb_at_20000": gram_need_gb(20000),
            "machine": machine(),
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
