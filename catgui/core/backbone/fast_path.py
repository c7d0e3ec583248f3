"""EfficientNet-Lite0's fast path: the same network as
:func:`~catgui.core.backbone.efficientnet.reference_feature_map`, a picture at a time.

Measured on 2 shared cores (one BLAS thread, see docs/performance.md): the 1x1 convolutions
are near the BLAS peak already, so the time to win is in the depthwise convolutions and the
bias / ReLU6 passes. Thin layers (< EINSUM_CHANNELS channels, the big 112x112 and 56x56
maps) run in bands of output rows: the expansion of just the rows a band needs, the
depthwise sums on 2-D views whose rows are whole image rows (w * c floats, so NumPy's inner
loops are long even for 32 channels), the projection of the band, all while the band is in
cache. A stride-2 layer keeps its expanded map split by column parity so every shifted
slice is contiguous along a row. Wide layers (small maps) run the depthwise sum as one
einsum over a strided view of a zero-padded buffer. Biases are tiled along the row, buffers
are allocated once per thread and reused.
"""

from __future__ import annotations

import threading

import numpy as np

from catgui.core.backbone.efficientnet import (
    INPUT_SIZE,
    Block,
    Weights,
    _check,
    _relu6,
    _stem,
    same_padding,
)
from catgui.core.errors import CatguiError


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
