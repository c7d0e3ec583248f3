"""``catgui sweep``: one recipe over several seeds or learning rates, with optional k-fold CV."""

from __future__ import annotations

import argparse
import json
import math
import sys

from catgui.commands import EXIT_OK
from catgui.core.errors import CatguiError


def parse_seeds(text: str) -> list[int]:
    """``"1-10"`` -> 1..10; ``"1,4,7"`` and ``"1-3,9"`` work too."""
    seeds: list[int] = []
    try:
        for part in text.replace(" ", "").split(","):
            low, _, high = part.partition("-")
            first, last = int(low), int(high or low)
            if last < first:
                raise ValueError
            seeds.extend(range(first, last + 1))
    except ValueError:
        raise CatguiError(f"--seeds takes whole numbers like 1-10 or 1,4,7; got {text!r}") from None
    return seeds


def parse_rates(text: str) -> list[float]:
    """``"0.001,0.0075,0.03"`` -> the three rates."""
    try:
        return [float(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise CatguiError(
            f"--lr takes numbers separated by commas, like 0.001,0.0075,0.03; got {text!r}"
        ) from None


def run(args: argparse.Namespace) -> int:
    from catgui.commands.kind_options import kind_config
    from catgui.core import dataset, kinds, sweeps

    rates_text = getattr(args, "kind_learning_rate", None)
    rates = parse_rates(rates_text) if rates_text is not None else None
    if rates is not None and len(rates) > 1 and args.seeds is not None:
        raise CatguiError("sweep either --seeds or several --lr values, not both")
    if rates is not None and len(rates) > 1:
        args.kind_learning_rate = repr(rates[0])  # the recipe; the sweep replaces it
    if args.folds is not None and args.folds < 2:
        raise CatguiError(f"--folds needs at least 2 folds, got {args.folds}")
    config = kind_config(args)
    kind = kinds.of_config(config)
    recipe = kind.default_config()
    data = dataset.load(args.data)
    if args.seeds is not None:
        swept, values = "seed", parse_seeds(args.seeds)
        steps = sweeps.seed_sweep(data, config, values, args.folds)
    elif rates is not None and len(rates) > 1:
        swept, values = "lr", rates
        steps = sweeps.learning_rate_sweep(data, config, values, args.folds)
    elif args.folds is not None:  # the one recipe, cross-validated
        swept, values = "seed", [getattr(config, "seed", None)]
        steps = sweeps.sweep(data, [config], args.folds)
    else:
        raise CatguiError("give --seeds N-M, several --lr values (a,b,c), or --folds K")
    say = (lambda *a, **k: None) if args.json else print
    what = "seed" if swept == "seed" else "learning rate"
    shown = ", ".join(f"{v:g}" for v in values) if swept == "lr" else kind.recipe_text(config)
    say(
        f"Sweeping {kind.name} over {len(values)} {what}{'s' if len(values) != 1 else ''}"
        f" on {len(data.train)} images ({shown})"
        + (f", {args.folds}-fold cross-validation" if args.folds else "")
    )
    live = not args.json and sys.stderr.isatty()
    records = []
    for step in steps:
        if step.record is not None:
            records.append(step.record)
            if args.json:
                print(json.dumps(step.record.as_dict()))
        elif live and step.iteration % 100 == 0:
            print(f"\rrun {step.run + 1}/{step.runs}: {step.iteration}", end="", file=sys.stderr)
    if live:
        print("\r" + " " * 30 + "\r", end="", file=sys.stderr)
    if not args.json:
        marked = getattr(recipe, "seed" if swept == "seed" else "learning_rate", None)
        for line in table(records, swept, marked):
            print(line)
        print(summary_text(records, swept, marked))
    return EXIT_OK


def _pct(value: float | None) -> str:
    return "-" if value is None or math.isnan(value) else f"{100 * value:.1f} %"


def table(records, swept: str, marked) -> list[str]:
    """One line per run: the swept value (the recipe's own marked ``*``), cost, accuracies."""
    head = [swept, "final cost", "train", "test (95 %)", "cv", "status"]
    rows = []
    for r in records:
        value = r.seed if swept == "seed" else r.lr
        low, high = r.test_interval_95 or (math.nan, math.nan)
        test = _pct(r.test_accuracy)
        if r.test_interval_95:
            test += f" ({100 * low:.0f}–{100 * high:.0f})"
        cv = _pct(r.cv_accuracy)
        if r.cv is not None:
            cv += f" ±{100 * r.cv.spread:.1f}"
        rows.append(
            [
                f"{value:g}{'*' if value == marked else ''}",
                f"{r.final_cost:.6f}",
                _pct(r.train_accuracy),
                test,
                cv,
                r.status,
            ]
        )
    widths = [max(len(str(x)) for x in column) for column in zip(head, *rows)]
    return [
        "  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip() for row in [head, *rows]
    ]


def summary_text(records, swept: str, marked) -> str:
    """Mean, spread and range of the test accuracy over the runs that ended well."""
    from catgui.core import sweeps

    s = sweeps.summarise(records)
    if s is None:
        return "No run ended well: every run diverged."
    text = (
        f"Test accuracy over {s.runs} run{'s' if s.runs != 1 else ''}: mean {_pct(s.mean)}, "
        f"spread ±{100 * s.spread:.1f} points, range {_pct(s.low)}–{_pct(s.high)}"
    )
    cvs = [r.cv_accuracy for r in records if r.status == sweeps.OK and r.cv is not None]
    if cvs:
        text += f"; cross-validated {_pct(sum(cvs) / len(cvs))}"
    if any((r.seed if swept == "seed" else r.lr) == marked for r in records):
        text += f". * the recipe's {'seed' if swept == 'seed' else 'learning rate'}"
    return text + "."
