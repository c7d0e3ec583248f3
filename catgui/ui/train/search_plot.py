"""What a run of a pretrained kind did: its preparation, then its choice of features and C.

Such a run first reads every training picture through the backbone (a preparation, shown
as progress in words, not as a curve), then, with C on auto, cross-validates each feature
set at each penalty C and keeps the lowest held-out log-loss. The plot draws exactly that:
held-out log-loss against C (log scale), one line per feature set, the choice marked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QSizePolicy, QWidget

from catgui.core import backbone
from catgui.core.kinds.pretrained import KIND as PRETRAINED
from catgui.core.kinds.pretrained import cross_validation_of
from catgui.core.kinds.zero_shot import Calibration, calibration_of
from catgui.ui.common.figure_colours import FigureColours
from catgui.ui.common.palette_follower import follow_palette
from catgui.ui.train import calibration_drawing

#: Each feature set's name and colour on the plot.
FEATURE_SETS = {
    "pooled": ("pooled features", "#0a84ff"),
    "logits": ("ImageNet logits", "#ff9f0a"),
    "both": ("both", "#30d158"),
}
CHOSEN = "#ff375f"
#: Redraws a second at most while a run goes on.
REDRAWS_PER_SECOND = 4


def _without_search(metadata: Mapping[str, Any], head: Mapping[str, Any]) -> str:
    """What to say of a model whose metadata records no cross-validation."""
    c = head.get("c")
    if metadata.get("kind") != PRETRAINED.name or not isinstance(c, (int, float)):
        return "Nothing to choose in this run: the head was fitted once"
    given = (metadata.get("hyperparameters") or {}).get("c")
    if given is not None:
        return f"C {c:g} was given: no search, the head was fitted once"
    return (
        f"C {c:g} was chosen by cross-validation; this file does not keep its figures "
        "(an older catgui made it): train again to see them"
    )


class SearchPlot(FigureCanvasQTAgg):
    """The Train tab's plot for the kinds on the backbone.

    :meth:`start_run` before a run, :meth:`add_step` for each progress signal (preparing
    the pictures, then trying settings), :meth:`show_metadata` with the run's (or an opened
    model's) metadata at the end.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        self.figure = Figure(figsize=(5, 3.4), dpi=100, layout="constrained")
        super().__init__(self.figure)
        self.setParent(parent)
        self.setObjectName("searchPlot")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 220)
        self.axes = self.figure.add_subplot()
        self.pictures = 0
        self.total = 0
        self.drawn: dict[str, tuple[list[float], list[float]]] = {}
        self.chosen: tuple[float, float] | None = None
        self.calibration: Calibration | None = None  # a zero-shot run's, on show
        self._message = ""
        self._metadata: Mapping[str, Any] | None = None
        self._redraw = QTimer(self, singleShot=True, interval=1000 // REDRAWS_PER_SECOND)
        self._redraw.timeout.connect(self._draw_message)
        follow_palette(self, self._repaint)

    # -- what is shown -------------------------------------------------------------------------
    def message(self) -> str:
        """The words on the plot (progress, or what the run chose)."""
        return self._message

    def start_run(self, pictures: int, total: int) -> None:
        """A run of ``pictures`` training pictures and ``total`` steps in all begins."""
        self.pictures, self.total = pictures, total
        self._metadata = None
        self.drawn, self.chosen, self.calibration = {}, None, None
        self._message = f"Preparing the pictures: reading {pictures:,} through {backbone.NAME}…"
        self._repaint()

    def add_step(self, iteration: int, cost: float) -> None:
        """One progress signal of the run (``iteration`` 0-based)."""
        self._message = self.step_words(iteration, cost)
        if not self._redraw.isActive():
            self._redraw.start()

    def step_words(self, iteration: int, cost: float) -> str:
        """What step ``iteration`` (0-based) of the run is doing, in words."""
        done = iteration + 1
        settings = self.total - self.pictures - 1  # the last step is the final fit
        if done <= self.pictures or not math.isfinite(cost):
            shown = min(done, self.pictures)
            return f"Preparing the pictures: {shown:,} of {self.pictures:,} read through {backbone.NAME}"
        if settings > 0 and done - self.pictures <= settings:
            return (
                "Choosing the features and C by cross-validation: "
                f"{done - self.pictures} of {settings} settings tried"
            )
        return "Fitting the head on every training picture"

    def done_words(self, seconds: float) -> str:
        """The progress bar's words at the end of a whole run."""
        settings = self.total - self.pictures - 1
        tried = f", {settings} settings tried" if settings > 0 else ""
        return f"Done: {self.pictures:,} pictures read{tried}, the head fitted, in {seconds:.1f} s"

    def show_metadata(self, metadata: Mapping[str, Any]) -> None:
        """Draw what the run of this model did (its cross-validation, its calibration, or
        why there was none)."""
        self._redraw.stop()
        self._metadata = metadata
        self.drawn, self.chosen = {}, None
        self.calibration = calibration_of(metadata)
        search = cross_validation_of(metadata)
        head = metadata.get("head") if isinstance(metadata.get("head"), Mapping) else {}
        if self.calibration is not None:
            self._message = calibration_drawing.words(self.calibration)
            self._repaint()
            return
        if search is None:
            self._message = _without_search(metadata, head)
            self._repaint()
            return
        folds, candidates = search
        for candidate in candidates:
            xs, ys = self.drawn.setdefault(candidate.representation, ([], []))
            xs.append(candidate.c)
            ys.append(candidate.loss)
        best = min(candidates, key=lambda t: t.loss)
        self.chosen = (best.c, best.loss)
        name = FEATURE_SETS[best.representation][0]
        self._message = (
            f"Chosen: {name}, C {best.c:g}: {best.accuracy:.1%} right in {folds}-fold "
            "cross-validation"
        )
        self._repaint()

    # -- drawing -------------------------------------------------------------------------------
    def _draw_message(self) -> None:
        self._repaint()

    def _repaint(self) -> None:
        c = FigureColours.of()
        ax = self.axes
        ax.clear()
        self.figure.set_facecolor(c.face)
        ax.set_facecolor(c.face)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_color(c.spine)
        ax.tick_params(colors=c.secondary, labelsize=9)
        if self.calibration is not None:
            calibration_drawing.draw(ax, self.calibration, c)
            self.draw_idle()
            return
        if not self.drawn:
            ax.set_title("Training run", loc="left", fontsize=11, color=c.text)
            ax.set_xticks([])
            ax.set_yticks([])
            for side in ("left", "bottom"):
                ax.spines[side].set_visible(False)
            ax.text(
                0.5, 0.5, self._message, transform=ax.transAxes, ha="center", va="center",
                color=c.secondary, fontsize=10, wrap=True,
            )  # fmt: skip
            self.draw_idle()
            return
        ax.set_title(f"Cross-validation: held-out loss by penalty C\n{self._message}",
                     loc="left", fontsize=10, color=c.text)  # fmt: skip
        ax.set_xscale("log")
        ax.set_xlabel("penalty C (larger: fits the training pictures more closely)",
                      color=c.text, fontsize=9)  # fmt: skip
        ax.set_ylabel("held-out log-loss (lower is better)", color=c.text, fontsize=9)
        ax.grid(True, color=c.grid, lw=0.8)
        for representation, (xs, ys) in self.drawn.items():
            label, colour = FEATURE_SETS[representation]
            ax.plot(xs, ys, marker="o", ms=4, lw=1.6, color=colour, label=label)
        if self.chosen is not None:
            ax.plot(*self.chosen, marker="*", ms=16, color=CHOSEN, ls="none", label="chosen")
        ax.legend(loc="best", frameon=False, fontsize=9, labelcolor=c.text)
        self.draw_idle()
