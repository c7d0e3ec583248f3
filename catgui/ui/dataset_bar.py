"""One line naming the data set in use, with Locate… to choose another folder."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from catgui.core.dataset import DataSet


class DatasetBar(QWidget):
    """``Data set: /path (209 training, 50 test images)   [Locate…]``.

    Signals
    -------
    locateRequested()
        The user pressed Locate….
    """

    locateRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("datasetBar")
        self.label = QLabel(objectName="datasetLabel")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.locate_button = QPushButton("Locate…", objectName="locateDatasetButton")
        self.locate_button.setToolTip(
            "Choose the folder holding train_catvnoncat.h5 and test_catvnoncat.h5"
        )
        self.locate_button.clicked.connect(self.locateRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.locate_button, 0, Qt.AlignmentFlag.AlignTop)
        self.show_dataset(None)

    def show_dataset(self, data: DataSet | None) -> None:
        if data is None:
            self.label.setText("<b>Data set:</b> <span style='color:#d70015'>not found</span>")
            self.setToolTip("")
            return
        cats = int(data.train.y.sum())
        self.label.setText(
            f"<b>Data set:</b> {len(data.train)} training images ({cats} cats), "
            f"{len(data.test)} test images<br>"
            f"<span style='color:#636366; font-size:11px'>{data.folder}</span>"
        )
        self.setToolTip(str(data.folder))
