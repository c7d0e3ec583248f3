"""A 2 x 2 confusion matrix: rows are the truth, columns what the model said."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QWidget

NAMES = ("non-cat", "cat")
CELL = 64
_RIGHT = (120, 190, 140)  # green tint for correct answers
_WRONG = (215, 90, 80)  # red tint for mistakes


def _tint(rgb: tuple[int, int, int], share: float) -> str:
    alpha = int(40 + 180 * share)
    return f"rgba({rgb[0]}, {rgb[1]}, {rgb[2]}, {alpha})"


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
        said.setStyleSheet("color: #8e8e93; font-size: 11px;")
        grid.addWidget(said, 0, 1, 1, 2)
        truth = QLabel(
            "Truth", alignment=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        truth.setStyleSheet("color: #8e8e93; font-size: 11px;")
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
        self.set_matrix(None)

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
        """Show ``matrix[truth][predicted]`` counts, or dashes when there is none."""
        total = int(np.sum(matrix)) if matrix is not None else 0
        for (t, p), cell in self.cells.items():
            count = int(matrix[t][p]) if matrix is not None else None
            cell.setText("–" if count is None else str(count))
            share = count / total if count is not None and total else 0.0
            rgb = _RIGHT if t == p else _WRONG
            kind = "QPushButton" if t != p else "QLabel"
            style = (
                f"{kind} {{ background: {_tint(rgb, share)}; border-radius: 6px; border: none;"
                f" font-size: 18px; font-weight: bold; }}"
            )
            if t != p:
                style += f"QPushButton:hover {{ border: 2px solid rgb{_WRONG}; }}"
            cell.setStyleSheet(style)
            if t != p:
                cell.setEnabled(bool(count))

    def counts(self) -> list[list[str]]:
        """The four numbers as shown (for tests and accessibility checks)."""
        return [[self.cells[(t, p)].text() for p in range(2)] for t in range(2)]
