"""The list of classified pictures (objectName ``classifyResults``)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QListView, QMenu, QWidget

from catgui.ui.classify_model import Entry, EntryRole, ResultsModel
from catgui.ui.result_delegate import ROW_HEIGHT, ResultDelegate


class ClassifyResults(QListView):
    """One painted row per picture: thumbnail, 64x64 model input, label, probability.

    The rows live in :attr:`results` (a :class:`~catgui.ui.classify_model.ResultsModel`).
    Delete removes the selected rows; the context menu opens a picture or copies its path;
    Enter (or a double click) opens the picture in the system's viewer.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("classifyResults")
        self.results = ResultsModel(self)
        self.setModel(self.results)
        self.delegate = ResultDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(ROW_HEIGHT // 3)
        self.setMouseTracking(True)
        self.setAccessibleName("Classified pictures")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self.activated.connect(self._open_index)

        self._remove_action = QAction("Remove from list", self)
        self._remove_action.setShortcut(QKeySequence.StandardKey.Delete)
        self._remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self._remove_action.triggered.connect(self.remove_selected)
        self.addAction(self._remove_action)

    def selected_rows(self) -> list[int]:
        return sorted(index.row() for index in self.selectionModel().selectedIndexes())

    def remove_selected(self) -> None:
        """Take the selected pictures off the list (the files are not touched)."""
        self.results.remove_rows(self.selected_rows())

    def _entry_at(self, index: QModelIndex) -> Entry | None:
        return index.data(EntryRole) if index.isValid() else None

    def _open_index(self, index: QModelIndex) -> None:
        entry = self._entry_at(index)
        if entry is not None and entry.path.exists():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(entry.path)))

    def _show_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        entry = self._entry_at(index)
        if entry is None:
            return
        menu = QMenu(self)
        open_action = menu.addAction("Open picture")
        open_action.setEnabled(entry.path.is_file())
        open_action.triggered.connect(lambda: self._open_index(index))
        copy_action = menu.addAction("Copy path")
        copy_action.triggered.connect(lambda: QGuiApplication.clipboard().setText(str(entry.path)))
        menu.addSeparator()
        menu.addAction(self._remove_action)
        menu.exec(self.viewport().mapToGlobal(pos))
