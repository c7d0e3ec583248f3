"""Thumbnails of the library's pictures, loaded when asked for and kept (a QObject, no widget).

:meth:`ThumbnailCache.pixmap` answers at once: the cached ``QPixmap``, or ``None`` while
the thumbnail is read from the index and decoded in a :class:`ThumbnailWorker` (a
``QImage`` there; the ``QPixmap`` is made here, in the GUI thread). The latest requests
are served first, so scrolling fast loads what is on screen, not what flew past.
"""

from __future__ import annotations

import collections
import functools
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap

from catgui.core.library import jobs
from catgui.workers.base import WorkerHolder
from catgui.workers.thumbnails import ThumbnailWorker

#: Thumbnails kept (each at most 96 x 96: about 36 KB as a pixmap).
KEEP = 4000
#: Thumbnails read by one worker run; requests waiting beyond this many are forgotten
#: (a row still on screen asks again when it is painted).
BATCH = 48
WAITING = 400


class ThumbnailCache(QObject):
    """Pixmaps by content hash, loaded from the index at ``index_path`` on demand.

    Signals
    -------
    ready(str)
        The thumbnail of this content hash is now in the cache (or known to be missing).
    """

    ready = Signal(str)

    def __init__(self, index_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.index_path = Path(index_path)
        self._pixmaps: collections.OrderedDict[str, QPixmap | None] = collections.OrderedDict()
        self._waiting: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._closed = False  # shut down: nothing more is loaded
        self._holder = WorkerHolder()
        self.destroyed.connect(functools.partial(WorkerHolder.stop_and_wait, self._holder))
        self._kick = QTimer(self, singleShot=True, interval=0)
        self._kick.timeout.connect(self._start)

    def pixmap(self, digest: str) -> QPixmap | None:
        """The thumbnail (a null pixmap: the index has none), or ``None`` while it loads."""
        if digest in self._pixmaps:
            self._pixmaps.move_to_end(digest)
            found = self._pixmaps[digest]
            return found if found is not None else QPixmap()
        self._waiting[digest] = None
        self._waiting.move_to_end(digest)
        while len(self._waiting) > WAITING:
            self._waiting.popitem(last=False)
        if not self._kick.isActive():
            self._kick.start()
        return None

    def clear(self) -> None:
        """Forget every thumbnail (the index was replaced)."""
        self._pixmaps.clear()
        self._waiting.clear()

    def is_busy(self) -> bool:
        worker = self._holder.worker
        return bool(self._waiting) or (worker is not None and worker.isRunning())

    def shutdown(self) -> None:
        self._closed = True
        self._waiting.clear()
        self._holder.stop_and_wait()

    def _start(self) -> None:
        worker = self._holder.worker
        if worker is not None and worker.isRunning() or not self._waiting or self._closed:
            return
        wanted = list(self._waiting)[-BATCH:][::-1]  # the latest first
        for digest in wanted:
            del self._waiting[digest]
        path = self.index_path
        worker = ThumbnailWorker(lambda: jobs.thumbnail_job(path, wanted), parent=self)
        worker.decoded.connect(self._decoded)
        worker.failed.connect(functools.partial(self._failed, wanted))
        worker.finished.connect(self._finished)
        self._holder.worker = worker
        worker.start()

    def _decoded(self, digest: str, image: QImage) -> None:
        self._pixmaps[digest] = None if image.isNull() else QPixmap.fromImage(image)
        while len(self._pixmaps) > KEEP:
            self._pixmaps.popitem(last=False)
        self.ready.emit(digest)

    def _failed(self, digests: list[str], _message: str) -> None:
        for digest in digests:  # the index cannot be read now: shown without a thumbnail
            if digest not in self._pixmaps:
                self._decoded(digest, QImage())

    def _finished(self) -> None:
        worker = self.sender()
        if worker is self._holder.worker:
            self._holder.worker = None
        if isinstance(worker, ThumbnailWorker):
            worker.deleteLater()
        if self._waiting:
            self._kick.start()
