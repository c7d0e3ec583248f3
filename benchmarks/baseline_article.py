"""The baseline: the article's training loop written out plainly in NumPy.

This is the reference every speed figure is measured against. It follows the article
(and the course it comes from) step by step, with its own small functions and the same
data layout (features x examples):

* parameters: ``np.random.seed(1)``, then ``W[l] = randn(n_l, n_{l-1}) / sqrt(n_{l-1})``
  layer after layer, biases zero;
* forward: ``Z = W A + b`` with a cache per layer, ReLU on hidden layers, sigmoid at the
  output;
* cost: mean cross-entropy;
* backward: ``dAL`` from the cost, sigmoid and ReLU backward from the cached ``Z``, then
  ``dW``, ``db`` **and** ``dA_prev`` for every layer, the first one included (the
  gradient with respect to the input images is computed and thrown away, as the article
  does);
* update: plain gradient descent.

Logistic regression follows the course: zero weights, ``w`` of shape ``(n_x, 1)``.

Nothing here is imported by catgui; it exists to be timed and compared.
"""

from __future__ import annotations

import numpy as np


# -- the deep network ----------------------------------------------------------------------
def init_params(layer_dims: list[int], seed: int = 1) -> dict[str, np.ndarray]:
    """Draw ``W1..WL`` and ``b1..bL`` as the article does (global legacy seed)."""
    np.random.seed(seed)
    params = {}
    for layer in range(1, len(layer_dims)):
        n_prev, n = layer_dims[layer - 1], layer_dims[layer]
        params[f"W{layer}"] = np.random.randn(n, n_prev) / np.sqrt(n_prev)
        params[f"b{layer}"] = np.zeros((n, 1))
    return params


def linear_step(a_prev: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, tuple]:
    """``Z = W A_prev + b``; the cache keeps the three inputs for the backward pass."""
    return np.dot(w, a_prev) + b, (a_prev, w, b)


def relu(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.maximum(0, z), z


def sigmoid(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return 1.0 / (1.0 + np.exp(-z)), z


def activation_step(a_prev, w, b, kind: str) -> tuple[np.ndarray, tuple]:
    """One layer forward: linear part then ReLU or sigmoid, with both caches."""
    z, linear_cache = linear_step(a_prev, w, b)
    a, activation_cache = relu(z) if kind == "relu" else sigmoid(z)
    return a, (linear_cache, activation_cache)


def forward_all(x: np.ndarray, params: dict) -> tuple[np.ndarray, list]:
    """ReLU on layers ``1..L-1``, sigmoid on layer ``L``; returns ``AL`` and the caches."""
    depth = len(params) // 2
    caches = []
    a = x
    for layer in range(1, depth):
        a, cache = activation_step(a, params[f"W{layer}"], params[f"b{layer}"], "relu")
        caches.append(cache)
    al, cache = activation_step(a, params[f"W{depth}"], params[f"b{depth}"], "sigmoid")
    caches.append(cache)
    return al, caches


def cross_entropy(al: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy between the outputs ``al`` (1, m) and labels ``y`` (1, m)."""
    m = y.shape[1]
    total = np.dot(y, np.log(al).T) + np.dot(1 - y, np.log(1 - al).T)
    return float(np.squeeze(-total / m))


def linear_back(dz: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``dA_prev``, ``dW``, ``db`` of one linear step from ``dZ``."""
    a_prev, w, _ = cache
    m = a_prev.shape[1]
    d_w = np.dot(dz, a_prev.T) / m
    d_b = np.sum(dz, axis=1, keepdims=True) / m
    da_prev = np.dot(w.T, dz)
    return da_prev, d_w, d_b


def relu_back(da: np.ndarray, z: np.ndarray) -> np.ndarray:
    dz = np.array(da, copy=True)
    dz[z <= 0] = 0
    return dz


def sigmoid_back(da: np.ndarray, z: np.ndarray) -> np.ndarray:
    s = 1.0 / (1.0 + np.exp(-z))
    return da * s * (1 - s)


def backward_all(al: np.ndarray, y: np.ndarray, caches: list) -> dict[str, np.ndarray]:
    """Gradients of every layer, including ``dA0`` (with respect to the input)."""
    grads = {}
    depth = len(caches)
    da = -(np.divide(y, al) - np.divide(1 - y, 1 - al))
    for layer in range(depth, 0, -1):
        linear_cache, z = caches[layer - 1]
        dz = sigmoid_back(da, z) if layer == depth else relu_back(da, z)
        da, grads[f"dW{layer}"], grads[f"db{layer}"] = linear_back(dz, linear_cache)
        grads[f"dA{layer - 1}"] = da
    return grads


def update(params: dict, grads: dict, learning_rate: float) -> dict:
    depth = len(params) // 2
    for layer in range(1, depth + 1):
        params[f"W{layer}"] = params[f"W{layer}"] - learning_rate * grads[f"dW{layer}"]
        params[f"b{layer}"] = params[f"b{layer}"] - learning_rate * grads[f"db{layer}"]
    return params


def train_deep(
    x: np.ndarray,
    y: np.ndarray,
    layer_dims: list[int],
    learning_rate: float = 0.0075,
    iterations: int = 2500,
    seed: int = 1,
) -> tuple[dict, list[float]]:
    """The article's ``L_layer_model``; returns the parameters and every iteration's cost."""
    params = init_params(layer_dims, seed)
    costs = []
    for _ in range(iterations):
        al, caches = forward_all(x, params)
        costs.append(cross_entropy(al, y))
        grads = backward_all(al, y, caches)
        params = update(params, grads, learning_rate)
    return params, costs


# -- logistic regression (the course's version) --------------------------------------------
def propagate(w: np.ndarray, b: float, x: np.ndarray, y: np.ndarray) -> tuple[dict, float]:
    """Cost and gradients of logistic regression; ``w`` is ``(n_x, 1)``."""
    m = x.shape[1]
    a = 1.0 / (1.0 + np.exp(-(np.dot(w.T, x) + b)))
    cost = -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / m
    d_w = np.dot(x, (a - y).T) / m
    d_b = np.sum(a - y) / m
    return {"dw": d_w, "db": d_b}, float(cost)


def train_logistic(
    x: np.ndarray, y: np.ndarray, learning_rate: float = 0.005, iterations: int = 2000
) -> tuple[np.ndarray, float, list[float]]:
    """The course's ``optimize`` from zeros; returns ``w``, ``b`` and every cost."""
    w, b = np.zeros((x.shape[0], 1)), 0.0
    costs = []
    for _ in range(iterations):
        grads, cost = propagate(w, b, x, y)
        costs.append(cost)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
    return w, b, costs
