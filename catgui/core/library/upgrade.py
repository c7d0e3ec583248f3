"""Version 2 -> 3 of the index: each picture's own feature blobs copied into chunks.

No picture goes through the backbone again: the float16 bytes are copied as they are, in
chunks of :data:`~.chunks.ROWS` pictures (in the order of their hashes). A blob of the
wrong length, or holding a value that is not finite, is not copied: that picture is
forgotten and its files are read again by the scan that runs the migration.
"""

from __future__ import annotations

import sqlite3

from catgui.core.library import blobs, chunks


def features_into_chunks(conn: sqlite3.Connection) -> int:
    """Fill ``chunks`` and ``contents.chunk``/``slot`` from ``contents.features`` and
    ``contents.familiar`` (inside the migration's transaction); pictures copied."""
    hashes = [h for (h,) in conn.execute("SELECT hash FROM contents ORDER BY hash")]
    bad: list[str] = []
    copied = 0
    for at in range(0, len(hashes), chunks.ROWS):
        part = hashes[at : at + chunks.ROWS]
        marks = ",".join("?" * len(part))
        rows = conn.execute(
            f"SELECT hash, features, familiar FROM contents WHERE hash IN ({marks}) ORDER BY hash",
            part,
        ).fetchall()
        good = [r for r in rows if blobs.valid(r[1]) and blobs.valid(r[2])]
        bad.extend(r[0] for r in rows if not (blobs.valid(r[1]) and blobs.valid(r[2])))
        if not good:
            continue
        chunk = chunks.write(
            conn,
            [r[0] for r in good],
            b"".join(r[1] for r in good),
            b"".join(r[2] for r in good),
        )
        conn.executemany(
            "UPDATE contents SET chunk = ?, slot = ? WHERE hash = ?",
            [(chunk, slot, r[0]) for slot, r in enumerate(good)],
        )
        copied += len(good)
    chunks.forget(conn, bad)
    return copied
