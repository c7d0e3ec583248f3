"""Training: hyper-parameter validation, the generator, stopping, divergence."""

from __future__ import annotations

import math

import numpy as np
import pytest

from catgui.core import kinds
from catgui.core import network as nn
from catgui.core.errors import CatguiError, TrainingDiverged
from catgui.core.training import DEAD_CHECK_EVERY, TrainConfig, Trainer, parse_hidden, train


def _toy(m=20, n=30, seed=0):
    rng = np.random.default_rng(seed)
    y = (np.arange(m) % 2).reshape(1, -1).astype(float)
    x = rng.random((n, m)) * 0.5 + 0.5 * y
    return x, y


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"learning_rate": -0.1}, "learning rate"),
        ({"learning_rate": 0}, "learning rate"),
        ({"learning_rate": float("nan")}, "learning rate"),
        ({"learning_rate": 1e6}, "learning rate"),
        ({"iterations": 0}, "iterations"),
        ({"iterations": 2.5}, "iterations"),
        ({"hidden": (20, 0)}, "hidden"),
        ({"seed": -1}, "seed"),
        ({"path": "fast"}, "path"),
        ({"init": "he"}, "initialisation"),
    ],
)
def test_bad_hyperparameters_are_refused_with_a_reason(overrides, reason):
    with pytest.raises(CatguiError, match=reason):
        TrainConfig(**overrides).validate()


@pytest.mark.parametrize("text, expected", [("20,7,5", (20, 7, 5)), (" 3 , 2 ", (3, 2)), ("", ())])
def test_parse_hidden(text, expected):
    assert parse_hidden(text) == expected


@pytest.mark.parametrize("text", ["20;7", "a,b", "20,,5", "3,-1", "0"])
def test_parse_hidden_refuses_nonsense(text):
    with pytest.raises(CatguiError):
        parse_hidden(text)


def test_steps_yield_every_iteration_and_cost_falls():
    x, y = _toy()
    trainer = Trainer(x, y, TrainConfig(hidden=(4,), learning_rate=0.5, iterations=50))
    steps = list(trainer.steps())
    assert [s.iteration for s in steps] == list(range(50))
    assert all(s.total == 50 for s in steps)
    assert trainer.costs == [s.cost for s in steps]
    assert steps[-1].cost < steps[0].cost
    assert trainer.iterations_done == 50


def test_stopping_between_steps_keeps_what_was_learnt_and_can_resume():
    x, y = _toy()
    config = TrainConfig(hidden=(4,), learning_rate=0.5, iterations=30)
    full = Trainer(x, y, config)
    full.run()
    part = Trainer(x, y, config)
    for step in part.steps():
        if step.iteration == 9:
            break
    assert part.iterations_done == 10
    stopped = part.network()
    assert nn.cost(nn.forward(stopped, x)[0], y) < part.costs[0]
    for _ in part.steps():  # resuming continues where it stopped
        pass
    np.testing.assert_allclose(part.costs, full.costs, rtol=1e-12)


def test_divergence_stops_with_a_clear_error_and_keeps_finite_parameters():
    x, y = _toy()
    trainer = Trainer(
        x * 1e300, y, TrainConfig.logistic_regression(learning_rate=50, iterations=20)
    )
    with pytest.raises(TrainingDiverged, match="smaller learning rate") as info:
        for _ in trainer.steps():
            pass
    assert info.value.iteration == 1 and info.value.reason == TrainingDiverged.COST
    net = trainer.network()
    assert all(np.all(np.isfinite(w)) for w in net.weights)
    assert trainer.iterations_done == 0 and trainer.costs == []  # back to the last finite cost
    np.testing.assert_array_equal(net.weights[0], 0)


def test_trainer_refuses_mismatched_or_empty_data():
    x, y = _toy()
    with pytest.raises(CatguiError, match="do not match"):
        Trainer(x, y[:, :5], TrainConfig())
    with pytest.raises(CatguiError, match="no training examples"):
        Trainer(np.zeros((4, 0)), np.zeros((1, 0)), TrainConfig())


def test_logistic_regression_config():
    config = TrainConfig.logistic_regression()
    assert kinds.of_config(config).name == "logreg" and config.init == "zeros"
    assert kinds.of_config(TrainConfig()).name == "dnn"
    assert (config.learning_rate, config.iterations) == (0.005, 2000)
    x, y = _toy()
    net, costs = train(x, y, TrainConfig.logistic_regression(iterations=5))
    assert net.sizes == (30, 1) and costs[0] == pytest.approx(math.log(2))


def test_a_dead_hidden_layer_stops_training_with_advice():
    """Far too large a learning rate turns every unit of a hidden layer off for every
    picture within a few updates: the run stops at the next check, saying so."""
    x, y = _toy()
    config = TrainConfig(hidden=(3, 2), learning_rate=10, iterations=300, seed=2)
    trainer = Trainer(x, y, config)
    with pytest.raises(TrainingDiverged, match=r"hidden layer \d is zero.*smaller") as info:
        for _ in trainer.steps():
            pass
    assert info.value.reason == TrainingDiverged.DEAD_LAYER
    assert info.value.iteration % DEAD_CHECK_EVERY == 0 and 0 < info.value.iteration < 300
    assert trainer.iterations_done == info.value.iteration == len(trainer.costs)
    assert all(np.all(np.isfinite(w)) for w in trainer.network().weights)


def test_confident_correct_outputs_do_not_count_as_divergence():
    x, y = _toy()
    trainer = Trainer(
        x * 40, y, TrainConfig(hidden=(), learning_rate=5, iterations=300, init="zeros")
    )
    trainer.run()  # saturating sigmoid: the stable cost stays finite
    assert trainer.costs[-1] < 1e-3
