"""Does labelling the least-sure photos teach the model faster than labelling photos at random?

The library's *Label next* strip offers the pictures the active model is least sure of;
*Retrain* fits the pretrained head on the article's 209 training pictures and the labelled
photos. This script replays that on the shared data set's 2,000 photos
(``photos/cat`` and ``photos/dog``; dogs are the non-cats):

* held out: photos 501-1000 of each class (1,000 photos), scored from their 224 crops as
  the library index scores them;
* per seed, a pool of 600 photos drawn from photos 1-500 of each class; the starting
  model is the head on the article's 209 pictures alone (as the shipped pretrained model);
* *uncertainty*: rounds of 20 labels, each the 20 pool photos whose P(cat) is nearest 0.5
  under the model of the round before (the strip's order, without its unfamiliar-first
  tie-break), then a retrain; *random*: the same number of pool photos drawn at random;
* the head is fitted as *Retrain* fits it (features and C by 5-fold cross-validation).
  ``--train-as crops`` (default) gives the labelled photos to training as *Retrain* does:
  their 224 crops' features (what the index stores and scores them by);
  ``--train-as squares`` gives their 64x64 squares, upscaled (how *Retrain* read the
  corrections folder before it used the index's features).

Run ``CATGUI_HOME=$(mktemp -d) python benchmarks/active_learning.py [--data DIR]
[--seeds 5] [--json]``: the first run reads every photo through the backbone twice (a few
minutes on 2 cores; features are cached in the user data folder). Prints a markdown table:
held-out accuracy (mean and spread over the seeds) after 0, 20, 40 and 80 labels.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import photos_data, table  # noqa: E402
from catgui.core import backbone, dataset, head, images  # noqa: E402
from catgui.core.errors import CatguiError  # noqa: E402
from catgui.core.steps import run_to_end  # noqa: E402

POOL_NUMBERS = range(1, 501)
HELD_OUT_NUMBERS = range(501, 1001)
POOL_SIZE = 600
BATCH = 20
REPORTED = (0, 20, 40, 80)


def photo_features(
    folder: Path, numbers
) -> tuple[backbone.Features, backbone.Features, np.ndarray]:
    """Features of the 224 crops and of the upscaled 64x64 squares, and labels, of
    ``cat.N.jpg`` and ``dog.N.jpg`` for N in ``numbers``."""
    crops, squares, labels = [], [], []
    for name, label in (("cat", 1), ("dog", 0)):
        for n in numbers:
            path = folder / name / f"{name}.{n}.jpg"
            try:
                picture = images.load(path, sizes=(backbone.INPUT_SIZE,))
            except CatguiError as exc:
                print(f"skipped: {exc}", file=sys.stderr)
                continue
            crops.append(picture.square(backbone.INPUT_SIZE))
            squares.append(picture.pixels)
            labels.append(label)
    big = run_to_end(backbone.extract_steps(np.stack(crops)))
    small = run_to_end(backbone.extract_steps(np.stack(squares)))
    return big, small, np.array(labels, dtype=np.int64)


def take(f: backbone.Features, index: np.ndarray) -> backbone.Features:
    return backbone.Features(f.pooled[index], f.logits[index])


def join(a: backbone.Features, b: backbone.Features) -> backbone.Features:
    return backbone.Features(
        np.concatenate([a.pooled, b.pooled]), np.concatenate([a.logits, b.logits])
    )


def fit(features: backbone.Features, y: np.ndarray) -> head.Head:
    best = run_to_end(head.cross_validate(features, y))
    return head.fit(features, y, best.representation, best.c)


def accuracy(model: head.Head, features: backbone.Features, y: np.ndarray) -> float:
    return float(np.mean((model.probabilities(features) > 0.5) == (y == 1)))


def curve(
    strategy: str,
    seed: int,
    article: tuple[backbone.Features, np.ndarray],
    pool: tuple[backbone.Features, backbone.Features, np.ndarray],
    held_out: tuple[backbone.Features, np.ndarray],
) -> dict[int, float]:
    """Held-out accuracy after each number of labels in :data:`REPORTED`."""
    rng = np.random.default_rng(seed)
    crops, trained_on, y = pool
    chosen = rng.choice(len(y), size=min(POOL_SIZE, len(y)), replace=False)
    labelled: list[int] = []
    model = fit(*article)
    found = {0: accuracy(model, *held_out)}
    order = rng.permutation(chosen)
    while len(labelled) < max(REPORTED):
        left = np.array([i for i in chosen if i not in set(labelled)])
        if strategy == "uncertainty":
            p = model.probabilities(take(crops, left))
            picked = left[np.argsort(np.abs(p - 0.5), kind="stable")[:BATCH]]
        else:
            picked = np.array([i for i in order if i not in set(labelled)][:BATCH])
        labelled += [int(i) for i in picked]
        index = np.array(labelled)
        x = join(article[0], take(trained_on, index))
        model = fit(x, np.concatenate([article[1], y[index]]))
        if len(labelled) in REPORTED:
            found[len(labelled)] = accuracy(model, *held_out)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--train-as", choices=("crops", "squares"), default="crops")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    data = photos_data(args.data)
    if data is None:
        return 1
    start = time.perf_counter()
    train = dataset.load_split(data / dataset.TRAIN_FILE, "train")
    article = (run_to_end(backbone.extract_steps(train.x)), train.y.astype(np.int64))
    pool_crops, pool_squares, pool_y = photo_features(data / "photos", POOL_NUMBERS)
    test_crops, _unused, test_y = photo_features(data / "photos", HELD_OUT_NUMBERS)
    read = time.perf_counter() - start
    trained_on = pool_squares if args.train_as == "squares" else pool_crops
    results: dict[str, list[dict[int, float]]] = {"uncertainty": [], "random": []}
    for seed in range(args.seeds):
        for strategy in results:
            results[strategy].append(
                curve(
                    strategy, seed, article, (pool_crops, trained_on, pool_y), (test_crops, test_y)
                )
            )
    record = {
        "benchmark": "active_learning",
        "train_as": args.train_as,
        "seeds": args.seeds,
        "held_out": int(len(test_y)),
        "seconds_reading": round(read, 1),
        "seconds_total": round(time.perf_counter() - start, 1),
        "accuracy": {
            strategy: {str(n): [round(run[n], 4) for run in runs] for n in REPORTED}
            for strategy, runs in results.items()
        },
    }
    if args.json:
        print(json.dumps(record, indent=2))
        return 0
    rows = []
    for n in REPORTED:
        row = [str(n)]
        for strategy in ("uncertainty", "random"):
            values = np.array([run[n] for run in results[strategy]]) * 100
            row.append(f"{values.mean():.1f} % (±{values.std():.1f})")
        rows.append(row)
    print(
        f"Held-out accuracy on {len(test_y):,} photos, {args.seeds} seeds, labelled photos "
        f"trained as {args.train_as}:"
    )
    print(table(["labels", "least sure first", "at random"], rows))
    print(f"({record['seconds_total']} s, of which {record['seconds_reading']} s reading photos)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
