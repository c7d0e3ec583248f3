"""The fast path's layers: a block's weights prepared once per network
(:class:`PreparedBlock`) and, for ``n`` pictures, its buffers and the NumPy calls that
run it (:class:`Layer`). See :mod:`~catgui.core.backbone.fast_path` for the why."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from catgui.core.backbone.efficientnet import Block, same_padding
from catgui.core.errors import CatguiError

#: Bytes of one band's depthwise sum (its rows, all channels, all pictures).
BAND_BYTES = 512 * 1024
#: Maps at least this wide are expanded straight into the window, a matmul a row;
#: narrower ones in one matmul into a flat buffer, then clipped into place.
DIRECT_WIDTH = 28
#: The depthwise einsum's innermost run is as many output pixels of a row (all their
#: channels) as the weights, tiled along that run, fit in these bytes.
TILE_BYTES = 256 * 1024


def with_bias(w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A 1x1 convolution's weights with its bias as one more input row (the ones channel)."""
    return np.ascontiguousarray(np.vstack([w, b[None]]))


def reshaped(a: np.ndarray, *shape: int) -> np.ndarray:
    """``a`` reshaped without a copy (the calls are made once: they must see the buffers)."""
    v = a.reshape(shape)
    if v.size and not np.shares_memory(v, a):
        raise AssertionError(f"{a.shape} -> {shape} would copy")
    return v


def product(a: np.ndarray, w: np.ndarray, out: np.ndarray) -> tuple:
    """The call ``out = a @ w`` on ``(n, ..., k)`` arrays: one matrix product if the
    pictures' rows make one matrix without a copy, else one per picture."""
    pair = [reshaped(x, x.shape[0], -1, x.shape[-1]) for x in (a, out)]
    rows = [x.reshape(-1, x.shape[-1]) for x in pair]
    if all(np.shares_memory(x, y) for x, y in zip(rows, pair)):
        pair = rows
    return np.matmul, (pair[0], w), {"out": pair[1]}


class PreparedBlock:
    """A block's weights as the fast path uses them, and its geometry: made once per
    network, shared by every runner (any ``n``, any thread)."""

    def __init__(self, block: Block, h: int, w: int, expand: tuple | None = None) -> None:
        k, s = block.kernel, block.stride
        wd, bd = block.depthwise
        wp, bp = block.project
        dtype, c, cout = wd.dtype, wd.shape[2], wp.shape[1]
        self.top, _, self.oh = same_padding(h, k, s)
        left, _, self.ow = same_padding(w, k, s)
        if h % s or w % s:
            raise CatguiError(f"a stride-{s} layer cannot read {h} x {w} maps")
        self.h, self.w, self.k, self.s, self.c, self.skip = h, w, k, s, c, block.skip
        # the expansion with its bias (the stem's convolution for the first block; a copy
        # when a block has neither: then its input is not clipped again)
        expand = expand or block.expand
        self.clip = expand is not None
        if expand is None:
            expand = (np.eye(c, dtype=dtype), np.zeros(c, dtype))
        self.expand = with_bias(*expand)
        # tap j reads input column s * x + j - left = s * (x + shift) + parity: the parity
        # plane at a shift (from lo on); a depthwise sum per plane over its own taps, the
        # weights tiled along a run of output pixels
        self.lo, self.hi = (-left) // s, (k - 1 - left) // s
        planes = [[j for j in range(k) if (j - left) % s == p] for p in range(s)]
        tile = k * max(map(len, planes)) * (c + 1) * dtype.itemsize
        ow = self.ow
        self.run = max(
            [1] + [t for t in range(1, ow + 1) if ow % t == 0 and t * tile <= TILE_BYTES]
        )
        self.planes = []  # (first shift - lo, tiled weights)
        for js in planes:
            taps = np.zeros((k, len(js), c + 1), dtype)
            taps[..., :c] = wd[:, js]
            self.planes.append(((js[0] - left) // s - self.lo, np.tile(taps, self.run)))
        # the extra channel's weights are 0, its bias 1: a ones column for the projection
        self.bias = np.tile(np.append(bd, 1).astype(dtype), ow)
        # the projection writes the ones channel too: 0 in a skip block (the skip adds 1)
        self.project = np.zeros((c + 1, cout + 1), dtype)
        self.project[:, :cout] = with_bias(wp, bp)
        self.project[c, cout] = 0.0 if block.skip else 1.0


class Layer:
    """One block for ``n`` pictures: its buffers, and the NumPy calls that run it."""

    def __init__(self, block: PreparedBlock, x: np.ndarray) -> None:
        n, dtype = x.shape[0], x.dtype
        s, c, k, oh, ow, run = block.s, block.c, block.k, block.oh, block.ow, block.run
        self.block, self.x = block, x
        band = max(1, min(oh, BAND_BYTES // (n * ow * (c + 1) * dtype.itemsize)))
        self.bands = [(o0, min(oh, o0 + band)) for o0 in range(0, oh, band)]
        # the window: the padded rows a band reads, slid down the map band by band
        rows, cols = s * (band - 1) + k, max(block.w // s, ow + block.hi) - block.lo
        self.window = np.zeros((n, s, rows, cols, c + 1), dtype)
        self.inner = self.window[..., -block.lo : block.w // s - block.lo, :c]
        q, r, e = self.window.strides[0], self.window.strides[2], self.window.strides[4]
        self.sums = []  # (view, tiled weights)
        for p, (first, taps) in enumerate(block.planes):
            view = as_strided(
                self.window[:, p, :, first:],
                (n, band, ow // run, k, taps.shape[1], run * (c + 1)),
                (q, s * r, run * (c + 1) * e, r, (c + 1) * e, e),
                writeable=False,
            )
            self.sums.append((view, taps))
        self.out = np.empty((n, oh, ow, block.project.shape[1]), dtype)
        # scratch shared by all layers: a band's depthwise sum (and the second parity's);
        # the narrow maps' expansion before it is clipped into place
        acc = (n, band, ow // run, run * (c + 1))
        flat = (0 if block.w >= DIRECT_WIDTH else n * rows * (block.w // s), c + 1)
        self.scratch = {"acc": acc, "term": acc if s > 1 else (0,), "flat": flat}

    def _expansion(self, first: int, end: int, base: int, flat: np.ndarray) -> list:
        """Calls that expand input rows ``first:end`` into the window (row 0: padded ``base``)."""
        block, (n, h, _, cin) = self.block, self.x.shape
        c, s = block.c, block.s
        parts = reshaped(self.x, n, h, -1, s, cin)[:, first:end]
        at = slice(first + block.top - base, end + block.top - base)
        calls = []
        for p in range(s):
            inner = self.inner[:, p, at]
            if len(flat) == 0:  # straight into the window, clipped there below
                calls.append((np.matmul, (parts[..., p, :], block.expand), {"out": inner}))
                continue
            into = reshaped(flat[: inner[..., 0].size], *inner.shape[:-1], c + 1)[..., :c]
            calls.append(product(parts[..., p, :], block.expand, into))
            if block.clip:
                calls.append((np.clip, (into, 0.0, 6.0), {"out": inner}))
            else:
                calls.append((np.copyto, (inner, into), {}))
        if len(flat) == 0 and block.clip:
            rows = self.window[:, :, at]
            calls.append((np.clip, (rows, 0.0, 6.0), {"out": rows}))
        return calls

    def calls(self, scratch: dict[str, np.ndarray]) -> list:
        """The NumPy calls that run the block, their views made once (``scratch``: shared)."""
        acc, term, flat = (
            reshaped(scratch[name][: int(np.prod(shape))], *shape)
            for name, shape in self.scratch.items()
        )
        block, window, n = self.block, self.window, self.x.shape[0]
        s, c, ow, top, k = block.s, block.c, block.ow, block.top, block.k
        h, rows = block.h, window.shape[2]
        out = reshaped(self.out, n, -1, self.out.shape[3])
        x = reshaped(self.x, n, -1, self.x.shape[3])
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
                einsum = ("nyxijr,ijr->nyxr", view[:, : o1 - o0], taps)
                calls.append((np.einsum, einsum, {"out": part}))
                if i:
                    calls.append((np.add, (b, part), {"out": b}))
            line = reshaped(b, n, o1 - o0, -1)
            calls.append((np.add, (line, block.bias), {"out": line}))
            calls.append((np.clip, (line, 0.0, 6.0), {"out": line}))
            y = out[:, o0 * ow : o1 * ow]
            calls.append(product(reshaped(b, n, -1, c + 1), block.project, y))
            if block.skip:
                calls.append((np.add, (y, x[:, o0 * ow : o1 * ow]), {"out": y}))
        return calls
