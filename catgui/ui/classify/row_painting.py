"""Small painting helpers shared by the Classify rows: colours, label chips, probability bars."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen

from catgui.ui.classify.entry import CAT, ERROR, NON_CAT, UNSURE

BAR_HEIGHT = 8
COLOURS = {
    CAT: QColor("#23935a"),
    NON_CAT: QColor("#3f6fb5"),
    UNSURE: QColor("#c98a12"),
    ERROR: QColor("#c8423c"),
}
TITLES = {CAT: "Cat", NON_CAT: "Non-cat", UNSURE: "Unsure", ERROR: "Can't read"}


def paint_chip(painter: QPainter, text: str, colour: QColor, x: int, y: int, font: QFont) -> QRect:
    """A rounded, filled label chip with white ``text`` at ``(x, y)``; returns its rect."""
    fm = QFontMetrics(font)
    chip = QRect(x, y, fm.horizontalAdvance(text) + 16, fm.height() + 4)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(QRectF(chip), chip.height() / 2, chip.height() / 2)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
    return chip


def paint_bar(
    painter: QPainter,
    bar: QRect,
    p: float,
    label: str,
    decision: tuple[float, tuple[float, float]],
    option,
) -> None:
    """Probability bar: track, the unsure band, the filled share ``p``, a tick at the threshold."""
    threshold, (low, high) = decision
    radius = BAR_HEIGHT / 2
    painter.setPen(Qt.PenStyle.NoPen)
    track = QColor(option.palette.mid().color())
    track.setAlphaF(0.35)
    painter.setBrush(track)
    painter.drawRoundedRect(QRectF(bar), radius, radius)
    if high > low:
        band = QColor(COLOURS[UNSURE])
        band.setAlphaF(0.25)
        painter.setBrush(band)
        painter.drawRect(
            QRectF(
                bar.left() + low * bar.width(), bar.top(), (high - low) * bar.width(), bar.height()
            )
        )
    fill = QRectF(bar.left(), bar.top(), max(bar.height(), p * bar.width()), bar.height())
    painter.setBrush(COLOURS[label])
    painter.drawRoundedRect(fill, radius, radius)
    painter.setPen(QPen(option.palette.text().color(), 1))
    tick = bar.left() + bar.width() * threshold
    painter.drawLine(int(tick), bar.top() - 3, int(tick), bar.bottom() + 3)
