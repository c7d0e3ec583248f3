"""Full-batch gradient descent, as a generator a caller can show live and stop at will.

Two exact paths compute the same gradient descent:

``"plain"``
    The textbook loop: ``Z1 = W1 X + b1`` and ``dW1 = dZ1 X^T / m`` every iteration,
    ``O(n1 * m * n_x)`` work per iteration.
``"gram"``
    ``dW1`` always lies in the span of the training inputs, so ``W1 = W1_0 + C X^T`` with
    ``C`` of shape ``(n1, m)``. With ``G = X^T X`` and ``P0 = W1_0 X`` computed once,
    ``Z1 = P0 + C G + b1`` and the update is ``C <- C - lr * dZ1 / m``: ``O(n1 * m^2)``
    work per iteration. ``W1`` is formed only when the caller asks for the network.

Both give the same cost curve up to rounding (about 1e-13 relative on the article's
recipe; the tests hold them to 1e-9). The arrays and the fused loop live in
:mod:`catgui.core.descent` (logistic regression on the Gram path, with 0/1 labels, has a
leaner loop of its own in :mod:`catgui.core.logistic_descent`); the gradient with respect
to the input ``X`` is never formed.

Choosing the path (:func:`choose_path`, ``path="auto"``): the Gram path when

* ``2 m <= n_x``: an iteration then costs ``2 n1 m^2`` multiply-adds against
  ``4 n1 m n_x`` for the plain path, at most a quarter (1/60 for the article's 209
  images), and building ``G`` (``m^2 n_x``) is repaid within a few iterations; and
* ``G`` takes at most :data:`GRAM_MEMORY_BUDGET` bytes (``8 m^2``; 512 MiB, so
  ``m <= 8192``).

Otherwise the plain path, whose extra memory is three ``n1 x n_x`` arrays and which
never copies ``X``: 20,000 images of 64x64 then need about 2 GB for ``X`` in float64,
where ``G`` alone would need 3.2 GB. If ``X^T X`` overflows (inputs beyond ~1e150), the
run falls back to the plain path and :attr:`Trainer.path` says so.

Training stops with :class:`TrainingDiverged` when the cost becomes NaN/infinite, or
when a whole hidden layer has died (all ReLUs off for every example), which too large
a learning rate causes.

What the engine supports: full-batch gradient descent with a constant learning rate.
Mini-batches would keep the Gram trick (a batch's gradient still lies in the span of
the training inputs; one would index rows and columns of ``G``); momentum would too. An
optimiser with per-coordinate scaling such as Adam or RMSProp would not: it moves
``W1`` out of the span of the inputs, so only the plain path could run it.
"""

from __future__ import annotations

import contextvars
import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import NamedTuple

import numpy as np

from catgui.core import network as nn
from catgui.core.descent import Descent, gram_matrix
from catgui.core.errors import CatguiError, TrainingDiverged
from catgui.core.logistic_descent import LogisticDescent, binary

PATHS = ("auto", "gram", "plain")

#: How often (in iterations) the trainer checks for hidden layers that died.
DEAD_CHECK_EVERY = 10

#: Learning rates a run accepts: above the first, at most the second.
LEARNING_RATE_RANGE = (0.0, 100.0)
#: Most iterations a run accepts.
MAX_ITERATIONS = 10_000_000

#: Largest Gram matrix the automatic choice accepts (bytes).
GRAM_MEMORY_BUDGET = 512 * 1024**2


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of one run. Defaults are the article's deep network."""

    hidden: tuple[int, ...] = (20, 7, 5)
    learning_rate: float = 0.0075
    iterations: int = 2500
    seed: int = 1
    init: str = "scaled"
    path: str = "auto"

    @classmethod
    def logistic_regression(cls, **overrides) -> TrainConfig:
        """The course's logistic-regression recipe: zeros, lr 0.005, 2000 iterations."""
        values = dict(hidden=(), learning_rate=0.005, iterations=2000, init="zeros")
        values.update(overrides)
        return cls(**values)

    def validate(self) -> TrainConfig:
        """Raise :class:`CatguiError` with a reason for any value that cannot train."""
        if not (isinstance(self.learning_rate, (int, float)) and math.isfinite(self.learning_rate)):
            raise CatguiError(f"learning rate must be a number, got {self.learning_rate!r}")
        low, high = LEARNING_RATE_RANGE
        if not low < self.learning_rate <= high:
            raise CatguiError(
                f"learning rate must be above 0 and at most 100, got {self.learning_rate}"
            )
        if not isinstance(self.iterations, int) or not 1 <= self.iterations <= MAX_ITERATIONS:
            raise CatguiError(
                f"iterations must be a whole number from 1 to 10,000,000, got {self.iterations!r}"
            )
        if any((not isinstance(n, int)) or n < 1 or n > 100_000 for n in self.hidden):
            raise CatguiError(
                f"hidden layer sizes must be whole numbers from 1 to 100,000, got {list(self.hidden)}"
            )
        if not isinstance(self.seed, int) or not 0 <= self.seed < 2**32:
            raise CatguiError(f"seed must be a whole number from 0 to 2**32-1, got {self.seed!r}")
        if self.init not in nn.INIT_SCHEMES:
            raise CatguiError(f"unknown initialisation {self.init!r}")
        if self.path not in PATHS:
            raise CatguiError(f"unknown training path {self.path!r}; choose one of {PATHS}")
        return self

    def as_dict(self) -> dict:
        d = asdict(self)
        d["hidden"] = list(self.hidden)
        return d


class Progress(NamedTuple):
    """One step of a run: ``cost`` is the cost *before* update ``iteration`` (0-based).

    A named tuple: one is made per iteration, and a frozen dataclass costs several times
    as much to create, which logistic regression's iterations (~15 us) would notice.
    """

    iteration: int
    cost: float
    total: int


def parse_hidden(text: str) -> tuple[int, ...]:
    """``"20,7,5"`` -> ``(20, 7, 5)``; ``""`` -> ``()`` (logistic regression)."""
    text = text.strip()
    if not text:
        return ()
    try:
        sizes = tuple(int(part) for part in text.replace(" ", "").split(","))
    except ValueError:
        raise CatguiError(
            f"hidden layers must be whole numbers separated by commas, like 20,7,5; got {text!r}"
        ) from None
    if any(n < 1 for n in sizes):
        raise CatguiError(f"every hidden layer needs at least one unit, got {text!r}")
    return sizes


def training_arrays(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Check inputs ``x`` (n_x, m) and labels ``y`` (1, m); return both as float64."""
    if x.ndim != 2 or y.shape != (1, x.shape[1]):
        raise CatguiError(f"inputs {x.shape} and labels {y.shape} do not match")
    if x.shape[1] == 0:
        raise CatguiError("there are no training examples")
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


def choose_path(n_x: int, m: int, requested: str = "auto") -> str:
    """The path a run of ``m`` examples of ``n_x`` features takes."""
    if requested != "auto":
        return requested
    if 2 * m <= n_x and m * m * 8 <= GRAM_MEMORY_BUDGET:
        return "gram"
    return "plain"


class Trainer:
    """Gradient descent on ``x`` (shape ``(n_x, m)``, floats) and ``y`` (shape ``(1, m)``).

    Iterate :meth:`steps` to train; stop whenever you like. :meth:`network` returns the
    parameters reached so far (after the last completed update). If the cost becomes NaN
    or infinite, :meth:`steps` raises :class:`TrainingDiverged` and :meth:`network` keeps
    the last parameters whose cost was finite.

    The starting parameters (``_weights``, ``_biases``) are turned into the preallocated
    arrays of :class:`~catgui.core.descent.Descent` on the first step, so the Gram matrix
    is computed there, not here.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, config: TrainConfig) -> None:
        self.config = config.validate()
        self.x, self.y = training_arrays(x, y)
        n_x, m = self.x.shape
        self.path = choose_path(n_x, m, config.path)
        start = nn.initialize((n_x, *config.hidden, 1), config.seed, config.init)
        self._weights = list(start.weights)
        self._biases = list(start.biases)
        self._descent: Descent | LogisticDescent | None = None
        self._quiet: contextvars.Context | None = None
        self.iterations_done = 0
        self.costs: list[float] = []

    # -- public -----------------------------------------------------------------------------
    def steps(self) -> Iterator[Progress]:
        """Run the remaining iterations, yielding after each update."""
        total = self.config.iterations
        lr = self.config.learning_rate
        descent = self._engine()
        quiet = self._quiet
        run, cost, update = quiet.run, descent.cost, descent.update
        isfinite, append = math.isfinite, self.costs.append
        while self.iterations_done < total:
            i = self.iterations_done
            value = run(cost)
            if not isfinite(value):
                if descent.roll_back():  # back to the last finite cost
                    self.iterations_done = i - 1
                    self.costs.pop()
                raise TrainingDiverged(
                    f"training diverged at iteration {i}: the cost became {value}. "
                    f"The last finite parameters are kept; try a smaller learning rate "
                    f"than {lr}.",
                    iteration=i,
                )
            if i % DEAD_CHECK_EVERY == 0:
                self._check_alive(descent, i)
            run(update)
            append(value)
            self.iterations_done = i + 1
            yield Progress(i, value, total)

    def _engine(self) -> Descent | LogisticDescent:
        if self._descent is None:
            # The engine runs in a context of its own whose NumPy error state ignores
            # floating-point warnings (a diverging run overflows on purpose and is caught
            # by the cost), whatever the caller's state: set once here, where entering
            # np.errstate twice per iteration would cost more than a logistic-regression
            # iteration's arithmetic.
            self._quiet = contextvars.copy_context()
            self._quiet.run(np.seterr, all="ignore")
            self._descent = self._quiet.run(self._new_engine)
            self.path = self._descent.path
        return self._descent

    def _new_engine(self) -> Descent | LogisticDescent:
        lr = self.config.learning_rate
        if self.path == "gram" and not self.config.hidden and binary(self.y):
            gram = gram_matrix(self.x)
            if gram is not None:
                return LogisticDescent(self.x, self.y, self._weights[0], self._biases[0], lr, gram)
            self.path = "plain"  # X^T X overflows
        return Descent(self.x, self.y, self._weights, self._biases, lr, self.path)

    def _check_alive(self, descent: Descent | LogisticDescent, i: int) -> None:
        """Stop if a hidden layer is all zero for every example: it can never learn again."""
        layer = descent.dead_layer()
        if layer is not None:
            raise TrainingDiverged(
                f"training stopped at iteration {i}: every unit of hidden layer {layer} "
                f"is zero for every training picture, so the network can no longer "
                f"learn. This usually means the learning rate ({self.config.learning_rate}) "
                f"is too large; try a smaller one (the article uses 0.0075).",
                iteration=i,
                reason=TrainingDiverged.DEAD_LAYER,
            )

    def run(self) -> nn.Network:
        """Train to the end without watching; return the network."""
        for _ in self.steps():
            pass
        return self.network()

    def network(self) -> nn.Network:
        """The parameters after the last completed update (a fresh copy)."""
        if self._descent is None:
            return nn.Network([w.copy() for w in self._weights], [b.copy() for b in self._biases])
        return self._descent.network()


def train(x: np.ndarray, y: np.ndarray, config: TrainConfig) -> tuple[nn.Network, list[float]]:
    """Convenience: train to the end, return ``(network, costs)``."""
    trainer = Trainer(x, y, config)
    net = trainer.run()
    return net, trainer.costs
