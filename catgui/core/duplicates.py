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
union-find into groups.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence

import numpy as np

from catgui.core.steps import run_to_end

#: Cosine similarity at or above which two pictures are near-copies (measured: see above).
THRESHOLD = 0.90
#: Rows per block of the all-pairs comparison (a block's products take ``BLOCK x n`` floats).
BLOCK = 1024
#: Up to this many rows the products are made on the whole features; beyond, in the
#: :data:`RANK` principal directions first (see :func:`pair_steps`).
EXACT_ROWS = 8192
RANK = 128
#: Candidate pairs per row of a block above which the block's whole products are made
#: (they cost less than gathering that many pairs of rows, and hold no big copies).
CHECKED_WHOLE = 64


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
    features: np.ndarray, threshold: float = THRESHOLD, block: int = BLOCK, in_place: bool = False
) -> Generator[int, None, np.ndarray]:
    """Every pair ``i < j`` of rows with cosine similarity ``>= threshold``.

    Yields the rows compared so far (a block at a time; closing the generator stops the
    work); returns the pairs ``(k, 2)`` int64. Each block of rows is compared with itself
    and the rows after it only: ``n^2 / 2`` products in all.

    Beyond :data:`EXACT_ROWS` rows the products are made in :data:`RANK` dimensions, not
    ``d``: each unit row ``u`` is split into its part ``p`` in the span of the rows' top
    :data:`RANK` principal directions and the rest ``r`` (``u.v = p.q + r.s``, and
    ``|r.s| <= |r| |s|``), so ``p.q + |r| |s| >= threshold`` keeps every pair that can
    reach the threshold, and only those few are checked with the whole rows. The answer
    is the same as the full products'; the work is ``RANK / d`` of theirs (128 / 1280).
    ``in_place``: the rows of a float32 ``features`` are scaled to unit length in place.
    """
    unit = normalised(features, in_place)
    n, d = unit.shape
    if n <= EXACT_ROWS or d <= 2 * RANK:
        pairs = yield from _exact_pairs(unit, threshold, block)
        return pairs
    basis = _principal_basis(unit)
    part = unit @ basis  # (n, RANK)
    rest = np.einsum("ij,ij->i", unit, unit) - np.einsum("ij,ij->i", part, part)
    # [p, |r|] . [q, |s|] = p.q + |r| |s|: the bound in one product of RANK + 1 columns
    lifted = np.concatenate([part, np.sqrt(np.maximum(rest, 0.0))[:, None]], axis=1)
    found: list[np.ndarray] = []
    for start in range(0, n, block):
        stop = min(n, start + block)
        bound = lifted[start:stop] @ lifted[start:].T  # (b, n - start), >= the cosines
        rows, cols = np.nonzero(bound >= threshold)
        keep = cols > rows
        rows, cols = rows[keep] + start, cols[keep] + start
        if len(rows) > CHECKED_WHOLE * (stop - start):  # dense: the block's whole products
            sims = unit[start:stop] @ unit[start:].T
            rows, cols = np.nonzero(sims >= threshold)
            keep = cols > rows
            rows, cols = rows[keep] + start, cols[keep] + start
        else:
            exact = np.zeros(len(rows), dtype=bool)
            for at in range(0, len(rows), CHECKED_WHOLE * 64):  # bounded gathers
                part_rows = rows[at : at + CHECKED_WHOLE * 64]
                part_cols = cols[at : at + CHECKED_WHOLE * 64]
                sims = np.einsum("ij,ij->i", unit[part_rows], unit[part_cols])
                exact[at : at + len(part_rows)] = sims >= threshold
            rows, cols = rows[exact], cols[exact]
        if len(rows):
            found.append(np.stack([rows, cols], axis=1))
        yield stop
    return _joined(found)


def _exact_pairs(unit: np.ndarray, threshold: float, block: int):
    n = len(unit)
    found: list[np.ndarray] = []
    for start in range(0, n, block):
        stop = min(n, start + block)
        sims = unit[start:stop] @ unit[start:].T  # (b, n - start)
        rows, cols = np.nonzero(sims >= threshold)
        keep = cols > rows
        if keep.any():
            found.append(np.stack([rows[keep] + start, cols[keep] + start], axis=1))
        yield stop
    return _joined(found)


def _joined(found: list[np.ndarray]) -> np.ndarray:
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.concatenate(found).astype(np.int64)


def _principal_basis(unit: np.ndarray, seed: int = 0) -> np.ndarray:
    """``(d, RANK)`` orthonormal columns near the top principal directions of the
    (uncentred) unit rows, by a randomised SVD of at most :data:`EXACT_ROWS` of them evenly
    spaced. Any orthonormal basis keeps :func:`pair_steps` exact; a good one makes the
    bound tight, so few pairs need the whole rows."""
    n, d = unit.shape
    sample = unit[np.linspace(0, n - 1, min(n, EXACT_ROWS)).astype(np.int64)]
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(sample @ rng.standard_normal((d, RANK + 16)).astype(np.float32))
    for _ in range(2):
        w, _ = np.linalg.qr(sample.T @ q)
        q, _ = np.linalg.qr(sample @ w)
    _, _, vt = np.linalg.svd(q.T @ sample, full_matrices=False)
    return np.ascontiguousarray(vt[:RANK].T, dtype=np.float32)


def group_steps(
    features: np.ndarray, threshold: float = THRESHOLD, block: int = BLOCK, in_place: bool = False
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
    features: np.ndarray, threshold: float = THRESHOLD, block: int = BLOCK
) -> list[list[int]]:
    """:func:`group_steps` run to its end."""
    return run_to_end(group_steps(features, threshold, block))


def near_copies(
    test: np.ndarray, train: np.ndarray, threshold: float = THRESHOLD, block: int = BLOCK
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
