"""Teach it your cat: hold a button to record samples, list and delete them, train."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from catgui.core import samples as samples_store
from catgui.core import teach
from catgui.core.errors import CatguiError
from catgui.core.training_run import TrainOutcome
from catgui.ui.app_state import AppState
from catgui.workers.frame_scorer import rgb_pixels
from catgui.workers.generator import GeneratorWorker

#: Samples kept a second at most while a record button is held.
RECORD_PER_SECOND = 10.0
THUMB = 48


class SamplesPanel(QWidget):
    """Records frames into ``cat`` / ``non-cat`` samples and trains the pretrained head.

    Signals
    -------
    trained(object)
        The :class:`~catgui.core.training_run.TrainOutcome`; the new model is active.
    failed(str)
        Recording or training failed; the message says why.
    """

    trained = Signal(object)
    failed = Signal(str)

    def __init__(
        self, state: AppState, folder: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("samplesPanel")
        self.state = state
        self.store = samples_store.Samples(folder)
        self.recording: bool | None = None  # True: cat, False: not cat, None: not recording
        self._last_kept = 0.0
        self.worker: GeneratorWorker | None = None
        self.train_started = 0.0

        title = QLabel("<b>Teach it your cat</b>")
        hint = QLabel(
            "Hold a button while the camera shows your cat (or anything else), then Train."
        )
        hint.setWordWrap(True)
        self.record_cat = QPushButton("Hold to record: cat", objectName="recordCat")
        self.record_other = QPushButton("Hold to record: not cat", objectName="recordOther")
        for button, is_cat in ((self.record_cat, True), (self.record_other, False)):
            button.setAutoRepeat(False)
            button.pressed.connect(lambda c=is_cat: self.start_recording(c))
            button.released.connect(self.stop_recording)
        self.counts = QLabel(objectName="sampleCounts")
        self.list = QListWidget(objectName="samplesList")
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.delete_button = QPushButton("Delete", objectName="deleteSamples")
        self.delete_button.setToolTip("Delete the selected samples")
        self.delete_button.clicked.connect(self.delete_selected)
        self.with_article = QCheckBox("Add the article's 209 pictures", objectName="withArticle")
        self.with_article.setToolTip(
            "Train on your samples and the article's training pictures together"
        )
        self.train_button = QPushButton("Train", objectName="trainSamples")
        self.train_button.setToolTip(
            "Fit the pretrained head on these samples (a fifth kept aside to test it); the "
            "new model is saved and becomes the active model"
        )
        self.train_button.clicked.connect(self.train)
        self.status = QLabel(objectName="teachStatus")
        self.status.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.record_cat)
        buttons.addWidget(self.record_other)
        bottom = QHBoxLayout()
        bottom.addWidget(self.delete_button)
        bottom.addStretch(1)
        bottom.addWidget(self.train_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (title, hint):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(self.counts)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.with_article)
        layout.addLayout(bottom)
        layout.addWidget(self.status)
        self.refresh()

    # -- recording -------------------------------------------------------------------------
    def start_recording(self, is_cat: bool) -> None:
        self.recording = is_cat
        self._last_kept = 0.0

    def stop_recording(self) -> None:
        self.recording = None
        self.refresh()

    def frame_available(self, image: QImage) -> None:
        """Keep ``image`` as a sample if a record button is held (at most
        :data:`RECORD_PER_SECOND` a second)."""
        if self.recording is None:
            return
        now = time.monotonic()
        if now - self._last_kept < 1.0 / RECORD_PER_SECOND:
            return
        self._last_kept = now
        try:
            self.store.add_frame(rgb_pixels(_sample_square(image)), self.recording)
        except CatguiError as exc:
            self.recording = None
            self.failed.emit(str(exc))
        self._show_counts()

    # -- the list --------------------------------------------------------------------------
    def refresh(self) -> None:
        """List the samples again (newest names last)."""
        self.list.clear()
        for entry in self.store.list():
            item = QListWidgetItem(f"{'cat' if entry.is_cat else 'not cat'} · {entry.path.name}")
            item.setData(Qt.ItemDataRole.UserRole, entry)
            item.setToolTip(str(entry.path))
            pixmap = QPixmap(str(entry.path))
            if not pixmap.isNull():
                item.setIcon(QIcon(pixmap.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio)))
            self.list.addItem(item)
        self._show_counts()

    def delete_selected(self) -> None:
        for item in self.list.selectedItems():
            try:
                self.store.remove(item.data(Qt.ItemDataRole.UserRole))
            except CatguiError as exc:
                self.failed.emit(str(exc))
        self.refresh()

    def _show_counts(self) -> None:
        counts = self.store.count()
        self.counts.setText(f"{counts['cat']} cat · {counts['non-cat']} not cat")
        self.train_button.setEnabled(self.worker is None)

    # -- training --------------------------------------------------------------------------
    def train(self) -> None:
        if self.worker is not None:
            return
        try:
            teach.check_counts(self.store.count())
        except CatguiError as exc:
            self.status.setText(str(exc))
            return
        folder, save_in = self.store.folder, self.state.models_folder
        with_article = self.with_article.isChecked()
        self.worker = GeneratorWorker(
            lambda: teach.train_steps(folder, save_in, with_article),
            task="training on your samples",
            max_per_second=10,
            parent=self,
        )
        self.worker.returned.connect(self._trained)
        self.worker.failed.connect(self._failed)
        self.worker.finished.connect(self._worker_done)
        self.train_started = time.perf_counter()
        self.status.setText("Training on your samples…")
        self.train_button.setEnabled(False)
        self.worker.start()

    def is_training(self) -> bool:
        return self.worker is not None

    def _trained(self, outcome: TrainOutcome) -> None:
        if outcome.saved is not None:
            self.state.notify_models_list_changed()
            self.state.open_model(outcome.saved)
        else:
            self.state.set_model(outcome.model)
        seconds = time.perf_counter() - self.train_started
        accuracy = outcome.model.test_accuracy
        tested = f", {100 * accuracy:.0f} % right on the samples kept aside" if accuracy else ""
        where = f" Saved as {outcome.saved.name}." if outcome.saved else ""
        if outcome.save_error:
            where = f" Not saved: {outcome.save_error}"
        self.status.setText(f"Trained in {seconds:.1f} s{tested}; now the active model.{where}")
        self.trained.emit(outcome)

    def _failed(self, message: str) -> None:
        self.status.setText(f"Not trained: {message}")
        self.failed.emit(message)

    def _worker_done(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.deleteLater()
        self._show_counts()

    def shutdown(self) -> None:
        self.recording = None
        if self.worker is not None:
            self.worker.stop_and_wait()


def _sample_square(image: QImage) -> QImage:
    """The frame's centred square at the sample's side, scaled by Qt (about 1 ms for a
    640x480 frame; Pillow's Lanczos took 11-14 ms of the GUI thread)."""
    side = min(image.width(), image.height())
    square = image.copy((image.width() - side) // 2, (image.height() - side) // 2, side, side)
    return square.scaled(
        samples_store.SIDE,
        samples_store.SIDE,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
