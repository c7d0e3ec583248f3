"""EfficientNet-Lite0 as ONNX: ``(N, 224, 224, 3)`` pixels -> pooled features and logits.

The same network as :mod:`catgui.core.backbone.efficientnet`, from the same folded
weights: the pixels normalised as ``(x - 127) / 128`` and turned channels-first, a
stride-2 3x3 stem, the 16 MBConv blocks (1x1 ``Conv``, depthwise ``Conv`` with one group
per channel, 1x1 ``Conv``, ``Add`` for the skip), ReLU6 as ``Clip(0, 6)``, the 1x1 head
convolution, ``GlobalAveragePool`` and the ImageNet ``Gemm``. TensorFlow's "SAME" padding
is written out as each convolution's explicit ``pads`` (the odd pixel after).
"""

from __future__ import annotations

import numpy as np

from catgui.core.backbone import efficientnet
from catgui.core.onnx_graph.graph import Graph


class _Builder:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.low = graph.constant("relu6_min", 0.0)
        self.high = graph.constant("relu6_max", 6.0)
        self.size = efficientnet.INPUT_SIZE

    def relu6(self, x: str) -> str:
        return self.g.op("Clip", x, self.low, self.high)

    def conv(self, x: str, w: np.ndarray, b: np.ndarray, stride: int = 1, group: int = 1) -> str:
        """``w`` as ONNX wants it, ``(out, in / group, k, k)``; keeps track of the side."""
        k = w.shape[2]
        before, after, out = efficientnet.same_padding(self.size, k, stride)
        self.size = out
        return self.g.op(
            "Conv",
            x,
            self.g.constant("conv_w", w),
            self.g.constant("conv_b", b),
            kernel_shape=[k, k],
            strides=[stride, stride],
            pads=[before, before, after, after],
            group=group,
        )

    def pointwise(self, x: str, pair: tuple[np.ndarray, np.ndarray]) -> str:
        w, b = pair  # (c_in, c_out)
        return self.conv(x, w.T[:, :, None, None], b)


def features(graph: Graph, pixels: str, weights: efficientnet.Weights) -> tuple[str, str]:
    """``(pooled, logits)``: ``(N, 1280)`` and ``(N, 1000)`` float32 of float32 ``pixels``."""
    g, net = graph, _Builder(graph)
    x = g.op("Sub", pixels, g.constant("pixel_centre", 127.0))
    x = g.op("Div", x, g.constant("pixel_scale", 128.0))
    x = g.op("Transpose", x, perm=[0, 3, 1, 2])
    stem_w, stem_b = weights.stem  # (27, 32) in (kh, kw, c) order
    stem_w = stem_w.reshape(3, 3, 3, -1).transpose(3, 2, 0, 1)
    x = net.relu6(net.conv(x, stem_w, stem_b, stride=2))
    for block in weights.blocks:
        h = x
        if block.expand is not None:
            h = net.relu6(net.pointwise(h, block.expand))
        dw, db = block.depthwise  # (k, k, c)
        channels = dw.shape[2]
        h = net.relu6(net.conv(h, dw.transpose(2, 0, 1)[:, None], db, block.stride, channels))
        h = net.pointwise(h, block.project)
        x = g.op("Add", h, x) if block.skip else h
    x = net.relu6(net.pointwise(x, weights.head))
    pooled = g.op("Flatten", g.op("GlobalAveragePool", x), axis=1)
    fc_w, fc_b = weights.fc  # (1280, 1000)
    logits = g.op("Gemm", pooled, g.constant("fc_w", fc_w), g.constant("fc_b", fc_b))
    return pooled, logits
