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
* A runner's buffers are allocated once, and every NumPy call with its views is prepared
  once too: running the network is a loop over a list of calls. Runners outlive the
  threads that use them (kept idle for the next ones); the prepared weights are shared.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import numpy as np
from numpy.lib.stride_tricks import as_strided

from catgui.core.backbone.efficientnet import INPUT_SIZE, Weights, _check, same_padding
from catgui.core.backbone.fast_layers import Layer, PreparedBlock, reshaped, with_bias


def feature_map(squares: np.ndarray, weights: Weights) -> np.ndarray:
    """The head's ``(n, 7, 7, 1280)`` map for ``(n, 224, 224, 3)`` uint8 squares.

    Runs ``PICTURES`` pictures at a time through a :class:`_Runner`; the same
    numbers as :func:`reference_feature_map` up to float32 rounding.
    """
    _check(squares)
    maps = np.empty((len(squares), 7, 7, weights.head[0].shape[1]), dtype=weights.stem[0].dtype)
    for i in range(0, len(squares), PICTURES):
        batch = squares[i : i + PICTURES]
        with _runner(weights, len(batch)) as runner:
            runner.run(batch, maps[i : i + PICTURES])
    return maps


#: Pictures run together (4 was slower than 2: the early layers' bands outgrow the cache).
PICTURES = 2


class _Network:
    """A network's weights prepared for the fast path (the runners share them)."""

    def __init__(self, weights: Weights) -> None:
        self.weights, self.blocks = weights, []
        h = w = INPUT_SIZE // 2
        for i, block in enumerate(weights.blocks):
            # the stem's patches come in: the first block's expansion is the stem
            self.blocks.append(PreparedBlock(block, h, w, weights.stem if i == 0 else None))
            h, w = self.blocks[-1].oh, self.blocks[-1].ow
        self.head = with_bias(*weights.head)


class _Runner:
    """``n`` pictures' way through a network: buffers and calls, made once."""

    def __init__(self, network: _Network, n: int) -> None:
        self.network, self.n = network, n
        dtype = network.head.dtype
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
        layers, x = [], self.cols
        for block in network.blocks:
            layers.append(Layer(block, x))
            x = layers[-1].out
        scratch = {
            name: np.empty(max(int(np.prod(layer.scratch[name])) for layer in layers), dtype)
            for name in ("acc", "term", "flat")
        }
        self.calls = [call for layer in layers for call in layer.calls(scratch)]
        self.last = reshaped(x, -1, x.shape[3])

    def run(self, squares: np.ndarray, out: np.ndarray) -> np.ndarray:
        """``out[...] =`` the ``(n, 7, 7, 1280)`` maps of ``(n, 224, 224, 3)`` uint8 squares."""
        np.subtract(squares, 127.0, out=self.pixels, dtype=self.pixels.dtype)
        np.multiply(self.pixels, 1.0 / 128.0, out=self.pixels)
        self.cols[..., :27].reshape(self.patches.shape)[...] = self.patches
        for function, args, keywords in self.calls:
            function(*args, **keywords)
        maps = reshaped(out, -1, out.shape[3])
        np.matmul(self.last, self.network.head, out=maps)
        return np.clip(maps, 0.0, 6.0, out=maps)


#: Idle runners, the last used first: a thread takes one (or makes one) for a batch and
#: gives it back, so the threads of the next extraction find them ready.
_idle: list[_Runner] = []
#: Runners kept idle: two threads' worth (a runner for a pair holds ~30 MB of buffers).
IDLE = 2
_networks: list[_Network] = []  # the last two networks used
_lock = threading.Lock()


@contextlib.contextmanager
def _runner(weights: Weights, n: int) -> Iterator[_Runner]:
    """A runner for ``n`` pictures through ``weights``, this thread's until the block ends."""
    with _lock:
        runner = next((r for r in _idle if r.network.weights is weights and r.n == n), None)
        if runner is not None:
            _idle.remove(runner)
        else:
            network = next((x for x in _networks if x.weights is weights), None)
            network = network or _Network(weights)
            _networks[:] = [network, *(x for x in _networks if x is not network)][:2]
    runner = runner or _Runner(network, n)
    try:
        yield runner
    finally:
        with _lock:
            _idle.insert(0, runner)
            del _idle[IDLE:]
