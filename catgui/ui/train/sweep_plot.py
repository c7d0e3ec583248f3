"""The sweep dialog's small figure: seeds as dots with intervals, learning rates as
overlaid cost curves, cross-validation folds as dots around their mean."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QSizePolicy, QWidget

from catgui.core import sweeps
from catgui.ui.common.contrast import luminance
from catgui.ui.common.figure_colours import FigureColours
from catgui.ui.common.palette_follower import follow_palette

ACCENT = "#0a84ff"
MARKED = "#ff9500"
FAILED = "#d70015"
#: A figure is drawn this long after its artists are built (see ``SweepPlot._draw_soon``).
DRAW_DELAY_MS = 1


def _pct(value: float | None) -> str:
    return "–" if value is None or math.isnan(value) else f"{100 * value:.0f} %"


class SweepPlot(FigureCanvasQTAgg):
    """One axes, redrawn whole for each kind of sweep (a few runs: no need to blit)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        # A fixed layout: the constrained one costs ~30 ms a draw, the window's time
        self.figure = Figure(figsize=(6, 3.6), dpi=100)
        self.figure.subplots_adjust(left=0.11, right=0.97, top=0.95, bottom=0.15)
        super().__init__(self.figure)
        self.setParent(parent)
        self.setObjectName("sweepPlot")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(420, 260)
        self.axes = self.figure.add_subplot()
        self.colours = FigureColours.of()
        self._draw_pending = False
        self._shown: tuple = (self.clear, ())
        self.clear()
        follow_palette(self, self._follow_palette)

    def _follow_palette(self) -> None:
        """Draw what is on show again in the colours of a new palette (light <-> dark)."""
        colours = FigureColours.of()
        if colours != self.colours:
            self.colours = colours
            show, args = self._shown
            show(*args)

    def _draw_soon(self) -> None:
        """Draw on a later turn of the event loop, after what is already due (a click,
        a repaint): building the artists (~15 ms) and drawing them (~30 ms) are then two
        short waits, not one long one (``draw_idle`` often ran straight after)."""
        if not self._draw_pending:
            self._draw_pending = True
            QTimer.singleShot(DRAW_DELAY_MS, self, self._draw_now)

    def _draw_now(self) -> None:
        self._draw_pending = False
        self.draw()

    def _reset(self, xlabel: str, ylabel: str) -> None:
        ax, c = self.axes, self.colours
        ax.clear()
        self.figure.set_facecolor(c.face)
        ax.set_facecolor(c.face)
        ax.set_xlabel(xlabel, color=c.text)
        ax.set_ylabel(ylabel, color=c.text)
        ax.grid(True, color=c.grid)
        ax.tick_params(colors=c.secondary)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_color(c.spine)

    def _mean_band(self, mean: float, spread: float) -> None:
        """The mean (in per cent) as a dashed line and ±spread as a band, in the readable grey."""
        grey = self.colours.secondary
        self.axes.axhline(mean, color=grey, lw=1, ls="--", label=f"mean {mean:.1f} %")
        self.axes.axhspan(
            mean - spread, mean + spread, color=grey, alpha=0.18, label=f"±{spread:.1f} points"
        )

    def _legend(self, loc: str) -> None:
        self.axes.legend(loc=loc, fontsize="small", frameon=False, labelcolor=self.colours.text)

    def clear(self) -> None:
        """An empty axes with a hint."""
        self._shown = (self.clear, ())
        self._reset("", "")
        self.axes.set_xticks([])
        self.axes.set_yticks([])
        self.axes.text(
            0.5,
            0.5,
            "Run a sweep to see its results here",
            ha="center",
            va="center",
            color=self.colours.secondary,
            transform=self.axes.transAxes,
        )
        self._draw_soon()

    def show_seeds(self, records: Sequence[sweeps.RunRecord], marked: int | None) -> None:
        """Test accuracy per seed with its 95 % interval; the mean (and ±spread) as a band;
        the seed ``marked`` (the recipe's) in another colour; failed runs as crosses."""
        self._shown = (self.show_seeds, (records, marked))
        self._reset("seed", "test accuracy (%)")
        ax = self.axes
        failed = [r.seed for r in records if r.status != sweeps.OK or r.test_accuracy is None]
        if failed:
            ax.plot(failed, [0] * len(failed), "x", color=FAILED, ms=8)
        for colour, group in (
            (ACCENT, [r for r in records if r.seed != marked]),
            (MARKED, [r for r in records if r.seed == marked]),
        ):  # one errorbar call per colour: a call per seed cost a draw ~2 ms each
            group = [r for r in group if r.status == sweeps.OK and r.test_accuracy is not None]
            if not group:
                continue
            ys = [100 * r.test_accuracy for r in group]
            bounds = [r.test_interval_95 or (r.test_accuracy, r.test_accuracy) for r in group]
            ax.errorbar(
                [r.seed for r in group],
                ys,
                yerr=[
                    [y - 100 * low for y, (low, _) in zip(ys, bounds)],
                    [100 * high - y for y, (_, high) in zip(ys, bounds)],
                ],
                fmt="o",
                color=colour,
                ecolor=colour,
                elinewidth=1.2,
                capsize=3,
                ms=6,
            )
        summary = sweeps.summarise(records)
        if summary is not None:
            self._mean_band(100 * summary.mean, 100 * summary.spread)
        if any(r.seed == marked for r in records):
            ax.plot([], [], "o", color=MARKED, label=f"recipe's seed ({marked})")
        ax.set_xticks([r.seed for r in records])
        _percent_axis(ax)
        if ax.get_legend_handles_labels()[0]:
            self._legend("lower right")
        self._draw_soon()

    def show_rates(self, records: Sequence[sweeps.RunRecord]) -> None:
        """The cost curves of every rate overlaid (colour on a log scale of the rate); the
        legend gives each rate's final train/test accuracy, or how the run ended."""
        self._shown = (self.show_rates, (records,))
        self._reset("iteration", "cost")
        ax = self.axes
        rates = [r.lr for r in records if r.lr and r.lr > 0]
        norm = LogNorm(min(rates), max(rates)) if rates and min(rates) < max(rates) else None
        cmap = colormaps["viridis"]
        # viridis' dark end vanishes on a dark ground, its yellow end on a white one
        low, high = (0.35, 1.0) if luminance(self.colours.face) < 0.5 else (0.0, 0.85)
        for r in records:
            colour = cmap(low + (high - low) * norm(r.lr)) if norm is not None else ACCENT
            xs = [i for i, _ in r.costs]
            ys = [c for _, c in r.costs]
            if (
                math.isfinite(r.final_cost)
                and r.iterations_done
                and (not xs or xs[-1] < r.iterations_done - 1)
            ):
                xs.append(r.iterations_done - 1)
                ys.append(r.final_cost)
            if r.status == sweeps.OK:
                label = f"lr {r.lr:g}: train {_pct(r.train_accuracy)}, test {_pct(r.test_accuracy)}"
                ax.plot(xs, ys, "-", color=colour, lw=1.8, label=label)
            else:
                label = f"lr {r.lr:g}: {r.status} at {r.iterations_done:,}"
                ax.plot(xs, ys, "--", color=FAILED, lw=1.2, label=label)
                ax.plot(xs[-1:] or [r.iterations_done], ys[-1:] or [0], "x", color=FAILED, ms=8)
        finite = [c for r in records for _, c in r.costs if math.isfinite(c)]
        if finite:
            ax.set_ylim(0, max(1e-9, float(np.percentile(finite, 99))) * 1.05)
        if records:
            self._legend("upper right")
        self._draw_soon()

    def show_folds(self, cv: sweeps.CrossValidation) -> None:
        """The held-out accuracy of each fold, the mean as a line and ±spread as a band."""
        self._shown = (self.show_folds, (cv,))
        self._reset("fold", "validation accuracy (%)")
        ax = self.axes
        folds = range(1, len(cv.accuracies) + 1)
        colours = [ACCENT if s == sweeps.OK else FAILED for s in cv.statuses]
        ax.scatter(list(folds), [100 * a for a in cv.accuracies], c=colours, s=36, zorder=3)
        self._mean_band(100 * cv.mean, 100 * cv.spread)
        ax.set_xticks(list(folds))
        _percent_axis(ax)
        self._legend("lower right")
        self._draw_soon()


def _percent_axis(ax) -> None:
    """0-100 % with room above and below: a dot at 100 % (or 0 %) is drawn whole."""
    ax.set_ylim(-3, 104)
    ax.set_yticks(range(0, 101, 20))
