"""The fully connected network of the article: ReLU hidden layers, one sigmoid output.

Convention everywhere in catgui: **features x examples**. An input batch ``X`` has shape
``(n_x, m)`` (``n_x = 12288`` for 64x64x3 images, scaled to [0, 1]); labels ``Y`` have
shape ``(1, m)``. Layer ``l`` has ``W[l]`` of shape ``(n_l, n_{l-1})`` and ``b[l]`` of
shape ``(n_l, 1)``.

Logistic regression is the same network with no hidden layer (sizes ``[n_x, 1]``) and
zero initial weights, so one engine trains both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from catgui.core import decision
from catgui.core.errors import CatguiError

#: How initial weights are drawn: ``"scaled"`` is the article's ``randn / sqrt(n_prev)``,
#: ``"zeros"`` is the logistic-regression start, ``"small"`` the course's two-layer model's
#: ``randn * 0.01``.
INIT_SCHEMES = ("scaled", "zeros", "small")


@dataclass
class Network:
    """Weights and biases of a fully connected ReLU/sigmoid network.

    Attributes
    ----------
    weights : list of ndarray
        ``weights[i]`` has shape ``(sizes[i + 1], sizes[i])``.
    biases : list of ndarray
        ``biases[i]`` has shape ``(sizes[i + 1], 1)``.
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    sizes: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        if not self.weights or len(self.weights) != len(self.biases):
            raise CatguiError("a network needs as many bias vectors as weight matrices")
        sizes = [self.weights[0].shape[1]]
        for i, (w, b) in enumerate(zip(self.weights, self.biases), start=1):
            if w.ndim != 2 or w.shape[1] != sizes[-1]:
                raise CatguiError(
                    f"layer {i}: weights of shape {w.shape} do not follow a layer of "
                    f"{sizes[-1]} units"
                )
            if b.shape != (w.shape[0], 1):
                raise CatguiError(f"layer {i}: bias of shape {b.shape}, expected {(w.shape[0], 1)}")
            sizes.append(w.shape[0])
        if sizes[-1] != 1:
            raise CatguiError(f"the output layer has {sizes[-1]} units, expected 1")
        self.sizes = tuple(sizes)

    @property
    def depth(self) -> int:
        """Number of layers with weights (1 for logistic regression)."""
        return len(self.weights)

    def copy(self) -> Network:
        return Network([w.copy() for w in self.weights], [b.copy() for b in self.biases])


def validate_sizes(sizes: list[int] | tuple[int, ...]) -> tuple[int, ...]:
    """Check a layer list such as ``[12288, 20, 7, 5, 1]`` and return it as a tuple."""
    sizes = tuple(int(s) for s in sizes)
    if len(sizes) < 2:
        raise CatguiError("a network needs an input size and an output size")
    if any(s < 1 for s in sizes):
        raise CatguiError(f"every layer needs at least one unit, got {list(sizes)}")
    if sizes[-1] != 1:
        raise CatguiError(f"the output layer must have 1 unit, got {sizes[-1]}")
    return sizes


def initialize(sizes: list[int] | tuple[int, ...], seed: int = 1, init: str = "scaled") -> Network:
    """Draw initial parameters.

    ``init="scaled"`` reproduces the article exactly: ``np.random.seed(seed)`` (the legacy
    Mersenne-Twister stream), then for each layer ``randn(n_l, n_{l-1}) / sqrt(n_{l-1})``
    in order, biases zero; ``init="small"`` draws ``randn(n_l, n_{l-1}) * 0.01`` from the
    same stream (the course's two-layer model). The global NumPy random state is not
    touched: a private ``RandomState`` gives the same stream.
    """
    sizes = validate_sizes(sizes)
    if init not in INIT_SCHEMES:
        raise CatguiError(f"unknown initialisation {init!r}; choose one of {INIT_SCHEMES}")
    rng = np.random.RandomState(seed)
    weights, biases = [], []
    for n_prev, n in zip(sizes[:-1], sizes[1:]):
        if init == "zeros":
            weights.append(np.zeros((n, n_prev)))
        elif init == "small":
            weights.append(rng.randn(n, n_prev) * 0.01)
        else:
            weights.append(rng.randn(n, n_prev) / np.sqrt(n_prev))
        biases.append(np.zeros((n, 1)))
    return Network(weights, biases)


def sigmoid(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def forward_from(net: Network, z1: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Run the network given the first layer's pre-activation ``z1`` (shape ``(n_1, m)``).

    Returns the output ``AL`` (shape ``(1, m)``) and the list of pre-activations
    ``Z[l]`` and activations needed by :func:`backward_from`.
    Splitting at ``z1`` lets the trainer compute ``z1`` its own (faster) way.
    """
    zs = [z1]
    activations = []
    z = z1
    for w, b in zip(net.weights[1:], net.biases[1:]):
        a = np.maximum(z, 0.0)
        activations.append(a)
        z = w @ a + b
        zs.append(z)
    return sigmoid(z), [zs, activations]


def forward(net: Network, x: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Forward pass. ``x``: ``(n_x, m)``; returns ``AL`` of shape ``(1, m)`` and a cache."""
    return forward_from(net, net.weights[0] @ x + net.biases[0])


def cost(al: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy of outputs ``al`` against labels ``y`` (both ``(1, m)``)."""
    m = y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        total = np.sum(y * np.log(al) + (1.0 - y) * np.log(1.0 - al))
    return float(-total / m)


def cost_from_logits(zl: np.ndarray, y: np.ndarray) -> float:
    """:func:`cost` computed from the output pre-activation ``zl`` (shape ``(1, m)``).

    Uses ``log(sigmoid(z)) = -log(1 + e^-z)`` evaluated stably, so a confident, correct
    output costs ~0 instead of ``0 * log(0) = NaN``. Equal to :func:`cost` to rounding
    wherever that one is finite; only a truly non-finite ``zl`` gives a non-finite cost.
    """
    m = y.shape[1]
    total = np.sum(y * np.logaddexp(0.0, -zl) + (1.0 - y) * np.logaddexp(0.0, zl))
    return float(total / m)


def backward_from(
    net: Network, al: np.ndarray, y: np.ndarray, cache: list
) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """Gradients of :func:`cost` for every layer but the first's weights.

    Returns ``(dz1, dW, db)``: ``dz1`` (shape ``(n_1, m)``) is the gradient with respect to
    the first pre-activation, *not yet divided by m*; ``dW[l]`` and ``db[l]`` are the
    gradients of layers 2..L (``dW[0]`` is ``None``; the caller forms it from ``dz1``),
    ``db[0]`` is the first layer's bias gradient. The gradient with respect to the input
    is never computed: nothing uses it.
    """
    zs, activations = cache
    m = y.shape[1]
    depth = net.depth
    d_w: list[np.ndarray | None] = [None] * depth
    d_b: list[np.ndarray] = [None] * depth  # type: ignore[list-item]
    dz = al - y  # sigmoid + cross-entropy
    for layer in range(depth - 1, 0, -1):
        a_prev = activations[layer - 1]
        d_w[layer] = (dz @ a_prev.T) / m
        d_b[layer] = np.sum(dz, axis=1, keepdims=True) / m
        da_prev = net.weights[layer].T @ dz
        dz = da_prev * (zs[layer - 1] > 0)
    d_b[0] = np.sum(dz, axis=1, keepdims=True) / m
    return dz, d_w, d_b


def gradients(net: Network, x: np.ndarray, y: np.ndarray) -> tuple[list, list, float]:
    """Full gradients ``(dW, db, cost)`` at ``net`` for inputs ``x`` (n_x, m), labels ``y``."""
    al, cache = forward(net, x)
    dz1, d_w, d_b = backward_from(net, al, y, cache)
    d_w[0] = (dz1 @ x.T) / y.shape[1]
    return d_w, d_b, cost(al, y)


def input_gradient(net: Network, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The output logit and its gradient with respect to the input, for "why cat?".

    Backpropagates ``d z_L / d A0`` (not the cost: one output logit per example, so no
    labels and no ``1/m``) through the ReLU layers to the input. Training never calls
    this; :func:`backward_from` stops at the first layer's weights.

    Parameters
    ----------
    net : Network
    x : ndarray
        ``(n_x, m)`` inputs.

    Returns
    -------
    logits : ndarray
        ``(m,)``, the output pre-activation ``z_L`` (``p = sigmoid(z_L)``).
    d_x : ndarray
        ``(n_x, m)``, ``d z_L / d x`` for each example (where a ReLU sits exactly at 0
        its derivative is taken as 0, as in :func:`backward_from`).
    """
    _, (zs, _activations) = forward(net, x)
    dz = np.ones_like(zs[-1])  # d z_L / d z_L, (1, m)
    for layer in range(net.depth - 1, 0, -1):
        dz = (net.weights[layer].T @ dz) * (zs[layer - 1] > 0)
    return zs[-1][0], net.weights[0].T @ dz


def logits(net: Network, x: np.ndarray) -> np.ndarray:
    """The output pre-activation ``z_L`` for each column of ``x`` (n_x, m): shape ``(m,)``."""
    _, (zs, _activations) = forward(net, x)
    return zs[-1][0]


def predict_proba(net: Network, x: np.ndarray) -> np.ndarray:
    """Probability of "cat" for each column of ``x`` (n_x, m): shape ``(m,)``."""
    if x.shape[0] != net.sizes[0]:
        raise CatguiError(
            f"the model expects {net.sizes[0]} input values per example, got {x.shape[0]}"
        )
    al, _ = forward(net, x)
    return al[0]


def predict(net: Network, x: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """0/1 labels, shape ``(m,)``: 1 where the probability is above ``threshold``."""
    return decision.predictions(predict_proba(net, x), threshold)
