"""The Library grid: a list view in icon mode, every tile the same size (so 100,000 rows lay
out at once), several selectable; a double-click opens one large."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from catgui.ui.library.tile_delegate import TILE, TileDelegate

#: Tiles laid out per step of the layout (a few milliseconds each).
BATCH = 500


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
        # laid out a batch at a time between events: 100,000 tiles at once stall the loop
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(BATCH)
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
        """The rows whose tiles are on screen, in order."""
        model = self.model()
        count = model.rowCount() if model is not None else 0
        area = self.viewport().rect()
        first = None
        for x, y in ((4, 4), (TILE.width() // 2, TILE.height() // 2), (4, TILE.height() - 4)):
            at = self.indexAt(QPoint(x, y))
            if at.isValid():
                first = at.row()
                break
        if first is None:
            return range(0)
        last = first
        while last + 1 < count and last - first < 2000:
            if self.visualRect(model.index(last + 1)).top() > area.bottom():
                break
            last += 1
        return range(first, last + 1)
