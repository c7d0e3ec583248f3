"""Training off the GUI thread: runs the ``steps()`` of the trainer ``runs.make_trainer`` picks."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from catgui.core import runs
from catgui.core.dataset import DataSet
from catgui.core.errors import CatguiError, TrainingDiverged
from catgui.core.logistic_l2 import L2Config
from catgui.core.persistence import Model
from catgui.core.training import TrainConfig
from catgui.workers.base import Worker

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


class TrainWorker(Worker):
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
    failed = Signal(str)

    def __init__(
        self,
        data: DataSet,
        config: TrainConfig | L2Config,
        parent: QObject | None = None,
        save_in: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.data = data
        self.config = config
        self.save_in = save_in
        self.partial: TrainOutcome | None = None

    def run(self) -> None:
        try:
            trainer = runs.make_trainer(self.data.train, self.config)
        except CatguiError as exc:
            self.failed.emit(str(exc))
            return
        except MemoryError:
            self.failed.emit(
                f"not enough memory to train on {len(self.data.train):,} images; "
                "use fewer pictures or fewer augmentation copies"
            )
            return
        start = time.perf_counter()
        interval = 1.0 / MAX_SIGNALS_PER_SECOND
        last_emit = -interval
        pending: tuple[int, float] | None = None
        stopped = False
        try:
            for step in trainer.steps():
                now = time.perf_counter()
                if now - last_emit >= interval:
                    self.progressed.emit(step.iteration, step.cost)
                    last_emit, pending = now, None
                else:
                    pending = (step.iteration, step.cost)
                if self.isInterruptionRequested():
                    stopped = step.iteration + 1 < step.total
                    break
        except TrainingDiverged as exc:
            if pending is not None:
                self.progressed.emit(*pending)
            if trainer.iterations_done > 0:
                self.partial = self._outcome(trainer, time.perf_counter() - start, True)
            self.failed.emit(str(exc))
            return
        seconds = time.perf_counter() - start
        if pending is not None:
            self.progressed.emit(*pending)
        if trainer.iterations_done == 0:  # stopped before the first update
            self.failed.emit("training was stopped before the first iteration; nothing was learnt")
            return
        outcome = self._outcome(trainer, seconds, stopped)
        if self.save_in is not None and not stopped:
            try:
                outcome.saved = runs.save_new(outcome.model, self.save_in)
            except CatguiError as exc:
                outcome.save_error = str(exc)
        self.succeeded.emit(outcome)

    def _outcome(self, trainer, seconds: float, stopped: bool) -> TrainOutcome:
        model = runs.build_model(trainer, self.data, seconds, stopped=stopped)
        return TrainOutcome(model, list(trainer.costs), stopped, seconds)
