"""How features and thumbnails are stored: compact bytes, checked when read back.

A picture's pooled features (1,280 values) are stored as little-endian float16: 2,560
bytes instead of 5,120. The heads are linear in them (or in the ImageNet logits, which are
linear in them), and float16's 11 significant bits change P(cat) by less than 1e-3 on
real photos (``benchmarks/bench_library.py`` measures it). A blob of any other length, or
holding a value that is not finite, is refused (the row is dropped and recomputed).
"""

from __future__ import annotations

import io

import numpy as np

FEATURES = 1280
DTYPE = np.dtype("<f2")
BYTES = FEATURES * DTYPE.itemsize
#: The thumbnail's longest side and JPEG quality.
THUMBNAIL_SIDE = 96
THUMBNAIL_QUALITY = 75


def encode(pooled: np.ndarray) -> bytes:
    """One picture's ``(1280,)`` features as bytes."""
    vector = np.asarray(pooled, dtype=np.float32).reshape(FEATURES)
    return np.clip(vector, -65000, 65000).astype(DTYPE).tobytes()


def valid(blob: object) -> bool:
    """Whether a blob read back has the right length and only finite values."""
    if not isinstance(blob, bytes) or len(blob) != BYTES:
        return False
    return bool(np.isfinite(np.frombuffer(blob, dtype=DTYPE)).all())


def decode_many(blobs: list[bytes]) -> np.ndarray:
    """Blobs already checked by :func:`valid` -> ``(n, 1280)`` float32."""
    if not blobs:
        return np.empty((0, FEATURES), dtype=np.float32)
    return (
        np.frombuffer(b"".join(blobs), dtype=DTYPE).reshape(len(blobs), FEATURES).astype(np.float32)
    )


def thumbnail_jpeg(pixels: np.ndarray) -> bytes:
    """A small JPEG of an ``(h, w, 3)`` uint8 picture (longest side at most 96)."""
    from PIL import Image

    img = Image.fromarray(np.ascontiguousarray(pixels, dtype=np.uint8))
    img.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()
