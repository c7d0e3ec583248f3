"""``catgui suspects``: training pictures whose label the cross-validated model disputes."""

from __future__ import annotations

import argparse
import json
import sys

from catgui.commands import EXIT_OK, folder_name


def add_parser(sub) -> None:
    suspects = sub.add_parser(
        "suspects",
        help="suspicious labels: training pictures the cross-validated model disputes",
        description=(
            "Ranks the training pictures by how much the cross-validated pretrained model "
            "disputes their label (confident learning, Northcutt et al. 2021), worst first."
        ),
    )
    where = suspects.add_mutually_exclusive_group()
    where.add_argument(
        "--data", metavar="DIR", type=folder_name, help="folder with the article's two .h5 files"
    )
    where.add_argument(
        "--images", metavar="DIR", type=folder_name, help="a folder data set (cat/, non-cat/)"
    )
    suspects.add_argument(
        "--model",
        metavar="KIND",
        help="the kind whose cross-validation judges the labels: the pretrained features + "
        "logistic regression (the default, and the only one so far)",
    )
    suspects.add_argument(
        "--top", type=_top, metavar="N", help="only the N worst (default: every flagged one)"
    )
    suspects.add_argument("--folds", type=int, default=5, help=argparse.SUPPRESS)
    suspects.add_argument("--json", action="store_true", help="one JSON list, worst first")


def _top(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number is needed, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def run(args: argparse.Namespace) -> int:
    from catgui.core import backbone, suspects
    from catgui.core.errors import CatguiError
    from catgui.core.kinds import pretrained
    from catgui.core.steps import run_to_end

    judge = pretrained.KIND.name  # its cross-validation gives every picture's P(cat)
    if args.model not in (None, judge):
        raise CatguiError(f"suspicious labels are judged by the {judge} kind, not {args.model!r}")
    reason = backbone.unavailable()
    if reason:
        raise CatguiError(reason)
    if args.images is not None:
        pictures = run_to_end(suspects.folder_pictures(args.images))
    else:
        pictures = suspects.article_pictures(args.data)
    live = not args.json and sys.stderr.isatty()

    def show(step) -> None:
        if live:
            stage, done, total = step
            print(f"\r{stage} {done}/{total}   ", end="", file=sys.stderr, flush=True)

    found = run_to_end(suspects.find_steps(pictures, folds=args.folds), show)
    if live:
        print("\r" + " " * 40 + "\r", end="", file=sys.stderr)
    listed = found.suspects[: args.top] if args.top else found.suspects
    sys.stdout.reconfigure(errors="surrogateescape")
    if args.json:
        print(json.dumps([s.as_dict() for s in listed], indent=2))
        return EXIT_OK
    m = len(pictures.y)
    t0, t1 = found.thresholds
    print(
        f"{len(found.suspects)} of {m} training pictures flagged (confident learning on "
        f"{found.chosen.representation} features, C {found.chosen.c:g}; thresholds "
        f"P(not cat) >= {t0:.3f}, P(cat) >= {t1:.3f})"
    )
    for s in listed:
        where = str(s.path) if s.path is not None else s.name
        label = "cat" if s.label == 1 else "non-cat"
        print(f"{where}\tlabelled {label}\tP(cat) {s.probability:.3f}")
    return EXIT_OK
