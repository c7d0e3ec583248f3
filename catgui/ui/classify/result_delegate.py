"""Paints one Classify result row: thumbnail, the 64x64 model input, label and probability bar.

Painting from the model's data (instead of one widget per row) keeps thousands of rows
cheap. Pixmaps are made on demand in the GUI thread and kept in a small LRU cache, and a
whole row, once drawn, is kept in Qt's ``QPixmapCache`` until something it shows changes.
"""

from __future__ import annotations

from collections import OrderedDict

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
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPixmap, QPixmapCache
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from catgui.ui.classify import correction_buttons
from catgui.ui.classify.insight_painting import paint_badge, paint_second_opinion
from catgui.ui.classify.model import (
    ERROR,
    DecisionRole,
    Entry,
    EntryRole,
    LabelRole,
    PreviewRole,
    SecondRole,
    describe,
    label_for,
)
from catgui.ui.classify.row_look import RowLook
from catgui.ui.classify.row_painting import COLOURS, with_readable_selection
from catgui.ui.classify.row_text import badge_rect, familiarity_tip, paint_text
from catgui.ui.common.heat_colours import HEAT_TIP
from catgui.ui.common.qimages import to_pixmap

IMAGE_BOX = 96
PAD = 8
GAP = 12
ROW_HEIGHT = IMAGE_BOX + 2 * PAD
#: A row's content is laid out in at most this width (room for the comparison column;
#: the rest of a wider row stays empty, the correction buttons near the verdict).
MAX_ROW_WIDTH = 1100
PIXMAP_CACHE_SIZE = 400
#: Qt's pixmap cache is 10 MB by default: about 20 rows at 1,100 px, 5 on a wide HiDPI
#: screen. Rows need room for a screenful or two, so the delegate raises it to this (KB).
ROW_CACHE_KB = 48 * 1024
INPUT_TIP = (
    "What the model sees: the centre square of the picture, shrunk to 64 × 64 pixels "
    "(shown enlarged)"
)
CLICK_FOR_WHY = "Click to see why (a heat map); click a heat map to see it large"


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
        """Where each part of a row goes inside ``rect`` (at most :data:`MAX_ROW_WIDTH`
        wide: in a wide window the correction buttons stay near the verdict)."""
        rect = QRect(rect.left(), rect.top(), min(rect.width(), MAX_ROW_WIDTH), rect.height())
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

    def pixmap(self, entry: Entry, kind: str, preview: tuple | None = None) -> QPixmap | None:
        """The thumbnail (``kind="thumbnail"``) or model input (``"input"``) of ``entry``.

        ``preview`` is the row's ``(key, pixels)`` (the heat map when it is shown).
        """
        if kind == "thumbnail":
            array = entry.thumbnail
        elif preview is not None:
            kind, array = preview
        else:
            array = entry.pixels if entry.seen is None else entry.seen
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
        badge = badge_rect(entry, index.data(LabelRole), parts["text"], option)
        if button is not None:
            text = correction_buttons.TIPS[button]
        elif badge is not None and badge.contains(event.pos()):
            text = familiarity_tip(entry.familiarity)
        elif entry.pixels is not None and parts["input"].contains(event.pos()):
            model = index.model()
            if str(index.data(PreviewRole)[0]).startswith("why"):
                text = f"{HEAT_TIP}\n{CLICK_FOR_WHY}"
            elif getattr(model, "explainer", None) is not None:
                text = f"{INPUT_TIP}\n{CLICK_FOR_WHY}"
            else:
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
        option = with_readable_selection(option)
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
            preview=index.data(PreviewRole) or ("", None),
            why=bool(getattr(index.model(), "shows_why", lambda _e: False)(entry)),
            second=index.data(SecondRole),
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
        self._paint_input(painter, row, parts["input"], option)
        ends = paint_text(painter, entry, label, row.decision, parts["text"], option, row.selected)
        if row.second is not None and ends is not None:
            name, p = row.second
            second_label = None if p is None else label_for(p, row.decision[1], row.decision[0])
            paint_second_opinion(
                painter, parts["text"], *ends, name, p, second_label, option, row.selected
            )
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

    def _paint_input(self, painter: QPainter, row: RowLook, box: QRect, option) -> None:
        pix = self.pixmap(row.entry, "input", row.preview)
        if pix is None:
            return
        heat = str(row.preview[0]).startswith("why")
        # nearest neighbour: every model pixel stays a crisp block (a larger input is shrunk)
        small = pix.width() <= box.width()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, not small)
        painter.drawPixmap(box, pix)
        font = QFont(option.font)
        font.setPixelSize(10)
        painter.setFont(font)
        if heat:  # the legend is in the header, beside Why?: the picture stays whole
            return
        if row.why:
            paint_badge(painter, box, font, ready=False)  # "why…": being computed
            return
        badge = QRect(box.right() - 49, box.bottom() - 15, 48, 14)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 150))
        painter.drawRoundedRect(QRectF(badge), 3, 3)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, f"{pix.width()}×{pix.height()}")
