"""The Library tab's top row: *Add folder…*, the folders, the scan's progress, *Pause*, *Stop*."""

from __future__ import annotations

import os

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from catgui.ui.common.elided_label import ElidedLabel


class ScanPanel(QWidget):
    """Buttons and the scan's progress; the tab does the work.

    Signals
    -------
    addRequested()
        *Add folder…* was clicked.
    rescanRequested()
        *Scan again* was clicked (new and changed files are read; the others are not).
    pauseToggled(bool)
        *Pause* (``True``) or *Resume* (``False``).
    stopRequested()
    """

    addRequested = Signal()
    rescanRequested = Signal()
    pauseToggled = Signal(bool)
    stopRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryScanPanel")
        self.add_button = QPushButton("&Add folder…", objectName="libraryAddFolder")
        self.add_button.setToolTip("Add a folder of photos to the library (or drop folders here)")
        self.rescan_button = QPushButton("Scan a&gain", objectName="libraryRescan")
        self.rescan_button.setToolTip("Read the new and changed photos of the library's folders")
        self.folders_label = ElidedLabel(objectName="libraryFolders")
        self.progress = QProgressBar(objectName="libraryProgress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(160)
        self.status = QLabel(objectName="libraryScanStatus")
        self.pause_button = QPushButton("&Pause", objectName="libraryPause", checkable=True)
        self.pause_button.setToolTip("Hold the scan after this batch (Resume goes on)")
        self.stop_button = QPushButton("S&top", objectName="libraryStop")
        self.stop_button.setToolTip(
            "Stop after this batch; what was read is kept, and the next scan continues"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.add_button)
        row.addWidget(self.rescan_button)
        row.addWidget(self.folders_label, 1)
        row.addWidget(self.progress)
        row.addWidget(self.status, 2)
        row.addWidget(self.pause_button)
        row.addWidget(self.stop_button)
        self.add_button.clicked.connect(self.addRequested)
        self.rescan_button.clicked.connect(self.rescanRequested)
        self.pause_button.toggled.connect(self._paused)
        self.stop_button.clicked.connect(self.stopRequested)
        self.set_running(False)
        self.set_folders([])

    def set_folders(self, folders: list[str]) -> None:
        home = os.path.expanduser("~")
        shown = [("~" + f[len(home) :]) if f.startswith(home + os.sep) else f for f in folders]
        self.folders_label.setText(", ".join(shown) if shown else "No folders yet")
        self.folders_label.setToolTip("\n".join(folders))
        self.rescan_button.setEnabled(bool(folders) and not self.stop_button.isVisible())

    def set_running(self, running: bool) -> None:
        for widget in (self.progress, self.pause_button, self.stop_button):
            widget.setVisible(running)
        self.rescan_button.setEnabled(not running and bool(self.folders_label.toolTip()))
        if not running:
            self.pause_button.setChecked(False)
            self.progress.setRange(0, 1)
            self.progress.setValue(0)

    def set_progress(self, done: int, total: int, text: str) -> None:
        """``done`` of ``total`` (0 of 0: busy, no end known; -1: only the text changed)."""
        if done >= 0:
            self.progress.setRange(0, max(total, 0))
            self.progress.setValue(done)
        self.status.setText(text)

    def say(self, text: str) -> None:
        self.status.setText(text)

    def _paused(self, on: bool) -> None:
        self.pause_button.setText("&Resume" if on else "&Pause")
        self.pauseToggled.emit(on)
