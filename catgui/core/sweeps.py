"""Many runs of one recipe: a seed sweep, a learning-rate sweep, k-fold cross-validation.

Each sweep is a generator (no Qt), so the window's generic worker can run it like a
training run: it yields a :class:`SweepProgress` after every training step and once
more when a run ends (with that run's :class:`RunRecord`), and returns the records.
A run that diverges or whose hidden layer dies is recorded with that ``status`` and the
sweep goes on; only a configuration that cannot train at all is refused, before the
first run.

Each run is a :class:`~catgui.core.training_run.TrainingRun` (the one run loop, through the
kinds table), so any kind
whose configuration has the swept field can be swept, and any kind cross-validated.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from catgui.core import kinds, steps
from catgui.core.dataset import DataSet, Split
from catgui.core.errors import CatguiError, TrainingDiverged
from catgui.core.kinds.base import Config
from catgui.core.splits import stratified_folds
from catgui.core.training_run import TrainingRun, TrainOutcome

#: Folds of a cross-validation unless told otherwise.
FOLDS = 5
#: Costs kept in a record: every this many iterations.
COST_EVERY = 100
#: What a run ended as.
OK, DIVERGED, DEAD_LAYER = "ok", TrainingDiverged.COST, TrainingDiverged.DEAD_LAYER


class SweepProgress(NamedTuple):
    """``run`` (0-based) of ``runs`` is at ``iteration`` of ``total`` with ``cost``;
    ``record`` is set once, when the run has ended."""

    run: int
    runs: int
    iteration: int
    total: int
    cost: float
    record: RunRecord | None = None


@dataclass(frozen=True)
class CrossValidation:
    """Held-out accuracy of each fold (``sizes`` pictures each), their mean and spread."""

    accuracies: tuple[float, ...]
    sizes: tuple[int, ...]
    statuses: tuple[str, ...]

    @property
    def mean(self) -> float:
        return float(np.mean(self.accuracies)) if self.accuracies else math.nan

    @property
    def spread(self) -> float:
        """Sample standard deviation over the folds (0 with one fold)."""
        return float(np.std(self.accuracies, ddof=1)) if len(self.accuracies) > 1 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "mean": self.mean,
            "spread": self.spread,
            "folds": list(self.accuracies),
            "fold_sizes": list(self.sizes),
            "statuses": list(self.statuses),
        }


@dataclass(frozen=True)
class RunRecord:
    """One run of a sweep; accuracies are ``None`` when not measured."""

    seed: int | None
    lr: float | None
    costs: list[tuple[int, float]]
    final_cost: float
    iterations_done: int
    train_accuracy: float | None
    test_accuracy: float | None
    test_size: int
    test_interval_95: tuple[float, float] | None
    seconds: float
    status: str = OK
    message: str = ""
    cv: CrossValidation | None = field(default=None)

    @property
    def cv_accuracy(self) -> float | None:
        return self.cv.mean if self.cv is not None else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "lr": self.lr,
            "status": self.status,
            "message": self.message,
            "costs": [[i, c] for i, c in self.costs],
            "final_cost": self.final_cost,
            "iterations_done": self.iterations_done,
            "train_accuracy": self.train_accuracy,
            "test_accuracy": self.test_accuracy,
            "test_size": self.test_size,
            "test_interval_95": list(self.test_interval_95) if self.test_interval_95 else None,
            "cv_accuracy": self.cv_accuracy,
            "cv": self.cv.as_dict() if self.cv is not None else None,
            "seconds": self.seconds,
        }


def vary(config: Config, name: str, value: Any) -> Config:
    """``config`` with field ``name`` set to ``value``, validated by its kind.

    :class:`CatguiError` if the kind has no such field (nothing to sweep).
    """
    kind = kinds.of_config(config)
    if kind.field(name) is None:
        raise CatguiError(f"a {kind.name} model has no {name.replace('_', ' ')} to sweep")
    return dataclasses.replace(config, **{name: value}).validate()


def train_once(
    data: DataSet, config: Config, run: int = 0, runs_in_all: int = 1
) -> Generator[SweepProgress, None, tuple[TrainOutcome, str, str]]:
    """Train ``config`` on ``data.train`` (a :class:`~catgui.core.training_run.TrainingRun`),
    yielding every step; return ``(outcome, status, message)``: the model reached,
    evaluated on both splits of ``data``. A divergence ends the run with its status (the
    error's ``reason``) and the last finite model, not an exception."""
    training = TrainingRun(data, config)

    def progress(step) -> SweepProgress:
        return SweepProgress(run, runs_in_all, step.iteration, step.total, step.cost)

    try:
        outcome = yield from steps.mapped(training.steps(), progress)
    except TrainingDiverged as exc:
        return training.partial or training.outcome(stopped=True), exc.reason, str(exc)
    return outcome, OK, ""


def subset(split: Split, index: np.ndarray) -> Split:
    """The pictures of ``split`` at ``index`` (a fold), as a split of their own."""
    return dataclasses.replace(split, x=split.x[index], y=split.y[index])


def cross_validate(
    train: Split, config: Config, k: int = FOLDS, seed: int = 0, run: int = 0, runs_in_all: int = 1
) -> Generator[SweepProgress, None, CrossValidation]:
    """k-fold cross-validation of ``config`` on the training pictures ``train``.

    The folds are stratified and shuffled with ``seed`` (:func:`splits.stratified_folds`);
    each run trains on the other ``k - 1`` folds and is scored on the held one. A fold whose
    run diverged is scored all the same (the last finite model) and says so in ``statuses``.
    """
    y = np.asarray(train.y).reshape(-1)
    smaller = int(min(np.sum(y == 0), np.sum(y == 1)))
    if k < 2 or smaller < k:
        raise CatguiError(
            f"{k}-fold cross-validation needs at least 2 folds and {k} pictures of each class; "
            f"the training data has {smaller} of the rarer class"
        )
    folds = stratified_folds(y, k, seed)
    everything = np.arange(len(y))
    accuracies, sizes, statuses = [], [], []
    for held in folds:
        fold = DataSet(
            train=subset(train, np.setdiff1d(everything, held)),
            test=subset(train, held),
            folder=Path(train.path).parent,
        )
        outcome, status, _ = yield from train_once(fold, config, run, runs_in_all)
        accuracies.append(outcome.model.metadata["test_accuracy"])
        sizes.append(outcome.model.metadata["test_size"])
        statuses.append(status)
    return CrossValidation(tuple(accuracies), tuple(sizes), tuple(statuses))


def sweep(
    data: DataSet,
    configs: Sequence[Config],
    folds: int | None = None,
    fold_seed: int = 0,
) -> Generator[SweepProgress, None, list[RunRecord]]:
    """Train each of ``configs`` on ``data.train``, score it on both splits (and, with
    ``folds``, cross-validate it on the training pictures); return one record per run."""
    configs = [config.validate() for config in configs]
    records = []
    for n, config in enumerate(configs):
        start = time.perf_counter()
        outcome, status, message = yield from train_once(data, config, n, len(configs))
        cv = None
        if folds:
            cv = yield from cross_validate(data.train, config, folds, fold_seed, n, len(configs))
        meta = outcome.model.metadata
        tested = meta["test_size"] > 0
        costs = [float(c) for c in outcome.costs]
        record = RunRecord(
            seed=getattr(config, "seed", None),
            lr=getattr(config, "learning_rate", None),
            costs=[(i, c) for i, c in enumerate(costs) if i % COST_EVERY == 0],
            final_cost=costs[-1] if costs else math.nan,
            iterations_done=meta["iterations_done"],
            train_accuracy=meta["train_accuracy"],
            test_accuracy=meta["test_accuracy"] if tested else None,
            test_size=meta["test_size"],
            test_interval_95=tuple(meta["test_interval_95"]) if tested else None,
            seconds=time.perf_counter() - start,
            status=status,
            message=message,
            cv=cv,
        )
        last = max(record.iterations_done - 1, 0)
        yield SweepProgress(n, len(configs), last, last + 1, record.final_cost, record)
        records.append(record)
    return records


def seed_sweep(
    data: DataSet,
    config: Config,
    seeds: Sequence[int],
    folds: int | None = None,
    fold_seed: int = 0,
) -> Generator[SweepProgress, None, list[RunRecord]]:
    """The recipe ``config`` once per seed of ``seeds`` (see :func:`sweep`)."""
    configs = [vary(config, "seed", int(s)) for s in seeds]
    return (yield from sweep(data, configs, folds, fold_seed))


def learning_rate_sweep(
    data: DataSet,
    config: Config,
    rates: Sequence[float],
    folds: int | None = None,
    fold_seed: int = 0,
) -> Generator[SweepProgress, None, list[RunRecord]]:
    """The recipe ``config`` once per learning rate of ``rates`` (see :func:`sweep`)."""
    configs = [vary(config, "learning_rate", float(r)) for r in rates]
    return (yield from sweep(data, configs, folds, fold_seed))


@dataclass(frozen=True)
class Summary:
    """Test accuracy over the runs that ended well: how many, mean, spread, range."""

    runs: int
    mean: float
    spread: float
    low: float
    high: float


def summarise(records: Sequence[RunRecord]) -> Summary | None:
    """The test accuracies of the records whose status is ``ok``; ``None`` if there are none."""
    values = [r.test_accuracy for r in records if r.status == OK and r.test_accuracy is not None]
    if not values:
        return None
    spread = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    return Summary(len(values), float(np.mean(values)), spread, min(values), max(values))


def run_all(generator: Generator[SweepProgress, None, Any]) -> Any:
    """Drive a sweep to the end without watching; its return value."""
    return steps.run_to_end(generator)
