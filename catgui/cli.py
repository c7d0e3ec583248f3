"""Command line: ``catgui [gui] | train | evaluate | predict``.

Exit status: 0 all went well, 1 an input failed (bad file, bad model, missing data),
2 wrong usage. ``--json`` prints one JSON document on stdout instead of text.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from catgui import __version__
from catgui.core.errors import CatguiError, TrainingDiverged

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="catgui",
        description="Cat or not cat? Train and use the article's NumPy networks. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"catgui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", help="open the window (the default)")
    gui.add_argument("files", nargs="*", help="pictures or folders to classify at start")

    train = sub.add_parser("train", help="train a model and save it")
    train.add_argument(
        "--model",
        choices=("dnn", "logreg"),
        default="dnn",
        help="deep network (default) or logistic regression",
    )
    train.add_argument(
        "--layers",
        default=None,
        help="hidden layer sizes, comma-separated (default 20,7,5; dnn only)",
    )
    train.add_argument(
        "--lr", type=float, default=None, help="learning rate (default 0.0075 dnn, 0.005 logreg)"
    )
    train.add_argument(
        "--iterations",
        type=int,
        default=None,
        help="gradient-descent iterations (default 2500 dnn, 2000 logreg)",
    )
    train.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    train.add_argument(
        "--path",
        choices=("auto", "gram", "plain"),
        default="auto",
        help="computation path (default auto; all give the same numbers)",
    )
    train.add_argument("--data", metavar="DIR", help="folder with the two .h5 files")
    _add_image_options(train)
    train.add_argument(
        "--out",
        metavar="FILE_OR_DIR",
        help="where to save the model (default: a new name in models/)",
    )
    train.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    train.add_argument("--json", action="store_true", help="print one JSON document")

    evaluate = sub.add_parser("evaluate", help="accuracy, confusion matrix and mistakes")
    evaluate.add_argument("model", help="model file (.npz), or 'default'")
    evaluate.add_argument("--data", metavar="DIR", help="folder with the two .h5 files")
    evaluate.add_argument(
        "--images",
        metavar="DIR",
        help="evaluate on a folder of cat/ and non-cat/ pictures instead (only its held-out "
        "part if the model was trained on it)",
    )
    evaluate.add_argument("--threshold", type=float, default=0.5)
    evaluate.add_argument("--json", action="store_true", help="print one JSON document")

    predict = sub.add_parser("predict", help="cat or not, for pictures and folders")
    predict.add_argument("model", help="model file (.npz), or 'default'")
    predict.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR")
    predict.add_argument("--threshold", type=float, default=0.5)
    predict.add_argument("--json", action="store_true", help="print one JSON document")
    return parser


def _add_image_options(train: argparse.ArgumentParser) -> None:
    group = train.add_argument_group("your own pictures (default: the article's h5 files)")
    group.add_argument(
        "--images",
        metavar="DIR",
        help="train on a folder with cat/ and non-cat/ (or noncat/, other/, dog/ ...) subfolders",
    )
    group.add_argument(
        "--test-images", metavar="DIR", help="test on this folder instead of a held-out part"
    )
    group.add_argument(
        "--test-from",
        choices=("holdout", "article"),
        default="holdout",
        help="with --images: hold out a share of it (default) or test on the article's test set",
    )
    group.add_argument(
        "--holdout",
        type=float,
        default=0.2,
        metavar="SHARE",
        help="share of --images held out for testing, stratified (default 0.2)",
    )
    group.add_argument(
        "--with-article-data",
        action="store_true",
        help="with --images: also train on the article's 209 training images",
    )
    group.add_argument(
        "--augment",
        nargs="?",
        type=int,
        const=1,
        default=None,
        metavar="COPIES",
        help="add COPIES (default 1) flipped/cropped/brightened copies of each training image",
    )
    group.add_argument(
        "--data-seed", type=int, default=0, help="seed of the split and augmentation (default 0)"
    )
    group.add_argument(
        "--corrections",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="include your corrections in training (default: yes, when there are any)",
    )
    group.add_argument(
        "--corrections-weight",
        type=int,
        default=1,
        metavar="N",
        help="each correction counts N times in training (default 1)",
    )


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

    prep = DataPreparation(recipe)
    live = not quiet and sys.stderr.isatty()
    last = 0.0
    for p in prep.steps():
        now = time.monotonic()
        if live and p.total and (now - last > 0.2 or p.done == p.total):
            last = now
            print(f"\rImporting {p.stage}: {p.done:,}/{p.total:,}", end="", file=sys.stderr)
    if live:
        print(file=sys.stderr)
    return prep.result


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in (None, "gui"):
        from catgui.app import run_gui

        return run_gui(getattr(args, "files", []))
    handler = {"train": cmd_train, "evaluate": cmd_evaluate, "predict": cmd_predict}[args.command]
    try:
        return handler(args)
    except CatguiError as exc:
        print(f"catgui: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("catgui: interrupted", file=sys.stderr)
        return 130


def _model_path(text: str) -> Path:
    from catgui.core.paths import default_model_path

    return default_model_path() if text == "default" else Path(text)


def _check_threshold(value: float) -> None:
    if not 0.0 < value < 1.0:
        raise CatguiError(f"threshold must be between 0 and 1, got {value}")


def cmd_train(args: argparse.Namespace) -> int:
    from catgui.core import paths, persistence, runs
    from catgui.core.training import TrainConfig, Trainer, parse_hidden

    if args.model == "logreg":
        if args.layers not in (None, ""):
            raise CatguiError("--layers applies to the deep network only (--model dnn)")
        config = TrainConfig.logistic_regression(seed=args.seed, path=args.path)
    else:
        hidden = parse_hidden(args.layers) if args.layers is not None else (20, 7, 5)
        if not hidden:
            raise CatguiError("the deep network needs at least one hidden layer (--layers 20,7,5)")
        config = TrainConfig(hidden=hidden, seed=args.seed, path=args.path)
    overrides = {}
    if args.lr is not None:
        overrides["learning_rate"] = args.lr
    if args.iterations is not None:
        overrides["iterations"] = args.iterations
    config = TrainConfig(**{**config.__dict__, **overrides}).validate()

    recipe = _recipe(args)
    data = _prepare(recipe, quiet=args.json)
    trainer = Trainer(data.train.features(), data.train.labels(), config)
    say = (lambda *a: None) if args.json else print
    if recipe.images is not None or len(data.source["train"]) > 1:  # not just the article's
        from catgui.core.source_info import summary_lines

        for line in summary_lines(data):
            say(line)
    say(
        f"Training {config.kind} {list(trainer.network().sizes)} on {len(data.train)} images "
        f"({trainer.path} path), lr {config.learning_rate}, {config.iterations} iterations"
    )
    start = time.perf_counter()
    diverged = None
    try:
        for step in trainer.steps():
            if step.iteration % 100 == 0 or step.iteration == step.total - 1:
                say(f"Cost after iteration {step.iteration}: {step.cost:.6f}")
    except TrainingDiverged as exc:
        diverged = exc
    seconds = time.perf_counter() - start
    if diverged is not None:
        raise diverged
    model = runs.build_model(trainer, data, seconds)
    if args.out:
        out = Path(args.out)
        if out.is_dir():
            path = runs.save_new(model, out)
        else:
            path = persistence.save(model, out, overwrite=args.overwrite)
    else:
        path = runs.save_new(model, paths.models_dir())
    meta = model.metadata
    if args.json:
        print(
            json.dumps(
                {
                    "costs": [[i, c] for i, c in enumerate(trainer.costs) if i % 100 == 0],
                    "train_accuracy": meta["train_accuracy"],
                    "test_accuracy": meta["test_accuracy"],
                    "test_interval_95": meta["test_interval_95"],
                    "seconds": seconds,
                    "training_path": trainer.path,
                    "model_path": str(path),
                    "train_size": meta["train_size"],
                    "test_size": meta["test_size"],
                    "skipped": [s.reason for s in getattr(data, "skipped", ())],
                },
                indent=2,
            )
        )
    else:
        from catgui.core.evaluation import accuracy_text

        print(f"Train accuracy: {accuracy_text(meta['train_accuracy'], meta['train_size'])}")
        print(f"Test accuracy:  {accuracy_text(meta['test_accuracy'], meta['test_size'])}")
        print(f"Trained in {seconds:.2f} s. Saved to {path}")
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from catgui.core import dataset, evaluation, persistence

    _check_threshold(args.threshold)
    model = persistence.load(_model_path(args.model))
    if args.images:
        from catgui.core.folders import FolderImport
        from catgui.core.source_info import evaluation_split

        imported = FolderImport(args.images, require_both=False).run()
        test, names, note = evaluation_split(imported, model.metadata)
        train = None
    else:
        data = dataset.load(args.data)
        test, names, note = data.test, None, None
        train = evaluation.evaluate(
            model.network, data.train.features(), data.train.y, args.threshold
        )
    result = evaluation.evaluate(model.network, test.features(), test.y, args.threshold)
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


def cmd_predict(args: argparse.Namespace) -> int:
    from catgui.core import persistence, prediction

    _check_threshold(args.threshold)
    model = persistence.load(_model_path(args.model))
    results = []
    failed = 0
    for item in prediction.classify_paths(model.network, args.inputs, args.threshold):
        results.append(item)
        if item.error:
            failed += 1
        if not args.json:
            if item.error:
                print(f"{item.path}\terror: {item.error}")
            else:
                print(f"{item.path}\t{item.label}\t{item.probability:.3f}")
    if args.json:
        print(json.dumps([item.as_dict() for item in results], indent=2))
    return EXIT_FAILED if failed else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
