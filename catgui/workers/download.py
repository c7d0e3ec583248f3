"""The data-set download, off the GUI thread: drives :func:`catgui.core.download.download_steps`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from catgui.core import download
from catgui.workers.generator import GeneratorWorker, Steps

#: At most this many progress signals a second (plus the last one).
MAX_PROGRESS_PER_S = 30


class DownloadWorker(GeneratorWorker):
    """Run :func:`catgui.core.download.download_steps` in a thread.

    Signals
    -------
    progressed(int, int)
        Bytes done and bytes expected over both files (throttled).
    succeeded(str)
        The folder that now holds both verified files.
    failed(str)
        A message for the user (network, HTTP, checksum or disk problem).
    interrupted()
        The download stopped because :meth:`stop` was called; nothing partial was kept.
    """

    progressed = Signal(int, int)
    succeeded = Signal(str)

    max_per_second = MAX_PROGRESS_PER_S
    task = "the download"

    def __init__(
        self,
        dest_folder: str | Path | None = None,
        base_url: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent=parent)
        self.dest_folder = (
            Path(dest_folder) if dest_folder is not None else download.default_folder()
        )
        self.base_url = base_url or download.BASE_URL

    def steps(self) -> Steps:
        return download.download_steps(self.dest_folder, base_url=self.base_url)

    def sends_at_once(self, step: download.DownloadProgress, first: bool) -> bool:
        return first or step.done >= step.total

    def send_progress(self, step: download.DownloadProgress) -> None:
        self.progressed.emit(step.done, max(step.total, step.done))

    def send_result(self, result: Path) -> None:
        self.succeeded.emit(str(result))
