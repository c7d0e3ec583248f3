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

import threading
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


def feature_map(squares: np.ndarray, weights: Weights) -> np.ndarray:
    """The head's ``(n, 7, 7, 1280)`` map for ``(n, 224, 224, 3)`` uint8 squares.

    Runs a picture at a time through this thread's :class:`_Runner` (buffers reused, the
    wide layers' arrays kept small enough to stay in cache); the same numbers as
    :func:`reference_feature_map` up to float32 rounding.
    """
    _check(squares)
    runner = _runner(weights)
    maps = np.empty((len(squares), 7, 7, weights.head[0].shape[1]), dtype=weights.stem[0].dtype)
    for i, square in enumerate(squares):
        maps[i] = runner.run(square)
    return maps


def reference_feature_map(squares: np.ndarray, weights: Weights) -> np.ndarray:
    """:func:`feature_map` the plain way, a layer at a time on whole arrays (the tests' yardstick)."""
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


# -- the fast path -------------------------------------------------------------------------------
#
# Measured on 2 shared cores (one BLAS thread, see docs/performance.md): the 1x1 convolutions
# are near the BLAS peak already, so the time to win is in the depthwise convolutions and the
# bias / ReLU6 passes. Thin layers (< EINSUM_CHANNELS channels, the big 112x112 and 56x56
# maps) run in bands of output rows: the expansion of just the rows a band needs, the
# depthwise sums on 2-D views whose rows are whole image rows (w * c floats, so NumPy's inner
# loops are long even for 32 channels), the projection of the band, all while the band is in
# cache. A stride-2 layer keeps its expanded map split by column parity so every shifted
# slice is contiguous along a row. Wide layers (small maps) run the depthwise sum as one
# einsum over a strided view of a zero-padded buffer. Biases are tiled along the row, buffers
# are allocated once per thread and reused.

#: Depthwise layers at least this wide run as one einsum; thinner ones in row bands.
EINSUM_CHANNELS = 240
#: Bytes of one band's depthwise accumulator (the band's rows of output, all channels).
BAND_BYTES = 512 * 1024


class _Banded:
    """One block, run in bands of output rows (thin layers)."""

    def __init__(self, block: Block, h: int, w: int, dtype: np.dtype) -> None:
        k, s = block.kernel, block.stride
        wd, bd = block.depthwise
        c = wd.shape[2]
        wp, bp = block.project
        top, _, oh = same_padding(h, k, s)
        left, _, ow = same_padding(w, k, s)
        if h % s or w % s:
            raise CatguiError(f"a stride-{s} layer cannot read {h} x {w} maps")
        self.block, self.s, self.h, self.wq, self.oh, self.ow, self.c = (
            block,
            s,
            h,
            w // s,
            oh,
            ow,
            c,
        )
        # the expanded map (s, h, w / s, c), split by column parity; the input itself when
        # there is neither an expansion nor a stride
        own = block.expand is not None or s > 1
        self.expanded = np.zeros((s, h, w // s, c), dtype) if own else None
        self.expand_bias = None if block.expand is None else np.tile(block.expand[1], w // s)
        self.weights = np.tile(wd, (1, 1, ow))  # (k, k, ow * c): a row's worth per offset
        self.bias = np.tile(bd, ow)
        self.project_bias = np.tile(bp, ow)
        self.out = np.empty((oh, ow, wp.shape[1]), dtype)
        rows = max(1, min(oh, BAND_BYTES // (ow * c * dtype.itemsize)))
        self.acc = np.empty((rows, ow * c), dtype)
        self.term = np.empty_like(self.acc)
        self.bands = []
        for o0 in range(0, oh, rows):
            o1 = min(oh, o0 + rows)
            need = min(h, s * (o1 - 1) - top + k)  # input rows the band reads, exclusive
            first, rest = None, []
            for i in range(k):
                # output rows o whose input row s * o - top + i lies inside the map
                lo, hi = max(o0, -(-(top - i) // s)), min(o1, (h - 1 + top - i) // s + 1)
                if lo >= hi:
                    continue
                rows_in = slice(s * lo - top + i, s * (hi - 1) - top + i + 1, s)
                for j in range(k):
                    parity, shift = (j - left) % s, (j - left) // s
                    c0, c1 = max(0, -shift), min(ow, w // s - shift)
                    if c0 >= c1:
                        continue
                    op = (
                        (slice(lo - o0, hi - o0), slice(c0 * c, c1 * c)),
                        parity,
                        (rows_in, slice((c0 + shift) * c, (c1 + shift) * c)),
                        (i, j, slice(0, (c1 - c0) * c)),
                    )
                    if (i, j) == (top, left):  # covers the whole band: written, not added
                        first = op
                    else:
                        rest.append(op)
            self.bands.append((o0, o1, need, first, rest))

    def run(self, x: np.ndarray) -> np.ndarray:
        block, s, c, ow = self.block, self.s, self.c, self.ow
        if self.expanded is None:
            flat = x.reshape(1, self.h, self.wq * c)
        else:
            flat = self.expanded.reshape(s, self.h, self.wq * c)
            if block.expand is None:
                for p in range(s):
                    self.expanded[p] = x[:, p::s]
            else:
                parts = [x] if s == 1 else [np.ascontiguousarray(x[:, p::s]) for p in range(s)]
        out2 = self.out.reshape(self.oh * ow, -1)
        rows_out, rows_in = self.out.reshape(self.oh, -1), x.reshape(x.shape[0], -1)
        done = 0
        for o0, o1, need, first, rest in self.bands:
            if block.expand is not None and need > done:
                for p, part in enumerate(parts):
                    np.matmul(
                        part[done:need].reshape(-1, part.shape[2]),
                        block.expand[0],
                        out=self.expanded[p, done:need].reshape(-1, c),
                    )
                fresh = flat[:, done:need]
                np.add(fresh, self.expand_bias, out=fresh)
                _relu6(fresh)
                done = need
            acc, term = self.acc[: o1 - o0], self.term[: o1 - o0]
            _, p, src, tap = first
            np.multiply(flat[p][src], self.weights[tap], out=acc)
            for dst, p, src, tap in rest:
                np.multiply(flat[p][src], self.weights[tap], out=term[dst])
                np.add(acc[dst], term[dst], out=acc[dst])
            np.add(acc, self.bias, out=acc)
            _relu6(acc)
            np.matmul(acc.reshape(-1, c), block.project[0], out=out2[o0 * ow : o1 * ow])
            y = rows_out[o0:o1]
            np.add(y, self.project_bias, out=y)
            if block.skip:
                np.add(y, rows_in[o0:o1], out=y)
        return self.out


class _Einsum:
    """One block whose depthwise sum is one einsum over a zero-padded buffer (wide layers)."""

    def __init__(self, block: Block, h: int, w: int, dtype: np.dtype) -> None:
        from numpy.lib.stride_tricks import as_strided

        k, s = block.kernel, block.stride
        wd, bd = block.depthwise
        c = wd.shape[2]
        wp, bp = block.project
        top, bottom, oh = same_padding(h, k, s)
        left, right, ow = same_padding(w, k, s)
        self.block, self.c, self.oh = block, c, oh
        self.padded = np.zeros((h + top + bottom, w + left + right, c), dtype)
        self.inner = self.padded[top : top + h, left : left + w]
        # a matmul straight into the padded buffer pays on wide maps; small ones go via a copy
        self.direct = w >= 28
        self.flat = np.empty((h * w, c), dtype)
        rs, cs, es = self.padded.strides
        self.taps = as_strided(
            self.padded, (oh, ow, k, k, c), (s * rs, s * cs, rs, cs, es), writeable=False
        )
        self.acc = np.empty((oh, ow, c), dtype)
        self.out = np.empty((oh, ow, wp.shape[1]), dtype)
        self.expand_bias = None if block.expand is None else np.tile(block.expand[1], w)
        self.bias = np.tile(bd, ow)
        self.project_bias = np.tile(bp, ow)

    def run(self, x: np.ndarray) -> np.ndarray:
        block = self.block
        if block.expand is None:
            self.inner[...] = x
        else:
            if self.direct:
                np.matmul(x, block.expand[0], out=self.inner)
            else:
                np.matmul(x.reshape(-1, x.shape[2]), block.expand[0], out=self.flat)
                self.inner[...] = self.flat.reshape(self.inner.shape)
            rows = self.inner.reshape(self.inner.shape[0], -1)
            np.add(rows, self.expand_bias, out=rows)
            _relu6(rows)
        np.einsum("yxijc,ijc->yxc", self.taps, block.depthwise[0], out=self.acc)
        acc = self.acc.reshape(self.oh, -1)
        np.add(acc, self.bias, out=acc)
        _relu6(acc)
        np.matmul(
            self.acc.reshape(-1, self.c),
            block.project[0],
            out=self.out.reshape(-1, self.out.shape[2]),
        )
        y = self.out.reshape(self.oh, -1)
        np.add(y, self.project_bias, out=y)
        if block.skip:
            np.add(y, x.reshape(self.oh, -1), out=y)
        return self.out


class _Runner:
    """One thread's way through the network: every block's buffers, allocated once."""

    def __init__(self, weights: Weights) -> None:
        self.weights = weights
        dtype = weights.stem[0].dtype
        self.blocks = []
        h = w = INPUT_SIZE // 2
        for block in weights.blocks:
            kind = _Einsum if block.depthwise[0].shape[2] >= EINSUM_CHANNELS else _Banded
            self.blocks.append(kind(block, h, w, dtype))
            h, w = self.blocks[-1].oh, self.blocks[-1].out.shape[1]

    def run(self, square: np.ndarray) -> np.ndarray:
        """The ``(7, 7, 1280)`` map of one ``(224, 224, 3)`` uint8 square."""
        weights = self.weights
        x = (square[None].astype(weights.stem[0].dtype) - 127.0) / 128.0
        x = _stem(x, weights)[0]
        for block in self.blocks:
            x = block.run(x)
        w, b = weights.head
        return _relu6(x @ w + b)


_local = threading.local()


def _runner(weights: Weights) -> _Runner:
    """This thread's runner for ``weights`` (the last two networks used are kept)."""
    runners = _local.__dict__.setdefault("runners", [])
    for runner in runners:
        if runner.weights is weights:
            return runner
    runners.insert(0, _Runner(weights))
    del runners[2:]
    return runners[0]
