"""Chunks merged: the small ones a scan writes batch by batch, and those left half empty.

A scan stores each batch's new pictures as one small chunk (:mod:`.chunks`), so a killed
scan loses at most one batch; once a scan has finished, :func:`compact` merges chunks
holding fewer than half of :data:`~.chunks.ROWS` live pictures into full ones (one
transaction per new chunk), so a re-score reads a few large chunks. Pictures whose files
are gone leave dead slots behind; a chunk mostly dead is rewritten the same way. A chunk
found damaged on the way is forgotten (its files are read again by the next scan).
"""

from __future__ import annotations

import numpy as np

from catgui.core.library import chunks
from catgui.core.library.index import Index


def candidates(index: Index) -> list[tuple[bool, list[int]]]:
    """Groups of chunks to merge, ``(with 64x64 features, ids)``, each group's live
    pictures fitting in one chunk; chunks with no live picture form groups of their own."""
    rows = index.conn.execute(
        "SELECT ch.id, ch.rows, ch.familiar IS NOT NULL, "
        "(SELECT count(*) FROM contents c WHERE c.chunk = ch.id) FROM chunks ch ORDER BY ch.id"
    ).fetchall()
    groups: list[tuple[bool, list[int]]] = []
    dead = [i for i, _, _, live in rows if live == 0]
    if dead:
        groups.append((False, dead))
    for with_familiar in (True, False):
        current: list[int] = []
        holding = 0
        wasted = False
        for chunk_id, n, familiar, live in rows:
            if bool(familiar) != with_familiar or live == 0 or 2 * live >= chunks.ROWS:
                continue
            if current and holding + live > chunks.ROWS:
                if len(current) > 1 or wasted:
                    groups.append((with_familiar, current))
                current, holding, wasted = [], 0, False
            current.append(chunk_id)
            holding += live
            wasted = wasted or live < n
        if len(current) > 1 or (current and wasted):
            groups.append((with_familiar, current))
    return groups


def merge(index: Index, with_familiar: bool, ids: list[int]) -> int:
    """Rewrite the live pictures of chunks ``ids`` as one chunk (one transaction); how
    many pictures it holds."""
    with index.transaction() as tx:
        hashes: list[str] = []
        features: list[np.ndarray] = []
        familiar: list[np.ndarray] = []
        lost: list[str] = []
        damaged: list[int] = []
        for chunk_id in ids:
            placed = chunks.placements(tx, "c.chunk = ?", (chunk_id,)).get(chunk_id)
            if placed is None:
                continue
            chunk = chunks.read(tx, chunk_id, familiar=with_familiar)
            if chunk is None or (with_familiar and chunk.familiar is None):
                damaged.append(chunk_id)
                lost.extend(placed.names)
                continue
            fine = chunk.holding(placed)
            names = placed.names
            lost.extend(h for h, ok in zip(names, fine) if not ok)
            hashes.extend(h for h, ok in zip(names, fine) if ok)
            features.append(chunk.features[placed.slots[fine]])
            if with_familiar:
                familiar.append(chunk.familiar[placed.slots[fine]])
        chunks.forget(tx, lost, damaged)
        if hashes:
            new = chunks.write(
                tx,
                hashes,
                np.concatenate(features).tobytes(),
                np.concatenate(familiar).tobytes() if with_familiar else None,
            )
            tx.executemany(
                "UPDATE contents SET chunk = ?, slot = ? WHERE hash = ?",
                [(new, slot, h) for slot, h in enumerate(hashes)],
            )
        tx.executemany("DELETE FROM chunks WHERE id = ?", [(i,) for i in ids])
    return len(hashes)


def compact(index: Index) -> int:
    """Merge what :func:`candidates` finds; how many pictures were moved. The pages the
    merged chunks leave free go back to the file system (an index made with
    ``auto_vacuum = INCREMENTAL``: every index of schema 3), else a cold scan would leave
    its features' size again in free pages."""
    moved = sum(merge(index, with_familiar, ids) for with_familiar, ids in candidates(index))
    conn = index.conn
    if conn.execute("PRAGMA freelist_count").fetchone()[0]:
        with index.guard():  # (execute() would step once: one page)
            conn.executescript("PRAGMA incremental_vacuum")
    return moved
