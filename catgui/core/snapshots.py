"""Snapshots of live frames, kept as pictures in ``user_data_dir()/snapshots``."""

from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path

import numpy as np

from catgui.core import atomic
from catgui.core.errors import CatguiError
from catgui.core.paths import user_data_dir


def default_folder() -> Path:
    return user_data_dir() / "snapshots"


def save(frame: np.ndarray, folder: Path | None = None, when: _dt.datetime | None = None) -> Path:
    """Write ``frame`` (``(h, w, 3)`` uint8) as a new PNG (never over another file)."""
    from PIL import Image

    frame = np.asarray(frame)
    if frame.ndim != 3 or frame.shape[2] != 3 or frame.dtype != np.uint8:
        raise CatguiError(f"a snapshot must be an (h, w, 3) uint8 picture, got {frame.shape}")
    buffer = io.BytesIO()
    Image.fromarray(frame, "RGB").save(buffer, "PNG")
    data = buffer.getvalue()
    folder = Path(folder) if folder is not None else default_folder()
    stamp = f"{(when or _dt.datetime.now()):%Y-%m-%d %H.%M.%S}"
    for n in range(1, 1000):
        path = folder / f"snapshot {stamp}{'' if n == 1 else f' ({n})'}.png"
        if path.exists():
            continue
        try:
            return atomic.write(path, lambda out: out.write(data), what="snapshot")
        except CatguiError:
            if path.exists():  # taken just now by another snapshot
                continue
            raise
    raise CatguiError(f"{folder}: too many snapshots named {stamp!r}")
