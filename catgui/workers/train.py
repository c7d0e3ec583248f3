"""Training off the GUI thread: :class:`TrainWorker` drives a
:class:`~catgui.core.training_run.TrainingRun` (the run as a generator, no Qt) with the
generic :class:`~catgui.workers.generator.GeneratorWorker`.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal

from catgui.core.dataset import DataSet
from catgui.core.kinds.base import Config
from catgui.core.training import Progress
from catgui.core.training_run import TrainingRun, TrainOutcome  # noqa: F401 - re-exported
from catgui.workers.generator import GeneratorWorker, Steps

#: At most this many progress signals a second, however fast training runs. Each one
#: repaints the progress bar (~2 ms of the GUI thread's time, which a 2-core machine takes
#: from the training thread's BLAS): at 30 a second the article's run took ~17 % longer in
#: the window than headless, at 10 about the same (benchmarks/bench_gui_overhead.py).
MAX_SIGNALS_PER_SECOND = 10
#: First-layer pictures a second, at most: each costs the training thread ~19 ms (the
#: article's network's ``W1`` rebuilt from the Gram path), so 2 a second cost ~4 %; the
#: first comes half a second into a run (the article's run, 0.3 s, then pays nothing:
#: with one at the first step it took 11 % longer in the window than headless).
UNITS_PER_SECOND = 2


class TrainWorker(GeneratorWorker):
    """Train ``config`` on ``data`` in a thread.

    Every kind of model runs here: ``config`` is any kind's configuration, and
    :func:`catgui.core.runs.make_trainer` asks the kinds table for its trainer.

    It never saves: a finished run waits for the user's *Save and use* / *Save as…* /
    *Discard*, and every save of the window goes through :mod:`catgui.ui.model_files`
    (one way to save). The command line saves through its own
    :class:`~catgui.core.training_run.TrainingRun`.

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
    unitsChanged(object)
        The first layer's units as reached so far, a ``(n1, 64, 64, 3)`` uint8 array
        (:func:`catgui.core.units.unit_pictures`): at most :data:`UNITS_PER_SECOND` a
        second, the first one tick into the run; never for a kind without such a layer.
    """

    progressed = Signal(int, float)
    succeeded = Signal(object)
    unitsChanged = Signal(object)

    max_per_second = MAX_SIGNALS_PER_SECOND
    task = "training"

    def __init__(
        self,
        data: DataSet,
        config: Config,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent=parent)
        self.data = data
        self._run = TrainingRun(data, config)
        self._units_at: float | None = None

    @property
    def partial(self) -> TrainOutcome | None:
        """After a divergence, the run's last finite parameters (if any update completed)."""
        return self._run.partial

    @property
    def config(self) -> Config:
        return self._run.config

    def steps(self) -> Steps:
        self._units_at = None
        return self._run.steps()

    def collect(self, step: Progress) -> None:
        now = time.monotonic()
        if self._units_at is None:  # the clock starts: a run shorter than a tick pays nothing
            self._units_at = now
            return
        if now - self._units_at < 1.0 / UNITS_PER_SECOND:
            return
        self._units_at = now
        pictures = self._run.first_layer_pictures()
        if pictures is not None:
            self.unitsChanged.emit(pictures)

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
