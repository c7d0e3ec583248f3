"""``catgui predict``: cat or not, for pictures and folders."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from catgui.commands import EXIT_FAILED, EXIT_OK, check_threshold, model_path
from catgui.core.errors import CatguiError


def run(args: argparse.Namespace) -> int:
    from catgui.core import persistence, prediction

    check_threshold(args.threshold)
    named, inputs = _model_and_inputs(args.model, args.inputs)
    model = persistence.load(named)
    results = []
    failed = 0
    for item in prediction.classify_paths(model.classifier, inputs, args.threshold):
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


def _model_and_inputs(first: str, rest: list[str]) -> tuple[Path, list[str]]:
    """``MODEL FILES...``, or ``FILES...`` alone: then the first-start model (zero-shot)."""
    from catgui.core import paths, persistence

    if first == "default" or first.lower().endswith(persistence.SUFFIX):
        if not rest:
            raise CatguiError("name at least one picture or folder after the model")
        return model_path(first), rest
    return paths.first_model_path(), [first, *rest]
