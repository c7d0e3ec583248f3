"""First start without the data set: explain it, download it (with progress) or locate it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from catgui.core import dataset as ds
from catgui.core import download
from catgui.core.errors import CatguiError
from catgui.ui.common import tones
from catgui.ui.common.palette_follower import follow_palette, keep_style_sheet
from catgui.workers.download import DownloadWorker

_CARD = QPalette.ColorRole.Base  # the card's ground


def _grey() -> str:
    return tones.secondary(role=_CARD)


def _primary_button() -> str:
    faded, faded_text = tones.primary_faded()
    return (
        f"QPushButton {{ background: {tones.PRIMARY}; color: white; border: none;"
        " border-radius: 6px; padding: 6px 16px; font-weight: bold; }"
        f"QPushButton:hover {{ background: {tones.PRIMARY_HOVER}; }}"
        f"QPushButton:pressed {{ background: {tones.PRIMARY_PRESSED}; }}"
        f"QPushButton:disabled {{ background: {faded}; color: {faded_text}; }}"
    )


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


class DataSetupPanel(QWidget):
    """What the app needs, where it comes from, and two ways to get it: Download or Locate….

    The explanation sits on a card centred in the panel. The download runs in a :class:`~catgui.workers.download.DownloadWorker`; on success (and
    after Locate…) the folder is opened with ``state.open_dataset(folder)``, so every tab
    hears ``datasetChanged``. ``base_url`` and ``dest_folder`` may be set before a download
    (tests point them at a local server); ``None`` means the pinned URL and the user's data
    folder.
    """

    def __init__(self, state, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataSetupPanel")
        self.state = state
        self.base_url: str | None = None
        self.dest_folder: Path | None = None
        self.worker: DownloadWorker | None = None
        self._downloaded: str | None = None
        self.card = QFrame(objectName="dataSetupCard")
        keep_style_sheet(
            self.card,
            "#dataSetupCard { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 10px; }",
        )
        self._error = False  # the message is an error (red), else a note (grey)
        self._build()
        self._show_idle()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel("The cat pictures are not here yet", objectName="dataSetupTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        total = sum(download.KNOWN_SIZES.values())
        explain = QLabel(
            "catgui learns from the picture collection of the article it follows: "
            "<b>209 training pictures and 50 test pictures</b>, each 64 × 64 pixels and "
            "labelled <i>cat</i> or <i>non-cat</i>. They come from the deep-learning course "
            f"the article cites, in two files of about {_mb(total).replace('.0 ', ' ')} "
            "together. Download them once, or locate a folder that already holds "
            f"<code>{ds.TRAIN_FILE}</code> and <code>{ds.TEST_FILE}</code>."
        )
        explain.setWordWrap(True)
        explain.setTextFormat(Qt.TextFormat.RichText)
        self.download_button = QPushButton(
            f"Download data set ({_mb(total)})", objectName="downloadDatasetButton"
        )
        self.download_button.setDefault(True)
        keep_style_sheet(self.download_button, _primary_button)
        self.download_button.setToolTip(f"Fetch both files ({_mb(total)}) and check their SHA-256")
        self.download_button.clicked.connect(self.start_download)
        self.locate_button = QPushButton("Locate…", objectName="locateDatasetFolderButton")
        self.locate_button.setToolTip("Choose a folder that holds both .h5 files")
        self.locate_button.clicked.connect(self._choose_folder)
        buttons = QHBoxLayout()
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.locate_button)
        buttons.addStretch(1)

        self.progress_bar = QProgressBar(objectName="downloadProgress")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedHeight(8)
        self.progress_label = QLabel(objectName="downloadProgressLabel")
        keep_style_sheet(self.progress_label, lambda: f"color: {_grey()};")
        self.progress_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        widest = self.progress_label.fontMetrics().horizontalAdvance("88.8 MB of 88.8 MB")
        self.progress_label.setMinimumWidth(widest + 8)  # steady while the numbers change
        self.cancel_button = QPushButton("Cancel", objectName="cancelDownloadButton")
        self.cancel_button.clicked.connect(self.cancel_download)
        progress = QHBoxLayout()
        progress.addWidget(self.progress_bar, 1)
        progress.addWidget(self.progress_label)
        progress.addWidget(self.cancel_button)

        self.message_label = QLabel(objectName="dataSetupMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source_label = QLabel(objectName="dataSetupSource")
        self.source_label.setWordWrap(True)
        self.source_label.setTextFormat(Qt.TextFormat.RichText)
        self.source_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        follow_palette(
            self.source_label, lambda: self._update_source() if self.source_label.text() else None
        )
        keep_style_sheet(self.message_label, self._message_style)

        layout = QVBoxLayout(self.card)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(explain)
        layout.addLayout(buttons)
        layout.addLayout(progress)
        layout.addWidget(self.message_label)
        layout.addWidget(self.source_label)
        self.card.setMaximumWidth(680)
        outer = QVBoxLayout(self)  # the card sits in the middle of whatever space it gets
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.card, 4)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self._outer = outer

    def add_below_card(self, widget: QWidget) -> None:
        """Show ``widget`` centred just under the card (an alternative to what it offers)."""
        self._outer.insertWidget(2, widget, 0, Qt.AlignmentFlag.AlignHCenter)

    def _update_source(self) -> None:
        url = self.base_url or download.BASE_URL
        dest = self.dest_folder or download.default_folder()
        self.source_label.setText(
            f"<span style='color:{_grey()}; font-size:11px'>Source: {url}<br>"
            f"Saved to: {dest}<br>Each file is checked against its known SHA-256 "
            "fingerprint before it is kept.</span>"
        )

    def _message_style(self) -> str:
        return f"color: {tones.tone(tones.RED, role=_CARD) if self._error else _grey()};"

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._update_source()
        super().showEvent(event)

    # -- states ------------------------------------------------------------------------------
    def _set_busy(self, busy: bool) -> None:
        self.download_button.setEnabled(not busy)
        self.locate_button.setEnabled(not busy)
        for widget in (self.progress_bar, self.progress_label, self.cancel_button):
            widget.setVisible(busy)
        self.cancel_button.setEnabled(busy)

    def _show_idle(self) -> None:
        self._set_busy(False)
        self.message_label.hide()

    def _show_message(self, text: str, error: bool = False) -> None:
        self._error = error
        self.message_label.setStyleSheet(self._message_style())
        self.message_label.setText(text)
        self.message_label.show()

    # -- download ----------------------------------------------------------------------------
    def start_download(self) -> None:
        """Start the download thread (Download button)."""
        if self.worker is not None:
            return
        self._update_source()
        self.worker = DownloadWorker(self.dest_folder, self.base_url, parent=self)
        self.worker.progressed.connect(self._on_progress)
        self.worker.succeeded.connect(self._on_succeeded)
        self.worker.failed.connect(self._on_failed)
        self.worker.interrupted.connect(self._on_cancelled)
        self.worker.finished.connect(self._on_finished)
        self.progress_bar.setRange(0, 0)  # busy until the first bytes arrive
        self.progress_label.setText("Connecting…")
        self.message_label.hide()
        self._set_busy(True)
        self.worker.start()

    def cancel_download(self) -> None:
        """Ask the download thread to stop (Cancel button); it ends between chunks."""
        if self.worker is not None:
            self.worker.stop()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText("Cancelling…")

    def stop_and_wait(self) -> None:
        """Interrupt a running download and wait for its thread (window close)."""
        if self.worker is not None:
            self.worker.stop_and_wait()

    def _on_progress(self, done: int, total: int) -> None:
        scale = 1000  # QProgressBar holds ints; kB keeps far from its limit
        self.progress_bar.setRange(0, max(1, total // scale))
        self.progress_bar.setValue(done // scale)
        if self.cancel_button.isEnabled():
            self.progress_label.setText(f"{_mb(done)} of {_mb(total)}")

    def _on_succeeded(self, folder: str) -> None:
        self._downloaded = folder  # opened once the thread has ended (see _on_finished)
        self._show_message("Downloaded and verified. Opening the data set…")

    def _on_failed(self, message: str) -> None:
        self._show_message(f"The download did not work: {message}", error=True)

    def _on_cancelled(self) -> None:
        self._show_message("Download cancelled. Nothing partial was kept.")

    def _on_finished(self) -> None:
        worker, self.worker = self.worker, None
        folder, self._downloaded = self._downloaded, None
        self._set_busy(False)
        if worker is not None:
            worker.wait()  # already ending: returns at once; then it is safe to delete
            worker.deleteLater()
        if folder is not None:
            # Listeners of datasetChanged may hide or replace this panel: no thread is left.
            self.locate(folder)

    # -- locate ------------------------------------------------------------------------------
    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Locate the folder with the cat/non-cat data set", str(Path.home())
        )
        if folder:
            self.locate(folder)

    def locate(self, folder: str | Path) -> bool:
        """Open ``folder`` as the data set; show why not if it is not one. ``True`` on success."""
        try:
            self.state.open_dataset(folder)
        except CatguiError as exc:
            self._show_message(str(exc), error=True)
            return False
        self._show_message(f"Using the data set in {folder}.")
        return True
