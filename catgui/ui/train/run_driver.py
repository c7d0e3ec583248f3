"""A training run's thread, from the Train tab's start to its end (a QObject, no widget)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from catgui.core import kinds
from catgui.ui.train.cost_plot_slot import CostPlotSlot, shows_search
from catgui.ui.train.hyperparameter_form import describe
from catgui.ui.train.progress import TrainProgress
from catgui.ui.train.run_keeper import RunKeeper
from catgui.ui.train.run_summary import RunSummary
from catgui.ui.train.train_views import TrainViews
from catgui.workers.train import TrainOutcome, TrainWorker


class RunDriver(QObject):
    """Runs one :class:`TrainWorker` at a time (:attr:`worker`) and shows it.

    Its steps go to the cost plot and the progress bar; a finished, stopped or diverged
    run goes to the :class:`RunKeeper` (it waits there, unsaved, for Save / Discard), and
    a failure is said in the run summary.

    Signals
    -------
    ended()
        The run's thread has ended (:attr:`worker` is ``None`` again).
    """

    ended = Signal()

    def __init__(
        self,
        plot_slot: CostPlotSlot,
        progress: TrainProgress,
        summary: RunSummary,
        keeper: RunKeeper,
        views: TrainViews,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.plot_slot, self.progress, self.summary = plot_slot, progress, summary
        self.keeper, self.views = keeper, views
        #: The running thread, if any.
        self.worker: TrainWorker | None = None
        self._last_worker: TrainWorker | None = None
        self._stop_asked = False  # the user pressed Stop during the current run
        self._searching = False  # the run is shown by the search plot

    def begin(self, dataset, config) -> TrainWorker:
        """Make the run's worker and show that it starts; the caller starts the thread."""
        self._stop_asked = False
        self.worker = TrainWorker(dataset, config)
        self.worker.progressed.connect(self._progressed)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)
        self.worker.finished.connect(self._finished)
        self.views.attach(self.worker)
        kind = kinds.of_config(config)
        steps = kind.planned_steps(config, len(dataset.train))
        self.plot_slot.plot().start_run(steps, describe(config))
        self._searching = shows_search(kind.name)  # preparation, then the search: not a curve
        if self._searching:
            self.plot_slot.search().start_run(len(dataset.train), steps)
        self.plot_slot.show_search(self._searching)
        self.progress.words = self.plot_slot.search().step_words if self._searching else None
        self.progress.start(steps)
        self.summary.offer_choice(False)
        self.summary.show_message(
            f"Training {describe(config)}…", "Press <b>Stop</b> (Esc) to end early."
        )
        return self.worker

    def stop(self) -> bool:
        """Ask the run to end after the current iteration; whether one was running."""
        if self.worker is None:
            return False
        self._stop_asked = True
        self.worker.stop()
        self.progress.setFormat("Stopping…")
        return True

    def shutdown(self) -> None:
        """Interrupt the run, if any, and wait for its thread; its outcome is dropped."""
        worker = self.worker
        if worker is None:
            return
        for signal in (worker.progressed, worker.succeeded, worker.failed, worker.finished):
            signal.disconnect()
        worker.stop_and_wait()
        self.worker = None

    def _progressed(self, iteration: int, cost: float) -> None:
        if self._searching:
            self.plot_slot.search().add_step(iteration, cost)
        else:
            self.plot_slot.plot().add_point(iteration, cost)
        self.progress.step(iteration, cost)

    def _succeeded(self, outcome: TrainOutcome) -> None:
        self.plot_slot.plot().set_curve(outcome.costs)
        if self._searching:
            self.plot_slot.search().show_metadata(outcome.model.metadata)
        self.progress.finish(outcome.costs, outcome.seconds, outcome.stopped)
        if self._searching and not outcome.stopped:
            self.progress.setFormat(self.plot_slot.search().done_words(outcome.seconds))
        if outcome.stopped:
            done, total = len(outcome.costs), self.progress.total
            note = f"Stopped after {done:,} of {total:,} iterations. "
            note += "Save what was learnt, or discard it."
            self.keeper.hold(outcome, "Stopped early", note)
            return
        self.keeper.finished(outcome, "Training finished")

    def _failed(self, message: str) -> None:
        partial = self.worker.partial if self.worker is not None else None
        self.progress.setFormat("Failed")
        if partial is not None:
            self.keeper.hold(partial, "Training diverged", message, error=True)
        elif self._stop_asked:  # Stop before anything was learnt: what was asked, no fault
            self.progress.setFormat("Stopped")
            self.summary.show_message(
                "Stopped", f"{message[:1].upper()}{message[1:]}. The active model is unchanged."
            )
        else:
            self.summary.show_message("Training failed", message, error=True)

    def _finished(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.wait()  # ``finished`` comes just before the thread really ends
        self._last_worker = worker  # freed with the next run (queued signals delivered)
        self.ended.emit()
