"""The near-copies and the map's places, kept in the index so they are computed once.

Neither depends on a model: the pairs of near-copies are the cosine similarities of the
stored features, the map's places their projection on two principal axes. Both are kept
in one row of the ``likeness`` table, a derived table: made by the first reader that
stores it (``CREATE TABLE IF NOT EXISTS``), replaced whole each time, and never needed
(without it, or with a row that fails a check, everything is computed again from the
features and the answer is the same).

The row says what it was computed over, so it is known valid: the sorted hashes of the
contents it covers (a scan that adds or removes contents leaves it stale, and
:mod:`.likeness_update` brings it up to date), :data:`ALGORITHM`, the similarity down to
which pairs are kept (:data:`~catgui.core.duplicates.THRESHOLD`) and the SHA-256 of the
backbone the features came from. Nothing read back is trusted: every blob's length is
checked against the counts before it is read, a SHA-256 over everything must match, the
hashes must be sorted hex, the pairs in range and above the threshold, the numbers finite.

It is written by a reader (``catgui library duplicates``, the Library tab) through a
connection of its own, in one short transaction: SQLite's own lock orders it with a
scan's batches (the scan's ``flock`` is for scans). When the index cannot be written (a
read-only file, a scan holding SQLite's lock for longer than :data:`WAIT`), nothing is
stored and the answer is the same; the next reader computes what changed again.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catgui.core import duplicates, projection
from catgui.core.library import blobs, schema
from catgui.core.library.placements import HASH

#: The grouping's and the map's recipe; a row of another version is computed again.
ALGORITHM = 1
#: Seconds a store waits for SQLite's write lock before giving up (nothing is lost).
WAIT = 5.0
_HASH_DTYPE = np.dtype(f"S{HASH}")
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
#: float64 values of the map's axes: the mean (d), the two axes (d x 2), the explained (2).
_BASIS = blobs.FEATURES * 3 + 2

TABLE = """CREATE TABLE IF NOT EXISTS likeness (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    algorithm INTEGER NOT NULL,
    threshold REAL NOT NULL,
    backbone TEXT NOT NULL,
    contents INTEGER NOT NULL,
    pairs INTEGER NOT NULL,
    fitted INTEGER NOT NULL,
    moved INTEGER NOT NULL,
    hashes BLOB NOT NULL,
    pair_rows BLOB NOT NULL,
    similarities BLOB NOT NULL,
    points BLOB NOT NULL,
    basis BLOB NOT NULL,
    digest TEXT NOT NULL
)"""
_COLUMNS = (
    "algorithm, threshold, backbone, contents, pairs, fitted, moved, "
    "hashes, pair_rows, similarities, points, basis, digest"
)


@dataclass(frozen=True)
class Kept:
    """The near-copies and the map of ``n`` distinct contents.

    Attributes
    ----------
    hashes : np.ndarray
        ``(n,)`` of 64 bytes (hex SHA-256), sorted: the contents covered.
    pairs : np.ndarray
        ``(k, 2)`` int64, ``i < j``: rows of ``hashes`` whose similarity is at least
        :data:`~catgui.core.duplicates.THRESHOLD`, in row order.
    similarities : np.ndarray
        ``(k,)`` float32: each pair's cosine similarity.
    points : np.ndarray
        ``(n, 2)`` float32: each content's place on the map.
    axes : projection.Projection
        The map's axes (new contents are placed with them).
    fitted : int
        Contents the axes were fitted over.
    moved : int
        Contents added or removed since (a refit when they are many: :mod:`.likeness_update`).
    """

    hashes: np.ndarray
    pairs: np.ndarray
    similarities: np.ndarray
    points: np.ndarray
    axes: projection.Projection
    fitted: int
    moved: int

    @property
    def names(self) -> list[str]:
        """The hashes as text."""
        return self.hashes.astype(f"U{HASH}").tolist()

    def groups(self, threshold: float = duplicates.THRESHOLD) -> list[list[int]]:
        """The groups of near-copies (rows of ``hashes``) at ``threshold`` (at least the
        kept one): :func:`~catgui.core.duplicates.groups_of` over the pairs at or above it."""
        if threshold < duplicates.THRESHOLD:
            raise ValueError(f"pairs are kept down to {duplicates.THRESHOLD}, not {threshold}")
        return duplicates.groups_of(len(self.hashes), self.pairs[self.similarities >= threshold])


def _blobs(kept: Kept) -> tuple[bytes, bytes, bytes, bytes, bytes]:
    axes = kept.axes
    basis = np.concatenate(
        [
            np.asarray(axes.mean, dtype="<f8").reshape(-1),
            np.asarray(axes.axes, dtype="<f8").reshape(-1),
            np.asarray(axes.explained, dtype="<f8").reshape(-1),
        ]
    )
    return (
        np.ascontiguousarray(kept.hashes, dtype=_HASH_DTYPE).tobytes(),
        np.ascontiguousarray(kept.pairs, dtype="<i4").tobytes(),
        np.ascontiguousarray(kept.similarities, dtype="<f4").tobytes(),
        np.ascontiguousarray(kept.points, dtype="<f4").tobytes(),
        basis.tobytes(),
    )


def _digest(numbers: tuple, parts: tuple[bytes, ...]) -> str:
    h = hashlib.sha256(repr(numbers).encode("ascii"))
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def read(conn: sqlite3.Connection, backbone: str) -> Kept | None:
    """The kept near-copies and map, checked; ``None`` when there are none, they were
    computed another way (another :data:`ALGORITHM`, threshold or backbone), or any check
    fails (they are then computed again)."""
    try:
        row = conn.execute(f"SELECT {_COLUMNS} FROM likeness WHERE id = 1").fetchone()
    except sqlite3.DatabaseError:  # no such table (nothing kept yet), other columns, damage
        return None
    return None if row is None else checked(row, backbone)


def checked(row: tuple, backbone: str) -> Kept | None:
    """A ``likeness`` row as read (:data:`_COLUMNS`) -> :class:`Kept`, or ``None``."""
    algorithm, threshold, made_by, n, k, fitted, moved = row[:7]
    parts, digest = row[7:12], row[12]
    numbers = (algorithm, threshold, made_by, n, k, fitted, moved)
    if not (
        algorithm == ALGORITHM
        and threshold == duplicates.THRESHOLD
        and made_by == backbone
        and all(isinstance(v, int) and v >= 0 for v in (n, k, fitted, moved))
        and all(isinstance(p, bytes) for p in parts)
        and isinstance(digest, str)
    ):
        return None
    sizes = (n * HASH, k * 8, k * 4, n * 8, _BASIS * 8)
    if tuple(len(p) for p in parts) != sizes or _digest(numbers, parts) != digest:
        return None
    hashes = np.frombuffer(parts[0], dtype=_HASH_DTYPE)
    pairs = np.frombuffer(parts[1], dtype="<i4").reshape(k, 2).astype(np.int64)
    sims = np.frombuffer(parts[2], dtype="<f4").astype(np.float32)
    points = np.frombuffer(parts[3], dtype="<f4").reshape(n, 2).astype(np.float32)
    basis = np.frombuffer(parts[4], dtype="<f8").astype(np.float64)
    d = blobs.FEATURES
    if not (
        np.isin(np.frombuffer(parts[0], dtype=np.uint8), _HEX).all()
        and (n < 2 or bool(np.all(hashes[1:] > hashes[:-1])))
        and (k == 0 or (pairs[:, 0].min() >= 0 and pairs[:, 1].max() < n))
        and bool(np.all(pairs[:, 0] < pairs[:, 1]))
        and bool(np.all((sims >= duplicates.THRESHOLD) & (sims <= 1.0001)))
        and np.isfinite(points).all()
        and np.isfinite(basis).all()
    ):
        return None
    axes = projection.Projection(basis[:d], basis[d : 3 * d].reshape(d, 2), basis[3 * d :])
    return Kept(hashes.copy(), pairs, sims, points, axes, fitted, moved)


def write(path: str | Path, kept: Kept, backbone: str) -> bool:
    """Keep ``kept`` in the index at ``path`` (replacing what was kept), through a
    connection of its own; whether it was stored (not when the index cannot be written)."""
    parts = _blobs(kept)
    numbers = (
        ALGORITHM,
        duplicates.THRESHOLD,
        backbone,
        len(kept.hashes),
        len(kept.pairs),
        int(kept.fitted),
        int(kept.moved),
    )
    uri = Path(path).resolve().as_uri() + "?mode=rw"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=WAIT)
    except sqlite3.Error:
        return False
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != schema.APPLICATION_ID:
            return False  # not a catgui index any more: left alone
        with schema.transaction(conn):
            columns = [r[1] for r in conn.execute("PRAGMA table_info(likeness)")]
            if columns and columns != ["id", *_COLUMNS.split(", ")]:
                conn.execute("DROP TABLE likeness")  # another layout: derived, made again
            conn.execute(TABLE)
            conn.execute(
                f"INSERT OR REPLACE INTO likeness (id, {_COLUMNS}) "
                "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*numbers, *parts, _digest(numbers, parts)),
            )
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.close()
