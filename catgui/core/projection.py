"""A 2-D map of pictures from their backbone features: principal component analysis.

The features ``(n, d)`` are centred and projected on the two directions of largest spread
(the top eigenvectors of the ``(d, d)`` covariance, by NumPy's SVD of it: ``d^2 n`` work
once, then a ``(n, d) @ (d, 2)`` product), so 100,000 pictures of 1,280 features need no
``n x n`` matrix. Pictures that look alike land close together; the two axes are the
strongest contrasts of the collection (for photos of cats and dogs: mostly cat against
dog). Each axis is signed so its largest loading is positive: the same features give the
same map on every run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Rows of the covariance accumulated at a time (bounds the float64 copies).
CHUNK = 8192


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


def fit(features: np.ndarray) -> Projection:
    """The two principal axes of ``(n, d)`` features (``n >= 1``)."""
    x = np.asarray(features)
    if x.ndim != 2 or len(x) == 0:
        raise ValueError(f"features must be (n, d) with n >= 1, got shape {x.shape}")
    n, d = x.shape
    mean = x.mean(axis=0, dtype=np.float64)
    cov = np.zeros((d, d), dtype=np.float64)
    for at in range(0, n, CHUNK):
        part = x[at : at + CHUNK].astype(np.float64) - mean
        cov += part.T @ part
    cov /= max(1, n - 1)
    u, s, _ = np.linalg.svd(cov, hermitian=True)
    axes = u[:, :2]
    if axes.shape[1] < 2:  # one feature: a line
        axes = np.concatenate([axes, np.zeros((d, 2 - axes.shape[1]))], axis=1)
    signs = np.sign(axes[np.abs(axes).argmax(axis=0), np.arange(2)])
    axes = axes * np.where(signs == 0, 1.0, signs)
    total = float(s.sum())
    explained = s[:2] / total if total > 0 else np.zeros(2)
    explained = np.pad(explained, (0, 2 - len(explained)))
    return Projection(mean, axes, explained)


def map_points(features: np.ndarray) -> np.ndarray:
    """The 2-D map ``(n, 2)`` float32 of ``(n, d)`` features (empty in, empty out)."""
    x = np.asarray(features)
    if len(x) == 0:
        return np.empty((0, 2), dtype=np.float32)
    return fit(x).apply(x)
