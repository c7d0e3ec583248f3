"""The article's fully connected networks as ONNX: ``(N, 64, 64, 3)`` pixels -> the logit.

Scaling and flattening happen in the graph exactly as catgui does them (``x / 255``, the
row-major ``(row, column, channel)`` order of ``x.reshape(m, -1)``), then one ``Gemm``
per layer with ``Relu`` between them. The weights are float32.
"""

from __future__ import annotations

import numpy as np

from catgui.core.network import Network
from catgui.core.onnx_graph.graph import Graph


def logit(graph: Graph, network: Network, pixels: str) -> str:
    """The output layer's value before the sigmoid, ``(N, 1)``, of float32 ``pixels``."""
    h = graph.op("Reshape", pixels, graph.shape("flat", (-1, network.sizes[0])))
    h = graph.op("Div", h, graph.constant("max_pixel", 255.0))
    last = network.depth - 1
    for i, (w, b) in enumerate(zip(network.weights, network.biases)):
        h = graph.op(
            "Gemm",
            h,
            graph.constant(f"W{i + 1}", w),
            graph.constant(f"b{i + 1}", np.reshape(b, -1)),
            transB=1,
        )
        if i < last:
            h = graph.op("Relu", h)
    return h
