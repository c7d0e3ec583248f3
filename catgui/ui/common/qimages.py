"""NumPy pictures to Qt images: the one conversion every widget uses."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage, QPixmap


def to_qimage(pixels: np.ndarray) -> QImage:
    """``(h, w, 3)`` uint8 RGB -> a ``QImage`` that owns its pixels (safe in any thread)."""
    arr = np.ascontiguousarray(pixels, dtype=np.uint8)
    h, w = arr.shape[:2]
    return QImage(arr.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def to_rgba_qimage(pixels: np.ndarray) -> QImage:
    """``(h, w, 4)`` uint8 RGBA (not premultiplied) -> a ``QImage`` that owns its pixels."""
    arr = np.ascontiguousarray(pixels, dtype=np.uint8)
    h, w = arr.shape[:2]
    return QImage(arr.data, w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()


def to_pixmap(pixels: np.ndarray) -> QPixmap:
    """``(h, w, 3)`` uint8 RGB -> ``QPixmap`` (GUI thread only)."""
    return QPixmap.fromImage(to_qimage(pixels))
