"""Every run of this session (and each active model's stored run) in one table."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from catgui.core import persistence
from catgui.core.evaluation import accuracy_text
from catgui.core.kinds.pretrained import cross_validation_of
from catgui.core.persistence import Model
from catgui.ui.app_state import AppState
from catgui.ui.status_bar import source_text
from catgui.ui.train.cost_plot_slot import shows_search
from catgui.ui.train.hyperparameter_form import stored_recipe
from catgui.ui.train.progress import clock
from catgui.workers.generator import GeneratorWorker

#: Test accuracy first (it is what runs are compared by), the model's file last.
COLUMNS = (
    "Plot",
    "Test",
    "Train",
    "Kind",
    "Data",
    "Hyper-parameters",
    "Seed",
    "Iterations",
    "Final cost",
    "Time",
    "Model",
)
PLOT, TEST, TRAIN, KIND, DATA, PARAMETERS, SEED, ITERATIONS, COST, TIME, NAME = range(len(COLUMNS))


def duration(seconds: float) -> str:
    """``"0.3 s"``, ``"12.4 s"``, then ``"1:15"`` (a short run does not read "0:00")."""
    return f"{seconds:.1f} s" if seconds < 60 else clock(seconds)


def run_description(model: Model) -> tuple[str, str]:
    """``(kind label, hyper-parameters)`` of ``model``'s run, as its kind describes them."""
    found = stored_recipe(model)
    if found is None:
        return model.kind, ""
    kind, config = found
    if config is not None:
        return kind.label, kind.describe(config)
    stored = dict(model.metadata.get("hyperparameters") or {})  # a file of an older recipe
    stored.pop("kind", None)
    return kind.label, ", ".join(f"{k} {v}" for k, v in stored.items())


def _accuracy(meta: dict, which: str) -> str:
    acc, n = meta.get(f"{which}_accuracy"), meta.get(f"{which}_size")
    return accuracy_text(acc, n) if isinstance(acc, float) and n else "not measured"


def _steps_text(model: Model, done: object) -> str:
    """The Iterations column: iterations, or for a run on the backbone what it did."""
    meta = model.metadata
    stopped = " (stopped)" if meta.get("stopped_early") else ""
    if shows_search(model.kind):
        pictures = meta.get("train_size")
        search = cross_validation_of(meta)
        read = f"{pictures:,} pictures read" if isinstance(pictures, int) else "pictures read"
        tried = f", {len(search[1])} settings tried" if search else ""
        return read + tried + stopped
    return (f"{done:,}" if isinstance(done, int) else "") + stopped


class RunHistory(QDialog):
    """The runs' table: tick rows to overlay their cost curves, double click to use a model.

    Runs are added with :meth:`add` (the Train tab adds each finished run and each model
    made active). Only a saved model, or the active one, can be made active again.

    Signals
    -------
    curvesTicked(list)
        The ticked runs' curves changed: ``[(label, costs), ...]``.
    """

    curvesTicked = Signal(list)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runHistory")
        self.setWindowTitle("Run history")
        self.resize(1180, 360)
        self.state = state
        self.models: list[Model] = []
        self.table = QTableWidget(0, len(COLUMNS), objectName="runHistoryTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)  # one line a run; a cut text ends in "…"
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)  # a long model name takes what is left
        for column, width in ((KIND, 150), (DATA, 190), (PARAMETERS, 190)):
            # long words are cut with "…" (whole in the tooltip) so the numbers stay in view
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.table.itemChanged.connect(self._item_changed)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.activate(row))
        self.note = QLabel(
            "Tick runs to draw their cost curves on the plot; double click a saved run "
            "to make its model the active one.",
            objectName="runHistoryNote",
        )
        self.note.setWordWrap(True)
        self.saved_button = QPushButton("Add saved models", objectName="addSavedModels")
        self.saved_button.setToolTip("List the runs of every model in the models folder")
        self.saved_button.clicked.connect(self.add_saved)
        self.worker: GeneratorWorker | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.saved_button)
        layout.addLayout(row)
        self.finished.connect(lambda _result: self.stop())

    def add(self, model: Model | None) -> None:
        """List ``model``'s run, unless it is listed already (the same model or file)."""
        if model is None or any(
            m is model or (model.path is not None and m.path == model.path) for m in self.models
        ):
            return
        self.models.append(model)
        meta = model.metadata
        costs = [float(c) for c in meta.get("costs") or []]
        kind, parameters = run_description(model)
        seconds = meta.get("seconds")
        done = meta.get("iterations_done", len(costs))
        texts = {
            KIND: kind,
            PARAMETERS: parameters,
            SEED: "" if meta.get("seed") is None else str(meta["seed"]),
            ITERATIONS: _steps_text(model, done),
            COST: f"{costs[-1]:.4f}" if costs else "",
            TRAIN: _accuracy(meta, "train"),
            TEST: _accuracy(meta, "test"),
            TIME: duration(seconds) if isinstance(seconds, (int, float)) else "",
            DATA: source_text(
                meta.get("data_source"), meta.get("train_size") or 0, meta.get("test_size") or 0
            )
            if meta.get("train_size")
            else "",
            NAME: model.name,
        }
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        tick = QTableWidgetItem()
        flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
        curve = bool(costs) and not shows_search(model.kind)  # a pretrained run draws no cost curve
        tick.setFlags(flags if curve else Qt.ItemFlag.NoItemFlags)
        tick.setCheckState(Qt.CheckState.Unchecked)
        if costs and not curve:
            tick.setToolTip(
                "A run on pretrained features has no cost curve: double click it to see "
                "what its cross-validation chose"
            )
        self.table.setItem(row, PLOT, tick)
        for column, text in texts.items():
            item = QTableWidgetItem(text)
            item.setToolTip(html.escape(text))
            self.table.setItem(row, column, item)
        self.table.blockSignals(False)

    def add_saved(self) -> None:
        """List the stored runs of the saved models, read in a worker (newest first)."""
        if self.worker is not None:
            return
        folder = self.state.models_folder
        worker = GeneratorWorker(
            lambda: persistence.read_models(folder), task="reading the saved models", parent=self
        )
        worker.max_per_second = 0  # every model, as it is read
        worker.stepped.connect(lambda item: item[1] is not None and self.add(item[1]))
        worker.finished.connect(self._saved_read)
        self.worker = worker
        self.saved_button.setEnabled(False)
        worker.start()

    def stop(self) -> None:
        """Stop reading saved models (the dialog closes, or the window)."""
        if self.worker is not None:
            self.worker.stop_and_wait()

    def _saved_read(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.deleteLater()
        self.saved_button.setEnabled(True)

    def text(self, row: int, column: int) -> str:
        return self.table.item(row, column).text()

    def set_ticked(self, row: int, ticked: bool) -> None:
        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        self.table.item(row, PLOT).setCheckState(state)

    def ticked_curves(self) -> list[tuple[str, list[float], int]]:
        """``(label, costs, step)`` of the ticked runs, in the table's order (``costs[i]``
        at iteration ``i * step``: a very long run's saved curve is thinned)."""
        curves = []
        for row, model in enumerate(self.models):
            if self.table.item(row, PLOT).checkState() == Qt.CheckState.Checked:
                label = f"#{row + 1} {self.text(row, PARAMETERS) or self.text(row, KIND)}"
                curves.append((label, *persistence.cost_curve(model.metadata)))
        return curves

    def activate(self, row: int) -> bool:
        """Make row ``row``'s model the active one (a saved run, or the active model)."""
        model = self.models[row]
        if model.path is None and model is not self.state.model:
            self.note.setText(
                f"Run #{row + 1} was not saved: save it (or discard it) in the Train tab first."
            )
            return False
        self.state.set_model(model)
        self.note.setText(f"Run #{row + 1} ({model.name}) is the active model.")
        return True

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == PLOT:
            self.curvesTicked.emit(self.ticked_curves())
