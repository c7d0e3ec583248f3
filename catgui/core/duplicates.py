"""Near-duplicate pictures: the cosine similarity of the backbone's pooled features.

Two pictures are near-copies when the cosine similarity of their pooled features
``(1280,)`` is at least :data:`THRESHOLD`. The threshold was chosen on measured pairs
(``benchmarks/duplicate_pairs.py``; figures in docs/performance.md): re-encodes, crops,
flips and resizes of the same photo against every pair of distinct photos among the
2,000 real photos.

Measured there: among the 1,999,000 pairs of distinct photos the most similar reached
0.839, save one pair at 0.989 that is the same photo twice in the Kaggle set
(``dog.74.jpg``, ``dog.180.jpg``); among the article's 64x64 pictures two different
sunsets reach 0.884 (test 35, train 150). At 0.90 no pair of distinct pictures is taken
for a copy, and 64 % of the copies are found: every flip, 96 % of the re-encodes, 81 % of
the half-size copies, 43 % of the crops of 80 % of each side, none of those cropped,
flipped, resized and re-encoded at once (0.85 would find 77 %, but takes the sunsets).

The grouping over ``n`` rows never holds the ``n x n`` matrix: the rows are normalised
once, then compared a block at a time (``(block, d) @ (d, n - start)`` products: one BLAS
call per block, ``n^2 / 2`` dot products in all), and the pairs found are joined by
union-find into groups. (Products in 128 principal directions first, bounding each cosine
from above, were tried: the same pairs, but 1.2x slower on 16,000 rows: the comparisons
of the ``n^2 / 2`` similarities cost more than the BLAS products.)
"""

from __future__ import annotations

from collections.abc import Generator, Sequence

import numpy as np

from catgui.core.steps import run_to_end

#: Cosine similarity at or above which two pictures are near-copies (measured: see above).
THRESHOLD = 0.90
#: Similarities a block of the all-pairs comparison holds at most (128 MB of float32):
#: 1,024 rows a block up to 32,768 rows, fewer beyond (100,000 rows: 335).
BLOCK_FLOATS = 1 << 25


def normalised(features: np.ndarray, in_place: bool = False) -> np.ndarray:
    """Rows of ``(n, d)`` features scaled to unit length, float32 (a zero row stays zero).
    ``in_place``: scale a float32 array itself instead of a copy (100,000 rows: 0.5 GB)."""
    x = np.asarray(features, dtype=np.float32)
    if x.ndim != 2:
        raise ValueError(f"features must be (n, d), got shape {x.shape}")
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    if in_place:
        x /= norms
        return x
    return x / norms


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The cosine similarities ``(n, m)`` of rows ``(n, d)`` against rows ``(m, d)``."""
    return normalised(a) @ normalised(b).T


class UnionFind:
    """Disjoint sets over ``0 .. n-1`` (path halving, union by size)."""

    def __init__(self, n: int) -> None:
        self.parent = np.arange(n)
        self.size = np.ones(n, dtype=np.int64)

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return int(i)

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a == b:
            return
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size[b]

    def groups(self) -> list[list[int]]:
        """The sets of more than one member, each sorted, ordered by their first member."""
        roots = np.array([self.find(i) for i in range(len(self.parent))], dtype=np.int64)
        order = np.argsort(roots, kind="stable")
        cuts = np.flatnonzero(np.diff(roots[order])) + 1
        found = [sorted(int(i) for i in part) for part in np.split(order, cuts) if len(part) > 1]
        return sorted(found)


def pair_steps(
    features: np.ndarray,
    threshold: float = THRESHOLD,
    block: int | None = None,
    in_place: bool = False,
) -> Generator[int, None, np.ndarray]:
    """Every pair ``i < j`` of rows with cosine similarity ``>= threshold``.

    Yields the rows compared so far (a block at a time; closing the generator stops the
    work); returns the pairs ``(k, 2)`` int64. Each block of rows is compared with itself
    and the rows after it only (one BLAS product, ``n^2 / 2`` dot products in all); a
    block holds at most :data:`BLOCK_FLOATS` similarities (``block``: rows a block).
    ``in_place``: the rows of a float32 ``features`` are scaled to unit length in place.
    """
    pairs, _ = yield from scored_pair_steps(features, threshold, block, in_place)
    return pairs


def _block_rows(n: int, block: int | None) -> int:
    return block if block is not None else max(16, min(1024, BLOCK_FLOATS // max(1, n)))


def scored_pair_steps(
    features: np.ndarray,
    threshold: float = THRESHOLD,
    block: int | None = None,
    in_place: bool = False,
) -> Generator[int, None, tuple[np.ndarray, np.ndarray]]:
    """:func:`pair_steps` with each pair's similarity: returns ``(pairs (k, 2) int64,
    similarities (k,) float32)``, the pairs in row order."""
    unit = normalised(features, in_place)
    n = len(unit)
    block = _block_rows(n, block)
    found: list[np.ndarray] = []
    sims_found: list[np.ndarray] = []
    for start in range(0, n, block):
        stop = min(n, start + block)
        sims = unit[start:stop] @ unit[start:].T  # (b, n - start)
        rows, cols = np.nonzero(sims >= threshold)
        keep = cols > rows
        if keep.any():
            found.append(np.stack([rows[keep] + start, cols[keep] + start], axis=1))
            sims_found.append(sims[rows[keep], cols[keep]])
        yield stop
    return _joined(found, sims_found)


def cross_pair_steps(
    unit: np.ndarray,
    rows: np.ndarray,
    threshold: float = THRESHOLD,
    block: int | None = None,
) -> Generator[int, None, tuple[np.ndarray, np.ndarray]]:
    """The pairs of near-copies that involve ``rows`` (row numbers into ``unit``): each of
    those rows against every row, ``O(len(rows) * n)`` instead of ``O(n^2)``.

    ``unit`` ``(n, d)``: rows already scaled to unit length (:func:`normalised`). Yields
    the given rows compared so far; returns ``(pairs (k, 2) int64 with i < j,
    similarities (k,) float32)``, each pair once (two given rows alike: one pair).
    """
    rows = np.asarray(rows, dtype=np.int64)
    n = len(unit)
    given = np.zeros(n, dtype=bool)
    given[rows] = True
    block = _block_rows(n, block)
    found: list[np.ndarray] = []
    sims_found: list[np.ndarray] = []
    for start in range(0, len(rows), block):
        these = rows[start : start + block]
        sims = unit[these] @ unit.T  # (b, n)
        at, cols = np.nonzero(sims >= threshold)
        mine = these[at]
        keep = (cols != mine) & (~given[cols] | (cols > mine))  # once per pair, no self
        if keep.any():
            a, b = mine[keep], cols[keep]
            found.append(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1))
            sims_found.append(sims[at[keep], cols[keep]])
        yield min(len(rows), start + block)
    return _joined(found, sims_found)


def _joined(pairs: list[np.ndarray], sims: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    if not pairs:
        return np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.float32)
    return np.concatenate(pairs).astype(np.int64), np.concatenate(sims).astype(np.float32)


def group_steps(
    features: np.ndarray,
    threshold: float = THRESHOLD,
    block: int | None = None,
    in_place: bool = False,
) -> Generator[int, None, list[list[int]]]:
    """The groups of near-copies among the rows of ``(n, d)`` features: lists of row
    numbers (two or more each, sorted), joined transitively (a ~ b and b ~ c: one group).
    Yields the rows compared so far; returns the groups (``in_place``: see
    :func:`pair_steps`)."""
    pairs = yield from pair_steps(features, threshold, block, in_place)
    return groups_of(len(features), pairs)


def groups_of(n: int, pairs: np.ndarray) -> list[list[int]]:
    """The connected groups of ``n`` rows linked by ``pairs`` ``(k, 2)``."""
    sets = UnionFind(n)
    for i, j in np.asarray(pairs).reshape(-1, 2):
        sets.union(int(i), int(j))
    return sets.groups()


def groups(
    features: np.ndarray, threshold: float = THRESHOLD, block: int | None = None
) -> list[list[int]]:
    """:func:`group_steps` run to its end."""
    return run_to_end(group_steps(features, threshold, block))


def near_copies(
    test: np.ndarray, train: np.ndarray, threshold: float = THRESHOLD, block: int = 1024
) -> list[tuple[int, int, float]]:
    """Test rows that have a near-copy among the training rows: ``(test row, its most
    similar training row, their similarity)``, one per such test row, in test order."""
    a, b = normalised(test), normalised(train)
    out: list[tuple[int, int, float]] = []
    if len(a) == 0 or len(b) == 0:
        return out
    for start in range(0, len(a), block):
        sims = a[start : start + block] @ b.T
        best = sims.argmax(axis=1)
        top = sims[np.arange(len(best)), best]
        for k in np.flatnonzero(top >= threshold):
            out.append((start + int(k), int(best[k]), float(top[k])))
    return out


def leakage_text(count: int) -> str | None:
    """The warning a training run gives about test pictures with a near-copy in the
    training pictures (``None`` when there are none)."""
    if count <= 0:
        return None
    what = "1 test picture has" if count == 1 else f"{count:,} test pictures have"
    return f"{what} a near-copy in the training pictures: the test accuracy may be optimistic"


def paths_of(groups_found: Sequence[Sequence[int]], paths: Sequence[str]) -> list[list[str]]:
    """Groups of row numbers as groups of paths, each sorted, the groups by first path."""
    return sorted(sorted(paths[i] for i in group) for group in groups_found)
