"""The pretrained kinds' heads as ONNX, computed in float64 as catgui computes them.

``linear``: the features a head reads (pooled, ImageNet logits or both), standardised
with the training pictures' mean and spread, times the weights, plus the bias.
``cat_mass``: the zero-shot kind's calibrated log-odds of the softmax mass on ImageNet's
cat classes.
"""

from __future__ import annotations

import numpy as np

from catgui.core.head import Head
from catgui.core.onnx_graph.graph import Graph


def _double(graph: Graph, x: str) -> str:
    return graph.op("Cast", x, to=graph.onnx.TensorProto.DOUBLE)


def linear(graph: Graph, head: Head, pooled: str, logits: str) -> str:
    """The head's logit, ``(N, 1)`` float64."""
    g = graph
    if head.representation == "pooled":
        x = pooled
    elif head.representation == "logits":
        x = logits
    else:
        x = g.op("Concat", pooled, logits, axis=1)
    x = g.op("Sub", _double(g, x), g.constant("feature_mean", head.mean, np.float64))
    x = g.op("Div", x, g.constant("feature_scale", head.scale, np.float64))
    w = g.constant("head_w", np.reshape(head.weights, (-1, 1)), np.float64)
    return g.op("Gemm", x, w, g.constant("head_b", [head.bias], np.float64))


def cat_mass(
    graph: Graph, logits: str, classes: tuple[int, ...], slope: float, offset: float
) -> str:
    """``slope * logit(mass) + offset``, ``(N, 1)`` float64, the mass clipped to
    ``[1e-12, 1 - 1e-12]`` like catgui's."""
    g = graph
    softmax = g.op("Softmax", _double(g, logits), axis=1)
    picked = g.op("Gather", softmax, g.constant("cat_classes", list(classes), np.int64), axis=1)
    mass = g.op("ReduceSum", picked, g.constant("sum_axis", [1], np.int64), keepdims=1)
    mass = g.op(
        "Clip",
        mass,
        g.constant("mass_min", 1e-12, np.float64),
        g.constant("mass_max", 1 - 1e-12, np.float64),
    )
    rest = g.op("Sub", g.constant("one", 1.0, np.float64), mass)
    log_odds = g.op("Sub", g.op("Log", mass), g.op("Log", rest))
    scaled = g.op("Mul", log_odds, g.constant("slope", slope, np.float64))
    return g.op("Add", scaled, g.constant("offset", offset, np.float64))
