"""Features kept in chunks: many pictures' vectors in one contiguous blob, checked when read.

A re-score reads every stored picture's features. One row per picture made that 100,000
small blob reads and as many float16 -> float32 conversions; a chunk holds up to
:data:`ROWS` pictures, so the same work is a few large reads, each converted and scored
as one matrix (``benchmarks/bench_library.py``, figure 10).

A ``chunks`` row holds ``rows`` pictures: their hashes (64 hex characters each, in slot
order), the pooled features of their 224 crops (``(rows, 1280)`` float16, little-endian,
contiguous), optionally those of their 64x64 squares (``familiar``: ``NULL`` when the
pictures were read without them), and a CRC-32 of each part. ``contents(hash)`` points at
``(chunk, slot)``. A scan writes one small chunk per batch (so a killed scan loses at most
that batch); :func:`compact` merges small or half-empty chunks into full ones.

Nothing read back is trusted: a chunk whose sizes or checksums are wrong, or whose slot
does not hold the hash its content row names, is reported damaged; the caller forgets
those pictures (:func:`forget`) and the next scan reads their files again.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from catgui.core.library import blobs
from catgui.core.library.placements import HASH, Placed, placements

#: Pictures per chunk once compacted: 10 MB of features (and as much of 64x64 features).
ROWS = 4096
_HASH_DTYPE = np.dtype(f"S{HASH}")


@dataclass(frozen=True)
class Chunk:
    """One chunk read back and checked.

    Attributes
    ----------
    id : int
    hashes : np.ndarray
        ``(rows,)`` bytes of 64 hex characters: the picture in each slot.
    features : np.ndarray
        ``(rows, 1280)`` float16: the 224 crops' pooled features (a view of the blob).
    familiar : np.ndarray or None
        ``(rows, 1280)`` float16 of the 64x64 squares, when asked for and stored.
    """

    id: int
    hashes: np.ndarray
    features: np.ndarray
    familiar: np.ndarray | None

    def holding(self, placed: Placed) -> np.ndarray:
        """``(k,)`` bool: whether each of the placed slots (in range) holds its hash."""
        slots = placed.slots
        fine = (slots >= 0) & (slots < len(self.hashes))
        fine[fine] = self.hashes[slots[fine]] == placed.hashes[fine]
        return fine


def crc(*parts: bytes) -> int:
    """CRC-32 of the parts, one after the other."""
    value = 0
    for part in parts:
        value = zlib.crc32(part, value)
    return value


def write(
    conn: sqlite3.Connection, hashes: Sequence[str], features: bytes, familiar: bytes | None
) -> int:
    """Store one chunk (inside the caller's transaction); its id. ``features`` and
    ``familiar`` are ``len(hashes)`` float16 vectors, one after the other."""
    n = len(hashes)
    packed = "".join(hashes).encode("ascii")
    if len(packed) != n * HASH or len(features) != n * blobs.BYTES:
        raise ValueError("a chunk's hashes and features must have one row per picture")
    if familiar is not None and len(familiar) != n * blobs.BYTES:
        raise ValueError("a chunk's 64x64 features must have one row per picture")
    cursor = conn.execute(
        "INSERT INTO chunks (rows, crc, familiar_crc, hashes, features, familiar) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            n,
            crc(packed, features),
            None if familiar is None else crc(familiar),
            packed,
            features,
            familiar,
        ),
    )
    return int(cursor.lastrowid)


def add(conn: sqlite3.Connection, pictures: Sequence[tuple]) -> None:
    """New contents, ``(hash, width, height, features, familiar)`` with one picture's
    float16 bytes (``familiar`` may be ``None``): written as one chunk (two when only some
    have 64x64 features) and their ``contents`` rows, inside the caller's transaction."""
    for with_familiar in (True, False):
        group = [p for p in pictures if (p[4] is not None) == with_familiar]
        if not group:
            continue
        chunk = write(
            conn,
            [p[0] for p in group],
            b"".join(p[3] for p in group),
            b"".join(p[4] for p in group) if with_familiar else None,
        )
        conn.executemany(
            "INSERT OR REPLACE INTO contents (hash, width, height, chunk, slot) "
            "VALUES (?, ?, ?, ?, ?)",
            [(p[0], p[1], p[2], chunk, slot) for slot, p in enumerate(group)],
        )


def read(conn: sqlite3.Connection, chunk_id: int, familiar: bool = False) -> Chunk | None:
    """The chunk, checked; ``None`` if it is missing or damaged. ``familiar``: read its
    64x64 features too (``Chunk.familiar`` stays ``None`` when it has none)."""
    extra = ", familiar" if familiar else ""
    row = conn.execute(
        f"SELECT id, rows, crc, familiar_crc, hashes, features{extra} FROM chunks WHERE id = ?",
        (chunk_id,),
    ).fetchone()
    return None if row is None else checked(row)


def checked(row: tuple) -> Chunk | None:
    """``(id, rows, crc, familiar_crc, hashes, features[, familiar])`` as read -> a
    :class:`Chunk`, or ``None`` when a size, a type or a checksum is wrong."""
    chunk_id, n, want, want_familiar, packed, features = row[:6]
    if not (
        isinstance(n, int)
        and n > 0
        and isinstance(packed, bytes)
        and isinstance(features, bytes)
        and len(packed) == n * HASH
        and len(features) == n * blobs.BYTES
        and crc(packed, features) == want
    ):
        return None
    near = None
    if len(row) > 6 and row[6] is not None:
        stored = row[6]
        if not (
            isinstance(stored, bytes)
            and len(stored) == n * blobs.BYTES
            and crc(stored) == want_familiar
        ):
            return None
        near = np.frombuffer(stored, dtype=blobs.DTYPE).reshape(n, blobs.FEATURES)
    return Chunk(
        int(chunk_id),
        np.frombuffer(packed, dtype=_HASH_DTYPE),
        np.frombuffer(features, dtype=blobs.DTYPE).reshape(n, blobs.FEATURES),
        near,
    )


def read_all(conn: sqlite3.Connection, familiar: bool = True) -> Iterator[tuple[int, Chunk | None]]:
    """Every chunk, one at a time (``None``: damaged), in the order of their ids."""
    extra = ", familiar" if familiar else ""
    ids = [i for (i,) in conn.execute("SELECT id FROM chunks ORDER BY id")]
    for chunk_id in ids:
        row = conn.execute(
            f"SELECT id, rows, crc, familiar_crc, hashes, features{extra} FROM chunks WHERE id = ?",
            (chunk_id,),
        ).fetchone()
        if row is not None:
            yield chunk_id, checked(row)


def verify(conn: sqlite3.Connection) -> tuple[set[str], list[str], list[int]]:
    """Read every chunk back: ``(hashes of the contents whose features are sound, hashes
    of the contents that are not, ids of the damaged chunks)``."""
    where = placements(conn)
    bad = [
        h
        for (h,) in conn.execute("SELECT hash FROM contents WHERE chunk IS NULL")
        if isinstance(h, str)
    ]
    good: set[str] = set()
    damaged: list[int] = []
    for chunk_id, chunk in read_all(conn):
        placed = where.pop(chunk_id, None)
        if chunk is None:
            damaged.append(chunk_id)
            bad.extend(placed.names if placed is not None else [])
            continue
        if placed is None:
            continue
        fine = chunk.holding(placed)
        names = placed.names
        good.update(h for h, ok in zip(names, fine) if ok)
        bad.extend(h for h, ok in zip(names, fine) if not ok)
    for placed in where.values():  # rows pointing at chunks that are not there
        bad.extend(placed.names)
    return good, bad, damaged


def forget(conn: sqlite3.Connection, hashes: Iterable[str], chunk_ids: Iterable[int] = ()) -> None:
    """Forget damaged contents (and chunks): the files showing them get no hash and a size
    that matches nothing, so the next scan reads them again (inside the caller's
    transaction)."""
    keys = [(h,) for h in hashes]
    for table in ("contents", "thumbnails", "scores"):
        conn.executemany(f"DELETE FROM {table} WHERE hash = ?", keys)
    conn.executemany(
        "UPDATE files SET size = -1, hash = NULL, status = 'damaged in the index; read again' "
        "WHERE hash = ?",
        keys,
    )
    conn.executemany("DELETE FROM chunks WHERE id = ?", [(i,) for i in chunk_ids])


def features_of(
    conn: sqlite3.Connection, hashes: Sequence[str], familiar: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """The stored features of some pictures, for any reader of the index.

    Returns ``(features (k, 1280) float32, found (n,) bool)``: the 224 crops' features (the
    64x64 squares' with ``familiar``) of the ``k`` pictures found whole, in the order
    given. A picture missing, in a damaged chunk, or stored without 64x64 features is not
    found.
    """
    where: dict[int, Placed] = {}
    for at in range(0, len(hashes), 10_000):
        part = tuple(hashes[at : at + 10_000])
        marks = ",".join("?" * len(part))
        for chunk_id, placed in placements(conn, f"c.hash IN ({marks})", part).items():
            if chunk_id in where:
                before = where[chunk_id]
                placed = Placed(
                    np.concatenate([before.slots, placed.slots]),
                    np.concatenate([before.hashes, placed.hashes]),
                    tuple(before.names + placed.names),
                )
            where[chunk_id] = placed
    found: dict[str, np.ndarray] = {}
    for chunk_id, placed in where.items():
        chunk = read(conn, chunk_id, familiar)
        if chunk is None or (familiar and chunk.familiar is None):
            continue
        fine = chunk.holding(placed)
        source = chunk.familiar if familiar else chunk.features
        for name, slot in zip(np.asarray(placed.names)[fine], placed.slots[fine]):
            found[str(name)] = source[slot]
    have = np.array([h in found for h in hashes], dtype=bool)
    rows = [found[h] for h in hashes if h in found]
    if not rows:
        return np.empty((0, blobs.FEATURES), dtype=np.float32), have
    return np.stack(rows).astype(np.float32), have


def all_features(conn: sqlite3.Connection, familiar: bool = False) -> tuple[list[str], np.ndarray]:
    """Every stored picture's features, for any reader of the index: ``(hashes, features
    (n, 1280) float32)`` sorted by hash. A picture in a damaged chunk (or stored without
    64x64 features, with ``familiar``) is left out; the next scan reads it again."""
    names: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    for chunk_id, placed in placements(conn).items():
        chunk = read(conn, chunk_id, familiar)
        if chunk is None or (familiar and chunk.familiar is None):
            continue
        fine = chunk.holding(placed)
        names.append(placed.hashes[fine])
        rows.append(
            blobs.widen((chunk.familiar if familiar else chunk.features)[placed.slots[fine]])
        )
    if not names:
        return [], np.empty((0, blobs.FEATURES), dtype=np.float32)
    hashes = np.concatenate(names)
    order = np.argsort(hashes, kind="stable")
    return hashes[order].astype(f"U{HASH}").tolist(), np.concatenate(rows)[order]
