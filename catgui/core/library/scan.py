"""``catgui scan`` as a core generator: walk, read what is new, store it in batches.

A file whose size and modification time match its row is not read again. Any other file
is hashed; a content the index knows already (a moved or renamed file, an exact
duplicate) is linked to its row without a backbone pass. New contents are decoded and run
through the backbone, a batch at a time; each batch is one transaction, so a killed scan
loses at most the batch in flight and the next scan continues from the last commit.
Rows of files under the scanned folders that are gone are removed. ``should_stop`` is
asked between batches (Ctrl-C): the scan then ends at a batch boundary.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field

from catgui.core import steps
from catgui.core.library import blobs, chunks, compact, natural, rescore
from catgui.core.library.index import Index
from catgui.core.library.reading import RETRY, Outcome, keeps_squares, read_batches
from catgui.core.library.rescore import Scorer
from catgui.core.library.walk import Found, Problem, absolute, loaded, stored, walk

BATCH = 32
#: Reads a batch of files: ``(founds, known hashes, squares) -> outcomes`` (a cluster's;
#: ``squares``: whether the index keeps the 64x64 squares' features too).
Reader = Callable[[Sequence[Found], set, bool], list[Outcome]]


@dataclass(frozen=True)
class ScanStep:
    """``done`` of ``total`` files read (``total`` 0 while walking); ``phase`` in words."""

    phase: str
    done: int
    total: int


@dataclass
class Summary:
    found: int = 0  # picture files met
    unchanged: int = 0  # same size and time as their row: not read
    read: int = 0  # files read (hashed) this time
    computed: int = 0  # distinct new contents run through the backbone
    reused: int = 0  # read, but their content was known (moved, renamed, duplicate, touched)
    errors: int = 0  # rows with a problem written this time
    removed: int = 0  # rows of files that are gone
    scored: int = 0  # contents scored by the model from stored features
    interrupted: bool = False
    done: int = 0  # of ``total`` files to read
    total: int = 0
    seconds: float = 0.0
    problems: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _under(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def scan_steps(
    index: Index,
    roots: Iterable[str | os.PathLike],
    scorer: Scorer,
    batch: int = BATCH,
    threads: int = 2,
    should_stop: Callable[[], bool] | None = None,
    reader: Reader | None = None,
) -> Generator[ScanStep, None, Summary]:
    start = time.perf_counter()
    roots = [absolute(r) for r in roots]
    conn = index.conn
    summary = Summary()
    _check_backbone(index)
    with index.transaction() as tx:
        natural.complete(tx)  # the folder order's keys (an older catgui's index has none)
    # what the index knows but the model has not scored comes first (from the stored
    # features); a damaged row found on the way is dropped, and its files read again below
    summary.scored += yield from steps.mapped(
        rescore.rescore_steps(index, scorer), lambda n: ScanStep("scoring", n, 0)
    )
    yield ScanStep("walking", 0, 0)
    rows = {
        loaded(path): (size, mtime, digest, status)
        for path, size, mtime, digest, status in conn.execute(
            "SELECT path, size, mtime_ns, hash, status FROM files"
        )
    }
    known = _valid_contents(index)
    todo: list[Found] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for item in walk(roots):
        seen.add(item.path)
        if isinstance(item, Problem):
            problems.append(item)
            continue
        summary.found += 1
        if summary.found % 1000 == 0:
            yield ScanStep("walking", summary.found, 0)
        row = rows.get(item.path)
        if (
            row is not None
            and (row[0], row[1]) == (item.size, item.mtime_ns)
            and (row[3] != "ok" or row[2] in known)
        ):
            summary.unchanged += 1
        else:
            todo.append(item)
    # a folder that could not be read (an unplugged disk, no permission) keeps its rows
    blocked = [p.path for p in problems]
    gone = [p for p in rows if p not in seen and _under(p, roots) and not _under(p, blocked)]
    with index.transaction() as tx:
        tx.executemany(
            "INSERT OR REPLACE INTO files (path, size, mtime_ns, hash, status) VALUES (?, ?, ?, NULL, ?)",
            [(stored(p.path), RETRY, RETRY, p.error) for p in problems],
        )
        natural.record(tx, [stored(p.path) for p in problems])
        natural.forget(tx, [stored(p) for p in gone])
        tx.executemany("DELETE FROM files WHERE path = ?", [(stored(p),) for p in gone])
    summary.removed = len(gone)
    for p in problems:
        _count(summary, p.error)
    summary.total = len(todo)
    yield ScanStep("reading", 0, summary.total)
    # one backbone pass a photo (its 224 crop), unless the index's schema still requires
    # the 64x64 squares' features or the model compares those (a reference of 64x64 pictures)
    squares = keeps_squares(conn) or scorer.compares == "familiar"
    if reader is None:
        batches = read_batches(todo, known, batch, threads, squares)
    else:
        batches = (
            reader(todo[at : at + batch], known, squares) for at in range(0, len(todo), batch)
        )
    try:
        for _ in range(0, len(todo), batch):
            if should_stop is not None and should_stop():
                summary.interrupted = True
                break
            outcomes = next(batches)
            _store(index, scorer, outcomes, summary)
            known.update(o.hash for o in outcomes if o.hash and o.error is None)
            summary.done += len(outcomes)
            yield ScanStep("reading", summary.done, summary.total)
    finally:
        batches.close()  # the decoding ahead is cancelled
    if not summary.interrupted:
        with index.transaction() as tx:
            tx.execute(
                "DELETE FROM contents WHERE hash NOT IN (SELECT hash FROM files WHERE hash IS NOT NULL)"
            )
            tx.execute("DELETE FROM thumbnails WHERE hash NOT IN (SELECT hash FROM contents)")
            tx.execute("DELETE FROM scores WHERE hash NOT IN (SELECT hash FROM contents)")
            natural.complete(tx)  # the keys of files gone dropped
        yield ScanStep("compacting", 0, 0)
        compact.compact(index)  # the batches' small chunks merged into full ones
        summary.scored += yield from steps.mapped(
            rescore.rescore_steps(index, scorer), lambda n: ScanStep("scoring", n, 0)
        )
    summary.seconds = time.perf_counter() - start
    return summary


def _count(summary: Summary, error: str) -> None:
    summary.errors += 1
    cause = error.split(" (")[0]
    summary.problems[cause] = summary.problems.get(cause, 0) + 1


def _store(index: Index, scorer: Scorer, outcomes: list[Outcome], summary: Summary) -> None:
    new = [o for o in outcomes if o.features is not None]
    with index.transaction() as tx:
        # the batch's new pictures: one chunk (two if only some came with 64x64 features)
        chunks.add(tx, [(o.hash, o.width, o.height, o.features, o.familiar) for o in new])
        tx.executemany(
            "INSERT OR REPLACE INTO thumbnails (hash, jpeg) VALUES (?, ?)",
            [(o.hash, o.thumbnail) for o in new if o.thumbnail],
        )
        for group in (
            [o for o in new if o.familiar is not None],
            [o for o in new if o.familiar is None],
        ):
            if group:
                rescore.store(
                    tx,
                    scorer,
                    [o.hash for o in group],
                    blobs.decode_many([o.features for o in group]),
                    None
                    if group[0].familiar is None
                    else blobs.decode_many([o.familiar for o in group]),
                )
        tx.executemany(
            "INSERT OR REPLACE INTO files (path, size, mtime_ns, hash, status) VALUES (?, ?, ?, ?, ?)",
            [
                (stored(o.path), o.size, o.mtime_ns, None if o.error else o.hash, o.error or "ok")
                for o in outcomes
            ],
        )
        natural.record(tx, [stored(o.path) for o in outcomes])
    summary.read += len(outcomes)
    summary.computed += len(new)
    summary.reused += sum(1 for o in outcomes if o.error is None and o.features is None)
    for o in outcomes:
        if o.error:
            _count(summary, o.error)


def _valid_contents(index: Index) -> set[str]:
    """Contents whose features read back whole (every chunk's sizes and checksums are
    checked; what is damaged is forgotten here, and its files read again below)."""
    good, bad, damaged = chunks.verify(index.conn)
    if bad or damaged:
        with index.transaction() as tx:
            chunks.forget(tx, bad, damaged)
    return good


def _check_backbone(index: Index) -> None:
    """Features of other weights are useless: an index of them is emptied of features."""
    from catgui.core import backbone

    recorded = index.meta("backbone")
    if recorded == backbone.SHA256:
        return
    with index.transaction() as tx:
        if recorded is not None:
            for table in ("contents", "thumbnails", "scores"):
                tx.execute(f"DELETE FROM {table}")
            tx.execute("UPDATE files SET size = -1, hash = NULL")
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('backbone', ?)", (backbone.SHA256,)
        )
