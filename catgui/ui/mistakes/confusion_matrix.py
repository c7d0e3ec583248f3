"""A 2 x 2 confusion matrix: rows are the truth, columns what the model said."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QWidget

from catgui.ui.common import tones
from catgui.ui.common.contrast import blend, readable
from catgui.ui.common.palette_follower import follow_palette, keep_style_sheet

NAMES = ("non-cat", "cat")
CELL = 64
_RIGHT = (120, 190, 140)  # green tint for correct answers
_WRONG = (215, 90, 80)  # red tint for mistakes
_BASE = QPalette.ColorRole.Base  # the panel the matrix sits on


def _tint(rgb: tuple[int, int, int], share: float) -> QColor:
    """The cell's colour on the panel: the tint, stronger for a larger share."""
    top = QColor(*rgb, int(40 + 180 * share))
    return blend(top, tones.ground(role=_BASE))


def _caption_style() -> str:
    return f"color: {tones.secondary(role=_BASE)}; font-size: 11px;"


class ConfusionMatrix(QWidget):
    """Counts of truth x prediction; the two mistake cells are buttons that filter the view.

    Signals
    -------
    cellClicked(int, int)
        ``(truth, predicted)`` of a clicked mistake cell: ``(0, 1)`` false positives,
        ``(1, 0)`` false negatives.
    """

    cellClicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confusionMatrix")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(4)
        said = QLabel("Model said", alignment=Qt.AlignmentFlag.AlignCenter)
        keep_style_sheet(said, _caption_style)
        grid.addWidget(said, 0, 1, 1, 2)
        truth = QLabel(
            "Truth", alignment=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        keep_style_sheet(truth, _caption_style)
        grid.addWidget(truth, 1, 0)
        for col, name in enumerate(NAMES, start=1):
            grid.addWidget(QLabel(name, alignment=Qt.AlignmentFlag.AlignCenter), 1, col)
        self.cells: dict[tuple[int, int], QLabel | QPushButton] = {}
        for t, name in enumerate(NAMES):
            row = t + 2
            grid.addWidget(
                QLabel(name, alignment=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                row,
                0,
            )
            for p in range(2):
                cell = self._make_cell(t, p)
                self.cells[(t, p)] = cell
                grid.addWidget(cell, row, p + 1)
        self._matrix: np.ndarray | None = None
        follow_palette(self, lambda: self.set_matrix(self._matrix))

    def _make_cell(self, truth: int, predicted: int) -> QLabel | QPushButton:
        if truth == predicted:
            cell: QLabel | QPushButton = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        else:
            cell = QPushButton()
            cell.setCursor(Qt.CursorShape.PointingHandCursor)
            kind = "false positives" if predicted == 1 else "false negatives"
            cell.setToolTip(f"Show only the {kind}")
            cell.clicked.connect(lambda _=False, t=truth, p=predicted: self.cellClicked.emit(t, p))
        cell.setObjectName(f"confusionCell{truth}{predicted}")
        cell.setFixedSize(CELL, CELL * 3 // 4)
        cell.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return cell

    def set_matrix(self, matrix: np.ndarray | None) -> None:
        """Show ``matrix[truth][predicted]`` counts, or dashes when there is none.

        The count's colour is the palette's text made readable on the cell's tint.
        """
        self._matrix = matrix
        total = int(np.sum(matrix)) if matrix is not None else 0
        for (t, p), cell in self.cells.items():
            count = int(matrix[t][p]) if matrix is not None else None
            cell.setText("–" if count is None else str(count))
            share = count / total if count is not None and total else 0.0
            rgb = _RIGHT if t == p else _WRONG
            kind = "QPushButton" if t != p else "QLabel"
            fill = _tint(rgb, share)
            ink = readable(tones.text(role=_BASE), fill).name()
            style = (
                f"{kind} {{ background: {fill.name()}; color: {ink}; border-radius: 6px;"
                " border: none; font-size: 18px; font-weight: bold; }"
            )
            if t != p:
                style += f"QPushButton:hover {{ border: 2px solid rgb{_WRONG}; }}"
                faint = tones.secondary_on(QColor(ink), fill).name()
                style += f"QPushButton:disabled {{ color: {faint}; }}"
            cell.setStyleSheet(style)
            if t != p:
                cell.setEnabled(bool(count))

    def counts(self) -> list[list[str]]:
        """The four numbers as shown (for tests and accessibility checks)."""
        return [[self.cells[(t, p)].text() for p in range(2)] for t in range(2)]
