"""The network: initialisation stream, shapes, gradient check, predictions."""

from __future__ import annotations

import numpy as np
import pytest

from catgui.core import network as nn
from catgui.core.errors import CatguiError


def test_initialisation_follows_the_legacy_seed_stream():
    net = nn.initialize((6, 4, 3, 1), seed=1)
    np.random.seed(1)
    expected = [
        np.random.randn(4, 6) / np.sqrt(6),
        np.random.randn(3, 4) / np.sqrt(4),
        np.random.randn(1, 3) / np.sqrt(3),
    ]
    for w, e in zip(net.weights, expected):
        np.testing.assert_array_equal(w, e)
    assert all(not b.any() for b in net.biases)
    assert net.sizes == (6, 4, 3, 1)


def test_initialisation_does_not_touch_global_random_state():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    nn.initialize((5, 3, 1), seed=7)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_zero_initialisation_for_logistic_regression():
    net = nn.initialize((8, 1), init="zeros")
    assert net.depth == 1 and not net.weights[0].any()


@pytest.mark.parametrize("sizes", [(), (5,), (5, 0, 1), (5, 3, 2), (5, -1, 1)])
def test_bad_layer_lists_are_refused(sizes):
    with pytest.raises(CatguiError):
        nn.initialize(sizes)


def test_network_refuses_layers_that_do_not_chain():
    with pytest.raises(CatguiError, match="do not follow"):
        nn.Network([np.zeros((3, 4)), np.zeros((1, 2))], [np.zeros((3, 1)), np.zeros((1, 1))])
    with pytest.raises(CatguiError, match="bias"):
        nn.Network([np.zeros((1, 4))], [np.zeros((2, 1))])


def _numeric_gradient(net, x, y, which, index, eps=1e-6):
    params = net.weights if which == "W" else net.biases
    original = params[index].copy()
    grad = np.zeros_like(original)
    for pos in np.ndindex(original.shape):
        for sign in (1, -1):
            params[index][pos] = original[pos] + sign * eps
            value = nn.cost(nn.forward(net, x)[0], y)
            grad[pos] += sign * value / (2 * eps)
        params[index][pos] = original[pos]
    return grad


@pytest.mark.parametrize("sizes", [(5, 4, 3, 1), (6, 1), (4, 3, 1)])
def test_backward_matches_finite_differences(sizes):
    rng = np.random.default_rng(0)
    net = nn.initialize(sizes, seed=3)
    for b in net.biases:  # non-zero biases exercise the bias gradient too
        b += rng.normal(0, 0.1, b.shape)
    x = rng.normal(size=(sizes[0], 7))
    y = (rng.random((1, 7)) > 0.5).astype(float)
    d_w, d_b, _ = nn.gradients(net, x, y)
    for layer in range(net.depth):
        num_w = _numeric_gradient(net, x, y, "W", layer)
        num_b = _numeric_gradient(net, x, y, "b", layer)
        np.testing.assert_allclose(d_w[layer], num_w, rtol=1e-5, atol=1e-8)
        np.testing.assert_allclose(d_b[layer], num_b, rtol=1e-5, atol=1e-8)


def test_cost_of_a_known_output():
    al = np.array([[0.8, 0.1]])
    y = np.array([[1.0, 0.0]])
    assert nn.cost(al, y) == pytest.approx(-(np.log(0.8) + np.log(0.9)) / 2)


def test_predict_thresholds_probabilities():
    net = nn.Network([np.array([[1.0, -1.0]])], [np.zeros((1, 1))])
    x = np.array([[3.0, 0.0, -3.0], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(nn.predict_proba(net, x), 1 / (1 + np.exp(-np.array([3.0, 0, -3]))))
    np.testing.assert_array_equal(nn.predict(net, x), [1, 0, 0])


def test_predict_refuses_wrong_input_size():
    net = nn.initialize((4, 1))
    with pytest.raises(CatguiError, match="expects 4 input values"):
        nn.predict_proba(net, np.zeros((5, 2)))
