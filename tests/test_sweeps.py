"""Sweeps: seeds, learning rates, k-fold cross-validation; the course's small initialisation."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from catgui.core import dataset, evaluation, kinds, network, runs, splits, sweeps
from catgui.core.classifier import Classifier
from catgui.core.errors import CatguiError, TrainingDiverged
from catgui.core.kinds import fields
from catgui.core.kinds.base import ModelKind
from catgui.core.steps import run_to_end


def _recipe(**values):
    return kinds.default().make_config(hidden=(4,), iterations=150, learning_rate=0.05, **values)


def test_seed_record_equals_a_single_run(tiny_data):
    data = dataset.load(tiny_data)
    config = _recipe()
    gen = sweeps.seed_sweep(data, config, [1, 2])
    steps = []
    records = run_to_end(gen, steps.append)
    assert [r.seed for r in records] == [1, 2]
    ended = [s for s in steps if s.record is not None]
    assert [s.record for s in ended] == records and [s.run for s in ended] == [0, 1]
    assert len(steps) == 2 * 150 + 2

    trainer = runs.make_trainer(data.train, sweeps.vary(config, "seed", 1))
    for _ in trainer.steps():
        pass
    model = runs.build_model(trainer, data, 0.0)
    one = records[0]
    assert one.status == sweeps.OK and one.iterations_done == 150
    assert one.costs == [(i, c) for i, c in enumerate(trainer.costs) if i % 100 == 0]
    assert [i for i, _ in one.costs] == [0, 100]
    assert one.final_cost == trainer.costs[-1]
    assert one.train_accuracy == model.metadata["train_accuracy"]
    assert one.test_accuracy == model.metadata["test_accuracy"]
    assert list(one.test_interval_95) == model.metadata["test_interval_95"]
    assert one.cv is None and one.cv_accuracy is None
    assert records[1].costs != one.costs  # another seed, another run


def test_folds_are_stratified_disjoint_and_cover():
    y = np.array([0] * 137 + [1] * 72)
    np.random.default_rng(3).shuffle(y)
    folds = splits.stratified_folds(y, 5, seed=0)
    assert len(folds) == 5
    together = np.concatenate(folds)
    assert sorted(together.tolist()) == list(range(len(y)))  # disjoint and covering
    for fold in folds:
        assert np.all(np.diff(fold) > 0)
        assert abs(np.sum(y[fold] == 1) - 72 / 5) <= 1
        assert abs(np.sum(y[fold] == 0) - 137 / 5) <= 1
    assert all(np.array_equal(a, b) for a, b in zip(folds, splits.stratified_folds(y, 5, 0)))
    assert not all(np.array_equal(a, b) for a, b in zip(folds, splits.stratified_folds(y, 5, 1)))


def test_cross_validation_scores_each_held_fold(tiny_data):
    data = dataset.load(tiny_data)
    config = _recipe()
    cv = sweeps.run_all(sweeps.cross_validate(data.train, config, k=3, seed=0))
    assert cv.sizes == (4, 4, 4) and cv.statuses == ("ok",) * 3
    held = splits.stratified_folds(data.train.y, 3, 0)[1]
    rest = sweeps.subset(data.train, np.setdiff1d(np.arange(len(data.train)), held))
    trainer = runs.make_trainer(rest, config)
    for _ in trainer.steps():
        pass
    expected = evaluation.evaluate(trainer.classifier(), data.train.x[held], data.train.y[held])
    assert cv.accuracies[1] == expected.accuracy
    assert cv.mean == pytest.approx(np.mean(cv.accuracies))
    assert cv.spread == pytest.approx(np.std(cv.accuracies, ddof=1))


def test_cross_validation_needs_enough_pictures_of_each_class(tiny_data):
    data = dataset.load(tiny_data)
    with pytest.raises(CatguiError, match="7 pictures of each class"):
        sweeps.run_all(sweeps.cross_validate(data.train, _recipe(), k=7))


def test_sweep_with_folds_records_cv(tiny_data):
    data = dataset.load(tiny_data)
    (record,) = sweeps.run_all(sweeps.seed_sweep(data, _recipe(), [3], folds=2))
    assert record.cv is not None and len(record.cv.accuracies) == 2
    assert record.cv_accuracy == record.cv.mean


def test_learning_rate_sweep_marks_divergence_and_goes_on(tiny_data):
    data = dataset.load(tiny_data)
    records = sweeps.run_all(sweeps.learning_rate_sweep(data, _recipe(), [0.05, 50.0, 0.01]))
    assert [r.lr for r in records] == [0.05, 50.0, 0.01]
    assert records[0].status == sweeps.OK and records[2].status == sweeps.OK
    assert records[1].status in (sweeps.DIVERGED, sweeps.DEAD_LAYER)
    assert records[1].message and records[1].iterations_done < 150
    assert records[0].iterations_done == records[2].iterations_done == 150
    summary = sweeps.summarise(records)
    assert summary.runs == 2  # the diverged run is left out


def test_a_bad_rate_is_refused_before_any_run(tiny_data):
    data = dataset.load(tiny_data)
    gen = sweeps.learning_rate_sweep(data, _recipe(), [0.05, 500.0])
    with pytest.raises(CatguiError, match="learning rate"):
        next(gen)


def test_a_kind_without_the_field_cannot_be_swept(tiny_data):
    data = dataset.load(tiny_data)
    without_seed = next(k for k in kinds.all_kinds() if k.field("seed") is None)
    with pytest.raises(CatguiError, match="no seed"):
        sweeps.run_all(sweeps.seed_sweep(data, without_seed.default_config(), [1]))


def test_summary_of_test_accuracies():
    def rec(acc, status=sweeps.OK):
        return sweeps.RunRecord(1, 0.1, [], 0.1, 1, 1.0, acc, 50, (0, 1), 0.0, status)

    summary = sweeps.summarise([rec(0.7), rec(0.8), rec(0.1, sweeps.DIVERGED)])
    assert (summary.runs, summary.low, summary.high) == (2, 0.7, 0.8)
    assert summary.mean == pytest.approx(0.75)
    assert sweeps.summarise([rec(0.1, sweeps.DIVERGED)]) is None


def test_small_initialisation_is_the_courses():
    net = network.initialize([30, 7, 1], seed=1, init="small")
    rng = np.random.RandomState(1)
    assert np.array_equal(net.weights[0], rng.randn(7, 30) * 0.01)
    assert np.array_equal(net.weights[1], rng.randn(1, 7) * 0.01)
    assert not np.any(net.biases[0]) and not np.any(net.biases[1])
    assert kinds.default().make_config(init="small").init == "small"


def test_course_two_layer_model_reproduces_its_figures(real_data):
    data = dataset.load(real_data)
    config = kinds.default().make_config(
        hidden=(7,), learning_rate=0.0075, iterations=2500, seed=1, init="small"
    )
    (record,) = sweeps.run_all(sweeps.sweep(data, [config]))
    assert math.isclose(record.costs[0][1], 0.6930497, abs_tol=5e-8)
    assert math.isclose(record.final_cost, 0.0442150, abs_tol=5e-8)
    assert record.train_accuracy == 1.0
    assert record.test_accuracy == pytest.approx(0.72)


class _Stalling:
    """A trainer that learns nothing and stops after one step with a dead layer, in words
    that do not say "hidden layer": the sweep must read the reason, not the text."""

    path = "none"

    def __init__(self, config) -> None:
        self.config, self.costs, self.iterations_done = config, [], 0

    def steps(self):
        from catgui.core.training import Progress

        self.costs.append(0.7)
        self.iterations_done = 1
        yield Progress(0, 0.7, 3)
        raise TrainingDiverged("the units went quiet", 1, reason=TrainingDiverged.DEAD_LAYER)

    def classifier(self):
        return _Unsure()


class _Unsure(Classifier):
    kind = "stalling"

    def probabilities(self, squares):
        return np.full(len(squares), 0.25)


@dataclasses.dataclass(frozen=True)
class _StallConfig:
    seed: int = 0

    def validate(self):
        return self

    def as_dict(self):
        return dataclasses.asdict(self)


class _StallingKind(ModelKind):
    name = "stalling"
    fields = (dataclasses.replace(fields.SEED),)

    def default_config(self):
        return _StallConfig()

    def planned_steps(self, config, pictures):
        return 3

    def trainer(self, train, config):
        return _Stalling(config)

    def arrays(self, classifier):  # pragma: no cover - never saved
        return {}

    def load(self, arrays, metadata, path):  # pragma: no cover
        raise NotImplementedError


def test_a_run_that_stops_is_recorded_by_its_reason_and_scored(tiny_data):
    data = dataset.load(tiny_data)
    with kinds.registered(_StallingKind()) as kind:
        records = sweeps.run_all(sweeps.seed_sweep(data, kind.default_config(), [4, 5], folds=2))
    assert [r.status for r in records] == [sweeps.DEAD_LAYER] * 2
    assert [r.seed for r in records] == [4, 5] and records[0].message == "the units went quiet"
    one = records[0]
    assert one.iterations_done == 1 and one.final_cost == 0.7
    # the model reached (always "non-cat") is scored on both splits and every fold
    expected = float(np.mean(data.test.y == 0))
    assert one.test_accuracy == pytest.approx(expected)
    assert one.cv.statuses == (sweeps.DEAD_LAYER,) * 2 and sum(one.cv.sizes) == len(data.train)
