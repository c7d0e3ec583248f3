"""The Gram path and the plain path are the same gradient descent (issue 4).

Both are checked against each other and against a textbook loop built only from
:func:`catgui.core.network.gradients`, which shares no code with the trainer's engine.
No timing is asserted here; speed is measured by ``make bench``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from catgui.core import dataset, training
from catgui.core import network as nn
from catgui.core.errors import TrainingDiverged
from catgui.core.training import TrainConfig, Trainer, choose_path

RTOL = 1e-9
LAYER_LISTS = [(), (4,), (6, 3), (20, 7, 5)]


def _data(n_x: int = 200, m: int = 40, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Pixels in [0, 1], half of them brighter for class 1: learnable, not separable at once."""
    rng = np.random.default_rng(seed)
    y = (rng.random(m) < 0.5).astype(float).reshape(1, -1)
    x = rng.random((n_x, m)) * 0.7 + 0.3 * y * rng.random((n_x, 1))
    return x, y


def _config(hidden: tuple[int, ...], **overrides) -> TrainConfig:
    if hidden:
        base = TrainConfig(hidden=hidden, learning_rate=0.05, iterations=150, seed=1)
    else:
        base = TrainConfig.logistic_regression(learning_rate=0.05, iterations=150)
    return replace(base, **overrides)


def _both_paths(x, y, config) -> dict[str, Trainer]:
    runs = {}
    for path in ("gram", "plain"):
        trainer = Trainer(x, y, replace(config, path=path))
        trainer.run()
        assert trainer.path == path
        runs[path] = trainer
    return runs


def _textbook(x, y, config) -> tuple[list[float], nn.Network]:
    """Gradient descent written out with network.gradients: the reference."""
    net = nn.initialize((x.shape[0], *config.hidden, 1), config.seed, config.init)
    costs = []
    for _ in range(config.iterations):
        d_w, d_b, value = nn.gradients(net, x, y)
        costs.append(value)
        net = nn.Network(
            [w - config.learning_rate * dw for w, dw in zip(net.weights, d_w)],
            [b - config.learning_rate * db for b, db in zip(net.biases, d_b)],
        )
    return costs, net


def _assert_same_network(a: nn.Network, b: nn.Network, rtol: float = RTOL) -> None:
    assert a.sizes == b.sizes
    for wa, wb in zip(a.weights + a.biases, b.weights + b.biases):
        scale = max(np.max(np.abs(wb)), 1e-12)
        np.testing.assert_allclose(wa, wb, rtol=0, atol=rtol * scale)


@pytest.mark.parametrize("hidden", LAYER_LISTS, ids=lambda h: "-".join(map(str, h)) or "logreg")
def test_gram_and_plain_paths_give_the_same_curve_and_parameters(hidden):
    x, y = _data()
    runs = _both_paths(x, y, _config(hidden))
    gram, plain = runs["gram"], runs["plain"]
    assert len(gram.costs) == len(plain.costs) == 150
    np.testing.assert_allclose(gram.costs, plain.costs, rtol=RTOL, atol=0)
    assert gram.costs[-1] < gram.costs[0]  # it did learn: the comparison is not vacuous
    _assert_same_network(gram.network(), plain.network())  # W1 = W1_0 + C X^T


@pytest.mark.parametrize("hidden", LAYER_LISTS, ids=lambda h: "-".join(map(str, h)) or "logreg")
@pytest.mark.parametrize("path", ["gram", "plain"])
def test_each_path_matches_the_textbook_loop(hidden, path):
    x, y = _data(n_x=120, m=30, seed=5)
    config = _config(hidden, iterations=60, path=path)
    trainer = Trainer(x, y, config)
    net = trainer.run()
    costs, reference = _textbook(x, y, config)
    np.testing.assert_allclose(trainer.costs, costs, rtol=RTOL, atol=0)
    _assert_same_network(net, reference)


@pytest.mark.parametrize("path", ["gram", "plain"])
def test_network_mid_run_is_the_one_whose_cost_comes_next(path):
    x, y = _data()
    trainer = Trainer(x, y, _config((6, 3), path=path))
    steps = trainer.steps()
    for _ in range(25):
        next(steps)
    net = trainer.network()
    upcoming = next(steps).cost  # the cost before update 25 = the cost of `net`
    al, _ = nn.forward(net, x)
    assert nn.cost(al, y) == pytest.approx(upcoming, rel=RTOL)


@pytest.mark.parametrize("path", ["gram", "plain"])
def test_stopping_and_resuming_changes_nothing(path):
    x, y = _data()
    config = _config((6, 3), iterations=80, path=path)
    whole = Trainer(x, y, config)
    whole.run()
    part = Trainer(x, y, config)
    for step in part.steps():
        if step.iteration == 30:
            break
    part.run()
    np.testing.assert_array_equal(part.costs, whole.costs)
    _assert_same_network(part.network(), whole.network(), rtol=0)


def test_divergence_rolls_back_the_same_way_on_both_paths():
    x, y = _data(n_x=60, m=20)
    x = x * 1e153  # the logits overflow after a few steps of lr 5
    outcomes = {}
    for path in ("gram", "plain"):
        trainer = Trainer(x, y, _config((), learning_rate=5, iterations=50, path=path))
        seen = []
        with pytest.raises(TrainingDiverged, match="diverged") as info:
            for step in trainer.steps():
                seen.append(step.cost)
        assert trainer.path == path
        # The last update led to a non-finite cost, so it is undone: the network kept is
        # the one whose (finite) cost was the last one seen, and that cost is dropped
        # from the curve, which always has one cost per completed update.
        assert trainer.iterations_done == len(trainer.costs) == info.value.iteration - 1 > 0
        assert trainer.costs == seen[:-1]
        net = trainer.network()
        assert all(np.all(np.isfinite(w)) for w in net.weights + net.biases)
        _, cache = nn.forward(net, x)
        with np.errstate(all="ignore"):
            kept_cost = nn.cost_from_logits(cache[0][-1], y)
        assert kept_cost == pytest.approx(seen[-1], rel=1e-6)
        outcomes[path] = (info.value.iteration, trainer.costs, net)
    assert outcomes["gram"][0] == outcomes["plain"][0]
    np.testing.assert_allclose(outcomes["gram"][1], outcomes["plain"][1], rtol=RTOL)
    _assert_same_network(outcomes["gram"][2], outcomes["plain"][2])


def test_a_gram_matrix_that_overflows_falls_back_to_the_plain_path():
    x, y = _data(n_x=60, m=20)
    x = x * 1e156  # X^T X overflows; W1 X does not
    fallback = Trainer(x, y, _config((), learning_rate=1e-9, iterations=5, path="gram"))
    fallback.run()
    assert fallback.path == "plain"
    plain = Trainer(x, y, _config((), learning_rate=1e-9, iterations=5, path="plain"))
    plain.run()
    assert fallback.costs == plain.costs and all(np.isfinite(fallback.costs))


def test_the_automatic_choice_and_its_record():
    x, y = _data(n_x=200, m=40)
    assert Trainer(x, y, _config((4,))).path == "gram"  # m well below n_x
    x_wide, y_wide = _data(n_x=50, m=40)
    assert Trainer(x_wide, y_wide, _config((4,))).path == "plain"  # m not below n_x
    assert choose_path(12288, 209) == "gram"  # the article
    assert choose_path(12288, 2000) == "gram"
    assert choose_path(12288, 20000) == "plain"  # more examples than features
    assert choose_path(12288, 209, "plain") == "plain"  # an explicit request wins
    assert choose_path(100, 90, "gram") == "gram"


def test_plain_is_chosen_when_the_gram_matrix_would_not_fit(monkeypatch):
    monkeypatch.setattr(training, "GRAM_MEMORY_BUDGET", 8 * 100 * 100 - 1)
    assert choose_path(12288, 100) == "plain"
    assert choose_path(12288, 99) == "gram"


def test_the_path_is_in_the_run_metadata(tiny_data):
    from catgui.core import runs

    data = dataset.load(tiny_data)
    for path in ("gram", "plain"):
        trainer = runs.make_trainer(data.train, _config((3,), iterations=5, path=path))
        for _ in trainer.steps():
            pass
        model = runs.build_model(trainer, data, seconds=0.1)
        assert model.metadata["training_path"] == path


@pytest.fixture
def article(real_data):
    data = dataset.load(real_data)
    return data.train.features(), data.train.labels()


@pytest.mark.slow
@pytest.mark.parametrize(
    "config, figures",
    [
        (TrainConfig(iterations=200), {0: 0.771749, 100: 0.672053}),
        (TrainConfig.logistic_regression(iterations=200), {0: 0.693147, 100: 0.584508}),
    ],
    ids=["article-dnn", "course-logreg"],
)
def test_real_data_both_paths_agree_and_give_the_articles_numbers(article, config, figures):
    x, y = article
    runs = _both_paths(x, y, config)
    np.testing.assert_allclose(runs["gram"].costs, runs["plain"].costs, rtol=RTOL, atol=0)
    for i, value in figures.items():
        assert round(runs["gram"].costs[i], 6) == value
    _assert_same_network(runs["gram"].network(), runs["plain"].network())
