"""What the data set in use is made of, with Details… and Locate… (the article's files)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from catgui.core.dataset import DataSet
from catgui.core.source_info import summary_lines
from catgui.core.words import counted
from catgui.ui.common import tones
from catgui.ui.common.palette_follower import follow_palette


def _skipped_header(line: str) -> bool:
    return line.startswith("Skipped ")


class DatasetBar(QWidget):
    """``In use: 1,600 training (800 cats) · 400 test pictures`` and how they were made.

    Under the headline come the lines of :func:`~catgui.core.source_info.summary_lines`
    (class folders used, split, notes) without the list of skipped files, which a link
    opens (:attr:`detailsRequested`).

    Signals
    -------
    locateRequested()
        The user pressed Locate… (the folder of the article's h5 files).
    detailsRequested()
        The user wants the full description, skipped files included.
    """

    locateRequested = Signal()
    detailsRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("datasetBar")
        self.label = QLabel(objectName="datasetLabel")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.label.linkActivated.connect(lambda _link: self.detailsRequested.emit())
        self.lines = QLabel(objectName="datasetLines")
        self.lines.setTextFormat(Qt.TextFormat.RichText)
        self.lines.setWordWrap(True)
        self.lines.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.locate_button = QPushButton("Locate…", objectName="locateDatasetButton")
        self.locate_button.setToolTip(
            "Choose the folder holding the article's train_catvnoncat.h5 and test_catvnoncat.h5"
        )
        self.locate_button.clicked.connect(self.locateRequested)
        self.details_button = QPushButton("Details…", objectName="datasetDetailsButton")
        self.details_button.setToolTip("Everything about the pictures in use, skipped files too")
        self.details_button.clicked.connect(self.detailsRequested)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.details_button)
        buttons.addWidget(self.locate_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addWidget(self.lines)
        layout.addLayout(buttons)
        self.skipped = 0
        self._data: DataSet | None = None
        follow_palette(self.label, lambda: self.show_dataset(self._data))

    def show_dataset(self, data: DataSet | None) -> None:
        self._data = data
        red = tones.tone(tones.RED)
        if data is None:
            self.label.setText(f"<b>In use:</b> <span style='color:{red}'>no pictures</span>")
            self.lines.hide()
            self.details_button.hide()
            self.setToolTip("")
            return
        cats = int(data.train.y.sum())
        self.skipped = len(getattr(data, "skipped", ()))
        text = (
            f"<b>In use:</b> {len(data.train):,} training ({counted(cats, 'cat')}) · "
            f"{len(data.test):,} test pictures"
        )
        if self.skipped:
            text += (
                f"<br><a href='skipped' style='color:{red}'>{self.skipped:,} file"
                f"{'' if self.skipped == 1 else 's'} skipped — see which and why</a>"
            )
        self.label.setText(text)
        lines = [line for line in summary_lines(data) if not line.startswith("  ")]
        lines = [line for line in lines if not _skipped_header(line)]
        self.lines.setText(
            f"<span style='color:{tones.secondary()}; font-size:11px'>"
            + "<br>".join(html.escape(line) for line in lines)
            + "</span>"
        )
        self.lines.show()
        self.details_button.show()
        self.setToolTip(str(data.folder))
