"""A linear head on backbone features, fitted by catgui's own L2 logistic regression.

Features are standardised with the training pictures' mean and spread, then the
article's regularised logistic regression (:class:`~catgui.core.logistic_l2.L2LogisticTrainer`,
Newton's method) fits them. Which features (the pooled 1280, the 1000 ImageNet logits or
both) and the penalty ``C`` are chosen by stratified k-fold cross-validation on the
training pictures only, by held-out log-loss. The folds share one Gram matrix per
representation (standardised features concatenate, so "both" is the sum of the two), and
each fold's fits run from small ``C`` to large, each starting where the last ended.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field

import numpy as np

from catgui.core.backbone import Features
from catgui.core.errors import CatguiError
from catgui.core.logistic_l2 import L2Config, L2LogisticTrainer
from catgui.core.splits import stratified_folds as folds_of

__all__ = ["Head", "Candidate", "cross_validate", "fit", "folds_of", "matrix", "pooled_weights"]

REPRESENTATIONS = ("pooled", "logits", "both")
#: Penalties tried (liblinear's C: larger fits the training pictures more closely).
C_GRID = (1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0)
FOLDS = 5
#: Newton steps at most per fit (they converge in about 10).
MAX_STEPS = 50


def matrix(features: Features, representation: str) -> np.ndarray:
    """The ``(n, d)`` float64 features a representation reads."""
    if representation == "pooled":
        return features.pooled.astype(np.float64)
    if representation == "logits":
        return features.logits.astype(np.float64)
    if representation == "both":
        return np.hstack([features.pooled, features.logits]).astype(np.float64)
    raise CatguiError(f"unknown features {representation!r}; choose one of {REPRESENTATIONS}")


@dataclass(frozen=True)
class Head:
    """``P(cat) = sigmoid(((x - mean) / scale) . weights + bias)`` on one representation."""

    representation: str
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    c: float

    def decision(self, features: Features) -> np.ndarray:
        x = (matrix(features, self.representation) - self.mean) / self.scale
        return x @ self.weights + self.bias

    def probabilities(self, features: Features) -> np.ndarray:
        return 0.5 * (1.0 + np.tanh(0.5 * self.decision(features)))


def pooled_weights(fitted: Head, fc: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, float]:
    """The head as ``logit = pooled . v + c``: the logits are linear in the pooled features
    (``logits = pooled @ W + b``, ``fc = (W, b)``), so every representation is."""
    w = fitted.weights / fitted.scale
    c = fitted.bias - float(fitted.mean @ w)
    fc_w, fc_b = (a.astype(np.float64) for a in fc)
    if fitted.representation == "pooled":
        return w, c
    if fitted.representation == "logits":
        return fc_w @ w, c + float(fc_b @ w)
    wp, wl = w[: fc_w.shape[0]], w[fc_w.shape[0] :]
    return wp + fc_w @ wl, c + float(fc_b @ wl)


@dataclass(frozen=True)
class Candidate:
    """One cross-validated setting: held-out log-loss and accuracy over the folds.

    ``held_out`` is each training picture's P(cat) ``(m,)`` from the fold that held it
    out (the out-of-fold probabilities :mod:`catgui.core.suspects` ranks labels by).
    """

    representation: str
    c: float
    loss: float
    accuracy: float
    held_out: np.ndarray | None = field(default=None, compare=False, repr=False)


def standardiser(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and spread of each column (a constant column gets spread 1)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    return mean, np.where(scale > 1e-12, scale, 1.0)


def cross_validate(
    features: Features,
    y: np.ndarray,
    representations: Sequence[str] = REPRESENTATIONS,
    grid: Sequence[float] = C_GRID,
    k: int = FOLDS,
) -> Generator[Candidate, None, Candidate]:
    """Yield every (representation, C) with its held-out figures; return the best.

    The best has the lowest mean held-out log-loss (ties: the smaller C, the first
    representation). Needs at least two pictures of each class.
    """
    y = np.asarray(y).reshape(-1).astype(np.int64)
    if min(np.sum(y == 0), np.sum(y == 1)) < 2:
        raise CatguiError("cross-validation needs at least two pictures of each class")
    k = max(2, min(k, int(min(np.sum(y == 0), np.sum(y == 1)))))
    folds = folds_of(y, k)
    best: Candidate | None = None
    for representation in representations:
        with one_blas_thread():
            losses, held_out = _held_out(features, y, representation, grid, folds)
        for i, c in enumerate(sorted(grid)):
            loss = float(losses[i].mean())
            accuracy = float(np.mean(losses[i] < math.log(2)))
            candidate = Candidate(representation, c, loss, accuracy, held_out[i])
            if best is None or loss < best.loss - 1e-12:
                best = candidate
            yield candidate
    assert best is not None
    return best


def _held_out(features, y, representation, grid, folds) -> tuple[np.ndarray, np.ndarray]:
    """Held-out log-loss and P(cat) ``(len(grid), m)`` of every picture, per C."""
    x = matrix(features, representation)
    mean, scale = standardiser(x)
    xs = (x - mean) / scale
    gram = xs @ xs.T
    losses = np.zeros((len(grid), len(y)))
    held_out = np.zeros((len(grid), len(y)))
    for held in folds:
        train = np.setdiff1d(np.arange(len(y)), held)
        start = None
        for i, c in enumerate(sorted(grid)):
            trainer = _fit(xs[train], y[train], c, gram[np.ix_(train, train)], start)
            start = trainer.coefficients
            z = gram[np.ix_(held, train)] @ start + start.sum()
            losses[i, held] = np.logaddexp(0.0, -np.where(y[held] == 1, z, -z))
            held_out[i, held] = 0.5 * (1.0 + np.tanh(0.5 * z))
    return losses, held_out


def fit(features: Features, y: np.ndarray, representation: str, c: float) -> Head:
    """The head of ``representation`` and penalty ``c`` on all the training pictures."""
    x = matrix(features, representation)
    mean, scale = standardiser(x)
    xs = (x - mean) / scale
    y = np.asarray(y).reshape(-1).astype(np.int64)
    with one_blas_thread():
        trainer = _fit(xs, y, c, xs @ xs.T, None)
    a = trainer.coefficients
    return Head(representation, mean, scale, xs.T @ a, float(a.sum()), float(c))


def one_blas_thread():
    """BLAS on one thread for the Newton steps' small solves: on this shared 2-core
    machine OpenBLAS's threads made a retrain's head fit 7-50x slower (14-94 s against
    1.9 s at load 10; ``benchmarks/bench_retrain.py``) and took the window's core."""
    from catgui.core import parallel

    return parallel.one_blas_thread()


def _fit(xs, y, c, gram, start) -> L2LogisticTrainer:
    trainer = L2LogisticTrainer(
        xs.T, y.reshape(1, -1).astype(np.float64), L2Config(c=c, iterations=MAX_STEPS), gram, start
    )
    for _ in trainer.steps():
        pass
    return trainer
