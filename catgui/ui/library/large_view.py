"""One library picture, large, with its verdict, *Why?*, *Open file location* and *Copy path*.

The picture is decoded in the generic worker (:func:`catgui.core.library.jobs.picture_job`);
*Why?* computes the heat map of the model whose verdicts the grid shows, off the GUI
thread too, and opens it in the :class:`~catgui.ui.common.why_view.WhyView` Classify uses.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from catgui.core.library import jobs
from catgui.core.library.browse import Item
from catgui.ui.common.qimages import to_qimage
from catgui.ui.library.tile_delegate import verdict_of
from catgui.workers.base import WorkerHolder
from catgui.workers.generator import GeneratorWorker

#: The picture's longest side on screen.
SIDE = 560


class LargeView(QDialog):
    """``item`` large; ``model_path`` explains it (``None``: no *Why?*).

    Signals
    -------
    locateRequested(str)
        *Open file location* for this path.
    copyRequested(str)
        *Copy path* for this path.
    """

    locateRequested = Signal(str)
    copyRequested = Signal(str)

    def __init__(self, item: Item, model_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryLargeView")
        self.setWindowTitle(item.name)
        self.item = item
        self.model_path = model_path
        self.why_view = None
        self._holder = WorkerHolder()
        self.destroyed.connect(functools.partial(WorkerHolder.stop_and_wait, self._holder))
        self.picture = QLabel("Loading…", objectName="libraryLargePicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(320, 240)
        text, _colour = verdict_of(item)
        self.caption = QLabel(objectName="libraryLargeCaption", wordWrap=True)
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caption.setText(
            f"<b>{html.escape(item.name)}</b> — {html.escape(item.error or text)}"
            f"<br><span style='font-size:small'>{html.escape(item.path)}</span>"
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.why_button = QPushButton("&Why?", objectName="libraryWhyButton")
        self.why_button.setToolTip("Where in the picture the model finds its answer (W)")
        self.why_button.setEnabled(model_path is not None and item.error is None)
        self.locate_button = QPushButton("Open file &location", objectName="libraryLocate")
        self.copy_button = QPushButton("&Copy path", objectName="libraryCopyPath")
        for button in (self.why_button, self.locate_button, self.copy_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.why_button.clicked.connect(self.explain)
        self.locate_button.clicked.connect(lambda: self.locateRequested.emit(item.path))
        self.copy_button.clicked.connect(lambda: self.copyRequested.emit(item.path))
        QShortcut(QKeySequence("W"), self, self.explain)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), self, self.copy_button.click)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.caption)
        layout.addWidget(buttons)
        self._run(None)

    def explain(self) -> None:
        """Compute the heat map (off the GUI thread) and open it large."""
        if self.why_button.isEnabled() and not self.is_busy():
            self.why_button.setEnabled(False)
            self.why_button.setText("Working out why…")
            self._run(self.model_path)

    def is_busy(self) -> bool:
        worker = self._holder.worker
        return worker is not None and worker.isRunning()

    def done(self, result: int) -> None:  # noqa: D401 - Qt's
        self._holder.stop_and_wait()
        super().done(result)

    def _run(self, model_path: Path | None) -> None:
        path = self.item.path
        worker = GeneratorWorker(
            lambda: jobs.picture_job(path, SIDE, model_path), "showing the picture", 0, self
        )
        worker.stepped.connect(self._stepped)
        worker.failed.connect(self._failed)
        self._holder.worker = worker
        worker.start()

    def _stepped(self, step: tuple) -> None:
        what, value = step
        if what == "picture" and value is not None and self.picture.pixmap().isNull():
            self.picture.setText("")
            self.picture.setPixmap(QPixmap.fromImage(to_qimage(value)))
        elif what == "why":
            self._show_why(value)

    def _show_why(self, explained) -> None:
        self.why_button.setText("&Why?")
        self.why_button.setEnabled(True)
        if explained.overlay is None:
            self.why_button.setEnabled(False)
            self.why_button.setToolTip("This model cannot show why")
            return
        from catgui.ui.common.why_view import WhyView

        text, _colour = verdict_of(self.item)
        if self.why_view is not None:
            self.why_view.close()
        self.why_view = WhyView(explained.overlay, self.item.name, text, self, hide_text=None)
        self.why_view.open()

    def _failed(self, message: str) -> None:
        self.why_button.setText("&Why?")
        if self.picture.pixmap().isNull():
            self.picture.setText(message)
            self.picture.setWordWrap(True)
        else:
            self.caption.setText(f"{self.caption.text()}<br>{html.escape(message)}")
