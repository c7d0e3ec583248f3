"""The list of classified pictures (objectName ``classifyResults``)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QMenu, QStyleOptionViewItem, QWidget

from catgui.ui.classify import correction_buttons as cb
from catgui.ui.classify.model import Entry, EntryRole, ResultsModel
from catgui.ui.classify.result_delegate import ROW_HEIGHT, ResultDelegate

#: The key of a click on a row's preview (its heat map, or the heat map large).
PREVIEW = "preview"


class ClassifyResults(QListView):
    """One painted row per picture: thumbnail, 64x64 model input, label, probability.

    The rows live in :attr:`results` (a :class:`~catgui.ui.classify.model.ResultsModel`).
    Delete removes the selected rows; the context menu opens a picture or copies its path;
    Enter (or a double click) opens the picture in the system's viewer. Each row has
    "Wrong? It's a cat / It's not a cat" buttons; C and N (and the context menu) say the
    same for the selected rows.

    Signals
    -------
    correctionRequested(list, bool)
        The user says the pictures in these rows are cats (True) or not (False).
    undoRequested(int)
        The user takes back the correction of this row.
    previewClicked(int)
        The user clicked the preview of this row (while the model can show why).
    """

    correctionRequested = Signal(list, bool)
    undoRequested = Signal(int)
    previewClicked = Signal(int)

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

        self._remove_action = self._action("Remove from list", QKeySequence.StandardKey.Delete)
        self._remove_action.triggered.connect(self.remove_selected)
        self.cat_action = self._action("It’s a cat — save as a correction", "C")
        self.cat_action.setObjectName("correctAsCatAction")
        self.cat_action.triggered.connect(lambda: self.correct_selected(True))
        self.not_cat_action = self._action("It’s not a cat — save as a correction", "N")
        self.not_cat_action.setObjectName("correctAsNotCatAction")
        self.not_cat_action.triggered.connect(lambda: self.correct_selected(False))

    def _action(self, text: str, shortcut) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.addAction(action)
        return action

    def selected_rows(self) -> list[int]:
        return sorted(index.row() for index in self.selectionModel().selectedIndexes())

    def remove_selected(self) -> None:
        """Take the selected pictures off the list (the files are not touched)."""
        self.results.remove_rows(self.selected_rows())

    def correct_selected(self, is_cat: bool) -> None:
        """Say the selected pictures are cats (or not); error rows are left out."""
        rows = [r for r in self.selected_rows() if self.results.entry(r).error is None]
        if rows:
            self.correctionRequested.emit(rows, is_cat)

    def visible_rows(self) -> range:
        """The rows on screen (an empty range when none are)."""
        count = self.results.rowCount()
        if not count or not self.isVisible():
            return range(0)
        top = self.indexAt(QPoint(1, 1))
        bottom = self.indexAt(QPoint(1, self.viewport().height() - 2))
        first = top.row() if top.isValid() else 0
        last = bottom.row() if bottom.isValid() else count - 1
        return range(first, last + 1)

    # -- the painted buttons -------------------------------------------------------------------
    def _button_at(self, pos: QPoint) -> tuple[QModelIndex, str | None]:
        index = self.indexAt(pos)
        if not index.isValid():
            return index, None
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = self.visualRect(index)
        key = self.delegate.button_at(option, index, pos)
        if key is None and self._preview_clickable(index, option.rect, pos):
            key = PREVIEW
        return index, key

    def _preview_clickable(self, index: QModelIndex, rect, pos: QPoint) -> bool:
        entry = self._entry_at(index)
        return (
            entry is not None
            and entry.pixels is not None
            and self.results.explainer is not None
            and self.delegate.rects(rect)["input"].contains(pos)
        )

    def _set_hover(self, index: QModelIndex, key: str | None) -> None:
        entry = self._entry_at(index)
        hovered = (entry.uid, key) if entry is not None and key else None
        if hovered != self.delegate.hovered:
            self.delegate.hovered = hovered
            self.viewport().update()
        shape = Qt.CursorShape.PointingHandCursor if hovered else Qt.CursorShape.ArrowCursor
        self.viewport().setCursor(shape)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self._set_hover(*self._button_at(event.position().toPoint()))
        if self.delegate.pressed is None:
            super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        index, key = self._button_at(event.position().toPoint())
        if key and event.button() == Qt.MouseButton.LeftButton:
            self.delegate.pressed = (self._entry_at(index).uid, key)
            self.viewport().update()
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        pressed, self.delegate.pressed = self.delegate.pressed, None
        if pressed is None:
            super().mouseReleaseEvent(event)
            return
        self.viewport().update()
        index, key = self._button_at(event.position().toPoint())
        entry = self._entry_at(index)
        if entry is not None and (entry.uid, key) == pressed:
            self.click_button(index.row(), key)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self._button_at(event.position().toPoint())[1]:
            event.accept()  # a quick second click on a button is not "open the picture"
            return
        super().mouseDoubleClickEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Leave:
            self._set_hover(QModelIndex(), None)
        return super().viewportEvent(event)

    def click_button(self, row: int, key: str) -> None:
        """What a click on a row's button does (``key`` from :mod:`correction_buttons`)."""
        if key == PREVIEW:
            self.previewClicked.emit(row)
        elif key == cb.UNDO:
            self.undoRequested.emit(row)
        elif key in (cb.IS_CAT, cb.IS_NOT_CAT):
            self.correctionRequested.emit([row], key == cb.IS_CAT)

    # -- menu and opening ----------------------------------------------------------------------
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
        if not self.selectionModel().isSelected(index):
            self.setCurrentIndex(index)
        menu = QMenu(self)
        if entry.error is None:
            menu.addAction(self.cat_action)
            menu.addAction(self.not_cat_action)
            if entry.corrected is not None:
                undo = menu.addAction("Undo this correction")
                undo.triggered.connect(lambda: self.undoRequested.emit(index.row()))
            menu.addSeparator()
        open_action = menu.addAction("Open picture")
        open_action.setEnabled(entry.path.is_file())
        open_action.triggered.connect(lambda: self._open_index(index))
        copy_action = menu.addAction("Copy path")
        copy_action.triggered.connect(lambda: QGuiApplication.clipboard().setText(str(entry.path)))
        menu.addSeparator()
        menu.addAction(self._remove_action)
        menu.exec(self.viewport().mapToGlobal(pos))
