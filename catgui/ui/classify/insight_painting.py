"""Painting the Classify rows' insights: the "Why?" badge and the comparison model's column."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen

from catgui.ui.classify.row_painting import COLOURS, TITLES, paint_chip, row_inks
from catgui.ui.common.heat_colours import AGAINST, FOR_CAT

#: Width of the comparison column (right of the probability), and the least it needs.
SECOND_WIDTH = 230
SECOND_MIN_WIDTH = 120
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def paint_badge(painter: QPainter, box: QRect, font: QFont, ready: bool) -> None:
    """The legend in the preview's corner: "● cat ● not" over a heat map, "why…" before it."""
    fm = QFontMetrics(font)
    if ready:
        parts = [(FOR_CAT, "cat"), (AGAINST, "not")]
        width = sum(fm.horizontalAdvance(t) + 12 for _c, t in parts) + 6
    else:
        width = fm.horizontalAdvance("why…") + 10
    badge = QRect(box.right() - width - 1, box.bottom() - 15, width, 14)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(0, 0, 0, 160))
    painter.drawRoundedRect(QRectF(badge), 3, 3)
    painter.setFont(font)
    if not ready:
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "why…")
        return
    x = badge.left() + 5
    for colour, text in parts:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(QRectF(x, badge.center().y() - 3, 7, 7))
        x += 10
        painter.setPen(QColor("white"))
        advance = fm.horizontalAdvance(text)
        painter.drawText(QRect(x, badge.top(), advance + 2, badge.height()), _LEFT, text)
        x += advance + 4


def second_rect(text_box: QRect, bar_right: int) -> QRect | None:
    """Where the comparison column goes in a row's text area; None if it does not fit."""
    left = max(bar_right + 28, text_box.right() - SECOND_WIDTH)
    width = min(SECOND_WIDTH, text_box.right() - left)
    if width < SECOND_MIN_WIDTH:
        return None
    return QRect(left, text_box.top(), width, text_box.height())


def paint_second_opinion(
    painter: QPainter,
    text_box: QRect,
    bar_right: int,
    chip_top: int,
    name: str,
    p: float | None,
    label: str | None,
    option,
    selected: bool = False,
) -> None:
    """The comparison model's name, then its verdict chip and p(cat), right of the bar.

    ``p`` is None while the comparison model has not scored the row yet.
    """
    column = second_rect(text_box, bar_right)
    if column is None:
        return
    text_colour, dim = row_inks(option, selected)
    small = QFont(option.font)
    small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.9))
    bold = QFont(small)
    bold.setBold(True)
    fm = QFontMetrics(small)
    line = QColor(dim)
    line.setAlphaF(0.25)
    painter.setPen(QPen(line, 1))
    painter.drawLine(column.left() - 12, chip_top, column.left() - 12, chip_top + 44)
    painter.setFont(small)
    painter.setPen(dim)
    title = fm.elidedText(f"Compared with {name}:", Qt.TextElideMode.ElideMiddle, column.width())
    painter.drawText(QRect(column.left(), chip_top, column.width(), fm.height()), _LEFT, title)
    y = chip_top + fm.height() + 6
    if p is None or label is None:
        painter.drawText(QRect(column.left(), y, column.width(), fm.height()), _LEFT, "scoring…")
        return
    chip = paint_chip(painter, TITLES[label], COLOURS[label], column.left(), y, bold)
    painter.setFont(small)
    painter.setPen(text_colour)
    painter.drawText(
        QRect(chip.right() + 8, chip.top(), column.right() - chip.right() - 8, chip.height()),
        _LEFT,
        f"p(cat) {p:.3f}",
    )
