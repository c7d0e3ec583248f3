"""How one picture of the Library grid is painted: its thumbnail, its name, its verdict."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from catgui.core.library.browse import Item
from catgui.ui.common import tones
from catgui.ui.library.grid_model import ITEM_ROLE, THUMBNAIL_ROLE

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
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        if selected:
            painter.fillRect(rect.adjusted(2, 2, -2, -2), palette.highlight())
        item: Item | None = index.data(ITEM_ROLE)
        box = QRect(rect.left() + (rect.width() - THUMB) // 2, rect.top() + 6, THUMB, THUMB)
        pixmap = index.data(THUMBNAIL_ROLE)
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            scaled = pixmap.size().scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio)
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
        fm = QFontMetrics(option.font)
        line = QRect(rect.left() + 4, box.bottom() + 4, rect.width() - 8, fm.height())
        painter.setPen(ink)
        name = index.data(Qt.ItemDataRole.DisplayRole) or ""
        painter.drawText(
            line,
            Qt.AlignmentFlag.AlignHCenter,
            fm.elidedText(str(name), Qt.TextElideMode.ElideMiddle, line.width()),
        )
        if item is not None:
            corrected = getattr(index.model(), "corrected", {}).get(item.path)
            text, colour = verdict_of(item, corrected)
            under = palette.highlight().color() if selected else palette.base().color()
            painter.setPen(self._ink(colour, under) if colour and not selected else ink)
            painter.drawText(line.translated(0, fm.height()), Qt.AlignmentFlag.AlignHCenter, text)
        if option.state & QStyle.StateFlag.State_HasFocus:
            pen = painter.pen()
            pen.setColor(palette.highlight().color())
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()
