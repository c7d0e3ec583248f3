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
select pictures with :meth:`LibraryTab.select_paths` / :meth:`LibraryTab.select_hashes`,
read the selection with :meth:`LibraryTab.selected_items`, and have the grid read the
index again with :meth:`LibraryTab.refresh` (after writing to it).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from PySide6.QtCore import QSettings, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from catgui.core.library import browse, index
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
from catgui.ui.library.scans import LibraryScans

EMPTY_TEXT = (
    "<p style='font-size:15px'><b>Find the cats among your photos</b></p>"
    "<p>Drop folders of photos here, or click <b>Add folder…</b>.<br>"
    "Every photo is read once: its verdict, its thumbnail and what the model saw<br>"
    "are kept in the library, so the next visit and another model are instant.</p>"
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
        #: What the notice line says, by what said it ("model", "read", "scan", "action"):
        #: one never hides another, and each is taken back by its own source.
        self.notes: dict[str, str] = {}
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
        self.scans = LibraryScans(
            self.index_path, self.settings, self.panel, lambda: self.follower, self
        )
        self.scanner = self.scans.scanner
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
        if self.scans.unfinished():
            self.scans.scan()  # the last scan did not end: it continues
        else:
            self.browser.reload()

    def _wire(self) -> None:
        self.scans.finished.connect(self.scanFinished)
        self.scans.indexChanged.connect(self._index_changed)
        self.scans.said.connect(lambda text: self._say(text, "scan"))
        self.filters.filterChanged.connect(lambda name: self.browser.change(which=name or None))
        self.filters.sortChanged.connect(self._sort_changed)
        self.filters.textChanged.connect(self.browser.type_text)
        self.browser.shown.connect(self._shown)
        self.browser.failed.connect(self._read_failed)
        self.follower.modelKnown.connect(lambda sha: self.browser.change(model=sha))
        self.follower.rescored.connect(lambda _sha, n: n and self.browser.reload())
        self.follower.noted.connect(lambda text: self._say(text, "model"))
        self.follower.ended.connect(self.scans.follower_ended)
        self.follower.failed.connect(lambda text: self._say(text, "model"))
        self.state.modelChanged.connect(self._model_changed)
        self.grid.opened.connect(self.actions.open_large)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.filters.find)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # -- folders and scans (see LibraryScans) -----------------------------------------------
    @property
    def folders(self) -> list[str]:
        return self.scans.folders

    def add_folders(self, folders: list[str]) -> None:
        """Add these folders to the library and scan them (new and changed files only)."""
        self.scans.add_folders(folders)

    def scan(self) -> bool:
        return self.scans.scan()

    def is_scanning(self) -> bool:
        return self.scans.is_scanning()

    def _index_changed(self) -> None:
        self.model.refresh()
        self.browser.reload()

    # -- the grid ----------------------------------------------------------------------------
    def _sort_changed(self, name: str) -> None:
        remembered.remember(self.settings, remembered.LIBRARY_SORT, name)
        self.browser.change(sort=name)

    def _shown(self, counts: dict) -> None:
        self._say("", "read")
        self.filters.set_counts(counts)
        has_rows = bool(counts.get("all"))
        self.stack.setCurrentWidget(self.grid if has_rows or self.folders else self.empty)
        self.shown.emit(counts)

    def _read_failed(self, message: str) -> None:
        self.filters.set_counts({})
        self.stack.setCurrentWidget(self.empty if not self.folders else self.grid)
        # no index yet, or one a scan is making, is no problem: nothing to show yet
        if self.index_path.exists() and not self.is_scanning():
            self._say(message, "read")

    def _model_changed(self, model) -> None:
        self.follower.follow(model)

    def _say(self, text: str, source: str = "action") -> None:
        """Show ``text`` as what ``source`` has to say now ("" takes it back)."""
        self.notes[source] = text
        shown = "\n".join(t for t in self.notes.values() if t)
        self.notice.setText(shown)
        self.notice.setVisible(bool(shown))

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
        :class:`catgui.core.library.browse.Filter`: ``order`` too); counted like the
        others. Called again with the same ``name``, it changes that filter's SQL (the
        duplicate groups were read again)."""
        extra = browse.Filter(name, condition, tuple(params), order, tuple(order_params))
        if name not in self.filters.buttons:
            self.filters.add_filter(name, title, tip)
        kept = tuple(f for f in self.browser.view.extra if f.name != name)
        self.browser.change(extra=(*kept, extra))

    def refresh(self) -> None:
        """Read the index again (something else wrote to it: scores, groups, a retrain)."""
        self.follower.rescore()
        self.model.refresh()
        self.browser.reload()

    def select_paths(self, paths: list[str]) -> int:
        """Select the files with these paths that the grid shows; how many."""
        return self.grid.select_rows(self.model.rows_for(paths=paths))

    def select_hashes(self, hashes: list[str]) -> int:
        """Select the files showing these contents (SHA-256) that the grid shows; how many."""
        return self.grid.select_rows(self.model.rows_for(hashes=hashes))

    def selected_items(self) -> list[browse.Item]:
        """The selected files' details, in grid order."""
        return self.actions.selected_items()

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
        sort = str(remembered.value(self.settings, remembered.LIBRARY_SORT))
        if sort in browse.SORTS:
            with QSignalBlocker(self.filters.sort):  # read once the model is known
                self.filters.choose_sort(sort)
            self.browser.view = dataclasses.replace(self.browser.view, sort=sort)

    def save_settings(self) -> None:
        remembered.remember_library_folders(self.settings, self.folders)
        remembered.remember(self.settings, remembered.LIBRARY_SORT, self.filters.sort_name())

    def shutdown(self) -> None:
        self.likeness.shutdown()
        self.scans.shutdown()
        self.follower.shutdown()
        self.browser.shutdown()
        self.actions.shutdown()
        self.model.close()
