"""The data-set download, off the GUI thread."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from catgui.core import download
from catgui.core.errors import CatguiError
from catgui.workers.base import Worker

#: At most this many progress signals a second (plus the last one).
MAX_PROGRESS_PER_S = 30


class DownloadWorker(Worker):
    """Run :func:`catgui.core.download.download_dataset` in a thread.

    Signals
    -------
    progressed(int, int)
        Bytes done and bytes expected over both files (throttled).
    succeeded(str)
        The folder that now holds both verified files.
    failed(str)
        A message for the user (network, HTTP, checksum or disk problem).
    cancelled()
        The download stopped because :meth:`stop` was called; nothing partial was kept.
    """

    progressed = Signal(int, int)
    succeeded = Signal(str)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        dest_folder: str | Path | None = None,
        base_url: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.dest_folder = (
            Path(dest_folder) if dest_folder is not None else download.default_folder()
        )
        self.base_url = base_url or download.BASE_URL
        self._last_emit = 0.0

    def run(self) -> None:
        try:
            folder = download.download_dataset(
                self.dest_folder,
                progress=self._progress,
                cancelled=self.isInterruptionRequested,
                base_url=self.base_url,
            )
        except download.DownloadCancelled:
            self.cancelled.emit()
        except CatguiError as exc:
            self.failed.emit(str(exc))
        else:
            self.succeeded.emit(str(folder))

    def _progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self._last_emit >= 1.0 / MAX_PROGRESS_PER_S:
            self._last_emit = now
            self.progressed.emit(done, max(total, done))
