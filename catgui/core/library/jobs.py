"""The library's long work as a front end runs it: each job opens the index itself (in the
thread that drives it), does its work step by step, and closes the index when it ends or
is closed (headless: no Qt).

A scan can be paused: between two batches it waits while ``paused`` is set, still holding
the index (another scan of it is told the index is busy), and it ends there at once when
``should_stop`` says so. A stopped scan keeps every batch it saved; the next scan of the
same folders continues from there.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Generator, Sequence
from pathlib import Path

from catgui.core.library.index import Index
from catgui.core.library.rescore import Scorer, rescore_steps
from catgui.core.library.scan import ScanStep, Summary, scan_steps

#: Seconds between two looks at ``should_stop`` while paused.
PAUSE_POLL = 0.05


def scan_job(
    index_path: str | os.PathLike,
    roots: Sequence[str | os.PathLike],
    model_path: str | os.PathLike,
    paused: threading.Event | None = None,
    should_stop: Callable[[], bool] | None = None,
    threads: int = 2,
) -> Generator[ScanStep, None, Summary]:
    """Scan ``roots`` into the index at ``index_path``, scored by the model file at
    ``model_path``. Yields :class:`~.scan.ScanStep`; returns the scan's summary.

    Raises :class:`~catgui.core.errors.CatguiError` (:class:`~.index.IndexBusy` when another
    scan holds the index) with a message naming the file and the problem.
    """
    scorer = Scorer.of_file(model_path)
    stop = should_stop or (lambda: False)
    with Index(index_path, writable=True) as index, index.guard():
        steps = scan_steps(index, [str(r) for r in roots], scorer, threads=threads)
        try:
            while True:
                try:
                    step = next(steps)
                except StopIteration as end:
                    return end.value
                yield step
                while paused is not None and paused.is_set() and not stop():
                    time.sleep(PAUSE_POLL)
                if stop():
                    summary = Summary(interrupted=True, done=step.done, total=step.total)
                    return summary
        finally:
            steps.close()


def rescore_job(
    index_path: str | os.PathLike, model_path: str | os.PathLike
) -> Generator[tuple[str, object], None, tuple[str, int]]:
    """Score every stored picture the model at ``model_path`` has not scored yet, from the
    stored features (no backbone pass).

    Yields ``("model", sha256)`` first (the grid can show the scores stored already), then
    ``("scored", rows done)``; returns ``(sha256, rows scored)``. No index yet: nothing to
    score. The index busy (a scan is writing it): ``("busy", message)`` and nothing scored.
    """
    from catgui.core.library.index import IndexBusy

    scorer = Scorer.of_file(model_path)
    yield "model", scorer.sha256
    if not Path(index_path).is_file():
        return scorer.sha256, 0
    try:
        index = Index(index_path, writable=True)
    except IndexBusy as exc:
        yield "busy", str(exc)
        return scorer.sha256, 0
    with index, index.guard():
        steps = rescore_steps(index, scorer)
        done = 0
        try:
            while True:
                try:
                    done = next(steps)
                except StopIteration as end:
                    done = end.value
                    break
                yield "scored", done
        finally:
            steps.close()
    return scorer.sha256, done


def model_sha256(model_path: str | os.PathLike) -> str:
    """The SHA-256 the index knows the model file at ``model_path`` by; raises
    :class:`~catgui.core.errors.CatguiError` for a model that reads pixels."""
    return Scorer.of_file(Path(model_path)).sha256


def thumbnail_job(
    index_path: str | os.PathLike, hashes: Sequence[str]
) -> Generator[tuple[str, bytes | None], None, int]:
    """The stored thumbnails (JPEG bytes) of ``hashes``: yields ``(hash, jpeg or None)``
    for each (``None``: the index has no thumbnail of it); returns how many."""
    from catgui.core.library import browse

    with Index(index_path) as index:
        found = browse.thumbnails(index, hashes)
    for digest in hashes:
        yield digest, found.get(digest)
    return len(hashes)


def matching_job(index_path: str | os.PathLike, view) -> Generator[None, None, tuple]:
    """The rowids ``view`` shows and the counts of each filter (:mod:`.browse`), read
    from the index at ``index_path``: returns ``(rowids, counts)``."""
    from catgui.core.library import browse

    with Index(index_path) as index:
        ids = browse.matching(index, view)
        yield None
        return ids, browse.counts(index, view)


def colours_job(
    index_path: str | os.PathLike, hashes: Sequence[str], model_sha256: str | None
) -> Generator[None, None, object]:
    """P(cat) of each of ``hashes`` by the model (NaN: not scored), read from the index's
    scores only (no feature read): the map's colours after a model change. Returns
    ``(n,)`` float64."""
    from catgui.core.library import similar

    with Index(index_path) as index, index.guard():
        yield None
        return similar.probabilities(index, list(hashes), model_sha256)


def picture_job(
    path: str | os.PathLike, side: int, why_model: str | os.PathLike | None = None
) -> Generator[tuple[str, object], None, None]:
    """One library picture, large: yields ``("picture", (h, w, 3) uint8)`` (longest side at
    most ``side``), then, with ``why_model`` (a model file), ``("why", Explained)``: its
    heat map by that model (:mod:`catgui.core.explain`; ``overlay`` ``None`` when the
    model cannot say). Raises :class:`~catgui.core.errors.CatguiError` naming the file."""
    from catgui.core import explain, images, persistence

    classifier = persistence.load(why_model).classifier if why_model is not None else None
    sizes = (images.SIZE,) if classifier is None else (images.SIZE, classifier.input_size)
    picture = images.load(path, thumbnail_size=side, sizes=sizes)
    yield "picture", picture.thumbnail
    if classifier is not None:
        yield "why", explain.explain(classifier, picture.square(classifier.input_size), str(path))


def forget_job(
    index_path: str | os.PathLike,
    folder: str | os.PathLike,
    keep: Sequence[str | os.PathLike] = (),
) -> Generator[int, None, int]:
    """Take ``folder`` out of the library: the rows of its files leave the index (not those
    also under a folder of ``keep``, the library's other folders). Files on disk are not
    touched; the features, thumbnails and scores no file shows any more are dropped by the
    next whole scan, as a scan drops those of deleted files. Yields and returns how many
    rows left."""
    from catgui.core.library import natural
    from catgui.core.library.walk import absolute, loaded, stored

    root = absolute(folder)
    kept = [absolute(k) for k in keep]
    with Index(index_path, writable=True) as index, index.guard():
        paths = [loaded(p) for (p,) in index.conn.execute("SELECT path FROM files")]
        gone = [p for p in paths if _inside(p, [root]) and not _inside(p, kept)]
        with index.transaction() as tx:
            tx.executemany("DELETE FROM files WHERE path = ?", [(stored(p),) for p in gone])
            natural.forget(tx, [stored(p) for p in gone])
        yield len(gone)
    return len(gone)


def _inside(path: str, roots: Sequence[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
