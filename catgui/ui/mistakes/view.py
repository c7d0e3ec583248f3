"""``mistakesView``: a grid of cards, one per wrongly classified test image."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from catgui.ui.common import tones
from catgui.ui.common.palette_follower import follow_palette
from catgui.ui.mistakes.delegate import CARD_HEIGHT, CARD_WIDTH, MistakeDelegate
from catgui.ui.mistakes.model import MistakesModel

SPACING = 8


class MistakesView(QListView):
    """Cards flow left to right and wrap; a click, Enter or Return opens one.

    Signals
    -------
    opened(int)
        The user asked for the large view of the card in this row.
    """

    opened = Signal(int)

    def __init__(self, model: MistakesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mistakesView")
        self.setAccessibleName("Test images the model gets wrong")
        self.setModel(model)
        self.card_delegate = MistakeDelegate(self)
        self.setItemDelegate(self.card_delegate)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setSpacing(SPACING)
        self.setGridSize(QSize(CARD_WIDTH + SPACING, CARD_HEIGHT + SPACING))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setMouseTracking(True)
        self.setFrameShape(QListView.Shape.NoFrame)
        # Cards sit on the window's colour. A palette, not a style sheet: a style sheet
        # making the view transparent left the scroll bar's groove unpainted (black).
        # Set again when the application's palette changes (light <-> dark).
        follow_palette(self, self._ground_is_window)
        self.clicked.connect(self._open_index)

    def _ground_is_window(self) -> None:
        window = tones.current().color(QPalette.ColorRole.Window)
        palette = self.palette()  # the inherited roles, and Base (only) set here
        if palette.color(QPalette.ColorRole.Base) != window:
            palette.setColor(QPalette.ColorRole.Base, window)
            self.setPalette(palette)

    def mistakes_model(self) -> MistakesModel:
        return self.model()  # type: ignore[return-value]

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            index = self.currentIndex()
            if index.isValid():
                self._open_index(index)
                return
        super().keyPressEvent(event)

    def select_row(self, row: int) -> None:
        """Make ``row`` current and visible (the large view follows its own next/previous)."""
        index = self.model().index(row, 0)
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.opened.emit(index.row())
