"""Backbone features kept on disk, one small file per picture, so a picture is run once.

A picture's entry is named by the SHA-256 of its prepared 224 x 224 square (so the same
picture from any file or data set is found again) in a folder named by the backbone
weights' SHA-256 and :data:`VERSION` of the preparation: other weights or another
preparation never read these numbers. An entry is the 1280 pooled features and the 1000
logits, float32 (9 KB), written to a temporary file and renamed into place; an entry
that cannot be read is computed again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from catgui.core import atomic
from catgui.core.backbone import efficientnet
from catgui.core.errors import CatguiError
from catgui.core.paths import user_data_dir

#: Changes whenever the squares are prepared differently (resampling, normalisation).
VERSION = 1
WIDTH = efficientnet.FEATURES + efficientnet.CLASSES


def folder(sha256: str) -> Path:
    """``user_data_dir()/cache/features/<weights>-v<VERSION>``."""
    return user_data_dir() / "cache" / "features" / f"{sha256[:16]}-v{VERSION}"


def key(square: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(square, dtype=np.uint8).tobytes()).hexdigest()


def read(where: Path, name: str) -> np.ndarray | None:
    """The ``(2280,)`` entry, or ``None`` when absent or unreadable."""
    try:
        entry = np.load(where / name[:2] / f"{name}.npy", allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    if entry.shape != (WIDTH,) or entry.dtype != np.float32 or not np.all(np.isfinite(entry)):
        return None
    return entry


def write(where: Path, name: str, entry: np.ndarray) -> None:
    """Store an entry; a cache that cannot be written is only slower, never an error."""
    array = np.asarray(entry, dtype=np.float32)
    try:
        target = where / name[:2] / f"{name}.npy"
        atomic.write(target, lambda f: np.save(f, array), overwrite=True, durable=False)
    except CatguiError:
        pass
