"""Test pictures with a near-copy among the training pictures: a test accuracy too good.

A training run counts the test pictures whose backbone features have a near-copy
(:mod:`catgui.core.duplicates`) among the training pictures' and says so beside the test
accuracy. The features come from the backbone's feature cache: a kind on the backbone has
just computed both sets (training reads the training pictures, evaluation the test
pictures), so the check costs one product of the two feature matrices. A kind that reads
pixels (the article's networks, trained in under a second) does not pay a backbone pass
for it: its run is checked when the cache holds every picture (after any pretrained run on
the same data, or ``catgui train``, which asks for the check whatever the kind).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from catgui.core import backbone, duplicates

#: At most this many pairs are kept in a model's metadata (the count is always whole).
PAIRS_KEPT = 50


@dataclass(frozen=True)
class Leakage:
    """``pairs``: (test index, training index, cosine similarity), one per test picture."""

    test_pictures: int
    pairs: list[tuple[int, int, float]]

    @property
    def count(self) -> int:
        return len(self.pairs)

    def text(self) -> str | None:
        return duplicates.leakage_text(self.count)

    def as_metadata(self) -> dict:
        return {
            "test_with_near_copy": self.count,
            "threshold": duplicates.THRESHOLD,
            "pairs": [[t, r, round(s, 4)] for t, r, s in self.pairs[:PAIRS_KEPT]],
        }


def cached_pooled(squares: np.ndarray) -> np.ndarray | None:
    """The pooled features ``(n, 1280)`` of ``squares`` if the cache holds them all, else
    ``None`` (nothing is computed)."""
    from catgui.core.backbone import cache

    if backbone.unavailable() is not None:
        return None
    where = cache.folder(backbone.SHA256)
    out = np.empty((len(squares), backbone.efficientnet.FEATURES), dtype=np.float32)
    for i, square in enumerate(squares):
        entry = cache.read(where, cache.key(square))
        if entry is None:
            return None
        out[i] = entry[: backbone.efficientnet.FEATURES]
    return out


def check(train_x: np.ndarray, test_x: np.ndarray, compute: bool) -> Leakage | None:
    """The test pictures ``(m, s, s, 3)`` with a near-copy among the training pictures
    ``(n, s, s, 3)``. ``compute``: run the backbone on pictures the cache lacks; else a
    check that would need it is not made (``None``, as when the backbone is missing)."""
    if backbone.unavailable() is not None or len(test_x) == 0 or len(train_x) == 0:
        return None
    if compute:
        train = backbone.extract(np.asarray(train_x)).pooled
        test = backbone.extract(np.asarray(test_x)).pooled
    else:
        train, test = cached_pooled(np.asarray(train_x)), cached_pooled(np.asarray(test_x))
        if train is None or test is None:
            return None
    return Leakage(len(test_x), duplicates.near_copies(test, train))


def text_of(metadata: dict) -> str | None:
    """The warning a model's metadata holds (``None``: none, or not checked)."""
    info = metadata.get("near_copies")
    if not isinstance(info, dict):
        return None
    count = info.get("test_with_near_copy")
    if not isinstance(count, int) or isinstance(count, bool):
        return None
    return duplicates.leakage_text(count)
