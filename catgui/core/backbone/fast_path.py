"""EfficientNet-Lite0's fast path: the same network as
:func:`~catgui.core.backbone.efficientnet.reference_feature_map`, two pictures at a time.

Measured on 2 shared cores (one BLAS thread, see docs/performance.md): the 1x1 convolutions
are near the BLAS peak already, so the time to win is in the depthwise convolutions, the
passes over memory around them and Python's own overhead. So:

* Every map carries one more channel, held at 1: the 1x1 convolutions' biases are one
  more row of their weights (no bias pass). A skip block's projection writes 0 there and
  the skip adds the input's 1.
* A block's expanded map lives in a zero-padded window (split by column parity for a
  stride-2 layer, so each tap is a contiguous run along a row). Its depthwise sum is one
  ``np.einsum`` per parity over a strided view of the window whose innermost axis is a
  run of whole output pixels (the weights tiled along it): one pass a tap, multiply and
  add fused, no zero taps.
* A layer runs in bands of output rows: the band's expansion, depthwise sum and
  projection while they are in cache; the window slides down the map band by band.
* Two pictures go through together: their 1x1 convolutions are one product where a
  layer is one band (the weights read once for both).
* Buffers are allocated once per thread, and every NumPy call with its views is prepared
  once too: running the network is a loop over a list of calls.
"""

from __future__ import annotations

import threading

import numpy as np
from numpy.lib.stride_tricks import as_strided

from catgui.core.backbone.efficientnet import INPUT_SIZE, Block, Weights, _check, same_padding
from catgui.core.errors import CatguiError


def feature_map(squares: np.ndarray, weights: Weights) -> np.ndarray:
    """The head's ``(n, 7, 7, 1280)`` map for ``(n, 224, 224, 3)`` uint8 squares.

    Runs ``PICTURES`` pictures at a time through this thread's :class:`_Runner`; the same
    numbers as :func:`reference_feature_map` up to float32 rounding.
    """
    _check(squares)
    maps = np.empty((len(squares), 7, 7, weights.head[0].shape[1]), dtype=weights.stem[0].dtype)
    for i in range(0, len(squares), PICTURES):
        batch = squares[i : i + PICTURES]
        _runner(weights, len(batch)).run(batch, maps[i : i + PICTURES])
    return maps


#: Pictures run together (4 was slower than 2: the early layers' bands outgrow the cache).
PICTURES = 2
#: Bytes of one band's depthwise sum (its rows, all channels, all pictures).
BAND_BYTES = 512 * 1024
#: Maps at least this wide are expanded straight into the window, a matmul a row;
#: narrower ones in one matmul into a flat buffer, then clipped into place.
DIRECT_WIDTH = 28
#: The depthwise einsum's innermost run is as many output pixels of a row (all their
#: channels) as the weights, tiled along that run, fit in these bytes.
TILE_BYTES = 256 * 1024


def _with_bias(w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A 1x1 convolution's weights with its bias as one more input row (the ones channel)."""
    return np.ascontiguousarray(np.vstack([w, b[None]]))


def _view(a: np.ndarray, *shape: int) -> np.ndarray:
    """``a`` reshaped without a copy (the calls are made once: they must see the buffers)."""
    v = a.reshape(shape)
    if v.size and not np.shares_memory(v, a):
        raise AssertionError(f"{a.shape} -> {shape} would copy")
    return v


def _product(a: np.ndarray, w: np.ndarray, out: np.ndarray) -> tuple:
    """The call ``out = a @ w`` on ``(n, ..., k)`` arrays: one matrix product if the
    pictures' rows make one matrix without a copy, else one per picture."""
    pair = [_view(x, x.shape[0], -1, x.shape[-1]) for x in (a, out)]
    rows = [x.reshape(-1, x.shape[-1]) for x in pair]
    if all(np.shares_memory(x, y) for x, y in zip(rows, pair)):
        pair = rows
    return np.matmul, (pair[0], w), {"out": pair[1]}


class _Layer:
    """One block for ``n`` pictures: its buffers, and the NumPy calls that run it."""

    def __init__(self, block: Block, x: np.ndarray, expand: tuple | None = None) -> None:
        n, h, w, _ = x.shape
        dtype = x.dtype
        k, s = block.kernel, block.stride
        wd, bd = block.depthwise
        c = wd.shape[2]
        wp, bp = block.project
        top, _, oh = same_padding(h, k, s)
        left, _, ow = same_padding(w, k, s)
        if h % s or w % s:
            raise CatguiError(f"a stride-{s} layer cannot read {h} x {w} maps")
        self.block, self.x, self.s, self.c, self.oh, self.ow, self.top = block, x, s, c, oh, ow, top
        # the expansion with its bias (the stem's convolution for the first block; a copy
        # when a block has neither: then its input is not clipped again)
        expand = expand or block.expand
        self.clip = expand is not None
        if expand is None:
            expand = (np.eye(c, dtype=dtype), np.zeros(c, dtype))
        self.expand = _with_bias(*expand)
        band = max(1, min(oh, BAND_BYTES // (n * ow * (c + 1) * dtype.itemsize)))
        self.bands = [(o0, min(oh, o0 + band)) for o0 in range(0, oh, band)]
        # tap j reads input column s * x + j - left = s * (x + shift) + parity: the parity
        # plane at a shift (from lo on). The window holds the padded rows a band reads.
        lo, hi = (-left) // s, (k - 1 - left) // s
        rows, cols = s * (band - 1) + k, max(w // s, ow + hi) - lo
        self.window = np.zeros((n, s, rows, cols, c + 1), dtype)
        self.inner = self.window[..., -lo : w // s - lo, :c]
        # a depthwise sum per parity plane over its own taps: (view, tiled weights)
        planes = [[j for j in range(k) if (j - left) % s == p] for p in range(s)]
        tile = k * max(map(len, planes)) * (c + 1) * dtype.itemsize
        run = max([1] + [t for t in range(1, ow + 1) if ow % t == 0 and t * tile <= TILE_BYTES])
        q, r, e = self.window.strides[0], self.window.strides[2], self.window.strides[4]
        self.sums = []
        for p, js in enumerate(planes):
            taps = np.zeros((k, len(js), c + 1), dtype)
            taps[..., :c] = wd[:, js]
            view = as_strided(
                self.window[:, p, :, (js[0] - left) // s - lo :],
                (n, band, ow // run, k, len(js), run * (c + 1)),
                (q, s * r, run * (c + 1) * e, r, (c + 1) * e, e),
                writeable=False,
            )
            self.sums.append((view, np.tile(taps, run)))
        # the extra channel's weights are 0, its bias 1: a ones column for the projection
        self.bias = np.tile(np.append(bd, 1).astype(dtype), ow)
        # the projection writes the ones channel too: 0 in a skip block (the skip adds 1)
        cout = wp.shape[1]
        self.project = np.zeros((c + 1, cout + 1), dtype)
        self.project[:, :cout] = _with_bias(wp, bp)
        self.project[c, cout] = 0.0 if block.skip else 1.0
        self.out = np.empty((n, oh, ow, cout + 1), dtype)
        # scratch shared by all layers: a band's depthwise sum (and the second parity's);
        # the narrow maps' expansion before it is clipped into place
        acc = (n, band, ow // run, run * (c + 1))
        flat = (0 if w >= DIRECT_WIDTH else n * rows * (w // s), c + 1)
        self.scratch = {"acc": acc, "term": acc if s > 1 else (0,), "flat": flat}

    def _expansion(self, first: int, end: int, base: int, flat: np.ndarray) -> list:
        """Calls that expand input rows ``first:end`` into the window (row 0: padded ``base``)."""
        n, c, s = self.x.shape[0], self.c, self.s
        parts = self.x.reshape(n, self.x.shape[1], -1, s, self.x.shape[3])[:, first:end]
        at = slice(first + self.top - base, end + self.top - base)
        calls = []
        for p in range(s):
            inner = self.inner[:, p, at]
            if len(flat) == 0:  # straight into the window, clipped there below
                calls.append((np.matmul, (parts[..., p, :], self.expand), {"out": inner}))
                continue
            into = _view(flat[: inner[..., 0].size], *inner.shape[:-1], c + 1)[..., :c]
            calls.append(_product(parts[..., p, :], self.expand, into))
            if self.clip:
                calls.append((np.clip, (into, 0.0, 6.0), {"out": inner}))
            else:
                calls.append((np.copyto, (inner, into), {}))
        if len(flat) == 0 and self.clip:
            rows = self.window[:, :, at]
            calls.append((np.clip, (rows, 0.0, 6.0), {"out": rows}))
        return calls

    def calls(self, scratch: dict[str, np.ndarray]) -> list:
        """The NumPy calls that run the block, their views made once (``scratch``: shared)."""
        acc, term, flat = (
            _view(scratch[name][: int(np.prod(shape))], *shape)
            for name, shape in self.scratch.items()
        )
        n, s, c, ow, top, window = self.x.shape[0], self.s, self.c, self.ow, self.top, self.window
        h, rows, k = self.x.shape[1], window.shape[2], self.block.kernel
        out = _view(self.out, n, -1, self.out.shape[3])
        x = _view(self.x, n, -1, self.x.shape[3])
        calls = [] if len(self.bands) == 1 else [(np.copyto, (window[:, :, :top], 0.0), {})]
        base = done = 0  # the window's first padded row; the input rows expanded
        for o0, o1 in self.bands:
            if s * o0 > base:  # slide: the rows this band shares with the last one move up
                kept = base + rows - s * o0
                calls.append((np.copyto, (window[:, :, :kept], window[:, :, rows - kept :]), {}))
                base = s * o0
            need = min(h, s * (o1 - 1) - top + k)  # input rows the band reads, exclusive
            if need > done:
                calls += self._expansion(done, need, base, flat)
                done = need
            if need == h:  # the bottom padding
                calls.append((np.copyto, (window[:, :, h + top - base :], 0.0), {}))
            b = acc[:, : o1 - o0]
            for i, (view, taps) in enumerate(self.sums):
                part = b if i == 0 else term[:, : o1 - o0]
                calls.append(
                    (np.einsum, ("nyxijr,ijr->nyxr", view[:, : o1 - o0], taps), {"out": part})
                )
                if i:
                    calls.append((np.add, (b, part), {"out": b}))
            line = _view(b, n, o1 - o0, -1)
            calls.append((np.add, (line, self.bias), {"out": line}))
            calls.append((np.clip, (line, 0.0, 6.0), {"out": line}))
            y = out[:, o0 * ow : o1 * ow]
            calls.append(_product(_view(b, n, -1, c + 1), self.project, y))
            if self.block.skip:
                calls.append((np.add, (y, x[:, o0 * ow : o1 * ow]), {"out": y}))
        return calls


class _Runner:
    """One thread's way through the network for ``n`` pictures: buffers and calls, made once."""

    def __init__(self, weights: Weights, n: int) -> None:
        self.weights, self.n = weights, n
        dtype = weights.stem[0].dtype
        top, bottom, oh = same_padding(INPUT_SIZE, 3, 2)
        left, right, ow = same_padding(INPUT_SIZE, 3, 2)
        size = (INPUT_SIZE + top + bottom, INPUT_SIZE + left + right)
        self.image = np.zeros((n, *size, 3), dtype)
        self.pixels = self.image[:, top : top + INPUT_SIZE, left : left + INPUT_SIZE]
        q, r, e = self.image.strides[0], self.image.strides[1], self.image.strides[3]
        self.patches = as_strided(
            self.image, (n, oh, ow, 3, 9), (q, 2 * r, 6 * e, r, e), writeable=False
        )
        self.cols = np.ones((n, oh, ow, 28), dtype)  # (kh, kw, c) patches and a ones column
        layers, x = [], self.cols  # the stem's patches: the first layer's expansion is the stem
        for i, block in enumerate(weights.blocks):
            layers.append(_Layer(block, x, weights.stem if i == 0 else None))
            x = layers[-1].out
        scratch = {
            name: np.empty(max(int(np.prod(layer.scratch[name])) for layer in layers), dtype)
            for name in ("acc", "term", "flat")
        }
        self.calls = [call for layer in layers for call in layer.calls(scratch)]
        self.last = _view(x, -1, x.shape[3])
        self.head = _with_bias(*weights.head)

    def run(self, squares: np.ndarray, out: np.ndarray) -> np.ndarray:
        """``out[...] =`` the ``(n, 7, 7, 1280)`` maps of ``(n, 224, 224, 3)`` uint8 squares."""
        np.subtract(squares, 127.0, out=self.pixels, dtype=self.pixels.dtype)
        np.multiply(self.pixels, 1.0 / 128.0, out=self.pixels)
        self.cols[..., :27].reshape(self.patches.shape)[...] = self.patches
        for function, args, keywords in self.calls:
            function(*args, **keywords)
        maps = _view(out, -1, out.shape[3])
        np.matmul(self.last, self.head, out=maps)
        return np.clip(maps, 0.0, 6.0, out=maps)


_local = threading.local()


def _runner(weights: Weights, n: int) -> _Runner:
    """This thread's runner for ``n`` pictures through ``weights`` (the last few are kept)."""
    runners = _local.__dict__.setdefault("runners", [])
    for runner in runners:
        if runner.weights is weights and runner.n == n:
            return runner
    runners.insert(0, _Runner(weights, n))
    del runners[2 * PICTURES :]
    return runners[0]
