"""The words under the sweep dialog's figure: mean, spread and what went wrong, per sweep."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from catgui.core import sweeps


def pct(value: float | None, digits: int = 1) -> str:
    """``0.744`` -> ``"74.4 %"``; ``"–"`` when not measured."""
    return "–" if value is None or math.isnan(value) else f"{100 * value:.{digits}f} %"


def _failures(records: Sequence[sweeps.RunRecord], name: str) -> str:
    failed = [r for r in records if r.status != sweeps.OK]
    if not failed:
        return ""
    parts = [
        f"{name} {getattr(r, 'seed' if name == 'seed' else 'lr'):g} ({r.status})" for r in failed
    ]
    return f" Not ended well (left out): {', '.join(parts)}."


def seeds_text(records: Sequence[sweeps.RunRecord], marked: int | None) -> str:
    """Mean, spread and range of the test accuracy over the seeds; the recipe's own seed."""
    s = sweeps.summarise(records)
    if s is None:
        return "No run ended well." + _failures(records, "seed")
    text = (
        f"Test accuracy over {s.runs} seed{'s' if s.runs != 1 else ''}: "
        f"<b>mean {pct(s.mean)}</b>, spread ±{100 * s.spread:.1f} points (standard deviation), "
        f"range {pct(s.low, 0)}–{pct(s.high, 0)}."
    )
    own = next((r for r in records if r.seed == marked and r.status == sweeps.OK), None)
    if own is not None and own.test_interval_95:
        low, high = own.test_interval_95
        text += (
            f" The recipe's seed {marked}: {pct(own.test_accuracy, 0)} "
            f"(95 % interval {pct(low, 0)}–{pct(high, 0)})."
        )
    return text + _failures(records, "seed")


def rates_text(records: Sequence[sweeps.RunRecord]) -> str:
    """Which rate tested best; the rates whose runs diverged or lost their hidden layer."""
    ok = [r for r in records if r.status == sweeps.OK and r.test_accuracy is not None]
    text = ""
    if ok:
        best = max(ok, key=lambda r: r.test_accuracy)
        text = (
            f"Best test accuracy: <b>lr {best.lr:g}</b> ({pct(best.test_accuracy)}; "
            f"train {pct(best.train_accuracy)}). "
        )
    failed = _failures(records, "lr")
    return (text + failed.strip()) if (text or failed) else "No run ended."


def folds_text(cv: sweeps.CrossValidation, pictures: int) -> str:
    """Mean and spread of the held-out accuracy over the folds."""
    folds = ", ".join(pct(a, 0) for a in cv.accuracies)
    text = (
        f"{len(cv.accuracies)}-fold cross-validation on the {pictures:,} training pictures: "
        f"validation accuracy <b>mean {pct(cv.mean)}</b>, spread ±{100 * cv.spread:.1f} points "
        f"(folds: {html.escape(folds)})."
    )
    diverged = [str(i + 1) for i, s in enumerate(cv.statuses) if s != sweeps.OK]
    if diverged:
        text += f" Fold(s) {', '.join(diverged)} diverged (scored on the last finite model)."
    return text
