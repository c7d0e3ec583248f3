"""A folder of photos for ``catgui train --model pretrained --images``: 64x64 squares or 224 crops?

A folder data set is imported as 64x64 squares (the folder cache keeps them), so the
pretrained head learns each photo from its square upscaled, while ``catgui predict``,
the Classify tab and the library judge a photo from its 224 crop. This script measures
what that costs on the shared data set's photos (``photos/cat``, ``photos/dog``):
the head fitted as the pretrained kind fits it (features and C by 5-fold
cross-validation) on photos 1-``--train`` of each class, from their squares or their
crops, then held-out accuracy on photos 501-1000 of each class judged from their crops
(as the app judges a photo) and from their squares (as ``catgui train``'s hold-out does).

Run ``CATGUI_HOME=$(mktemp -d) python benchmarks/folder_crops.py [--train 500] [--json]``
(the photos go through the backbone twice the first time: a few minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import photos_data, table  # noqa: E402
from benchmarks.active_learning import accuracy, fit, photo_features  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--train", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    data = photos_data(args.data)
    if data is None:
        return 1
    crops, squares, y = photo_features(data / "photos", range(1, args.train + 1))
    test_crops, test_squares, test_y = photo_features(data / "photos", range(501, 1001))
    found = {}
    for name, features in (("squares", squares), ("crops", crops)):
        model = fit(features, y)
        found[name] = {
            "features": model.representation,
            "c": model.c,
            "held_out_from_crops": round(accuracy(model, test_crops, test_y), 4),
            "held_out_from_squares": round(accuracy(model, test_squares, test_y), 4),
        }
    load = [round(v, 1) for v in os.getloadavg()]
    if args.json:
        print(
            json.dumps({"train": int(len(y)), "held_out": int(len(test_y)), **found, "load": load})
        )
        return 0
    print(f"Trained on {len(y)} photos, held out {len(test_y)}; load {load[0]}")
    rows = [
        [
            f"{name} ({r['features']}, C {r['c']:g})",
            f"{r['held_out_from_crops'] * 100:.2f} %",
            f"{r['held_out_from_squares'] * 100:.2f} %",
        ]
        for name, r in found.items()
    ]
    print(table(["trained from", "held out, judged from crops", "from squares"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
