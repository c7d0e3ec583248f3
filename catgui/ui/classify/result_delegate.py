"""Paints one Classify result row: thumbnail, the 64x64 model input, label and probability bar.

Painting from the model's data (instead of one widget per row) keeps thousands of rows
cheap. Pixmaps are made on demand in the GUI thread and kept in a small LRU cache, and a
whole row, once drawn, is kept in Qt's ``QPixmapCache`` until something it shows changes.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QPixmap, QPixmapCache
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from catgui.ui.classify import correction_buttons
from catgui.ui.classify.model import (
    ERROR,
    DecisionRole,
    Entry,
    EntryRole,
    LabelRole,
    describe,
    verdict_text,
)
from catgui.ui.classify.row_painting import BAR_HEIGHT, COLOURS, TITLES, paint_bar, paint_chip
from catgui.ui.common.qimages import to_pixmap

IMAGE_BOX = 96
PAD = 8
GAP = 12
ROW_HEIGHT = IMAGE_BOX + 2 * PAD
BAR_WIDTH = 260
PIXMAP_CACHE_SIZE = 400
#: Qt's pixmap cache is 10 MB by default: about 20 rows at 1,100 px, 5 on a wide HiDPI
#: screen. Rows need room for a screenful or two, so the delegate raises it to this (KB).
ROW_CACHE_KB = 48 * 1024
INPUT_TIP = (
    "What the model sees: the centre square of the picture, shrunk to 64 × 64 pixels "
    "(shown enlarged)"
)


@dataclass(frozen=True)
class RowLook:
    """Everything a row's drawing depends on besides the style options."""

    entry: Entry
    label: str
    decision: tuple
    selected: bool
    hovered: str | None
    pressed: str | None

    def cache_key(self, option: QStyleOptionViewItem, dpr: float) -> str:
        e = self.entry
        return (
            f"catgui-row:{e.uid}:{e.name}:{e.corrected!r}:{self.label}:{self.decision!r}:"
            f"{self.selected}:{self.hovered}:{self.pressed}:{option.rect.width()}x"
            f"{option.rect.height()}@{dpr}:{option.palette.cacheKey()}:{option.font.key()}"
        )


class ResultDelegate(QStyledItemDelegate):
    """Draws :class:`~catgui.ui.classify.model.Entry` rows of a fixed height."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pixmaps: OrderedDict[tuple[int, str], QPixmap] = OrderedDict()
        #: ``(entry uid, button key)`` under the mouse / held down (set by the view).
        self.hovered: tuple[int, str] | None = None
        self.pressed: tuple[int, str] | None = None
        #: How many times a row was drawn afresh (the rest came from QPixmapCache).
        self.renders = 0
        if QPixmapCache.cacheLimit() < ROW_CACHE_KB:
            QPixmapCache.setCacheLimit(ROW_CACHE_KB)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        return QSize(520, ROW_HEIGHT)

    # -- geometry (kept in one place so later buttons can find their spot) -------------------
    @staticmethod
    def rects(rect: QRect) -> dict[str, QRect]:
        """Where each part of a row goes inside ``rect``."""
        top = rect.top() + PAD
        thumb = QRect(rect.left() + GAP, top, IMAGE_BOX, IMAGE_BOX)
        model_input = QRect(thumb.right() + 1 + GAP, top, IMAGE_BOX, IMAGE_BOX)
        text_left = model_input.right() + 1 + 2 * GAP
        area = correction_buttons.area_rect(rect, PAD, GAP, IMAGE_BOX)
        text = QRect(text_left, top, max(0, area.left() - 2 * GAP - text_left), IMAGE_BOX)
        return {"thumbnail": thumb, "input": model_input, "text": text, "corrections": area}

    def button_at(
        self, option: QStyleOptionViewItem, index: QModelIndex, pos: QPoint
    ) -> str | None:
        """The correction button of the row at ``index`` under ``pos`` (view coordinates)."""
        entry = index.data(EntryRole) if index.isValid() else None
        if entry is None:
            return None
        area = self.rects(option.rect)["corrections"]
        label = index.data(LabelRole)
        return correction_buttons.button_at(area, label, entry.corrected, option.font, pos)

    def pixmap(self, entry: Entry, kind: str) -> QPixmap | None:
        """The thumbnail (``kind="thumbnail"``) or model input (``"input"``) of ``entry``."""
        seen = entry.pixels if entry.seen is None else entry.seen
        array = entry.thumbnail if kind == "thumbnail" else seen
        if array is None:
            return None
        key = (entry.uid, kind)
        pix = self._pixmaps.get(key)
        if pix is None:
            pix = to_pixmap(array)
            self._pixmaps[key] = pix
            while len(self._pixmaps) > PIXMAP_CACHE_SIZE:
                self._pixmaps.popitem(last=False)
        else:
            self._pixmaps.move_to_end(key)
        return pix

    # -- painting ----------------------------------------------------------------------------
    def helpEvent(self, event, view, option, index) -> bool:  # noqa: N802 - Qt API
        entry = index.data(EntryRole) if index.isValid() else None
        if entry is None or event.type() != QEvent.Type.ToolTip:
            return super().helpEvent(event, view, option, index)
        parts = self.rects(option.rect)
        button = self.button_at(option, index, event.pos())
        if button is not None:
            text = correction_buttons.TIPS[button]
        elif entry.pixels is not None and parts["input"].contains(event.pos()):
            text = INPUT_TIP
        elif entry.original_size and parts["thumbnail"].contains(event.pos()):
            w, h = entry.original_size
            text = f"{entry.path}\nThe picture: {w:,} × {h:,} pixels"
        else:
            text = describe(entry, index.data(LabelRole))
        QToolTip.showText(event.globalPos(), text, view)
        return True

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        entry = index.data(EntryRole)
        if entry is None:
            return super().paint(painter, option, index)
        style = option.widget.style() if option.widget else QApplication.style()
        panel = QStyleOptionViewItem(option)
        panel.text = ""
        style.drawPrimitive(
            QStyle.PrimitiveElement.PE_PanelItemViewItem, panel, painter, option.widget
        )
        row = RowLook(
            entry=entry,
            label=index.data(LabelRole),
            decision=index.data(DecisionRole),
            selected=bool(option.state & QStyle.StateFlag.State_Selected),
            hovered=self.hovered[1] if self.hovered and self.hovered[0] == entry.uid else None,
            pressed=self.pressed[1] if self.pressed and self.pressed[0] == entry.uid else None,
        )
        dpr = painter.device().devicePixelRatioF() if painter.device() else 1.0
        key = row.cache_key(option, dpr)
        image = QPixmapCache.find(key)
        if image is None:
            image = self._render(row, option, dpr)
            QPixmapCache.insert(key, image)
        painter.drawPixmap(option.rect.topLeft(), image)

    def _render(self, row: RowLook, option: QStyleOptionViewItem, dpr: float) -> QPixmap:
        """The row's content (everything but the view's own hover/selection panel).

        Rows are drawn once into a pixmap and reused while nothing they show changes: a
        batch of new results, a scroll or a progress update repaints the visible rows
        many times over, and drawing one takes 1-2 ms of Python and antialiased shapes.
        """
        self.renders += 1
        size = option.rect.size()
        image = QPixmap(max(1, round(size.width() * dpr)), max(1, round(size.height() * dpr)))
        image.setDevicePixelRatio(dpr)
        image.fill(Qt.GlobalColor.transparent)
        local = QStyleOptionViewItem(option)
        local.rect = QRect(QPoint(0, 0), size)
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._paint_content(painter, local, row)
        finally:
            painter.end()
        return image

    def _paint_content(self, painter: QPainter, option: QStyleOptionViewItem, row: RowLook):
        entry, label = row.entry, row.label
        parts = self.rects(option.rect)
        self._paint_thumbnail(painter, entry, parts["thumbnail"], option)
        self._paint_input(painter, entry, parts["input"], option)
        self._paint_text(painter, entry, label, row.decision, parts["text"], option, row.selected)
        correction_buttons.paint(
            painter, parts["corrections"], label, entry.corrected, option, row.hovered, row.pressed
        )
        painter.setPen(QPen(option.palette.mid().color(), 0.5))
        painter.drawLine(
            option.rect.left() + GAP,
            option.rect.bottom(),
            option.rect.right() - GAP,
            option.rect.bottom(),
        )

    def _frame(self, painter: QPainter, box: QRect, option: QStyleOptionViewItem) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(option.palette.alternateBase())
        painter.drawRoundedRect(QRectF(box), 6, 6)

    def _paint_thumbnail(self, painter: QPainter, entry: Entry, box: QRect, option) -> None:
        self._frame(painter, box, option)
        pix = self.pixmap(entry, "thumbnail")
        if pix is None:
            painter.setPen(QPen(COLOURS[ERROR], 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            r = QRectF(box.center().x() - 18, box.center().y() - 18, 36, 36)
            painter.drawEllipse(r)
            font = QFont(option.font)
            font.setBold(True)
            font.setPixelSize(22)
            painter.setFont(font)
            painter.drawText(r, Qt.AlignmentFlag.AlignCenter, "!")
            return
        size = pix.size().scaled(box.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(box.center())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawPixmap(target, pix)

    def _paint_input(self, painter: QPainter, entry: Entry, box: QRect, option) -> None:
        pix = self.pixmap(entry, "input")
        if pix is None:
            return
        # nearest neighbour: every model pixel stays a crisp block (a larger input is shrunk)
        small = pix.width() <= box.width()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, not small)
        painter.drawPixmap(box, pix)
        font = QFont(option.font)
        font.setPixelSize(10)
        painter.setFont(font)
        badge = QRect(box.right() - 49, box.bottom() - 15, 48, 14)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 150))
        painter.drawRoundedRect(QRectF(badge), 3, 3)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, f"{pix.width()}×{pix.height()}")

    def _paint_text(
        self,
        painter: QPainter,
        entry: Entry,
        label: str,
        decision: tuple[float, tuple[float, float]],
        box: QRect,
        option,
        selected: bool,
    ) -> None:
        text_colour = (
            option.palette.highlightedText().color() if selected else option.palette.text().color()
        )
        dim = QColor(text_colour)
        dim.setAlphaF(0.6)
        bold = QFont(option.font)
        bold.setBold(True)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.9))
        fm_bold, fm_small = QFontMetrics(bold), QFontMetrics(small)
        y = box.top() + 2
        painter.setFont(bold)
        painter.setPen(text_colour)
        line = QRect(box.left(), y, box.width(), fm_bold.height())
        painter.drawText(
            line,
            Qt.AlignmentFlag.AlignLeft,
            fm_bold.elidedText(entry.name, Qt.TextElideMode.ElideMiddle, box.width()),
        )
        y += fm_bold.height() + 1
        painter.setFont(small)
        painter.setPen(dim)
        folder = str(entry.path.parent) if entry.path.parent != entry.path else ""
        line = QRect(box.left(), y, box.width(), fm_small.height())
        painter.drawText(
            line,
            Qt.AlignmentFlag.AlignLeft,
            fm_small.elidedText(folder, Qt.TextElideMode.ElideMiddle, box.width()),
        )
        y += fm_small.height() + 8
        chip = paint_chip(painter, TITLES[label], COLOURS[label], box.left(), y, bold)
        if label == ERROR:
            message = entry.error or ""
            prefix = f"{entry.path}: "
            if message.startswith(prefix):
                message = message[len(prefix) :]
            message = message[:1].upper() + message[1:]
            painter.setFont(option.font)
            painter.setPen(COLOURS[ERROR] if not selected else text_colour)
            rest = QRect(
                box.left(), chip.bottom() + 6, box.width(), box.bottom() - chip.bottom() - 6
            )
            painter.drawText(rest, Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap, message)
            return
        p = float(entry.probability)
        painter.setFont(option.font)
        painter.setPen(text_colour)
        verdict = verdict_text(p, label)
        fm = QFontMetrics(option.font)
        painter.drawText(
            QRect(chip.right() + 10, chip.top(), box.width(), chip.height()),
            Qt.AlignmentFlag.AlignVCenter,
            verdict,
        )
        bar_y = chip.bottom() + 12
        width = max(60, min(BAR_WIDTH, box.width() - fm.horizontalAdvance("p(cat) 0.000") - 12))
        paint_bar(painter, QRect(box.left(), bar_y, width, BAR_HEIGHT), p, label, decision, option)
        number = QRect(
            box.left() + width + 10,
            bar_y - fm.height() // 2 + BAR_HEIGHT // 2,
            box.width(),
            fm.height(),
        )
        painter.setPen(dim)
        painter.drawText(number, Qt.AlignmentFlag.AlignVCenter, f"p(cat) {p:.3f}")
