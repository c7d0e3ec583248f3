"""Data sets with known wrong labels, for the suspicious-labels tests."""

from __future__ import annotations

from pathlib import Path

import h5py

from tests.data_helpers import write_h5_pair
from tests.folder_helpers import make_folder

#: The article-style training pictures whose label :func:`flipped_h5_pair` turns over.
FLIPPED = (3, 10)


def flipped_h5_pair(folder: Path, flips=FLIPPED) -> Path:
    """A learnable h5 pair (40 training pictures, bright = cat) with ``flips`` mislabelled."""
    write_h5_pair(folder, m_train=40, m_test=10)
    with h5py.File(folder / "train_catvnoncat.h5", "r+") as f:
        y = f["train_set_y"][:]
        y[list(flips)] = 1 - y[list(flips)]
        f["train_set_y"][...] = y
    return folder


def misfiled_folder(root: Path) -> tuple[Path, Path]:
    """A folder data set of 20 cats and 20 non-cats, one cat misfiled under ``non-cat/``;
    returns the folder and the misfiled file."""
    make_folder(root, cats=20, non_cats=20, nested=False)
    wrong = root / "non-cat" / "misfiled-cat.png"
    (root / "cat" / "cat-001.png").rename(wrong)
    return root, wrong
