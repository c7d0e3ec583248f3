"""Sweep…: one recipe over several seeds or learning rates, or k-fold cross-validated."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from catgui.commands.sweep import parse_rates
from catgui.core import kinds, sweeps
from catgui.core.dataset import DataSet
from catgui.core.errors import CatguiError
from catgui.core.kinds.base import Config
from catgui.ui.common import tones
from catgui.ui.train.hyperparameter_form import describe
from catgui.ui.train.sweep_plot import SweepPlot
from catgui.ui.train.sweep_text import folds_text, rates_text, seeds_text
from catgui.workers.sweep import SweepWorker

SEEDS, RATES, FOLDS = "seeds", "rates", "folds"
DEFAULT_RATES = "0.0005, 0.001, 0.0075, 0.03, 0.1"


class SweepDialog(QDialog):
    """Run a seed sweep, a learning-rate sweep or k-fold cross-validation of ``config`` on
    ``data`` in a :class:`~catgui.workers.sweep.SweepWorker`, and show the results.

    Stop ends the sweep after the current iteration (the runs already done stay shown);
    closing the dialog stops the sweep and waits for its thread.

    Signals
    -------
    ended()
        The sweep's thread has ended (finished, stopped or failed).
    """

    ended = Signal()

    def __init__(self, data: DataSet, config: Config, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sweepDialog")
        self.setWindowTitle("Sweep")
        self.data, self.config = data, config
        self.kind = kinds.of_config(config)
        self.worker: SweepWorker | None = None
        self.records: list[sweeps.RunRecord] = []
        self.cv: sweeps.CrossValidation | None = None
        self._mode = SEEDS
        self._fold, self._last_iteration = 0, -1

        recipe = QLabel(
            f"Recipe: <b>{describe(config)}</b> on {len(data.train):,} training and "
            f"{len(data.test):,} test pictures.",
            objectName="sweepRecipe",
        )
        recipe.setWordWrap(True)
        self.what = QComboBox(objectName="sweepKind")
        self.what.addItem("Seeds (how much the start matters)", SEEDS)
        self.what.addItem("Learning rates", RATES)
        self.what.addItem("k-fold cross-validation", FOLDS)
        for index, name in ((0, "seed"), (1, "learning_rate")):
            if self.kind.field(name) is None:
                self.what.model().item(index).setEnabled(False)
        self.seed_from = QSpinBox(objectName="seedFrom", minimum=0, maximum=10**6, value=1)
        self.seed_to = QSpinBox(objectName="seedTo", minimum=0, maximum=10**6, value=10)
        self.rates = QLineEdit(DEFAULT_RATES, objectName="sweepRates")
        self.folds = QSpinBox(objectName="sweepFolds", minimum=2, maximum=20, value=5)
        for box in (self.seed_from, self.seed_to, self.folds):
            box.setMaximumWidth(120)
        self.pages = QStackedWidget()
        for rows in (
            [("From seed:", self.seed_from), ("To seed:", self.seed_to)],
            [("Learning rates:", self.rates)],
            [("Folds (k):", self.folds)],
        ):
            page = QWidget()
            form = QFormLayout(page)
            form.setContentsMargins(0, 0, 0, 0)
            for label, widget in rows:
                form.addRow(label, widget)
            self.pages.addWidget(page)
        self.what.currentIndexChanged.connect(self.pages.setCurrentIndex)
        first = next(i for i in range(3) if self.what.model().item(i).isEnabled())
        self.what.setCurrentIndex(first)

        self.run_button = QPushButton("Run", objectName="sweepRunButton", default=True)
        self.stop_button = QPushButton("Stop", objectName="sweepStopButton")
        self.run_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.progress = QProgressBar(objectName="sweepProgress", maximum=1000)
        self.status = QLabel(objectName="sweepStatus", wordWrap=True)
        self.plot = SweepPlot(self)
        self.result = QLabel(objectName="sweepResult", wordWrap=True)

        controls = QHBoxLayout()
        controls.addWidget(self.what)
        controls.addWidget(self.pages, 1)
        controls.addWidget(self.stop_button)
        controls.addWidget(self.run_button)
        layout = QVBoxLayout(self)
        layout.addWidget(recipe)
        layout.addLayout(controls)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.result)
        self.resize(1100, 760)
        self._set_running(False)

    @classmethod
    def reopen(cls, old: SweepDialog | None, data: DataSet | None, form, parent: QWidget):
        """``old`` raised if it is on screen (one sweep at a time), else a new dialog on
        ``data`` and the recipe of ``form`` (a ``HyperparameterForm``), shown; ``old`` is
        freed. ``None`` when there is no data or the form's values cannot train."""
        if old is not None and old.isVisible():
            old.raise_()
            return old
        if old is not None:
            old.deleteLater()
        if data is None or not form.is_valid():
            return None
        dialog = cls(data, form.config(), parent)
        dialog.show()
        return dialog

    # -- running ---------------------------------------------------------------------------
    def is_running(self) -> bool:
        return self.worker is not None

    def start(self) -> bool:
        """Start the chosen sweep; ``False`` (and the reason shown) if its values are bad."""
        if self.is_running():
            return False
        self._mode = self.what.currentData()
        try:
            make_steps, runs = self._steps()
        except CatguiError as exc:
            self._say(str(exc), error=True)
            return False
        self.records, self.cv = [], None
        self._fold, self._last_iteration, self._runs = 0, -1, runs
        self.plot.clear()
        self.result.clear()
        self.progress.setValue(0)
        self._say(f"Running {runs} training run{'s' if runs != 1 else ''}…")
        self.worker = SweepWorker(make_steps, parent=None)
        self.worker.stepped.connect(self._stepped)
        self.worker.returned.connect(self._returned)
        self.worker.failed.connect(lambda message: self._say(message, error=True))
        self.worker.interrupted.connect(self._interrupted)
        self.worker.finished.connect(self._finished)
        self._set_running(True)
        self.worker.start()
        return True

    def _steps(self):
        data, config = self.data, self.config
        if self._mode == SEEDS:
            low, high = self.seed_from.value(), self.seed_to.value()
            if high < low:
                raise CatguiError("The last seed must not be smaller than the first.")
            seeds = list(range(low, high + 1))
            sweeps.vary(config, "seed", low)
            return (lambda: sweeps.seed_sweep(data, config, seeds)), len(seeds)
        if self._mode == RATES:
            rates = parse_rates(self.rates.text())
            if not rates:
                raise CatguiError("Give at least one learning rate, like 0.001, 0.0075.")
            for rate in rates:
                sweeps.vary(config, "learning_rate", rate)  # refused here, not in the thread
            return (lambda: sweeps.learning_rate_sweep(data, config, rates)), len(rates)
        k = self.folds.value()
        return (lambda: sweeps.cross_validate(data.train, config, k)), k

    def stop(self) -> None:
        """End the sweep after the current iteration."""
        if self.worker is not None:
            self.worker.stop()
            self.stop_button.setEnabled(False)
            self._say("Stopping…")

    def shutdown(self) -> None:
        """Stop the sweep and wait for its thread (the dialog or the window closes)."""
        worker = self.worker
        if worker is not None:
            for signal in (worker.stepped, worker.returned, worker.failed, worker.interrupted):
                signal.disconnect()
            worker.stop_and_wait()
            self._finished()

    def done(self, result: int) -> None:  # noqa: D102 - closing (Esc, Close, the title bar)
        self.shutdown()
        super().done(result)

    # -- the worker's signals ------------------------------------------------------------------
    def _stepped(self, step: sweeps.SweepProgress) -> None:
        if self._mode == FOLDS:
            if step.iteration < self._last_iteration:
                self._fold += 1  # a new fold's run has started
            self._last_iteration = step.iteration
            run, runs = min(self._fold, self._runs - 1), self._runs
        else:
            run, runs = step.run, step.runs
        done = (run + (step.iteration + 1) / max(step.total, 1)) / max(runs, 1)
        self.progress.setValue(int(1000 * min(done, 1.0)))
        self.progress.setFormat(f"run {run + 1} of {runs}: iteration {step.iteration + 1:,}")
        if step.record is not None:  # the words now; the figure once, at the end (a full
            self.records.append(step.record)  # matplotlib draw stalls the window 60-80 ms)
            self._show_records(draw=False)

    def _returned(self, result: Any) -> None:
        self.progress.setValue(1000)
        self.progress.setFormat("done")
        if isinstance(result, sweeps.CrossValidation):
            self.cv = result
            self.plot.show_folds(result)
            self.result.setText(folds_text(result, len(self.data.train)))
        else:
            self.records = list(result)
            self._show_records()
        self._say("Finished.")

    def _interrupted(self) -> None:
        self._show_records()
        self._say(f"Stopped after {len(self.records)} of {self._runs} runs.")

    def _finished(self) -> None:
        worker, self.worker = self.worker, None
        if worker is None:
            return
        worker.wait()
        worker.deleteLater()
        self._set_running(False)
        self.ended.emit()

    def _show_records(self, draw: bool = True) -> None:
        if self._mode == SEEDS:
            marked = getattr(self.config, "seed", None)
            if draw:
                self.plot.show_seeds(self.records, marked)
            self.result.setText(seeds_text(self.records, marked))
        elif self._mode == RATES:
            if draw:
                self.plot.show_rates(self.records)
            self.result.setText(rates_text(self.records))

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(f"color: {tones.tone(tones.RED)};" if error else "")
        self.status.setText(text)

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.what.setEnabled(not running)
        self.pages.setEnabled(not running)
