"""Runs the Classify tab's batches one after another (a QObject, no widget).

Drops that arrive while a batch runs wait in a queue, so no drop is lost and never two
workers fill the list at once. Results computed with a model that has since been replaced
are re-scored with the current one before they are handed on.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from catgui.core.classifier import Classifier
from catgui.workers.base import WorkerHolder
from catgui.workers.classify import ClassifyBatch, ClassifyWorker


class ClassifyQueue(QObject):
    """A queue of path lists, classified one list at a time by a :class:`ClassifyWorker`.

    Parameters
    ----------
    classifier_source : callable
        Returns the active classifier, or ``None`` when there is no model (batches then wait).

    Signals
    -------
    resultsReady(list)
        New :class:`~catgui.core.prediction.Result` objects scored by the current classifier.
    progressed(int, int, int)
        Files done, total (0 while folders are walked) and found so far.
    busyChanged(bool)
        Work started, or the last queued batch ended.
    failed(str)
        An unexpected error stopped a batch.
    """

    resultsReady = Signal(list)
    progressed = Signal(int, int, int)
    busyChanged = Signal(bool)
    failed = Signal(str)

    def __init__(
        self, classifier_source: Callable[[], Classifier | None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._classifier_source = classifier_source
        self._waiting: deque[list[str]] = deque()
        self._job = 0
        self._accept_job: int | None = None
        self._holder = WorkerHolder()
        self.progress = (0, 0)  # (done, total) of the current or last batch
        self._busy = False
        self.destroyed.connect(functools.partial(WorkerHolder.stop_and_wait, self._holder))

    @property
    def worker(self) -> ClassifyWorker | None:
        """The running worker, if any."""
        return self._holder.worker

    def is_busy(self) -> bool:
        return self._holder.worker is not None

    def waiting(self) -> int:
        """How many drops wait for the running batch (or for a model)."""
        return len(self._waiting)

    def waiting_items(self) -> int:
        """How many files and folders those waiting drops name."""
        return sum(len(paths) for paths in self._waiting)

    def add(self, paths: list[str]) -> None:
        """Queue ``paths`` and start it at once if nothing else runs."""
        if paths:
            self._waiting.append(list(paths))
            self.start_next()

    def start_next(self) -> None:
        """Start the next waiting batch if idle and a model is active."""
        classifier = self._classifier_source()
        if self._holder.worker is not None or not self._waiting or classifier is None:
            return
        self._job += 1
        self._accept_job = self._job
        self.progress = (0, 0)
        worker = ClassifyWorker(self._waiting.popleft(), classifier, job=self._job)
        worker.batchReady.connect(self._on_batch)
        worker.ended.connect(self._on_ended)
        worker.failed.connect(self.failed)
        self._holder.worker = worker
        worker.start()
        self._set_busy(True)

    def cancel(self) -> bool:
        """Stop the running batch and forget the waiting ones; ``True`` if one was running.

        Results the worker sends after this are dropped; the worker ends on its own
        within one batch of files (:data:`catgui.core.batched.BATCH`; see :meth:`shutdown`
        to wait for it).
        """
        self._waiting.clear()
        worker = self._holder.worker
        if worker is None:
            return False
        self._accept_job = None
        worker.stop()
        return True

    def shutdown(self) -> None:
        """Stop everything and wait for the worker thread to end."""
        self._waiting.clear()
        self._accept_job = None
        self._holder.stop_and_wait()
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)

    def _on_batch(self, batch: ClassifyBatch) -> None:
        worker = self._holder.worker
        if worker is None or batch.job != self._accept_job:
            return  # from a cancelled batch
        self.progress = (batch.done, batch.total)
        results = batch.results
        classifier = self._classifier_source()
        if results and classifier is not None and classifier is not worker.classifier:
            results = rescored(results, classifier)  # the model changed while this batch ran
        if results:
            self.resultsReady.emit(results)
        self.progressed.emit(batch.done, batch.total, batch.found)

    def _on_ended(self, job: int, interrupted: bool) -> None:
        worker = self._holder.worker
        if worker is None or worker.job != job:
            return
        worker.wait()
        worker.deleteLater()
        self._holder.worker = None
        self.start_next()
        if self._holder.worker is None:
            self._set_busy(False)


def rescored(results: list, classifier: Classifier) -> list:
    """``results`` with probabilities recomputed by ``classifier`` from the decoded pictures."""
    scored = [r for r in results if r.picture is not None]
    if not scored:
        return results
    probs = classifier.classify([r.picture for r in scored])
    new = {id(r): float(p) for r, p in zip(scored, probs, strict=True)}
    return [dataclasses.replace(r, probability=new.get(id(r), r.probability)) for r in results]
