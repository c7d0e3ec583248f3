"""Bringing the kept near-copies and map (:mod:`.likeness_table`) up to date with the index.

The contents covered are those a readable file shows and whose stored features are sound.
When they are what the kept row covers, nothing is read but the hashes. Otherwise, from
the kept row (never from scratch when it is sound):

* contents that left (their files deleted or moved out of the library) leave their pairs:
  the groups are made again from the pairs that remain, so a group that one content held
  together splits, exactly as a computation from scratch would find it;
* each new content is compared with every content (``k x n`` similarities, not
  ``n^2 / 2``: :func:`~catgui.core.duplicates.cross_pair_steps`), its pairs added;
* new contents are placed on the map with the kept axes, the others keep their places;
  the axes are fitted again, and every content placed again, once the contents added or
  removed since the last fit reach :data:`REFIT_SHARE` of the contents (a quarter of a
  collection new is a collection whose strongest contrasts may have moved).

Without a sound kept row everything is computed from the features
(:func:`~catgui.core.duplicates.scored_pair_steps`, :func:`~catgui.core.projection.fit`):
what that gives is what the update gives (the groups: tested; the places: up to the
axes, which are refitted by the rule above).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator
from dataclasses import dataclass

import numpy as np

from catgui.core import duplicates, projection
from catgui.core.library import chunks
from catgui.core.library.likeness_table import Kept
from catgui.core.library.placements import HASH
from catgui.core.steps import mapped

#: The share of the contents added or removed since the map's axes were fitted at which
#: they are fitted again (and every content placed again).
REFIT_SHARE = 0.25
_HASH_DTYPE = np.dtype(f"S{HASH}")


@dataclass(frozen=True)
class Shown:
    """The distinct contents readable files show: ``hashes`` ``(m,)`` of 64 bytes, sorted;
    the first path (in the index's order) of each, and how many files show each."""

    hashes: np.ndarray
    first: list
    files: np.ndarray  # (m,) int64


def shown(conn: sqlite3.Connection) -> Shown:
    """The contents readable files show that have features stored (read without them:
    the files grouped by content along their hash index, and the contents placed in a
    chunk, matched here; half the time of SQLite joining them)."""
    names, first, files = [], [], []
    for digest, path, count in conn.execute(
        "SELECT hash, min(path), count(*) FROM files WHERE status = 'ok' AND hash IS NOT NULL "
        "GROUP BY hash ORDER BY hash"
    ):
        if isinstance(digest, str) and len(digest) == HASH and digest.isascii():
            names.append(digest)
            first.append(path)
            files.append(count)
    placed = [
        h
        for (h,) in conn.execute("SELECT hash FROM contents WHERE chunk IS NOT NULL")
        if isinstance(h, str) and len(h) == HASH and h.isascii()
    ]
    hashes = _packed(names)
    keep = np.isin(hashes, _packed(placed))
    first = [p for p, k in zip(first, keep.tolist()) if k]
    return Shown(hashes[keep], first, np.asarray(files, dtype=np.int64)[keep])


def _packed(names: list[str]) -> np.ndarray:
    return np.array(names, dtype=_HASH_DTYPE) if names else np.empty(0, dtype=_HASH_DTYPE)


def update_steps(
    conn: sqlite3.Connection, kept: Kept | None, now: np.ndarray
) -> Generator[str, None, tuple[Kept, bool]]:
    """``kept`` brought up to date with the contents ``now`` (sorted hashes of 64 bytes).
    Yields what it does, in words; returns ``(kept, changed)``."""
    if kept is not None and np.array_equal(kept.hashes, now):
        return kept, False
    if kept is not None:
        gone = ~np.isin(kept.hashes, now)
        if not np.isin(now, kept.hashes).all() or _refit_due(kept, int(gone.sum()), 0, len(now)):
            pass  # new contents, or a refit: the features are read below
        else:  # contents only left: nothing to read
            yield f"{int(gone.sum()):,} pictures left the library"
            return _without(kept, gone), True
    yield "reading the stored features"
    hashes, features = _features(conn, now)
    if kept is None:
        return (yield from _from_scratch(hashes, features)), True
    return (yield from _merged(kept, hashes, features)), True


def _features(conn: sqlite3.Connection, now: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The stored features of the contents ``now`` that are sound: ``(hashes (n,) sorted,
    features (n, 1280) float32)`` (a picture in a damaged chunk is left out)."""
    names, features = chunks.all_features(conn)
    have = _packed(names)
    keep = np.isin(have, now)
    if keep.all():
        return have, features
    return have[keep], features[keep]


def _from_scratch(hashes: np.ndarray, features: np.ndarray) -> Generator[str, None, Kept]:
    n = len(hashes)
    yield f"looking for near-copies among {n:,} pictures"
    axes = _fit(features)
    points = axes.apply(features) if n else np.empty((0, 2), dtype=np.float32)
    steps = duplicates.scored_pair_steps(features, in_place=True)  # ours alone
    pairs, sims = yield from mapped(steps, lambda done: f"{done:,} of {n:,} compared")
    return Kept(hashes, pairs, sims, points, axes, n, 0)


def _fit(features: np.ndarray) -> projection.Projection:
    if len(features):
        return projection.fit(features)
    d = features.shape[1]
    return projection.Projection(np.zeros(d), np.zeros((d, 2)), np.zeros(2))


def _refit_due(kept: Kept, removed: int, added: int, n: int) -> bool:
    moved = kept.moved + removed + added
    return kept.fitted == 0 or moved >= REFIT_SHARE * max(kept.fitted, n, 1)


def _without(kept: Kept, gone: np.ndarray) -> Kept:
    """``kept`` without the rows ``gone`` ``(n,) bool`` and their pairs."""
    stay = ~gone
    renumbered = np.cumsum(stay) - 1
    both = stay[kept.pairs[:, 0]] & stay[kept.pairs[:, 1]]
    return Kept(
        kept.hashes[stay],
        renumbered[kept.pairs[both]].reshape(-1, 2),
        kept.similarities[both],
        kept.points[stay],
        kept.axes,
        kept.fitted,
        kept.moved + int(gone.sum()),
    )


def _merged(kept: Kept, hashes: np.ndarray, features: np.ndarray) -> Generator[str, None, Kept]:
    """``kept`` brought to the contents ``hashes`` (sorted) with their ``features``: the
    rows that left dropped, the new ones compared with all and placed."""
    smaller = _without(kept, ~np.isin(kept.hashes, hashes))
    old_rows = np.searchsorted(hashes, smaller.hashes)  # every one is in hashes
    new = np.ones(len(hashes), dtype=bool)
    new[old_rows] = False
    new_rows = np.flatnonzero(new)
    n = len(hashes)
    yield f"comparing {len(new_rows):,} new pictures with {n:,}"
    moved = smaller.moved + len(new_rows)
    refit = _refit_due(smaller, 0, len(new_rows), n)
    axes = _fit(features) if refit else smaller.axes
    points = np.empty((n, 2), dtype=np.float32)
    if refit:
        points[:] = axes.apply(features)
    else:
        points[old_rows] = smaller.points
        points[new_rows] = axes.apply(features[new_rows])
    unit = duplicates.normalised(features, in_place=True)  # ours alone
    steps = duplicates.cross_pair_steps(unit, new_rows)
    found, sims = yield from mapped(
        steps, lambda done: f"{done:,} of {len(new_rows):,} new pictures compared"
    )
    pairs = np.concatenate([old_rows[smaller.pairs].reshape(-1, 2), found])
    sims = np.concatenate([smaller.similarities, sims])
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    return Kept(
        hashes,
        pairs[order],
        sims[order],
        points,
        axes,
        n if refit else smaller.fitted,
        0 if refit else moved,
    )
