"""A 2-D map of pictures from their backbone features: principal component analysis.

The features ``(n, d)`` are centred and projected on the two directions of largest spread
(their top right singular vectors, by a randomised SVD: :func:`fit`), so 100,000 pictures
of 1,280 features need no ``n x n`` nor ``d x d`` decomposition. Pictures that look alike land close together; the two axes are the
strongest contrasts of the collection (for photos of cats and dogs: mostly cat against
dog). Each axis is signed so its largest loading is positive: the same features give the
same map on every run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Rows the axes are fitted on at most (evenly spaced through the collection).
SAMPLE = 8192
#: Directions the randomised SVD keeps, and its power iterations.
RANK = 16
POWER_ITERATIONS = 4


@dataclass(frozen=True)
class Projection:
    """``mean (d,)`` and ``axes (d, 2)``: a point is ``(features - mean) @ axes``;
    ``explained (2,)``: the share of the total variance along each axis."""

    mean: np.ndarray
    axes: np.ndarray
    explained: np.ndarray

    def apply(self, features: np.ndarray) -> np.ndarray:
        """Points ``(n, 2)`` float32 of features ``(n, d)``."""
        x = np.asarray(features, dtype=np.float32)
        return ((x - self.mean.astype(np.float32)) @ self.axes.astype(np.float32)).astype(
            np.float32
        )


def fit(features: np.ndarray, seed: int = 0) -> Projection:
    """The two principal axes of ``(n, d)`` features (``n >= 1``; more than
    :data:`SAMPLE` rows: fitted on that many, evenly spaced).

    A randomised SVD (Halko, Martinsson and Tropp 2011, algorithm 4.4): the centred
    features times a random ``(d, k)`` block, sharpened by a few power iterations, give an
    ``(n, k)`` basis of their largest directions; NumPy's SVD of the small ``(k, d)``
    product of that basis with the features gives the axes (``k = 16``), at a few
    hundredths of the full decomposition's cost (a full SVD of the ``(1280, 1280)`` covariance: 1.5-2 s on 2 busy cores). The
    centring is never written out: ``(X - 1 m) W = X W - 1 (m W)``.
    """
    x = np.asarray(features, dtype=np.float32)
    if x.ndim != 2 or len(x) == 0:
        raise ValueError(f"features must be (n, d) with n >= 1, got shape {x.shape}")
    if len(x) > SAMPLE:  # evenly spaced rows: the axes of a large collection, at a fraction
        x = x[np.linspace(0, len(x) - 1, SAMPLE).astype(np.int64)]
    n, d = x.shape
    mean = x.mean(axis=0, dtype=np.float64).astype(np.float32)
    k = min(RANK, n, d)
    rng = np.random.default_rng(seed)

    def times(w: np.ndarray) -> np.ndarray:  # centred features @ w: (n, k)
        return x @ w - mean @ w

    def transposed_times(q: np.ndarray) -> np.ndarray:  # centred features.T @ q: (d, k)
        return x.T @ q - np.outer(mean, q.sum(axis=0))

    q, _ = np.linalg.qr(times(rng.standard_normal((d, k)).astype(np.float32)))
    for _ in range(POWER_ITERATIONS):
        w, _ = np.linalg.qr(transposed_times(q))
        q, _ = np.linalg.qr(times(w))
    small = transposed_times(q).T.astype(np.float64)  # (k, d)
    _, s, vt = np.linalg.svd(small, full_matrices=False)
    axes = np.zeros((d, 2))
    axes[:, : min(2, len(vt))] = vt[:2].T
    signs = np.sign(axes[np.abs(axes).argmax(axis=0), np.arange(2)])
    axes = axes * np.where(signs == 0, 1.0, signs)
    total = float(np.vdot(x, x)) - n * float(mean @ mean)  # the spread about the mean
    variances = np.pad(np.square(s[:2]), (0, max(0, 2 - len(s[:2]))))
    explained = variances / total if total > 0 else np.zeros(2)
    return Projection(mean.astype(np.float64), axes, explained)


def map_points(features: np.ndarray) -> np.ndarray:
    """The 2-D map ``(n, 2)`` float32 of ``(n, d)`` features (empty in, empty out)."""
    x = np.asarray(features)
    if len(x) == 0:
        return np.empty((0, 2), dtype=np.float32)
    return fit(x).apply(x)
