"""A picture's "Why?" heat map, large: what a click on a Classify row's heat map opens, and
the Library's large view's *Why?*."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from catgui.ui.common.heat_colours import AGAINST, FOR_CAT, HEAT_TIP
from catgui.ui.common.qimages import to_pixmap

#: The heat map's side on screen (its pixels drawn as crisp blocks).
SIDE = 448


def _dot(colour, text: str) -> str:
    return f"<span style='color:{colour.name()}; font-size:16px'>●</span> {html.escape(text)}"


class WhyView(QDialog):
    """The heat map at :data:`SIDE` px, the legend beside it (not over it), the verdict.

    Signals
    -------
    hideRequested()
        The user wants this row to show its plain picture again.
    """

    hideRequested = Signal()

    def __init__(
        self,
        overlay: np.ndarray,
        name: str,
        verdict: str,
        parent: QWidget | None = None,
        hide_text: str | None = "Show the picture in its row",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("whyView")
        self.setWindowTitle(f"Why? — {name}")
        self.picture = QLabel(objectName="whyPicture")
        pixmap: QPixmap = to_pixmap(overlay)
        self.picture.setPixmap(
            pixmap.scaled(
                SIDE,
                SIDE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
        )
        self.picture.setToolTip(HEAT_TIP)
        legend = QLabel(objectName="whyLegend")
        legend.setTextFormat(Qt.TextFormat.RichText)
        legend.setWordWrap(True)
        legend.setText(
            f"<p><b>{html.escape(name)}</b><br>{html.escape(verdict)}</p>"
            f"<p>{_dot(FOR_CAT, 'evidence for cat')}<br>{_dot(AGAINST, 'evidence against')}</p>"
            f"<p>{html.escape(HEAT_TIP)}.</p>"
        )
        legend.setFixedWidth(220)
        row = QHBoxLayout()
        row.addWidget(self.picture)
        row.addWidget(legend, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.hide_button = QPushButton(hide_text or "", objectName="whyHideButton")
        self.hide_button.setToolTip("This row shows its plain picture again (Why? stays on)")
        if hide_text:  # Classify's rows: back to the plain picture
            buttons.addButton(self.hide_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.hide_button.clicked.connect(self.hideRequested)
        self.hide_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
