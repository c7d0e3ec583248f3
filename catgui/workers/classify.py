"""Classify dropped files and folders off the GUI thread, in small batches.

The worker first walks the inputs (folders recursively) so the total is known, then
decodes and classifies the files with :func:`catgui.core.prediction.classify_file`, a few
at a time in a small thread pool (:func:`catgui.core.parallel.map_in_order`), in order.
The first result is sent at once; the rest in batches at most every ``batch_interval``
seconds, so a drop of thousands of pictures costs five signals a second, not one per file.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from catgui.core import images, prediction
from catgui.core.network import Network
from catgui.core.parallel import default_workers, map_in_order
from catgui.workers.base import Worker

#: Longest side of the display thumbnails kept per picture (memory stays bounded).
THUMBNAIL_SIZE = 96
#: Seconds between two batches of results. Each batch makes the list lay out and repaint
#: (GUI time the decoding threads then lack): at 0.05 s, when every repaint drew its rows
#: afresh (~9 ms), the window took 1.6 s of GUI time and ~25 % longer than headless for
#: 200 photos; at 0.2 s, 0.5 s and ~8 %, with rows still arriving five times a second.
BATCH_INTERVAL = 0.2


@dataclass(frozen=True)
class ClassifyBatch:
    """Results gathered since the previous batch, with the progress so far.

    Attributes
    ----------
    job : int
        The ``job`` number the worker was started with (lets the GUI drop stale batches).
    results : list of Result
        New :class:`~catgui.core.prediction.Result` objects, in input order. Pictures carry
        ``pixels`` (64, 64, 3) uint8 and ``thumbnail`` (h, w, 3) uint8, h, w <= thumbnail size.
    done : int
        Files handled so far (classified or failed).
    total : int
        Files to handle, or 0 while the folders are still being walked.
    found : int
        Files found so far by the walk (equals ``total`` once it is known).
    """

    job: int
    results: list = field(default_factory=list)
    done: int = 0
    total: int = 0
    found: int = 0


class ClassifyWorker(Worker):
    """Walk, decode and classify ``paths`` with ``network``; stop when interrupted.

    Signals
    -------
    batchReady(object)
        A :class:`ClassifyBatch` (new results and progress).
    ended(int, bool)
        The job number and whether it was interrupted; the last signal of a run.
    failed(str)
        An unexpected error (a bug, not a bad file: bad files give error results).
    """

    batchReady = Signal(object)
    ended = Signal(int, bool)
    failed = Signal(str)

    def __init__(
        self,
        paths: Sequence[str | Path],
        network: Network,
        job: int = 0,
        thumbnail_size: int = THUMBNAIL_SIZE,
        batch_interval: float = BATCH_INTERVAL,
        decoders: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.paths = [str(p) for p in paths]
        self.network = network
        self.job = job
        self.thumbnail_size = thumbnail_size
        self.batch_interval = batch_interval
        #: Decoding threads: Pillow releases the GIL, so pictures decode on every core.
        self.decoders = decoders if decoders is not None else default_workers()

    def run(self) -> None:  # noqa: D401 - Qt entry point
        try:
            self._run()
        except Exception as exc:  # noqa: BLE001 - a bug must reach the window, not kill the thread
            self.failed.emit(f"Classifying stopped because of an unexpected error: {exc!r}")
            self.ended.emit(self.job, True)

    def _run(self) -> None:
        pending: list[prediction.Result] = []
        last_emit = time.monotonic()
        todo: list[tuple[Path, str | None]] = []
        for item in images.iter_image_files(self.paths):
            if self.isInterruptionRequested():
                self.ended.emit(self.job, True)
                return
            todo.append(item)
            now = time.monotonic()
            if now - last_emit >= self.batch_interval:
                self.batchReady.emit(ClassifyBatch(self.job, [], 0, 0, len(todo)))
                last_emit = now
        total = len(todo)
        done = 0
        results = map_in_order(self._classify, todo, self.decoders)
        try:
            for result in results:
                if self.isInterruptionRequested():  # results decoded ahead are dropped
                    self._flush(pending, done, total)
                    self.ended.emit(self.job, True)
                    return
                pending.append(result)
                done += 1
                now = time.monotonic()
                # the first result goes at once (the user sees a verdict as soon as there
                # is one, and the list draws its first row alone), then in batches
                if done == 1 or now - last_emit >= self.batch_interval:
                    self._flush(pending, done, total)
                    pending = []
                    last_emit = now
        finally:
            results.close()  # cancels decoding not yet started
        self._flush(pending, done, total, always=True)
        self.ended.emit(self.job, False)

    def _classify(self, item: tuple[Path, str | None]) -> prediction.Result:
        path, problem = item
        if problem:
            return prediction.Result(path=path, error=problem)
        return prediction.classify_file(self.network, path, thumbnail_size=self.thumbnail_size)

    def _flush(self, results: list, done: int, total: int, always: bool = False) -> None:
        if results or always:
            self.batchReady.emit(ClassifyBatch(self.job, list(results), done, total, total))
