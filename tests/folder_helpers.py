"""Tiny folder data sets written with Pillow for the folder, augmentation and correction tests.

Two visually separable classes: cats are bright and reddish, non-cats dark and bluish,
both with per-pixel noise, in assorted sizes (so the centre-square crop and resize run).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

SIZES = [(80, 64), (64, 96), (72, 72), (100, 70)]


def picture(
    rng: np.random.Generator, is_cat: bool, size: tuple[int, int] = (72, 72)
) -> Image.Image:
    """One noisy synthetic picture (width x height ``size``)."""
    w, h = size
    noise = rng.integers(0, 60, size=(h, w, 3))
    base = np.array([180, 120, 90]) if is_cat else np.array([20, 40, 110])
    return Image.fromarray(np.clip(base + noise, 0, 255).astype(np.uint8))


def make_folder(
    root: Path,
    cats: int = 20,
    non_cats: int = 20,
    cat_name: str = "cat",
    non_cat_name: str = "non-cat",
    seed: int = 0,
    nested: bool = True,
) -> Path:
    """Write ``root/cat_name`` and ``root/non_cat_name`` (some images one folder deeper)."""
    rng = np.random.default_rng(seed)
    for name, n, is_cat in ((cat_name, cats, True), (non_cat_name, non_cats, False)):
        for i in range(n):
            sub = root / name / ("deeper" if nested and i % 3 == 0 else "")
            sub.mkdir(parents=True, exist_ok=True)
            suffix = ".png" if i % 2 else ".jpg"
            picture(rng, is_cat, SIZES[i % len(SIZES)]).save(sub / f"{name}-{i:03d}{suffix}")
    return root
