"""The article's data set: a pair of HDF5 files, found, loaded and validated.

Each file holds ``{split}_set_x`` (m, 64, 64, 3) uint8 images and ``{split}_set_y`` (m,)
0/1 labels (1 = cat). :meth:`Split.features` is the article's kinds' view of them
(:func:`catgui.core.pictures.to_features`).
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catgui.core import pictures
from catgui.core.errors import CatguiError
from catgui.core.paths import user_data_dir
from catgui.core.regular_files import checked_stat

IMAGE_SHAPE = (64, 64, 3)
TRAIN_FILE = "train_catvnoncat.h5"
TEST_FILE = "test_catvnoncat.h5"

#: SHA-256 of the article's files, for the download and to name the data in a model.
KNOWN_SHA256 = {
    TRAIN_FILE: "fbe56ab67c3ae28d564e3a644189117976d6b31af0a3ce9bb17dbf22908af242",
    TEST_FILE: "6a9d39ce52fa85953c5834695b8534a30ed8cfd54971fb2f080b5a24d002b951",
}


@dataclass(frozen=True)
class KnownFeatures:
    """The backbone's pooled features of some of a split's pictures, read from elsewhere
    than their ``x`` square: a photo's 224 crop, as a library index stores it, where ``x``
    holds only its 64x64 square (:mod:`catgui.core.library.correction_features`).

    Attributes
    ----------
    rows : np.ndarray
        ``(k,)`` int64: distinct indices of the split's pictures these features are of.
    pooled : np.ndarray
        ``(k, d)`` float32: their pooled features, row ``j`` of the picture ``rows[j]``.
    """

    rows: np.ndarray
    pooled: np.ndarray

    def __post_init__(self) -> None:
        rows, pooled = np.asarray(self.rows), np.asarray(self.pooled)
        if rows.ndim != 1 or pooled.ndim != 2 or len(rows) != len(pooled):
            raise ValueError("known features need one row of features per picture index")
        if len(np.unique(rows)) != len(rows) or (len(rows) and rows.min() < 0):
            raise ValueError("known features' picture indices must be distinct and >= 0")


@dataclass(frozen=True)
class Split:
    """Images ``x`` (m, 64, 64, 3) uint8 and labels ``y`` (m,) int64 of one file.

    ``known``: backbone features known for some of the pictures (the kinds on the backbone
    fit their head on those instead of their ``x``'s; ``x`` still makes the familiarity
    reference); ``None``: none.
    """

    x: np.ndarray
    y: np.ndarray
    path: Path
    sha256: str
    known: KnownFeatures | None = None

    def __len__(self) -> int:
        return len(self.y)

    def features(self) -> np.ndarray:
        """The article's kinds' input: shape ``(12288, m)``, float64 in [0, 1]."""
        return pictures.to_features(self.x)

    def labels(self) -> np.ndarray:
        """Labels as a ``(1, m)`` float row, as the trainer takes them."""
        return self.y.reshape(1, -1).astype(np.float64)


@dataclass(frozen=True)
class DataSet:
    train: Split
    test: Split
    folder: Path

    @property
    def sha256(self) -> str:
        """One fingerprint of both files."""
        return hashlib.sha256((self.train.sha256 + self.test.sha256).encode()).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def candidate_folders(explicit: str | os.PathLike | None = None) -> list[Path]:
    """Where the data set is looked for, in order.

    ``--data DIR`` (``explicit``), ``$CATGUI_DATA``, ``./datasets/``, then the user's data
    folder (where the app's download puts it).
    """
    folders = []
    if explicit:
        folders.append(Path(explicit).expanduser())
    env = os.environ.get("CATGUI_DATA")
    if env:
        folders.append(Path(env).expanduser())
    folders.append(Path.cwd() / "datasets")
    folders.append(user_data_dir() / "datasets")
    return folders


def find_folder(explicit: str | os.PathLike | None = None) -> Path:
    """The first folder holding both files; an explicit folder must hold them itself."""
    folders = candidate_folders(explicit)
    if explicit:
        folders = folders[:1]
    for folder in folders:
        if (folder / TRAIN_FILE).is_file() and (folder / TEST_FILE).is_file():
            return folder
    looked = ", ".join(str(f) for f in folders)
    raise CatguiError(
        f"the cat/non-cat data set ({TRAIN_FILE}, {TEST_FILE}) was not found; looked in: {looked}"
    )


def load_split(path: str | os.PathLike, split: str) -> Split:
    """Load and validate one file; ``split`` is ``"train"`` or ``"test"``."""
    import h5py  # local: keeps `import catgui.core.dataset` light

    path = Path(path)
    if not os.path.lexists(path):
        raise CatguiError(f"{path}: file not found")
    checked_stat(path, "an HDF5 data set")  # a FIFO or a device is never opened
    try:
        h5 = h5py.File(path, "r")
    except OSError as exc:
        raise CatguiError(f"{path}: not a readable HDF5 file ({exc})") from None
    with h5:
        x = _read(h5, path, f"{split}_set_x")
        y = _read(h5, path, f"{split}_set_y")
    if x.ndim != 4 or x.shape[1:] != IMAGE_SHAPE:
        raise CatguiError(
            f"{path}: {split}_set_x has shape {x.shape}, expected (m, 64, 64, 3) images"
        )
    if x.dtype != np.uint8:
        raise CatguiError(f"{path}: {split}_set_x holds {x.dtype}, expected uint8 pixels")
    if y.ndim != 1:
        raise CatguiError(f"{path}: {split}_set_y has shape {y.shape}, expected (m,)")
    if not (np.issubdtype(y.dtype, np.integer) or np.issubdtype(y.dtype, np.bool_)):
        if not np.issubdtype(y.dtype, np.floating):
            raise CatguiError(f"{path}: {split}_set_y holds {y.dtype}, expected 0/1 labels")
        if not np.all(np.isfinite(y)):
            raise CatguiError(f"{path}: {split}_set_y has NaN or infinite labels")
    if len(y) != len(x):
        raise CatguiError(f"{path}: {len(x)} images but {len(y)} labels")
    if len(y) == 0:
        raise CatguiError(f"{path}: the file holds no examples")
    bad = ~np.isin(y, (0, 1))
    if bad.any():
        raise CatguiError(
            f"{path}: labels must be 0 (non-cat) or 1 (cat); found {y[bad][0]!r} "
            f"at example {int(np.flatnonzero(bad)[0])}"
        )
    return Split(x=x, y=y.astype(np.int64), path=path, sha256=file_sha256(path))


#: The most one array of an h5 data set may declare (the article's pictures: 7.7 MB),
#: checked before it is read (a compressed file can declare far more than it holds).
MAX_DATASET_BYTES = 4 << 30


def _read(h5, path: Path, key: str) -> np.ndarray:
    if key not in h5:
        raise CatguiError(
            f"{path}: missing dataset {key!r} (has: {', '.join(h5.keys()) or 'nothing'})"
        )
    item = h5[key]
    shape, dtype = getattr(item, "shape", None), getattr(item, "dtype", None)
    if shape is None or dtype is None:
        raise CatguiError(f"{path}: {key!r} is not a dataset (a group?)")
    declared = math.prod(shape) * dtype.itemsize
    if declared > MAX_DATASET_BYTES:
        raise CatguiError(
            f"{path}: {key!r} declares shape {shape} ({declared / 2**30:.1f} GB), more than "
            f"the {MAX_DATASET_BYTES >> 30} GB a data set may hold; not read"
        )
    try:
        return np.asarray(item[()])
    except MemoryError:
        raise CatguiError(f"{path}: not enough memory to read {key!r}") from None
    except (OSError, TypeError, ValueError, AttributeError) as exc:
        raise CatguiError(f"{path}: cannot read {key!r} ({exc})") from None


def load(folder: str | os.PathLike | None = None) -> DataSet:
    """Find (see :func:`find_folder`) and load the train/test pair, validated."""
    found = find_folder(folder)
    train = load_split(found / TRAIN_FILE, "train")
    test = load_split(found / TEST_FILE, "test")
    for split in (train, test):
        if len(np.unique(split.y)) < 2 and split is train:
            raise CatguiError(
                f"{split.path}: every training label is {split.y[0]}; need both classes"
            )
    return DataSet(train=train, test=test, folder=found)
