"""Measuring what a grab shows: the ground of a region and how readable its text is on it.

Text is found in the pixels, not taken from a palette: a region's ground is its most
common colour; the pixels that differ from it are ink; ink is cut into lines (by empty
pixel rows) and each line into marks (by empty pixel columns): a letter or a few touching
ones. A mark's colour is its pixel farthest from the ground (anti-aliased edges are only
partly the text's colour; the core of a stroke is all of it). The region's worst mark is
its contrast: every letter must be readable, whatever colour a rich text gave it.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage

#: A pixel counts as ink when its contrast with the ground exceeds this.
INK = 1.06
#: Marks with fewer ink pixels are ignored (a stray pixel of a frame's corner).
MIN_INK = 6


def pixels(image: QImage, rect: QRect | None = None) -> np.ndarray:
    """``(h, w, 3)`` uint8 RGB of ``image`` (or of ``rect`` in it, clipped)."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    if rect is not None:
        image = image.copy(rect.intersected(image.rect()))
    h, w = image.height(), image.width()
    raw = np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * h)
    return raw.reshape(h, image.bytesPerLine())[:, : 3 * w].reshape(h, w, 3).copy()


def luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of ``(..., 3)`` uint8 sRGB colours."""
    c = rgb.astype(np.float64) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722])


def ratio(l1: np.ndarray | float, l2: np.ndarray | float) -> np.ndarray:
    """WCAG contrast ratio of luminances (either order)."""
    hi, lo = np.maximum(l1, l2), np.minimum(l1, l2)
    return (hi + 0.05) / (lo + 0.05)


def ground(region: np.ndarray) -> np.ndarray:
    """The most common colour of ``(h, w, 3)`` pixels."""
    flat = region.reshape(-1, 3)
    packed = (flat[:, 0].astype(np.int64) << 16) | (flat[:, 1].astype(np.int64) << 8) | flat[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    top = int(values[np.argmax(counts)])
    return np.array([(top >> 16) & 255, (top >> 8) & 255, top & 255], np.uint8)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``(start, stop)`` of the runs of True in a 1-D mask."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2], edges[1::2]))


def marks(region: np.ndarray, under: np.ndarray | None = None) -> list[float]:
    """The contrast of every mark of ink in ``region`` with its ground (``under`` if given)."""
    back = ground(region) if under is None else under
    contrast = ratio(luminance(region), luminance(back))
    ink = contrast > INK
    found = []
    for top, bottom in _runs(ink.any(axis=1)):
        line = ink[top:bottom]
        for left, right in _runs(line.any(axis=0)):
            if line[:, left:right].sum() >= MIN_INK:
                found.append(float(contrast[top:bottom, left:right].max()))
    return found


def worst_text(region: np.ndarray) -> float:
    """The lowest contrast of any mark in ``region``; 1 when no text shows at all (text the
    colour of its ground is the worst there is)."""
    found = marks(region)
    return min(found) if found else 1.0


def ground_luminance(region: np.ndarray) -> float:
    return float(luminance(ground(region)))
