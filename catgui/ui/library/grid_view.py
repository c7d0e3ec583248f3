"""The Library grid: a list view in icon mode, every tile the same size (so 100,000 rows lay
out at once), several selectable; a double-click opens one large."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from catgui.ui.library.tile_delegate import TILE, TileDelegate


class LibraryGrid(QListView):
    """Tiles of :data:`~catgui.ui.library.tile_delegate.TILE`, left to right, top to bottom.

    Signals
    -------
    opened(int)
        This row should be shown large (double-click; Enter is the tab's action).
    """

    opened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryGrid")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)  # no free layout: it is O(n) per change
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setGridSize(TILE)
        self.setSpacing(0)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(TILE.height() // 3)
        self.setItemDelegate(TileDelegate(self))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.setAcceptDrops(False)  # folders dropped here reach the tab
        self.setDragEnabled(False)
        self.doubleClicked.connect(lambda index: self.opened.emit(index.row()))

    def selected_rows(self) -> list[int]:
        """The selected rows, in order."""
        return sorted(i.row() for i in self.selectionModel().selectedIndexes())

    def visible_rows(self) -> range:
        """The rows on screen (roughly: from the top-left tile to the bottom-right one)."""
        model = self.model()
        if model is None or not model.rowCount():
            return range(0)
        area = self.viewport().rect()
        first = self.indexAt(area.topLeft())
        last = self.indexAt(area.bottomRight())
        start = first.row() if first.isValid() else 0
        end = last.row() if last.isValid() else model.rowCount() - 1
        return range(start, end + 1)
