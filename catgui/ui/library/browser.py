"""What the Library grid shows, read off the GUI thread (a QObject, no widget).

Each change of filter, text, order, model or threshold makes a new
:class:`~catgui.core.library.browse.View`; the rowids it shows and the counts of every
filter are read by :func:`catgui.core.library.jobs.matching_job` in the generic worker,
then handed to the :class:`~catgui.ui.library.grid_model.LibraryModel`. One read at a
time (:class:`~catgui.workers.latest_job.LatestJob`): a change made while one runs is
read when it ends (the older answer is dropped).
"""

from __future__ import annotations

import dataclasses
import functools

from PySide6.QtCore import QObject, QTimer, Signal

from catgui.core.library import browse, jobs
from catgui.ui.library.grid_model import LibraryModel
from catgui.workers.generator import GeneratorWorker
from catgui.workers.latest_job import LatestJob

#: A text typed in the filter is read this long after the last key.
TYPING_MS = 150


class Browser(QObject):
    """Keeps ``model`` showing :attr:`view`.

    Signals
    -------
    shown(object)
        The grid now shows the rows of this view; the argument is the counts
        (``{"all": n, "cats": ..., ...}``).
    failed(str)
        The index could not be read (it is missing, damaged, busy being made).
    """

    shown = Signal(object)
    failed = Signal(str)

    def __init__(self, model: LibraryModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = browse.View()
        self.counts: dict[str, int] = {}
        self.shown_view: browse.View | None = None  # what the grid shows now
        self._job = LatestJob(self._make_worker, self)
        self._typing = QTimer(self, singleShot=True, interval=TYPING_MS)
        self._typing.timeout.connect(self.reload)

    def change(self, **fields) -> None:
        """Show another view: ``which``, ``sort``, ``model``, ``threshold`` (at once)."""
        self.view = dataclasses.replace(self.view, **fields)
        self.reload()

    def type_text(self, text: str) -> None:
        """The path filter's text: read a moment after the last key."""
        self.view = dataclasses.replace(self.view, text=text)
        self._typing.start()

    def reload(self) -> None:
        """Read the current view again (the index changed)."""
        self._typing.stop()
        self._job.request()

    def is_busy(self) -> bool:
        """Whether a read runs, or its answer has not reached the grid yet."""
        return self._job.is_busy() or self._typing.isActive()

    def shutdown(self) -> None:
        self._job.shutdown()

    def _make_worker(self) -> GeneratorWorker:
        view, path = self.view, self.model.index_path
        worker = GeneratorWorker(
            lambda: jobs.matching_job(path, view), "reading the library", 0, self
        )
        worker.returned.connect(functools.partial(self._read, view))
        worker.failed.connect(self._failed)
        return worker

    def _read(self, view: browse.View, result: tuple) -> None:
        if self._job.pending():
            return  # a newer read is waiting: this answer is stale
        ids, counts = result
        self.counts = counts
        self.shown_view = view
        self.model.set_rows(ids, view.model, view.threshold)
        self.shown.emit(counts)

    def _failed(self, message: str) -> None:
        if not self._job.pending():
            self.counts = {}
            self.model.set_rows([], self.view.model, self.view.threshold)
            self.failed.emit(message)
