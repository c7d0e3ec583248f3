"""``catgui predict``: cat or not, for pictures and folders."""

from __future__ import annotations

import argparse
import json

from catgui.commands import EXIT_FAILED, EXIT_OK, check_threshold, model_path


def run(args: argparse.Namespace) -> int:
    from catgui.core import persistence, prediction

    check_threshold(args.threshold)
    model = persistence.load(model_path(args.model))
    results = []
    failed = 0
    for item in prediction.classify_paths(model.classifier, args.inputs, args.threshold):
        results.append(item)
        if item.error:
            failed += 1
        if not args.json:
            if item.error:
                print(f"{item.path}\terror: {item.error}")
            else:
                note = "\tunlike anything I was trained on" if item.unfamiliar else ""
                print(f"{item.path}\t{item.label}\t{item.probability:.3f}{note}")
    if args.json:
        print(json.dumps([item.as_dict() for item in results], indent=2))
    return EXIT_FAILED if failed else EXIT_OK
