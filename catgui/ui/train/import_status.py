"""The line under the data choices: not imported yet / importing 120 of 2,000… / ready / why not."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from catgui.ui.common import tones
from catgui.ui.common.palette_follower import follow_palette

STAGES = {"images": "pictures", "test images": "test pictures", "corrections": "corrections"}
_NOT_YET = "Not imported yet: press <b>Use these pictures</b> or <b>Train</b>."


class ImportStatus(QWidget):
    """A thin progress bar, a status line, and *Cancel* / *Use these pictures*.

    Signals
    -------
    applyRequested()
        The user pressed *Use these pictures*.
    cancelRequested()
        The user pressed *Cancel* during an import.
    """

    applyRequested = Signal()
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importStatus")
        self.status = QLabel(objectName="dataStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.progress = QProgressBar(objectName="importProgress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.cancel_button = QPushButton("Cancel", objectName="cancelImportButton")
        self.cancel_button.setToolTip("Stop importing; the pictures in use stay as they are (Esc)")
        self.apply_button = QPushButton("Use these pictures", objectName="useDataButton")
        self.apply_button.setToolTip("Import the pictures now (Train also does it first)")
        self.apply_button.clicked.connect(self.applyRequested)
        self.cancel_button.clicked.connect(self.cancelRequested)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self._shown = ("", False)
        self.set_importing(False)
        self.set_pending(False)
        follow_palette(self.status, lambda: self.show_status(*self._shown))

    def set_pending(self, pending: bool) -> None:
        """Whether the choices differ from the pictures in use (offer *Use these pictures*).

        A message about the last import (an error, a cancel) stays until the next one.
        """
        self.apply_button.setVisible(pending and not self.cancel_button.isVisible())
        if pending and not self.status.text():
            self.show_status(_NOT_YET)
        elif not pending and "Not imported yet" in self.status.text():
            self.show_status("")

    def set_importing(self, importing: bool) -> None:
        self.progress.setVisible(importing)
        self.cancel_button.setVisible(importing)
        if importing:
            self.apply_button.hide()
            self.progress.setRange(0, 0)
            self.show_status("Looking for pictures…")

    def show_progress(self, done: int, total: int, stage: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        what = STAGES.get(stage, "pictures")
        self.show_status(f"Importing {what}: {done:,} of {total:,}…")

    def show_status(self, text: str, error: bool = False) -> None:
        """A line of rich text; errors in red."""
        self._shown = (text, error)
        color = tones.tone(tones.RED) if error else tones.secondary()
        self.status.setText(f"<span style='color:{color}'>{text}</span>" if text else "")
        self.status.setVisible(bool(text))

    def show_error(self, message: str) -> None:
        self.show_status(html.escape(message[:1].upper() + message[1:]), error=True)

    def text(self) -> str:
        """The status line as plain text (tests and accessibility)."""
        doc = self.status.text()
        return html.unescape("".join(part.split(">", 1)[-1] for part in doc.split("<"))).strip()
