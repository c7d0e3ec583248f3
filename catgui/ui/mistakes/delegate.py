"""Paints one card of ``mistakesView``: the enlarged image, what it is, what it was called."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from catgui.ui.common import tones
from catgui.ui.common.contrast import blend
from catgui.ui.mistakes.model import FALSE_POSITIVE, ItemRole, MistakeItem, class_name

IMAGE = 128  # the 64 x 64 input at exactly twice its size, nearest neighbour: crisp pixels
PAD = 10
LINE = 17
BAR_HEIGHT = 6
CARD_WIDTH = IMAGE + 2 * PAD
CARD_HEIGHT = PAD + IMAGE + 8 + 4 * LINE + 2 + PAD

CAT = QColor(tones.CAT)
NON_CAT = QColor(tones.NON_CAT)
KIND_COLOURS = {FALSE_POSITIVE: QColor(tones.WRONG), "false negative": QColor(tones.LATE)}
GREY = QColor("#8e8e93")


def label_colour(label: int, under: QColor | None = None) -> QColor:
    """Cat green or non-cat blue; readable on ``under`` when it is given."""
    colour = CAT if label == 1 else NON_CAT
    return colour if under is None else tones.tone_on(colour, under)


def card_fill(palette: QPalette, selected: bool, hovered: bool) -> QColor:
    """The ground of a card: the base, hovered alternate base, or tinted when selected."""
    base = palette.color(QPalette.ColorRole.Base)
    if selected:
        tint = QColor(palette.color(QPalette.ColorRole.Highlight))
        tint.setAlpha(40)
        return blend(tint, base)
    return palette.color(QPalette.ColorRole.AlternateBase) if hovered else base


class MistakeDelegate(QStyledItemDelegate):
    """Draws :class:`~catgui.ui.mistakes.model.MistakeItem` cards of a fixed size."""

    def __init__(self, parent: QObject | None = None, threshold: float = 0.5) -> None:
        super().__init__(parent)
        self.threshold = threshold
        self._pixmaps: dict[int, QPixmap] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        return QSize(CARD_WIDTH, CARD_HEIGHT)

    def clear_cache(self) -> None:
        self._pixmaps.clear()

    def _pixmap(self, item: MistakeItem) -> QPixmap:
        key = item.image.cacheKey()
        pix = self._pixmaps.get(key)
        if pix is None:
            pix = QPixmap.fromImage(
                item.image.scaled(
                    IMAGE,
                    IMAGE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.FastTransformation,
                )
            )
            self._pixmaps[key] = pix
        return pix

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        item: MistakeItem | None = index.data(ItemRole)
        if item is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = QRectF(option.rect).adjusted(3, 3, -3, -3)
        fill = self._paint_card(painter, option, card)
        left = int(card.left()) + PAD - 3
        top = int(card.top()) + PAD - 3
        image_rect = QRect(left, top, IMAGE, IMAGE)
        clip = QPainterPath()
        clip.addRoundedRect(QRectF(image_rect), 6, 6)
        painter.setClipPath(clip)
        painter.drawPixmap(image_rect, self._pixmap(item))
        painter.setClipping(False)
        badge_font = QFont(option.font)
        badge_font.setPointSizeF(option.font.pointSizeF() * 0.8)
        badge_font.setBold(True)
        self._paint_badge(painter, badge_font, image_rect, item.mistake.kind)
        words = QRect(left, image_rect.bottom() + 9, IMAGE, 4 * LINE)
        self._paint_text(painter, option, item, words, fill)
        painter.restore()

    def _paint_card(self, painter: QPainter, option: QStyleOptionViewItem, card: QRectF) -> QColor:
        """The card's frame and ground; returns the ground's colour."""
        palette = QApplication.palette()  # the view's own Base is the window colour
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        fill = card_fill(palette, selected, hovered)
        border = palette.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Mid)
        painter.setPen(QPen(border, 2 if selected else 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(card, 9, 9)
        return fill

    def _paint_badge(self, painter: QPainter, font: QFont, image_rect: QRect, kind: str) -> None:
        painter.setFont(font)
        text = kind.capitalize()
        width = painter.fontMetrics().horizontalAdvance(text) + 12
        badge = QRectF(image_rect.left() + 5, image_rect.bottom() - 5 - 18, width, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        fill = KIND_COLOURS.get(kind, GREY)
        painter.setBrush(fill)
        painter.drawRoundedRect(badge, 9, 9)
        painter.setPen(tones.ink_on(fill))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_text(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        item: MistakeItem,
        rect: QRect,
        under: QColor,
    ) -> None:
        """Title, truth, what the model said and the bar, readable on the card's ``under``."""
        m = item.mistake
        base = QFont(option.font)
        bold = QFont(base)
        bold.setBold(True)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.85)
        text_colour = tones.tone_on(QApplication.palette().color(QPalette.ColorRole.Text), under)
        grey = tones.secondary_on(text_colour, under)
        row = QRect(rect.left(), rect.top(), rect.width(), LINE)
        painter.setFont(small)
        painter.setPen(text_colour)
        title = painter.fontMetrics().elidedText(
            item.title, Qt.TextElideMode.ElideMiddle, row.width()
        )
        painter.drawText(row, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        row.translate(0, LINE)
        self._paint_pair(painter, (base, bold), (grey, under), row, "Truth: ", m.label)
        row.translate(0, LINE)
        self._paint_pair(painter, (base, bold), (grey, under), row, "Said: ", m.predicted)
        row.translate(0, LINE + 2)
        self._paint_bar(painter, small, row, m.probability, m.predicted, grey)

    def _paint_pair(self, painter, fonts, inks, row: QRect, prefix: str, label: int) -> None:
        """``Truth: cat``: the prefix in ``inks[0]``, the class in its colour on ``inks[1]``."""
        grey, under = inks
        x = row.left()
        for text, font, colour in (
            (prefix, fonts[0], grey),
            (class_name(label), fonts[1], label_colour(label, under)),
        ):
            painter.setFont(font)
            painter.setPen(colour)
            width = painter.fontMetrics().horizontalAdvance(text)
            painter.drawText(
                QRect(x, row.top(), width + 2, row.height()), Qt.AlignmentFlag.AlignVCenter, text
            )
            x += width

    def _paint_bar(
        self,
        painter: QPainter,
        font: QFont,
        row: QRect,
        probability: float,
        predicted: int,
        grey: QColor,
    ) -> None:
        painter.setFont(font)
        text = f"p(cat) {probability:.2f}"
        text_width = painter.fontMetrics().horizontalAdvance(text) + 6
        bar = QRectF(
            row.left(), row.center().y() - BAR_HEIGHT / 2, row.width() - text_width, BAR_HEIGHT
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(GREY.red(), GREY.green(), GREY.blue(), 60))
        painter.drawRoundedRect(bar, BAR_HEIGHT / 2, BAR_HEIGHT / 2)
        filled = QRectF(bar)
        filled.setWidth(max(BAR_HEIGHT, bar.width() * min(max(probability, 0.0), 1.0)))
        painter.setBrush(label_colour(predicted))
        painter.drawRoundedRect(filled, BAR_HEIGHT / 2, BAR_HEIGHT / 2)
        tick_x = bar.left() + bar.width() * self.threshold
        painter.setPen(QPen(grey, 1))
        painter.drawLine(int(tick_x), int(bar.top()) - 3, int(tick_x), int(bar.bottom()) + 3)
        painter.setPen(grey)
        painter.drawText(row, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
