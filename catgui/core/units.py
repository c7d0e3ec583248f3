"""The first layer's units as pictures: each row of ``W1`` seen as a 64x64 RGB square.

A unit of the first layer weighs each of the 12288 values of a picture (row-major: row,
column, channel, as :func:`catgui.core.pictures.to_features`), so its weights can be shown
as a picture of the same shape.

The mapping, per unit: mid grey (127.5, rounded) is a weight of 0; the weight of largest
magnitude in that unit reaches 0 (negative) or 255 (positive), and every other weight is
scaled linearly in between (``127.5 + 127.5 * w / max|w|``). Each unit has its own scale,
so a unit with small weights is as visible as one with large weights; a unit of all-zero
weights is plain grey.
"""

from __future__ import annotations

import numpy as np

from catgui.core import images
from catgui.core.network import Network

SIDE = images.SIZE
#: The values a first-layer unit reads: 64 x 64 x 3.
INPUTS = SIDE * SIDE * 3


def unit_pictures(w1: np.ndarray) -> np.ndarray:
    """``(n1, 12288)`` weights -> ``(n1, 64, 64, 3)`` uint8, each row scaled around 0.

    See the module's docstring for the mapping.
    """
    w = np.asarray(w1, dtype=np.float64)
    if w.ndim != 2 or w.shape[1] != INPUTS:
        raise ValueError(f"first-layer weights must be (n1, {INPUTS}), not {w.shape}")
    w = np.where(np.isfinite(w), w, 0.0)  # a diverging run: its non-finite weights grey
    peak = np.max(np.abs(w), axis=1, keepdims=True)
    peak[peak == 0] = 1.0
    picture = 127.5 + 127.5 * w / peak
    return np.clip(np.rint(picture), 0, 255).astype(np.uint8).reshape(-1, SIDE, SIDE, 3)


def first_layer_pictures(network: Network) -> np.ndarray:
    """The units of ``network``'s first layer as ``(n1, 64, 64, 3)`` uint8 pictures."""
    return unit_pictures(network.weights[0])
