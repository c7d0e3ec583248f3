"""Stored pictures scored chunk by chunk: what makes re-scoring 100,000 rows fast.

Each chunk (:mod:`.chunks`) is read, checked and scored by one of two threads, each with
its own read-only connection: reading a blob and its CRC-32, float16 -> float32
(:func:`.blobs.widen`) and the products run outside Python's lock, so the two threads use
both cores. The products
take :data:`BLOCK` pictures at a time (their float32 copy stays in the processor's
cache), on one BLAS thread each (small products: OpenBLAS's own threads cost more than
they bring).

Familiarity already known for a picture (:class:`Known`: from a model with the same
reference) is not computed again; a chunk all of whose pictures are known reads no
64x64 features.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain

import numpy as np

from catgui.core.library import blobs, chunks
from catgui.core.parallel import one_blas_thread

#: Pictures a product takes.
BLOCK = 1024
#: Threads reading and scoring chunks.
THREADS = 2


@dataclass(frozen=True)
class Scored:
    """What one chunk gave: ``fine`` ``(k,)`` (the placed slot holds its hash), and for
    the fine ones P(cat) and familiarity (NaN: none computed)."""

    fine: np.ndarray
    p: np.ndarray
    familiarity: np.ndarray


class Known:
    """Familiarity another model with the same reference gave, by hash (sorted arrays)."""

    def __init__(self, conn: sqlite3.Connection, model: str) -> None:
        # two queries, no Python loop over 100,000 rows: the hashes joined into one text
        # (SQLite's text of a REAL is not exact: the values come as numbers); -1 stands for
        # NULL, as familiarity is never negative
        (joined,) = conn.execute(
            "SELECT group_concat(hash, '') FROM "
            "(SELECT hash FROM scores WHERE model = ? ORDER BY hash)",
            (model,),
        ).fetchone()
        values = conn.execute(
            "SELECT coalesce(familiarity, -1.0) FROM scores WHERE model = ? ORDER BY hash",
            (model,),
        ).fetchall()
        try:
            numbers = np.fromiter(chain.from_iterable(values), np.float64, count=len(values))
            packed = (joined or "").encode("ascii")
        except (ValueError, TypeError, UnicodeEncodeError):  # not what catgui wrote
            numbers, packed = np.empty(0), b""
        if len(packed) != len(numbers) * chunks.HASH:
            numbers, packed = np.empty(0), b""
        self.hashes = np.frombuffer(packed, dtype=f"S{chunks.HASH}")
        self.values = np.where(np.isfinite(numbers) & (numbers >= 0), numbers, np.nan)
        self.has_value = ~np.isnan(self.values)

    def lookup(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(found (k,) bool, familiarity (k,))`` of hashes (64 bytes each)."""
        if not len(self.hashes):
            return np.zeros(len(hashes), dtype=bool), np.full(len(hashes), np.nan)
        at = np.minimum(np.searchsorted(self.hashes, hashes), len(self.hashes) - 1)
        found = (self.hashes[at] == hashes) & self.has_value[at]
        return found, np.where(found, self.values[at], np.nan)


def score_chunk(
    conn: sqlite3.Connection,
    chunk_id: int,
    placed: chunks.Placed,
    probability: Callable[[np.ndarray], np.ndarray],
    familiarity: Callable[[np.ndarray], np.ndarray] | None,
    compares: str | None,
) -> Scored | None:
    """Score the placed pictures of one chunk (``None``: the chunk is damaged or gone).
    ``compares``: which features ``familiarity`` reads (``"features"``, ``"familiar"``);
    ``familiarity`` ``None``: none to compute for this chunk."""
    wants_squares = familiarity is not None and compares == "familiar"
    chunk = chunks.read(conn, chunk_id, familiar=wants_squares)
    if chunk is None:
        return None
    fine = chunk.holding(placed)
    slots = placed.slots[fine]
    n = len(slots)
    whole = n == len(chunk.hashes) and bool((slots == np.arange(n)).all())
    if wants_squares and chunk.familiar is None:
        familiarity = None  # read without their 64x64 squares: nothing to compare
    p = np.empty(n)
    fam = np.full(n, np.nan)
    for at in range(0, n, BLOCK):
        part = slice(at, at + BLOCK)
        rows = part if whole else slots[part]
        x = blobs.widen(chunk.features[rows])
        p[part] = probability(x)
        if familiarity is not None:
            source = x if compares == "features" else blobs.widen(chunk.familiar[rows])
            fam[part] = familiarity(source)
    return Scored(fine, p, fam)


def score_all(
    path_uri: str,
    todo: dict[int, chunks.Placed],
    probability: Callable[[np.ndarray], np.ndarray],
    familiarity: Callable[[np.ndarray], np.ndarray] | None,
    compares: str | None,
    known: Known | None,
) -> Generator[int, None, dict[int, Scored | None]]:
    """Score every chunk of ``todo`` on :data:`THREADS` threads, each reading through its
    own connection to the index at ``path_uri`` (read-only). Yields the pictures done;
    returns each chunk's :class:`Scored` (``None``: damaged)."""
    local = threading.local()
    opened: list[sqlite3.Connection] = []
    lock = threading.Lock()

    def connection() -> sqlite3.Connection:
        if getattr(local, "conn", None) is None:
            local.conn = sqlite3.connect(path_uri, uri=True, check_same_thread=False)
            with lock:
                opened.append(local.conn)
        return local.conn

    def work(chunk_id: int, placed: chunks.Placed) -> Scored | None:
        needed = familiarity
        if known is not None and needed is not None and known.lookup(placed.hashes)[0].all():
            needed = None
        return score_chunk(connection(), chunk_id, placed, probability, needed, compares)

    results: dict[int, Scored | None] = {}
    done = 0
    try:
        with (
            one_blas_thread(),
            ThreadPoolExecutor(THREADS, thread_name_prefix="catgui-library-score") as pool,
        ):
            futures = [(c, pool.submit(work, c, placed)) for c, placed in todo.items()]
            try:
                for chunk_id, future in futures:
                    results[chunk_id] = future.result()
                    done += len(todo[chunk_id])
                    yield done
            finally:
                for _, future in futures:
                    future.cancel()
    finally:
        for conn in opened:
            conn.close()
    return results
