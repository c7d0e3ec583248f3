"""The first layer's units as pictures: live during a run, static for the active model."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from catgui.core import kinds, units
from catgui.core.persistence import Model
from catgui.ui.app_state import AppState
from catgui.ui.common import tones
from catgui.ui.common.palette_follower import keep_style_sheet
from catgui.ui.common.qimages import to_pixmap
from catgui.workers.train import TrainOutcome, TrainWorker

#: Units drawn at most (a wider first layer shows its first ones).
MAX_UNITS = 100
GAP = 6
MAX_TILE = 192
_BASE = QPalette.ColorRole.Base  # the view's ground, as the cost plot's

_EXPLAINED = (
    "Each unit of the first layer weighs the picture's 12288 values; shown as a picture, "
    "grey is a weight of 0, brighter a colour that raises the unit, darker one that lowers "
    "it (each unit scaled to its own largest weight)."
)


class FirstLayerUnits(QWidget):
    """A grid of the first layer's units (see :mod:`catgui.core.units`), or a sentence.

    Shows the active model's units; during a run (:meth:`attach`) the worker's snapshots
    instead, then the run's model.
    """

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstLayerUnits")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        keep_style_sheet(self, "#firstLayerUnits { background: palette(base); }")
        self.caption = QLabel(objectName="unitsCaption")
        self.caption.setWordWrap(True)
        keep_style_sheet(self.caption, lambda: f"color: {tones.secondary(role=_BASE)}")
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        self._pictures: np.ndarray | None = None
        self._pixmaps: list[QPixmap] = []
        self._live = False
        self.snapshots = 0  # live pictures received during the current run
        state.modelChanged.connect(self._model_changed)
        self.show_model(state.model)

    # -- what is shown ---------------------------------------------------------------------
    def pictures(self) -> np.ndarray | None:
        """The ``(n1, 64, 64, 3)`` pictures on show (``None``: a sentence instead)."""
        return self._pictures

    def text(self) -> str:
        return self.caption.text()

    def show_pictures(self, pictures: np.ndarray) -> None:
        """Draw ``pictures`` (``(n1, 64, 64, 3)`` uint8)."""
        self._pictures = pictures
        shown = pictures[:MAX_UNITS]
        self._pixmaps = [to_pixmap(p) for p in shown]
        n = len(pictures)
        count = f"{n} unit{'s' if n != 1 else ''}"
        if n > len(shown):
            count = f"the first {len(shown)} of {n} units"
        self.caption.setText(f"First layer: {count}. {_EXPLAINED}")
        self.update()

    def show_sentence(self, sentence: str) -> None:
        self._pictures = None
        self._pixmaps = []
        self.caption.setText(sentence)
        self.update()

    def show_model(self, model: Model | None) -> None:
        """``model``'s units, or why there are none."""
        if model is None:
            self.show_sentence("No model yet: train one to see its first layer.")
            return
        w1 = model.classifier.first_layer()
        if w1 is None:
            kind = kinds.get(model.kind) if model.kind in kinds.names() else None
            label = kind.label if kind is not None else model.kind
            self.show_sentence(
                f"A model of kind “{label}” has no first layer over the picture's pixels, "
                "so it has no units to show as pictures."
            )
            return
        self.show_pictures(units.unit_pictures(w1))

    # -- a run -----------------------------------------------------------------------------
    def attach(self, worker: TrainWorker) -> None:
        """Show ``worker``'s snapshots until it ends, then its run's model."""
        self._live = True
        self.snapshots = 0
        worker.unitsChanged.connect(self._snapshot)
        worker.succeeded.connect(self._run_succeeded)
        worker.finished.connect(self._run_ended)

    def _snapshot(self, pictures: np.ndarray) -> None:
        if self._live:
            self.snapshots += 1
            self.show_pictures(pictures)

    def _run_succeeded(self, outcome: TrainOutcome) -> None:
        self.show_model(outcome.model)

    def _run_ended(self) -> None:
        self._live = False

    def _model_changed(self, model: Model | None) -> None:
        if not self._live:
            self.show_model(model)

    # -- drawing ---------------------------------------------------------------------------
    def _grid(self, area: QRect) -> tuple[int, int]:
        """``(columns, tile side)`` that fit the pixmaps in ``area`` at their largest."""
        n = len(self._pixmaps)
        best = (1, 0)
        for cols in range(1, n + 1):
            rows = math.ceil(n / cols)
            side = min(
                (area.width() - GAP * (cols - 1)) // cols,
                (area.height() - GAP * (rows - 1)) // rows,
            )
            if side > best[1]:
                best = (cols, side)
        return best[0], min(best[1], MAX_TILE)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self._pixmaps:
            return
        margin = self.layout().contentsMargins()
        top = self.caption.geometry().bottom() + GAP
        area = QRect(margin.left(), top, self.width() - margin.left() - margin.right(), 0)
        area.setBottom(self.height() - margin.bottom())
        cols, side = self._grid(area)
        if side <= 0:
            return
        painter = QPainter(self)
        for i, pixmap in enumerate(self._pixmaps):
            row, col = divmod(i, cols)
            x = area.left() + col * (side + GAP)
            y = area.top() + row * (side + GAP)
            painter.drawPixmap(QRect(x, y, side, side), pixmap)
        painter.end()
