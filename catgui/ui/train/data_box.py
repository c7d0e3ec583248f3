"""The Train tab's Data section: choose the pictures, import them in a thread, show what is used."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from catgui.core.corrections import Corrections
from catgui.core.data_source import Source
from catgui.core.dataset import DataSet
from catgui.core.errors import CatguiError
from catgui.core.label_fixes import LabelFixes
from catgui.core.sources import DataRecipe
from catgui.ui.app_state import AppState
from catgui.ui.train.data_source_panel import DataSourcePanel
from catgui.ui.train.data_summary_dialog import DataSummaryDialog
from catgui.ui.train.dataset_bar import DatasetBar
from catgui.workers.prepare_data import PrepareDataWorker


class DataBox(QGroupBox):
    """A :class:`DataSourcePanel` over a :class:`DatasetBar`, and the import between them.

    The choices become a :class:`~catgui.core.sources.DataRecipe`; :meth:`prepare` imports
    it in a :class:`~catgui.workers.prepare_data.PrepareDataWorker` (progress, Cancel) and
    makes the result the data set in use (``state.set_dataset``) so every tab follows.
    A recipe identical to the one in use (same corrections too) is not imported again,
    and a folder imported before comes from its cache.

    Signals
    -------
    preparingChanged(bool)
        An import started (``True``) or its thread ended (``False``), whatever the outcome.
    locateRequested()
        The user wants to locate the article's h5 files.
    """

    preparingChanged = Signal(bool)
    locateRequested = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__("Data", parent)
        self.setObjectName("dataBox")
        self.state = state
        self.worker: PrepareDataWorker | None = None
        self._last_worker: PrepareDataWorker | None = None
        self._article_folder: str | None = None
        self._fixes: tuple[str, ...] = ()
        self._label_fixes = ""  # digest of the relabelled / excluded pictures
        self._active_key: tuple | None = None
        self._wanted_key: tuple | None = None
        self._ours: DataSet | None = None
        self._dialog: DataSummaryDialog | None = None
        self.sources = DataSourcePanel(self)
        self.status = self.sources.import_status
        self.bar = DatasetBar(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sources)
        layout.addWidget(self.bar)
        self.sources.changed.connect(self._choices_changed)
        self.sources.applyRequested.connect(self.prepare)
        self.sources.cancelRequested.connect(self.cancel)
        self.bar.locateRequested.connect(self.locateRequested)
        self.bar.detailsRequested.connect(self.show_details)
        state.datasetChanged.connect(self._dataset_changed)
        self.refresh_corrections()
        self._dataset_changed(state.dataset)

    # -- public ---------------------------------------------------------------------------------
    def is_preparing(self) -> bool:
        return self.worker is not None

    def is_current(self) -> bool:
        """Whether the data set in use is what the choices describe."""
        try:
            recipe = self.sources.recipe(self._article_folder)
        except CatguiError:
            return False
        return self.state.dataset is not None and self._key(recipe) == self._active_key

    def prepare(self) -> bool:
        """Import the chosen pictures in a thread; ``True`` if an import started."""
        if self.worker is not None:
            return False
        self.refresh_corrections()
        try:
            recipe = self.sources.recipe(self._article_folder)
        except CatguiError as exc:
            self.status.show_error(str(exc))
            return False
        key = self._key(recipe)
        if key == self._active_key and self.state.dataset is not None:
            self.refresh_pending()
            return False
        self._wanted_key = key
        self.worker = PrepareDataWorker(recipe)
        self.worker.progressed.connect(self.status.show_progress)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)
        self.worker.interrupted.connect(self._cancelled)
        self.worker.finished.connect(self._finished)
        self.sources.set_importing(True)
        self.preparingChanged.emit(True)
        self.worker.start()
        return True

    def cancel(self) -> None:
        """Stop the import between two files; the data set in use stays."""
        if self.worker is not None:
            self.worker.stop()
            self.status.show_status("Cancelling…")

    def shutdown(self) -> None:
        """Interrupt the import and wait for its thread (the window is closing)."""
        worker, self.worker = self.worker, None
        if worker is None:
            return
        for signal in (worker.progressed, worker.succeeded, worker.failed, worker.interrupted):
            signal.disconnect()
        worker.finished.disconnect()
        worker.stop_and_wait()

    def refresh_corrections(self) -> None:
        """Re-count the user's corrections (they change in the Classify tab)."""
        try:
            self._fixes = tuple(str(c.path) for c in Corrections().list())
        except OSError:
            self._fixes = ()
        self._label_fixes = LabelFixes().digest()
        self.sources.set_corrections_count(len(self._fixes))
        self.refresh_pending()

    def refresh_pending(self) -> None:
        """Offer *Use these pictures* only when the choices are complete and not in use
        (not for a folder not chosen yet, nor for the article's files not found)."""
        preparing = self.worker is not None
        self.status.set_pending(not preparing and self._importable() and not self.is_current())
        self.bar.locate_button.setVisible(self.sources.chosen() != Source.FOLDER)

    def show_details(self) -> DataSummaryDialog | None:
        if self.state.dataset is None:
            return None
        self._dialog = DataSummaryDialog(self.state.dataset, self)
        self._dialog.open()
        return self._dialog

    def save_settings(self, settings: QSettings) -> None:
        self.sources.save_settings(settings)

    def load_settings(self, settings: QSettings) -> None:
        self.sources.load_settings(settings)
        self.refresh_pending()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if self.worker is None:
            self.refresh_corrections()

    # -- internals ------------------------------------------------------------------------------
    def _importable(self) -> bool:
        """Whether the choices name pictures that can be imported now."""
        try:
            self.sources.recipe(self._article_folder)
        except CatguiError:
            return False
        return self.sources.chosen() != Source.ARTICLE or self._article_folder is not None

    def _choices_changed(self) -> None:
        self.status.show_status("")  # what was said about the last import no longer applies
        self.refresh_pending()

    def _key(self, recipe: DataRecipe) -> tuple:
        return (
            recipe,
            self._fixes if recipe.corrections else (),
            self._label_fixes if recipe.label_fixes else "",
        )

    def _dataset_changed(self, data: DataSet | None) -> None:
        if data is None:
            self._active_key = None
        elif data is self._ours:
            self._active_key = self._wanted_key
        else:  # opened from the article's h5 files (start-up, Locate…, File menu)
            self._article_folder = str(data.folder)
            # the h5 files as they are: no corrections, no label fixes
            self._active_key = (
                DataRecipe(article_folder=self._article_folder, corrections=False),
                (),
                "",
            )
        self.bar.show_dataset(data)
        self.refresh_pending()

    def _succeeded(self, data: DataSet) -> None:
        self._ours = data
        self.state.set_dataset(data)
        notes = " ".join(getattr(data, "notes", ()))
        self.status.show_status(
            f"Ready: {len(data.train):,} training and {len(data.test):,} test pictures. {notes}"
        )

    def _failed(self, message: str) -> None:
        self.status.show_error(f"Pictures not imported: {message}")

    def _cancelled(self) -> None:
        self.status.show_status("Import cancelled: the pictures in use are unchanged.")

    def _finished(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.wait()
        self._last_worker = worker  # freed with the next import (queued signals delivered)
        self.sources.set_importing(False)
        self.refresh_pending()
        self.preparingChanged.emit(False)
