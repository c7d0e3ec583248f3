"""How one picture of the Library grid is painted: its thumbnail, its name, its verdict."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from catgui.core.library.browse import Item
from catgui.ui.common import tones
from catgui.ui.library.grid_model import ITEM_ROLE, THUMBNAIL_ROLE, LibraryModel

# Qt's enums looked up once (each lookup through PySide costs a few microseconds a tile)
_SELECTED = QStyle.StateFlag.State_Selected
_FOCUSED = QStyle.StateFlag.State_HasFocus
_CENTRED = Qt.AlignmentFlag.AlignHCenter
_ELIDED = Qt.TextElideMode.ElideMiddle
_KEEP_ASPECT = Qt.AspectRatioMode.KeepAspectRatio
_DISPLAY = Qt.ItemDataRole.DisplayRole

#: The thumbnail's box, and the tile around it (two lines of text below).
THUMB = 96
TILE = QSize(124, 150)


def verdict_of(item: Item, corrected: bool | None = None) -> tuple[str, str]:
    """The tile's second line and the name of its colour in :mod:`~catgui.ui.common.tones`."""
    if item.error is not None:
        return "can't read", tones.WRONG
    if corrected is not None:
        return ("you: cat" if corrected else "you: not a cat"), tones.ACCENT
    if item.probability is None:
        return "not scored", ""
    p = item.probability
    if item.unsure:
        return f"unsure {p:.2f}", tones.AMBER
    text, colour = (
        (f"cat {p:.2f}", tones.CAT)
        if item.label == "cat"
        else (
            f"not {p:.2f}",
            tones.NON_CAT,
        )
    )
    if item.unfamiliar:
        text += " · odd"
    return text, colour


class TileDelegate(QStyledItemDelegate):
    """Paints a tile of :data:`TILE`; the view gives every tile that size.

    Colours made readable on a ground are kept (the palette changes seldom; a tile is
    painted often): scrolling paints thousands of tiles a second.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._inks: dict[tuple[str, int], QColor] = {}
        self._font = None
        self._font_metrics: QFontMetrics | None = None

    def _metrics(self, font) -> QFontMetrics:
        if self._font is None or self._font != font:
            self._font, self._font_metrics = QFont(font), QFontMetrics(font)
        return self._font_metrics

    def _ink(self, colour: str, under: QColor) -> QColor:
        key = (colour, under.rgb())
        ink = self._inks.get(key)
        if ink is None:
            ink = self._inks[key] = tones.tone_on(colour, under)
        return ink

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 (Qt name)
        return TILE

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        painter.save()
        rect = option.rect
        selected = bool(option.state & _SELECTED)
        palette = option.palette
        if selected:
            painter.fillRect(rect.adjusted(2, 2, -2, -2), palette.highlight())
        model = index.model()
        # straight from the model: each index.data() is a round trip through Qt
        direct = isinstance(model, LibraryModel)
        item: Item | None = model.item(index.row()) if direct else index.data(ITEM_ROLE)
        box = QRect(rect.left() + (rect.width() - THUMB) // 2, rect.top() + 6, THUMB, THUMB)
        if not direct:
            pixmap = index.data(THUMBNAIL_ROLE)
        else:
            pixmap = model.thumbnails.pixmap(item.hash) if item and item.hash else None
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            scaled = pixmap.size().scaled(THUMB, THUMB, _KEEP_ASPECT)
            target = QRect(0, 0, scaled.width(), scaled.height())
            target.moveCenter(box.center())
            painter.drawPixmap(target, pixmap)
        else:  # an opaque fill: blending a translucent one costs 5x more
            base, text = palette.base().color(), palette.text().color()
            ground = QColor(
                (base.red() * 9 + text.red()) // 10,
                (base.green() * 9 + text.green()) // 10,
                (base.blue() * 9 + text.blue()) // 10,
            )
            painter.fillRect(box, ground)
        ink = palette.highlightedText().color() if selected else palette.text().color()
        fm = self._metrics(option.font)
        line = QRect(rect.left() + 4, box.bottom() + 4, rect.width() - 8, fm.height())
        painter.setPen(ink)
        name = item.name if item is not None else index.data(_DISPLAY) or ""
        painter.drawText(
            line,
            _CENTRED,
            fm.elidedText(str(name), _ELIDED, line.width()),
        )
        if item is not None:
            corrected = getattr(model, "corrected", {}).get(item.path)
            text, colour = verdict_of(item, corrected)
            under = palette.highlight().color() if selected else palette.base().color()
            painter.setPen(self._ink(colour, under) if colour and not selected else ink)
            painter.drawText(line.translated(0, fm.height()), _CENTRED, text)
        if option.state & _FOCUSED:
            pen = painter.pen()
            pen.setColor(palette.highlight().color())
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()
