"""One background job at a time, on the latest state: :class:`LatestJob`.

For work that reads what is there now (the Library's re-scoring after a model change, its
map and near-copies after a scan): a request while the job runs is not a second thread but
a note, and the job runs once more when the running one ends, so the last request is
always served and never more than one runs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from catgui.workers.base import WorkerHolder
from catgui.workers.generator import GeneratorWorker


class LatestJob(QObject):
    """Runs ``make()``'s worker, one at a time; :meth:`request` while it runs asks for one
    more run after it.

    ``make`` builds the worker (its result signals connected, not started), or returns
    ``None`` when there is nothing to do now (no model, the index missing, a scan holding
    the index: whoever changes that requests again).

    Signals
    -------
    ended()
        A run ended and no other follows it.
    """

    ended = Signal()

    def __init__(
        self, make: Callable[[], GeneratorWorker | None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._make = make
        self._holder = WorkerHolder()
        self.destroyed.connect(functools.partial(WorkerHolder.stop_and_wait, self._holder))
        self._again = False
        self._closed = False

    def request(self) -> None:
        """Run now, or once more after the run in progress."""
        if self._closed:
            return
        if self.is_busy():
            self._again = True
            return
        self._again = False
        worker = self._make()
        if worker is None:
            return
        worker.finished.connect(self._finished)
        self._holder.worker = worker
        worker.start()

    def is_busy(self) -> bool:
        return self._holder.worker is not None

    def pending(self) -> bool:
        """Whether one more run follows the one in progress (its answer is stale)."""
        return self._again

    def shutdown(self) -> None:
        """Interrupt the run in progress, wait for it; nothing runs after."""
        self._closed = True
        self._again = False
        self._holder.stop_and_wait()

    def _finished(self) -> None:
        worker = self.sender()
        if worker is self._holder.worker:
            self._holder.worker = None
        if isinstance(worker, GeneratorWorker):
            worker.deleteLater()
        if self._again:
            self.request()
        if self._holder.worker is None:
            self.ended.emit()
