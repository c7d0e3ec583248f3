"""The Train tab: data, hyper-parameters, Train / Stop, live cost curve, the run's result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from catgui.core import persistence
from catgui.core.data_source import Source
from catgui.core.errors import CatguiError
from catgui.core.persistence import Model
from catgui.ui import settings as remembered
from catgui.ui.app_state import AppState
from catgui.ui.model_files import ModelFiles
from catgui.ui.train.buttons import TrainButtons
from catgui.ui.train.controls_column import ControlsColumn
from catgui.ui.train.cost_plot_slot import CostPlotSlot, shows_search
from catgui.ui.train.data_box import DataBox
from catgui.ui.train.hyperparameter_form import HyperparameterForm
from catgui.ui.train.progress import TrainProgress
from catgui.ui.train.run_driver import RunDriver
from catgui.ui.train.run_keeper import RunKeeper
from catgui.ui.train.run_summary import RunSummary
from catgui.ui.train.setup_page import SetupPage
from catgui.ui.train.train_views import TrainViews
from catgui.workers.train import TrainOutcome, TrainWorker

if TYPE_CHECKING:
    from catgui.ui.train.cost_plot import CostPlot


class TrainTab(QWidget):
    """Train a model on the active data set while watching its cost fall.

    Signals
    -------
    runningChanged(bool)
        Training started (``True``) or the thread ended (``False``).
    modelSaved(str)
        A finished (or kept) run was saved at this path.
    """

    NAME = "train"
    runningChanged = Signal(bool)
    modelSaved = Signal(str)

    def __init__(
        self, state: AppState, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trainTab")
        self.state = state
        self.settings = settings if settings is not None else QSettings()
        self._train_when_ready = False
        self._was_running = False
        self._own_pictures = False  # the user chose own pictures instead of the article's
        self.sweep_dialog = None  # the Sweep… dialog, once opened
        self.suspects_dialog = None  # the Suspicious Labels… dialog, once opened
        self.stack = QStackedWidget(self)
        setup = SetupPage(state)
        setup.ownPicturesChosen.connect(self.use_own_pictures)
        self.stack.addWidget(setup)
        self.stack.addWidget(self._build_train_page())
        QVBoxLayout(self).addWidget(self.stack)
        self.layout().setContentsMargins(0, 0, 0, 0)
        self.load_settings()
        state.datasetChanged.connect(self._dataset_changed)
        state.modelChanged.connect(self._model_changed)
        self._dataset_changed(state.dataset)
        self._model_changed(state.model)
        self._set_running(False)

    def _build_train_page(self) -> QWidget:
        page = QWidget(objectName="trainPage")
        self.data_box = DataBox(self.state, page)
        self.data_box.locateRequested.connect(self.locate_dataset)
        self.data_box.preparingChanged.connect(self._preparing_changed)
        self.data_box.sources.changed.connect(lambda: self._set_running(self.is_running()))
        self.form = HyperparameterForm(page)
        self.form.validityChanged.connect(lambda _valid: self._set_running(self.is_running()))
        buttons = self.buttons = TrainButtons(page)
        buttons.train_button.clicked.connect(self.start)
        buttons.stop_button.clicked.connect(self.stop)
        buttons.defaults_button.clicked.connect(self.restore_defaults)
        buttons.sweep_button.clicked.connect(self.open_sweep)
        self.progress = TrainProgress(page)
        self.summary = RunSummary(page)
        self.files = ModelFiles(self.state, self.settings, self)
        self.keeper = RunKeeper(self.files, self.summary, self.settings, self)
        self.keeper.modelSaved.connect(self.modelSaved)
        self.keeper.discarded.connect(self._run_discarded)
        self.plot_slot = CostPlotSlot(page)
        self.plot_slot.built.connect(lambda _plot: self._show_model_curve(self.state.model))

        layout = QHBoxLayout(page)
        self.controls = ControlsColumn(self.data_box, self.form, buttons, self.summary)
        layout.addWidget(self.controls)
        right = QVBoxLayout()
        self.views = TrainViews(self.state, self.plot_slot, page)
        right.addWidget(self.views, 1)
        right.addWidget(self.progress)
        layout.addLayout(right, 1)
        self.run = RunDriver(
            self.plot_slot, self.progress, self.summary, self.keeper, self.views, self
        )
        self.run.ended.connect(self._end_if_done)
        return page

    # -- running -------------------------------------------------------------------------------
    @property
    def plot(self) -> CostPlot:
        """The live cost plot (created on first use: see :class:`CostPlotSlot`)."""
        return self.plot_slot.plot()

    @property
    def worker(self) -> TrainWorker | None:
        """The run's thread while it is on (see :class:`RunDriver`)."""
        return self.run.worker

    @property
    def pending(self) -> TrainOutcome | None:
        """A run waiting for Save / Discard (stopped, diverged, or not savable)."""
        return self.keeper.pending

    def is_running(self) -> bool:
        """A run's thread is on."""
        return self.worker is not None

    def start(self) -> None:
        """Train with the form's settings (importing chosen pictures first if need be)."""
        if self.is_running() or self.data_box.is_preparing():
            return
        try:
            config = self.form.config()
        except CatguiError:  # the field already shows why; take the user there
            self.form.focus_first_error()
            return
        if not self.data_box.is_current() or self.state.dataset is None:
            self._train_when_ready = self.data_box.prepare()
            return
        self.keeper.pending = None  # a new run replaces the one that waited, unsaved
        self.save_settings()
        worker = self.run.begin(self.state.dataset, config)
        self._set_running(True)
        worker.start()

    def stop(self) -> None:
        """Ask the run to end after the current iteration (it keeps what was learnt).

        During an import, cancel it instead (the data set in use stays).
        """
        self._train_when_ready = False
        self.data_box.cancel()
        if self.run.stop():
            self.buttons.stop_button.setEnabled(False)

    def restore_defaults(self) -> None:
        """The recipe's hyper-parameters, and its data without corrections or augmentation."""
        self.form.restore_defaults()
        self.data_box.sources.restore_defaults()

    def open_sweep(self) -> None:
        """The Sweep… dialog on the data in use and the form's recipe."""
        from catgui.ui.train.sweep_dialog import SweepDialog

        self.sweep_dialog = SweepDialog.reopen(
            self.sweep_dialog, self.state.dataset, self.form, self
        )

    def open_suspects(self):
        """The Suspicious Labels… dialog on the training pictures of the data in use."""
        from catgui.ui.train.suspects_dialog import SuspectsDialog, source_of

        if self.suspects_dialog is not None:
            self.suspects_dialog.shutdown()
            self.suspects_dialog.deleteLater()
        self.suspects_dialog = SuspectsDialog(*source_of(self.state.dataset), parent=self)
        self.suspects_dialog.fixesChanged.connect(self.data_box.refresh_corrections)
        self.suspects_dialog.show()
        self.suspects_dialog.start()
        return self.suspects_dialog

    def load_settings(self) -> None:
        """Show the remembered hyper-parameters and data choices."""
        self.form.load_settings(self.settings)
        self.data_box.load_settings(self.settings)

    def save_settings(self) -> None:
        """Remember the hyper-parameters and the data choices."""
        self.form.save_settings(self.settings)
        self.data_box.save_settings(self.settings)

    def shutdown(self) -> None:
        """Interrupt the run and the import and wait for their threads (the window closes)."""
        self._train_when_ready = False
        self.data_box.shutdown()
        self.views.history.stop()
        if self.sweep_dialog is not None:
            self.sweep_dialog.shutdown()
        if self.suspects_dialog is not None:
            self.suspects_dialog.shutdown()
        self.run.shutdown()

    def _end_if_done(self) -> None:
        """The run is over once its thread has ended."""
        if not self.is_running():
            self.plot.end_run()
            self._set_running(False)
            # a short window: scroll to the run's card (Save and use / Discard)
            QTimer.singleShot(0, self, self.show_summary)

    def show_summary(self) -> None:
        """Scroll the controls so the run's card shows, its buttons first."""
        self.controls.ensureWidgetVisible(self.summary, 0, 0)

    def _run_discarded(self) -> None:
        """The discarded run's curve and numbers give way to the active model's."""
        self.progress.reset_text()
        model = self.state.model
        if not self.plot_slot.is_built():
            return
        if model is None:
            self.plot.clear()
            self.plot_slot.show_search(False)
        else:
            self.plot.show_model_curve(
                [float(c) for c in model.metadata.get("costs") or []], model.name
            )
            self._show_search_of(model)

    # -- data set and model ------------------------------------------------------------------------
    def locate_dataset(self) -> str | None:
        """Ask for the data set folder and open it; the error message if that failed."""
        start = remembered.folder(self.settings, remembered.DATA_FOLDER)
        folder = QFileDialog.getExistingDirectory(self, "Locate the data set", start)
        return self.open_dataset(folder) if folder else None

    def open_dataset(self, folder: str) -> str | None:
        """Use the data set in ``folder``; the error (also shown in the tab) if it failed."""
        try:
            self.state.open_dataset(folder)
        except CatguiError as exc:
            self.summary.show_message("Data set not opened", str(exc), error=True)
            return str(exc)
        remembered.remember(self.settings, remembered.DATA_FOLDER, folder)
        return None

    def use_own_pictures(self) -> None:
        """Leave the first-start page for the Train page, set to a folder of pictures."""
        self._own_pictures = True
        self.data_box.sources.source.setCurrentIndex(
            self.data_box.sources.source.findData(Source.FOLDER.value)
        )
        self.stack.setCurrentIndex(1)

    def _dataset_changed(self, data: object) -> None:
        self.stack.setCurrentIndex(0 if data is None and not self._own_pictures else 1)
        self._set_running(self.is_running())

    def _preparing_changed(self, preparing: bool) -> None:
        self._set_running(self.is_running())
        if not preparing and self._train_when_ready:
            self._train_when_ready = False
            if self.data_box.is_current():
                self.start()

    def _model_changed(self, model: Model | None) -> None:
        if model is None or self.is_running() or self.keeper.saving:
            return  # a run being kept: its own card says where it was saved
        own = model is self.keeper.own_model  # its curve is on the plot already
        if not own:  # the form beside "Active model: …" shows that model's kind and recipe
            self.form.show_recipe(model)
        if self.pending is None and not own:  # the bar's last run is not this model's
            self.progress.reset_text()
        if self.plot_slot.is_built() and not own:  # else it shows the curve once built
            self._show_model_curve(model)
        if self.pending is None:  # e.g. saved again elsewhere: the card names the new file
            self.summary.show_model(f"Active model: {model.name}", model)

    def _show_model_curve(self, model: Model | None) -> None:
        if model is not None and model is not self.keeper.own_model:
            costs, step = persistence.cost_curve(model.metadata)  # thinned if very long
            self.plot.show_model_curve(costs, model.name, step)
            self._show_search_of(model)

    def _show_search_of(self, model: Model) -> None:
        """A model of a kind on the backbone: what its run chose, instead of its curve."""
        shown = shows_search(model.kind)
        if shown:
            self.plot_slot.search().show_metadata(model.metadata)
        self.plot_slot.show_search(shown)

    def _set_running(self, running: bool) -> None:
        preparing = self.data_box.is_preparing()
        # without the article's files, only own pictures can be trained on
        has_data = (
            self.state.dataset is not None or self.data_box.sources.chosen() != Source.ARTICLE
        )
        can_train = not running and not preparing and self.form.is_valid() and has_data
        buttons = self.buttons
        buttons.train_button.setEnabled(can_train)
        buttons.stop_button.setEnabled(running or preparing)
        self.form.setEnabled(not running)
        buttons.defaults_button.setEnabled(not running)
        buttons.sweep_button.setEnabled(can_train and self.state.dataset is not None)
        self.data_box.setEnabled(not running)
        if running != self._was_running:
            self._was_running = running
            self.runningChanged.emit(running)
