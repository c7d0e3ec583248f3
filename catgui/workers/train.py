"""Training off the GUI thread: runs the ``steps()`` of the trainer ``runs.make_trainer`` picks.

:class:`TrainingRun` is the run itself as a generator (no Qt): stopping, divergence that
keeps the partial model, saving a completed run. :class:`TrainWorker` drives it with the
generic :class:`~catgui.workers.generator.GeneratorWorker`.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from catgui.core import runs
from catgui.core.dataset import DataSet
from catgui.core.errors import CatguiError, TrainingDiverged
from catgui.core.logistic_l2 import L2Config
from catgui.core.persistence import Model
from catgui.core.training import Progress, TrainConfig
from catgui.workers.generator import GeneratorWorker, Steps

#: At most this many progress signals a second, however fast training runs. Each one
#: repaints the progress bar (~2 ms of the GUI thread's time, which a 2-core machine takes
#: from the training thread's BLAS): at 30 a second the article's run took ~17 % longer in
#: the window than headless, at 10 about the same (benchmarks/bench_gui_overhead.py).
MAX_SIGNALS_PER_SECOND = 10


@dataclass
class TrainOutcome:
    """What a run produced.

    Attributes
    ----------
    model
        The network reached, evaluated on the data set, with its metadata (unsaved).
    costs
        The full cost curve, one value per completed iteration.
    stopped
        ``True`` when the user stopped the run before the last iteration.
    seconds
        Time spent training (not evaluating).
    saved
        Where the worker saved a completed run (when it was asked to), else ``None``.
    save_error
        Why that save failed (a message a person understands), else ``None``.
    """

    model: Model
    costs: list[float]
    stopped: bool
    seconds: float
    saved: Path | None = None
    save_error: str | None = None


class TrainingRun:
    """One training run of ``config`` on ``data``, step by step.

    :meth:`steps` yields the trainer's :class:`~catgui.core.training.Progress` and returns
    the :class:`TrainOutcome` of the completed run (saved in ``save_in`` when given). A run
    whose steps were closed early is finished with :meth:`finish`; a run that diverged
    leaves its last finite parameters in :attr:`partial`.
    """

    def __init__(self, data: DataSet, config: TrainConfig | L2Config, save_in: Path | None) -> None:
        self.data = data
        self.config = config
        self.save_in = save_in
        self.partial: TrainOutcome | None = None
        self._trainer = None
        self._last: Progress | None = None
        self._start = 0.0

    def steps(self) -> Generator[Progress, None, TrainOutcome]:
        x, y = self.data.train.features(), self.data.train.labels()
        self._trainer = trainer = runs.make_trainer(x, y, self.config)
        self._start = time.perf_counter()
        try:
            for step in trainer.steps():
                self._last = step
                yield step
        except TrainingDiverged:
            if trainer.iterations_done > 0:
                self.partial = self._outcome(time.perf_counter() - self._start, stopped=True)
            raise
        return self.finish(stopped=False)

    def finish(self, stopped: bool | None = None) -> TrainOutcome:
        """The outcome of the iterations done: complete (and saved) or stopped early.

        ``stopped`` is ``False`` when the steps ran to their end; by default (steps closed
        early) it tells whether iterations of the budget were left.

        Raises
        ------
        CatguiError
            No update was completed, so nothing was learnt.
        """
        seconds = time.perf_counter() - self._start
        if self._trainer is None or self._trainer.iterations_done == 0:
            raise CatguiError("training was stopped before the first iteration; nothing was learnt")
        if stopped is None:
            last = self._last
            stopped = last is None or last.iteration + 1 < last.total
        outcome = self._outcome(seconds, stopped)
        if self.save_in is not None and not stopped:
            try:
                outcome.saved = runs.save_new(outcome.model, self.save_in)
            except CatguiError as exc:
                outcome.save_error = str(exc)
        return outcome

    def _outcome(self, seconds: float, stopped: bool) -> TrainOutcome:
        model = runs.build_model(self._trainer, self.data, seconds, stopped=stopped)
        return TrainOutcome(model, list(self._trainer.costs), stopped, seconds)


class TrainWorker(GeneratorWorker):
    """Train ``config`` on ``data`` in a thread.

    Every kind of model runs here: gradient descent for a
    :class:`~catgui.core.training.TrainConfig` (deep network or logistic regression) and
    Newton's method for an :class:`~catgui.core.logistic_l2.L2Config`.

    Given ``save_in`` (a models folder), a run that completes is saved there under a new
    name (:func:`catgui.core.runs.save_new`, an atomic write) before :attr:`succeeded`,
    so the GUI thread never waits for the disk; stopped runs are left to the user.

    Signals
    -------
    progressed(int, float)
        ``(iteration, cost)``: the cost before update ``iteration`` (0-based); throttled to
        about 10 a second, the first and the last are always sent.
    succeeded(object)
        A :class:`TrainOutcome`; ``outcome.stopped`` tells whether the user stopped it.
    failed(str)
        A message a person understands. When training diverged, :attr:`partial` holds a
        :class:`TrainOutcome` with the last finite parameters (if any update completed).
    """

    progressed = Signal(int, float)
    succeeded = Signal(object)

    max_per_second = MAX_SIGNALS_PER_SECOND
    task = "training"

    def __init__(
        self,
        data: DataSet,
        config: TrainConfig | L2Config,
        parent: QObject | None = None,
        save_in: Path | None = None,
    ) -> None:
        super().__init__(parent=parent)
        self.data = data
        self.config = config
        self.save_in = save_in
        self._run = TrainingRun(data, config, save_in)

    @property
    def partial(self) -> TrainOutcome | None:
        """After a divergence, the run's last finite parameters (if any update completed)."""
        return self._run.partial

    def steps(self) -> Steps:
        self._run = TrainingRun(self.data, self.config, self.save_in)
        return self._run.steps()

    def send_progress(self, step: Progress) -> None:
        self.progressed.emit(step.iteration, step.cost)

    def send_result(self, outcome: TrainOutcome) -> None:
        self.succeeded.emit(outcome)

    def send_interrupted(self) -> None:  # Stop keeps what was learnt
        self.succeeded.emit(self._run.finish())

    def failure_message(self, exc: BaseException) -> str:
        if isinstance(exc, MemoryError):
            return (
                f"not enough memory to train on {len(self.data.train):,} images; "
                "use fewer pictures or fewer augmentation copies"
            )
        return super().failure_message(exc)
