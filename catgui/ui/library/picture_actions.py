"""What can be done to the Library grid's pictures (a QObject, no widget): open one large,
copy paths, open the file's folder, correct the verdict (stored as Classify stores it,
Ctrl+Z undoes), export the selection (copied or linked into a folder).

Each action is a ``QAction`` on the grid: in its context menu, with its key while the
grid has the focus.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from catgui.core.library import browse, export
from catgui.ui import settings as remembered
from catgui.ui.common.correction_log import CorrectionLog
from catgui.ui.library.grid_model import LibraryModel
from catgui.ui.library.grid_view import LibraryGrid
from catgui.ui.library.large_view import LargeView
from catgui.workers.base import WorkerHolder
from catgui.workers.generator import GeneratorWorker


class PictureActions(QObject):
    """The actions of ``grid`` (showing ``model``); :attr:`log` keeps the corrections.

    Parameters
    ----------
    page : QWidget
        The tab: dialogs' parent, and where Ctrl+Z undoes.
    model_path : callable
        The model file whose verdicts the grid shows (*Why?* explains by it), or ``None``.
    say : callable
        Shows a sentence to the user.
    """

    def __init__(
        self,
        page: QWidget,
        grid: LibraryGrid,
        model: LibraryModel,
        settings: QSettings,
        model_path: Callable[[], Path | None],
        say: Callable[[str], None],
        corrections_folder: str | Path | None = None,
    ) -> None:
        super().__init__(page)
        self.page, self.grid, self.model, self.settings = page, grid, model, settings
        self.model_path = model_path
        self.say = say
        self.log = CorrectionLog(corrections_folder, self)
        model.corrections_store = lambda: self.log.store  # the grid shows what it keeps
        self.log.failed.connect(say)
        self.large: LargeView | None = None
        self.opener = QDesktopServices.openUrl  # tests put a recorder here
        self._export = WorkerHolder()
        self.destroyed.connect(functools.partial(WorkerHolder.stop_and_wait, self._export))
        self.open_action = self._action("Show large", "Return", lambda: self.open_large(-1))
        self.cat_action = self._action("It’s a cat", "C", lambda: self.correct(True))
        self.cat_action.setObjectName("libraryCorrectCat")
        self.not_cat_action = self._action("It’s not a cat", "N", lambda: self.correct(False))
        self.not_cat_action.setObjectName("libraryCorrectNotCat")
        self.undo_action = self._action(
            "Undo the last correction", QKeySequence.StandardKey.Undo, self.undo
        )
        self._separator()
        self.copy_action = self._action(
            "Copy path", QKeySequence.StandardKey.Copy, self.copy_selected
        )
        self.locate_action = self._action(
            "Open file location", "Ctrl+Shift+L", self.locate_selected
        )
        self._separator()
        self.export_action = self._action("Export selected…", "Ctrl+Shift+E", self.export_dialog)
        self.export_action.setObjectName("libraryExport")
        # Ctrl+Z anywhere in the tab, not only in the grid
        undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), page, self.undo)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.setShortcut(QKeySequence())  # the tab's shortcut serves it
        self.undo_action.setText("Undo the last correction (Ctrl+Z)")
        grid.selectionModel().selectionChanged.connect(self._follow_selection)
        self._follow_selection()

    def _action(self, text: str, key, slot) -> QAction:
        action = QAction(text, self.grid)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.grid.addAction(action)
        return action

    def _separator(self) -> None:
        line = QAction(self.grid)
        line.setSeparator(True)
        self.grid.addAction(line)

    def _follow_selection(self, *_args) -> None:
        some = bool(self.grid.selectionModel().hasSelection())
        for action in (
            self.cat_action,
            self.not_cat_action,
            self.copy_action,
            self.locate_action,
            self.export_action,
            self.open_action,
        ):
            action.setEnabled(some)
        self.undo_action.setEnabled(self.log.can_undo())

    def selected_items(self) -> list[browse.Item]:
        """The selected files' details, in grid order."""
        items = (self.model.item(r) for r in self.grid.selected_rows())
        return [i for i in items if i is not None]

    # -- one picture, large ------------------------------------------------------------------
    def open_large(self, row: int) -> LargeView | None:
        """Show ``row`` (-1: the current one) large."""
        grid = self.grid
        if row < 0:
            row = grid.currentIndex().row()
        item = self.model.item(row)
        if item is None:
            return None
        if self.large is not None:
            self.large.close()
        self.large = LargeView(item, self.model_path(), self.page)
        self.large.setToolTip("← → the previous and next picture of the grid")
        self.large.stepped.connect(lambda delta, r=row: self._step(r + delta))
        self.large.locateRequested.connect(lambda path: self.locate([path]))
        self.large.copyRequested.connect(lambda path: self.copy([path]))
        self.large.open()
        return self.large

    def _step(self, row: int) -> None:
        """The large view moves to ``row`` of the grid (and the grid follows it)."""
        if 0 <= row < self.model.rowCount():
            self.grid.setCurrentIndex(self.model.index(row))
            self.open_large(row)

    # -- paths -------------------------------------------------------------------------------
    def copy_selected(self) -> None:
        self.copy([i.path for i in self.selected_items()])

    def copy(self, paths: list[str]) -> None:
        if paths:
            QGuiApplication.clipboard().setText("\n".join(paths))
            what = paths[0] if len(paths) == 1 else f"{len(paths):,} paths"
            self.say(f"Copied {what}.")

    def locate_selected(self) -> None:
        self.locate([i.path for i in self.selected_items()])

    def locate(self, paths: list[str]) -> None:
        """Open the folder of each file (at most a few) in the file manager."""
        folders = list(dict.fromkeys(os.path.dirname(p) for p in paths))[:5]
        for folder in folders:
            if not self.opener(QUrl.fromLocalFile(folder)):
                self.say(f"{folder}: no file manager could open it.")

    # -- corrections -------------------------------------------------------------------------
    def correct(self, is_cat: bool) -> int:
        """Store a copy of each selected picture as a cat (or not); how many were stored."""
        saved = []
        for item in self.selected_items():
            before = self.model.said(item)  # also a correction of an earlier session
            if item.error is not None or before == is_cat:
                continue
            if self.log.correct(item.path, is_cat, before) is not None:
                self.model.corrected[item.path] = is_cat
                saved.append(item.name)
        if saved:
            self.model.refresh()
            what = f"“{saved[0]}”" if len(saved) == 1 else f"{len(saved):,} pictures"
            kind = "a cat" if is_cat else "not a cat"
            self.say(f"{what}: {kind}, kept in your corrections · Ctrl+Z undoes")
        self._follow_selection()
        return len(saved)

    def undo(self) -> None:
        """Take back the latest correction made here."""
        done = self.log.undo()
        if done is None:
            return
        self.model.set_corrected(str(done.source), done.row_before)
        self.say(f"Took back the correction of “{done.source.name}”.")
        self._follow_selection()

    # -- export ------------------------------------------------------------------------------
    def export_dialog(self) -> None:
        paths = [i.path for i in self.selected_items() if i.error is None]
        if not paths:
            return
        settings = self.settings
        start = remembered.folder(settings, remembered.LIBRARY_EXPORT_FOLDER, Path.home())
        folder = QFileDialog.getExistingDirectory(self.page, "Export the selected photos to", start)
        if not folder:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Export", "", parent=self.page)
        box.setText(f"Copy the {len(paths):,} photos into {folder}, or link to them there?")
        copy = box.addButton("Copy", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Link", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if (
            box.clickedButton() is None
            or box.buttonRole(box.clickedButton()) != QMessageBox.ButtonRole.AcceptRole
        ):
            return
        remembered.remember(settings, remembered.LIBRARY_EXPORT_FOLDER, folder)
        self.export(paths, folder, link=box.clickedButton() is not copy)

    def export(self, paths: list[str], folder: str, link: bool = False) -> GeneratorWorker | None:
        """Copy (or link) ``paths`` into ``folder`` in a worker; originals are only read."""
        worker = self._export.worker
        if worker is not None and worker.isRunning():
            return None
        worker = GeneratorWorker(
            lambda: export.export_steps(paths, folder, link), "the export", 10, self
        )
        verb = "Linked" if link else "Copied"
        worker.stepped.connect(lambda n: self.say(f"Exporting {n:,} of {len(paths):,}…"))
        worker.returned.connect(lambda result: self._exported(result, verb, folder))
        worker.failed.connect(self.say)
        self._export.worker = worker
        worker.start()
        return worker

    def _exported(self, result: export.Exported, verb: str, folder: str) -> None:
        text = f"{verb} {len(result.written):,} photos into {folder}."
        if result.failed:
            original, why = result.failed[0]
            text += f" {len(result.failed):,} could not be: {original}: {why}"
        self.say(text)

    def shutdown(self) -> None:
        self._export.stop_and_wait()
        if self.large is not None:
            self.large.close()
