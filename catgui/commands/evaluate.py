"""``catgui evaluate``: accuracy, confusion matrix and the mistakes of a model."""

from __future__ import annotations

import argparse
import json

from catgui.commands import EXIT_OK, check_threshold, model_path


def run(args: argparse.Namespace) -> int:
    from catgui.core import dataset, evaluation, persistence

    check_threshold(args.threshold)
    model = persistence.load(model_path(args.model))
    if args.images:
        from catgui.core.folders import FolderImport
        from catgui.core.source_info import evaluation_split

        imported = FolderImport(args.images, require_both=False).run()
        test, names, note = evaluation_split(imported, model.metadata)
        train = None
    else:
        data = dataset.load(args.data)
        test, names, note = data.test, None, None
        train = evaluation.evaluate(model.classifier, data.train.x, data.train.y, args.threshold)
    result = evaluation.evaluate(model.classifier, test.x, test.y, args.threshold)
    if args.json:
        print(
            json.dumps(
                {
                    "model_path": str(model.path),
                    "train_accuracy": train.accuracy if train else None,
                    "images": note,
                    "test_accuracy": result.accuracy,
                    "test_size": result.n,
                    "test_interval_95": list(result.interval()),
                    "confusion_matrix": result.confusion.tolist(),
                    "precision": result.precision,
                    "recall": result.recall,
                    "mistakes": [
                        {
                            "index": m.index,
                            "label": m.label,
                            "predicted": m.predicted,
                            "probability": m.probability,
                            "kind": m.kind,
                            "file": names[m.index] if names else None,
                        }
                        for m in result.mistakes
                    ],
                },
                indent=2,
            )
        )
        return EXIT_OK
    c = result.confusion
    print(f"Model: {model.path}")
    if train is not None:
        print(f"Train accuracy: {train.summary()}")
    else:
        print(f"Images: {note}")
        for skip in imported.skipped:
            print(f"  skipped {skip.reason}")
    print(f"Test accuracy:  {result.summary()}")
    print("Confusion matrix (rows: truth, columns: prediction):")
    print("               non-cat   cat")
    print(f"  non-cat     {c[0, 0]:7d} {c[0, 1]:5d}")
    print(f"  cat         {c[1, 0]:7d} {c[1, 1]:5d}")
    print(f"{len(result.mistakes)} mistakes of {result.n}:")
    for m in result.mistakes:
        truth = "cat" if m.label else "non-cat"
        what = names[m.index] if names else f"test image {m.index:3d}"
        print(f"  {what}: is {truth:7s}, p(cat) = {m.probability:.3f} ({m.kind})")
    return EXIT_OK
