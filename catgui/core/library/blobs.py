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
    """Blobs of the right length -> ``(n, 1280)`` float32."""
    return decode_checked(blobs)[0]


def decode_checked(blobs: list[object]) -> tuple[np.ndarray, np.ndarray]:
    """Blobs read back -> ``(features (k, 1280) float32, ok (n,) bool)``: ``features``
    holds the ``k`` blobs of the right length with only finite values, in order."""
    ok = np.array([isinstance(b, bytes) and len(b) == BYTES for b in blobs], dtype=bool)
    if not ok.any():
        return np.empty((0, FEATURES), dtype=np.float32), ok
    half = np.frombuffer(b"".join(b for b, good in zip(blobs, ok) if good), dtype=DTYPE)
    features = widen(half.reshape(-1, FEATURES))
    finite = np.isfinite(features).all(axis=1)
    if not finite.all():
        ok[np.flatnonzero(ok)[~finite]] = False
        features = features[finite]
    return features, ok


#: 2 ** (127 - 15): float16's exponent bias moved to float32's.
_REBIAS = np.float32(2.0**112)


def widen(half: np.ndarray) -> np.ndarray:
    """float16 -> float32, the same values as ``half.astype(np.float32)``, 6-9x faster.

    NumPy converts float16 one value at a time (1.6 ns each here: 0.2 s for 100,000
    pictures). For values with the sign bit clear and not infinite or NaN (the backbone's
    pooled features are averages of ReLU6 outputs: never negative), the float16 bits
    shifted left by 13 are a float32 whose value is 2^-112 times the original, exact
    for subnormals and zero too; one product puts it right. Anything else (a negative
    value, an infinity, a NaN) takes NumPy's own conversion.
    """
    half = np.ascontiguousarray(half, dtype=DTYPE)
    bits = half.view(np.uint16)
    if bits.size and bits.max() >= 0x7C00:  # a sign bit, an infinity or a NaN
        return half.astype(np.float32)
    wide = bits.astype(np.uint32)
    np.left_shift(wide, 13, out=wide)
    values = wide.view(np.float32)
    np.multiply(values, _REBIAS, out=values)
    return values


def thumbnail_jpeg(pixels: np.ndarray) -> bytes:
    """A small JPEG of an ``(h, w, 3)`` uint8 picture (longest side at most 96)."""
    from PIL import Image

    img = Image.fromarray(np.ascontiguousarray(pixels, dtype=np.uint8))
    img.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()
