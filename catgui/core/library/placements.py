"""Where pictures' features are: ``contents(hash) -> (chunk, slot)``, read in bulk.

Listing where 100,000 pictures are, one Python tuple a row, took a quarter of a second;
SQLite joins each chunk's slots and hashes into text instead (one row a chunk), parsed
here with NumPy. What does not parse cleanly is read row by row.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np

#: A SHA-256 as hex text.
HASH = 64
_HASH_DTYPE = np.dtype(f"S{HASH}")


@dataclass(frozen=True)
class Placed:
    """Where some pictures of one chunk are: ``slots`` ``(k,)`` int64 (-1: not a slot)
    and ``hashes`` ``(k,)`` of 64 bytes; :attr:`names` the hashes as text."""

    slots: np.ndarray
    hashes: np.ndarray
    text: tuple[str, ...] | None = None

    @property
    def names(self) -> list[str]:
        if self.text is not None:
            return list(self.text)
        return self.hashes.astype(f"U{HASH}").tolist()

    def __len__(self) -> int:
        return len(self.slots)

    def only(self, keep: np.ndarray) -> Placed:
        names = None if self.text is None else tuple(np.asarray(self.text, dtype=object)[keep])
        return Placed(self.slots[keep], self.hashes[keep], names)


def placements(conn: sqlite3.Connection, where: str = "", params: tuple = ()) -> dict[int, Placed]:
    """``{chunk: Placed}`` of the ``contents`` rows (aliased ``c``) that ``where`` selects.

    One row a chunk comes back from SQLite (the slots and hashes joined into text), so
    100,000 pictures cost no Python loop; a chunk whose rows do not parse cleanly (a slot
    that is not a number, a hash that is not 64 characters) is read row by row instead.
    """
    condition = f" AND ({where})" if where else ""
    found: dict[int, Placed] = {}
    for chunk, count, slots, joined in conn.execute(
        "SELECT c.chunk, count(*), group_concat(c.slot), group_concat(c.hash, '') "
        f"FROM contents c WHERE c.chunk IS NOT NULL{condition} GROUP BY c.chunk",
        params,
    ):
        if not isinstance(chunk, int):
            continue
        placed = _parsed(count, slots, joined)
        if placed is None:
            placed = _row_by_row(conn, chunk, condition, params)
        found[chunk] = placed
    return found


def _parsed(count: object, slots: object, joined: object) -> Placed | None:
    if not (isinstance(slots, str) and isinstance(joined, str) and isinstance(count, int)):
        return None
    if len(joined) != count * HASH or not joined.isascii():
        return None
    try:
        numbers = np.array(slots.split(","), dtype=np.int64)
    except (ValueError, OverflowError):
        return None
    if len(numbers) != count:
        return None
    return Placed(numbers, np.frombuffer(joined.encode("ascii"), dtype=_HASH_DTYPE))


def _row_by_row(conn: sqlite3.Connection, chunk: int, condition: str, params: tuple) -> Placed:
    slots, names = [], []
    for slot, digest in conn.execute(
        f"SELECT c.slot, c.hash FROM contents c WHERE c.chunk = ?{condition}", (chunk, *params)
    ):
        if isinstance(digest, str):
            slots.append(slot if isinstance(slot, int) else -1)
            names.append(digest)
    packed = np.array([n.encode("ascii", "replace")[:HASH] for n in names], dtype=_HASH_DTYPE)
    return Placed(np.asarray(slots, dtype=np.int64), packed, tuple(names))
