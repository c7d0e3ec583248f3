"""The live cost curve: iteration vs cost, with the previous run kept faded."""

from __future__ import annotations

import math

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QSizePolicy, QWidget

from catgui.ui.common.figure_colours import FigureColours
from catgui.ui.common.palette_follower import follow_palette

ACCENT = "#0a84ff"
#: Live redraws a second at most. Each is a blit of the live line (a few ms); the data
#: itself is always up to date.
REDRAWS_PER_SECOND = 4
FADED = "#a8b3c2"
#: Colours of the curves of past runs ticked in the run history.
OVERLAY_COLOURS = ("#ff9f0a", "#30d158", "#bf5af2", "#ff375f", "#64d2ff", "#8e8e93")


class CostPlot(FigureCanvasQTAgg):
    """A matplotlib canvas with one live line (``current``) and one faded (``previous``).

    Call :meth:`start_run` before a run, :meth:`add_point` for each progress signal and
    :meth:`set_curve` with the full curve at the end. The figure is never rebuilt.

    Drawing is split in two layers. A full draw (tens of milliseconds: ticks and text)
    renders only the axes, and happens only when the axes limits or the canvas size
    change. The curves, the legend and the hint are drawn over a cached copy of it and
    blitted (a few milliseconds), so a run of the same length as the curve on show needs
    no full draw at all. Live points are blitted at most :data:`REDRAWS_PER_SECOND` times
    a second.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        self.figure = Figure(figsize=(5, 3.4), dpi=100, layout="constrained")
        super().__init__(self.figure)
        self.setParent(parent)
        self.setObjectName("costPlot")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 220)
        self.axes = self.figure.add_subplot()
        self.colours = FigureColours.of()
        self._style_axes()
        (self.previous,) = self.axes.plot(
            [], [], color=FADED, lw=1.4, alpha=0.8, label="previous run"
        )
        (self.current,) = self.axes.plot([], [], color=ACCENT, lw=2.0, label="this run")
        self.overlays: list = []  # curves of past runs (Line2D), drawn like ``previous``
        self._xs: list[int] = []
        self._ys: list[float] = []
        self._total = 1
        self._redraw = QTimer(self, singleShot=True, interval=1000 // REDRAWS_PER_SECOND)
        self._redraw.timeout.connect(self._draw_live)
        self._full_draw = QTimer(self, singleShot=True, interval=0)  # one per turn at most
        self._full_draw.timeout.connect(self._draw_if_stale)
        self._live = False  # a run is on: live points are drawn by a timer
        self._axes_image = None  # the axes alone, as the last full draw left them
        self._backdrop = None  # the axes with everything but the current line
        self._drawn_for: tuple | None = None  # limits and size of the last full draw
        self.mpl_connect("draw_event", self._on_draw)
        self._hint = self.axes.text(
            0.5,
            0.5,
            "Press Train to watch the cost fall",
            transform=self.axes.transAxes,
            ha="center",
            va="center",
            color=self.colours.secondary,
            fontsize=11,
        )
        for artist in (self.previous, self.current, self._hint):
            artist.set_animated(True)  # left out of full draws; drawn by _paint_data
        follow_palette(self, self._follow_palette)  # fits and draws

    def _style_axes(self) -> None:
        ax, c = self.axes, self.colours
        self.figure.set_facecolor(c.face)
        ax.set_facecolor(c.face)
        ax.set_xlabel("iteration", color=c.text)
        ax.set_ylabel("cost", color=c.text)
        ax.set_title("Training cost", loc="left", fontsize=11, color=c.text)
        ax.grid(True, color=c.grid, lw=0.8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_color(c.spine)
        ax.tick_params(colors=c.secondary, labelsize=9)

    def _follow_palette(self) -> None:
        """The figure in the palette's colours (at first, and when light turns dark)."""
        colours = FigureColours.of()
        if colours != self.colours:
            self.colours = colours
            self._style_axes()
            self._hint.set_color(colours.secondary)
            self._update_legend()
            self._axes_image = None  # the axes must be drawn anew
        self._fit()

    # -- data --------------------------------------------------------------------------------
    def points(self) -> tuple[list[int], list[float]]:
        """The current run's ``(iterations, costs)`` as drawn."""
        return list(self._xs), list(self._ys)

    def previous_points(self) -> tuple[list[float], list[float]]:
        xs, ys = self.previous.get_data()
        return [float(x) for x in xs], [float(y) for y in ys]

    def overlay_points(self) -> list[tuple[str, list[float], list[float]]]:
        """The overlaid curves as ``(label, iterations, costs)``."""
        return [
            (
                line.get_label(),
                [float(x) for x in line.get_xdata()],
                [float(y) for y in line.get_ydata()],
            )
            for line in self.overlays
        ]

    def show_overlays(self, curves: list[tuple[str, list[float], int]]) -> None:
        """Overlay these past runs' curves (``(label, costs, step)``: ``costs[i]`` at
        iteration ``i * step``), replacing the last ones."""
        for line in self.overlays:
            line.remove()
        self.overlays = []
        for i, (label, costs, step) in enumerate(curves):
            pairs = [(x * step, c) for x, c in enumerate(costs) if math.isfinite(c)]
            colour = OVERLAY_COLOURS[i % len(OVERLAY_COLOURS)]
            (line,) = self.axes.plot(
                [x for x, _ in pairs], [c for _, c in pairs], color=colour, lw=1.2, label=label
            )
            line.set_animated(True)
            self.overlays.append(line)
        self._update_legend()
        self._fit()

    def start_run(self, total: int, label: str = "this run") -> None:
        """Fade the current curve into ``previous`` and start an empty one over ``total``.

        ``label`` names the run in the legend (e.g. its hyper-parameters). If the axes
        must change, the full draw happens now, before the run's thread competes for the
        interpreter.
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
        self._update_legend()
        self._fit(now=True)

    def end_run(self) -> None:
        """Back to ordinary drawing (the run ended, however it ended)."""
        if self._live:
            self._live = False
            self._fit()

    def add_point(self, iteration: int, cost: float) -> None:
        """Append one point (non-finite costs are not drawn)."""
        if not math.isfinite(cost):
            return
        self._xs.append(iteration)
        self._ys.append(cost)
        self.current.set_data(self._xs, self._ys)
        if not self._redraw.isActive():
            self._redraw.start()

    def set_curve(self, costs: list[float], step: int = 1) -> None:
        """Replace the current curve with the full one (``costs[i]`` at iteration
        ``i * step``: a saved curve of a very long run keeps every ``step``-th cost)."""
        pairs = [(i * step, c) for i, c in enumerate(costs) if math.isfinite(c)]
        self._xs = [i for i, _ in pairs]
        self._ys = [c for _, c in pairs]
        self._total = max(1, (len(costs) - 1) * step + 1)  # a stopped run: zoom to what was done
        self.current.set_data(self._xs, self._ys)
        self._live = False
        self._fit()

    def show_model_curve(self, costs: list[float], label: str = "this run", step: int = 1) -> None:
        """Show a saved model's curve (no previous run), e.g. when a model is opened.

        ``label`` names it in the legend (and as "previous: …" once the next run starts).
        """
        self.previous.set_data([], [])
        self.current.set_label(label)
        self._hint.set_visible(not costs)
        self._update_legend()
        self.set_curve(costs, step)

    def clear(self) -> None:
        self._xs, self._ys = [], []
        self.current.set_data([], [])
        self.previous.set_data([], [])
        self._hint.set_visible(True)
        self._update_legend()
        self._fit()

    # -- drawing ------------------------------------------------------------------------------
    def _update_legend(self) -> None:
        """Show the legend when there are two curves to tell apart (the backdrop changes)."""
        self._backdrop = None
        has_previous = len(self.previous.get_xdata()) > 0 or bool(self.overlays)
        legend = self.axes.get_legend()
        if has_previous:
            legend = self.axes.legend(
                loc="upper right", frameon=False, fontsize=9, labelcolor=self.colours.text
            )
            legend.set_animated(True)
        elif legend is not None:
            legend.remove()

    def _top(self) -> float:
        ys = list(self._ys) + [float(y) for y in self.previous.get_ydata()]
        ys += [float(y) for line in self.overlays for y in line.get_ydata()]
        top = max(ys) if ys else 0.0
        return top * 1.08 if top > 0 else 1.0

    def _fits(self, top: float) -> bool:
        """Whether a y axis up to ``top`` still suits the data (no more than 25 % empty).

        Keeping the axis while this holds spares a full draw (tens of milliseconds in the
        GUI thread) at the start and the end of most runs.
        """
        return 0.75 * top <= self._top() <= top

    def _state(self) -> tuple:
        """What a full draw depends on: the axes limits and the canvas size."""
        xlim, ylim = self.axes.get_xlim(), self.axes.get_ylim()
        return (tuple(xlim), tuple(ylim), self.get_width_height(), self.device_pixel_ratio)

    def _fit(self, now: bool = False) -> None:
        """Fit the axes to the data, then draw: fully if they changed, else only the data.

        ``now`` draws fully at once instead of at the next turn of the event loop.
        """
        self._redraw.stop()
        xs_prev = self.previous.get_xdata()
        xs_prev = [*xs_prev, *(x for line in self.overlays for x in line.get_xdata())]
        x_max = max([self._total, *(float(x) for x in xs_prev)])
        self.axes.set_xlim(0, max(1.0, x_max))
        if not self._fits(self.axes.get_ylim()[1]):  # keep the y axis while the data fit it
            self.axes.set_ylim(0, self._top())
        if not self._is_stale():
            self._redraw_data()
        elif now:
            self.draw()
        else:
            self._full_draw.start()

    def _is_stale(self) -> bool:
        """Whether the axes must be drawn again (never drawn, new limits or size)."""
        return self._axes_image is None or self._drawn_for != self._state()

    def draw_idle(self) -> None:
        """Full draws matplotlib asks for (e.g. on resize) go through :meth:`_draw_if_stale`."""
        self._full_draw.start()

    def _draw_if_stale(self) -> None:
        """The deferred full draw, unless one has happened meanwhile (e.g. ``now``)."""
        if self._is_stale():
            self.draw()

    def _on_draw(self, _event) -> None:
        """After a full draw: keep the bare axes, then draw the data on them."""
        self._axes_image = self.copy_from_bbox(self.axes.bbox)
        self._drawn_for = self._state()
        self._backdrop = None
        self._paint_data()

    def _paint_data(self) -> None:
        """Draw the data over the bare axes (not yet shown): ``current`` on top of the rest.

        The previous curve, the hint and the legend change only between runs: drawn once
        (the legend's text takes most of the time), they are kept in ``_backdrop``.
        """
        ax = self.axes
        if self._backdrop is None:
            self.restore_region(self._axes_image)
            legend = [ax.get_legend()] if ax.get_legend() is not None else []
            for artist in (self.previous, *self.overlays, self._hint, *legend):
                ax.draw_artist(artist)
            self._backdrop = self.copy_from_bbox(ax.bbox)
        else:
            self.restore_region(self._backdrop)
        ax.draw_artist(self.current)

    def _redraw_data(self) -> None:
        """Show changed data on the axes of the last full draw (a few ms)."""
        self._paint_data()
        self.blit(self.axes.bbox)

    def _draw_live(self) -> None:
        """Blit the live line unless the axes no longer fit the data."""
        if self._live and not self._is_stale() and self._fits(self.axes.get_ylim()[1]):
            self._redraw_data()
        else:
            self._fit()
