"""``catgui train``: data (article or folders) -> trained, saved model."""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

from catgui.commands import EXIT_OK
from catgui.core.errors import CatguiError


def run(args: argparse.Namespace) -> int:
    from catgui.commands.kind_options import kind_config
    from catgui.core import kinds, persistence
    from catgui.core.steps import run_to_end
    from catgui.core.training_run import TrainingRun

    config = kind_config(args)
    kind = kinds.of_config(config)
    out, into_folder = _check_out(args)  # before the training, not after
    recipe = _recipe(args)
    data = _prepare(recipe, quiet=args.json)
    training = TrainingRun(data, config, save_in=out if into_folder else None)
    training.check_leakage = True  # a backbone pass over pictures not cached yet, if need be
    trainer = training.trainer
    say = (lambda *a: None) if args.json else print
    if recipe.images is not None or len(data.source["train"]) > 1:  # not just the article's
        from catgui.core.source_info import summary_lines

        for line in summary_lines(data):
            say(line)
    say(
        f"Training {kind.name} {kind.architecture(trainer)} on {len(data.train)} images "
        f"({trainer.path} path), {kind.recipe_text(config)}"
    )
    every = kind.report_every

    def report(step) -> None:
        if not math.isfinite(step.cost):  # preparing (e.g. reading pictures): no cost yet
            if (step.iteration + 1) % 100 == 0:
                say(f"Prepared {step.iteration + 1} of {len(data.train)} pictures")
        elif step.iteration % every == 0 or step.iteration == step.total - 1:
            say(f"Cost after iteration {step.iteration}: {step.cost:.6f}")

    outcome = run_to_end(training.steps(), report)  # TrainingDiverged: printed by main
    if outcome.save_error is not None:
        raise CatguiError(outcome.save_error)
    model = outcome.model
    path = outcome.saved or persistence.save(model, out, overwrite=args.overwrite)
    meta = model.metadata
    if args.json:
        print(
            json.dumps(
                {
                    "costs": [
                        [i, c]
                        for i, c in enumerate(outcome.costs)
                        if i % every == 0 and math.isfinite(c)
                    ],
                    "train_accuracy": meta["train_accuracy"],
                    "test_accuracy": meta["test_accuracy"],
                    "test_interval_95": meta["test_interval_95"],
                    "seconds": outcome.seconds,
                    "training_path": trainer.path,
                    "model_path": str(path),
                    "train_size": meta["train_size"],
                    "test_size": meta["test_size"],
                    "skipped": [s.reason for s in getattr(data, "skipped", ())],
                    "test_with_near_copy": (meta.get("near_copies") or {}).get(
                        "test_with_near_copy"
                    ),
                },
                indent=2,
            )
        )
    else:
        from catgui.core import leakage
        from catgui.core.evaluation import accuracy_text

        print(f"Train accuracy: {accuracy_text(meta['train_accuracy'], meta['train_size'])}")
        print(f"Test accuracy:  {accuracy_text(meta['test_accuracy'], meta['test_size'])}")
        for line in kind.findings(meta):
            print(line)
        warning = leakage.text_of(meta)
        if warning:
            print(f"Warning: {warning}")
        print(f"Trained in {outcome.seconds:.2f} s. Saved to {path}")
    return EXIT_OK


def _check_out(args: argparse.Namespace) -> tuple[Path, bool]:
    """Where the model will go and whether that is a folder (a new name inside it):
    refused now, not after training, if it cannot be written there or an existing model
    is in the way without ``--overwrite``."""
    from catgui.core import atomic, paths, persistence

    given = Path(args.out) if args.out else paths.models_dir()
    if not args.out or given.is_dir():
        atomic.check_writable(given, "model")
        return given, True
    out = persistence.target(given)
    if out.exists() and not args.overwrite:
        raise CatguiError(f"{out}: a model with this name exists already; add --overwrite")
    atomic.check_writable(out, "model")
    return given, False


def _recipe(args: argparse.Namespace):
    from catgui.core.augment import AugmentConfig
    from catgui.core.sources import DataRecipe

    if args.images is None:
        for flag, used in (
            ("--test-images", args.test_images is not None),
            ("--with-article-data", args.with_article_data),
            ("--test-from article", args.test_from != "holdout"),
        ):
            if used:
                raise CatguiError(f"{flag} needs --images DIR")
    if args.test_images is not None and args.test_from == "article":
        raise CatguiError("give either --test-images DIR or --test-from article, not both")
    test_from = "folder" if args.test_images is not None else args.test_from
    return DataRecipe(
        images=Path(args.images) if args.images else None,
        test_from=test_from,
        test_images=Path(args.test_images) if args.test_images else None,
        holdout=args.holdout,
        data_seed=args.data_seed,
        article_train=args.with_article_data,
        article_folder=args.data,
        corrections=args.corrections,
        corrections_weight=args.corrections_weight,
        augment=(
            AugmentConfig(copies=args.augment, seed=args.data_seed)
            if args.augment is not None
            else None
        ),
    ).validate()


def _prepare(recipe, quiet: bool):
    from catgui.core.sources import DataPreparation
    from catgui.core.steps import run_to_end

    live = not quiet and sys.stderr.isatty()
    last = 0.0

    def show(p) -> None:
        nonlocal last
        now = time.monotonic()
        if live and p.total and (now - last > 0.2 or p.done == p.total):
            last = now
            print(f"\rImporting {p.stage}: {p.done:,}/{p.total:,}", end="", file=sys.stderr)

    data = run_to_end(DataPreparation(recipe).steps(), show)
    if live:
        print(file=sys.stderr)
    return data
