"""The corrections as the library sees them: their photos' 224-crop features.

A correction is a copy of a photo (:mod:`catgui.core.corrections`); the corrections
folder is imported as a folder data set, which holds each photo as its 64x64 square. The
library scores that same photo from its 224 crop's features (one backbone pass per photo,
stored in the index), so a head fitted on the square learns the correction from another
vector than the one it is judged on. :func:`crop_features_steps` gives the training the
vector the library uses:

* a correction whose content is in the index (the copy's SHA-256 is the original's): its
  stored features, read from their chunk and checked as a re-score reads them
  (:func:`catgui.core.library.chunks.features_of`; a damaged chunk is not used);
* any other (corrected in Classify, never scanned; or an index that cannot be read): its
  file decoded once and its 224 crop run through the backbone, decoded ahead in threads
  as the scan reads (:mod:`catgui.core.batched`).

The training data's own pictures (the article's 64x64 squares) are left as the kind
prepares them. A correction whose file cannot be read now keeps its 64x64 square.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catgui.core import backbone, images
from catgui.core.batched import batches_in_order
from catgui.core.dataset import KnownFeatures, file_sha256
from catgui.core.errors import CatguiError
from catgui.core.library import chunks
from catgui.core.library.index import Index
from catgui.core.sources import ComposedDataSet

#: How :mod:`catgui.core.sources` names a correction among the training pictures.
PREFIX = "corrections/"
_AUGMENTED = re.compile(r" \(augmented \d+\)$")


@dataclass(frozen=True)
class CropFeatures:
    """What :func:`crop_features_steps` found, correction file by correction file.

    Attributes
    ----------
    data
        The data set, its training split carrying the features found
        (:class:`~catgui.core.dataset.KnownFeatures`).
    from_index, from_files, kept_squares
        Corrections whose features came from the index, from their file's 224 crop, and
        those left as their 64x64 square (the file could not be read now).
    """

    data: ComposedDataSet
    from_index: int
    from_files: int
    kept_squares: int


def crop_features_steps(
    data: ComposedDataSet,
    corrections_folder: str | os.PathLike,
    index_path: str | os.PathLike | None,
) -> Generator[int, None, CropFeatures]:
    """``data`` with every correction among its training pictures learnt from its 224
    crop's features (the index's when it holds them). Yields the corrections done."""
    folder = Path(corrections_folder)
    rows: dict[str, list[int]] = {}
    for i, name in enumerate(data.train_names):
        # the weight repeats a correction: every row of it; an augmented copy (a flipped
        # or shifted square, named "... (augmented k)") stays as it was made
        if name.startswith(PREFIX) and not _AUGMENTED.search(name):
            rows.setdefault(name[len(PREFIX) :], []).append(i)
    files = list(rows)
    if not files:
        return CropFeatures(data, 0, 0, 0)
    hashes: list[str | None] = []
    for rel in files:
        try:
            hashes.append(file_sha256(folder / rel))
        except OSError:
            hashes.append(None)
    found = stored_features(index_path, [h for h in hashes if h is not None])
    vectors: dict[str, np.ndarray] = {}
    for rel, digest in zip(files, hashes):
        if digest in found:
            vectors[rel] = found[digest]
    from_index = len(vectors)
    yield from_index
    rest = [rel for rel in files if rel not in vectors]
    done = from_index
    for batch in batches_in_order(lambda rel: _decoded(folder / rel), _crop_features, rest):
        for rel, pooled in zip(rest[done - from_index :], batch):
            if pooled is not None:
                vectors[rel] = pooled
        done += len(batch)
        yield done
    if not vectors:
        return CropFeatures(data, 0, 0, len(files))
    picked = [rel for rel in files if rel in vectors]
    index_rows = np.array([i for rel in picked for i in rows[rel]], dtype=np.int64)
    pooled = np.stack([vectors[rel] for rel in picked for _ in rows[rel]]).astype(np.float32)
    train = dataclasses.replace(data.train, known=KnownFeatures(index_rows, pooled))
    return CropFeatures(
        dataclasses.replace(data, train=train),
        from_index,
        len(vectors) - from_index,
        len(files) - len(vectors),
    )


def stored_features(
    index_path: str | os.PathLike | None, hashes: Sequence[str]
) -> dict[str, np.ndarray]:
    """The index's stored features ``(1280,)`` float32 of those contents it holds whole,
    by hash; none when the index cannot be read (the files are read instead)."""
    if not hashes:
        return {}
    try:
        with Index(index_path) as index, index.guard():
            features, have = chunks.features_of(index.conn, list(hashes))
    except CatguiError:
        return {}
    present = [h for h, ok in zip(hashes, have) if ok]
    return dict(zip(present, features))


def _decoded(path: Path) -> images.Picture | None:
    try:
        return images.load(path, sizes=(backbone.INPUT_SIZE,))
    except CatguiError:
        return None


def _crop_features(decoded: list[images.Picture | None]) -> list[np.ndarray | None]:
    """The pooled features ``(1280,)`` of the pictures' 224 crops, as the scan computes
    them (``None`` for a picture that could not be decoded)."""
    size = backbone.INPUT_SIZE
    good = [p for p in decoded if p is not None]
    if not good:
        return [None] * len(decoded)
    pooled = iter(backbone.extract(np.stack([p.square(size) for p in good])).pooled)
    return [None if p is None else np.asarray(next(pooled), dtype=np.float32) for p in decoded]
