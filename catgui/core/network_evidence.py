"""Why cat? for the article's fully connected networks, on the 64x64 square's 12288 values.

Every map is a ``(64, 64)`` grid over the square, positive towards cat (see
:mod:`catgui.core.heatmap`), in units of the output logit ``z_L`` (``p = sigmoid(z_L)``):

- :func:`occlusion_map` (the deep network's default): hide the picture under grey 8x8
  patches slid with a stride of 4 and see how far the logit falls. A pixel gets the mean
  fall of the patches that cover it: positive where hiding it takes evidence for cat
  away. It needs only forward passes, so it measures what the network does with a whole
  region, ReLUs and all.
- :func:`gradient_map`: ``d z_L / d x`` summed over the three colour channels (``x`` is
  pixel / 255): positive where brightening the pixel pushes towards cat. A local,
  first-order view; noisy for a deep network.
- :func:`contribution_map` (logistic regression's default): ``w . x`` summed per pixel,
  times the 4096 pixels, plus the bias, so the grid's mean is exactly the logit (as the
  pretrained kinds' class activation maps).
- :func:`template_picture`: logistic regression's weight vector drawn as a 64x64 RGB
  picture, the "cat template" it matches every picture against.

The logit rather than ``p`` is explained: ``p``'s gradient is the logit's times
``p (1 - p)``, which vanishes on any confident verdict.
"""

from __future__ import annotations

import numpy as np

from catgui.core import images, pictures
from catgui.core import network as nn
from catgui.core.errors import CatguiError
from catgui.core.network import Network

SIDE = images.SIZE
#: Occlusion: the patch's side and stride in pixels, and its value (mid grey, in [0, 1]).
PATCH, STRIDE, GREY = 8, 4, 0.5


def features(square: np.ndarray) -> np.ndarray:
    """One ``(64, 64, 3)`` uint8 square as the network reads it: ``(12288, 1)`` in [0, 1]."""
    return pictures.to_features(pictures.as_batch(square, SIDE))


def gradient_map(net: Network, square: np.ndarray) -> np.ndarray:
    """``d z_L / d x`` of one square, summed over the colour channels: ``(64, 64)``."""
    _, d_x = nn.input_gradient(net, features(square))
    return d_x[:, 0].reshape(SIDE, SIDE, 3).sum(axis=2)


def occlusion_map(
    net: Network, square: np.ndarray, patch: int = PATCH, stride: int = STRIDE
) -> np.ndarray:
    """How far the logit falls when grey ``patch`` x ``patch`` squares hide each pixel: ``(64, 64)``.

    Patches start every ``stride`` pixels (and one more flush with the far edge when the
    stride does not reach it), so every pixel is covered; its value is the mean, over
    the patches that cover it, of ``z_L(square) - z_L(square with the patch grey)``.
    """
    x = features(square)[:, 0].reshape(SIDE, SIDE, 3)
    starts = sorted(set(range(0, SIDE - patch + 1, stride)) | {SIDE - patch})
    corners = [(r, c) for r in starts for c in starts]
    hidden = np.repeat(x[np.newaxis], len(corners), axis=0)
    for k, (r, c) in enumerate(corners):
        hidden[k, r : r + patch, c : c + patch] = GREY
    batch = np.concatenate([x[np.newaxis], hidden]).reshape(len(corners) + 1, -1).T
    z = nn.logits(net, batch)
    falls = z[0] - z[1:]
    total = np.zeros((SIDE, SIDE))
    count = np.zeros((SIDE, SIDE))
    for fall, (r, c) in zip(falls, corners):
        total[r : r + patch, c : c + patch] += fall
        count[r : r + patch, c : c + patch] += 1
    return total / count


def _single_layer(net: Network) -> tuple[np.ndarray, float]:
    if net.depth != 1:
        raise CatguiError("only a network with no hidden layer is one weight vector")
    return net.weights[0][0], float(net.biases[0][0, 0])


def contribution_map(net: Network, square: np.ndarray) -> np.ndarray:
    """Logistic regression's exact evidence: ``(64, 64)`` whose mean is the logit.

    Pixel ``(i, j)`` holds ``4096 * sum_c w[i, j, c] x[i, j, c] + b``: its share of
    ``w . x`` scaled by the number of pixels, with the bias spread evenly.
    """
    w, b = _single_layer(net)
    x = features(square)[:, 0]
    per_pixel = (w * x).reshape(SIDE, SIDE, 3).sum(axis=2)
    return per_pixel * (SIDE * SIDE) + b


def template_weights(net: Network) -> np.ndarray:
    """Logistic regression's weights summed over the colour channels: ``(64, 64)``.

    The same for every picture (and equal to :func:`gradient_map` of any picture).
    """
    w, _ = _single_layer(net)
    return w.reshape(SIDE, SIDE, 3).sum(axis=2)


def template_picture(net: Network) -> np.ndarray:
    """Logistic regression's weight vector as a ``(64, 64, 3)`` uint8 picture.

    Mid grey is a weight of 0; a channel brighter than grey is one whose brightness pushes
    towards cat, darker away, scaled so the largest weight in magnitude reaches 0 or 255.
    """
    w, _ = _single_layer(net)
    peak = float(np.max(np.abs(w))) or 1.0
    picture = 127.5 + 127.5 * w.reshape(SIDE, SIDE, 3) / peak
    return np.clip(np.rint(picture), 0, 255).astype(np.uint8)
