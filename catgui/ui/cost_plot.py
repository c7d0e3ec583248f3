"""The live cost curve: iteration vs cost, with the previous run kept faded."""

from __future__ import annotations

import math

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QSizePolicy, QWidget

ACCENT = "#0a84ff"
#: Live redraws a second at most: a full redraw holds the GIL for tens of milliseconds,
#: which the training thread needs far more than the eye needs frames.
REDRAWS_PER_SECOND = 8
FADED = "#a8b3c2"


class CostPlot(FigureCanvasQTAgg):
    """A matplotlib canvas with one live line (``current``) and one faded (``previous``).

    Call :meth:`start_run` before a run, :meth:`add_point` for each progress signal and
    :meth:`set_curve` with the full curve at the end. Updates use ``set_data`` +
    ``draw_idle``: the figure is never rebuilt. Live points are drawn at most
    :data:`REDRAWS_PER_SECOND` times a second; the data itself is always up to date.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        self.figure = Figure(figsize=(5, 3.4), dpi=100, layout="constrained")
        super().__init__(self.figure)
        self.setParent(parent)
        self.setObjectName("costPlot")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 220)
        self.axes = self.figure.add_subplot()
        self._style_axes()
        (self.previous,) = self.axes.plot(
            [], [], color=FADED, lw=1.4, alpha=0.8, label="previous run"
        )
        (self.current,) = self.axes.plot([], [], color=ACCENT, lw=2.0, label="this run")
        self._xs: list[int] = []
        self._ys: list[float] = []
        self._total = 1
        self._redraw = QTimer(self, singleShot=True, interval=1000 // REDRAWS_PER_SECOND)
        self._redraw.timeout.connect(self._draw_live)
        self._live = False  # during a run the current line is blitted over a cached background
        self._background = None
        self.mpl_connect("draw_event", self._on_draw)
        self._hint = self.axes.text(
            0.5,
            0.5,
            "Press Train to watch the cost fall",
            transform=self.axes.transAxes,
            ha="center",
            va="center",
            color="#8e8e93",
            fontsize=11,
        )
        self._rescale()

    def _style_axes(self) -> None:
        ax = self.axes
        self.figure.set_facecolor("white")
        ax.set_facecolor("white")
        ax.set_xlabel("iteration", color="#3a3a3c")
        ax.set_ylabel("cost", color="#3a3a3c")
        ax.set_title("Training cost", loc="left", fontsize=11, color="#1c1c1e")
        ax.grid(True, color="#e5e5ea", lw=0.8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_color("#c7c7cc")
        ax.tick_params(colors="#636366", labelsize=9)

    # -- data --------------------------------------------------------------------------------
    def points(self) -> tuple[list[int], list[float]]:
        """The current run's ``(iterations, costs)`` as drawn."""
        return list(self._xs), list(self._ys)

    def previous_points(self) -> tuple[list[float], list[float]]:
        xs, ys = self.previous.get_data()
        return [float(x) for x in xs], [float(y) for y in ys]

    def start_run(self, total: int, label: str = "this run") -> None:
        """Fade the current curve into ``previous`` and start an empty one over ``total``.

        ``label`` names the run in the legend (e.g. its hyper-parameters).
        """
        if self._xs:
            self.previous.set_data(self._xs, self._ys)
            self.previous.set_label(f"previous: {self.current.get_label()}")
        self.current.set_label(label)
        self._xs, self._ys = [], []
        self.current.set_data([], [])
        self._total = max(1, total)
        self._hint.set_visible(False)
        self._live = True
        self.current.set_animated(True)
        self._update_legend()
        self._rescale()

    def end_run(self) -> None:
        """Back to ordinary drawing (the run ended, however it ended)."""
        self._live = False
        self._background = None
        self.current.set_animated(False)
        self._rescale()

    def add_point(self, iteration: int, cost: float) -> None:
        """Append one point (non-finite costs are not drawn)."""
        if not math.isfinite(cost):
            return
        self._xs.append(iteration)
        self._ys.append(cost)
        self.current.set_data(self._xs, self._ys)
        if not self._redraw.isActive():
            self._redraw.start()

    def set_curve(self, costs: list[float]) -> None:
        """Replace the current curve with the full one (``costs[i]`` at iteration ``i``)."""
        pairs = [(i, c) for i, c in enumerate(costs) if math.isfinite(c)]
        self._xs = [i for i, _ in pairs]
        self._ys = [c for _, c in pairs]
        self._total = max(1, len(costs))  # a stopped run: zoom to what was done
        self.current.set_data(self._xs, self._ys)
        self.end_run()

    def show_model_curve(self, costs: list[float], label: str = "this run") -> None:
        """Show a saved model's curve (no previous run), e.g. when a model is opened.

        ``label`` names it in the legend (and as "previous: …" once the next run starts).
        """
        self.previous.set_data([], [])
        self.current.set_label(label)
        self._total = max(1, len(costs))
        self._hint.set_visible(not costs)
        self.set_curve(costs)
        self._update_legend()

    def clear(self) -> None:
        self._xs, self._ys = [], []
        self.current.set_data([], [])
        self.previous.set_data([], [])
        self._hint.set_visible(True)
        self._update_legend()
        self._rescale()

    # -- drawing ------------------------------------------------------------------------------
    def _update_legend(self) -> None:
        has_previous = len(self.previous.get_xdata()) > 0
        legend = self.axes.get_legend()
        if has_previous:
            self.axes.legend(loc="upper right", frameon=False, fontsize=9)
        elif legend is not None:
            legend.remove()

    def _top(self) -> float:
        ys = list(self._ys) + [float(y) for y in self.previous.get_ydata()]
        top = max(ys) if ys else 0.0
        return top * 1.08 if top > 0 else 1.0

    def _rescale(self) -> None:
        """Fit the axes to the data and schedule a full redraw."""
        self._redraw.stop()
        xs_prev = self.previous.get_xdata()
        x_max = max([self._total, *(float(x) for x in xs_prev)])
        self.axes.set_xlim(0, max(1.0, x_max))
        self.axes.set_ylim(0, self._top())
        self.draw_idle()

    def _on_draw(self, _event) -> None:
        """After a full draw in a run: keep the background, then draw the live line on it."""
        if self._live:
            self._background = self.copy_from_bbox(self.axes.bbox)
            self.axes.draw_artist(self.current)

    def _draw_live(self) -> None:
        """Redraw only the live line (a few ms) unless the axes no longer fit the data."""
        top = self.axes.get_ylim()[1]
        wanted = self._top()
        if not self._live or self._background is None or not 0.75 * top <= wanted <= top:
            self._rescale()
            return
        self.restore_region(self._background)
        self.axes.draw_artist(self.current)
        self.blit(self.axes.bbox)
