"""Held-out test parts: a seeded, stratified split of a folder data set.

Each image is ranked within its class by the SHA-256 of ``"{seed}:{relative path}"``;
the first ``round(share * n_class)`` of each class form the test part. So the split

* depends only on the seed, the share and the file names (not on the order of the walk),
* is exactly stratified (each class keeps its share, at least one image per class in each
  part when the class has two or more),
* barely moves when files are added or removed (other files keep their ranks).

The test part is recorded by file name (:attr:`Holdout.test_files`) in the model's
metadata, so the split can be shown and reproduced.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from catgui.core.errors import CatguiError

DEFAULT_SHARE = 0.2
METHOD = "stratified, ranked by sha256(seed:relative path) within each class"


@dataclass(frozen=True)
class Holdout:
    """Indices (ascending) of the training and test parts; ``files`` named the examples."""

    train_index: np.ndarray  # (m_train,) int64
    test_index: np.ndarray  # (m_test,) int64
    share: float
    seed: int
    test_files: tuple[str, ...]

    def as_dict(self) -> dict:
        """For the model's metadata (the test files by name)."""
        return {
            "method": METHOD,
            "share": self.share,
            "seed": self.seed,
            "train_size": int(len(self.train_index)),
            "test_size": int(len(self.test_index)),
            "test_files": list(self.test_files),
        }


def check_share(share: float) -> float:
    """The held-out share must lie strictly between 0 and 1."""
    if not isinstance(share, (int, float)) or not 0.0 < float(share) < 1.0:
        raise CatguiError(
            f"the held-out share must be above 0 and below 1 (e.g. 0.2 for 20 %), got {share!r}"
        )
    return float(share)


def stratified_holdout(
    files: Sequence[str], y: np.ndarray, share: float = DEFAULT_SHARE, seed: int = 0
) -> Holdout:
    """Split examples named ``files`` with labels ``y`` (m,) into training and test parts."""
    share = check_share(share)
    y = np.asarray(y).reshape(-1)
    if len(files) != len(y):
        raise CatguiError(f"{len(files)} file names but {len(y)} labels")
    if len(set(files)) != len(files):
        raise CatguiError("the file names of a data set must be unique to split it")
    test: list[int] = []
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        n = len(members)
        k = int(round(share * n))
        if n >= 2:
            k = min(max(k, 1), n - 1)
        ranked = sorted(members, key=lambda i: _rank(seed, files[i]))
        test.extend(int(i) for i in ranked[:k])
    test_index = np.array(sorted(test), dtype=np.int64)
    train_mask = np.ones(len(y), dtype=bool)
    train_mask[test_index] = False
    return Holdout(
        train_index=np.flatnonzero(train_mask).astype(np.int64),
        test_index=test_index,
        share=share,
        seed=int(seed),
        test_files=tuple(files[i] for i in test_index),
    )


def _rank(seed: int, name: str) -> bytes:
    return hashlib.sha256(f"{seed}:{name}".encode("utf-8", "surrogateescape")).digest()


def stratified_folds(y: np.ndarray, k: int, seed: int = 0) -> list[np.ndarray]:
    """``k`` stratified folds (ascending index arrays) of 0/1 labels ``y``, shuffled with ``seed``.

    Each class is permuted with ``numpy.random.default_rng(seed)`` and dealt round-robin,
    so every fold holds each class's share to within one example; the folds are disjoint
    and together cover every index. Empty folds (more folds than examples) are dropped.
    """
    y = np.asarray(y).reshape(-1)
    rng = np.random.default_rng(seed)
    folds: list[list[int]] = [[] for _ in range(k)]
    for label in (0, 1):
        idx = rng.permutation(np.flatnonzero(y == label))
        for i, j in enumerate(idx):
            folds[i % k].append(int(j))
    return [np.sort(np.array(f, dtype=np.int64)) for f in folds if f]
