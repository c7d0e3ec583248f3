"""Seeded, reproducible augmentation of training images, done once at import.

It works on the 64x64 model inputs (not on the decoded photos): cheap, needs no file
access, and gives the same result whether the images came from a folder, the cache or
the article's h5 file. Each augmented copy of an image gets, in this order:

1. a horizontal flip with probability 1/2;
2. a random square crop of side ``crop_min``..``crop_max`` pixels (uniform, at a uniform
   position), resized back to 64x64 with a bilinear filter (a small zoom and shift);
3. a brightness change: every pixel multiplied by one factor drawn uniformly from
   ``[1 - brightness, 1 + brightness]``, rounded and clipped to 0..255.

Only the training part of a data set is ever augmented (see :mod:`catgui.core.splits`);
test images are left exactly as imported.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from catgui.core.errors import CatguiError

SIZE = 64


@dataclass(frozen=True)
class AugmentConfig:
    """How many augmented copies per training image (besides the original), and how."""

    copies: int = 1
    flip: bool = True
    crop_min: int = 56
    crop_max: int = 64
    brightness: float = 0.2
    seed: int = 0

    def validate(self) -> AugmentConfig:
        """Raise :class:`CatguiError` for values that cannot work."""
        if not isinstance(self.copies, int) or not 1 <= self.copies <= 20:
            raise CatguiError(f"augmentation copies must be from 1 to 20, got {self.copies!r}")
        if not 8 <= self.crop_min <= self.crop_max <= SIZE:
            raise CatguiError(
                f"augmentation crop sizes must satisfy 8 <= min <= max <= 64, got "
                f"{self.crop_min}..{self.crop_max}"
            )
        if not 0 <= self.brightness < 1:
            raise CatguiError(
                f"augmentation brightness change must be from 0 to below 1, got {self.brightness}"
            )
        return self

    def as_dict(self) -> dict:
        """For the model's metadata."""
        return {
            **asdict(self),
            "applied_to": "training part only",
            "method": "flip p=0.5, random square crop resized back (bilinear), brightness factor",
        }


def augment(
    x: np.ndarray, y: np.ndarray, config: AugmentConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Originals followed by ``config.copies`` augmented copies of each.

    Parameters
    ----------
    x : (m, 64, 64, 3) uint8 images.
    y : (m,) labels.

    Returns
    -------
    x_out : (m * (1 + copies), 64, 64, 3) uint8; ``x_out[:m]`` is ``x`` unchanged, then
        copy 1 of every image, copy 2 of every image, ...
    y_out : (m * (1 + copies),) labels, matching ``x_out``.
    source : (m * (1 + copies),) int64, the index into ``x`` each row was made from.

    The same ``x``, ``y`` and ``config`` (including its seed) always give the same output.
    """
    config.validate()
    x = np.asarray(x)
    if x.ndim != 4 or x.shape[1:] != (SIZE, SIZE, 3) or x.dtype != np.uint8:
        raise CatguiError(
            f"augmentation takes (m, 64, 64, 3) uint8 images, got {x.shape} {x.dtype}"
        )
    m = x.shape[0]
    total = m * (1 + config.copies)
    out = np.empty((total, SIZE, SIZE, 3), dtype=np.uint8)
    out[:m] = x
    rng = np.random.default_rng(config.seed)
    for c in range(1, config.copies + 1):
        for i in range(m):
            out[c * m + i] = _one(x[i], rng, config)
    source = np.tile(np.arange(m, dtype=np.int64), 1 + config.copies)
    return out, np.asarray(y)[source], source


def _one(image: np.ndarray, rng: np.random.Generator, config: AugmentConfig) -> np.ndarray:
    """One augmented copy of a (64, 64, 3) uint8 image; draws a fixed number of values."""
    from PIL import Image

    flip = rng.random() < 0.5
    side = int(rng.integers(config.crop_min, config.crop_max + 1))
    top = int(rng.integers(0, SIZE - side + 1))
    left = int(rng.integers(0, SIZE - side + 1))
    factor = rng.uniform(1 - config.brightness, 1 + config.brightness)
    result = image[:, ::-1] if (config.flip and flip) else image
    if side < SIZE:
        crop = np.ascontiguousarray(result[top : top + side, left : left + side])
        result = np.asarray(
            Image.fromarray(crop).resize((SIZE, SIZE), Image.Resampling.BILINEAR), dtype=np.uint8
        )
    if config.brightness:
        result = np.clip(np.rint(result * factor), 0, 255).astype(np.uint8)
    return result
