"""One picture of the label-next strip: its thumbnail, P(cat), and *Cat* / *Not cat*."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from catgui.core.library.label_next import Candidate
from catgui.ui.common.elided_label import ElidedLabel

#: The side of a tile's thumbnail, in pixels.
SIDE = 96


class LabelNextTile(QFrame):
    """A picture to label. Clicking *Cat* / *Not cat*, or pressing C / N while the tile
    has the focus, emits :attr:`labelled`; :meth:`show_label` shows what was stored.

    Signals
    -------
    labelled(bool)
        The user said cat (``True``) or not cat (``False``).
    """

    labelled = Signal(bool)

    def __init__(
        self, candidate: Candidate, jpeg: bytes | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.candidate = candidate
        self.label: bool | None = None
        self.setObjectName("labelNextTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        name = Path(candidate.path).name
        self.setToolTip(f"{candidate.path}\nC: cat · N: not cat")
        self.setAccessibleName(f"{name}, P(cat) {candidate.probability:.2f}")

        self.picture = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.picture.setFixedSize(SIDE, SIDE)
        pixmap = QPixmap()
        if jpeg is None or not pixmap.loadFromData(jpeg, "JPEG"):
            self.picture.setText("no\nthumbnail")
        else:
            self.picture.setPixmap(pixmap)
        new = " · new" if candidate.unfamiliar else ""
        self.caption = QLabel(f"P(cat) {candidate.probability:.2f}{new}")
        self.caption.setToolTip(
            "unlike anything the model was trained on" if candidate.unfamiliar else ""
        )
        self.name = ElidedLabel(min_characters=4)
        self.name.setText(name)
        self.name.setMaximumWidth(SIDE + 24)
        self.cat_button = QPushButton("Cat", checkable=True)
        self.not_cat_button = QPushButton("Not cat", checkable=True)
        self.cat_button.setToolTip("It is a cat (C)")
        self.not_cat_button.setToolTip("It is not a cat (N)")
        for button, is_cat in ((self.cat_button, True), (self.not_cat_button, False)):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, v=is_cat: self.labelled.emit(v))

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.cat_button)
        buttons.addWidget(self.not_cat_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.caption, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.name)
        layout.addLayout(buttons)

    def show_label(self, label: bool | None) -> None:
        """Show the stored answer (``None``: not labelled)."""
        self.label = label
        self.cat_button.setChecked(label is True)
        self.not_cat_button.setChecked(label is False)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        key = event.key()
        if key == Qt.Key.Key_C and not event.modifiers():
            self.labelled.emit(True)
        elif key == Qt.Key.Key_N and not event.modifiers():
            self.labelled.emit(False)
        else:
            super().keyPressEvent(event)
