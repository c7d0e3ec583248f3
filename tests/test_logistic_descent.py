"""Logistic regression's own Gram loop (catgui.core.logistic_descent) is the same descent.

It carries the logits from step to step in "margin" form instead of recomputing them, so
it is checked against the plain path (which recomputes ``w^T X`` every iteration) and the
textbook loop in the places where that could go wrong: confident models (tiny costs),
huge margins (``e^v`` overflows), roll-back, stopping mid-run, and labels that are not
0/1 (which must not take this loop at all).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from catgui.core import network as nn
from catgui.core.descent import Descent
from catgui.core.logistic_descent import LogisticDescent, binary
from catgui.core.training import TrainConfig, Trainer

RTOL = 1e-9


def _data(n_x: int = 150, m: int = 30, seed: int = 7, gap: float = 0.3):
    rng = np.random.default_rng(seed)
    y = (np.arange(m) % 2).astype(float).reshape(1, -1)
    x = rng.random((n_x, m)) * 0.7 + gap * y * rng.random((n_x, 1))
    return x, y


def _logreg(**overrides) -> TrainConfig:
    return TrainConfig.logistic_regression(
        **{"learning_rate": 0.05, "iterations": 100, **overrides}
    )


def _run(x, y, config: TrainConfig) -> Trainer:
    trainer = Trainer(x, y, config)
    trainer.run()
    return trainer


def _engine(trainer: Trainer):
    return type(trainer._descent)


def _assert_same(a: nn.Network, b: nn.Network, rtol: float = RTOL) -> None:
    for wa, wb in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_allclose(wa, wb, rtol=0, atol=rtol * max(np.max(np.abs(wb)), 1e-12))


def test_logistic_regression_on_the_gram_path_takes_its_own_loop():
    x, y = _data()
    gram = _run(x, y, replace(_logreg(), path="gram"))
    plain = _run(x, y, replace(_logreg(), path="plain"))
    assert _engine(gram) is LogisticDescent and _engine(plain) is Descent
    assert gram.path == "gram"
    np.testing.assert_allclose(gram.costs, plain.costs, rtol=RTOL, atol=0)
    assert gram.costs[-1] < 0.9 * gram.costs[0]
    _assert_same(gram.network(), plain.network())


def test_a_confident_model_keeps_its_tiny_cost_exact():
    # Separable data trained hard: the cost falls by orders of magnitude. A margin form
    # that cancelled (softplus(z) - y z) would lose these digits; this one must not.
    x, y = _data(gap=2.0)
    config = _logreg(learning_rate=2.0, iterations=400)
    gram, plain = (
        _run(x, y, replace(config, path="gram")),
        _run(x, y, replace(config, path="plain")),
    )
    assert plain.costs[-1] < 1e-4
    np.testing.assert_allclose(gram.costs, plain.costs, rtol=RTOL, atol=0)


def test_margins_beyond_exp_overflow_still_give_the_finite_cost():
    # Inputs of ~1e3 and a large step push some logits past 709, where e^v overflows;
    # the cost is still finite (about the margin itself) and must match the plain path.
    x, y = _data(n_x=40, m=12)
    x = x * 1e3
    config = _logreg(learning_rate=0.5, iterations=20)
    gram, plain = (
        _run(x, y, replace(config, path="gram")),
        _run(x, y, replace(config, path="plain")),
    )
    z = nn.forward(plain.network(), x)[1][0][-1]
    assert np.max(np.abs(z)) > 709
    assert all(np.isfinite(gram.costs)) and max(gram.costs) > 100
    np.testing.assert_allclose(gram.costs, plain.costs, rtol=RTOL, atol=0)
    _assert_same(gram.network(), plain.network())


def test_a_random_start_is_carried_into_the_logits():
    x, y = _data()
    config = _logreg(init="scaled", seed=4)
    gram, plain = (
        _run(x, y, replace(config, path="gram")),
        _run(x, y, replace(config, path="plain")),
    )
    assert _engine(gram) is LogisticDescent
    np.testing.assert_allclose(gram.costs, plain.costs, rtol=RTOL, atol=0)
    _assert_same(gram.network(), plain.network())


def test_the_network_mid_run_is_the_one_whose_cost_comes_next():
    x, y = _data()
    trainer = Trainer(x, y, replace(_logreg(), path="gram"))
    steps = trainer.steps()
    for _ in range(37):
        next(steps)
    net = trainer.network()
    upcoming = next(steps).cost
    assert nn.cost_from_logits(nn.forward(net, x)[1][0][-1], y) == pytest.approx(upcoming, rel=RTOL)


def test_stopping_and_resuming_changes_nothing():
    x, y = _data()
    config = replace(_logreg(iterations=80), path="gram")
    whole = _run(x, y, config)
    part = Trainer(x, y, config)
    for step in part.steps():
        if step.iteration == 30:
            break
    part.run()
    assert part.costs == whole.costs
    _assert_same(part.network(), whole.network(), rtol=0)


def test_soft_labels_take_the_general_loop_and_stay_exact():
    x, y = _data()
    soft = np.where(y == 1, 0.9, 0.2)
    assert binary(y) and not binary(soft)
    gram = _run(x, soft, replace(_logreg(), path="gram"))
    plain = _run(x, soft, replace(_logreg(), path="plain"))
    assert _engine(gram) is Descent and gram.path == "gram"
    np.testing.assert_allclose(gram.costs, plain.costs, rtol=RTOL, atol=0)


def test_no_numpy_warning_escapes_a_diverging_run():
    # The loop runs with overflow warnings off in a context of its own; the caller's
    # NumPy error state must be untouched, before, during and after.
    x, y = _data(n_x=60, m=20)
    x = x * 1e153
    before = np.geterr()
    trainer = Trainer(x, y, replace(_logreg(learning_rate=5, iterations=50), path="gram"))
    with np.errstate(all="raise"):  # would turn any warning inside into an exception
        seen = 0
        with pytest.raises(Exception, match="diverged"):
            for _ in trainer.steps():
                assert np.geterr()["over"] == "raise"
                seen += 1
    assert seen > 0 and np.geterr() == before
