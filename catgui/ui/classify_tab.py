"""The Classify tab: drop pictures or folders, see what the active model says about each."""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from catgui.core import images
from catgui.ui.classify_model import summary_text
from catgui.ui.classify_queue import ClassifyQueue
from catgui.ui.classify_results import ClassifyResults
from catgui.ui.drop_area import DropArea, local_paths

IMAGE_FILTER = (
    "Images (" + " ".join(f"*{s}" for s in sorted(images.IMAGE_SUFFIXES)) + ");;All files (*)"
)
NO_MODEL = (
    "No model is active, so nothing can be classified yet. Open a model "
    "(File ▸ Open model…) or train one in the Train tab."
)
NOTHING_TO_PASTE = (
    "The clipboard holds no picture to classify. Copy an image, or picture files in your "
    "file manager, then paste again (Ctrl+V)."
)


def _remove_folder(folder: Path, *_args) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _settings() -> QSettings:
    return QSettings("catgui", "catgui")  # the same file as the window's QSettings()


class ClassifyTab(QWidget):
    """Drop area, progress, summary and the list of results (issue 3).

    Uses ``state.model`` and re-scores every row when ``state.modelChanged``. Drops that
    arrive while a batch runs wait in :attr:`queue`; one worker at a time fills the list.
    The main window routes window-wide drops, Ctrl+O and Ctrl+V to :meth:`add_paths`,
    :meth:`open_images` and :meth:`paste_image`, and calls :meth:`shutdown` on close.
    """

    def __init__(self, state, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("classifyTab")
        self.state = state
        self._paste_dir: Path | None = None
        self._pasted = 0
        self._note = ""
        self.queue = ClassifyQueue(self._network, self)
        self.queue.resultsReady.connect(self._on_results)
        self.queue.progressed.connect(self._on_progress)
        self.queue.busyChanged.connect(self._on_busy_changed)
        self.queue.failed.connect(self._show_notice)
        self._build()
        state.modelChanged.connect(self._on_model_changed)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self._refresh()

    def _build(self) -> None:
        self.notice = QLabel()
        self.notice.setObjectName("classifyNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        self.notice.setStyleSheet(
            "QLabel { background: rgba(201, 138, 18, 0.15); border-radius: 6px;"
            " border: 1px solid rgba(201, 138, 18, 0.5); padding: 8px 10px; }"
        )
        self.drop_area = DropArea()
        self.drop_area.pathsDropped.connect(self.add_paths)
        self.drop_area.openImagesRequested.connect(self.open_images)
        self.drop_area.openFolderRequested.connect(self.open_folder)

        self.summary = QLabel()
        self.summary.setObjectName("classifySummary")
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.status = QLabel()
        self.status.setObjectName("classifyStatus")
        self.progress = QProgressBar()
        self.progress.setObjectName("classifyProgress")
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(200)
        self.progress.setStyleSheet(
            "QProgressBar { border: 1px solid #d1d1d6; border-radius: 5px; background: #f2f2f7;"
            " min-height: 10px; max-height: 10px; }"
            " QProgressBar::chunk { background-color: #0a84ff; border-radius: 4px; }"
        )
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelClassifyButton")
        self.cancel_button.setToolTip("Stop classifying; the pictures done so far stay")
        self.cancel_button.clicked.connect(self.cancel)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setObjectName("clearResultsButton")
        self.clear_button.setToolTip("Empty the list (the files are not touched)")
        self.clear_button.clicked.connect(self.clear)

        self.status_row = QWidget()
        bar = QHBoxLayout(self.status_row)
        bar.setContentsMargins(4, 0, 0, 0)
        bar.addWidget(self.summary)
        bar.addSpacing(12)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.progress)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.clear_button)

        self.results_view = ClassifyResults()
        self.results = self.results_view.results
        self.results.rowsInserted.connect(self._refresh)
        self.results.rowsRemoved.connect(self._refresh)
        self.results.modelReset.connect(self._refresh)
        self.results.dataChanged.connect(self._refresh_summary)
        self.results.rescored.connect(self._refresh)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.notice)
        layout.addWidget(self.drop_area)
        layout.addWidget(self.status_row)
        layout.addWidget(self.results_view, 1)
        self.setTabOrder(self.drop_area.open_button, self.drop_area.folder_button)
        self.setTabOrder(self.drop_area.folder_button, self.results_view)

    # -- public API -------------------------------------------------------------------------
    def add_paths(self, paths: list[str]) -> None:
        """Classify these files and folders (recursively); queued behind a running batch."""
        paths = [str(p) for p in paths if str(p)]
        if not paths:
            return
        self._show_notice("")
        self._note = ""
        self.queue.add(paths)
        self._refresh()

    def open_images(self) -> None:
        """Let the user pick picture files (several at once) and classify them."""
        files, _ = QFileDialog.getOpenFileNames(
            self, "Open images to classify", self._last_folder(), IMAGE_FILTER
        )
        if files:
            self._remember_folder(str(Path(files[0]).parent))
            self.add_paths(files)

    def open_folder(self) -> None:
        """Let the user pick a folder; every picture in it and its subfolders is classified."""
        folder = QFileDialog.getExistingDirectory(
            self, "Open a folder of pictures", self._last_folder()
        )
        if folder:
            self._remember_folder(folder)
            self.add_paths([folder])

    def paste_image(self) -> None:
        """Classify what the clipboard holds: file URLs, an image, or file paths as text."""
        clipboard = QGuiApplication.clipboard()
        mime = clipboard.mimeData()
        paths = local_paths(mime)
        if not paths and mime is not None and mime.hasImage():
            saved = self._save_pasted(clipboard.image())
            paths = [str(saved)] if saved else []
        if not paths and mime is not None and mime.hasText():
            lines = [line.strip() for line in mime.text().splitlines() if line.strip()]
            if lines and all(Path(line).exists() for line in lines):
                paths = lines
        if paths:
            self.add_paths(paths)
        else:
            self._show_notice(NOTHING_TO_PASTE)

    def is_busy(self) -> bool:
        """Whether a batch is being classified."""
        return self.queue.is_busy()

    def cancel(self) -> None:
        """Stop the running batch and drop the waiting ones; results so far stay."""
        done, total = self.queue.progress
        if self.queue.cancel():
            self._note = f"Cancelled after {done:,} of {total:,}." if total else "Cancelled."
        self._refresh()

    def clear(self) -> None:
        """Stop any batch and empty the list."""
        self.queue.cancel()
        self._note = ""
        self.results.clear()
        self._refresh()

    def shutdown(self) -> None:
        """Interrupt the worker and wait for it (the main window calls this on close)."""
        self.queue.shutdown()
        if self._paste_dir is not None:
            _remove_folder(self._paste_dir)

    # -- reactions ----------------------------------------------------------------------------
    def _network(self):
        model = self.state.model
        return None if model is None else model.network

    def _on_results(self, results: list) -> None:
        self.results.add_results(results, self._network())

    def _on_progress(self, done: int, total: int, found: int) -> None:
        waiting = self.queue.waiting()
        more = f" · {waiting:,} more drop{'s' * (waiting != 1)} waiting" if waiting else ""
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.status.setText(f"Classifying {done:,} of {total:,}…{more}")
        else:
            self.progress.setRange(0, 0)
            self.status.setText(f"Looking for pictures… {found:,} found{more}")

    def _on_busy_changed(self, busy: bool) -> None:
        if busy:
            self.progress.setRange(0, 0)
            self.status.setText("Looking for pictures…")
        self._refresh()

    def _on_model_changed(self, model) -> None:
        if model is not None:
            if self.results.rowCount():
                self.results.rescore(model.network)
                if not self.queue.is_busy():
                    self.status.setText(f"Updating the answers for model “{model.name}”…")
            self.queue.start_next()
        self._refresh()

    # -- view ----------------------------------------------------------------------------------
    def _refresh(self, *_args) -> None:
        has_rows = self.results.rowCount() > 0
        busy = self.queue.is_busy()
        waiting = self.queue.waiting() > 0
        self.results_view.setVisible(has_rows)
        self.drop_area.set_compact(has_rows or busy)
        self.status_row.setVisible(has_rows or busy or waiting)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy or waiting)
        self.clear_button.setEnabled(has_rows or busy)
        if self.state.model is None:
            text = NO_MODEL
            if waiting:
                n = self.queue.waiting_items()
                text += f" The {n:,} dropped item{'s' * (n != 1)} will be classified then."
            self._show_notice(text)
        elif self.notice.text().startswith(NO_MODEL):
            self._show_notice("")
        if not busy:
            self.status.setText(self._note)
        self._refresh_summary()

    def _refresh_summary(self, *_args) -> None:
        self.summary.setText(summary_text(self.results.counts()))

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # -- helpers -------------------------------------------------------------------------------
    def _save_pasted(self, image: QImage | None) -> Path | None:
        if image is None or image.isNull():
            return None
        if self._paste_dir is None:
            self._paste_dir = Path(tempfile.mkdtemp(prefix="catgui-pasted-"))
            self.destroyed.connect(functools.partial(_remove_folder, self._paste_dir))
        self._pasted += 1
        path = self._paste_dir / f"pasted-{self._pasted}.png"
        if not image.save(str(path), "PNG"):
            self._show_notice("The pasted image could not be stored for classifying.")
            return None
        self.results.names[path] = f"Pasted image {self._pasted}"
        return path

    def _last_folder(self) -> str:
        value = _settings().value("classify/lastFolder", "")
        return str(value) if value and Path(str(value)).is_dir() else str(Path.home())

    def _remember_folder(self, folder: str) -> None:
        _settings().setValue("classify/lastFolder", folder)
