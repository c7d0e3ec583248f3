"""Where the project and the real data set are, and tiny synthetic data sets."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

#: The project's folder.
ROOT = Path(__file__).resolve().parents[1]


def _real_data_dir() -> Path | None:
    candidates = [os.environ.get("CATGUI_DATA"), ROOT.parent / "shared" / "datasets"]
    for c in candidates:
        if (
            c
            and (Path(c) / "train_catvnoncat.h5").is_file()
            and (Path(c) / "test_catvnoncat.h5").is_file()
        ):
            return Path(c)
    return None


REAL_DATA = _real_data_dir()


def write_h5_pair(folder: Path, m_train: int = 12, m_test: int = 6, seed: int = 0) -> Path:
    """Write a tiny, learnable train/test pair (bright images are cats) into ``folder``."""
    import h5py

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for split, m in (("train", m_train), ("test", m_test)):
        y = np.arange(m) % 2
        x = rng.integers(0, 100, size=(m, 64, 64, 3), dtype=np.uint8)
        x[y == 1] += 120
        with h5py.File(folder / f"{split}_catvnoncat.h5", "w") as f:
            f[f"{split}_set_x"] = x
            f[f"{split}_set_y"] = y.astype(np.int64)
            f["list_classes"] = np.array([b"non-cat", b"cat"])
    return folder
