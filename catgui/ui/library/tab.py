"""The Library tab: a whole photo collection, scanned into the library index, as a grid.

Folders are added with *Add folder…* or by dropping them on the tab; the scan runs in the
generic worker (:class:`~catgui.ui.library.scanner.Scanner`) with its progress, photos/s
and time left, *Pause* and *Stop*; a scan left unfinished continues the next time the tab
opens. The grid (:class:`~catgui.ui.library.grid_model.LibraryModel`) reads the index's
rows a page at a time and the thumbnails off the GUI thread; filters with their counts, a
text to find in paths and an order choose what it shows. The active model's verdicts are
shown (:class:`~catgui.ui.library.model_follower.ModelFollower` re-scores the stored
features when it changes).

Other features add their widgets with :meth:`LibraryTab.add_widget_above` /
:meth:`LibraryTab.add_widget_beside`, their filters with :meth:`LibraryTab.add_filter`,
and select pictures with :meth:`LibraryTab.select_paths` / :meth:`LibraryTab.select_hashes`.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSettings, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from catgui.core.library import browse, index
from catgui.core.library.scan import Summary
from catgui.ui import settings as remembered
from catgui.ui.app_state import AppState
from catgui.ui.library.browser import Browser
from catgui.ui.library.filter_bar import FilterBar
from catgui.ui.library.grid_model import LibraryModel
from catgui.ui.library.grid_view import LibraryGrid
from catgui.ui.library.likeness import Likeness
from catgui.ui.library.model_follower import ModelFollower
from catgui.ui.library.picture_actions import PictureActions
from catgui.ui.library.scan_panel import ScanPanel
from catgui.ui.library.scanner import Scanner

EMPTY_TEXT = (
    "<p style='font-size:15px'><b>Find the cats among your photos</b></p>"
    "<p>Drop folders of photos here, or click <b>Add folder…</b>.<br>"
    "Every photo is read once; its verdict, its thumbnail and what the model saw are kept "
    "in the library, so the next visit and another model are instant.</p>"
)


class LibraryTab(QWidget):
    """The scan panel, the filters and the grid of the library at :attr:`index_path`.

    Signals
    -------
    scanFinished(object)
        A scan ended (its :class:`~catgui.core.library.scan.Summary`).
    shown(object)
        The grid shows a new view; the argument is the filters' counts.
    """

    NAME = "library"
    scanFinished = Signal(object)
    shown = Signal(object)

    def __init__(
        self, state: AppState, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("libraryTab")
        self.state = state
        self.settings = settings if settings is not None else QSettings()
        self.index_path: Path = index.default_path()
        self.folders: list[str] = []
        self._read_error = ""  # the notice says the index could not be read
        self._scan_waiting = False  # a scan starts when the re-scoring ends
        self.setAcceptDrops(True)
        self.panel = ScanPanel()
        self.notice = QLabel(objectName="libraryNotice", wordWrap=True)
        self.notice.hide()
        self.filters = FilterBar()
        self.model = LibraryModel(self.index_path, self)
        self.grid = LibraryGrid()
        self.grid.setModel(self.model)
        self.empty = QLabel(EMPTY_TEXT, objectName="libraryEmpty", wordWrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setTextFormat(Qt.TextFormat.RichText)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.grid)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="librarySplitter")
        self.splitter.addWidget(self.stack)
        self.splitter.setChildrenCollapsible(False)
        self._above = QVBoxLayout()
        self._above.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(self.notice)
        layout.addLayout(self._above)
        layout.addWidget(self.filters)
        layout.addWidget(self.splitter, 1)
        self.scanner = Scanner(self.index_path, self)
        self.browser = Browser(self.model, self)
        self.follower = ModelFollower(self.index_path, self.is_scanning, self)
        self.actions = PictureActions(
            self,
            self.grid,
            self.model,
            self.settings,
            lambda: self.follower.model_path,
            self._say,
        )
        self._wire()
        self.likeness = Likeness(self)  # the map beside the grid, the Duplicates filter
        self.load_settings()
        self.follower.follow(state.model)
        if self.folders and remembered.library_scan_unfinished(self.settings):
            self.scan()  # the last scan did not end: it continues
        else:
            self.browser.reload()

    def _wire(self) -> None:
        self.panel.addRequested.connect(self.add_folder_dialog)
        self.panel.rescanRequested.connect(self.scan)
        self.panel.pauseToggled.connect(self.scanner.pause)
        self.panel.stopRequested.connect(self.stop_scan)
        self.scanner.progressed.connect(self.panel.set_progress)
        self.scanner.runningChanged.connect(self.panel.set_running)
        self.scanner.finished.connect(self._scan_finished)
        self.scanner.failed.connect(self._scan_failed)
        self.filters.filterChanged.connect(lambda name: self.browser.change(which=name or None))
        self.filters.sortChanged.connect(self._sort_changed)
        self.filters.textChanged.connect(self.browser.type_text)
        self.browser.shown.connect(self._shown)
        self.browser.failed.connect(self._read_failed)
        self.follower.modelKnown.connect(lambda sha: self.browser.change(model=sha))
        self.follower.rescored.connect(lambda _sha, n: n and self.browser.reload())
        self.follower.noted.connect(self._say)
        self.follower.ended.connect(self._follower_ended)
        self.follower.failed.connect(self._say)
        self.state.modelChanged.connect(self._model_changed)
        self.grid.opened.connect(self.actions.open_large)

    # -- folders and scans ---------------------------------------------------------------
    def add_folder_dialog(self) -> None:
        start = self.folders[-1] if self.folders else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of photos", start)
        if folder:
            self.add_folders([folder])

    def add_folders(self, folders: list[str]) -> None:
        """Add these folders to the library and scan (new and changed files only)."""
        added = False
        for folder in folders:
            path = os.path.abspath(folder)
            if path not in self.folders:
                self.folders.append(path)
                added = True
        if added:
            remembered.remember_library_folders(self.settings, self.folders)
            self.panel.set_folders(self.folders)
        self.scan()

    def scan(self) -> bool:
        """Scan the library's folders (continues where an unfinished scan stopped)."""
        model_path = self.follower.model_path
        if model_path is None or not self.folders or self.scanner.is_running():
            return False
        if self.follower.is_busy():  # it holds the index for a moment
            self._scan_waiting = True
            self.panel.set_running(True)
            self.panel.set_progress(0, 0, "Starting the scan…")
            return True
        self._scan_waiting = False
        if not self.scanner.start(self.folders, model_path):
            return False
        remembered.remember_library_scan_unfinished(self.settings, True)
        self.panel.set_progress(0, 0, "Starting the scan…")
        return True

    def stop_scan(self) -> None:
        if self._scan_waiting and not self.scanner.is_running():
            self._scan_waiting = False
            self.panel.set_running(False)
            self._scan_finished(Summary(interrupted=True))
            return
        self.scanner.stop()
        self.panel.say("Stopping after this batch…")

    def is_scanning(self) -> bool:
        return self._scan_waiting or self.scanner.is_running()

    def _follower_ended(self) -> None:
        if self._scan_waiting:
            self.scan()

    def _scan_finished(self, summary: Summary) -> None:
        if summary.interrupted:
            self.panel.say(
                f"Stopped: {summary.done:,} of {summary.total:,} read; "
                "Scan again (or the next start) continues".replace(": 0 of 0 read;", ";")
            )
        else:
            remembered.remember_library_scan_unfinished(self.settings, False)
            self.panel.say(_summary_text(summary))
        self.follower.rescore()  # a model changed during the scan: its scores now
        self.model.refresh()
        self.browser.reload()
        self.scanFinished.emit(summary)

    def _scan_failed(self, message: str) -> None:
        self.panel.say("The scan did not run.")
        self._say(message)
        self.browser.reload()

    # -- the grid ----------------------------------------------------------------------------
    def _sort_changed(self, name: str) -> None:
        remembered.remember(self.settings, remembered.LIBRARY_SORT, name)
        self.browser.change(sort=name)

    def _shown(self, counts: dict) -> None:
        if self._read_error and self.notice.text() == self._read_error:
            self._say("")
        self._read_error = ""
        self.filters.set_counts(counts)
        has_rows = bool(counts.get("all"))
        self.stack.setCurrentWidget(self.grid if has_rows or self.folders else self.empty)
        self.shown.emit(counts)

    def _read_failed(self, message: str) -> None:
        self.filters.set_counts({})
        self.stack.setCurrentWidget(self.empty if not self.folders else self.grid)
        # no index yet, or one a scan is making, is no problem: nothing to show yet
        if self.index_path.exists() and not self.is_scanning():
            self._read_error = message
            self._say(message)

    def _model_changed(self, model) -> None:
        self.follower.follow(model)

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # -- seams for other features ------------------------------------------------------------
    def add_widget_above(self, widget: QWidget) -> None:
        """Put ``widget`` above the filters and the grid (a strip of pictures, ...)."""
        self._above.addWidget(widget)

    def add_widget_beside(self, widget: QWidget) -> None:
        """Put ``widget`` right of the grid, in the splitter (a map, ...)."""
        self.splitter.addWidget(widget)

    def add_filter(
        self,
        name: str,
        title: str,
        tip: str,
        condition: str,
        params: tuple = (),
        order: str = "",
        order_params: tuple = (),
    ) -> None:
        """A filter button (``name``, ``title``) showing the files for which the SQL
        ``condition`` over ``files f`` and ``scores s`` holds (see
        :func:`catgui.core.library.browse.register_filter`: ``order`` too); counted like
        the others."""
        browse.register_filter(name, condition, params, order, order_params)
        self.filters.add_filter(name, title, tip)
        self.browser.reload()

    def select_paths(self, paths: list[str]) -> int:
        """Select the files with these paths that the grid shows; how many."""
        return self._select(self._rowids(paths=paths))

    def select_hashes(self, hashes: list[str]) -> int:
        """Select the files showing these contents (SHA-256) that the grid shows; how many."""
        return self._select(self._rowids(hashes=hashes))

    def selected_items(self) -> list[browse.Item]:
        """The selected files' details, in grid order."""
        return self.actions.selected_items()

    def _rowids(self, paths=(), hashes=()) -> set[int]:
        conn = self.model._connection()
        return browse.rowids_of(conn, paths, hashes) if conn is not None else set()

    def _select(self, rowids: set[int]) -> int:
        rows = self.model.rows_of(rowids)
        selection = QItemSelection()
        for row in rows:
            at = self.model.index(row)
            selection.select(at, at)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.grid.selectionModel().select(selection, flags)
        if rows:
            self.grid.scrollTo(self.model.index(rows[0]))
        return len(rows)

    # -- drops ------------------------------------------------------------------------------
    @staticmethod
    def _folders_in(event: QDragEnterEvent | QDropEvent) -> list[str]:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        paths = [u.toLocalFile() for u in urls if u.isLocalFile()]
        return [p for p in paths if os.path.isdir(p)]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt name)
        if self._folders_in(event):
            event.acceptProposedAction()
        else:
            event.ignore()  # files: the window sends them to Classify

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt name)
        folders = self._folders_in(event)
        if folders:
            event.acceptProposedAction()
            self.add_folders(folders)
        else:
            event.ignore()

    # -- the Tab protocol ---------------------------------------------------------------------
    def load_settings(self) -> None:
        self.folders = remembered.library_folders(self.settings)
        self.panel.set_folders(self.folders)
        sort = str(remembered.value(self.settings, remembered.LIBRARY_SORT))
        if sort in browse.SORTS:
            self.filters.choose_sort(sort)
            self.browser.view = browse.View(sort=sort)

    def save_settings(self) -> None:
        remembered.remember_library_folders(self.settings, self.folders)
        remembered.remember(self.settings, remembered.LIBRARY_SORT, self.filters.sort_name())

    def shutdown(self) -> None:
        self.likeness.shutdown()
        self.scanner.shutdown()
        self.follower.shutdown()
        self.browser.shutdown()
        self.actions.shutdown()
        self.model.close()


def _summary_text(summary: Summary) -> str:
    parts = [f"{summary.found:,} photos"]
    if summary.read:
        parts.append(f"{summary.read:,} read")
    if summary.unchanged:
        parts.append(f"{summary.unchanged:,} unchanged")
    if summary.removed:
        parts.append(f"{summary.removed:,} gone")
    if summary.errors:
        parts.append(f"{summary.errors:,} could not be read")
    return f"Scanned in {summary.seconds:.1f} s: " + ", ".join(parts)
