"""One training run as a generator: the steps of any kind's trainer, then a model.

The one run loop: the window's worker (which drives it in a thread), ``catgui train`` and
the sweeps drive it. It stops when its steps are closed, keeps the last finite model when
training diverges, and saves a completed run under a new name.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catgui.core import runs, units
from catgui.core.dataset import DataSet
from catgui.core.errors import CatguiError, TrainingDiverged
from catgui.core.kinds.base import Config, Training
from catgui.core.persistence import Model
from catgui.core.training import Progress


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
    """One training run of ``config`` on ``data``, step by step: the one loop that trains.

    The window's worker, ``catgui train`` and the sweeps all drive it. :meth:`steps` yields
    the trainer's :class:`~catgui.core.training.Progress` and returns the
    :class:`TrainOutcome` of the completed run (saved in ``save_in`` when given). A run
    whose steps were closed early is finished with :meth:`finish`. A run that diverged
    raises :class:`~catgui.core.errors.TrainingDiverged` (its ``reason`` says why) and
    leaves its last finite parameters in :attr:`partial` (if an update completed);
    :meth:`outcome` evaluates what was reached in any case.
    """

    def __init__(self, data: DataSet, config: Config, save_in: Path | None = None) -> None:
        self.data = data
        self.config = config
        self.save_in = save_in
        self.partial: TrainOutcome | None = None
        self._trainer: Training | None = None
        self._last: Progress | None = None
        self._start: float | None = None
        self._end: float | None = None
        self._no_units = False
        #: Passed to :func:`runs.build_model`: ``True`` checks for test pictures with a
        #: near-copy among the training pictures even if it needs a backbone pass.
        self.check_leakage: bool | None = None

    @property
    def trainer(self) -> Training:
        """The kind's trainer of this run, made on first use (by :meth:`steps` at the
        latest: making it prepares the training arrays, work for the run's thread)."""
        if self._trainer is None:
            self._trainer = runs.make_trainer(self.data.train, self.config)
        return self._trainer

    def steps(self) -> Generator[Progress, None, TrainOutcome]:
        trainer = self.trainer
        self._start, self._end = time.perf_counter(), None
        try:
            try:
                for step in trainer.steps():
                    self._last = step
                    yield step
            finally:  # ended, diverged or closed early: the clock stops
                self._end = time.perf_counter()
        except TrainingDiverged:
            if trainer.iterations_done > 0:
                self.partial = self.outcome(stopped=True)
            raise
        return self.finish(stopped=False)

    def first_layer_pictures(self) -> np.ndarray | None:
        """The first layer's units as reached so far, ``(n1, 64, 64, 3)`` uint8 (see
        :mod:`catgui.core.units`), or ``None``: no step yet, or a kind without such a layer.

        Call it between steps (it builds the current classifier: ~10 ms for the article's
        deep network). A kind whose classifier cannot be made yet (a pretrained kind still
        reading pictures) or has no first layer is not asked again during this run.
        """
        if self._trainer is None or self._no_units:
            return None
        try:
            w1 = self._trainer.classifier().first_layer()
        except CatguiError:  # no model yet (features still being read): none to show
            w1 = None
        if w1 is None:
            self._no_units = True
            return None
        return units.unit_pictures(w1)

    def finish(self, stopped: bool | None = None) -> TrainOutcome:
        """The outcome of the iterations done: complete (and saved) or stopped early.

        ``stopped`` is ``False`` when the steps ran to their end; by default (steps closed
        early) it tells whether iterations of the budget were left.

        Raises
        ------
        CatguiError
            No update was completed, so nothing was learnt.
        """
        if self._trainer is None or self._trainer.iterations_done == 0:
            raise CatguiError("training was stopped before the first iteration; nothing was learnt")
        if stopped is None:
            last = self._last
            stopped = last is None or last.iteration + 1 < last.total
        outcome = self.outcome(stopped)
        if self.save_in is not None and not stopped:
            try:
                outcome.saved = runs.save_new(outcome.model, self.save_in)
            except CatguiError as exc:
                outcome.save_error = str(exc)
        return outcome

    def outcome(self, stopped: bool) -> TrainOutcome:
        """What the trainer reached so far, evaluated on both splits (unsaved); even with
        no update done (the starting parameters), which :meth:`finish` refuses."""
        seconds = self.seconds
        trainer = self.trainer
        model = runs.build_model(
            trainer, self.data, seconds, stopped=stopped, check_leakage=self.check_leakage
        )
        return TrainOutcome(model, list(trainer.costs), stopped, seconds)

    @property
    def seconds(self) -> float:
        """Time spent in the steps (so far, while they run; 0 before the first)."""
        if self._start is None:
            return 0.0
        return (self._end or time.perf_counter()) - self._start
