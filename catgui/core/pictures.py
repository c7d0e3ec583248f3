"""Pictures as a model kind takes them: decoded squares -> the numbers a model reads.

Decoding (any file -> centred squares of uint8 RGB) lives in :mod:`catgui.core.images`;
this module holds the preparations that model kinds share. The article's kinds read the
64x64 square as one column of ``12288`` values in [0, 1] (:func:`to_features`).
"""

from __future__ import annotations

import numpy as np

from catgui.core.errors import CatguiError

#: Pictures prepared at once when a model reads a large batch (bounds the float copies:
#: 1,024 pictures of 64x64 are 100 MB of float64).
CHUNK = 1024


def to_features(images: np.ndarray) -> np.ndarray:
    """``(m, 64, 64, 3)`` uint8 images -> ``(12288, m)`` float64 in [0, 1].

    Flattening is row-major (row, column, channel), exactly as the article's
    ``x.reshape(m, -1).T / 255``.
    """
    m = images.shape[0]
    return images.reshape(m, -1).T / 255.0


def as_batch(squares, size: int) -> np.ndarray:
    """A ``(k, size, size, 3)`` uint8 batch from an array or a sequence of squares."""
    batch = squares if isinstance(squares, np.ndarray) else np.stack(list(squares))
    if batch.ndim == 3:
        batch = batch[np.newaxis]
    if batch.ndim != 4 or batch.shape[1:] != (size, size, 3):
        raise CatguiError(
            f"the model takes pictures of {size} x {size} x 3, got an array of {batch.shape}"
        )
    return batch


def resize_squares(squares: np.ndarray, size: int) -> np.ndarray:
    """``(k, s, s, 3)`` uint8 squares resized to ``(k, size, size, 3)`` (Lanczos)."""
    if squares.shape[1] == size:
        return squares
    from PIL import Image

    out = np.empty((len(squares), size, size, 3), dtype=np.uint8)
    for i, square in enumerate(squares):
        img = Image.fromarray(square).resize((size, size), Image.Resampling.LANCZOS)
        out[i] = np.asarray(img, dtype=np.uint8)
    return out
