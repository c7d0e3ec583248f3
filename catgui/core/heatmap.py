"""Why cat? where in a picture the evidence for (and against) "cat" lies.

A classifier that can say (:meth:`~catgui.core.classifier.Classifier.evidence`) gives a
small grid of numbers over the picture, positive where the picture pushes the verdict
towards cat and negative where it pushes away. For the pretrained kinds this is a class
activation map (its mean is the model's logit): their head is linear in the pooled
features, so it applies to the backbone's 7x7 map before pooling. The article's networks
give 64x64 grids (:mod:`catgui.core.network_evidence`). This module turns such
a grid into a picture: red over cat evidence, blue over evidence against, faint where
there is little of either.
"""

from __future__ import annotations

import numpy as np

#: Colours of the overlay: evidence for cat, and against.
FOR_CAT = np.array([230.0, 40.0, 30.0])
AGAINST = np.array([30.0, 90.0, 230.0])
#: Opacity of the strongest evidence.
MAX_ALPHA = 0.6


def upsample(grid: np.ndarray, size: int) -> np.ndarray:
    """A ``(g, g)`` grid smoothly enlarged to ``(size, size)`` (bilinear, cell centres aligned)."""
    g = grid.shape[0]
    centres = (np.arange(size) + 0.5) * g / size - 0.5
    i0 = np.clip(np.floor(centres).astype(int), 0, g - 1)
    i1 = np.clip(i0 + 1, 0, g - 1)
    t = np.clip(centres - i0, 0.0, 1.0)
    rows = grid[i0] * (1 - t)[:, None] + grid[i1] * t[:, None]
    return rows[:, i0] * (1 - t)[None, :] + rows[:, i1] * t[None, :]


def overlay(square: np.ndarray, evidence: np.ndarray) -> np.ndarray:
    """``square`` ``(s, s, 3)`` uint8 with ``evidence`` ``(g, g)`` laid over it, same shape.

    Colour and opacity follow the evidence's sign and size relative to its largest
    magnitude in this picture.
    """
    size = square.shape[0]
    grid = upsample(np.asarray(evidence, dtype=np.float64), size)
    peak = float(np.max(np.abs(grid))) or 1.0
    strength = np.clip(np.abs(grid) / peak, 0.0, 1.0)[..., None]
    colour = np.where(grid[..., None] >= 0, FOR_CAT, AGAINST)
    alpha = MAX_ALPHA * strength
    out = square.astype(np.float64) * (1 - alpha) + colour * alpha
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def rgba(evidence: np.ndarray, size: int) -> np.ndarray:
    """The overlay alone: ``(size, size, 4)`` uint8, the colours of :func:`overlay` with
    their opacity as alpha (to lay over a picture shown at any size)."""
    grid = upsample(np.asarray(evidence, dtype=np.float64), size)
    peak = float(np.max(np.abs(grid))) or 1.0
    strength = np.clip(np.abs(grid) / peak, 0.0, 1.0)
    colour = np.where(grid[..., None] >= 0, FOR_CAT, AGAINST)
    alpha = 255.0 * MAX_ALPHA * strength
    out = np.concatenate([colour, alpha[..., None]], axis=-1)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def share_for_cat(evidence: np.ndarray) -> float:
    """How much of the picture's area argues for cat (0-1), for a one-line summary."""
    return float(np.mean(np.asarray(evidence) > 0))
