"""EfficientNet-Lite0 in NumPy: ImageNet features for any picture, no torch.

The network (Tan & Le's EfficientNet, the "Lite" variant for mobile: no squeeze-excite,
ReLU6, stem and head not scaled): a 3x3 stride-2 stem convolution to 32 channels, 16
MBConv blocks (1x1 expansion, k x k depthwise convolution, 1x1 projection, a skip
connection where shape allows), a 1x1 head convolution to 1280 channels, global average
pooling and a 1000-way linear layer. Padding is TensorFlow's "SAME" (the extra pixel
bottom/right); batch norm (eps 1e-3) is folded into the convolutions once, at load.
Input: 224 x 224 RGB squares, 0-255, normalised as (x - 127) / 128.

Everything is float32 and channels-last ``(n, h, w, c)``: 1x1 convolutions are matrix
products, a depthwise convolution is a sum over its k x k offsets of shifted slices times
per-channel weights.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from catgui.core.errors import CatguiError

#: The side of the square the network reads.
INPUT_SIZE = 224
#: Batch-norm epsilon of the TensorFlow original.
BN_EPS = 1e-3
#: Stride of each of the 16 blocks (the first block of stages 2, 3, 4 and 6 halves the size).
BLOCK_STRIDES = (1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1)
FEATURES = 1280
CLASSES = 1000


@dataclass(frozen=True)
class Block:
    """One MBConv block, batch norm folded: ``expand`` is ``None`` when the ratio is 1."""

    expand: tuple[np.ndarray, np.ndarray] | None  # (c_in, c_mid), (c_mid,)
    depthwise: tuple[np.ndarray, np.ndarray]  # (k, k, c_mid), (c_mid,)
    project: tuple[np.ndarray, np.ndarray]  # (c_mid, c_out), (c_out,)
    stride: int
    skip: bool

    @property
    def kernel(self) -> int:
        return self.depthwise[0].shape[0]


@dataclass(frozen=True)
class Weights:
    """The whole network, ready to run (float32, batch norm folded)."""

    stem: tuple[np.ndarray, np.ndarray]  # (27, 32) patch (kh, kw, c) -> channel, (32,)
    blocks: tuple[Block, ...]
    head: tuple[np.ndarray, np.ndarray]  # (320, 1280), (1280,)
    fc: tuple[np.ndarray, np.ndarray]  # (1280, 1000), (1000,)

    def astype(self, dtype) -> Weights:
        """The same network computing in ``dtype`` (float64 to check float32's rounding)."""

        def cast(pair):
            return None if pair is None else tuple(a.astype(dtype) for a in pair)

        blocks = tuple(
            Block(cast(b.expand), cast(b.depthwise), cast(b.project), b.stride, b.skip)
            for b in self.blocks
        )
        return Weights(cast(self.stem), blocks, cast(self.head), cast(self.fc))


def _folded(state: Mapping[str, np.ndarray], conv: str, bn: str) -> tuple[np.ndarray, np.ndarray]:
    """Conv weight ``(out, in, kh, kw)`` with its batch norm folded in: ``(w * scale, shift)``."""
    try:
        w = state[f"{conv}.weight"].astype(np.float64)
        gamma, beta = state[f"{bn}.weight"], state[f"{bn}.bias"]
        mean, var = state[f"{bn}.running_mean"], state[f"{bn}.running_var"]
    except KeyError as exc:
        raise CatguiError(f"the EfficientNet weights lack {exc.args[0]}") from None
    scale = gamma.astype(np.float64) / np.sqrt(var.astype(np.float64) + BN_EPS)
    return w * scale[:, None, None, None], beta - mean * scale


def _pointwise(state, conv: str, bn: str) -> tuple[np.ndarray, np.ndarray]:
    w, b = _folded(state, conv, bn)
    return w[:, :, 0, 0].T.astype(np.float32), b.astype(np.float32)


def build(state: Mapping[str, np.ndarray]) -> Weights:
    """The runnable network from a state dict in the ``_conv_stem / _blocks.N / ...`` scheme."""
    w, b = _folded(state, "_conv_stem", "_bn0")
    stem = (
        w.transpose(2, 3, 1, 0).reshape(-1, w.shape[0]).astype(np.float32),
        b.astype(np.float32),
    )
    blocks = []
    for i, stride in enumerate(BLOCK_STRIDES):
        p = f"_blocks.{i}."
        expand = (
            _pointwise(state, p + "_expand_conv", p + "_bn0")
            if p + "_expand_conv.weight" in state
            else None
        )
        dw, db = _folded(state, p + "_depthwise_conv", p + "_bn1")
        depthwise = (dw[:, 0].transpose(1, 2, 0).astype(np.float32), db.astype(np.float32))
        project = _pointwise(state, p + "_project_conv", p + "_bn2")
        c_in = expand[0].shape[0] if expand else depthwise[0].shape[2]
        skip = stride == 1 and c_in == project[0].shape[1]
        blocks.append(Block(expand, depthwise, project, stride, skip))
    head = _pointwise(state, "_conv_head", "_bn1")
    try:
        fc = (state["_fc.weight"].T.astype(np.float32), state["_fc.bias"].astype(np.float32))
    except KeyError as exc:
        raise CatguiError(f"the EfficientNet weights lack {exc.args[0]}") from None
    if head[0].shape[1] != FEATURES or fc[0].shape != (FEATURES, CLASSES):
        raise CatguiError("the EfficientNet weights do not have Lite0's head (1280 -> 1000)")
    return Weights(stem, tuple(blocks), head, fc)


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int, int]:
    """TensorFlow "SAME": ``(before, after, output size)``; the odd pixel goes after."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2, out


def _pad(x: np.ndarray, kernel: int, stride: int) -> tuple[np.ndarray, int, int]:
    n, h, w, c = x.shape
    top, bottom, oh = same_padding(h, kernel, stride)
    left, right, ow = same_padding(w, kernel, stride)
    padded = np.zeros((n, h + top + bottom, w + left + right, c), dtype=x.dtype)
    padded[:, top : top + h, left : left + w] = x
    return padded, oh, ow


def _relu6(x: np.ndarray) -> np.ndarray:
    return np.clip(x, 0.0, 6.0, out=x)


def _stem(x: np.ndarray, weights: Weights) -> np.ndarray:
    padded, oh, ow = _pad(x, 3, 2)
    patches = [
        padded[:, i : i + 2 * oh : 2, j : j + 2 * ow : 2] for i in range(3) for j in range(3)
    ]
    cols = np.concatenate(patches, axis=3)  # (n, oh, ow, 27) in (kh, kw, c) order
    w, b = weights.stem
    return _relu6(cols @ w + b)


def _depthwise(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int) -> np.ndarray:
    k = w.shape[0]
    padded, oh, ow = _pad(x, k, stride)
    out = np.empty((x.shape[0], oh, ow, x.shape[3]), dtype=x.dtype)
    out[...] = b
    term = np.empty_like(out)
    span_h, span_w = stride * (oh - 1) + 1, stride * (ow - 1) + 1
    for i in range(k):
        for j in range(k):
            np.multiply(
                padded[:, i : i + span_h : stride, j : j + span_w : stride], w[i, j], out=term
            )
            out += term
    return out


def _block(x: np.ndarray, block: Block) -> np.ndarray:
    h = x
    if block.expand is not None:
        w, b = block.expand
        h = _relu6(h @ w + b)
    h = _relu6(_depthwise(h, *block.depthwise, block.stride))
    w, b = block.project
    h = h @ w + b
    if block.skip:
        h += x
    return h


def _check(squares: np.ndarray) -> None:
    if squares.ndim != 4 or squares.shape[1:] != (INPUT_SIZE, INPUT_SIZE, 3):
        raise CatguiError(
            f"EfficientNet-Lite0 reads (n, 224, 224, 3) pictures, got {squares.shape}"
        )


def reference_feature_map(squares: np.ndarray, weights: Weights) -> np.ndarray:
    """:func:`~catgui.core.backbone.fast_path.feature_map` the plain way, a layer at a time on whole arrays (the tests' yardstick)."""
    _check(squares)
    dtype = weights.stem[0].dtype
    x = (squares.astype(dtype) - 127.0) / 128.0
    x = _stem(x, weights)
    for block in weights.blocks:
        x = _block(x, block)
    w, b = weights.head
    return _relu6(x @ w + b)


def pooled(feature_maps: np.ndarray) -> np.ndarray:
    """Global average pooling: ``(n, h, w, 1280)`` -> ``(n, 1280)``."""
    return feature_maps.mean(axis=(1, 2))


def logits(features: np.ndarray, weights: Weights) -> np.ndarray:
    """The 1000 ImageNet logits of pooled features ``(n, 1280)``: ``(n, 1000)``."""
    w, b = weights.fc
    return features @ w + b
