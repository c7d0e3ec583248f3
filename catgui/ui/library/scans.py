"""The library's folders and their scans (a QObject, no widget): adding and removing folders,
starting, stopping and continuing scans, and what the panel says about them.

The index has one writer at a time: a scan asked for while the
:class:`~catgui.ui.library.model_follower.ModelFollower` re-scores waits for it to end
(:meth:`LibraryScans.follower_ended`); re-scoring asked for during a scan happens when it
ends. The folders and whether a scan was left unfinished are remembered in the settings.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal

from catgui.core.library.scan import Summary
from catgui.ui import settings as remembered
from catgui.ui.library.model_follower import ModelFollower
from catgui.ui.library.scan_panel import ScanPanel
from catgui.ui.library.scanner import Scanner, summary_text


class LibraryScans(QObject):
    """Folders and scans of the index at ``index_path``, shown on ``panel``.

    Signals
    -------
    finished(object)
        A scan ended (its :class:`~catgui.core.library.scan.Summary`).
    indexChanged()
        The index may hold other rows now: the grid reads it again.
    said(str)
        A problem in words ("" when it is behind us): the index busy, a damaged index.
    """

    finished = Signal(object)
    indexChanged = Signal()
    said = Signal(str)

    def __init__(
        self,
        index_path: Path,
        settings: QSettings,
        panel: ScanPanel,
        follower: Callable[[], ModelFollower],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.panel = panel
        self._follower = follower  # made after this object: asked for when needed
        self.folders: list[str] = remembered.library_folders(settings)
        self.scanner = Scanner(index_path, self)
        self._waiting = False  # a scan starts when the re-scoring ends
        self._removing: str | None = None  # a folder whose files are leaving the index
        panel.set_folders(self.folders)
        panel.addRequested.connect(self._add_dialog)
        panel.rescanRequested.connect(self.scan)
        panel.pauseToggled.connect(self.scanner.pause)
        panel.stopRequested.connect(self.stop)
        panel.removeRequested.connect(self.remove_folder)
        self.scanner.progressed.connect(panel.set_progress)
        self.scanner.runningChanged.connect(panel.set_running)
        self.scanner.finished.connect(self._finished)
        self.scanner.failed.connect(self._failed)
        self.scanner.forgotten.connect(self._forgotten)

    def unfinished(self) -> bool:
        """Whether the last scan did not end (it continues when asked to scan)."""
        return bool(self.folders) and remembered.library_scan_unfinished(self.settings)

    def add_folders(self, folders: list[str]) -> None:
        """Add these folders to the library and scan (new and changed files only)."""
        added = [os.path.abspath(f) for f in folders]
        added = [f for f in dict.fromkeys(added) if f not in self.folders]
        if added:
            self.folders.extend(added)
            self._remember_folders()
        self.scan()

    def remove_folder(self, folder: str) -> bool:
        """Take ``folder`` out of the library (its files on disk are not touched). The
        folder leaves the list once its files have left the index: when that fails (the
        index busy), it stays listed, and the reason is said."""
        if folder not in self.folders or self.is_scanning():
            return False
        self._removing = folder
        return self.scanner.forget(folder, [f for f in self.folders if f != folder])

    def scan(self) -> bool:
        """Scan the library's folders (continues where an unfinished scan stopped)."""
        follower = self._follower()
        model_path = follower.model_path
        if model_path is None or not self.folders or self.scanner.is_running():
            return False
        if follower.is_busy():  # it holds the index for a moment
            self._waiting = True
            self.panel.set_running(True)
            self.panel.set_progress(0, 0, "Starting the scan…")
            return True
        self._waiting = False
        if not self.scanner.start(self.folders, model_path):
            return False
        remembered.remember_library_scan_unfinished(self.settings, True)
        self.said.emit("")  # the last scan's problem, if any, is behind us
        self.panel.set_progress(0, 0, "Starting the scan…")
        return True

    def stop(self) -> None:
        """End the scan after its current batch (at once when it has not started)."""
        if self._waiting and not self.scanner.is_running():
            self._waiting = False
            self.panel.set_running(False)
            self._finished(Summary(interrupted=True))
            return
        self.scanner.stop()
        self.panel.say("Stopping after this batch…")

    def is_scanning(self) -> bool:
        return self._waiting or self.scanner.is_running()

    def follower_ended(self) -> None:
        """The re-scoring let go of the index: a waiting scan starts."""
        if self._waiting:
            self.scan()

    def shutdown(self) -> None:
        self._waiting = False
        self.scanner.shutdown()

    def _add_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        start = self.folders[-1] if self.folders else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self.panel, "Add a folder of photos", start)
        if folder:
            self.add_folders([folder])

    def _remember_folders(self) -> None:
        remembered.remember_library_folders(self.settings, self.folders)
        self.panel.set_folders(self.folders)

    def _finished(self, summary: Summary) -> None:
        if summary.interrupted:
            self.panel.say(
                f"Stopped: {summary.done:,} of {summary.total:,} read; "
                "Scan again (or the next start) continues".replace(": 0 of 0 read;", ";")
            )
        else:
            remembered.remember_library_scan_unfinished(self.settings, False)
            self.panel.say(summary_text(summary))
        self._follower().rescore()  # a model changed during the scan: its scores now
        self.indexChanged.emit()
        self.finished.emit(summary)

    def _failed(self, message: str) -> None:
        removing, self._removing = self._removing, None
        self.panel.say(f"{removing} was not removed." if removing else "The scan did not run.")
        self.said.emit(message)
        self.indexChanged.emit()

    def _forgotten(self, folder: str, rows: int) -> None:
        self._removing = None
        if folder in self.folders:
            self.folders.remove(folder)
            self._remember_folders()
        self.panel.say(f"Removed {folder} from the library ({rows:,} files; the files stay).")
        self.indexChanged.emit()
