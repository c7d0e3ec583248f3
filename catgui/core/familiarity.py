"""Unlike anything I was trained on? how close a picture is to the training pictures.

A model on backbone features keeps a small reference of its training pictures. Their
pooled features are scaled to unit length (so distances compare directions, as cosine
distance does), centred, and kept as their first :data:`COMPONENTS` principal
coordinates plus the squared length of what those leave out. The distance between a
picture and a training picture is then ``|coordinates apart|^2 + residual^2 +
residual'^2`` (the residuals of two pictures are nearly orthogonal in 1,280 dimensions),
and a picture's distance to the training set is the mean over its :data:`NEIGHBOURS`
nearest training pictures. The reference also keeps each training picture's own
distance to the others (leave-one-out); a new picture's familiarity is the share of those
at least as large as its distance: spread over [0, 1] for pictures like the training
ones, 0 for one farther from them than any training picture is from the rest.

One backbone pass: familiarity reads the same features as P(cat), those of the picture's
224 crop (issue 17). Which reference makes that meaningful was decided by measurement
(``benchmarks/familiarity_eval.py``; the share flagged below :data:`UNFAMILIAR_BELOW`):

=====================================================  ======  ========  ========  =======
reference (compared through)                           2,000   held-out  article   foreign
                                                       photos  1,000     50 test   (44)
=====================================================  ======  ========  ========  =======
A  article's 209, 64x64 squares (before: 2 passes)     15.8 %  15.2 %    0 %       82.5 %
B  article's 209, 224 inputs, their own leave-one-out  48.1 %  48.2 %    0 %       95.0 %
C  B ranked against photos 1-500's distances            2.5 %   3.0 %    0 %       27.5 %
D  209 + photos 1-500 of each class, 224, own LOO       0.1 %   0.1 %    2 %       100 %
E  photos 1-500 of each class only, own LOO             1.9 %   2.8 %    38 %      100 %
F  ImageNet's max softmax, ranked against 1-500         1.8 %   1.7 %    14 %      47.5 %
=====================================================  ======  ========  ========  =======

(Foreign: noise, flat colours, gradients, text and window screenshots, line drawings.)
The article's pictures are blurry 64x64 squares, so full-size photos look foreign beside
them (B); ranking against real photos alone (C) forgives everything that is far away,
noise included; photos alone (E) find the article's own test pictures foreign. D, the
training pictures and real photos side by side, flags 1 of the 1,000 held-out photos
(numbers 501-1000) and every foreign picture, and its familiarity goes with the models'
mistakes on the held-out photos (median 0.27 for the shipped pretrained model's mistakes
against 0.51 for its right answers; zero-shot 0.19 against 0.48). The shipped backbone models keep D
(``make pretrained-model`` / ``make first-model`` write it; their heads are untouched).

A model trained here keeps a reference of its own training pictures (:func:`fit`, at
their side: the data sets' 64x64 squares). Such a reference still compares a new
picture through its 64x64 square (a second input, run beside the crop in the same call
of the backbone), because B shows what comparing the crop against blurry pictures does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

# Below this familiarity a picture is "unlike anything I was trained on": the threshold
# lives with the other decision thresholds, in a module that lists without NumPy
from catgui.core.decision import UNFAMILIAR_BELOW  # noqa: F401

#: Principal coordinates kept per training picture.
COMPONENTS = 32
#: Training pictures a distance averages over.
NEIGHBOURS = 5
_NAMES = ("mean", "components", "points", "residuals", "loo")


@dataclass(frozen=True)
class Reference:
    mean: np.ndarray  # (d,) mean of the unit-length training features
    components: np.ndarray  # (d, k)
    points: np.ndarray  # (n, k) the training pictures' coordinates
    residuals: np.ndarray  # (n,) squared length of what the coordinates leave out
    loo: np.ndarray  # (n,) sorted: each training picture's distance to the others
    #: Side of the squares the training pictures came from (64: the data sets' pictures,
    #: upscaled for the backbone); a new picture is compared at the same detail.
    source_size: int = 64

    def _coordinates(self, pooled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # z = x / |x| - mean, without making z: z . C = (x . C) / |x| - mean . C and
        # |z|^2 = |u|^2 - 2 (x . mean) / |x| + |mean|^2 (one product of (m, d) by (d, k + 1)
        # instead of three passes over (m, d); a library re-scores 100,000 rows by it)
        x = np.asarray(pooled, dtype=np.float64)
        norms = np.sqrt(np.einsum("ij,ij->i", x, x))
        unit = (norms > 1e-12).astype(np.float64)  # |u|^2: 1, or 0 for an all-zero row
        scale = 1.0 / np.maximum(norms, 1e-12)
        both = (x @ np.column_stack([self.components, self.mean])) * scale[:, None]
        coords = both[:, :-1] - self.mean @ self.components
        zz = unit - 2.0 * both[:, -1] + float(self.mean @ self.mean)
        return coords, np.maximum(zz - (coords * coords).sum(axis=1), 0.0)

    def distances(self, pooled: np.ndarray) -> np.ndarray:
        """Each picture's distance to the training set: ``(m,)``."""
        coords, residuals = self._coordinates(pooled)
        return _distances(coords, residuals, self.points, self.residuals, exclude_self=False)

    def score(self, pooled: np.ndarray) -> np.ndarray:
        """Familiarity in [0, 1] of each picture: ``(m,)``."""
        at_least = len(self.loo) - np.searchsorted(self.loo, self.distances(pooled), side="left")
        return at_least / len(self.loo)

    def arrays(self, prefix: str = "familiarity_") -> dict[str, np.ndarray]:
        """For a model file: the directions and coordinates in float16 (half the size;
        far more precise than the distances need), the rest in float32."""
        small = {"components", "points"}
        arrays = {
            prefix + name: getattr(self, name).astype(np.float16 if name in small else np.float32)
            for name in _NAMES
        }
        arrays[prefix + "source_size"] = np.array([self.source_size], dtype=np.int64)
        return arrays


def fit(pooled: np.ndarray, source_size: int = 64, components: int = COMPONENTS) -> Reference:
    """The reference of training pictures' pooled features ``(n, d)``, ``n >= 2``, made
    from squares of ``source_size``."""
    x = _unit(pooled)
    mean = x.mean(axis=0)
    z = x - mean
    k = max(1, min(components, *z.shape))
    _, _, vt = np.linalg.svd(z, full_matrices=False)
    comps = vt[:k].T
    points = z @ comps
    residuals = np.maximum((z * z).sum(axis=1) - (points * points).sum(axis=1), 0.0)
    loo = np.sort(_distances(points, residuals, points, residuals, exclude_self=True))
    return Reference(mean, comps, points, residuals, loo, int(source_size))


def calibrated(reference: Reference, pooled: np.ndarray) -> Reference:
    """``reference`` ranking new pictures against held-out pictures' distances ``(n, d)``
    (``n >= 2``) instead of its training pictures' own (leave-one-out), and compared
    through the backbone's 224 input."""
    loo = np.sort(reference.distances(pooled))
    return Reference(
        reference.mean, reference.components, reference.points, reference.residuals, loo, 224
    )


def from_arrays(arrays: Mapping[str, np.ndarray], prefix: str = "familiarity_") -> Reference | None:
    """The reference a model file stores, or ``None`` if it has none (or a broken one)."""
    if not all(prefix + name in arrays for name in _NAMES):
        return None
    mean, comps, points, residuals, loo = (
        np.asarray(arrays[prefix + name], dtype=np.float64) for name in _NAMES
    )
    if not (
        comps.ndim == 2
        and mean.shape == (comps.shape[0],)
        and points.ndim == 2
        and points.shape[1] == comps.shape[1]
        and residuals.shape == loo.shape == (points.shape[0],)
        and len(loo) >= 2
        and all(np.all(np.isfinite(a)) for a in (mean, comps, points, residuals, loo))
    ):
        return None
    size = arrays.get(prefix + "source_size")
    source = int(np.asarray(size).reshape(-1)[0]) if size is not None and np.size(size) else 64
    return Reference(mean, comps, points, residuals, np.sort(loo), source)


def _unit(pooled: np.ndarray) -> np.ndarray:
    x = np.asarray(pooled, dtype=np.float64)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def _distances(coords, residuals, points, point_residuals, exclude_self: bool) -> np.ndarray:
    squared = (
        (coords * coords).sum(axis=1)[:, None]
        + (points * points).sum(axis=1)[None, :]
        - 2.0 * coords @ points.T
    )
    squared = np.maximum(squared, 0.0) + residuals[:, None] + point_residuals[None, :]
    if exclude_self:
        np.fill_diagonal(squared, np.inf)
    k = max(1, min(NEIGHBOURS, points.shape[0] - (1 if exclude_self else 0)))
    nearest = np.partition(squared, k - 1, axis=1)[:, :k]
    return np.sqrt(nearest).mean(axis=1)
